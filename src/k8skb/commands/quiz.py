"""``k8skb quiz`` (take a quiz in the terminal) and ``k8skb quiz export`` (write a JSON bank).

Flow: load the glossary (problems → exit 1) → all questions (generated + hand-written) → the bank
for the chosen language → either write it (``export``) or filter by category, pick questions with
the Leitner schedule and play them (``terminal.play``), saving progress after every answer.
"""

from __future__ import annotations

import argparse
import secrets
import sys
import time
from typing import Any

from rich.console import Console

from k8skb.commands.common import add_glossary_option, add_quiz_option, glossary_or_exit, print_problems
from k8skb.fileio import STANDARD_OUTPUT, output_file, write_text_atomic
from k8skb.glossary.taxonomy import CATEGORIES, CATEGORY_IDS, LANGUAGES
from k8skb.quiz.bank import all_questions, bank_json, build_bank
from k8skb.quiz.kinds import REGISTRY
from k8skb.quiz.mastery import category_progress, end_of_today_ms
from k8skb.quiz.model import BankQuestion
from k8skb.quiz.progress import ProgressError, load_progress, progress_file
from k8skb.quiz.schedule import select_questions
from k8skb.quiz.terminal import LineReader, play, progress_table, summary

ANSWER_FORMATS = "\n".join(
    [
        "answers, one per line (numbers start at 1):",
        *(f"  {kind.label:<16} {kind.example}" for kind in REGISTRY),
        "the last line printed is always 'Score: X/N'; unanswered questions count as wrong.",
    ]
)
"""The help's list of answer formats, one line per kind."""


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _add_sources(parser: argparse.ArgumentParser) -> None:
    add_glossary_option(parser)
    add_quiz_option(parser)


