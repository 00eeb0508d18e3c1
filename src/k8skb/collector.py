"""Python's cyclic garbage collector: paused where objects are made to stay, rarer during a build.

A build allocates millions of objects that live until it ends (the glossary, every page's
Markdown, HTML and table of contents), and almost none of them are in reference cycles. With
Python's default thresholds (700, 10, 10) the collector kept re-reading them: at 2,000 terms it ran
17 full collections over the whole heap, 2.4-2.7 s of one core, about half of it while the glossary
was loaded. So the plugin pauses the collector while it loads the glossary and generates pages
(``paused``), then, for the rest of a one-off build, moves what exists into the permanent generation
(``gc.freeze``, the objects stay alive as before, only unscanned) and raises the thresholds
(``BuildCollector``). Garbage without cycles is freed at once by reference counting either way, and
the collector still runs (rarely), so cyclic garbage is still collected. ``mkdocs serve`` keeps the
defaults: it lives for hours and rebuilds from a changing glossary. The command line pauses it while
it imports a verb's modules (every 700 new objects started a collection that found nothing to free).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

BUILD_THRESHOLDS = (20_000, 50, 1_000)
"""Collector thresholds during a build (generation 0 allocations, then passes of the younger ones)."""


@contextmanager
def paused() -> Iterator[None]:
    """Run the block with the cyclic collector off (as it was before, afterwards)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class BuildCollector:
    """Between ``start`` and ``stop``: what existed at ``start`` is frozen, and thresholds are higher."""

    def __init__(self) -> None:
        self._saved: tuple[int, int, int] | None = None

    @property
    def active(self) -> bool:
        """True between ``start`` and ``stop``."""
        return self._saved is not None

    def start(self) -> None:
        """Freeze the objects alive now and raise the thresholds (once; later calls do nothing)."""
        if self._saved is not None:
            return
        self._saved = gc.get_threshold()
        gc.freeze()
        gc.set_threshold(*BUILD_THRESHOLDS)

    def stop(self) -> None:
        """Put the thresholds back and let the collector scan the frozen objects again."""
        if self._saved is None:
            return
        gc.set_threshold(*self._saved)
        self._saved = None
        gc.unfreeze()
