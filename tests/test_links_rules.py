"""Every rule of ``k8skb links`` fires exactly where the fixture site plants it, and nowhere else.

The site is tests/fixtures/links/rules/ (one page per rule; its README says how a finding is
planted). Rules the site cannot plant (a FIFO, a 20 MiB page, a slow server, the glossary's own
checks) are named in ``ELSEWHERE`` with the test that covers them.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from k8skb.links.filter import Filter
from k8skb.links.options import HttpOptions
from k8skb.links.pipeline import check_external, scan_site
from k8skb.links.report import RULES
from k8skb.links.retry import RetryPolicy
from k8skb.links.types import Problem
from links_fault_server import FaultServer, closed_port_url

RULES_SITE = Path(__file__).parent / "fixtures" / "links" / "rules"
EXTERNAL_PAGE = "external.html"
ELSEWHERE = {
    "unreadable": "test_links_internal: a FIFO, a page over the size cap",
    "timeout": "test_links_external: slow headers, a body that trickles",
    "deadline": "test_links_external: the overall deadline",
    "redirects": "test_links_external: a chain longer than the limit",
    "invalid-redirect": "test_links_external: Location http://[::1/x",
    "check-failed": "test_links_external: a check that raises",
    "network": "test_links_external: a dropped connection",
    "malformed-url": "test_links_cli: glossary reference checks",
    "language-mismatch": "test_links_cli: glossary reference checks",
}
Finding = tuple[str, str, int, int]
"""(rule, file, line, column); line and column 0 for a whole page."""

_PLANTED_TAG = re.compile(r'<[A-Za-z][^>]*\sdata-planted="([^"]+)"')


def planted(site: Path, pages: set[str]) -> set[Finding]:
    """The findings the fixture files plant (see the README of the rules site)."""
    found: set[Finding] = set()
    for name in sorted(pages):
        text = (site / name).read_text(encoding="utf-8")
        for number, line in enumerate(text.splitlines(), start=1):
            for match in _PLANTED_TAG.finditer(line):
                found.add((match.group(1), name, number, match.start() + 1))
            page_rule = re.search(r"<!-- planted-page: ([\w-]+) -->", line)
            if page_rule:
                found.add((page_rule.group(1), name, 0, 0))
            loc_rule = re.search(r"<!-- planted: ([\w-]+) -->", line)
            if loc_rule:
                found.add((loc_rule.group(1), name, number, line.index("<loc>") + 1))
    return found


def findings(problems: list[Problem]) -> set[Finding]:
    """The findings of a check, in the same form."""
    return {(p.outcome.detail, o.path, o.line, o.column) for p in problems for o in p.occurrences}


def internal_files() -> set[str]:
    """The fixture files the offline check reads (every page but the external one, and the sitemap)."""
    return {
        p.relative_to(RULES_SITE).as_posix()
        for p in RULES_SITE.rglob("*")
        if p.suffix in (".html", ".xml") and p.name != EXTERNAL_PAGE
    }


def test_each_internal_rule_fires_exactly_where_planted() -> None:
    scan = scan_site(RULES_SITE, Filter.from_patterns([r"^\{CLOSED\}$"]))  # the placeholder of external.html
    assert findings(scan.problems) == planted(RULES_SITE, internal_files())


@pytest.fixture
def external_site(tmp_path: Path) -> Iterator[Path]:
    """A copy of the rules site whose external page points at a running fault server."""
    site = tmp_path / "rules"
    shutil.copytree(RULES_SITE, site)
    with FaultServer() as server:
        page = site / EXTERNAL_PAGE
        text = page.read_text(encoding="utf-8").replace("{PORT}", str(server.port))
        page.write_text(text.replace("{CLOSED}", closed_port_url()), encoding="utf-8")
        yield site


def test_each_external_rule_fires_exactly_where_planted(external_site: Path) -> None:
    scan = scan_site(external_site, Filter())
    options = HttpOptions(timeout=5, deadline=60, retry=RetryPolicy(retries=0))
    result = check_external(scan.external, options, include_fragments=True, site_root=external_site)
    assert findings(result.problems) == planted(external_site, {EXTERNAL_PAGE})


def test_every_rule_is_planted_or_covered_elsewhere() -> None:
    rules = {rule for rule, *_ in planted(RULES_SITE, {*internal_files(), EXTERNAL_PAGE})}
    assert rules | set(ELSEWHERE) == set(RULES)
    assert not rules & set(ELSEWHERE)
