"""Write the example exports `backlinkkit audit --example` runs on (or a bigger set, to measure).

The story: balconyharvest.example sells planters and seeds and writes about balcony gardening.
Its profile grew for 30 months the way earned profiles do: about ten new linking sites a month,
mostly naming the brand or the URL, some nofollow forum and comment links, three blogrolls that
link sitewide. Then, in August 2026, someone bought links: 70 new sites in three weeks, all on
one /24 subnet, all followed, most with the exact money keyword "self watering planters".

Every name and number is made up here, deterministically (one seed): linking sites are
generated names, the bought ones under the reserved `.test` TLD; addresses come from the
shared address space (100.64.0.0/10) and, for the cluster, the documentation range 203.0.113.0/24.
Nothing is any real site's data.

Three exports, overlapping as real ones do:
- `ahrefs-backlinks.tsv`: Ahrefs Site Explorer's 34-column export "for Excel" (UTF-16 LE with
  BOM, tab-separated), with `https://www.` URLs, a few rows repeated;
- `search-console-latest-links.csv`: Search Console's "Latest links" (linking page, last
  crawled), pages spelt its way (no `www.`, `http://` for some, trailing slashes), some pages
  Ahrefs never saw, and the rows real exports carry that are not web pages;
- `crawl-ips.csv`: backlinkkit's generic layout from the owner's own crawl of one page per
  linking site: when it was fetched and the IP address it came from.
Plus `current-disavow.txt` (the file Search Console has now) and `allow.txt` (a partner).

    python benchmarks/make_audit_example.py            # rewrite src/backlinkkit/_examples/audit/
    python benchmarks/make_audit_example.py --links 1000000 --out /tmp/audit-1m
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import random
from collections.abc import Iterator
from pathlib import Path

SITE = "balconyharvest.example"
BRANDS = ("Balcony Harvest",)
KEYWORDS = ("self watering planters", "balcony garden", "container vegetable garden")
AUDIT_DATE = dt.date(2026, 11, 30)
START = dt.date(2024, 6, 1)
MONTHS = 30
BURST_MONTH = 26  # 2026-08
DEFAULT_OUT = Path(__file__).parents[1] / "src" / "backlinkkit" / "_examples" / "audit"
SEED = 2026

AHREFS_COLUMNS = (
    "Referring page title", "Referring page URL", "Language", "Platform",
    "Referring page HTTP code", "Domain rating", "UR", "Domain traffic", "Referring domains",
    "Linked domains", "External links", "Page traffic", "Keywords", "Target URL",
    "Left context", "Anchor", "Right context", "Redirect Chain URLs",
    "Redirect Chain status codes", "Type", "Content", "Nofollow", "UGC", "Sponsored",
    "Rendered", "Raw", "Lost status", "Drop reason", "Discovered status", "First seen",
    "Last seen", "Lost", "Author", "Links in group",
)  # fmt: skip

WORDS = (
    "fern", "trowel", "basil", "clover", "terrace", "seedling", "compost", "sprout", "ivy",
    "thyme", "garden", "urban", "window", "balcony", "harvest", "petal", "root", "moss",
    "meadow", "pocket", "rooftop", "herb", "tomato", "chili", "bloom", "leaf", "soil", "pot",
    "sunny", "shade", "little", "green", "wild", "city", "patio", "allotment",
)  # fmt: skip
KINDS = ("notes", "diary", "journal", "blog", "weekly", "club", "forum", "magazine", "corner",
         "kitchen", "life", "living", "review", "guide", "press", "times", "talk", "lab")  # fmt: skip
TLDS = ("com",) * 9 + ("org",) * 3 + ("net",) * 2 + ("de", "co.uk", "fr", "nl", "blog", "io",
        "info", "com.au", "ca", "it", "es")  # fmt: skip
PAGES = (
    "how-to-grow-tomatoes-on-a-balcony", "best-herbs-for-shade", "small-space-gardening",
    "watering-while-on-holiday", "our-favourite-shops", "balcony-makeover", "links",
    "resources", "winter-herbs", "chili-diary-week-12", "planters-tested", "spring-sowing",
    "readers-questions", "weekend-reading", "urban-gardening-roundup", "about",
)  # fmt: skip
TARGETS = (
    "https://balconyharvest.example/",
    "https://balconyharvest.example/shop/self-watering-planters",
    "https://balconyharvest.example/blog/grow-tomatoes-on-a-balcony",
    "https://balconyharvest.example/shop/seeds",
    "https://balconyharvest.example/blog/herbs-in-shade",
)
BURST_TARGET = TARGETS[1]
# (anchor, weight): what earned links say; Ahrefs gives image links the alt text, or nothing.
HEALTHY_ANCHORS = (
    ("Balcony Harvest", 30), ("balconyharvest.example", 8), ("BalconyHarvest", 3),
    ("https://balconyharvest.example/", 5), ("Balcony Harvest's planters", 3),
    ("here", 5), ("this guide", 3), ("read more", 3), ("website", 2), ("click here", 1),
    ("how to grow tomatoes in pots", 6), ("a lovely post on herbs in the shade", 4),
    ("this seed shop", 3), ("balcony garden ideas", 1), ("tips for a container vegetable garden", 1),
    ("balcony garden", 1), ("", 4),
)  # fmt: skip
BURST_ANCHORS = (("self watering planters", 8), ("best self watering planters", 2))


def _pick(rng: random.Random, weighted: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([a for a, _ in weighted], [w for _, w in weighted])[0]


def _month_day(rng: random.Random, month: int) -> dt.date:
    first = dt.date(
        START.year + (START.month - 1 + month) // 12, (START.month - 1 + month) % 12 + 1, 1
    )
    return first + dt.timedelta(days=rng.randrange(28))


class _Site:
    __slots__ = ("domain", "dr", "first", "ip", "lost_all", "pages", "sitewide", "spam")

    def __init__(self, domain: str, dr: int, first: dt.date, ip: str, *, spam: bool) -> None:
        self.domain, self.dr, self.first, self.ip, self.spam = domain, dr, first, ip, spam
        self.pages = 1
        self.sitewide = False
        self.lost_all = False


def _sites(rng: random.Random, healthy: int, burst: int) -> list[_Site]:
    sites: list[_Site] = []
    names: set[str] = set()
    while len(sites) < healthy:
        name = f"{rng.choice(WORDS)}-{rng.choice(WORDS)}-{rng.choice(KINDS)}.{rng.choice(TLDS)}"
        if name in names or SITE in name:
            continue
        names.add(name)
        # Growth: a little faster lately, as a site that gets known.
        month = min(MONTHS - 1, int(rng.random() ** 0.85 * MONTHS))
        ip = f"100.{rng.randrange(64, 128)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"
        sites.append(_Site(name, rng.randrange(5, 75), _month_day(rng, month), ip, spam=False))
    for site in sites:
        roll = rng.random()
        site.pages = (
            1
            if roll < 0.4
            else 2
            if roll < 0.6
            else rng.randrange(3, 6)
            if roll < 0.87
            else rng.randrange(6, 21)
        )
        site.lost_all = rng.random() < 0.06
    for site, pages in zip(
        sorted(sites, key=lambda s: -s.dr)[: max(3, healthy // 100)],
        (150, 220, 130) * (healthy // 300 + 1),
        strict=False,
    ):
        site.pages, site.sitewide = pages, True  # blogrolls and footers
    for n in range(burst):
        name = f"{rng.choice(('best', 'top', 'smart', 'easy', 'home'))}-{rng.choice(('planter', 'garden', 'pot', 'grow'))}-{rng.choice(('review', 'deals', 'hub', 'guide', 'picks'))}-{n + 1}.test"
        first = _month_day(rng, BURST_MONTH).replace(day=3 + rng.randrange(21))
        site = _Site(name, rng.randrange(1, 9), first, f"203.0.113.{10 + n}", spam=True)
        site.pages = rng.randrange(1, 4)
        sites.append(site)
    return sites


def _ahrefs_rows(rng: random.Random, sites: list[_Site]) -> Iterator[dict[str, str]]:
    for site in sites:
        host = f"www.{site.domain}" if rng.random() < 0.6 else site.domain
        lost_site = site.lost_all
        for p in range(site.pages):
            slug = rng.choice(PAGES) if p == 0 else f"{rng.choice(PAGES)}-{p}"
            # The site's first link on its first day, the others spread over the time since.
            room = max(1, min(20 if site.spam else 400, (AUDIT_DATE - site.first).days - 2))
            first = site.first + dt.timedelta(days=rng.randrange(room) if p else 0)
            if site.spam:
                anchor, target = _pick(rng, BURST_ANCHORS), BURST_TARGET
                nofollow = ugc = sponsored = False
                external, linked = rng.randrange(150, 900), rng.randrange(80, 400)
            else:
                anchor = "Balcony Harvest" if site.sitewide else _pick(rng, HEALTHY_ANCHORS)
                target = TARGETS[0] if site.sitewide or rng.random() < 0.5 else rng.choice(TARGETS)
                ugc = rng.random() < 0.04
                nofollow = ugc or rng.random() < 0.12
                sponsored = not nofollow and rng.random() < 0.02
                external, linked = rng.randrange(3, 60), rng.randrange(2, 40)
            lost = ""
            last = AUDIT_DATE - dt.timedelta(days=rng.randrange(1, 25))
            if lost_site or rng.random() < 0.05:
                gone = first + dt.timedelta(
                    days=rng.randrange(30, max(31, (AUDIT_DATE - first).days))
                )
                if gone < AUDIT_DATE - dt.timedelta(days=3):
                    lost, last = (
                        f"{gone.isoformat()} 04:12:09",
                        gone - dt.timedelta(days=rng.randrange(1, 9)),
                    )
            kind = "image" if anchor == "" else "text"
            yield {
                "Referring page title": slug.replace("-", " ").capitalize(),
                "Referring page URL": f"https://{host}/{slug}/" if rng.random() < 0.3 else f"https://{host}/{slug}",
                "Language": "en", "Platform": "blog", "Referring page HTTP code": "200",
                "Domain rating": str(site.dr), "UR": str(rng.randrange(0, site.dr // 2 + 2)),
                "Domain traffic": str(rng.randrange(0, 40000) if not site.spam else rng.randrange(0, 30)),
                "Referring domains": str(rng.randrange(1, 90)), "Linked domains": str(linked),
                "External links": str(external), "Page traffic": str(rng.randrange(0, 900)),
                "Keywords": str(rng.randrange(0, 60)), "Target URL": target,
                "Left context": "", "Anchor": anchor, "Right context": "",
                "Redirect Chain URLs": "", "Redirect Chain status codes": "", "Type": kind,
                "Content": "true", "Nofollow": str(nofollow).lower(), "UGC": str(ugc).lower(),
                "Sponsored": str(sponsored).lower(), "Rendered": "false", "Raw": "true",
                "Lost status": "removed" if lost else "", "Drop reason": "", "Discovered status": "",
                "First seen": f"{first.isoformat()} {rng.randrange(24):02d}:{rng.randrange(60):02d}:07",
                "Last seen": f"{last.isoformat()} 11:30:00", "Lost": lost, "Author": "",
                "Links in group": "1",
            }  # fmt: skip


def _console_spelling(rng: random.Random, url: str) -> str:
    # Search Console writes pages its own way: no www, sometimes http, slashes as it found them.
    url = url.replace("://www.", "://")
    if rng.random() < 0.2:
        url = url.replace("https://", "http://")
    if rng.random() < 0.3:
        url = url[:-1] if url.endswith("/") else url + "/"
    return url


def write_example(out: Path, *, links: int = 2000, seed: int = SEED) -> dict[str, int]:
    """Write the example set for about `links` links into `out`; the rows of each file."""
    rng = random.Random(seed)
    scale = links / 2000
    healthy, burst = round(350 * scale), round(70 * scale)
    sites = _sites(rng, healthy, burst)
    out.mkdir(parents=True, exist_ok=True)
    counts = {}
    pages: list[tuple[str, _Site, str]] = []
    text = io.StringIO()
    writer = csv.writer(text, delimiter="\t", lineterminator="\n")
    writer.writerow(AHREFS_COLUMNS)
    rows = 0
    previous: list[str] | None = None
    for site in sites:
        for row in _ahrefs_rows(rng, [site]):
            cells = [row[c] for c in AHREFS_COLUMNS]
            writer.writerow(cells)
            rows += 1
            pages.append((row["Referring page URL"], site, row["Anchor"]))
            if previous is not None and rng.random() < 0.008:  # the same row twice
                writer.writerow(previous)
                rows += 1
            previous = cells
    (out / "ahrefs-backlinks.tsv").write_bytes(text.getvalue().encode("utf-16"))
    counts["ahrefs-backlinks.tsv"] = rows

    with (out / "search-console-latest-links.csv").open("w", encoding="utf-8", newline="") as f:
        console = csv.writer(f, lineterminator="\n")
        console.writerow(("Linking page", "Last crawled"))
        rows = 0
        seen: set[str] = set()
        for url, site, _ in pages:
            # Google no longer lists the pages of a site that dropped every link to you.
            if url in seen or site.lost_all or rng.random() > (0.45 if site.spam else 0.55):
                continue
            seen.add(url)
            crawled = AUDIT_DATE - dt.timedelta(days=rng.randrange(1, 60))
            console.writerow((_console_spelling(rng, url), crawled.isoformat()))
            rows += 1
        # Pages Google knows that Ahrefs never saw (new posts, forum threads, comment pages).
        for n in range(round(180 * scale)):
            site = rng.choice(sites[:healthy])
            crawled = AUDIT_DATE - dt.timedelta(days=rng.randrange(1, 90))
            console.writerow(
                (f"https://{site.domain}/{rng.choice(PAGES)}-{n}", crawled.isoformat())
            )
            rows += 1
        for junk in (
            "android-app://com.example.reader/https/balconyharvest.example/",
            "//cdn.feeds.test/rss",
        ):
            console.writerow((junk, (AUDIT_DATE - dt.timedelta(days=3)).isoformat()))
            rows += 1
        console.writerow(("https://forum-archive.test/t/12", "2026-13-01"))  # no such month
        rows += 1
    counts["search-console-latest-links.csv"] = rows

    with (out / "crawl-ips.csv").open("w", encoding="utf-8", newline="") as f:
        crawl = csv.writer(f, lineterminator="\n")
        crawl.writerow(("source_url", "last_seen", "source_ip"))
        done: set[str] = set()
        rows = 0
        for url, site, _ in pages:
            if site.domain in done or site.lost_all:  # its pages no longer link: not crawled
                continue
            done.add(site.domain)
            fetched = AUDIT_DATE - dt.timedelta(days=rng.randrange(0, 4))
            crawl.writerow((url, fetched.isoformat(), site.ip))
            rows += 1
        crawl.writerow(
            ("https://balconyharvest.example/blog/", AUDIT_DATE.isoformat(), "100.64.0.10")
        )
        rows += 1
    counts["crawl-ips.csv"] = rows

    partner = next(
        site for _, site, anchor in pages if not site.spam and anchor.casefold() in KEYWORDS
    )
    (out / "current-disavow.txt").write_text(
        f"# {SITE} disavow file, kept by the SEO team\n"
        "# 2025 cleanup: sites copying our posts\n"
        "domain:scraped-harvest-copies.test\n"
        "domain:planter-feed-mirror.test\n"
        "https://old-garden-directory.test/listing?id=4411\n",
        encoding="utf-8",
    )
    (out / "allow.txt").write_text(
        "# Never propose these: partners who link to our products by name on purpose\n"
        f"domain:{partner.domain}\n",
        encoding="utf-8",
    )
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--links", type=int, default=2000, help="about this many links")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args()
    counts = write_example(args.out, links=args.links, seed=args.seed)
    for name, rows in counts.items():
        print(f"{args.out / name}: {rows:,} rows")


if __name__ == "__main__":
    main()
