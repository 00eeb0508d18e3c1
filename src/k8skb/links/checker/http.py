"""Check external URLs over HTTP: HEAD first, GET when refused, redirects followed by hand, bodies capped.

Flow for one URL (``HttpChecker.check``): attempt → on a retryable result (timeout, dropped
connection, 429, 5xx) wait (``Retry-After`` or backoff, outside every limiter slot) and attempt again
→ classify the last result against the accepted statuses. One attempt: HEAD; if the server refuses
HEAD (405, 501, 403, …) or anchors are needed, GET. Every hop of a redirect chain is a separate
request through the limiter, so loops are seen and permanent redirects (301/308) are reported.
A response body is streamed and read only up to a byte cap (and only when anchors are needed);
each request has a hard timeout, counted from when it gets its limiter slot (a queue is not a slow
server). ``check_all`` runs many URLs under an overall deadline: whatever is unfinished then is
reported as "not checked: deadline". ``HttpOptions``, ``UrlResult`` and ``parse_accept`` live in
``options`` (re-exported here), so code that only needs them does not import httpx.

Requests are ``httpx.Request`` objects handed straight to the transport (``network.AsyncioTransport``),
not through ``httpx.AsyncClient``: the client's per-request work (merging defaults, a cookie jar
read and written through ``http.cookiejar``, hooks) cost more than the rest of a request. What the
checker needs of it is done here: the client's default headers, the timeout, and cookies within
one URL's check (a cookie set by one response of a redirect chain, or before a GET fallback or a
retry, is sent on the following requests of that URL, as the client's jar would; URLs do not share
cookies, so no result depends on which URL was checked first). With proxies in the environment the
requests go through an ``httpx.AsyncClient`` instead, which applies them.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import ssl
from collections.abc import Awaitable, Callable, Iterable
from functools import partial
from urllib.parse import urljoin, urlsplit
from urllib.request import getproxies

import httpx

from k8skb.links.aio import run_sync
from k8skb.links.checker.network import AsyncioTransport, TlsContext
from k8skb.links.options import USER_AGENT as USER_AGENT
from k8skb.links.options import HttpOptions as HttpOptions
from k8skb.links.options import UrlResult as UrlResult
from k8skb.links.options import parse_accept as parse_accept
from k8skb.links.ratelimit import Limiter
from k8skb.links.retry import retryable_status
from k8skb.links.types import Outcome, Severity

HEAD_REFUSED = frozenset({400, 403, 405, 406, 501})
"""Statuses after which HEAD is retried as GET: servers that refuse or mishandle HEAD answer these."""
PERMANENT_REDIRECTS = frozenset({301, 308})
REDIRECTS = frozenset({301, 302, 303, 307, 308})
REUSE_BODY_LIMIT = 16 * 1024
"""A body announced up to this size is read (and the connection kept); a bigger one closes the connection."""
Send = Callable[[httpx.Request], Awaitable[httpx.Response]]
"""Sends one request, returning its streamed response: a transport's ``handle_async_request``."""


class _Attempt:
    """What one attempt at a URL gave (filled in as it goes)."""

    __slots__ = ("anchors", "failure", "final_url", "hops", "retry_after", "retryable", "status", "truncated")

    def __init__(self, final_url: str = "") -> None:
        self.status = 0
        self.final_url = final_url
        self.hops: list[tuple[int, str]] = []
        self.anchors: frozenset[str] | None = None
        self.truncated = False
        self.retry_after: str | None = None
        self.failure: Outcome | None = None
        self.retryable = False


class _Cookies:
    """The cookies of one URL's check: none until a response sets one (most never do)."""

    __slots__ = ("jar",)

    def __init__(self) -> None:
        self.jar: httpx.Cookies | None = None

    def add_to(self, request: httpx.Request) -> None:
        if self.jar is not None:
            self.jar.set_cookie_header(request)

    def take_from(self, request: httpx.Request, response: httpx.Response) -> None:
        if "set-cookie" in response.headers:
            if self.jar is None:
                self.jar = httpx.Cookies()
            response.request = request
            self.jar.extract_cookies(response)


