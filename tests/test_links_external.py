"""External checking against a local fault server: every fault classified, the run bounded by its deadline."""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Callable, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar

import pytest

from k8skb.links.aio import loop_running, run_sync
from k8skb.links.checker.http import run_checks
from k8skb.links.options import HttpOptions, UrlResult, parse_accept
from k8skb.links.pipeline import check_external
from k8skb.links.retry import RetryPolicy, parse_retry_after, retryable_status
from k8skb.links.types import Link, Occurrence, Severity
from links_fault_server import HUGE_SEND_CAP, FaultServer, closed_port_url

pytestmark = pytest.mark.xdist_group("links-fault-server")
T = TypeVar("T")

OPTIONS = HttpOptions(
    timeout=1.0,
    deadline=10.0,
    concurrency=16,
    per_host=16,
    body_cap=256 * 1024,
    retry=RetryPolicy(retries=1, backoff=0.2),
    trust_env=False,
)


@pytest.fixture(scope="module")
def server() -> Iterator[FaultServer]:
    with FaultServer() as running:
        yield running


@pytest.fixture(scope="module")
def results(server: FaultServer) -> tuple[dict[str, UrlResult], dict[str, float], float]:
    """One run over every fault: results, when each URL finished and when the run started (monotonic)."""
    paths = [
        "/ok",
        "/missing",
        "/gone",
        "/error",
        "/moved",
        "/temporary",
        "/loop-a",
        "/limited",
        "/no-head",
        "/slow",
        "/trickle",
        "/huge",
    ]
    work: dict[str, set[str]] = {server.url(p): set() for p in paths}
    work[closed_port_url()] = set()
    finished: dict[str, float] = {}
    start = time.monotonic()

    def done(url: str, _: UrlResult) -> None:
        finished.setdefault(url, time.monotonic())

    got = run_checks(work, OPTIONS, on_done=done)
    return got, finished, start


def outcome_of(results: tuple[dict[str, UrlResult], dict[str, float], float], url: str) -> UrlResult:
    return results[0][url]


def test_statuses_are_classified(
    server: FaultServer, results: tuple[dict[str, UrlResult], dict[str, float], float]
) -> None:
    ok = outcome_of(results, server.url("/ok")).outcome
    assert ok.ok and not ok.is_problem and ok.status == 200
    for path, status in (("/missing", 404), ("/gone", 410), ("/error", 500)):
        outcome = outcome_of(results, server.url(path)).outcome
        assert not outcome.ok and outcome.status == status and outcome.detail == "http-status", path
    assert server.hits["/error"] == 2  # retried once (5xx), HEAD both times


def test_permanent_redirect_chain_is_a_warning_naming_the_new_url(
    server: FaultServer, results: tuple[dict[str, UrlResult], dict[str, float], float]
) -> None:
    outcome = outcome_of(results, server.url("/moved")).outcome
    assert outcome.ok and outcome.is_problem and outcome.severity is Severity.WARNING
    assert outcome.detail == "redirect" and outcome.final_url == server.url("/ok")
    assert server.url("/ok") in outcome.message and "301" in outcome.message
    temporary = outcome_of(results, server.url("/temporary")).outcome
    assert temporary.ok and not temporary.is_problem


def test_redirect_loop_is_detected(
    server: FaultServer, results: tuple[dict[str, UrlResult], dict[str, float], float]
) -> None:
    outcome = outcome_of(results, server.url("/loop-a")).outcome
    assert not outcome.ok and outcome.detail == "redirect-loop"
    assert server.hits["/loop-a"] <= 2


def test_429_is_retried_after_its_retry_after(
    server: FaultServer, results: tuple[dict[str, UrlResult], dict[str, float], float]
) -> None:
    assert outcome_of(results, server.url("/limited")).outcome.ok
    times = [t for t, _, path in server.log if path == "/limited"]
    assert len(times) == 2 and times[1] - times[0] >= 0.95
    finished = results[1]
    assert finished[server.url("/ok")] < times[1]  # the same host was not held back by the wait


