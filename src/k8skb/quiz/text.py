"""Small text helpers shared by the generator and the validator: masking names, comparing choices.

Flow: ``names_of`` collects every name a term is known by (both languages, other names included);
``mask`` hides those names in a sentence so a summary used as a prompt does not give its answer
away; ``leaks`` tells whether any of those names is still visible; ``norm`` is the comparison key
used to refuse repeated choices.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from k8skb.glossary.model import GlossaryEntry

BLANK = {"ja": "＿＿＿", "en": "___"}
"""What a hidden name is replaced with, per language."""


def names_of(entry: GlossaryEntry) -> tuple[str, ...]:
    """Every name of ``entry`` in both languages (names and other names), longest first."""
    names = {entry.name.ja, entry.name.en, *entry.aka.all()}
    return tuple(sorted((n for n in names if len(n.strip()) >= 2), key=lambda n: (-len(n), n)))


def norm(text: str) -> str:
    """The comparison key of a text: NFKC, case-folded, spaces collapsed."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


@lru_cache(maxsize=4096)
def _pattern(names: tuple[str, ...]) -> re.Pattern[str]:
    parts = []
    for name in names:
        body = re.escape(name)
        before = r"(?<![A-Za-z0-9])" if name[:1].isascii() and name[:1].isalnum() else ""
        after = r"(?:e?s)?(?![A-Za-z0-9])" if name[-1:].isascii() and name[-1:].isalnum() else ""
        part = before + body + after
        # Case-insensitive only where there is case: IGNORECASE over kana and kanji made Python's
        # regex compiler work out case variants of every character (most of the quiz build's time).
        parts.append(f"(?i:{part})" if any(c.isascii() and c.isalpha() for c in name) else part)
    return re.compile("|".join(parts))


def mask(text: str, names: Iterable[str], lang: str) -> str:
    """Replace every occurrence of ``names`` in ``text`` with a blank."""
    ordered = tuple(sorted(set(names), key=lambda n: (-len(n), n)))
    if not ordered:
        return text
    return _pattern(ordered).sub(BLANK[lang], text)


def leaks(text: str, names: Iterable[str]) -> bool:
    """True when any of ``names`` appears in ``text`` as a word (NFKC, case-insensitive)."""
    wanted = tuple(sorted({unicodedata.normalize("NFKC", n) for n in names if len(n.strip()) >= 2}))
    return bool(wanted) and _pattern(wanted).search(unicodedata.normalize("NFKC", text)) is not None
