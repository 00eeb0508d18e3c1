"""The ``k8skb`` MkDocs plugin: a thin adapter from MkDocs events to the pure site modules.

Flow of one ``mkdocs build`` (mkdocs-static-i18n runs the event chain once per language):
- ``on_config``: load and validate the glossary and the quiz files (errors → ``path:line: message``
  and a clean ``PluginError``), generate every language's pages with ``pages.generate_site`` and the
  quiz banks (both kept between the language builds and serve rebuilds while their input files are
  unchanged), and watch the glossary and quiz folders for ``mkdocs serve``.
- ``on_files``: add the generated pages before i18n sorts files by language (it needs an
  ``abs_src_path`` under docs_dir and rebuilds each ``File``), then put their content back after.
- ``on_page_content``: put the generated HTML fragments into the rendered page (Python-Markdown only
  saw placeholders for them).
- ``on_page_context``: keep i18n's alternates out of the page head (the language switcher reads them).
- ``on_post_page``: turn term mentions in the page's content into links (``finish.TermLinker``, the
  same step ``k8skb site finish`` runs over a site another engine built).
- ``on_post_template``: keep each language's 404 page (i18n writes every language's at the site's
  root, so the last language's replaced the default one's).
- ``on_post_build``: once every language is written, put each language's 404 page in its folder
  (the default language's at the root), write the quiz banks, index the site with
  Pagefind (``search``), then (not under serve) the service worker and manifests (``offline``).
  Under ``mkdocs serve`` only the first build waits for Pagefind; later rebuilds put the last index
  back at once and re-index in a background thread (``search.BackgroundIndexer``).
MkDocs renders and writes every page itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from jinja2 import Environment
from jinja2.bccache import Bucket, BytecodeCache
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext

from k8skb.fileio import write_text_atomic
from k8skb.glossary.loader import Problem
from k8skb.glossary.model import Glossary
from k8skb.glossary.validate import load_glossary
from k8skb.quiz.sitefiles import site_files
from k8skb.site.config import K8skbConfig
from k8skb.site.finish import DEFAULT_LANGUAGE, TermLinker, write_quiz_banks
from k8skb.site.generate import site_pages
from k8skb.site.offline import write_offline_files
from k8skb.site.pages import SitePages, fill_fragments
from k8skb.site.search import BackgroundIndexer, index_site

log = get_plugin_logger(__name__)

Signature = tuple[tuple[str, int, int, int], ...]
"""Name, type, modification time and size of each input path: a changed file changes the signature."""


@dataclass(frozen=True, slots=True, kw_only=True)
class _Generated:
    """The glossary and everything derived from it, for one state of the glossary files."""

    signature: Signature
    glossary: Glossary
    pages: SitePages
    linker: TermLinker


class _MemoryBytecodeCache(BytecodeCache):
    """Compiled Jinja templates kept in memory, shared by the language builds and serve rebuilds.

    MkDocs makes a new Jinja environment for every build (with i18n: every language), which would
    compile Material's templates again each time. Jinja checks each entry against the template
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


def _signature(paths: list[Path]) -> Signature:
    """The state of ``paths`` (links are not followed: a FIFO or a broken link counts too)."""
    out = []
    for path in sorted(paths):
        try:
            stat = path.lstat()
        except OSError:
            continue
        out.append((str(path), stat.st_mode, stat.st_mtime_ns, stat.st_size))
    return tuple(out)


def _site_relative(link: str, base: str) -> str:
    """``link`` relative to the site's root when it is an absolute path under ``base`` (the site's path)."""
    if link.startswith(base) and not link.startswith("//"):
        return link[len(base) :] or "./"
    return link


def _report(problems: list[Problem], inputs: str) -> None:
    """Log each problem as ``path:line: message``; raise a ``PluginError`` when one is an error."""
    for problem in problems:
        (log.error if problem.severity == "error" else log.warning)(str(problem))
    errors = sum(1 for p in problems if p.severity == "error")
    if errors:
        raise PluginError(f"{inputs}: {errors} error(s); see above")


