"""The backlink export formats `read_backlinks` knows, and their header names, as data.

Every table says where its names come from. Headers are matched after `normalize_header`
(case-folded, all whitespace removed), so `Referring page URL`, `referring page url` and
`Referring  Page URL` are one name; write them here as the tool writes them.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping

import attrs

__all__ = [
    "AHREFS_ANCHORLESS_TYPES",
    "FIELD_KINDS",
    "GENERIC_COLUMNS",
    "NOT_BACKLINK_EXPORTS",
    "SEARCH_CONSOLE_LANGUAGES",
    "TOOL_HEADERS",
    "ExportFormat",
    "SearchConsoleHeaders",
    "normalize_header",
]


class ExportFormat(enum.Enum):
    """A backlink export layout `read_backlinks` can read; string values are accepted too.

    >>> ExportFormat("ahrefs")
    <ExportFormat.AHREFS: 'ahrefs'>
    """

    GENERIC = "generic"
    """backlinkkit's own layout (`write_backlinks` writes it): see docs/importers.md."""
    SEARCH_CONSOLE_LINKS = "search_console_links"
    """Search Console "Latest links" / "More sample links": linking page, last crawled."""
    SEARCH_CONSOLE_SITES = "search_console_sites"
    """Search Console "Top linking sites": sites with counts, read by `read_linking_sites`."""
    AHREFS = "ahrefs"
    """Ahrefs Site Explorer backlinks (UTF-16, tab-separated)."""
    SEMRUSH = "semrush"
    """Semrush Backlink Analytics backlinks."""
    SEMRUSH_AUDIT = "semrush_audit"
    """Semrush Backlink Audit (the backlinks columns plus toxicity)."""
    MAJESTIC = "majestic"
    """Majestic Site Explorer backlinks, both the table export and the download layout."""


def normalize_header(name: str) -> str:
    """Normalize a header cell for matching: case-folded, every whitespace character removed.

    >>> normalize_header(" Referring  page URL ")
    'referringpageurl'
    """
    return "".join(name.replace("\ufeff", "").split()).casefold()


# -- backlinkkit's generic layout -------------------------------------------------------------
# Our own design (documented as a table in docs/importers.md); `extra` holds a JSON object.
GENERIC_COLUMNS: tuple[str, ...] = (
    "source_url",
    "target_url",
    "anchor",
    "nofollow",
    "sponsored",
    "ugc",
    "kind",
    "first_seen",
    "last_seen",
    "lost",
    "source_ip",
    "section",
    "source_title",
    "spam",
    "toxicity",
    "toxic_markers",
    "sitewide",
    "domain_rating",
    "url_rating",
    "page_ascore",
    "trust_flow",
    "citation_flow",
    "domain_authority",
    "page_authority",
    "external_links",
    "linked_domains",
    "extra",
)

# What kind of value each typed field holds, so each export's column is read the same way.
FIELD_KINDS: Mapping[str, str] = {
    "source_title": "text",
    "spam": "boolean",
    "sitewide": "boolean",
    "toxicity": "score",
    "toxic_markers": "list",
    "domain_rating": "score",
    "url_rating": "score",
    "page_ascore": "score",
    "trust_flow": "score",
    "citation_flow": "score",
    "domain_authority": "score",
    "page_authority": "score",
    "external_links": "count",
    "linked_domains": "count",
}

