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


def _empty_quiz(tmp_path: Path) -> Path:
    """An existing quiz folder without questions (a missing ``--quiz`` folder is an error)."""
    folder = tmp_path / "quiz"
    folder.mkdir(exist_ok=True)
    return folder


def test_the_background_fixture_is_valid(run_cli: Callable[..., CliResult], tmp_path: Path) -> None:
    result = run_cli(
        "validate", "--glossary", str(_glossary_with(tmp_path)), "--quiz", str(_empty_quiz(tmp_path))
    )
    assert result.code == 0, result.output
    assert "ok: 1 files, 2 terms" in result.out


@pytest.mark.parametrize("fixture", DEFECTS, ids=[p.stem for p in DEFECTS])
def test_each_defect_is_reported_with_file_and_line(
    fixture: Path, run_cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    line, message = _expectation(fixture)
    directory = _glossary_with(tmp_path, fixture)
    result = run_cli("validate", "--glossary", str(directory), "--quiz", str(_empty_quiz(tmp_path)))
    assert result.code == 1, result.output
    assert "Traceback" not in result.output
    reported = [ln for ln in result.out.splitlines() if f"{fixture.name}:{line}:" in ln]
    assert reported, f"no problem reported at {fixture.name}:{line}; got:\n{result.out}"
    assert any(message in ln for ln in reported), f"expected {message!r} at line {line}; got:\n{result.out}"
    # The background file is clean: nothing may be blamed on it.
    assert "base.yaml" not in result.out or fixture.stem == "duplicate-id"


def test_all_problems_are_reported_in_one_run(run_cli: Callable[..., CliResult], tmp_path: Path) -> None:
    directory = _glossary_with(tmp_path, *DEFECTS)
    result = run_cli("validate", "--glossary", str(directory), "--quiz", str(_empty_quiz(tmp_path)))
    assert result.code == 1
    for fixture in DEFECTS:
        line, _ = _expectation(fixture)
        assert f"{fixture.name}:{line}:" in result.out, fixture.name


def test_json_format_lists_problems(run_cli: Callable[..., CliResult], tmp_path: Path) -> None:
    directory = _glossary_with(tmp_path, FIXTURES / "glossary" / "defects" / "unknown-tag.yaml")
    result = run_cli(
        "validate", "--format", "json", "--glossary", str(directory), "--quiz", str(_empty_quiz(tmp_path))
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


BASE = (VALID / "base.yaml").read_text(encoding="utf-8")
"""The background file (``\\n`` line ends, Japanese text from line 6 on)."""


def _write_base(directory: Path, lines: list[str], newline: str = "\n") -> Path:
    directory.mkdir(exist_ok=True)
    target = directory / "base.yaml"
    target.write_bytes((newline.join(lines) + newline).encode("utf-8"))
    return target


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"], ids=["lf", "crlf", "cr"])
@pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b", "\x7f"], ids=["nul", "bel", "esc", "del"])
@pytest.mark.parametrize("line", [2, 9, 27, 28], ids=["before-japanese", "after-japanese", "late", "last"])
def test_a_character_yaml_refuses_is_reported_at_its_line_and_column(
    run_cli: Callable[..., CliResult], tmp_path: Path, newline: str, char: str, line: int
) -> None:
    lines = BASE.splitlines()
    column = len(lines[line - 1]) + 1
    lines[line - 1] += char
    _write_base(tmp_path / "glossary", lines, newline)
    (tmp_path / "quiz").mkdir()
    args = ("validate", "--format", "json", "--glossary", str(tmp_path / "glossary"))
    result = run_cli(*args, "--quiz", str(tmp_path / "quiz"))
    assert result.code == 1, result.output
    problems = json.loads(result.out)["problems"]
    assert [(p["line"], p["column"]) for p in problems] == [(line, column)], problems
    assert f"U+{ord(char):04X}" in problems[0]["message"]


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x85"], ids=["ls", "ps", "nel"])
def test_an_invisible_line_separator_is_reported_and_later_lines_keep_their_numbers(
    run_cli: Callable[..., CliResult], tmp_path: Path, separator: str
) -> None:
    lines = BASE.replace("target: node", "target: nodd").splitlines()
    assert lines[12].startswith('    en: "Symbols such as')  # line 13, a quoted text
    lines[12] = lines[12].replace("such as ", f"such as{separator}")
    _write_base(tmp_path / "glossary", lines)
    result = run_cli("validate", "--glossary", str(tmp_path / "glossary"), "--quiz", str(tmp_path))
    assert result.code == 1, result.output
    reported = [ln.split(": ", 1) for ln in result.out.splitlines()[:-1]]
    by_line = {where.rsplit(":", 1)[1]: message for where, message in reported}
    assert sorted(by_line) == ["13", "15"], result.out
    assert f"U+{ord(separator):04X}" in by_line["13"]
    assert "relation target 'nodd'" in by_line["15"]


def test_a_line_separator_that_breaks_the_yaml_is_reported_on_the_editor_line(tmp_path: Path) -> None:
    lines = BASE.splitlines()
    lines[9] = lines[9].replace("unit, a group", "unit,\u2028a group")  # a plain text: the YAML breaks
    _write_base(tmp_path / "glossary", lines)
    result = load_glossary(tmp_path / "glossary")
    column = lines[9].index("\u2028") + 1
    assert [(p.source.line, p.source.column) for p in result.problems] == [(10, column), (11, 14)]
    assert "U+2028" in result.problems[0].message
    assert "YAML syntax error" in result.problems[1].message


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"], ids=["lf", "crlf", "cr"])
def test_a_byte_that_is_not_utf8_is_reported_at_its_line_and_character_column(
    tmp_path: Path, newline: str
) -> None:
    lines = BASE.splitlines()
    column = len(lines[8]) + 1  # after the Japanese summary: characters, not bytes
    target = _write_base(tmp_path / "glossary", lines, newline)
    raw = target.read_bytes()
    end_of_line_9 = raw.index("まとまり。".encode()) + len("まとまり。".encode())
    target.write_bytes(raw[:end_of_line_9] + b"\xff" + raw[end_of_line_9:])
    problems = load_glossary(tmp_path / "glossary").problems
    assert [(p.source.line, p.source.column) for p in problems] == [(9, column)]
    assert f"at column {column})" in problems[0].message


def test_a_quiz_folder_given_explicitly_must_exist(run_cli: Callable[..., CliResult], tmp_path: Path) -> None:
    directory = _glossary_with(tmp_path)
    missing = tmp_path / "quizz"
    for verb in (("validate",), ("quiz", "--count", "1")):
        result = run_cli(*verb, "--glossary", str(directory), "--quiz", str(missing), stdin="")
        assert result.code == 2, (verb, result.output)
        assert f"quiz directory '{missing}' does not exist" in result.err, result.output
        assert "Traceback" not in result.output
    a_file = tmp_path / "quiz.yaml"
    a_file.write_text("- id: x\n", encoding="utf-8")
    result = run_cli("validate", "--glossary", str(directory), "--quiz", str(a_file))
    assert result.code == 2
    assert f"quiz directory '{a_file}' is not a directory" in result.err, result.output


def test_the_default_quiz_folder_may_be_absent(run_cli: Callable[..., CliResult], tmp_path: Path) -> None:
    _glossary_with(tmp_path)
    result = run_cli("validate", cwd=tmp_path)
    assert result.code == 0, result.output
    assert result.out.strip() == "ok: 1 files, 2 terms"


@pytest.mark.parametrize(
    "verb", [("validate",), ("new", "helm", "--category", "tool"), ("stats",)], ids=lambda v: v[0]
)
def test_a_glossary_path_that_is_a_file_is_not_a_folder(
    run_cli: Callable[..., CliResult], tmp_path: Path, verb: tuple[str, ...]
) -> None:
    readme = tmp_path / "README.md"
    readme.write_text("# notes\n", encoding="utf-8")
    result = run_cli(*verb, "--glossary", str(readme))
    assert result.code in (1, 2), result.output
    assert f"glossary directory '{readme}' is not a directory" in result.output
    assert "does not exist" not in result.output
    assert readme.read_text(encoding="utf-8") == "# notes\n"


def test_the_summary_counts_the_terms_read_even_when_there_are_errors(
    run_cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    directory = _glossary_with(tmp_path, FIXTURES / "glossary" / "defects" / "unknown-tag.yaml")
    (directory / "broken.yaml").write_text("- id: [\n", encoding="utf-8")  # unreadable: no terms
    args = ("--glossary", str(directory), "--quiz", str(_empty_quiz(tmp_path)))
    result = run_cli("validate", *args)
    assert result.code == 1
    assert result.out.splitlines()[-1] == "2 error(s) found (3 files, 3 terms read, 0 questions)"
    document = json.loads(run_cli("validate", "--format", "json", *args).out)
    assert (document["files"], document["terms"]) == (3, 3)
