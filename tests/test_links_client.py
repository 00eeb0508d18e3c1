"""The link checker's HTTP/1.1 client against the local fault server: framing, encodings, reuse, proxies."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from k8skb.links.checker.client import bypass_proxy
from k8skb.links.checker.http import HttpOptions, run_checks
from k8skb.links.retry import RetryPolicy
from links_fault_server import FaultServer

pytestmark = pytest.mark.xdist_group("links-fault-server")

NO_RETRY = HttpOptions(
    timeout=2.0, deadline=10.0, concurrency=1, per_host=1, retry=RetryPolicy(retries=0), trust_env=False
)


@pytest.fixture
def server() -> Iterator[FaultServer]:
    with FaultServer() as running:
        yield running


def test_chunked_and_gzip_bodies_are_decoded_for_anchors(server: FaultServer) -> None:
    work = {server.url("/chunked"): {"here", "absent"}, server.url("/gzip"): {"named", "absent"}}
    got = run_checks(work, NO_RETRY)
    for url, present in ((server.url("/chunked"), "here"), (server.url("/gzip"), "named")):
        assert got[url].outcome.ok, got[url]
        assert got[url].fragments[present].ok and not got[url].fragments["absent"].ok, url
        assert "first" not in got[url].fragments["absent"].message  # the whole body was read


def test_connection_closed_by_the_server_between_requests_is_reopened(server: FaultServer) -> None:
    """One connection at a time, GET only (anchors wanted: no HEAD→GET second chance) and no retries: the
    URL after ``/closing`` must not fail on the kept-alive connection the server closed."""
    urls = [server.url(p) for p in ("/closing", "/ok", "/chunked", "/gzip")]
    got = run_checks({url: {"here"} for url in urls}, NO_RETRY)
    assert all(result.outcome.ok and result.fragments["here"].ok for result in got.values()), got
    assert server.hits["/ok"] == 1 and server.hits["/closing"] == 1


def test_http_proxy_from_the_environment_gets_absolute_form_requests(
    server: FaultServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy", "HTTPS_PROXY", "https_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HTTP_PROXY", server.url(""))
    monkeypatch.setenv("http_proxy", server.url(""))
    options = HttpOptions(timeout=2.0, deadline=10.0, retry=RetryPolicy(retries=0), trust_env=True)
    got = run_checks({"http://k8skb-test.invalid/ok": set()}, options)
    assert got["http://k8skb-test.invalid/ok"].outcome.ok and server.hits["(proxied)"] == 1
    monkeypatch.setenv("NO_PROXY", "k8skb-test.invalid")
    monkeypatch.setenv("no_proxy", "k8skb-test.invalid")
    bypassed = run_checks({"http://k8skb-test.invalid/ok": set()}, options)["http://k8skb-test.invalid/ok"]
    assert not bypassed.outcome.ok and bypassed.outcome.detail == "connection"
    assert server.hits["(proxied)"] == 1


def test_no_proxy_matching() -> None:
    assert bypass_proxy("docs.example.com", "example.com")
    assert bypass_proxy("example.com", ".example.com, other.org")
    assert bypass_proxy("anything", "*")
    assert bypass_proxy("127.0.0.1", "localhost,127.0.0.1:8080")
    assert not bypass_proxy("notexample.com", "example.com")
    assert not bypass_proxy("example.com", "")


def test_unsupported_redirect_target_is_a_plain_failure(server: FaultServer) -> None:
    got = run_checks({"ftp://127.0.0.1/file": set()}, NO_RETRY)
    outcome = got["ftp://127.0.0.1/file"].outcome
    assert not outcome.ok and "unsupported protocol" in outcome.message
