"""httpcore's network layer on plain asyncio, so httpx's connection pool runs without anyio's per-call costs.

Flow: ``AsyncioTransport`` is httpx's own ``AsyncHTTPTransport`` whose httpcore connection pool is
given ``AsyncioBackend`` as its network backend; httpx (requests, responses, redirects left to the
caller, errors) and httpcore (HTTP/1.1, pooling, keep-alive) work as before, only the bytes move
through asyncio. ``connect_tcp`` opens a connection with ``loop.create_connection`` (happy eyeballs,
as anyio does) → ``start_tls`` upgrades it in place with ``loop.start_tls`` for https → ``read`` returns
what ``_StreamProtocol`` has buffered or waits for more (the buffer is bounded: reading from the socket
pauses when it is full) → ``write`` hands bytes to the transport and waits only when its buffer is
above the high-water mark → ``aclose`` closes the transport. Timeouts are a timer per wait, failures
are httpcore's exceptions (``ConnectError``, ``ConnectTimeout``, ``ReadError``, ``ReadTimeout``,
``WriteError``, ``WriteTimeout``), so httpx reports them as it does with its default backend.

Why: with anyio under asyncio, every read and write enters a cancel scope, and httpcore asks every
pooled connection ``is_readable`` (anyio builds its attribute table for that) each time it assigns a
request; at 128 requests in flight that bookkeeping, not the network, set the pace.
"""

from __future__ import annotations

import asyncio
import select
import socket
import ssl
from collections.abc import Iterable
from typing import Any

import httpcore
import httpx

READ_HIGH_WATER = 256 * 1024
"""Bytes buffered from the peer before reading from the socket pauses (a huge body is not slurped)."""
READ_LOW_WATER = 64 * 1024
"""Reading from the socket resumes once the buffer has been drained below this."""
HAPPY_EYEBALLS_DELAY = 0.25
"""Seconds before the next address of a host is tried in parallel (RFC 8305; anyio's value)."""


class _StreamProtocol(asyncio.Protocol):
    """Buffers what the peer sends and wakes the (one) reader or writer waiting for it."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.buffer = bytearray()
        self.eof = False
        self.lost = False
        self.error: BaseException | None = None
        self.reading_paused = False
        self.writing_paused = False
        self.read_waiter: asyncio.Future[bool] | None = None
        self.drain_waiter: asyncio.Future[bool] | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        """Remember the transport (the TLS one replaces the plain one after ``start_tls``)."""
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        """Buffer ``data``; stop reading from the socket while the buffer is above the high-water mark."""
        self.buffer += data
        if len(self.buffer) > READ_HIGH_WATER and not self.reading_paused and self.transport is not None:
            self.reading_paused = True
            self.transport.pause_reading()
        _wake(self.read_waiter)

    def eof_received(self) -> bool | None:
        """The peer closed its side; the transport closes (None)."""
        self.eof = True
        _wake(self.read_waiter)
        return None

    def connection_lost(self, exc: Exception | None) -> None:
        """The connection is gone: wake whoever waits, so reads drain the buffer and writes fail."""
        self.lost = True
        self.error = exc
        _wake(self.read_waiter)
        _wake(self.drain_waiter)

    def pause_writing(self) -> None:
        """The transport's write buffer is above its high-water mark."""
        self.writing_paused = True

    def resume_writing(self) -> None:
        """The transport's write buffer has drained."""
        self.writing_paused = False
        _wake(self.drain_waiter)

    def at_end(self) -> bool:
        """True when nothing more will arrive (EOF or connection lost)."""
        return self.eof or self.lost


def _wake(waiter: asyncio.Future[bool] | None) -> None:
    if waiter is not None and not waiter.done():
        waiter.set_result(True)


def _expire(waiter: asyncio.Future[bool]) -> None:
    if not waiter.done():
        waiter.set_result(False)


async def _wait(waiter: asyncio.Future[bool], timeout: float | None) -> bool:
    """Wait for ``waiter`` at most ``timeout`` seconds; False when the time ran out."""
    if timeout is None:
        return await waiter
    timer = asyncio.get_running_loop().call_later(timeout, _expire, waiter)
    try:
        return await waiter
    finally:
        timer.cancel()


