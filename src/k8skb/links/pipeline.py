"""The link checker's pipeline: collect → extract → filter → check → problems with their sources.

Flow of ``scan_site``: list the site's files once (``collector``) → parse every page (``extract``;
over a few threads) → classify each link (``filter``) → internal links are resolved
and checked against the file list and the pages' anchors (``checker.internal``), memoized per page
directory and target, so a navigation link shared by 2,000 pages is resolved once per directory →
external links are gathered for ``check_external`` → line:column are located only on the pages that
have a problem. ``check_external`` groups external URLs (deduplicated, fragments per URL when asked),
answers what it can from the cache and sends the rest to ``checker.http`` (imported only then: an
offline or fully cached run never loads the HTTP stack).
"""

from __future__ import annotations

import bisect
import html
import os
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from k8skb.links.cache import LinkCache
from k8skb.links.checker.internal import INDEX, InternalChecker, Target, page_directory, resolve
from k8skb.links.collector import SiteFiles, collect_site
from k8skb.links.extract import MAX_PAGE_BYTES, PageData, locate, parse_pages
from k8skb.links.filter import (
    PSEUDO_ORIGIN,
    Filter,
    LinkClass,
    SiteAddress,
    absolute_external,
    apply_base,
    normalize,
    redact_credentials,
    split_fragment,
)
from k8skb.links.options import HttpOptions, UrlResult
from k8skb.links.types import Kind, Link, Occurrence, Outcome, Problem, Severity


@dataclass(slots=True)
class SiteScan:
    """What scanning a built site found: internal problems and the external links to check later."""

    site: SiteFiles
    pages: int = 0
    links: int = 0
    excluded: int = 0
    internal_targets: int = 0
    problems: list[Problem] = field(default_factory=list)
    external: list[Link] = field(default_factory=list)
    address: SiteAddress | None = None


