"""Progress by term: what the learner's Leitner records say about each glossary term.

The review store (``progress.py`` for the terminal, ``localStorage`` for the site) keeps one record
per question id; a question tests one or more terms (``BankQuestion.terms``). A term is

- **never seen** when no question testing it has a record;
- **mastered** when every question testing it that has a record is in box ``MASTERED_BOX`` or higher;
- **learning** otherwise;

and it is **due today** when one of those records is due before the end of the learner's day.
``docs/assets/k8skb/progress.js`` (the ``/progress/`` page) computes the same figures the same way;
``WORDS`` holds the words both show, in both languages (the site page carries them in its data).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Final

from k8skb.quiz.model import BankQuestion
from k8skb.quiz.schedule import Record

MASTERED_BOX: Final = 4
"""The lowest Leitner box (of 5) at which a term counts as mastered."""

WORDS: Final[Mapping[str, Mapping[str, str]]] = {
    "ja": {
        "title": "学習の進み具合",
        "intro": (
            "クイズの学習記録から、カテゴリーごとに用語の習得状況を表示します。"
            "ブラウザーのクイズの記録はこのブラウザーに保存されていて、日本語と英語で共通です。"
        ),
        "legend": (
            "習得済み：回答した問題がすべてボックス4以上の用語。学習中：回答した問題のある、それ以外の用語。"
            "未学習：まだ問題に回答していない用語。今日復習：今日中に復習の期限が来る問題のある用語。"
        ),
        "category": "カテゴリー",
        "mastered": "習得済み",
        "learning": "学習中",
        "unseen": "未学習",
        "due": "今日復習",
        "total": "合計",
        "quiz_these": "これらの用語でクイズに挑戦する",
        "reset": "学習記録をリセット",
        "reset_confirm": "このブラウザーに保存されたクイズの学習記録をすべて消去します。よろしいですか？",
        "reset_done": "学習記録をリセットしました。",
        "nothing_yet": "まだクイズに回答していません。",
        "error": "問題を読み込めませんでした。ページを再読み込みしてください。",
        "noscript": (
            "このページを使うにはJavaScriptを有効にしてください。"
            "ターミナルでは k8skb quiz --progress で確認できます。"
        ),
    },
    "en": {
        "title": "Your progress",
        "intro": (
            "How far you are with each term, by category, from your quiz records. The browser quiz keeps "
            "them in this browser, shared by the Japanese and English pages."
        ),
        "legend": (
            "Mastered: every question you answered about the term is in box 4 or higher. Learning: the "
            "other terms you answered questions about. Never seen: no question about the term answered "
            "yet. Due today: a question about the term is due for review before the end of today."
        ),
        "category": "Category",
        "mastered": "Mastered",
        "learning": "Learning",
        "unseen": "Never seen",
        "due": "Due today",
        "total": "Total",
        "quiz_these": "Take a quiz on these terms",
        "reset": "Reset progress",
        "reset_confirm": "This erases all quiz progress stored in this browser. Continue?",
        "reset_done": "Your progress has been reset.",
        "nothing_yet": "You have not answered any quiz question yet.",
        "error": "Could not load the questions. Please reload the page.",
        "noscript": (
            "This page needs JavaScript. In a terminal, k8skb quiz --progress shows the same figures."
        ),
    },
}
"""The progress words, per language (terminal table and site page)."""

GROUPS: Final = ("mastered", "learning", "unseen", "due")
"""The four figures per category, in the order they are shown."""


@dataclass(frozen=True, slots=True, kw_only=True)
class CategoryProgress:
    """The terms of one category in each group (a due term is also mastered or learning)."""

    category: str
    mastered: tuple[str, ...]
    learning: tuple[str, ...]
    unseen: tuple[str, ...]
    due: tuple[str, ...]

    def group(self, name: str) -> tuple[str, ...]:
        """The term ids of group ``name`` (one of ``GROUPS``)."""
        value: tuple[str, ...] = getattr(self, name)
        return value


def end_of_today_ms(now: dt.datetime | None = None) -> int:
    """Epoch milliseconds of the next local midnight (``now``: an aware datetime, default the clock)."""
    current = now or dt.datetime.now().astimezone()
    midnight = (current + dt.timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return int(midnight.timestamp() * 1000)


def category_progress(
    categories: Sequence[tuple[str, Sequence[str]]],
    questions: Iterable[BankQuestion],
    records: Mapping[str, Record],
    due_before_ms: int,
) -> list[CategoryProgress]:
    """Return the groups of every category in ``categories`` (``(category id, term ids)`` pairs)."""
    by_term: dict[str, list[Record]] = {}
    for question in questions:
        record = records.get(question["id"])
        if record is None:
            continue
        for term in question["terms"]:
            by_term.setdefault(term, []).append(record)
    out = []
    for category, terms in categories:
        groups: dict[str, list[str]] = {name: [] for name in GROUPS}
        for term in terms:
            seen = by_term.get(term, [])
            if not seen:
                groups["unseen"].append(term)
                continue
            groups["mastered" if min(r["box"] for r in seen) >= MASTERED_BOX else "learning"].append(term)
            if any(r["due"] < due_before_ms for r in seen):
                groups["due"].append(term)
        out.append(
            CategoryProgress(
                category=category,
                mastered=tuple(groups["mastered"]),
                learning=tuple(groups["learning"]),
                unseen=tuple(groups["unseen"]),
                due=tuple(groups["due"]),
            )
        )
    return out
