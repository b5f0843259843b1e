"""Polite and bounded fetching of the members' web pages (compliance scan).

No ORM here: the scan (models/res_partner_compliance_scan.py) gives the
limits, the tests and the benchmark drive it against a local server.

Each hop of a redirect chain is checked again: scheme, resolved addresses
(private, loopback, link-local, reserved and multicast ones are refused unless
``allow_private``), robots.txt of its host, and the delay between two requests
to one host. At most ``max_bytes`` of a body are read, within ``timeout``
seconds for the whole answer.
"""

import codecs
import hashlib
import ipaddress
import socket
import time
import unicodedata
from dataclasses import dataclass
from urllib import robotparser
from urllib.parse import urljoin, urlsplit

import requests
from urllib3.exceptions import ReadTimeoutError

ROBOT_NAME = "ConsumerMediationBot"
HTML_TYPES = ("text/html", "application/xhtml+xml")
CHUNK = 16 * 1024


class FetchError(Exception):
    """A page that could not be read. ``code`` names the outcome: unreachable,
    timeout, too_many_redirects, robots_disallowed, refused_address,
    not_html, http_error, invalid_url."""

    def __init__(self, code, url, detail=""):
        super().__init__(code, url, detail)
        self.code = code
        self.url = url
        self.detail = detail


@dataclass
class Page:
    url: str  # after redirects
    status: int
    content_type: str
    body: bytes
    encoding: str
    truncated: bool
    redirects: int

    @property
    def sha256(self):
        return hashlib.sha256(self.body).hexdigest()

    def text(self):
        """The body as text: the charset the server gave, else UTF-8, else
        Windows-1252 (what an older French site without a charset uses)."""
        if self.encoding:
            return self.body.decode(self.encoding, errors="replace")
        try:
            return self.body.decode("utf-8")
        except UnicodeDecodeError:
            return self.body.decode("cp1252", errors="replace")


def user_agent(mediator_name, mediator_url):
    """Names the mediator and where to reach it; header values are Latin-1,
    so the name loses its accents."""
    ascii_name = (
        unicodedata.normalize("NFKD", mediator_name or "")
        .encode("ascii", "ignore")
        .decode()
    )
    return f"{ROBOT_NAME}/1.0 (+{mediator_url}; {ascii_name})"


def _charset(content_type):
    """The charset the Content-Type names, if Python knows it."""
    for param in content_type.split(";")[1:]:
        key, _sep, value = param.partition("=")
        if key.strip().lower() == "charset":
            try:
                return codecs.lookup(value.strip().strip("\"'")).name
            except LookupError:
                return None
    return None


class WebsiteFetcher:
    def __init__(
        self,
        agent,
        timeout=10.0,
        max_bytes=300 * 1024,
        max_redirects=3,
        host_delay=1.0,
        allow_private=False,
        sleep=time.sleep,
    ):
        self.agent = agent
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.max_redirects = max_redirects
        self.host_delay = host_delay
        self.allow_private = allow_private
        self._sleep = sleep
        self._last_request = {}
        self._robots = {}
        # No proxy or .netrc from the environment: the address check must
        # see the host actually connected to.
        self._session = requests.Session()
        self._session.trust_env = False
        self._session.headers.update({"User-Agent": agent})

    def close(self):
        self._session.close()

    def fetch(self, url):
        """The page at ``url`` after at most ``max_redirects`` redirects, or
        FetchError."""
        for hop in range(self.max_redirects + 1):
            self._check_url(url)
            if not self._robots_allow(url):
                raise FetchError("robots_disallowed", url)
            response = self._get(url)
            if response.is_redirect:
                location = response.headers.get("Location", "")
                response.close()
                url = urljoin(url, location)
                continue
            try:
                return self._page(response, url, hop)
            finally:
                response.close()
        raise FetchError("too_many_redirects", url, str(self.max_redirects))

    # ------------------------------------------------------------------
    # Checks
    # ------------------------------------------------------------------
    def _check_url(self, url):
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise FetchError("invalid_url", url)
        try:
            port = parts.port or (443 if parts.scheme == "https" else 80)
            infos = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
        except (OSError, ValueError) as error:
            raise FetchError("unreachable", url, str(error)) from error
        if self.allow_private:
            return
        for info in infos:
            address = ipaddress.ip_address(info[4][0].split("%")[0])
            address = getattr(address, "ipv4_mapped", None) or address
            if not address.is_global or address.is_multicast:
                raise FetchError("refused_address", url, str(address))

    def _robots_allow(self, url):
        """robots.txt of the URL's host, read once per fetcher. Missing
        (4xx) allows everything, a server error disallows everything
        (RFC 9309); a redirected robots.txt counts as missing."""
        parts = urlsplit(url)
        key = (parts.scheme, parts.netloc)
        if key not in self._robots:
            robots_url = f"{parts.scheme}://{parts.netloc}/robots.txt"
            try:
                response = self._get(robots_url)
            except FetchError as error:
                raise FetchError(error.code, url, error.detail) from error
            try:
                if response.status_code >= 500:
                    rules = False
                elif response.status_code == 200:
                    body, _truncated = self._read(response, robots_url)
                    rules = robotparser.RobotFileParser()
                    rules.parse(body.decode("utf-8", errors="replace").splitlines())
                else:
                    rules = True
            finally:
                response.close()
            self._robots[key] = rules
        rules = self._robots[key]
        if isinstance(rules, bool):
            return rules
        return rules.can_fetch(ROBOT_NAME, url)

    # ------------------------------------------------------------------
    # Requests
    # ------------------------------------------------------------------
    def _get(self, url):
        self._wait_for_host(urlsplit(url).hostname)
        try:
            return self._session.get(
                url, stream=True, allow_redirects=False, timeout=self.timeout
            )
        except requests.Timeout as error:
            raise FetchError("timeout", url, str(error)) from error
        except (requests.RequestException, ValueError) as error:
            raise FetchError("unreachable", url, str(error)) from error
        finally:
            self._last_request[urlsplit(url).hostname] = time.monotonic()

    def _wait_for_host(self, host):
        last = self._last_request.get(host)
        if last is not None:
            wait = self.host_delay - (time.monotonic() - last)
            if wait > 0:
                self._sleep(wait)

    def _page(self, response, url, redirects):
        if response.status_code >= 400:
            raise FetchError("http_error", url, str(response.status_code))
        content_type = response.headers.get("Content-Type", "")
        if content_type.split(";")[0].strip().lower() not in HTML_TYPES:
            raise FetchError("not_html", url, content_type or "-")
        body, truncated = self._read(response, url)
        return Page(
            url=url,
            status=response.status_code,
            content_type=content_type,
            body=body,
            encoding=_charset(content_type),
            truncated=truncated,
            redirects=redirects,
        )

    def _read(self, response, url):
        """At most ``max_bytes`` (after decompression), within ``timeout``
        for the whole body: the read timeout alone restarts at each chunk."""
        deadline = time.monotonic() + self.timeout
        chunks, size = [], 0
        try:
            for chunk in response.iter_content(CHUNK):
                chunks.append(chunk)
                size += len(chunk)
                if size > self.max_bytes:
                    return b"".join(chunks)[: self.max_bytes], True
                if time.monotonic() > deadline:
                    raise FetchError("timeout", url, "body")
        except requests.RequestException as error:
            # requests wraps a read timeout in the body as a ConnectionError.
            timed_out = isinstance(error, requests.Timeout) or any(
                isinstance(arg, ReadTimeoutError) for arg in error.args
            )
            code = "timeout" if timed_out else "unreachable"
            raise FetchError(code, url, str(error)) from error
        return b"".join(chunks), False
