"""What k8skb does to a built site, whichever engine built it: term links, quiz banks, search index.

Flow: ``TermLinker.link_page`` takes one built page's HTML → points the search box
(``data-pagefind-root``) and the links marked ``data-k8skb-site-path`` (the web app manifest) at the
site's root: an engine that builds each language as a site of its own, as zensical-i18n does, gives
``/en/`` pages the wrong root → finds the page's content between the
``k8skb:content`` markers our template (``overrides/main.html``) writes, its language (``<html
lang>``) and its own term (``<meta name="k8skb:term">``) → turns the first mention of each term
into a link to the term's page with the summary as tooltip (``mentions``). The MkDocs plugin calls
it for every page it renders (``on_post_page``); ``finish_site`` calls it for every HTML file of a
site another engine built, then writes the quiz banks (``quiz.sitefiles``), runs Pagefind
(``search.index_site``) and writes the service worker and manifests (``offline``), as the plugin
does at the end of a build.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

from k8skb.fileio import write_text_atomic
from k8skb.glossary.loader import Problem
from k8skb.glossary.model import Glossary, Source
from k8skb.glossary.taxonomy import LANGUAGES
from k8skb.quiz.sitefiles import site_files
from k8skb.site.mentions import MentionMatcher, build_matcher, link_mentions
from k8skb.site.offline import write_offline_files
from k8skb.site.search import index_site
from k8skb.site.text import inline_text

CONTENT_START = "<!--k8skb:content-->"
"""Written by ``overrides/main.html`` before a page's content: term links go only between the markers."""
CONTENT_END = "<!--/k8skb:content-->"
"""Written by ``overrides/main.html`` after a page's content."""

DEFAULT_LANGUAGE = LANGUAGES[0]
"""The language served at the site root; the others under ``/<lang>/``."""

_PAGEFIND_ROOT = re.compile(r'data-pagefind-root="[^"]*"')
_SITE_PATH = re.compile(r'href="[^"]*"( data-k8skb-site-path="([^"]*)")')
_HTML_LANG = re.compile(r"<html\b[^>]*?\blang=\"([A-Za-z-]+)\"")
_META = re.compile(r"<meta\s+name=\"k8skb:(term|autolink)\"\s+content=\"([^\"]*)\"\s*/?>")


def page_url(site_dir: Path, path: Path) -> str:
    """The site-relative URL of the page written to ``path``: ``glossary/pod/`` for ``…/pod/index.html``."""
    rel = path.relative_to(site_dir).as_posix()
    if rel == "index.html":
        return ""
    return rel.removesuffix("index.html")


def site_root(page: str) -> str:
    """The site's root as seen from the page at ``page``: ``../../`` for ``glossary/pod/``."""
    depth = page.count("/")
    return "../" * depth if depth else "./"


def relative_url(target: str, page: str) -> str:
    """``target`` (site-relative) as seen from the page at ``page`` (site-relative, ``""`` for the root)."""
    base = page.rstrip("/") if page.endswith("/") else posixpath.dirname(page)
    rel = posixpath.relpath(target or ".", base or ".")
    return rel + "/" if target.endswith("/") and not rel.endswith("/") else rel


class TermLinker:
    """Links term mentions in built pages, with one compiled matcher per language (made on first use)."""

    def __init__(self, glossary: Glossary) -> None:
        self.glossary = glossary
        self._matchers: dict[str, MentionMatcher] = {}

    def matcher(self, lang: str) -> MentionMatcher:
        """The term-mention matcher of ``lang``."""
        matcher = self._matchers.get(lang)
        if matcher is None:
            matcher = self._matchers[lang] = build_matcher(self.glossary, lang)
        return matcher

    def link_page(self, html: str, url: str) -> str:
        """Return the page ``html`` (served at site-relative ``url``) with its term mentions linked.

        A page without the content markers, in a language the glossary lacks, or marked
        ``<meta name="k8skb:autolink" content="false">`` comes back unchanged.
        """
        root = site_root(url)
        html = _PAGEFIND_ROOT.sub(f'data-pagefind-root="{root}"', html, count=1)
        html = _SITE_PATH.sub(lambda m: f'href="{root}{m.group(2)}"{m.group(1)}', html)
        start = html.find(CONTENT_START)
        end = html.find(CONTENT_END, start)
        found = _HTML_LANG.search(html)
        if start < 0 or end < 0 or found is None or found.group(1) not in LANGUAGES:
            return html
        meta = dict(_META.findall(html[:start]))
        if meta.get("autolink") == "false":
            return html
        lang = found.group(1)
        prefix = "" if lang == DEFAULT_LANGUAGE else f"{lang}/"
        glossary = self.glossary

        def href_for(term_id: str) -> str:
            return relative_url(f"{prefix}glossary/{term_id}/", url)

        def tooltip_for(term_id: str) -> str:
            return inline_text(glossary[term_id].summary.get(lang))  # a title shows no Markdown

        content = html[start + len(CONTENT_START) : end]
        linked = link_mentions(content, self.matcher(lang), href_for, tooltip_for, meta.get("term") or None)
        return html[: start + len(CONTENT_START)] + linked + html[end:]


def write_quiz_banks(site_dir: Path, files: dict[str, str]) -> None:
    """Write the quiz banks (``{site-relative path: text}``) into ``site_dir``."""
    for rel_path, text in files.items():
        write_text_atomic(site_dir / rel_path, text)


def finish_site(site_dir: Path, glossary: Glossary, quiz_dir: Path, *, search: bool = True) -> list[Problem]:
    """Link term mentions on every page of ``site_dir``, write the quiz banks, index it with Pagefind.

    Returns the quiz files' problems (an error leaves the banks unwritten) and, as a problem
    without a line, a failed Pagefind run.
    """
    linker = TermLinker(glossary)
    for path in sorted(site_dir.rglob("*.html")):
        if path.name == "404.html":
            continue  # served at any depth: its links stay as the engine wrote them (absolute)
        html = path.read_text(encoding="utf-8")
        linked = linker.link_page(html, page_url(site_dir, path))
        if linked != html:
            write_text_atomic(path, linked)
    files, problems = site_files(glossary, quiz_dir)
    if any(p.severity == "error" for p in problems):
        return problems
    write_quiz_banks(site_dir, files)
    if search:
        failure = index_site(site_dir)
        if failure:
            problems.append(Problem(Source(str(site_dir), 0), failure))
    write_offline_files(site_dir)
    return problems
