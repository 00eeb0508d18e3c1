"""``k8skb export``: the glossary in one of the formats of ``glossary.export.EXPORTERS`` (JSON, CSV, an
Anki package or Anki text, TBX), written atomically to a file or to standard output (``--out -``).

Flow: check the options (``--lang`` for a format that has no use for it, an ``--out`` that cannot be a
file → exit 2) → load the glossary (problems → exit 1) → the chosen exporter turns it into text or
bytes → write it.

``--lang`` is refused, not ignored, where the format is bilingual by design: JSON is the complete,
machine-readable record (its ``{"ja", "en"}`` fields are the contract), and a TBX termbase exists to
pair each term with its translation. Which formats take it is ``Exporter.takes_lang``.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from k8skb.commands.common import add_glossary_option, glossary_or_exit
from k8skb.fileio import STANDARD_OUTPUT, output_file, write_bytes_atomic, write_text_atomic
from k8skb.glossary.export import EXPORTERS
from k8skb.glossary.taxonomy import LANGUAGES

FORMATS = tuple(EXPORTERS)
"""The ``--format`` choices, in the order of ``EXPORTERS``; the first is the default."""

LANG_FORMATS = tuple(name for name, exporter in EXPORTERS.items() if exporter.takes_lang)
"""The formats ``--lang`` applies to."""


def register(subparsers: Any) -> None:
    """Register the ``export`` verb."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "export", help="export the glossary for other tools", description="Export the whole glossary."
    )
    add_glossary_option(parser)
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default=FORMATS[0],
        help=", ".join(f"{name} ({exporter.purpose})" for name, exporter in EXPORTERS.items()),
    )
    parser.add_argument(
        "--lang",
        choices=LANGUAGES,
        help="one language only (csv; anki: a deck in that language, else bilingual; anki-text: default ja; "
        f"only for {', '.join(LANG_FORMATS)})",
    )
    parser.add_argument("--out", required=True, metavar="FILE", help="output file, or - for standard output")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Write the export; 1 when the glossary has errors, 2 for --lang where the format has no use for it."""
    if args.lang is not None and not EXPORTERS[args.format].takes_lang:
        print(
            f"k8skb: --lang {args.lang}: --format {args.format} always has both languages; "
            f"--lang applies to {', '.join(LANG_FORMATS)}",
            file=sys.stderr,
        )
        return 2
    if args.out != STANDARD_OUTPUT:
        output_file(args.out, "--out")  # a bad path is reported before the work
    glossary = glossary_or_exit(args.glossary)
    if glossary is None:
        return 1
    result = EXPORTERS[args.format].write(glossary, args.lang)
    if isinstance(result, bytes):
        write_bytes_atomic(args.out, result)
    else:
        write_text_atomic(args.out, result)
    return 0
