"""An httpx transport of our own: HTTP/1.1 on h11 over plain asyncio, with a per-origin connection pool.

Flow: ``AsyncioTransport`` (an ``httpx.AsyncBaseTransport``: httpx requests in, httpx responses
and exceptions out) hands each request to ``OriginPool``: a request takes the most recently used
idle connection of its origin (scheme, host, port), or opens one; the connection goes back to
its origin's idle list when its response is closed after being read to the end. Each connection is
an ``H11Connection``: HTTP/1.1 through h11 (the parser httpcore uses), keep-alive and TLS, on
``AsyncioBackend``. The TLS context can be given as a factory: it is built on the first https
connection only.

``AsyncioBackend.connect_tcp`` opens a connection with ``loop.create_connection`` (happy eyeballs,
as anyio does, for host names; an IP address is connected to directly) → ``start_tls`` upgrades
it in place with ``loop.start_tls`` for https → ``read`` returns what ``_StreamProtocol`` has
buffered or waits for more (the buffer is bounded: reading from the socket pauses when it is full)
→ ``write`` hands bytes to the transport and waits only when its buffer is above the high-water
mark → ``aclose`` closes the transport. Timeouts are a timer per wait, failures are httpx's
exceptions (``ConnectError``, ``ConnectTimeout``, ``ReadError``, ``ReadTimeout``, ``WriteError``,
``WriteTimeout``), as httpx's own transport raises them.

Why: with anyio under asyncio, every read and write enters a cancel scope, and httpcore's
connections take anyio locks (importing anyio's asyncio backend alone takes ~25 ms, before the
first request); httpcore's own pool, each time it assigns a request, walks every pooled connection
for every waiting request (asking each ``is_readable``): at 128 requests in flight that bookkeeping,
not the network, set the pace. Finding an idle connection by origin costs the same at any size (the
checker's ``Limiter`` already bounds the requests in flight, hence the connections in use). CPU per
request at 128 in flight on a local server: ~1 ms through ``httpx.AsyncClient`` and httpcore's
pool, ~0.4 ms this way. httpcore itself is not imported (~11 ms of start-up, anyio and certifi
with it): httpx imports it only in its own transports, used here only when proxies apply.
"""

from __future__ import annotations

import asyncio
import contextlib
import select
import socket
import ssl
import time
from collections.abc import AsyncIterator, Callable, Iterable
from typing import Any

import h11
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


class AsyncioStream:
    """One connection (plain or TLS): what a connection reads from and writes to."""

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
                raise httpx.ReadTimeout(f"no data within {timeout:g} s")
        if not buffer:
            if protocol.error is not None:
                raise httpx.ReadError(str(protocol.error) or type(protocol.error).__name__) from (
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
            raise httpx.WriteError("connection closed")
        self._transport.write(buffer)
        while protocol.writing_paused and not protocol.lost:
            waiter = asyncio.get_running_loop().create_future()
            protocol.drain_waiter = waiter
            try:
                woken = await _wait(waiter, timeout)
            finally:
                protocol.drain_waiter = None
            if not woken:
                raise httpx.WriteTimeout(f"could not send within {timeout:g} s")
        if protocol.lost:
            raise httpx.WriteError(str(protocol.error or "connection closed"))

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
    ) -> AsyncioStream:
        """Upgrade to TLS in place; ``ConnectTimeout`` or ``ConnectError`` (connection closed) on failure."""
        loop = asyncio.get_running_loop()
        try:
            async with asyncio.timeout(timeout):
                transport = await loop.start_tls(
                    self._transport, self._protocol, ssl_context, server_hostname=server_hostname
                )
        except TimeoutError as exc:
            self._transport.abort()
            raise httpx.ConnectTimeout(f"TLS handshake not done within {timeout:g} s") from exc
        except OSError as exc:  # ssl.SSLError and ConnectionError are OSErrors
            self._transport.abort()
            raise httpx.ConnectError(str(exc) or type(exc).__name__) from exc
        except BaseException:
            self._transport.abort()
            raise
        if transport is None:  # the connection closed during the handshake
            self._transport.abort()
            raise httpx.ConnectError("connection closed during the TLS handshake")
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


def ip_literal(host: str) -> bool:
    """True when ``host`` is an IPv4 or IPv6 address: one address, nothing to race (RFC 8305)."""
    for family in (socket.AF_INET, socket.AF_INET6):
        try:
            socket.inet_pton(family, host)
        except OSError:
            continue
        return True
    return False