def test_head_refused_falls_back_to_get(
    server: FaultServer, results: tuple[dict[str, UrlResult], dict[str, float], float]
) -> None:
    assert outcome_of(results, server.url("/no-head")).outcome.ok
    assert [m for _, m, p in server.log if p == "/no-head"] == ["HEAD", "GET"]


def test_slow_response_times_out(
    server: FaultServer, results: tuple[dict[str, UrlResult], dict[str, float], float]
) -> None:
    outcome = outcome_of(results, server.url("/slow")).outcome
    assert not outcome.ok and outcome.detail == "timeout"


def test_endless_body_does_not_block_a_status_check(
    server: FaultServer, results: tuple[dict[str, UrlResult], dict[str, float], float]
) -> None:
    """The check ends while the server is still sending: the body was not read to its end."""
    assert outcome_of(results, server.url("/trickle")).outcome.ok
    ended = [t for t, method, path in server.log if method == "END" and path == "/trickle"]
    assert ended and results[1][server.url("/trickle")] < ended[0]


def test_huge_body_is_not_downloaded(
    server: FaultServer, results: tuple[dict[str, UrlResult], dict[str, float], float]
) -> None:
    assert outcome_of(results, server.url("/huge")).outcome.ok
    assert server.sent["/huge"] < HUGE_SEND_CAP // 4


def test_connection_refused(results: tuple[dict[str, UrlResult], dict[str, float], float]) -> None:
    refused = [r for url, r in results[0].items() if "/ok" not in url and r.outcome.detail == "connection"]
    assert len(refused) == 1 and "refused" in refused[0].outcome.message


def test_every_url_finished_before_the_deadline(
    results: tuple[dict[str, UrlResult], dict[str, float], float],
) -> None:
    assert all(r.outcome.detail != "deadline" for r in results[0].values())


def test_fragments_read_only_up_to_the_cap() -> None:
    with FaultServer() as server:
        work = {
            server.url("/ok"): {"here", "named", "absent"},
            server.url("/huge"): {"deep"},
            server.url("/trickle"): {"x"},
        }
        got = run_checks(work, OPTIONS)
        fragments = got[server.url("/ok")].fragments
        assert fragments["here"].ok and fragments["named"].ok
        assert not fragments["absent"].ok and fragments["absent"].detail == "missing-fragment"
        huge = got[server.url("/huge")]
        assert (
            huge.outcome.ok
            and not huge.fragments["deep"].ok
            and "first 256 KiB" in huge.fragments["deep"].message
        )
        assert server.sent["/huge"] < HUGE_SEND_CAP // 4
        assert got[server.url("/trickle")].outcome.detail == "timeout"


def test_request_timeout_does_not_count_the_wait_for_a_slot() -> None:
    """One slot, four URLs of 0.4 s each, a 1 s timeout: the last waits 1.2 s but its request is fast."""
    options = HttpOptions(
        timeout=1.0, concurrency=1, per_host=1, retry=RetryPolicy(retries=0), trust_env=False
    )
    with FaultServer() as server:
        urls = [server.url(f"/pause?n={n}") for n in range(4)]
        got = run_checks({url: set() for url in urls}, options)
    assert [got[url].outcome.detail for url in urls] == ["ok"] * 4
    assert server.hits["/pause"] == 4


def test_deadline_reports_unfinished_urls() -> None:
    options = HttpOptions(timeout=5.0, deadline=0.8, retry=RetryPolicy(retries=0), trust_env=False)
    with FaultServer() as server:
        got = run_checks({server.url("/slow"): set(), server.url("/ok"): set()}, options)
    assert got[server.url("/ok")].outcome.ok
    slow = got[server.url("/slow")].outcome
    assert not slow.ok and slow.detail == "deadline" and slow.message.startswith("not checked: deadline")


def test_retry_after_parsing() -> None:
    assert parse_retry_after("1") == 1.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:05 GMT", now=1445412480.0) == pytest.approx(5.0)
    assert parse_retry_after("soon") is None and parse_retry_after(None) is None
    assert RetryPolicy(max_retry_after=3).delay(0, "120") == 3
    assert RetryPolicy(backoff=0.5).delay(2, None) == 2.0
    assert (
        retryable_status(429)
        and retryable_status(503)
        and not retryable_status(501)
        and not retryable_status(404)
    )


