"""The Zensical build in Chromium: its search finds Japanese words inside compounds, the quiz runs."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from helpers import build_with_zensical, copy_project, serve_directory, unavailable, zensical_missing


@pytest.fixture(scope="module")
def zensical_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The Zensical build of the real project, served on 127.0.0.1."""
    reason = zensical_missing()
    if reason:
        unavailable("the Zensical build", reason)
    project = copy_project(tmp_path_factory.mktemp("project"))
    site = build_with_zensical(project, tmp_path_factory.mktemp("zensical"))
    server, url = serve_directory(site)
    yield url
    server.shutdown()
    server.server_close()


SEARCHES = [("glossary/", "プレーン", "コントロールプレーン"), ("en/glossary/", "kubelet", "kubelet")]


@pytest.mark.parametrize(("path", "query", "expected"), SEARCHES)
def test_search_answers_in_the_page_language(
    page: Any, zensical_url: str, path: str, query: str, expected: str
) -> None:
    page.goto(zensical_url + path)
    page.click(".md-search__button")
    page.keyboard.type(query)
    first = page.locator("[role=listbox] a[role=option]").filter(has_text=expected).first
    first.wait_for(timeout=15000)
    href = page.evaluate("(a) => a.href", first.element_handle())
    assert href.startswith(zensical_url + ("en/" if path.startswith("en/") else "glossary/"))


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_a_quiz_question_is_answered_and_explained(page: Any, zensical_url: str, lang: str) -> None:
    page.goto(zensical_url + ("quiz/" if lang == "ja" else "en/quiz/") + "?seed=3")
    page.wait_for_selector("#k8skb-quiz[data-state=setup]")
    page.locator("#k8skb-quiz .k8skb-quiz-setup button[type=submit]").click()
    page.wait_for_selector("#k8skb-quiz[data-state=question] form[data-qid]")
    question = page.locator("#k8skb-quiz form.k8skb-quiz-question")
    choice = question.locator("input[type=radio], input[type=checkbox]")
    assert choice.count(), "seed 3 starts with a single, multiple or true/false question"
    choice.first.check()
    question.locator("button[type=submit]").click()
    feedback = page.locator("#k8skb-quiz .k8skb-quiz-feedback")
    feedback.wait_for()
    assert feedback.get_attribute("data-correct") in ("true", "false")
    assert feedback.locator(".k8skb-quiz-terms a").count() >= 1
    lang_attr = page.get_attribute("html", "lang")
    assert lang_attr == lang
