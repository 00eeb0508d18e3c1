"""Diagrams on a 390 px wide phone: every label renders at 11 px or more; the figure scrolls sideways
inside its box while the page itself does not."""

from __future__ import annotations

import base64
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


EDGE_PX = 6


def edges(page: Any) -> tuple[bytes, bytes]:
    """Screenshots of the first figure's left and right edge strips (``EDGE_PX`` wide)."""
    box = page.locator("article .k8skb-figure").first.bounding_box()
    strip = {"y": box["y"], "width": EDGE_PX, "height": box["height"]}
    left = page.screenshot(clip={**strip, "x": box["x"]})
    right = page.screenshot(clip={**strip, "x": box["x"] + box["width"] - EDGE_PX})
    return left, right


PIXEL_DIFFERENCE = """async ([a, b]) => {
  const pixels = async (png) => {
    const image = new Image();
    image.src = 'data:image/png;base64,' + png;
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = image.width;
    canvas.height = image.height;
    const context = canvas.getContext('2d');
    context.drawImage(image, 0, 0);
    return context.getImageData(0, 0, image.width, image.height).data;
  };
  const [x, y] = [await pixels(a), await pixels(b)];
  let most = 0;
  for (let i = 0; i < x.length; i++) most = Math.max(most, Math.abs(x[i] - y[i]));
  return most;
}"""
SHADOW_MIN = 12
"""A shadow darkens (light scheme) or lightens (dark scheme) some pixel of the strip by this much at least;
the same strip painted twice differs by 1 or 2 at most (gradient rounding)."""


def shadows(page: Any) -> tuple[bool, bool]:
    """Whether a scroll shadow shows at the figure's left and right edge (its background painted vs not)."""
    painted = edges(page)
    page.eval_on_selector("article .k8skb-figure", "f => { f.style.background = 'none'; }")
    bare = edges(page)
    page.eval_on_selector("article .k8skb-figure", "f => { f.style.background = ''; }")
    differences = [
        page.evaluate(PIXEL_DIFFERENCE, [base64.b64encode(a).decode(), base64.b64encode(b).decode()])
        for a, b in zip(painted, bare, strict=True)
    ]
    return differences[0] >= SHADOW_MIN, differences[1] >= SHADOW_MIN


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_shadow_shows_the_side_with_more_of_the_diagram(browser: Any, site_url: str, scheme: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, color_scheme=scheme)
    try:
        page = context.new_page()
        page.goto(f"{site_url}en/glossary/category/storage/")
        figure = "article .k8skb-figure"
        page.locator(figure).first.scroll_into_view_if_needed()
        assert page.eval_on_selector(figure, "f => f.scrollWidth > f.clientWidth + 50"), "it scrolls"
        assert shadows(page) == (False, True)  # at the start: more to the right only
        page.eval_on_selector(figure, "f => { f.scrollLeft = f.scrollWidth / 3; }")
        assert shadows(page) == (True, True)
        page.eval_on_selector(figure, "f => { f.scrollLeft = f.scrollWidth; }")
        assert shadows(page) == (True, False)  # at the end: more to the left only
    finally:
        context.close()
