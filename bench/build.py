"""Benchmark the site build; prints figures and ratios (never asserts).

Flow: copy the project (mkdocs.yml, docs/, overrides/, glossary/, quiz/) into a temp dir →
(a) the real glossary: the plugin with and without Pagefind, and plain MkDocs over the same pages
written out as static Markdown (the generator's overhead, medians of interleaved builds) → (b)
synthetic glossaries (500, 1,000 and 2,000 terms by default): the same comparison at each size,
the full build's time, peak memory and output, and the growth per term → the bytes one search
fetches at the largest size (Chromium) → `mkdocs serve`: seconds from saving a one-line edit until
the page shows it, for the plugin (a term's summary in its YAML) and, as the peer, plain MkDocs over
the same pages as static Markdown (the same text on the term's page) → the weight of one term page
(HTML + CSS + JS, the SVG is inline). Where Zensical is
installed (the ``zensical`` extra), the same glossaries are also built with it, beside MkDocs.
Each build runs in its own child process, in a fresh copy of the project; peak memory is that
child's max RSS.

Run: ``.venv/bin/python bench/build.py [--sizes 500,1000,2000] [--repeat 3] [--no-browser]``
(``--serve-only``: only the serve figures).
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from k8skb.glossary.validate import load_glossary  # noqa: E402
from k8skb.site.generate import config_without_plugin, site_pages  # noqa: E402

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
RUNNER = (
    "import resource, subprocess, sys, time\n"
    "t = time.perf_counter()\n"
    "rc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE).returncode\n"
    "u = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
    "print(rc, time.perf_counter() - t, u.ru_maxrss, u.ru_utime + u.ru_stime)\n"
)
SEARCH_BUDGET = 3.2e6 * 0.10
PAGE_BUDGET = 350e3


def copy_project(dest: Path) -> Path:
    """Copy what a build needs into ``dest``."""
    for name in ("docs", "overrides", "glossary", "quiz"):
        if (REPO / name).exists():
            shutil.copytree(REPO / name, dest / name)
    shutil.copy(REPO / "mkdocs.yml", dest / "mkdocs.yml")
    return dest


Run = tuple[float, float, int, float]
"""One build: wall seconds, peak MB, output bytes, CPU seconds (user + system, all its processes)."""


def build(project: Path, config: str = "mkdocs.yml") -> Run:
    """Build ``project`` in a child process: (seconds, peak MB, output bytes, CPU seconds).

    A site left by an earlier build of ``project`` is deleted by MkDocs itself as the build starts.
    """
    site = project / "site"
    settle()
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", config]
    out = subprocess.run(
        [sys.executable, "-c", RUNNER, *cmd],
        cwd=project,
        capture_output=True,
        text=True,
        env=ENV,
        check=False,
    )
    rc, seconds, rss_kb, cpu = out.stdout.split()
    if rc != "0":
        raise SystemExit(f"build failed in {project}:\n{out.stderr}")
    size = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    return float(seconds), int(rss_kb) / 1024, size, float(cpu)


def spread(seconds: list[float]) -> str:
    """The figures of repeated runs, smallest first."""
    return ", ".join(f"{s:.2f}" for s in sorted(seconds))


def median(runs: list[Run], key: int = 0) -> Run:
    """The run with the median wall time (``key=3``: the median CPU time)."""
    return sorted(runs, key=lambda r: r[key])[len(runs) // 2]


def overhead(plugin: list[Run], static: list[Run]) -> str:
    """The plugin's build against plain MkDocs over the same pages: wall and CPU, medians."""
    wall = median(plugin)[0] / median(static)[0] - 1
    cpu = median(plugin, 3)[3] / median(static, 3)[3] - 1
    return (
        f"no search {median(plugin)[0]:.2f} s vs static Markdown {median(static)[0]:.2f} s: generator "
        f"overhead {wall:+.1%} wall, {cpu:+.1%} CPU (target ≤ +10%)"
    )


def fresh_project(dest: Path, glossary: Path) -> Path:
    """A fresh copy of the project in ``dest`` with the glossary files of ``glossary``.

    The hand-written questions are left out: they name terms of the real glossary.
    """
    project = copy_project(dest)
    shutil.rmtree(project / "glossary")
    shutil.copytree(glossary, project / "glossary")
    shutil.rmtree(project / "quiz")
    return project


