"""Reading a typed answer and checking it, for the terminal quiz.

Flow: ``parse_answer(question, line)`` turns one line of input into a response of the same shape
as the bank's ``answer`` (or ``None`` when it cannot be read); ``is_correct`` compares the two.
Formats, one answer per line (numbers start at 1):

- single: ``2``                 - multiple: ``1,3`` (or ``1 3``)
- truefalse: ``t``/``f`` (also ``true``/``false``, ``y``/``n``, ``1``/``2``, ``○``/``×``)
- ordering: the choice numbers in the right order, ``2 1 3``
- matching: for each numbered row, the letter (or number) of its match, ``b a c`` or ``2,1,3``
"""

from __future__ import annotations

import re
import unicodedata

from k8skb.quiz.model import BankQuestion

Response = int | bool | list[int]

TRUE_WORDS = frozenset({"t", "true", "y", "yes", "1", "o", "○", "〇", "正", "正しい", "はい"})
FALSE_WORDS = frozenset({"f", "false", "n", "no", "2", "x", "×", "誤", "誤り", "いいえ"})


def _tokens(line: str) -> list[str]:
    return [t for t in re.split(r"[\s,、;]+", unicodedata.normalize("NFKC", line).strip().casefold()) if t]


def _number(token: str, n: int) -> int | None:
    """A 1-based choice number or a letter (a = 1) as a 0-based index, or ``None``."""
    if token.isdigit():
        value = int(token) - 1
    elif len(token) == 1 and "a" <= token <= "z":
        value = ord(token) - ord("a")
    else:
        return None
    return value if 0 <= value < n else None


def parse_answer(question: BankQuestion, line: str) -> Response | None:
    """Read ``line`` as an answer to ``question``; ``None`` when it is not a valid answer."""
    kind = question["kind"]
    tokens = _tokens(line)
    if kind == "truefalse":
        word = "".join(tokens)
        return True if word in TRUE_WORDS else False if word in FALSE_WORDS else None
    n = len(question["choices"])
    numbers = [_number(t, n) for t in tokens]
    if not numbers or any(v is None for v in numbers):
        return None
    values = [v for v in numbers if v is not None]
    if kind == "single":
        return values[0] if len(values) == 1 else None
    if kind == "multiple":
        return sorted(set(values)) if len(set(values)) == len(values) else None
    expected = n if kind == "ordering" else len(question["left"])
    if len(values) != expected or (kind == "ordering" and len(set(values)) != len(values)):
        return None
    return values


def is_correct(question: BankQuestion, response: Response | None) -> bool:
    """True when ``response`` is the answer of ``question``."""
    if response is None:
        return False
    answer = question["answer"]
    if isinstance(answer, bool) or isinstance(response, bool):
        return isinstance(answer, bool) and isinstance(response, bool) and answer == response
    if question["kind"] == "multiple" and isinstance(answer, list) and isinstance(response, list):
        return sorted(answer) == sorted(response)
    return answer == response


def format_answer(question: BankQuestion, ui: dict[str, str]) -> str:
    """The correct answer for feedback: as typed, or the words for true and false."""
    answer = question["answer"]
    if isinstance(answer, bool):
        return ui["true"] if answer else ui["false"]
    return typed_answer(question)


def typed_answer(question: BankQuestion) -> str:
    """The correct answer as one line of input (used by tests and scripts)."""
    answer = question["answer"]
    if isinstance(answer, bool):
        return "t" if answer else "f"
    if isinstance(answer, int):
        return str(answer + 1)
    if question["kind"] == "multiple":
        return ",".join(str(i + 1) for i in answer)
    if question["kind"] == "ordering":
        return " ".join(str(i + 1) for i in answer)
    return " ".join(chr(ord("a") + i) for i in answer)
