"""How `LinkProfile` scales: a 1,000,000-backlink export, parsed, profiled, measured, merged.

Builds (once, cached in the temp directory) a synthetic generic-layout CSV with realistic
repetition: 20,000 referring domains with a long-tailed number of links each (a few sitewide
ones with thousands), about 50,000 distinct anchors (brand, URL, generic, keyword and a long
descriptive tail, each domain mostly repeating its own), dates over 24 months with one burst,
IPs for most domains (a 40-domain cluster on one /24), rel values, a few spam-marked links.
Then, each in a fresh subprocess (so peak RSS is the job's own), repeated, medians quoted:

- backlinkkit: `read_backlinks` -> `LinkProfile.update` -> summary, every table, `to_dict`
  (with flags) and `disavow_candidates`;
- the same, split in four files profiled in four processes (multiprocessing), then merged:
  its summary and to_dict must equal the single run's;
- the baseline a data person would write: pandas `read_csv` + groupby for the same metrics
  (hosts and sites mapped per unique host, anchors classified per unique anchor with
  backlinkkit's classifier).

    python benchmarks/profile_scale.py [--rows N] [--repeat K] [--mix repeats|distinct] [--columnar]

`--mix distinct` builds another export of the same size: about 250,000 distinct anchors, more
distinct pages, and the rows shuffled (no grouping by domain).

`--columnar` also times `worker_pyarrow` and `worker_polars`: lower bounds for an ingest
redesigned on pyarrow or polars, with the goal's budget (half the baseline's time, a third of its
memory) beside them.

`--corpus` is accepted and unused (no HTML here).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import json
import math
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

from backlinkkit._importers._tool_headers import GENERIC_COLUMNS

TARGET = "example.com"
BRANDS = ("Example",)
KEYWORDS = ("running shoes", "trail running shoes", "buy running shoes online")
# The generic layout's first twelve columns and `extra`: what exports converted to it carry.
HEADER = [*GENERIC_COLUMNS[:12], "extra"]
START = dt.date(2024, 1, 1)
MONTHS = 24
SPIKE_MONTH = 20  # a burst of new referring domains, for the velocity flag


def _anchor_pool(rng: random.Random, others: int = 46_000) -> dict[str, list[str]]:
    words = [
        "guide",
        "review",
        "best",
        "tips",
        "how",
        "to",
        "great",
        "article",
        "post",
        "news",
        "trail",
        "marathon",
        "comfort",
        "fit",
        "budget",
        "women",
        "men",
        "kids",
        "light",
        "sale",
        "deal",
        "top",
        "list",
        "compare",
        "test",
        "weekly",
        "blog",
        "data",
    ]
    other = sorted({" ".join(rng.sample(words, 3)) + f" {i}" for i in range(others)})
    return {
        "brand": ["Example", "example", "Example Inc", "Example's shop", "EXAMPLE"],
        "url": ["example.com", "https://example.com/", "www.example.com", "example.com/shop"],
        "generic": ["click here", "here", "read more", "website", "this", "source", "link"],
        "exact": ["running shoes", "Running Shoes", "trail running shoes"],
        "partial": [f"best running shoes {w}" for w in words] + ["shoes for runners"],
        "compound": ["Example running shoes", "running shoes by Example"],
        "empty": ["", " "],
        "other": other,
    }


_DOMINANT = (
    ("brand", 0.42),
    ("url", 0.15),
    ("generic", 0.10),
    ("exact", 0.05),
    ("partial", 0.08),
    ("compound", 0.03),
    ("empty", 0.02),
    ("other", 0.15),
)


# The "distinct" mix: a long descriptive anchor tail (about 250,000 distinct anchors), each
# domain repeating its own anchor less, more distinct pages, and the rows shuffled, so no two
# neighbouring rows share a domain and every batch meets thousands of domains.
_DISTINCT_OTHERS = 300_000
_OWN_SHARE = {"repeats": 0.7, "distinct": 0.3}
_PAGE_SHARE = {"repeats": 0.7, "distinct": 0.95}


def build_export(
    path: Path, rows: int, domains: int, seed: int = 7, *, mix: str = "repeats"
) -> None:
    """Write the synthetic export (generic layout, the documented header) to `path`."""
    rng = random.Random(seed)
    pool = _anchor_pool(rng, _DISTINCT_OTHERS if mix == "distinct" else 46_000)
    own_share, page_share = _OWN_SHARE[mix], _PAGE_SHARE[mix]
    shuffled: list[tuple[str, ...]] = []
    kinds = [k for k, _ in _DOMINANT]
    weights = [w for _, w in _DOMINANT]
    tlds = ["com", "org", "net", "de", "co.uk", "info", "xyz", "fr", "io", "blogspot.com"]
    # Long-tailed links per domain (Zipf, s=1.1), at least one each, summing to `rows`.
    raw = [1 / (r + 1) ** 1.1 for r in range(domains)]
    scale = (rows - domains) / sum(raw)
    counts = [1 + int(w * scale) for w in raw]
    counts[0] += rows - sum(counts)
    end = START + dt.timedelta(days=MONTHS * 30)
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(HEADER)
        written = 0
        order = list(range(domains))
        rng.shuffle(order)
        for d in order:
            n = counts[d]
            name = f"{rng.choice(('news', 'blog', 'shop', 'run', 'sport', 'web'))}{d}"
            site = f"{name}.{tlds[d % len(tlds)]}"
            hosts = [f"www.{site}"] if d % 5 else [f"www.{site}", f"blog.{site}", site]
            own = rng.choices(kinds, weights)[0]
            own_anchor = rng.choice(pool[own])
            follow = rng.random()
            ip = None
            if d % 10 < 7:
                ip = f"10.{d % 200}.{(d // 200) % 250}.{d % 250 + 1}"
            if d % 500 == 3:  # a private blog network: 40 domains on one /24
                ip = f"192.0.2.{d % 250 + 1}"
            # New referring domains spread over the months, and one month with a burst.
            month = SPIKE_MONTH if d % 8 == 0 else rng.randrange(MONTHS)
            first = START + dt.timedelta(days=30 * month + rng.randrange(28))
            pages = max(1, int(n * page_share))
            spam = d % 97 == 0
            for _ in range(n):
                r = rng.random()
                if r < own_share:
                    anchor: str | None = own_anchor
                elif r < 0.88:
                    anchor = rng.choice(pool["other"])
                elif r < 0.99:
                    anchor = rng.choice(pool[rng.choices(kinds, weights)[0]])
                else:
                    anchor = None
                nofollow = follow < 0.2 or (follow < 0.3 and rng.random() < 0.5)
                seen = first + dt.timedelta(days=rng.randrange(max(1, (end - first).days)))
                lost = seen + dt.timedelta(days=rng.randrange(30, 90)) if r > 0.92 else None
                page = rng.randrange(pages)
                row = (
                    f"https://{hosts[page % len(hosts)]}/post/{page}",
                    "https://example.com/" if page % 3 else f"https://example.com/p/{page % 200}",
                    "" if anchor is None else anchor or "\\",
                    "true" if nofollow else "false",
                    "true" if follow > 0.97 else "false",
                    "true" if 0.94 < follow <= 0.97 else "false",
                    "image" if page % 10 == 0 else "text",
                    seen.isoformat(),
                    (lost or end).isoformat(),
                    lost.isoformat() if lost else "",
                    ip or "",
                    "",
                    '{"Is spam": "TRUE"}' if spam else "",
                )
                if mix == "distinct":
                    shuffled.append(row)
                else:
                    writer.writerow(row)
                written += 1
        rng.shuffle(shuffled)
        writer.writerows(shuffled)
    assert written == rows, (written, rows)


# -- workers (each runs in a fresh process) -----------------------------------------------------


def _digest(obj: object) -> str:
    return hashlib.sha256(json.dumps(obj, sort_keys=True, default=str).encode()).hexdigest()[:16]


def _profile_file(path: str):  # -> LinkProfile
    from backlinkkit import LinkProfile, read_backlinks

    profile = LinkProfile(TARGET, brands=BRANDS, keywords=KEYWORDS)
    with Path(path).open("rb") as stream:
        profile.update(read_backlinks(stream))
    return profile


def _measure_all(profile) -> dict[str, object]:
    """Every metric, table, flag and candidate (timed by the caller)."""
    from backlinkkit import disavow_candidates

    return {
        "summary": profile.summary(),
        "tables": [
            profile.anchor_table(),
            profile.category_table(),
            profile.domain_table(),
            profile.month_table(),
            profile.target_table(),
            profile.tld_table(),
            profile.subnet_table(),
        ],
        "to_dict": profile.to_dict(),
        "flags": profile.flags(),
        "candidates": disavow_candidates(profile),
    }


def _report(results: dict[str, object]) -> dict[str, object]:
    """Digests and headline numbers of `_measure_all`'s results (not timed)."""
    summary = results["summary"]
    return {
        "summary": _digest(summary.to_dict()),
        "to_dict": _digest(results["to_dict"]),
        "tables": _digest(results["tables"]),
        "backlinks": summary.backlinks,
        "referring_domains": summary.referring_domains,
        "referring_pages": summary.referring_pages,
        "anchors": summary.diversity_by_link.distinct,
        "flags": [f"{f.name.value}:{f.severity.value}" for f in results["flags"]],
        "candidates": len(results["candidates"]),
    }


