"""``k8skb export``: the glossary as JSON for other tools (``--out -`` for standard output)."""

from __future__ import annotations

import argparse
from typing import Any

from k8skb.commands.common import add_glossary_option, glossary_or_exit
from k8skb.fileio import write_text_atomic
from k8skb.glossary.export import glossary_to_anki, glossary_to_csv, glossary_to_json, glossary_to_tbx
from k8skb.glossary.taxonomy import LANGUAGES


def register(subparsers: Any) -> None:
    """Register the ``export`` verb."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "export", help="export the glossary for other tools", description="Export the whole glossary."
    )
    add_glossary_option(parser)
    parser.add_argument(
        "--format",
        choices=("json", "csv", "anki", "tbx"),
        default="json",
        help="json (everything), csv (spreadsheet), anki (flash cards), tbx (terminology tools)",
    )
    parser.add_argument(
        "--lang", choices=LANGUAGES, help="one language only (csv; anki needs one and defaults to ja)"
    )
    parser.add_argument("--out", required=True, metavar="FILE", help="output file, or - for standard output")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Write the export; 1 when the glossary has errors."""
    glossary = glossary_or_exit(args.glossary)
    if glossary is None:
        return 1
    langs: tuple[str, ...] = (args.lang,) if args.lang else LANGUAGES
    if args.format == "csv":
        text = glossary_to_csv(glossary, langs)
    elif args.format == "anki":
        text = glossary_to_anki(glossary, args.lang or "ja")
    elif args.format == "tbx":
        text = glossary_to_tbx(glossary)
    else:
        text = glossary_to_json(glossary)
    write_text_atomic(args.out, text)
    return 0
