"""The `backlinkkit` command line: `links` on a file, standard input and the bundled example."""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from backlinkkit import ExtractionError, extract_links
from backlinkkit._cli import _SUBCOMMANDS, CommandError, Console, ExitStatus, main, subcommand
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

    @pytest.mark.parametrize(
        "argv", [[], ["links"], ["links", "a.html", "--example"], ["nope"], ["links", "--bad"]]
    )
    def test_argparse_errors(self, capsys, argv):
        """Missing command or source, both sources, unknown ones: usage errors, exit 2."""
        assert main(argv) == ExitStatus.USAGE == 2
        assert "usage: backlinkkit" in capsys.readouterr().err


class TestEntryPoints:
    def test_python_dash_m(self):
        """`python -m backlinkkit links --example` runs the same command."""
        result = subprocess.run(
            [sys.executable, "-m", "backlinkkit", "links", "--example", "--json"],
            capture_output=True,
            check=True,
        )
        assert json.loads(result.stdout)["url"] == EXAMPLE_URL


def backlinkkit(*args: str, shell_tail: str = "", **options) -> subprocess.CompletedProcess:
    """Run `python -m backlinkkit ARGS` in a real process, through sh for redirections."""
    quoted = " ".join(f"'{arg}'" for arg in args)
    return subprocess.run(
        ["sh", "-c", f'exec "$0" -m backlinkkit {quoted} {shell_tail}', sys.executable],
        capture_output="stdout" not in options,
        stderr=subprocess.PIPE if "stdout" in options else None,
        check=False,
        timeout=120,
        **options,
    )


def one_line(stderr: bytes) -> str:
    """The single line a failure writes on standard error (no traceback)."""
    text = stderr.decode()
    assert "Traceback" not in text
    assert text.count("\n") == 1, text
    return text.strip()


@pytest.fixture
def big_page(tmp_path):
    """A page with 5,000 links: its output is far larger than a pipe holds."""
    path = tmp_path / "big.html"
    path.write_bytes(b"".join(b'<a href="/p%d">link %d</a>' % (i, i) for i in range(5000)))
    return path


