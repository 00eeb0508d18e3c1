"""Offline after one visit: a service worker precaching the whole built site, and web app manifests.

Flow: after every language is written and Pagefind has indexed the site, the plugin calls
``write_offline_files(site_dir)`` → the list of written files (``precache_list``: every page of both
languages as its directory URL, the assets, the quiz banks and Pagefind's files; not source maps,
compressed sitemaps or the unused Lunr search of the theme) → ``sw.js`` at the site root with that
list and a version hashed from the files' paths and contents, so any change makes a new worker whose
install fills a new cache and whose activation deletes the old one → ``manifest.webmanifest`` per
language (``/`` and ``/en/``: name, start URL, icons) → the icons (PNG, drawn here: no image library).

The worker answers same-origin GET requests from the cache first (ignoring the query string, so
``/quiz/?term=pod`` and Pagefind's ``?ts=`` requests hit), then from the network; an offline
navigation to a page that is not cached gets ``404.html``. ``docs/assets/k8skb/offline.js``
registers it on every page.
"""

from __future__ import annotations

import hashlib
import json
import math
import struct
import zlib
from collections.abc import Iterable
from pathlib import Path
from typing import Final

from k8skb.fileio import write_bytes_atomic, write_text_atomic
from k8skb.glossary.taxonomy import LANGUAGES

WORKER: Final = "sw.js"
MANIFEST: Final = "manifest.webmanifest"
ICON_SIZES: Final = (192, 512)
THEME_COLOR: Final = "#3f51b5"
"""Material's indigo, the site's primary colour."""

SKIPPED_SUFFIXES: Final = (".map", ".gz")
SKIPPED_FOLDERS: Final = ("assets/javascripts/lunr/", "assets/javascripts/workers/")
"""The theme's own search (Lunr and its worker): the site searches with Pagefind instead."""

NAMES: Final = {
    "ja": {"name": "k8skb: Kubernetesの基礎 用語集とクイズ", "short_name": "k8skb"},
    "en": {"name": "k8skb: Kubernetes fundamentals glossary and quiz", "short_name": "k8skb"},
}


def precache_list(site_dir: Path) -> list[str]:
    """Return the site-relative URLs to precache: ``x/index.html`` as ``x/``, the root as ``./``."""
    urls = []
    for path in sorted(p for p in site_dir.rglob("*") if p.is_file()):
        rel = path.relative_to(site_dir).as_posix()
        if (
            rel in (WORKER,)
            or rel.endswith(SKIPPED_SUFFIXES)
            or rel.startswith(SKIPPED_FOLDERS)
            or path.name.startswith(".")
        ):
            continue
        if rel == "index.html":
            rel = "./"
        elif rel.endswith("/index.html"):
            rel = rel[: -len("index.html")]
        urls.append(rel)
    return urls


def _file_of(site_dir: Path, url: str) -> Path:
    return (
        site_dir / (url + "index.html" if url.endswith("/") else url)
        if url != "./"
        else site_dir / "index.html"
    )


def site_version(site_dir: Path, urls: Iterable[str]) -> str:
    """A short hash of every precached file's URL and bytes: a new build with any change gets a new one."""
    digest = hashlib.sha256()
    for url in urls:
        digest.update(url.encode("utf-8") + b"\0")
        digest.update(hashlib.sha256(_file_of(site_dir, url).read_bytes()).digest())
    return digest.hexdigest()[:16]


def worker_js(version: str, urls: list[str]) -> str:
    """Return the service worker's source, with the version and the list written in."""
    files = json.dumps(urls, ensure_ascii=False, separators=(",", ":"))
    return f"""/* k8skb service worker, written by k8skb.site.offline at build time: precaches the whole site.
 * A new build has a new VERSION: its install fills a new cache, its activation deletes the old one. */
"use strict";
var VERSION = {json.dumps(version)};
var CACHE = "k8skb-" + VERSION;
var FILES = {files};
function at(path) {{ return new URL(path, self.registration.scope).href; }}
self.addEventListener("install", function (event) {{
  event.waitUntil(caches.open(CACHE).then(function (cache) {{
    return cache.addAll(FILES.map(function (f) {{ return new Request(at(f), {{ cache: "reload" }}); }}));
  }}).then(function () {{ return self.skipWaiting(); }}));
}});
self.addEventListener("activate", function (event) {{
  event.waitUntil(caches.keys().then(function (keys) {{
    return Promise.all(keys.filter(function (k) {{ return k.indexOf("k8skb-") === 0 && k !== CACHE; }})
      .map(function (k) {{ return caches.delete(k); }}));
  }}).then(function () {{ return self.clients.claim(); }}));
}});
self.addEventListener("fetch", function (event) {{
  var request = event.request;
  if (request.method !== "GET" || new URL(request.url).origin !== self.location.origin) return;
  event.respondWith(caches.open(CACHE).then(function (cache) {{
    return cache.match(request, {{ ignoreSearch: true }}).then(function (hit) {{
      return hit || fetch(request).catch(function () {{
        if (request.mode === "navigate") return cache.match(at("404.html"));
        return Response.error();
      }});
    }});
  }}));
}});
"""


