"""``k8skb export --format anki``: a real .apkg (zip → sqlite) with stable note GUIDs and two cards."""

from __future__ import annotations

import json
import shutil
import sqlite3
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from helpers import FIXTURES, CliResult
from k8skb.glossary.anki import FIELDS, note_guid

SEP = "\x1f"


def _valid_dir(tmp_path: Path) -> Path:
    directory = tmp_path / "glossary"
    shutil.copytree(FIXTURES / "glossary" / "valid", directory)
    return directory


def _open_deck(path: Path, tmp_path: Path) -> dict[str, Any]:
    """Unzip the package and read its notes, cards, note types and decks from the collection."""
    with zipfile.ZipFile(path) as archive:
        assert set(archive.namelist()) == {"collection.anki2", "media"}
        database = tmp_path / f"{path.stem}.anki2"
        database.write_bytes(archive.read("collection.anki2"))
    connection = sqlite3.connect(database)
    try:
        notes = {
            flds.split(SEP)[0]: {
                "guid": guid,
                "fields": dict(zip(FIELDS, flds.split(SEP), strict=True)),
                "tags": tags.split(),
                "mid": mid,
            }
            for guid, flds, tags, mid in connection.execute("select guid, flds, tags, mid from notes")
        }
        cards = list(connection.execute("select n.flds, c.ord from cards c join notes n on c.nid = n.id"))
        models, decks = connection.execute("select models, decks from col").fetchone()
    finally:
        connection.close()
    return {"notes": notes, "cards": cards, "models": json.loads(models), "decks": json.loads(decks)}


def _export(run_cli: Callable[..., CliResult], directory: Path, out: Path, *lang: str) -> dict[str, Any]:
    result = run_cli("export", "--format", "anki", *lang, "--out", str(out), "--glossary", str(directory))
    assert result.code == 0, result.output
    return _open_deck(out, out.parent)


def test_one_note_per_term_with_tags_two_card_templates_and_escaped_fields(
    run_cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    deck = _export(run_cli, _valid_dir(tmp_path), tmp_path / "ja.apkg", "--lang", "ja")
    assert sorted(deck["notes"]) == ["node", "pod"]
    pod, node = deck["notes"]["pod"], deck["notes"]["node"]
    assert pod["fields"]["Name"] == "Pod"
    assert pod["fields"]["Summary"] == "同じノードで一緒に動く1つ以上のコンテナのまとまり。"
    assert pod["fields"]["OtherName"] == "", "the same name in both languages makes no name card"
    assert node["fields"]["Name"] == "ノード"
    assert node["fields"]["OtherName"] == "Node"
    assert pod["tags"] == ["k8skb::resource", "k8skb::fundamental", "k8skb::workload"]
    (model,) = deck["models"].values()
    assert [f["name"] for f in model["flds"]] == list(FIELDS)
    assert len(model["tmpls"]) == 2
    cards = sorted((flds.split(SEP)[0], ordinal) for flds, ordinal in deck["cards"])
    assert cards == [("node", 0), ("node", 1), ("pod", 0)]
    assert any(d["name"] == "k8skb::Kubernetes 用語集" for d in deck["decks"].values())


def test_english_and_bilingual_decks(run_cli: Callable[..., CliResult], tmp_path: Path) -> None:
    directory = _valid_dir(tmp_path)
    english = _export(run_cli, directory, tmp_path / "en.apkg", "--lang", "en")
    assert english["notes"]["node"]["fields"]["Name"] == "Node"
    assert english["notes"]["node"]["fields"]["OtherName"] == "ノード"
    assert english["notes"]["node"]["fields"]["Summary"] == "A machine that runs Pods."
    both = _export(run_cli, directory, tmp_path / "both.apkg")
    node = both["notes"]["node"]["fields"]
    assert (node["Summary"], node["OtherSummary"]) == ("Podを動かすマシン。", "A machine that runs Pods.")
    assert node["Category"] == "アーキテクチャ / Architecture"
    guids = {english["notes"]["node"]["guid"], both["notes"]["node"]["guid"]}
    assert len(guids) == 2, "each deck has its own notes: importing both decks keeps both"


def test_guids_are_stable_across_exports_and_across_an_edited_summary(
    run_cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    directory = _valid_dir(tmp_path)
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    (tmp_path / "three").mkdir()
    first = _export(run_cli, directory, tmp_path / "one" / "deck.apkg", "--lang", "ja")
    second = _export(run_cli, directory, tmp_path / "two" / "deck.apkg", "--lang", "ja")
    base = directory / "base.yaml"
    base.write_text(
        base.read_text(encoding="utf-8").replace("Podを動かすマシン。", "Podを実際に動かすマシン。"),
        encoding="utf-8",
    )
    edited = _export(run_cli, directory, tmp_path / "three" / "deck.apkg", "--lang", "ja")
    assert edited["notes"]["node"]["fields"]["Summary"] == "Podを実際に動かすマシン。"
    for term in ("pod", "node"):
        assert first["notes"][term]["guid"] == second["notes"][term]["guid"] == edited["notes"][term]["guid"]
        assert first["notes"][term]["guid"] == note_guid(term, "ja")
        assert first["notes"][term]["mid"] == edited["notes"][term]["mid"], "the note type keeps its id"
    assert first["decks"].keys() == edited["decks"].keys(), "the deck keeps its id"


def test_html_in_glossary_text_reaches_anki_escaped(
    run_cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    directory = _valid_dir(tmp_path)
    base = directory / "base.yaml"
    base.write_text(
        base.read_text(encoding="utf-8").replace("A machine that runs Pods.", '"A machine (AT&T; a < b)."'),
        encoding="utf-8",
    )
    deck = _export(run_cli, directory, tmp_path / "en.apkg", "--lang", "en")
    assert deck["notes"]["node"]["fields"]["Summary"] == "A machine (AT&amp;T; a &lt; b)."


def test_the_tab_separated_text_is_kept_as_anki_text(
    run_cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    directory = _valid_dir(tmp_path)
    text = run_cli("export", "--format", "anki-text", "--out", "-", "--glossary", str(directory)).out
    assert text.startswith("#separator:tab\n")
    assert "k8skb-node\tノード\t" in text
