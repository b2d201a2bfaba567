r"""The lines of a disavow file: those read (kept as they were), those added, and their layout.

A `LineStore` holds the lines of one file in two parts: the lines it was parsed from, never
rewritten (a removed one leaves a hole, comments for one of its entries go in above it), and the
blocks added since (an entry with its comment lines, or a line carried over from a merged file).
What makes a parsed file and a new one differ is only where the added blocks go, a `Layout`:
a parsed file keeps the user's order and appends them under a dated comment (`APPENDED`); a new
file has a dated header and sorts them, domains first (`SORTED`).

Every line remembers where its text came from: a line of a parsed `bytes` input whose bytes are
not UTF-8 holds them as surrogate escapes (PEP 383) and is marked `undecodable`, so that writing
gives exactly those bytes back; any other line is text, written as UTF-8, and a lone surrogate
in it (a str can hold one, no UTF-8 file can) is refused rather than guessed at.

Line ends are tracked so that writing never changes how a reader splits the file: a changed file
is written with `\n` line ends, except after a line ending in a stray carriage return, which
gets `\r\n` so that the carriage return stays inside its line (a `\n` would make it a CRLF and
the line valid); a first line starting with U+FEFF keeps a BOM in front of it.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from operator import itemgetter
from typing import Final, Protocol, cast

from .._errors import DisavowError
from .._web._urls import is_ip_address
from ._rules import (
    DOMAIN_PREFIX,
    NORMAL_DOMAIN_LINE,
    DisavowLineKind,
    Problem,
    check_state_version,
    classify_line,
    public_suffixes,
    rules_fingerprint,
)

__all__ = [
    "APPENDED",
    "SORTED",
    "STATE_VERSIONS",
    "Block",
    "Layout",
    "Line",
    "LineProblems",
    "LineStore",
    "comment_line",
    "first_line_bom",
    "make_line",
    "plain_problems",
    "problem_pairs",
    "read_line",
    "rewritten",
    "to_bytes",
    "to_text",
]

_BOM = "\ufeff"
_SPACES = " \t"
_SURROGATE = re.compile(r"[\ud800-\udfff]")
# What `classify_line` calls control characters; an ASCII comment without them is a comment.
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
# Version 2 adds each line's reading (kind, key, problems), so that loading reads no line
# again; version 1 (no readings) still loads, read line by line as a parse reads them.
_STATE_VERSION = 2
STATE_VERSIONS = (1, 2)
_ENDINGS = ("", "\n", "\r\n")  # line ends as pickled state numbers them
_ENDING_CODES = {ending: str(code) for code, ending in enumerate(_ENDINGS)}
_CODE_ENDINGS = {str(code): ending for code, ending in enumerate(_ENDINGS)}
# Up to this length a `domain:` line matching NORMAL_DOMAIN_LINE has no label over 63 characters.
_SHORT_DOMAIN_LINE = len(DOMAIN_PREFIX) + 63

#: A line's problems as it holds them: each problem's code value and reason, in turn, in one
#: flat tuple of strings (`problem_pairs` reads them). Strings only, for the reason below (a
#: tuple holding an enum member stays tracked, and a hostile file can be all problems); flat,
#: because the collector untracks one level of tuples per collection: lines holding tuples of
#: pairs reached the oldest generation and made every full collection walk them (issue 10: 6
#: full collections, half the time of reading and writing 57,000 invalid lines, measured).
LineProblems = tuple[str, ...]
#: A line inside a file: (text, ending, kind, number, key, problems, undecodable), read through
#: the field numbers below. A plain tuple of strings and numbers on purpose: the garbage
#: collector stops visiting such a tuple after its first look, and a file is 100,000 of them
#: (a NamedTuple holding an enum member is visited at every collection: parsing a 100,000-line
#: file took 4-5 times as long to keep its lines, measured). `ending` is "\n", "\r\n", or ""
#: for a last line without one; `kind` a `DisavowLineKind` value; `number` the line's number in
#: the parsed input (None for lines added since); `key` the entry key of an entry line
#: (`domain:host` or the normalized URL); `undecodable` says `text` holds undecodable bytes of
#: a `bytes` input as surrogate escapes (see the module).
Line = tuple[str, str, str, int | None, str | None, LineProblems, bool]
#: What the rules make of a line's text: kind (its value, as lines hold it), entry key, problems
#: (see `plain_problems`). Strings only, as lines are, for the reason given there: a parse keeps
#: one per distinct text.
Reading = tuple[str, str | None, LineProblems]
TEXT: Final = 0
ENDING: Final = 1
KIND: Final = 2
NUMBER: Final = 3
KEY: Final = 4
PROBLEMS: Final = 5
UNDECODABLE: Final = 6
#: The kinds, as lines hold them.
BLANK: Final = DisavowLineKind.BLANK.value
COMMENT: Final = DisavowLineKind.COMMENT.value
DOMAIN: Final = DisavowLineKind.DOMAIN.value
INVALID: Final = DisavowLineKind.INVALID.value


def identity(line: Line) -> tuple[str, bool]:
    """What tells a comment or invalid line from another: its text and its origin."""
    return line[TEXT].strip(_SPACES), line[UNDECODABLE]


def plain_problems(problems: tuple[Problem, ...]) -> LineProblems:
    """The problems as a line holds them: code value, reason, code value, reason..."""
    flat: list[str] = []
    for code, reason in problems:
        # `_value_`, not `value`: an enum's `value` is a property, a Python call per problem.
        flat += (code._value_, reason)
    return tuple(flat)


def problem_pairs(problems: LineProblems) -> Iterator[tuple[str, str]]:
    """A line's problems as (code value, reason) pairs."""
    return zip(problems[::2], problems[1::2], strict=True)


