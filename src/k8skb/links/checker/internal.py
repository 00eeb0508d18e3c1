"""Check links inside a built site: does the target file exist (exact case), and does it have the anchor?

Flow: ``resolve`` turns a URL as written on a page into a site path (percent-decoding, ``.``/``..``,
root-relative or relative to the page's directory; a directory URL means its ``index.html``) →
``check`` answers from ``SiteFiles`` (a set of real paths) and the anchors of every parsed page.
No file-system call per link. Pure functions plus one small class that memoizes lowercase lookups.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from urllib.parse import unquote

from k8skb.links.collector import SiteFiles, is_page
from k8skb.links.filter import fragment_found
from k8skb.links.types import OK, Outcome

INDEX = "index.html"


@dataclass(frozen=True, slots=True, kw_only=True)
class Target:
    """A resolved site path (no leading slash), whether it names a directory, and the fragment as written."""

    path: str
    is_directory: bool
    fragment: str

    def display(self) -> str:
        """The target as a root-relative URL, e.g. ``/en/glossary/pod/#overview``."""
        shown = "/" + self.path + ("/" if self.is_directory and self.path else "")
        return shown + (f"#{self.fragment}" if self.fragment else "")


def page_directory(page: str) -> str:
    """The directory part of a site-relative page path (``en/a/index.html`` → ``en/a``)."""
    return page.rpartition("/")[0]


def resolve(page: str, url: str) -> Target | None:
    """Resolve ``url`` written on ``page`` to a ``Target``; ``None`` when it climbs above the site root."""
    url = url.strip(" \t\n\r\f")
    head, _, fragment = url.partition("#")
    head = head.partition("?")[0]
    if not head:
        return Target(path=page, is_directory=False, fragment=fragment)
    raw = unquote(head, errors="surrogateescape")  # %FF names the file the bytes name, as servers do
    joined = raw if raw.startswith("/") else page_directory(page) + "/" + raw
    parts: list[str] = []
    segments = joined.split("/")
    for segment in segments:
        if segment in ("", "."):
            continue
        if segment == "..":
            if not parts:
                return None
            parts.pop()
        else:
            parts.append(segment)
    last = segments[-1]
    is_directory = last in ("", ".", "..") or not parts
    return Target(path="/".join(parts), is_directory=is_directory, fragment=fragment)


class InternalChecker:
    """Answers "is this target there?" from the site's file list and the anchors of its pages."""

    def __init__(self, site: SiteFiles, anchors: Mapping[str, frozenset[str]]) -> None:
        self.site = site
        self.anchors = anchors
        self._lower: dict[str, str] | None = None

    def check(self, target: Target) -> Outcome:
        """Return ``OK`` or why ``target`` is broken (missing page or file, wrong case, missing anchor)."""
        file = self._file_of(target)
        if file is None:
            return self._missing(target)
        if target.fragment and is_page(file):
            anchors = self.anchors.get(file)
            if anchors is not None and not fragment_found(target.fragment, anchors):
                shown = replace(target, fragment="").display()
                return Outcome(
                    ok=False,
                    message=f"anchor #{target.fragment} not found in {shown}",
                    detail="missing-fragment",
                )
        return OK

    def _file_of(self, target: Target) -> str | None:
        path = target.path
        if not target.is_directory and self.site.exists(path):
            return path
        if target.is_directory or self.site.is_directory(path):
            index = f"{path}/{INDEX}" if path else INDEX
            return index if self.site.exists(index) else None
        return None

    def _missing(self, target: Target) -> Outcome:
        shown = replace(target, fragment="").display()
        if self.site.is_directory(target.path):
            return Outcome(
                ok=False,
                message=f"directory without {INDEX}: {shown.rstrip('/')}/",
                detail="missing-index",
            )
        real = self._case_insensitive(target)
        if real is not None:
            return Outcome(
                ok=False,
                message=f"not found: {shown} (wrong case: the site has /{real})",
                detail="wrong-case",
            )
        if target.is_directory:
            return Outcome(ok=False, message=f"page not found: {shown}", detail="missing-page")
        what = "page" if is_page(target.path) or "." not in target.path.rpartition("/")[2] else "file"
        return Outcome(ok=False, message=f"{what} not found: {shown}", detail=f"missing-{what}")

    def _case_insensitive(self, target: Target) -> str | None:
        if self._lower is None:
            self._lower = {p.lower(): p for p in self.site.files}
            self._lower.update({d.lower() + "/": d + "/" for d in self.site.directories if d})
        path = target.path
        candidates = (
            [path + "/", f"{path}/{INDEX}"] if target.is_directory else [path, path + "/", f"{path}/{INDEX}"]
        )
        for candidate in candidates:
            real = self._lower.get(candidate.lower())
            if real is not None and real != candidate:
                return real
        return None