# -- the backlink tools ------------------------------------------------------------------------
# Keys are backlinkkit's field names, plus derived inputs: `type` (Ahrefs' link type),
# `image_flag` / `text_flag` (kind), `lost_flag` (Semrush's "Lost link"). A column used only to
# derive a field (type, flags) is also kept in `Backlink.extra`, so nothing the tool said is lost.
# Sources: the column lists in ../shared/reference/seo-facts.md ("Export formats users will feed
# in", taken from public parsers of these exports). A second name is the same column in another
# version of the export (older Ahrefs exports, Majestic's download layout), marked "variant".
# The typed fields each tool fills (`FIELD_KINDS` says how each is read); the same sources. The
# referring page's "External links" / "Linked domains" are its own outbound counts, the link-farm
# marker; Ahrefs' "Is spam" appears in some exports only (current ones have 34 columns without it).
_AHREFS_SIGNALS = {
    "source_title": ("Referring page title",),
    "domain_rating": ("Domain rating", "DR"),
    "url_rating": ("UR", "URL rating"),
    "external_links": ("External links",),
    "linked_domains": ("Linked domains",),
    "spam": ("Is spam",),
}
_SEMRUSH_SIGNALS = {
    "source_title": ("Source title",),
    "page_ascore": ("Page ascore",),
    "external_links": ("External links",),
    "sitewide": ("Sitewide",),
}
_SEMRUSH_COLUMNS = {
    "source_url": ("Source url",),
    "target_url": ("Target url",),
    "anchor": ("Anchor",),
    "nofollow": ("Nofollow",),
    "sponsored": ("Sponsored",),
    "ugc": ("Ugc",),
    "text_flag": ("Text",),
    "image_flag": ("Image",),
    "first_seen": ("First seen",),
    "last_seen": ("Last seen",),
    "lost_flag": ("Lost link",),
    **_SEMRUSH_SIGNALS,
}
TOOL_HEADERS: Mapping[ExportFormat, Mapping[str, tuple[str, ...]]] = {
    ExportFormat.AHREFS: {
        "source_url": ("Referring page URL",),
        "target_url": ("Target URL", "Link URL"),  # Link URL: older exports, variant
        "anchor": ("Anchor", "Anchor text"),  # Anchor text: variant
        "nofollow": ("Nofollow",),
        "ugc": ("UGC",),
        "sponsored": ("Sponsored",),
        "type": ("Type",),
        "first_seen": ("First seen",),
        "last_seen": ("Last seen",),
        "lost": ("Lost",),
        **_AHREFS_SIGNALS,
    },
    ExportFormat.SEMRUSH: _SEMRUSH_COLUMNS,
    ExportFormat.SEMRUSH_AUDIT: {
        **_SEMRUSH_COLUMNS,
        "toxicity": ("Toxicity Score",),
        "toxic_markers": ("Toxic markers",),
    },
    ExportFormat.MAJESTIC: {
        # Site Explorer table export first, then the download layout's name (variant).
        "source_url": ("SourceURL", "Source URL"),
        "target_url": ("TargetURL", "Target URL"),
        "anchor": ("AnchorText", "Anchor Text"),
        "nofollow": ("FlagNoFollow",),
        "image_flag": ("FlagImages", "FlagImageLink"),
        "first_seen": ("FirstIndexedDate", "Source First Found Date"),
        "last_seen": ("LastSeenDate", "Source Crawl Date"),
        "lost": ("DateLost",),
        "trust_flow": ("SourceTrustFlow", "Source Trust Flow"),
        "citation_flow": ("SourceCitationFlow", "Source Citation Flow"),
    },
}

# Ahrefs link types that are no link with an anchor (a redirect or a canonical pointing at the
# target): their anchor is unknown (None), not empty (seo-facts.md, "Type includes redirect and
# canonical rows, which carry no anchor").
AHREFS_ANCHORLESS_TYPES: frozenset[str] = frozenset({"redirect", "canonical"})


# -- Google Search Console, in its UI languages ------------------------------------------------
@attrs.frozen
class SearchConsoleHeaders:
    """The Links report's export headers in one Search Console UI language.

    Attributes:
        linking_page: "Linking page" ("Latest links" / "More sample links", column 1).
        last_crawled: "Last crawled" (same exports, column 2).
        site: "Site" ("Top linking sites", column 1).
        linking_pages: "Linking pages" ("Top linking sites", column 2).
        target_pages: "Target pages" ("Top linking sites", column 3).
        day_first: how this language writes numeric dates: True day/month, False month/day,
            None no numeric-date convention assumed (ambiguous dates are refused).
    """

    linking_page: tuple[str, ...]
    last_crawled: tuple[str, ...]
    site: tuple[str, ...]
    linking_pages: tuple[str, ...]
    target_pages: tuple[str, ...]
    day_first: bool | None