@dataclass(slots=True)
class _Pending:
    """Occurrences awaiting a position: page → (attribute, url) → count, and what they belong to."""

    by_page: dict[str, list[tuple[str, str, int, str | None, object]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    counts: dict[tuple[str, str, str], int] = field(default_factory=lambda: defaultdict(int))

    def add(self, page: str, attribute: str, url: str, origin: str | None, key: object) -> None:
        index = self.counts[(page, attribute, url)]
        self.counts[(page, attribute, url)] = index + 1
        self.by_page[page].append((attribute, url, index, origin, key))


def parse_all(root: Path, paths: list[str], workers: int) -> list[PageData]:
    """Parse every page, in page order; over ``workers`` threads when more than one is asked for."""
    if workers <= 1 or len(paths) < 2:
        return parse_pages(root, paths)
    from concurrent.futures import ThreadPoolExecutor

    size = max(25, len(paths) // (workers * 4))
    chunks = [paths[i : i + size] for i in range(0, len(paths), size)]
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="k8skb-parse") as pool:
        return [page for chunk in pool.map(parse_pages, [root] * len(chunks), chunks) for page in chunk]


def default_workers() -> int:
    """How many threads to parse with: the CPUs this process may use, at most 4."""
    try:
        count = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        count = os.cpu_count() or 1
    return max(1, min(4, count))


def site_address(pages: list[PageData], site_url: str | None) -> SiteAddress | None:
    """The site's published URL: ``site_url`` when given, else the home page's canonical URL.

    MkDocs writes ``<link rel=canonical>`` only when ``site_url`` is set, and the home page's is the
    ``site_url`` itself; a canonical URL that is not http(s) is ignored.
    """
    if site_url is not None:
        return SiteAddress.parse(site_url) if site_url else None
    home = next((p for p in pages if p.path == INDEX), None)
    if home is None or not home.canonical:
        return None
    try:
        return SiteAddress.parse(home.canonical)
    except ValueError:
        return None


def scan_site(
    root: Path,
    link_filter: Filter,
    workers: int = 1,
    site_url: str | None = None,
) -> SiteScan:
    """Check every internal link of the built site at ``root``; collect its external links.

    ``site_url`` is where the site is published (``""``: unknown; ``None``: read from the home
    page's canonical link): its absolute URLs and root-relative paths under its base path are
    site paths, other root-relative paths leave the site.
    """
    site = collect_site(root)
    pages = parse_all(root, site.pages, workers)
    scan = SiteScan(site, pages=len(pages))
    scan.address = address = site_address(pages, site_url)
    page_scheme = address.scheme if address else "https"
    checker = InternalChecker(site, {p.path: p.anchors for p in pages})
    classes: dict[str, LinkClass] = {}
    targets: dict[tuple[str, str], Target | None] = {}
    outcomes: dict[Target, Outcome] = {}
    pending = _Pending()
    problem_keys: dict[object, Outcome] = {}
    external_raw: list[tuple[str, str, str, str, str | None]] = []
    for page in pages:
        if page.error:
            problem_keys[(page.error_rule, page.path)] = Outcome(
                ok=False, message=page.error, detail=page.error_rule
            )
            pending.by_page[page.path].append(("", "", 0, None, (page.error_rule, page.path)))
            continue
        directory = page_directory(page.path)
        for attribute, written in page.links:
            scan.links += 1
            normal = normalize(written, page_scheme)
            url = normal.url
            if normal.backslash:
                key = ("backslash", written)
                problem_keys[key] = Outcome(
                    ok=True,
                    message=f"'\\' in a URL, read as '/' by browsers: write {url}",
                    detail="backslash",
                    severity=Severity.WARNING,
                )
                pending.add(page.path, attribute, written, page.origin, key)
            if page.base is not None:
                url = apply_base(page.path, page.base, url, address.url if address else PSEUDO_ORIGIN)
            kind = classes.get(url)
            if kind is None:
                kind = classes[url] = link_filter.classify(url)
            if address is not None and kind is not LinkClass.IGNORED and kind is not LinkClass.EXCLUDED:
                url, leaves = address.localize(url)
                if leaves:
                    problem_keys[("leaves", url)] = Outcome(
                        ok=False,
                        message=f"link leaves the site, published under {address.base_path}: {url}",
                        detail="outside-site",
                    )
                    pending.add(page.path, attribute, written, page.origin, ("leaves", url))
                    continue
                kind = link_filter.classify(url)
            if kind is LinkClass.INTERNAL:
                same_page = url[:1] in ("#", "?", "") or not url.strip()
                memo = (page.path if same_page else directory, url)
                if memo in targets:
                    target = targets[memo]
                else:
                    target = targets[memo] = resolve(page.path, url)
                if target is None:
                    outcome = Outcome(
                        ok=False, message=f"link climbs above the site root: {url}", detail="outside-site"
                    )
                    problem_key: object = ("outside", url)
                else:
                    known = outcomes.get(target)
                    if known is None:
                        known = outcomes[target] = checker.check(target)
                    outcome = known
                    problem_key = target
                if not outcome.ok:
                    problem_keys[problem_key] = outcome
                    pending.add(page.path, attribute, written, page.origin, problem_key)
            elif kind is LinkClass.EXTERNAL:
                external_raw.append((page.path, attribute, written, url, page.origin))
            elif kind is LinkClass.EXCLUDED:
                scan.excluded += 1
    scan.internal_targets = len(outcomes)
    occurrences = _locate_all(root, pending)
    for problem_target, outcome in problem_keys.items():
        if isinstance(problem_target, Target):
            name = problem_target.display()
        else:
            name = str(problem_target[1]) if isinstance(problem_target, tuple) else str(problem_target)
        found = tuple(sorted(occurrences[problem_target], key=Occurrence.sort_key))
        scan.problems.append(Problem(kind=Kind.INTERNAL, target=name, outcome=outcome, occurrences=found))
    scan.problems.extend(check_sitemap(root, site, checker, address))
    scan.external = [
        Link(url=url, occurrence=Occurrence(path=path, attribute=attribute, origin=origin, url=written))
        for path, attribute, written, url, origin in external_raw
    ]
    return scan


SITEMAP = "sitemap.xml"
_LOC = re.compile(r"<loc>\s*(.*?)\s*</loc>", re.S)


def check_sitemap(
    root: Path, site: SiteFiles, checker: InternalChecker, address: SiteAddress | None
) -> list[Problem]:
    """Check that every ``<loc>`` of the site's ``sitemap.xml`` is a page of the site.

    With the site's URL known, an entry outside it or naming no page is an error; without it, entries
    that are not absolute URLs (MkDocs writes ``None./`` when ``site_url`` is unset) are one warning.
    """
    if not site.exists(SITEMAP):
        return []
    try:
        text = (root / SITEMAP).read_bytes()[: MAX_PAGE_BYTES + 1].decode("utf-8", errors="replace")
    except OSError:
        return []
    line_starts = [0, *(m.end() for m in re.finditer("\n", text))]
    problems: list[Problem] = []
    relative: list[Occurrence] = []
    for match in _LOC.finditer(text):
        loc = html.unescape(match.group(1))
        line = bisect.bisect_right(line_starts, match.start())
        where = Occurrence(
            path=SITEMAP,
            line=line,
            column=match.start() - line_starts[line - 1] + 1,
            attribute="loc",
            url=loc,
        )
        absolute = urlsplit(loc).scheme in ("http", "https")
        if address is None:
            if not absolute:
                relative.append(where)
            continue
        if not loc.startswith(address.url):
            outcome = Outcome(
                ok=False, message=f"sitemap entry outside the site {address.url}: {loc}", detail="sitemap"
            )
        else:
            target = resolve(INDEX, "/" + loc[len(address.url) :])
            outcome = (
                checker.check(target)
                if target is not None
                else Outcome(
                    ok=False, message=f"sitemap entry climbs above the site: {loc}", detail="sitemap"
                )
            )
        if not outcome.ok:
            problems.append(Problem(kind=Kind.INTERNAL, target=loc, outcome=outcome, occurrences=(where,)))
    if relative:
        message = (
            f"{len(relative)} sitemap entries are not absolute URLs (e.g. {relative[0].url!r}): "
            "the site was built without site_url (set K8SKB_SITE_URL, or pass --site-url)"
        )
        outcome = Outcome(ok=True, message=message, detail="sitemap", severity=Severity.WARNING)
        first = (relative[0],)  # one place is enough: the message counts them
        problems.append(Problem(kind=Kind.INTERNAL, target=SITEMAP, outcome=outcome, occurrences=first))
    return problems


def _locate_all(root: Path, pending: _Pending) -> dict[object, list[Occurrence]]:
    """Give every pending occurrence its line:column, reading only the pages that have problems."""
    result: dict[object, list[Occurrence]] = defaultdict(list)
    for page, items in pending.by_page.items():
        wanted = {(attribute, url) for attribute, url, _, _, _ in items if attribute}
        positions = _page_positions(root / page, wanted) if wanted else {}
        for attribute, url, index, origin, key in items:
            found = positions.get((attribute, url), [])
            line, column = found[index] if index < len(found) else (0, 0)
            result[key].append(
                Occurrence(path=page, line=line, column=column, attribute=attribute, origin=origin, url=url)
            )
    return result


def _page_positions(path: Path, wanted: set[tuple[str, str]]) -> dict[tuple[str, str], list[tuple[int, int]]]:
    try:
        text = path.read_bytes().decode("utf-8", errors="replace")
    except OSError:
        return {}
    return locate(text, wanted)


def locate_links(root: Path, links: Iterable[Link]) -> list[Occurrence]:
    """Return the occurrences of ``links`` (all written on pages of ``root``) with line:column filled in."""
    pending = _Pending()
    items = list(links)
    for i, link in enumerate(items):
        occ = link.occurrence
        pending.add(occ.path, occ.attribute, occ.url, occ.origin, i)
    located = _locate_all(root, pending)
    return [located[i][0] for i in range(len(items))]


@dataclass(slots=True)
class ExternalResult:
    """Problems of the external check and what it did."""

    targets: int = 0
    checked: int = 0
    cached: int = 0
    problems: list[Problem] = field(default_factory=list)


def check_external(
    links: list[Link],
    options: HttpOptions,
    include_fragments: bool = False,
    cache: LinkCache | None = None,
    site_root: Path | None = None,
    on_start: Callable[[int], None] | None = None,
    on_done: Callable[[str, UrlResult], None] | None = None,
) -> ExternalResult:
    """Check external ``links`` (deduplicated by URL) and return one problem per failed target."""
    by_url: dict[str, list[Link]] = defaultdict(list)
    fragments: dict[str, set[str]] = defaultdict(set)
    for link in links:
        url, fragment = split_fragment(absolute_external(link.url))
        by_url[url].append(link)
        if include_fragments and fragment:
            fragments[url].add(fragment)
    result = ExternalResult(targets=len(by_url))
    work: dict[str, set[str]] = {}
    results: dict[str, UrlResult] = {}
    for url in by_url:
        cached = _from_cache(cache, url, fragments.get(url, set()))
        if cached is not None:
            results[url] = cached
            result.cached += 1
        else:
            work[url] = fragments.get(url, set())
    if on_start is not None:
        on_start(len(work))
    if work:
        from k8skb.links.checker.http import run_checks  # the HTTP stack: only when needed

        results.update(run_checks(work, options, on_done))
        result.checked = len(work)
    if cache is not None:
        for url in work:
            _to_cache(cache, url, results[url])
    located = _locate_problem_links(by_url, results, site_root)
    for url, url_links in by_url.items():
        result.problems.extend(_external_problems(url, results[url], url_links, located))
    return result


def _locate_problem_links(
    by_url: dict[str, list[Link]], results: dict[str, UrlResult], site_root: Path | None
) -> dict[int, Occurrence]:
    """line:column of every on-page link of a failed URL (or fragment), keyed by ``id(link)``.

    One pass over the pages for all failed URLs together: a broken URL linked from every page
    (navigation, footer) costs one read of each page, not one per failed URL.
    """
    if site_root is None:
        return {}
    failed = [
        link
        for url, links in by_url.items()
        if results[url].outcome.is_problem or any(o.is_problem for o in results[url].fragments.values())
        for link in links
        if link.occurrence.attribute != "reference"
    ]
    if not failed:
        return {}
    return {
        id(link): occurrence for link, occurrence in zip(failed, locate_links(site_root, failed), strict=True)
    }


def _from_cache(cache: LinkCache | None, url: str, fragments: set[str]) -> UrlResult | None:
    if cache is None:
        return None
    outcome = cache.get(redact_credentials(url))
    if outcome is None:
        return None
    per_fragment: dict[str, Outcome] = {}
    for fragment in fragments:
        fragment_outcome = cache.get(redact_credentials(f"{url}#{fragment}"))
        if fragment_outcome is None:
            return None
        per_fragment[fragment] = fragment_outcome
    return UrlResult(outcome=outcome, fragments=per_fragment)


def _to_cache(cache: LinkCache, url: str, result: UrlResult) -> None:
    """Store ``result``; a URL's credentials are never written to the cache file."""
    cache.record(redact_credentials(url), result.outcome)
    for fragment, outcome in result.fragments.items():
        cache.record(redact_credentials(f"{url}#{fragment}"), outcome)


def _external_problems(
    url: str, result: UrlResult, links: list[Link], located: dict[int, Occurrence]
) -> list[Problem]:
    problems = []
    if result.outcome.is_problem:
        problems.append(
            Problem(
                kind=Kind.EXTERNAL,
                target=url,
                outcome=result.outcome,
                occurrences=_occurrences(links, located),
            )
        )
    for fragment, outcome in sorted(result.fragments.items()):
        if outcome.is_problem:
            with_fragment = [lk for lk in links if split_fragment(absolute_external(lk.url))[1] == fragment]
            problems.append(
                Problem(
                    kind=Kind.EXTERNAL,
                    target=f"{url}#{fragment}",
                    outcome=outcome,
                    occurrences=_occurrences(with_fragment, located),
                )
            )
    return problems


def _occurrences(links: list[Link], located: dict[int, Occurrence]) -> tuple[Occurrence, ...]:
    """The occurrences of ``links``, with line:column where located (glossary references have theirs).

    Glossary references come first (the line to edit), then the pages, each group in path order.
    """
    found = {located.get(id(lk), lk.occurrence) for lk in links}
    return tuple(sorted(found, key=lambda occ: (occ.attribute != "reference", occ.sort_key())))
