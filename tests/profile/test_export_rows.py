"""A profile fed an export's rows straight from their cells counts what its records count."""

from __future__ import annotations

import csv
import io

from hypothesis import given, settings
from hypothesis import strategies as st

from backlinkkit import LinkProfile, read_backlinks
from backlinkkit._importers._tool_headers import GENERIC_COLUMNS

HEADER = GENERIC_COLUMNS[:12]
# Cells drawn from small pools, so values repeat (the caches are used) and some are bad.
SOURCES = st.sampled_from(
    [
        "https://a.test/1",
        "https://a.test/2",
        "http://www.a.test/x?y=1",
        "https://b.test",  # no path
        "https://B.test/z",
        "https://c.test?q=/p",  # a query before any path
        "https://example.com/own",  # the target's own site
        "https://blog.example.com/own",
        "not a url",  # rejected
    ]
)
ANCHORS = st.sampled_from(["Example", "  example ", "running shoes", "click here", "", "\\"])
FLAGS = st.sampled_from(["", "true", "false", "maybe"])  # "maybe" is rejected
DATES = st.sampled_from(["", "2024-01-05", "2024-03-01", "2025-12-31", "31/31/2024"])
IPS = st.sampled_from(["", "192.0.2.1", "192.0.2.9", "2001:db8::1", "300.1.1.1"])
TARGETS = st.sampled_from(["", "https://example.com/", "https://example.com/shop", "nope"])
ROW = st.tuples(
    SOURCES, TARGETS, ANCHORS, FLAGS, FLAGS, FLAGS, st.sampled_from(["", "text", "image"]),
    DATES, DATES, DATES, IPS, st.just(""),
)  # fmt: skip


def export(rows: list[tuple[str, ...]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    return out.getvalue().encode()


def profiles(data: bytes) -> tuple[LinkProfile, LinkProfile, list[object], list[object]]:
    from_rows, from_records = LinkProfile("example.com"), LinkProfile("example.com")
    rows_reader = read_backlinks(io.BytesIO(data), errors="collect")
    from_rows.update(rows_reader)
    records_reader = read_backlinks(io.BytesIO(data), errors="collect")
    from_records.update(list(records_reader))
    return from_rows, from_records, list(rows_reader.rejected), list(records_reader.rejected)


class TestRowsAsRecords:
    @settings(max_examples=150, deadline=None)
    @given(st.lists(ROW, max_size=40))
    def test_rows_count_what_records_count(self, rows):
        """Counting cells gives the records' profile, and rejects the same rows in order."""
        from_rows, from_records, rejected_rows, rejected_records = profiles(export(rows))
        assert from_rows.to_dict() == from_records.to_dict()
        assert from_rows.domain_table() == from_records.domain_table()
        assert rejected_rows == rejected_records

    def test_a_rejected_row_adds_no_referring_domain(self):
        """A row rejected for a cell after its source leaves no domain of zero links behind."""
        data = export(
            [
                ("https://a.test/1", "", "x", "", "", "", "", "2024-01-01", "", "", "", ""),
                ("https://b.test/1", "", "y", "", "", "", "", "not a date", "", "", "", ""),
            ]
        )
        from_rows, from_records, rejected, _ = profiles(data)
        assert [d["domain"] for d in from_rows.domain_table()] == ["a.test"]
        assert (
            from_rows.summary().referring_domains == 1 == from_records.summary().referring_domains
        )
        assert [r.line for r in rejected] == [3]  # type: ignore[attr-defined]
