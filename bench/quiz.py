"""Benchmark the quiz; prints figures (never asserts).

Flow: (a) time the bank (generation + hand-written + JSON, both languages) for the real glossary and
for a synthetic 2,000-term glossary built in memory → (b) the quiz page's transfer size: quiz.js,
quiz.css and one language's bank, gzip-compressed (target ≤ 150 KB) → (c) in Chromium, the time from
navigation to the quiz being ready and to the first question on screen (``?start=1``; quiz.js
records ``performance.now()`` in data attributes; target < 200 ms), on a minimal page served from
a temp dir on 127.0.0.1 (the page shell of docs/ja/quiz.md without the Material theme).

Run: ``.venv/bin/python bench/quiz.py [--runs 5] [--no-browser]``.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from k8skb.glossary.model import (  # noqa: E402
    Glossary,
    GlossaryEntry,
    LocalizedText,
    Misconception,
    Relation,
    Source,
)
from k8skb.glossary.taxonomy import CATEGORIES  # noqa: E402
from k8skb.glossary.validate import load_glossary  # noqa: E402
from k8skb.quiz.bank import all_questions, bank_json, build_bank  # noqa: E402

ASSETS = REPO / "docs" / "assets"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]


def synthetic_glossary(size: int) -> Glossary:
    """``size`` terms spread over the categories, with misconceptions and a manages chain every 50 terms."""
    cats = [c.id for c in CATEGORIES]
    entries = []
    src = Source("synthetic.yaml", 1)
    for i in range(size):
        cat = cats[i % len(cats)]
        relations: tuple[Relation, ...] = ()
        if cat == "resource" and i + len(cats) < size and i % 50 < 16:
            relations = (Relation(type="manages", target=f"term-{i + len(cats)}", source=src),)
        misconceptions = ()
        if i % 3 == 0:
            misconceptions = (
                Misconception(
                    wrong=LocalizedText(ja=f"用語{i}は誤解{i}だ。", en=f"Term {i} is myth {i}."),
                    right=LocalizedText(ja=f"用語{i}は事実{i}です。", en=f"Term {i} is fact {i}."),
                    source=src,
                ),
            )
        entries.append(
            GlossaryEntry(
                id=f"term-{i}",
                category=cat,
                name=LocalizedText(ja=f"用語{i}", en=f"Term {i}"),
                reading=f"ようご{i}",
                summary=LocalizedText(
                    ja=f"{i}番目の仕組みを説明する一文で、長さはふつうの要約と同じくらい。",
                    en=f"A sentence that explains mechanism number {i}, about as long as a summary.",
                ),
                description=LocalizedText(ja="…", en="…"),
                relations=relations,
                misconceptions=misconceptions,
                source=src,
            )
        )
    return Glossary(entries=tuple(entries))


def time_bank(glossary: Glossary, quiz_dir: Path | None, runs: int) -> tuple[float, int, dict[str, str]]:
    """Median seconds to build both banks; the number of questions; the bank texts."""
    times, texts, count = [], {}, 0
    for _ in range(runs):
        start = time.perf_counter()
        questions, _ = all_questions(glossary, quiz_dir, 0)
        texts = {lang: bank_json(build_bank(glossary, questions, lang)) for lang in ("ja", "en")}
        times.append(time.perf_counter() - start)
        count = len(questions)
    return statistics.median(times), count, texts


def gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6))


PAGE = """<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>quiz</title>
<link rel="stylesheet" href="../assets/quiz.css"></head><body>
<div id="k8skb-quiz" data-lang="{lang}" data-root="../"></div>
<script src="../assets/quiz.js"></script></body></html>"""


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        return


class _QuietServer(http.server.ThreadingHTTPServer):
    """Chromium drops connections it no longer needs; that is not worth a traceback."""

    def handle_error(self, request: Any, client_address: Any) -> None:
        return


def browser_timing(banks: dict[str, str], runs: int) -> dict[str, float]:
    """Median ms to quiz ready and to the first question on a bare page (quiz.js, quiz.css, bank only)."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "assets" / "quiz").mkdir(parents=True)
        for name in ("quiz.js", "quiz.css"):
            (root / "assets" / name).write_bytes((ASSETS / name).read_bytes())
        for lang, text in banks.items():
            (root / "assets" / "quiz" / f"bank.{lang}.json").write_text(text, encoding="utf-8")
        (root / "quiz").mkdir()
        (root / "quiz" / "index.html").write_text(PAGE.format(lang="ja"), encoding="utf-8")
        return page_timing(root, "quiz/?start=1&seed=1", runs)