def request_headers(options: HttpOptions) -> httpx.Headers:
    """The headers of every request: ``httpx.AsyncClient``'s defaults, then the checker's own."""
    headers = httpx.Headers(
        {
            "Accept": "*/*",
            "Accept-Encoding": "gzip, deflate",  # what httpx decodes without optional packages
            "Connection": "keep-alive",
        }
    )
    headers.update({"User-Agent": options.user_agent, "Accept": "text/html,*/*;q=0.8"})
    return headers


class HttpChecker:
    """Checks URLs: every request through ``send`` (a transport) within a shared ``Limiter``."""

    def __init__(self, send: Send, options: HttpOptions, limiter: Limiter) -> None:
        self.send = send
        self.options = options
        self.limiter = limiter
        self._headers = request_headers(options)
        self._extensions = {"timeout": httpx.Timeout(options.timeout).as_dict()}

    async def check(self, url: str, fragments: Iterable[str] = ()) -> UrlResult:
        """Check ``url`` (no fragment) and, when ``fragments`` is given, that the page has those anchors."""
        wanted = sorted(set(fragments))
        policy = self.options.retry
        attempt = _Attempt()
        cookies = _Cookies()
        for number in range(policy.retries + 1):
            attempt = await self._attempt(url, need_body=bool(wanted), cookies=cookies)
            if not attempt.retryable or number == policy.retries:
                break
            await asyncio.sleep(policy.delay(number, attempt.retry_after))
        outcome = self._classify(url, attempt)
        if not outcome.ok or not wanted:
            return UrlResult(outcome)
        return UrlResult(outcome, {f: self._fragment_outcome(url, f, attempt) for f in wanted})

    async def _attempt(self, url: str, need_body: bool, cookies: _Cookies) -> _Attempt:
        result = _Attempt()
        if not need_body:
            result = await self._follow(url, "HEAD", False, cookies)
            if result.failure is None and result.status not in HEAD_REFUSED:
                return result
            if result.failure is not None and result.failure.detail in (
                "timeout",
                "redirect-loop",
                "redirects",
            ):
                return result
        return await self._follow(url, "GET", need_body, cookies)

    async def _follow(self, url: str, method: str, need_body: bool, cookies: _Cookies) -> _Attempt:
        result = _Attempt(final_url=url)
        seen = {url}
        current = url
        for _ in range(self.options.max_redirects + 1):
            try:
                status, location, retry_after = await self._request(
                    method, current, need_body, result, cookies
                )
            except TimeoutError:
                result.failure = Outcome(False, f"timed out after {self.options.timeout:g} s", "timeout")
                result.retryable = True
                return result
            except httpx.HTTPError as exc:
                result.failure = _network_failure(exc)
                result.retryable = not isinstance(exc, httpx.ConnectError | httpx.UnsupportedProtocol)
                return result
            result.status, result.final_url, result.retry_after = status, current, retry_after
            if status not in REDIRECTS or location is None:
                result.retryable = retryable_status(status)
                return result
            target = urljoin(current, location).partition("#")[0]
            result.hops.append((status, target))
            if target in seen:
                chain = " → ".join([url, *(h[1] for h in result.hops)])
                result.failure = Outcome(False, f"redirect loop: {chain}", "redirect-loop", status=status)
                return result
            seen.add(target)
            current = target
            if method == "HEAD" and status == 303:
                method = "GET"
        result.failure = Outcome(False, f"more than {self.options.max_redirects} redirects", "redirects")
        return result

    async def _request(
        self, method: str, url: str, need_body: bool, result: _Attempt, cookies: _Cookies
    ) -> tuple[int, str | None, str | None]:
        host = urlsplit(url).netloc.lower()
        request = httpx.Request(method, url, headers=self._headers, extensions=self._extensions)
        cookies.add_to(request)
        # the timeout starts once the request has its slot: waiting for one is not the server's fault
        async with self.limiter.slot(host), asyncio.timeout(self.options.timeout):
            response = await self.send(request)
            try:
                cookies.take_from(request, response)
                status = response.status_code
                if need_body and status not in REDIRECTS and status in self.options.accept:
                    content_type = response.headers.get("content-type", "")
                    if "html" in content_type or not content_type:
                        body, result.truncated = await _read_capped(response, self.options.body_cap)
                        result.anchors = page_anchors(body)
                elif method == "HEAD" or _small_body(response):
                    await response.aread()  # consumed to the end: the connection can be reused
                return status, response.headers.get("location"), response.headers.get("retry-after")
            finally:
                await response.aclose()  # the connection goes back to its pool

    def _classify(self, url: str, attempt: _Attempt) -> Outcome:
        if attempt.failure is not None:
            return attempt.failure
        status = attempt.status
        final = attempt.final_url if attempt.hops else None
        if status not in self.options.accept:
            reason = _reason(status)
            via = f" (after redirect to {final})" if final else ""
            return Outcome(
                False, f"HTTP {status}{reason}{via}", "http-status", status=status, final_url=final
            )
        permanent = [s for s, _ in attempt.hops if s in PERMANENT_REDIRECTS]
        if permanent:
            message = f"permanent redirect ({permanent[0]}) to {attempt.final_url}"
            return Outcome(True, message, "redirect", Severity.WARNING, status, final)
        return Outcome(True, "", "ok", Severity.ERROR, status, final)

    def _fragment_outcome(self, url: str, fragment: str, attempt: _Attempt) -> Outcome:
        if attempt.anchors is None or fragment in ("", "top") or fragment.startswith(":~:"):
            return Outcome(True, status=attempt.status)
        if fragment in attempt.anchors:
            return Outcome(True, status=attempt.status)
        limit = f" (in the first {self.options.body_cap // 1024} KiB read)" if attempt.truncated else ""
        return Outcome(
            False, f"anchor #{fragment} not found in {url}{limit}", "missing-fragment", status=attempt.status
        )


