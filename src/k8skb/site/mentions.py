"""Term mentions in rendered pages become links to the term, with its summary as tooltip.

Flow: ``build_matcher`` compiles every name and aka of one language into one regex shaped like a
trie (longest match first; ASCII names need word boundaries; Japanese has no spaces, but a
katakana name must not be cut out of a longer katakana word: サービス is not linked inside
マネージドサービス) → ``link_mentions`` parses a page's rendered HTML with
selectolax, walks its text nodes while skipping headings, code, existing links, diagrams and
anything marked ``k8skb-nolink`` → the first mention of each term (never the page's own term)
is marked with private-use placeholders, the tree is serialized (which escapes the text), and
the placeholders become ``<a href title>`` tags.

Why rendered HTML and not Markdown: after rendering, "inside a heading / code / link" is a fact
of the tree, whereas in Markdown it depends on every syntax extension (fences, reference links,
admonition titles, attribute lists) and on raw HTML blocks.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from selectolax.lexbor import LexborHTMLParser, LexborNode

from k8skb.glossary.model import Glossary
from k8skb.site.text import attr

SKIPPED_TAGS = frozenset(
    {
        "a", "h1", "h2", "h3", "h4", "h5", "h6", "code", "pre", "kbd", "samp", "script", "style", "svg",
        "title", "textarea", "button", "select", "option", "label", "nav", "head", "template", "noscript",
    }
)  # fmt: skip
"""Elements whose text is never linked (inside them, a link is wrong, impossible or noise)."""

SKIPPED_CLASSES = frozenset({"k8skb-nolink", "admonition-title", "md-button", "headerlink"})
"""Classes marking an element whose text is never linked."""

_WORD = "A-Za-z0-9_"
_KANA = "\u30a1-\u30fa\u30fc"  # katakana letters and the long-vowel mark ー
_OPEN, _MID, _CLOSE = "\ue000", "\ue001", "\ue002"
_PLACEHOLDER = re.compile(f"{_OPEN}(\\d+){_MID}")


@dataclass(frozen=True, slots=True, kw_only=True)
class MentionMatcher:
    """The compiled names of one language: surface string → term id."""

    lang: str
    surfaces: dict[str, str]
    pattern: re.Pattern[str] | None = field(default=None)

    def find(self, text: str) -> Iterator[tuple[int, int, str]]:
        """Yield ``(start, end, term_id)`` for each non-overlapping mention in ``text``, left to right."""
        if self.pattern is None:
            return
        for match in self.pattern.finditer(text):
            term_id = self.surfaces.get(match.group(0))
            if term_id is not None:
                yield match.start(), match.end(), term_id


def surfaces_for(glossary: Glossary, lang: str) -> dict[str, str]:
    """Return every surface form of every term in ``lang`` (name, aka; English also capitalized/plural).

    In Japanese, a term whose Japanese name is written in Latin letters (resource kinds such as
    Service or Pod, per the Kubernetes Japanese localization guide) is not linked by its katakana
    aka: in Japanese prose, サービス or デプロイ means the ordinary word, while the kind is written
    "Service". The aka still serves search.
    """
    out: dict[str, str] = {}
    for entry in glossary:
        latin_name = lang == "ja" and entry.name.ja.isascii()
        akas = [a for a in entry.aka.get(lang) if not (latin_name and _is_katakana(a))]
        for name in (entry.name.get(lang), *akas):
            for form in _forms(name.strip(), lang):
                if len(form) >= 2:
                    out.setdefault(form, entry.id)
    return out


def _forms(name: str, lang: str) -> Iterable[str]:
    if lang != "en" or not name:
        return (name,)
    first = {name, name[0].swapcase() + name[1:]}
    if not name[-1].isalpha():
        return first
    return first | {f + "s" for f in first} | {f + "es" for f in first if f.endswith(("s", "x", "sh", "ch"))}


def build_matcher(glossary: Glossary, lang: str) -> MentionMatcher:
    """Compile the names and aka of ``glossary`` in ``lang`` into a matcher."""
    surfaces = surfaces_for(glossary, lang)
    pattern = re.compile(trie_regex(surfaces)) if surfaces else None
    return MentionMatcher(lang=lang, surfaces=surfaces, pattern=pattern)


def _is_katakana(text: str) -> bool:
    return bool(text) and re.fullmatch(f"[{_KANA}・]+", text) is not None


@dataclass(slots=True)
class _TrieNode:
    children: dict[str, _TrieNode] = field(default_factory=dict)
    end: str | None = None  # None: no word ends here; else the class a following character must not be in


def trie_regex(words: Iterable[str]) -> str:
    """Return a regex matching any of ``words``, longest first, with ASCII word boundaries where needed."""
    root = _TrieNode()
    for word in words:
        node = root
        for ch in word:
            node = node.children.setdefault(ch, _TrieNode())
        node.end = _boundary(word[-1])
    branches = []
    for ch, child in sorted(root.children.items()):
        boundary = _boundary(ch)
        start = f"(?<![{boundary}])" if boundary else ""
        branches.append(start + re.escape(ch) + _node_regex(child))
    return "(?:" + "|".join(branches) + ")"


def _boundary(ch: str) -> str:
    """The characters that must not touch a name that starts or ends with ``ch`` ("" for none)."""
    if ch.isascii() and (ch.isalnum() or ch == "_"):
        return _WORD
    if re.match(f"[{_KANA}]", ch):
        return _KANA
    return ""


def _node_regex(node: _TrieNode) -> str:
    branches = [re.escape(ch) + _node_regex(child) for ch, child in sorted(node.children.items())]
    if node.end is not None:
        branches.append(f"(?![{node.end}])" if node.end else "")
    if len(branches) == 1:
        return branches[0]
    return "(?:" + "|".join(branches) + ")"


def link_mentions(
    html: str,
    matcher: MentionMatcher,
    href_for: Callable[[str], str],
    tooltip_for: Callable[[str], str],
    self_id: str | None = None,
) -> str:
    """Return ``html`` with the first mention of each term (other than ``self_id``) turned into a link."""
    if matcher.pattern is None or not html.strip():
        return html
    tree = LexborHTMLParser(html)
    body = tree.body
    if body is None:
        return html
    seen: set[str] = {self_id} if self_id else set()
    anchors: list[str] = []
    for node in list(_text_nodes(body)):
        text = node.text_content or ""
        marked = _mark(text, matcher, seen, anchors, href_for, tooltip_for)
        if marked != text:
            node.replace_with(marked)
    if not anchors:
        return html
    out = body.html or ""
    out = out.removeprefix("<body>").removesuffix("</body>")
    out = _PLACEHOLDER.sub(lambda m: anchors[int(m.group(1))], out)
    return out.replace(_CLOSE, "</a>")


def _text_nodes(node: LexborNode) -> Iterator[LexborNode]:
    """Yield the text nodes under ``node`` that may hold a link, pruning skipped subtrees."""
    child = node.child
    while child is not None:
        if child.tag == "-text":
            yield child
        elif child.tag and not child.tag.startswith("-") and not _skipped(child):
            yield from _text_nodes(child)
        child = child.next


def _skipped(node: LexborNode) -> bool:
    if node.tag in SKIPPED_TAGS:
        return True
    classes = (node.attributes.get("class") or "").split()
    return any(c in SKIPPED_CLASSES for c in classes)


def _mark(
    text: str,
    matcher: MentionMatcher,
    seen: set[str],
    anchors: list[str],
    href_for: Callable[[str], str],
    tooltip_for: Callable[[str], str],
) -> str:
    if _OPEN in text or _CLOSE in text:
        return text
    pieces: list[str] = []
    last = 0
    for start, end, term_id in matcher.find(text):
        if term_id in seen:
            continue
        seen.add(term_id)
        anchors.append(
            f'<a class="k8skb-term" href="{attr(href_for(term_id))}" title="{attr(tooltip_for(term_id))}">'
        )
        pieces.append(f"{text[last:start]}{_OPEN}{len(anchors) - 1}{_MID}{text[start:end]}{_CLOSE}")
        last = end
    if not pieces:
        return text
    return "".join(pieces) + text[last:]
