"""Hostile glossary and quiz files: every load ends with a file:line error, never a hang or a traceback.

Each case writes its file into a fresh glossary/ or quiz/ directory under ``tmp_path`` and runs
``k8skb validate`` in a subprocess. The subprocess timeout is a hang guard (the run must end), not a
speed assertion.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from helpers import FIXTURES
from k8skb.glossary.bounded import MAX_DEPTH, MAX_FILE_BYTES, MAX_LINE_CHARS, compose

HANG_GUARD = 30
"""Seconds a run may take before it counts as hung (unpatched, the billion laughs ran for minutes)."""

DIRS = ("glossary", "quiz")


def _laughs(levels: int = 12) -> str:
    """The billion-laughs shape: each list holds nine aliases of the list before (9**levels leaves)."""
    lines = ["# every level nine times the one before", '- &a0 ["lol", "lol", "lol", "lol", "lol"]']
    lines += [f"- &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, levels)]
    return "\n".join(lines) + "\n"


def _project(tmp_path: Path) -> Path:
    """A glossary/ with one valid file and an empty quiz/ in ``tmp_path``; returns ``tmp_path``."""
    (tmp_path / "glossary").mkdir()
    shutil.copy(FIXTURES / "glossary" / "valid" / "base.yaml", tmp_path / "glossary" / "base.yaml")
    (tmp_path / "quiz").mkdir()
    return tmp_path


def _validate(project: Path) -> subprocess.CompletedProcess[str]:
    """Run ``k8skb validate`` in ``project`` (output captured; a hang fails the test)."""
    return subprocess.run(
        [sys.executable, "-m", "k8skb", "validate", "--glossary", "glossary", "--quiz", "quiz"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=HANG_GUARD,
        check=False,
    )


def _assert_reported(proc: subprocess.CompletedProcess[str], where: str, message: str) -> None:
    """Exit 1, a ``where: message`` line (``where`` is ``path:line``), no traceback."""
    output = proc.stdout + proc.stderr
    assert proc.returncode == 1, output
    assert "Traceback" not in output
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith(f"{where}: ")]
    assert any(message in ln for ln in lines), f"expected {where}: …{message}…; got:\n{output}"


@pytest.mark.parametrize("directory", DIRS)
def test_billion_laughs_is_refused_at_its_first_anchor(tmp_path: Path, directory: str) -> None:
    project = _project(tmp_path)
    (project / directory / "laughs.yaml").write_text(_laughs(), encoding="utf-8")
    proc = _validate(project)
    _assert_reported(proc, f"{directory}/laughs.yaml:2", "YAML anchor '&a0' is not allowed")


@pytest.mark.parametrize("directory", DIRS)
def test_an_alias_is_refused(tmp_path: Path, directory: str) -> None:
    project = _project(tmp_path)
    (project / directory / "alias.yaml").write_text("- id: x\n- *x\n", encoding="utf-8")
    proc = _validate(project)
    _assert_reported(proc, f"{directory}/alias.yaml:2", "YAML alias '*x' is not allowed")


@pytest.mark.parametrize("directory", DIRS)
def test_a_file_over_the_size_cap_is_refused(tmp_path: Path, directory: str) -> None:
    project = _project(tmp_path)
    line = "# " + "x" * 98 + "\n"  # short lines: only the size is wrong
    count = MAX_FILE_BYTES // len(line) + 1
    (project / directory / "huge.yaml").write_text(line * count, encoding="utf-8")
    proc = _validate(project)
    size = f"{len(line) * count:,}"
    _assert_reported(proc, f"{directory}/huge.yaml:1", f"file is {size} bytes, more than the limit")


@pytest.mark.parametrize("directory", DIRS)
def test_deep_nesting_is_refused_at_the_level_over_the_cap(tmp_path: Path, directory: str) -> None:
    project = _project(tmp_path)
    depth = 100_000  # far past Python's recursion limit; one bracket a line keeps the lines short
    (project / directory / "deep.yaml").write_text("[\n" * depth + "]\n" * depth, encoding="utf-8")
    proc = _validate(project)
    _assert_reported(
        proc, f"{directory}/deep.yaml:{MAX_DEPTH + 1}", f"YAML is nested more than {MAX_DEPTH} levels deep"
    )


def test_the_nesting_cap_is_exact() -> None:
    assert compose("[" * MAX_DEPTH + "]" * MAX_DEPTH) is not None
    with pytest.raises(Exception, match="nested more than"):
        compose("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1))


@pytest.mark.parametrize("directory", DIRS)
def test_a_very_long_line_is_refused(tmp_path: Path, directory: str) -> None:
    project = _project(tmp_path)
    long = "x" * (MAX_LINE_CHARS * 50)
    (project / directory / "long.yaml").write_text(f"# fine\n- id: a\n  note: {long}\n", encoding="utf-8")
    proc = _validate(project)
    length = f"{len(long) + len('  note: '):,}"
    _assert_reported(proc, f"{directory}/long.yaml:3", f"line is {length} characters long")


def _symlink(target: str, link: Path) -> None:
    try:
        link.symlink_to(target)
    except (OSError, NotImplementedError):  # Windows without the symlink privilege
        pytest.skip("cannot create symbolic links here")


def _fifo(path: Path) -> None:
    mkfifo: Callable[[Path], None] | None = getattr(os, "mkfifo", None)
    if mkfifo is None:
        pytest.skip("no FIFOs on this platform")
    mkfifo(path)


NOT_REGULAR: dict[str, tuple[Callable[[Path], None], str]] = {
    "fifo": (_fifo, "a FIFO (named pipe), not a regular file"),
    "dangling-symlink": (
        lambda p: _symlink("no-such-file.yaml", p),
        "symbolic link to a missing file",
    ),
    "symlink-loop": (lambda p: _symlink(p.name, p), "symbolic link loop"),
    "device": (
        lambda p: _symlink(os.devnull, p) if Path(os.devnull).exists() else pytest.skip("no null device"),
        "a device, not a regular file",
    ),
    "directory": (lambda p: p.mkdir(), "a directory, not a regular file"),
}


@pytest.mark.parametrize("directory", DIRS)
@pytest.mark.parametrize("case", NOT_REGULAR, ids=list(NOT_REGULAR))
def test_a_path_that_is_not_a_regular_file_is_reported(tmp_path: Path, directory: str, case: str) -> None:
    make, message = NOT_REGULAR[case]
    project = _project(tmp_path)
    make(project / directory / f"{case}.yaml")
    proc = _validate(project)
    _assert_reported(proc, f"{directory}/{case}.yaml:1", message)


def test_reading_a_fifo_directly_does_not_block(tmp_path: Path) -> None:
    # Commands that list glossary/*.yaml without the regular-file filter (new, stats --freshness)
    # hand every path to read_yaml: it must refuse a FIFO without opening it.
    _fifo(tmp_path / "pipe.yaml")
    code = "from pathlib import Path; from k8skb.glossary.loader import read_yaml; "
    code += "print(*read_yaml(Path('pipe.yaml')).problems)"
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=HANG_GUARD
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("pipe.yaml:1: a FIFO (named pipe), not a regular file"), proc.stdout