def worker_single(path: str) -> dict[str, object]:
    t0 = time.perf_counter()
    profile = _profile_file(path)
    t1 = time.perf_counter()
    ingest_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    results = _measure_all(profile)
    t2 = time.perf_counter()
    # The job's own peak: the digests `_report` makes (of every table, as JSON) come after.
    job_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    timing = {"seconds": t2 - t0, "ingest": t1 - t0, "metrics": t2 - t1, "job_maxrss_mb": job_rss}
    counts = _counts_digest(profile._aggregate)  # noqa: SLF001 - compared with the bound's
    return _report(results) | timing | {"ingest_maxrss_mb": ingest_rss, "counts": counts}


def worker_read(path: str) -> dict[str, object]:
    """The floor: read_backlinks alone, every record made and dropped."""
    from backlinkkit import read_backlinks

    t0 = time.perf_counter()
    with Path(path).open("rb") as stream:
        rows = sum(1 for _ in read_backlinks(stream))
    return {"seconds": time.perf_counter() - t0, "rows": rows}


def worker_split(paths: list[str]) -> dict[str, object]:
    import multiprocessing

    t0 = time.perf_counter()
    with multiprocessing.get_context("spawn").Pool(len(paths)) as pool:
        parts = pool.map(_profile_file, paths)
    t1 = time.perf_counter()
    merged = parts[0].merge(*parts[1:])
    t2 = time.perf_counter()
    results = _measure_all(merged)
    t3 = time.perf_counter()
    job_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    timing = {"seconds": t3 - t0, "ingest": t1 - t0, "merge": t2 - t1, "metrics": t3 - t2,
              "job_maxrss_mb": job_rss}  # fmt: skip
    return _report(results) | timing


