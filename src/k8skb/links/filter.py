"""Decide what each raw URL is: ignored, excluded, external (http/https) or internal (a site path).

Flow: strip the whitespace HTML allows around a URL → schemes that name no document (``mailto:``,
``tel:``, ``javascript:``, ``data:``, …) are ignored → ``--exclude`` patterns drop what the user asked
to skip → ``http(s)://`` and ``//host`` URLs are external → everything else is a path inside the site.
Pure functions only.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import unquote

IGNORED_SCHEMES = frozenset({"mailto", "tel", "javascript", "data", "sms", "blob", "about", "callto"})
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_HTML_SPACE = " \t\n\r\f"


class LinkClass(StrEnum):
    """What a URL is, for the checker."""

    IGNORED = "ignored"
    EXCLUDED = "excluded"
    EXTERNAL = "external"
    INTERNAL = "internal"


@dataclass(frozen=True, slots=True, kw_only=True)
class Filter:
    """The user's ``--exclude`` patterns, compiled once."""

    excludes: tuple[re.Pattern[str], ...] = ()

    @classmethod
    def from_patterns(cls, patterns: Sequence[str]) -> Filter:
        """Compile ``patterns``; raises ``re.error`` on a bad one (the CLI turns it into a usage error)."""
        return cls(excludes=tuple(re.compile(p) for p in patterns))

    def excluded(self, url: str) -> bool:
        """True when any exclude pattern matches ``url`` (searched, not anchored)."""
        return any(p.search(url) for p in self.excludes)

    def classify(self, url: str) -> LinkClass:
        """Return what ``url`` (as written) is."""
        url = url.strip(_HTML_SPACE)
        match = _SCHEME.match(url)
        scheme = match.group(1).lower() if match else ""
        if scheme in IGNORED_SCHEMES:
            return LinkClass.IGNORED
        if self.excludes and self.excluded(url):
            return LinkClass.EXCLUDED
        if scheme in ("http", "https") or url.startswith("//"):
            return LinkClass.EXTERNAL
        if scheme:
            return LinkClass.IGNORED  # ftp:, file:, app links: nothing we can check
        return LinkClass.INTERNAL


def absolute_external(url: str) -> str:
    """Return ``url`` stripped, with a protocol-relative ``//host`` URL made ``https://host``."""
    url = url.strip(_HTML_SPACE)
    return "https:" + url if url.startswith("//") else url


TEXT_DIRECTIVE = ":~:"


def fragment_found(fragment: str, anchors: Collection[str]) -> bool:
    """True when ``fragment`` (as written after ``#``) points into a page offering ``anchors``.

    As the HTML standard finds a fragment's element: a text directive (``:~:text=…``) is dropped
    first; the fragment as written, then its percent-decoded form, is looked up; the empty fragment
    and ``top`` (any case) mean the top of the page.
    """
    fragment = fragment.partition(TEXT_DIRECTIVE)[0]
    if not fragment or fragment in anchors:
        return True
    decoded = unquote(fragment, errors="replace")
    return decoded in anchors or decoded.lower() == "top"


def split_fragment(url: str) -> tuple[str, str]:
    """Split ``url`` at the first ``#`` into (without fragment, fragment)."""
    head, _, fragment = url.partition("#")
    return head, fragment
