"""The asyncio network backend under httpx: reuse, timeouts, refused and stalled connects, TLS, flow control.

Every server here listens on 127.0.0.1: small asyncio servers in the test's own loop, the fault
server, or a listening socket that never accepts (its backlog full, so a connect stalls).
"""

from __future__ import annotations

import asyncio
import shutil
import socket
import ssl
import subprocess
import sys
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest

from k8skb.links.aio import run_sync
from k8skb.links.checker.http import HttpOptions, _connect_reason, default_transport, run_checks
from k8skb.links.checker.network import (
    READ_HIGH_WATER,
    AsyncioBackend,
    AsyncioStream,
    AsyncioTransport,
    ip_literal,
)
from links_fault_server import FaultServer, closed_port_url

pytestmark = pytest.mark.xdist_group("links-fault-server")
T = TypeVar("T")
LIMITS = httpx.Limits(max_connections=4, max_keepalive_connections=4)
RESPONSE = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Type: text/plain\r\n\r\nok"


def run(factory: Callable[[], Awaitable[T]]) -> T:
    """Run in a fresh loop (in a thread when one runs here: Playwright leaves one in xdist workers)."""

    async def main() -> T:
        return await factory()

    return run_sync(main)


def client(transport: httpx.AsyncBaseTransport, timeout: float = 2.0) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=transport, timeout=timeout, trust_env=False)


@pytest.fixture(scope="module")
def server() -> Iterator[FaultServer]:
    with FaultServer() as running:
        yield running


