"""When to try a URL again, and how long to wait first.

Flow: a failed attempt is classified (``retryable_status``: 408, 429 and 5xx; timeouts and dropped
connections are retryable in ``checker/http.py``) → the wait is the server's ``Retry-After`` when
given (seconds or an HTTP date, capped) or an exponential backoff otherwise. The wait delays only
the URL that got it (the caller sleeps outside every limiter); a ``Retry-After`` also pauses the
whole host in the limiter (``ratelimit.Limiter.pause``), since the server asked the client to slow down.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

RETRYABLE_STATUSES = frozenset({408, 429, 500, 502, 503, 504, 507, 508, 509, 520, 521, 522, 523, 524})


@dataclass(frozen=True, slots=True, kw_only=True)
class RetryPolicy:
    """How many extra attempts, the first backoff, and the longest wait accepted from ``Retry-After``."""

    retries: int = 2
    backoff: float = 0.5
    max_backoff: float = 8.0
    max_retry_after: float = 60.0

    def backoff_delay(self, attempt: int) -> float:
        """The wait before retry number ``attempt`` (0-based): ``backoff × 2^attempt``, capped."""
        return float(min(self.max_backoff, self.backoff * (2**attempt)))

    def delay(self, attempt: int, retry_after: str | None, now: float | None = None) -> float:
        """The wait before the next attempt: the server's ``Retry-After`` when valid, else backoff."""
        asked = parse_retry_after(retry_after, now)
        if asked is not None:
            return min(asked, self.max_retry_after)
        return self.backoff_delay(attempt)


def retryable_status(status: int) -> bool:
    """True for statuses worth another try: 408, 429 Too Many Requests and server errors (not 501)."""
    return status in RETRYABLE_STATUSES or (500 <= status < 600 and status != 501)


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Return the seconds asked by a ``Retry-After`` header (delta-seconds or HTTP-date), or ``None``."""
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    import email.utils  # only for the rare HTTP-date form

    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    current = time.time() if now is None else now
    return max(0.0, when.timestamp() - current)
