"""Validation: every defect class has a fixture file stating the line and message it must produce."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from helpers import FIXTURES, CliResult
from k8skb.glossary import load_glossary

VALID = FIXTURES / "glossary" / "valid"
DEFECTS = sorted((FIXTURES / "glossary" / "defects").glob("*.yaml"))
EXPECT = re.compile(rb"^# expect: (\d+) (.+)$", re.MULTILINE)


def _expectation(path: Path) -> tuple[int, str]:
    match = EXPECT.search(path.read_bytes())
    assert match, f"{path.name} lacks an '# expect: LINE MESSAGE' header"
    return int(match.group(1)), match.group(2).decode()


def _glossary_with(tmp_path: Path, *files: Path) -> Path:
    directory = tmp_path / "glossary"
    directory.mkdir()
    for source in (*VALID.glob("*.yaml"), *files):
        shutil.copy(source, directory / source.name)
    return directory


def test_the_background_fixture_is_valid(run_cli: Callable[..., CliResult], tmp_path: Path) -> None:
    result = run_cli(
        "validate", "--glossary", str(_glossary_with(tmp_path)), "--quiz", str(tmp_path / "none")
    )
    assert result.code == 0, result.output
    assert "ok: 1 files, 2 terms" in result.out


@pytest.mark.parametrize("fixture", DEFECTS, ids=[p.stem for p in DEFECTS])
def test_each_defect_is_reported_with_file_and_line(
    fixture: Path, run_cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    line, message = _expectation(fixture)
    directory = _glossary_with(tmp_path, fixture)
    result = run_cli("validate", "--glossary", str(directory), "--quiz", str(tmp_path / "none"))
    assert result.code == 1, result.output
    assert "Traceback" not in result.output
    reported = [ln for ln in result.out.splitlines() if f"{fixture.name}:{line}:" in ln]
    assert reported, f"no problem reported at {fixture.name}:{line}; got:\n{result.out}"
    assert any(message in ln for ln in reported), f"expected {message!r} at line {line}; got:\n{result.out}"
    # The background file is clean: nothing may be blamed on it.
    assert "base.yaml" not in result.out or fixture.stem == "duplicate-id"


def test_all_problems_are_reported_in_one_run(run_cli: Callable[..., CliResult], tmp_path: Path) -> None:
    directory = _glossary_with(tmp_path, *DEFECTS)
    result = run_cli("validate", "--glossary", str(directory), "--quiz", str(tmp_path / "none"))
    assert result.code == 1
    for fixture in DEFECTS:
        line, _ = _expectation(fixture)
        assert f"{fixture.name}:{line}:" in result.out, fixture.name


def test_json_format_lists_problems(run_cli: Callable[..., CliResult], tmp_path: Path) -> None:
    directory = _glossary_with(tmp_path, FIXTURES / "glossary" / "defects" / "unknown-tag.yaml")
    result = run_cli(
        "validate", "--format", "json", "--glossary", str(directory), "--quiz", str(tmp_path / "x")
    )
    assert result.code == 1
    document = json.loads(result.out)
    assert document["ok"] is False
    assert [(p["line"], p["path"].endswith("unknown-tag.yaml")) for p in document["problems"]] == [(8, True)]


def test_usage_errors_exit_2(run_cli: Callable[..., CliResult], tmp_path: Path) -> None:
    assert run_cli("validate", "--format", "xml").code == 2
    assert run_cli("validate", "--glossary", str(tmp_path / "missing")).code == 2
    assert run_cli("no-such-verb").code == 2


def test_ordinary_angle_brackets_and_ampersands_are_allowed(tmp_path: Path) -> None:
    result = load_glossary(_glossary_with(tmp_path))
    assert result.ok, result.problems
    assert result.glossary is not None
    assert "a < b && c" in result.glossary["pod"].description.ja


@pytest.mark.parametrize(
    ("text", "is_html"),
    [
        ("a < b && c", False),
        ("x<y", False),
        ("1 <2 and 3> 0", False),
        ("<https://kubernetes.io/>", False),
        ("AT&T &amp; more", False),
        ("<b>bold</b>", True),
        ("end</p>", True),
        ("<!-- note -->", True),
        ('<a href="x">', True),
        ("<br/>", True),
        ("<script>alert(1)</script>", True),
        ("<!DOCTYPE html>", True),
    ],
)
def test_raw_html_detection(text: str, is_html: bool) -> None:
    from k8skb.glossary.validate import RAW_HTML

    assert bool(RAW_HTML.search(text)) is is_html


def test_the_repository_glossary_is_valid(run_cli: Callable[..., CliResult], repo: Path) -> None:
    result = run_cli("validate", cwd=repo)
    assert result.code == 0, result.output


def test_records_keep_their_source_lines(tmp_path: Path) -> None:
    result = load_glossary(_glossary_with(tmp_path))
    assert result.glossary is not None
    pod = result.glossary["pod"]
    assert (pod.source.path.endswith("base.yaml"), pod.source.line) == (True, 3)
    assert pod.where("summary").line == 8
    assert pod.references[0].source.line == 21
    assert pod.relations[0].source.line == 15
    assert pod.misconceptions[0].source.line == 18


def test_an_entry_with_an_error_still_counts_as_a_target(tmp_path: Path) -> None:
    directory = _glossary_with(tmp_path)
    base = directory / "base.yaml"
    base.write_text(base.read_text(encoding="utf-8").replace("category: architecture", "category: gadget"))
    result = load_glossary(directory)
    assert [p.message.split(" (")[0] for p in result.problems] == [
        "unknown category 'gadget' in field 'category'"
    ]
