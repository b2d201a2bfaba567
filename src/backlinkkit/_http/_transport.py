"""The fetcher's transport: every exchange within the deadline, connections to checked addresses.

requests and urllib3 bound each socket operation by a timeout (one connect, one read), never a
whole exchange: a server that sends a byte every few seconds holds the TLS handshake, the status
line, the headers or a chunk-size line for as long as it likes without tripping a read timeout.
So each exchange the fetcher starts (`exchange`) is registered with a watchdog thread, and every
socket it uses (new or taken from the pool) is watched through a duplicate of its descriptor.
When the deadline passes, the watchdog shuts the connection down: whatever read or handshake is
blocked on it returns at once, and the fetcher reports `TIMEOUT`. The duplicate is the watchdog's
own, so a descriptor closed and reused by someone else meanwhile is never touched.

New connections resolve their host within the time left, check every address with
`address_refusal` (unless private addresses are allowed, or the connection goes to a proxy the
user chose) and connect to the addresses checked: the look-up checked is the one connected to,
so a name that resolves elsewhere the second time (DNS rebinding) gains nothing.

Outside an exchange (a session the fetcher set up, used by other code) the adapter behaves as
requests' own.
"""

from __future__ import annotations

import contextlib
import heapq
import itertools
import socket
import sys
import threading
import time
from collections.abc import Iterator
from typing import Any

import requests
import requests.adapters
import urllib3
import urllib3.connection
import urllib3.exceptions
from urllib3.util.connection import allowed_gai_family

from ._addresses import AddressRefusal, check_addresses, resolve
from ._fetch_result import FetchErrorKind

__all__ = ["FetchAdapter", "RefusedConnection", "exchange", "install"]

# Connection pools kept by one adapter (one per origin). requests keeps 10; more origins than that
# in flight at once evict pools that other threads are about to use (psf/requests#1871).
_POOLS_KEPT = 64


class RefusedConnection(urllib3.exceptions.HTTPError):
    """A connection the transport would not open; `kind` says why.

    The host did not resolve (`DNS`), not in time (`TIMEOUT`), or to an address that is not
    public (`PRIVATE_ADDRESS`).
    """

    def __init__(self, message: str, kind: FetchErrorKind) -> None:
        super().__init__(message)
        self.kind = kind


class Exchange:
    """One request and its response, to be over by `end` (a `time.monotonic()` reading).

    Attributes:
        end: when the watchdog shuts the exchange's connections down.
        allow_private: new connections may go to private addresses.
        fired: the deadline passed and the watchdog shut the connections down.
    """

    def __init__(self, end: float, *, allow_private: bool) -> None:
        self.end = end
        self.allow_private = allow_private
        self.fired = False
        self.closed = False
        self._lock = threading.Lock()
        self._watched: list[socket.socket] = []

    def left(self) -> float:
        """Seconds until the deadline (negative once it passed)."""
        return self.end - time.monotonic()

    def watch(self, sock: socket.socket) -> None:
        """Have the watchdog shut `sock`'s connection down when the deadline passes."""
        try:
            # A plain socket over a duplicate descriptor of the same connection (an SSLSocket
            # refuses dup()); shutting it down ends the connection for every descriptor.
            duplicate = socket.fromfd(sock.fileno(), sock.family, sock.type, sock.proto)
        except OSError:
            return  # already closed: nothing left to bound
        with self._lock:
            if self.closed:
                duplicate.close()
                return
            self._watched.append(duplicate)
            if self.fired:
                _shut(duplicate)

    def fire(self) -> None:
        """The deadline passed: shut down every watched connection."""
        with self._lock:
            if self.closed:
                return
            self.fired = True
            for duplicate in self._watched:
                _shut(duplicate)

    def close(self) -> None:
        """The exchange is over: stop watching, release the duplicates."""
        with self._lock:
            self.closed = True
            for duplicate in self._watched:
                duplicate.close()
            self._watched.clear()


def _shut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):  # not connected (yet, or any more)
        sock.shutdown(socket.SHUT_RDWR)


class _Watchdog:
    """One daemon thread firing exchanges whose deadline passed, earliest first."""

    def __init__(self) -> None:
        self._wake = threading.Condition()
        self._due: list[tuple[float, int, Exchange]] = []
        self._order = itertools.count()
        self._thread: threading.Thread | None = None

    def add(self, exchange: Exchange) -> None:
        with self._wake:
            heapq.heappush(self._due, (exchange.end, next(self._order), exchange))
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="backlinkkit-fetch-watchdog", daemon=True
                )
                self._thread.start()
            self._wake.notify()

    def _run(self) -> None:
        while True:
            with self._wake:
                while True:
                    while self._due and self._due[0][2].closed:
                        heapq.heappop(self._due)  # finished in time
                    if not self._due:
                        self._wake.wait()
                        continue
                    wait = self._due[0][0] - time.monotonic()
                    if wait <= 0:
                        due = heapq.heappop(self._due)[2]
                        break
                    self._wake.wait(wait)
            due.fire()


_WATCHDOG = _Watchdog()
_local = threading.local()


@contextlib.contextmanager
def exchange(end: float, *, allow_private: bool) -> Iterator[Exchange]:
    """Run one request and the reading of its response, on this thread, within `end`."""
    current = Exchange(end, allow_private=allow_private)
    _WATCHDOG.add(current)
    previous = getattr(_local, "exchange", None)
    _local.exchange = current
    try:
        yield current
    finally:
        _local.exchange = previous
        current.close()


