"""Uses of the fetcher's public API that mypy checks: the types users see stay right.

This file is type-checked, not run.
"""

from __future__ import annotations

import requests

from backlinkkit import (
    Backlink,
    Fetcher,
    FetchErrorKind,
    FetchResult,
    Headers,
    LinkCheck,
    LinkStatus,
    RedirectHop,
    SettingsError,
    verify_backlink,
    verify_backlinks,
)

fetcher = Fetcher(
    user_agent="checker/1.0",
    timeout=(3.0, 10.0),
    deadline=20.0,
    max_bytes=1_000_000,
    max_redirects=5,
    respect_robots=True,
    per_host_delay=2.0,
    retries=0,
    allow_private_addresses=False,
    session=requests.Session(),
)
result: FetchResult = fetcher.fetch("https://example.com/")
status: int | None = result.status
body: bytes = result.body
hops: tuple[RedirectHop, ...] = result.redirects
kind: FetchErrorKind | None = result.error
headers: Headers = result.headers
content_type: str | None = headers.get("Content-Type")
media_type: str | None = result.content_type
made = FetchResult(url="https://example.com/", headers=Headers([("X-Robots-Tag", "noindex")]))
from_mapping = FetchResult(url="https://example.com/", headers={"Content-Type": "text/html"})

try:
    Fetcher(deadline=0)
except SettingsError as error:
    bad_setting: ValueError = error

check: LinkCheck = verify_backlink("https://blog.example/", "example.com", fetcher=fetcher)
live: bool = check.status is LinkStatus.LIVE
followed: bool | None = check.followed
anchors: tuple[str, ...] = check.anchors


def report(done: int, total: int) -> None:
    """A progress callback."""


checks: list[LinkCheck] = verify_backlinks(
    [("https://blog.example/", "example.com"), Backlink(source_url="https://a.example/")],
    fetcher=fetcher,
    workers=4,
    progress=report,
)