class TestStreams:
    def test_closed_stdin(self):
        """`-` with standard input closed: one line, exit 2."""
        result = backlinkkit("links", "-", "--url", PAGE_URL, shell_tail="<&-")
        assert result.returncode == ExitStatus.USAGE
        assert (
            one_line(result.stderr) == "backlinkkit links: cannot read standard input: it is closed"
        )

    def test_closed_stdout(self):
        """Standard output closed: one line, exit 4."""
        result = backlinkkit("links", "--example", shell_tail=">&-")
        assert result.returncode == ExitStatus.OUTPUT_FAILED
        assert one_line(result.stderr) == "backlinkkit links: standard output is closed"

    @pytest.mark.parametrize("output", ["--json", "--table"])
    def test_broken_pipe(self, big_page, output):
        """A reader that stops early (`| head`): one line, exit 4, whatever was written before."""
        args = [sys.executable, "-m", "backlinkkit", "links", str(big_page), "--url", PAGE_URL]
        if output == "--json":
            args.append("--json")
        process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        assert process.stdout.read(100)
        process.stdout.close()  # the reader goes away with the pipe full of what follows
        stderr = process.stderr.read()
        process.stderr.close()
        assert process.wait(timeout=120) == ExitStatus.OUTPUT_FAILED
        assert one_line(stderr) == (
            "backlinkkit links: standard output was closed by its reader (broken pipe)"
        )

    def test_pipe_into_head(self, big_page, tmp_path):
        """The shell's own `| head`: head prints its lines, backlinkkit one line and exit 4."""
        errors = tmp_path / "errors.txt"
        script = f'"$0" -m backlinkkit links "{big_page}" --url {PAGE_URL} 2>"{errors}" | head -n 3'
        result = subprocess.run(
            ["sh", "-c", script, sys.executable], capture_output=True, check=True
        )
        assert result.stdout.decode().splitlines()[0] == f"page       {PAGE_URL}"
        assert one_line(errors.read_bytes()).endswith("(broken pipe)")

    @pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full here")
    def test_full_disk(self):
        """/dev/full as standard output: one line, exit 4."""
        with Path("/dev/full").open("wb") as full:
            result = backlinkkit("links", "--example", stdout=full)
        assert result.returncode == ExitStatus.OUTPUT_FAILED
        assert one_line(result.stderr) == (
            "backlinkkit links: cannot write standard output: no space left on the device"
        )

    @pytest.mark.parametrize(("encoding", "name"), [("ascii", "ascii"), ("latin-1", "iso8859-1")])
    def test_output_encoding_without_the_characters(self, tmp_path, encoding, name):
        """A non-UTF-8 output encoding: the table escapes what it lacks, says so in one line."""
        path = tmp_path / "p.html"
        path.write_bytes('<a href="/">Привет 你好</a>'.encode())
        result = backlinkkit(
            "links", str(path), "--url", PAGE_URL, env=os.environ | {"PYTHONIOENCODING": encoding}
        )
        assert result.returncode == ExitStatus.OK
        assert "\\u041f\\u0440" in result.stdout.decode(encoding)
        assert one_line(result.stderr) == (
            f"backlinkkit links: the output encoding {name} lacks some characters: they are "
            "written as backslash escapes (set PYTHONIOENCODING=utf-8 to keep them)"
        )

    def test_json_in_ascii_is_exact(self, tmp_path):
        """JSON in an encoding without the characters is ASCII JSON: exact, and no note."""
        path = tmp_path / "p.html"
        path.write_bytes('<a href="/">Привет 你好</a>'.encode())
        result = backlinkkit(
            "links", str(path), "--url", PAGE_URL, "--json",
            env=os.environ | {"PYTHONIOENCODING": "ascii"},
        )  # fmt: skip
        assert (result.returncode, result.stderr) == (ExitStatus.OK, b"")
        assert json.loads(result.stdout.decode("ascii"))["links"][0]["text"] == "Привет 你好"

    @pytest.mark.parametrize("source", ["/dev/zero", "-"])
    def test_endless_input(self, source):
        """/dev/zero as the page (a file or standard input) is refused at the limit: exit 1."""
        if not Path("/dev/zero").exists():
            pytest.skip("no /dev/zero here")
        result = backlinkkit("links", source, "--url", PAGE_URL, shell_tail="</dev/zero")
        assert result.returncode == ExitStatus.INPUT_REFUSED
        name = "standard input" if source == "-" else source
        assert (
            one_line(result.stderr) == f"backlinkkit links: {name} is larger than 64 MiB: not read"
        )

    def test_directory_as_input(self, tmp_path):
        """A directory is no page: one line, exit 2."""
        result = backlinkkit("links", str(tmp_path), "--url", PAGE_URL)
        assert result.returncode == ExitStatus.USAGE
        assert (
            one_line(result.stderr) == f"backlinkkit links: cannot read {tmp_path}: Is a directory"
        )