def read_line(text: str, *, undecodable: bool) -> Reading:
    """What `classify_line` makes of `text`, its problems as a line holds them."""
    kind, key, problems = classify_line(text, undecodable=undecodable)
    return kind._value_, key, plain_problems(problems) if problems else ()


def make_line(
    text: str, ending: str = "\n", *, number: int | None = None, undecodable: bool = False
) -> Line:
    """A line of `text`, classified."""
    kind, key, problems = read_line(text, undecodable=undecodable)
    return (text, ending, kind, number, key, problems, undecodable)


def comment_line(text: str) -> Line:
    """A comment line backlinkkit writes (`text` starts with `#` and is ASCII)."""
    return (text, "\n", COMMENT, None, None, (), False)


_BLANK_LINE: Line = ("", "\n", BLANK, None, None, (), False)


def rewritten(line: Line) -> Line:
    r"""`line` with the line end a changed file gives it: `\n`, or `\r\n` after a stray CR."""
    ending = "\r\n" if line[TEXT].endswith("\r") else "\n"
    if line[ENDING] == ending:
        return line
    return (
        line[TEXT],
        ending,
        line[KIND],
        line[NUMBER],
        line[KEY],
        line[PROBLEMS],
        line[UNDECODABLE],
    )


def moved(line: Line) -> Line:
    """`line` taken into another file: no line number there, and the line end of a new line."""
    text, _, kind, _, key, problems, undecodable = line
    return rewritten((text, "", kind, None, key, problems, undecodable))


# -- where added lines go ----------------------------------------------------------------------

#: An added block: an entry's comment lines and its line, or ([], a line carried from a merge).
Block = tuple[list[Line], Line]


class Layout(Protocol):
    """Where the blocks added to a file go, and the comments backlinkkit frames them with."""

    name: str

    def headers(self, date: str) -> list[str]:
        """The comment lines backlinkkit writes around the added blocks."""
        ...

    def arrange(
        self, kept: list[Line], blocks: Iterable[tuple[str | int, Block]], date: str | None
    ) -> list[Line]:
        """The lines in file order; with the header comments when `date` is given."""
        ...


def _block_lines(blocks: Iterable[Block]) -> list[Line]:
    lines: list[Line] = []
    for comments, line in blocks:
        lines.extend(comments)
        lines.append(line)
    return lines


