"""A real HTTP server on 127.0.0.1 for fetch and job tests: files with ETag/Last-Modified, and faults.

The site mimics a government portal: a listing page (UTF-8) linking to work reports as a GBK-encoded
HTML page (real fixture text wrapped in menus and footers, served without a charset), a .docx and
a .pdf. Faults are configured per path: a status, N failures before success, a delay, a redirect,
an oversize body, or a Content-Type header that lies about the charset.
"""

from __future__ import annotations

import hashlib
import html
import io
import shutil
import string
import sys
import threading
import time
from dataclasses import dataclass, field
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WEB = ROOT / "fixtures" / "web"
NATIONAL = ROOT / "fixtures" / "reports" / "national"
LISTING_PATH = "/zwgk/gzbg/index.html"
TYPES = {".html": "text/html", ".htm": "text/html", ".pdf": "application/pdf", ".txt": "text/plain",
         ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


@dataclass
class Fault:
    """How the server misbehaves for one path."""

    status: int | None = None          # always answer with this status
    fail_first: int = 0                # answer 500 this many times, then serve normally
    delay: float = 0.0                 # seconds to wait before answering
    redirect: str | None = None        # answer 302 to this location
    oversize: int = 0                  # stream this many bytes without Content-Length
    content_type: str | None = None    # Content-Type header to send instead of the usual one
    served: int = 0


class _Server(ThreadingHTTPServer):
    """A threading server that takes a client hanging up as normal.

    A client closing its kept-alive connection makes the handler thread fail reading the next
    request; the default handler prints that to sys.stderr, which a CliRunner captures as the
    output of whatever command runs at that moment.
    """

    def handle_error(self, request: object, client_address: object) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]


