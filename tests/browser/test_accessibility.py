"""axe-core on the built site: no serious or critical finding on any page type, state, language or scheme.

One test per language and colour scheme visits one page of each type (home with the search open,
glossary index with a tag chosen, category pages with each kind of diagram, a term page, the quiz
before, during (every question kind, with its validation message and then its feedback) and after,
further reading, about) and runs axe-core (bundled by axe-playwright-python: nothing is fetched) on
each. The counts of serious and critical findings per page and rule are attached to the test report
and printed in the terminal summary (see conftest.py); any finding fails the test with its details.
The colour scheme is emulated with ``prefers-color-scheme``, which Material's palette (one option
per media query in mkdocs.yml) follows when the reader has not chosen one with the toggle.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

LANGS = {"ja": "", "en": "en/"}
SCHEMES = {"light": "default", "dark": "slate"}
BLOCKING = ("serious", "critical")
KINDS = ("single", "multiple", "truefalse", "ordering", "matching")
WRONG = {"single": True, "multiple": False, "truefalse": True, "ordering": False, "matching": True}
"""Which kinds are answered wrongly (the feedback then shows the right answer; both verdicts are seen)."""

SHOW_KIND = """(kind) => {
  const quiz = window.k8skbQuiz;
  quiz.start("", 1, false);
  quiz.questions = [quiz.bank.questions.find((q) => q.kind === kind)];
  quiz.index = 0;
  quiz.show();
}"""

ANSWER = """([kind, wrong]) => {
  const quiz = window.k8skbQuiz, q = quiz.questions[quiz.index];
  const form = document.querySelector("#k8skb-quiz form.k8skb-quiz-question");
  const inputs = [...form.querySelectorAll("input")], selects = [...form.querySelectorAll("select")];
  if (kind === "single" || kind === "truefalse") {
    let i = kind === "truefalse" ? (q.answer ? 0 : 1) : q.answer;
    if (wrong) i = kind === "truefalse" ? 1 - i : (i + 1) % inputs.length;
    inputs[i].click();
  } else if (kind === "multiple") {
    inputs.forEach((box, i) => { if (q.answer.includes(i) !== wrong) box.click(); });
  } else if (kind === "ordering") {
    const order = wrong ? [...q.answer].reverse() : q.answer;
    selects.forEach((s, shown) => { s.value = String(order.indexOf(shown)); });
  } else {
    const match = wrong ? [...q.answer].reverse() : q.answer;
    selects.forEach((s, i) => { s.value = String(match[i]); });
  }
  form.querySelector("button[type=submit]").click();
}"""


SETTLE = """() => Promise.race([
  Promise.all(document.getAnimations().map((a) => a.finished.catch(() => null))),
  new Promise((done) => setTimeout(done, 2000)),
])"""
"""Colours are read as rendered: let transitions (Material's buttons fade for 125 ms) end first. A
transition cancelled on the way rejects its promise (it is over too); an endless one waits 2 s."""


def audit(page: Any) -> tuple[dict[str, int], list[str]]:
    """Run axe-core on ``page``: ``({rule: nodes}, [details])`` of its serious and critical findings."""
    from axe_playwright_python.sync_playwright import Axe

    page.evaluate(SETTLE)
    results = Axe().run(page, options={"resultTypes": ["violations"]})
    counts: dict[str, int] = {}
    details: list[str] = []
    for violation in results.response["violations"]:
        if violation["impact"] not in BLOCKING:
            continue
        counts[violation["id"]] = len(violation["nodes"])
        for node in violation["nodes"][:10]:
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            details.append(f"{violation['id']} ({violation['impact']}): {node['target']} {summary[:300]}")
    return counts, details


def _states(page: Any, base: str, prefix: str) -> Iterator[tuple[str, Callable[[], None]]]:
    """``(name, prepare)`` for every page and state to audit; ``prepare`` brings the page into it."""

    def visit(path: str, selector: str = "article") -> Callable[[], None]:
        def go() -> None:
            page.goto(base + prefix + path)
            page.wait_for_selector(selector)

        return go

    def search_open() -> None:
        visit("")()
        page.click(".md-search__input")
        page.keyboard.type("pod")
        page.wait_for_selector(".md-search-result__item a", timeout=15000)

    def tag_chosen() -> None:
        visit("glossary/")()
        page.click("[data-k8skb-tagfilter] button[data-tag='networking']")

    def quiz_kind(kind: str) -> Callable[[], None]:
        def go() -> None:
            page.evaluate(SHOW_KIND, kind)
            if kind != "ordering":  # an ordering always has an answer (the shown order)
                page.click("#k8skb-quiz form button[type=submit]")  # nothing chosen: the message shows
                page.wait_for_selector("#k8skb-quiz .k8skb-quiz-message:not(:empty)")

        return go

    def quiz_feedback(kind: str) -> Callable[[], None]:
        def go() -> None:
            page.evaluate(ANSWER, [kind, WRONG[kind]])
            page.wait_for_selector("#k8skb-quiz .k8skb-quiz-feedback[data-correct]")

        return go

    def quiz_summary() -> None:
        page.click("#k8skb-quiz .k8skb-quiz-next")
        page.wait_for_selector("#k8skb-quiz[data-state=summary]")

    yield "home", visit("")
    yield "search (open, results)", search_open
    yield "glossary index (tag chosen)", tag_chosen
    yield "category: cluster diagram", visit("glossary/category/architecture/", "svg.k8skb-diagram")
    yield "category: lanes diagram", visit("glossary/category/service-type/", "svg.k8skb-diagram")
    yield "category: columns diagram", visit("glossary/category/resource/", "svg.k8skb-diagram")
    yield "term", visit("glossary/kube-apiserver/", "svg.k8skb-diagram")
    yield "further reading", visit("further-reading/")
    yield "about", visit("about/")
    yield "quiz: before", visit("quiz/?seed=1", "#k8skb-quiz[data-state=setup]")
    for kind in KINDS:
        yield f"quiz: {kind}" + ("" if kind == "ordering" else " (message)"), quiz_kind(kind)
        yield f"quiz: {kind} (feedback)", quiz_feedback(kind)
    yield "quiz: after", quiz_summary


@pytest.mark.parametrize("scheme", list(SCHEMES))
@pytest.mark.parametrize("lang", list(LANGS))
def test_no_serious_or_critical_axe_finding(
    page: Any, site_url: str, lang: str, scheme: str, record_property: Callable[[str, object], None]
) -> None:
    page.emulate_media(color_scheme=scheme)
    table: dict[str, dict[str, int]] = {}
    failures: list[str] = []
    for name, prepare in _states(page, site_url, LANGS[lang]):
        prepare()
        shown = page.get_attribute("body", "data-md-color-scheme")
        assert shown == SCHEMES[scheme], (name, shown)
        counts, details = audit(page)
        table[name] = counts
        failures += [f"[{name}] {line}" for line in details]
    record_property("axe", {"lang": lang, "scheme": scheme, "counts": table})
    lines = [f"{name}: {rule} x{n}" for name, counts in table.items() for rule, n in sorted(counts.items())]
    assert not failures, "\n".join([*lines, "", *failures])


def test_the_audit_reports_a_planted_finding(page: Any, site_url: str) -> None:
    """The audit can fail: a nameless dialog and a grey-on-grey text are reported as serious."""
    page.goto(site_url + "en/about/")
    page.wait_for_selector("article")
    assert audit(page)[0] == {}
    page.evaluate(
        """() => {
          const article = document.querySelector("article");
          article.insertAdjacentHTML("beforeend",
            '<div role="dialog"><p>nameless</p></div><p style="color:#777;background:#888">faint</p>');
        }"""
    )
    counts, details = audit(page)
    assert {"aria-dialog-name", "color-contrast"} <= set(counts), details


LABEL_CONTRAST = """() => {
  const box = document.querySelector('svg.k8skb-diagram .k8skb-current');
  const rgb = (value) => value.match(/[\\d.]+/g).map(Number);
  return {
    fill: rgb(getComputedStyle(box.querySelector('rect')).fill),
    text: rgb(getComputedStyle(box.querySelector('text')).fill),
  };
}"""


def contrast(a: list[float], b: list[float]) -> float:
    """WCAG contrast ratio of two opaque sRGB colours (``[r, g, b]`` or ``[r, g, b, 1]``)."""

    def luminance(c: list[float]) -> float:
        lin = [v / 255 / 12.92 if v / 255 <= 0.04045 else ((v / 255 + 0.055) / 1.055) ** 2.4 for v in c[:3]]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_current_terms_box_keeps_its_label_legible_under_the_pointer_and_focus(
    browser: Any, site_url: str, scheme: str
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    try:
        page = context.new_page()
        page.goto(site_url + "glossary/pod/")
        current = page.locator("svg.k8skb-diagram .k8skb-current").first
        for state in ("resting", "hover", "focus"):
            if state == "hover":
                current.hover()
            elif state == "focus":
                page.mouse.move(0, 0)
                current.focus()
            colours = page.evaluate(LABEL_CONTRAST)
            assert len(colours["fill"]) == 3 or colours["fill"][3] == 1, (state, colours)  # opaque
            assert contrast(colours["fill"], colours["text"]) >= 4.5, (state, colours)
    finally:
        context.close()
