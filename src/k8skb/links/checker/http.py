"""Check external URLs over HTTP: HEAD first, GET when refused, redirects followed by hand, bodies capped.

Flow for one URL (``HttpChecker.check``): attempt → on a retryable result (timeout, dropped
connection, 429, 5xx) wait (``Retry-After`` or backoff, outside every limiter slot) and attempt again
→ classify the last result against the accepted statuses. One attempt: HEAD; if the server refuses
HEAD (405, 501, 403, …) or anchors are needed, GET. Every hop of a redirect chain is a separate
request through the limiter, so loops are seen and permanent redirects (301/308) are reported.
A response body is streamed and read only up to a byte cap (and only when anchors are needed);
each request has a hard timeout, counted from when it gets its limiter slot (a queue is not a slow
server). ``check_all`` runs many URLs under an overall deadline: whatever is unfinished then is
reported as "not checked: deadline".

Requests go through one ``httpx.AsyncClient`` (connection pool, TLS, proxies and ``SSL_CERT_FILE``
from the environment when ``trust_env`` is on). Its cookie jar is disabled: cookies live within one
URL's check (a cookie set by one response of a redirect chain, or before a GET fallback or a retry,
is sent on the following requests of that URL), so no result depends on which URL was checked first.
``HttpOptions``, ``UrlResult`` and ``parse_accept`` live in ``options``, so code that only needs them
does not import httpx.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.cookiejar import CookieJar, DefaultCookiePolicy

import httpx

from k8skb.links.aio import run_sync
from k8skb.links.filter import fragment_found
from k8skb.links.options import HttpOptions, UrlResult
from k8skb.links.ratelimit import Limiter
from k8skb.links.retry import parse_retry_after, retryable_status
from k8skb.links.types import Outcome, Severity

HEAD_REFUSED = frozenset({400, 403, 405, 406, 501})
"""Statuses after which HEAD is retried as GET: servers that refuse or mishandle HEAD answer these."""
PERMANENT_REDIRECTS = frozenset({301, 308})
REDIRECTS = frozenset({301, 302, 303, 307, 308})
REUSE_BODY_LIMIT = 16 * 1024
"""A body announced up to this size is read (and the connection kept); a bigger one closes the connection."""
DEADLINE_DETAIL = "deadline"


@dataclass(slots=True)
class _Attempt:
    """What one attempt at a URL gave (filled in as it goes)."""

    final_url: str = ""
    status: int = 0
    hops: list[tuple[int, str]] = field(default_factory=list)
    anchors: frozenset[str] | None = None
    truncated: bool = False
    retry_after: str | None = None
    failure: Outcome | None = None
    retryable: bool = False


@dataclass(slots=True)
class _Cookies:
    """The cookies of one URL's check: none until a response sets one (most never do)."""

    jar: httpx.Cookies | None = None

    def add_to(self, request: httpx.Request) -> None:
        if self.jar is not None:
            self.jar.set_cookie_header(request)

    def take_from(self, response: httpx.Response) -> bool:
        """Store the cookies ``response`` sets; True when it set any."""
        if "set-cookie" not in response.headers:
            return False
        if self.jar is None:
            self.jar = httpx.Cookies()
        self.jar.extract_cookies(response)
        return True


def no_cookie_jar() -> CookieJar:
    """A cookie jar that stores nothing: the client's own jar would share cookies between URLs."""
    return CookieJar(policy=DefaultCookiePolicy(allowed_domains=[]))


def make_client(options: HttpOptions, transport: httpx.AsyncBaseTransport | None = None) -> httpx.AsyncClient:
    """The one HTTP client of a run: pool limits, timeouts, no automatic redirects, no shared cookies.

    ``transport`` replaces httpx's own (tests pass ``httpx.MockTransport``); proxies from the
    environment apply only with httpx's own transport.
    """
    return httpx.AsyncClient(
        headers={"User-Agent": options.user_agent, "Accept": "text/html,*/*;q=0.8"},
        cookies=no_cookie_jar(),
        timeout=httpx.Timeout(options.timeout),
        limits=httpx.Limits(
            max_connections=options.concurrency, max_keepalive_connections=options.concurrency
        ),
        follow_redirects=False,
        trust_env=options.trust_env,
        transport=transport,
        event_hooks={"response": [_check_location]},
    )


class InvalidUrlError(ValueError):
    """A URL that cannot be requested (bad port, malformed IPv6 address, no host, …)."""


def parse_url(url: str) -> httpx.URL:
    """``url`` as httpx understands it; ``InvalidUrlError`` when it cannot be requested over http(s)."""
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, ValueError, TypeError) as exc:
        raise InvalidUrlError(str(exc) or "malformed URL") from exc
    if parsed.scheme not in ("http", "https"):
        raise InvalidUrlError(f"not an http(s) URL: {parsed.scheme or 'no scheme'}")
    if not parsed.host:
        raise InvalidUrlError("no host")
    if parsed.port is not None and not 0 < parsed.port < 65536:
        raise InvalidUrlError(f"port {parsed.port} out of range")
    return parsed


