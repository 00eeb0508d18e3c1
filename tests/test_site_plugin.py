"""The MkDocs plugin wiring: a tiny bilingual project built with ``mkdocs build --strict``."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser

REPO = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).parent / "site_glossary"

MKDOCS_YML = """
site_name: t
theme: {name: material, custom_dir: overrides, language: ja, font: false, features: [content.tooltips]}
markdown_extensions: [admonition, attr_list, md_in_html, tables, toc]
plugins:
  - k8skb: {search: SEARCH}
  - i18n:
      docs_structure: folder
      languages:
        - {locale: ja, name: 日本語, default: true, build: true}
        - {locale: en, name: English, build: true}
nav:
  - index.md
  - glossary/index.md
"""


def make_project(tmp_path: Path, search: bool = False) -> Path:
    """Write a project: the fixture glossary, hand-written home pages, the real overrides."""
    shutil.copytree(FIXTURE, tmp_path / "glossary")
    shutil.copytree(REPO / "overrides", tmp_path / "overrides")
    for lang, text in (
        ("ja", "# ホーム\n\nkubeletはノードで動きます。\n"),
        ("en", "# Home\n\nThe kubelet runs on a node.\n"),
    ):
        (tmp_path / "docs" / lang).mkdir(parents=True)
        (tmp_path / "docs" / lang / "index.md").write_text(text, encoding="utf-8")
    options = f"search: {str(search).lower()}"
    (tmp_path / "mkdocs.yml").write_text(MKDOCS_YML.replace("search: SEARCH", options), encoding="utf-8")
    return tmp_path


def build(project: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    """Run ``mkdocs build --strict`` in ``project``."""
    return run_python(project, "-m", "mkdocs", "build", "--strict", *extra)


def run_python(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run this Python with ``args`` in ``project`` (output captured, MkDocs' notices off)."""
    return subprocess.run(
        [sys.executable, *args],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin"},
    )


