"""Reading archives: the response records of a WARC, the metadata records of a WAT.

FastWARC parses the WARC framing (and gzip); everything a damaged file can do wrong is checked
here, because FastWARC (like warcio) stops silently, or raises, where a file is cut or corrupt:

- a record whose block is shorter than its `Content-Length` is truncated (a cut file);
- a record whose `WARC-Block-Digest` does not match its block is corrupt;
- a gzip member that does not decompress is skipped: reading goes on at the next member that
  does (when the stream can seek, as files and object stores can).

Each damaged or unusable record comes out as a `SkippedRecord` with its reason, never as an
exception: one bad record in a 1 GB archive must not cost the other 40,000.
"""

from __future__ import annotations

import base64
import datetime as dt
import enum
import hashlib
import json
import re
import zlib
from collections.abc import Iterator, Mapping
from typing import IO, Any

import attrs

from .._errors import MissingDependencyError
from .._web._headers import header_value

__all__ = [
    "SkipReason",
    "SkippedRecord",
    "UncheckedPage",
    "WarcPage",
    "WatLink",
    "WatPage",
    "read_warc",
    "read_warc_unchecked",
    "read_wat",
]

_GZIP_MAGIC = b"\x1f\x8b\x08"
# How far past a corrupt gzip member to look for the next good one (records are rarely larger).
_RESYNC_WINDOW = 64 << 20
_RESYNC_CHUNK = 1 << 20
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_WAT_LINK_PATHS = {"A@/href": "a", "AREA@/href": "area"}
_ROBOTS_META_NAMES = frozenset({"robots", "googlebot"})


class SkipReason(enum.Enum):
    """Why a record of an archive gave no page.

    `damaged` tells the reasons that mean a broken file from the ones that mean "not a page".
    """

    NOT_HTML = "not_html"
    """Not an HTML response (an image, a PDF, a `dns:` record, a WAT record without HTML)."""
    HTTP_STATUS = "http_status"
    """An HTTP status other than 2xx: redirects and error pages pass no links."""
    OWN_SITE = "own_site"
    """A page of every target's own site: its links are own links, not backlinks."""
    PREFILTER = "prefilter"
    """The prefilter found no spelling of any target in the page's bytes."""
    CONTENT_ENCODING = "content_encoding"
    """A body in a content encoding that cannot be undone (brotli, zstd, or broken gzip)."""
    TRUNCATED = "truncated"
    """The record's block is shorter than its `Content-Length`: the file was cut."""
    DIGEST_MISMATCH = "digest_mismatch"
    """The block does not match its `WARC-Block-Digest`."""
    CORRUPT_GZIP = "corrupt_gzip"
    """A gzip member does not decompress; reading resumed at the next good member."""
    MALFORMED = "malformed"
    """Unreadable headers, no `WARC-Target-URI` or `WARC-Date`, bad HTTP, bad WAT JSON."""
    UNREADABLE = "unreadable"
    """The archive could not be opened or read at all (a missing file, a network error)."""

    @property
    def damaged(self) -> bool:
        """Whether the reason is damage (a broken file or record), not a page out of scope."""
        return self in _DAMAGE


_DAMAGE = frozenset(
    {
        SkipReason.CONTENT_ENCODING,
        SkipReason.TRUNCATED,
        SkipReason.DIGEST_MISMATCH,
        SkipReason.CORRUPT_GZIP,
        SkipReason.MALFORMED,
        SkipReason.UNREADABLE,
    }
)


@attrs.frozen
class SkippedRecord:
    """A record that gave no page, and why.

    Attributes:
        reason: why it was skipped.
        archive: the archive's name, as given to the reader.
        offset: where the record starts in the archive file (for gzip, the member's offset).
        url: the record's `WARC-Target-URI`, when it could be read.
        detail: a short explanation (the HTTP status, the content type, the error).
    """

    reason: SkipReason
    archive: str
    offset: int
    url: str | None = None
    detail: str = ""


