"""``k8skb validate``: check every glossary (and quiz) file and report all problems at once."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from k8skb.commands.common import add_glossary_option, add_quiz_option, glossary_dir_problem
from k8skb.glossary import Problem, load_glossary


def register(subparsers: Any) -> None:
    """Register the ``validate`` verb."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "validate", help="check the glossary and quiz files", description="Check the glossary and quiz files."
    )
    add_glossary_option(parser)
    add_quiz_option(parser)
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    parser.set_defaults(func=run)


def collect_problems(glossary_dir: Path, quiz_dir: Path) -> tuple[list[Problem], dict[str, int]]:
    """Validate the glossary and the quiz files; return all problems and counts.

    ``terms`` counts the entries read, so a glossary with an error still shows how much was read.
    """
    result = load_glossary(glossary_dir)
    problems = list(result.problems)
    counts = {"files": len(result.files), "terms": result.entries_read}
    if quiz_dir.is_dir():
        try:
            from k8skb.quiz.validate import validate_quiz_dir
        except ModuleNotFoundError:
            pass
        else:
            quiz_problems, questions = validate_quiz_dir(quiz_dir, result.glossary)
            problems.extend(quiz_problems)
            counts["questions"] = questions
    return problems, counts


def run(args: argparse.Namespace) -> int:
    """Validate; print problems; return 0 when clean, 1 on any error, 2 on a usage error."""
    glossary_dir: Path = args.glossary
    unusable = glossary_dir_problem(glossary_dir)
    if unusable:
        print(f"k8skb validate: {unusable}", file=sys.stderr)
        return 2
    problems, counts = collect_problems(glossary_dir, args.quiz)
    errors = [p for p in problems if p.severity == "error"]
    if args.format == "json":
        document = {
            "ok": not errors,
            "errors": len(errors),
            "problems": [
                {
                    "path": p.source.path,
                    "line": p.source.line,
                    "column": p.source.column,
                    "severity": p.severity,
                    "message": p.message,
                }
                for p in problems
            ],
            **counts,
        }
        print(json.dumps(document, ensure_ascii=False, indent=2))
    else:
        for problem in problems:
            print(problem)
        read = " read" if errors else ""  # with errors, the terms counted are those the files gave
        summary = ", ".join(f"{v} {k}{read if k == 'terms' else ''}" for k, v in counts.items())
        if errors:
            print(f"{len(errors)} error(s) found ({summary})")
        else:
            print(f"ok: {summary}")
    return 1 if errors else 0