def html(project: Path, url: str) -> LexborHTMLParser:
    return LexborHTMLParser((project / "site" / url / "index.html").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = make_project(tmp_path_factory.mktemp("project"), search=True)
    proc = build(project)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return project


def test_term_pages_exist_in_both_languages_and_switch_to_each_other(built: Path) -> None:
    ja = html(built, "glossary/kubelet")
    en = html(built, "en/glossary/kubelet")
    assert ja.css_first("html").attributes["lang"] == "ja"
    assert en.css_first("html").attributes["lang"] == "en"
    ja_switch = {a.attributes["hreflang"]: a.attributes["href"] for a in ja.css("a.md-select__link")}
    en_switch = {a.attributes["hreflang"]: a.attributes["href"] for a in en.css("a.md-select__link")}
    assert ja_switch["en"] == "../../en/glossary/kubelet/"
    assert en_switch["ja"] == "../../../glossary/kubelet/"
    # no <link rel="alternate"> in the head: Material would fetch <twin>/sitemap.xml from each (404)
    assert ja.css('head link[rel="alternate"]') == [] and en.css('head link[rel="alternate"]') == []


def test_the_home_pages_switch_languages_with_relative_links(built: Path) -> None:
    """i18n gives the home pages absolute alternates (/en/): relative ones work under a sub-path too."""
    for url, expected in (("", {"ja": "./", "en": "en/"}), ("en", {"ja": "../", "en": "./"})):
        switcher = html(built, url).css("a.md-select__link")
        links = {a.attributes["hreflang"]: a.attributes["href"] for a in switcher}
        assert links == expected, url


def test_source_meta_and_term_links_on_generated_and_hand_written_pages(built: Path) -> None:
    page = html(built, "glossary/kubelet")
    meta = page.css_first('meta[name="k8skb:source"]')
    assert meta.attributes["content"] == "glossary/terms.yaml:56"
    links = {a.text(): a.attributes["href"] for a in page.css("article a.k8skb-term")}
    assert links["kube-apiserver"] == "../kube-apiserver/"
    assert "kubelet" not in links  # never a link to the page itself
    home = {a.text(): a.attributes for a in html(built, "en").css("article a.k8skb-term")}
    assert home["kubelet"]["href"] == "glossary/kubelet/"
    assert home["kubelet"]["title"] == "The agent on each node that runs Pods."


def test_each_language_has_its_own_404_page_with_links_on_this_host(built: Path) -> None:
    """i18n writes every language's 404 page at the root; the plugin puts each in its folder."""
    site = built / "site"
    pages = (("404.html", "ja", "ページが見つかりません"), ("en/404.html", "en", "Page not found"))
    for rel, lang, heading in pages:
        page = LexborHTMLParser((site / rel).read_text(encoding="utf-8"))
        assert page.css_first("html").attributes["lang"] == lang, rel
        assert heading in page.css_first("article h1").text(), rel
        homes = {a.attributes["href"] for a in page.css("article a")}
        assert homes == {"/", "/en/"}, rel  # absolute: a server shows it at any depth
        assert page.css("[data-pagefind-body]") == [], rel  # not a search result
    for path in site.rglob("*.html"):  # "//host/…" would leave the site (the 404 manifest link did)
        assert not re.search(r'(?:href|src)="//', path.read_text(encoding="utf-8")), path


def test_category_pages_and_search_index(built: Path) -> None:
    cat = html(built, "en/glossary/category/resource")
    assert [a.attributes["href"] for a in cat.css("svg a")] == [
        "../../deployment/",
        "../../replicaset/",
        "../../pod/",
    ]
    assert (built / "site" / "pagefind" / "pagefind.js").is_file()
    assert list((built / "site" / "pagefind").glob("pagefind.ja_*.pf_meta"))
    assert list((built / "site" / "pagefind").glob("pagefind.en_*.pf_meta"))
    assert not (built / "site" / "search" / "search_index.json").exists()


def test_glossary_errors_abort_cleanly_with_file_and_line(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    bad = project / "glossary" / "terms.yaml"
    bad.write_text(
        bad.read_text(encoding="utf-8").replace("target: etcd", "target: etcdd", 1), encoding="utf-8"
    )
    proc = build(project)
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0
    assert "glossary/terms.yaml:" in output and "relation target 'etcdd' is not a glossary id" in output
    assert "Traceback" not in output


def test_watch_includes_the_glossary(tmp_path: Path) -> None:
    from mkdocs.config import load_config

    project = make_project(tmp_path)
    config = load_config(str(project / "mkdocs.yml"))
    config.plugins["k8skb"].on_config(config)
    assert str(project / "glossary") in [str(p) for p in config.watch]


def test_every_page_is_rendered_and_written_by_mkdocs(tmp_path: Path) -> None:
    # No page is skipped or written behind MkDocs' back: every generated page exists, with the
    # theme around its content, in both languages, and other plugins would see its output.
    project = make_project(tmp_path)
    proc = run_python(project, "-W", "error::DeprecationWarning:k8skb", "-m", "mkdocs", "build", "--strict")
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, output
    assert "Page skipped" not in output
    site = project / "site"
    for lang_prefix in ("", "en/"):
        for term in ("kubelet", "pod", "kube-apiserver"):
            page = html(project, f"{lang_prefix}glossary/{term}")
            assert page.css_first("header.md-header") is not None, (lang_prefix, term)
            assert page.css_first("article h1") is not None, (lang_prefix, term)
    assert (site / "assets" / "quiz" / "bank.ja.json").is_file()
    assert (site / "assets" / "quiz" / "bank.en.json").is_file()


def test_generated_pages_have_their_own_anchors_and_table_of_contents(built: Path) -> None:
    for url in ("glossary/kubelet", "en/glossary/kubelet", "en/glossary/pod", "glossary/pod"):
        page = html(built, url)
        ids = [h.attributes.get("id") for h in page.css("article h2")]
        assert ids and len(set(ids)) == len(ids), (url, ids)
        toc = [a.attributes["href"] for a in page.css("nav.md-nav--secondary a.md-nav__link")]
        assert toc == [f"#{i}" for i in ids], (url, toc)


def test_quiz_file_errors_abort_cleanly_with_file_and_line(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    (project / "quiz").mkdir()
    (project / "quiz" / "bad.yaml").write_text("- id: broken\n  kind: no-such-kind\n", encoding="utf-8")
    proc = build(project)
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0
    assert "quiz/bad.yaml:" in output and "the quiz files in quiz/: 4 error(s)" in output
    assert "Traceback" not in output
