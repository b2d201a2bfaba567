"""The `backlinkkit` command: a thin shell over the public API.

`backlinkkit links PAGE --url URL` prints the links of an HTML file (or `-` for standard input) as
a table, or as JSON with `--json`; `backlinkkit links --example` does the same for the example
page that ships with the library.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TextIO

from ._errors import BacklinkkitError
from ._examples import EXAMPLE_URL, example_page
from ._extract import extract_links
from ._links import Link, PageLinks
from .audit._command import add_parser as _add_audit_parser

__all__ = ["main"]

# Exit statuses: 0 success, 1 the library refused the input, 2 bad usage or unreadable file
# (argparse's own convention for usage errors).
_EXIT_REFUSED = 1
_EXIT_USAGE = 2

# Widths of the table's truncated columns; the URL column takes what is left of the line.
_ANCHOR_WIDTH = 40
_URL_WIDTH = 60


def main(argv: Sequence[str] | None = None) -> int:
    """Run the `backlinkkit` command line.

    Args:
        argv: the arguments, without the program name; `sys.argv[1:]` by default.

    Returns:
        The exit status: 0 on success, 1 when the input was refused, 2 on a usage error.

    >>> main(["links", "--example", "--json"]) == 0  # doctest: +ELLIPSIS
    {...
    True
    """
    parser = _parser()
    args = parser.parse_args(argv)
    command: Callable[[argparse.Namespace, TextIO], int] = args.run
    return command(args, sys.stdout)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="backlinkkit", description="Link analysis for SEO: browser-faithful link extraction."
    )
    commands = parser.add_subparsers(title="commands", required=True, metavar="COMMAND")
    links = commands.add_parser(
        "links",
        help="print the links of an HTML page",
        description=(
            "Print every <a href> and <area href> of an HTML page, resolved as a browser "
            "resolves them, with its text, rel, region and site."
        ),
    )
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
    links.set_defaults(run=_links_command)
    _add_audit_parser(commands)  # the audit job owns its command: backlinkkit.audit._command
    return parser


def _links_command(args: argparse.Namespace, out: TextIO) -> int:
    if args.example:
        data, url = example_page(), args.url or EXAMPLE_URL
    else:
        if not args.url:
            return _fail("--url is required with a page", _EXIT_USAGE)
        try:
            data = sys.stdin.buffer.read() if args.page == "-" else Path(args.page).read_bytes()
        except OSError as error:
            return _fail(f"cannot read {args.page}: {error.strerror}", _EXIT_USAGE)
        url = args.url
    headers = {}
    for header in args.header:
        name, colon, value = header.partition(":")
        if not colon or not name.strip():
            return _fail(f"not a 'Name: value' header: {header!r}", _EXIT_USAGE)
        headers[name.strip()] = value.strip()
    try:
        page = extract_links(data, url, headers=headers or None)
    except BacklinkkitError as error:
        return _fail(str(error), _EXIT_REFUSED)
    if args.json:
        json.dump(_page_json(page), out, ensure_ascii=False, indent=2)
        out.write("\n")
    else:
        _print_table(page, out)
    return 0


def _fail(message: str, status: int) -> int:
    sys.stderr.write(f"backlinkkit links: {message}\n")
    return status


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
