"""Google disavow files: read one, merge into it, check it, write it, never lose a line.

A new upload replaces the old list in Search Console, so the real workflow is download, merge,
check, upload. `DisavowFile.parse` keeps every line of the downloaded file (invalid ones too,
marked with their problems) so that an unchanged file writes back byte for byte; entries added
or merged in are normalized and appended; `validate` and the writers hold the file to Google's
rules.

The parts: `_disavow_rules` (Google's rules and the reading of one line), `_disavow_entry` (one
entry), `_disavow_lines` (where every line is, and how added ones are laid out), and here the
file's API over them.
"""

from __future__ import annotations

import datetime as dt
import enum
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import cast, overload

import attrs

from .._errors import DisavowError, DisavowLimitError
from .._web._urls import is_ip_address
from ._entry import DisavowEntry, DisavowEntryKind, entry_of_key
from ._lines import (
    COMMENT,
    ENDING,
    INVALID,
    KEY,
    KIND,
    NUMBER,
    PROBLEMS,
    SORTED,
    STATE_VERSIONS,
    TEXT,
    UNDECODABLE,
    Line,
    LineStore,
    comment_line,
    first_line_bom,
    identity,
    problem_pairs,
    rewritten,
    to_bytes,
    to_text,
)
from ._rules import (
    DOMAIN_PREFIX,
    MAX_BYTES,
    MAX_HOST_LENGTH,
    MAX_LINES,
    DisavowLineKind,
    DisavowProblem,
    DisavowProblemCode,
    check_state_version,
    comment_text,
    copy_fields,
    escape_ascii,
    quote,
    redact_credentials,
    slot_setters,
    url_host,
    url_key,
)

__all__ = [
    "DisavowDiff",
    "DisavowEntry",
    "DisavowEntryKind",
    "DisavowFile",
    "DisavowLine",
    "InvalidLines",
]

_BOM = "\ufeff"
# The kinds of lines as `DisavowLine` gives them, by the value lines hold.
_KINDS = {kind.value: kind for kind in DisavowLineKind}
_CODES = {code.value: code for code in DisavowProblemCode}  # (a dict is faster than the call)
_SPACES = " \t"
_STATE_VERSION = 1
# How many problems an error message lists before it says "and N more".
_MESSAGE_PROBLEMS = 10
# A UTF-16 byte-order mark, as the first line of a parsed `bytes` input holds it.
_UTF16_MARKS = ("\udcff\udcfe", "\udcfe\udcff")


class InvalidLines(enum.Enum):
    """What the writers do with lines Google may not accept (`DisavowFile.to_text`)."""

    REFUSE = "refuse"
    """Raise ``DisavowError`` listing the problems; also refuse files over Google's limits."""
    COMMENT_OUT = "comment-out"
    """Write each invalid line as a comment, ``# invalid (reason): line``, in ASCII."""
    KEEP = "keep"
    """Write every line as it is and check nothing, limits included: a verbatim copy."""


_new = object.__new__
_set_line, _set_code, _set_reason, _set_text = slot_setters(DisavowProblem)


def _problem(number: int | None, code: str, reason: str, text: str) -> DisavowProblem:
    """`DisavowProblem(number, _CODES[code], reason, text)`, made faster (`slot_setters`)."""
    problem: DisavowProblem = _new(DisavowProblem)
    _set_line(problem, number)
    _set_code(problem, _CODES[code])
    _set_reason(problem, reason)
    _set_text(problem, text)
    return problem


def _problems_of(line: Line) -> tuple[DisavowProblem, ...]:
    number, text = line[NUMBER], line[TEXT]
    return tuple(
        [_problem(number, code, reason, text) for code, reason in problem_pairs(line[PROBLEMS])]
    )


def _entry_state(entry: DisavowEntry) -> list[object]:
    return [entry.kind.value, entry.value, entry.comment]


def _entry_from_state(state: object) -> DisavowEntry:
    kind, value, comment = cast("tuple[str, str, str | None]", state)
    return DisavowEntry(DisavowEntryKind(kind), value, comment=comment)