@dataclass
class WebServer:
    """Serves a directory; records every request's path and conditional headers."""

    root: Path
    faults: dict[str, Fault] = field(default_factory=dict)
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    base: str = ""

    def start(self) -> WebServer:
        """Listen on an ephemeral port of 127.0.0.1 in a daemon thread."""
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:  # keep test output clean
                pass

            def do_GET(self) -> None:  # noqa: N802
                server._handle(self)

        self.httpd = _Server(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        return self

    def stop(self) -> None:
        """Shut the server down."""
        self.httpd.shutdown()
        self.httpd.server_close()

    def url(self, path: str) -> str:
        """Absolute URL of a path on this server."""
        return self.base + path

    def paths(self) -> list[str]:
        """Requested paths, in order."""
        return [p for p, _ in self.requests]

    def _handle(self, h: BaseHTTPRequestHandler) -> None:
        path = h.path.split("?", 1)[0]
        self.requests.append((path, {k.lower(): v for k, v in h.headers.items()}))
        fault = self.faults.get(path)
        if fault is not None:
            fault.served += 1
            if fault.delay:
                time.sleep(fault.delay)
            if fault.redirect:
                return self._send(h, 302, b"", {"Location": fault.redirect})
            if fault.status:
                return self._send(h, fault.status, b"error page", {"Content-Type": "text/plain"})
            if fault.served <= fault.fail_first:
                return self._send(h, 500, b"server error", {"Content-Type": "text/plain"})
            if fault.oversize:
                h.send_response(200)
                h.send_header("Content-Type", "text/html")
                h.send_header("Connection", "close")
                h.end_headers()
                h.close_connection = True
                chunk = b"<p>" + "很长的页面".encode() * 1000 + b"</p>\n"
                sent = 0
                try:
                    while sent < fault.oversize:
                        h.wfile.write(chunk)
                        sent += len(chunk)
                except (BrokenPipeError, ConnectionResetError):
                    pass
                return None
        file = self.root / path.lstrip("/")
        if not file.is_file():
            return self._send(h, 404, b"not found", {"Content-Type": "text/plain"})
        body = file.read_bytes()
        etag = '"' + hashlib.sha1(body).hexdigest() + '"'
        mtime = int(file.stat().st_mtime)
        headers = {"ETag": etag, "Last-Modified": formatdate(mtime, usegmt=True),
                   "Content-Type": (fault.content_type if fault and fault.content_type else
                                    TYPES.get(file.suffix, "application/octet-stream"))}
        if h.headers.get("If-None-Match") == etag:
            return self._send(h, 304, b"", headers)
        since = h.headers.get("If-Modified-Since")
        if since and not h.headers.get("If-None-Match"):
            try:
                if parsedate_to_datetime(since).timestamp() >= mtime:
                    return self._send(h, 304, b"", headers)
            except (TypeError, ValueError):
                pass
        return self._send(h, 200, body, headers)

    @staticmethod
    def _send(h: BaseHTTPRequestHandler, status: int, body: bytes, headers: dict[str, str]) -> None:
        try:
            h.send_response(status)
            for k, v in headers.items():
                h.send_header(k, v)
            if status != 304:
                h.send_header("Content-Length", str(len(body)))
            h.end_headers()
            if status != 304:
                h.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            h.close_connection = True  # the client gave up (a timeout test); nothing to answer


def report_page(text: str, *, title: str, charset: str = "gbk", declare: bool = True) -> bytes:
    """A government-style HTML page holding `text`, one <p> per line, encoded in `charset`."""
    body = "\n".join(f"<p>{html.escape(line.strip())}</p>" for line in text.splitlines() if line.strip())
    page = string.Template((WEB / "report.html").read_text(encoding="utf-8")).substitute(
        charset=charset if declare else "", title=title, date="2017-03-16", body=body)
    if not declare:
        page = page.replace('<meta http-equiv="Content-Type" content="text/html; charset=">\n', "")
    return page.encode(charset, errors="xmlcharrefreplace")


def listing_page(links: list[tuple[str, str]]) -> bytes:
    """The listing page with the given (href, text) links before its unrelated ones."""
    items = "\n".join(f'  <li><a href="{href}">{html.escape(text)}</a><span>2017-03-16</span></li>'
                      for href, text in links)
    return string.Template((WEB / "listing.html").read_text(encoding="utf-8")).substitute(links=items).encode()


def docx_bytes(text: str) -> bytes:
    """A real .docx (python-docx) with one paragraph per line of `text`."""
    import docx

    document = docx.Document()
    for line in text.splitlines():
        if line.strip():
            document.add_paragraph(line.strip())
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def national(year: int) -> str:
    """The real text of the national work report of `year`."""
    return (NATIONAL / f"{year}.txt").read_text(encoding="utf-8")


def build_site(root: Path, *, years_html: tuple[int, ...] = (2017,)) -> None:
    """Write the portal: listing -> 2015 (.pdf), 2016 (.docx), and each of `years_html` as GBK HTML."""
    (root / "zwgk" / "gzbg").mkdir(parents=True, exist_ok=True)
    (root / "files").mkdir(exist_ok=True)
    # Existing files are left alone, so their validators stay the same when the site grows.
    if not (root / "files" / "2015-report.pdf").exists():
        shutil.copy(WEB / "national-2015.pdf", root / "files" / "2015-report.pdf")
    if not (root / "files" / "2016-report.docx").exists():
        (root / "files" / "2016-report.docx").write_bytes(docx_bytes(national(2016)))
    links = [("/files/2015-report.pdf", "2015年政府工作报告（PDF版）"),
             ("/files/2016-report.docx", "2016年政府工作报告（Word版）")]
    for year in years_html:
        name = f"t{year}0316_report.html"
        if not (root / "zwgk" / "gzbg" / name).exists():
            (root / "zwgk" / "gzbg" / name).write_bytes(
                report_page(national(year), title=f"{year}年政府工作报告", declare=False))
        links.append((name, f"{year}年政府工作报告"))
    (root / "zwgk" / "gzbg" / "index.html").write_bytes(listing_page(links))


def same_text(a: str, b: str) -> bool:
    """Equal up to whitespace (line wrapping of PDF and blank lines of HTML do not count)."""
    def squash(s: str) -> str:
        return "".join(s.split()).replace("\u200b", "").replace("\ufeff", "")
    return squash(a) == squash(b)