def manifest_json(lang: str) -> str:
    """Return the web app manifest of ``lang`` (it sits at that language's root, ``/`` or ``/en/``)."""
    up = "" if lang == LANGUAGES[0] else "../"
    document = {
        "name": NAMES[lang]["name"],
        "short_name": NAMES[lang]["short_name"],
        "lang": lang,
        "start_url": "./",
        "scope": up or "./",
        "id": "./",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": THEME_COLOR,
        "icons": [
            {"src": f"{up}assets/k8skb/icon-{size}.png", "sizes": f"{size}x{size}", "type": "image/png"}
            for size in ICON_SIZES
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


def icon_png(size: int) -> bytes:
    """Return a square PNG icon: a white ship's wheel (the Kubernetes helm) on the site's indigo.

    Drawn as horizontal spans into a two-colour (palette) image, which is fast enough for every build.
    """
    mask = bytearray(size * size)
    centre, ring_out, ring_in, hub, spoke = size / 2, size * 0.34, size * 0.26, size * 0.09, size * 0.035

    def span(y: int, left: float, right: float) -> None:
        if 0 <= y < size:
            x0, x1 = max(0, round(left)), min(size, round(right))
            if x1 > x0:
                mask[y * size + x0 : y * size + x1] = b"\x01" * (x1 - x0)

    for y in range(size):
        dy = abs(y + 0.5 - centre)
        if dy <= ring_out:
            outer = math.sqrt(ring_out**2 - dy**2)
            if dy < ring_in:
                inner = math.sqrt(ring_in**2 - dy**2)
                span(y, centre - outer, centre - inner)
                span(y, centre + inner, centre + outer)
            else:
                span(y, centre - outer, centre + outer)
        if dy <= hub:
            half = math.sqrt(hub**2 - dy**2)
            span(y, centre - half, centre + half)
    for i in range(7):
        angle = i * 2 * math.pi / 7 - math.pi / 2
        for step in range(0, round(size * 0.43), max(1, round(spoke / 2))):
            x, y_mid = centre + math.cos(angle) * step, centre + math.sin(angle) * step
            for row in range(round(y_mid - spoke), round(y_mid + spoke)):
                span(row, x - spoke, x + spoke)
    raw = b"".join(b"\x00" + mask[y * size : (y + 1) * size] for y in range(size))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", size, size, 8, 3, 0, 0, 0)  # 8-bit palette indices
    palette = bytes.fromhex(THEME_COLOR[1:]) + b"\xff\xff\xff"
    return b"".join(
        (
            b"\x89PNG\r\n\x1a\n",
            chunk(b"IHDR", header),
            chunk(b"PLTE", palette),
            chunk(b"IDAT", zlib.compress(raw, 9)),
            chunk(b"IEND", b""),
        )
    )


def write_offline_files(site_dir: Path) -> str:
    """Write the icons, the manifests and ``sw.js`` into the built site; return the version."""
    for size in ICON_SIZES:
        write_bytes_atomic(site_dir / "assets" / "k8skb" / f"icon-{size}.png", icon_png(size))
    for lang in LANGUAGES:
        folder = site_dir if lang == LANGUAGES[0] else site_dir / lang
        write_text_atomic(folder / MANIFEST, manifest_json(lang))
    urls = precache_list(site_dir)
    version = site_version(site_dir, urls)
    write_text_atomic(site_dir / WORKER, worker_js(version, urls))
    return version