def _frozen(value: Mapping[str, str]) -> Mapping[str, str]:
    import types  # noqa: PLC0415 - only the converter needs it

    return types.MappingProxyType(dict(value))


@attrs.frozen
class WarcPage:
    """One HTML response of a WARC file.

    Attributes:
        archive: the archive's name, as given to the reader.
        offset: where the record starts in the file (the gzip member's offset, as in indexes).
        url: the page's address (`WARC-Target-URI`).
        date: when it was captured (`WARC-Date`), in UTC.
        ip: the server's address (`WARC-IP-Address`), if recorded.
        status: the HTTP status code.
        headers: the HTTP response headers; a header sent several times is joined with ", ".
        body: the response body, with any transfer and content encoding undone.
    """

    archive: str
    offset: int
    url: str
    date: dt.datetime
    ip: str | None
    status: int
    headers: Mapping[str, str] = attrs.field(converter=_frozen, repr=False)
    body: bytes = attrs.field(repr=False)


@attrs.frozen
class WatLink:
    """One `Links` entry of a WAT record (`A@/href` or `AREA@/href`), as the WAT has it.

    Attributes:
        tag: `"a"` or `"area"`.
        href: the raw attribute value (unresolved).
        text: the anchor text, whitespace collapsed and cut at 100 characters by the WAT
            generator; image alt texts are not in it.
        rel: the `rel` attribute as written, or None.
        title: the `title` attribute, or None.
    """

    tag: str
    href: str
    text: str = ""
    rel: str | None = None
    title: str | None = None


@attrs.frozen
class WatPage:
    """One HTML response of a WAT file: the page's metadata and links, as extracted by the WAT.

    Attributes:
        archive: the archive's name, as given to the reader.
        offset: where the WAT record starts in the file.
        url: the page's address (the envelope's `WARC-Target-URI`).
        date: when the page was captured (the envelope's `WARC-Date`), in UTC.
        ip: the server's address (`WARC-IP-Address`), if recorded.
        status: the HTTP status code.
        headers: the HTTP response headers (repeated ones joined with ", ").
        title: the `<title>`, if any.
        base: the raw `<base href>`, if any.
        robots: the content of each `<meta name="robots|googlebot">`, in order.
        links: the page's `<a href>` and `<area href>` entries, in the WAT's order.
    """

    archive: str
    offset: int
    url: str
    date: dt.datetime
    ip: str | None
    status: int
    headers: Mapping[str, str] = attrs.field(converter=_frozen, repr=False)
    title: str | None = None
    base: str | None = None
    robots: tuple[str, ...] = ()
    links: tuple[WatLink, ...] = attrs.field(default=(), repr=False)


def _fastwarc() -> Any:  # noqa: ANN401 - FastWARC's module
    try:
        from fastwarc import warc  # noqa: PLC0415 - the extra is optional
    except ImportError as error:
        raise MissingDependencyError(
            "reading WARC and WAT files needs FastWARC: pip install 'backlinkkit[warc]'"
        ) from error
    return warc


# -- blocks: the WARC framing, with every check FastWARC does not make --------------------


@attrs.frozen
class _Block:
    offset: int
    headers: Mapping[str, str]
    data: bytes

    def damage(self, archive: str) -> SkippedRecord | None:
        """A skip if the block does not match its `WARC-Block-Digest`, else None."""
        digest = self.headers.get("WARC-Block-Digest")
        if digest is None or _digest_ok(digest, self.data) is not False:
            return None
        url = _target_uri(self.headers.get("WARC-Target-URI"))
        return SkippedRecord(SkipReason.DIGEST_MISMATCH, archive, self.offset, url, digest)


