"""Build small WARC and WAT files for the tests, from pages written for them.

The files are written byte by byte here (not with FastWARC), so the reader is tested against
the format, not against its own writer. Each record is its own gzip member, as in Common Crawl.
"""

from __future__ import annotations

import base64
import datetime as dt
import gzip
import hashlib
import json
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

CRLF = b"\r\n"


@dataclass(frozen=True)
class Page:
    """A page as a crawler fetched it."""

    url: str
    html: bytes | str
    date: str = "2024-05-01T10:00:00Z"
    ip: str | None = "203.0.113.7"
    status: int = 200
    content_type: str | None = "text/html; charset=utf-8"
    headers: Sequence[tuple[str, str]] = ()

    @property
    def body(self) -> bytes:
        return self.html.encode("utf-8") if isinstance(self.html, str) else self.html

    @property
    def seen(self) -> dt.datetime:
        return dt.datetime.fromisoformat(self.date)


@dataclass(frozen=True)
class WatEntry:
    """One `Links` entry of a WAT record, as the WAT generator writes it."""

    href: str
    text: str = ""
    rel: str | None = None
    path: str = "A@/href"
    title: str | None = None


@dataclass(frozen=True)
class WatPageSpec:
    """A page as a WAT describes it."""

    url: str
    links: Sequence[WatEntry] = ()
    date: str = "2024-05-01T10:00:00Z"
    ip: str | None = "203.0.113.7"
    status: int = 200
    base: str | None = None
    title: str | None = None
    robots: str | None = None
    headers: dict[str, str] = field(default_factory=lambda: {"Content-Type": "text/html"})
    html: bool = True