class TestWrapper:
    def test_help_lists_exit_statuses(self, capsys):
        """--help (of the command and of each subcommand) documents the exit statuses."""
        assert main(["--help"]) == 0
        assert "exit statuses:" in capsys.readouterr().out
        assert main(["links", "--help"]) == 0
        out = capsys.readouterr().out
        assert "4    output failed" in out
        assert "3    reserved for audit --fail-on" in out

    def test_statuses_are_documented_values(self):
        """The statuses are the documented numbers, 3 kept for audit --fail-on."""
        assert {s.name: int(s) for s in ExitStatus} == {
            "OK": 0, "INPUT_REFUSED": 1, "USAGE": 2, "FINDINGS": 3, "OUTPUT_FAILED": 4,
            "INTERNAL_ERROR": 70, "INTERRUPTED": 130,
        }  # fmt: skip

    @pytest.fixture
    def probe(self, monkeypatch):
        """A subcommand registered for the test that raises what it is told to."""
        raised: list[BaseException] = []

        def arguments(parser: argparse.ArgumentParser) -> None:
            parser.add_argument("source", nargs="?")

        def run(args: argparse.Namespace, console: Console) -> int:
            if args.source:
                console.out.write(str(len(console.read(args.source, limit=10))))
            if raised:
                raise raised[0]
            return ExitStatus.OK

        monkeypatch.setitem(_SUBCOMMANDS, "probe", None)
        subcommand("probe", summary="a probe", description="a probe", arguments=arguments)(run)
        return raised

    @pytest.mark.parametrize(
        ("error", "status", "message"),
        [
            (CommandError("nothing to do", ExitStatus.FINDINGS), 3, "nothing to do"),
            (ExtractionError("not a page\nat all"), 1, "not a page at all"),
            (KeyboardInterrupt(), 130, "interrupted"),
            (MemoryError(), 1, "out of memory"),
            (RuntimeError("boom"), 70, "internal error, please report it: RuntimeError: boom"),
            (BrokenPipeError(32, "Broken pipe"), 4, "closed by its reader (broken pipe)"),
        ],
    )
    def test_every_failure_is_one_line(self, capsys, probe, error, status, message):
        """Whatever a subcommand raises becomes one line on stderr and its exit status."""
        probe.append(error)
        assert main(["probe"]) == status
        err = capsys.readouterr().err
        assert err == f"backlinkkit probe: {message}\n" or err.endswith(f"{message}\n")
        assert err.count("\n") == 1

    def test_subcommands_read_bounded(self, capsys, probe, tmp_path):
        """Console.read refuses input over the subcommand's limit, naming the file."""
        small, large = tmp_path / "small", tmp_path / "large"
        small.write_bytes(b"x" * 10)
        large.write_bytes(b"x" * 11)
        assert main(["probe", str(small)]) == 0
        assert capsys.readouterr().out == "10"
        assert main(["probe", str(large)]) == ExitStatus.INPUT_REFUSED
        assert f"{large} is larger than 0 MiB" in capsys.readouterr().err


@pytest.fixture
def every_command(tmp_path):
    """A successful command line per subcommand, on small inputs written here."""
    export = tmp_path / "me.csv"
    export.write_text(
        "Referring page URL,Target URL,Anchor\nhttps://a.example/x,https://me.example/,hi\n"
    )
    manifest = tmp_path / "warc.paths"
    manifest.write_text("missing.warc.gz\n")  # counted as unreadable: the job still reports
    page = tmp_path / "page.html"
    page.write_bytes(HTML)
    out = str(tmp_path / "out")
    return {
        "links": ["links", str(page), "--url", PAGE_URL],
        "audit": ["audit", str(export), "--site", "me.example", "--out", out],
        "warc": ["warc", str(manifest), "--target", "me.example", "--processes", "1", "--out", out],
        "gap": ["gap", str(export), "--site", "me.example", "--competitor",
                f"a.example={export}", "--out", out],
        "diff": ["diff", str(export), str(export), "--site", "me.example", "--out", out],
    }  # fmt: skip


COMMANDS = ["links", "audit", "warc", "gap", "diff"]
# Without the report extra the audit says, on stderr, that it wrote every file but the report.
_NO_REPORT = b"backlinkkit audit: report.html not written: "


def audit_stderr(raw: bytes) -> bytes:
    """The audit's standard error without the line saying the report extra is missing."""
    return b"".join(
        line for line in raw.splitlines(keepends=True) if not line.startswith(_NO_REPORT)
    )


def replace_input(argv: list[str], source: str) -> list[str]:
    """The command line with its input (the first file argument) replaced by `source`."""
    return [argv[0], source, *argv[2:]]


