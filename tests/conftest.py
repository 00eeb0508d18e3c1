"""Shared fixtures: the repository, running the CLI in-process, writing glossary fixtures."""

from __future__ import annotations

import contextlib
import io
import os
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from helpers import REPO, CliResult
from k8skb.cli import main


@pytest.fixture
def repo() -> Path:
    """The repository root."""
    return REPO


@pytest.fixture
def run_cli() -> Callable[..., CliResult]:
    """Run ``k8skb`` in-process with ``args``; usage errors (SystemExit) are captured as exit codes."""

    def run(*args: str, cwd: Path | None = None, stdin: str | None = None) -> CliResult:
        out, err = io.StringIO(), io.StringIO()
        old = Path.cwd()
        if cwd is not None:
            os.chdir(cwd)
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                if stdin is not None:
                    import sys

                    saved, sys.stdin = sys.stdin, io.StringIO(stdin)
                try:
                    code = main(list(args))
                except SystemExit as exc:
                    code = int(exc.code or 0)
                finally:
                    if stdin is not None:
                        sys.stdin = saved
        finally:
            os.chdir(old)
        return CliResult(code, out.getvalue(), err.getvalue())

    return run


@pytest.fixture
def write_glossary(tmp_path: Path) -> Iterator[Callable[..., Path]]:
    """Write YAML files (``name=text``) into a fresh glossary directory and return it."""

    def write(**files: str | bytes) -> Path:
        directory = tmp_path / "glossary"
        directory.mkdir(exist_ok=True)
        for name, content in files.items():
            target = directory / f"{name}.yaml"
            if isinstance(content, bytes):
                target.write_bytes(content)
            else:
                target.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")
        return directory

    yield write


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Print the serious and critical axe-core findings per page and rule (browser/test_accessibility.py).

    Here, not in browser/conftest.py: under xdist only this conftest is loaded by the controlling
    process, which prints the summary; the counts arrive as the reports' ``user_properties``.
    """
    runs = [
        value
        for key in ("passed", "failed")
        for report in terminalreporter.stats.get(key, [])
        for name, value in getattr(report, "user_properties", ())
        if name == "axe" and getattr(report, "when", "call") == "call"
    ]
    if not runs:
        return
    terminalreporter.section("axe-core: serious + critical findings per page and rule")
    for run in sorted(runs, key=lambda r: (r["lang"], r["scheme"])):
        counts: dict[str, dict[str, int]] = run["counts"]
        total = sum(n for rules in counts.values() for n in rules.values())
        terminalreporter.write_line(f"{run['lang']} / {run['scheme']}: {total} in {len(counts)} page states")
        for page_name, rules in counts.items():
            shown = ", ".join(f"{rule} {n}" for rule, n in sorted(rules.items())) or "0"
            terminalreporter.write_line(f"  {page_name:<32} {shown}")