class AsyncioBackend:
    """Opens ``AsyncioStream`` connections on asyncio transports; counts the connections it opened."""

    def __init__(self) -> None:
        self.connections = 0

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> AsyncioStream:
        """Connect to ``host``:``port`` within ``timeout``; else ``ConnectTimeout`` or ``ConnectError``."""
        loop = asyncio.get_running_loop()
        try:
            async with asyncio.timeout(timeout):
                transport, protocol = await loop.create_connection(
                    _StreamProtocol,
                    host,
                    port,
                    local_addr=(local_address, 0) if local_address else None,
                    # asyncio races even a single address (a task per attempt, more loop turns)
                    happy_eyeballs_delay=None if ip_literal(host) else HAPPY_EYEBALLS_DELAY,
                )
        except TimeoutError as exc:
            raise httpx.ConnectTimeout(f"no connection to {host}:{port} within {timeout:g} s") from exc
        except OSError as exc:
            raise httpx.ConnectError(str(exc) or type(exc).__name__) from exc
        return self._stream(transport, protocol, socket_options)

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> AsyncioStream:
        """Connect to the Unix socket at ``path`` within ``timeout``."""
        loop = asyncio.get_running_loop()
        try:
            async with asyncio.timeout(timeout):
                transport, protocol = await loop.create_unix_connection(_StreamProtocol, path)
        except TimeoutError as exc:
            raise httpx.ConnectTimeout(f"no connection to {path} within {timeout:g} s") from exc
        except OSError as exc:
            raise httpx.ConnectError(str(exc) or type(exc).__name__) from exc
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
            raise httpx.ConnectError(f"socket option refused: {exc}") from exc
        self.connections += 1
        return AsyncioStream(transport, protocol)

    async def sleep(self, seconds: float) -> None:
        """Sleep ``seconds``."""
        await asyncio.sleep(seconds)


OriginKey = tuple[bytes, bytes, int]
"""Scheme, host and port of a connection (the port filled in when the URL has none)."""
DEFAULT_PORTS = {b"http": 80, b"https": 443}
TlsContext = ssl.SSLContext | Callable[[], ssl.SSLContext]
"""A TLS context, or a function making it (called once, on the first https connection)."""
READ_SIZE = 64 * 1024
MAX_HEADER_BYTES = 100 * 1024
"""The largest response head accepted (httpcore's limit; h11's own is 16 KiB)."""


