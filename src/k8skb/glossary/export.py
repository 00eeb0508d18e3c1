"""Views of the glossary for other tools.

JSON is the machine-readable contract (every field, with the source line); CSV is for spreadsheets;
the Anki package (``anki.py``, binary ``.apkg``) and the tab-separated Anki text are for learners'
flash cards; TBX-Basic is for translators' terminology tools. Each function is pure: glossary in,
text (or bytes) out. ``EXPORTERS`` maps each ``k8skb export --format`` name to its function; the
CLI's choices and help come from it and the CLI writes the result atomically.

Adding a format: write its ``glossary_to_<format>`` function here and add one ``EXPORTERS`` entry.
"""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from k8skb.glossary.anki import glossary_to_apkg
from k8skb.glossary.model import Glossary, GlossaryEntry, LocalizedText
from k8skb.glossary.taxonomy import LANGUAGES


def _text(text: LocalizedText) -> dict[str, str]:
    return {"ja": text.ja, "en": text.en}


def entry_to_dict(entry: GlossaryEntry) -> dict[str, Any]:
    """Return ``entry`` as plain JSON-ready data (the export's term record)."""
    return {
        "id": entry.id,
        "category": entry.category,
        "name": _text(entry.name),
        "reading": entry.reading,
        "aka": {"ja": list(entry.aka.ja), "en": list(entry.aka.en)},
        "summary": _text(entry.summary),
        "description": _text(entry.description),
        "relations": [{"type": r.type, "target": r.target} for r in entry.relations],
        "related": list(entry.related),
        "misconceptions": [{"wrong": _text(m.wrong), "right": _text(m.right)} for m in entry.misconceptions],
        "references": [{"url": r.url, "lang": r.lang, "title": _text(r.title)} for r in entry.references],
        "tags": list(entry.tags),
        "component": entry.component,
        "source": {"path": entry.source.path, "line": entry.source.line},
    }


def glossary_to_json(glossary: Glossary) -> str:
    """Return the whole glossary as the export JSON document ``{"terms": [...]}``."""
    document = {"terms": [entry_to_dict(e) for e in glossary]}
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def glossary_to_csv(glossary: Glossary, langs: tuple[str, ...] = ("ja", "en")) -> str:
    """Return one CSV row per term; localized columns are suffixed with the language (``name_ja``)."""
    header: list[str] = ["id", "category"]
    for lang in langs:
        header += [f"name_{lang}", f"aka_{lang}", f"summary_{lang}"]
    header += ["reading", "tags", "source"]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for entry in glossary:
        row: list[str] = [entry.id, entry.category]
        for lang in langs:
            row += [entry.name.get(lang), "; ".join(entry.aka.get(lang)), entry.summary.get(lang)]
        row += [entry.reading, " ".join(entry.tags), str(entry.source)]
        writer.writerow(row)
    return buffer.getvalue()


def glossary_to_anki_text(glossary: Glossary, lang: str) -> str:
    """Return a tab-separated Anki deck: the term on the front, its summary (and other names) on the back.

    The header lines tell Anki (2.1.54+) the separator, that fields are plain text, and which column
    holds the tags; the first column is the term id, so re-importing updates notes instead of duplicating.
    """
    other = "en" if lang == "ja" else "ja"
    lines = ["#separator:tab", "#html:false", "#guid column:1", "#tags column:4"]
    for entry in glossary:
        front = entry.name.get(lang)
        also = [entry.name.get(other), *entry.aka.get(lang)]
        back = entry.summary.get(lang) + (f" ({', '.join(dict.fromkeys(also))})" if also else "")
        tags = " ".join(f"k8skb::{t}" for t in dict.fromkeys((entry.category, *entry.tags)))
        lines.append("\t".join(_tsv(v) for v in (f"k8skb-{entry.id}", front, back, tags)))
    return "\n".join(lines) + "\n"


def _tsv(value: str) -> str:
    return value.replace("\t", " ").replace("\r", " ").replace("\n", " ")


def glossary_to_tbx(glossary: Glossary) -> str:
    """Return the glossary as TBX-Basic (TermBase eXchange) XML, the format translation tools import."""
    root = ET.Element("martif", {"type": "TBX-Basic", "xml:lang": "ja"})
    header = ET.SubElement(ET.SubElement(ET.SubElement(root, "martifHeader"), "fileDesc"), "sourceDesc")
    ET.SubElement(header, "p").text = "k8skb: Kubernetes fundamentals glossary (Japanese / English)"
    body = ET.SubElement(ET.SubElement(root, "text"), "body")
    for entry in glossary:
        term_entry = ET.SubElement(body, "termEntry", {"id": entry.id})
        ET.SubElement(term_entry, "descrip", {"type": "subjectField"}).text = entry.category
        for lang in ("ja", "en"):
            lang_set = ET.SubElement(term_entry, "langSet", {"xml:lang": lang})
            ET.SubElement(lang_set, "descrip", {"type": "definition"}).text = entry.summary.get(lang)
            names = [(entry.name.get(lang), "fullForm"), *((a, "synonym") for a in entry.aka.get(lang))]
            for text, term_type in names:
                tig = ET.SubElement(lang_set, "tig")
                ET.SubElement(tig, "term").text = text
                ET.SubElement(tig, "termNote", {"type": "termType"}).text = term_type
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


@dataclass(frozen=True, slots=True, kw_only=True)
class Exporter:
    """One export format: what it is for (shown in ``--help``) and how the glossary is written in it."""

    purpose: str
    write: Callable[[Glossary, str | None], str | bytes]
    """Glossary and the ``--lang`` option (``None``: both languages, or the format's default) → text,
    or bytes for a binary format (written as they are)."""
    takes_lang: bool = False
    """Whether ``--lang`` changes the output; the CLI refuses ``--lang`` for a format that would ignore it."""


EXPORTERS: Final[Mapping[str, Exporter]] = {
    "json": Exporter(purpose="everything", write=lambda glossary, lang: glossary_to_json(glossary)),
    "csv": Exporter(
        purpose="spreadsheet",
        takes_lang=True,
        write=lambda glossary, lang: glossary_to_csv(glossary, (lang,) if lang else LANGUAGES),
    ),
    "anki": Exporter(
        purpose="Anki .apkg deck; no --lang: one bilingual deck", write=glossary_to_apkg, takes_lang=True
    ),
    "anki-text": Exporter(
        purpose="Anki text, tab separated",
        write=lambda glossary, lang: glossary_to_anki_text(glossary, lang or "ja"),
        takes_lang=True,
    ),
    "tbx": Exporter(purpose="terminology tools", write=lambda glossary, lang: glossary_to_tbx(glossary)),
}
"""Every export format by its ``--format`` name; the first is the default."""