def _counts_digest(aggregate) -> str:
    """A digest of the per-domain counts both ingest paths make (not timed)."""
    facets = aggregate.facets
    return _digest(
        {
            site: [
                stats.links,
                sorted(map(list, stats.anchors.items()), key=repr),
                sorted(([list(facets[i]), n] for i, n in stats.facets.items()), key=repr),
                sorted(map(list, stats.ips.items()), key=repr),
                sorted(map(list, stats.targets.items()), key=repr),
            ]
            for site, stats in aggregate.domains.items()
        }
    )


def worker_pyarrow(path: str) -> dict[str, object]:
    """A lower bound for a columnar ingest on pyarrow: what a redesign could not do without.

    The export is read by pyarrow's CSV reader (two threads), each batch's columns are
    dictionary-encoded, and only distinct values reach Python: each authority becomes a site
    once, each distinct page URL is hashed once for the page counter, each distinct cell (or
    tuple of cells) of a part is checked and given its meaning once, and the per-domain counts
    of anchors, facets, IPs and targets come from Arrow's group-by. It leaves out what the
    profile also needs (dates, authority columns, rejected rows, every check of the row path
    beyond the first value of each cell), so a real columnar ingest can only be slower.
    Then the distinct anchors are classified, as every measure needs. Its counts must equal
    the row path's (`counts` digest, compared by the caller).
    """
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pacsv

    t0 = time.perf_counter()
    layout, parts, columns, aggregate = _bound_start(path)
    meanings: dict[str, dict[object, int]] = {name: {} for name in parts}
    values: dict[str, list[object]] = {name: [] for name in parts}
    site_ids: dict[str, int] = {}
    sites: list[object] = []  # site id -> its DomainStats, None for the own site
    row = [""] * layout.width
    names = [f"c{i}" for i in range(layout.width)]
    batches = pacsv.open_csv(
        path,
        read_options=pacsv.ReadOptions(skip_rows=1, column_names=names, block_size=1 << 24),
        parse_options=pacsv.ParseOptions(newlines_in_values=True),
        convert_options=pacsv.ConvertOptions(
            column_types=dict.fromkeys(names, pa.string()), strings_can_be_null=False
        ),
    )

    def ids_of(name: str, batch) -> object:
        """Each row's id of `name`'s meaning; distinct cells are checked once."""
        part, known, meaning = parts[name], meanings[name], values[name]
        encoded = [pc.dictionary_encode(batch.column(i)) for i in columns[name]]
        code = encoded[0].indices.cast(pa.int64())
        for more in encoded[1:]:
            code = pc.add(pc.multiply(code, len(more.dictionary)), more.indices)
        combos = pc.dictionary_encode(code)
        dictionaries = [e.dictionary.to_pylist() for e in encoded]
        ids = []
        for combined in combos.dictionary.to_pylist():
            cells, rest = [], combined
            for dictionary in reversed(dictionaries):
                rest, at = divmod(rest, len(dictionary))
                cells.append(dictionary[at])
            cells.reverse()
            key = cells[0] if len(cells) == 1 else tuple(cells)
            found = known.get(key)
            if found is None:
                found = known[key] = len(meaning)
                meaning.append(
                    _meaning(aggregate, name, part, row, zip(columns[name], cells, strict=True))
                )
            ids.append(found)
        return pc.take(pa.array(ids, pa.int32()), combos.indices)

    fill = 0.0
    for batch in batches:
        urls = batch.column(layout.source)
        keys = pc.dictionary_encode(pc.extract_regex(urls, _AUTHORITY_KEY).field("key"))
        firsts = pa.table({"k": keys.indices, "row": pa.array(range(len(urls)))})
        firsts = firsts.group_by("k", use_threads=False).aggregate([("row", "min")])
        first_row = dict(zip(firsts["k"].to_pylist(), firsts["row_min"].to_pylist(), strict=True))
        site_of_key = []
        for k, key in enumerate(keys.dictionary.to_pylist()):
            found = site_ids.get(key)
            if found is None:
                found = site_ids[key] = len(sites)
                sites.append(aggregate._stats_for(urls[first_row[k]].as_py()))  # noqa: SLF001
            site_of_key.append(found)
        site = pc.take(pa.array(site_of_key, pa.int32()), keys.indices)
        own = pa.array([sites[s] is None for s in site_of_key])
        backlink = pc.invert(pc.take(own, keys.indices))
        aggregate.own_links += len(urls) - pc.sum(backlink).as_py()
        aggregate.pages.add_urls(pc.unique(pc.filter(urls, backlink)).to_pylist())
        table = pa.table({"site": site, **{name: ids_of(name, batch) for name in parts}})
        table = table.filter(backlink)
        for name in parts:
            grouped = table.group_by(["site", name], use_threads=False).aggregate(
                [([], "count_all")]
            )
            fill += _fold(sites, name, values[name], lambda g=grouped, n=name: (
                g["site"].to_pylist(), g[n].to_pylist(), g["count_all"].to_pylist()))  # fmt: skip
    return _bound(t0, fill, values["anchors"], aggregate)


