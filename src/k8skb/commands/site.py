"""``k8skb site generate OUT`` and ``k8skb site finish SITE``: the site without the MkDocs plugin.

Flow: ``generate`` checks OUT (exit 2 when it is a file, the project, inside the folders it copies,
or a folder it did not write), loads the glossary (problems → exit 1) and writes the project's docs
tree with every generated page into a temporary folder beside OUT (``site.generate``), which then
replaces OUT: an interrupted or failed run leaves OUT as it was; an engine such as Zensical builds OUT; then
``finish`` links term mentions on every built page, writes the quiz banks and runs Pagefind
(``site.finish``), the same functions the MkDocs plugin runs during ``mkdocs build``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from k8skb.commands.common import add_glossary_option, add_quiz_option, glossary_or_exit, print_problems
from k8skb.fileio import replacing_folder
from k8skb.site.finish import finish_site
from k8skb.site.generate import generate_tree


def register(subparsers: Any) -> None:
    """Register the ``site`` verb and its ``generate`` and ``finish`` steps."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "site",
        help="build steps for engines other than MkDocs (Zensical)",
        description="Generate the site's docs tree for another engine, and finish the site it built.",
    )
    steps = parser.add_subparsers(dest="step", metavar="STEP", required=True)
    generate = steps.add_parser(
        "generate", help="write the docs tree with every generated page (and mkdocs.yml without k8skb)"
    )
    generate.add_argument(
        "out",
        type=Path,
        metavar="OUT",
        help="folder to write (created if missing; an earlier one is replaced when the new one is complete)",
    )
    generate.add_argument(
        "--project", type=Path, default=Path(), metavar="DIR", help="folder of mkdocs.yml (default: .)"
    )
    add_glossary_option(generate)
    generate.set_defaults(func=run_generate)
    finish = steps.add_parser("finish", help="term links, quiz banks and search index for a built site")
    finish.add_argument("site_dir", type=Path, metavar="SITE", help="the built site")
    add_glossary_option(finish)
    add_quiz_option(finish)
    finish.add_argument("--no-search", action="store_true", help="skip the Pagefind index")
    finish.set_defaults(func=run_finish)


def run_generate(args: argparse.Namespace) -> int:
    """Write the docs tree; 1 when the glossary has errors, 2 when the project has no mkdocs.yml."""
    if not (args.project / "mkdocs.yml").is_file():
        print(f"k8skb: no mkdocs.yml in {str(args.project)!r}", file=sys.stderr)
        return 2
    refusal = out_refusal(args.out, args.project)
    if refusal:
        print(f"k8skb: OUT {str(args.out)!r}: {refusal}", file=sys.stderr)
        return 2
    glossary = glossary_or_exit(args.glossary)
    if glossary is None:
        return 1
    with replacing_folder(args.out) as tmp:
        written = generate_tree(args.project, tmp, glossary)
    print(f"wrote {len(written)} generated pages and the docs tree into {args.out}")
    return 0


COPIED = ("docs", "overrides")
"""The project's folders ``generate`` copies into OUT."""


def out_refusal(out: Path, project: Path) -> str | None:
    """Why ``generate`` must not replace ``out`` (``None`` when it may).

    Refused: a file; the project, a folder that contains it, or a folder inside what is copied (the
    copy would hold itself, and replacing OUT would delete the sources); a folder that is not empty
    and does not look like an earlier OUT (``mkdocs.yml`` and ``docs/``), which would be deleted. A
    folder inside the project elsewhere is fine (``make site-zensical`` writes ``build/zensical``).
    """
    if out.exists() and not out.is_dir():
        return "not a directory"
    real, home = out.resolve(), project.resolve()
    if real == home or real in home.parents:
        return f"is or contains the project {str(project)!r}; choose another folder (e.g. build/zensical)"
    for name in COPIED:
        if real.is_relative_to(home / name):
            return f"is inside the project's {name}/, which is copied into OUT; choose another folder"
    if (
        out.is_dir()
        and any(out.iterdir())
        and not ((out / "mkdocs.yml").is_file() and (out / "docs").is_dir())
    ):
        return "not empty and not written by 'k8skb site generate'; remove it or choose another folder"
    return None


def run_finish(args: argparse.Namespace) -> int:
    """Finish the built site; 1 when the glossary or the quiz files have errors or Pagefind failed."""
    if not args.site_dir.is_dir():
        print(f"k8skb: site folder {str(args.site_dir)!r} does not exist", file=sys.stderr)
        return 2
    glossary = glossary_or_exit(args.glossary)
    if glossary is None:
        return 1
    problems = finish_site(args.site_dir, glossary, args.quiz, search=not args.no_search)
    print_problems(problems)
    return 1 if any(p.severity == "error" for p in problems) else 0
