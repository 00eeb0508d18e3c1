"""The ``k8skb`` command: parses arguments and hands over to one module of ``k8skb.commands``.

Each verb lives in its own module (``commands/validate.py``, ``commands/quiz.py``, …) exposing
``register(subparsers)``; this file only lists them, runs the chosen one and turns its integer
result into the exit status (0 ok, 1 problems found, 2 usage error). Domain errors never reach the
user as a traceback: commands print ``path:line: message`` and return 1.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from k8skb import __version__

COMMAND_MODULES = (
    "k8skb.commands.validate",
    "k8skb.commands.export",
    "k8skb.commands.stats",
    "k8skb.commands.new",
    "k8skb.commands.quiz",
    "k8skb.commands.links",
    "k8skb.commands.site",
)


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """Return the argument parser with every available verb registered (or just the module ``only``)."""
    parser = argparse.ArgumentParser(
        prog="k8skb",
        description="Kubernetes knowledge base: validate the glossary, take quizzes, check links, export.",
    )
    parser.add_argument("--version", action="version", version=f"k8skb {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module_name in COMMAND_MODULES:
        if only is not None and module_name.rpartition(".")[2] != only:
            continue  # the chosen verb's modules only: the others import YAML, JSON Schema, rich
        importlib.import_module(module_name).register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``k8skb`` command line and return its exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    verbs = {name.rpartition(".")[2] for name in COMMAND_MODULES}
    parser = build_parser(argv[0] if argv and argv[0] in verbs else None)
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return 2
    try:
        status: int = args.func(args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    return status


if __name__ == "__main__":
    raise SystemExit(main())