def _digest_ok(value: str, data: bytes) -> bool | None:
    """Whether `data` matches a `WARC-Block-Digest` value; None for an unknown algorithm."""
    algorithm, _, encoded = value.strip().partition(":")
    name = algorithm.lower().replace("-", "")
    if name not in {"sha1", "sha256", "sha512", "md5"} or not encoded:
        return None
    digest = hashlib.new(name, data).digest()
    # WARC writers use base32 (the standard's example, Common Crawl), hex or base64.
    text = encoded.strip().rstrip("=")
    return text.upper() == base64.b32encode(digest).decode("ascii").rstrip("=") or (
        text.lower() == digest.hex() or text == base64.b64encode(digest).decode("ascii").rstrip("=")
    )


def _blocks(raw: IO[bytes], archive: str, record_type: str) -> Iterator[_Block | SkippedRecord]:
    warc = _fastwarc()
    # FastWARC asks where the stream is (and panics if it cannot say): count for it.
    stream: IO[bytes] | _Counted = raw if _can_tell(raw) else _Counted(raw)
    gzipped = _peek(stream, len(_GZIP_MAGIC)) == _GZIP_MAGIC
    last_offset = _tell(stream) - 1  # where the last record read starts (none yet)
    while True:
        # Every record type is read (and others passed over here), so that the last record
        # seen is the file's last one: anything after it means FastWARC stopped early.
        iterator = warc.ArchiveIterator(stream, parse_http=False)
        failure = None
        try:
            for record in iterator:
                offset = record.stream_pos  # FastWARC counts from the stream's own position
                last_offset = offset
                block = _wanted(record, offset, archive, record_type)
                if block is not None:
                    yield block
        except OSError as error:
            failure = str(error)
        if not gzipped:
            if failure is not None:
                yield SkippedRecord(
                    SkipReason.CORRUPT_GZIP, archive, last_offset + 1, None, failure
                )
            return
        # A gzip member that does not decompress (FastWARC raises, or stops as if the file
        # ended): skip to the next member that does, if the stream can seek. The search starts
        # past the last record read, so it always moves forward.
        resume = _next_gzip_member(stream, last_offset + 1)
        if failure is None and resume is None:
            return  # the file ended where its last record did
        detail = failure or "FastWARC stopped before the end of the file"
        yield SkippedRecord(
            SkipReason.CORRUPT_GZIP,
            archive,
            last_offset + 1,
            None,
            f"{detail} (after {last_offset})",
        )
        if resume is None:
            return
        stream.seek(resume)
        last_offset = resume - 1


def _wanted(
    record: Any,  # noqa: ANN401 - a FastWARC record
    offset: int,
    archive: str,
    record_type: str,
) -> _Block | SkippedRecord | None:
    """The record's checked block if it is of the type read, a skip if it is broken, else None."""
    kind = record.headers.get("WARC-Type")
    if kind is None:
        return SkippedRecord(SkipReason.MALFORMED, archive, offset, None, "no WARC-Type")
    if kind.strip().lower() != record_type:
        record.reader.consume()  # not read: requests, warcinfo, metadata of WARCs...
        return None
    return _checked(record, offset, archive)


def _checked(record: Any, offset: int, archive: str) -> _Block | SkippedRecord:  # noqa: ANN401
    headers = dict(record.headers.to_tuples())
    url = _target_uri(headers.get("WARC-Target-URI"))
    try:
        data = record.reader.read()
    except OSError as error:
        return SkippedRecord(SkipReason.TRUNCATED, archive, offset, url, str(error))
    expected = record.content_length
    if len(data) < expected:
        return SkippedRecord(
            SkipReason.TRUNCATED, archive, offset, url, f"{len(data)} of {expected} bytes"
        )
    return _Block(offset, headers, data)  # its digest is checked by the reader (`damage`)


class _Counted:
    """A stream that cannot tell its position, made to: it counts what was read (no seeking)."""

    def __init__(self, stream: IO[bytes]) -> None:
        self._stream = stream
        self._position = 0

    def read(self, size: int = -1) -> bytes:
        data = self._stream.read(size)
        self._position += len(data)
        return data

    def tell(self) -> int:
        return self._position

    def seek(self, offset: int, whence: int = 0) -> int:
        raise OSError(f"this stream cannot seek (to {offset}, whence {whence})")

    def readable(self) -> bool:
        return True


