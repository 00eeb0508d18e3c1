"""Question kinds: one registry entry per kind, holding everything that differs from kind to kind.

A ``Kind`` says, for one kind of question:

- hand-written YAML: which fields it uses (``fields``; every other kind's field is refused), how the
  entry's own fields are checked (``check_entry``) and turned into choices and an answer
  (``build_entry``);
- the bank JSON: how the answer is stored (``to_bank``);
- the terminal: how the choices are shown (``show_choices``), how a typed line is read
  (``read``), how a response is checked (``is_correct``), the answer as typed (``typed``) and as
  shown after a miss (``shown``), and the line in ``k8skb quiz --help`` (``label``, ``example``);
- the words around it, in both languages: the hint above the prompt (``hint``, the bank's
  ``<kind>_hint``) and the terminal's input prompt (``prompt``, the bank's ``prompt_<kind>``).

``REGISTRY`` lists the kinds in the order the bank lists them; ``KINDS`` (their names) and ``KIND``
(by name) derive from it. The shape of each kind's answer is described in ``model.py``.

Adding a kind: write its functions and one ``Kind(...)`` entry here and add it to ``REGISTRY``;
if the generator should make questions of it, add a rule to ``generate.py``. The site's quiz
(``docs/assets/quiz.js``) renders and checks each kind itself (``render``, ``isCorrect``,
``answerText``), so the new kind needs its branches there too; ``quiz/FORMAT.md`` documents the YAML.
"""

from __future__ import annotations

import random
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final, Protocol

from k8skb.glossary.model import LocalizedText, Source
from k8skb.quiz.model import Answer, BankQuestion

Response = int | bool | list[int]
"""A learner's answer as read from one typed line: same shape as the bank's ``answer``."""

BankAnswer = int | bool | list[int]
"""An answer as stored in the bank JSON."""

TRUE_WORDS: Final = frozenset({"t", "true", "y", "yes", "1", "o", "○", "〇", "正", "正しい", "はい"})
FALSE_WORDS: Final = frozenset({"f", "false", "n", "no", "2", "x", "×", "誤", "誤り", "いいえ"})


class EntryChecker(Protocol):
    """What a kind's ``check_entry`` may use of the hand-written entry being checked (``handwritten``)."""

    data: Any

    def at(self, *key: str | int) -> Source:
        """The source position of ``key`` inside the entry."""
        ...

    def fail(self, where: Source, message: str) -> None:
        """Report a problem of the entry."""
        ...

    def text(self, value: Any, key: tuple[str | int, ...]) -> bool:
        """Check a ``{ja, en}`` text at ``key``; True when it is usable."""
        ...

    def texts(self, key: str, minimum: int) -> list[dict[str, str]]:
        """Check the list of texts at ``key``; return it when every item is usable."""
        ...

    def no_repeats(self, items: list[dict[str, str]], key: str, part: str | None = None) -> None:
        """Report items of ``items`` that repeat an earlier one."""
        ...


@dataclass(frozen=True, slots=True, kw_only=True)
class Built:
    """What a hand-written entry contributes beyond the fields every kind shares."""

    choices: tuple[LocalizedText, ...] = ()
    left: tuple[LocalizedText, ...] = ()
    answer: Answer


@dataclass(frozen=True, slots=True, kw_only=True)
class Kind:
    """One kind of question: everything that differs from kind to kind (see the module docstring)."""

    name: str
    label: str
    example: str
    hint: LocalizedText
    prompt: LocalizedText
    fields: frozenset[str]
    check_entry: Callable[[EntryChecker], None]
    build_entry: Callable[[Mapping[str, Any], random.Random], Built]
    to_bank: Callable[[Answer], BankAnswer]
    show_choices: Callable[[BankQuestion, Mapping[str, str]], str]
    read: Callable[[BankQuestion, list[str]], Response | None]
    is_correct: Callable[[BankQuestion, Response], bool]
    typed: Callable[[BankQuestion], str]
    shown: Callable[[BankQuestion, Mapping[str, str]], str]


# --- helpers shared by several kinds -------------------------------------------------------------


