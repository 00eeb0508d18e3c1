"""What shapes the external check, without the HTTP stack: options, accepted statuses, one URL's result.

Flow: the command parses ``--accept`` (``parse_accept``) and the other flags into ``HttpOptions`` →
``pipeline.check_external`` answers from the cache what it can and only then imports
``checker.http`` (httpx) for the rest → each URL comes back as a ``UrlResult``. Keeping these here
lets ``--offline`` runs and cache-only runs do without the HTTP stack.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from k8skb.links.retry import RetryPolicy
from k8skb.links.types import Outcome

USER_AGENT = "k8skb-links/0.1 (link checker)"


def parse_accept(text: str) -> frozenset[int]:
    """Parse accepted statuses such as ``200..299,403`` (ranges inclusive); ``ValueError`` when malformed."""
    accepted: set[int] = set()
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        low, sep, high = part.partition("..")
        if not sep:
            low, sep, high = part.partition("-")
        first, last = int(low), int(high) if sep else int(low)
        if not (100 <= first <= last <= 999):
            raise ValueError(f"invalid status range {part!r}")
        accepted.update(range(first, last + 1))
    if not accepted:
        raise ValueError("no status codes given")
    return frozenset(accepted)


@dataclass(frozen=True, slots=True, kw_only=True)
class HttpOptions:
    """Everything that shapes the external check."""

    timeout: float = 10.0
    deadline: float = 300.0
    concurrency: int = 64
    per_host: int = 8
    host_interval: float = 0.0
    accept: frozenset[int] = frozenset(range(200, 300))
    max_redirects: int = 10
    body_cap: int = 2 * 1024 * 1024
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    user_agent: str = USER_AGENT
    trust_env: bool = True


NO_FRAGMENTS: Mapping[str, Outcome] = MappingProxyType({})


@dataclass(frozen=True, slots=True, kw_only=True)
class UrlResult:
    """What one URL gave: the page outcome and, when anchors were asked for, the outcome of each."""

    outcome: Outcome
    fragments: Mapping[str, Outcome] = field(default_factory=lambda: NO_FRAGMENTS)