@attrs.frozen
class DisavowLine:
    r"""One line of a disavow file, as it was read or will be written.

    Attributes:
        text: the line without its line end; undecodable bytes of a parsed `bytes` input are
            kept as lone surrogates (Python's `surrogateescape`) so they can be written back.
        ending: `"\n"`, `"\r\n"`, or `""` for a last line without one.
        kind: domain, URL, comment, blank or invalid.
        number: the 1-based line number in the parsed text; None for a line added since.
        entry: the entry of a domain or URL line, normalized; None for other lines.
        problems: why an invalid line may be refused by Google; empty for other lines.

    >>> from backlinkkit import DisavowFile
    >>> [line.kind.value for line in DisavowFile.parse("# x\ndomain:a.example\nhttp://\n").lines]
    ['comment', 'domain', 'invalid']
    """

    text: str
    ending: str
    kind: DisavowLineKind
    number: int | None
    entry: DisavowEntry | None = None
    problems: tuple[DisavowProblem, ...] = ()

    def __getstate__(self) -> dict[str, object]:
        return {
            "version": _STATE_VERSION,
            "text": self.text,
            "ending": self.ending,
            "kind": self.kind.value,
            "number": self.number,
            "entry": None if self.entry is None else _entry_state(self.entry),
            "problems": [
                [problem.line, problem.code.value, problem.reason, problem.text]
                for problem in self.problems
            ],
        }

    def __setstate__(self, state: Mapping[str, object]) -> None:
        check_state_version(state, "DisavowLine")
        entry = state["entry"]
        fresh = DisavowLine(
            text=state["text"],  # type: ignore[arg-type]
            ending=state["ending"],  # type: ignore[arg-type]
            kind=DisavowLineKind(state["kind"]),
            number=state["number"],  # type: ignore[arg-type]
            entry=None if entry is None else _entry_from_state(entry),
            problems=tuple(
                DisavowProblem(line, DisavowProblemCode(code), reason, text)
                for line, code, reason, text in state["problems"]  # type: ignore[attr-defined]
            ),
        )
        copy_fields(fresh, self)


@attrs.frozen
class DisavowDiff:
    r"""What one disavow file adds and removes compared with another (`old.diff(new)`).

    Attributes:
        added: entries in the new file and not in the old one, in the new file's order.
        removed: entries in the old file and not in the new one, in the old file's order.

    >>> from backlinkkit import DisavowFile
    >>> old = DisavowFile.parse("domain:a.example\ndomain:b.example\n")
    >>> new = DisavowFile.parse("domain:b.example\ndomain:c.example\n")
    >>> [str(e) for e in old.diff(new).added], [str(e) for e in old.diff(new).removed]
    (['domain:c.example'], ['domain:a.example'])
    """

    added: tuple[DisavowEntry, ...] = ()
    removed: tuple[DisavowEntry, ...] = ()

    @property
    def is_empty(self) -> bool:
        """Nothing added and nothing removed."""
        return not self.added and not self.removed

    def __getstate__(self) -> dict[str, object]:
        return {
            "version": _STATE_VERSION,
            "added": [_entry_state(entry) for entry in self.added],
            "removed": [_entry_state(entry) for entry in self.removed],
        }

    def __setstate__(self, state: Mapping[str, object]) -> None:
        check_state_version(state, "DisavowDiff")
        fresh = DisavowDiff(
            added=tuple(map(_entry_from_state, state["added"])),  # type: ignore[call-overload]
            removed=tuple(map(_entry_from_state, state["removed"])),  # type: ignore[call-overload]
        )
        copy_fields(fresh, self)


def _today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()


def _as_date(value: dt.date | None) -> dt.date | None:
    if value is None or type(value) is dt.date:
        return value
    if isinstance(value, dt.datetime):
        return value.date()  # its date: a time in the header would say nothing more
    if isinstance(value, dt.date):
        return value
    raise TypeError(f"date must be a datetime.date or None, not {type(value).__name__}")


def _decoded(data: object) -> tuple[str, bool]:
    """The text of a file given as str or bytes-like, and whether some bytes were not UTF-8."""
    if isinstance(data, str):
        return data, False
    if isinstance(data, (bytes, bytearray, memoryview)):
        raw = bytes(data)
        try:
            return raw.decode("utf-8"), False
        except UnicodeDecodeError:
            # Undecodable bytes become surrogate escapes (PEP 383), written back exactly.
            return raw.decode("utf-8", "surrogateescape"), True
    hint = ""
    if isinstance(data, os.PathLike):
        hint = ": read the file first, DisavowFile.parse(path.read_bytes())"
    elif hasattr(data, "read"):
        hint = ": read the stream first, DisavowFile.parse(stream.read())"
    raise TypeError(
        f"DisavowFile.parse takes the file's content as str or bytes, not "
        f"{type(data).__name__}{hint}"
    )