class H11Connection:
    """One HTTP/1.1 connection (h11 over ``AsyncioStream``), used by one request at a time.

    What httpcore's ``AsyncHTTPConnection`` does for a single HTTP/1.1 origin, without its locks:
    ``OriginPool`` hands a connection to one request only, so nothing here is shared (httpcore's
    locks are anyio's under asyncio: importing anyio's backend and entering its lock and cancel
    scopes cost more than this whole class). Connects on the first request (within its connect
    timeout, TLS for https) → writes the request → reads the response head → the body is read by
    iterating the response; closing it ends the exchange: back to idle when both sides are done
    (keep-alive), else the connection closes; either way it goes back to its pool. Failures are
    httpx's exceptions. No HTTP/2, no upgrades, no proxies (httpx's transports do those).
    """

    def __init__(self, origin: OriginKey, pool: OriginPool) -> None:
        self.key = origin
        self._pool = pool
        self._stream: AsyncioStream | None = None
        self._h11 = h11.Connection(h11.CLIENT, max_incomplete_event_size=MAX_HEADER_BYTES)
        self._busy = False
        self._closed = False
        self._expire_at: float | None = None

    def is_idle(self) -> bool:
        """True when connected and between requests."""
        return not self._busy and not self._closed and self._stream is not None

    def has_expired(self) -> bool:
        """True when the keep-alive time is over or the server closed (or wrote to) the idle connection."""
        if self._closed:
            return True
        if self._stream is None or self._busy:
            return False
        if self._expire_at is not None and time.monotonic() > self._expire_at:
            return True
        return bool(self._stream.get_extra_info("is_readable"))

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Send ``request`` and return the response with its body still to be read."""
        if self._busy or self._closed:
            raise RuntimeError("connection in use or closed")
        self._busy = True
        self._expire_at = None
        timeouts = request.extensions.get("timeout", {})
        try:
            stream = self._stream or await self._connect(request, timeouts.get("connect"))
            with contextlib.suppress(httpx.WriteError):  # the server may have answered and closed early
                await self._send(stream, request, timeouts.get("write"))
            response = await self._receive_head(stream, timeouts.get("read"))
        except BaseException:
            await self.aclose()
            raise
        return httpx.Response(
            status_code=response.status_code,
            headers=response.headers.raw_items(),
            stream=_ResponseBody(self, timeouts.get("read")),
            extensions={
                "http_version": b"HTTP/" + response.http_version,
                "reason_phrase": response.reason,
                "network_stream": stream,
            },
        )

    async def _connect(self, request: httpx.Request, timeout: float | None) -> AsyncioStream:
        scheme, raw_host, port = self.key
        host = raw_host.decode("ascii")
        stream = await self._pool.backend.connect_tcp(host, port, timeout=timeout)
        if scheme == b"https":
            server_hostname = request.extensions.get("sni_hostname") or host
            try:
                stream = await stream.start_tls(
                    self._pool.ssl_context(), server_hostname=server_hostname, timeout=timeout
                )
            except BaseException:
                await stream.aclose()
                raise
        self._stream = stream
        return stream

    async def _send(self, stream: AsyncioStream, request: httpx.Request, timeout: float | None) -> None:
        event = h11.Request(method=request.method, target=request.url.raw_path, headers=request.headers.raw)
        data = self._h11_send(event)
        async for chunk in request.stream:  # type: ignore[union-attr]
            if chunk:
                data += self._h11_send(h11.Data(data=chunk))
        await stream.write(data + self._h11_send(h11.EndOfMessage()), timeout=timeout)

    def _h11_send(self, event: h11.Event) -> bytes:
        try:
            return self._h11.send(event) or b""
        except h11.LocalProtocolError as exc:
            raise httpx.LocalProtocolError(str(exc)) from exc

    async def _receive_head(self, stream: AsyncioStream, timeout: float | None) -> h11.Response:
        while True:
            event = await self.next_event(timeout)
            if isinstance(event, h11.Response):
                return event
            if not isinstance(event, h11.InformationalResponse):  # 1xx: wait for the real answer
                raise httpx.RemoteProtocolError(f"unexpected {type(event).__name__} before the response")

    async def next_event(self, timeout: float | None) -> h11.Event:
        """The next h11 event, reading from the connection as needed."""
        assert self._stream is not None
        while True:
            try:
                event = self._h11.next_event()
            except h11.RemoteProtocolError as exc:
                raise httpx.RemoteProtocolError(str(exc)) from exc
            if event is not h11.NEED_DATA:
                return event  # type: ignore[return-value]
            data = await self._stream.read(READ_SIZE, timeout=timeout)
            if data == b"" and self._h11.their_state == h11.SEND_RESPONSE:
                raise httpx.RemoteProtocolError("Server disconnected without sending a response.")
            self._h11.receive_data(data)

    async def response_closed(self) -> None:
        """End the exchange: idle again if both sides finished it, else closed; then back to the pool."""
        if not self._busy:
            return  # closed before
        if self._h11.our_state is h11.DONE and self._h11.their_state is h11.DONE and not self._closed:
            self._h11.start_next_cycle()
            self._busy = False
            expiry = self._pool.keepalive_expiry
            self._expire_at = None if expiry is None else time.monotonic() + expiry
        else:
            self._busy = False
            await self.aclose()
        await self._pool.release(self)

    async def aclose(self) -> None:
        """Close the connection (it takes no further request)."""
        self._closed = True
        if self._stream is not None:
            await self._stream.aclose()


class _ResponseBody(httpx.AsyncByteStream):
    """The body of one response: iterated from the connection; closing it ends the exchange."""

    def __init__(self, connection: H11Connection, timeout: float | None) -> None:
        self._connection = connection
        self._timeout = timeout

    async def __aiter__(self) -> AsyncIterator[bytes]:
        try:
            while True:
                event = await self._connection.next_event(self._timeout)
                if isinstance(event, h11.Data):
                    yield bytes(event.data)
                elif isinstance(event, h11.EndOfMessage | h11.ConnectionClosed | h11.PAUSED):
                    return
        except BaseException:
            await self._connection.aclose()
            raise

    async def aclose(self) -> None:
        await self._connection.response_closed()


class OriginPool:
    """HTTP/1.1 connections kept per origin; at most ``max_idle`` idle ones in all.

    A request takes its origin's most recently used idle connection that has not expired (a
    connection the server closed while idle reads as expired, see ``AsyncioStream.get_extra_info``)
    or opens a new one. Requests in flight are bounded by the caller, not here.
    """

    def __init__(
        self,
        tls: TlsContext,
        max_idle: int,
        keepalive_expiry: float | None,
        backend: AsyncioBackend,
    ) -> None:
        self._tls = tls
        self._max_idle = max_idle
        self.keepalive_expiry = keepalive_expiry
        self.backend = backend
        self._idle: dict[OriginKey, list[H11Connection]] = {}
        self._idle_count = 0
        self._open: set[H11Connection] = set()

    def ssl_context(self) -> ssl.SSLContext:
        """The TLS context, built now if it was given as a factory."""
        if not isinstance(self._tls, ssl.SSLContext):
            self._tls = self._tls()
        return self._tls

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Send ``request`` on an idle connection of its origin or a new one; return the response.

        Closing the response hands the connection back (``H11Connection.response_closed``).
        ``UnsupportedProtocol`` for a URL that is not http(s) or has no host.
        """
        url = request.url
        scheme = url.raw_scheme
        if scheme not in DEFAULT_PORTS or not url.raw_host:
            raise httpx.UnsupportedProtocol(f"cannot send {url}: not an http(s) URL with a host")
        connection = await self._take((scheme, url.raw_host, url.port or DEFAULT_PORTS[scheme]))
        try:
            return await connection.handle_async_request(request)
        except BaseException:
            self._open.discard(connection)
            raise

    async def _take(self, origin: OriginKey) -> H11Connection:
        idle = self._idle.get(origin)
        while idle:
            connection = idle.pop()
            self._idle_count -= 1
            if not connection.has_expired():
                return connection
            await self._close(connection)
        connection = H11Connection(origin, self)
        self._open.add(connection)
        return connection

    async def release(self, connection: H11Connection) -> None:
        """Park ``connection`` as idle when it can take another request; close it otherwise."""
        if connection.is_idle() and self._idle_count < self._max_idle:
            self._idle.setdefault(connection.key, []).append(connection)
            self._idle_count += 1
        else:
            await self._close(connection)

    async def keep_idle(self, most: int) -> None:
        """Close the least recently used idle connections beyond ``most`` (of all origins together).

        The checker calls this with the number of URLs still unfinished, none of which needs more
        than one connection at a time: connections that cannot be needed again are closed while
        the run waits (on a ``Retry-After``, say), not all at its end.
        """
        excess = self._idle_count - max(0, most)
        for connections in self._idle.values():
            while connections and excess > 0:
                connection = connections.pop(0)
                self._idle_count -= 1
                excess -= 1
                await self._close(connection)
            if excess <= 0:
                break

    async def _close(self, connection: H11Connection) -> None:
        self._open.discard(connection)
        await connection.aclose()

    async def aclose(self) -> None:
        """Close every connection, idle or not."""
        connections, self._open = self._open, set()
        self._idle.clear()
        self._idle_count = 0
        for connection in connections:
            await connection.aclose()

    async def __aenter__(self) -> OriginPool:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()


class AsyncioTransport(httpx.AsyncBaseTransport):
    """An httpx transport: requests go to ``OriginPool`` on ``AsyncioBackend`` (no proxy: see ``run_checks``).

    Failures are httpx's exceptions (``ConnectError``, ``ReadTimeout``, ``RemoteProtocolError``, …),
    raised where they happen, so no mapping layer (and no httpcore) is needed.
    """

    def __init__(self, tls: TlsContext, limits: httpx.Limits) -> None:
        self.backend = AsyncioBackend()
        self.origins = OriginPool(
            tls,
            max_idle=limits.max_keepalive_connections or limits.max_connections or 100,
            keepalive_expiry=limits.keepalive_expiry,
            backend=self.backend,
        )

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Send ``request``; the response's body is still to be read (closing it frees the connection)."""
        return await self.origins.handle_async_request(request)

    async def keep_idle(self, most: int) -> None:
        """Keep at most ``most`` idle connections (``OriginPool.keep_idle``)."""
        await self.origins.keep_idle(most)

    async def aclose(self) -> None:
        """Close every connection."""
        await self.origins.aclose()
