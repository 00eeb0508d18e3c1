"""Reading a typed answer and checking it, for the terminal quiz.

Flow: ``parse_answer(question, line)`` splits one line of input into words (``kinds.tokens``) and
lets the question's kind read them into a response of the same shape as the bank's ``answer`` (or
``None`` when it cannot be read); ``is_correct`` compares the two. The formats, one answer per line
(numbers start at 1), are each kind's ``example`` in ``kinds.py``:

- single: ``2``                 - multiple: ``1,3`` (or ``1 3``)
- truefalse: ``t``/``f`` (also ``true``/``false``, ``y``/``n``, ``1``/``2``, ``○``/``×``)
- ordering: the choice numbers in the right order, ``2 1 3``
- matching: for each numbered row, the letter (or number) of its match, ``b a c`` or ``2,1,3``
"""

from __future__ import annotations

from collections.abc import Mapping

from k8skb.quiz.kinds import FALSE_WORDS, KIND, TRUE_WORDS, Response, tokens
from k8skb.quiz.model import BankQuestion

__all__ = [
    "FALSE_WORDS",
    "TRUE_WORDS",
    "Response",
    "format_answer",
    "is_correct",
    "parse_answer",
    "typed_answer",
]


def parse_answer(question: BankQuestion, line: str) -> Response | None:
    """Read ``line`` as an answer to ``question``; ``None`` when it is not a valid answer."""
    return KIND[question["kind"]].read(question, tokens(line))


def is_correct(question: BankQuestion, response: Response | None) -> bool:
    """True when ``response`` is the answer of ``question``."""
    return response is not None and KIND[question["kind"]].is_correct(question, response)


def format_answer(question: BankQuestion, ui: Mapping[str, str]) -> str:
    """The correct answer for feedback: as typed, or the words for true and false."""
    return KIND[question["kind"]].shown(question, ui)


def typed_answer(question: BankQuestion) -> str:
    """The correct answer as one line of input (used by tests and scripts)."""
    return KIND[question["kind"]].typed(question)