def _can_tell(stream: IO[bytes]) -> bool:
    try:
        stream.tell()
    except (OSError, AttributeError, ValueError):
        return False
    return True


def _tell(stream: IO[bytes] | _Counted) -> int:
    try:
        return stream.tell()
    except (OSError, AttributeError, ValueError):
        return 0


def _peek(stream: IO[bytes] | _Counted, size: int) -> bytes:
    if isinstance(stream, _Counted) or not getattr(stream, "seekable", lambda: False)():
        return b""  # not seekable: read as it comes, no resynchronizing
    try:
        position = stream.tell()
        head = stream.read(size)
        stream.seek(position)
    except (OSError, AttributeError, ValueError):
        return b""  # not seekable: read as it comes, no resynchronizing
    return head


def _next_gzip_member(stream: IO[bytes] | _Counted, start: int) -> int | None:
    """The offset of the first gzip member from `start` on that decompresses to a WARC record."""
    try:
        position = start
        while position < start + _RESYNC_WINDOW:
            stream.seek(position)
            chunk = stream.read(_RESYNC_CHUNK + len(_GZIP_MAGIC))
            if len(chunk) < len(_GZIP_MAGIC):
                return None
            found = chunk.find(_GZIP_MAGIC)
            while found >= 0 and found < _RESYNC_CHUNK:
                if _starts_warc_member(stream, position + found):
                    return position + found
                found = chunk.find(_GZIP_MAGIC, found + 1)
            position += _RESYNC_CHUNK
    except (OSError, AttributeError, ValueError):
        return None
    return None


def _starts_warc_member(stream: IO[bytes] | _Counted, offset: int) -> bool:
    """Whether a whole gzip member starts at `offset` and holds the start of a WARC record."""
    stream.seek(offset)
    inflater = zlib.decompressobj(wbits=31)
    head = b""
    read = 0
    try:
        while not inflater.eof and read < _RESYNC_WINDOW:
            chunk = stream.read(1 << 16)
            if not chunk:
                return False  # the member ends before its end: cut short
            read += len(chunk)
            out = inflater.decompress(chunk)
            if len(head) < 8:
                head += out[: 8 - len(head)]
    except zlib.error:
        return False
    return inflater.eof and head.startswith(b"WARC/")


