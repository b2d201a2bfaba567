"""The `backlinkkit` command line: `links` on a file, standard input and the bundled example."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest

from backlinkkit import extract_links
from backlinkkit._cli import main
from backlinkkit._examples import EXAMPLE_URL, example_page

PAGE_URL = "https://www.example.com/blog/post.html"
HTML = (
    b'<html><head><title>Post</title><meta name="robots" content="noarchive"></head><body>'
    b'<nav><a href="/">Home</a></nav>'
    b'<p><a href="https://other.example.org/x" rel="nofollow">them</a></p>'
    b'<a href="/logo"><img src="l.png" alt="Logo"></a></body></html>'
)


@pytest.fixture
def page_file(tmp_path):
    path = tmp_path / "page.html"
    path.write_bytes(HTML)
    return path


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


class TestLinksTable:
    def test_file_table(self, capsys, page_file):
        """A table: page facts, then one row per link with its section, follow, kind, URL, anchor."""
        status, out, _ = run(capsys, "links", str(page_file), "--url", PAGE_URL)
        assert status == 0
        lines = out.splitlines()
        assert lines[:7] == [
            f"page       {PAGE_URL}",
            f"base       {PAGE_URL}",
            "canonical  -",
            "title      Post",
            "encoding   utf-8 (utf-8)",
            "robots     noarchive",
            "links      3: 2 followed, 1 not; 1 external",
        ]
        rows = [line.split() for line in lines[9:]]
        assert rows == [
            ["0", "1", "nav", "yes", "text", "https://www.example.com/", "Home"],
            [
                "1",
                "1",
                "-",
                "no",
                "(nofollow)",
                "text",
                "ext",
                "https://other.example.org/x",
                "them",
            ],
            ["2", "1", "-", "yes", "image", "https://www.example.com/logo", "Logo"],
        ]

    def test_example(self, capsys):
        """`links --example` prints the bundled page's links, without needing --url."""
        status, out, _ = run(capsys, "links", "--example")
        assert status == 0
        assert f"page       {EXAMPLE_URL}" in out
        assert len(out.splitlines()) == 9 + len(extract_links(example_page(), EXAMPLE_URL))
        assert "no (sponsored,nofollow)" in out
        assert "- (noscript)" in out

    def test_page_nofollow_is_named(self, capsys, tmp_path):
        """A link unfollowed by the page's robots, not its rel, says so."""
        path = tmp_path / "p.html"
        path.write_bytes(b'<meta name=robots content=nofollow><a href="/x">x</a>')
        _, out, _ = run(capsys, "links", str(path), "--url", PAGE_URL)
        assert "no (page)" in out

    def test_long_values_are_clipped(self, capsys, tmp_path):
        """Long URLs and anchors are clipped to keep rows readable."""
        path = tmp_path / "p.html"
        path.write_bytes(f'<a href="/{"u" * 200}">{"t" * 200}</a>'.encode())
        _, out, _ = run(capsys, "links", str(path), "--url", PAGE_URL)
        row = out.splitlines()[-1]
        assert "…" in row
        assert len(row) < 150


class TestLinksJSON:
    def test_json(self, capsys, page_file):
        """--json prints the page and every link field, enums as their values."""
        status, out, _ = run(capsys, "links", str(page_file), "--url", PAGE_URL, "--json")
        assert status == 0
        document = json.loads(out)
        assert document["title"] == "Post"
        assert document["robots"] == {
            "noindex": False,
            "nofollow": False,
            "directives": ["noarchive"],
        }
        assert [link["url"] for link in document["links"]] == [
            "https://www.example.com/",
            "https://other.example.org/x",
            "https://www.example.com/logo",
        ]
        first, second, third = document["links"]
        assert (first["section"], first["kind"], first["followed"]) == ("nav", "text", True)
        assert (second["rel"], second["followed"], second["is_external"]) == (
            ["nofollow"],
            False,
            True,
        )
        assert (third["kind"], third["image_alts"], third["anchor"]) == ("image", ["Logo"], "Logo")

    def test_json_example(self, capsys):
        """The example page as JSON has as many links as extract_links finds."""
        _, out, _ = run(capsys, "links", "--example", "--json")
        assert len(json.loads(out)["links"]) == len(extract_links(example_page(), EXAMPLE_URL))

    def test_stdin(self, capsys, monkeypatch):
        """`-` reads the page from standard input."""
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(HTML)))
        status, out, _ = run(capsys, "links", "-", "--url", PAGE_URL, "--json")
        assert status == 0
        assert len(json.loads(out)["links"]) == 3

    def test_headers(self, capsys, tmp_path):
        """--header passes response headers: the charset and X-Robots-Tag count."""
        path = tmp_path / "p.html"
        path.write_bytes('<a href="/">Привет</a>'.encode("koi8-r"))
        status, out, _ = run(
            capsys, "links", str(path), "--url", PAGE_URL, "--json",
            "--header", "Content-Type: text/html; charset=koi8-r",
            "--header", "X-Robots-Tag: nofollow",
        )  # fmt: skip
        document = json.loads(out)
        assert status == 0
        assert (document["encoding"], document["encoding_source"]) == ("koi8-r", "transport")
        assert document["links"][0]["text"] == "Привет"
        assert document["robots"]["nofollow"] is True


class TestErrors:
    @pytest.mark.parametrize(
        ("argv", "message"),
        [
            (["links", "page.html"], "--url is required"),
            (["links", "missing.html", "--url", PAGE_URL], "cannot read missing.html"),
            (["links", "--example", "--header", "no colon"], "not a 'Name: value' header"),
        ],
    )
    def test_usage_errors(self, capsys, tmp_path, monkeypatch, argv, message):
        """Usage mistakes and unreadable files exit with 2 and a message on stderr."""
        monkeypatch.chdir(tmp_path)
        status, out, err = run(capsys, *argv)
        assert (status, out) == (2, "")
        assert message in err

    def test_invalid_page_url(self, capsys, page_file):
        """A page URL the library refuses exits with 1 and the library's message."""
        status, _, err = run(capsys, "links", str(page_file), "--url", "not a url")
        assert status == 1
        assert "not an absolute URL" in err

    @pytest.mark.parametrize("argv", [[], ["links"], ["links", "a.html", "--example"]])
    def test_argparse_errors(self, capsys, argv):
        """Missing command or source, or both sources, are argparse usage errors (exit 2)."""
        with pytest.raises(SystemExit) as exit_info:
            main(argv)
        assert exit_info.value.code == 2


class TestEntryPoints:
    def test_python_dash_m(self):
        """`python -m backlinkkit links --example` runs the same command."""
        result = subprocess.run(
            [sys.executable, "-m", "backlinkkit", "links", "--example", "--json"],
            capture_output=True,
            check=True,
        )
        assert json.loads(result.stdout)["url"] == EXAMPLE_URL