def http_response(page: Page) -> bytes:
    lines = [f"HTTP/1.1 {page.status} OK"]
    if page.content_type is not None:
        lines.append(f"Content-Type: {page.content_type}")
    lines += [f"{name}: {value}" for name, value in page.headers]
    lines.append(f"Content-Length: {len(page.body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + page.body


def warc_record(
    record_type: str,
    uri: str,
    date: str,
    block: bytes,
    *,
    content_type: str,
    ip: str | None = None,
    digest: bool = True,
    extra: Iterable[tuple[str, str]] = (),
) -> bytes:
    headers = [
        ("WARC-Type", record_type),
        (
            "WARC-Record-ID",
            f"<urn:uuid:{uuid.UUID(int=hash((uri, date, record_type)) & (2**128 - 1))}>",
        ),
        ("WARC-Date", date),
        ("WARC-Target-URI", uri),
    ]
    if ip is not None:
        headers.append(("WARC-IP-Address", ip))
    if digest:
        sha1 = base64.b32encode(hashlib.sha1(block).digest()).decode()
        headers.append(("WARC-Block-Digest", f"sha1:{sha1}"))
    headers += list(extra)
    headers += [("Content-Type", content_type), ("Content-Length", str(len(block)))]
    head = "WARC/1.0\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers) + "\r\n"
    return head.encode("utf-8") + block + CRLF + CRLF


def warc_response(page: Page, *, digest: bool = True) -> bytes:
    return warc_record(
        "response",
        page.url,
        page.date,
        http_response(page),
        content_type="application/http; msgtype=response",
        ip=page.ip,
        digest=digest,
    )


def warc_request(page: Page) -> bytes:
    block = f"GET / HTTP/1.1\r\nHost: {page.url.split('/')[2]}\r\n\r\n".encode()
    return warc_record(
        "request", page.url, page.date, block, content_type="application/http; msgtype=request"
    )


def warcinfo() -> bytes:
    return warc_record(
        "warcinfo",
        "",
        "2024-05-01T00:00:00Z",
        b"software: tests\r\n",
        content_type="application/warc-fields",
    )


def members(records: Iterable[bytes], *, compress: bool = True) -> bytes:
    """The records as a WARC file: one gzip member each (or plain, concatenated)."""
    if not compress:
        return b"".join(records)
    return b"".join(gzip.compress(record, mtime=0) for record in records)


def warc_file(pages: Iterable[Page], *, compress: bool = True, with_requests: bool = True) -> bytes:
    records = [warcinfo()]
    for page in pages:
        if with_requests:
            records.append(warc_request(page))
        records.append(warc_response(page))
    return members(records, compress=compress)


def wat_json(spec: WatPageSpec) -> dict[str, object]:
    head: dict[str, object] = {}
    if spec.title is not None:
        head["Title"] = spec.title
    if spec.base is not None:
        head["Base"] = spec.base
    if spec.robots is not None:
        head["Metas"] = [{"name": "robots", "content": spec.robots}]
    links = []
    for entry in spec.links:
        item: dict[str, str] = {"path": entry.path, "url": entry.href}
        if entry.text:
            item["text"] = entry.text
        if entry.rel is not None:
            item["rel"] = entry.rel
        if entry.title is not None:
            item["title"] = entry.title
        links.append(item)
    response: dict[str, object] = {
        "Response-Message": {"Version": "HTTP/1.1", "Status": str(spec.status), "Reason": "OK"},
        "Headers": spec.headers,
    }
    if spec.html:
        response["HTML-Metadata"] = {"Head": head, "Links": links}
    warc_headers = {"WARC-Type": "response", "WARC-Date": spec.date, "WARC-Target-URI": spec.url}
    if spec.ip is not None:
        warc_headers["WARC-IP-Address"] = spec.ip
    return {
        "Container": {"Filename": "test.warc.gz", "Compressed": True},
        "Envelope": {
            "Format": "WARC",
            "WARC-Header-Metadata": warc_headers,
            "Payload-Metadata": {
                "Actual-Content-Type": "application/http; msgtype=response",
                "HTTP-Response-Metadata": response,
            },
        },
    }


def wat_record(spec: WatPageSpec) -> bytes:
    block = json.dumps(wat_json(spec)).encode("utf-8")
    return warc_record("metadata", spec.url, spec.date, block, content_type="application/json")


def wat_request_record(spec: WatPageSpec) -> bytes:
    document = {
        "Envelope": {"WARC-Header-Metadata": {"WARC-Type": "request", "WARC-Target-URI": spec.url}}
    }
    return warc_record(
        "metadata",
        spec.url,
        spec.date,
        json.dumps(document).encode(),
        content_type="application/json",
    )


def wat_file(specs: Iterable[WatPageSpec], *, compress: bool = True) -> bytes:
    records = [warcinfo()]
    for spec in specs:
        records.append(wat_request_record(spec))
        records.append(wat_record(spec))
    return members(records, compress=compress)


# -- pages written for the tests: every case the archive job must get right ---------------

TARGET_DOMAINS = ("example.com", "bücher.example", "blog.shop.test")

TEST_PAGES = (
    Page(
        "https://news.test/2024/story",
        "<title>A story</title>"
        '<nav><a href="https://www.example.com/">Example</a></nav>'
        '<article><p>Buy <a href="https://example.com/shoes" rel="sponsored">running shoes</a>'
        ' and <a href="https://EXAMPLE.COM/shoes" rel="nofollow ugc">RUNNING shoes</a>.</p>'
        '<a href="https://example.com/shoes" rel="sponsored">running shoes</a></article>'
        '<footer><a href="https://example.com/"><img src="/logo.png" alt="Example logo"></a>'
        '<a href="https://other.test/">other</a></footer>',
    ),
    Page(
        "https://blog.test/post",
        '<head><base href="https://example.com/docs/"></head>'
        '<a href="guide">the guide</a> <a href="//xn--bcher-kva.example/buch">Bücher</a>'
        '<a href="https://BÜCHER.example/">BÜCHER</a><a href="https://blog.shop.test/a">shop blog</a>'
        '<a href="https://shop.test/">not the blog</a>',
        date="2024-06-02T08:30:00Z",
        ip="198.51.100.4",
    ),
    Page(
        "https://forum.test/thread?id=9",
        '<meta name="robots" content="nofollow">'
        '<a href="https://exa&#109;ple.com/hidden">an entity</a>'
        '<a href="https://ex%61mple.com/pct">percent</a>'
        '<a href="https://example&#46;com/dot">a dot</a>',
        date="2023-12-31T23:59:59Z",
        ip=None,
    ),
    Page(
        "https://latin.test/",
        "<p><a href='https://example.com/caf\xe9'>caf\xe9 cr\xe8me</a></p>".encode("latin-1"),
        content_type="text/html; charset=iso-8859-1",
        headers=(("X-Robots-Tag", "noarchive"), ("X-Robots-Tag", "nofollow")),
    ),
    Page(
        "https://www.example.com/about",
        '<a href="/">home</a><a href="https://blog.test/">a friend</a>',
    ),
    Page("https://example.com/logo.png", b"\x89PNG\r\n", content_type="image/png"),
    Page("https://gone.test/", '<a href="https://example.com/">x</a>', status=404),
    Page(
        "https://moved.test/",
        "",
        status=301,
        content_type=None,
        headers=(("Location", "https://x.test/"),),
    ),
    Page(
        "https://wide.test/",
        '\ufeff<a href="https://example.com/wide">wide</a>'.encode("utf-16-le"),
        content_type="text/html",
    ),
    Page(
        "https://quiet.test/",
        '<p>No links to any target here, only <a href="https://quiet.test/x">one</a>.</p>',
    ),
)


def plain_backlinks(pages, targets):
    """(target domain, Backlink) for every link to a target: extract_links on each page as is.

    The reference the archive job must equal: no archive, no rows, no merging.
    """
    import attrs

    from backlinkkit import Backlink, extract_links, registrable_domain

    found = []
    for page in pages:
        is_html = (page.content_type or "").split(";")[0] == "text/html"
        if not (200 <= page.status < 300 and is_html):
            continue
        headers = {}
        for name, value in (("Content-Type", page.content_type), *page.headers):
            if value is not None:
                headers[name] = f"{headers[name]}, {value}" if name in headers else value
        links = extract_links(page.body, page.url, headers=headers)
        site = registrable_domain(page.url)
        external = [link for link in links if link.is_external]
        for link in links:
            for target in targets:
                if target.site == site or not target.matches(link.host):
                    continue
                backlink = attrs.evolve(
                    Backlink.from_link(link, page.url),
                    first_seen=page.seen.date(),
                    last_seen=page.seen.date(),
                    source_ip=page.ip,
                    source_title=links.title,
                    external_links=len(external),
                    linked_domains=len({link.domain for link in external if link.domain}),
                )
                found.append((target.domain, backlink))
    return found


def plain_profiles(pages, targets):
    """One LinkProfile per target, fed with `plain_backlinks`."""
    profiles = {target.domain: target.profile() for target in targets}
    for domain, backlink in plain_backlinks(pages, targets):
        profiles[domain].add(backlink)
    return profiles
