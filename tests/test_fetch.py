"""The HTTP client against a real server on 127.0.0.1 (and MockTransport for single behaviours)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.web import Fault, WebServer
from tracker.config import FetchSettings
from tracker.errors import FetchError
from tracker.fetch import Fetcher, HostPacer, check_url

FAST = FetchSettings(timeout_seconds=1.0, max_bytes=200_000, retries=2, backoff_seconds=0.01,
                     per_host_delay_seconds=0.0, user_agent="tracker-tests/1.0")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[WebServer]:
    (tmp_path / "a.html").write_bytes("<p>政府工作报告</p>".encode("gbk"))
    web = WebServer(tmp_path).start()
    yield web
    web.stop()


def fetcher(**changes: object) -> Fetcher:
    return Fetcher(dataclasses.replace(FAST, **changes), sleep=lambda s: None)  # type: ignore[arg-type]


def test_get_returns_body_validators_and_user_agent(server: WebServer) -> None:
    with fetcher() as f:
        r = f.get(server.url("/a.html"))
    assert r.status == 200 and r.content == "<p>政府工作报告</p>".encode("gbk")
    assert r.etag and r.last_modified and r.content_type == "text/html" and r.charset is None
    assert r.final_url == server.url("/a.html") and r.attempts == 1
    assert server.requests[0][1]["user-agent"] == "tracker-tests/1.0"


def test_conditional_get_costs_a_304(server: WebServer) -> None:
    with fetcher() as f:
        first = f.get(server.url("/a.html"))
        again = f.get(server.url("/a.html"), etag=first.etag, last_modified=first.last_modified)
        by_date = f.get(server.url("/a.html"), last_modified=first.last_modified)
    assert again.not_modified and again.content == b"" and by_date.not_modified
    assert server.requests[1][1]["if-none-match"] == first.etag


def test_500_then_success_is_retried(server: WebServer) -> None:
    server.faults["/a.html"] = Fault(fail_first=2)
    with fetcher() as f:
        r = f.get(server.url("/a.html"))
    assert r.status == 200 and r.attempts == 3 and server.paths() == ["/a.html"] * 3


def test_persistent_500_gives_up_after_the_retries(server: WebServer) -> None:
    server.faults["/a.html"] = Fault(status=503)
    with fetcher() as f, pytest.raises(FetchError, match=r"HTTP 503.*after 3 attempts") as err:
        f.get(server.url("/a.html"))
    assert err.value.status == 503 and len(server.requests) == 3


def test_404_is_not_retried(server: WebServer) -> None:
    with fetcher() as f, pytest.raises(FetchError, match="HTTP 404") as err:
        f.get(server.url("/missing.html"))
    assert err.value.status == 404 and len(server.requests) == 1


def test_backoff_doubles_between_attempts(server: WebServer) -> None:
    server.faults["/a.html"] = Fault(status=500)
    slept: list[float] = []
    with Fetcher(dataclasses.replace(FAST, backoff_seconds=0.5, retries=3), sleep=slept.append) as f:
        with pytest.raises(FetchError):
            f.get(server.url("/a.html"))
    assert slept == [0.5, 1.0, 2.0]


def test_slow_response_times_out(server: WebServer) -> None:
    server.faults["/a.html"] = Fault(delay=1.0)
    with fetcher(timeout_seconds=0.2, retries=0) as f, pytest.raises(FetchError, match="timed out after 0.2s"):
        f.get(server.url("/a.html"))


def test_oversize_body_is_cut_off_while_streaming(server: WebServer) -> None:
    server.faults["/big.html"] = Fault(oversize=5_000_000)
    with fetcher(max_bytes=100_000) as f, pytest.raises(FetchError, match="exceeds the limit of 100000 bytes"):
        f.get(server.url("/big.html"))


def test_declared_oversize_length_is_refused_before_reading(server: WebServer) -> None:
    with fetcher(max_bytes=10) as f, pytest.raises(FetchError, match="body of 19 bytes exceeds"):
        f.get(server.url("/a.html"))


def test_redirects_are_followed_and_loops_fail(server: WebServer) -> None:
    server.faults["/old.html"] = Fault(redirect="/a.html")
    server.faults["/loop1"] = Fault(redirect="/loop2")
    server.faults["/loop2"] = Fault(redirect="/loop1")
    with fetcher() as f:
        assert f.get(server.url("/old.html")).final_url == server.url("/a.html")
        with pytest.raises(FetchError, match="redirect loop"):
            f.get(server.url("/loop1"))


def test_redirect_to_another_scheme_is_refused() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(302, headers={"Location": "ftp://example.org/report.txt"})

    with Fetcher(FAST, transport=httpx.MockTransport(handler)) as f, pytest.raises(FetchError, match="http"):
        f.get("http://example.org/report.html")


def test_connection_refused_is_retried_then_reported() -> None:
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(str(request.url))
        raise httpx.ConnectError("connection refused", request=request)

    with Fetcher(FAST, transport=httpx.MockTransport(handler), sleep=lambda s: None) as f:
        with pytest.raises(FetchError, match="connection failed.*after 3 attempts"):
            f.get("http://example.org/")
    assert len(calls) == 3


@pytest.mark.parametrize("url", ["ftp://example.org/a.txt", "file:///etc/passwd", "example.org/a.html", "http://"])
def test_only_http_and_https(url: str) -> None:
    with pytest.raises(FetchError, match="only http and https"):
        check_url(url)


def test_per_host_delay_spaces_requests_to_one_host_only() -> None:
    now = [100.0]
    slept: list[float] = []

    def sleep(s: float) -> None:
        slept.append(round(s, 3))
        now[0] += s

    pacer = HostPacer()
    for host in ("a.gov.cn", "a.gov.cn", "b.gov.cn", "a.gov.cn"):
        pacer.wait(host, 2.0, lambda: now[0], sleep)
    assert slept == [2.0, 2.0]


def test_charset_parameter_of_content_type() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=b"x", headers={"Content-Type": 'text/html; charset="GBK"'})

    with Fetcher(FAST, transport=httpx.MockTransport(handler)) as f:
        r = f.get("https://example.org/")
    assert r.charset == "GBK" and r.content_type == "text/html"
