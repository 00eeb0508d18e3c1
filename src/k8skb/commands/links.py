"""``k8skb links``: check the built site's links (both languages) and, on request, external URLs.

Flow: parse and validate options (a bad one is a usage error, exit 2) → glossary reference checks
(no network) when the glossary exists → internal scan of SITE_DIR → with ``--external``: the
http(s) URLs of pages and glossary, through the cache, with a progress bar on a terminal → render
the report in the chosen format (to ``--output`` or standard output) → exit 0 clean, 1 on errors.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from k8skb.fileio import STANDARD_OUTPUT, OutputError, output_file, write_text_atomic
from k8skb.links import cache as link_cache
from k8skb.links.checker.glossary import check_glossary
from k8skb.links.collector import glossary_links
from k8skb.links.filter import Filter, SiteAddress
from k8skb.links.options import HttpOptions, UrlResult, parse_accept
from k8skb.links.pipeline import check_external, default_workers, scan_site
from k8skb.links.report import FORMATS, render, summary
from k8skb.links.retry import RetryPolicy
from k8skb.links.types import Link, Report


class UsageError(Exception):
    """A bad option value: reported in one line, exit status 2."""


def register(subparsers: Any) -> None:
    """Register the ``links`` verb."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "links",
        help="check the links of the built site (and external URLs)",
        description="Check every href/src/srcset and #fragment of the built site (both languages); with "
        "--external also every http(s) URL of the pages and the glossary. Exit 0 clean, 1 problems, 2 usage.",
    )
    parser.add_argument(
        "site_dir",
        nargs="?",
        type=Path,
        default=Path("site"),
        metavar="SITE_DIR",
        help="the built site (default: site)",
    )
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--external", action="store_true", help="also check http(s) URLs over the network")
    mode.add_argument(
        "--offline",
        action="store_true",
        help="internal links only, no network (what CI=true gets unless --external is given)",
    )
    parser.add_argument(
        "--include-fragments",
        action="store_true",
        help="with --external: check #fragments of external pages too (GET, body read up to a cap)",
    )
    parser.add_argument(
        "--exclude",
        action="append",
        default=[],
        metavar="REGEX",
        help="skip URLs matching REGEX (repeatable)",
    )
    parser.add_argument(
        "--accept",
        default="200..299",
        metavar="CODES",
        help="accepted HTTP statuses, e.g. 200..299,403 (default: 200..299)",
    )
    parser.add_argument(
        "--concurrency", type=int, default=64, metavar="N", help="requests in flight (default: 64)"
    )
    parser.add_argument(
        "--per-host", type=int, default=8, metavar="N", help="requests in flight per host (default: 8)"
    )
    parser.add_argument(
        "--host-interval",
        type=float,
        default=0.0,
        metavar="S",
        help="minimum seconds between request starts on one host (default: 0)",
    )
    parser.add_argument(
        "--timeout", type=float, default=10.0, metavar="S", help="seconds per request (default: 10)"
    )
    parser.add_argument(
        "--deadline",
        type=float,
        default=300.0,
        metavar="S",
        help="seconds for the whole external check; the rest is 'not checked' (default: 300)",
    )
    parser.add_argument(
        "--retries",
        type=int,
        default=2,
        metavar="N",
        help="extra attempts on timeouts, 429 and 5xx (default: 2)",
    )
    parser.add_argument(
        "--cache", type=Path, metavar="FILE", help="remember successful external checks in FILE"
    )
    parser.add_argument(
        "--max-cache-age",
        default="1d",
        metavar="AGE",
        help="how long a cached success stays valid, e.g. 12h, 1d (default: 1d)",
    )
    parser.add_argument(
        "--glossary",
        type=Path,
        default=None,
        metavar="DIR",
        help="glossary directory for reference checks (default: glossary, when it exists)",
    )
    parser.add_argument(
        "--site-url",
        default=None,
        metavar="URL",
        help="where the site is published, e.g. https://you.github.io/k8skb/: links under its path "
        "(/k8skb/…) are site paths (default: the home page's canonical URL, which MkDocs writes when "
        "site_url is set; '' for none)",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=0,
        metavar="N",
        help="threads for parsing pages (default: the CPUs available, at most 4)",
    )
    parser.add_argument(
        "--format", choices=list(FORMATS), default="text", help="report format (default: text)"
    )
    parser.add_argument(
        "--output", metavar="FILE", help="write the report to FILE instead of standard output"
    )
    parser.set_defaults(func=run)