def worker_polars(path: str) -> dict[str, object]:
    """`worker_pyarrow`'s bound on polars: the same subset of the work, on a whole-file frame.

    Polars reads the export, extracts each row's authority and joins each part's distinct
    cells to their meanings (each worked out once in Python, as in `worker_pyarrow`); its
    group-bys give the same per-domain counts (`counts`).
    """
    import polars as pl

    t0 = time.perf_counter()
    layout, parts, columns, aggregate = _bound_start(path)
    names = [f"c{i}" for i in range(layout.width)]
    source = names[layout.source]
    frame = pl.read_csv(path, has_header=False, skip_rows=1, schema=dict.fromkeys(names, pl.String))
    frame = frame.with_columns(pl.all().fill_null(""))
    frame = frame.with_columns(pl.col(source).str.extract(_AUTHORITY_KEY, 1).alias("key"))
    keys = frame.group_by("key", maintain_order=True).agg(pl.col(source).first())
    sites = [aggregate._stats_for(url) for url in keys[source].to_list()]  # noqa: SLF001
    site_of_key = pl.DataFrame(
        {
            "key": keys["key"],
            "site": pl.Series(range(len(sites)), dtype=pl.Int32),
            "own": [stats is None for stats in sites],
        }
    )
    frame = frame.join(site_of_key, on="key", how="left", maintain_order="left")
    aggregate.own_links += int(frame["own"].sum())
    frame = frame.filter(~pl.col("own"))
    aggregate.pages.add_urls(frame[source].unique().to_list())
    row = [""] * layout.width
    values: dict[str, list[object]] = {}
    for name, part in parts.items():
        cells_of = [names[i] for i in columns[name]]
        combos = frame.select(cells_of).unique(maintain_order=True)
        meaning = [
            _meaning(aggregate, name, part, row, zip(columns[name], cells, strict=True))
            for cells in combos.iter_rows()
        ]
        values[name] = meaning
        ids = combos.with_columns(pl.Series(name, range(len(meaning)), dtype=pl.Int32))
        frame = frame.join(ids, on=cells_of, how="left", maintain_order="left", nulls_equal=True)
    fill = 0.0
    for name in parts:
        grouped = frame.group_by(["site", name]).len()
        fill += _fold(sites, name, values[name], lambda g=grouped, n=name: (
            g["site"].to_list(), g[n].to_list(), g["len"].to_list()))  # fmt: skip
    return _bound(t0, fill, values["anchors"], aggregate)