def zensical_build(project: Path) -> float | None:
    """Seconds of ``make site-zensical``'s steps for ``project`` (None without Zensical installed)."""
    engine = shutil.which("zensical-i18n", path=str(Path(sys.executable).parent))
    if engine is None:
        return None
    out = project / "zensical"
    k8skb = [sys.executable, "-m", "k8skb"]
    steps = [
        ([*k8skb, "site", "generate", str(out), "--project", "."], project),
        ([engine, "build"], out),
        ([*k8skb, "site", "finish", str(out / "site"), "--no-search"], project),
    ]
    settle()
    began = time.perf_counter()
    for command, cwd in steps:
        subprocess.run(command, cwd=cwd, env=ENV, check=True, capture_output=True)
    return time.perf_counter() - began


def settle() -> None:
    """Let the disk finish what earlier steps wrote before the next timed build starts."""
    os.sync()
    time.sleep(2)


def set_plugin_options(project: Path, options: str) -> None:
    """Replace the ``- k8skb`` plugin line of the project's mkdocs.yml with ``- k8skb: {options}``."""
    path = project / "mkdocs.yml"
    text = re.sub(r"^  - k8skb.*$", f"  - k8skb: {{{options}}}", path.read_text(encoding="utf-8"), flags=re.M)
    path.write_text(text, encoding="utf-8")


def static_copy(project: Path) -> str:
    """Write the generated pages as static Markdown and a config without the k8skb plugin; return it."""
    result = load_glossary(project / "glossary")
    assert result.glossary is not None
    pages = site_pages(result.glossary, project)  # every page the plugin generates
    for rel in pages.markdown:
        text = pages.inline(rel)
        target = project / "docs" / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    text = (project / "mkdocs.yml").read_text(encoding="utf-8")
    (project / "static.yml").write_text(config_without_plugin(text), encoding="utf-8")
    return "static.yml"


