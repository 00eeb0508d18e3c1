"""A small asyncio HTTP/1.1 client: just what a link check needs (status, a few headers, a capped body).

Flow of ``Client.request``: take an idle keep-alive connection to the origin (scheme, host, port) or
open one — plain TCP, TLS with a context made on the first https connection only, or through the
environment's proxy (absolute-form requests for http, a CONNECT tunnel for https) → write the request
→ read the status line and headers (skipping 1xx) → read the body only as far as needed: all of a
small one (the connection goes back to the pool), up to the cap when the caller wants it (gzip and
deflate decoded), none of a big one (the connection is closed) → ``Response``. A reused connection
that the server closed meanwhile is retried once on a fresh one. Failures are ``HttpError`` values
saying whether another attempt could help; timeouts are the caller's (``asyncio.timeout``).
"""

from __future__ import annotations

import asyncio
import base64
import os
import ssl
import zlib
from dataclasses import dataclass, field
from urllib.parse import quote, unquote, urlsplit

REUSE_BODY_LIMIT = 16 * 1024
"""A body announced up to this size is read (and the connection kept); a bigger one closes the connection."""
HEADER_LIMIT = 256 * 1024
"""The longest status line + headers accepted."""
_SAFE_TARGET = "/:@!$&'()*+,;=-._~%?"
_DEFAULT_PORTS = {"http": 80, "https": 443}


class HttpError(Exception):
    """A request that got no usable response: ``detail`` as in ``Outcome``, and whether to try again."""

    def __init__(self, message: str, detail: str = "network", retryable: bool = True) -> None:
        super().__init__(message)
        self.detail = detail
        self.retryable = retryable


@dataclass(slots=True)
class Response:
    """Status, headers (lower-case names; a repeated header keeps its last value) and the body read."""

    status: int
    headers: dict[str, str]
    body: bytes = b""
    truncated: bool = False


@dataclass(slots=True, eq=False)
class _Connection:
    reader: asyncio.StreamReader
    writer: asyncio.StreamWriter
    reused: bool = False

    def abort(self) -> None:
        self.writer.transport.abort()


@dataclass(frozen=True, slots=True)
class _Route:
    """Where a request goes: the origin, the request target, and the proxy (if any) in between."""

    key: tuple[str, str, int, str]
    scheme: str
    host: str
    port: int
    host_header: str
    target: str
    proxy: tuple[str, int, str | None] | None = None


