"""Decide what each raw URL is: ignored, excluded, external (http/https) or internal (a site path).

Flow: ``normalize`` reads a URL as the URL standard does (spaces and controls around it dropped,
tabs and newlines inside removed, ``\\`` read as ``/`` for http(s) and relative URLs, ``http:host``
resolved against the page's scheme) → ``SiteAddress`` maps the published site's own URLs (its
``site_url`` and base path) onto site paths → ``Filter.classify``: schemes that name no document
(``mailto:``, ``tel:``, ``javascript:``, ``data:``, …) are ignored → ``--exclude`` patterns drop what
the user asked to skip → ``http(s)://`` and ``//host`` URLs are external → everything else is a path
inside the site. Pure functions only.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import quote, unquote, urljoin, urlsplit

IGNORED_SCHEMES = frozenset({"mailto", "tel", "javascript", "data", "sms", "blob", "about", "callto"})
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_HTML_SPACE = " \t\n\r\f"
_C0_OR_SPACE = "".join(map(chr, range(0x21)))
_TAB_OR_NEWLINE = str.maketrans("", "", "\t\n\r")
SPECIAL_SCHEMES = frozenset({"http", "https", "ws", "wss", "ftp", "file"})
"""Schemes whose URLs read ``\\`` as ``/`` (the URL standard's "special" schemes)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Normalized:
    """A URL as the URL parser reads it, and whether a ``\\`` was read as ``/`` (worth a warning)."""

    url: str
    backslash: bool = False


def normalize(url: str, page_scheme: str = "https") -> Normalized:
    """Read ``url`` (written on a page served over ``page_scheme``) as browsers do.

    Leading and trailing C0 controls and spaces are dropped and every tab and newline removed; for
    http(s) and relative URLs a ``\\`` before the query or fragment is read as ``/``; ``http:host/p``
    (no ``//``, or ``///``) is ``http://host/p`` unless the page has that scheme, where it is the
    relative ``host/p``.
    """
    url = url.strip(_C0_OR_SPACE).translate(_TAB_OR_NEWLINE)
    match = _SCHEME.match(url)
    scheme = match.group(1).lower() if match else ""
    backslash = False
    if (not scheme or scheme in SPECIAL_SCHEMES) and "\\" in url:
        end = min((i for i in (url.find("?"), url.find("#")) if i >= 0), default=len(url))
        if "\\" in url[:end]:
            url = url[:end].replace("\\", "/") + url[end:]
            backslash = True
    if scheme in ("http", "https"):
        rest = url[len(scheme) + 1 :]
        if scheme == page_scheme.lower() and not rest.startswith("//"):
            url = rest  # relative to the page, as the URL standard reads it
        elif not rest.startswith("//") or rest.startswith("///"):
            url = f"{scheme}://{rest.lstrip('/')}"  # missing or extra slashes are skipped
    return Normalized(url=url, backslash=backslash)


PSEUDO_ORIGIN = "https://site.invalid/"
"""Where pages are taken to be served when resolving ``<base href>`` and the site's URL is unknown."""


def apply_base(page: str, base: str, url: str, site_url: str = PSEUDO_ORIGIN) -> str:
    """Resolve ``url`` against the page's ``<base href>``: an absolute URL or a root-relative path.

    ``page`` is the site-relative path of the page; ``base`` is resolved against the page first, as
    browsers do. A result inside the site comes back root-relative (``/dir/x``), percent-encoded.
    """
    page_url = site_url + quote(page, safe="/")
    joined = urljoin(urljoin(page_url, normalize(base).url), url)
    if joined.startswith(site_url):
        return "/" + joined[len(site_url) :]
    return joined


@dataclass(frozen=True, slots=True, kw_only=True)
class SiteAddress:
    """Where the site is published (its ``site_url``), so its own URLs are checked as site paths.

    ``https://you.github.io/k8skb/`` has the base path ``/k8skb/``: a link ``/k8skb/en/`` is the site's
    ``en/`` and a link ``/en/`` leaves the site once published.
    """

    url: str

    @classmethod
    def parse(cls, url: str) -> SiteAddress:
        """A site URL (an http(s) URL; a trailing ``/`` is added); ``ValueError`` when it is not one."""
        parts = urlsplit(url.strip())
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(f"not an http(s) URL: {url!r}")
        path = parts.path if parts.path.endswith("/") else parts.path + "/"
        return cls(url=f"{parts.scheme}://{parts.netloc}{path}")

    @property
    def scheme(self) -> str:
        """``https`` or ``http``."""
        return self.url.partition(":")[0]

    @property
    def base_path(self) -> str:
        """The path the site lives under, with both slashes: ``/`` or ``/k8skb/``."""
        return urlsplit(self.url).path

    def localize(self, url: str) -> tuple[str, bool]:
        """``(url, leaves_site)``: the site's own absolute URLs and root-relative paths as site paths.

        ``https://you.github.io/k8skb/a/`` and ``/k8skb/a/`` → ``/a/``; a root-relative path outside
        the base path is returned unchanged with ``True`` (it leaves the published site).
        """
        if url.startswith(self.url):
            return "/" + url[len(self.url) :], False
        if url.startswith("//") or not url.startswith("/"):
            return url, False
        base = self.base_path
        if base == "/":
            return url, False
        if url.startswith(base):
            return "/" + url[len(base) :], False
        if url.split("#", 1)[0].split("?", 1)[0] == base.rstrip("/"):
            return "/" + url[len(base) - 1 :], False
        return url, True


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


_USERINFO = re.compile(r"(?<![\w/.+-])((?:[A-Za-z][A-Za-z0-9+.-]*:)?//)[^/?#\s@\"'<>]*@")


def redact_credentials(text: str) -> str:
    """``text`` with the ``user:password@`` of every URL in it shown as ``***@``."""
    return _USERINFO.sub(r"\1***@", text) if "@" in text else text