def _where(line: Line) -> str:
    if line[NUMBER] is not None:
        return f"line {line[NUMBER]}"
    return f"the line {quote(line[TEXT])} (added since the file was read)"


@attrs.define(eq=False, repr=False)
class DisavowFile:
    """A Google disavow file being read, edited and written: a builder, changed in place.

    Two ways in: `DisavowFile.parse` reads an existing file (the one downloaded from Search
    Console) and keeps every line in order, so that when nothing changes, `to_bytes` gives the
    input back byte for byte; entries added or merged in are appended at its end, under a dated
    comment. `DisavowFile()` (or `from_entries`) makes a file anew, written with a dated header
    and its entries sorted, domains first. Either way, an entry's comments are the comment lines
    directly above it, one per line.

    Iterating gives the entries (each once, in file order), `len` counts them, `in` asks for
    one. `date` is the date the header and merge comments carry (today, in UTC, when None).
    A file pickles as versioned plain data: a file pickled by this version loads in later ones.

    >>> import datetime as dt
    >>> file = DisavowFile(date=dt.date(2026, 11, 24))
    >>> file.add_url("https://spam.example/page")
    DisavowEntry(kind=<DisavowEntryKind.URL: 'url'>, value='https://spam.example/page', comment=None)
    >>> _ = file.add_domain("www.Links-Farm.example", comment="paid links")
    >>> print(file.to_text(), end="")
    # Disavow file generated by backlinkkit on 2026-11-24
    <BLANKLINE>
    # paid links
    domain:links-farm.example
    <BLANKLINE>
    https://spam.example/page
    """  # noqa: E501 - a doctest output line cannot wrap

    date: dt.date | None = attrs.field(default=None, kw_only=True, converter=_as_date)
    _store: LineStore = attrs.field(factory=lambda: LineStore(SORTED), init=False, repr=False)

    def __repr__(self) -> str:
        store = self._store
        origin = store.layout.name
        if store.layout is not SORTED and store.changed:
            origin += ", changed"
        return f"<DisavowFile ({origin}): {len(self):,} entries>"

    # -- making one ----------------------------------------------------------------------------

    @classmethod
    def parse(
        cls, text: str | bytes | bytearray | memoryview, *, date: dt.date | None = None
    ) -> DisavowFile:
        r"""Read a disavow file, keeping every line (invalid ones marked with their problems).

        Args:
            text: the file as text, or as bytes (UTF-8; a BOM and undecodable bytes are kept so
                that `to_bytes` gives the input back); a `bytearray` or `memoryview` is read as
                its bytes.
            date: the date for the comment above entries added later; today when None.

        Returns:
            The file; `validate()` lists what Google would not accept.

        Raises:
            TypeError: `text` is neither text nor bytes (a path or an open file, say).

        >>> file = DisavowFile.parse(b"\xef\xbb\xbfdomain:spam.example\r\n# note  \r\n")
        >>> [str(entry) for entry in file]
        ['domain:spam.example']
        >>> file.to_bytes()
        b'\xef\xbb\xbfdomain:spam.example\r\n# note  \r\n'
        """
        decoded, undecodable = _decoded(text)
        bom = ""
        if decoded.startswith(_BOM):
            bom, decoded = _BOM, decoded[1:]
        file = cls(date=date)
        file._store = LineStore.parsed(decoded, bom=bom, undecodable=undecodable)
        return file

    @classmethod
    def from_entries(
        cls, entries: Iterable[DisavowEntry], *, date: dt.date | None = None
    ) -> DisavowFile:
        """A new file of `entries` (duplicates collapse, their comments kept).

        >>> file = DisavowFile.from_entries([DisavowEntry.url("https://b.example/"),
        ...                                  DisavowEntry.domain("a.example")])
        >>> [str(entry) for entry in file]
        ['domain:a.example', 'https://b.example/']
        """
        file = cls(date=date)
        for entry in entries:
            file.add(entry)
        return file

    # -- changing it ---------------------------------------------------------------------------

    def add(self, entry: DisavowEntry) -> DisavowEntry:
        """Add an entry; an entry already present only gains the comment, if new.

        Returns:
            The entry as given.

        Raises:
            TypeError: `entry` is not a `DisavowEntry`.

        >>> file = DisavowFile()
        >>> _ = file.add(DisavowEntry.domain("spam.example"))
        >>> len(file)
        1
        """
        if not isinstance(entry, DisavowEntry):
            raise TypeError(
                f"add takes a DisavowEntry, not {type(entry).__name__}: use add_domain or "
                f"add_url for strings"
            )
        key = entry.line
        comments = [comment_line(f"# {entry.comment}")] if entry.comment else []
        if key in self._store:
            self._store.add_comments(key, comments)
        else:
            self._store.add_entry(key, comments)
        return entry

    def add_domain(
        self,
        host: str,
        comment: str | None = None,
        *,
        keep_www: bool = False,
        allow_public_suffix: bool = False,
    ) -> DisavowEntry:
        """Add a `domain:` entry: see `DisavowEntry.domain` for the normalization.

        Returns:
            The normalized entry.

        Raises:
            DisavowError: `host` is not a host Google would take.

        >>> file = DisavowFile()
        >>> file.add_domain("https://WWW.Spam.Example/").value
        'spam.example'
        """
        return self.add(
            DisavowEntry.domain(
                host, comment=comment, keep_www=keep_www, allow_public_suffix=allow_public_suffix
            )
        )

    def add_url(self, url: str, comment: str | None = None) -> DisavowEntry:
        """Add a URL entry: see `DisavowEntry.url` for the normalization.

        A URL already covered by a `domain:` entry is still added: `redundant()` reports it
        and `compact()` drops it. A user name or password in `url` is dropped: it must not be
        uploaded, and the page is the same without it.

        Returns:
            The normalized entry.

        Raises:
            DisavowError: `url` is not an absolute http(s) URL of at most 2,048 characters.

        >>> DisavowFile().add_url("http://Spam.example/x?y#z").value
        'http://spam.example/x?y'
        """
        return self.add(DisavowEntry.url(url, comment=comment))

    def remove(self, entry: DisavowEntry | str, *, missing_ok: bool = False) -> None:
        r"""Remove an entry (every line holding it); the comment lines around it stay.

        Args:
            entry: the entry, or its line (`domain:host` or a URL).
            missing_ok: do nothing, rather than raise, when the entry is not in the file.

        Raises:
            DisavowError: the entry is not in the file (unless `missing_ok`), or `entry` is a
                string that is not an entry.

        >>> file = DisavowFile.parse("domain:a.example\ndomain:b.example\n")
        >>> file.remove("domain:A.example")
        >>> [str(entry) for entry in file]
        ['domain:b.example']
        """
        if not isinstance(entry, (DisavowEntry, str)):
            raise TypeError(f"remove takes a DisavowEntry or a line, not {type(entry).__name__}")
        key = (DisavowEntry.parse(entry) if isinstance(entry, str) else entry).line
        if key not in self._store:
            if missing_ok:
                return
            raise DisavowError(f"not in the disavow file: {key}")
        self._store.remove(key)

    def merge(self, other: DisavowFile) -> DisavowDiff:
        r"""Merge another file's entries and comments into this one; nothing is lost.

        New entries (with the comment lines directly above them) are appended, under a dated
        comment for a parsed file; an entry already here gains the other's comments above it
        that it has not already; the other's other comments and invalid lines are carried over
        unless the same line is already in the file. Entries of this file keep their place.
        Lines keep their own text and bytes: a merged line of undecodable bytes is written back
        as those bytes.

        Returns:
            The entries added.

        Raises:
            TypeError: `other` is not a `DisavowFile`.

        >>> mine = DisavowFile.parse("domain:a.example\n", date=dt.date(2026, 11, 24))
        >>> [str(e) for e in mine.merge(DisavowFile.parse("# audit\ndomain:b.example\n")).added]
        ['domain:b.example']
        >>> print(mine.to_text(), end="")
        domain:a.example
        <BLANKLINE>
        # Added by backlinkkit on 2026-11-24
        <BLANKLINE>
        # audit
        domain:b.example
        """
        if not isinstance(other, DisavowFile):
            raise TypeError(f"merge takes a DisavowFile, not {type(other).__name__}")
        store = self._store
        headers = store.headers(self._the_date())

        def fresh(line: Line) -> bool:
            return identity(line) not in headers and not store.present(line)

        added: list[DisavowEntry] = []
        pending: list[Line] = []
        for line in list(other._store.content()):  # a copy: `other` may be this very file
            kind = line[KIND]
            if kind == COMMENT:
                pending.append(line)
                continue
            key = line[KEY]
            if key is not None:
                if key in store:
                    store.add_comments(key, pending)  # those it has not already
                else:
                    store.add_entry(key, pending)
                    added.append(entry_of_key(key, self._comment_of(key)))
            else:
                for comment in pending:
                    if fresh(comment):
                        store.carry(comment)
                if kind == INVALID and fresh(line):
                    store.carry(line)
            pending = []
        for comment in pending:
            if fresh(comment):
                store.carry(comment)
        return DisavowDiff(added=tuple(added))

    def compact(self) -> DisavowDiff:
        r"""Drop duplicate entry lines and entries covered by a `domain:` entry.

        A URL under `domain:` host, or `domain:sub.host` under `domain:host`, disavows nothing
        more; dropping them helps a file fit Google's 100,000 lines. Comments stay.

        Returns:
            The entries removed (a duplicate's first line stays, so it is not among them).

        >>> file = DisavowFile.parse("domain:spam.example\nhttps://www.spam.example/x\n")
        >>> [str(e) for e in file.compact().removed]
        ['https://www.spam.example/x']
        """
        store = self._store
        store.drop_duplicates()
        removed = [key for key in store.entry_keys() if self._covering(key) is not None]
        for key in removed:
            store.remove(key)
        return DisavowDiff(removed=tuple(map(entry_of_key, removed)))

    # -- asking it -----------------------------------------------------------------------------

    def __iter__(self) -> Iterator[DisavowEntry]:
        seen: set[str] = set()
        run: list[Line] = []
        for line in self._store.content():
            if line[KIND] == COMMENT:
                run.append(line)
                continue
            key = line[KEY]
            if key is not None and key not in seen:
                seen.add(key)
                yield entry_of_key(key, _joined_comments(run))
            run = []

    def __len__(self) -> int:
        return len(self._store)

    def __contains__(self, entry: object) -> bool:
        if isinstance(entry, str):
            try:
                entry = DisavowEntry.parse(entry)
            except DisavowError:
                return False
        return isinstance(entry, DisavowEntry) and entry.line in self._store

    @property
    def lines(self) -> Sequence[DisavowLine]:
        """Every line as it would be written (`to_text(invalid=InvalidLines.KEEP)`).

        A read-only sequence, fixed when asked for (later changes to the file do not show in
        it), that makes each `DisavowLine` when it is read: a 1,000,000-line file does not
        build 1,000,000 objects to be counted. It equals the tuple of the same lines, and
        pickles as one.
        """
        return _LineView(list(self._lines()))

    def covers(self, url: str) -> bool:
        r"""Whether a link from the page `url` is disavowed by this file.

        `domain:example.com` covers every URL on example.com and its subdomains; a URL entry
        covers exactly that URL after normalization (scheme, `www.` and query all count).

        Raises:
            DisavowError: `url` is not an absolute http(s) URL.

        >>> file = DisavowFile.parse("domain:spam.example\nhttps://blog.example/p\n")
        >>> file.covers("http://WWW.spam.example/any"), file.covers("https://blog.example/p#c")
        (True, True)
        >>> file.covers("https://blog.example/p?x=1")
        False
        """
        if not isinstance(url, str):
            raise TypeError(f"covers takes a URL as a str, not {type(url).__name__}")
        try:
            key = url_key(url.strip())
        except ValueError:
            raise DisavowError(f"not an absolute http(s) URL: {quote(url)}") from None
        return key in self._store or self._covering_host(_host_of(key)) is not None

    def _covering_host(self, host: str) -> str | None:
        """The `domain:` entry covering `host` (itself or a parent), or None."""
        domains = self._store.domains
        if host in domains:
            return host
        if is_ip_address(host):
            return None
        # No entry's host is longer than 253 characters: skip the parents that would be.
        dot = host.find(".", max(0, len(host) - MAX_HOST_LENGTH - 1))
        while dot != -1:
            parent = host[dot + 1 :]
            if parent in domains:
                return parent
            dot = host.find(".", dot + 1)
        return None

    def _covering(self, key: str) -> str | None:
        """The `domain:` entry that makes entry `key` redundant, or None."""
        if key.startswith(DOMAIN_PREFIX):
            host = key[len(DOMAIN_PREFIX) :]
            if is_ip_address(host) or "." not in host:
                return None
            return self._covering_host(host.partition(".")[2])
        return self._covering_host(_host_of(key))

    def diff(self, other: DisavowFile) -> DisavowDiff:
        r"""What `other` (a new file) adds and removes compared with this (the old) one.

        Raises:
            TypeError: `other` is not a `DisavowFile`.

        >>> old = DisavowFile.parse("domain:a.example\n")
        >>> old.diff(DisavowFile.parse("domain:a.example\n# a new comment\n")).is_empty
        True
        """
        if not isinstance(other, DisavowFile):
            raise TypeError(f"diff takes a DisavowFile, not {type(other).__name__}")
        return DisavowDiff(
            added=tuple(entry for entry in other if entry.line not in self._store),
            removed=tuple(entry for entry in self if entry.line not in other._store),
        )

    def redundant(self) -> tuple[DisavowProblem, ...]:
        r"""Entry lines that disavow nothing more: duplicates, and entries covered by a domain.

        These do Google no harm; `compact()` drops them.

        >>> file = DisavowFile.parse("domain:spam.example\ndomain:a.spam.example\n")
        >>> print(file.redundant()[0])
        line 2: domain:a.spam.example is covered by domain:spam.example
        """
        problems = []
        seen: set[str] = set()
        for line in self._lines():
            key = line[KEY]
            if key is None:
                continue
            if key in seen:
                problems.append(
                    DisavowProblem(
                        line[NUMBER],
                        DisavowProblemCode.DUPLICATE,
                        f"duplicate of {key}",
                        line[TEXT],
                    )
                )
                continue
            seen.add(key)
            cover = self._covering(key)
            if cover is not None:
                problems.append(
                    DisavowProblem(
                        line[NUMBER],
                        DisavowProblemCode.REDUNDANT,
                        f"{key} is covered by domain:{cover}",
                        line[TEXT],
                    )
                )
        return tuple(problems)

    def validate(self) -> tuple[DisavowProblem, ...]:
        r"""The problems a Google upload of this file would hit, invalid lines first.

        Lines are checked as they were read (comments may hold UTF-8, entries must be ASCII);
        the file's size as it would be written (at most 100,000 lines and 2,000,000 bytes).

        >>> DisavowFile.parse("domain:spam.example\n").validate()
        ()
        >>> [p.code.value for p in DisavowFile.parse("example.com/page\n").validate()]
        ['url-no-scheme']
        """
        lines = self._lines()
        problems = [p for line in lines if line[PROBLEMS] for p in _problems_of(line)]
        first = lines[0] if lines else None
        if first is not None and first[UNDECODABLE] and first[TEXT].startswith(_UTF16_MARKS):
            problems.insert(0, _UTF16_PROBLEM)
        problems.extend(_limit_problems(lines, self._bom(lines)))
        return tuple(problems)

    # -- writing it ----------------------------------------------------------------------------

    def to_text(self, *, invalid: InvalidLines = InvalidLines.REFUSE) -> str:
        r"""The file as text: byte for byte as read when unchanged, else with `\n` line ends.

        Args:
            invalid: what to do with lines Google may not accept: refuse (the default), write
                them commented out, or keep them (no check at all).

        A changed file loses its BOM and CRLF line ends; what backlinkkit writes (header,
        entries, their comments) is ASCII, the lines you parsed keep their text.

        Returns:
            The text to upload. For a parsed `bytes` input, undecodable bytes appear as U+FFFD
            (`to_bytes` gives them back exactly).

        Raises:
            DisavowError: some lines are invalid and `invalid` is REFUSE; the message lists them.
            DisavowLimitError: the file would have more than 100,000 lines or 2,000,000 bytes.

        >>> DisavowFile.parse("domain: spam.example\n").to_text()
        Traceback (most recent call last):
        ...
        backlinkkit.DisavowError: 1 line Google may refuse (and with it the whole file):
          line 1: space after 'domain:' in 'domain: spam.example': write domain:spam.example with no space
        Fix it, or write with invalid=InvalidLines.COMMENT_OUT to keep it as a comment.
        >>> file = DisavowFile.parse("domain: spam.example\n")
        >>> print(file.to_text(invalid=InvalidLines.COMMENT_OUT), end="")
        # invalid (domain-space): domain: spam.example
        """  # noqa: E501 - a doctest output line cannot wrap
        return to_text(*self._written(invalid))

    def to_bytes(self, *, invalid: InvalidLines = InvalidLines.REFUSE) -> bytes:
        r"""The file as UTF-8 bytes (ASCII for what backlinkkit writes): see `to_text`.

        Every line's bytes are the ones it was read from: a parsed line's undecodable bytes
        come back exactly, also after merges.

        Raises:
            DisavowError: as `to_text`; and with `invalid=InvalidLines.KEEP`, a line of a
                parsed str holds a lone surrogate, which UTF-8 cannot hold (the message names
                the line; `to_text` still gives it, `COMMENT_OUT` writes it escaped).
            DisavowLimitError: as `to_text`.

        >>> DisavowFile.parse(b"domain:a.example\r\n").to_bytes()
        b'domain:a.example\r\n'
        """
        return to_bytes(*self._written(invalid), _where)

    def __str__(self) -> str:
        """The text as it stands, unchecked (`to_text(invalid=InvalidLines.KEEP)`)."""
        return self.to_text(invalid=InvalidLines.KEEP)

    def _written(self, invalid: InvalidLines) -> tuple[list[Line], str]:
        """The lines to write and the BOM in front of them, after the checks `invalid` asks."""
        if not isinstance(invalid, InvalidLines):
            raise TypeError(f"invalid must be an InvalidLines, not {type(invalid).__name__}")
        lines = self._lines()
        if invalid is InvalidLines.KEEP:
            return lines, self._bom(lines)
        bad = [line for line in lines if line[PROBLEMS]]
        if bad and invalid is InvalidLines.REFUSE:
            raise DisavowError(_refusal(bad))
        if bad:
            # Commenting lines out changes the file: it is written anew.
            lines = [_commented_out(line) if line[PROBLEMS] else rewritten(line) for line in lines]
            bom = first_line_bom(lines, "")
        else:
            bom = self._bom(lines)
        limits = _limit_problems(lines, bom)
        if limits:
            raise DisavowLimitError(
                "; ".join(problem.reason for problem in limits)
                + ". Call compact() to drop duplicates and URLs already covered by domain: "
                "entries, or replace URL entries with domain: entries; Google keeps one file "
                "per property, so splitting it would not help."
            )
        return lines, bom

    # -- pickling --------------------------------------------------------------------------------

    def __getstate__(self) -> dict[str, object]:
        state = self._store.state()
        state["date"] = None if self.date is None else self.date.isoformat()
        return state

    def __setstate__(self, state: Mapping[str, object]) -> None:
        check_state_version(state, "DisavowFile", STATE_VERSIONS)
        date = state.get("date")
        if date is not None and not isinstance(date, str):
            raise TypeError(f"cannot load a DisavowFile dated {date!r}")
        self.date = None if date is None else dt.date.fromisoformat(date)
        self._store = LineStore.from_state(state)

    # -- inside --------------------------------------------------------------------------------

    def _the_date(self) -> str:
        return (self.date or _today()).isoformat()

    def _lines(self) -> list[Line]:
        return self._store.lines(self._the_date())

    def _bom(self, lines: list[Line]) -> str:
        store = self._store
        return first_line_bom(lines, "" if store.changed else store.bom)

    def _comment_of(self, key: str) -> str | None:
        return _joined_comments(self._store.entry_comments(key))