def redirect_target(base: httpx.URL, location: str) -> str:
    """Where a ``Location`` header sent from ``base`` points (no fragment); ``InvalidUrlError`` if nowhere."""
    try:
        joined = base.join(location)
    except (httpx.InvalidURL, ValueError, TypeError) as exc:
        raise InvalidUrlError(str(exc) or "malformed URL") from exc
    target = str(joined.copy_with(fragment=None))
    parse_url(target)
    return target


class InvalidRedirectError(Exception):
    """A redirect whose ``Location`` cannot be followed."""

    def __init__(self, status: int, location: str, reason: str) -> None:
        super().__init__(f"invalid redirect (HTTP {status}) to {location!r}: {reason}")
        self.status = status


async def _check_location(response: httpx.Response) -> None:
    """Response hook: a redirect to an unusable ``Location`` fails as such (not as a protocol error)."""
    location = response.headers.get("location")
    if response.status_code in REDIRECTS and location is not None:
        try:
            redirect_target(response.url, location)
        except InvalidUrlError as exc:
            raise InvalidRedirectError(response.status_code, location, str(exc)) from exc


class HttpChecker:
    """Checks URLs: every request through ``client`` within a shared ``Limiter``."""

    def __init__(self, client: httpx.AsyncClient, options: HttpOptions, limiter: Limiter) -> None:
        self.client = client
        self.options = options
        self.limiter = limiter

    async def check(self, url: str, fragments: Iterable[str] = ()) -> UrlResult:
        """Check ``url`` (no fragment) and, when ``fragments`` is given, that the page has those anchors."""
        try:
            parse_url(url)
        except InvalidUrlError as exc:
            return UrlResult(outcome=Outcome(ok=False, message=f"invalid URL: {exc}", detail="invalid-url"))
        wanted = sorted(set(fragments))
        policy = self.options.retry
        attempt = _Attempt()
        cookies = _Cookies()
        for number in range(policy.retries + 1):
            attempt = await self._attempt(url, need_body=bool(wanted), cookies=cookies)
            if not attempt.retryable or number == policy.retries:
                break
            await asyncio.sleep(policy.delay(number, attempt.retry_after))
        outcome = self._classify(attempt)
        if not outcome.ok or not wanted:
            return UrlResult(outcome=outcome)
        return UrlResult(
            outcome=outcome, fragments={f: self._fragment_outcome(url, f, attempt) for f in wanted}
        )

    async def _attempt(self, url: str, need_body: bool, cookies: _Cookies) -> _Attempt:
        if not need_body:
            result = await self._follow(url, "HEAD", False, cookies)
            if result.failure is None and result.status not in HEAD_REFUSED:
                return result
            if result.failure is not None and result.failure.detail in (
                "timeout",
                "redirect-loop",
                "redirects",
                "invalid-redirect",
            ):
                return result
        return await self._follow(url, "GET", need_body, cookies)

    async def _follow(self, url: str, method: str, need_body: bool, cookies: _Cookies) -> _Attempt:
        result = _Attempt(final_url=url)
        seen = {url}
        retried_with_cookie: set[str] = set()
        current = url
        for _ in range(self.options.max_redirects + 1):
            try:
                status, location, retry_after, set_cookie = await self._request(
                    method, current, need_body, result, cookies
                )
            except InvalidRedirectError as exc:
                result.failure = Outcome(
                    ok=False, message=str(exc), detail="invalid-redirect", status=exc.status
                )
                return result
            except TimeoutError:
                result.failure = Outcome(
                    ok=False, message=f"timed out after {self.options.timeout:g} s", detail="timeout"
                )
                result.retryable = True
                return result
            except (httpx.HTTPError, OSError) as exc:
                result.failure = _network_failure(exc)
                result.retryable = not isinstance(exc, httpx.ConnectError | httpx.UnsupportedProtocol)
                return result
            result.status, result.final_url, result.retry_after = status, current, retry_after
            if status not in REDIRECTS or location is None:
                result.retryable = retryable_status(status)
                asked = parse_retry_after(retry_after) if result.retryable else None
                if asked is not None:  # the server asks the client, not this URL, to wait
                    host = httpx.URL(current).netloc.decode("ascii")
                    self.limiter.pause(host, min(asked, self.options.retry.max_retry_after))
                return result
            target = redirect_target(httpx.URL(current), location)  # valid: see _check_location
            result.hops.append((status, target))
            if target in seen:
                if set_cookie and target not in retried_with_cookie:
                    # a login or consent gate: the same URL again, now with the cookie (as browsers do)
                    retried_with_cookie.add(target)
                    current = target
                    continue
                chain = " → ".join([url, *(h[1] for h in result.hops)])
                result.failure = Outcome(
                    ok=False, message=f"redirect loop: {chain}", detail="redirect-loop", status=status
                )
                return result
            seen.add(target)
            current = target
            if method == "HEAD" and status == 303:
                method = "GET"
        result.failure = Outcome(
            ok=False, message=f"more than {self.options.max_redirects} redirects", detail="redirects"
        )
        return result

    async def _request(
        self, method: str, url: str, need_body: bool, result: _Attempt, cookies: _Cookies
    ) -> tuple[int, str | None, str | None, bool]:
        """One request: (status, Location, Retry-After, whether it set a cookie)."""
        request = self.client.build_request(method, url)
        cookies.add_to(request)
        host = request.url.netloc.decode("ascii")
        # the timeout starts once the request has its slot: waiting for one is not the server's fault
        async with self.limiter.slot(host), asyncio.timeout(self.options.timeout):
            response = await self.client.send(request, stream=True)
            try:
                set_cookie = cookies.take_from(response)
                status = response.status_code
                if need_body and status not in REDIRECTS and status in self.options.accept:
                    content_type = response.headers.get("content-type", "")
                    if "html" in content_type or not content_type:
                        body, result.truncated = await _read_capped(response, self.options.body_cap)
                        result.anchors = page_anchors(body)
                elif method == "HEAD" or _small_body(response):
                    await response.aread()  # consumed to the end: the connection can be reused
                headers = response.headers
                return status, headers.get("location"), headers.get("retry-after"), set_cookie
            finally:
                await response.aclose()  # the connection goes back to its pool (or is closed)

    def _classify(self, attempt: _Attempt) -> Outcome:
        if attempt.failure is not None:
            return attempt.failure
        status = attempt.status
        final = attempt.final_url if attempt.hops else None
        if status not in self.options.accept:
            via = f" (after redirect to {final})" if final else ""
            return Outcome(
                ok=False,
                message=f"HTTP {status}{_reason(status)}{via}",
                detail="http-status",
                status=status,
                final_url=final,
            )
        permanent = [s for s, _ in attempt.hops if s in PERMANENT_REDIRECTS]
        if permanent:
            return Outcome(
                ok=True,
                message=f"permanent redirect ({permanent[0]}) to {attempt.final_url}",
                detail="redirect",
                severity=Severity.WARNING,
                status=status,
                final_url=final,
            )
        return Outcome(ok=True, status=status, final_url=final)

    def _fragment_outcome(self, url: str, fragment: str, attempt: _Attempt) -> Outcome:
        if attempt.anchors is None or fragment_found(fragment, attempt.anchors):
            return Outcome(ok=True, status=attempt.status)
        limit = f" (in the first {self.options.body_cap // 1024} KiB read)" if attempt.truncated else ""
        return Outcome(
            ok=False,
            message=f"anchor #{fragment} not found in {url}{limit}",
            detail="missing-fragment",
            status=attempt.status,
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
    from http import HTTPStatus

    try:
        return " " + HTTPStatus(status).phrase
    except ValueError:
        return ""


def _network_failure(exc: BaseException) -> Outcome:
    if isinstance(exc, httpx.ConnectError):
        return Outcome(ok=False, message=f"cannot connect: {_connect_reason(exc)}", detail="connection")
    if isinstance(exc, httpx.TimeoutException):
        return Outcome(ok=False, message="timed out", detail="timeout")
    if isinstance(exc, httpx.UnsupportedProtocol):
        return Outcome(ok=False, message=f"invalid URL: {exc}", detail="invalid-url")
    text = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    return Outcome(ok=False, message=text, detail="network")


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


def failed_check(exc: Exception) -> Outcome:
    """The outcome of a check that raised ``exc``: reported for its URL, never lost."""
    return Outcome(ok=False, message=f"check failed: {type(exc).__name__}: {exc}", detail="check-failed")


async def check_all(
    checker: HttpChecker,
    work: dict[str, set[str]],
    on_done: Callable[[str, UrlResult], None] | None = None,
) -> dict[str, UrlResult]:
    """Check every URL of ``work`` (URL → fragments) concurrently within the overall deadline.

    URLs start in the order of ``work``, one per turn of the event loop, so the first requests are
    on the wire while later URLs are still being prepared. A check that raises becomes its URL's
    problem (``check-failed``); URLs still unfinished when the deadline passes get a
    "not checked: deadline" outcome.
    """
    deadline = checker.options.deadline
    results: dict[str, UrlResult] = {}

    async def one(url: str, fragments: set[str]) -> None:
        try:
            result = await checker.check(url, fragments)
        except Exception as exc:  # any failure belongs to this URL's report, not to the run
            result = UrlResult(outcome=failed_check(exc))
        results[url] = result
        if on_done is not None:
            on_done(url, result)

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
            results[url] = UrlResult(outcome=Outcome(ok=False, message=message, detail=DEADLINE_DETAIL))
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

    Returns URL → result. ``transport`` replaces httpx's own (see ``make_client``).
    """

    async def main() -> dict[str, UrlResult]:
        async with make_client(options, transport) as client:
            limiter = Limiter(options.concurrency, options.per_host, options.host_interval)
            return await check_all(HttpChecker(client, options, limiter), work, on_done)

    return run_sync(main)