def _target_uri(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    # WARC 1.0's grammar wrapped the URI in angle brackets, and some writers still do.
    if value.startswith("<") and value.endswith(">"):
        value = value[1:-1]
    return value or None


def _warc_date(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        date = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return date.replace(tzinfo=dt.UTC) if date.tzinfo is None else date.astimezone(dt.UTC)


# -- HTTP --------------------------------------------------------------------------------


def _http(data: bytes) -> tuple[int, dict[str, str], bytes] | None:
    """Status, headers (repeated ones joined with ", ") and body of an HTTP response block."""
    end = data.find(b"\r\n\r\n")
    separator = 4
    if end < 0:
        end, separator = data.find(b"\n\n"), 2
        if end < 0:
            end, separator = len(data), 0
    lines = data[:end].decode("latin-1").splitlines()
    if not lines or not lines[0].startswith("HTTP/"):
        return None
    parts = lines[0].split(None, 2)
    if len(parts) < 2 or not parts[1].isdigit():
        return None
    headers: dict[str, str] = {}
    names: dict[str, str] = {}  # lower-cased name -> first spelling
    last = None
    for line in lines[1:]:
        if line[:1] in {" ", "\t"} and last is not None:  # obsolete line folding
            headers[last] = f"{headers[last]} {line.strip()}".strip()
            continue
        name, colon, value = line.partition(":")
        if not colon or not name.strip():
            continue
        key = names.setdefault(name.strip().lower(), name.strip())
        value = value.strip()
        headers[key] = f"{headers[key]}, {value}" if key in headers else value
        last = key
    return int(parts[1]), headers, data[end + separator :]


def _dechunk(body: bytes) -> bytes | None:
    out = bytearray()
    position = 0
    while True:
        line_end = body.find(b"\r\n", position)
        if line_end < 0:
            return None
        size_text = body[position:line_end].split(b";", 1)[0].strip()
        try:
            size = int(size_text, 16)
        except ValueError:
            return None
        if size == 0:
            return bytes(out)
        start = line_end + 2
        out += body[start : start + size]
        position = start + size + 2


def _decoded_body(headers: Mapping[str, str], body: bytes) -> bytes | str:
    """The body with transfer and content encodings undone, or why it cannot be."""
    transfer = (header_value(headers, "transfer-encoding") or "").lower()
    if "chunked" in transfer:
        dechunked = _dechunk(body)
        if dechunked is not None:  # a crawler may store chunked headers on a decoded body
            body = dechunked
    encoding = (header_value(headers, "content-encoding") or "").strip().lower()
    if encoding in {"", "identity"}:
        return body
    if encoding not in {"gzip", "x-gzip", "deflate"}:
        return f"content encoding {encoding!r}"
    try:
        if encoding == "deflate":
            try:
                return zlib.decompress(body)
            except zlib.error:
                return zlib.decompress(body, -zlib.MAX_WBITS)  # raw deflate, as IIS sends
        return zlib.decompress(body, 47)  # gzip or zlib header
    except zlib.error as error:
        return f"broken {encoding} body: {error}"


def _is_html(headers: Mapping[str, str], warc_headers: Mapping[str, str], body: bytes) -> bool:
    content_type = header_value(headers, "content-type")
    if content_type is not None and content_type.strip():
        return content_type.split(";", 1)[0].strip().lower() in _HTML_TYPES
    identified = warc_headers.get("WARC-Identified-Payload-Type", "")
    if identified:
        return identified.split(";", 1)[0].strip().lower() in _HTML_TYPES
    head = body[:1024].lstrip().lower()  # no type at all: what a browser would sniff as HTML
    return head.startswith((b"<!doctype html", b"<html", b"<head", b"<body"))


# -- WARC --------------------------------------------------------------------------------


def read_warc(stream: IO[bytes], *, archive: str = "") -> Iterator[WarcPage | SkippedRecord]:
    r"""The HTML pages of a WARC file (gzip'd per record or not), and the records skipped.

    Only `response` records are read; a record that is no HTML page, or is damaged, comes out
    as a `SkippedRecord` saying why. Nothing in the file raises.

    Args:
        stream: the archive, opened in binary mode (a file, an object-store stream, BytesIO).
            A seekable stream lets reading resume after a corrupt gzip member.
        archive: the archive's name, carried into every page and skipped record.

    Yields:
        A `WarcPage` for each HTML response, a `SkippedRecord` for every other response record.

    Raises:
        MissingDependencyError: FastWARC (the `warc` extra) is not installed.

    >>> import io
    >>> http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<a href=/>home</a>"
    >>> record = (b"WARC/1.0\r\nWARC-Type: response\r\n"
    ...     b"WARC-Record-ID: <urn:uuid:7c0d7f56-4bd7-4d3b-a0aa-0a4bc6a4c1e1>\r\n"
    ...     b"WARC-Date: 2024-05-01T10:00:00Z\r\nWARC-Target-URI: https://blog.test/\r\n"
    ...     b"Content-Type: application/http; msgtype=response\r\n"
    ...     b"Content-Length: %d\r\n\r\n%s\r\n\r\n" % (len(http), http))
    >>> [(page.url, page.status, page.body) for page in read_warc(io.BytesIO(record))]
    [('https://blog.test/', 200, b'<a href=/>home</a>')]
    """
    for item in read_warc_unchecked(stream, archive=archive):
        yield item.checked() if isinstance(item, UncheckedPage) else item


@attrs.frozen
class UncheckedPage:
    """A page of a WARC whose block digest is not checked yet; `checked()` checks it.

    A reader that rules pages out before parsing them (the prefilter) checks the digest of the
    pages it reads only: the SHA-1 of a page is about a sixth of what ruling it out costs.
    """

    page: WarcPage
    _block: _Block

    def damage(self) -> SkippedRecord | None:
        """A `DIGEST_MISMATCH` skip if the block does not match its digest, else None."""
        return self._block.damage(self.page.archive)

    def checked(self) -> WarcPage | SkippedRecord:
        """The page, or the skip saying its block does not match its digest."""
        return self.damage() or self.page


def read_warc_unchecked(
    stream: IO[bytes], *, archive: str = ""
) -> Iterator[UncheckedPage | SkippedRecord]:
    """`read_warc`, but each page comes with its digest not checked yet (see `UncheckedPage`).

    A record that gives no page is checked at once: a damaged block is a `DIGEST_MISMATCH`,
    whatever else its garbage looked like.
    """
    for block in _blocks(stream, archive, "response"):
        if isinstance(block, SkippedRecord):
            yield block
            continue
        page = _warc_page(block, archive)
        if isinstance(page, SkippedRecord):
            yield block.damage(archive) or page
        else:
            yield UncheckedPage(page, block)


def _warc_page(block: _Block, archive: str) -> WarcPage | SkippedRecord:
    url = _target_uri(block.headers.get("WARC-Target-URI"))
    date = _warc_date(block.headers.get("WARC-Date"))
    if url is None or date is None:
        missing = "WARC-Target-URI" if url is None else "a valid WARC-Date"
        return SkippedRecord(SkipReason.MALFORMED, archive, block.offset, url, f"no {missing}")
    http = _http(block.data)
    if http is None:
        detail = block.headers.get("Content-Type", "")
        reason = SkipReason.MALFORMED if "application/http" in detail else SkipReason.NOT_HTML
        return SkippedRecord(reason, archive, block.offset, url, detail or "not an HTTP response")
    status, headers, body = http
    if not 200 <= status < 300:
        return SkippedRecord(SkipReason.HTTP_STATUS, archive, block.offset, url, str(status))
    decoded = _decoded_body(headers, body)
    if isinstance(decoded, str):
        return SkippedRecord(SkipReason.CONTENT_ENCODING, archive, block.offset, url, decoded)
    if not _is_html(headers, block.headers, decoded):
        detail = header_value(headers, "content-type") or "no content type"
        return SkippedRecord(SkipReason.NOT_HTML, archive, block.offset, url, detail)
    ip = block.headers.get("WARC-IP-Address")
    return WarcPage(
        archive, block.offset, url, date, ip.strip() if ip else None, status, headers, decoded
    )


# -- WAT ---------------------------------------------------------------------------------

_WHITESPACE_RUN = re.compile("[\t\n\x0c\r ]+")


def read_wat(stream: IO[bytes], *, archive: str = "") -> Iterator[WatPage | SkippedRecord]:
    """The HTML pages of a WAT file, with their links as the WAT extracted them.

    Only metadata records describing a `response` are read (a WAT also describes requests and
    metadata records: those are passed over, not counted). A response without HTML metadata
    comes out as a `SkippedRecord` (`NOT_HTML`), as do damaged records.

    Args:
        stream: the WAT file, opened in binary mode.
        archive: the archive's name, carried into every page and skipped record.

    Yields:
        A `WatPage` for each HTML response, a `SkippedRecord` for every other response.

    Raises:
        MissingDependencyError: FastWARC (the `warc` extra) is not installed.
    """
    for block in _blocks(stream, archive, "metadata"):
        if isinstance(block, SkippedRecord):
            yield block
            continue
        damage = block.damage(archive)
        if damage is not None:
            yield damage
            continue
        page = _wat_page(block, archive)
        if page is not None:
            yield page


def _wat_page(block: _Block, archive: str) -> WatPage | SkippedRecord | None:
    url = _target_uri(block.headers.get("WARC-Target-URI"))
    try:
        document = json.loads(block.data)
        envelope = document["Envelope"]
        warc_headers = envelope["WARC-Header-Metadata"]
    except (ValueError, KeyError, TypeError) as error:
        return SkippedRecord(SkipReason.MALFORMED, archive, block.offset, url, f"WAT JSON: {error}")
    if not isinstance(warc_headers, dict) or warc_headers.get("WARC-Type") != "response":
        return None
    url = _target_uri(_text(warc_headers.get("WARC-Target-URI"))) or url
    date = _warc_date(_text(warc_headers.get("WARC-Date")))
    if url is None or date is None:
        missing = "WARC-Target-URI" if url is None else "a valid WARC-Date"
        return SkippedRecord(SkipReason.MALFORMED, archive, block.offset, url, f"no {missing}")
    payload = envelope.get("Payload-Metadata")
    response = payload.get("HTTP-Response-Metadata") if isinstance(payload, dict) else None
    if not isinstance(response, dict):
        return SkippedRecord(
            SkipReason.NOT_HTML, archive, block.offset, url, "not an HTTP response"
        )
    message = response.get("Response-Message")
    status_text = _text(message.get("Status")) if isinstance(message, dict) else None
    if status_text is None or not status_text.strip().isdigit():
        return SkippedRecord(SkipReason.MALFORMED, archive, block.offset, url, "no HTTP status")
    status = int(status_text)
    if not 200 <= status < 300:
        return SkippedRecord(SkipReason.HTTP_STATUS, archive, block.offset, url, str(status))
    html = response.get("HTML-Metadata")
    headers = _wat_headers(response.get("Headers"))
    if not isinstance(html, dict):
        detail = header_value(headers, "content-type") or "no HTML metadata"
        return SkippedRecord(SkipReason.NOT_HTML, archive, block.offset, url, detail)
    head_value = html.get("Head")
    head: dict[str, object] = head_value if isinstance(head_value, dict) else {}
    ip = _text(warc_headers.get("WARC-IP-Address"))
    return WatPage(
        archive,
        block.offset,
        url,
        date,
        ip.strip() if ip else None,
        status,
        headers,
        title=_text(head.get("Title")),
        base=_text(head.get("Base")),
        robots=_robots_metas(head.get("Metas")),
        links=_wat_links(html.get("Links")),
    )


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _wat_headers(value: object) -> dict[str, str]:
    if not isinstance(value, dict):
        return {}
    headers: dict[str, str] = {}
    for name, item in value.items():
        if isinstance(item, list):
            headers[str(name)] = ", ".join(str(part) for part in item)
        elif isinstance(item, str):
            headers[str(name)] = item
    return headers


def _robots_metas(value: object) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    contents = []
    for meta in value:
        if not isinstance(meta, dict):
            continue
        name, content = meta.get("name"), meta.get("content")
        is_robots = isinstance(name, str) and name.strip().lower() in _ROBOTS_META_NAMES
        if is_robots and isinstance(content, str):
            contents.append(content)
    return tuple(contents)


def _wat_links(value: object) -> tuple[WatLink, ...]:
    if not isinstance(value, list):
        return ()
    links = []
    for entry in value:
        if not isinstance(entry, dict):
            continue
        tag = _WAT_LINK_PATHS.get(entry.get("path", ""))
        href = entry.get("url")
        if tag is None or not isinstance(href, str):
            continue
        text = _text(entry.get("text")) or ""
        links.append(
            WatLink(
                tag,
                href,
                _WHITESPACE_RUN.sub(" ", text).strip(" "),
                _text(entry.get("rel")),
                _text(entry.get("title")),
            )
        )
    return tuple(links)