# The key the row path caches a source URL's site under: the URL up to the first "/" after its
# eighth character (`Aggregate._stats_for`).
_AUTHORITY_KEY = r"^(?P<key>[\s\S]{0,8}[^/]*)"


class _BoundLayout(NamedTuple):
    width: int  # the export's columns
    source: int  # the source URL's column


def _bound_start(
    path: str,
) -> tuple[_BoundLayout, dict[str, object], dict[str, tuple[int, ...]], object]:
    """What both bounds start from: the export's width and source column, the four parts
    (their columns and the importer's getters, from the row path's own layout) and an empty
    aggregate."""
    from backlinkkit import read_backlinks
    from backlinkkit._profile._aggregate import Aggregate

    with Path(path).open("rb") as stream:
        header = read_backlinks(stream)
        layout = header._row_layout()  # noqa: SLF001 - the parts' columns and checks
    width = len(header.header)
    parts = {"anchors": layout.anchor, "facets": layout.facet, "ips": layout.ip,
             "targets": layout.target}  # fmt: skip
    columns = {name: _picked(part.cells, width) for name, part in parts.items()}
    return _BoundLayout(width, layout.source), parts, columns, Aggregate(TARGET)


def _meaning(aggregate, name: str, part, row: list[str], cells) -> object:
    """What a part's distinct cells ((column, cell) pairs) mean, as the row path learns it.

    `row` is a scratch row of the export's width: the cells are put in it and the part's
    getter reads them from there.
    """
    from backlinkkit._profile._aggregate import REJECTED

    for i, cell in cells:
        row[i] = cell
    value = part.value(row, 0)
    if value is REJECTED:
        raise SystemExit(f"a row is rejected: {row}")
    if name == "anchors":
        return aggregate.anchor_key(value)
    if name == "facets":
        return aggregate._facet(value)  # noqa: SLF001
    return value


def _fold(sites: list, name: str, meaning: list, grouped) -> float:
    """Add one part's grouped (site, id, count) columns to the aggregate's dicts; its seconds.

    Not part of a bound, with the columns' conversion to lists: a columnar design would
    measure from the grouped tables. Done only to check the counts against the row path's.
    """
    start = time.perf_counter()
    for site, i, n in zip(*grouped(), strict=True):
        counts = getattr(sites[site], name)
        counts[meaning[i]] = counts.get(meaning[i], 0) + n
        if name == "anchors":
            sites[site].links += n
    return time.perf_counter() - start