def _options(args: argparse.Namespace) -> tuple[Filter, HttpOptions, float]:
    """Turn option strings into values; raise ``UsageError`` on a bad one."""
    try:
        link_filter = Filter.from_patterns(args.exclude)
    except re.error as exc:
        raise UsageError(f"invalid --exclude pattern: {exc}") from exc
    try:
        accept = parse_accept(args.accept)
    except ValueError as exc:
        raise UsageError(f"invalid --accept {args.accept!r}: {exc}") from exc
    try:
        max_age = link_cache.parse_age(args.max_cache_age)
    except ValueError as exc:
        raise UsageError(f"invalid --max-cache-age: {exc}") from exc
    for name in ("concurrency", "per_host"):
        if getattr(args, name) < 1:
            raise UsageError(f"--{name.replace('_', '-')} must be at least 1")
    for name in ("timeout", "deadline"):
        if not getattr(args, name) > 0:
            raise UsageError(f"--{name} must be more than 0 seconds")
    if args.site_url:
        try:
            SiteAddress.parse(args.site_url)
        except ValueError as exc:
            raise UsageError(f"invalid --site-url: {exc}") from exc
    if args.retries < 0 or args.host_interval < 0 or args.workers < 0:
        raise UsageError("--retries, --host-interval and --workers cannot be negative")
    options = HttpOptions(
        timeout=args.timeout,
        deadline=args.deadline,
        concurrency=args.concurrency,
        per_host=args.per_host,
        host_interval=args.host_interval,
        accept=accept,
        retry=RetryPolicy(retries=args.retries),
    )
    return link_filter, options, max_age


def run(args: argparse.Namespace) -> int:
    """Check links; print or write the report; return 0 clean, 1 problems, 2 usage error."""
    try:
        link_filter, options, max_age = _options(args)
        if args.site_dir.exists() and not args.site_dir.is_dir():
            raise UsageError(f"SITE_DIR '{args.site_dir}' is a file, not a directory")
        if not args.site_dir.is_dir():
            raise UsageError(f"site directory '{args.site_dir}' does not exist (build it with: mkdocs build)")
        if args.output and args.output != STANDARD_OUTPUT:
            try:
                output_file(args.output, "--output")
            except OutputError as exc:
                raise UsageError(str(exc)) from exc
        if args.glossary is not None and not args.glossary.is_dir():
            raise UsageError(f"glossary directory '{args.glossary}' does not exist")
    except UsageError as exc:
        print(f"k8skb links: {exc}", file=sys.stderr)
        return 2
    report = Report()
    references = _glossary_checks(args.glossary or Path("glossary"), report, link_filter)
    scan = scan_site(args.site_dir, link_filter, args.workers or default_workers(), site_url=args.site_url)
    if scan.address is not None and args.site_url is None:
        report.notes.append(
            f"site URL {scan.address.url} (the home page's canonical link): "
            f"links under {scan.address.base_path} are checked as site paths"
        )
    report.problems.extend(scan.problems)
    report.pages, report.links, report.excluded = scan.pages, scan.links, scan.excluded
    report.internal_targets = scan.internal_targets
    external = args.external and not args.offline
    if external:
        _external(args, options, max_age, [*references, *scan.external], report)
    elif os.environ.get("CI", "").lower() == "true" and (scan.external or references):
        report.notes.append("CI=true: external URLs not checked (pass --external to check them)")
    text = render(report, args.format, str(args.site_dir))
    if args.output:
        write_text_atomic(args.output, text)
        print(summary(report), file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 1 if report.errors else 0


def _glossary_checks(directory: Path, report: Report, link_filter: Filter) -> list[Link]:
    """Run the no-network reference checks; return the glossary's external links for ``--external``."""
    if not directory.is_dir():
        return []
    from k8skb.glossary import load_glossary  # YAML and JSON Schema: only when there is a glossary
    from k8skb.glossary.loader import display_path

    result = load_glossary(directory)
    if result.glossary is None:
        report.notes.append(
            f"glossary '{display_path(directory)}' has errors; reference checks skipped "
            "(run 'k8skb validate')"
        )
        return []
    report.problems.extend(p for p in check_glossary(result.glossary) if not link_filter.excluded(p.target))
    return [lk for lk in glossary_links(result.glossary) if not link_filter.excluded(lk.url)]


def _external(
    args: argparse.Namespace, options: HttpOptions, max_age: float, links: list[Link], report: Report
) -> None:
    cache = link_cache.load(args.cache, max_age) if args.cache else None
    if cache is not None and cache.dropped:
        report.notes.append(f"dropped {cache.dropped} unusable entries of the cache {args.cache}")
    with _progress() as (on_start, on_done):
        result = check_external(
            links, options, args.include_fragments, cache, args.site_dir, on_start, on_done
        )
    if cache is not None:
        try:
            link_cache.save(args.cache, cache)
        except OSError as exc:
            report.notes.append(f"cannot write cache {args.cache}: {exc.strerror or exc}")
    report.problems.extend(result.problems)
    report.external_targets, report.cached = result.targets, result.cached


@contextmanager
def _progress() -> Iterator[tuple[Callable[[int], None] | None, Callable[[str, UrlResult], None] | None]]:
    """A rich progress bar on standard error when it is a terminal; no callbacks otherwise."""
    if not sys.stderr.isatty():
        yield None, None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn("checking URLs"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as progress:
        task = progress.add_task("urls", total=None)

        def on_start(total: int) -> None:
            progress.update(task, total=total)

        def on_done(url: str, result: UrlResult) -> None:
            progress.advance(task)

        yield on_start, on_done
