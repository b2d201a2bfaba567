"""Authority: Common Crawl ranks files read in blocks, buckets, and imported tool scores."""

from __future__ import annotations

import gzip
import io
import math
import pickle
import zlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backlinkkit import (
    AuthorityBucket,
    AuthorityError,
    AuthorityMetric,
    Backlink,
    GraphLevel,
    ImportedAuthority,
    InvalidURLError,
    LinkProfile,
    SettingsError,
    WebGraphRank,
    WebGraphRanks,
    read_web_graph_ranks,
)
from backlinkkit._compare import _authority as authority_module

DOMAIN_HEADER = "#harmonicc_pos\t#harmonicc_val\t#pr_pos\t#pr_val\t#host_rev\t#n_hosts"
HOST_HEADER = "#harmonicc_pos\t#harmonicc_val\t#pr_pos\t#pr_val\t#host_rev"


def domain_rows(count: int) -> list[str]:
    """Rows as Common Crawl writes them: Java number layout, names reversed, sorted by position."""
    return [
        f"{i}\t{3.1e7 / i:.7E}\t{count + 1 - i}\t{1e-3 / i}\tcom.site{i}\t{i % 7 + 1}"
        for i in range(1, count + 1)
    ]


def ranks_file(rows: list[str], header: str = DOMAIN_HEADER, *, end: str = "\n") -> bytes:
    return (header + "\n" + "\n".join(rows) + (end if rows else "")).encode()


def read(data: bytes, names: list[str]) -> WebGraphRanks:
    return read_web_graph_ranks(io.BytesIO(data), names)


class _Trickle(io.RawIOBase):
    """A stream that returns at most `size` bytes per read, to force rows across blocks."""

    def __init__(self, data: bytes, size: int) -> None:
        self.data, self.size, self.at = data, size, 0

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        chunk = self.data[self.at : self.at + min(self.size, n if n >= 0 else self.size)]
        self.at += len(chunk)
        return chunk


class TestBuckets:
    @pytest.mark.parametrize(
        ("position", "bucket"),
        [
            (1, AuthorityBucket.TOP_10K),
            (10_000, AuthorityBucket.TOP_10K),
            (10_001, AuthorityBucket.TOP_100K),
            (100_000, AuthorityBucket.TOP_100K),
            (1_000_000, AuthorityBucket.TOP_1M),
            (10_000_000, AuthorityBucket.TOP_10M),
            (10_000_001, AuthorityBucket.BEYOND_10M),
            (250_000_000, AuthorityBucket.BEYOND_10M),
        ],
    )
    def test_of_position(self, position, bucket):
        """Positions fall in bands bounded by powers of ten, the bound inside the better band."""
        assert AuthorityBucket.of_position(position) is bucket

    @pytest.mark.parametrize("position", [0, -3])
    def test_bad_position(self, position):
        """A position below 1 is refused with the library's error."""
        with pytest.raises(AuthorityError, match="starts at 1"):
            AuthorityBucket.of_position(position)

    def test_order_and_limits(self):
        """`order` runs 0 (best) to 5 (unknown); `limit` is each band's last position."""
        assert [b.order for b in AuthorityBucket] == [0, 1, 2, 3, 4, 5]
        assert [b.limit for b in AuthorityBucket] == [
            10_000, 100_000, 1_000_000, 10_000_000, None, None
        ]  # fmt: skip


