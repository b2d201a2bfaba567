"""The `backlinkkit` command: a thin shell over the public API.

`backlinkkit links PAGE --url URL` prints the links of an HTML file (or `-` for standard input) as
a table, or as JSON with `--json`; `backlinkkit links --example` does the same for the example
page that ships with the library.

Every subcommand runs through `main`, which turns every failure into one line on standard error
and a documented exit status (`ExitStatus`), never a traceback: the library's refusals, input that
cannot be read or is too large, standard input or output closed, a full disk, a reader that went
away (`| head`), an output encoding that lacks characters. To add a subcommand:

    def _gap_arguments(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("export")

    @subcommand("gap", summary="...", description="...", arguments=_gap_arguments)
    def _gap(args: argparse.Namespace, console: Console) -> int:
        data = console.read(args.export, limit=console.EXPORT_LIMIT)  # bounded, errors handled
        ...  # raise CommandError(message, ExitStatus.X) to stop; library errors are caught
        console.out.write(...)
        return ExitStatus.OK

Read input only through `Console.read` (it bounds the size and names the file in errors) and
write through `Console.out`; a subcommand in another module registers the same way, and that
module is imported at the end of this one.
"""

from __future__ import annotations

import argparse
import codecs
import enum
import errno
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, TextIO

import attrs

if TYPE_CHECKING:
    from _typeshed import SupportsWrite

from ._errors import BacklinkkitError
from ._examples import EXAMPLE_URL, example_page
from ._web._extract import extract_links
from ._web._links import Link, PageLinks

__all__ = ["CommandError", "Console", "ExitStatus", "main", "subcommand"]


class ExitStatus(enum.IntEnum):
    """The exit statuses of `backlinkkit`, the same for every subcommand."""

    OK = 0
    """Done."""
    INPUT_REFUSED = 1
    """The input was read and refused: the library rejected it, or it is over the size limit."""
    USAGE = 2
    """Bad arguments, or an input that cannot be read at all (missing file, closed stdin)."""
    FINDINGS = 3
    """Reserved for `audit --fail-on`: the audit found problems at or above the severity given."""
    OUTPUT_FAILED = 4
    """The output could not be written: standard output closed, disk full, the reader gone."""
    INTERNAL_ERROR = 70
    """A bug in backlinkkit (EX_SOFTWARE): the message names it; please report it."""
    INTERRUPTED = 130
    """Interrupted (Ctrl-C): 128 + SIGINT, as shells report it."""


_EXIT_STATUS_HELP = """\
exit statuses:
  0    done
  1    input refused (the library rejected it, or it is over the size limit)
  2    usage error, or an input that cannot be read (missing file, closed stdin)
  3    reserved for audit --fail-on (findings at or above the severity given)
  4    output failed (standard output closed, disk full, reader gone as with | head)
  70   internal error (a bug: please report it)
  130  interrupted
"""

# Widths of the table's truncated columns; the URL column takes what is left of the line.
_ANCHOR_WIDTH = 40
_URL_WIDTH = 60
_MIB = 1 << 20


class CommandError(Exception):
    """A subcommand's failure: `main` prints the message on one line and exits with `status`."""

    def __init__(self, message: str, status: ExitStatus) -> None:
        super().__init__(message)
        self.status = status


class _OutputFailedError(Exception):
    """Standard output could not be written (closed, full, broken pipe)."""


# Characters the output encoding lacks are written as backslash escapes; the first one noted.
_ESCAPE_ERRORS = "backlinkkit.escape"
_escaped: list[bool] = []


def _escape_and_note(error: UnicodeError) -> tuple[str | bytes, int]:
    if not _escaped:
        _escaped.append(True)
    return codecs.backslashreplace_errors(error)


codecs.register_error(_ESCAPE_ERRORS, _escape_and_note)


