"""Hiding a term's names in a sentence, and comparing choices (shared by the generator and the validator).

Flow: ``names_of`` collects every name a term is known by (both languages, other names included);
``mask`` hides those names in a sentence so a summary used as a prompt does not give its answer
away (a Latin name as a whole word, a katakana name only as a whole katakana word: ノード is hidden
in ノード群 but not in ワーカーノード); ``leaks`` tells whether any of those names is still visible;
``norm`` is the comparison key used to refuse repeated choices.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from k8skb.glossary.model import GlossaryEntry

BLANK = {"ja": "＿＿＿", "en": "___"}
"""What a hidden name is replaced with, per language."""

KATAKANA = "\u30a1-\u30fa\u30fc"
"""Katakana letters and the long-vowel mark ー (as ``site/mentions.py`` counts a katakana word)."""


def _is_kana(char: str) -> bool:
    return bool(char) and ("\u30a1" <= char <= "\u30fa" or char == "\u30fc")


def names_of(entry: GlossaryEntry) -> tuple[str, ...]:
    """Every name of ``entry`` in both languages (names and other names), longest first."""
    names = {entry.name.ja, entry.name.en, *entry.aka.all()}
    return tuple(sorted((n for n in names if len(n.strip()) >= 2), key=lambda n: (-len(n), n)))


def norm(text: str) -> str:
    """The comparison key of a text: NFKC, case-folded, spaces collapsed."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def _caseless(name: str) -> str:
    """``name`` as a regex matching it in any letter case: ``[Pp][Oo][Dd]`` (kana and kanji as they are).

    Letters whose case change is one character pair up; the few that Unicode folds to several (ß)
    or folds from signs (the Kelvin sign K) match only as written. A property test holds the
    pattern to what ``re.IGNORECASE`` would match.
    """
    out = []
    for char in name:
        lower, upper = char.lower(), char.upper()
        if lower != upper and len(lower) == len(upper) == 1:
            out.append(f"[{re.escape(lower)}{re.escape(upper)}]")
        else:
            out.append(re.escape(char))
    return "".join(out)


@lru_cache(maxsize=4096)
def _pattern(names: tuple[str, ...]) -> re.Pattern[str]:
    parts = []
    for name in names:
        before = r"(?<![A-Za-z0-9])" if name[:1].isascii() and name[:1].isalnum() else ""
        after = r"(?:[Ee]?[Ss])?(?![A-Za-z0-9])" if name[-1:].isascii() and name[-1:].isalnum() else ""
        if _is_kana(name[:1]):
            before = f"(?<![{KATAKANA}])"  # a katakana name is a whole katakana word, never part of one
        if _is_kana(name[-1:]):
            after = f"(?![{KATAKANA}])"
        parts.append(before + _caseless(name) + after)
    return re.compile("|".join(parts))


def mask(text: str, names: Iterable[str], lang: str) -> str:
    """Replace every occurrence of ``names`` in ``text`` with a blank."""
    ordered = tuple(sorted(set(names), key=lambda n: (-len(n), n)))
    if not ordered:
        return text
    return _pattern(ordered).sub(BLANK[lang], text)


def leaks(text: str, names: Iterable[str]) -> bool:
    """True when any of ``names`` appears in ``text`` as a word (NFKC, case-insensitive)."""
    normalized = {unicodedata.normalize("NFKC", n) for n in names if len(n.strip()) >= 2}
    wanted = tuple(sorted(normalized, key=lambda n: (-len(n), n)))  # mask's order: one pattern for both
    return bool(wanted) and _pattern(wanted).search(unicodedata.normalize("NFKC", text)) is not None


_CAMEL = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z0-9]+")


def spellings_of(entry: GlossaryEntry) -> tuple[str, ...]:
    """``names_of(entry)`` plus each Latin name spelled as separate words (LoadBalancer → Load Balancer).

    A prompt that spells a choice's name out ("puts a load balancer in front") echoes it as much as
    one that writes the name, so the generator masks these spellings too and the lint looks for them.
    """
    names = list(names_of(entry))
    for name in tuple(names):
        if not name.isascii():
            continue
        words = _CAMEL.findall(name)
        spelled = " ".join(words)
        if len(words) > 1 and all(len(w) >= 2 for w in words) and norm(spelled) != norm(name):
            names.append(spelled)
    return tuple(sorted(set(names), key=lambda n: (-len(n), n)))