class _Appended:
    """A parsed file: the user's lines, then added blocks in the order added, under a date."""

    name = "parsed"

    def headers(self, date: str) -> list[str]:
        return [f"# Added by backlinkkit on {date}"]

    def arrange(
        self, kept: list[Line], blocks: Iterable[tuple[str | int, Block]], date: str | None
    ) -> list[Line]:
        added = _block_lines(block for _, block in blocks)
        if not added:
            return kept
        lines = list(kept)
        # A blank line keeps the user's last comment from reading as the first new entry's; a
        # second one keeps the dated comment from reading as it.
        if lines and lines[-1][KIND] != BLANK:
            lines.append(_BLANK_LINE)
        if date is not None:
            lines.extend([*map(comment_line, self.headers(date)), _BLANK_LINE])
        lines.extend(added)
        return lines


class _Sorted:
    """A new file: a dated header, lines carried from merged files, then domains, then URLs."""

    name = "new"

    def headers(self, date: str) -> list[str]:
        return [f"# Disavow file generated by backlinkkit on {date}"]

    def arrange(
        self, kept: list[Line], blocks: Iterable[tuple[str | int, Block]], date: str | None
    ) -> list[Line]:
        carried: list[Block] = []
        domains: list[tuple[str, Block]] = []
        urls: list[tuple[str, Block]] = []
        for key, block in blocks:
            if isinstance(key, int):
                carried.append(block)
            else:
                (domains if key.startswith(DOMAIN_PREFIX) else urls).append((key, block))
        domains.sort(key=_first)
        urls.sort(key=_first)
        lines = list(kept)
        if date is not None:
            lines.extend(map(comment_line, self.headers(date)))
        for group in (carried, [block for _, block in domains], [block for _, block in urls]):
            if group:
                if lines:
                    lines.append(_BLANK_LINE)
                lines.extend(_block_lines(group))
        return lines


def _first(item: tuple[str, Block]) -> str:
    return item[0]


APPENDED: Layout = _Appended()
SORTED: Layout = _Sorted()
_LAYOUTS = {layout.name: layout for layout in (APPENDED, SORTED)}


# -- the store ---------------------------------------------------------------------------------


