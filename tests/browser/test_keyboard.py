"""Keyboard only: the quiz, the search, the header controls, the tag filter and the diagrams.

Desktop width (1280 px): the menu and search icons of narrow screens are hidden there; a test at
phone width checks that they are named buttons in the tab order that Enter opens.

Every key goes through ``press``, which checks that whatever holds the focus afterwards shows a focus
ring (a solid outline at least 2px wide on a rendered element; for Material's hidden palette radios,
on the toggle icon that stands for them). No test clicks or calls ``focus()``; the pages start from
their top and are walked with Tab, Shift+Tab, Enter, Space, the arrow keys, Escape and typing.
"""

from __future__ import annotations

from typing import Any

import pytest

RING = """() => {
  const focused = document.activeElement;
  if (!focused || focused === document.body) return null;
  const shown = focused.matches("input.md-option")
    ? focused.form.querySelector("label:not([hidden])") : focused;
  const style = getComputedStyle(shown), box = shown.getBoundingClientRect();
  return {
    what: `${focused.tagName} ${focused.id} ${String(focused.className.baseVal ?? focused.className)}`
      + ` ${(focused.textContent || focused.value || "").trim().slice(0, 40)}`,
    ring: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2,
    rendered: box.width > 0 && box.height > 0 && style.visibility !== "hidden",
  };
}"""


def press(page: Any, key: str) -> str:
    """Press ``key``; return a description of the focused element, which must show a focus ring."""
    page.keyboard.press(key)
    state = page.evaluate(RING)
    if state is None:
        return "body"
    assert state["rendered"] and state["ring"], f"after {key}: no visible focus ring on {state['what']}"
    return str(state["what"])


def tab_to(page: Any, test: str, limit: int = 60, key: str = "Tab") -> str:
    """Press ``key`` until the focused element matches the JS predicate ``test``; return its description."""
    seen = []
    for _ in range(limit):
        seen.append(press(page, key))
        if page.evaluate(f"() => {{ const e = document.activeElement; return Boolean({test}); }}"):
            return seen[-1]
    raise AssertionError(f"never reached {test} with {key}: {seen}")


def bank_of(page: Any, lang: str) -> dict[str, Any]:
    script = "async (l) => (await fetch(new URL('/assets/quiz/bank.' + l + '.json', location.href))).json()"
    bank: dict[str, Any] = page.evaluate(script, lang)
    return bank


