"""Build the question bank: every question for one language, as the JSON the site and CLI play.

Flow: generated questions (``generate``) + hand-written ones (``handwritten``) → one list, ids
unique, near-duplicates grouped (``groups``) → ``localize`` each into a ``BankQuestion`` →
``build_bank`` wraps them with the Leitner intervals, category and term labels and UI words →
``bank_json`` serializes it. Generation is deterministic for a seed, so the same glossary and seed
always give byte-identical banks.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from k8skb.glossary.loader import Problem
from k8skb.glossary.model import Glossary
from k8skb.glossary.taxonomy import CATEGORIES
from k8skb.quiz.generate import generate_questions
from k8skb.quiz.groups import assign_groups
from k8skb.quiz.handwritten import load_quiz_dir
from k8skb.quiz.kinds import KIND, KINDS
from k8skb.quiz.model import BankQuestion, Question
from k8skb.quiz.schedule import INTERVALS_DAYS
from k8skb.quiz.words import UI

BANK_VERSION = 1


def all_questions(
    glossary: Glossary, quiz_dir: Path | None, seed: int = 0
) -> tuple[list[Question], list[Problem]]:
    """Generated plus hand-written questions (hand-written first, groups assigned), and the quiz files'
    problems."""
    handwritten: list[Question] = []
    problems: list[Problem] = []
    if quiz_dir is not None and quiz_dir.is_dir():
        loaded = load_quiz_dir(quiz_dir, glossary, seed)
        handwritten, problems = loaded.questions, loaded.problems
    return assign_groups([*handwritten, *generate_questions(glossary, seed)]), problems


def localize(question: Question, lang: str) -> BankQuestion:
    """Return ``question`` in one language, in the bank's JSON shape."""
    return BankQuestion(
        id=question.id,
        kind=question.kind,
        prompt=question.prompt.get(lang),
        choices=[c.get(lang) for c in question.choices],
        left=[c.get(lang) for c in question.left],
        answer=KIND[question.kind].to_bank(question.answer),
        explanation=question.explanation.get(lang),
        terms=list(question.terms),
        category=question.category,
        difficulty=question.difficulty,
        origin=question.origin,
        group=question.group,
    )


def build_bank(glossary: Glossary, questions: list[Question], lang: str) -> dict[str, Any]:
    """Return the bank document for ``lang``."""
    used = {q.category for q in questions}
    term_ids = {t for q in questions for t in q.terms}
    return {
        "version": BANK_VERSION,
        "lang": lang,
        "leitner": {"intervals_days": list(INTERVALS_DAYS)},
        "kinds": list(KINDS),
        "categories": [{"id": c.id, "label": c.label.get(lang)} for c in CATEGORIES if c.id in used],
        "terms": {e.id: e.name.get(lang) for e in glossary if e.id in term_ids},
        "ui": UI[lang],
        "questions": [localize(q, lang) for q in questions],
    }


def bank_json(bank: dict[str, Any]) -> str:
    """Serialize a bank compactly (it is downloaded by every quiz page)."""
    return json.dumps(bank, ensure_ascii=False, separators=(",", ":"), sort_keys=False) + "\n"