def _small_body(response: httpx.Response) -> bool:
    """True when the body is announced and small enough to read so the connection stays reusable."""
    length = response.headers.get("content-length", "")
    return length.isdigit() and int(length) <= REUSE_BODY_LIMIT


def page_anchors(body: bytes) -> frozenset[str]:
    """Return the anchors (``id`` of any element, ``name`` of ``<a>``) of an HTML body."""
    from selectolax.lexbor import LexborHTMLParser  # only runs asked for fragments parse pages

    tree = LexborHTMLParser(body.decode("utf-8", errors="replace"))
    anchors = {n.attributes.get("id") or "" for n in tree.css("[id]")}
    anchors.update(n.attributes.get("name") or "" for n in tree.css("a[name]"))
    anchors.discard("")
    return frozenset(anchors)


async def _read_capped(response: httpx.Response, cap: int) -> tuple[bytes, bool]:
    """Read at most ``cap`` bytes of a streamed body; True as second value when more was left."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.aiter_bytes():
        chunks.append(chunk)
        size += len(chunk)
        if size >= cap:
            return b"".join(chunks)[:cap], True
    return b"".join(chunks), False


def _reason(status: int) -> str:
    try:
        from http import HTTPStatus

        return " " + HTTPStatus(status).phrase
    except ValueError:
        return ""


def _network_failure(exc: httpx.HTTPError) -> Outcome:
    if isinstance(exc, httpx.ConnectError):
        return Outcome(False, f"cannot connect: {_connect_reason(exc)}", "connection")
    if isinstance(exc, httpx.TimeoutException):
        return Outcome(False, "timed out", "timeout")
    return Outcome(False, f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__, "network")


def _connect_reason(exc: BaseException) -> str:
    """The root cause of a connection failure in plain words (refused, unknown host, …)."""
    cause: BaseException | None = exc
    seen = 0
    while cause is not None and seen < 10:
        if isinstance(cause, ConnectionRefusedError):
            return "connection refused"
        if isinstance(cause, socket.gaierror):
            return "host not found"
        cause = cause.__cause__ or cause.__context__
        seen += 1
    return str(exc) or "connection failed"


DEADLINE_DETAIL = "deadline"


def environment_proxies() -> bool:
    """True when ``HTTP_PROXY``, ``HTTPS_PROXY`` or ``ALL_PROXY`` (any case) is set, as httpx reads them."""
    proxies = getproxies()
    return any(proxies.get(scheme) for scheme in ("http", "https", "all"))


def default_transport(options: HttpOptions, tls: TlsContext, limits: httpx.Limits) -> AsyncioTransport | None:
    """The checker's transport: ``AsyncioTransport``, or None (httpx's own, in a client) when proxies apply.

    httpx applies proxies from the environment only with its own transports, so those are kept when
    ``trust_env`` is on and a proxy is set.
    """
    if options.trust_env and environment_proxies():
        return None
    return AsyncioTransport(tls, limits)


def tls_context() -> ssl.SSLContext:
    """The TLS context of https requests: ``SSL_CERT_FILE`` or certifi's certificates."""
    import certifi

    return ssl.create_default_context(cafile=os.environ.get("SSL_CERT_FILE") or certifi.where())


