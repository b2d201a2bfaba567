"""robots.txt for the fetcher: the rules of one origin, and a thread-safe cache of them.

Parsing and matching follow `urllib.robotparser`. What a failed robots.txt means follows Google's
documented behaviour ("How Google interprets the robots.txt specification", Search Central):
4xx means no rules (everything allowed), 5xx and 429 mean everything disallowed, and only the
first 500 KiB of the file count. Lines `urllib.robotparser` would choke on are dropped first, as
Google ignores lines it cannot read: a robots.txt is a stranger's file.
"""

from __future__ import annotations

import threading
import urllib.parse
import urllib.robotparser
from collections.abc import Callable

import attrs

from ._fetch_result import FetchErrorKind

__all__ = ["ROBOTS_MAX_BYTES", "RobotsCache", "RobotsRules"]

# Google reads the first 500 KiB of a robots.txt and ignores the rest (Search Central, as above).
ROBOTS_MAX_BYTES = 500 * 1024
# Directives the fetcher never reads (Google ignores them too), whose numbers robotparser
# converts with int() after a str.isdigit() test: "Crawl-delay: ²" would raise.
_UNREAD_DIRECTIVES = frozenset({"crawl-delay", "request-rate"})
_RULE_DIRECTIVES = frozenset({"allow", "disallow"})


def _readable(line: str) -> bool:
    """Whether robotparser can take `line`: no unread number, no rule path that urlparse refuses."""
    directive, colon, value = line.partition("#")[0].partition(":")
    name = directive.strip().lower()
    if not colon or name not in _UNREAD_DIRECTIVES | _RULE_DIRECTIVES:
        return True
    if name in _UNREAD_DIRECTIVES:
        return False
    try:  # what robotparser does to a rule's path ("Disallow: //%5B" is an invalid IPv6 host)
        urllib.parse.urlparse(urllib.parse.unquote(value.strip()))
    except ValueError:
        return False
    return True


@attrs.frozen
class RobotsRules:
    """What one origin's robots.txt allows.

    Attributes:
        allow_all: no rules apply (no robots.txt: 4xx, or too many redirects).
        disallow_all: nothing may be fetched (robots.txt answered 5xx or 429).
        parser: the parsed file, when there is one.
        error: the fetch error that kept robots.txt from being read, if any; the origin is
            then unreachable, and pages on it are not fetched either.
        message: what that error was.
    """

    allow_all: bool = False
    disallow_all: bool = False
    parser: urllib.robotparser.RobotFileParser | None = attrs.field(default=None, eq=False)
    error: FetchErrorKind | None = None
    message: str = ""

    @classmethod
    def from_response(cls, status: int, body: bytes) -> RobotsRules:
        """Rules from robots.txt's final status and body (cut at `ROBOTS_MAX_BYTES`)."""
        if status == 429 or status >= 500:
            return cls(disallow_all=True)
        if not 200 <= status < 300:
            return cls(allow_all=True)
        parser = urllib.robotparser.RobotFileParser()
        # A stray byte must not hide the rules around it: Google also reads robots.txt as UTF-8.
        lines = body[:ROBOTS_MAX_BYTES].decode("utf-8-sig", "replace").splitlines()
        parser.parse([line for line in lines if _readable(line)])
        return cls(parser=parser)

    def allows(self, url: str, user_agent: str) -> bool:
        """`user_agent` may fetch `url` under these rules."""
        if self.parser is not None:
            return self.parser.can_fetch(user_agent, url)
        return not self.disallow_all


class RobotsCache:
    """The robots rules of each origin, each loaded once, whatever the number of threads asking.

    The first thread to ask for an origin loads its rules; the others wait for that load instead
    of starting their own. Rules stay cached for the life of the cache.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._rules: dict[str, RobotsRules] = {}
        self._loading: dict[str, threading.Lock] = {}

    def get(
        self, origin: str, load: Callable[[], tuple[RobotsRules, bool]], *, timeout: float
    ) -> RobotsRules | None:
        """The rules of `origin` (`scheme://host:port`), calling `load` if none are cached.

        `load` gives the rules and whether to keep them. Waiting for another thread's load of
        the same origin lasts at most `timeout` seconds: None when that was not enough.
        """
        with self._lock:
            rules = self._rules.get(origin)
            if rules is not None:
                return rules
            origin_lock = self._loading.setdefault(origin, threading.Lock())
        if not origin_lock.acquire(timeout=max(timeout, 0.0)):
            return None
        try:
            with self._lock:
                rules = self._rules.get(origin)
            if rules is None:
                rules, keep = load()
                if keep:
                    with self._lock:
                        self._rules[origin] = rules
                        self._loading.pop(origin, None)
        finally:
            origin_lock.release()
        return rules

    def __len__(self) -> int:
        with self._lock:
            return len(self._rules)