class TestImportedAuthority:
    @pytest.mark.parametrize(
        ("metric", "score", "bucket"),
        [
            (AuthorityMetric.DOMAIN_RATING, 100, AuthorityBucket.TOP_10K),
            (AuthorityMetric.DOMAIN_RATING, 81, AuthorityBucket.TOP_10K),
            (AuthorityMetric.DOMAIN_RATING, 80.9, AuthorityBucket.TOP_100K),
            (AuthorityMetric.DOMAIN_RATING, 71, AuthorityBucket.TOP_100K),
            (AuthorityMetric.DOMAIN_RATING, 46, AuthorityBucket.TOP_1M),
            (AuthorityMetric.DOMAIN_RATING, 21, AuthorityBucket.TOP_10M),
            (AuthorityMetric.DOMAIN_RATING, 20, AuthorityBucket.BEYOND_10M),
            (AuthorityMetric.DOMAIN_RATING, 0, AuthorityBucket.BEYOND_10M),
            (AuthorityMetric.DOMAIN_AUTHORITY, 75, AuthorityBucket.TOP_100K),
            (AuthorityMetric.AUTHORITY_SCORE, 50, AuthorityBucket.TOP_1M),
            (AuthorityMetric.CITATION_FLOW, 30, AuthorityBucket.TOP_10M),
            (AuthorityMetric.TRUST_FLOW, 65, AuthorityBucket.TOP_10K),
            (AuthorityMetric.TRUST_FLOW, 50, AuthorityBucket.TOP_100K),
            (AuthorityMetric.TRUST_FLOW, 30, AuthorityBucket.TOP_1M),
            (AuthorityMetric.TRUST_FLOW, 15, AuthorityBucket.TOP_10M),
            (AuthorityMetric.TRUST_FLOW, 14.9, AuthorityBucket.BEYOND_10M),
        ],
    )
    def test_bucket(self, metric, score, bucket):
        """Scores fall in the documented bands: a score equal to a bound is in the better band."""
        assert metric.bucket(score) is bucket
        assert ImportedAuthority(metric, score).bucket is bucket

    @pytest.mark.parametrize("score", [-1, 100.5, math.nan, math.inf, "high", None])
    def test_bad_score(self, score):
        """A score that is not a number from 0 to 100 is refused, from the enum and the value."""
        with pytest.raises(AuthorityError):
            AuthorityMetric.DOMAIN_RATING.bucket(score)
        with pytest.raises(AuthorityError):
            ImportedAuthority(AuthorityMetric.DOMAIN_RATING, score)

    @given(st.sampled_from(AuthorityMetric), st.floats(0, 100), st.floats(0, 100))
    def test_higher_score_never_a_worse_band(self, metric, a, b):
        """Bands are monotonic: a higher score is in the same band or a better one."""
        low, high = sorted((a, b))
        assert metric.bucket(high).order <= metric.bucket(low).order

    def test_from_backlink(self):
        """A record's scores come out in metric order, each with its metric; absent ones not."""
        link = Backlink(
            "https://blog.test/",
            citation_flow=40.0,
            trust_flow=22.0,
            domain_rating=64.0,
            page_ascore=30.0,
            domain_authority=50.0,
        )
        found = ImportedAuthority.from_backlink(link)
        assert [(a.metric, a.score) for a in found] == [
            (AuthorityMetric.DOMAIN_RATING, 64.0),
            (AuthorityMetric.DOMAIN_AUTHORITY, 50.0),
            (AuthorityMetric.AUTHORITY_SCORE, 30.0),
            (AuthorityMetric.TRUST_FLOW, 22.0),
            (AuthorityMetric.CITATION_FLOW, 40.0),
        ]
        assert ImportedAuthority.from_backlink(Backlink("https://blog.test/")) == ()

    def test_to_dict(self):
        """The record says where the score came from, and its band."""
        record = ImportedAuthority(AuthorityMetric.TRUST_FLOW, 52).to_dict()
        assert record == {
            "source": "import",
            "metric": "trust_flow",
            "score": 52.0,
            "bucket": "top-100k",
        }