def _bound(t0: float, fill: float, anchors: list, aggregate) -> dict[str, object]:
    """A bound's result: its time without `fill`, after classifying the distinct anchors."""
    from backlinkkit import AnchorClassifier

    t1 = time.perf_counter()
    classifier = AnchorClassifier(TARGET, brands=BRANDS, keywords=KEYWORDS)
    classifier.classify_many(sorted({a for a in anchors if a is not None}))
    t2 = time.perf_counter()
    job_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": t2 - t0 - fill, "ingest": t1 - t0 - fill, "classify": t2 - t1,
            "fill": fill, "job_maxrss_mb": job_rss, "counts": _counts_digest(aggregate)}  # fmt: skip


def _picked(cells, width: int) -> tuple[int, ...]:
    """The column indexes a part's `cells` picker reads (found by asking it)."""
    probe = [str(i) for i in range(width)]
    picked = cells(probe)
    if not isinstance(picked, (str, tuple)):
        raise SystemExit("the columnar bound needs every part's columns (the generic layout)")
    return tuple(int(c) for c in (picked if isinstance(picked, tuple) else (picked,)))


def worker_pandas(path: str) -> dict[str, object]:
    import numpy as np
    import pandas as pd

    from backlinkkit import AnchorClassifier, SuffixList

    t0 = time.perf_counter()
    df = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[])
    df["anchor"] = df["anchor"].where(df["anchor"] != "", None).replace("\\", "")
    host = df["source_url"].str.extract(r"^https?://([^/?#:]+)", expand=False).str.lower()
    psl = SuffixList.bundled()
    hosts = host.unique()
    df["host"] = host
    df["domain"] = host.map(dict(zip(hosts, map(psl.registrable_domain, hosts), strict=True)))
    classifier = AnchorClassifier(TARGET, brands=BRANDS, keywords=KEYWORDS)
    df["anchor_key"] = df["anchor"].str.split().str.join(" ").str.casefold()
    known = df["anchor_key"].dropna().unique()
    categories = {
        a: c.category.value for a, c in zip(known, classifier.classify_many(known), strict=True)
    }
    df["category"] = df["anchor_key"].map(categories)
    for col in ("nofollow", "sponsored", "ugc"):
        df[col] = df[col].eq("true")
    followed = ~(df["nofollow"] | df["sponsored"] | df["ugc"])
    m: dict[str, object] = {
        "backlinks": len(df),
        "referring_pages": df["source_url"].nunique(),
        "referring_domains": df["domain"].nunique(),
        "referring_hosts": df["host"].nunique(),
        "followed": int(followed.sum()),
        "nofollow": int(df["nofollow"].sum()),
        "sponsored": int(df["sponsored"].sum()),
        "ugc": int(df["ugc"].sum()),
        "kinds": df["kind"].value_counts().to_dict(),
    }
    ips = df.loc[df["source_ip"] != "", ["domain", "source_ip"]].drop_duplicates()
    ips["subnet"] = ips["source_ip"].str.rsplit(".", n=1).str[0] + ".0/24"
    m["referring_ips"] = ips["source_ip"].nunique()
    subnets = ips.groupby("subnet")["domain"].nunique().sort_values(ascending=False)
    m["top_subnets"] = subnets.head(20).to_dict()
    withanchor = df.dropna(subset=["anchor_key"])
    m["categories_by_link"] = withanchor["category"].value_counts().to_dict()
    m["categories_by_domain"] = withanchor.groupby("category")["domain"].nunique().to_dict()
    pairs = withanchor.groupby(["anchor_key"]).agg(
        links=("domain", "size"), domains=("domain", "nunique")
    )
    m["top_anchors"] = pairs.sort_values(["domains", "links"], ascending=False).head(20).to_dict()
    for col in ("links", "domains"):
        shares = pairs[col] / pairs[col].sum()
        m[f"entropy_{col}"] = float(-(shares * np.log(shares)).sum() / math.log(len(shares)))
        m[f"hhi_{col}"] = float((shares**2).sum())
        top = shares.sort_values(ascending=False)
        m[f"top1_{col}"], m[f"top10_{col}"] = float(top.iloc[0]), float(top.head(10).sum())
    per_domain = df.groupby("domain").agg(
        links=("domain", "size"),
        first=("first_seen", "min"),
        followed=("nofollow", lambda s: int((~s).sum())),
    )
    m["sitewide"] = int((per_domain["links"] >= 100).sum())
    m["top_domains"] = per_domain["links"].nlargest(20).to_dict()
    m["tlds"] = per_domain.index.str.rsplit(".", n=1).str[-1].value_counts().to_dict()
    m["new_links"] = df["first_seen"].str[:7].value_counts().sort_index().to_dict()
    m["lost_links"] = df.loc[df["lost"] != "", "lost"].str[:7].value_counts().to_dict()
    m["new_domains"] = per_domain["first"].str[:7].value_counts().sort_index().to_dict()
    m["homepage_links"] = int(df["target_url"].str.fullmatch(r"https?://[^/]+/?").sum())
    t1 = time.perf_counter()
    job_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": t1 - t0, "digest": _digest(m), "referring_domains": m["referring_domains"],
            "job_maxrss_mb": job_rss}  # fmt: skip