def register(subparsers: Any) -> None:
    """Register the ``quiz`` verb and its ``export`` action."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "quiz",
        help="take a quiz in the terminal, or export the question bank",
        description="Take a quiz in the terminal (interactive, or answers piped one per line).",
        epilog=ANSWER_FORMATS,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--lang", choices=LANGUAGES, default="ja", help="language (default: ja)")
    parser.add_argument("--category", choices=sorted(CATEGORY_IDS), help="only questions of this category")
    parser.add_argument(
        "--count", type=_positive, default=10, metavar="N", help="number of questions (default: 10)"
    )
    parser.add_argument(
        "--seed", type=int, help="seed for the choice and order of questions (default: random)"
    )
    parser.add_argument("--review", action="store_true", help="only the questions that are due for review")
    parser.add_argument(
        "--progress",
        action="store_true",
        help="show, per category (only --category's when given), the terms mastered, learning, never seen "
        "and due today; ask nothing",
    )
    _add_sources(parser)
    parser.set_defaults(func=run)
    actions = parser.add_subparsers(dest="quiz_action", metavar="ACTION")
    export = actions.add_parser(
        "export",
        help="write the JSON question bank the site uses",
        description="Write the JSON question bank of one language (the file the site's quiz reads).",
    )
    export.add_argument("--lang", choices=LANGUAGES, default="ja", help="language of the bank (default: ja)")
    export.add_argument("--out", required=True, metavar="FILE", help="output file ('-' for standard output)")
    export.add_argument(
        "--seed", type=int, default=0, help="seed for choice order (default: 0, as on the site)"
    )
    _add_sources(export)
    export.set_defaults(func=run_export)
    checker = actions.add_parser(
        "lint",
        help="check every question of the bank for teaching-quality defects",
        description="Check the whole question bank, both languages, for the defects listed in "
        "k8skb.quiz.lint (giveaways, statements without a subject, near-duplicates, Japanese style); "
        "print each as 'file:line: message' or 'question-id: message', then the count per class.",
    )
    _add_sources(checker)
    checker.set_defaults(func=run_lint)


def run_export(args: argparse.Namespace) -> int:
    """Write the bank; exit 1 when the glossary or a quiz file has errors."""
    if args.out != STANDARD_OUTPUT:
        output_file(args.out, "--out")  # a bad path is reported before the work
    glossary = glossary_or_exit(args.glossary)
    if glossary is None:
        return 1
    questions, problems = all_questions(glossary, args.quiz, args.seed)
    if problems:
        print_problems(problems)
        if any(p.severity == "error" for p in problems):
            print("quiz files have errors; run 'k8skb validate' for details", file=sys.stderr)
            return 1
    write_text_atomic(args.out, bank_json(build_bank(glossary, questions, args.lang)))
    if args.out != "-":
        print(f"wrote {len(questions)} questions ({args.lang}) to {args.out}", file=sys.stderr)
    return 0


def run_lint(args: argparse.Namespace) -> int:
    """Lint the bank; exit 0 when every class is at zero, 1 otherwise (or when the files have errors)."""
    from k8skb.quiz.lint import counts, lint

    glossary = glossary_or_exit(args.glossary)
    if glossary is None:
        return 1
    questions, problems = all_questions(glossary, args.quiz, 0)
    if any(p.severity == "error" for p in problems):
        print_problems(problems)
        print("quiz files have errors; run 'k8skb validate' for details", file=sys.stderr)
        return 1
    findings = lint(glossary, questions)
    for finding in findings:
        print(finding)
    per_class = counts(findings)
    width = max(len(c) for c in per_class)
    for check, n in per_class.items():
        print(f"{check:<{width}}  {n}")
    print(f"{len(findings)} finding(s) in {len(questions)} questions")
    return 1 if findings else 0


def run(args: argparse.Namespace) -> int:
    """Play a quiz; always end with ``Score: X/N``; exit 1 before asking anything when the glossary or
    the progress file cannot be read (the progress file is then left as it is), 0 otherwise."""
    glossary = glossary_or_exit(args.glossary)
    if glossary is None:
        return 1
    console = Console(file=sys.stdout, highlight=False)
    err = Console(file=sys.stderr, highlight=False)
    questions, problems = all_questions(glossary, args.quiz, 0)
    if problems:
        err.print(
            f"{len(problems)} problem(s) in the quiz files were skipped; run 'k8skb validate'", markup=False
        )
    bank = build_bank(glossary, questions, args.lang)
    ui: dict[str, str] = bank["ui"]
    pool: list[BankQuestion] = [
        q for q in bank["questions"] if not args.category or q["category"] == args.category
    ]
    path = progress_file()
    try:
        records, notice = load_progress(path, args.lang)
    except ProgressError as exc:
        err.print(str(exc), markup=False, soft_wrap=True)
        return 1
    if notice:
        err.print(notice, markup=False, soft_wrap=True)
    if args.progress:
        chosen_categories = [c for c in CATEGORIES if not args.category or c.id == args.category]
        terms = [(c.id, [e.id for e in glossary.in_category(c.id)]) for c in chosen_categories]
        rows = [
            r
            for r in category_progress(terms, bank["questions"], records, end_of_today_ms())
            if any(r.group(n) for n in ("mastered", "learning", "unseen"))
        ]
        console.print(progress_table(rows, args.lang, {c["id"]: c["label"] for c in bank["categories"]}))
        return 0
    seed = args.seed if args.seed is not None else secrets.randbits(32)
    now = int(time.time() * 1000)
    chosen = select_questions(pool, records, now, args.count, seed, review_only=args.review)
    if not chosen:
        console.print(ui["nothing_due"] if args.review else ui["no_questions"], markup=False)
    interactive = sys.stdin.isatty() and sys.stdout.isatty()
    outcome = play(
        chosen,
        ui=ui,
        categories={c["id"]: c["label"] for c in bank["categories"]},
        term_names=bank["terms"],
        reader=LineReader(sys.stdin, console, interactive),
        console=console,
        records=records,
        progress_path=path,
        now_ms=lambda: int(time.time() * 1000),
        intervals=bank["leitner"]["intervals_days"],
    )
    summary(outcome, ui, console)
    return 0
