"""The offline files in isolation: the precache list, a version per build, manifests, icons."""

from __future__ import annotations

import json
import struct
import zlib
from pathlib import Path

from k8skb.site.offline import MANIFEST, WORKER, icon_png, precache_list, write_offline_files


def _site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    for rel in (
        "index.html",
        "404.html",
        "glossary/pod/index.html",
        "en/index.html",
        "assets/quiz/bank.ja.json",
        "assets/javascripts/bundle.js",
        "assets/javascripts/bundle.js.map",
        "assets/javascripts/lunr/min/lunr.ja.js",
        "sitemap.xml.gz",
        "pagefind/pagefind.js",
    ):
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_text(rel, encoding="utf-8")
    return site


def test_the_list_has_pages_as_directory_urls_and_leaves_out_maps_and_lunr(tmp_path: Path) -> None:
    site = _site(tmp_path)
    assert precache_list(site) == [
        "404.html",
        "assets/javascripts/bundle.js",
        "assets/quiz/bank.ja.json",
        "en/",
        "glossary/pod/",
        "./",
        "pagefind/pagefind.js",
    ]


def test_a_changed_file_makes_a_new_version(tmp_path: Path) -> None:
    site = _site(tmp_path)
    first = write_offline_files(site)
    assert write_offline_files(site) == first, "the same files give the same version"
    worker = (site / WORKER).read_text(encoding="utf-8")
    assert f'var VERSION = "{first}";' in worker
    assert '"manifest.webmanifest"' in worker and '"en/manifest.webmanifest"' in worker
    (site / "assets" / "quiz" / "bank.ja.json").write_text("changed", encoding="utf-8")
    assert write_offline_files(site) != first


def test_manifests_per_language_and_png_icons(tmp_path: Path) -> None:
    site = _site(tmp_path)
    write_offline_files(site)
    ja = json.loads((site / MANIFEST).read_text(encoding="utf-8"))
    en = json.loads((site / "en" / MANIFEST).read_text(encoding="utf-8"))
    assert (ja["lang"], ja["scope"], ja["icons"][0]["src"]) == ("ja", "./", "assets/k8skb/icon-192.png")
    assert (en["lang"], en["scope"], en["icons"][0]["src"]) == ("en", "../", "../assets/k8skb/icon-192.png")
    assert ja["name"] != en["name"]
    png = icon_png(64)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = struct.unpack(">II", png[16:24])
    assert (width, height) == (64, 64)
    idat = png.index(b"IDAT")
    raw = zlib.decompress(png[idat + 4 : idat + 4 + struct.unpack(">I", png[idat - 4 : idat])[0]])
    assert len(raw) == 64 * 65 and set(raw) == {0, 1}, "one filter byte per row, two palette colours"