class TestReadRanks:
    def test_domain_graph(self):
        """A domain graph's rows are parsed in full for the names asked, in normal order."""
        data = ranks_file(domain_rows(5))
        ranks = read(data, ["site3.com", "SITE1.com.", "absent.test"])
        assert ranks.level is GraphLevel.DOMAIN
        assert ranks.rows == 5
        assert sorted(ranks) == ["site1.com", "site3.com"]
        assert ranks["site3.com"] == WebGraphRank(
            name="site3.com",
            harmonic_position=3,
            harmonic_centrality=float(f"{3.1e7 / 3:.7E}"),
            pagerank_position=3,
            pagerank=1e-3 / 3,
            hosts=4,
        )
        assert ranks.missing == ("absent.test",)
        assert ranks.asked == {"site1.com", "site3.com", "absent.test"}

    def test_host_graph(self):
        """A host graph (no #n_hosts) keeps hosts, with `hosts` None."""
        rows = ["1\t2.5E7\t3\t1.0E-4\tcom.example.www", "2\t2.0E7\t1\t2.0E-4\tcom.example.blog"]
        ranks = read(ranks_file(rows, HOST_HEADER), ["blog.example.com", "example.com"])
        assert ranks.level is GraphLevel.HOST
        assert list(ranks) == ["blog.example.com"]
        assert (ranks["blog.example.com"].pagerank_position, ranks["blog.example.com"].hosts) == (
            1,
            None,
        )

    @pytest.mark.parametrize("compress", [False, True], ids=["plain", "gzip"])
    @pytest.mark.parametrize("size", [1, 7, 64, 4096])
    def test_rows_across_blocks(self, compress, size):
        """Rows split anywhere across reads are read whole, plain or gzip, line numbers kept."""
        data = ranks_file(domain_rows(300))
        if compress:
            data = gzip.compress(data)
        names = [f"site{i}.com" for i in (1, 150, 299, 300)]
        ranks = read_web_graph_ranks(_Trickle(data, size), names)  # type: ignore[arg-type]
        assert sorted(r.harmonic_position for r in ranks.values()) == [1, 150, 299, 300]
        assert ranks.rows == 300

    def test_concatenated_gzip_members(self):
        """Several gzip members one after the other are one stream, as gzip -dc reads them."""
        rows = domain_rows(10)
        data = gzip.compress(ranks_file(rows[:4]) + b"") + gzip.compress(
            ("\n".join(rows[4:]) + "\n").encode()
        )
        ranks = read(data, ["site2.com", "site9.com"])
        assert (ranks.rows, sorted(ranks)) == (10, ["site2.com", "site9.com"])

    @pytest.mark.parametrize("end", ["\n", ""], ids=["newline", "no-final-newline"])
    def test_last_row(self, end):
        """The last row counts with or without a newline after it."""
        ranks = read(ranks_file(domain_rows(3), end=end), ["site3.com"])
        assert (ranks.rows, list(ranks)) == (3, ["site3.com"])

    def test_header_only(self):
        """A file with a header and no rows is a valid, empty read."""
        for data in (DOMAIN_HEADER.encode(), DOMAIN_HEADER.encode() + b"\n"):
            ranks = read(data, ["a.test"])
            assert (ranks.rows, len(ranks), ranks.level) == (0, 0, GraphLevel.DOMAIN)

    def test_first_row_wins(self):
        """A name listed twice keeps its first (better placed) row."""
        rows = [*domain_rows(3), "4\t1.0E6\t4\t1.0E-6\tcom.site2\t9"]
        assert read(ranks_file(rows), ["site2.com"])["site2.com"].harmonic_position == 2

    def test_name_in_another_field_is_not_a_match(self):
        """Only the name column counts: a name that appears as another field is not kept."""
        rows = ["1\t2.0E7\t3\t1.0E-4\tcom.site\t7", "2\t1.0E7\t1\t2.0E-4\tcom.other\t1"]
        assert list(read(ranks_file(rows), ["7"])) == []

    def test_unicode_and_ip_names(self):
        """Names asked in Unicode go to punycode; IP addresses reverse by labels too."""
        rows = ["1\t2.0E7\t2\t1.0E-4\tde.xn--bcher-kva\t3", "2\t1.0E7\t1\t2.0E-4\t4.3.2.1\t1"]
        ranks = read(ranks_file(rows), ["Bücher.de", "1.2.3.4"])
        assert sorted(ranks) == ["1.2.3.4", "xn--bcher-kva.de"]

    def test_bad_name_asked(self):
        """A name that is not a host is the caller's error, raised before reading."""
        with pytest.raises(InvalidURLError):
            read(ranks_file(domain_rows(1)), ["not a host/"])

    def test_memory_holds_only_what_is_kept(self):
        """Rows not asked for leave nothing behind: the result holds the names found only."""
        ranks = read(ranks_file(domain_rows(2000)), ["site1999.com"])
        assert (len(ranks), ranks.rows) == (1, 2000)

    def test_repr_and_pickle(self):
        """The result pickles as plain versioned data naming no private module, and says its size."""
        ranks = read(ranks_file(domain_rows(5)), ["site2.com", "x.test"])
        data = pickle.dumps(ranks)
        assert b"_authority" not in data
        assert b"mappingproxy" not in data
        assert pickle.loads(data) == ranks
        assert repr(ranks) == "<WebGraphRanks of a domain graph: 1 of 2 names found in 5 rows>"

    def test_old_pickle_version_refused(self):
        """A state of another version is refused with a message, not misread."""
        ranks = read(ranks_file(domain_rows(1)), [])
        state = ranks.__getstate__() | {"version": 99}
        with pytest.raises(TypeError, match="version 99"):
            WebGraphRanks.__new__(WebGraphRanks).__setstate__(state)

    def test_rank_to_dict(self):
        """A rank's record names its source and band."""
        rank = read(ranks_file(domain_rows(2)), ["site2.com"])["site2.com"]
        assert rank.to_dict() | {"harmonic_centrality": 0} == {
            "source": "common_crawl",
            "name": "site2.com",
            "harmonic_position": 2,
            "harmonic_centrality": 0,
            "pagerank_position": 1,
            "pagerank": 5e-4,
            "hosts": 3,
            "bucket": "top-10k",
        }

    @given(st.lists(st.integers(1, 60), unique=True, max_size=12), st.integers(1, 200))
    def test_found_is_asked_and_listed(self, asked, size):
        """Whatever is asked and however the stream is cut, exactly the listed names come back."""
        data = ranks_file(domain_rows(40))
        names = [f"site{i}.com" for i in asked]
        ranks = read_web_graph_ranks(_Trickle(data, size), names)  # type: ignore[arg-type]
        assert sorted(ranks) == sorted(f"site{i}.com" for i in asked if i <= 40)
        assert all(ranks[f"site{i}.com"].harmonic_position == i for i in asked if i <= 40)


