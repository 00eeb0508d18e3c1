"""Limits on how hard the checker hits servers: a global concurrency cap and a per-host one.

Flow: each request takes its host's slot first (at most ``per_host`` at once, started at least
``interval`` seconds apart), then a global slot (at most ``concurrency`` in flight). Taking the host
slot first means a busy host never holds global slots that other hosts could use. A server that
asks to slow down (429 or 503 with ``Retry-After``) gets no new request from any URL until that
time has passed (``pause``); then its requests resume at the usual pace.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager


class Limiter:
    """Global and per-host request slots with a minimum interval between starts on one host."""

    def __init__(self, concurrency: int, per_host: int, interval: float = 0.0) -> None:
        self.concurrency = max(1, concurrency)
        self.per_host = max(1, per_host)
        self.interval = max(0.0, interval)
        self._global = asyncio.Semaphore(self.concurrency)
        self._hosts: dict[str, asyncio.Semaphore] = {}
        self._next_start: dict[str, float] = {}
        self._resume_at: dict[str, float] = {}

    def pause(self, host: str, seconds: float) -> None:
        """Start no request to ``host`` for ``seconds`` from now (a longer pause already set stays)."""
        resume = asyncio.get_running_loop().time() + max(0.0, seconds)
        self._resume_at[host] = max(resume, self._resume_at.get(host, 0.0))

    @asynccontextmanager
    async def slot(self, host: str) -> AsyncIterator[None]:
        """Hold one request slot for ``host`` (and one global slot) for the duration of the block."""
        host_slots = self._hosts.get(host)
        if host_slots is None:
            host_slots = self._hosts[host] = asyncio.Semaphore(self.per_host)
        async with host_slots:
            await self._wait_until_resumed(host)
            if self.interval:
                await self._space_out(host)
            async with self._global:
                yield

    async def _wait_until_resumed(self, host: str) -> None:
        loop = asyncio.get_running_loop()
        while (wait := self._resume_at.get(host, 0.0) - loop.time()) > 0:
            await asyncio.sleep(wait)

    async def _space_out(self, host: str) -> None:
        loop = asyncio.get_running_loop()
        now = loop.time()
        start = max(now, self._next_start.get(host, 0.0))
        self._next_start[host] = start + self.interval
        if start > now:
            await asyncio.sleep(start - now)
