"""Spaced repetition (Leitner boxes) and the choice of questions for one quiz session.

Flow: a learner's record per question id is ``{box, due, seen, missed}`` (due in epoch
milliseconds). ``review`` moves a record after an answer: a miss goes back to box 1 (due at once),
a correct answer climbs one box and waits ``INTERVALS_DAYS[box - 1]`` days. ``select_questions``
shuffles with a seeded ``mulberry32`` generator, puts due questions first, then unseen, then the
rest, and mixes kinds round-robin, skipping a second question of one ``group``.
``docs/assets/quiz.js`` implements the same three functions line for line; the intervals travel in
the bank JSON so the two cannot drift.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Final, TypedDict, TypeVar

INTERVALS_DAYS: Final = (0, 1, 3, 7, 14)
"""Days to wait before asking again, per Leitner box 1–5."""

DAY_MS: Final = 86_400_000
_MASK: Final = 0xFFFFFFFF

T = TypeVar("T")


class Record(TypedDict):
    """What the learner's progress keeps for one question id."""

    box: int
    due: int
    seen: int
    missed: int


def review(
    record: Record | None, correct: bool, now_ms: int, intervals: Sequence[int] = INTERVALS_DAYS
) -> Record:
    """Return the record after one answer (a new question counts as box 1 before it)."""
    previous = record["box"] if record else 1
    box = min(previous + 1, len(intervals)) if correct else 1
    return Record(
        box=box,
        due=now_ms + intervals[box - 1] * DAY_MS,
        seen=(record["seen"] if record else 0) + 1,
        missed=(record["missed"] if record else 0) + (0 if correct else 1),
    )


def mulberry32(seed: int) -> Callable[[], float]:
    """Return a generator of floats in [0, 1): the same sequence as ``mulberry32`` in quiz.js."""
    state = seed & _MASK

    def imul(a: int, b: int) -> int:
        return (a * b) & _MASK

    def next_float() -> float:
        nonlocal state
        state = (state + 0x6D2B79F5) & _MASK
        t = imul(state ^ (state >> 15), state | 1)
        t = ((t + imul(t ^ (t >> 7), t | 61)) & _MASK) ^ t
        return ((t ^ (t >> 14)) & _MASK) / 4294967296

    return next_float


def shuffle(items: Sequence[T], rng: Callable[[], float]) -> list[T]:
    """Return a Fisher–Yates shuffle of ``items`` driven by ``rng``."""
    out = list(items)
    for i in range(len(out) - 1, 0, -1):
        j = int(rng() * (i + 1))
        out[i], out[j] = out[j], out[i]
    return out


def rank(record: Record | None, now_ms: int) -> int:
    """0 when due for review, 1 when never seen, 2 when it can wait."""
    if record is None:
        return 1
    return 0 if record["due"] <= now_ms else 2


Q = TypeVar("Q", bound=Mapping[str, object])


def select_questions(
    questions: Sequence[Q],
    progress: Mapping[str, Record],
    now_ms: int,
    count: int,
    seed: int,
    review_only: bool = False,
) -> list[Q]:
    """Pick up to ``count`` questions: due first, then unseen, then the rest; kinds mixed round-robin.

    At most one question of a ``group`` (near-identical statements) is picked: a later one is skipped.
    """
    pool = shuffle(questions, mulberry32(seed))
    ranked = [(rank(progress.get(str(q["id"])), now_ms), q) for q in pool]
    if review_only:
        ranked = [(r, q) for r, q in ranked if r == 0]
    ranked.sort(key=lambda pair: pair[0])
    queues: dict[str, list[Q]] = {}
    for _, q in ranked:
        queues.setdefault(str(q["kind"]), []).append(q)
    picked: list[Q] = []
    groups: set[str] = set()
    while len(picked) < count and any(queues.values()):
        for queue in queues.values():
            if queue and len(picked) < count:
                q = queue.pop(0)
                group = q.get("group")
                if isinstance(group, str):
                    if group in groups:
                        continue  # a near-duplicate of a question already picked
                    groups.add(group)
                picked.append(q)
    return picked
