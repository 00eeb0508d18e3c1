"""Helpers shared by the CLI verbs: locating and loading the glossary, printing problems."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from pathlib import Path

from k8skb.glossary import Glossary, Problem, load_glossary


def add_glossary_option(parser: argparse.ArgumentParser) -> None:
    """Add ``--glossary DIR`` (default ``glossary``)."""
    parser.add_argument(
        "--glossary",
        type=Path,
        default=Path("glossary"),
        metavar="DIR",
        help="directory of glossary YAML files (default: glossary)",
    )


def quiz_dir(value: str) -> Path:
    """The folder given as ``--quiz``: it must exist (a typo must not silently mean "no questions").

    Only a folder given on the command line is checked: argparse converts a string default, not the
    ``Path`` default, so a project without hand-written questions (no ``quiz/``) still works.
    """
    path = Path(value)
    if path.is_dir():
        return path
    if path.exists():
        raise argparse.ArgumentTypeError(f"quiz directory '{value}' is not a directory")
    raise argparse.ArgumentTypeError(f"quiz directory '{value}' does not exist")


def add_quiz_option(parser: argparse.ArgumentParser) -> None:
    """Add ``--quiz DIR`` (default ``quiz``, which may be absent; a folder given must exist)."""
    parser.add_argument(
        "--quiz",
        type=quiz_dir,
        default=Path("quiz"),
        metavar="DIR",
        help="directory of hand-written quiz YAML files (default: quiz, if present)",
    )


def print_problems(problems: Iterable[Problem]) -> None:
    """Print problems as ``path:line: message`` on standard error."""
    for problem in problems:
        print(problem, file=sys.stderr)


def glossary_dir_problem(directory: Path) -> str | None:
    """Why ``directory`` cannot be the glossary folder (missing, or not a folder); ``None`` when it can."""
    if directory.is_dir():
        return None
    if directory.exists():
        return f"glossary directory '{directory}' is not a directory (give the folder of glossary files)"
    return f"glossary directory '{directory}' does not exist"


def glossary_or_exit(directory: Path) -> Glossary | None:
    """Load the glossary; on errors print them and return ``None`` (the caller returns 1)."""
    unusable = glossary_dir_problem(directory)
    if unusable:
        print(f"k8skb: {unusable}", file=sys.stderr)
        return None
    result = load_glossary(directory)
    if result.glossary is None:
        print_problems(result.problems)
        errors = sum(1 for p in result.problems if p.severity == "error")
        print(f"{errors} error(s) in the glossary; run 'k8skb validate' for details", file=sys.stderr)
        return None
    return result.glossary