_set_line_text, _set_ending, _set_kind, _set_number, _set_entry, _set_problems = slot_setters(
    DisavowLine
)


def _public_line(line: Line) -> DisavowLine:
    """The `DisavowLine` of a line, made faster than by `__init__` (see `slot_setters`)."""
    text, ending, kind, number, key, problems, _ = line
    public: DisavowLine = _new(DisavowLine)
    _set_line_text(public, text)
    _set_ending(public, ending)
    _set_kind(public, _KINDS[kind])
    _set_number(public, number)
    _set_entry(public, None if key is None else entry_of_key(key))
    _set_problems(public, _problems_of(line) if problems else ())
    return public


class _LineView(Sequence[DisavowLine]):
    """`DisavowFile.lines`: the lines as a read-only sequence making `DisavowLine`s on reading.

    The lines are kept as the store's plain tuples, which the garbage collector stops visiting;
    a tuple of `DisavowLine`s is as many objects it visits at every collection.
    """

    __slots__ = ("_lines",)

    def __init__(self, lines: list[Line]) -> None:
        self._lines = lines

    def __len__(self) -> int:
        return len(self._lines)

    @overload
    def __getitem__(self, index: int) -> DisavowLine: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[DisavowLine, ...]: ...

    def __getitem__(self, index: int | slice) -> DisavowLine | tuple[DisavowLine, ...]:
        if isinstance(index, slice):
            return tuple(map(_public_line, self._lines[index]))
        return _public_line(self._lines[index])

    def __iter__(self) -> Iterator[DisavowLine]:
        return map(_public_line, self._lines)

    def __reversed__(self) -> Iterator[DisavowLine]:
        return map(_public_line, reversed(self._lines))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, _LineView):
            return self._lines == other._lines or tuple(self) == tuple(other)
        if isinstance(other, tuple):
            return len(other) == len(self) and tuple(self) == other
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return repr(tuple(self))

    def __reduce__(self) -> tuple[type[tuple[DisavowLine, ...]], tuple[tuple[DisavowLine, ...]]]:
        # A plain tuple: a pickle never names a private class.
        return tuple, (tuple(self),)


