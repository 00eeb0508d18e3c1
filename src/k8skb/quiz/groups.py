"""Groups of questions that must not meet in one quiz: near-identical true/false statements.

Flow: ``near_duplicates`` finds every pair of true/false questions whose statements say almost the
same thing → ``assign_groups`` joins those pairs, and the two statements of one misconception
(``gen:tf-wrong:<term>:<n>`` and ``gen:tf-right:<term>:<n>``: the one gives the other away), into
groups, and names each group after its first question id. The bank carries ``group``; the terminal
quiz (``schedule.select_questions``) and the site (``quiz.js``) take at most one question per group
into a draw.

Near-duplicate, simply: the English statements share at least ``SIMILARITY`` (Jaccard) of their
content words (lowercase words of three or more letters and digits, minus a short stop list). The
English text is the reference because both languages say the same thing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import replace
from itertools import combinations

from k8skb.quiz.model import Question

SIMILARITY = 0.4
"""Share of content words from which two statements count as near-duplicates."""

STOP_WORDS = frozenset(
    [
        "the",
        "and",
        "for",
        "that",
        "with",
        "this",
        "are",
        "was",
        "not",
        "its",
        "from",
        "into",
        "only",
        "one",
        "has",
        "have",
        "can",
        "any",
        "all",
        "but",
        "does",
        "than",
        "then",
        "when",
        "what",
        "which",
        "who",
        "will",
        "your",
        "you",
        "them",
        "they",
        "their",
        "there",
        "those",
        "these",
        "such",
        "also",
        "more",
        "most",
        "each",
        "every",
    ]
)

_WORD = re.compile(r"[a-z0-9]+")
_MISCONCEPTION = re.compile(r"^gen:tf-(?:wrong|right):(.+)$")


def content_words(text: str) -> frozenset[str]:
    """The words of ``text`` that carry its meaning (lowercase, three or more characters, no stop words)."""
    return frozenset(w for w in _WORD.findall(text.casefold()) if len(w) >= 3 and w not in STOP_WORDS)


def jaccard(x: frozenset[str], y: frozenset[str]) -> float:
    """Jaccard similarity of two word sets (0 when both are empty)."""
    union = x | y
    return len(x & y) / len(union) if union else 0.0


def near_duplicates(questions: Sequence[Question]) -> Iterator[tuple[Question, Question, float]]:
    """Every pair of true/false questions whose English statements are near-duplicates."""
    statements = [(q, content_words(q.prompt.en)) for q in questions if q.kind == "truefalse"]
    for (a, x), (b, y) in combinations(statements, 2):
        score = jaccard(x, y)
        if score >= SIMILARITY:
            yield a, b, score


def assign_groups(questions: Sequence[Question]) -> list[Question]:
    """Return ``questions`` with ``group`` set for every question that has a near-duplicate."""
    parent: dict[str, str] = {}
    order = {q.id: i for i, q in enumerate(questions)}

    def find(x: str) -> str:
        while parent.get(x, x) != x:
            x = parent[x]
        return x

    def join(a: str, b: str) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            first, second = sorted((ra, rb), key=lambda r: order[r])
            parent[second] = first
            parent.setdefault(first, first)

    by_misconception: dict[str, str] = {}
    for q in questions:
        match = _MISCONCEPTION.match(q.id)
        if match:
            key = match.group(1)
            if key in by_misconception:
                join(by_misconception[key], q.id)
            else:
                by_misconception[key] = q.id
    for a, b, _ in near_duplicates(questions):
        join(a.id, b.id)
    return [replace(q, group=find(q.id)) if q.id in parent else replace(q, group=None) for q in questions]
