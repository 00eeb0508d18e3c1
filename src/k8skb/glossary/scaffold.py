"""Scaffolding a new glossary entry (``k8skb new``): choose the file, render a YAML skeleton.

The skeleton leaves every text empty on purpose: ``k8skb validate`` then points at each line the
maintainer still has to write, in both languages, so a half-written entry cannot slip through.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from k8skb.glossary.lines import EDITOR_BREAK

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
    """Return the YAML skeleton of a new entry (``\\n`` line ends)."""
    return SKELETON.format(id=term_id, category=category)


def line_end(text: str) -> str:
    """Return the line end most lines of ``text`` use (``\\n``, ``\\r\\n`` or ``\\r``; ``\\n`` if none)."""
    ends = Counter(EDITOR_BREAK.findall(text))
    return ends.most_common(1)[0][0] if ends else "\n"


def append_entry(existing: str, skeleton: str) -> tuple[str, int]:
    """Return the file text with ``skeleton`` appended, and the 1-based line where the entry starts.

    The file keeps what it has: a leading byte order mark (``\\ufeff``) and its line ends, which
    the appended lines take too. An empty ``existing`` starts a new file with the modeline.
    """
    bom = "\ufeff" if existing.startswith("\ufeff") else ""
    body = existing.removeprefix(bom) or MODELINE
    newline = line_end(body)
    if not body.endswith(("\n", "\r")):
        body += newline
    line = len(EDITOR_BREAK.findall(body)) + 1
    return bom + body + skeleton.replace("\n", newline), line
