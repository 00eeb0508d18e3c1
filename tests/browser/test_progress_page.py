"""The progress page in Chromium: the figures of a known review store, in both languages, the same as
``quiz.mastery`` computes (and so as ``k8skb quiz --progress`` shows); links to a quiz on just those
terms; the reset button asks first."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest

from k8skb.glossary.taxonomy import CATEGORIES
from k8skb.quiz.mastery import GROUPS, category_progress, end_of_today_ms
from k8skb.quiz.schedule import DAY_MS, Record

SCREENSHOTS = Path(__file__).parent / "screenshots"
STORE_KEY = "k8skb-quiz-progress"


def _bank(built_site: Path, lang: str) -> dict[str, Any]:
    bank: dict[str, Any] = json.loads(
        (built_site / "assets" / "quiz" / f"bank.{lang}.json").read_text("utf-8")
    )
    return bank


def _store(bank: dict[str, Any]) -> dict[str, Record]:
    """A mastered term, a term being learnt that is due, and one seen question of a term not yet mastered."""
    now = int(time.time() * 1000)
    questions = bank["questions"]
    single = [q for q in questions if len(q["terms"]) == 1]
    first, second = (
        single[0]["terms"][0],
        next(q["terms"][0] for q in single if q["terms"][0] != single[0]["terms"][0]),
    )
    records: dict[str, Record] = {}
    for q in questions:
        if q["terms"] == [first]:
            records[q["id"]] = Record(box=5, due=now + 10 * DAY_MS, seen=4, missed=0)
        elif q["terms"] == [second]:
            records[q["id"]] = Record(box=1, due=now - 1000, seen=2, missed=1)
    return records


def _terms_by_category(page: Any) -> list[tuple[str, list[str]]]:
    data = json.loads(page.text_content("#k8skb-progress-data"))
    return [(c["id"], [t["id"] for t in c["terms"]]) for c in data["categories"]]


@pytest.mark.parametrize(("lang", "prefix"), [("ja", ""), ("en", "en/")])
def test_the_figures_are_those_of_the_store_and_link_to_a_quiz_on_those_terms(
    page: Any, site_url: str, built_site: Path, lang: str, prefix: str
) -> None:
    bank = _bank(built_site, lang)
    records = _store(bank)
    page.goto(f"{site_url}{prefix}")
    page.evaluate(
        "([k, v]) => localStorage.setItem(k, v)",
        [STORE_KEY, json.dumps({"version": 1, "questions": records})],
    )
    page.locator("nav.md-nav--primary a[href$='progress/']").first.click()
    page.wait_for_url(f"{site_url}{prefix}progress/")
    page.wait_for_selector("#k8skb-progress[data-state='ready']")
    expected = category_progress(_terms_by_category(page), bank["questions"], records, end_of_today_ms())
    assert [c for c, _ in _terms_by_category(page)] == [c.id for c in CATEGORIES]
    for row in expected:
        shown = page.eval_on_selector_all(
            f"tr[data-category='{row.category}'] td", "els => els.map(e => [e.dataset.group, e.textContent])"
        )
        assert shown == [[g, str(len(row.group(g)))] for g in GROUPS], row.category
    totals = {g: sum(len(r.group(g)) for r in expected) for g in GROUPS}
    assert totals["mastered"] >= 1 and totals["learning"] >= 1 and totals["due"] >= 1
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"progress-{lang}.png"), full_page=True)

    learning = next(r for r in expected if r.learning)
    link = page.locator(f"#k8skb-progress-{learning.category} [data-group='learning'] a.k8skb-progress-quiz")
    assert link.get_attribute("href") == "../quiz/?term=" + ",".join(learning.learning)
    link.click()
    page.wait_for_function("() => window.k8skbQuiz && window.k8skbQuiz.questions", timeout=15000)
    asked = page.evaluate("() => window.k8skbQuiz.questions.map(q => q.terms)")
    assert asked, "the quiz started on those terms"
    assert all(set(terms) & set(learning.learning) for terms in asked)


def test_reset_asks_first_and_then_every_term_is_never_seen(
    page: Any, site_url: str, built_site: Path
) -> None:
    records = _store(_bank(built_site, "en"))
    page.goto(site_url + "en/progress/")
    page.evaluate(
        "([k, v]) => localStorage.setItem(k, v)",
        [STORE_KEY, json.dumps({"version": 1, "questions": records})],
    )
    page.reload()
    page.wait_for_selector("#k8skb-progress[data-state='ready']")
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.click("button.k8skb-progress-reset")
    assert page.evaluate("k => localStorage.getItem(k)", STORE_KEY) is not None, "cancelled: nothing erased"
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("button.k8skb-progress-reset")
    assert page.evaluate("k => localStorage.getItem(k)", STORE_KEY) is None
    assert page.text_content(".k8skb-progress-status") == "Your progress has been reset."
    foot = page.eval_on_selector_all("tfoot td", "els => els.map(e => [e.dataset.group, e.textContent])")
    total = sum(len(terms) for _, terms in _terms_by_category(page))
    assert foot == [["mastered", "0"], ["learning", "0"], ["unseen", str(total)], ["due", "0"]]


@pytest.mark.parametrize("prefix", ["", "en/"])
def test_on_a_phone_the_figures_scroll_in_their_box_and_every_column_is_reachable(
    browser: Any, site_url: str, prefix: str
) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        page.goto(f"{site_url}{prefix}progress/")
        page.wait_for_selector("#k8skb-progress[data-state='ready']")
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 390, "the page does not scroll"
        box = page.locator(".k8skb-progress-figures").first
        box.evaluate("e => { e.closest('.md-typeset__scrollwrap').scrollLeft = 1e6; }")
        last = page.locator(".k8skb-progress-figures thead th").last.bounding_box()
        assert last is not None and last["x"] >= 0 and last["x"] + last["width"] <= 390 + 1, last
    finally:
        context.close()