def _host_of(url_key: str) -> str:
    # `example.com.` is `example.com`: a trailing dot does not take a host out of a domain.
    return url_host(url_key).removesuffix(".")


def _joined_comments(lines: list[Line]) -> str | None:
    words = [
        escape_ascii(comment_text(line[TEXT]), undecodable=line[UNDECODABLE]) for line in lines
    ]
    return "; ".join(word for word in words if word) or None


_UTF16_PROBLEM = DisavowProblem(
    None,
    DisavowProblemCode.NOT_UTF8,
    "the file is UTF-16 (it starts with a UTF-16 byte-order mark): Google takes UTF-8 or ASCII "
    "only; save it as UTF-8",
)


def _limit_problems(lines: list[Line], bom: str) -> list[DisavowProblem]:
    problems = []
    count = len(lines)
    if count > MAX_LINES:
        problems.append(
            DisavowProblem(
                None,
                DisavowProblemCode.TOO_MANY_LINES,
                f"{count:,} lines: Google takes at most {MAX_LINES:,} (blank and comment lines "
                f"count)",
            )
        )
    size = _size(lines, bom)
    if size > MAX_BYTES:
        problems.append(
            DisavowProblem(
                None,
                DisavowProblemCode.TOO_MANY_BYTES,
                f"{size:,} bytes: Google takes at most {MAX_BYTES:,}",
            )
        )
    return problems


