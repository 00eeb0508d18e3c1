"""``k8skb stats``: counts per category and language, and the entries with gaps."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from typing import Any

from rich.console import Console, JustifyMethod

from k8skb.commands.common import add_glossary_option, glossary_or_exit
from k8skb.glossary.freshness import stale_texts
from k8skb.glossary.stats import glossary_stats
from k8skb.glossary.taxonomy import CATEGORIES
from k8skb.quiz.wrapping import WrappedTable


def register(subparsers: Any) -> None:
    """Register the ``stats`` verb."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "stats", help="counts, coverage and gaps of the glossary", description="Show glossary statistics."
    )
    add_glossary_option(parser)
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    parser.add_argument(
        "--freshness",
        action="store_true",
        help="list texts whose translation was last changed before the other language (from git history)",
    )
    parser.set_defaults(func=run)


def run_freshness(args: argparse.Namespace) -> int:
    """Print possibly stale translations; 1 when there are any."""
    stale, notes = stale_texts(args.glossary)
    if args.format == "json":
        items = [
            {
                "path": s.source.path,
                "line": s.source.line,
                "term": s.term_id,
                "field": s.field,
                "stale_lang": s.stale_lang,
                "stale_since": s.stale.when,
                "other_changed": s.newer.when,
            }
            for s in stale
        ]
        print(json.dumps({"stale": items, "notes": notes}, ensure_ascii=False, indent=2))
    else:
        for note in notes:
            print(note, file=sys.stderr)
        for item in stale:
            print(item)
        print(f"{len(stale)} text(s) may need their translation updated")
    return 1 if stale else 0


def run(args: argparse.Namespace) -> int:
    """Print statistics; 1 when the glossary has errors."""
    glossary = glossary_or_exit(args.glossary)
    if glossary is None:
        return 1
    if args.freshness:
        return run_freshness(args)
    stats = glossary_stats(glossary)
    if args.format == "json":
        print(json.dumps(asdict(stats), ensure_ascii=False, indent=2))
        return 0
    console = Console(highlight=False)
    console.print(
        WrappedTable(
            title=f"{stats.terms} terms, {stats.relations} relations",
            headers=("category", "terms"),
            rows=tuple(
                (f"{cat.id} ({cat.label.ja} / {cat.label.en})", str(stats.per_category[cat.id]))
                for cat in CATEGORIES
            ),
            justify=("left", "right"),
        )
    )
    keys = tuple(next(iter(stats.per_language.values())))
    right: JustifyMethod = "right"
    console.print(
        WrappedTable(
            title="per language",
            headers=("lang", *keys),
            rows=tuple(
                (lang, *(str(v) for v in counts.values())) for lang, counts in stats.per_language.items()
            ),
            justify=("left", *(right for _ in keys)),
        )
    )
    console.print(
        f"without references ({len(stats.without_references)}): {', '.join(stats.without_references) or '-'}"
    )
    for lang, ids in stats.without_reference_in.items():
        console.print(f"without a reference in {lang} ({len(ids)}): {', '.join(ids) or '-'}")
    console.print(
        f"without misconceptions ({len(stats.without_misconceptions)}): "
        f"{', '.join(stats.without_misconceptions) or '-'}"
    )
    return 0
