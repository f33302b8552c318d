"""HTTP client for sources: conditional GET, timeouts, bounded retries, redirect and size limits.

Only this module talks to the network. Tests inject an httpx transport (MockTransport) or point it
at a real server on 127.0.0.1; the clock and sleep are injectable so backoff costs no test time.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import Message
from urllib.parse import urlsplit

import httpx

from tracker.config import FetchSettings
from tracker.errors import FetchError

log = logging.getLogger(__name__)

MAX_REDIRECTS = 10


@dataclass(frozen=True)
class FetchResult:
    """What a GET returned: status (200 or 304), headers, body, final URL after redirects."""

    url: str
    final_url: str
    status: int
    headers: dict[str, str]
    content: bytes
    attempts: int = 1
    elapsed_seconds: float = 0.0

    @property
    def not_modified(self) -> bool:
        """True for a 304 answer to a conditional request: the validators still hold."""
        return self.status == 304

    @property
    def content_type(self) -> str | None:
        """The media type without parameters, lower-case ("text/html")."""
        value = self.headers.get("content-type")
        return value.split(";", 1)[0].strip().lower() if value else None

    @property
    def charset(self) -> str | None:
        """The charset parameter of Content-Type, if the server declared one."""
        value = self.headers.get("content-type")
        if not value:
            return None
        msg = Message()
        msg["content-type"] = value
        param = msg.get_param("charset")
        return param if isinstance(param, str) else None

    @property
    def etag(self) -> str | None:
        """The ETag validator to send back as If-None-Match."""
        return self.headers.get("etag")

    @property
    def last_modified(self) -> str | None:
        """The Last-Modified validator to send back as If-Modified-Since."""
        return self.headers.get("last-modified")

    @property
    def sha256(self) -> str:
        """Hash of the body bytes, to tell an unchanged payload from a server without validators."""
        return hashlib.sha256(self.content).hexdigest()


@dataclass
class HostPacer:
    """Keeps a minimum delay between requests to one host, shared by every fetcher of a process."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    next_slot: dict[str, float] = field(default_factory=dict)

    def wait(self, host: str, delay: float, clock: Callable[[], float], sleep: Callable[[float], None]) -> None:
        """Sleep until `host` may be asked again, and book the next slot."""
        if delay <= 0:
            return
        with self.lock:
            now = clock()
            slot = max(now, self.next_slot.get(host, now))
            self.next_slot[host] = slot + delay
        if slot > now:
            sleep(slot - now)


_PACER = HostPacer()


class Fetcher:
    """A polite HTTP client; use as a context manager, call `get` per URL."""

    def __init__(self, settings: FetchSettings, *, transport: httpx.BaseTransport | None = None,
                 sleep: Callable[[float], None] = time.sleep, clock: Callable[[], float] = time.monotonic,
                 pacer: HostPacer | None = None) -> None:
        self.settings = settings
        self.sleep = sleep
        self.clock = clock
        self.pacer = pacer or _PACER
        self.last_attempts = 0  # requests made by the latest `get`, for the fetch log
        self.client = httpx.Client(
            transport=transport, follow_redirects=True, max_redirects=MAX_REDIRECTS,
            timeout=httpx.Timeout(settings.timeout_seconds),
            headers={"User-Agent": settings.user_agent, "Accept-Encoding": "gzip, deflate"},
        )

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection pool."""
        self.client.close()

    def get(self, url: str, *, etag: str | None = None, last_modified: str | None = None) -> FetchResult:
        """GET `url`, conditionally when validators are given; FetchError for anything but 200/304."""
        check_url(url)
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        attempts = 1 + max(self.settings.retries, 0)
        started = self.clock()
        for attempt in range(1, attempts + 1):
            self.last_attempts = attempt
            self.pacer.wait(urlsplit(url).netloc.lower(), self.settings.per_host_delay_seconds, self.clock, self.sleep)
            try:
                status, final_url, resp_headers, body = self._once(url, headers)
            except _Retryable as exc:
                if attempt == attempts:
                    raise FetchError(url, f"{exc.problem} (after {attempts} attempts)", exc.status) from None
                delay = self.settings.backoff_seconds * 2 ** (attempt - 1)
                log.info("%s: %s; retry %d of %d in %.1fs", url, exc.problem, attempt, attempts - 1, delay)
                self.sleep(delay)
                continue
            return FetchResult(url=url, final_url=final_url, status=status, headers=resp_headers, content=body,
                               attempts=attempt, elapsed_seconds=self.clock() - started)
        raise AssertionError("unreachable")  # the loop returns or raises

    def _once(self, url: str, headers: dict[str, str]) -> tuple[int, str, dict[str, str], bytes]:
        """One request; raises _Retryable for connection errors, timeouts and 5xx, FetchError otherwise."""
        limit = self.settings.max_bytes
        deadline = self.clock() + self.settings.timeout_seconds
        try:
            with self.client.stream("GET", url, headers=headers) as resp:
                final_url = str(resp.url)
                check_url(final_url)
                status = resp.status_code
                if status >= 500:
                    raise _Retryable(f"HTTP {status} {resp.reason_phrase}".strip(), status)
                if status == 304:
                    return status, final_url, _lower(resp.headers), b""
                if status >= 400:
                    raise FetchError(url, f"HTTP {status} {resp.reason_phrase}".strip(), status)
                if status != 200:
                    raise FetchError(url, f"unexpected HTTP {status}", status)
                declared = resp.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > limit:
                    raise FetchError(url, f"body of {int(declared)} bytes exceeds the limit of {limit} bytes", status)
                chunks: list[bytes] = []
                size = 0
                for chunk in resp.iter_bytes():
                    size += len(chunk)
                    if size > limit:
                        raise FetchError(url, f"body exceeds the limit of {limit} bytes", status)
                    # a server that drips bytes never trips the per-read timeout; bound the whole body too
                    if self.clock() > deadline:
                        raise _Retryable(f"timed out after {self.settings.timeout_seconds:g}s reading the body")
                    chunks.append(chunk)
                return status, final_url, _lower(resp.headers), b"".join(chunks)
        except httpx.TooManyRedirects:
            raise FetchError(url, f"redirect loop or more than {MAX_REDIRECTS} redirects") from None
        except httpx.UnsupportedProtocol as exc:
            raise FetchError(url, f"unsupported protocol ({exc}); only http and https") from None
        except httpx.TimeoutException:
            raise _Retryable(f"timed out after {self.settings.timeout_seconds:g}s") from None
        except (httpx.TransportError, httpx.DecodingError) as exc:
            raise _Retryable(f"connection failed: {type(exc).__name__}: {exc}".rstrip(": ")) from None


class _Retryable(Exception):
    """A failure worth another attempt (connection error, timeout, 5xx); never leaves this module."""

    def __init__(self, problem: str, status: int | None = None) -> None:
        super().__init__(problem)
        self.problem = problem
        self.status = status


def check_url(url: str) -> None:
    """Reject anything but absolute http(s) URLs before any request is made."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise FetchError(url, "only http and https URLs can be fetched")


def _lower(headers: httpx.Headers) -> dict[str, str]:
    return {k.lower(): v for k, v in headers.items()}