def _size(lines: list[Line], bom: str) -> int:
    """How many bytes the lines would take (a lone surrogate counted as its 3 bytes)."""
    text = bom + "".join([line[TEXT] + line[ENDING] for line in lines])
    if text.isascii():
        return len(text)
    return len(bom.encode("utf-8")) + sum(
        len(line[TEXT].encode("utf-8", "surrogateescape" if line[UNDECODABLE] else "surrogatepass"))
        + len(line[ENDING])
        for line in lines
    )


def _refusal(bad: list[Line]) -> str:
    count = len(bad)
    lines = "\n".join(
        f"  {problem}" for line in bad[:_MESSAGE_PROBLEMS] for problem in _problems_of(line)
    )
    more = f"\n  ... and {count - _MESSAGE_PROBLEMS:,} more" if count > _MESSAGE_PROBLEMS else ""
    noun, pronoun = ("line", "it") if count == 1 else ("lines", "them")
    return (
        f"{count:,} {noun} Google may refuse (and with it the whole file):\n{lines}{more}\n"
        f"Fix {pronoun}, or write with invalid=InvalidLines.COMMENT_OUT to keep {pronoun} as "
        f"{'a comment' if count == 1 else 'comments'}."
    )


def _commented_out(line: Line) -> Line:
    codes = ", ".join(line[PROBLEMS][::2])
    text = redact_credentials(line[TEXT].strip(_SPACES))  # a comment goes to Google too
    shown = escape_ascii(text, undecodable=line[UNDECODABLE])
    return (f"# invalid ({codes}): {shown}", "\n", COMMENT, line[NUMBER], None, (), False)
