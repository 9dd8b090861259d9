"""Asking web servers whether links are alive: politely, several hosts at once.

``LinkChecker.check`` asks every URL once and yields a ``LinkResult`` for each as it is known.
Each URL is asked with HEAD, and again with GET when HEAD is answered with an error (many
servers refuse HEAD with 405, 501, 403 or 400). Redirects are followed by hand, hop by hop,
so that a permanent one (301, 308) can be told from a temporary one (302, 303, 307).

Polite: one request at a time per host name (a redirect to another host waits for that host
too), hosts asked in parallel up to ``jobs``, every request named with a user agent. The body
of a GET is never read.
"""

from __future__ import annotations

import queue
import socket
import ssl
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from http import HTTPStatus
from typing import Literal

import httpx

State = Literal["ok", "moved", "dead"]
PERMANENT = frozenset({301, 308})
REDIRECTS = frozenset({301, 302, 303, 307, 308})
MAX_REDIRECTS = 10


@dataclass(frozen=True)
class LinkResult:
    """What asking for ``url`` showed.

    ``state``: "ok" (answered, perhaps after temporary redirects), "moved" (alive, but it
    redirects permanently to ``moved_to``) or "dead" (an HTTP error, or no answer at all).
    ``detail`` says how it answered: "200 OK", "404 Not Found", "connection refused", ...
    ``checked`` is when it was asked (seconds since the epoch).
    """

    url: str
    state: State
    detail: str
    moved_to: str | None = None
    checked: float = 0.0


@dataclass(frozen=True)
class _Hop:
    url: str
    code: int
    reason: str
    location: str | None  # where a redirect points, made absolute


class _DeadError(Exception):
    """The link cannot be reached; the message says why."""


class LinkChecker:
    """Checks links with one HTTP client per host; see the module's description."""

    def __init__(
        self,
        *,
        timeout: float,
        user_agent: str,
        clock: Callable[[], float],
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.timeout = timeout
        self.user_agent = user_agent
        self.clock = clock
        self.transport = transport  # for tests: a stand-in for the network
        self._locks: dict[str, threading.Lock] = {}
        self._locks_lock = threading.Lock()
        self._stop = threading.Event()

    def check(self, urls: Iterable[str], *, jobs: int) -> Iterator[LinkResult]:
        """Each of ``urls`` (asked once each), in the order the answers come."""
        self._stop.clear()
        by_host: dict[str, list[str]] = {}
        for url in dict.fromkeys(urls):
            by_host.setdefault(host_of(url), []).append(url)
        total = sum(len(group) for group in by_host.values())
        answers: queue.Queue[LinkResult | BaseException] = queue.Queue()
        # the hosts with the most links first, so that the longest queue starts at once
        groups = sorted(by_host.values(), key=len, reverse=True)
        executor = ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="links")
        try:
            for group in groups:
                executor.submit(self._check_group, group, answers)
            for _ in range(total):
                answer = answers.get()
                if isinstance(answer, BaseException):
                    raise answer
                yield answer
        finally:
            self._stop.set()
            executor.shutdown(wait=True, cancel_futures=True)

    def _check_group(
        self, urls: list[str], answers: queue.Queue[LinkResult | BaseException]
    ) -> None:
        try:
            with self._client() as client:
                for url in urls:
                    if self._stop.is_set():
                        return
                    answers.put(self.check_one(client, url))
        except BaseException as error:  # handed to the caller's thread, which raises it
            answers.put(error)

    def _client(self) -> httpx.Client:
        return httpx.Client(
            timeout=self.timeout,
            follow_redirects=False,
            headers={
                "User-Agent": self.user_agent,
                "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
            },
            transport=self.transport,
        )

    def check_one(self, client: httpx.Client, url: str) -> LinkResult:
        checked = self.clock()
        try:
            hops = self._follow(client, "HEAD", url)
            if hops[-1].code >= 400:  # HEAD refused, or a real error: GET has the last word
                hops = self._follow(client, "GET", url)
        except _DeadError as dead:
            return LinkResult(url, "dead", str(dead), checked=checked)
        last = hops[-1]
        if last.code >= 400:
            detail = _status(last)
            if len(hops) > 1:
                detail = f"it redirects to {last.url}, which answers {detail}"
            return LinkResult(url, "dead", detail, checked=checked)
        permanent = _leading_permanent(hops)
        if permanent:
            return LinkResult(
                url, "moved", _status(permanent[0]), permanent[-1].location, checked=checked
            )
        return LinkResult(url, "ok", _status(last), checked=checked)

    def _follow(self, client: httpx.Client, method: str, url: str) -> list[_Hop]:
        """Every answer from ``url`` to the first that is not a redirect."""
        hops: list[_Hop] = []
        seen = {url}
        current = url
        while True:
            hop = self._ask(client, method, current)
            hops.append(hop)
            if hop.location is None:
                return hops
            if hop.location in seen:
                raise _DeadError(f"redirects in a loop ({_status(hop)} back to {hop.location})")
            if len(hops) > MAX_REDIRECTS:
                raise _DeadError(f"more than {MAX_REDIRECTS} redirects")
            seen.add(hop.location)
            current = hop.location

    def _ask(self, client: httpx.Client, method: str, url: str) -> _Hop:
        try:
            request = client.build_request(method, url)
        except httpx.InvalidURL as error:
            raise _DeadError(f"not an address that can be fetched ({error})") from error
        with self._host_lock(request.url.host):
            try:
                response = client.send(request, stream=True)
                response.close()  # headers are all it takes; the body is never read
            except httpx.TimeoutException as error:
                raise _DeadError(f"no answer within {self.timeout:g} s") from error
            except httpx.HTTPError as error:
                raise _DeadError(_transport_problem(error)) from error
        location = response.headers.get("location")
        if response.status_code not in REDIRECTS or not location:
            return _Hop(url, response.status_code, response.reason_phrase, None)
        try:
            target = request.url.join(location.strip())
        except httpx.InvalidURL as error:
            raise _DeadError(f"redirects to a broken address {location!r}") from error
        if target.scheme not in ("http", "https"):
            raise _DeadError(f"redirects to {target}, which is not a web address")
        return _Hop(url, response.status_code, response.reason_phrase, str(target))

    def _host_lock(self, host: str) -> threading.Lock:
        with self._locks_lock:
            return self._locks.setdefault(host.lower(), threading.Lock())