def test_parse_accept() -> None:
    assert parse_accept("200..204,403") == frozenset({200, 201, 202, 203, 204, 403})
    for bad in ("", "abc", "300..200", "99"):
        with pytest.raises(ValueError):
            parse_accept(bad)


def in_own_thread(function: Callable[[], T]) -> T:
    """Run ``function`` in a new thread, so a scenario that sets up its own running event loop works even
    when the test's thread already has one (Playwright's sync API leaves one running in the xdist worker)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function).result()


def test_failed_urls_are_located_on_every_page_at_once(server: FaultServer, tmp_path: Path) -> None:
    """Line:column of each occurrence of each failed URL and fragment, repeated links included."""
    missing, gone, ok = server.url("/missing"), server.url("/gone"), server.url("/ok")
    pages = {
        "a.html": f'<a href="{missing}">1</a>\n<a href="{gone}">2</a>\n  <a href="{missing}">3</a>\n',
        "b.html": f'<p>\n<a href="{ok}#absent">4</a> <a href="{gone}">5</a>\n<a href="{ok}">6</a>\n',
    }
    links = []
    for name, text in pages.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        for url in re.findall(r'href="([^"]+)"', text):
            links.append(Link(url=url, occurrence=Occurrence(path=name, attribute="href", url=url)))
    reference = Link(
        url=gone, occurrence=Occurrence(path="glossary/x.yaml", line=7, attribute="reference", url=gone)
    )
    got = check_external([*links, reference], OPTIONS, include_fragments=True, site_root=tmp_path)
    where = {p.target: [o.where() for o in p.occurrences] for p in got.problems}
    column = pages["b.html"].splitlines()[1].index(f'<a href="{gone}"') + 1
    assert where == {
        missing: ["a.html:1:1", "a.html:3:3"],
        gone: ["glossary/x.yaml:7", "a.html:2:1", f"b.html:2:{column}"],  # the glossary line first
        f"{ok}#absent": ["b.html:2:1"],
    }


def test_sync_api_works_while_an_event_loop_runs_in_the_calling_thread(server: FaultServer) -> None:
    """Hosts such as Jupyter or an async application call the sync API from inside a running loop."""
    links = [
        Link(url=server.url(p), occurrence=Occurrence(path="page.html", attribute="href"))
        for p in ("/ok", "/missing")
    ]

    async def host() -> tuple[bool, list[str], dict[str, UrlResult]]:
        running = loop_running()
        external = check_external(links, OPTIONS, site_root=None)
        direct = run_checks({server.url("/gone"): set()}, OPTIONS)
        return running, [p.target for p in external.problems], direct

    running, problems, direct = in_own_thread(lambda: asyncio.run(host()))
    assert running and problems == [server.url("/missing")]
    assert direct[server.url("/gone")].outcome.status == 410


def test_sync_api_works_with_a_loop_left_running_by_another_library(server: FaultServer) -> None:
    """A loop set running in the thread and left so (what Playwright's sync API does between calls)."""
    got: dict[str, UrlResult] = {}

    def scenario() -> None:
        loop = asyncio.new_event_loop()

        def call_sync_api() -> None:
            try:
                got.update(run_checks({server.url("/ok"): {"here"}}, OPTIONS))
            finally:
                loop.stop()

        loop.call_soon(call_sync_api)
        try:
            loop.run_forever()
        finally:
            loop.close()

    in_own_thread(scenario)
    assert got[server.url("/ok")].outcome.ok and got[server.url("/ok")].fragments["here"].ok


def test_run_sync_propagates_results_and_errors() -> None:
    async def answer() -> int:
        return 42

    async def fail() -> int:
        raise ValueError("boom")

    async def nested(factory: Callable[[], Coroutine[Any, Any, int]]) -> int:
        return run_sync(factory)

    assert run_sync(answer) == 42
    assert in_own_thread(lambda: asyncio.run(nested(answer))) == 42
    with pytest.raises(ValueError, match="boom"):
        in_own_thread(lambda: asyncio.run(nested(fail)))


def test_the_first_url_is_answered_before_the_last_one_is_sent() -> None:
    """URLs start one per loop turn, so the first requests do not wait for every URL to be prepared."""
    import httpx

    events: list[str] = []

    class Instant(httpx.AsyncBaseTransport):
        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            events.append(f"sent {request.url.path}")
            await asyncio.sleep(0)  # the network: one loop turn
            return httpx.Response(200, request=request)

    urls = [f"http://127.0.0.1:9/u{i}" for i in range(50)]
    run_checks(
        {url: set() for url in urls},
        HttpOptions(concurrency=64, per_host=64, trust_env=False),
        on_done=lambda url, _: events.append(f"done {url.rsplit('/', 1)[1]}"),
        transport=Instant(),
    )
    assert events.index("done u0") < events.index("sent /u49")
    assert [e for e in events if e.startswith("sent")] == [f"sent /u{i}" for i in range(50)]  # page order


def test_cache_file_is_one_line_of_json_that_loads_back(tmp_path: Path) -> None:
    from k8skb.links import cache as link_cache
    from k8skb.links.types import Outcome

    path = tmp_path / "cache.json"
    cache = link_cache.LinkCache(max_age=3600)
    cache.record("https://example.test/a", Outcome(ok=True, status=200))
    cache.record(
        "https://example.test/ページ",
        Outcome(
            ok=True, message="permanent redirect", detail="redirect", severity=Severity.WARNING, status=301
        ),
    )
    link_cache.save(path, cache)
    text = path.read_text(encoding="utf-8")
    assert text.count("\n") == 1 and "ページ" in text  # one line, not ASCII-escaped
    loaded = link_cache.load(path, 3600)
    assert loaded.get("https://example.test/a") == Outcome(ok=True, status=200)
    assert loaded.get("https://example.test/ページ") == Outcome(
        ok=True, message="permanent redirect", detail="redirect", severity=Severity.WARNING, status=301
    )


def test_cookies_follow_one_urls_redirects_only() -> None:
    """A cookie set on a redirect is sent on the next hop of that URL, never on another URL's requests."""
    import httpx

    seen: list[tuple[str, str]] = []

    def gate(request: httpx.Request) -> httpx.Response:
        cookie = request.headers.get("cookie", "")
        seen.append((request.url.path, cookie))
        if request.url.path == "/login":
            return httpx.Response(302, headers={"Set-Cookie": "session=1; Path=/", "Location": "/home"})
        if request.url.path == "/home" and cookie != "session=1":
            return httpx.Response(302, headers={"Location": "/login"})
        return httpx.Response(200)

    options = HttpOptions(trust_env=False, concurrency=1, per_host=1)
    urls = ["http://127.0.0.1:9/login", "http://127.0.0.1:9/other"]
    got = run_checks({url: set() for url in urls}, options, transport=httpx.MockTransport(gate))
    assert got[urls[0]].outcome.ok and got[urls[0]].outcome.detail == "ok", got[urls[0]].outcome
    assert ("/home", "session=1") in seen and ("/other", "") in seen


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("http://127.0.0.1:99999/", "port"),
        ("http://[::1/", "invalid URL"),
        ("http:///no-host", "invalid URL"),
    ],
)
def test_a_url_that_cannot_be_requested_is_reported_as_invalid(url: str, words: str) -> None:
    """Reported for that URL at once, with its own rule; the other URLs of the run are checked."""
    import httpx

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200)

    ok = "http://127.0.0.1:9/fine"
    got = run_checks({url: set(), ok: set()}, OPTIONS, transport=httpx.MockTransport(answer))
    assert got[url].outcome.detail == "invalid-url" and words in got[url].outcome.message
    assert got[ok].outcome.ok