@dataclass(slots=True)
class Client:
    """Keep-alive connections per origin; ``close`` when done. Not thread-safe (one event loop)."""

    user_agent: str
    trust_env: bool = True
    idle_per_origin: int = 128
    _idle: dict[tuple[str, str, int, str], list[_Connection]] = field(default_factory=dict)
    _tls: ssl.SSLContext | None = None
    _proxies: dict[str, str] | None = None

    async def request(self, method: str, url: str, want_body: int = 0) -> Response:
        """Send ``method url``; read at most ``want_body`` bytes of the body (0: only what keeps the
        connection reusable). Raises ``HttpError``; cancellation (a timeout) closes the connection."""
        route = self._route(url)
        for fresh_only in (False, True):
            connection = None if fresh_only else self._take_idle(route.key)
            if connection is None:
                connection = await self._open(route)
            try:
                response, reusable = await self._exchange(connection, route, method, want_body)
            except _StaleConnectionError:
                connection.abort()
                continue
            except BaseException:
                connection.abort()
                raise
            if reusable:
                self._give_back(route.key, connection)
            else:
                connection.abort()
            return response
        raise HttpError("server closed the connection without a response")  # pragma: no cover

    def close(self) -> None:
        """Close every idle connection."""
        for connections in self._idle.values():
            for connection in connections:
                connection.abort()
        self._idle.clear()

    # ------------------------------------------------------------------------------------------ routing

    def _route(self, url: str) -> _Route:
        try:
            parts = urlsplit(url)
            scheme = parts.scheme.lower()
            host = parts.hostname or ""
            port = parts.port or _DEFAULT_PORTS.get(scheme, 0)
        except ValueError as exc:
            raise HttpError(f"invalid URL: {exc}", "network", retryable=False) from None
        if scheme not in _DEFAULT_PORTS:
            raise HttpError(f"unsupported protocol {scheme or '(none)'!r}", "network", retryable=False)
        if not host:
            raise HttpError("invalid URL: no host", "network", retryable=False)
        if not host.isascii():
            try:
                host = host.encode("idna").decode("ascii")
            except UnicodeError:
                raise HttpError("cannot connect: host not found", "connection", retryable=False) from None
        shown = f"[{host}]" if ":" in host else host
        host_header = shown if port == _DEFAULT_PORTS[scheme] else f"{shown}:{port}"
        target = quote(parts.path or "/", safe=_SAFE_TARGET)
        if parts.query:
            target += "?" + quote(parts.query, safe=_SAFE_TARGET)
        proxy = self._proxy_for(scheme, host)
        if proxy is not None and scheme == "http":
            target = f"http://{host_header}{target}"
        proxy_key = f"{proxy[0]}:{proxy[1]}" if proxy else ""
        return _Route((scheme, host, port, proxy_key), scheme, host, port, host_header, target, proxy)

    def _proxy_for(self, scheme: str, host: str) -> tuple[str, int, str | None] | None:
        """(host, port, Proxy-Authorization value) of the environment's proxy for this URL, if any."""
        if not self.trust_env:
            return None
        if self._proxies is None:
            import urllib.request  # 12 ms of imports: only when proxies may apply

            self._proxies = urllib.request.getproxies_environment()
        proxy = self._proxies.get(scheme) or self._proxies.get("all")
        if not proxy or bypass_proxy(host, self._proxies.get("no", "")):
            return None
        parts = urlsplit(proxy if "://" in proxy else "http://" + proxy)
        if parts.scheme.lower() != "http" or not parts.hostname:
            raise HttpError(f"unsupported proxy {proxy!r} (only http:// proxies)", "network", retryable=False)
        auth = None
        if parts.username is not None:
            credentials = f"{unquote(parts.username)}:{unquote(parts.password or '')}"
            auth = "Basic " + base64.b64encode(credentials.encode()).decode("ascii")
        return parts.hostname, parts.port or 80, auth

    def tls_context(self) -> ssl.SSLContext:
        """The TLS context, made on first use: ``SSL_CERT_FILE`` or certifi's bundle when installed."""
        if self._tls is None:
            cafile = os.environ.get("SSL_CERT_FILE")
            if not cafile:
                try:
                    import certifi

                    cafile = certifi.where()
                except ImportError:  # the system's store
                    cafile = None
            self._tls = ssl.create_default_context(cafile=cafile)
            self._tls.set_alpn_protocols(["http/1.1"])
        return self._tls

    # -------------------------------------------------------------------------------------- connections

    def _take_idle(self, key: tuple[str, str, int, str]) -> _Connection | None:
        idle = self._idle.get(key)
        while idle:
            connection = idle.pop()
            if not connection.reader.at_eof() and not connection.writer.is_closing():
                connection.reused = True
                return connection
            connection.abort()
        return None

    def _give_back(self, key: tuple[str, str, int, str], connection: _Connection) -> None:
        idle = self._idle.setdefault(key, [])
        if len(idle) < self.idle_per_origin:
            idle.append(connection)
        else:
            connection.abort()

    async def _open(self, route: _Route) -> _Connection:
        host, port = (route.proxy[0], route.proxy[1]) if route.proxy else (route.host, route.port)
        tls = self.tls_context() if route.scheme == "https" else None
        try:
            if route.proxy is not None and tls is not None:
                reader, writer = await asyncio.open_connection(host, port, limit=HEADER_LIMIT)
                connection = _Connection(reader, writer)
                try:
                    await self._tunnel(connection, route, tls)
                except BaseException:
                    connection.abort()
                    raise
                return connection
            reader, writer = await asyncio.open_connection(
                host,
                port,
                ssl=tls,
                server_hostname=route.host if tls else None,
                limit=HEADER_LIMIT,
                happy_eyeballs_delay=0.25,
            )
        except TimeoutError:
            raise
        except OSError as exc:
            raise HttpError(f"cannot connect: {connect_reason(exc)}", "connection", retryable=False) from None
        return _Connection(reader, writer)

    async def _tunnel(self, connection: _Connection, route: _Route, tls: ssl.SSLContext) -> None:
        authority = f"{route.host}:{route.port}"
        lines = [f"CONNECT {authority} HTTP/1.1", f"Host: {authority}", f"User-Agent: {self.user_agent}"]
        if route.proxy is not None and route.proxy[2]:
            lines.append(f"Proxy-Authorization: {route.proxy[2]}")
        connection.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
        status, _, _ = await _read_head(connection.reader)
        if not 200 <= status < 300:
            raise HttpError(f"cannot connect: proxy answered {status} to CONNECT", "connection", False)
        await connection.writer.start_tls(tls, server_hostname=route.host)

    # ----------------------------------------------------------------------------------------- exchange

    async def _exchange(
        self, connection: _Connection, route: _Route, method: str, want_body: int
    ) -> tuple[Response, bool]:
        lines = [
            f"{method} {route.target} HTTP/1.1",
            f"Host: {route.host_header}",
            f"User-Agent: {self.user_agent}",
            "Accept: text/html,*/*;q=0.8",
            "Accept-Encoding: gzip, deflate",
        ]
        if route.proxy is not None and route.scheme == "http" and route.proxy[2]:
            lines.append(f"Proxy-Authorization: {route.proxy[2]}")
        reader = connection.reader
        try:
            connection.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
            while True:
                status, version, headers = await _read_head(reader)
                if not 100 <= status < 200 or status == 101:
                    break
        except (ConnectionError, asyncio.IncompleteReadError) as exc:
            if connection.reused and (not isinstance(exc, asyncio.IncompleteReadError) or not exc.partial):
                raise _StaleConnectionError from None
            raise HttpError(_closed_message(exc)) from None
        except (asyncio.LimitOverrunError, ValueError) as exc:
            raise HttpError(f"malformed response: {exc}") from None
        keep = _keep_alive(version, headers)
        if method == "HEAD" or status in (204, 304) or status < 200:
            return Response(status, headers), keep
        try:
            body, complete = await _read_body(reader, headers, want_body)
        except (ConnectionError, asyncio.IncompleteReadError) as exc:
            raise HttpError(_closed_message(exc)) from None
        except (asyncio.LimitOverrunError, ValueError) as exc:
            raise HttpError(f"malformed response body: {exc}") from None
        if want_body and body:
            body, complete = _decode(body, headers.get("content-encoding", ""), want_body, complete)
        return Response(status, headers, body, truncated=want_body > 0 and not complete), keep and complete


