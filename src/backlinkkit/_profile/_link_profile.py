"""`LinkProfile`: the link profile of one target site, a thin facade over its parts.

The parts, each one concept: an `Aggregate` keeps the counts (fed by records or by an importer's
rows), `measure` computes every number from it once, `_report` makes the tables and `to_dict`,
`_flags` judges the numbers against `Thresholds`, and the target's `AnchorClassifier` decides
each anchor's category (once per distinct anchor).
"""

from __future__ import annotations

import types
from collections.abc import Iterable, Mapping
from typing import Any

from .._anchors._classifier import AnchorCategory, AnchorClassifier
from .._backlink import Backlink
from .._compare._authority import ImportedAuthority, WebGraphRank
from .._errors import ProfileMergeError, SettingsError
from .._importers._reader import ExportReader
from .._web._urls import SuffixList, hostname, normalize_host
from . import _report as report
from ._aggregate import Aggregate
from ._flags import Flag, evaluate_flags, profile_facts
from ._measure import Measures, measure
from ._referring_domain import ReferringDomain
from ._summary import ProfileSummary
from ._thresholds import Thresholds

__all__ = ["LinkProfile"]

_CATEGORY_INDEX = {category: i for i, category in enumerate(AnchorCategory)}
_STATE_VERSION = 1