async def check_all(
    checker: HttpChecker,
    work: dict[str, set[str]],
    on_done: Callable[[str, UrlResult], None] | None = None,
    keep_idle: Callable[[int], Awaitable[None]] | None = None,
) -> dict[str, UrlResult]:
    """Check every URL of ``work`` (URL → fragments) concurrently within the overall deadline.

    URLs start in the order of ``work``, one per turn of the event loop: the first requests are on
    the wire while later URLs are still being prepared. (Started all at once, every task would
    take each step up to its first request — connect, lock, write — before any task took the
    next, so the first request would leave only once the whole first round was prepared: ~0.1 s
    later at 128 in flight.) URLs still unfinished when the deadline passes get a
    "not checked: deadline" outcome. After each URL, ``keep_idle`` (when given) is told how many
    are unfinished: no more idle connections than that can be used again.
    """
    deadline = checker.options.deadline
    results: dict[str, UrlResult] = {}

    async def one(url: str, fragments: set[str]) -> None:
        result = await checker.check(url, fragments)
        results[url] = result
        if on_done is not None:
            on_done(url, result)
        if keep_idle is not None:
            await keep_idle(len(work) - len(results))

    loop = asyncio.get_running_loop()
    end = loop.time() + deadline
    tasks = []
    for url, fragments in work.items():
        tasks.append(asyncio.create_task(one(url, fragments)))
        await asyncio.sleep(0)  # one start per loop turn: see the docstring
    if tasks:
        _, pending = await asyncio.wait(tasks, timeout=max(0.0, end - loop.time()))
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
    for url in work:
        if url not in results:
            message = f"not checked: deadline ({deadline:g} s) reached"
            results[url] = UrlResult(Outcome(False, message, DEADLINE_DETAIL))
            if on_done is not None:
                on_done(url, results[url])
    return results


def run_checks(
    work: dict[str, set[str]],
    options: HttpOptions,
    on_done: Callable[[str, UrlResult], None] | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
) -> dict[str, UrlResult]:
    """Run ``check_all`` in a fresh event loop (``run_sync``: works under a running loop too).

    Returns URL → result.

    Requests go to ``transport`` when one is given, else to ``AsyncioTransport`` (httpx over asyncio
    streams with a per-origin pool, see ``network``; its TLS context is built on the first https
    request), else, when proxies are set in the environment, through an ``httpx.AsyncClient`` with
    httpx's own transports, which apply them.
    """

    async def main() -> dict[str, UrlResult]:
        limits = httpx.Limits(
            max_connections=options.concurrency, max_keepalive_connections=options.concurrency
        )
        async with contextlib.AsyncExitStack() as stack:
            chosen = transport or default_transport(options, tls_context, limits)
            send: Send
            keep_idle = chosen.keep_idle if isinstance(chosen, AsyncioTransport) else None
            if chosen is not None:
                send = (await stack.enter_async_context(chosen)).handle_async_request
            else:
                client = httpx.AsyncClient(
                    limits=limits,
                    timeout=httpx.Timeout(options.timeout),
                    follow_redirects=False,
                    trust_env=options.trust_env,
                    verify=tls_context(),
                )
                send = partial((await stack.enter_async_context(client)).send, stream=True)
            limiter = Limiter(options.concurrency, options.per_host, options.host_interval)
            return await check_all(HttpChecker(send, options, limiter), work, on_done, keep_idle)

    return run_sync(main)
