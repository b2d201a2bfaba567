"""Where archives, manifests and outputs live: local paths, `file://`, and object stores.

Local paths and `file://` URLs are opened directly. Other URLs (`s3://`, `s3a://`, `gs://`,
`hdfs://`, ...) go through pyarrow's filesystems, which read object stores with the machine's
usual credentials (an instance role on EMR, the service account on Dataproc); `s3a://` and
`s3n://`, Hadoop's names for S3, are read as `s3://`.
"""

from __future__ import annotations

import gzip
import urllib.parse
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path, PurePosixPath
from typing import IO, Any

from .._errors import MissingDependencyError
from ._errors import ArchiveJobError

__all__ = [
    "MANIFEST_LIMIT",
    "archive_format_of",
    "check_manifests",
    "exists",
    "is_archive_name",
    "join_location",
    "manifest_entries",
    "open_input",
    "open_output",
    "read_manifest",
    "resolve_entry",
]

MANIFEST_LIMIT = 256 << 20
"""The largest manifest read, decompressed (Common Crawl's hold about 15 MB)."""
_SNIFF = 4096  # the first bytes that tell a manifest (text) from anything else
_GZIP_MAGIC = b"\x1f\x8b"

_ARCHIVE_SUFFIXES = (".warc", ".warc.gz", ".wat", ".wat.gz")
_HADOOP_S3 = {"s3a": "s3", "s3n": "s3"}


def _split(location: str) -> tuple[str | None, str]:
    """(scheme, rest) of a location; (None, path) for a plain local path."""
    scheme, sep, _ = location.partition("://")
    if not sep or not scheme.isascii() or not scheme.replace("+", "").isalnum():
        return None, location
    return scheme.lower(), location


def _local_path(location: str) -> str | None:
    scheme, _ = _split(location)
    if scheme is None:
        return location
    if scheme == "file":
        return urllib.parse.unquote(urllib.parse.urlsplit(location).path)
    return None


def _filesystem(location: str) -> tuple[Any, str]:  # pyarrow.fs.FileSystem and its path
    try:
        from pyarrow import fs  # noqa: PLC0415 - only remote locations need it
    except ImportError as error:
        raise MissingDependencyError(
            f"reading or writing {location} needs pyarrow: pip install 'backlinkkit[warc]'"
        ) from error
    scheme, _ = _split(location)
    uri = location
    if scheme in _HADOOP_S3:
        uri = _HADOOP_S3[scheme] + location[len(scheme) :]
    filesystem, path = fs.FileSystem.from_uri(uri)
    return filesystem, path


def open_input(location: str) -> IO[bytes]:
    """Open an archive or manifest for reading, seekable where the store allows.

    Raises:
        OSError: it cannot be opened.
        MissingDependencyError: a remote location without pyarrow installed.
    """
    local = _local_path(location)
    if local is not None:
        return Path(local).open("rb")
    try:
        filesystem, path = _filesystem(location)
        stream: IO[bytes] = filesystem.open_input_file(path)
    except (ValueError, TypeError) as error:  # pyarrow's "unrecognized filesystem" and kin
        raise OSError(f"cannot open {location}: {error}") from error
    return stream


def open_output(location: str) -> IO[bytes]:
    """Open a file for writing (creating the folders it needs, for local paths)."""
    local = _local_path(location)
    if local is not None:
        Path(local).parent.mkdir(parents=True, exist_ok=True)
        return Path(local).open("wb")
    filesystem, path = _filesystem(location)
    stream: IO[bytes] = filesystem.open_output_stream(path)
    return stream


def join_location(base: str, *names: str) -> str:
    """`base` with `names` appended as path segments (local path or URL alike)."""
    local = _local_path(base)
    if local is not None and _split(base)[0] is None:
        return str(Path(base).joinpath(*names))
    return "/".join([base.rstrip("/"), *names])


def exists(location: str) -> bool:
    """Whether a file or folder is at `location` (False where that cannot be told)."""
    local = _local_path(location)
    if local is not None:
        return Path(local).exists()
    try:
        from pyarrow import fs  # noqa: PLC0415

        filesystem, path = _filesystem(location)
        return bool(filesystem.get_file_info(path).type != fs.FileType.NotFound)
    except (OSError, ValueError, MissingDependencyError):
        return False


