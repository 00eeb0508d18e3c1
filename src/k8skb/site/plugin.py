"""The ``k8skb`` MkDocs plugin: a thin adapter from MkDocs events to the pure site modules.

Flow of one ``mkdocs build`` (mkdocs-static-i18n runs the event chain once per language):
- ``on_config``: load and validate the glossary (errors → ``path:line: message`` and a clean
  ``PluginError``), generate the first language's pages with ``pages.generate_site`` while a forked
  child generates the others (``_Pages``; everything is cached between the language builds), and
  watch the glossary and quiz folders for ``mkdocs serve``.
- ``on_files``: add the generated pages before i18n sorts files by language (it needs an
  ``abs_src_path`` under docs_dir and rebuilds each ``File``), then put their content back after.
- ``on_pre_page``: generated pages render with one Markdown converter per build; term pages' Markdown
  comes from verified shells (``shells.MarkdownShells``).
- ``on_page_content``: put the generated HTML fragments into the rendered page (Python-Markdown only
  saw placeholders for them), then turn term mentions into links (``mentions``).
- ``on_page_context`` (last): a term page's HTML comes from a verified shell of the theme's
  rendering (``shells.ShellRenderer``); ``on_post_page`` hands its write to a writer process
  (``fileio.BackgroundWriter``) and hands the page's content to the search index (``search``).
- ``on_post_build``: once every language is written, wait for the page writes, write the quiz banks
  (computed in a child process started in ``on_config``; cached per state of the glossary and quiz
  files for serve) and finish the Pagefind index (``search.ShadowSite``). Under ``mkdocs serve``
  (``on_startup``) only the first build waits for Pagefind; later rebuilds restore the last bundle
  and re-index in a background thread (``search.BackgroundIndexer``).
``fast_build: false`` turns off the shells, the writer process, the forked generation and the garbage
collector tuning (``collector``): MkDocs' plain path; the pages are the same bytes.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import multiprocessing
import os
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import markdown
from jinja2 import ChoiceLoader, DictLoader, Environment
from jinja2.bccache import Bucket, BytecodeCache
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc
from mkdocs.utils import get_relative_url
from mkdocs.utils.templates import TemplateContext

from k8skb import collector
from k8skb.fileio import BackgroundWriter, write_text_atomic
from k8skb.glossary.model import Glossary
from k8skb.glossary.taxonomy import LANGUAGES
from k8skb.glossary.validate import glossary_files, load_glossary
from k8skb.site.config import K8skbConfig
from k8skb.site.mentions import MentionMatcher, build_matcher, link_mentions
from k8skb.site.pages import SitePages, fill_fragments, generate_site, page_paths
from k8skb.site.search import BackgroundIndexer, ShadowSite, index_site
from k8skb.site.shells import MarkdownShells, Rendered, ShellRenderer

log = get_plugin_logger(__name__)

try:  # what Page.render registers on its converter (MkDocs 1.6); without them, MkDocs renders as usual
    from mkdocs.structure.pages import (
        _ExtractAnchorsTreeprocessor,
        _ExtractTitleTreeprocessor,
        _RawHTMLPreprocessor,
        _RelativePathTreeprocessor,
    )

    _MKDOCS_RENDER_PARTS: tuple[type[Any], ...] | None = (
        _RawHTMLPreprocessor,
        _ExtractAnchorsTreeprocessor,
        _RelativePathTreeprocessor,
        _ExtractTitleTreeprocessor,
    )
except ImportError:
    _MKDOCS_RENDER_PARTS = None

DEFAULT_LANGUAGE = LANGUAGES[0]
SHELL_TEMPLATE = "k8skb/rendered.html"
"""What MkDocs renders for a term page: the HTML the plugin made (``shells``) in ``page_context``."""


class _Pages:
    """The generated pages of every language; those of a language made in a child process come on demand.

    ``on_config`` of the first language needs only that language's pages: the others are generated
    in a forked process meanwhile (the second core is idle while the glossary is loaded and the first
    language generated) and received when a page of theirs is first asked for.
    """

    def __init__(
        self, glossary: Glossary, ready: SitePages, pending: dict[str, Future[SitePages]], root: Path | None
    ) -> None:
        self._ready = ready
        self._pending = pending
        self._glossary = glossary
        self._root = root
        self.paths = [path for lang in LANGUAGES for path in page_paths(glossary, lang)]
        self._language = {path: lang for lang in pending for path in page_paths(glossary, lang)}

    def markdown(self, path: str) -> str:
        """The Markdown (with placeholders) of the generated page at ``path``."""
        self._receive(path)
        return self._ready.markdown[path]

    def fragments(self, path: str) -> tuple[str, ...]:
        """The HTML fragments of the page at ``path`` (none for a page the plugin did not generate)."""
        self._receive(path)
        return self._ready.fragments.get(path, ())

    def _receive(self, path: str) -> None:
        lang = self._language.get(path)
        if lang is None or lang not in self._pending:
            return
        job = self._pending.pop(lang)
        try:
            site = job.result()
        except Exception as exc:  # the child died: make them here rather than fail the build
            log.debug(f"generating the {lang} pages in a child process failed ({exc!r}); generating here")
            site = generate_site(self._glossary, self._root, (lang,))
        self._ready.markdown.update(site.markdown)
        self._ready.fragments.update(site.fragments)


@dataclass(frozen=True, slots=True)
class _Generated:
    """The glossary and everything derived from it, for one state of the glossary files."""

    signature: tuple[tuple[str, int, int], ...]
    glossary: Glossary
    pages: _Pages
    matchers: dict[str, MentionMatcher]

    def matcher(self, lang: str) -> MentionMatcher:
        """The term-mention matcher of ``lang`` (made on first use)."""
        matcher = self.matchers.get(lang)
        if matcher is None:
            matcher = self.matchers[lang] = build_matcher(self.glossary, lang)
        return matcher


_FORKED_INPUT: tuple[Glossary, Path | None] | None = None
"""The glossary a forked child generates pages from (inherited, so it is never pickled)."""


def _generate_forked(languages: tuple[str, ...]) -> SitePages:
    assert _FORKED_INPUT is not None
    glossary, root = _FORKED_INPUT
    return generate_site(glossary, root, languages)


_CACHE: dict[str, _Generated] = {}
"""Per glossary directory: the last generated state (the i18n language builds and serve reuse it)."""


class _MemoryBytecodeCache(BytecodeCache):
    """Compiled Jinja templates kept in memory, shared by the language builds and serve rebuilds.

    MkDocs makes a new Jinja environment for every build (i18n: every language), which compiled
    Material's ~80 templates again each time. Jinja checks each entry against the template
    source's checksum, so an edited template is compiled afresh.
    """

    def __init__(self) -> None:
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        """Fill ``bucket`` from memory when this template was compiled before."""
        code = self.store.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        """Keep the compiled template of ``bucket``."""
        self.store[bucket.key] = bucket.bytecode_to_string()


_BYTECODE = _MemoryBytecodeCache()

_QUIZ_CACHE: dict[tuple[object, ...], dict[str, str]] = {}
"""The quiz files of the last state of the glossary and quiz files (serve rebuilds reuse them)."""


def _signature(directory: Path, files: list[Path] | None = None) -> tuple[tuple[str, int, int], ...]:
    out = []
    for path in glossary_files(directory) if files is None else files:
        stat = path.stat()
        out.append((path.name, stat.st_mtime_ns, stat.st_size))
    return tuple(out)


class _SkippedPages(logging.Filter):
    """Drops MkDocs' "Page skipped" message for pages the plugin writes itself."""

    def __init__(self) -> None:
        super().__init__()
        self.pages: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        """False for "Page skipped: '<a page written by the plugin>'. …"."""
        message = record.getMessage()
        if not message.startswith("Page skipped: '"):
            return True
        return message.split("'", 2)[1] not in self.pages