class AsyncioStream(httpcore.AsyncNetworkStream):
    """One connection (plain or TLS) as httpcore's network stream."""

    def __init__(self, transport: asyncio.Transport, protocol: _StreamProtocol, tls: bool = False) -> None:
        self._transport = transport
        self._protocol = protocol
        self._tls = tls

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        """Up to ``max_bytes`` received bytes, ``b""`` at the end; ``ReadTimeout`` after ``timeout``."""
        protocol = self._protocol
        buffer = protocol.buffer
        if not buffer and not protocol.at_end():
            waiter = asyncio.get_running_loop().create_future()
            protocol.read_waiter = waiter
            try:
                woken = await _wait(waiter, timeout)
            finally:
                protocol.read_waiter = None
            if not woken:
                raise httpcore.ReadTimeout(f"no data within {timeout:g} s")
        if not buffer:
            if protocol.error is not None:
                raise httpcore.ReadError(str(protocol.error) or type(protocol.error).__name__) from (
                    protocol.error
                )
            return b""
        if len(buffer) <= max_bytes:
            data = bytes(buffer)
            buffer.clear()
        else:
            data = bytes(buffer[:max_bytes])
            del buffer[:max_bytes]
        if protocol.reading_paused and len(buffer) <= READ_LOW_WATER and not protocol.lost:
            protocol.reading_paused = False
            self._transport.resume_reading()
        return data

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        """Send ``buffer``; wait (at most ``timeout``, else ``WriteTimeout``) only while the peer lags."""
        if not buffer:
            return
        protocol = self._protocol
        if protocol.lost or self._transport.is_closing():
            raise httpcore.WriteError("connection closed")
        self._transport.write(buffer)
        while protocol.writing_paused and not protocol.lost:
            waiter = asyncio.get_running_loop().create_future()
            protocol.drain_waiter = waiter
            try:
                woken = await _wait(waiter, timeout)
            finally:
                protocol.drain_waiter = None
            if not woken:
                raise httpcore.WriteTimeout(f"could not send within {timeout:g} s")
        if protocol.lost:
            raise httpcore.WriteError(str(protocol.error or "connection closed"))

    async def aclose(self) -> None:
        """Close the connection; a TLS one without waiting for the peer's close_notify (as httpcore does)."""
        if self._tls:
            self._transport.abort()
        else:
            self._transport.close()

    async def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.AsyncNetworkStream:
        """Upgrade to TLS in place; ``ConnectTimeout`` or ``ConnectError`` (connection closed) on failure."""
        loop = asyncio.get_running_loop()
        try:
            async with asyncio.timeout(timeout):
                transport = await loop.start_tls(
                    self._transport, self._protocol, ssl_context, server_hostname=server_hostname
                )
        except TimeoutError as exc:
            self._transport.abort()
            raise httpcore.ConnectTimeout(f"TLS handshake not done within {timeout:g} s") from exc
        except OSError as exc:  # ssl.SSLError and ConnectionError are OSErrors
            self._transport.abort()
            raise httpcore.ConnectError(str(exc) or type(exc).__name__) from exc
        except BaseException:
            self._transport.abort()
            raise
        if transport is None:  # the connection closed during the handshake
            self._transport.abort()
            raise httpcore.ConnectError("connection closed during the TLS handshake")
        return AsyncioStream(transport, self._protocol, tls=True)

    def get_extra_info(self, info: str) -> Any:
        """``ssl_object``, ``client_addr``, ``server_addr``, ``socket`` or ``is_readable`` (else None).

        ``is_readable`` (asked by httpcore of idle pooled connections: readable means the server
        closed it) is what the protocol has seen, and for plain TCP also what the socket holds now.
        """
        if info == "is_readable":
            if self._protocol.buffer or self._protocol.at_end():
                return True
            return not self._tls and _socket_readable(self._transport.get_extra_info("socket"))
        if info == "ssl_object":
            return self._transport.get_extra_info("ssl_object")
        if info == "client_addr":
            return _address(self._transport.get_extra_info("sockname"))
        if info == "server_addr":
            return _address(self._transport.get_extra_info("peername"))
        if info == "socket":
            return self._transport.get_extra_info("socket")
        return None


def _address(address: Any) -> Any:
    """(host, port) for IPv4 and IPv6 socket addresses (as anyio gives them); others unchanged."""
    if isinstance(address, tuple) and len(address) == 4:
        return address[0], address[1]
    return address


def _socket_readable(sock: Any) -> bool:
    """True when ``sock`` has data or EOF waiting (a closed or missing socket counts as readable)."""
    fileno = -1 if sock is None else sock.fileno()
    if fileno < 0:
        return True
    poller = select.poll()
    poller.register(fileno, select.POLLIN)
    return bool(poller.poll(0))


class AsyncioBackend(httpcore.AsyncNetworkBackend):
    """httpcore's network backend on asyncio transports; counts the connections it opened."""

    def __init__(self) -> None:
        self.connections = 0

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        """Connect to ``host``:``port`` within ``timeout``; else ``ConnectTimeout`` or ``ConnectError``."""
        loop = asyncio.get_running_loop()
        try:
            async with asyncio.timeout(timeout):
                transport, protocol = await loop.create_connection(
                    _StreamProtocol,
                    host,
                    port,
                    local_addr=(local_address, 0) if local_address else None,
                    happy_eyeballs_delay=HAPPY_EYEBALLS_DELAY,
                )
        except TimeoutError as exc:
            raise httpcore.ConnectTimeout(f"no connection to {host}:{port} within {timeout:g} s") from exc
        except OSError as exc:
            raise httpcore.ConnectError(str(exc) or type(exc).__name__) from exc
        return self._stream(transport, protocol, socket_options)

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        """Connect to the Unix socket at ``path`` within ``timeout``."""
        loop = asyncio.get_running_loop()
        try:
            async with asyncio.timeout(timeout):
                transport, protocol = await loop.create_unix_connection(_StreamProtocol, path)
        except TimeoutError as exc:
            raise httpcore.ConnectTimeout(f"no connection to {path} within {timeout:g} s") from exc
        except OSError as exc:
            raise httpcore.ConnectError(str(exc) or type(exc).__name__) from exc
        return self._stream(transport, protocol, socket_options)

    def _stream(
        self, transport: asyncio.Transport, protocol: _StreamProtocol, socket_options: Iterable[Any] | None
    ) -> AsyncioStream:
        sock: socket.socket = transport.get_extra_info("socket")
        try:
            for option in socket_options or ():
                sock.setsockopt(*option)
        except OSError as exc:
            transport.abort()
            raise httpcore.ConnectError(f"socket option refused: {exc}") from exc
        self.connections += 1
        return AsyncioStream(transport, protocol)

    async def sleep(self, seconds: float) -> None:
        """Sleep ``seconds`` (httpcore's connect retries)."""
        await asyncio.sleep(seconds)


class AsyncioTransport(httpx.AsyncHTTPTransport):
    """httpx's HTTP transport, its connection pool on ``AsyncioBackend`` (no proxy: see ``run_checks``)."""

    def __init__(self, ssl_context: ssl.SSLContext, limits: httpx.Limits) -> None:
        super().__init__(verify=ssl_context, limits=limits, trust_env=False)
        self.backend = AsyncioBackend()
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=ssl_context,
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=self.backend,
        )
