"""Validation entry point used by ``k8skb validate`` (the checks themselves live in ``handwritten``).

Flow: read and check every ``quiz/*.yaml`` against the glossary → (problems, number of questions).
"""

from __future__ import annotations

from pathlib import Path

from k8skb.glossary.loader import Problem
from k8skb.glossary.model import Glossary
from k8skb.quiz.handwritten import load_quiz_dir


def validate_quiz_dir(quiz_dir: Path, glossary: Glossary | None) -> tuple[list[Problem], int]:
    """Validate the quiz files for ``k8skb validate``: (problems, number of valid questions)."""
    result = load_quiz_dir(quiz_dir, glossary)
    return result.problems, len(result.questions)
