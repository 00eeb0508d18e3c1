"""``k8skb new ID --category C``: add an entry skeleton to the right glossary file."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from k8skb.commands.common import add_glossary_option, glossary_dir_problem, print_problems
from k8skb.fileio import write_bytes_atomic
from k8skb.glossary.bounded import RejectedInputError, read_bounded
from k8skb.glossary.loader import Problem, YamlDocument, display_path, irregular_files, parse_yaml
from k8skb.glossary.model import Source
from k8skb.glossary.scaffold import append_entry, file_for_category, render_skeleton
from k8skb.glossary.taxonomy import CATEGORIES
from k8skb.glossary.validate import SLUG, glossary_files


def register(subparsers: Any) -> None:
    """Register the ``new`` verb."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "new", help="scaffold a new glossary entry", description="Add an entry skeleton to the glossary."
    )
    parser.add_argument("id", help="the new term id (lowercase slug, e.g. stateful-set)")
    parser.add_argument("--category", required=True, choices=[c.id for c in CATEGORIES])
    add_glossary_option(parser)
    parser.set_defaults(func=run)


def read_glossary_files(directory: Path) -> tuple[dict[Path, tuple[bytes, YamlDocument]], list[Problem]]:
    """Read every glossary file of ``directory`` once: (file → its bytes and document, problems).

    A problem is returned for every file that cannot be read as a list of entries (not a regular
    file, not UTF-8, a YAML syntax error, not a list): ``new`` cannot know the ids it holds, nor
    whether it is where the category lives. Problems that leave the entries readable (a duplicate
    key, an empty text) are the business of ``k8skb validate``, not of ``new``.
    """
    read: dict[Path, tuple[bytes, YamlDocument]] = {}
    problems = irregular_files(directory)
    for path in glossary_files(directory):
        name = display_path(path)
        try:
            raw = read_bounded(path)
        except RejectedInputError as exc:
            problems.append(Problem(Source(name, exc.line, exc.column), exc.message))
            continue
        doc = parse_yaml(raw, name)
        if doc.data is None:
            problems.extend(doc.problems)
        elif not isinstance(doc.data, list):
            problems.append(Problem(doc.positions.of(()), "the top level must be a list of entries"))
        else:
            read[path] = (raw, doc)
    return read, problems


def run(args: argparse.Namespace) -> int:
    """Append the skeleton; 2 for a bad id or folder, 1 when the id exists or a file cannot be read."""
    term_id: str = args.id
    if not SLUG.match(term_id):
        print(
            f"k8skb new: '{term_id}' is not a lowercase slug (use a-z, 0-9 and single hyphens)",
            file=sys.stderr,
        )
        return 2
    directory: Path = args.glossary
    unusable = glossary_dir_problem(directory)
    if unusable:
        print(f"k8skb new: {unusable}", file=sys.stderr)
        return 2
    files, problems = read_glossary_files(directory)
    if problems:
        print_problems(problems)
        print(
            f"k8skb new: {len(problems)} problem(s) in glossary files that cannot be read; "
            "fix them first (nothing was written)",
            file=sys.stderr,
        )
        return 1
    for _raw, doc in files.values():
        for index, item in enumerate(doc.data):
            if isinstance(item, dict) and item.get("id") == term_id:
                where = doc.positions.of((index, "id"))
                print(f"{where}: id '{term_id}' already exists", file=sys.stderr)
                return 1
    target = file_for_category(directory, args.category, {p: doc.data for p, (_, doc) in files.items()})
    existing = files[target][0].decode("utf-8") if target in files else ""
    text, line = append_entry(existing, render_skeleton(term_id, args.category))
    write_bytes_atomic(target, text.encode("utf-8"))
    print(f"{target}:{line}: added '{term_id}'; fill in every empty text, then run 'k8skb validate'")
    return 0
