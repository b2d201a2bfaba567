"""How `link_gap` and `diff_profiles` scale: six profiles of 1,000,000 backlinks each.

Generates, for a target and five competitors, --links backlinks each (`Backlink` records made in
memory, with a seeded generator): 20,000 referring domains per profile drawn from a shared pool
of 60,000 (popular domains link to most of the sites, the long tail to one or two), links per
domain long-tailed (a few sitewide domains with thousands), anchors from a per-site pool (brand,
URL, generic, keyword and descriptive text). Each profile is built with `LinkProfile.update`;
then, each in a fresh process and --repeat times (medians quoted):

- the gap: `link_gap(target, competitors)` with Common Crawl-style ranks for a third of the
  domains, on the profiles as built (what a user calling it after `update` waits for: the
  gap classifies the anchors it reports and reads the rest from the counts, it measures no
  profile); for scale, the six profiles' measurement (`referring_domains()` on copies), which
  the gap does not wait for; and the gap again on those measured copies (checked equal);
- the diff: a second snapshot of the target (70% of its domains kept with other link counts,
  30% lost, as many gained) built the same way, and `diff_profiles(old, new)` on fresh profiles
  (both measured inside: the diff reports both summaries and both sides' flags) and again on
  measured ones.

The goal: the gap within 10% of the time the six profiles took to build, and the diff within
10% of the time its two profiles took.

    python benchmarks/compare_scale.py [--links N] [--repeat K] [--corpus DIR]

`--corpus` is accepted and unused (no HTML here).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

SITES = ("target.example", "rival1.example", "rival2.example", "rival3.example",
         "rival4.example", "rival5.example")  # fmt: skip
POOL = 60_000
DOMAINS_PER_PROFILE = 20_000
START = dt.date(2024, 1, 1)
WORDS = ("guide", "review", "best", "tips", "how", "great", "article", "post", "news", "trail",
         "comfort", "budget", "light", "sale", "deal", "top", "list", "compare", "weekly")  # fmt: skip


def pool_domain(index: int) -> str:
    tld = ("com", "org", "net", "de", "co.uk", "io", "fr", "blogspot.com")[index % 8]
    return f"site{index}.{tld}"


def anchors_for(site: str, rng: random.Random) -> list[str]:
    brand = site.split(".", maxsplit=1)[0].capitalize()
    descriptive = [" ".join(rng.sample(WORDS, 3)) + f" {i}" for i in range(3000)]
    return [brand, brand.lower(), site, f"https://{site}/", "click here", "read more", "website",
            "running shoes", "trail running shoes", f"{brand} running shoes", *descriptive]  # fmt: skip


def pick_domains(rng: random.Random, count: int) -> list[int]:
    """Pool indexes, popular ones (low indexes) far more likely: shared between profiles."""
    chosen: set[int] = set()
    while len(chosen) < count:
        chosen.add(min(POOL - 1, int(rng.paretovariate(0.6)) - 1))
        if rng.random() < 0.5:
            chosen.add(rng.randrange(POOL))
    return sorted(chosen)[:count]


def backlinks(site: str, domains: list[int], links: int, seed: int):
    """`links` backlinks to `site` from `domains` (pool indexes), long-tailed per domain."""
    from backlinkkit import Backlink

    rng = random.Random(seed)
    anchors = anchors_for(site, rng)
    weights = [1 / (rank + 1) ** 1.1 for rank in range(len(domains))]
    scale = (links - len(domains)) / sum(weights)
    counts = [1 + int(w * scale) for w in weights]
    counts[0] += links - sum(counts)
    order = list(range(len(domains)))
    rng.shuffle(order)  # which domain gets the most links: not always the most popular one
    target = f"https://{site}/"
    made = []
    for rank, slot in enumerate(order):
        host = f"www.{pool_domain(domains[slot])}"
        own = rng.choice(anchors)
        day = START + dt.timedelta(days=rng.randrange(700))
        nofollow = rng.random() < 0.2
        for i in range(counts[rank]):
            anchor = own if rng.random() < 0.7 else rng.choice(anchors)
            made.append(
                Backlink(
                    f"https://{host}/post/{i}",
                    target,
                    anchor=anchor,
                    nofollow=nofollow,
                    sponsored=False,
                    ugc=False,
                    first_seen=day,
                )
            )
    return made


def build(site: str, domains: list[int], links: int, seed: int):
    """The profile and the seconds `LinkProfile.update` took (generating the records is not timed)."""
    from backlinkkit import LinkProfile

    records = backlinks(site, domains, links, seed)
    brand = site.split(".", maxsplit=1)[0].capitalize()
    profile = LinkProfile(site, brands=[brand], keywords=["running shoes", "trail running shoes"])
    started = time.perf_counter()
    profile.update(records)
    return profile, time.perf_counter() - started


def peak_rss_mb() -> float:
    """This process's peak resident memory (VmHWM), in MB.

    Not `ru_maxrss`: after fork and exec Linux keeps the parent's peak in it, and the parent
    here has just built the input.
    """
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # not Linux


def worker(links: int, seed: int) -> dict[str, object]:
    from backlinkkit import WebGraphRank, diff_profiles, link_gap

    rng = random.Random(seed)
    profiles, build_seconds = [], []
    target_domains = []
    for index, site in enumerate(SITES):
        domains = pick_domains(rng, DOMAINS_PER_PROFILE)
        if index == 0:
            target_domains = domains
        profile, seconds = build(site, domains, links, seed * 10 + index)
        profiles.append(profile)
        build_seconds.append(seconds)
    ranks = {
        pool_domain(i): WebGraphRank(
            name=pool_domain(i),
            harmonic_position=i * 97 + 1,
            harmonic_centrality=1.0 / (i + 1),
            pagerank_position=i + 1,
            pagerank=1e-6,
            hosts=1,
        )
        for i in range(0, POOL, 3)
    }
    target, competitors = profiles[0], profiles[1:]
    started = time.perf_counter()
    gap = link_gap(target, competitors, authority=ranks)
    gap_fresh = time.perf_counter() - started
    # What the gap no longer waits for: the six profiles' first measurement (on copies, so
    # that the profiles themselves stay as built for the diff below).
    copies = [p.copy() for p in profiles]
    started = time.perf_counter()
    for copy in copies:
        copy.referring_domains()
    measure_six = time.perf_counter() - started
    started = time.perf_counter()
    again = link_gap(copies[0], copies[1:], authority=ranks)
    gap_warm = time.perf_counter() - started
    assert again == gap, "the gap differs on measured profiles"
    del copies, again  # measured copies kept alive would slow the collector for what follows

    # The next snapshot of the target: 70% of its domains kept, 30% lost, as many new ones.
    kept = rng.sample(target_domains, int(len(target_domains) * 0.7))
    fresh = [i for i in pick_domains(rng, DOMAINS_PER_PROFILE * 2) if i not in set(target_domains)]
    new_domains = kept + fresh[: len(target_domains) - len(kept)]
    new, new_seconds = build(SITES[0], new_domains, links, seed * 10 + 99)
    old = target.copy()  # unmeasured, as after building
    started = time.perf_counter()
    diff = diff_profiles(old, new)
    diff_fresh = time.perf_counter() - started
    started = time.perf_counter()
    diff_profiles(old, new)  # both measured now
    diff_warm = time.perf_counter() - started
    return {
        "build_six": sum(build_seconds),
        "build_each": build_seconds,
        "gap_fresh": gap_fresh,
        "measure_six": measure_six,
        "gap_warm": gap_warm,
        "gap_rows": len(gap.gap),
        "intersection": len(gap.intersection),
        "build_diff_pair": build_seconds[0] + new_seconds,
        "diff_fresh": diff_fresh,
        "diff_warm": diff_warm,
        "gained": len(diff.gained),
        "lost": len(diff.lost),
        "kept": len(diff.kept),
        "backlinks": [p.summary().backlinks for p in profiles],
        "referring_domains": [p.summary().referring_domains for p in profiles],
        "maxrss_mb": peak_rss_mb(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", default="../shared/corpus", help="ignored: no HTML here")
    parser.add_argument("--links", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--worker", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker is not None:
        print(json.dumps(worker(args.links, args.worker)))
        return

    runs = []
    for _ in range(args.repeat):
        cmd = [sys.executable, __file__, "--worker", "7", "--links", str(args.links)]
        done = subprocess.run(cmd, capture_output=True, text=True, check=True)
        runs.append(json.loads(done.stdout.strip().splitlines()[-1]))

    def med(key: str) -> float:
        return statistics.median(float(run[key]) for run in runs)

    first = runs[0]
    print(
        f"\n6 profiles of {first['backlinks'][0]:,} backlinks, "
        f"{min(first['referring_domains']):,}-{max(first['referring_domains']):,} referring "
        f"domains each; gap: {first['gap_rows']:,} domains ({first['intersection']:,} link to all "
        f"five); diff: {first['gained']:,} gained, {first['lost']:,} lost, {first['kept']:,} kept. "
        f"Medians of {args.repeat} runs, each in a fresh process (peak RSS {med('maxrss_mb'):.0f} MB)."
    )
    print(f"{'step':<52}{'seconds':>9}{'share':>8}")
    print(f"{'build the 6 profiles (LinkProfile.update)':<52}{med('build_six'):>9.2f}")
    for key, label in (
        ("gap_fresh", "link_gap on fresh profiles (as built)"),
        ("measure_six", "(measuring the 6, anchors classified already)"),
        ("gap_warm", "link_gap on measured profiles"),
    ):
        print(f"{label:<52}{med(key):>9.2f}{med(key) / med('build_six'):>8.1%}")
    print(f"{'build the 2 snapshots (LinkProfile.update)':<52}{med('build_diff_pair'):>9.2f}")
    for key, label in (
        ("diff_fresh", "diff_profiles on fresh profiles (measures both)"),
        ("diff_warm", "diff_profiles on measured profiles"),
    ):
        print(f"{label:<52}{med(key):>9.2f}{med(key) / med('build_diff_pair'):>8.1%}")
    spread = {k: [round(float(r[k]), 2) for r in runs] for k in
              ("build_six", "gap_fresh", "measure_six", "gap_warm", "build_diff_pair", "diff_fresh",
               "diff_warm")}  # fmt: skip
    print(f"all runs (seconds): {spread}")


if __name__ == "__main__":
    main()