def localized(value: Mapping[str, str]) -> LocalizedText:
    """A checked ``{ja, en}`` YAML mapping as a ``LocalizedText`` (surrounding space removed)."""
    return LocalizedText(ja=value["ja"].strip(), en=value["en"].strip())


def shuffled(
    items: Sequence[LocalizedText], rng: random.Random
) -> tuple[tuple[LocalizedText, ...], tuple[int, ...]]:
    """Shuffle ``items`` (never leaving them in order); return them and, per original item, its new index."""
    order = list(range(len(items)))
    while order == sorted(order):
        rng.shuffle(order)
    return tuple(items[i] for i in order), tuple(order.index(i) for i in range(len(items)))


def tokens(line: str) -> list[str]:
    """The words of a typed line: NFKC, case-folded, split at spaces, commas and semicolons."""
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


def _numbers(question: BankQuestion, words: list[str]) -> list[int] | None:
    """Every word as a choice index, or ``None`` when there is none or one is not a choice."""
    n = len(question["choices"])
    numbers = [_number(t, n) for t in words]
    if not numbers or any(v is None for v in numbers):
        return None
    return [v for v in numbers if v is not None]


def _ints(question: BankQuestion) -> list[int]:
    """The bank answer as a list of indexes (one item for a single choice)."""
    answer = question["answer"]
    return list(answer) if isinstance(answer, list) else [int(answer)]


def _listed(answer: Answer) -> BankAnswer:
    """The answer for JSON: a tuple of indexes as a list, a number or a truth value as it is."""
    return list(answer) if isinstance(answer, tuple) else answer


def _equal(question: BankQuestion, response: Response) -> bool:
    answer = question["answer"]
    return not isinstance(answer, bool) and not isinstance(response, bool) and answer == response


def _numbered(question: BankQuestion, ui: Mapping[str, str]) -> str:
    del ui
    return "".join(f"\n  {i + 1}. {choice}" for i, choice in enumerate(question["choices"]))


def _typed_shown(typed: Callable[[BankQuestion], str]) -> Callable[[BankQuestion, Mapping[str, str]], str]:
    def shown(question: BankQuestion, ui: Mapping[str, str]) -> str:
        del ui
        return typed(question)

    return shown


def _where_answer(entry: EntryChecker) -> Source:
    return entry.at("answer") if "answer" in entry.data else entry.at()


def _check_choice_answer(entry: EntryChecker, multiple: bool) -> None:
    """Choices (2 or more) and an answer of 1-based choice numbers (a list for ``multiple``)."""
    choices = entry.texts("choices", 2)
    if not choices:
        return
    n = len(choices)
    answer = entry.data.get("answer")
    where = _where_answer(entry)
    values = answer if isinstance(answer, list) and multiple else [answer]
    if not values or not all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        shape = "a list of choice numbers" if multiple else "a choice number"
        entry.fail(where, f"answer must be {shape} (1 to {n})")
        return
    for v in values:
        if not 1 <= v <= n:
            entry.fail(where, f"answer {v} is out of range: there are {n} choices (numbered from 1)")
    if len(set(values)) != len(values):
        entry.fail(where, "answer lists the same choice twice")


def _build_choice(data: Mapping[str, Any], rng: random.Random, multiple: bool) -> Built:
    """Choices shuffled unless ``shuffle: false``; the 1-based answer turned into shown indexes."""
    texts = [localized(c) for c in data["choices"]]
    order = list(range(len(texts)))
    if data.get("shuffle", True):
        rng.shuffle(order)
    given = data["answer"] if multiple else [data["answer"]]
    picked = sorted(order.index(v - 1) for v in given)
    return Built(choices=tuple(texts[i] for i in order), answer=tuple(picked) if multiple else picked[0])


# --- single: one correct choice; answer = its index ----------------------------------------------


def _read_single(question: BankQuestion, words: list[str]) -> Response | None:
    values = _numbers(question, words)
    return values[0] if values is not None and len(values) == 1 else None


