"""Writing rules shared by glossary validation and the quiz lint: stand-alone statements, Japanese style.

Flow: each rule is a small function from one text to what is wrong with it (``None`` or an empty
list when nothing is), so ``validate.py`` can report a glossary line and ``quiz/lint.py`` a question.

- ``reply_opening``: a statement asked on its own must not open like a reply. It fails when its
  first word is a demonstrative pointing back at something unsaid or a reply word: in English ``That``,
  ``This``, ``These``, ``Those``, ``They``, ``Such``, ``No``, ``Yes``, ``Nope``, ``Actually``,
  ``Rather``, ``Instead``, ``Exactly``, ``Indeed``, ``Wrong``, ``True``, ``False``, ``Correct``, ``But``,
  ``And``, ``Also``; in Japanese the demonstratives それ・その・そう・そこ・これ・この・こう・ここ・
  あれ・あの and the openers いいえ・はい・いや・実は・むしろ・ただし・でも・しかし・だから・なので・
  つまり・誤り・違います・正しくは.
  (``It`` is allowed: "It is fine to …" has a subject of its own.)
- ``ja_style``: the kubernetes.io/ja rules the site follows: no full-width （ ） ： (only ！ and ？
  are full-width), no space between Japanese and Latin letters, digits or inline code, and none of
  the colloquialisms ふつう, いちばん, 面倒を見る / 面倒をみる (write 通常, 最も, 管理する).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

REPLY_EN = (
    "that",
    "this",
    "these",
    "those",
    "they",
    "such",
    "no",
    "yes",
    "nope",
    "actually",
    "rather",
    "instead",
    "exactly",
    "indeed",
    "wrong",
    "true",
    "false",
    "correct",
    "but",
    "and",
    "also",
)
"""English first words that make a statement read as a reply (compared case-insensitively)."""

REPLY_JA = (
    "それ",
    "その",
    "そう",
    "そこ",
    "これ",
    "この",
    "こう",
    "ここ",
    "あれ",
    "あの",
    "いいえ",
    "はい",
    "いや",
    "実は",
    "むしろ",
    "ただし",
    "でも",
    "しかし",
    "だから",
    "なので",
    "つまり",
    "誤り",
    "違います",
    "正しくは",
)
"""Japanese openings that make a statement read as a reply."""

_FIRST_WORD = re.compile(r"[A-Za-z']+")
_OPENING_NOISE = "\"'“”‘’「『(（ \t\n"

FULL_WIDTH = "（）："
"""Full-width punctuation the Japanese texts write half-width: ( ) :."""

COLLOQUIAL = ("ふつう", "いちばん", "面倒を見る", "面倒をみる")
"""Colloquialisms the Japanese texts avoid (通常, 最も, 管理する instead)."""

_JA_CHAR = r"[\u3041-\u309f\u30a0-\u30ff\u4e00-\u9fff々、。「」]"
_LATIN = r"[A-Za-z0-9`]"
SPACED = re.compile(rf"{_JA_CHAR}[ \u3000]+{_LATIN}|{_LATIN}[ \u3000]+{_JA_CHAR}")
"""A space between a Japanese character and a Latin letter, digit or code span (either order)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class StyleIssue:
    """One breach of the Japanese style rules: which rule (``check``) and the offending text."""

    check: str
    found: str


def reply_opening(text: str, lang: str) -> str | None:
    """Return the opening that makes ``text`` read as a reply rather than a statement, or ``None``."""
    stripped = text.lstrip(_OPENING_NOISE)
    if lang == "en":
        match = _FIRST_WORD.match(stripped)
        word = match.group(0) if match else ""
        return word if word.casefold() in REPLY_EN else None
    for opening in REPLY_JA:
        if stripped.startswith(opening):
            return opening
    return None


def ja_style(text: str) -> list[StyleIssue]:
    """Every breach of the Japanese style rules in ``text`` (a Japanese text)."""
    issues = [StyleIssue(check="ja-fullwidth", found=ch) for ch in FULL_WIDTH if ch in text]
    issues.extend(StyleIssue(check="ja-spacing", found=m.group(0)) for m in SPACED.finditer(text))
    issues.extend(StyleIssue(check="ja-colloquial", found=w) for w in COLLOQUIAL if w in text)
    return issues
