"""Collect the inputs of a check: the files of a built site and the URLs of the glossary.

Flow: one ``os.scandir`` walk of the site directory records every file's site-relative path exactly
as the file system lists it (so a wrong-case link is caught even on a case-insensitive file system)
and every HTML page to parse. Later stages answer "does this path exist?" with a set lookup, never a
file-system call per link. Glossary references become ``Link`` records whose occurrence is the YAML
``file:line`` of the reference.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from k8skb.links.types import Link, Occurrence

if TYPE_CHECKING:
    from k8skb.glossary import Glossary

HTML_SUFFIXES = (".html", ".htm")


def is_page(path: str) -> bool:
    """True when ``path`` names an HTML page (``.html`` or ``.htm``, any case)."""
    return path.lower().endswith(HTML_SUFFIXES)


@dataclass(slots=True)
class SiteFiles:
    """Every file and directory of a built site, as site-relative POSIX paths with their real case."""

    root: Path
    files: set[str] = field(default_factory=set)
    directories: set[str] = field(default_factory=set)
    pages: list[str] = field(default_factory=list)

    def exists(self, path: str) -> bool:
        """True when ``path`` (site-relative, no leading slash) is a file of the site."""
        return path in self.files

    def is_directory(self, path: str) -> bool:
        """True when ``path`` (site-relative, no trailing slash; ``""`` is the root) is a directory."""
        return path in self.directories


def collect_site(root: Path) -> SiteFiles:
    """Walk ``root`` once and return its files, directories and HTML pages (sorted).

    Only directories and regular files count (a FIFO or a device named ``*.html`` is left out); a
    symbolic link counts when it resolves inside the site, and a directory is entered once however
    many links lead to it, so a link loop ends.
    """
    site = SiteFiles(root)
    site.directories.add("")
    top = os.path.realpath(root)
    entered = {top}
    stack = [(str(root), "")]
    while stack:
        real, rel = stack.pop()
        try:
            entries = list(os.scandir(real))
        except OSError:
            continue  # a directory that vanished or cannot be listed: nothing in it to link to
        for entry in entries:
            name = entry.name
            child = f"{rel}/{name}" if rel else name
            try:
                if entry.is_symlink() and not _inside(os.path.realpath(entry.path), top):
                    continue
                if entry.is_dir(follow_symlinks=True):
                    resolved = os.path.realpath(entry.path)
                    site.directories.add(child)
                    if resolved not in entered:
                        entered.add(resolved)
                        stack.append((entry.path, child))
                elif entry.is_file(follow_symlinks=True):
                    site.files.add(child)
                    if is_page(name):
                        site.pages.append(child)
            except OSError:  # a link loop or a file gone meanwhile
                continue
    site.pages.sort()
    return site


def _inside(path: str, top: str) -> bool:
    return path == top or path.startswith(top.rstrip(os.sep) + os.sep)


def glossary_links(glossary: Glossary) -> list[Link]:
    """Return every reference URL of the glossary with the YAML position of its reference."""
    links = []
    for entry in glossary:
        for ref in entry.references:
            where = Occurrence(
                path=ref.source.path,
                line=ref.source.line,
                column=ref.source.column,
                attribute="reference",
                origin=str(ref.source),
            )
            links.append(Link(url=ref.url, occurrence=where))
    return links