class Console:
    """What a subcommand reads from and writes to: bounded input, an output that fails cleanly."""

    PAGE_LIMIT = 64 * _MIB
    """The largest HTML page read (a page is rarely over 10 MB)."""
    EXPORT_LIMIT = 1024 * _MIB
    """The largest export or disavow file read."""

    def __init__(self, stdin: TextIO | None, stdout: TextIO | None) -> None:
        self._stdin = stdin
        self._stdout = stdout

    @property
    def out(self) -> TextIO:
        """Standard output, for text; writing to it fails with a clean message, never a traceback.

        Raises:
            _OutputFailedError: standard output is closed.
        """
        if self._stdout is None:
            raise _OutputFailedError("standard output is closed")
        return self._stdout

    @property
    def writes_unicode(self) -> bool:
        """Whether the output encoding writes every character (a UTF codec): else escape them."""
        encoding = getattr(self._stdout, "encoding", None) or "utf-8"
        try:
            return codecs.lookup(encoding).name.startswith("utf")
        except LookupError:
            return False

    def read(self, source: str, *, limit: int) -> bytes:
        """The bytes of a file, or of standard input for `-`, at most `limit` of them.

        Raises:
            CommandError: the file cannot be read (USAGE) or holds more than `limit` bytes
                (INPUT_REFUSED).
        """
        if source == "-":
            stream = getattr(self._stdin, "buffer", None)
            if stream is None:
                raise CommandError("cannot read standard input: it is closed", ExitStatus.USAGE)
            return _read_bounded(stream, "standard input", limit)
        try:
            with Path(source).open("rb") as stream:
                return _read_bounded(stream, source, limit)
        except OSError as error:
            raise CommandError(
                f"cannot read {source}: {error.strerror or error}", ExitStatus.USAGE
            ) from None


def _read_bounded(stream: BinaryIO, name: str, limit: int) -> bytes:
    try:
        data = stream.read(limit + 1)
    except OSError as error:
        raise CommandError(
            f"cannot read {name}: {error.strerror or error}", ExitStatus.USAGE
        ) from None
    if data is None:  # a non-blocking stream with nothing ready
        raise CommandError(f"cannot read {name}: nothing to read", ExitStatus.USAGE)
    if len(data) > limit:
        raise CommandError(
            f"{name} is larger than {limit // _MIB} MiB: not read", ExitStatus.INPUT_REFUSED
        )
    return data


_Run = Callable[[argparse.Namespace, Console], int]


@attrs.frozen
class _Subcommand:
    name: str
    summary: str
    description: str
    arguments: Callable[[argparse.ArgumentParser], None]
    run: _Run


_SUBCOMMANDS: dict[str, _Subcommand] = {}


def subcommand(
    name: str,
    *,
    summary: str,
    description: str,
    arguments: Callable[[argparse.ArgumentParser], None],
) -> Callable[[_Run], _Run]:
    """Register the decorated function as `backlinkkit NAME` (see this module's docstring).

    Args:
        name: the subcommand's name.
        summary: its one-line summary in `backlinkkit --help`.
        description: its description in `backlinkkit NAME --help`.
        arguments: adds the subcommand's arguments to its parser.

    Returns:
        The decorator; the function it decorates takes the parsed arguments and a `Console`,
        and returns an exit status.
    """

    def register(run: _Run) -> _Run:
        _SUBCOMMANDS[name] = _Subcommand(name, summary, description, arguments, run)
        return run

    return register


def main(argv: Sequence[str] | None = None) -> int:
    """Run the `backlinkkit` command line.

    Every subcommand runs through here: its failures become one line on standard error and an
    exit status (`ExitStatus`), never a traceback.

    Args:
        argv: the arguments, without the program name; `sys.argv[1:]` by default.

    Returns:
        The exit status: 0 done, 1 input refused, 2 usage error, 3 findings (audit), 4 output
        failed, 70 internal error, 130 interrupted.

    >>> main(["links", "--example", "--json"]) == 0  # doctest: +ELLIPSIS
    {...
    True
    """
    return int(_run(argv))


