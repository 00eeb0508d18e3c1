"""The quiz in a terminal: one question at a time, immediate feedback, a score at the end.

Flow: ``play`` walks the selected bank questions → ``render`` shows one as a rich panel (all text
goes through ``rich.text.Text``, never markup, so glossary content cannot inject styles; long lines
are broken by ``wrapping.Wrapped``: hanging indents, Japanese broken between characters with the
kinsoku rules) → one
line is read (``LineReader``: an interactive prompt on a TTY, plain lines from a pipe) and checked
→ feedback with the explanation → the Leitner record is updated and saved → after the last
question (or the end of input: unanswered questions count as wrong) the missed questions are
listed and the last line is always ``Score: X/N``. On a TTY an unreadable answer is asked again;
from a pipe it counts as wrong, so a script can never hang.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from rich.console import Console, Group, JustifyMethod
from rich.panel import Panel
from rich.text import Text

from k8skb.quiz.answers import Response, format_answer, is_correct, parse_answer
from k8skb.quiz.kinds import KIND
from k8skb.quiz.mastery import GROUPS, WORDS, CategoryProgress
from k8skb.quiz.model import BankQuestion
from k8skb.quiz.progress import save_progress
from k8skb.quiz.schedule import Record, review
from k8skb.quiz.wrapping import Wrapped, WrappedTable


@dataclass(slots=True)
class LineReader:
    """Reads answers: ``console.input`` on a terminal, ``readline`` otherwise; ``None`` at end of input."""

    stream: TextIO
    console: Console
    interactive: bool

    def read(self, prompt: str) -> str | None:
        """Return one line without its newline, or ``None`` when input has ended."""
        if self.interactive:
            try:
                return self.console.input(Text(f"{prompt} > ", style="bold cyan"))
            except EOFError:
                return None
        line = self.stream.readline()
        return None if line == "" else line.rstrip("\r\n")


@dataclass(slots=True)
class Outcome:
    """What a session produced."""

    score: int = 0
    total: int = 0
    missed: list[BankQuestion] = field(default_factory=list)


def render(
    question: BankQuestion, number: int, total: int, ui: dict[str, str], categories: dict[str, str]
) -> Panel:
    """The panel showing one question (prompt, hint and numbered choices)."""
    kind = question["kind"]
    body = Wrapped.of(
        (ui[f"{kind}_hint"], "dim"), (question["prompt"], "bold"), (KIND[kind].show_choices(question, ui), "")
    )
    title = f"{ui['question']} {number} {ui['of']} {total} · {categories.get(question['category'], '')}"
    return Panel(body, title=Text(title), title_align="left", border_style="blue")


def feedback(
    question: BankQuestion, correct: bool, ui: dict[str, str], term_names: dict[str, str], note: str | None
) -> Group:
    """Coloured feedback: right or wrong, the answer, the explanation and the tested terms."""
    lines: list[tuple[str, str]] = []
    if note:
        lines.append((note, "yellow"))
    if correct:
        lines.append(("✔ " + ui["correct"], "bold green"))
    else:
        lines.append((f"✘ {ui['wrong']} {ui['answer_was']}: {format_answer(question, ui)}", "bold red"))
    lines.append((question["explanation"], ""))
    names = ", ".join(term_names.get(t, t) for t in question["terms"])
    lines.append((f"{ui['terms']}: {names}", "dim"))
    return Group(Wrapped.of(*lines), Text(""))


def play(
    questions: Sequence[BankQuestion],
    *,
    ui: dict[str, str],
    categories: dict[str, str],
    term_names: dict[str, str],
    reader: LineReader,
    console: Console,
    records: dict[str, Record],
    progress_path: Path | None,
    now_ms: Callable[[], int],
    intervals: Sequence[int],
) -> Outcome:
    """Ask every question in turn; update and save ``records``; return the outcome."""
    outcome = Outcome(total=len(questions))
    for number, question in enumerate(questions, start=1):
        console.print(render(question, number, len(questions), ui, categories))
        response, note, ended = _ask(question, ui, reader)
        if ended:
            outcome.missed.extend(questions[number - 1 :])
            break
        correct = is_correct(question, response)
        outcome.score += int(correct)
        if not correct:
            outcome.missed.append(question)
        console.print(feedback(question, correct, ui, term_names, note))
        records[question["id"]] = review(records.get(question["id"]), correct, now_ms(), intervals)
        if progress_path is not None:
            warning = save_progress(progress_path, records)
            if warning:
                console.print(Text(warning, style="yellow"))
                progress_path = None
    return outcome


def _ask(
    question: BankQuestion, ui: dict[str, str], reader: LineReader
) -> tuple[Response | None, str | None, bool]:
    """Read an answer: (response, note about unreadable input, input ended)."""
    hint = ui[f"prompt_{question['kind']}"]
    while True:
        line = reader.read(hint)
        if line is None:
            return None, None, True
        response = parse_answer(question, line)
        if response is not None or not reader.interactive:
            note = None if response is not None else f"{ui['invalid']}: {line!r}"
            return response, note, False
        reader.console.print(Text(f"{ui['invalid']} ({hint})", style="yellow"))


def summary(outcome: Outcome, ui: dict[str, str], console: Console) -> None:
    """Print the missed questions, then the score line (always the last line)."""
    if outcome.total:
        if outcome.missed:
            console.print(Text(ui["review_list"] + ":", style="bold"))
            for q in outcome.missed:
                first = q["prompt"].splitlines()[0] if q["prompt"] else ""
                console.print(Wrapped.of((f"  - [{q['id']}] {first}", "")))
        else:
            console.print(Text(ui["no_missed"], style="green"))
    console.file.flush()
    print(f"Score: {outcome.score}/{outcome.total}", file=sys.stdout, flush=True)


def progress_table(
    progress: Sequence[CategoryProgress], lang: str, categories: dict[str, str]
) -> WrappedTable:
    """The ``k8skb quiz --progress`` table: per category, the number of terms in each group, and a total."""
    words = WORDS[lang]
    right: JustifyMethod = "right"
    return WrappedTable(
        title=words["title"],
        title_justify="left",
        headers=(words["category"], *(words[name] for name in GROUPS)),
        rows=tuple(
            (categories.get(row.category, row.category), *(str(len(row.group(n))) for n in GROUPS))
            for row in progress
        ),
        footers=(words["total"], *(str(sum(len(p.group(name)) for p in progress)) for name in GROUPS)),
        justify=("left", *(right for _ in GROUPS)),
    )
