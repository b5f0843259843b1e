"""A local website for the compliance scan's tests and benchmark: an
http.server in a thread on 127.0.0.1, answering each path as told."""

import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Answer:
    body: bytes = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    headers: dict = field(default_factory=dict)
    delay: float = 0.0


def page(body_html, title="Boutique"):
    return Answer(
        f"<!DOCTYPE html><html lang='fr'><head><title>{title}</title></head>"
        f"<body>{body_html}</body></html>".encode()
    )


def redirect(location, status=302):
    return Answer(status=status, headers={"Location": location})


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def handle_error(self, request, client_address):
        pass  # a client that stops reading: what the tests do on purpose


class FixtureWebsite:
    """``answers`` maps a path (query string included) to an Answer, or to a
    function of the path returning one; other paths get ``default`` (the same
    kind), else a 404. ``requests``
    lists (path, User-Agent) as received."""

    def __init__(self, answers=None, default=None):
        self.answers = dict(answers or {})
        self.requests = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Headers and body leave in two writes: without this, delayed
            # ACKs hold each keep-alive answer 40 ms.
            disable_nagle_algorithm = True

            def do_GET(self):
                site.requests.append((self.path, self.headers.get("User-Agent")))
                answer = site.answers.get(self.path, default)
                if callable(answer):
                    answer = answer(self.path)
                answer = answer or Answer(b"not found", 404, "text/plain")
                time.sleep(answer.delay)
                try:
                    self.send_response(answer.status)
                    self.send_header("Content-Type", answer.content_type)
                    self.send_header("Content-Length", str(len(answer.body)))
                    for name, value in answer.headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(answer.body)
                except (BrokenPipeError, ConnectionResetError):
                    # The fetcher stopped reading: what the tests check.
                    self.close_connection = True

            def log_message(self, *args):
                pass

        self.server = QuietServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def url(self, path="/"):
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}{path}"

    def paths(self):
        return [path for path, _agent in self.requests]