class LineStore:
    """The lines of one disavow file and the index of its entries (see the module)."""

    __slots__ = (
        "_added",
        "_carried",
        "_comments",
        "_duplicates",
        "_kept_at",
        "_present",
        "above",
        "bom",
        "changed",
        "domains",
        "kept",
        "layout",
    )

    def __init__(self, layout: Layout) -> None:
        self.layout = layout
        self.bom = ""  # the parsed input's BOM, written back while nothing changed
        self.changed = False
        # The lines parsed, in order; None where one was removed.
        self.kept: list[Line | None] = []
        # Comment lines inserted above the kept line at an index (comments for its entry).
        self.above: dict[int, list[Line]] = {}
        # Every entry key (`domain:host` or URL) of a kept line -> the index of its first line,
        # and of later ones (no list per entry: 100,000 small lists cost more than a parse).
        self._kept_at: dict[str, int] = {}
        self._duplicates: dict[str, list[int]] = {}
        # The blocks added, in order: an entry key -> its comment lines and its line, or a
        # number -> a line carried over from a merged file. Dicts keep order and drop in O(1).
        self._added: dict[str | int, Block] = {}
        self._carried = 0
        # The hosts of `domain:` entries, for `covers`.
        self.domains: set[str] = set()
        # Made on first use: every comment and invalid line, for merges; each entry's comments.
        self._present: set[tuple[str, bool]] | None = None
        self._comments: dict[str, set[tuple[str, bool]]] = {}

    # -- reading -------------------------------------------------------------------------------

    @classmethod
    def parsed(cls, text: str, *, bom: str, undecodable: bool) -> LineStore:
        """The store of a parsed file: every line of `text` (without its BOM), indexed.

        Args:
            text: the file's text; `undecodable` when it comes from bytes that were not all
                UTF-8 (their undecodable bytes as surrogate escapes).
            bom: the BOM taken off the text's start, if any.
            undecodable: see `text`.
        """
        store = cls(APPENDED)
        store.bom = bom
        pieces = text.split("\n")
        last = pieces.pop()  # after the last line end: a last line without one, or nothing
        store._read(pieces, last or None, undecodable=undecodable)
        return store

    def _read(self, pieces: list[str], last: str | None, *, undecodable: bool) -> None:
        r"""Read lines ended by `\n` (or CRLF), then `last`, a line without a line end."""
        lines = self.kept
        positions, duplicates, domains = self._kept_at, self._duplicates, self.domains
        classify = read_line
        normal_domain_line, short = NORMAL_DOMAIN_LINE.fullmatch, _SHORT_DOMAIN_LINE
        surrogate, control = _SURROGATE.search, _CONTROL.search
        blank, comment, domain = BLANK, COMMENT, DOMAIN
        # What the rules made of each text read already: hostile files repeat a few lines.
        # (One dict per origin, keyed by text: no key tuple to make per line.)
        known: tuple[dict[str, Reading], dict[str, Reading]] = ({}, {})
        count = len(pieces)
        if last is not None:
            pieces = [*pieces, last]
        # One pass, locals only: a 100,000-line file goes through here.
        for number, piece in enumerate(pieces, 1):
            if not piece:  # an empty line, ended by "\n" (a last line is never empty)
                lines.append(("", "\n", blank, number, None, (), False))
                continue
            if number > count:  # the last line, without a line end: a CR there is its own
                text, line_end = piece, ""
            elif piece[-1:] == "\r":
                text, line_end = piece[:-1], "\r\n"
            else:
                text, line_end = piece, "\n"
            if not text or not text.strip(_SPACES):  # what the rules call blank, said fast
                lines.append((text, line_end, blank, number, None, (), False))
                continue
            # Most lines of a real file: short normalized domains (public suffixes among them
            # are found all at once below), and plain comments.
            if len(text) <= short and normal_domain_line(text) and "xn--" not in text:
                if text in positions:
                    duplicates.setdefault(text, []).append(number - 1)
                else:
                    positions[text] = number - 1
                    domains.add(text[7:])  # len("domain:")
                lines.append((text, line_end, DOMAIN, number, text, (), False))
                continue
            if text[0] == "#" and text.isascii() and control(text) is None:
                lines.append((text, line_end, comment, number, None, (), False))
                continue
            escaped = undecodable and not text.isascii() and surrogate(text) is not None
            readings = known[escaped]
            read = readings.get(text)
            if read is None:
                read = readings[text] = classify(text, undecodable=escaped)
            kind, key, problems = read
            if key is not None:
                if key in positions:
                    duplicates.setdefault(key, []).append(number - 1)
                else:
                    positions[key] = number - 1
                    if kind == domain:
                        domains.add(key[7:])
            lines.append((text, line_end, kind, number, key, problems, escaped))
        for host in public_suffixes(domains):
            if not is_ip_address(host):  # an IP address is no suffix, whatever its dots
                self._reread_invalid(DOMAIN_PREFIX + host, known)

    def _reread_invalid(
        self,
        key: str,
        known: tuple[dict[str, Reading], dict[str, Reading]],
    ) -> None:
        """Take the lines of `key`, read as an entry, as the invalid lines the rules make them.

        `known` holds what the rules made of texts already, of text lines and of undecodable
        ones (their fast path took these lines for entries, so they are read again here, once
        per text).
        """
        self.domains.discard(key[len(DOMAIN_PREFIX) :])
        kept = self.kept
        for index in [self._kept_at.pop(key), *self._duplicates.pop(key, ())]:
            line = kept[index]
            if line is not None:
                text, ending, _, number, _, _, undecodable = line
                readings = known[undecodable]
                read = readings.get(text)
                if read is None:
                    read = readings[text] = read_line(text, undecodable=undecodable)
                kind, entry_key, problems = read
                kept[index] = (text, ending, kind, number, entry_key, problems, undecodable)

    # -- asking --------------------------------------------------------------------------------

    def __contains__(self, key: str) -> bool:
        return key in self._kept_at or key in self._added

    def __len__(self) -> int:
        return len(self._kept_at) + len(self._added) - self._carried

    def entry_keys(self) -> Iterator[str]:
        """Every entry key, kept ones first."""
        yield from self._kept_at
        for key in self._added:
            if isinstance(key, str):
                yield key

    def kept_lines(self) -> list[Line]:
        """The kept lines as they would be written, comments inserted above them included."""
        kept = self.kept
        if not self.changed:
            return kept  # type: ignore[return-value] # no removal, so no None
        above = self.above
        if not above:
            return [line for line in kept if line is not None]
        lines: list[Line] = []
        for index, line in enumerate(kept):
            if index in above:
                lines.extend(above[index])
            if line is not None:
                lines.append(line)
        return lines

    def mark_changed(self) -> None:
        """Note a change: from now on the file is written anew, so its line ends are rewritten."""
        if not self.changed:
            self.changed = True
            # Once, here, rather than at every write. (A kept line ending in "\n" cannot end
            # in a CR: the CR would have made its line end CRLF.)
            self.kept = [
                line if line is None or line[ENDING] == "\n" else rewritten(line)
                for line in self.kept
            ]

    def lines(self, date: str) -> list[Line]:
        """Every line as it would be written."""
        return self.layout.arrange(self.kept_lines(), self._added.items(), date)

    def headers(self, date: str) -> set[tuple[str, bool]]:
        """The comment lines backlinkkit frames added lines with, as `identity` gives them."""
        return {(text, False) for text in self.layout.headers(date)}

    def content(self) -> list[Line]:
        """Every line but the comments backlinkkit frames added lines with: what a merge takes."""
        return self.layout.arrange(self.kept_lines(), self._added.items(), None)

    def entry_comments(self, key: str) -> list[Line]:
        """The comment lines directly above the entry `key`, in order."""
        block = self._added.get(key)
        if block is not None:
            return list(block[0])
        index = self._kept_at[key]
        kept, above = self.kept, self.above
        run: list[Line] = list(reversed(above.get(index, ())))
        index -= 1
        while index >= 0:
            line = kept[index]
            if line is not None:
                if line[KIND] != COMMENT:
                    break
                run.append(line)
            run.extend(reversed(above.get(index, ())))
            index -= 1
        run.reverse()
        return run

    def present(self, line: Line) -> bool:
        """Whether a comment or invalid line like `line` is in the file already."""
        if self._present is None:
            self._present = {
                identity(other) for other in self.content() if other[KIND] in (COMMENT, INVALID)
            }
        return identity(line) in self._present

    # -- changing ------------------------------------------------------------------------------

    def _note(self, lines: Iterable[Line]) -> None:
        self.mark_changed()
        if self._present is not None:
            self._present.update(identity(line) for line in lines)

    def add_entry(self, key: str, comments: list[Line]) -> None:
        """Add a new entry (not in the file) with the comment lines to write above it."""
        block = ([moved(line) for line in comments], make_line(key))
        self._note(block[0])
        self._added[key] = block
        if key.startswith(DOMAIN_PREFIX):
            self.domains.add(key[len(DOMAIN_PREFIX) :])

    def add_comments(self, key: str, comments: list[Line]) -> bool:
        """Write comment lines above the entry `key`, but those it has already; whether any."""
        if not comments:
            return False
        known = self._comments.get(key)
        if known is None:
            known = self._comments[key] = {identity(line) for line in self.entry_comments(key)}
        fresh = []
        for line in comments:
            if identity(line) not in known:
                known.add(identity(line))
                fresh.append(moved(line))
        if not fresh:
            return False
        self._note(fresh)
        block = self._added.get(key)
        if block is not None:
            block[0].extend(fresh)
        else:
            self.above.setdefault(self._kept_at[key], []).extend(fresh)
        return True

    def carry(self, line: Line) -> None:
        """Add a comment or invalid line of a merged file."""
        carried = moved(line)
        self._note([carried])
        self._added[self._carried] = ([], carried)
        self._carried += 1

    def remove(self, key: str) -> None:
        """Remove every line of the entry `key` (which is in the file); its comments stay."""
        self.mark_changed()
        self._comments.clear()  # comment runs may now reach another entry
        if self._added.pop(key, None) is None:
            first = self._kept_at.pop(key)
            for index in [first, *self._duplicates.pop(key, ())]:
                self.kept[index] = None
        if key.startswith(DOMAIN_PREFIX):
            self.domains.discard(key[len(DOMAIN_PREFIX) :])

    def drop_duplicates(self) -> None:
        """Remove the later lines of entries read more than once."""
        if self._duplicates:
            self.mark_changed()
            self._comments.clear()
        for indexes in self._duplicates.values():
            for index in indexes:
                self.kept[index] = None
        self._duplicates.clear()

    # -- pickled state -------------------------------------------------------------------------

    def state(self) -> dict[str, object]:
        """The store as versioned plain data: one string of every line's text, and numbers.

        One string, not a list of them, so that the pickle is small and fast to make and reads
        the same whatever strings the lines share.
        """
        kept = self.kept
        removed = [index for index, line in enumerate(kept) if line is None] if None in kept else []
        above = [[index, len(lines)] for index, lines in sorted(self.above.items())]
        blocks = [
            -1 if isinstance(key, int) else len(comments)
            for key, (comments, _) in self._added.items()
        ]
        added = [line for _, lines in sorted(self.above.items()) for line in lines] + [
            line for comments, last in self._added.values() for line in (*comments, last)
        ]
        # Every line in the order of `text`, a removed one as a blank line without a line end.
        # Columns are taken by `map` and `compress`: a 1,000,000-line file goes through here.
        if removed:
            every = [_REMOVED_LINE if line is None else line for line in kept]
        else:
            every = cast("list[Line]", kept[:])  # no removal: no None
        every += added
        kinds = "".join(map(_KIND_LETTERS.__getitem__, map(itemgetter(KIND), every)))
        return {
            "version": _STATE_VERSION,
            "layout": self.layout.name,
            "bom": bool(self.bom),
            "changed": self.changed,
            "text": "\n".join(map(itemgetter(TEXT), every)),
            "endings": "".join(
                map(_ENDING_CODES.__getitem__, map(itemgetter(ENDING), every[: len(kept)]))
            ),
            "removed": removed,
            "above": above,
            "blocks": blocks,
            "undecodable": list(
                itertools.compress(range(len(every)), map(itemgetter(UNDECODABLE), every))
            ),
            # Each line's reading, in the order of `text`: its kind as one letter; the entry
            # keys that are not the line's own text; the problems of invalid lines (found by
            # their letters: a file of blank lines has none to look at).
            "rules": rules_fingerprint(),
            "kinds": kinds,
            "keys": [
                [i, every[i][KEY]]
                for i in map(_match_start, _ENTRY_LETTER.finditer(kinds))
                if every[i][KEY] != every[i][TEXT]
            ],
            "problems": [
                [i, every[i][PROBLEMS]] for i in map(_match_start, _INVALID_LETTER.finditer(kinds))
            ],
        }

    @classmethod
    def from_state(cls, state: Mapping[str, object]) -> LineStore:
        """The store `state()` describes.

        Raises:
            TypeError: the state is of another version or shape.
        """
        version = check_state_version(state, "DisavowFile", STATE_VERSIONS)
        try:
            return cls._from_state(state, version)
        except (KeyError, IndexError, ValueError, TypeError, AttributeError) as error:
            raise TypeError(f"cannot load a DisavowFile from this state: {error}") from None

    @classmethod
    def _from_state(cls, state: Mapping[str, object], version: int) -> LineStore:
        text, endings = state["text"], state["endings"]
        if not isinstance(text, str) or not isinstance(endings, str):
            raise TypeError("text and endings must be strings")
        above, blocks = list(state["above"]), list(state["blocks"])  # type: ignore[call-overload]
        texts = text.split("\n") if text or endings or above or blocks else []
        flags = set(state["undecodable"])  # type: ignore[call-overload]
        kept_count = len(endings)
        store = cls(_LAYOUTS[state["layout"]])  # type: ignore[index]
        store.bom = _BOM if state["bom"] else ""
        removed = set(state["removed"])  # type: ignore[call-overload]
        # Readings made under other rules (another backlinkkit, another suffix list) are not
        # taken: such lines are read again, as those of a version-1 state are.
        restored = None
        if version >= 2 and state["rules"] == rules_fingerprint():
            restored, entries = _read_state_lines(state, texts, kept_count, flags)
            store._restore(restored, kept_count, entries)
            for index in removed:
                store.kept[index] = None  # (pickled as a blank line: no entry to forget)
        else:
            store._read_state(texts[:kept_count], endings, removed, flags)
        position = itertools.count(kept_count)

        def take(count: int) -> list[Line]:
            indexes = itertools.islice(position, count)
            if restored is not None:
                return [restored[i] for i in indexes]
            return [_restored(texts[i], undecodable=i in flags) for i in indexes]

        for index, count in above:
            store.above[index] = take(count)
        for size in blocks:
            if size == -1:
                store._carry_restored(take(1)[0])
                continue
            *comments, line = take(size + 1)
            if line[KEY] is None or line[KEY] in store:  # read otherwise by later rules: keep it
                for kept in [*comments, line]:
                    store._carry_restored(kept)
                continue
            store._added[line[KEY]] = (comments, line)
            if line[KEY].startswith(DOMAIN_PREFIX):
                store.domains.add(line[KEY][len(DOMAIN_PREFIX) :])
        if state["changed"]:
            store.mark_changed()
        return store

    def _carry_restored(self, line: Line) -> None:
        self._added[self._carried] = ([], line)
        self._carried += 1

    def _read_state(
        self, texts: list[str], endings: str, removed: set[int], flags: set[int]
    ) -> None:
        """Read the kept lines of a state without readings, as a parse reads them."""
        # The kept lines as the input had them (a CRLF line's text, then its CR) ...
        if "2" in endings:
            pieces = [
                text + "\r" if code == "2" else text
                for text, code in zip(texts, endings, strict=True)
            ]
        elif len(texts) == len(endings):
            pieces = list(texts)
        else:
            raise ValueError("as many kept lines as line ends")
        last = None
        if pieces and endings[-1] == "0" and len(endings) - 1 not in removed:
            last = pieces.pop()  # ... the last one without a line end
        # They come from one input: all of its surrogates are bytes, or none are.
        self._read(pieces, last, undecodable=any(i < len(endings) for i in flags))
        for index in removed:
            self.kept[index] = None  # (pickled as a blank line: no entry to forget)

    def _restore(self, lines: list[Line], kept_count: int, entries: list[int]) -> None:
        """Take the kept lines of a state with readings, and index their entries.

        Args:
            lines: every line of the state, kept ones first (`_read_state_lines`).
            kept_count: how many are kept lines.
            entries: the indexes of the entry lines, ascending.
        """
        self.kept = list(lines[:kept_count])
        positions, duplicates, domains = self._kept_at, self._duplicates, self.domains
        for index in entries:
            if index >= kept_count:
                break
            line = lines[index]
            key = cast("str", line[KEY])  # an entry line's (`_read_state_lines`)
            if key in positions:
                duplicates.setdefault(key, []).append(index)
            else:
                positions[key] = index
                if line[KIND] == DOMAIN:
                    domains.add(key[len(DOMAIN_PREFIX) :])


