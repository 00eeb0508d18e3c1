"""``k8skb new ID --category C``: add an entry skeleton to the right glossary file."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from k8skb.commands.common import add_glossary_option
from k8skb.fileio import write_text_atomic
from k8skb.glossary.loader import read_yaml
from k8skb.glossary.scaffold import append_entry, file_for_category, render_skeleton
from k8skb.glossary.taxonomy import CATEGORIES
from k8skb.glossary.validate import SLUG


def register(subparsers: Any) -> None:
    """Register the ``new`` verb."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "new", help="scaffold a new glossary entry", description="Add an entry skeleton to the glossary."
    )
    parser.add_argument("id", help="the new term id (lowercase slug, e.g. stateful-set)")
    parser.add_argument("--category", required=True, choices=[c.id for c in CATEGORIES])
    add_glossary_option(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Append the skeleton; 2 for a bad id, 1 when the id already exists."""
    term_id: str = args.id
    if not SLUG.match(term_id):
        print(
            f"k8skb new: '{term_id}' is not a lowercase slug (use a-z, 0-9 and single hyphens)",
            file=sys.stderr,
        )
        return 2
    directory = args.glossary
    if not directory.is_dir():
        print(f"k8skb new: glossary directory '{directory}' does not exist", file=sys.stderr)
        return 2
    for path in sorted(directory.glob("*.yaml")):
        doc = read_yaml(path)
        if isinstance(doc.data, list):
            for index, item in enumerate(doc.data):
                if isinstance(item, dict) and item.get("id") == term_id:
                    where = doc.positions.of((index, "id"))
                    print(f"{where}: id '{term_id}' already exists", file=sys.stderr)
                    return 1
    target = file_for_category(directory, args.category)
    existing = target.read_text(encoding="utf-8") if target.exists() else ""
    text, line = append_entry(existing, render_skeleton(term_id, args.category))
    write_text_atomic(target, text)
    print(f"{target}:{line}: added '{term_id}'; fill in every empty text, then run 'k8skb validate'")
    return 0