@pytest.mark.parametrize("location", ["http://[::1/x", "http://127.0.0.1:99999/x", "ftp://example.test/"])
def test_a_bad_location_header_is_an_invalid_redirect(location: str) -> None:
    import httpx

    def redirect(request: httpx.Request) -> httpx.Response:
        return httpx.Response(302, headers={"Location": location})

    url = "http://127.0.0.1:9/moved"
    got = run_checks({url: set()}, OPTIONS, transport=httpx.MockTransport(redirect))
    outcome = got[url].outcome
    assert outcome.detail == "invalid-redirect" and location in outcome.message and outcome.status == 302


def test_an_exception_inside_one_check_is_that_urls_problem() -> None:
    """Whatever a check raises is reported for its URL (rule ``check-failed``), never as the deadline."""
    import httpx

    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/bug":
            raise RuntimeError("unexpected")
        return httpx.Response(200)

    bug, ok = "http://127.0.0.1:9/bug", "http://127.0.0.1:9/ok"
    got = run_checks({bug: set(), ok: set()}, OPTIONS, transport=httpx.MockTransport(answer))
    assert got[bug].outcome.detail == "check-failed" and "unexpected" in got[bug].outcome.message
    assert got[ok].outcome.ok


def test_proxies_from_the_environment_are_used(monkeypatch: pytest.MonkeyPatch, server: FaultServer) -> None:
    """With ``trust_env``, ``HTTP_PROXY`` sends requests through the proxy (here the fault server)."""
    for name in ("NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy", "HTTPS_PROXY", "https_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{server.port}")
    monkeypatch.delenv("http_proxy", raising=False)
    before = server.hits["/proxied"]
    url = "http://proxied.invalid/proxied"
    got = run_checks({url: set()}, replace(OPTIONS, trust_env=True))
    assert got[url].outcome.status == 404 and server.hits["/proxied"] == before + 1