SINGLE: Final = Kind(
    name="single",
    label="single choice",
    example="2",
    hint=LocalizedText(ja="正しいものを1つ選んでください。", en="Choose one answer."),
    prompt=LocalizedText(ja="番号を入力", en="number"),
    fields=frozenset({"choices", "answer", "shuffle"}),
    check_entry=lambda entry: _check_choice_answer(entry, multiple=False),
    build_entry=lambda data, rng: _build_choice(data, rng, multiple=False),
    to_bank=_listed,
    show_choices=_numbered,
    read=_read_single,
    is_correct=_equal,
    typed=lambda question: str(_ints(question)[0] + 1),
    shown=_typed_shown(lambda question: str(_ints(question)[0] + 1)),
)


# --- multiple: every correct choice; answer = their sorted indexes -------------------------------


def _read_multiple(question: BankQuestion, words: list[str]) -> Response | None:
    values = _numbers(question, words)
    if values is None or len(set(values)) != len(values):
        return None
    return sorted(set(values))


def _correct_multiple(question: BankQuestion, response: Response) -> bool:
    answer = question["answer"]
    if isinstance(answer, list) and isinstance(response, list):
        return sorted(answer) == sorted(response)
    return _equal(question, response)


def _typed_multiple(question: BankQuestion) -> str:
    return ",".join(str(i + 1) for i in _ints(question))


MULTIPLE: Final = Kind(
    name="multiple",
    label="multiple select",
    example="1,3",
    hint=LocalizedText(ja="当てはまるものをすべて選んでください。", en="Select every answer that applies."),
    prompt=LocalizedText(
        ja="番号をカンマ区切りで入力（例: 1,3）", en="numbers separated by commas (e.g. 1,3)"
    ),
    fields=frozenset({"choices", "answer", "shuffle"}),
    check_entry=lambda entry: _check_choice_answer(entry, multiple=True),
    build_entry=lambda data, rng: _build_choice(data, rng, multiple=True),
    to_bank=_listed,
    show_choices=_numbered,
    read=_read_multiple,
    is_correct=_correct_multiple,
    typed=_typed_multiple,
    shown=_typed_shown(_typed_multiple),
)


# --- truefalse: the prompt is a statement; answer = whether it is true; no choices ----------------


def _check_truefalse(entry: EntryChecker) -> None:
    if not isinstance(entry.data.get("answer"), bool):
        entry.fail(_where_answer(entry), "a truefalse answer must be true or false")


def _read_truefalse(question: BankQuestion, words: list[str]) -> Response | None:
    del question
    word = "".join(words)
    return True if word in TRUE_WORDS else False if word in FALSE_WORDS else None


def _correct_truefalse(question: BankQuestion, response: Response) -> bool:
    answer = question["answer"]
    return isinstance(answer, bool) and isinstance(response, bool) and answer == response


TRUEFALSE: Final = Kind(
    name="truefalse",
    label="true/false",
    example="t or f (also 1 or 2)",
    hint=LocalizedText(ja="次の文は正しいですか、誤りですか。", en="Is this statement true or false?"),
    prompt=LocalizedText(ja="t（正しい）または f（誤り）", en="t (true) or f (false)"),
    fields=frozenset({"answer"}),
    check_entry=_check_truefalse,
    build_entry=lambda data, rng: Built(answer=bool(data["answer"])),
    to_bank=_listed,
    show_choices=lambda question, ui: f"\n  t) {ui['true']}    f) {ui['false']}",
    read=_read_truefalse,
    is_correct=_correct_truefalse,
    typed=lambda question: "t" if question["answer"] else "f",
    shown=lambda question, ui: ui["true"] if question["answer"] else ui["false"],
)


# --- ordering: choices written in the right order; answer = shown indexes, first to last ----------


def _check_ordering(entry: EntryChecker) -> None:
    entry.texts("choices", 2)


def _build_ordering(data: Mapping[str, Any], rng: random.Random) -> Built:
    choices, answer = shuffled([localized(c) for c in data["choices"]], rng)
    return Built(choices=choices, answer=answer)


def _read_ordering(question: BankQuestion, words: list[str]) -> Response | None:
    values = _numbers(question, words)
    if values is None or len(values) != len(question["choices"]) or len(set(values)) != len(values):
        return None
    return values


def _typed_ordering(question: BankQuestion) -> str:
    return " ".join(str(i + 1) for i in _ints(question))


