"""Hostile disavow files: every reader and writer of DisavowFile on generated worst cases.

The goal (issue 10): at most 2 seconds per MB of input on every path, and no exception but
backlinkkit's own. Each input is generated (about 1 MB: Google's whole file may be 2 MB) and
gets two thunks: the upload path (parse, validate, merge, `to_bytes` with each `InvalidLines`)
and the other calls (iterate, `lines`, `redundant`, `diff`, pickle, `compact`); a few cases
stress one call (many merges, many comments on one entry, `covers` with huge hosts).
`benchmarks/hostile.py` runs `cases()` with the other readers; run alone, this prints CPU
seconds per MB of input per case, worst first.

Run: python benchmarks/hostile_disavow.py [--repeat 3] [--only NAME]
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import pickle
import random
import statistics
import string
import time
from collections.abc import Callable, Iterator

from backlinkkit import (
    BacklinkkitError,
    DisavowEntry,
    DisavowError,
    DisavowFile,
    InvalidLines,
)

DAY = dt.date(2026, 11, 24)
MB = 1_000_000
GOAL_SECONDS_PER_MB = 2.0


def read_and_write(data: str | bytes) -> DisavowFile:
    """The upload path: parse, validate, merge another file in, write (every `InvalidLines`)."""
    file = DisavowFile.parse(data, date=DAY)
    file.validate()
    file.merge(DisavowFile.parse(data, date=DAY))
    for invalid in InvalidLines:
        # Refusals are answers (an invalid line, a file over Google's limits, a lone surrogate
        # of a str that no bytes can hold), not failures.
        with contextlib.suppress(DisavowError):
            file.to_bytes(invalid=invalid)
    return file


def inspect_and_keep(data: str | bytes) -> DisavowFile:
    """The other calls: iterate, lines, redundant, diff, compact, pickle and load."""
    file = DisavowFile.parse(data, date=DAY)
    for _ in file:
        pass
    for line in file.lines:  # `lines` makes each line when read: read every one
        line.kind  # noqa: B018 - the read is the work measured
    file.redundant()
    file.diff(file)
    pickle.loads(pickle.dumps(file))
    file.compact()
    return file


def _lines(lines: Iterator[str] | list[str]) -> bytes:
    return "".join(f"{line}\n" for line in lines).encode("utf-8", "surrogateescape")


def _fill(line: Callable[[int], str], size: int = MB) -> bytes:
    """Lines `line(0), line(1), ...` up to about `size` bytes."""
    out: list[str] = []
    total = 0
    while total < size:
        text = line(len(out))
        out.append(text)
        total += len(text.encode("utf-8", "surrogateescape")) + 1
    return _lines(out)


def _label(rng: random.Random, size: int) -> str:
    return "".join(rng.choices(string.ascii_lowercase + string.digits, k=size))


def _many_merges() -> tuple[int, Callable[[], object]]:
    rng = random.Random(1)
    base = _fill(lambda i: f"domain:{_label(rng, 8)}.com" if i % 10 else "# batch", MB // 2)
    updates = [
        _lines(["# audit", f"domain:{_label(rng, 8)}.net", "# why", "domain: bad.example", ""])
        for _ in range(5_000)
    ]

    def run() -> object:
        file = DisavowFile.parse(base, date=DAY)
        for update in updates:
            file.merge(DisavowFile.parse(update))
        file.validate()
        return file.to_bytes(invalid=InvalidLines.KEEP)

    return len(base) + sum(map(len, updates)), run


def _comments_on_one_entry() -> tuple[int, Callable[[], object]]:
    comments = [f"# reason {i}" for i in range(60_000)]
    data = _lines([*comments, "domain:spam.example"])

    def run() -> object:
        file = DisavowFile.parse(data, date=DAY)
        file.merge(DisavowFile.parse(data))
        for i in range(20_000):
            file.add_domain("spam.example", f"again {i}")
        entries = list(file)
        file.to_bytes()
        return entries

    return len(data), run


def _comments_on_one_new_entry() -> tuple[int, Callable[[], object]]:
    entries = [DisavowEntry.domain("spam.example", comment=f"reason {i}") for i in range(50_000)]
    size = sum(len(f"# reason {i}\n") for i in range(50_000))

    def run() -> object:
        file = DisavowFile.from_entries(entries, date=DAY)
        file.merge(DisavowFile.from_entries(entries, date=DAY))
        return file.to_bytes(), list(file)

    return size, run


def _covers_huge_hosts() -> tuple[int, Callable[[], object]]:
    urls = ["https://" + "a." * 50_000 + "example/", "https://" + "b" * 100_000 + ".example/"] * 5
    file = DisavowFile.parse(_fill(lambda i: f"domain:s{i}.example", MB // 4))

    def run() -> object:
        return [file.covers(url) for url in urls]

    return sum(map(len, urls)), run


def _str_with_surrogates() -> tuple[int, Callable[[], object]]:
    text = "".join(f"# note \ud800{i}\ndomain:s{i}.example\n" for i in range(40_000))
    raw = _fill(lambda i: f"# caf\udce9 {i}\ndomain:b{i}.example", MB // 2)

    def run() -> object:
        file = DisavowFile.parse(raw, date=DAY)
        file.merge(DisavowFile.parse(text))
        file.validate()
        with contextlib.suppress(DisavowError):
            file.to_bytes(invalid=InvalidLines.KEEP)
        return file.to_bytes(invalid=InvalidLines.COMMENT_OUT)

    return len(text.encode("utf-8", "surrogatepass")) + len(raw), run


def _files() -> Iterator[tuple[str, bytes | str]]:
    """(name, file content): inputs for `exercise`."""
    rng = random.Random(2648487)
    yield "one 1 MB domain line", b"domain:" + b"a" * MB
    yield "one 1 MB host of labels", b"domain:" + b"a." * (MB // 2) + b"example"
    yield "one 1 MB host of hyphens", b"domain:" + b"a-" * (MB // 2) + b".example"
    yield "one 1 MB URL", b"https://spam.example/" + b"a" * MB
    yield "one 1 MB URL host", b"https://" + b"a." * (MB // 2) + b"example/"
    yield "one 1 MB comment", b"# " + b"x" * MB
    yield "one 1 MB line of wildcards", b"*." * (MB // 2)
    yield "one 1 MB line of CRs", b"domain:a.example" + b"\r" * MB
    yield "1 MB of line ends", b"\n" * MB
    yield "1 MB of CRLF", b"\r\n" * (MB // 2)
    yield "1 MB of NUL", b"\x00" * MB
    yield "1 MB of random bytes", rng.randbytes(MB)
    yield "1 MB of invalid UTF-8 lines", _fill(lambda i: f"domain:caf\udce9{i}.example")
    yield "UTF-16 file", "".join(f"domain:s{i}.example\r\n" for i in range(25_000)).encode("utf-16")
    yield "lines of 2,000 characters", _fill(lambda i: "domain:" + "a" * 2_000 + str(i))
    yield "hosts of 63-character labels", _fill(lambda _i: "domain:" + ("a" * 63 + ".") * 4 + "com")
    yield "hosts of 127 labels", _fill(lambda i: "domain:" + "a." * 126 + f"x{i}.example")
    yield "bad labels", _fill(lambda i: f"domain:{'-a-.' * (i % 9)}a..b{i}.-example-")
    yield "punycode labels", _fill(lambda i: f"domain:xn--{_label(rng, 20)}.xn--{i}zz.example")
    yield "non-ASCII hosts", _fill(lambda i: f"domain:bücher{i}.例え.example")
    yield "public suffixes", _fill(lambda i: f"domain:{_SUFFIXES[i % len(_SUFFIXES)]}")
    yield "IP spellings", _fill(lambda i: f"domain:0x{i:x}.{i % 256}")
    yield "URLs with credentials", _fill(lambda i: f"https://u{i}:pw@spam{i}.example/p?q={i}")
    yield "URLs of 2,048 characters", _fill(lambda i: f"https://s{i}.example/" + "a" * 2_040)
    yield "wildcard lines", _fill(lambda i: f"*.spam{i}.example/*")
    yield "control characters", _fill(lambda i: f"domain:a{i}.example\x01\x7f\x85\u2028")
    yield "stray CRs", _fill(lambda i: f"domain:a{i}.example\rdomain:b{i}.example\r")
    yield "100,000 duplicates", _fill(lambda _i: "domain:spam.example")
    yield "covered subdomains", _fill(lambda i: f"domain:{'s.' * (i % 50)}spam.example")
    yield "comments, then one entry", _fill(lambda _i: "# why") + b"domain:spam.example\n"
    yield "BOMs and blank lines", _fill(lambda i: "\ufeff" * (i % 3) + " \t" * (i % 4))
    yield (
        "mixed real-looking file",
        _fill(
            lambda i: [
                f"domain:{_label(rng, 7)}.com",
                f"https://{_label(rng, 6)}.net/{_label(rng, 9)}?id={i}",
                f"# batch {i}",
                "",
                f"domain: {_label(rng, 5)}.org",
            ][i % 5]
        ),
    )


_SUFFIXES = [
    "co.uk",
    "blogspot.com",
    "org.br",
    "com",
    "github.io",
    "a.ck",
    "localhost",
    "x.s3.amazonaws.com",
]


def cases() -> Iterator[tuple[str, int, Callable[[], object]]]:
    """(case name, input bytes, a thunk doing the work) for every hostile disavow case."""
    for name, data in _files():
        yield f"{name}: read and write", len(data), lambda data=data: read_and_write(data)
        yield f"{name}: inspect, pickle", len(data), lambda data=data: inspect_and_keep(data)
    yield "5,000 merges into one file", *_many_merges()
    yield "60,000 comments on one entry, 20,000 more added", *_comments_on_one_entry()
    yield "50,000 comments on one new entry", *_comments_on_one_new_entry()
    yield "covers() with 100 KB hosts", *_covers_huge_hosts()
    yield "str with lone surrogates merged into bytes", *_str_with_surrogates()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default="../shared/corpus", help="ignored: not used here")
    parser.add_argument("--repeat", type=int, default=3, help="runs per case (median)")
    parser.add_argument("--only", help="run only the cases whose name contains this")
    args = parser.parse_args()

    rows = []
    foreign = []
    for name, size, thunk in cases():
        if args.only and args.only not in name:
            continue
        seconds = []
        outcome = "ok"
        for _ in range(args.repeat):
            start = time.process_time()
            try:
                thunk()
            except BacklinkkitError as error:
                outcome = f"{type(error).__name__}"
            except Exception as error:  # noqa: BLE001 - the point is to catch anything foreign
                outcome = f"FOREIGN {type(error).__name__}: {error}"[:120]
                foreign.append((name, outcome))
                break
            seconds.append(time.process_time() - start)
        per_mb = statistics.median(seconds) / (size / MB) if seconds else float("nan")
        rows.append((per_mb, name, size, statistics.median(seconds) if seconds else 0, outcome))
    rows.sort(reverse=True)
    print(f"{'case':<52} {'input':>11} {'cpu s':>8} {'s/MB':>7}  outcome")
    for per_mb, name, size, seconds, outcome in rows:
        flag = "  OVER" if per_mb > GOAL_SECONDS_PER_MB else ""
        print(f"{name:<52} {size:>11,} {seconds:>8.3f} {per_mb:>7.3f}  {outcome}{flag}")
    worst = rows[0] if rows else None
    if worst:
        print(
            f"worst: {worst[0]:.3f} s/MB ({worst[1]}); goal {GOAL_SECONDS_PER_MB} s/MB; "
            f"foreign exceptions: {len(foreign)}"
        )


if __name__ == "__main__":
    main()