def _restored(text: str, *, undecodable: bool) -> Line:
    return rewritten(make_line(text, undecodable=undecodable))


# The kinds as a state's `kinds` spells them, a letter each; a removed line is pickled blank.
_KIND_LETTERS = {kind.value: kind.value[0] for kind in DisavowLineKind}
_LETTER_KINDS = {letter: kind for kind, letter in _KIND_LETTERS.items()}
_ENTRY_LETTERS = frozenset(
    _KIND_LETTERS[kind.value] for kind in (DisavowLineKind.DOMAIN, DisavowLineKind.URL)
)
_ENTRY_LETTER = re.compile(f"[{''.join(_ENTRY_LETTERS)}]")
_INVALID_LETTER = re.compile(_KIND_LETTERS[INVALID])
_match_start = re.Match.start
_ENTRY_KINDS = frozenset((DOMAIN, DisavowLineKind.URL.value))
_REMOVED_LINE: Line = ("", "", BLANK, None, None, (), False)


def _read_state_lines(
    state: Mapping[str, object], texts: list[str], kept_count: int, flags: set[int]
) -> tuple[list[Line], list[int]]:
    """Every line of a version-2 state (kept ones, then added ones), and its entry lines' indexes.

    Column by column: a file of 1,000,000 blank lines is 1,000,000 tuples made at C speed; only
    entry lines, invalid lines and undecodable ones are visited one by one.
    """
    kinds, endings = state["kinds"], state["endings"]
    if not isinstance(kinds, str) or len(kinds) != len(texts) or not isinstance(endings, str):
        raise ValueError("one kind for each line")
    if endings.count("0") > 1 + len(state["removed"]):  # type: ignore[arg-type]
        raise ValueError("a line without a line end before the last")
    added = range(kept_count, len(texts))
    lines = list(
        zip(
            texts,
            itertools.chain(
                map(_CODE_ENDINGS.__getitem__, endings),
                # An added line has the line end a changed file gives it (see `rewritten`).
                ["\r\n" if texts[i].endswith("\r") else "\n" for i in added],
            ),
            map(_LETTER_KINDS.__getitem__, kinds),
            itertools.chain(range(1, kept_count + 1), itertools.repeat(None, len(added))),
            itertools.repeat(None),
            itertools.repeat(()),
            itertools.repeat(False),  # noqa: FBT003 - a column of flags
            strict=False,  # (the repeats are endless; the other columns are as long as texts)
        )
    )
    keys: dict[int, str] = {}
    for index, key in state["keys"]:  # type: ignore[attr-defined]
        if kinds[index] not in _ENTRY_LETTERS or not isinstance(key, str):
            raise ValueError("a key for a line that is no entry")
        keys[index] = key
    problems: dict[int, LineProblems] = {}
    for index, held in state["problems"]:  # type: ignore[attr-defined]
        if kinds[index] != _KIND_LETTERS[INVALID]:
            raise ValueError("problems for a line that is not invalid")
        if type(held) is not tuple or len(held) % 2 or not all(type(x) is str for x in held):
            raise TypeError("problems are codes and reasons, strings in turn")
        problems[index] = held  # as loaded: the lines that shared it share it again
    entries = [match.start() for match in _ENTRY_LETTER.finditer(kinds)]
    for index in sorted({*entries, *problems, *flags}):
        text, ending, kind, number, _, _, _ = lines[index]
        key = keys.get(index, text) if index in keys or kind in _ENTRY_KINDS else None
        lines[index] = (text, ending, kind, number, key, problems.get(index, ()), index in flags)
    return lines, entries