class K8skbPlugin(BasePlugin[K8skbConfig]):  # type: ignore[no-untyped-call]
    """Generate the glossary pages in both languages, link term mentions, build the search index."""

    def __init__(self) -> None:
        self.generated: _Generated | None = None
        self.root = Path.cwd()
        self.added: set[str] = set()
        self.serving = False
        self.dirty = False
        self.indexer: BackgroundIndexer | None = None
        self.shadow: ShadowSite | None = None
        self.quiz_job: Future[dict[str, str]] | None = None
        self.markdown: tuple[int, markdown.Markdown] | None = None  # (id of the build's config, converter)
        self.env: Environment | None = None
        self.markdown_shells: tuple[int, MarkdownShells | None] | None = None  # per build's config
        self.shells: ShellRenderer | None = None
        self.templates: dict[str, str] = {}  # term page → the template it asked for
        self.writer: BackgroundWriter | None = None
        self.skipped_filter = _SkippedPages()
        self.collector = collector.BuildCollector()

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Event ``startup`` (once per process; the instance then lives across serve rebuilds)."""
        self.serving = command == "serve"
        self.dirty = dirty  # --dirty skips unchanged pages: index the written site, not a shadow

    def on_shutdown(self) -> None:
        """Event ``shutdown``: remove the Pagefind bundle kept for serve rebuilds."""
        self.collector.stop()
        if self.indexer is not None:
            self.indexer.close()

    # ------------------------------------------------------------ events

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """Event ``config``: load the glossary (abort cleanly on errors), generate pages, watch inputs."""
        self.root = Path(config.config_file_path).resolve().parent if config.config_file_path else Path.cwd()
        glossary_dir = self.root / self.config.glossary_dir
        for directory in (glossary_dir, self.root / self.config.quiz_dir):
            if directory.is_dir() and str(directory) not in config.watch:
                config.watch.append(str(directory))
        with collector.paused() if self.config.fast_build else contextlib.nullcontext():
            self.generated = self._generate(glossary_dir)
        i18n = config.plugins.get("i18n")
        outer = not (i18n and getattr(i18n, "building", False))
        if self.config.fast_build and outer and not self.serving:
            self.collector.start()  # before the quiz child forks: it inherits the frozen heap
        if self.config.search and not self.serving and not self.dirty and outer:
            if self.shadow is not None:
                self.shadow.close()
            self.shadow = ShadowSite(Path(config.site_dir))  # the outer build: every language goes here
        elif self.shadow is not None and not outer:
            self.shadow.flush()  # i18n starts the next language: Pagefind writes the last one meanwhile
        if not self.serving and outer:
            self._start_quiz_files(self.generated.glossary)
        return config

    def on_env(self, env: Environment, /, *, config: MkDocsConfig, files: Files) -> Environment | None:
        """Event ``env``: reuse compiled templates across the language builds and serve rebuilds."""
        env.bytecode_cache = _BYTECODE
        self.env = env
        self.shells = None
        if self.config.fast_build and env.loader is not None:
            env.loader = ChoiceLoader([DictLoader({SHELL_TEMPLATE: "{{ k8skb_page_html }}"}), env.loader])
            self.shells = ShellRenderer()
        return env

    @event_priority(50)
    def _on_files_add(self, files: Files, config: MkDocsConfig) -> Files:
        """Event ``files`` (before i18n, priority -100): add the generated pages as files under docs_dir."""
        assert self.generated is not None
        self.added = set()
        for path in self.generated.pages.paths:
            if files.get_file_from_path(path) is not None:
                log.info(f"{path}: a hand-written page exists; not generating it")
                continue
            file = File(path, config.docs_dir, config.site_dir, config.use_directory_urls)
            if "/category/" not in path and not path.endswith("/index.md"):
                file.inclusion = InclusionLevel.NOT_IN_NAV
            files.append(file)
            self.added.add(path)
        return files

    @event_priority(-150)
    def _on_files_restore(self, files: Files, config: MkDocsConfig) -> Files:
        """Event ``files`` (after i18n rebuilt each ``File`` from disk): give generated pages their text."""
        assert self.generated is not None
        for file in files:
            if file.src_uri in self.added:
                file.content_string = self.generated.pages.markdown(file.src_uri)
        return files

    on_files = CombinedEvent(_on_files_add, _on_files_restore)

    def on_pre_page(self, page: Page, /, *, config: MkDocsConfig, files: Files) -> Page | None:
        """Event ``pre_page``: generated pages render with one Markdown converter per build (``_render``)."""
        if page.file.src_uri in self.added and _MKDOCS_RENDER_PARTS is not None:
            setattr(page, "render", functools.partial(self._render, page))  # noqa: B010 (shadows the method)
        return page

    def _render(self, page: Page, config: MkDocsConfig, files: Files) -> None:
        """``Page.render`` of MkDocs 1.6, reusing one ``Markdown`` (``reset`` between pages).

        MkDocs makes a new converter, with every extension, for each page: at 2,000 terms that was
        ~1.7 s of the build for pages whose Markdown is a few headings and placeholders. Term pages
        go through ``shells.MarkdownShells``: one rendering per page shape, then string fills.
        """
        assert page.markdown is not None
        md = self._converter(config)

        def convert(text: str) -> Rendered:
            return self._convert(md, text, page, config, files)

        shells = self.markdown_shells
        if shells is None or shells[0] != id(config):
            try:
                toc: object = md.treeprocessors["toc"]
            except KeyError:  # no toc extension: headings get no ids, nothing to fill
                toc = None
            slugify, sep = getattr(toc, "slugify", None), getattr(toc, "sep", None)
            usable = self.config.fast_build and callable(slugify) and isinstance(sep, str)
            made = MarkdownShells(slugify, str(sep)) if usable else None
            shells = self.markdown_shells = (id(config), made)
        if shells[1] is not None and page.meta.get("k8skb_term"):
            rendered = shells[1].render(page.markdown, convert, page.file)
        else:
            rendered = convert(page.markdown)
        page.content = rendered.content
        page.toc = get_toc(rendered.toc_tokens)  # type: ignore[arg-type]  # Python-Markdown's token dicts
        page._title_from_render = rendered.title
        page.present_anchor_ids = set(rendered.anchor_ids)
        if logging.getLogger("mkdocs.structure.pages").getEffectiveLevel() > logging.DEBUG:
            page.links_to_anchors = rendered.links_to_anchors

    def _converter(self, config: MkDocsConfig) -> markdown.Markdown:
        """The build's one ``Markdown`` (a new build, or i18n's next language, makes a new one)."""
        key = id(config)
        if self.markdown is None or self.markdown[0] != key:
            md = markdown.Markdown(
                extensions=config["markdown_extensions"], extension_configs=config["mdx_configs"] or {}
            )
            self.markdown = (key, md)
        return self.markdown[1]

    @staticmethod
    def _convert(
        md: markdown.Markdown, text: str, page: Page, config: MkDocsConfig, files: Files
    ) -> Rendered:
        """Convert ``text`` as MkDocs' ``Page.render`` would, with MkDocs' own tree processors."""
        assert _MKDOCS_RENDER_PARTS is not None
        raw_html_cls, anchors_cls, relative_cls, title_cls = _MKDOCS_RENDER_PARTS
        md.reset()
        raw_html = raw_html_cls()
        raw_html._register(md)
        anchors = anchors_cls(page.file, files, config)
        anchors._register(md)
        relative = relative_cls(page.file, files, config)
        relative._register(md)
        title = title_cls()
        title._register(md)
        content = md.convert(text)
        return Rendered(
            content,
            list(getattr(md, "toc_tokens", [])),
            title.title,
            frozenset(anchors.present_anchor_ids | raw_html.present_anchor_ids),
            dict(relative.links_to_anchors),
        )

    def on_page_content(self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        """Event ``page_content``: put generated HTML fragments in, link the first mention of each term."""
        if self.generated is None:
            return html
        if page.file.src_uri in self.added:
            html = fill_fragments(html, self.generated.pages.fragments(page.file.src_uri))
            if self.config.fast_build and page.meta.get("k8skb_term"):
                self.templates[page.file.src_uri] = str(page.meta.get("template", "main.html"))
                page.meta["template"] = SHELL_TEMPLATE  # rendered in _on_page_context_shell
        if not self.config.autolink or page.meta.get("k8skb_autolink") is False:
            return html
        lang = str(getattr(page.file, "locale", None) or DEFAULT_LANGUAGE)
        if lang not in LANGUAGES:
            return html
        matcher = self.generated.matcher(lang)
        glossary = self.generated.glossary
        prefix = "" if lang == DEFAULT_LANGUAGE else f"{lang}/"
        page_url = page.url or "./"

        def href_for(term_id: str) -> str:
            return get_relative_url(f"{prefix}glossary/{term_id}/", page_url)

        def tooltip_for(term_id: str) -> str:
            return glossary[term_id].summary.get(lang)

        self_id = page.meta.get("k8skb_term")
        return link_mentions(html, matcher, href_for, tooltip_for, str(self_id) if self_id else None)

    @event_priority(0)
    def _on_page_context_alternates(
        self, context: TemplateContext, /, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext | None:
        """Event ``page_context`` (after i18n set the page's alternates): keep them out of the head.

        Material writes a ``<link rel="alternate">`` per ``extra.alternate`` entry and its JavaScript
        fetches ``sitemap.xml`` relative to each; i18n makes them the page's twins, so every page
        requested ``<twin>/sitemap.xml`` (404). The language switcher (``overrides/partials/
        alternate.html``) reads them from ``k8skb_alternate`` instead.
        """
        alternate = getattr(config.extra, "alternate", None)
        if alternate:
            context["k8skb_alternate"] = alternate  # type: ignore[typeddict-unknown-key]
            setattr(config.extra, "alternate", None)  # noqa: B010 (an attribute, as i18n sets it)
        return context

    @event_priority(-1000)
    def _on_page_context_shell(
        self, context: TemplateContext, /, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext | None:
        """Event ``page_context`` (last): render a term page, from a verified shell when one fits."""
        if page.meta.get("template") != SHELL_TEMPLATE:
            return context
        name = self.templates.get(page.file.src_uri, "main.html")
        if name == "main.html":
            del page.meta["template"]
        else:
            page.meta["template"] = name
        if self.env is None:
            raise PluginError(f"{page.file.src_uri}: no template environment (the env event did not run)")
        template = self.env.get_template(name)
        shells = self.shells or ShellRenderer()
        context["k8skb_page_html"] = shells.render(template, context, page)  # type: ignore[typeddict-unknown-key]
        return context

    on_page_context = CombinedEvent(_on_page_context_alternates, _on_page_context_shell)

    @event_priority(-200)
    def _on_post_page_shadow(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str | None:
        """Event ``post_page``: keep the page's content for the search index (``search.ShadowSite``)."""
        if self.shadow is not None and page.content is not None:
            # The page's <html lang> (i18n sets the theme language per build), which Pagefind would read.
            lang = str(config.theme.get("language") or getattr(page.file, "locale", None) or DEFAULT_LANGUAGE)
            self.shadow.add(page.file.abs_dest_path, lang, str(page.title or ""), page.content)
        return output

    @event_priority(-1000)
    def _on_post_page_write(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str | None:
        """Event ``post_page`` (last): term pages are written by a writer process (``BackgroundWriter``).

        MkDocs writes a page itself unless the output is empty; for a term page the plugin queues
        the write and returns "" (MkDocs' "Page skipped" message for it is filtered out).
        """
        if not (self.config.fast_build and page.meta.get("k8skb_term") and output.strip()):
            return output
        if self.writer is None:
            self.writer = BackgroundWriter()
            logging.getLogger("mkdocs.commands.build").addFilter(self.skipped_filter)
        self.skipped_filter.pages.add(page.file.src_uri)
        self.writer.write(page.file.abs_dest_path, output.encode("utf-8", errors="xmlcharrefreplace"))
        return ""

    on_post_page = CombinedEvent(_on_post_page_shadow, _on_post_page_write)

    @event_priority(-200)
    def on_post_build(self, config: MkDocsConfig) -> None:
        """Event ``post_build`` (after i18n built the other languages): quiz banks, then the search index."""
        if self.shells is not None:
            shells = self.shells
            log.debug(
                f"term pages: {shells.filled} from {len(shells.shells)} shells, {shells.rendered} rendered"
            )
        if self.markdown_shells is not None and self.markdown_shells[1] is not None:
            md_shells = self.markdown_shells[1]
            log.debug(f"term pages' Markdown: {md_shells.filled} from {len(md_shells.shells)} shells")
        i18n = config.plugins.get("i18n")
        if i18n is not None and getattr(i18n, "building", False):
            return  # a nested language build: the outer build finishes the job once
        try:
            self._post_build(config)
        finally:
            self.collector.stop()

    def _post_build(self, config: MkDocsConfig) -> None:
        """The outer build's ``post_build``: wait for page writes, write quiz banks, finish the index."""
        self._finish_writes()
        site_dir = Path(config.site_dir)
        if self.generated is not None:
            self._write_quiz_files(site_dir, self.generated.glossary)
        if not self.config.search:
            return
        if self.shadow is not None:
            shadow, self.shadow = self.shadow, None
            try:
                problem = shadow.index()
            finally:
                shadow.close()
            if problem:
                raise PluginError(problem)
            return
        if not self.serving:
            problem = index_site(site_dir)
            if problem:
                raise PluginError(problem)
            return
        if self.indexer is None or not self.indexer.has_bundle:
            self.indexer = self.indexer or BackgroundIndexer()
            problem = self.indexer.index_now(site_dir)
            if problem:
                raise PluginError(problem)
        else:
            self.indexer.refresh(site_dir)  # search may lag this rebuild by about a second

    def on_build_error(self, *, error: Exception) -> None:
        """Event ``build_error``: let the page writes handed over end and the writer process stop."""
        with contextlib.suppress(PluginError):  # the build's own error is the one to report
            self._finish_writes()
        self.collector.stop()

    # ------------------------------------------------------------ helpers

    def _finish_writes(self) -> None:
        if self.writer is None:
            return
        writer, self.writer = self.writer, None
        try:
            problem = writer.finish()
        finally:
            writer.close()
            logging.getLogger("mkdocs.commands.build").removeFilter(self.skipped_filter)
            self.skipped_filter.pages.clear()
        if problem:
            raise PluginError(f"could not write a page: {problem}")

    def _generate(self, glossary_dir: Path) -> _Generated:
        key = str(glossary_dir)
        signature = _signature(glossary_dir) if glossary_dir.is_dir() else ()
        cached = _CACHE.get(key)
        if cached is not None and cached.signature == signature:
            return cached
        result = load_glossary(glossary_dir)
        for problem in result.problems:
            (log.error if problem.severity == "error" else log.warning)(str(problem))
        if result.glossary is None:
            errors = sum(1 for p in result.problems if p.severity == "error")
            raise PluginError(f"the glossary in {self.config.glossary_dir}/ has {errors} error(s); see above")
        glossary = result.glossary
        first, rest = LANGUAGES[0], tuple(LANGUAGES[1:])
        pending = self._generate_in_child(glossary, rest) if rest else {}
        ready = generate_site(glossary, self.root, (first,) if pending else LANGUAGES)
        generated = _Generated(signature, glossary, _Pages(glossary, ready, pending, self.root), {})
        _CACHE[key] = generated
        return generated

    def _generate_in_child(
        self, glossary: Glossary, languages: tuple[str, ...]
    ) -> dict[str, Future[SitePages]]:
        """Start generating ``languages``' pages in a forked process; {} where that cannot be done."""
        global _FORKED_INPUT
        if (os.cpu_count() or 1) < 2 or not self.config.fast_build or self.serving:
            return {}  # serve: its server and watcher threads make a fork risky (a lock held at fork time)
        try:
            executor = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork"))
        except (OSError, ValueError):
            return {}
        _FORKED_INPUT = (glossary, self.root)
        try:
            job = executor.submit(_generate_forked, languages)  # the worker forks here, inheriting the input
        finally:
            _FORKED_INPUT = None
        executor.shutdown(wait=False)
        return dict.fromkeys(languages, job)

    def _quiz_key(self) -> tuple[object, ...]:
        quiz_dir = self.root / self.config.quiz_dir
        quiz_files = [p for p in sorted(quiz_dir.rglob("*")) if p.is_file()] if quiz_dir.is_dir() else []
        return (self.generated.signature if self.generated else (), _signature(quiz_dir, quiz_files))

    def _start_quiz_files(self, glossary: Glossary) -> None:
        """Start computing the quiz banks in a child process: they are ready when the pages are."""
        self.quiz_job = None
        if _QUIZ_CACHE.get(self._quiz_key()) is not None or (os.cpu_count() or 1) < 2:
            return
        try:
            executor = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork"))
        except (OSError, ValueError):
            return  # no fork here: _write_quiz_files computes them in this process
        self.quiz_job = executor.submit(quiz_site_files, glossary, self.root / self.config.quiz_dir)
        executor.shutdown(wait=False)

    def _write_quiz_files(self, site_dir: Path, glossary: Glossary) -> None:
        key = self._quiz_key()
        files = _QUIZ_CACHE.get(key)
        if files is None:
            job, self.quiz_job = self.quiz_job, None
            try:
                files = (
                    job.result()
                    if job is not None
                    else quiz_site_files(glossary, self.root / self.config.quiz_dir)
                )
            except Exception as exc:  # their bug must not become a traceback here
                raise PluginError(f"k8skb.quiz.sitefiles.site_files failed: {exc!r}") from exc
            _QUIZ_CACHE.clear()
            _QUIZ_CACHE[key] = files
        for rel_path, text in files.items():
            write_text_atomic(site_dir / rel_path, text)


def quiz_site_files(glossary: Glossary, quiz_dir: Path) -> dict[str, str]:
    """Return the quiz files of the site (``{site-relative path: text}``); none without the quiz package."""
    try:
        from k8skb.quiz.sitefiles import site_files  # type: ignore[import-not-found, unused-ignore]
    except ImportError:
        return {}
    return {str(k): str(v) for k, v in dict(site_files(glossary, quiz_dir)).items()}