class K8skbPlugin(BasePlugin[K8skbConfig]):  # type: ignore[no-untyped-call]
    """Generate the glossary pages in both languages, link term mentions, build the search index."""

    def __init__(self) -> None:
        self.root = Path.cwd()
        self.generated: _Generated | None = None
        self.added: set[str] = set()
        self.serving = False
        self.dirty = False
        self.indexer: BackgroundIndexer | None = None
        self.bytecode = _MemoryBytecodeCache()
        self.quiz_files: tuple[tuple[object, ...], dict[str, str]] | None = None  # (inputs' key, files)
        self.error_pages: dict[str, str] = {}  # language → its rendered 404.html

    # ------------------------------------------------------------ events

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Event ``startup`` (once per process; the instance then lives across serve rebuilds)."""
        self.serving = command == "serve"
        self.dirty = dirty

    def on_shutdown(self) -> None:
        """Event ``shutdown``: remove the Pagefind index kept for serve rebuilds."""
        if self.indexer is not None:
            self.indexer.close()

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """Event ``config``: load the glossary (abort cleanly on errors), generate pages, watch inputs."""
        self.root = Path(config.config_file_path).resolve().parent if config.config_file_path else Path.cwd()
        for directory in (self.glossary_dir, self.quiz_dir):
            if directory.is_dir() and str(directory) not in config.watch:
                config.watch.append(str(directory))
        self.generated = self._generate()
        self._quiz_files(self.generated.glossary)  # its errors stop the build before any page renders
        return config

    def on_env(self, env: Environment, /, *, config: MkDocsConfig, files: Files) -> Environment | None:
        """Event ``env``: reuse compiled templates across the language builds and serve rebuilds."""
        env.bytecode_cache = self.bytecode
        return env

    @event_priority(50)
    def _on_files_add(self, files: Files, config: MkDocsConfig) -> Files:
        """Event ``files`` (before i18n, priority -100): add the generated pages as files under docs_dir."""
        assert self.generated is not None
        self.added = set()
        for path in self.generated.pages.markdown:
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
                file.content_string = self.generated.pages.markdown[file.src_uri]
        return files

    on_files = CombinedEvent(_on_files_add, _on_files_restore)

    def on_page_content(self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        """Event ``page_content``: put generated HTML fragments in, link the first mention of each term."""
        if self.generated is None:
            return html
        if page.file.src_uri in self.added:
            html = fill_fragments(html, self.generated.pages.fragments.get(page.file.src_uri, ()))
        return html

    @event_priority(0)
    def on_page_context(
        self, context: TemplateContext, /, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext | None:
        """Event ``page_context`` (after i18n set the page's alternates): keep them out of the head.

        Material writes a ``<link rel="alternate">`` per ``extra.alternate`` entry and its JavaScript
        fetches ``sitemap.xml`` relative to each; i18n makes them the page's twins, so every page
        requested ``<twin>/sitemap.xml`` (404). The language switcher (``overrides/partials/
        alternate.html``) reads them from ``k8skb_alternate`` instead. The home pages' alternates
        are absolute paths (``/en/``); they become site-relative like the others, so the switcher's
        ``url`` filter makes every one relative to the page (a site served under a sub-path works).
        """
        alternate = getattr(config.extra, "alternate", None)
        if alternate:
            base = urlsplit(config.site_url or "/").path
            context["k8skb_alternate"] = [  # type: ignore[typeddict-unknown-key]
                {**alt, "link": _site_relative(str(alt["link"]), base)} for alt in alternate
            ]
            setattr(config.extra, "alternate", None)  # noqa: B010 (an attribute, as i18n sets it)
        return context

    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str | None:
        """Event ``post_page``: link the first mention of each term in the page's content."""
        if self.generated is None or not self.config.autolink:
            return output
        return self.generated.linker.link_page(output, page.url)

    def on_post_template(self, output_content: str, /, *, template_name: str, config: MkDocsConfig) -> str:
        """Event ``post_template``: keep the 404 page of the language being built."""
        if template_name == "404.html":
            self.error_pages[str(config.theme["language"])] = output_content
        return output_content

    @event_priority(-200)
    def on_post_build(self, config: MkDocsConfig) -> None:
        """Event ``post_build`` (after i18n built the other languages): quiz banks, then the search index."""
        i18n = config.plugins.get("i18n")
        if i18n is not None and getattr(i18n, "building", False):
            return  # a nested language build: the outer build finishes the job once
        site_dir = Path(config.site_dir)
        for lang, page in self.error_pages.items():
            folder = "" if lang == DEFAULT_LANGUAGE else f"{lang}/"
            write_text_atomic(site_dir / folder / "404.html", page)
        self.error_pages = {}
        if self.generated is not None:
            write_quiz_banks(site_dir, self._quiz_files(self.generated.glossary))
        if self.config.search:
            self._index(site_dir)
        if not self.serving:  # under serve, no worker: it would answer reloads from its cache
            write_offline_files(site_dir)

    # ------------------------------------------------------------ helpers

    @property
    def glossary_dir(self) -> Path:
        """The glossary folder (relative paths in the options are relative to mkdocs.yml)."""
        return self.root / self.config.glossary_dir

    @property
    def quiz_dir(self) -> Path:
        """The folder of the hand-written questions."""
        return self.root / self.config.quiz_dir

    def _generate(self) -> _Generated:
        """The glossary and its pages; the previous ones while the glossary files are unchanged."""
        directory = self.glossary_dir
        signature = _signature(list(directory.glob("*.yaml"))) if directory.is_dir() else ()
        if self.generated is not None and self.generated.signature == signature:
            return self.generated
        result = load_glossary(directory)
        _report(result.problems, f"the glossary in {self.config.glossary_dir}/")
        assert result.glossary is not None  # no errors: the glossary was built
        glossary = result.glossary
        pages = site_pages(glossary, self.root)
        return _Generated(signature=signature, glossary=glossary, pages=pages, linker=TermLinker(glossary))

    def _quiz_files(self, glossary: Glossary) -> dict[str, str]:
        """The quiz banks (``{site-relative path: text}``); the previous ones while no input changed.

        Problems in the quiz files are logged with their ``path:line``; an error stops the build.
        """
        directory = self.quiz_dir
        key = (
            self.generated.signature if self.generated else (),
            _signature(list(directory.rglob("*.yaml"))) if directory.is_dir() else (),
        )
        if self.quiz_files is None or self.quiz_files[0] != key:
            files, problems = site_files(glossary, directory)
            _report(problems, f"the quiz files in {self.config.quiz_dir}/")
            self.quiz_files = (key, files)
        return self.quiz_files[1]

    def _index(self, site_dir: Path) -> None:
        """Index the built site; under serve, after the first build, in the background."""
        if not self.serving:
            problem = index_site(site_dir)
        elif self.indexer is None or not self.indexer.has_bundle:
            self.indexer = self.indexer or BackgroundIndexer()
            problem = self.indexer.index_now(site_dir)
        else:
            self.indexer.refresh(site_dir)  # search may lag this rebuild by about a second
            problem = None
        if problem:
            raise PluginError(problem)
