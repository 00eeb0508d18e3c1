"""A misbehaving HTTP server on 127.0.0.1 for the external link checker's tests.

Flow: ``FaultServer`` starts a threaded ``http.server`` on a free port; each path plays one fault
(404, 410, 500, redirect chains and loops, 429 with Retry-After, HEAD refused, a short pause, slow
headers, a body that trickles forever, a huge advertised body). It counts requests and bytes sent per
path, and every handler is bounded in time, so the server always stops when the test closes it.
"""

from __future__ import annotations

import http.server
import socket
import threading
import time
from collections import Counter
from typing import Any

PAGE = b'<!doctype html><html><body><h1 id="here">here</h1><a name="named"></a></body></html>'
HUGE_SIZE = 1024**3
HUGE_SEND_CAP = 64 * 1024 * 1024
"""The huge body stops here even if the client keeps reading: the test asserts far less was sent."""
MAX_HANDLER_SECONDS = 8.0
PAUSE_SECONDS = 0.4
"""``/pause`` answers after this long: slow, but well within a request timeout."""


class _Handler(http.server.BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        return

    def do_HEAD(self) -> None:
        self._route("HEAD")

    def do_GET(self) -> None:
        self._route("GET")

    def _route(self, method: str) -> None:
        path = self.path.split("?", 1)[0]
        if "://" in path:  # absolute form: the server is used as a proxy
            path = "/" + path.split("://", 1)[1].partition("/")[2]
        state = self.server
        with state.lock:
            state.hits[path] += 1
            state.log.append((time.monotonic(), method, path))
            count = state.hits[path]
        handler = getattr(self, "_" + path.strip("/").replace("-", "_"), None)
        if handler is None:
            self._send(404)
            return
        handler(method, count)

    def _send(self, status: int, headers: dict[str, str] | None = None, body: bytes = b"") -> None:
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _ok(self, method: str, count: int) -> None:
        self._send(200, body=PAGE)

    def _missing(self, method: str, count: int) -> None:
        self._send(404, body=b"not found")

    def _gone(self, method: str, count: int) -> None:
        self._send(410, body=b"gone")

    def _error(self, method: str, count: int) -> None:
        self._send(500, body=b"boom")

    def _moved(self, method: str, count: int) -> None:
        self._send(301, {"Location": "/moved-again"})

    def _moved_again(self, method: str, count: int) -> None:
        self._send(308, {"Location": "/ok"})

    def _temporary(self, method: str, count: int) -> None:
        self._send(302, {"Location": "/ok"})

    def _loop_a(self, method: str, count: int) -> None:
        self._send(302, {"Location": "/loop-b"})

    def _loop_b(self, method: str, count: int) -> None:
        self._send(302, {"Location": "/loop-a"})

    def _limited(self, method: str, count: int) -> None:
        if count == 1:
            self._send(429, {"Retry-After": "1"})
        else:
            self._send(200, body=PAGE)

    def _no_head(self, method: str, count: int) -> None:
        self._send(405 if method == "HEAD" else 200, body=PAGE)

    def _pause(self, method: str, count: int) -> None:
        self.server.stopping.wait(PAUSE_SECONDS)
        self._send(200, body=PAGE)

    def _slow(self, method: str, count: int) -> None:
        self.server.stopping.wait(3.0)
        self._send(200, body=PAGE)

    def _trickle(self, method: str, count: int) -> None:
        if method == "HEAD":
            self._send(405)
            return
        self._stream(10_000_000, chunk=b"<", interval=0.2)

    def _huge(self, method: str, count: int) -> None:
        if method == "HEAD":
            self._send(405)
            return
        self._stream(HUGE_SIZE, chunk=b"<p>" + b"x" * 65533, interval=0.0)

    def _stream(self, size: int, chunk: bytes, interval: float) -> None:
        """Advertise ``size`` bytes; send chunks until the client leaves or a bound is hit."""
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(size))
        self.end_headers()
        self.wfile.write(PAGE[:-14])
        started = time.monotonic()
        path = self.path
        try:
            while not self.server.stopping.is_set() and time.monotonic() - started < MAX_HANDLER_SECONDS:
                if self.server.sent[path] >= HUGE_SEND_CAP:
                    break
                self.wfile.write(chunk)
                self.wfile.flush()
                with self.server.lock:
                    self.server.sent[path] += len(chunk)
                if interval:
                    self.server.stopping.wait(interval)
        except OSError:  # the client closed the connection: what a well-behaved checker does
            pass
        with self.server.lock:
            self.server.log.append((time.monotonic(), "END", path))
        self.close_connection = True


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.lock = threading.Lock()
        self.hits: Counter[str] = Counter()
        self.sent: Counter[str] = Counter()
        self.log: list[tuple[float, str, str]] = []
        self.stopping = threading.Event()


class FaultServer:
    """Start with ``with FaultServer() as server:``; ``server.url(path)`` gives a full URL."""

    def __init__(self) -> None:
        self._server = _Server()
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def __enter__(self) -> FaultServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.stopping.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    @property
    def port(self) -> int:
        """The port the server listens on."""
        return int(self._server.server_address[1])

    def url(self, path: str) -> str:
        """The full URL of ``path`` on this server."""
        return f"http://127.0.0.1:{self.port}{path}"

    @property
    def hits(self) -> Counter[str]:
        """Requests received per path."""
        return self._server.hits

    @property
    def sent(self) -> Counter[str]:
        """Body bytes sent per path by the streaming handlers."""
        return self._server.sent

    @property
    def log(self) -> list[tuple[float, str, str]]:
        """(monotonic time, method, path) of every request; method ``END`` when a streamed body stopped."""
        return self._server.log


def closed_port_url() -> str:
    """A URL on 127.0.0.1 whose port has nothing listening (connection refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/"