# -- writing -----------------------------------------------------------------------------------


def first_line_bom(lines: list[Line], bom: str) -> str:
    """The BOM to write: the input's, or one to keep a first line's own U+FEFF in its line."""
    if not bom and lines and lines[0][TEXT].startswith(_BOM):
        return _BOM
    return bom


def to_text(lines: list[Line], bom: str) -> str:
    """The lines as text; undecodable bytes as U+FFFD."""
    text = bom + "".join([line[TEXT] + line[ENDING] for line in lines])
    if text.isascii() or not any(line[UNDECODABLE] for line in lines):
        return text
    return bom + "".join(
        [
            (
                line[TEXT].encode("utf-8", "surrogateescape").decode("utf-8", "replace")
                if line[UNDECODABLE]
                else line[TEXT]
            )
            + line[ENDING]
            for line in lines
        ]
    )


def to_bytes(lines: list[Line], bom: str, where: Callable[[Line], str]) -> bytes:
    """The lines as UTF-8, each undecodable line as the very bytes it was read from.

    Raises:
        DisavowError: a line of text holds a lone surrogate, which UTF-8 cannot hold;
            `where(line)` names it.
    """
    text = bom + "".join([line[TEXT] + line[ENDING] for line in lines])
    if text.isascii():
        return text.encode("ascii")
    if not any(line[UNDECODABLE] for line in lines):
        try:
            return text.encode("utf-8")
        except UnicodeEncodeError:
            pass
    parts = [bom.encode("utf-8")]
    for line in lines:
        try:
            parts.append(
                line[TEXT].encode("utf-8", "surrogateescape" if line[UNDECODABLE] else "strict")
            )
        except UnicodeEncodeError as error:
            surrogate = line[TEXT][error.start]
            raise DisavowError(
                f"{where(line)} holds a lone surrogate ({surrogate!r}), which no UTF-8 file can "
                f"hold: parse the file's bytes rather than a str (undecodable bytes are then "
                f"written back as they were), fix the line, or write with "
                f"invalid=InvalidLines.COMMENT_OUT"
            ) from None
        parts.append(line[ENDING].encode("ascii"))
    return b"".join(parts)
