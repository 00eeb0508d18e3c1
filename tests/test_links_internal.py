"""Internal link checking: the fixture site's planted problems (and only those), and the stages alone."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from k8skb.links.checker.internal import Target, resolve
from k8skb.links.collector import collect_site
from k8skb.links.extract import locate, parse_html, srcset_urls
from k8skb.links.filter import Filter, LinkClass
from k8skb.links.pipeline import scan_site
from k8skb.links.types import Problem

SITE = Path(__file__).parent / "fixtures" / "links" / "built"
SOURCE = "glossary/workloads.yaml:12"

PLANTED = {
    # target: (rule, [(page, link as written, glossary source)])
    "/missing-page/": (
        "missing-page",
        [("en/index.html", "../missing-page/", None), ("index.html", "missing-page/", None)],
    ),
    "/en/glossary/#no-such-anchor": (
        "missing-fragment",
        [("en/index.html", "glossary/#no-such-anchor", None)],
    ),
    "/en/glossary/Pod/": ("wrong-case", [("en/glossary/index.html", "Pod/", None)]),
    "/assets/missing.png": ("missing-file", [("en/index.html", "../assets/missing.png", None)]),
    "/en/glossary/assets/style.css": (
        "missing-file",
        [("en/glossary/pod/index.html", "../assets/style.css", SOURCE)],
    ),
    "/glossary/deployment/": ("missing-page", [("glossary/ポッド/index.html", "../deployment/", SOURCE)]),
}


def expected_position(page: str, written: str) -> tuple[int, int]:
    """Line and column of the start tag holding ``written``, found by plain text search."""
    for number, line in enumerate((SITE / page).read_text(encoding="utf-8").splitlines(), start=1):
        at = line.find(f'="{written}"')
        if at >= 0:
            return number, line.rfind("<", 0, at) + 1
    raise AssertionError(f"{written} not in {page}")


@pytest.fixture(scope="module")
def problems() -> dict[str, Problem]:
    scan = scan_site(SITE, Filter())
    return {p.target: p for p in scan.problems}


def test_exactly_the_planted_problems_are_found(problems: dict[str, Problem]) -> None:
    assert sorted(problems) == sorted(PLANTED)
    for target, (rule, _) in PLANTED.items():
        assert problems[target].outcome.detail == rule, target


def test_each_problem_names_every_source_with_line_column_and_yaml(problems: dict[str, Problem]) -> None:
    for target, (_, sources) in PLANTED.items():
        got = [(o.path, o.url, o.origin, o.line, o.column) for o in problems[target].occurrences]
        want = [
            (page, written, origin, *expected_position(page, written)) for page, written, origin in sources
        ]
        assert got == want, target


def test_wrong_case_names_the_real_path(problems: dict[str, Problem]) -> None:
    assert "/en/glossary/pod/" in problems["/en/glossary/Pod/"].message


def test_wrong_case_is_broken_even_when_the_file_system_ignores_case(tmp_path: Path) -> None:
    site = tmp_path / "s"
    (site / "Guide").mkdir(parents=True)
    (site / "Guide" / "index.html").write_text("<p>guide</p>", encoding="utf-8")
    (site / "index.html").write_text('<a href="guide/">g</a> <a href="Guide/">G</a>', encoding="utf-8")
    scan = scan_site(site, Filter())
    assert [p.target for p in scan.problems] == ["/guide/"]
    assert scan.problems[0].outcome.detail == "wrong-case"


def test_a_directory_without_index_html_has_its_own_rule(tmp_path: Path) -> None:
    site = tmp_path / "s"
    (site / "noindex").mkdir(parents=True)
    (site / "noindex" / "other.html").write_text("<p>x</p>", encoding="utf-8")
    (site / "index.html").write_text('<a href="noindex/">n</a> <a href="/noindex">m</a>', encoding="utf-8")
    scan = scan_site(site, Filter())
    assert {(p.target, p.outcome.detail) for p in scan.problems} == {
        ("/noindex/", "missing-index"),
        ("/noindex", "missing-index"),
    }
    assert all(p.message == "directory without index.html: /noindex/" for p in scan.problems)


def test_fragments_are_found_as_browsers_find_them(tmp_path: Path) -> None:
    """Raw, then percent-decoded; empty and ``top`` (any case) are the top; text directives dropped."""
    site = tmp_path / "s"
    site.mkdir()
    fine = ["#a%20b", "#caf%C3%A9", "#sp%20ace", "#TOP", "#", "#:~:text=foo", "#foo:~:text=x", "#Top"]
    links = " ".join(f'<a href="{u}">x</a>' for u in [*fine, "#caf%C3%A9x", "#bar:~:text=x"])
    ids = '<p id="a%20b"></p><p id="café"></p><p id="sp ace"></p><p id="foo"></p>'
    (site / "index.html").write_text(ids + links, encoding="utf-8")
    scan = scan_site(site, Filter())
    assert sorted(p.target for p in scan.problems) == ["/index.html#bar:~:text=x", "/index.html#caf%C3%A9x"]


@pytest.mark.parametrize("name", ["old.htm", "LOUD.HTML", "old.HTM"])
def test_pages_named_htm_or_upper_case_are_parsed_like_html(tmp_path: Path, name: str) -> None:
    site = tmp_path / "s"
    site.mkdir()
    (site / name).write_text('<h1 id="here"></h1><a href="gone.png">x</a>', encoding="utf-8")
    (site / "index.html").write_text(
        f'<a href="{name}#here">a</a> <a href="{name}#nope">b</a>', encoding="utf-8"
    )
    scan = scan_site(site, Filter())
    assert sorted(p.target for p in scan.problems) == sorted([f"/{name}#nope", "/gone.png"])


def test_external_links_are_collected_not_checked_offline() -> None:
    scan = scan_site(SITE, Filter())
    urls = sorted({link.url for link in scan.external})
    assert urls == ["https://kubernetes.io/docs/concepts/", "https://kubernetes.io/ja/docs/concepts/"]


def test_exclude_drops_matching_links() -> None:
    scan = scan_site(SITE, Filter.from_patterns([r"missing", r"Pod/$"]))
    assert sorted(p.target for p in scan.problems) == [
        "/en/glossary/#no-such-anchor",
        "/en/glossary/assets/style.css",
        "/glossary/deployment/",
    ]
    assert scan.excluded == 4


def test_parallel_parsing_gives_the_same_result(tmp_path: Path) -> None:
    site = tmp_path / "big"
    shutil.copytree(SITE, site)
    for i in range(420):
        page = site / "many" / str(i) / "index.html"
        page.parent.mkdir(parents=True)
        page.write_text(
            f'<h1 id="h{i}">{i}</h1><a href="../{(i + 1) % 420}/#h{(i + 1) % 420}">n</a>', encoding="utf-8"
        )
    one = scan_site(site, Filter(), workers=1)
    two = scan_site(site, Filter(), workers=2)
    assert sorted(p.target for p in one.problems) == sorted(p.target for p in two.problems) == sorted(PLANTED)
    assert one.links == two.links


@pytest.mark.parametrize(
    ("page", "url", "expected"),
    [
        ("index.html", "glossary/", Target(path="glossary", is_directory=True, fragment="")),
        (
            "index.html",
            "/glossary/%E3%83%9D%E3%83%83%E3%83%89/",
            Target(path="glossary/ポッド", is_directory=True, fragment=""),
        ),
        ("en/a/index.html", "../b/#x%20y", Target(path="en/b", is_directory=True, fragment="x%20y")),
        ("en/a/index.html", "#top", Target(path="en/a/index.html", is_directory=False, fragment="top")),
        ("en/a/index.html", "", Target(path="en/a/index.html", is_directory=False, fragment="")),
        ("en/a/index.html", "..", Target(path="en", is_directory=True, fragment="")),
        ("en/index.html", "../", Target(path="", is_directory=True, fragment="")),
        ("index.html", "img/a.png?v=2#frag", Target(path="img/a.png", is_directory=False, fragment="frag")),
        ("index.html", "../up/", None),
    ],
)
def test_resolve(page: str, url: str, expected: Target | None) -> None:
    assert resolve(page, url) == expected


def test_srcset_candidates() -> None:
    assert srcset_urls("a.png 1x, b.png 2x") == ["a.png", "b.png"]
    assert srcset_urls("a.png,b.png 2x") == ["a.png,b.png"]  # a comma inside a URL stays
    assert srcset_urls("a.png, b.png") == ["a.png", "b.png"]
    assert srcset_urls("  a.png 100w,\n b.png (max-width: 2px) 200w ") == ["a.png", "b.png"]
    assert srcset_urls("") == []


def test_parse_html_finds_links_anchors_and_source() -> None:
    page = parse_html(
        "p.html",
        '<head><meta name="k8skb:source" content="glossary/x.yaml:3"><link rel="preconnect" href="https://f">'
        '</head><h2 id="見出し">x</h2><a name="old" href="a?x=1&amp;y=2">a</a>'
        '<img srcset="s.png 1x, t.png 2x">'
        "<!-- <a href='hidden'> --><script>'<a href=\"nope\">'</script>",
    )
    assert page.origin == "glossary/x.yaml:3"
    assert page.anchors == {"見出し", "old"}
    assert sorted(page.links) == [("href", "a?x=1&y=2"), ("srcset", "s.png"), ("srcset", "t.png")]


def test_locate_skips_comments_and_scripts_and_decodes_entities() -> None:
    text = (
        '<!-- <a href="x"> -->\n<script>"<a href=\\"x\\">"</script>\n'
        "  <a class=c href=\"x\">\n<img\n  src='a&amp;b'>"
    )
    found = locate(text, {("href", "x"), ("src", "a&b")})
    assert found == {("href", "x"): [(3, 3)], ("src", "a&b"): [(4, 1)]}


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("mailto:a@b.c", LinkClass.IGNORED),
        ("tel:+1", LinkClass.IGNORED),
        ("JavaScript:void(0)", LinkClass.IGNORED),
        ("data:image/png;base64,xx", LinkClass.IGNORED),
        ("https://a.b/", LinkClass.EXTERNAL),
        ("//cdn.example/x.js", LinkClass.EXTERNAL),
        (" ../x/ ", LinkClass.INTERNAL),
        ("#frag", LinkClass.INTERNAL),
    ],
)
def test_classify(url: str, expected: LinkClass) -> None:
    assert Filter().classify(url) is expected


def test_collect_site_keeps_real_case_and_pages() -> None:
    site = collect_site(SITE)
    assert "glossary/ポッド/index.html" in site.pages
    assert site.exists("assets/logo@2x.png") and not site.exists("assets/LOGO@2x.png")
    assert site.is_directory("en/glossary/pod") and not site.is_directory("en/glossary/Pod")


def run_links(site: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``k8skb links SITE --offline`` in its own process: a hang ends as a failure, not a stuck suite."""
    command = [sys.executable, "-m", "k8skb", "links", str(site), "--offline", "--format", "json", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False, cwd=site.parent)


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
def test_symlink_loops_and_links_out_of_the_site_end_cleanly(tmp_path: Path) -> None:
    site = tmp_path / "site"
    outside = tmp_path / "outside"
    (site / "a").mkdir(parents=True)
    outside.mkdir()
    (outside / "secret.html").write_text('<a href="nowhere/">x</a>', encoding="utf-8")
    (site / "a" / "loop").symlink_to(site, target_is_directory=True)
    (site / "self.html").symlink_to(site / "self.html")
    (site / "out").symlink_to(outside, target_is_directory=True)
    (site / "index.html").write_text('<a href="a/">a</a> <a href="out/secret.html">o</a>', encoding="utf-8")
    (site / "a" / "index.html").write_text('<a href="../">up</a>', encoding="utf-8")
    done = run_links(site)
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    problems = {p["target"]: p["rule"] for p in json.loads(done.stdout)["problems"]}
    assert problems == {"/out/secret.html": "missing-page"}


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_named_html_is_not_read(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    os.mkfifo(site / "pipe.html")
    (site / "index.html").write_text('<a href="pipe.html">p</a>', encoding="utf-8")
    done = run_links(site)
    assert "Traceback" not in done.stderr, done.stderr
    assert [p["target"] for p in json.loads(done.stdout)["problems"]] == ["/pipe.html"]


def test_a_page_over_the_size_cap_is_reported_not_parsed(tmp_path: Path) -> None:
    from k8skb.links.extract import parse_page

    (tmp_path / "big.html").write_bytes(b"<p>" + b"x" * 2048)
    page = parse_page(tmp_path, "big.html", max_bytes=1024)
    assert page.error is not None and "larger than" in page.error and page.links == ()


@pytest.mark.parametrize("tag", ["ul", "div"])
def test_a_page_nested_too_deep_is_reported_not_parsed(tmp_path: Path, tag: str) -> None:
    """100,000 nested block elements would take the parser minutes: reported at once instead."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "deep.html").write_text(f"<{tag}>" * 100_000 + '<a href="gone/">x</a>', encoding="utf-8")
    (site / "index.html").write_text('<a href="deep.html">d</a> <a href="missing/">m</a>', encoding="utf-8")
    done = run_links(site)
    assert "Traceback" not in done.stderr, done.stderr
    problems = {p["target"]: p["rule"] for p in json.loads(done.stdout)["problems"]}
    assert problems == {"deep.html": "too-deep", "/missing/": "missing-page"}


def test_nesting_depth_counts_open_elements_only() -> None:
    from k8skb.links.extract import nesting_depth_over

    closed = "<div><p>x</p></div>" * 2000  # many tags, shallow
    assert not nesting_depth_over(closed)
    assert not nesting_depth_over("<li>" * 5000 + "<br>" * 5000)  # siblings and void elements
    assert not nesting_depth_over("<script>" + "<div>" * 5000 + "</script>")  # not markup
    assert nesting_depth_over("<div>" * 600)
    assert nesting_depth_over("<section><span>" * 300)


def test_object_data_css_urls_and_meta_refresh_are_links() -> None:
    text = (
        '<head><meta http-equiv="Refresh" content="0; URL=\'next/\'">'
        "<style>/* url(no.png) */ body { background: url( \"bg.png\" ) } @import 'print.css';</style></head>"
        '<object data="movie.svg"></object><p style="background-image:url(dot.png)">x</p>'
    )
    page = parse_html("p.html", text)
    assert sorted(page.links) == [
        ("css", "bg.png"),
        ("css", "print.css"),
        ("data", "movie.svg"),
        ("refresh", "next/"),
        ("style", "dot.png"),
    ]
    at = {
        "refresh": text.index("<meta"),
        "bg.png": text.index('url( "bg'),
        "print.css": text.index("@import"),
        "data": text.index("<object"),
        "style": text.index("<p style"),
    }
    assert locate(text, set(page.links)) == {
        ("refresh", "next/"): [(1, at["refresh"] + 1)],
        ("css", "bg.png"): [(1, at["bg.png"] + 1)],
        ("css", "print.css"): [(1, at["print.css"] + 1)],
        ("data", "movie.svg"): [(1, at["data"] + 1)],
        ("style", "dot.png"): [(1, at["style"] + 1)],
    }


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("0; url=a/", "a/"),
        ("5;URL='b c/'", "b c/"),
        ('1, "q.html"', "q.html"),
        ("0 ; url = x", "x"),
        ("3", None),
        ("0;", None),
        ("soon; url=x", None),
        ("0; urlish", "urlish"),
    ],
)
def test_refresh_url(content: str, expected: str | None) -> None:
    from k8skb.links.extract import refresh_url

    assert refresh_url(content) == expected


def write_site(root: Path, pages: dict[str, str]) -> Path:
    """Write ``pages`` (site path → content) under ``root`` and return it."""
    for name, content in pages.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(content, encoding="utf-8")
    return root


def rules_of(scan: object) -> dict[str, str]:
    from k8skb.links.pipeline import SiteScan

    assert isinstance(scan, SiteScan)
    return {p.target: p.outcome.detail for p in scan.problems}


def test_tabs_and_newlines_are_removed_from_urls_as_browsers_do(tmp_path: Path) -> None:
    site = write_site(
        tmp_path / "s",
        {
            "index.html": (
                '<a href="gui\tde/">a</a> <a href="\n guide/\n">b</a> <a href="gu&#10;ide/#x&#9;y">c</a>'
            ),
            "guide/index.html": '<p id="xy">g</p>',
        },
    )
    assert rules_of(scan_site(site, Filter())) == {}


def test_a_backslash_is_read_as_slash_and_warned_about(tmp_path: Path) -> None:
    site = write_site(
        tmp_path / "s",
        {
            "index.html": '<a href="guide\\page.html?q=a\\b">a</a> <a href="guide\\gone.html">b</a>',
            "guide/page.html": "<p>g</p>",
        },
    )
    scan = scan_site(site, Filter())
    assert rules_of(scan) == {
        "guide\\page.html?q=a\\b": "backslash",
        "guide\\gone.html": "backslash",
        "/guide/gone.html": "missing-page",
    }
    warning = next(p for p in scan.problems if p.target == "guide\\page.html?q=a\\b")
    assert warning.severity.value == "warning" and "write guide/page.html?q=a\\b" in warning.message
    assert [(o.path, o.line, o.column) for o in warning.occurrences] == [("index.html", 1, 1)]


def test_http_colon_without_slashes_resolves_as_the_url_standard_says(tmp_path: Path) -> None:
    site = write_site(
        tmp_path / "s",
        {
            "index.html": '<a href="http:example.com/a">a</a> <a href="https:guide/">b</a> <a href="http:///x.org/">c</a>'
        },
    )
    scan = scan_site(site, Filter(), site_url="")  # pages served over https (the default)
    assert rules_of(scan) == {"/guide/": "missing-page"}
    assert sorted(link.url for link in scan.external) == ["http://example.com/a", "http://x.org/"]
    over_http = scan_site(site, Filter(), site_url="http://example.com/")  # now http: is the page's own
    assert rules_of(over_http) == {"/example.com/a": "missing-page"}
    assert sorted(link.url for link in over_http.external) == ["http://x.org/", "https://guide/"]


def test_base_href_is_honoured(tmp_path: Path) -> None:
    site = write_site(
        tmp_path / "s",
        {
            "docs/index.html": (
                '<base href="../assets/"><a href="logo.png">a</a> <a href="gone.png">b</a>'
                '<a href="#top">c</a>'
            ),
            "assets/logo.png": "x",
            "ext.html": '<base href="https://example.com/d/"><a href="page">e</a>',
        },
    )
    scan = scan_site(site, Filter())
    assert rules_of(scan) == {"/assets/gone.png": "missing-file", "/assets/#top": "missing-index"}
    assert [link.url for link in scan.external] == ["https://example.com/d/page"]
    gone = next(p for p in scan.problems if p.target == "/assets/gone.png")
    assert [(o.path, o.url) for o in gone.occurrences] == [("docs/index.html", "gone.png")]


HOME = '<link rel="canonical" href="https://you.github.io/k8skb/">'


def test_the_site_url_from_the_home_page_makes_its_base_path_a_site_path(tmp_path: Path) -> None:
    """A build with site_url: /k8skb/… links (404 page, language switcher) are the site's own pages."""
    site = write_site(
        tmp_path / "s",
        {
            "index.html": HOME
            + '<a href="/k8skb/en/">en</a> <a href="/k8skb">home</a> <a href="/en/">out</a>',
            "en/index.html": '<a href="https://you.github.io/k8skb/">ja</a> <a href="/k8skb/gone/">g</a>',
            "404.html": '<a href="/k8skb/en/#x">x</a>',
        },
    )
    scan = scan_site(site, Filter())
    assert scan.address is not None and scan.address.base_path == "/k8skb/"
    assert rules_of(scan) == {"/en/": "outside-site", "/gone/": "missing-page", "/en/#x": "missing-fragment"}
    assert scan.external == []
    assert "published under /k8skb/" in next(p.message for p in scan.problems if p.target == "/en/")
    without = scan_site(site, Filter(), site_url="")  # the site's URL unknown: /k8skb/… is a plain path
    assert "/k8skb/en/" in rules_of(without)


SITEMAP = """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
    <url><loc>{0}</loc></url>
    <url><loc>{0}en/</loc></url>
    <url><loc>{0}gone/</loc></url>
    <url><loc>https://elsewhere.example/</loc></url>
</urlset>
"""


def test_sitemap_entries_must_be_pages_of_the_site(tmp_path: Path) -> None:
    pages = {"index.html": HOME, "en/index.html": "<p>en</p>"}
    site = write_site(
        tmp_path / "s", {**pages, "sitemap.xml": SITEMAP.format("https://you.github.io/k8skb/")}
    )
    scan = scan_site(site, Filter())
    assert rules_of(scan) == {
        "https://you.github.io/k8skb/gone/": "missing-page",
        "https://elsewhere.example/": "sitemap",
    }
    gone = next(p for p in scan.problems if p.target.endswith("gone/"))
    assert [(o.path, o.line, o.column) for o in gone.occurrences] == [("sitemap.xml", 5, 10)]


def test_a_sitemap_built_without_site_url_is_one_warning(tmp_path: Path) -> None:
    site = write_site(tmp_path / "s", {"index.html": "<p>x</p>", "sitemap.xml": SITEMAP.format("None")})
    scan = scan_site(site, Filter())
    assert rules_of(scan) == {"sitemap.xml": "sitemap"}
    (warning,) = scan.problems
    assert (
        warning.severity.value == "warning" and "3 sitemap entries are not absolute URLs" in warning.message
    )