ORDERING: Final = Kind(
    name="ordering",
    label="ordering",
    example="the numbers in the right order: 2 1 3",
    hint=LocalizedText(ja="各項目に順番を付けてください。", en="Give each item its position."),
    prompt=LocalizedText(
        ja="番号を正しい順に空白区切りで入力（例: 2 1 3）",
        en="numbers in the right order, separated by spaces (e.g. 2 1 3)",
    ),
    fields=frozenset({"choices"}),
    check_entry=_check_ordering,
    build_entry=_build_ordering,
    to_bank=_listed,
    show_choices=_numbered,
    read=_read_ordering,
    is_correct=_equal,
    typed=_typed_ordering,
    shown=_typed_shown(_typed_ordering),
)


# --- matching: pairs; ``left`` in order, ``choices`` the shuffled right column; answer = per left
# item, the index of its partner in ``choices`` --------------------------------------------------


def _check_pairs(entry: EntryChecker) -> None:
    pairs = entry.data.get("pairs")
    if not isinstance(pairs, list) or len(pairs) < 2:
        where = entry.at("pairs") if "pairs" in entry.data else entry.at()
        entry.fail(where, "a matching question needs 'pairs': a list of at least 2 {left, right} items")
        return
    ok = True
    for i, pair in enumerate(pairs):
        if not isinstance(pair, dict) or set(pair) != {"left", "right"}:
            entry.fail(entry.at("pairs", i), "each pair must have exactly 'left' and 'right'")
            ok = False
            continue
        ok = entry.text(pair["left"], ("pairs", i, "left")) and ok
        ok = entry.text(pair["right"], ("pairs", i, "right")) and ok
    if ok:
        entry.no_repeats([p["left"] for p in pairs], "pairs", "left")
        entry.no_repeats([p["right"] for p in pairs], "pairs", "right")


def _build_matching(data: Mapping[str, Any], rng: random.Random) -> Built:
    left = tuple(localized(p["left"]) for p in data["pairs"])
    choices, answer = shuffled([localized(p["right"]) for p in data["pairs"]], rng)
    return Built(choices=choices, left=left, answer=answer)


def _show_matching(question: BankQuestion, ui: Mapping[str, str]) -> str:
    del ui
    rows = "".join(f"\n  {i + 1}. {left}" for i, left in enumerate(question["left"]))
    columns = "".join(f"\n  {chr(ord('a') + i)}) {right}" for i, right in enumerate(question["choices"]))
    return rows + "\n" + columns


def _read_matching(question: BankQuestion, words: list[str]) -> Response | None:
    values = _numbers(question, words)
    return values if values is not None and len(values) == len(question["left"]) else None


def _typed_matching(question: BankQuestion) -> str:
    return " ".join(chr(ord("a") + i) for i in _ints(question))


MATCHING: Final = Kind(
    name="matching",
    label="matching",
    example="for each numbered row, the letter of its match: b a c (or 2,1,3)",
    hint=LocalizedText(
        ja="左の各項目に合うものを選んでください。", en="Pick the match for each item on the left."
    ),
    prompt=LocalizedText(
        ja="各行に合う記号を順に入力（例: b a c）", en="the letter for each row, in order (e.g. b a c)"
    ),
    fields=frozenset({"pairs"}),
    check_entry=_check_pairs,
    build_entry=_build_matching,
    to_bank=_listed,
    show_choices=_show_matching,
    read=_read_matching,
    is_correct=_equal,
    typed=_typed_matching,
    shown=_typed_shown(_typed_matching),
)


REGISTRY: Final[tuple[Kind, ...]] = (SINGLE, MULTIPLE, TRUEFALSE, ORDERING, MATCHING)
"""Every kind, in the order the bank lists them."""

KIND: Final[Mapping[str, Kind]] = {kind.name: kind for kind in REGISTRY}
"""Every kind by name."""

KINDS: Final[tuple[str, ...]] = tuple(KIND)
"""The names of the kinds, in registry order."""

KIND_FIELDS: Final[frozenset[str]] = frozenset().union(*(kind.fields for kind in REGISTRY))
"""Every YAML field some kind uses; a kind refuses the ones it does not use."""