def _run(argv: Sequence[str] | None) -> int:
    _escaped.clear()
    _escape_unwritable(sys.stdout)
    _escape_unwritable(sys.stderr)
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:  # argparse's usage errors (2) and --help (0)
        return _flushed(exit_.code if isinstance(exit_.code, int) else ExitStatus.USAGE)
    except _OutputFailedError as error:  # --help with standard output closed
        return _fail("", str(error), ExitStatus.OUTPUT_FAILED)
    except OSError as error:  # --help on a full device or a broken pipe
        _silence(sys.stdout)
        return _fail("", _output_failure(error), ExitStatus.OUTPUT_FAILED)
    name: str = args.command
    console = Console(sys.stdin, sys.stdout)
    try:
        status = _SUBCOMMANDS[name].run(args, console)
        if sys.stdout is not None:
            sys.stdout.flush()
    except CommandError as error:
        return _fail(name, str(error), error.status)
    except BacklinkkitError as error:
        return _fail(name, str(error), ExitStatus.INPUT_REFUSED)
    except _OutputFailedError as error:
        return _fail(name, str(error), ExitStatus.OUTPUT_FAILED)
    except OSError as error:
        # Input is read through Console.read, so an OSError here is the output's.
        _silence(sys.stdout)
        return _fail(name, _output_failure(error), ExitStatus.OUTPUT_FAILED)
    except KeyboardInterrupt:
        return _fail(name, "interrupted", ExitStatus.INTERRUPTED)
    except MemoryError:
        return _fail(name, "out of memory", ExitStatus.INPUT_REFUSED)
    except Exception as error:  # noqa: BLE001 - a command line never shows a traceback
        return _fail(
            name,
            f"internal error, please report it: {type(error).__name__}: {error}",
            ExitStatus.INTERNAL_ERROR,
        )
    if _escaped:
        encoding = getattr(sys.stdout, "encoding", "?")
        _note(
            name,
            f"the output encoding {encoding} lacks some characters: they are written as "
            "backslash escapes (set PYTHONIOENCODING=utf-8 to keep them)",
        )
    return status


def _escape_unwritable(stream: TextIO | None) -> None:
    # An encoding without some characters (PYTHONIOENCODING=ascii) escapes them instead of
    # failing half-way through the output.
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is not None:
        reconfigure(errors=_ESCAPE_ERRORS)


def _output_failure(error: OSError) -> str:
    if isinstance(error, BrokenPipeError):
        return "standard output was closed by its reader (broken pipe)"
    if error.errno == errno.ENOSPC:
        return "cannot write standard output: no space left on the device"
    return f"cannot write standard output: {error.strerror or error}"


def _silence(stream: TextIO | None) -> None:
    # What could not be written stays buffered, and Python would try again at exit, print a
    # traceback-like warning and exit 120: the stream goes to the null device instead.
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, stream.fileno())  # type: ignore[union-attr]
        os.close(null)
    except (AttributeError, OSError, ValueError):
        pass


def _flushed(status: int) -> int:
    # --help writes to standard output, which may be closed or full too.
    try:
        if sys.stdout is not None:
            sys.stdout.flush()
    except OSError as error:
        _silence(sys.stdout)
        _note("", _output_failure(error))
        return ExitStatus.OUTPUT_FAILED
    return status


def _note(name: str, message: str) -> None:
    prefix = f"backlinkkit {name}" if name else "backlinkkit"
    if sys.stderr is None:
        return
    try:
        sys.stderr.write(f"{prefix}: {message}\n")
        sys.stderr.flush()
    except (OSError, ValueError):  # standard error full or gone too: nothing else to tell
        _silence(sys.stderr)


def _fail(name: str, message: str, status: ExitStatus) -> int:
    # One line, whatever the message held.
    _note(name, " ".join(message.split()))
    return status