class _StaleConnectionError(Exception):
    """A kept-alive connection the server had closed before answering: try again on a fresh one."""


async def _read_head(reader: asyncio.StreamReader) -> tuple[int, str, dict[str, str]]:
    """Read a status line and headers; return (status, HTTP version, headers)."""
    raw = await reader.readuntil(b"\r\n\r\n")
    lines = raw.decode("latin-1").split("\r\n")
    version, _, rest = lines[0].partition(" ")
    if not version.startswith("HTTP/") or not rest[:3].isdigit():
        raise ValueError(f"not an HTTP status line: {lines[0][:80]!r}")
    headers: dict[str, str] = {}
    for line in lines[1:]:
        name, sep, value = line.partition(":")
        if sep:
            headers[name.strip().lower()] = value.strip()
    return int(rest[:3]), version, headers


def _keep_alive(version: str, headers: dict[str, str]) -> bool:
    tokens = headers.get("connection", "").lower()
    if version == "HTTP/1.0":
        return "keep-alive" in tokens
    return "close" not in tokens


async def _read_body(reader: asyncio.StreamReader, headers: dict[str, str], want: int) -> tuple[bytes, bool]:
    """Read the body up to ``want`` bytes (or up to ``REUSE_BODY_LIMIT`` when nothing is wanted, so a
    small body keeps the connection reusable); True as second value when the whole body was read."""
    limit = want or REUSE_BODY_LIMIT
    if "chunked" in headers.get("transfer-encoding", "").lower():
        return await _read_chunked(reader, limit)
    length_text = headers.get("content-length")
    if length_text is not None:
        length = int(length_text.split(",")[0])
        if length > limit:
            return (await reader.readexactly(limit) if want else b""), False
        return await reader.readexactly(length), True
    if not want:  # delimited by the end of the connection: not worth reading
        return b"", False
    chunks: list[bytes] = []
    size = 0
    while size < limit:
        chunk = await reader.read(min(65536, limit - size))
        if not chunk:
            return b"".join(chunks), True
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks), False