class LinkProfile:
    """The link profile of one target site: counts, anchors, time, flags, mergeable.

    Feed it backlinks (`add`, `update`); read it with `summary`, `flags`, `to_dict` and the
    `*_table` methods (lists of plain dicts, ready for `pandas.DataFrame`). Links from the
    target's own site are skipped (counted in `summary().own_links`), as are links whose source
    has no host (`unparsed_links`). The same link given twice counts twice: the profile keeps
    no rows to recognize it by, so deduplicate upstream when an export repeats rows. Given the
    `ExportReader` of `read_backlinks`, it counts the rows straight from their cells, without
    making a `Backlink` of each: the same result, faster.

    Args:
        domain: the target site (a host such as `example.com`, or a URL on it).
        brands: its brand names, besides the domain's label (a single string is one name).
        keywords: its money keywords (without them no anchor is exact, partial or compound).
        generic_phrases: the classifier's generic phrases, to replace its own table.
        classifier: an `AnchorClassifier` of the target's site to use instead (then brands,
            keywords and generic phrases are its own and may not be given too).
        authority: referring domains' ranks (see the `authority` property).

    Raises:
        InvalidURLError: `domain` is not a host name or URL.
        SettingsError: a classifier was given with brands, keywords or generic phrases, or is
            the classifier of another site.

    >>> from backlinkkit import Backlink
    >>> p = LinkProfile("example.com", keywords=["running shoes"])
    >>> p.update([
    ...     Backlink("https://blog.test/a", "https://example.com/", anchor="Example"),
    ...     Backlink("https://blog.test/b", "https://example.com/", anchor="running shoes"),
    ...     Backlink("https://news.test/x", "https://example.com/shop", anchor="example.com"),
    ... ])
    >>> s = p.summary()
    >>> s.backlinks, s.referring_domains, s.referring_pages
    (3, 2, 3)
    """

    __slots__ = ("_aggregate", "_authority", "_brands", "_categories", "_classifier", "_domain",
                 "_keywords", "_measures")  # fmt: skip

    def __init__(
        self,
        domain: str,
        *,
        brands: str | Iterable[str] = (),
        keywords: str | Iterable[str] = (),
        generic_phrases: Iterable[str] | None = None,
        classifier: AnchorClassifier | None = None,
        authority: Mapping[str, WebGraphRank | ImportedAuthority] | None = None,
    ) -> None:
        host = hostname(domain.strip()) if "://" in domain else None
        self._domain = host or normalize_host(domain)
        site = SuffixList.bundled().registrable_domain(self._domain)
        if classifier is None:
            # A single string is one name, as for the classifier.
            self._brands = (brands,) if isinstance(brands, str) else tuple(brands)
            self._keywords = (keywords,) if isinstance(keywords, str) else tuple(keywords)
            classifier = AnchorClassifier(
                self._domain,
                brands=self._brands,
                keywords=self._keywords,
                generic_phrases=generic_phrases,
            )
        else:
            if brands or keywords or generic_phrases is not None:
                raise SettingsError(
                    "give brands, keywords and generic phrases to the classifier, not to the "
                    "profile as well"
                )
            if classifier.domain != site:
                raise SettingsError(
                    f"the classifier is for {classifier.domain!r}, the profile for {site!r}"
                )
            self._brands, self._keywords = classifier.brands, classifier.keywords
        self._classifier = classifier
        self._aggregate = Aggregate(site)
        self._categories: dict[str, int] = {}  # anchor key -> index in AnchorCategory
        self._measures: Measures | None = None
        self._authority: Mapping[str, WebGraphRank | ImportedAuthority] | None = None
        if authority is not None:
            self.authority = authority

    # -- settings -------------------------------------------------------------------------

    @property
    def domain(self) -> str:
        """The target's host, lower-case punycode."""
        return self._domain

    @property
    def brands(self) -> tuple[str, ...]:
        """The brand names given (a classifier's own, when the profile was given one)."""
        return self._brands

    @property
    def keywords(self) -> tuple[str, ...]:
        """The money keywords given (a classifier's own, when the profile was given one)."""
        return self._keywords

    @property
    def classifier(self) -> AnchorClassifier:
        """The anchor classifier the profile uses."""
        return self._classifier

    @property
    def authority(self) -> Mapping[str, WebGraphRank | ImportedAuthority] | None:
        """Ranks of referring domains, by registrable domain; None (the default) for none.

        Typically `read_web_graph_ranks` over a Common Crawl domain graph, read for the names
        of `referring_domains()`; tool scores (`ImportedAuthority`) work too. A referring
        domain listed takes its rank as `ReferringDomain.authority`; one not listed keeps the
        first score its exports carry. Setting it (a copy is kept) re-measures the profile on
        the next read; adding links costs nothing more either way. It goes with `copy`, a
        merge (the left profile's) and pickles, and is not part of `==` (the links are).

        Raises:
            SettingsError: it is set to something else than a mapping of such ranks.

        >>> from backlinkkit import AuthorityMetric, Backlink, ImportedAuthority
        >>> p = LinkProfile("example.com")
        >>> p.update([Backlink("https://blog.test/a"), Backlink("https://shop.test/b")])
        >>> p.authority = {"blog.test": ImportedAuthority(AuthorityMetric.DOMAIN_RATING, 75)}
        >>> {b.value: n for b, n in p.summary().authority_buckets.items() if n}
        {'top-100k': 1, 'unknown': 1}
        """
        return self._authority

    @authority.setter
    def authority(self, ranks: Mapping[str, WebGraphRank | ImportedAuthority] | None) -> None:
        if ranks is not None:
            if not isinstance(ranks, Mapping):
                raise SettingsError(
                    f"authority must be a mapping of domain to rank, not {type(ranks).__name__}"
                )
            ranks = dict(ranks)
            for name, rank in ranks.items():
                if not isinstance(rank, WebGraphRank | ImportedAuthority):
                    raise SettingsError(
                        f"the authority of {name!r} is not a WebGraphRank or ImportedAuthority: "
                        f"{type(rank).__name__}"
                    )
            ranks = types.MappingProxyType(ranks)
        self._authority = ranks
        self._measures = None

    # -- feeding ----------------------------------------------------------------------------

    def add(self, backlink: Backlink) -> None:
        """Count one backlink.

        >>> from backlinkkit import Backlink
        >>> p = LinkProfile("example.com")
        >>> p.add(Backlink("https://blog.test/post", anchor="Example"))
        >>> p.summary().referring_domains
        1
        """
        self.update((backlink,))

    def update(self, backlinks: Iterable[Backlink]) -> None:
        """Count every backlink of `backlinks` (any iterable; consumed once, in one pass).

        >>> from backlinkkit import Backlink
        >>> p = LinkProfile("example.com")
        >>> p.update(Backlink(f"https://site{i}.test/", anchor="here") for i in range(3))
        >>> p.summary().referring_domains
        3
        """
        self._measures = None
        layout = backlinks._row_layout() if isinstance(backlinks, ExportReader) else None  # noqa: SLF001
        if layout is not None:
            reader: ExportReader[Any] = backlinks  # type: ignore[assignment]
            self._aggregate.add_rows(reader._row_batches(), layout)  # noqa: SLF001
        else:
            self._aggregate.add_many(backlinks)

    # -- merging and pickling ---------------------------------------------------------------

    def copy(self) -> LinkProfile:
        """An independent copy: changing one does not change the other."""
        new: LinkProfile = LinkProfile.__new__(LinkProfile)
        new._domain, new._brands, new._keywords = self._domain, self._brands, self._keywords
        new._classifier = self._classifier
        new._aggregate = self._aggregate.copy()
        new._categories = self._categories
        new._measures = None
        new._authority = self._authority
        return new

    def _share_categories(self, other: LinkProfile) -> None:
        """Give both profiles one anchor-category memo when their classifiers are equal.

        Snapshots of one site read mostly the same anchors: each is then classified once.
        """
        if other._categories is not self._categories and other._classifier == self._classifier:
            self._categories.update(other._categories)
            other._categories = self._categories

    def merge(self, *others: LinkProfile) -> LinkProfile:
        """The profile of this profile's links and `others`' links together (a new profile).

        Merging is associative and commutative: `(a | b) | c == a | (b | c) == c | b | a`.

        Raises:
            ProfileMergeError: a profile is of another target, or has other brands, keywords
                or generic phrases.

        >>> from backlinkkit import Backlink
        >>> a, b = LinkProfile("example.com"), LinkProfile("example.com")
        >>> a.add(Backlink("https://one.test/", anchor="Example"))
        >>> b.add(Backlink("https://two.test/", anchor="here"))
        >>> (a | b).summary().referring_domains
        2
        """
        result: LinkProfile = self.copy()
        for other in others:
            result._absorb(other)
        return result

    def __or__(self, other: object) -> LinkProfile:
        if not isinstance(other, LinkProfile):
            return NotImplemented
        return self.merge(other)

    def _settings(self) -> tuple[object, ...]:
        return (self._domain, self._brands, self._keywords, self._classifier)

    def _absorb(self, other: LinkProfile) -> None:
        if not isinstance(other, LinkProfile):
            raise TypeError(f"can only merge a LinkProfile, not {type(other).__name__}")
        if other._settings() != self._settings():
            names = ("domain", "brands", "keywords", "classifier settings")
            differ = [
                n
                for n, a, b in zip(names, self._settings(), other._settings(), strict=True)
                if a != b
            ]
            if "domain" in differ:
                differ = ["domain"]  # another site's classifier differs as a matter of course
            raise ProfileMergeError(
                f"cannot merge the profile of {other._domain!r} into that of {self._domain!r}: "
                f"they differ in {', '.join(differ)}"
            )
        self._measures = None
        self._aggregate.absorb(other._aggregate)

    def __getstate__(self) -> dict[str, object]:
        # Versioned plain data (and the classifier, which pickles its own settings alike).
        return {
            "version": _STATE_VERSION,
            "domain": self._domain,
            "brands": list(self._brands),
            "keywords": list(self._keywords),
            "classifier": self._classifier,
            "aggregate": self._aggregate.state(),
            # Absent from older states: they load with no authority.
            "authority": None if self._authority is None else dict(self._authority),
        }

    def __setstate__(self, state: dict[str, Any]) -> None:
        if state.get("version") != _STATE_VERSION:
            raise TypeError(f"cannot load a LinkProfile of state version {state.get('version')!r}")
        self._domain = state["domain"]
        self._brands, self._keywords = tuple(state["brands"]), tuple(state["keywords"])
        self._classifier = state["classifier"]
        self._aggregate = Aggregate.from_state(state["aggregate"])
        self._categories = {}
        self._measures = None
        authority = state.get("authority")
        self._authority = None if authority is None else types.MappingProxyType(authority)

    def __eq__(self, other: object) -> bool:
        # Equal settings and equal counts: the same links were seen, in whatever order.
        if not isinstance(other, LinkProfile):
            return NotImplemented
        return self._settings() == other._settings() and self._aggregate == other._aggregate

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        domains = self._aggregate.domains
        return (
            f"<LinkProfile {self._domain!r}: {sum(s.links for s in domains.values())} "
            f"backlinks from {len(domains)} referring domains>"
        )

    # -- measuring --------------------------------------------------------------------------

    def _category_index(self, anchor: str) -> int:
        index = self._categories.get(anchor)
        if index is None:
            category = self._classifier.classify(anchor).category
            index = self._categories[anchor] = _CATEGORY_INDEX[category]
        return index

    def _measure(self) -> Measures:
        if self._measures is None:
            self._measures = measure(self._aggregate, self._category_index, self._authority)
        return self._measures

    def summary(self) -> ProfileSummary:
        """The headline counts, as a frozen value; equal for the same links in any split.

        >>> from backlinkkit import AnchorCategory, Backlink
        >>> p = LinkProfile("example.com")
        >>> p.update([Backlink("https://a.test/1", anchor="Example", nofollow=True,
        ...                    sponsored=False, ugc=False)])
        >>> s = p.summary()
        >>> s.nofollow, s.followed, s.anchor_categories[AnchorCategory.BRANDED]
        (1, 0, 1)
        """
        return self._measure().summary

    def referring_domains(self) -> tuple[ReferringDomain, ...]:
        """Every referring domain's aggregate, most links first (then by name)."""
        return self._measure().domains

    def flags(self, thresholds: Thresholds | None = None) -> tuple[Flag, ...]:
        """The patterns worth a look, each with its value, threshold, severity and explanation.

        Args:
            thresholds: the settings to judge by; `Thresholds()` if None.

        Returns:
            The flags raised (empty when nothing passes a threshold). With fewer than
            `min_referring_domains` referring domains, one `INSUFFICIENT_DATA` flag only.
        """
        t = thresholds or Thresholds()
        facts = profile_facts(self._measure(), has_keywords=bool(self._keywords), thresholds=t)
        return evaluate_flags(facts, t)

    # -- tables -----------------------------------------------------------------------------

    def anchor_table(self) -> list[dict[str, object]]:
        """One record per distinct anchor, most referring domains first.

        Keys: `anchor` (whitespace collapsed, case folded), `category`, `links`,
        `referring_domains`, `link_share` (of links with a known anchor), `domain_share` (of
        referring domains with a known anchor).
        """
        return report.anchor_table(self._measure())

    def category_table(self) -> list[dict[str, object]]:
        """One record per anchor category (enum order), counted per referring domain and link."""
        return report.category_table(self._measure())

    def domain_table(self) -> list[dict[str, object]]:
        """One record per referring domain (`ReferringDomain.to_dict`), most links first."""
        return report.domain_table(self._measure())

    def month_table(self) -> list[dict[str, object]]:
        """One record per month from the first to the last dated one, gaps included.

        Keys: `month` (`YYYY-MM`), `new_links` (first seen that month), `lost_links`,
        `new_domains` (referring domains whose first link was first seen that month),
        `lost_domains` (referring domains whose every link is lost, by the last loss).
        """
        return report.month_table(self._measure())

    def target_table(self) -> list[dict[str, object]]:
        """One record per target page.

        Keys: `target_url` (None: unknown), `links`, `referring_domains`, `homepage`.
        """
        return report.target_table(self._measure())

    def _target_links(self) -> dict[str, dict[str, int]]:
        """Per known target URL (as given), its links per referring domain: `check_targets`."""
        by_target: dict[str, dict[str, int]] = {}
        for site, stats in self._aggregate.domains.items():
            for target, n in stats.targets.items():
                if target is not None:
                    into = by_target.setdefault(target, {})
                    into[site] = into.get(site, 0) + n
        return by_target

    def tld_table(self) -> list[dict[str, object]]:
        """One record per top-level domain: `tld`, `referring_domains`, `links`."""
        return report.tld_table(self._measure())

    def subnet_table(self) -> list[dict[str, object]]:
        """One record per /24 subnet (IPv4; /48 IPv6): `subnet`, `referring_domains`, `links`."""
        return report.subnet_table(self._measure())

    def to_dict(self, *, top: int = 20, thresholds: Thresholds | None = None) -> dict[str, object]:
        """Everything measured, JSON-ready, with stable keys.

        Args:
            top: how many anchors, referring domains, subnets and TLDs to list.
            thresholds: the settings for the flags; the defaults if None.

        Returns:
            Keys `target`, `summary`, `anchor_categories`, `top_anchors`, `top_domains`,
            `tlds`, `subnets`, `target_pages`, `months`, `flags`.
        """
        m = self._measure()
        target: dict[str, object] = {
            "domain": self._domain,
            "brands": list(self._brands),
            "keywords": list(self._keywords),
        }
        return report.profile_dict(m, target=target, flags=self.flags(thresholds), top=top)