class _Parser(argparse.ArgumentParser):
    """argparse, except that help that cannot be written is an output failure, not silence."""

    def print_help(self, file: SupportsWrite[str] | None = None) -> None:
        if file is not None:
            super().print_help(file)
            return
        if sys.stdout is None:  # argparse would write it to standard error instead
            raise _OutputFailedError("standard output is closed")
        sys.stdout.write(self.format_help())  # an OSError reaches `_run`
        sys.stdout.flush()


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="backlinkkit",
        description="Link analysis for SEO: browser-faithful link extraction.",
        epilog=_EXIT_STATUS_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(
        title="commands", required=True, metavar="COMMAND", dest="command"
    )
    for command in _SUBCOMMANDS.values():
        sub = commands.add_parser(
            command.name,
            help=command.summary,
            description=command.description,
            epilog=_EXIT_STATUS_HELP,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        command.arguments(sub)
    return parser


# -- links -------------------------------------------------------------------------------------


def _links_arguments(links: argparse.ArgumentParser) -> None:
    source = links.add_mutually_exclusive_group(required=True)
    source.add_argument("page", nargs="?", help="an HTML file, or - for standard input")
    source.add_argument(
        "--example", action="store_true", help="use the example page that ships with backlinkkit"
    )
    links.add_argument("--url", help="the page's address: the base for its relative links")
    links.add_argument(
        "--header",
        action="append",
        default=[],
        metavar="'NAME: VALUE'",
        help="an HTTP response header, e.g. 'Content-Type: text/html; charset=latin1' (repeatable)",
    )
    links.add_argument("--json", action="store_true", help="print JSON instead of a table")


@subcommand(
    "links",
    summary="print the links of an HTML page",
    description=(
        "Print every <a href> and <area href> of an HTML page, resolved as a browser "
        f"resolves them, with its text, rel, region and site. Pages over "
        f"{Console.PAGE_LIMIT // _MIB} MiB are refused."
    ),
    arguments=_links_arguments,
)
def _links_command(args: argparse.Namespace, console: Console) -> int:
    headers = {}
    for header in args.header:
        name, colon, value = header.partition(":")
        if not colon or not name.strip():
            raise CommandError(f"not a 'Name: value' header: {header!r}", ExitStatus.USAGE)
        headers[name.strip()] = value.strip()
    if args.example:
        data, url = example_page(), args.url or EXAMPLE_URL
    else:
        if not args.url:
            raise CommandError("--url is required with a page", ExitStatus.USAGE)
        data, url = console.read(args.page, limit=Console.PAGE_LIMIT), args.url
    page = extract_links(data, url, headers=headers or None)
    out = console.out
    if args.json:
        # An output encoding without every character gets ASCII JSON: escaped, still exact.
        json.dump(_page_json(page), out, ensure_ascii=not console.writes_unicode, indent=2)
        out.write("\n")
    else:
        _print_table(page, out)
    return ExitStatus.OK


def _page_json(page: PageLinks) -> dict[str, Any]:
    return {
        "url": page.url,
        "base_url": page.base_url,
        "canonical": page.canonical,
        "title": page.title,
        "encoding": page.encoding,
        "encoding_source": page.encoding_source,
        "robots": {
            "noindex": page.robots.noindex,
            "nofollow": page.robots.nofollow,
            "directives": list(page.robots.directives),
        },
        "links": [_link_json(link) for link in page],
    }


def _link_json(link: Link) -> dict[str, Any]:
    return {
        "position": link.position,
        "line": link.line,
        "tag": link.tag,
        "href": link.href,
        "url": link.url,
        "text": link.text,
        "anchor": link.anchor,
        "image_alts": list(link.image_alts),
        "title": link.title,
        "kind": link.kind.value,
        "rel": list(link.rel),
        "followed": link.followed,
        "in_noscript": link.in_noscript,
        "section": link.section.value if link.section else None,
        "host": link.host,
        "domain": link.domain,
        "is_external": link.is_external,
    }


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _follow_cell(link: Link) -> str:
    if link.followed:
        return "yes"
    # Not followed: because of the link's own rel, or of the page's robots directives.
    return f"no ({','.join(link.rel)})" if link.rel else "no (page)"


def _print_table(page: PageLinks, out: TextIO) -> None:
    robots = ", ".join(page.robots.directives) or "-"
    followed = sum(link.followed for link in page)
    external = sum(link.is_external for link in page)
    out.write(
        f"page       {page.url}\n"
        f"base       {page.base_url}\n"
        f"canonical  {page.canonical or '-'}\n"
        f"title      {page.title or '-'}\n"
        f"encoding   {page.encoding} ({page.encoding_source})\n"
        f"robots     {robots}\n"
        f"links      {len(page)}: {followed} followed, {len(page) - followed} not; "
        f"{external} external\n\n"
    )
    header = ("#", "line", "section", "follow", "kind", "ext", "url", "anchor")
    rows = [
        (
            str(link.position),
            "" if link.line is None else str(link.line),
            (link.section.value if link.section else "-")
            + (" (noscript)" if link.in_noscript else ""),
            _follow_cell(link),
            link.kind.value,
            "ext" if link.is_external else "",
            _clip(link.url or f"(invalid) {link.href}", _URL_WIDTH),
            _clip(link.anchor, _ANCHOR_WIDTH),
        )
        for link in page
    ]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    right_aligned = {0, 1}
    for row in [header, *rows]:
        cells = [
            cell.rjust(widths[i]) if i in right_aligned else cell.ljust(widths[i])
            for i, cell in enumerate(row)
        ]
        out.write("  ".join(cells).rstrip() + "\n")


# Subcommands defined in their own modules register themselves when imported.
from ._archives import _command as _warc_command  # noqa: E402, F401
from ._compare._command import _gap as _gap_command  # noqa: E402, F401
from .audit import _command as _audit_command  # noqa: E402, F401