def built_site_timing(runs: int) -> dict[str, float]:
    """The same figures on the real site (Material theme, its CSS and JS, the real bank), built now."""
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [sys.executable, "-m", "mkdocs", "build", "--quiet", "--site-dir", tmp]
        subprocess.run(cmd, cwd=REPO, check=True, capture_output=True)
        return page_timing(Path(tmp), "quiz/?start=1&seed=1", runs)


def page_timing(root: Path, path: str, runs: int) -> dict[str, float]:
    """Serve ``root`` on 127.0.0.1; median of quiz.js's timing marks for ``path`` in Chromium."""
    from playwright.sync_api import sync_playwright

    server = _QuietServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/{path}"
    ready, first = [], []
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS
            )
            for _ in range(runs):
                context = browser.new_context()
                page = context.new_page()
                page.goto(url)
                page.wait_for_selector("#k8skb-quiz[data-first-question-ms]")
                ready.append(float(page.get_attribute("#k8skb-quiz", "data-ready-ms") or "nan"))
                first.append(float(page.get_attribute("#k8skb-quiz", "data-first-question-ms") or "nan"))
                context.close()
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return {"ready_ms": statistics.median(ready), "first_question_ms": statistics.median(first)}


def main() -> None:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()

    result = load_glossary(REPO / "glossary")
    if result.glossary is None:
        print("the real glossary does not validate; run 'k8skb validate'")
        return
    real_s, real_n, banks = time_bank(result.glossary, REPO / "quiz", args.runs)
    print(
        f"bank, real glossary ({len(result.glossary)} terms): {real_n} questions, "
        f"{real_s * 1000:.1f} ms for both languages (median of {args.runs})"
    )
    synth = synthetic_glossary(2000)
    synth_s, synth_n, synth_banks = time_bank(synth, None, max(1, args.runs // 2))
    print(
        f"bank, synthetic glossary (2000 terms): {synth_n} questions, {synth_s * 1000:.0f} ms "
        f"for both languages; {len(synth_banks['ja'].encode()) / 1e6:.2f} MB raw ja bank"
    )

    js, css = (ASSETS / "quiz.js").read_bytes(), (ASSETS / "quiz.css").read_bytes()
    for lang in ("ja", "en"):
        bank = banks[lang].encode()
        total = gz(js) + gz(css) + gz(bank)
        print(
            f"transfer ({lang}): quiz.js {gz(js) / 1024:.1f} KB + quiz.css {gz(css) / 1024:.1f} KB + "
            f"bank {gz(bank) / 1024:.1f} KB (raw {len(bank) / 1024:.0f} KB) = {total / 1024:.1f} KB gzip "
            f"(target <= 150 KB)"
        )
    if not args.no_browser:
        timing = browser_timing(banks, args.runs)
        print(
            f"chromium (real bank, ja): quiz ready {timing['ready_ms']:.0f} ms, first question "
            f"{timing['first_question_ms']:.0f} ms after navigation (median of {args.runs}; target < 200 ms)"
        )
        timing = browser_timing(synth_banks, max(1, args.runs // 2))
        print(f"chromium (2000-term bank, ja): first question {timing['first_question_ms']:.0f} ms")
        timing = built_site_timing(args.runs)
        print(
            f"chromium (real built site /quiz/, Material theme): quiz ready {timing['ready_ms']:.0f} ms, "
            f"first question {timing['first_question_ms']:.0f} ms (median of {args.runs}; target < 200 ms)"
        )


if __name__ == "__main__":
    main()
