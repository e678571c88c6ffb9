"""API keys, per-client rate limits and per-client concurrency caps.

Keys are kept only as SHA-256 digests and compared in constant time; a client is identified by a short
fingerprint of its key (or by its address when authentication is off), which is what limits and job
ownership use and the only form of a key that may reach a log.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from extractor.api.problems import ApiProblem

__all__ = ["ApiKeyAuth", "AuthFailureThrottle", "ConcurrencyLimiter", "RateLimiter", "key_fingerprint"]

_MAX_TRACKED_CLIENTS = 10_000


def key_fingerprint(key: str) -> str:
    """A short, non-reversible name for a key, safe to log and to store."""
    return "key:" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


class ApiKeyAuth:
    """Checks presented API keys against the configured ones.

    Args:
        keys: Accepted keys; empty disables authentication.
    """

    def __init__(self, keys: Sequence[str]) -> None:
        self._digests = [hashlib.sha256(key.encode("utf-8")).digest() for key in keys]

    @property
    def enabled(self) -> bool:
        """Whether a key is required."""
        return bool(self._digests)

    def check(self, presented: str | None) -> bool:
        """Whether ``presented`` is one of the keys.

        Every configured key is compared, in constant time over equal-length digests, so the time taken
        says nothing about which key or how much of it matched.
        """
        if presented is None:
            return False
        digest = hashlib.sha256(presented.encode("utf-8", "surrogateescape")).digest()
        matched = False
        for known in self._digests:
            matched |= hmac.compare_digest(digest, known)
        return matched


@dataclass
class _Bucket:
    tokens: float
    stamp: float


class RateLimiter:
    """A token bucket per client: ``per_minute`` requests, refilled continuously, bursts up to the limit.

    Args:
        per_minute: Requests allowed per client per minute.
        clock: Monotonic seconds (injectable for tests).
    """

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.capacity = float(per_minute)
        self.refill_per_s = per_minute / 60.0
        self._clock = clock
        self._buckets: dict[str, _Bucket] = {}
        self._lock = threading.Lock()

    def hit(self, client: str) -> None:
        """Spend one request of ``client``'s allowance.

        Raises:
            ApiProblem: 429 with ``Retry-After`` when the allowance is spent.
        """
        with self._lock:
            now = self._clock()
            bucket = self._buckets.get(client)
            if bucket is None:
                if len(self._buckets) >= _MAX_TRACKED_CLIENTS:
                    self._forget_full(now)
                bucket = self._buckets[client] = _Bucket(self.capacity, now)
            bucket.tokens = min(self.capacity, bucket.tokens + (now - bucket.stamp) * self.refill_per_s)
            bucket.stamp = now
            if bucket.tokens >= 1.0:
                bucket.tokens -= 1.0
                return
            wait = math.ceil((1.0 - bucket.tokens) / self.refill_per_s)
        raise ApiProblem(
            429,
            "rate_limited",
            f"rate limit of {int(self.capacity)} requests per minute reached; retry in {wait} s",
            headers={"Retry-After": str(wait)},
        )

    def _forget_full(self, now: float) -> None:
        # A client whose bucket has refilled is indistinguishable from a new one, so dropping it is free.
        for client, bucket in list(self._buckets.items()):
            if bucket.tokens + (now - bucket.stamp) * self.refill_per_s >= self.capacity:
                del self._buckets[client]
        if len(self._buckets) >= _MAX_TRACKED_CLIENTS:
            self._buckets.clear()


class ConcurrencyLimiter:
    """At most ``limit`` requests in flight per client; more are refused at once rather than queued.

    Args:
        limit: Requests one client may have running at the same time.
    """

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._active: dict[str, int] = {}
        self._lock = threading.Lock()

    @contextmanager
    def slot(self, client: str) -> Iterator[None]:
        """Hold one of ``client``'s slots for the duration of the block.

        Raises:
            ApiProblem: 429 when the client already has ``limit`` requests running.
        """
        with self._lock:
            active = self._active.get(client, 0)
            if active >= self.limit:
                raise ApiProblem(
                    429,
                    "too_many_concurrent_requests",
                    f"{active} requests from this client are already running (limit {self.limit}); "
                    "wait for one to finish",
                    title="Too many concurrent requests.",
                    headers={"Retry-After": "1"},
                )
            self._active[client] = active + 1
        try:
            yield
        finally:
            with self._lock:
                left = self._active[client] - 1
                if left:
                    self._active[client] = left
                else:
                    del self._active[client]


class AuthFailureThrottle:
    """Refuses a client address for a while after ``limit`` failed authentications within ``window_s``.

    Guessing keys is then slow whatever the per-key rate limit says (a wrong key has no key to be limited
    by). Counted per address, before the key is even checked, so a blocked guesser learns nothing more.

    Args:
        limit: Failures allowed per address per window.
        window_s: Length of the sliding window.
        clock: Monotonic seconds (injectable for tests).
    """

    def __init__(
        self, limit: int, window_s: float = 60.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limit = limit
        self.window_s = window_s
        self._clock = clock
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, address: str, now: float) -> deque[float]:
        failures = self._failures.get(address)
        if failures is None:
            return deque()
        while failures and failures[0] <= now - self.window_s:
            failures.popleft()
        if not failures:
            del self._failures[address]
        return failures

    def check(self, address: str) -> None:
        """Refuse ``address`` while it has spent its failures.

        Raises:
            ApiProblem: 429 with ``Retry-After`` until the oldest failure leaves the window.
        """
        with self._lock:
            now = self._clock()
            failures = self._recent(address, now)
            if len(failures) < self.limit:
                return
            wait = max(1, math.ceil(failures[0] + self.window_s - now))
        raise ApiProblem(
            429,
            "too_many_auth_failures",
            f"too many failed authentications from this address; retry in {wait} s",
            title="Too many failed authentications.",
            headers={"Retry-After": str(wait)},
        )

    def failed(self, address: str) -> None:
        """Count one failed authentication of ``address``."""
        with self._lock:
            if address not in self._failures and len(self._failures) >= _MAX_TRACKED_CLIENTS:
                now = self._clock()
                for known in list(self._failures):
                    self._recent(known, now)
                if len(self._failures) >= _MAX_TRACKED_CLIENTS:
                    self._failures.clear()
            self._failures.setdefault(address, deque()).append(self._clock())
