"""Uses of the public API that mypy checks (`nox -s mypy`): the types users see stay right.

This file is type-checked, not run. The fetcher's uses are in fetch_api.py.
"""

from __future__ import annotations

import io

import attrs

import backlinkkit
from backlinkkit import (
    GENERIC_PHRASES,
    AnchorCategory,
    AnchorClass,
    AnchorClassifier,
    AnchorRule,
    Backlink,
    DisavowCandidate,
    DisavowEntry,
    DisavowFile,
    DisavowProblem,
    ExportReader,
    Flag,
    InvalidLines,
    Link,
    LinkKind,
    LinkProfile,
    PageLinks,
    ProfileSummary,
    ReferringDomain,
    Section,
    SuffixList,
    Thresholds,
    disavow_candidates,
    extract_links,
    normalize_anchor,
    read_backlinks,
    registrable_domain,
    write_backlinks,
)

# -- sites --
site: str = registrable_domain("https://www.example.co.uk/")
psl: SuffixList = SuffixList.from_text("com\n")
version: str | None = psl.version

# -- extraction --
page: PageLinks = extract_links(b"<a href=/a>A</a>", "https://example.com/", headers={"X": "y"})
page_from_text: PageLinks = extract_links("<a href=/a>A</a>", "https://example.com/")
first: Link = page.links[0]
resolved: str | None = first.url
section: Section | None = first.section
link = Link(href="/a", url="https://example.com/a", kind=LinkKind.TEXT, text="A")
anchor: str = link.anchor
nofollow: bool = link.nofollow

# -- backlinks and import --
backlink = Backlink.from_link(link, "https://blog.test/")
followed: bool | None = backlink.followed
referring: str | None = backlink.source_domain
reader: ExportReader[Backlink] = read_backlinks(io.BytesIO(b"source_url\n"), errors="collect")
records: list[Backlink] = list(reader)
written: int = write_backlinks(records, io.StringIO())

# -- anchors --
classifier = AnchorClassifier(
    "https://shop.example.co.uk/",
    brands=["Example Shop"],
    keywords=["running shoes"],
    generic_phrases=GENERIC_PHRASES | {"tap here"},
    cache_size=1024,
)
anchor_class: AnchorClass = classifier.classify("Example shoes")
anchor_category: AnchorCategory = anchor_class.category
anchor_rule: AnchorRule = anchor_class.rule
anchor_matched: str | None = anchor_class.matched
many_classes: list[AnchorClass] = classifier.classify_many(["a", link])
normalized_anchor: str = normalize_anchor("Café")

# -- profile --
profile = LinkProfile("example.com", brands=["Example"], keywords="running shoes")
profile.update([Backlink("https://blog.test/", anchor="Example")])
merged: LinkProfile = profile | profile.merge(LinkProfile("example.com"))
summary: ProfileSummary = merged.summary()
exact: int = summary.anchor_categories[AnchorCategory.EXACT_MATCH]
flags: tuple[Flag, ...] = profile.flags(attrs.evolve(Thresholds(), money_share=0.4))
domains: tuple[ReferringDomain, ...] = profile.referring_domains()

# -- disavow --
candidates: tuple[DisavowCandidate, ...] = disavow_candidates(profile, allow=["friend.test"])
candidate_entry: DisavowEntry = candidates[0].to_entry()
disavow = DisavowFile.parse(b"domain:spam.example\n")
entry: DisavowEntry = disavow.add_domain("spam.example", "paid links")
problems: tuple[DisavowProblem, ...] = disavow.validate() + disavow.redundant()
text: str = disavow.to_text(invalid=InvalidLines.COMMENT_OUT)
covered: bool = disavow.covers("https://www.spam.example/")

try:
    registrable_domain("")
except backlinkkit.BacklinkkitError as error:
    message: str = str(error)