def test_429_pauses_the_whole_host_until_retry_after() -> None:
    """After a 429 with Retry-After, no request of any URL reaches that host before the time is up."""
    options = HttpOptions(
        timeout=2.0, concurrency=1, per_host=1, retry=RetryPolicy(retries=1, backoff=0.01), trust_env=False
    )
    with FaultServer() as server:
        urls = [server.url("/limited"), server.url("/ok?a"), server.url("/ok?b")]
        got = run_checks({url: set() for url in urls}, options)
        log = list(server.log)
    assert all(got[url].outcome.ok for url in urls)
    limited = next(t for t, _, path in log if path == "/limited")
    after = [t for t, _, path in log if path != "/limited"]
    assert len(after) == 2 and min(after) - limited >= 0.95


def test_408_is_retried() -> None:
    import httpx

    calls: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        calls.append(request.method)
        return httpx.Response(408 if len(calls) == 1 else 200)

    options = HttpOptions(retry=RetryPolicy(retries=1, backoff=0.01), trust_env=False)
    url = "http://127.0.0.1:9/slowpoke"
    got = run_checks({url: set()}, options, transport=httpx.MockTransport(answer))
    assert got[url].outcome.ok and calls == ["HEAD", "HEAD"]


def test_a_redirect_to_itself_that_sets_a_cookie_is_followed_once_with_it() -> None:
    """A cookie gate (302 to the same URL with Set-Cookie) is what browsers pass, not a loop."""
    import httpx

    def gate(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/gate" and "seen=1" not in request.headers.get("cookie", ""):
            return httpx.Response(302, headers={"Location": "/gate", "Set-Cookie": "seen=1; Path=/"})
        if request.url.path == "/loop":
            return httpx.Response(302, headers={"Location": "/loop", "Set-Cookie": "again=1; Path=/"})
        return httpx.Response(200)

    gated, looping = "http://127.0.0.1:9/gate", "http://127.0.0.1:9/loop"
    got = run_checks({gated: set(), looping: set()}, OPTIONS, transport=httpx.MockTransport(gate))
    assert got[gated].outcome.ok and got[gated].outcome.detail == "ok"
    assert got[looping].outcome.detail == "redirect-loop"


def test_external_fragments_are_found_as_browsers_find_them() -> None:
    import httpx

    page = '<p id="a%20b"></p><p id="café"></p><h1 id="here"></h1>'

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"Content-Type": "text/html"}, content=page.encode())

    url = "http://127.0.0.1:9/page"
    wanted = {"a%20b", "caf%C3%A9", "TOP", "here:~:text=x", ":~:text=y", "absent"}
    got = run_checks({url: wanted}, OPTIONS, transport=httpx.MockTransport(answer))
    assert {f for f, outcome in got[url].fragments.items() if not outcome.ok} == {"absent"}
