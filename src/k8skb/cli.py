"""The ``k8skb`` command: parses arguments and hands over to one module of ``k8skb.commands``.

Each verb lives in its own module (``commands/validate.py``, ``commands/quiz.py``, …) exposing
``register(subparsers)``; this file only lists them, runs the chosen one and turns its integer
result into the exit status (0 ok, 1 problems found, 2 usage error). Domain errors never reach the
user as a traceback: commands print ``path:line: message`` and return 1. What a command leaves to
``main``: ``OutputError`` (an output path that cannot be written: one line, exit 2) and ``OSError``
(a file or standard output that failed: ``k8skb: <file>: <reason>``, exit 1); a reader of standard
output that went away (``| head``) ends the run quietly.
"""

from __future__ import annotations

import argparse
import errno
import importlib
import os
import shutil
import sys
from collections.abc import Sequence

from k8skb import __version__
from k8skb.fileio import OutputError

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
        sys.stdout.flush()  # what is still buffered: a failure to write it is reported like any other
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        _drop_standard_output()
        return 0
    except OutputError as exc:
        print(f"k8skb: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"k8skb: {_os_error_message(exc)}", file=sys.stderr)
        return 1
    return status


WRITE_ERRORS = frozenset({errno.ENOSPC, errno.EFBIG, errno.EIO, errno.EPIPE, getattr(errno, "EDQUOT", -1)})
"""Errors of a write. Every file k8skb writes names itself in its errors (``k8skb.fileio``), so
one of these without a file name comes from standard output."""


def _os_error_message(exc: OSError) -> str:
    """``<file>: <reason>`` for ``exc``; standard output's failure drops what is still buffered."""
    if isinstance(exc, shutil.Error):  # copytree: a list of (source, destination, reason)
        errors = exc.args[0] if exc.args and isinstance(exc.args[0], list) else []
        if errors and len(errors[0]) == 3:
            more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
            return f"{errors[0][1]}: {errors[0][2]}{more}"
        return str(exc)
    reason = exc.strerror or str(exc)
    if exc.filename == "<stdout>" or (exc.filename is None and _standard_output_failed(exc)):
        _drop_standard_output()
        return f"standard output: {reason}"
    if exc.filename is None:
        return reason
    name = os.fsdecode(exc.filename) if isinstance(exc.filename, str | bytes) else str(exc.filename)
    return f"{name}: {reason}"


def _standard_output_failed(exc: OSError) -> bool:
    """Whether ``exc`` (without a file name) was standard output's: a write error, or a flush still fails."""
    if exc.errno in WRITE_ERRORS:
        return True
    try:
        sys.stdout.flush()
    except OSError:
        return True
    return False


def _drop_standard_output() -> None:
    """Point standard output at the null device after it failed, so that the interpreter's last flush
    of what is still buffered does not fail again ("Exception ignored ..."); the way the Python
    documentation's note on SIGPIPE ends such a run."""
    try:
        fd = sys.stdout.fileno()
    except (OSError, ValueError):  # not a real file (a test's StringIO): nothing to drop
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, fd)
    finally:
        os.close(devnull)


if __name__ == "__main__":
    raise SystemExit(main())
