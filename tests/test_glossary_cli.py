"""The glossary verbs: export, stats, new; and the JSON Schema staying in step with the taxonomy."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import jsonschema
import pytest
import yaml

from helpers import FIXTURES, CliResult
from k8skb.glossary import taxonomy
from k8skb.glossary.export import EXPORTERS
from k8skb.glossary.validate import glossary_schema


def _valid_dir(tmp_path: Path) -> Path:
    directory = tmp_path / "glossary"
    shutil.copytree(FIXTURES / "glossary" / "valid", directory)
    return directory


def _empty_quiz(tmp_path: Path) -> Path:
    """An existing quiz folder without questions (a missing ``--quiz`` folder is an error)."""
    folder = tmp_path / "quiz"
    folder.mkdir(exist_ok=True)
    return folder


def test_export_json_to_stdout(run_cli: Callable[..., CliResult], tmp_path: Path) -> None:
    result = run_cli("export", "--format", "json", "--out", "-", "--glossary", str(_valid_dir(tmp_path)))
    assert result.code == 0, result.output
    terms = json.loads(result.out)["terms"]
    assert [t["id"] for t in terms] == ["pod", "node"]
    pod = terms[0]
    assert set(pod) >= {
        "id",
        "category",
        "name",
        "aka",
        "summary",
        "description",
        "relations",
        "misconceptions",
        "references",
        "tags",
        "reading",
    }
    assert pod["name"] == {"ja": "Pod", "en": "Pod"}
    assert pod["relations"] == [{"type": "runs-on", "target": "node"}]
    assert pod["source"]["line"] == 3


def test_export_to_a_file_and_refusal_on_errors(run_cli: Callable[..., CliResult], tmp_path: Path) -> None:
    directory = _valid_dir(tmp_path)
    out = tmp_path / "out" / "glossary.json"
    assert run_cli("export", "--out", str(out), "--glossary", str(directory)).code == 0
    assert json.loads(out.read_text(encoding="utf-8"))["terms"][1]["id"] == "node"
    shutil.copy(FIXTURES / "glossary" / "defects" / "unknown-tag.yaml", directory)
    out.unlink()
    result = run_cli("export", "--out", str(out), "--glossary", str(directory))
    assert result.code == 1
    assert "unknown-tag.yaml:8:" in result.err
    assert not out.exists(), "nothing is written when the glossary has errors"
    assert not list(out.parent.glob(".*tmp")), "no temporary file is left behind"


def test_stats_counts_and_gaps(run_cli: Callable[..., CliResult], tmp_path: Path) -> None:
    result = run_cli("stats", "--format", "json", "--glossary", str(_valid_dir(tmp_path)))
    assert result.code == 0, result.output
    stats = json.loads(result.out)
    assert stats["terms"] == 2
    assert stats["per_category"]["resource"] == 1
    assert stats["per_category"]["architecture"] == 1
    assert stats["without_references"] == ["node"]
    assert stats["without_misconceptions"] == ["node"]
    assert stats["without_reference_in"]["en"] == ["pod", "node"]
    text = run_cli("stats", "--glossary", str(_valid_dir(tmp_path / "again")))
    assert "without references (1): node" in text.out


def test_new_scaffolds_an_entry_that_validation_then_flags(
    run_cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    directory = _valid_dir(tmp_path)
    result = run_cli("new", "stateful-set", "--category", "resource", "--glossary", str(directory))
    assert result.code == 0, result.output
    text = (directory / "base.yaml").read_text(encoding="utf-8")
    assert "- id: stateful-set" in text
    assert yaml.safe_load(text)[-1]["category"] == "resource"
    check = run_cli("validate", "--glossary", str(directory), "--quiz", str(_empty_quiz(tmp_path)))
    assert check.code == 1
    assert "field 'summary.ja' is empty" in check.out
    again = run_cli("new", "stateful-set", "--category", "resource", "--glossary", str(directory))
    assert again.code == 1
    assert "already exists" in again.err
    assert run_cli("new", "Bad_Id", "--category", "resource", "--glossary", str(directory)).code == 2


def test_new_creates_a_file_for_a_category_without_one(
    run_cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    directory = _valid_dir(tmp_path)
    assert run_cli("new", "helm", "--category", "tool", "--glossary", str(directory)).code == 0
    created = directory / "tool.yaml"
    assert created.read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=schema.json")


def test_schema_enums_match_the_taxonomy() -> None:
    entry = glossary_schema()["$defs"]["entry"]["properties"]
    assert entry["category"]["enum"] == [c.id for c in taxonomy.CATEGORIES]
    assert set(entry["tags"]["items"]["enum"]) == set(taxonomy.TAGS)
    assert entry["relations"]["items"]["properties"]["type"]["enum"] == [
        r.id for r in taxonomy.RELATION_TYPES
    ]
    jsonschema.Draft202012Validator.check_schema(glossary_schema())


def test_repository_schema_file_is_the_packaged_schema(repo: Path) -> None:
    linked = json.loads((repo / "glossary" / "schema.json").read_text(encoding="utf-8"))
    assert linked == glossary_schema()


def test_every_repository_glossary_file_has_the_modeline(repo: Path) -> None:
    for path in sorted((repo / "glossary").glob("*.yaml")):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first == "# yaml-language-server: $schema=schema.json", path.name


def test_export_csv_anki_and_tbx(run_cli: Callable[..., CliResult], tmp_path: Path) -> None:
    import csv
    import io
    import xml.etree.ElementTree as ET

    directory = _valid_dir(tmp_path)
    rows = list(
        csv.DictReader(
            io.StringIO(run_cli("export", "--format", "csv", "--out", "-", "--glossary", str(directory)).out)
        )
    )
    assert [r["id"] for r in rows] == ["pod", "node"]
    assert rows[0]["aka_ja"] == "ポッド"
    assert rows[0]["summary_en"].startswith("The smallest deployable unit")
    only_en = run_cli(
        "export", "--format", "csv", "--lang", "en", "--out", "-", "--glossary", str(directory)
    ).out
    assert "name_ja" not in only_en.splitlines()[0]

    deck = run_cli(
        "export", "--format", "anki-text", "--lang", "en", "--out", "-", "--glossary", str(directory)
    ).out
    notes = [ln.split("\t") for ln in deck.splitlines() if not ln.startswith("#")]
    assert notes[0][:2] == ["k8skb-pod", "Pod"]
    assert "k8skb::resource" in notes[0][3]
    assert all(len(n) == 4 for n in notes)

    tbx = run_cli("export", "--format", "tbx", "--out", "-", "--glossary", str(directory)).out
    root = ET.fromstring(tbx.encode())
    entries = root.findall("./text/body/termEntry")
    assert [e.get("id") for e in entries] == ["pod", "node"]
    ja_terms = [
        t.text
        for t in entries[0].findall("./langSet[@{http://www.w3.org/XML/1998/namespace}lang='ja']/tig/term")
    ]
    assert ja_terms == ["Pod", "ポッド"]


def test_the_export_format_choices_are_the_exporters(
    run_cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    usage = run_cli("export", "--help").out
    listed = re.search(r"--format \{([^}]*)\}", usage)
    assert listed is not None
    assert listed.group(1).split(",") == list(EXPORTERS)
    directory = _valid_dir(tmp_path)
    for name, exporter in EXPORTERS.items():
        out = tmp_path / "exports" / name
        result = run_cli("export", "--format", name, "--out", str(out), "--glossary", str(directory))
        assert result.code == 0, result.output
        assert out.stat().st_size > 0
        assert f"{name} ({exporter.purpose})" in " ".join(usage.split())
    assert run_cli("export", "--format", "nope", "--out", "-", "--glossary", str(directory)).code == 2
    default = run_cli("export", "--out", "-", "--glossary", str(directory)).out
    assert (
        default
        == run_cli(
            "export", "--format", next(iter(EXPORTERS)), "--out", "-", "--glossary", str(directory)
        ).out
    )


TOOLS = """\
# yaml-language-server: $schema=schema.json
- id: kubectl
  category: tool
  name: {ja: kubectl, en: kubectl}
  reading: きゅーぶこんとろーる
  summary: {ja: 操作するコマンド。, en: The command-line tool.}
  description: {ja: 説明。, en: Text.}
  tags: [tool]