def synthetic_glossary(directory: Path, count: int) -> None:
    """Write ``count`` terms (both languages, relations to earlier terms) as glossary YAML files."""
    directory.mkdir(parents=True, exist_ok=True)
    cats = [
        "architecture",
        "control-plane",
        "node",
        "resource",
        "service-type",
        "concept",
        "tool",
        "platform",
    ]
    tags = ["fundamental", "workload", "networking", "operation", "tool"]
    kana = "あいうえおかきくけこさしすせそたちつてと"
    lines = ["# yaml-language-server: $schema=schema.json"]
    for i in range(count):
        rels = [f"    - {{type: uses, target: t{j}}}" for j in (i - 1, i // 2) if 0 <= j < i]
        reading = "".join(kana[int(d)] for d in f"{i:05d}")
        lines += [
            f"- id: t{i}",
            f"  category: {cats[i % len(cats)]}",
            f"  name: {{ja: 用語{i}番, en: Term {i}}}",
            f"  reading: {reading}",
            f"  aka: {{ja: [別名{i}], en: [alias {i}]}}",
            f"  summary: {{ja: 用語{i}番はコントロールプレーンの部品{i}です。, en: Term {i} is part {i}.}}",
            "  description:",
            f"    ja: 用語{i}番は用語{max(i - 1, 0)}番と連携します。コンテナを動かします。",
            f"    en: Term {i} works with Term {max(i - 1, 0)} and runs containers.",
            "  references:",
            f'    - {{url: "https://kubernetes.io/{i}/", lang: en, title: {{ja: 資料{i}, en: Doc {i}}}}}',
            f"  tags: [{tags[i % len(tags)]}]",
        ]
        if rels:
            lines += ["  relations:", *rels]
    (directory / "terms.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:  # 127.0.0.1 only
        body: bytes = response.read()
        return body.decode("utf-8", "replace")


def serve_rebuilds(
    project: Path, page: str, edit_file: Path, anchor: str, config: str, times: int
) -> list[float]:
    """Seconds from a one-line edit of ``edit_file`` until `mkdocs serve` serves ``page`` with it.

    The marker goes right after the first ``anchor`` in the file; each of ``times`` edits adds a new
    marker, with a pause after each so that no edit lands while the previous one is still rebuilding.
    """
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-f", config, "--dev-addr", f"127.0.0.1:{port}"],
        cwd=project,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=ENV,
    )
    url = f"http://127.0.0.1:{port}/{page}"
    seconds = []
    try:
        deadline = time.time() + 120
        while True:
            try:
                fetch(url)
                break
            except OSError:
                if time.time() > deadline:
                    raise SystemExit("mkdocs serve did not start") from None
                time.sleep(0.2)
        for n in range(times):
            time.sleep(3.0)  # the first build's search index and any earlier rebuild are done
            text = edit_file.read_text(encoding="utf-8")
            marker = f"ベンチマーク印{n}"
            pos = text.index(anchor) + len(anchor)
            began = time.perf_counter()
            edit_file.write_text(text[:pos] + marker + text[pos:], encoding="utf-8")
            while marker not in fetch(url):
                if time.perf_counter() - began > 120:
                    raise SystemExit("the edit never showed up")
                time.sleep(0.05)
            seconds.append(time.perf_counter() - began)
        return seconds
    finally:
        proc.send_signal(signal.SIGINT)  # Ctrl+C, as a maintainer stops it: the plugin cleans up
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def serve_comparison(root: Path, term: str, times: int) -> tuple[list[float], list[float]]:
    """`mkdocs serve` rebuilds after a one-line edit: the plugin (a YAML summary) and plain MkDocs
    over the same pages as static Markdown (the same line of the term's page), in one run."""
    project = copy_project(root / "serve")
    yaml_file = next(
        p for p in sorted((project / "glossary").glob("*.yaml")) if f"id: {term}\n" in p.read_text()
    )
    text = yaml_file.read_text(encoding="utf-8")
    anchor = text[: text.index("  summary:\n    ja: ", text.index(f"id: {term}\n"))] + "  summary:\n    ja: "
    plugin = serve_rebuilds(project, f"glossary/{term}/", yaml_file, anchor, "mkdocs.yml", times)
    static_project = copy_project(root / "serve-static")
    config = static_copy(static_project)
    page = static_project / "docs" / "ja" / "glossary" / f"{term}.md"
    anchor = '<p class="k8skb-summary"><strong>'  # where the YAML summary's text starts on the page
    static = serve_rebuilds(static_project, f"glossary/{term}/", page, anchor, config, times)
    return plugin, static


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """A static file handler that does not log every request to standard error."""

    def log_message(self, format: str, *args: object) -> None:
        return


def search_transfer(site: Path, query: str) -> tuple[int, int]:
    """Bytes and requests Chromium fetches from /pagefind/ for one query typed on the glossary index."""
    from playwright.sync_api import sync_playwright

    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    sizes: list[int] = []
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path="/usr/bin/chromium", headless=True, args=["--no-sandbox"]
            )
            page = browser.new_page()

            def record(response: Any) -> None:
                if "/pagefind/" in response.url:
                    sizes.append(len(response.body()))

            page.on("response", record)
            page.goto(base + "glossary/")
            page.click(".md-search__input")
            page.keyboard.type(query)
            page.wait_for_selector(".md-search-result__item", timeout=30000)
            page.wait_for_timeout(1500)
            browser.close()
    finally:
        server.shutdown()
    return sum(sizes), len(sizes)


def page_weight(site: Path, url: str) -> dict[str, int]:
    """Uncompressed bytes of one page: its HTML (with inline SVG) and every CSS/JS file it loads."""
    page_dir = site / url
    html = (page_dir / "index.html").read_text(encoding="utf-8")
    weights = {
        "html": len(html.encode()),
        "svg (inline, in html)": sum(len(s) for s in re.findall(r"<svg.*?</svg>", html, re.S)),
    }
    css = js = 0
    for ref in re.findall(r'<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"', html):
        css += (page_dir / ref).resolve().stat().st_size
    for ref in re.findall(r'<script[^>]+src="([^"]+)"', html):
        js += (page_dir / ref).resolve().stat().st_size
    weights.update({"css": css, "js": js, "total": weights["html"] + css + js})
    return weights


def print_serve(root: Path) -> None:
    """Print the serve rebuild figures of the plugin and of static Markdown."""
    plugin, static = serve_comparison(root, "pod", 5)
    print("mkdocs serve: seconds from saving a one-line edit until the page shows it (5 edits)")
    print(f"    plugin, YAML summary edited   {spread(plugin)}  median {statistics.median(plugin):.2f} s")
    print(f"    static Markdown, same page    {spread(static)}  median {statistics.median(static):.2f} s")
    ratio = statistics.median(plugin) / statistics.median(static)
    print(f"    plugin / static Markdown: {ratio:.2f}x (target: the page shows the edit within 2 s)")


def main() -> None:
    """Run every measurement and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="500,1000,2000")
    parser.add_argument("--no-browser", action="store_true", help="skip the search transfer measurement")
    parser.add_argument("--repeat", type=int, default=3, help="builds per synthetic size (median shown)")
    parser.add_argument("--serve-only", action="store_true", help="only the mkdocs serve rebuilds")
    args = parser.parse_args()
    if args.serve_only:
        with tempfile.TemporaryDirectory(prefix="k8skb-bench-") as tmp:
            print_serve(Path(tmp))
        return
    sizes = [int(s) for s in args.sizes.split(",") if s]
    with tempfile.TemporaryDirectory(prefix="k8skb-bench-") as tmp:
        root = Path(tmp)
        real = copy_project(root / "real")
        terms = len(load_glossary(real / "glossary").glossary or ())
        full = build(real)
        weight = page_weight(real / "site", "glossary/kube-apiserver")
        set_plugin_options(real, "search: false")
        config = static_copy(copy_project(root / "static"))
        pairs = [(build(real), build(root / "static", config)) for _ in range(max(1, args.repeat))]
        nosearch = median([p[0] for p in pairs])
        static = median([p[1] for p in pairs])
        nosearch_runs, static_runs = [p[0] for p in pairs], [p[1] for p in pairs]
        print(f"(a) real glossary: {terms} terms, both languages")
        print(f"    plugin + Pagefind   {full[0]:6.2f} s  {full[1]:6.0f} MB  {full[2] / 1e6:6.1f} MB out")
        print(
            f"    plugin, no search   {nosearch[0]:6.2f} s  {nosearch[1]:6.0f} MB  "
            f"{nosearch[2] / 1e6:6.1f} MB"
        )
        print(
            f"    static Markdown     {static[0]:6.2f} s  {static[1]:6.0f} MB  {static[2] / 1e6:6.1f} MB out"
        )
        print(f"    {overhead(nosearch_runs, static_runs)} ({len(pairs)} interleaved builds each)")
        print(f"    Pagefind share: {full[0] - nosearch[0]:.2f} s")
        zensical = zensical_build(copy_project(root / "zensical-real"))
        if zensical is not None:
            print(f"    Zensical (generate + build + finish, its own search): {zensical:6.2f} s")
        print("(b) synthetic glossaries (medians of --repeat builds, plugin and static interleaved)")
        previous: tuple[int, float] | None = None
        for count in sizes:
            source = root / f"glossary-{count}"
            synthetic_glossary(source, count)
            full_runs, plugin_runs, static_runs = [], [], []
            for n in range(max(1, args.repeat)):
                full_runs.append(build(fresh_project(root / f"syn{count}-{n}", source)))
                project = fresh_project(root / f"syn{count}-nosearch-{n}", source)
                set_plugin_options(project, "search: false")
                plugin_runs.append(build(project))
                static_project = fresh_project(root / f"syn{count}-static-{n}", source)
                static_runs.append(build(static_project, static_copy(static_project)))
            seconds, peak, out = median(full_runs)[0], max(r[1] for r in full_runs), full_runs[-1][2]
            spread = ", ".join(f"{r[0]:.2f}" for r in sorted(full_runs))
            per = f"  {1000 * seconds / count:5.2f} ms/term"
            growth = (
                f"  x{seconds / previous[1]:.2f} time for x{count / previous[0]:.2f} terms"
                if previous
                else ""
            )
            cpu = median(full_runs, 3)[3]
            figures = f"{seconds:6.2f} s ({cpu:.2f} s CPU)  {peak:6.0f} MB  {out / 1e6:6.1f} MB"
            print(f"    {count:5d} terms  {figures}{per}{growth}")
            print(f"           plugin + Pagefind runs: {spread}")
            print(f"           {overhead(plugin_runs, static_runs)}")
            zensical = zensical_build(fresh_project(root / f"syn{count}-zensical", source))
            if zensical is not None:
                print(f"           Zensical (generate + build + finish, its own search): {zensical:.2f} s")
            previous = (count, seconds)
            if count == max(sizes) and not args.no_browser:
                transfer, requests = search_transfer(root / f"syn{count}-0" / "site", "用語1999番")
                print(
                    f"    search at {count} terms: one query fetched {transfer / 1e3:.0f} KB, "
                    f"{requests} files "
                    f"= {transfer / 3.2e6:.1%} of 3.2 MB (budget {SEARCH_BUDGET / 1e3:.0f} KB)"
                )
        print_serve(root)
        print("term page weight (glossary/kube-apiserver/, uncompressed): " + json.dumps(weight))
        print(f"    = {weight['total'] / 1e3:.0f} KB of {PAGE_BUDGET / 1e3:.0f} KB budget")


if __name__ == "__main__":
    main()
