"""The CLI's outputs: special files and symlinks, bad paths and write errors (one line, no traceback),
and ``site generate`` replacing OUT only when the new tree is complete."""

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
        ("site", "generate", "--project", str(REPO), "--glossary", str(REPO / "glossary")),
    ],
    ids=["export", "quiz export", "links", "site generate"],
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


def test_site_generate_into_a_file_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("x", encoding="utf-8")
    result = k8skb("site", "generate", "README.md", "--project", str(REPO), cwd=tmp_path)
    assert_one_line_error(result, 2, "README.md", "not a directory")
    assert (tmp_path / "README.md").read_text(encoding="utf-8") == "x"


def fake_project(root: Path) -> Path:
    (root / "docs").mkdir(parents=True)
    (root / "docs" / "index.md").write_text("# home\n", encoding="utf-8")
    (root / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    return root


@pytest.mark.parametrize("out", [".", "..", "docs", "docs/out"], ids=["project", "parent", "docs", "in-docs"])
def test_site_generate_refuses_the_project_itself_what_contains_it_and_its_sources(
    tmp_path: Path, out: str
) -> None:
    project = fake_project(tmp_path / "project")
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    result = k8skb("site", "generate", out, "--glossary", GLOSSARY, cwd=project)
    assert_one_line_error(result, 2, out, "project")
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before


def test_site_generate_refuses_a_folder_it_did_not_write(tmp_path: Path) -> None:
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep", encoding="utf-8")
    result = k8skb("site", "generate", "mine", "--project", str(REPO), "--glossary", GLOSSARY, cwd=tmp_path)
    assert_one_line_error(result, 2, "mine", "not empty")
    assert [p.name for p in (tmp_path / "mine").iterdir()] == ["notes.txt"]


# 3. site generate: OUT is replaced only by a complete tree


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_site_generate_replaces_an_earlier_out_and_leaves_nothing_beside_it(tmp_path: Path) -> None:
    out = tmp_path / "build" / "zensical"
    args = ("site", "generate", str(out), "--project", str(REPO), "--glossary", str(REPO / "glossary"))
    assert k8skb(*args).code == 0
    (out / "docs" / "stale.md").write_text("from an older run", encoding="utf-8")
    (out / "site").mkdir()  # what the engine built from the earlier tree
    result = k8skb(*args)
    assert result.code == 0, result.output
    assert not (out / "docs" / "stale.md").exists() and not (out / "site").exists()
    assert (out / "mkdocs.yml").is_file() and (out / "docs" / "ja" / "glossary" / "pod.md").is_file()
    assert [p.name for p in out.parent.iterdir()] == ["zensical"]


@pytest.mark.parametrize("failure", [KeyboardInterrupt, OSError], ids=["interrupted", "failed"])
def test_an_interrupted_or_failed_site_generate_leaves_out_as_it_was(
    run_cli: Callable[..., CliResult],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    failure: type[BaseException],
) -> None:
    out = tmp_path / "out"
    args = ("site", "generate", str(out), "--project", str(REPO), "--glossary", str(REPO / "glossary"))
    assert run_cli(*args).code == 0
    earlier = _tree(out)
    import k8skb.site.generate as generate

    written: list[Path] = []
    real_write = generate.write_text_atomic

    def write_some_then_stop(target: str | Path, text: str) -> None:
        if len(written) == 25:
            raise failure(28, "No space left on device", str(target)) if failure is OSError else failure()
        real_write(target, text)
        written.append(Path(target))

    monkeypatch.setattr(generate, "write_text_atomic", write_some_then_stop)
    result = run_cli(*args)
    assert result.code == (130 if failure is KeyboardInterrupt else 1), result.output
    assert len(written) == 25 and all(not p.is_relative_to(out) for p in written)
    assert _tree(out) == earlier
    assert [p.name for p in tmp_path.iterdir()] == ["out"], "the temporary tree is removed"