"""


def _snapshot(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir())}


def test_new_appends_to_the_file_where_the_category_lives(
    run_cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    directory = _valid_dir(tmp_path)
    (directory / "tools.yaml").write_text(TOOLS, encoding="utf-8")
    result = run_cli("new", "helm", "--category", "tool", "--glossary", str(directory))
    assert result.code == 0, result.output
    assert f"{directory / 'tools.yaml'}:9: added 'helm'" in result.out
    assert sorted(p.name for p in directory.iterdir()) == ["base.yaml", "tools.yaml"]
    assert [e["id"] for e in yaml.safe_load((directory / "tools.yaml").read_text(encoding="utf-8"))] == [
        "kubectl",
        "helm",
    ]


@pytest.mark.parametrize(
    ("term", "category"), [("helm", "tool"), ("kubectl", "storage"), ("volume", "storage")]
)
def test_new_refuses_while_a_glossary_file_cannot_be_read(
    run_cli: Callable[..., CliResult], tmp_path: Path, term: str, category: str
) -> None:
    directory = _valid_dir(tmp_path)
    (directory / "tools.yaml").write_text(TOOLS.replace("  tags:", "\ttags:"), encoding="utf-8")
    before = _snapshot(directory)
    result = run_cli("new", term, "--category", category, "--glossary", str(directory))
    assert result.code == 1, result.output
    assert f"{directory / 'tools.yaml'}:8: YAML syntax error" in result.err
    assert "added" not in result.output
    assert "Traceback" not in result.output
    assert _snapshot(directory) == before, "nothing is written"


def test_new_refuses_when_a_glossary_path_is_not_a_file(
    run_cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    directory = _valid_dir(tmp_path)
    (directory / "tools.yaml").mkdir()
    result = run_cli("new", "helm", "--category", "tool", "--glossary", str(directory))
    assert result.code == 1, result.output
    assert "tools.yaml:1: a directory, not a regular file" in result.err
    assert sorted(p.name for p in directory.iterdir()) == ["base.yaml", "tools.yaml"]


@pytest.mark.parametrize(
    ("newline", "bom", "final"),
    [
        ("\r\n", "", True),
        ("\r\n", "\ufeff", True),
        ("\r\n", "", False),
        ("\r", "", True),
        ("\n", "\ufeff", False),
    ],
    ids=["crlf", "crlf-bom", "crlf-no-final-newline", "cr", "lf-bom-no-final-newline"],
)
def test_new_keeps_the_line_ends_and_the_bom_of_the_file(
    run_cli: Callable[..., CliResult], tmp_path: Path, newline: str, bom: str, final: bool
) -> None:
    directory = _valid_dir(tmp_path)
    base = directory / "base.yaml"
    lines = base.read_text(encoding="utf-8").splitlines()
    original = (bom + newline.join(lines) + (newline if final else "")).encode("utf-8")
    base.write_bytes(original)
    result = run_cli("new", "stateful-set", "--category", "resource", "--glossary", str(directory))
    assert result.code == 0, result.output
    assert f"base.yaml:{len(lines) + 1}: added 'stateful-set'" in result.out
    raw = base.read_bytes()
    assert raw.startswith(original if final else original + newline.encode())
    assert raw.startswith("\ufeff".encode()) is bool(bom), "the BOM is kept, never added"
    text = raw.decode("utf-8").removeprefix(bom)
    assert set(re.findall(r"\r\n|\r|\n", text)) == {newline}, "every line ends as the file's lines did"
    assert re.split(r"\r\n|\r|\n", text)[len(lines)] == "- id: stateful-set"
    assert yaml.safe_load(text)[-1]["id"] == "stateful-set"


@pytest.mark.parametrize("name", sorted(EXPORTERS))
def test_lang_is_refused_by_the_formats_that_would_ignore_it(
    run_cli: Callable[..., CliResult], tmp_path: Path, name: str
) -> None:
    directory, out = _valid_dir(tmp_path), tmp_path / "out"
    results = {
        lang: run_cli(
            "export", "--format", name, "--lang", lang, "--glossary", str(directory), "--out", str(out / lang)
        )
        for lang in ("ja", "en")
    }
    if EXPORTERS[name].takes_lang:
        assert all(r.code == 0 for r in results.values()), results
        assert (out / "ja").read_bytes() != (out / "en").read_bytes()
    else:
        for lang, result in results.items():
            assert result.code == 2
            assert result.err == (
                f"k8skb: --lang {lang}: --format {name} always has both languages; "
                "--lang applies to csv, anki, anki-text\n"
            )
        assert not out.exists()