def _name(location: str) -> str:
    path = urllib.parse.urlsplit(location).path if _split(location)[0] else location
    return PurePosixPath(path.replace("\\", "/")).name.lower()


def is_archive_name(location: str) -> bool:
    """Whether `location` names an archive (`.warc[.gz]`, `.wat[.gz]`) rather than a manifest."""
    return _name(location).endswith(_ARCHIVE_SUFFIXES)


def archive_format_of(location: str) -> str:
    """`"wat"` for a WAT file name (Common Crawl's `*.warc.wat.gz` included), else `"warc"`."""
    return "wat" if _name(location).endswith((".wat", ".wat.gz")) else "warc"


def resolve_entry(entry: str, prefix: str | None) -> str:
    """A manifest entry as a location: as written, or under `prefix` when it is relative.

    Common Crawl's manifests list paths relative to its bucket (`crawl-data/CC-MAIN-...`):
    pass `s3://commoncrawl/` (or the HTTPS mirror's URL) as the prefix.
    """
    if prefix is None or _split(entry)[0] is not None or entry.startswith("/"):
        return entry
    return prefix.rstrip("/") + "/" + entry.lstrip("/")


def _not_a_manifest(location: str, why: str) -> ArchiveJobError:
    return ArchiveJobError(
        f"{location} is neither an archive (.warc, .warc.gz, .wat, .wat.gz) nor a manifest "
        f"(one archive path a line): {why}"
    )


def read_manifest(stream: IO[bytes], location: str) -> bytes:
    """The text of a manifest, decompressed, read only as far as it can be one.

    A manifest is text, one path a line: its first bytes decide, so `/dev/zero` or a binary
    file is refused at once, and no manifest is read past `MANIFEST_LIMIT` bytes.

    Raises:
        ArchiveJobError: it holds a NUL byte, or more than `MANIFEST_LIMIT` bytes.
        OSError: it cannot be read, or is gzip'd data that does not decompress.
    """
    decompressor = None
    first = stream.read(_SNIFF)
    if first[:2] == _GZIP_MAGIC:
        decompressor = zlib.decompressobj(wbits=31)
    parts: list[bytes] = []
    size = 0
    chunk = first
    while chunk:
        if decompressor is not None:
            try:
                text = decompressor.decompress(chunk, MANIFEST_LIMIT + 1 - size)
            except zlib.error as error:
                raise OSError(f"{location}: not gzip data ({error})") from None
            chunk = decompressor.unconsumed_tail
        else:
            text, chunk = chunk, b""
        if b"\0" in text:
            raise _not_a_manifest(location, "it holds binary data")
        size += len(text)
        if size > MANIFEST_LIMIT:
            raise _not_a_manifest(location, f"it is over {MANIFEST_LIMIT >> 20} MiB")
        parts.append(text)
        if not chunk:
            chunk = stream.read(1 << 20)
    return b"".join(parts)


def check_manifests(sources: Iterable[str]) -> None:
    """Refuse, at their first bytes, the local sources that are neither archives nor manifests.

    Raises:
        ArchiveJobError: a local source is binary data with no archive's name.
        OSError: a local source cannot be opened or read.
    """
    for source in sources:
        local = _local_path(source)
        if local is None or is_archive_name(source):
            continue
        with Path(local).open("rb") as stream:
            first = stream.read(_SNIFF)
        if first[:2] == _GZIP_MAGIC:
            try:
                first = zlib.decompressobj(wbits=31).decompress(first, _SNIFF)
            except zlib.error as error:
                raise OSError(f"{source}: not gzip data ({error})") from None
        if b"\0" in first:
            raise _not_a_manifest(source, "it holds binary data")


def manifest_entries(data: bytes) -> Iterator[str]:
    """The archive paths a manifest lists: one a line, gzip'd or not; blanks and `#` lines skipped.

    Raises:
        OSError: gzip'd data that does not decompress.
    """
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    for line in data.decode("utf-8", errors="replace").splitlines():
        entry = line.strip()
        if entry and not entry.startswith("#"):
            yield entry