# English: ../shared/reference/seo-facts.md. The translations are the Links report's strings as
# the author knows them from the Search Console UI in each language; they were NOT checked
# against an export made in that language (no such export was available while writing this), so
# several plausible spellings are listed. When a header is not recognised, naming the format
# (`format="search_console_links"` or `"search_console_sites"`) reads the columns by position,
# which is how Search Console lays them out in every language.
SEARCH_CONSOLE_LANGUAGES: Mapping[str, SearchConsoleHeaders] = {
    "en": SearchConsoleHeaders(
        linking_page=("Linking page",),
        last_crawled=("Last crawled",),
        site=("Site",),
        linking_pages=("Linking pages",),
        target_pages=("Target pages",),
        day_first=None,  # en-US writes month/day, en-GB day/month: refuse the ambiguous ones
    ),
    "de": SearchConsoleHeaders(
        linking_page=("Verweisende Seite", "Verlinkende Seite"),
        last_crawled=("Zuletzt gecrawlt",),
        site=("Website", "Site"),
        linking_pages=("Verweisende Seiten", "Verlinkende Seiten"),
        target_pages=("Zielseiten",),
        day_first=True,
    ),
    "fr": SearchConsoleHeaders(
        linking_page=("Page de provenance du lien", "Page d'origine du lien", "Page associée"),
        last_crawled=("Dernière exploration", "Date de la dernière exploration"),
        site=("Site",),
        linking_pages=("Pages de provenance des liens", "Pages d'origine des liens"),
        target_pages=("Pages cibles",),
        day_first=True,
    ),
    "es": SearchConsoleHeaders(
        linking_page=("Página que enlaza", "Página de enlace"),
        last_crawled=("Último rastreo", "Fecha del último rastreo"),
        site=("Sitio", "Sitio web"),
        linking_pages=("Páginas que enlazan", "Páginas de enlace"),
        target_pages=("Páginas de destino",),
        day_first=True,
    ),
    "it": SearchConsoleHeaders(
        linking_page=("Pagina che rimanda", "Pagina di collegamento"),
        last_crawled=("Ultima scansione",),
        site=("Sito",),
        linking_pages=("Pagine che rimandano", "Pagine di collegamento"),
        target_pages=("Pagine di destinazione",),
        day_first=True,
    ),
    "pt": SearchConsoleHeaders(
        linking_page=("Página com link", "Página de referência"),
        last_crawled=("Último rastreamento",),
        site=("Site",),
        linking_pages=("Páginas com links", "Páginas de referência"),
        target_pages=("Páginas de destino",),
        day_first=True,
    ),
    "nl": SearchConsoleHeaders(
        linking_page=("Linkende pagina",),
        last_crawled=("Laatst gecrawld",),
        site=("Site", "Website"),
        linking_pages=("Linkende pagina's",),
        target_pages=("Doelpagina's",),
        day_first=True,
    ),
    "pl": SearchConsoleHeaders(
        linking_page=("Strona z linkiem", "Strona linkująca"),
        last_crawled=("Ostatnie skanowanie", "Ostatnio zindeksowano"),
        site=("Witryna",),
        linking_pages=("Strony z linkami", "Strony linkujące"),
        target_pages=("Strony docelowe",),
        day_first=True,
    ),
    "ja": SearchConsoleHeaders(
        linking_page=("リンク元ページ",),
        last_crawled=("前回のクロール", "最終クロール"),
        site=("サイト",),
        linking_pages=("リンク元ページ数", "リンクしているページ"),
        target_pages=("ターゲット ページ", "対象ページ"),
        day_first=None,  # Japanese writes year/month/day, which is never ambiguous
    ),
}

# Exports that look like link data but hold no links: refused with the reason, never guessed
# into backlinks. First-column header (English, seo-facts.md) -> what the file is.
NOT_BACKLINK_EXPORTS: Mapping[str, str] = {
    "Top linking text": (
        "a Search Console 'Top linking text' export: anchor texts with counts, no links"
    ),
    "Linking text": (
        "a Search Console 'Top linking text' export: anchor texts with counts, no links"
    ),
    "Target page": (
        "a Search Console 'Top linked pages' export: your own pages with link counts, no links"
    ),
}
