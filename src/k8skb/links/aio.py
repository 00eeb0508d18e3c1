"""Run the checker's coroutines from synchronous code, whatever event loop the caller already has.

Flow of ``run_sync``: no event loop running in this thread → ``asyncio.run`` here; a loop is
running (Jupyter, Playwright's sync API, an async host calling the sync API) → the coroutine runs in
a fresh worker thread with its own loop, and this thread blocks until it is done. Either way the
coroutine gets a new loop that ends with it, so nothing leaks into or out of the caller's loop.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")


def loop_running() -> bool:
    """True when an asyncio event loop is running in the calling thread."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def run_sync(factory: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run the coroutine made by ``factory`` to completion in a new event loop and return its result.

    The coroutine is created where it runs, so no "never awaited" coroutine is left behind when the
    worker thread cannot start.
    """
    if not loop_running():
        return asyncio.run(factory())
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="k8skb-links") as pool:
        return pool.submit(lambda: asyncio.run(factory())).result()