class TestMalformed:
    @pytest.mark.parametrize(
        ("row", "message"),
        [
            ("4\t1.0E6\t4\t1.0E-6\tcom.site4", "line 5: expected 6 tab-separated fields, found 5"),
            (
                "4\t1.0E6\t4\t1.0E-6\tcom.site4\t1\t9",
                "line 5: expected 6 tab-separated fields, found 7",
            ),
            (
                "x4\t1.0E6\t4\t1.0E-6\tcom.site4\t1",
                "line 5: #harmonicc_pos is not a whole number: 'x4'",
            ),
            ("4\t1.0E6\t\t1.0E-6\tcom.site4\t1", "line 5: #pr_pos is not a whole number: ''"),
            ("4\t\t4\t1.0E-6\tcom.site4\t1", "line 5: #harmonicc_val is not a number: ''"),
            ("4\t1.0E6\t4\t1.0E-6\t\t1", "line 5: #host_rev is empty"),
            (
                "4\t1.0E6\t4\t1.0E-6\tcom.site4\tmany",
                "line 5: #n_hosts is not a whole number: 'many'",
            ),
            ("", "line 5: expected 6 tab-separated fields, found 1"),
        ],
    )
    def test_skipped_row_shape(self, row, message):
        """A row of the wrong shape is an error naming its line, even if no name in it is asked."""
        rows = [*domain_rows(3), row, *domain_rows(2)]
        with pytest.raises(AuthorityError, match=f"^{message}"):
            read(ranks_file(rows), ["nothing.test"])

    @pytest.mark.parametrize(
        ("row", "message"),
        [
            (
                "4\tfast\t4\t1.0E-6\tcom.site4\t1",
                "line 5: #harmonicc_val is not a number of at least 0: 'fast'",
            ),
            (
                "4\t1.0E6\t4\tInfinity\tcom.site4\t1",
                "line 5: #pr_val is not a number of at least 0",
            ),
            ("4\t1.0E6\t4\t-1.0\tcom.site4\t1", "line 5: #pr_val is not a number of at least 0"),
            (
                "4\t1.2.3\t4\t1.0\tcom.site4\t1",
                "line 5: #harmonicc_val is not a number of at least 0",
            ),
            ("0\t1.0E6\t4\t1.0\tcom.site4\t1", "line 5: #harmonicc_pos must be at least 1, not 0"),
            ("4\t1.0E6\t4\t1.0\tcom.site4\t0", "line 5: #n_hosts must be at least 1, not 0"),
        ],
    )
    def test_kept_row_parsed_in_full(self, row, message):
        """A row that is kept is checked number by number; the fast check lets these through."""
        rows = [*domain_rows(3), row]
        with pytest.raises(AuthorityError, match=f"^{message}"):
            read(ranks_file(rows), ["site4.com"])
        assert read(ranks_file(rows), ["site1.com"]).rows == 4  # not kept: not parsed

    def test_line_number_in_a_later_block(self):
        """The line number counts every block before: a bad row deep in the file is named."""
        rows = domain_rows(5000)
        rows[4321] = "oops"
        data = gzip.compress(ranks_file(rows))
        with pytest.raises(AuthorityError, match=r"^line 4323: expected 6"):
            read_web_graph_ranks(_Trickle(data, 1000), [])  # type: ignore[arg-type]

    @pytest.mark.parametrize(
        ("data", "message"),
        [
            (b"", "the ranks file is empty"),
            (b"host\trank\nexample.com\t1\n", "line 1 is not the header"),
            (HOST_HEADER.encode() + b"\t#other\n", "line 1 is not the header"),
            (
                DOMAIN_HEADER.encode() + b"\r\n1\t1.0\t1\t1.0\tcom.a\t1\r\n",
                "line 1 is not the header",
            ),
            (b"\x00" * 100, "line 1 is not the header"),
        ],
    )
    def test_not_a_ranks_file(self, data, message):
        """Something else than a ranks file is refused at its first line."""
        with pytest.raises(AuthorityError, match=message):
            read(data, ["a.test"])

    def test_no_newline_for_too_long(self):
        """A file with no line break in its first MiB is not a ranks file (memory stays bounded)."""
        with pytest.raises(AuthorityError, match="over 1,048,576 bytes"):
            read(b"#" * (2 << 20), ["a.test"])
        long_row = DOMAIN_HEADER.encode() + b"\n1\t" + b"9" * (2 << 20)
        with pytest.raises(AuthorityError, match="line 2 is over"):
            read(long_row, ["a.test"])

    def test_truncated_gzip(self):
        """A gzip stream cut short (an interrupted download) is an error, not a short read."""
        data = gzip.compress(ranks_file(domain_rows(2000)))
        with pytest.raises(AuthorityError, match="truncated"):
            read(data[: len(data) // 2], ["site1.com"])

    def test_damaged_gzip(self):
        """Damaged compressed data is caught (zlib, or gzip's CRC-32 at the member's end)."""
        data = bytearray(gzip.compress(ranks_file(domain_rows(2000))))
        data[len(data) // 2] ^= 0xFF
        with pytest.raises(AuthorityError, match="damaged"):
            read(bytes(data), ["site1.com"])

    def test_garbage_after_gzip(self):
        """Bytes after the gzip stream that are not another member are an error."""
        data = gzip.compress(ranks_file(domain_rows(3))) + b"trailing junk"
        with pytest.raises(AuthorityError, match="damaged"):
            read(data, ["site1.com"])

    def test_text_stream_refused(self):
        """A text stream gets a message saying to open the file in binary mode."""
        with pytest.raises(AuthorityError, match="'rb'"):
            read_web_graph_ranks(io.StringIO(DOMAIN_HEADER), [])  # type: ignore[arg-type]


class TestRowPattern:
    @given(st.lists(st.sampled_from(["1", "a", "\t", "\n", ".", "E", "-"]), max_size=40))
    def test_one_match_per_row_only_for_well_formed_rows(self, parts):
        """The block check agrees with a row-by-row check of field count and digit columns."""
        line = "".join(parts)
        if "\n" in line:
            return
        pattern = authority_module._ROW_PATTERNS[GraphLevel.DOMAIN]
        block = b"\n" + line.encode() + b"\n"
        fields = line.split("\t")
        well_formed = (
            len(fields) == 6 and all(fields) and all(fields[i].isdigit() for i in (0, 2, 5))
        )
        assert (len(pattern.findall(block)) == 1) == well_formed


def test_zlib_reads_as_gzip_cli_does():
    """The reader's gzip framing is gzip's own: a raw zlib stream is not taken for gzip."""
    data = zlib.compress(ranks_file(domain_rows(2)))
    with pytest.raises(AuthorityError, match="line 1 is not the header"):
        read(data, [])


def cc_rank(name: str, position: int) -> WebGraphRank:
    return WebGraphRank(name=name, harmonic_position=position, harmonic_centrality=1.0,
                        pagerank_position=position, pagerank=1e-9, hosts=1)  # fmt: skip


def scored_profile(scores: dict[str, dict[str, float]]) -> LinkProfile:
    """One link from each domain, carrying the export scores given for it."""
    profile = LinkProfile("example.com")
    profile.update(
        Backlink(f"https://{domain}/post", "https://example.com/", **fields)  # type: ignore[arg-type]
        for domain, fields in scores.items()
    )
    return profile


class TestProfileAuthority:
    def test_imported_scores_bucket_referring_domains(self):
        """Without ranks, a domain's authority is the first export score (DR, DA, AS, TF, CF)."""
        profile = scored_profile({
            "dr.test": {"domain_rating": 85.0, "trust_flow": 10.0},
            "da.test": {"domain_authority": 30.0},
            "tf.test": {"trust_flow": 52.0, "citation_flow": 90.0},
            "bad.test": {"domain_rating": 150.0},  # out of range: passed over, not raised
            "none.test": {},
        })  # fmt: skip
        rows = {r.domain: r for r in profile.referring_domains()}
        assert {d: r.authority_bucket.value for d, r in rows.items()} == {
            "dr.test": "top-10k", "da.test": "top-10m", "tf.test": "top-100k",
            "bad.test": "unknown", "none.test": "unknown",
        }  # fmt: skip
        assert rows["dr.test"].authority == ImportedAuthority(AuthorityMetric.DOMAIN_RATING, 85)
        assert rows["none.test"].authority is None
        buckets = profile.summary().authority_buckets
        assert list(buckets) == list(AuthorityBucket)
        assert [buckets[b] for b in AuthorityBucket] == [1, 1, 0, 1, 0, 2]

    def test_ranks_win_over_export_scores(self):
        """A domain the profile's authority lists takes that rank; the others keep their score."""
        profile = scored_profile({"dr.test": {"domain_rating": 85.0}, "cc.test": {},
                                  "both.test": {"domain_rating": 10.0}})  # fmt: skip
        profile.authority = {"cc.test": cc_rank("cc.test", 50_000),
                             "both.test": cc_rank("both.test", 900)}  # fmt: skip
        rows = {r.domain: r for r in profile.referring_domains()}
        assert rows["both.test"].authority == cc_rank("both.test", 900)
        assert rows["cc.test"].authority_bucket is AuthorityBucket.TOP_100K
        assert rows["dr.test"].authority_bucket is AuthorityBucket.TOP_10K
        assert {b.value: n for b, n in profile.summary().authority_buckets.items() if n} == {
            "top-10k": 2, "top-100k": 1,
        }  # fmt: skip

    def test_setting_authority_remeasures_and_none_clears(self):
        """Setting the authority after a read re-measures; setting None goes back to scores."""
        profile = scored_profile({"a.test": {}})
        assert profile.summary().authority_buckets[AuthorityBucket.UNKNOWN] == 1
        profile.authority = {"a.test": cc_rank("a.test", 20_000_000)}
        assert profile.summary().authority_buckets[AuthorityBucket.BEYOND_10M] == 1
        profile.authority = None
        assert profile.authority is None
        assert profile.summary().authority_buckets[AuthorityBucket.UNKNOWN] == 1

    def test_authority_is_copied(self):
        """The profile keeps a copy: changing the dict afterwards changes nothing."""
        ranks = {"a.test": cc_rank("a.test", 5)}
        profile = scored_profile({"a.test": {}})
        profile.authority = ranks
        ranks["a.test"] = cc_rank("a.test", 50_000_000)
        assert profile.referring_domains()[0].authority_bucket is AuthorityBucket.TOP_10K

    @pytest.mark.parametrize("bad", [["a.test"], {"a.test": 12}, {"a.test": None}])
    def test_bad_authority_refused(self, bad):
        """Anything but a mapping of ranks is a SettingsError, in the constructor as set later."""
        with pytest.raises(SettingsError, match="authority"):
            LinkProfile("example.com", authority=bad)

    def test_to_dict_and_domain_table_carry_authority(self):
        """`to_dict` counts domains per band; each domain record has its authority and band."""
        profile = scored_profile({"a.test": {"domain_rating": 50.0}})
        summary = profile.to_dict()["summary"]
        assert isinstance(summary, dict)
        assert summary["authority_buckets"] == {
            "top-10k": 0, "top-100k": 0, "top-1m": 1, "top-10m": 0, "beyond-10m": 0, "unknown": 0,
        }  # fmt: skip
        (row,) = profile.domain_table()
        assert row["authority_bucket"] == "top-1m"
        assert row["authority"] == {
            "source": "import", "metric": "domain_rating", "score": 50.0, "bucket": "top-1m",
        }  # fmt: skip

    def test_copy_merge_and_pickle_keep_authority(self):
        """`copy`, a merge (the left side's) and a pickle keep the authority; `==` ignores it."""
        profile = scored_profile({"a.test": {}})
        profile.authority = {"a.test": cc_rank("a.test", 7)}
        other = scored_profile({"b.test": {}})
        for kept in (profile.copy(), profile | other, pickle.loads(pickle.dumps(profile))):
            assert kept.authority == {"a.test": cc_rank("a.test", 7)}
            assert kept.summary().authority_buckets[AuthorityBucket.TOP_10K] == 1
        assert profile == scored_profile({"a.test": {}})

    def test_adding_links_without_authority_gives_same_summary(self):
        """Bucket counts are part of the summary: equal for the same links in any split."""
        whole = scored_profile({"a.test": {"domain_rating": 5.0}, "b.test": {}})
        left = scored_profile({"a.test": {"domain_rating": 5.0}})
        right = scored_profile({"b.test": {}})
        assert (left | right).summary() == whole.summary()


class TestValuesPickle:
    @pytest.mark.parametrize(
        "value", [cc_rank("a.test", 3), ImportedAuthority(AuthorityMetric.TRUST_FLOW, 33)]
    )
    def test_round_trip_names_only_backlinkkit(self, value):
        """Ranks and scores pickle as versioned plain data naming the public class only."""
        data = pickle.dumps(value)
        assert b"_authority" not in data
        assert pickle.loads(data) == value

    def test_unknown_version_refused(self):
        """A state of another version is refused with a message naming it."""
        value = ImportedAuthority(AuthorityMetric.TRUST_FLOW, 33)
        with pytest.raises(TypeError, match="state version 9"):
            value.__setstate__({"version": 9})

    @pytest.mark.parametrize(
        ("value", "evidence"),
        [
            (cc_rank("a.test", 12_345_678), "Common Crawl harmonic centrality position 12,345,678"),
            (ImportedAuthority(AuthorityMetric.DOMAIN_RATING, 4), "domain_rating 4"),
            (ImportedAuthority(AuthorityMetric.TRUST_FLOW, 12.5), "trust_flow 12.5"),
        ],
    )
    def test_evidence(self, value, evidence):
        """`evidence` says in words what a reason went by."""
        assert value.evidence == evidence


@given(
    st.dictionaries(
        st.sampled_from([f"s{i}.test" for i in range(12)]),
        st.one_of(st.none(), st.floats(0, 100), st.integers(1, 30_000_000)),
    )
)
def test_bucket_counts_partition_referring_domains(scores):
    """Whatever the scores and ranks, every referring domain is counted in exactly one band."""
    profile = LinkProfile("example.com")
    ranks: dict[str, WebGraphRank] = {}
    for domain, value in scores.items():
        dr = value if isinstance(value, float) else None
        profile.add(Backlink(f"https://{domain}/", domain_rating=dr))
        if isinstance(value, int):
            ranks[domain] = cc_rank(domain, value)
    profile.authority = ranks
    summary = profile.summary()
    assert sum(summary.authority_buckets.values()) == summary.referring_domains
    for row in profile.referring_domains():
        assert summary.authority_buckets[row.authority_bucket] >= 1
        if row.domain in ranks:
            assert row.authority == ranks[row.domain]