def answer(page: Any, q: dict[str, Any], wrong: bool) -> None:
    """Answer ``q`` (rightly, or wrongly) from the focused heading with keys only, then submit."""
    kind, key = q["kind"], q["answer"]
    press(page, "Tab")  # into the first control
    if kind in ("single", "truefalse"):
        target = (0 if key else 1) if kind == "truefalse" else key
        if wrong:
            target = 1 - target if kind == "truefalse" else (target + 1) % len(q["choices"])
        press(page, "Space")
        for _ in range(target):
            press(page, "ArrowDown")
        assert page.evaluate("() => document.activeElement.value") == str(target)
        press(page, "Tab")
    elif kind == "multiple":
        for i in range(len(q["choices"])):
            if (i in key) != wrong:
                press(page, "Space")
            press(page, "Tab")
    elif kind == "ordering":
        order = list(reversed(key)) if wrong else key
        for shown in range(len(q["choices"])):
            page.keyboard.type(str(order.index(shown) + 1))
            press(page, "Tab")
    else:
        for match in reversed(key) if wrong else key:
            page.keyboard.type("abcdefghij"[match])
            press(page, "Tab")
    assert page.evaluate("() => document.activeElement.type") == "submit"
    press(page, "Enter")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_quiz_from_the_top_of_the_page_by_keyboard_only(page: Any, site_url: str, scheme: str) -> None:
    page.emulate_media(color_scheme=scheme)
    page.goto(site_url + "en/quiz/?seed=11")
    page.wait_for_selector("#k8skb-quiz[data-state=setup]")
    bank = bank_of(page, "en")
    by_id = {q["id"]: q for q in bank["questions"]}
    ui = bank["ui"]
    # from the top of the page, through the header and the navigation, to the quiz's first control
    tab_to(page, "e.id === 'k8skb-quiz-category'")
    press(page, "Tab")
    press(page, "ArrowDown")  # the number of questions: 10 → 20
    assert page.evaluate("() => document.activeElement.value") == "20"
    press(page, "ArrowUp")
    assert page.evaluate("() => document.activeElement.value") == "10"
    assert ui["start"] in press(page, "Tab")
    assert ui["review"] in press(page, "Tab")
    assert ui["start"] in press(page, "Shift+Tab")
    press(page, "Enter")
    kinds: list[str] = []
    wrong_once = False
    for _ in range(10):
        page.wait_for_selector("#k8skb-quiz form[data-qid]:not([data-answered])")
        assert page.evaluate("() => document.activeElement.classList.contains('k8skb-quiz-heading')")
        q = by_id[page.get_attribute("#k8skb-quiz form.k8skb-quiz-question", "data-qid")]
        kinds.append(q["kind"])
        wrong = not wrong_once and q["kind"] in ("multiple", "matching")
        wrong_once = wrong_once or wrong
        answer(page, q, wrong)
        feedback = page.locator("#k8skb-quiz .k8skb-quiz-feedback")
        assert feedback.get_attribute("data-correct") == ("false" if wrong else "true"), q["id"]
        assert "k8skb-quiz-next" in page.evaluate("() => document.activeElement.className")
        described = page.evaluate(
            "() => document.activeElement.getAttribute('aria-describedby').split(' ')"
            ".map((id) => document.getElementById(id).textContent).join(' ')"
        )
        assert (ui["wrong"] if wrong else ui["correct"]) in described
        assert q["explanation"].splitlines()[0].replace("`", "") in described  # `code` is shown as <code>
        # the term links of the feedback are reachable too, behind the focused next button
        assert "k8skb-quiz-terms" in page.evaluate(
            "() => document.activeElement.previousElementSibling.className"
        )
        assert press(page, "Shift+Tab").startswith("A ")
        press(page, "Tab")
        press(page, "Enter")
    assert {"single", "multiple", "truefalse", "ordering", "matching"} <= set(kinds)
    page.wait_for_selector("#k8skb-quiz[data-state=summary]")
    assert page.get_attribute("#k8skb-quiz", "data-score") == "9/10"
    tab_to(page, "e.tagName === 'BUTTON'")
    press(page, "Enter")
    page.wait_for_selector("#k8skb-quiz[data-state=setup]")


