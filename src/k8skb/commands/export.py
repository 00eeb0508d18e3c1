"""``k8skb export``: the glossary as JSON for other tools (``--out -`` for standard output)."""

from __future__ import annotations

import argparse
from typing import Any

from k8skb.commands.common import add_glossary_option, glossary_or_exit
from k8skb.fileio import write_text_atomic
from k8skb.glossary.export import glossary_to_json


def register(subparsers: Any) -> None:
    """Register the ``export`` verb."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "export", help="export the glossary for other tools", description="Export the whole glossary."
    )
    add_glossary_option(parser)
    parser.add_argument("--format", choices=("json",), default="json", help="output format (default: json)")
    parser.add_argument("--out", required=True, metavar="FILE", help="output file, or - for standard output")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Write the export; 1 when the glossary has errors."""
    glossary = glossary_or_exit(args.glossary)
    if glossary is None:
        return 1
    write_text_atomic(args.out, glossary_to_json(glossary))
    return 0
