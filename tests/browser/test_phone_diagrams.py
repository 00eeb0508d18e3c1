"""Diagrams on a 390 px wide phone: every label renders at 11 px or more; the figure scrolls sideways
inside its box while the page itself does not."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

SCREENSHOTS = Path(__file__).parent / "screenshots"
MIN_TEXT_PX = 11

RENDERED_SIZES = """() => Array.from(document.querySelectorAll('article svg.k8skb-diagram')).map(svg => {
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  const sizes = Array.from(svg.querySelectorAll('text'))
    .map(t => parseFloat(getComputedStyle(t).fontSize) * scale);
  const figure = svg.closest('.k8skb-figure');
  return {smallest: Math.min(...sizes), count: sizes.length};
})"""


@pytest.fixture
def phone(browser: Any) -> Iterator[Any]:
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True
    )
    page = context.new_page()
    yield page
    context.close()


@pytest.mark.parametrize("prefix", ["", "en/"])
@pytest.mark.parametrize("where", ["category/service-type", "category/architecture", "kubelet"])
def test_diagram_labels_are_legible_at_390_px(phone: Any, site_url: str, prefix: str, where: str) -> None:
    phone.goto(f"{site_url}{prefix}glossary/{where}/")
    diagrams = phone.evaluate(RENDERED_SIZES)
    assert diagrams, "the category page has a diagram"
    for diagram in diagrams:
        assert diagram["count"] > 3
        assert diagram["smallest"] >= MIN_TEXT_PX, diagram
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= 390, "only the figure scrolls"
    SCREENSHOTS.mkdir(exist_ok=True)
    lang = "en" if prefix else "ja"
    name = where.rsplit("/", 1)[-1]
    phone.locator("article svg.k8skb-diagram").first.screenshot(
        path=str(SCREENSHOTS / f"phone-{name}-{lang}.png")
    )
