"""The glossary as a real Anki package (``.apkg``), built with genanki.

One note per term, in a deck per language (``ja``, ``en``) or one bilingual deck (``None``). The note
type has two cards: the term → its summary, and the name in one language → the name in the other
(Anki makes that card only when the two names differ, so "Pod → Pod" is never asked). Note GUIDs,
the note type id and the deck id are derived from the term id and the deck's language, never from
the run: re-importing a newer export updates the learner's notes (and keeps their review history)
instead of adding duplicates. Field values are HTML in Anki, so every glossary text is escaped.
"""

from __future__ import annotations

import hashlib
import html
import io
import itertools
import sqlite3
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import genanki

from k8skb.glossary.model import Glossary, GlossaryEntry
from k8skb.glossary.taxonomy import CATEGORIES

FIELDS: Final = ("TermId", "Name", "OtherName", "Summary", "OtherSummary", "AlsoKnownAs", "Category")
"""The note type's fields, in order (the note's ``flds`` column in the package's database)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class _DeckText:
    """What a deck variant is called and the words on its cards."""

    key: str
    deck: str
    summary_card: str
    name_card: str
    name_prompt: str


_DECKS: Final[dict[str | None, _DeckText]] = {
    "ja": _DeckText(
        key="ja",
        deck="k8skb::Kubernetes 用語集",
        summary_card="用語 → 要約",
        name_card="日本語名 → 英語名",
        name_prompt="英語では?",
    ),
    "en": _DeckText(
        key="en",
        deck="k8skb::Kubernetes glossary",
        summary_card="Term → summary",
        name_card="English name → Japanese name",
        name_prompt="In Japanese?",
    ),
    None: _DeckText(
        key="ja+en",
        deck="k8skb::Kubernetes 用語集 / glossary",
        summary_card="用語 → 要約 / Term → summary",
        name_card="日本語名 → 英語名 / Japanese → English name",
        name_prompt="英語では? / In English?",
    ),
}

_CSS: Final = """\
.card { font-family: "Noto Sans CJK JP", "Hiragino Sans", "Yu Gothic", sans-serif; font-size: 20px;
  text-align: center; color: #222; background: #fff; line-height: 1.6; }
.term { font-size: 28px; font-weight: bold; }
.prompt, .category { color: #666; font-size: 16px; }
.summary, .other { text-align: left; margin: 0.5em auto; max-width: 36em; }
.other { color: #444; }
.aka { color: #555; font-size: 16px; }
"""


def stable_id(*parts: str) -> int:
    """Return an Anki id (``[2**30, 2**31)``) derived from ``parts`` only, the same in every run."""
    digest = hashlib.sha256("\x1f".join(("k8skb", *parts)).encode("utf-8")).digest()
    return (1 << 30) | (int.from_bytes(digest[:4], "big") >> 2)


def note_guid(term_id: str, lang: str | None) -> str:
    """Return the GUID of ``term_id``'s note in the ``lang`` deck (``None``: the bilingual deck)."""
    return str(genanki.guid_for("k8skb", _DECKS[lang].key, term_id))


def _model(text: _DeckText) -> genanki.Model:
    back = (
        "{{FrontSide}}<hr id=answer>"
        '<div class="summary">{{Summary}}</div>'
        '{{#OtherSummary}}<div class="other">{{OtherSummary}}</div>{{/OtherSummary}}'
        '{{#AlsoKnownAs}}<div class="aka">{{AlsoKnownAs}}</div>{{/AlsoKnownAs}}'
        '<div class="category">{{Category}}</div>'
    )
    prompt = html.escape(text.name_prompt)
    return genanki.Model(
        stable_id("model", text.key),
        f"k8skb term ({text.key})",
        fields=[{"name": name} for name in FIELDS],
        templates=[
            {"name": text.summary_card, "qfmt": '<div class="term">{{Name}}</div>', "afmt": back},
            {
                "name": text.name_card,
                "qfmt": '{{#OtherName}}<div class="term">{{Name}}</div>'
                f'<div class="prompt">{prompt}</div>{{{{/OtherName}}}}',
                "afmt": '{{FrontSide}}<hr id=answer><div class="term">{{OtherName}}</div>',
            },
        ],
        css=_CSS,
    )


def _fields(entry: GlossaryEntry, lang: str | None) -> list[str]:
    front = lang or "ja"
    other = "en" if front == "ja" else "ja"
    name, other_name = entry.name.get(front), entry.name.get(other)
    category = next(c.label for c in CATEGORIES if c.id == entry.category)
    aka = entry.aka.ja + entry.aka.en if lang is None else entry.aka.get(front)
    values = [
        entry.id,
        name,
        other_name if other_name != name else "",
        entry.summary.get(front),
        entry.summary.en if lang is None else "",
        ", ".join(dict.fromkeys(aka)),
        f"{category.ja} / {category.en}" if lang is None else category.get(front),
    ]
    return [html.escape(v, quote=False) for v in values]


def glossary_to_apkg(glossary: Glossary, lang: str | None, *, timestamp: float | None = None) -> bytes:
    """Return the glossary as an ``.apkg`` file: the ``lang`` deck, or the bilingual deck for ``None``.

    ``timestamp`` (seconds) stamps the notes' modification time, which Anki compares on re-import;
    it defaults to now. The package is built in memory; the database passes through a temporary
    directory that is removed before returning.
    """
    text = _DECKS[lang]
    model = _model(text)
    deck = genanki.Deck(stable_id("deck", text.key), text.deck)
    for entry in glossary:
        tags = [f"k8skb::{t}" for t in dict.fromkeys((entry.category, *entry.tags))]
        deck.add_note(
            genanki.Note(model=model, fields=_fields(entry, lang), tags=tags, guid=note_guid(entry.id, lang))
        )
    stamp = time.time() if timestamp is None else timestamp
    with tempfile.TemporaryDirectory(prefix="k8skb-anki-") as folder:
        database = Path(folder) / "collection.anki2"
        connection = sqlite3.connect(database)
        try:
            genanki.Package(deck).write_to_db(connection.cursor(), stamp, itertools.count(int(stamp * 1000)))
            connection.commit()
        finally:
            connection.close()
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.write(database, "collection.anki2")
            archive.writestr("media", "{}")
    return buffer.getvalue()
