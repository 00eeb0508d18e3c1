"""Scaffolding a new glossary entry (``k8skb new``): choose the file, render a YAML skeleton.

The skeleton leaves every text empty on purpose: ``k8skb validate`` then points at each line the
maintainer still has to write, in both languages, so a half-written entry cannot slip through.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import Any

SKELETON = """\
- id: {id}
  category: {category}
  name: {{ja: "", en: ""}}
  reading: ""  # kana reading of the Japanese name, for sorting
  aka: {{ja: [], en: []}}
  summary:  # one plain sentence per language; do not repeat the name
    ja: ""
    en: ""
  description:  # a few sentences; Markdown, no raw HTML
    ja: ""
    en: ""
  relations: []  # e.g. {{type: part-of, target: control-plane}}
  misconceptions: []
  references:
    - {{url: "https://kubernetes.io/ja/docs/", lang: ja, title: {{ja: "", en: ""}}}}
    - {{url: "https://kubernetes.io/docs/", lang: en, title: {{ja: "", en: ""}}}}
  tags: []
"""

MODELINE = "# yaml-language-server: $schema=schema.json\n"


def file_for_category(directory: Path, category: str, documents: Mapping[Path, Any]) -> Path:
    """Return the file that holds most entries of ``category`` (else ``<directory>/<category>.yaml``).

    ``documents`` maps every glossary file to its data as read: the choice comes from where the
    entries of the category already live, whatever the file is called (``tools.yaml`` holds the
    ``tool`` entries). A tie goes to the first file in name order.
    """
    counts: Counter[Path] = Counter()
    for path in sorted(documents):
        data = documents[path]
        if isinstance(data, list):
            counts.update(
                path for item in data if isinstance(item, dict) and item.get("category") == category
            )
    if counts:
        return counts.most_common(1)[0][0]
    return directory / f"{category}.yaml"


def render_skeleton(term_id: str, category: str) -> str:
    """Return the YAML skeleton of a new entry."""
    return SKELETON.format(id=term_id, category=category)


def append_entry(existing: str, skeleton: str) -> tuple[str, int]:
    """Return the file text with ``skeleton`` appended, and the 1-based line where the entry starts."""
    text = existing if existing else MODELINE
    if not text.endswith("\n"):
        text += "\n"
    return text + skeleton, text.count("\n") + 1
