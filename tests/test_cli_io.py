"""The CLI's outputs: special files and symlinks, bad paths and write errors (one line, no traceback)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from helpers import FIXTURES, REPO, CliResult

GLOSSARY = str(FIXTURES / "glossary" / "valid")
QUIZ_SOURCES = ("--glossary", str(FIXTURES / "quiz" / "glossary"), "--quiz", str(FIXTURES / "quiz" / "quiz"))
DEV_FULL = Path("/dev/full")  # writes to it fail with ENOSPC (Linux, FreeBSD); only ever used as stdout
PROC = Path("/proc")  # Linux: no file can be created in it


def k8skb(*args: str, cwd: Path | None = None, stdout: Any = subprocess.PIPE) -> CliResult:
    """Run ``python -m k8skb`` with ``args`` (output buffered as on a user's machine)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    proc = subprocess.run(
        [sys.executable, "-m", "k8skb", *args],
        cwd=cwd,
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
        env=env,
        timeout=300,
    )
    return CliResult(proc.returncode, proc.stdout or "", proc.stderr)


def assert_one_line_error(result: CliResult, code: int, *words: str) -> None:
    """Exit ``code``, one line ``k8skb...: ...`` on stderr naming ``words``, no traceback."""
    assert result.code == code, result.output
    assert "Traceback" not in result.err and "Exception ignored" not in result.err, result.err
    lines = result.err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("k8skb"), result.err
    for word in words:
        assert word in lines[0], (word, lines[0])


def symlink_or_skip(link: Path, target: Path) -> None:
    try:
        link.symlink_to(target)
    except (OSError, NotImplementedError) as exc:  # Windows without the privilege
        pytest.skip(f"cannot create a symlink here: {exc}")


def fifo_or_skip(path: Path) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no named pipes (FIFOs) on this platform")
    os.mkfifo(path)


# 1. special files and symlinks as the output


def test_a_symlinked_output_is_followed_and_the_link_stays(tmp_path: Path) -> None:
    real = tmp_path / "real.json"
    real.write_text("", encoding="utf-8")
    link = tmp_path / "link.json"
    symlink_or_skip(link, Path("real.json"))  # relative, as `ln -s real.json link.json` makes it
    result = k8skb("export", "--format", "json", "--out", "link.json", "--glossary", GLOSSARY, cwd=tmp_path)
    assert result.code == 0, result.output
    assert link.is_symlink() and link.readlink() == Path("real.json")
    assert json.loads(real.read_text(encoding="utf-8"))["terms"][0]["id"] == "pod"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.json", "real.json"]


@pytest.mark.parametrize(
    "command",
    [
        ("export", "--format", "json", "--glossary", GLOSSARY, "--out"),
        ("quiz", "export", *QUIZ_SOURCES, "--out"),
        ("links", str(FIXTURES / "links" / "built"), "--offline", "--output"),
    ],
    ids=["export", "quiz export", "links"],
)
def test_a_named_pipe_as_the_output_is_refused_and_stays(tmp_path: Path, command: tuple[str, ...]) -> None:
    fifo = tmp_path / "pipe.json"
    fifo_or_skip(fifo)
    result = k8skb(*command, str(fifo), cwd=tmp_path)
    assert_one_line_error(result, 2, str(fifo), "named pipe", f"{command[-1]} -", "standard output")
    assert fifo.is_fifo()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe.json"]


def test_a_symlink_to_a_named_pipe_is_refused(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    fifo_or_skip(fifo)
    symlink_or_skip(tmp_path / "link.json", fifo)
    result = k8skb("export", "--glossary", GLOSSARY, "--out", "link.json", cwd=tmp_path)
    assert_one_line_error(result, 2, "link.json", "named pipe")
    assert (tmp_path / "link.json").is_symlink() and fifo.is_fifo()


# 2. bad output paths and write errors: one line, no traceback


@pytest.mark.parametrize("out", ["", "folder", "folder/", "."], ids=["empty", "folder", "folder/", "dot"])
def test_an_output_that_cannot_be_a_file_is_a_usage_error(tmp_path: Path, out: str) -> None:
    (tmp_path / "folder").mkdir()
    result = k8skb("export", "--glossary", GLOSSARY, "--out", out, cwd=tmp_path)
    assert_one_line_error(result, 2, "--out")
    assert "empty file name" in result.err if out == "" else "is a directory" in result.err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["folder"]
    assert list((tmp_path / "folder").iterdir()) == []


def test_an_output_under_a_file_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("x", encoding="utf-8")
    result = k8skb("export", "--glossary", GLOSSARY, "--out", "README.md/out.json", cwd=tmp_path)
    assert_one_line_error(result, 2, "README.md", "not a directory")


@pytest.mark.skipif(not PROC.is_dir(), reason="no /proc on this platform")
@pytest.mark.parametrize(
    "command",
    [
        ("export", "--glossary", GLOSSARY, "--out"),
        ("quiz", "export", *QUIZ_SOURCES, "--out"),
        ("links", str(FIXTURES / "links" / "built"), "--offline", "--output"),
    ],
    ids=["export", "quiz export", "links"],
)
def test_a_place_where_no_file_can_be_made_fails_in_one_line(command: tuple[str, ...]) -> None:
    result = k8skb(*command, "/proc/k8skb-out")
    assert_one_line_error(result, 1, "/proc/k8skb-out")


def test_a_failed_write_is_one_line_naming_the_file(
    run_cli: Callable[..., CliResult], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(self: Path, target: Path) -> Path:
        raise PermissionError(13, "Permission denied", str(self), str(target))

    monkeypatch.setattr(Path, "replace", refuse)
    out = tmp_path / "glossary.json"
    result = run_cli("export", "--glossary", GLOSSARY, "--out", str(out))
    assert result.code == 1
    assert result.err == f"k8skb: {out}: Permission denied\n"
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(not DEV_FULL.exists(), reason="no /dev/full on this platform")
@pytest.mark.parametrize(
    "command",
    [
        ("export", "--format", "csv", "--glossary", GLOSSARY, "--out", "-"),
        ("export", "--format", "anki", "--glossary", GLOSSARY, "--out", "-"),
        ("stats", "--glossary", GLOSSARY),
        ("quiz", "export", *QUIZ_SOURCES, "--out", "-"),
        ("links", str(FIXTURES / "links" / "built"), "--offline"),
    ],
    ids=["export csv", "export anki", "stats", "quiz export", "links"],
)
@pytest.mark.parametrize("buffered", [True, False], ids=["buffered", "unbuffered"])
def test_a_full_standard_output_fails_in_one_line(command: tuple[str, ...], buffered: bool) -> None:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    if not buffered:
        env["PYTHONUNBUFFERED"] = "1"
    with DEV_FULL.open("w") as full:
        proc = subprocess.run(
            [sys.executable, "-m", "k8skb", *command],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
            env=env,
            timeout=300,
        )
    assert_one_line_error(CliResult(proc.returncode, "", proc.stderr), 1, "standard output", "No space left")


def test_a_closed_pipe_ends_quietly() -> None:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    with subprocess.Popen(
        [sys.executable, "-m", "k8skb", "export", "--out", "-", "--glossary", str(REPO / "glossary")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    ) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        assert proc.stdout.readline() == b"{\n"  # `| head -1`
        proc.stdout.close()
        err = proc.stderr.read().decode()
        code = proc.wait(timeout=300)
    assert err == "" and code == 0
