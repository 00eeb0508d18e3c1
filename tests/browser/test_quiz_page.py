"""The quiz page in Chromium, driven with the keyboard only: a full 10-question quiz in each language."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

LANG_PATHS = {"ja": "quiz/", "en": "en/quiz/"}


def bank_of(page: Any, lang: str) -> dict[str, Any]:
    bank: dict[str, Any] = page.evaluate(
        "async (lang) => (await fetch(new URL('/assets/quiz/bank.' + lang + '.json', location.href))).json()",
        lang,
    )
    return bank


def plain(text: str) -> str:
    """A bank text as the page shows it: its `code` spans are <code> elements, without the backticks."""
    return text.replace("`", "")


def focused(page: Any) -> str:
    script = "() => { const e = document.activeElement; "
    script += "return e ? `<${e.tagName} ${e.className} ${e.textContent}` : ''; }"
    return str(page.evaluate(script))[:200].replace("<BUTTON", "<button")


def answer_with_keyboard(page: Any, q: dict[str, Any], wrong: bool) -> None:
    """Enter the answer of ``q`` (or a wrong one) using Tab, Space, arrows and typing only."""
    kb = page.keyboard
    kind, answer = q["kind"], q["answer"]
    kb.press("Tab")  # from the focused heading into the first control
    if kind in ("single", "truefalse"):
        target = (0 if answer else 1) if kind == "truefalse" else answer
        if wrong:
            target = 1 - target if kind == "truefalse" else (target + 1) % len(q["choices"])
        kb.press("Space")
        for _ in range(target):
            kb.press("ArrowDown")
        kb.press("Tab")
    elif kind == "multiple":
        for i in range(len(q["choices"])):
            if (i in answer) != wrong:
                kb.press("Space")
            kb.press("Tab")
    elif kind == "ordering":
        order = list(reversed(answer)) if wrong else answer
        for shown in range(len(q["choices"])):
            kb.type(str(order.index(shown) + 1))
            kb.press("Tab")
    else:
        for match in reversed(answer) if wrong else answer:
            kb.type("abcdefghij"[match])
            kb.press("Tab")
    assert "<button" in focused(page), focused(page)
    kb.press("Enter")


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_full_quiz_with_the_keyboard_then_reload_keeps_progress(page: Any, site_url: str, lang: str) -> None:
    page.goto(site_url + LANG_PATHS[lang] + "?seed=11")
    page.wait_for_selector("#k8skb-quiz[data-state=setup]")
    bank = bank_of(page, lang)
    by_id = {q["id"]: q for q in bank["questions"]}
    ui = bank["ui"]
    page.focus("#k8skb-quiz-category")  # the first control of the form, as if tabbed to
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert ui["start"] in focused(page)
    page.keyboard.press("Enter")
    kinds, missed = [], None
    for number in range(10):
        page.wait_for_selector("#k8skb-quiz[data-state=question] form[data-qid]:not([data-answered])")
        form = page.locator("#k8skb-quiz form.k8skb-quiz-question")
        q = by_id[form.get_attribute("data-qid")]
        kinds.append(q["kind"])
        heading = page.locator("#k8skb-quiz .k8skb-quiz-heading")
        assert heading.inner_text() == f"{ui['question']} {number + 1} {ui['of']} 10"
        assert page.evaluate("() => document.activeElement.classList.contains('k8skb-quiz-heading')")
        assert plain(q["prompt"].splitlines()[0]) in page.locator("#k8skb-quiz legend").inner_text()
        wrong = missed is None and q["kind"] == "single"
        if wrong:
            missed = q["id"]
        answer_with_keyboard(page, q, wrong)
        feedback = page.locator("#k8skb-quiz .k8skb-quiz-feedback")
        assert feedback.get_attribute("data-correct") == ("false" if wrong else "true"), (q["id"], q["kind"])
        assert feedback.get_attribute("aria-live") == "polite"
        assert plain(q["explanation"].splitlines()[0]) in feedback.inner_text()
        href = feedback.locator(".k8skb-quiz-terms a").first.get_attribute("href")
        absolute = page.evaluate("(h) => new URL(h, location.href).href", href)
        root = site_url if lang == "ja" else site_url + "en/"
        assert absolute == f"{root}glossary/{q['terms'][0]}/"
        assert "k8skb-quiz-next" in focused(page)
        page.keyboard.press("Enter")
    assert {"ordering", "matching", "single", "multiple", "truefalse"} <= set(kinds)
    page.wait_for_selector("#k8skb-quiz[data-state=summary]")
    assert page.get_attribute("#k8skb-quiz", "data-score") == "9/10"
    assert page.locator("#k8skb-quiz .k8skb-quiz-heading").inner_text() == f"{ui['score']}: 9/10"
    review = page.locator("#k8skb-quiz .k8skb-quiz-review li")
    assert review.count() == 1 and review.first.get_attribute("data-qid") == missed

    page.reload()
    page.wait_for_selector("#k8skb-quiz[data-state=setup]")
    stored = page.evaluate("() => JSON.parse(localStorage.getItem('k8skb-quiz-progress'))")
    assert len(stored["questions"]) == 10 and stored["questions"][missed]["box"] == 1
    line = ui["progress_line"].replace("{seen}", "10").replace("{due}", "1")
    assert page.locator(".k8skb-quiz-progress-line").inner_text() == line
    page.focus("#k8skb-quiz-category")
    for _ in range(3):
        page.keyboard.press("Tab")
    assert ui["review"] in focused(page)
    page.keyboard.press("Enter")
    page.wait_for_selector("#k8skb-quiz[data-state=question]")
    assert page.get_attribute("#k8skb-quiz form.k8skb-quiz-question", "data-qid") == missed
    assert page.locator("#k8skb-quiz .k8skb-quiz-heading").inner_text().endswith("1")


def test_term_parameter_limits_the_quiz_and_a_corrupted_store_is_reset(page: Any, site_url: str) -> None:
    page.goto(site_url + "en/quiz/?term=nodeport")
    page.wait_for_selector("#k8skb-quiz[data-state=question]")
    bank = bank_of(page, "en")
    by_id = {q["id"]: q for q in bank["questions"]}
    about = [q for q in bank["questions"] if "nodeport" in q["terms"]]
    # one question per group of near-identical statements is drawn
    expected = len({q["group"] or q["id"] for q in about})
    heading = page.locator("#k8skb-quiz .k8skb-quiz-heading").inner_text()
    assert heading.endswith(f" {min(10, expected)}")
    qid = page.get_attribute("#k8skb-quiz form.k8skb-quiz-question", "data-qid")
    assert "nodeport" in by_id[qid]["terms"]
    page.evaluate("() => localStorage.setItem('k8skb-quiz-progress', '{not json')")
    page.goto(site_url + "quiz/")
    page.wait_for_selector("#k8skb-quiz[data-state=setup]")
    notice = page.locator("#k8skb-quiz .k8skb-quiz-notice")
    assert notice.inner_text() == bank_of(page, "ja")["ui"]["progress_reset"]
    assert page.evaluate("() => JSON.parse(localStorage.getItem('k8skb-quiz-progress')).version") == 1


FITS = """() => {
  const set = document.querySelector('#k8skb-quiz fieldset');
  const column = document.querySelector('article').getBoundingClientRect();
  const box = set.getBoundingClientRect();
  return {
    inside: box.left >= column.left - 1 && box.right <= column.right + 1,
    clipped: set.scrollWidth > set.clientWidth + 1,
    page: document.documentElement.scrollWidth <= window.innerWidth,
  };
}"""


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_every_matching_question_fits_the_column(browser: Any, site_url: str, lang: str, width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900})
    try:
        page = context.new_page()
        page.goto(site_url + LANG_PATHS[lang])
        page.wait_for_selector("#k8skb-quiz[data-state=setup]")
        ids = page.evaluate(
            "() => k8skbQuiz.bank.questions.filter(q => q.kind === 'matching').map(q => q.id)"
        )
        assert len(ids) >= 5
        for qid in ids:
            page.evaluate(
                "(id) => { const quiz = k8skbQuiz;"
                " quiz.questions = quiz.bank.questions.filter(q => q.id === id);"
                " quiz.index = 0; quiz.show(); }",
                qid,
            )
            assert page.evaluate(FITS) == {"inside": True, "clipped": False, "page": True}, qid
    finally:
        context.close()


TERM_NOTICE = {
    "ja": ("glossary/pod/", "この用語の問題だけを出題しています：Pod"),
    "en": ("en/glossary/pod/", "Only questions about this term: Pod"),
}


def answer_anything(page: Any) -> None:
    """Answer the shown question with the first choice (every select keeps or gets a value) and go on."""
    page.evaluate(
        """() => {
          const form = document.querySelector("#k8skb-quiz form.k8skb-quiz-question:not([data-answered])");
          const first = form.querySelector("input");
          if (first) first.click();
          form.querySelectorAll("select").forEach((s) => {
            if (s.value === "") s.value = s.options[1].value;
          });
          form.querySelector("button[type=submit]").click();
        }"""
    )
    page.click("#k8skb-quiz .k8skb-quiz-next")


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_term_filter_notice_shows_while_the_filtered_quiz_runs(page: Any, site_url: str, lang: str) -> None:
    """From a term page's quiz link: the notice says, in the page's language, that only that term is
    asked, on every question and on the result screen; its link leads back to the term."""
    term_page, notice = TERM_NOTICE[lang]
    page.goto(site_url + term_page)
    page.click("a.k8skb-quiz-link")
    page.wait_for_selector("#k8skb-quiz[data-state=question]")
    assert page.url.endswith("quiz/?term=pod")
    shown = page.locator("#k8skb-quiz .k8skb-quiz-filter")
    total = int(page.locator("#k8skb-quiz .k8skb-quiz-heading").inner_text().split()[-1])
    for number in range(total):
        page.wait_for_selector("#k8skb-quiz form.k8skb-quiz-question:not([data-answered])")
        assert shown.count() == 1 and shown.is_visible(), f"question {number + 1}"
        assert shown.inner_text() == notice
        answer_anything(page)
    page.wait_for_selector("#k8skb-quiz[data-state=summary]")
    assert shown.count() == 1 and shown.is_visible() and shown.inner_text() == notice
    href = shown.locator("a").get_attribute("href")
    assert page.evaluate("(h) => new URL(h, location.href).pathname", href).endswith("glossary/pod/")
    # several terms, as the progress page links them: the notice names them all
    page.goto(site_url + LANG_PATHS[lang] + "?term=pod,service")
    page.wait_for_selector("#k8skb-quiz[data-state=question]")
    many = {
        "ja": "これらの用語の問題だけを出題しています：Pod, Service",
        "en": "Only questions about these terms: Pod, Service",
    }[lang]
    assert shown.is_visible() and shown.inner_text() == many


CODE_SPAN = re.compile(r"`([^`]+)`")

RENDER_EVERY = """(ids) => {
  // Show each question, answer it wrongly (the feedback then shows the right answer too), then
  // show the result screen with it missed; report what the learner sees at each step.
  const quiz = window.k8skbQuiz, root = document.getElementById("k8skb-quiz");
  const seen = (node) => ({
    text: node.textContent,
    attrs: [...node.querySelectorAll("*")].flatMap((n) => [...n.attributes].map((a) => a.value)),
    code: [...node.querySelectorAll("code")].map((c) => c.textContent),
    options: [...node.querySelectorAll("option")].map((o) => o.textContent),
    elementsInOptions: node.querySelectorAll("option *").length,
  });
  const wrong = (q) => q.kind === "truefalse" ? !q.answer :
    q.kind === "single" ? (q.answer + 1) % q.choices.length : [];
  return ids.map((id) => {
    const q = quiz.bank.questions.find((x) => x.id === id);
    quiz.questions = [q];
    quiz.index = 0;
    quiz.score = 0;
    quiz.missed = [];
    quiz.show();
    const question = seen(root.querySelector("form.k8skb-quiz-question"));
    quiz.answer(q, wrong(q), root.querySelector(".k8skb-quiz-feedback"));
    const feedback = seen(root.querySelector(".k8skb-quiz-feedback"));
    quiz.summary();
    const summary = seen(root.querySelector(".k8skb-quiz-review"));
    return { id, question, feedback, summary };
  });
}"""


def spans(*texts: str) -> set[str]:
    return {span for text in texts for span in CODE_SPAN.findall(text)}


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_code_spans_show_as_code_in_every_part_of_a_question(page: Any, site_url: str, lang: str) -> None:
    """Every question with `code` spans, in prompt, choices, matching items, explanation or answer:
    the spans are <code> elements, no backtick is left in the text, attributes or <option>s."""
    page.goto(site_url + LANG_PATHS[lang])
    page.wait_for_selector("#k8skb-quiz[data-state=setup]")
    bank = bank_of(page, lang)
    marked = [q for q in bank["questions"] if "`" in json.dumps(q, ensure_ascii=False)]
    assert len(marked) > 100
    assert {q["kind"] for q in marked} == {"single", "multiple", "truefalse", "ordering", "matching"}
    by_id = {q["id"]: q for q in marked}
    for shown in page.evaluate(RENDER_EVERY, list(by_id)):
        q = by_id[shown["id"]]
        items = [*q.get("choices", []), *q.get("left", [])]
        for part in ("question", "feedback", "summary"):
            seen = shown[part]
            assert "`" not in seen["text"], (q["id"], part, seen["text"])
            assert not any("`" in value for value in seen["attrs"]), (q["id"], part, seen["attrs"])
            assert seen["elementsInOptions"] == 0
        answer = {
            "truefalse": [],
            "single": [q["choices"][q["answer"]]] if q["kind"] == "single" else [],
            "multiple": [q["choices"][i] for i in q["answer"]] if q["kind"] == "multiple" else [],
        }.get(q["kind"], items)
        assert spans(q["prompt"], *items) <= set(shown["question"]["code"]), q["id"]
        assert spans(q["explanation"], *answer) <= set(shown["feedback"]["code"]), q["id"]
        assert spans(q["prompt"], *answer) <= set(shown["summary"]["code"]), q["id"]
        if q["kind"] == "matching":  # the options name the right-hand items without the backticks
            first = shown["question"]["options"][1 : len(q["choices"]) + 1]  # the first select, after "—"
            assert [o.split(") ", 1)[1] for o in first] == [plain(c) for c in q["choices"]]


def test_code_spans_are_text_never_markup(page: Any, site_url: str) -> None:
    """A code span holding markup shows the markup as text; unpaired backticks stay as they are."""
    page.goto(site_url + "en/" + "quiz/")
    page.wait_for_selector("#k8skb-quiz[data-state=setup]")
    shown = page.evaluate(
        """() => {
          const quiz = window.k8skbQuiz;
          const q = Object.assign({}, quiz.bank.questions.find((x) => x.kind === "single"));
          q.prompt = "Run `<img src=x onerror=window.hacked=1>` and `a & b`,\\nthen a lone ` stays.";
          q.choices = ["`<b>bold</b>`", "plain <i>x</i>", ...q.choices.slice(2)];
          quiz.questions = [q];
          quiz.index = 0;
          quiz.show();
          const form = document.querySelector("#k8skb-quiz form.k8skb-quiz-question");
          return {
            code: [...form.querySelectorAll("code")].map((c) => c.textContent),
            injected: form.querySelectorAll("img, b, i").length,
            prompt: form.querySelector(".k8skb-quiz-prompt").innerText,
          };
        }"""
    )
    assert shown["code"] == ["<img src=x onerror=window.hacked=1>", "a & b", "<b>bold</b>"]
    assert shown["injected"] == 0
    assert shown["prompt"] == "Run <img src=x onerror=window.hacked=1> and a & b,\nthen a lone ` stays."
    assert page.evaluate("() => window.hacked") is None