async def _read_chunked(reader: asyncio.StreamReader, limit: int) -> tuple[bytes, bool]:
    chunks: list[bytes] = []
    size = 0
    while True:
        line = await reader.readuntil(b"\r\n")
        length = int(line.split(b";", 1)[0].strip() or b"x", 16)
        if length == 0:
            while await reader.readuntil(b"\r\n") != b"\r\n":  # trailers
                pass
            return b"".join(chunks), True
        if size + length > limit:
            chunks.append(await reader.readexactly(limit - size))
            return b"".join(chunks), False
        chunks.append(await reader.readexactly(length))
        size += length
        await reader.readexactly(2)


def _decode(body: bytes, encoding: str, cap: int, complete: bool) -> tuple[bytes, bool]:
    """Undo gzip/deflate (at most ``cap`` bytes out); other encodings are returned as they came."""
    encoding = encoding.strip().lower()
    if encoding in ("gzip", "x-gzip"):
        decoder = zlib.decompressobj(16 + zlib.MAX_WBITS)
    elif encoding == "deflate":
        decoder = zlib.decompressobj(zlib.MAX_WBITS if body[:1] == b"\x78" else -zlib.MAX_WBITS)
    else:
        return body, complete
    try:
        out = decoder.decompress(body, cap)
    except zlib.error:
        return b"", False
    return out, complete and not decoder.unconsumed_tail and len(out) < cap


def bypass_proxy(host: str, no_proxy: str) -> bool:
    """True when ``host`` matches the ``NO_PROXY`` list (``*``, a name and its subdomains, ``.suffix``)."""
    host = host.lower().rstrip(".")
    for entry in no_proxy.replace(" ", ",").split(","):
        name = entry.strip().lower().lstrip(".").rstrip(".")
        if name.startswith("[") or (name.count(":") == 1):
            name = name.rsplit(":", 1)[0].strip("[]")
        if name == "*" or (name and (host == name or host.endswith("." + name))):
            return True
    return False


def _closed_message(exc: BaseException) -> str:
    if isinstance(exc, asyncio.IncompleteReadError):
        return "server closed the connection mid-response" if exc.partial else "server disconnected"
    return f"connection lost: {exc.strerror or type(exc).__name__}" if isinstance(exc, OSError) else str(exc)


def connect_reason(exc: OSError) -> str:
    """The cause of a connection failure in plain words (refused, unknown host, TLS, …)."""
    import socket

    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, socket.gaierror):
        return "host not found"
    if isinstance(exc, ssl.SSLCertVerificationError):
        return f"TLS certificate not trusted ({exc.verify_message})"
    if isinstance(exc, ssl.SSLError):
        return f"TLS failed ({exc.reason or exc})"
    return exc.strerror or str(exc) or type(exc).__name__