def host_of(url: str) -> str:
    """The host name of ``url`` as politeness counts hosts (ports aside); "" if there is none."""
    try:
        return httpx.URL(url).host.lower()
    except httpx.InvalidURL:
        return ""


def _leading_permanent(hops: list[_Hop]) -> list[_Hop]:
    """The permanent redirects at the start of the chain: the new address is where they end.

    After a temporary redirect the link as written stays the one to keep.
    """
    found = []
    for hop in hops:
        if hop.code not in PERMANENT or hop.location is None:
            break
        found.append(hop)
    return found


def _status(hop: _Hop) -> str:
    reason = hop.reason
    if not reason:
        try:
            reason = HTTPStatus(hop.code).phrase
        except ValueError:
            reason = ""
    return f"{hop.code} {reason}".strip()


def _transport_problem(error: httpx.HTTPError) -> str:
    """Why no answer came, in words: the cause beneath httpx's own exception."""
    cause: BaseException | None = error
    while cause is not None:
        if isinstance(cause, socket.gaierror):
            return "the host name is not found (DNS)"
        if isinstance(cause, ConnectionRefusedError):
            return "connection refused"
        if isinstance(cause, ssl.SSLCertVerificationError):
            return f"its certificate is not trusted ({cause.verify_message})"
        if isinstance(cause, ssl.SSLError):
            return f"the secure connection failed ({cause.reason or cause})"
        cause = cause.__cause__ or cause.__context__
    if isinstance(error, httpx.RemoteProtocolError):
        return f"the server broke the connection ({error})"
    if isinstance(error, httpx.UnsupportedProtocol):
        return f"not an address that can be fetched ({error})"
    return f"no answer ({error})" if str(error) else f"no answer ({type(error).__name__})"
