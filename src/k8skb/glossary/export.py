"""Views of the glossary for other tools: the JSON export (the machine-readable contract)."""

from __future__ import annotations

import json
from typing import Any

from k8skb.glossary.model import Glossary, GlossaryEntry, LocalizedText


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
        "source": {"path": entry.source.path, "line": entry.source.line},
    }


def glossary_to_json(glossary: Glossary) -> str:
    """Return the whole glossary as the export JSON document ``{"terms": [...]}``."""
    document = {"terms": [entry_to_dict(e) for e in glossary]}
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
