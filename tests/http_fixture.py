"""A local HTTP server with good, missing, HTML, slow, dripping, oversized, redirecting and flaky responses."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


@contextmanager
def serve(images: Path) -> Iterator[str]:
    png = (images / "good" / "red.png").read_bytes()
    flaky = {"count": 0}

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def _send(self, code: int, body: bytes, ctype: str, length: int | None = None) -> None:
            self.send_response(code)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body) if length is None else length))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            path = self.path
            if path == "/red.png":
                self._send(200, png, "image/png")
            elif path == "/page.html":
                self._send(200, b"<html><body>hello</body></html>", "text/html; charset=utf-8")
            elif path == "/slow.png":
                time.sleep(4)
                self._send(200, png, "image/png")
            elif path == "/drip.png":
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.end_headers()
                try:
                    for b in png * 50:
                        self.wfile.write(bytes([b]))
                        self.wfile.flush()
                        time.sleep(0.2)
                except (BrokenPipeError, ConnectionResetError):
                    pass
            elif path == "/huge-declared.png":
                self._send(200, png, "image/png", length=10**10)
            elif path == "/huge-streamed.png":
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.end_headers()
                try:
                    for _ in range(200):
                        self.wfile.write(b"\0" * 65536)
                except (BrokenPipeError, ConnectionResetError):
                    pass
            elif path == "/redirect.png":
                self.send_response(302)
                self.send_header("Location", "/red.png")
                self.end_headers()
            elif path == "/flaky.png":
                flaky["count"] += 1
                if flaky["count"] % 2 == 1:
                    self._send(503, b"busy", "text/plain")
                else:
                    self._send(200, png, "image/png")
            else:
                self._send(404, b"not found", "text/plain")

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