def _run_worker(mode: str, paths: list[str]) -> dict[str, object]:
    cmd = [sys.executable, __file__, "--worker", mode, *paths]
    env = dict(os.environ)
    result = subprocess.run(cmd, capture_output=True, text=True, check=True, env=env)
    return json.loads(result.stdout.strip().splitlines()[-1])


def _split(path: Path, parts: int) -> list[Path]:
    out_paths = [path.with_name(f"{path.stem}.part{i}.csv") for i in range(parts)]
    if all(p.exists() for p in out_paths):
        return out_paths
    with path.open(encoding="utf-8", newline="") as src:
        reader = csv.reader(src)
        header = next(reader)
        outs = [p.open("w", encoding="utf-8", newline="") for p in out_paths]
        writers = [csv.writer(o, lineterminator="\r\n") for o in outs]
        for w in writers:
            w.writerow(header)
        for i, row in enumerate(reader):
            writers[i % parts].writerow(row)  # interleaved: every part sees every domain
        for o in outs:
            o.close()
    return out_paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", default="../shared/corpus", help="ignored: no HTML here")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--domains", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--mix",
        choices=sorted(_OWN_SHARE),
        default="repeats",
        help="repeats: rows grouped by domain, ~45k anchors; distinct: shuffled, ~250k anchors",
    )
    parser.add_argument(
        "--columnar",
        action="store_true",
        help="also time lower bounds of an ingest redesigned on pyarrow or polars (issue 9)",
    )
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("paths", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.worker == "build":
        build_export(Path(args.paths[0]), args.rows, args.domains, mix=args.mix)
        return
    if args.worker:
        if args.worker == "single":
            out = worker_single(args.paths[0])
        elif args.worker == "split":
            out = worker_split(args.paths)
        elif args.worker == "read":
            out = worker_read(args.paths[0])
        elif args.worker == "pyarrow":
            out = worker_pyarrow(args.paths[0])
        elif args.worker == "polars":
            out = worker_polars(args.paths[0])
        else:
            out = worker_pandas(args.paths[0])
        usage = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        out.update(maxrss_mb=usage / 1024, children_maxrss_mb=children / 1024)
        print(json.dumps(out))
        return

    cache = Path(tempfile.gettempdir()) / "backlinkkit-bench"
    cache.mkdir(exist_ok=True)
    suffix = "" if args.mix == "repeats" else f"_{args.mix}"
    path = cache / f"profile_scale_{args.rows}_{args.domains}{suffix}.csv"
    if not path.exists():
        t = time.perf_counter()
        # In a child process: Linux carries a parent's peak RSS over into the processes it
        # starts, so building the distinct mix (a million rows held to shuffle) here would
        # inflate every worker's peak memory in this run.
        build = [sys.executable, __file__, "--worker", "build", "--mix", args.mix, "--rows",
                 str(args.rows), "--domains", str(args.domains), str(path)]  # fmt: skip
        subprocess.run(build, check=True)
        print(
            f"built {path} ({path.stat().st_size / 1e6:.0f} MB) in {time.perf_counter() - t:.1f}s"
        )
    parts = _split(path, 4)

    modes = ["single", "split", "pandas", "read"] + (["pyarrow", "polars"] if args.columnar else [])
    runs: dict[str, list[dict[str, object]]] = {mode: [] for mode in modes}
    for _ in range(args.repeat):
        runs["read"].append(_run_worker("read", [str(path)]))
        runs["single"].append(_run_worker("single", [str(path)]))
        runs["split"].append(_run_worker("split", [str(p) for p in parts]))
        runs["pandas"].append(_run_worker("pandas", [str(path)]))
        if args.columnar:
            runs["pyarrow"].append(_run_worker("pyarrow", [str(path)]))
            runs["polars"].append(_run_worker("polars", [str(path)]))

    def med(mode: str, key: str) -> float:
        return statistics.median(float(r[key]) for r in runs[mode])  # type: ignore[arg-type]

    single, split = runs["single"][0], runs["split"][0]
    print(
        f"\n{single['backlinks']:,} backlinks, {single['referring_domains']:,} referring domains, "
        f"{single['anchors']:,} distinct anchors, ~{single['referring_pages']:,} referring pages;"
        f" medians of {args.repeat} runs, each in a fresh process"
    )
    print(f"{'job':<44}{'seconds':>9}{'peak RSS MB':>13}")
    print(f"{'backlinkkit: parse+classify+aggregate+all':<44}{med('single', 'seconds'):>9.2f}"
          f"{med('single', 'job_maxrss_mb'):>13.0f}")  # fmt: skip
    print(f"{'  of which read_backlinks + update':<44}{med('single', 'ingest'):>9.2f}"
          f"{med('single', 'ingest_maxrss_mb'):>13.0f}  (peak before the metrics)")  # fmt: skip
    print(f"{'  of which metrics, tables, flags, candidates':<44}{med('single', 'metrics'):>9.2f}")
    print(f"{'read_backlinks alone (the floor, issue 4 importer)':<44}{med('read', 'seconds'):>9.2f}"
          f"{med('read', 'maxrss_mb'):>13.0f}")  # fmt: skip
    split_rss = max(med("split", "job_maxrss_mb"), med("split", "children_maxrss_mb"))
    print(f"{'backlinkkit: 4 processes + merge + all':<44}{med('split', 'seconds'):>9.2f}"
          f"{split_rss:>13.0f}  (largest process)")  # fmt: skip
    print(f"{'  of which the merge':<44}{med('split', 'merge'):>9.2f}")
    print(f"{'pandas read_csv + groupby (baseline)':<44}{med('pandas', 'seconds'):>9.2f}"
          f"{med('pandas', 'job_maxrss_mb'):>13.0f}")  # fmt: skip
    ratio = med("pandas", "seconds") / med("single", "seconds")
    print(f"\nbaseline / backlinkkit time: {ratio:.2f}x (above 1: backlinkkit is faster)")
    memory = med("single", "job_maxrss_mb") / med("pandas", "job_maxrss_mb")
    print(f"backlinkkit / baseline peak memory: {memory:.2f} (each job's own peak, before the "
          f"digests this script makes of its results)")  # fmt: skip
    if args.columnar:
        budget = med("pandas", "seconds") / 2
        memory_budget = med("pandas", "job_maxrss_mb") / 3
        print(
            f"\nlower bounds of a columnar redesign (part of the ingest, then classifying), "
            f"against the goal's budget for everything: {budget:.2f} s, {memory_budget:.0f} MB"
        )
        for mode, engine in (
            ("pyarrow", "pyarrow, 16 MB batches"),
            ("polars", "polars, whole file"),
        ):
            same_counts = all(r["counts"] == single["counts"] for r in runs[mode])
            print(
                f"  {engine}: {med(mode, 'seconds'):.2f} s ({med(mode, 'ingest'):.2f} ingest, "
                f"{med(mode, 'classify'):.2f} classify), peak RSS "
                f"{med(mode, 'job_maxrss_mb'):.0f} MB; counts equal the row path's: {same_counts}"
            )
            if not same_counts:
                sys.exit(1)
    spread = {m: [round(float(r["seconds"]), 2) for r in runs[m]] for m in runs}  # type: ignore[arg-type]
    print(f"all runs (seconds): {spread}")
    same = all(
        r[k] == single[k]
        for r in runs["split"] + runs["single"]
        for k in ("summary", "to_dict", "tables")
    )
    print(f"split-in-4 + merge gives the same summary, to_dict and tables as one pass: {same}")
    print(f"flags: {', '.join(single['flags'])}")  # type: ignore[arg-type]
    print(f"disavow candidates: {single['candidates']}")
    if not same:
        print("MISMATCH", [(r["summary"], r["to_dict"]) for r in runs["split"]], single)
        sys.exit(1)
    del split


if __name__ == "__main__":
    main()
