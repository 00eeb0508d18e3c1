"""The whole site's sources as an ordinary docs tree, for an engine that runs no k8skb plugin (Zensical).

Flow: the project (``mkdocs.yml``, ``docs/``, ``overrides/``, the glossary) → ``OUT/docs``: the
hand-written pages and assets, plus every generated page (``pages.generate_site``) as plain Markdown
with its HTML fragments written in → ``OUT/overrides`` → ``OUT/mkdocs.yml``: the project's config
without the k8skb plugin and with Zensical's ``classic`` variant, Material's look, which our
template overrides are written for (Zensical reads ``mkdocs.yml``; zensical-i18n takes the languages
from the i18n plugin's entry). Build ``OUT`` with the engine, then run ``k8skb site finish OUT/site`` for
what the plugin does to built pages (term links, quiz banks; ``--no-search``: Zensical's own search
replaces our Pagefind box there, see ``_engine_has_its_own``).

MkDocs leaves links inside raw HTML as they are (the plugin inserts the fragments after rendering,
so they are written relative to the page's URL, and hand-written pages such as the quiz page do the
same); Zensical resolves them like Markdown links, relative to the source file. ``source_relative``
rewrites the raw HTML links of generated and hand-written pages for that.
"""

from __future__ import annotations

import functools
import re
import shutil
from pathlib import Path, PurePosixPath

from k8skb.fileio import write_text_atomic
from k8skb.glossary.model import Glossary
from k8skb.site.cheatsheet import add_cheatsheets
from k8skb.site.pages import SitePages, generate_site
from k8skb.site.progress import add_progress_pages

_RELATIVE_LINK = re.compile(r"""(\s(?:href|src)=")(?![A-Za-z][A-Za-z0-9+.-]*:|/|#)([^"]*)(")""")
_FENCE = re.compile(r"^\s*(```|~~~)")
_PLUGIN_ENTRY = re.compile(r"^(\s*)- k8skb\s*(?::.*)?$")


def site_pages(glossary: Glossary, root: Path | None) -> SitePages:
    """Every page k8skb generates: term, glossary, category, cheat-sheet and progress pages."""
    pages = add_cheatsheets(generate_site(glossary, root), glossary, root)
    return add_progress_pages(pages, glossary, root)


def source_relative(fragment: str, docs_path: str) -> str:
    """``fragment``'s relative links, written for the page's URL, rewritten relative to its source file.

    With directory URLs, ``glossary/pod.md`` is served at ``glossary/pod/``: a link ``../kubelet/``
    becomes ``pod/../kubelet/``. An ``index.md`` is served at its own folder: nothing changes.
    """
    name = PurePosixPath(docs_path)
    if name.name == "index.md":
        return fragment
    prefix = f"{name.stem}/"
    return _RELATIVE_LINK.sub(lambda m: f"{m.group(1)}{prefix}{m.group(2)}{m.group(3)}", fragment)


def engine_config(text: str) -> str:
    """``mkdocs.yml``'s text for Zensical: Material's look (``variant: classic``), no k8skb plugin."""
    lines = config_without_plugin(text).splitlines(keepends=True)
    for n, line in enumerate(lines):
        if line.rstrip() == "theme:" and n + 1 < len(lines):
            indent = lines[n + 1][: len(lines[n + 1]) - len(lines[n + 1].lstrip())] or "  "
            lines.insert(n + 1, f"{indent}variant: classic\n")
            break
    return "".join(lines)


def config_without_plugin(text: str) -> str:
    """``mkdocs.yml``'s text without the ``- k8skb`` plugin entry (and its indented options, if any)."""
    out: list[str] = []
    entry_indent: int | None = None
    for line in text.splitlines(keepends=True):
        if entry_indent is not None:
            indent = len(line) - len(line.lstrip())
            if line.strip() and indent <= entry_indent:
                entry_indent = None
            else:
                continue
        found = _PLUGIN_ENTRY.match(line.rstrip("\n"))
        if found:
            entry_indent = len(found.group(1)) + 1
            continue
        out.append(line)
    return "".join(out)


def generate_tree(project: Path, out: Path, glossary: Glossary, docs_dir: str = "docs") -> list[str]:
    """Write the project's docs tree with every generated page into ``out``; return the pages written.

    A hand-written page at a generated page's path wins, as in the plugin.
    """
    docs = out / docs_dir
    shutil.copytree(project / docs_dir, docs, dirs_exist_ok=True)
    for page in docs.rglob("*.md"):
        text = page.read_text(encoding="utf-8")
        adapted = _outside_code(text, page.relative_to(docs).as_posix())
        if adapted != text:
            write_text_atomic(page, adapted)
    if (project / "overrides").is_dir():
        shutil.copytree(
            project / "overrides", out / "overrides", dirs_exist_ok=True, ignore=_engine_has_its_own
        )
    config = project / "mkdocs.yml"
    write_text_atomic(out / "mkdocs.yml", engine_config(config.read_text(encoding="utf-8")))
    site = site_pages(glossary, project)
    written = []
    for path in site.markdown:
        if (project / docs_dir / path).exists():
            continue
        write_text_atomic(docs / path, site.inline(path, functools.partial(_from_source, path)))
        written.append(path)
    return written


def _engine_has_its_own(folder: str, names: list[str]) -> set[str]:
    """Overrides left out for Zensical: its own search (one index per language, Japanese words
    inside compounds found) replaces our Pagefind box, whose styles only Material ships."""
    return {"search.html"} & set(names) if Path(folder).name == "partials" else set()


def _outside_code(text: str, docs_path: str) -> str:
    """``source_relative`` on the lines of a hand-written page that are not inside a code fence."""
    out, fenced = [], False
    for line in text.splitlines(keepends=True):
        if _FENCE.match(line):
            fenced = not fenced
        out.append(line if fenced else source_relative(line, docs_path))
    return "".join(out)


def _from_source(docs_path: str, fragment: str) -> str:
    return source_relative(fragment, docs_path)