async def answer_each_request(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """Answer every request on the connection with a 2-byte 200."""
    try:
        while True:
            await reader.readuntil(b"\r\n\r\n")
            writer.write(RESPONSE)
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        writer.close()


def test_requests_reuse_one_connection(server: FaultServer) -> None:
    transport = AsyncioTransport(ssl.create_default_context(), LIMITS)

    async def scenario() -> list[int]:
        async with client(transport) as http:
            statuses = [(await http.head(server.url("/ok"))).status_code for _ in range(3)]
            statuses.append((await http.get(server.url("/missing"))).status_code)
            return statuses

    assert run(scenario) == [200, 200, 200, 404]
    assert transport.backend.connections == 1  # keep-alive, and the pool really uses this backend


def test_idle_connection_closed_by_the_server_is_replaced() -> None:
    """A connection the server closed while idle reads as expired; the next request opens another."""
    transport = AsyncioTransport(ssl.create_default_context(), LIMITS)

    async def close_after_one(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(RESPONSE)
        await writer.drain()
        writer.close()

    async def scenario() -> list[int]:
        listener = await asyncio.start_server(close_after_one, "127.0.0.1", 0)
        port = listener.sockets[0].getsockname()[1]
        async with listener, client(transport) as http:
            first = await http.get(f"http://127.0.0.1:{port}/")
            await asyncio.sleep(0.1)  # the server's FIN arrives
            second = await http.get(f"http://127.0.0.1:{port}/")
            return [first.status_code, second.status_code]

    assert run(scenario) == [200, 200]
    assert transport.backend.connections == 2


def test_keep_idle_closes_the_least_recently_used_idle_connections() -> None:
    transport = AsyncioTransport(ssl.create_default_context(), httpx.Limits(max_connections=8))
    closed: list[int] = []

    async def count_closes(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await answer_each_request(reader, writer)
        closed.append(1)

    async def scenario() -> tuple[int, int]:
        listener = await asyncio.start_server(count_closes, "127.0.0.1", 0)
        port = listener.sockets[0].getsockname()[1]
        async with listener, client(transport) as http:
            responses = await asyncio.gather(*(http.get(f"http://127.0.0.1:{port}/") for _ in range(5)))
            assert [r.status_code for r in responses] == [200] * 5
            await transport.keep_idle(2)
            await asyncio.sleep(0.1)  # the server sees the three closes
            seen = len(closed)
            await http.get(f"http://127.0.0.1:{port}/")  # served by a kept connection
            return seen, transport.backend.connections

    assert run(scenario) == (3, 5)


def test_run_checks_keeps_no_more_idle_connections_than_unfinished_urls(server: FaultServer) -> None:
    """After each URL the pool is trimmed to the URLs still unfinished: none is left idle at the end."""
    transport = AsyncioTransport(ssl.create_default_context(), LIMITS)
    asked: list[int] = []
    keep_idle = transport.keep_idle

    async def recording(most: int) -> None:
        asked.append(most)
        await keep_idle(most)

    transport.keep_idle = recording  # type: ignore[method-assign]
    work: dict[str, set[str]] = {server.url(f"/ok?n={n}"): set() for n in range(6)}
    results = run_checks(work, HttpOptions(concurrency=4, per_host=4, trust_env=False), transport=transport)
    assert all(r.outcome.ok for r in results.values())
    assert sorted(asked, reverse=True) == [5, 4, 3, 2, 1, 0]
    assert transport.origins._idle_count == 0


@pytest.mark.parametrize(
    ("host", "literal"),
    [("127.0.0.1", True), ("::1", True), ("2001:db8::8", True), ("localhost", False), ("example.com", False)],
)
def test_ip_literal(host: str, literal: bool) -> None:
    assert ip_literal(host) is literal


def test_host_name_connects_with_happy_eyeballs(server: FaultServer) -> None:
    """A host name goes through the address race (one address or several); the answer is the same."""

    async def scenario() -> int:
        url = server.url("/ok").replace("127.0.0.1", "localhost")
        async with client(AsyncioTransport(ssl.create_default_context(), LIMITS)) as http:
            return (await http.get(url)).status_code

    assert run(scenario) == 200


def test_read_timeout(server: FaultServer) -> None:
    async def scenario() -> None:
        async with client(AsyncioTransport(ssl.create_default_context(), LIMITS), timeout=0.3) as http:
            await http.get(server.url("/slow"))

    with pytest.raises(httpx.ReadTimeout):
        run(scenario)


def test_refused_connection_names_the_cause() -> None:
    async def scenario() -> None:
        async with client(AsyncioTransport(ssl.create_default_context(), LIMITS)) as http:
            await http.get(closed_port_url())

    with pytest.raises(httpx.ConnectError) as caught:
        run(scenario)
    assert _connect_reason(caught.value) == "connection refused"


def test_connect_timeout_when_the_server_never_accepts() -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(0)
        port = listener.getsockname()[1]
        fillers = []
        for _ in range(3):  # fill the accept queue: further SYNs are dropped, the connect stalls
            filler = socket.socket()
            filler.setblocking(False)
            filler.connect_ex(("127.0.0.1", port))
            fillers.append(filler)
        try:
            with pytest.raises(httpx.ConnectTimeout):
                run(lambda: AsyncioBackend().connect_tcp("127.0.0.1", port, timeout=0.3))
        finally:
            for filler in fillers:
                filler.close()


def test_write_timeout_when_the_peer_does_not_read() -> None:
    async def scenario() -> None:
        done = asyncio.Event()

        async def never_read(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            await done.wait()
            writer.close()

        listener = await asyncio.start_server(never_read, "127.0.0.1", 0)
        port = listener.sockets[0].getsockname()[1]
        async with listener:
            stream = await AsyncioBackend().connect_tcp("127.0.0.1", port, timeout=1)
            try:
                await stream.write(b"x" * (64 * 1024 * 1024), timeout=0.3)
            finally:
                await stream.aclose()
                done.set()

    with pytest.raises(httpx.WriteTimeout):
        run(scenario)


def test_reads_pause_while_the_buffer_is_full_and_end_with_eof() -> None:
    """A fast sender is held at the high-water mark until the reader catches up; EOF reads b''."""
    size = 8 * READ_HIGH_WATER

    async def send_lots(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.write(b"y" * size)
        await writer.drain()
        writer.close()

    async def scenario() -> tuple[int, int, bytes]:
        listener = await asyncio.start_server(send_lots, "127.0.0.1", 0)
        port = listener.sockets[0].getsockname()[1]
        async with listener:
            stream = await AsyncioBackend().connect_tcp("127.0.0.1", port, timeout=1)
            await asyncio.sleep(0.2)  # the server writes as much as the client lets it
            buffered = len(stream._protocol.buffer)  # type: ignore[attr-defined]
            total = 0
            while chunk := await stream.read(64 * 1024, timeout=1):
                total += len(chunk)
            end = await stream.read(64 * 1024, timeout=1)
            await stream.aclose()
            return buffered, total, end

    buffered, total, end = run(scenario)
    assert buffered < 2 * READ_HIGH_WATER and total == size and end == b""


def test_extra_info() -> None:
    async def scenario() -> dict[str, Any]:
        listener = await asyncio.start_server(answer_each_request, "127.0.0.1", 0)
        port = listener.sockets[0].getsockname()[1]
        async with listener:
            stream = await AsyncioBackend().connect_tcp("127.0.0.1", port, timeout=1)
            info = {
                name: stream.get_extra_info(name) for name in ("client_addr", "server_addr", "ssl_object")
            }
            info["readable_idle"] = stream.get_extra_info("is_readable")
            info["socket"] = stream.get_extra_info("socket") is not None
            await stream.write(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n", timeout=1)
            await asyncio.sleep(0.1)
            info["readable_answered"] = stream.get_extra_info("is_readable")
            info["port"] = port
            await stream.aclose()
            return info

    info = run(scenario)
    assert info["server_addr"] == ("127.0.0.1", info["port"]) and info["client_addr"][0] == "127.0.0.1"
    assert info["ssl_object"] is None and info["socket"]
    assert not info["readable_idle"] and info["readable_answered"]


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 (made with the openssl command)."""
    if shutil.which("openssl") is None:
        pytest.skip("no openssl command to make a test certificate")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"),
            *("-nodes", "-keyout", str(key), "-out", str(cert), "-days", "2", "-subj", "/CN=127.0.0.1"),
            *("-addext", "subjectAltName=IP:127.0.0.1"),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


def test_tls(certificate: tuple[Path, Path]) -> None:
    cert, key = certificate
    server_tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_tls.load_cert_chain(cert, key)
    trusting = ssl.create_default_context(cafile=str(cert))
    transport = AsyncioTransport(trusting, LIMITS)

    async def scenario() -> tuple[list[int], str, type[BaseException] | None]:
        listener = await asyncio.start_server(answer_each_request, "127.0.0.1", 0, ssl=server_tls)
        port = listener.sockets[0].getsockname()[1]
        async with listener:
            async with client(transport) as http:
                responses = [await http.get(f"https://127.0.0.1:{port}/") for _ in range(2)]
                version = responses[0].extensions["network_stream"].get_extra_info("ssl_object").version()
            failure: type[BaseException] | None = None
            async with client(AsyncioTransport(ssl.create_default_context(), LIMITS)) as http:
                try:
                    await http.get(f"https://127.0.0.1:{port}/")
                except httpx.HTTPError as exc:
                    failure = type(exc)
            return [r.status_code for r in responses], version, failure

    statuses, version, failure = run(scenario)
    assert statuses == [200, 200] and version.startswith("TLS") and transport.backend.connections == 1
    assert failure is httpx.ConnectError  # an unknown issuer is refused


def test_proxies_from_the_environment_keep_httpx_transports(monkeypatch: pytest.MonkeyPatch) -> None:
    tls = ssl.create_default_context()
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    assert isinstance(default_transport(HttpOptions(), tls, LIMITS), AsyncioTransport)
    monkeypatch.setenv("HTTPS_PROXY", "http://127.0.0.1:9")
    assert default_transport(HttpOptions(), tls, LIMITS) is None
    assert isinstance(default_transport(HttpOptions(trust_env=False), tls, LIMITS), AsyncioTransport)


def test_checker_runs_on_the_backend(server: FaultServer, monkeypatch: pytest.MonkeyPatch) -> None:
    """``run_checks`` goes through ``AsyncioBackend`` (it counts the connections it opens)."""
    opened: list[int] = []
    original = AsyncioBackend.connect_tcp

    async def counting(self: AsyncioBackend, *args: Any, **kwargs: Any) -> AsyncioStream:
        opened.append(1)
        return await original(self, *args, **kwargs)

    monkeypatch.setattr(AsyncioBackend, "connect_tcp", counting)
    got = run_checks({server.url("/ok"): set()}, HttpOptions(timeout=2, trust_env=False))
    assert got[server.url("/ok")].outcome.ok and opened


def test_connections_are_kept_per_origin() -> None:
    """Requests alternating between two servers reuse one connection each; no TLS context is built."""
    built: list[int] = []

    def tls() -> ssl.SSLContext:
        built.append(1)
        return ssl.create_default_context()

    transport = AsyncioTransport(tls, LIMITS)

    async def scenario() -> list[int]:
        first = await asyncio.start_server(answer_each_request, "127.0.0.1", 0)
        second = await asyncio.start_server(answer_each_request, "127.0.0.1", 0)
        urls = [f"http://127.0.0.1:{s.sockets[0].getsockname()[1]}/" for s in (first, second)]
        async with first, second, client(transport) as http:
            return [(await http.get(urls[i % 2])).status_code for i in range(6)]

    assert run(scenario) == [200] * 6
    assert transport.backend.connections == 2 and not built


def test_idle_connections_beyond_the_limit_are_closed() -> None:
    """With room for one idle connection, the second origin's connection is closed after its response."""
    transport = AsyncioTransport(ssl.create_default_context(), httpx.Limits(max_keepalive_connections=1))

    async def scenario() -> list[int]:
        first = await asyncio.start_server(answer_each_request, "127.0.0.1", 0)
        second = await asyncio.start_server(answer_each_request, "127.0.0.1", 0)
        urls = [f"http://127.0.0.1:{s.sockets[0].getsockname()[1]}/" for s in (first, second)]
        async with first, second, client(transport) as http:
            return [(await http.get(url)).status_code for url in (urls[0], urls[1], urls[0], urls[1])]

    assert run(scenario) == [200] * 4
    assert transport.backend.connections == 3  # the first origin's stays idle; the second's is reopened


def test_http_only_runs_build_no_tls_context(server: FaultServer, monkeypatch: pytest.MonkeyPatch) -> None:
    """Loading certificates takes ~25 ms: a run without https URLs never does it."""
    from k8skb.links.checker import http

    def refuse() -> ssl.SSLContext:
        raise AssertionError("TLS context built for http URLs")

    monkeypatch.setattr(http, "tls_context", refuse)
    got = run_checks({server.url("/ok"): set()}, HttpOptions(timeout=2, trust_env=False))
    assert got[server.url("/ok")].outcome.ok


def test_cookies_follow_one_urls_redirects_only() -> None:
    """A cookie set on a redirect is sent on the next hop of that URL, never on another URL's requests."""
    seen: list[tuple[str, str]] = []

    async def cookie_gate(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = (await reader.readuntil(b"\r\n\r\n")).decode()
                path = head.split(" ", 2)[1]
                cookie = next(
                    (
                        line.split(":", 1)[1].strip()
                        for line in head.split("\r\n")
                        if line.lower().startswith("cookie:")
                    ),
                    "",
                )
                seen.append((path, cookie))
                if path == "/login":
                    answer = "302 Found\r\nSet-Cookie: session=1; Path=/\r\nLocation: /home"
                elif path == "/home" and cookie != "session=1":
                    answer = "302 Found\r\nLocation: /login"
                else:
                    answer = "200 OK"
                writer.write(f"HTTP/1.1 {answer}\r\nContent-Length: 0\r\n\r\n".encode())
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    async def scenario() -> dict[str, Any]:
        listener = await asyncio.start_server(cookie_gate, "127.0.0.1", 0)
        base = f"http://127.0.0.1:{listener.sockets[0].getsockname()[1]}"
        async with listener:
            first = await asyncio.to_thread(
                run_checks, {f"{base}/login": set()}, HttpOptions(timeout=2, trust_env=False)
            )
            second = await asyncio.to_thread(
                run_checks, {f"{base}/other": set()}, HttpOptions(timeout=2, trust_env=False)
            )
            return {"login": first[f"{base}/login"], "other": second[f"{base}/other"]}

    got = run(scenario)
    assert got["login"].outcome.ok and got["login"].outcome.detail == "ok", got["login"].outcome
    assert ("/home", "session=1") in seen and ("/other", "") in seen


def test_bodies_without_length_and_closing_servers() -> None:
    """A body read until the server closes (``Connection: close``): the next request opens a connection."""

    async def until_close(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nall of it")
        await writer.drain()
        writer.close()

    transport = AsyncioTransport(ssl.create_default_context(), LIMITS)

    async def scenario() -> list[str]:
        listener = await asyncio.start_server(until_close, "127.0.0.1", 0)
        url = f"http://127.0.0.1:{listener.sockets[0].getsockname()[1]}/"
        async with listener, client(transport) as http:
            return [(await http.get(url)).text for _ in range(2)]

    assert run(scenario) == ["all of it"] * 2
    assert transport.backend.connections == 2


def test_interim_responses_are_skipped() -> None:
    """A ``100 Continue`` before the answer is not the answer."""

    async def interim(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(b"HTTP/1.1 100 Continue\r\n\r\n" + RESPONSE)
        await writer.drain()
        writer.close()

    async def scenario() -> tuple[int, str]:
        listener = await asyncio.start_server(interim, "127.0.0.1", 0)
        url = f"http://127.0.0.1:{listener.sockets[0].getsockname()[1]}/"
        async with listener, client(AsyncioTransport(ssl.create_default_context(), LIMITS)) as http:
            response = await http.get(url)
            return response.status_code, response.text

    assert run(scenario) == (200, "ok")


def test_a_check_does_not_load_anyio(server: FaultServer) -> None:
    """anyio's asyncio backend (~25 ms to import, before the first request) is never needed."""
    code = (
        "import sys\n"
        "from k8skb.links.checker.http import HttpOptions, run_checks\n"
        f"got = run_checks({{{server.url('/ok')!r}: set()}}, HttpOptions(timeout=2, trust_env=False))\n"
        "assert next(iter(got.values())).outcome.ok\n"
        "print('anyio._backends._asyncio' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == "False"


def test_a_response_closed_twice_leaves_its_connection_usable() -> None:
    """The second close of a body is a no-op: it must not close the connection parked by the first."""
    transport = AsyncioTransport(ssl.create_default_context(), LIMITS)

    async def scenario() -> list[int]:
        listener = await asyncio.start_server(answer_each_request, "127.0.0.1", 0)
        url = f"http://127.0.0.1:{listener.sockets[0].getsockname()[1]}/"
        statuses = []
        async with listener, transport:
            for _ in range(2):
                response = await transport.handle_async_request(httpx.Request("GET", url))
                await response.aread()
                await response.aclose()
                assert isinstance(response.stream, httpx.AsyncByteStream)
                await response.stream.aclose()
                statuses.append(response.status_code)
        return statuses

    assert run(scenario) == [200, 200]
    assert transport.backend.connections == 1