class TestEveryCommandsStreams:
    """Every subcommand on broken streams and endless input: one line, the documented status.

    `audit` is the documented exception for standard output: its files are its product, so a
    standard output that fails does not change its status (docs/cli.md).
    """

    @pytest.mark.parametrize("name", COMMANDS)
    def test_succeeds(self, every_command, name):
        """The baseline: each command line runs and exits 0, printing something."""
        result = backlinkkit(*every_command[name])
        assert (result.returncode, result.stdout != b"") == (ExitStatus.OK, True), result.stderr

    @pytest.mark.parametrize("name", COMMANDS)
    def test_closed_stdout(self, every_command, name):
        """Standard output closed: exit 4 with one line (audit: 0, nothing said)."""
        result = backlinkkit(*every_command[name], shell_tail=">&-")
        if name == "audit":
            assert (result.returncode, audit_stderr(result.stderr)) == (ExitStatus.OK, b"")
        else:
            assert result.returncode == ExitStatus.OUTPUT_FAILED
            assert one_line(result.stderr) == f"backlinkkit {name}: standard output is closed"

    @pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full here")
    @pytest.mark.parametrize("name", COMMANDS)
    def test_full_disk(self, every_command, name):
        """/dev/full as standard output: one line; exit 4 (audit: 0)."""
        with Path("/dev/full").open("wb") as full:
            result = backlinkkit(*every_command[name], stdout=full)
        line = one_line(audit_stderr(result.stderr) if name == "audit" else result.stderr)
        if name == "audit":
            assert result.returncode == ExitStatus.OK
            assert (
                line
                == "backlinkkit audit: cannot write to standard output: No space left on device"
            )
        else:
            assert result.returncode == ExitStatus.OUTPUT_FAILED
            assert line == (
                f"backlinkkit {name}: cannot write standard output: no space left on the device"
            )

    @pytest.mark.parametrize("name", COMMANDS)
    def test_reader_gone(self, every_command, name, tmp_path):
        """A reader gone before the output (`| true`): one line, exit 4 (audit: 0, silent)."""
        errors, status = tmp_path / "errors.txt", tmp_path / "status.txt"
        quoted = " ".join(f"'{arg}'" for arg in every_command[name])
        script = f'("$0" -m backlinkkit {quoted} 2>"{errors}"; echo $? >"{status}") | true'
        subprocess.run(["sh", "-c", script, sys.executable], check=True, timeout=120)
        if name == "audit":
            assert (status.read_text(), audit_stderr(errors.read_bytes())) == ("0\n", b"")
        else:
            assert status.read_text() == f"{ExitStatus.OUTPUT_FAILED}\n"
            assert one_line(errors.read_bytes()) == (
                f"backlinkkit {name}: standard output was closed by its reader (broken pipe)"
            )

    @pytest.mark.parametrize("name", COMMANDS)
    def test_closed_stdin(self, every_command, name):
        """`-` as the input with standard input closed: one line, exit 2."""
        result = backlinkkit(*replace_input(every_command[name], "-"), shell_tail="<&-")
        assert result.returncode == ExitStatus.USAGE
        assert one_line(result.stderr).startswith(f"backlinkkit {name}: cannot read ")

    @pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero here")
    @pytest.mark.parametrize("name", COMMANDS)
    def test_dev_zero_input(self, every_command, name):
        """/dev/zero as the input: refused in one line, exit 1 (the timeout catches a hang)."""
        result = backlinkkit(*replace_input(every_command[name], "/dev/zero"))
        assert result.returncode == ExitStatus.INPUT_REFUSED
        assert one_line(result.stderr).startswith(f"backlinkkit {name}: /dev/zero")

    @pytest.mark.parametrize("stderr", ["2>&-", "2>/dev/full"])
    @pytest.mark.parametrize(("source", "status"), [("/dev/zero", 1), ("missing.txt", 2)])
    def test_warc_with_stderr_broken(self, every_command, stderr, source, status):
        """warc's failures keep their status when standard error is closed or full."""
        result = backlinkkit(*replace_input(every_command["warc"], source), shell_tail=stderr)
        assert result.returncode == status

    @pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full here")
    @pytest.mark.parametrize("argv", [["--help"], ["warc", "--help"], ["links", "--help"]])
    def test_help_on_full_disk(self, argv):
        """--help on /dev/full: one line, exit 4."""
        with Path("/dev/full").open("wb") as full:
            result = backlinkkit(*argv, stdout=full)
        assert result.returncode == ExitStatus.OUTPUT_FAILED
        assert one_line(result.stderr) == (
            "backlinkkit: cannot write standard output: no space left on the device"
        )

    @pytest.mark.parametrize("argv", [["--help"], ["audit", "--help"]])
    def test_help_with_closed_stdout(self, argv):
        """--help with standard output closed: one line (not the help) on stderr, exit 4."""
        result = backlinkkit(*argv, shell_tail=">&-")
        assert result.returncode == ExitStatus.OUTPUT_FAILED
        assert one_line(result.stderr) == "backlinkkit: standard output is closed"