def _current() -> Exchange | None:
    current: Exchange | None = getattr(_local, "exchange", None)
    return current


def _open(conn: urllib3.connection.HTTPConnection, current: Exchange) -> socket.socket:
    """Resolve, check and connect, as urllib3's `create_connection` does, within the deadline."""
    host, port = conn.host, conn.port
    try:
        infos = resolve(host, port, timeout=current.left(), family=allowed_gai_family())
        if not current.allow_private and conn.proxy is None:
            check_addresses(host, infos)
    except AddressRefusal as refusal:
        raise RefusedConnection(str(refusal), refusal.kind) from None
    limit = conn.timeout if isinstance(conn.timeout, int | float) else None
    error: OSError | None = None
    for family, kind, proto, _, address in infos:
        try:
            sock = socket.socket(family, kind, proto)
        except OSError as cannot:  # an address family this machine lacks
            error = cannot
            continue
        current.watch(sock)  # the TLS handshake that follows is bounded too
        try:
            for option in conn.socket_options or ():
                sock.setsockopt(*option)
            left = current.left()
            if left <= 0:
                raise TimeoutError("the fetch's deadline passed")
            sock.settimeout(left if limit is None else min(limit, left))
            if conn.source_address:
                sock.bind(conn.source_address)
            sock.connect(address)
        except OSError as failed:
            sock.close()
            error = failed
            continue
        sys.audit("http.client.connect", conn, host, port)
        return sock
    if isinstance(error, TimeoutError):
        raise urllib3.exceptions.ConnectTimeoutError(
            conn, f"Connection to {host} timed out. (connect timeout={conn.timeout})"
        ) from error
    raise urllib3.exceptions.NewConnectionError(
        conn, f"Failed to establish a new connection: {error}"
    ) from error


def _watch_reused(conn: urllib3.connection.HTTPConnection) -> None:
    current = _current()
    if current is not None and conn.sock is not None:
        current.watch(conn.sock)


class _Connection(urllib3.connection.HTTPConnection):
    def _new_conn(self) -> socket.socket:
        current = _current()
        return super()._new_conn() if current is None else _open(self, current)

    def request(self, *args: Any, **kwargs: Any) -> None:  # noqa: ANN401 - urllib3's own
        _watch_reused(self)
        super().request(*args, **kwargs)


class _TLSConnection(urllib3.connection.HTTPSConnection):
    def _new_conn(self) -> socket.socket:
        current = _current()
        return super()._new_conn() if current is None else _open(self, current)

    def request(self, *args: Any, **kwargs: Any) -> None:  # noqa: ANN401 - urllib3's own
        _watch_reused(self)
        super().request(*args, **kwargs)


class _Pool(urllib3.HTTPConnectionPool):
    ConnectionCls = _Connection


class _TLSPool(urllib3.HTTPSConnectionPool):
    ConnectionCls = _TLSConnection


_POOL_CLASSES: dict[str, type[urllib3.HTTPConnectionPool]] = {"http": _Pool, "https": _TLSPool}


class FetchAdapter(requests.adapters.HTTPAdapter):
    """requests' adapter, over connections that honour the fetcher's deadline and address check.

    It keeps more connection pools than requests' default (`_POOLS_KEPT`, not 10), so that
    threads working on many hosts do not evict pools other threads are about to use.
    """

    def __init__(
        self,
        pool_connections: int = _POOLS_KEPT,
        pool_maxsize: int = requests.adapters.DEFAULT_POOLSIZE,
        max_retries: Any = 0,  # noqa: ANN401 - requests' own: an int or a urllib3 Retry
        *,
        pool_block: bool = False,
    ) -> None:
        super().__init__(
            pool_connections=max(pool_connections, _POOLS_KEPT),
            pool_maxsize=pool_maxsize,
            max_retries=max_retries,
            pool_block=pool_block,
        )

    def init_poolmanager(
        self,
        connections: int,
        maxsize: int,
        block: bool = False,
        **pool_kwargs: Any,  # noqa: ANN401 - requests' signature
    ) -> None:
        super().init_poolmanager(connections, maxsize, block, **pool_kwargs)
        self.poolmanager.pool_classes_by_scheme = _POOL_CLASSES

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:  # noqa: ANN401
        manager = super().proxy_manager_for(proxy, **proxy_kwargs)
        if isinstance(manager, urllib3.ProxyManager):  # SOCKS managers keep their own pools
            manager.pool_classes_by_scheme = _POOL_CLASSES
        return manager


def install(session: requests.Session) -> None:
    """Mount `FetchAdapter` on `session` for http and https in place of requests' own adapter.

    The replaced adapter's settings (pool sizes, retries) carry over. An adapter of another
    class, mounted by the session's owner, is kept: it was chosen for what it does.
    """
    for prefix in ("https://", "http://"):
        mounted = session.adapters.get(prefix)
        if type(mounted) is requests.adapters.HTTPAdapter:
            # The settings as requests pickles them (HTTPAdapter.__attrs__).
            settings: dict[str, Any] = mounted.__getstate__()  # type: ignore[assignment]
            session.mount(
                prefix,
                FetchAdapter(
                    pool_connections=settings["_pool_connections"],
                    pool_maxsize=settings["_pool_maxsize"],
                    max_retries=settings["max_retries"],
                    pool_block=settings["_pool_block"],
                ),
            )
            mounted.close()
