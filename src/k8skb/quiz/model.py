"""Typed records of quiz questions, in both languages.

A ``Question`` is built either by the generator (from glossary entries) or from a hand-written YAML
entry; ``bank.py`` turns it into the one-language JSON form (``BankQuestion``) that the site's
``quiz.js`` and the terminal quiz read. The kinds themselves are registered in ``kinds.py``. The answer
has the same shape in both forms (a tuple becomes a JSON list), per kind:

- ``single``: index of the correct choice (int)
- ``multiple``: sorted indexes of every correct choice (tuple of int)
- ``truefalse``: whether the statement in the prompt is true (bool); no choices
- ``ordering``: indexes of ``choices`` (as shown) in the correct order, first to last
- ``matching``: for each ``left`` item, the index of its partner in ``choices`` (the right column)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypedDict

from k8skb.glossary.model import LocalizedText, Source

Answer = int | bool | tuple[int, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Question:
    """One question in both languages; ``id`` is stable across builds and seeds."""

    id: str
    kind: str
    prompt: LocalizedText
    choices: tuple[LocalizedText, ...]
    answer: Answer
    explanation: LocalizedText
    terms: tuple[str, ...]
    category: str
    difficulty: int = 1
    left: tuple[LocalizedText, ...] = ()
    origin: str = "generated"
    source: Source | None = None
    group: str | None = None
    """Questions sharing a group are never drawn together (``groups.assign_groups`` sets it)."""


class BankQuestion(TypedDict):
    """A question in one language, as stored in the JSON bank (``answer`` as in ``Question``)."""

    id: str
    kind: str
    prompt: str
    choices: list[str]
    left: list[str]
    answer: int | bool | list[int]
    explanation: str
    terms: list[str]
    category: str
    difficulty: int
    origin: str
    group: str | None