def test_search_by_keyboard_only(page: Any, site_url: str) -> None:
    page.goto(site_url + "en/glossary/")
    toggle = "() => document.getElementById('__search').checked"
    press(page, "/")  # opens the search, focus in the box
    assert page.evaluate(toggle)
    assert "md-search__input" in page.evaluate("() => document.activeElement.className")
    page.keyboard.type("scheduler")
    page.wait_for_selector(".md-search-result__item a", timeout=15000)
    assert page.get_attribute(".md-search-result__meta", "role") == "status"
    assert page.get_attribute(".md-search", "aria-label") == "Search"
    links = page.eval_on_selector_all(".md-search-result__item a", "els => els.map((e) => e.href)")
    assert press(page, "ArrowDown").startswith("A ")
    assert page.evaluate("() => document.activeElement.href") == links[0]
    if len(links) > 1:
        press(page, "ArrowDown")
        assert page.evaluate("() => document.activeElement.href") == links[1]
        press(page, "ArrowUp")
    press(page, "ArrowUp")
    focused = "() => document.activeElement.className + ' ' + (document.activeElement.type || '')"
    assert "md-search__input" in page.evaluate(focused)
    press(page, "Tab")  # the reset button, shown now that there is a query
    assert page.evaluate(focused).endswith("reset")
    press(page, "Tab")
    assert page.evaluate("() => document.activeElement.href") == links[0]
    press(page, "Shift+Tab")
    press(page, "Shift+Tab")
    assert "md-search__input" in page.evaluate(focused)
    press(page, "Escape")  # closes, the focus stays in the box
    assert not page.evaluate(toggle)
    assert "md-search__input" in page.evaluate("() => document.activeElement.className")
    assert page.locator(".md-search-result__item a").first.is_hidden()  # out of the tab order while closed
    page.keyboard.type("kubelet")  # typing again (over the query, selected when tabbed to) reopens it
    page.wait_for_function(toggle)
    page.wait_for_selector(".md-search-result__item:first-child a[href$='/en/glossary/kubelet/']")
    links = page.eval_on_selector_all(".md-search-result__item a", "els => els.map((e) => e.href)")
    press(page, "Shift+Tab")  # leaving the dialog closes it
    assert not page.evaluate(toggle)
    tab_to(page, "e.classList.contains('md-search__input')")
    press(page, "ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url(links[0])


def test_header_controls_by_keyboard_only(page: Any, site_url: str) -> None:
    page.emulate_media(color_scheme="light")
    page.goto(site_url + "glossary/pod/")
    assert press(page, "Tab").startswith("A ") and "md-skip" in page.evaluate(
        "() => document.activeElement.className"
    )
    scheme = "(s) => document.body.dataset.mdColorScheme === s"
    tab_to(page, "e.matches('input.md-option')")
    press(page, "Enter")  # the palette toggle, as if clicked: dark
    page.wait_for_function(scheme, arg="slate")
    press(page, "Space")  # and back
    page.wait_for_function(scheme, arg="default")
    press(page, "ArrowDown")  # the arrow keys move between the palette's radios
    page.wait_for_function(scheme, arg="slate")
    press(page, "ArrowUp")
    page.wait_for_function(scheme, arg="default")
    tab_to(page, "e.matches('.md-select__link[hreflang=en]')")
    page.keyboard.press("Enter")
    page.wait_for_url("**/en/glossary/pod/")


def test_tag_filter_and_diagram_boxes_by_keyboard_only(page: Any, site_url: str) -> None:
    page.goto(site_url + "en/glossary/")
    total = page.locator(".k8skb-termlist li:visible").count()
    tab_to(page, "e.dataset && e.dataset.tag === 'networking'")
    press(page, "Space")
    assert page.get_attribute("button[data-tag='networking']", "aria-pressed") == "true"
    shown = page.locator(".k8skb-termlist li:visible").count()
    assert 0 < shown < total
    assert page.inner_text("[data-k8skb-filter-status]") == f"{shown} terms shown"
    press(page, "Shift+Tab")
    press(page, "Enter")  # the previous button: "Workload"
    assert page.get_attribute("button[data-tag='networking']", "aria-pressed") == "false"

    page.goto(site_url + "en/glossary/category/architecture/")
    label = tab_to(page, "e.matches('svg a.k8skb-box') && e.getAttribute('aria-label') === 'kubelet'")
    assert "k8skb-box" in label
    page.keyboard.press("Enter")
    page.wait_for_url("**/en/glossary/kubelet/")


def test_menu_and_search_icons_of_narrow_screens_by_keyboard_only(page: Any, site_url: str) -> None:
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(site_url + "en/about/")
    tab_to(page, "e.getAttribute('for') === '__drawer'")
    assert page.get_attribute("label.md-header__button[for=__drawer]", "aria-label") == "Navigation"
    drawer = "() => document.getElementById('__drawer').checked"
    press(page, "Enter")
    assert page.evaluate(drawer)
    tab_to(page, "e.classList.contains('md-nav__link')")  # into the opened navigation
    press(page, "Escape")  # closes it, the focus back on the menu button
    assert not page.evaluate(drawer)
    assert page.evaluate("() => document.activeElement.getAttribute('for')") == "__drawer"
    tab_to(page, "e.matches('label.md-header__button[for=__search]')")
    press(page, "Space")
    page.wait_for_function("() => document.getElementById('__search').checked")
    assert "md-search__input" in page.evaluate("() => document.activeElement.className")
