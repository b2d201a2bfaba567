"""Anchor-text categories: `AnchorClassifier` sorts a target's backlink anchors, rule by rule.

The rules are those of ../shared/reference/anchor-categories.md, documented with examples in
docs/anchors.md: a normalization (NFKC, casefold, diacritics, apostrophes, punctuation), light
plural folding and stop words for keywords, then eight rules tried in order (EMPTY, NAKED_URL,
EXACT_MATCH, COMPOUND, BRANDED, GENERIC, PARTIAL_MATCH, OTHER); the first that holds decides.

Classification is a hot path (a profile classifies every backlink), so everything the rules need
is prepared once in `AnchorClassifier.__init__`, ASCII anchors take a fast path, and results are
cached by the raw anchor string.
"""

# ruff: noqa: RUF001, RUF002 - stop words and examples hold other alphabets' letters on purpose
from __future__ import annotations

import enum
import re
import unicodedata
from collections.abc import Iterable
from typing import Any

import attrs

from ._errors import InvalidURLError
from ._generic_phrases import GENERIC_PHRASES
from ._links import Link
from ._urls import SuffixList, normalize_host, registrable_domain

__all__ = [
    "AnchorCategory",
    "AnchorClass",
    "AnchorClassifier",
    "AnchorRule",
    "normalize_anchor",
]

# Stop words are not content tokens when keywords are compared (normalization step 4). English's
# list is the reference's own; the others are its equivalents (articles; the prepositions of, for,
# to, in, on, with, at, by, from; and, or), written for backlinkkit. Portuguese `no` is left out:
# it is an English content word. Scripts written without spaces (ja, zh) have no stop words:
# their particles are not separate tokens. Written as people type them; normalized at import.
_STOP_WORDS_BY_LANGUAGE: dict[str, str] = {
    "en": "a an the of for to in on and or with at by from",
    "de": "der die das den dem des ein eine einen einem einer eines von vom für zu zum zur in im "
    "an am auf und oder mit bei beim aus",
    "fr": "le la les l un une des de du d à au aux pour en dans sur et ou avec par chez "
    # elided forms, split off by the normalizer (`qu'il`, `jusqu'à`)
    "c j m n s t qu jusqu lorsqu puisqu quoiqu presqu",
    "es": "el la los las un una unos unas de del para por a al en y o con desde",
    "it": "il lo la i gli le un uno una di del dello della dei degli delle per a al allo alla ai "
    "agli alle da dal dalla in nel nella su sul sulla e o con "
    # elided forms, split off by the normalizer (`dell'albergo`)
    "dell dall nell sull coll",
    "pt": "o a os as um uma uns umas de do da dos das para por pelo pela em na nos nas e ou com "
    "ao à",
    "nl": "de het een van voor naar in op en of met bij aan uit te",
    "pl": "w we z ze na do dla i oraz lub albo od o po przy",
    "ru": "в во на и или с со для от из к ко по у о об",
    "sv": "en ett den det av för till i på och eller med vid från",
}

# Anchors longer than this are classified but not cached: they are not the repeats a cache is for.
_MAX_CACHED_LENGTH = 2_000
_DEFAULT_CACHE_SIZE = 1 << 17
# Characters whose properties are remembered by the normalizer (the rest are looked up each time).
_CHAR_TABLE_LIMIT = 1 << 16


class AnchorCategory(enum.Enum):
    """The category of an anchor text for one target site (see docs/anchors.md).

    >>> AnchorCategory.EXACT_MATCH.value
    'exact_match'
    """

    EXACT_MATCH = "exact_match"
    """The anchor is one of the money keywords, and no brand (rule 3)."""
    PARTIAL_MATCH = "partial_match"
    """The anchor shares at least half of some keyword's words (rule 7)."""
    COMPOUND = "compound"
    """A brand together with a keyword, exact or partial (rule 4)."""
    BRANDED = "branded"
    """A brand name, without a keyword (rule 5)."""
    NAKED_URL = "naked_url"
    """A URL or host name, any site's (rule 2)."""
    GENERIC = "generic"
    """A phrase that says nothing about the target, like `click here` (rule 6)."""
    EMPTY = "empty"
    """No words at all, only punctuation, symbols or emoji, or nothing (rule 1)."""
    OTHER = "other"
    """None of the above, as descriptive, topical or unrelated text (rule 8)."""


class AnchorRule(enum.Enum):
    """Which rule decided an anchor's category; each rule gives exactly one category.

    >>> AnchorRule.HOST_NAME.category
    <AnchorCategory.NAKED_URL: 'naked_url'>
    """

    NO_TOKENS = "no_tokens"
    """Rule 1, giving EMPTY; normalization left no token."""
    URL_WITH_SCHEME = "url_with_scheme"
    """Rule 2, giving NAKED_URL; the text is one URL with a scheme, like `ftp` or `https`."""
    WWW_PREFIX = "www_prefix"
    """Rule 2, giving NAKED_URL; the text starts with `www.`."""
    HOST_NAME = "host_name"
    """Rule 2, giving NAKED_URL; one word, a host under a real top-level domain, maybe a path."""
    KEYWORD_EXACT = "keyword_exact"
    """Rule 3, giving EXACT_MATCH; no brand, and the content tokens are a keyword's, in order."""
    BRAND_AND_KEYWORD_EXACT = "brand_and_keyword_exact"
    """Rule 4, giving COMPOUND; a brand, and the rest is exactly a keyword."""
    BRAND_AND_KEYWORD_PARTIAL = "brand_and_keyword_partial"
    """Rule 4, giving COMPOUND; a brand, and the rest shares at least half of a keyword."""
    BRAND = "brand"
    """Rule 5, giving BRANDED; a brand, and nothing that matches a keyword."""
    GENERIC_PHRASE = "generic_phrase"
    """Rule 6, giving GENERIC; the normalized text is a generic phrase."""
    KEYWORD_PARTIAL = "keyword_partial"
    """Rule 7, giving PARTIAL_MATCH; shares at least half (rounded up) of a keyword's words."""
    NO_MATCH = "no_match"
    """Rule 8, giving OTHER; no rule above held."""

    @property
    def category(self) -> AnchorCategory:
        """The category this rule gives."""
        return _RULE_CATEGORY[self]


_RULE_CATEGORY: dict[AnchorRule, AnchorCategory] = {
    AnchorRule.NO_TOKENS: AnchorCategory.EMPTY,
    AnchorRule.URL_WITH_SCHEME: AnchorCategory.NAKED_URL,
    AnchorRule.WWW_PREFIX: AnchorCategory.NAKED_URL,
    AnchorRule.HOST_NAME: AnchorCategory.NAKED_URL,
    AnchorRule.KEYWORD_EXACT: AnchorCategory.EXACT_MATCH,
    AnchorRule.BRAND_AND_KEYWORD_EXACT: AnchorCategory.COMPOUND,
    AnchorRule.BRAND_AND_KEYWORD_PARTIAL: AnchorCategory.COMPOUND,
    AnchorRule.BRAND: AnchorCategory.BRANDED,
    AnchorRule.GENERIC_PHRASE: AnchorCategory.GENERIC,
    AnchorRule.KEYWORD_PARTIAL: AnchorCategory.PARTIAL_MATCH,
    AnchorRule.NO_MATCH: AnchorCategory.OTHER,
}


def _rule_gives_category(instance: AnchorClass, _: attrs.Attribute[Any], rule: AnchorRule) -> None:
    if _RULE_CATEGORY[rule] is not instance.category:
        raise ValueError(f"rule {rule.value} gives {rule.category.value}, not {instance.category}")


@attrs.frozen
class AnchorClass:
    """An anchor's category for one target, and why.

    Attributes:
        category: the category.
        rule: the rule that decided it.
        brand: the brand found in the anchor (as configured), or None.
        keyword: the keyword the anchor matches (as configured), or None.

    >>> AnchorClassifier("example.com", keywords=["running shoes"]).classify("Example shoes")
    AnchorClass(category=<AnchorCategory.COMPOUND: 'compound'>, \
rule=<AnchorRule.BRAND_AND_KEYWORD_PARTIAL: 'brand_and_keyword_partial'>, brand='example', \
keyword='running shoes')
    """

    category: AnchorCategory
    rule: AnchorRule = attrs.field(validator=_rule_gives_category)
    brand: str | None = None
    keyword: str | None = None

    @property
    def matched(self) -> str | None:
        """The keyword that matched, else the brand, else None (a COMPOUND names its keyword).

        >>> AnchorClassifier("example.com").classify("Example's blog").matched
        'example'
        """
        return self.keyword if self.keyword is not None else self.brand


# -- normalization ---------------------------------------------------------------------------

# Apostrophe look-alikes, made plain `'` before NFKC (which would turn the acute accent into a
# space and a combining mark).
_APOSTROPHES = "\u2019\u2018\u02bc\u00b4\uff07`"
_APOSTROPHES_ALL = frozenset("'" + _APOSTROPHES)
_APOSTROPHE_LIKE = re.compile(f"[{_APOSTROPHES}]").sub
# ASCII fast path: letters and digits stay, `'` waits for the in-word test, the rest is a space.
# Every ASCII character has an entry: `str.translate` is slow on characters it must look up in vain.
_ASCII = str.maketrans(
    {chr(c): chr(c) if chr(c).isalnum() else " " for c in range(128)} | {"'": "'", "`": "'"}
)
# Diacritics: the four Combining Diacritical Marks blocks. Other combining marks are kept, since
# in their scripts they are part of the letter (Devanagari vowel signs, Japanese voicing marks).
_DIACRITIC_RANGES = ((0x0300, 0x036F), (0x1AB0, 0x1AFF), (0x1DC0, 0x1DFF), (0x20D0, 0x20FF))
# Variation selectors (emoji presentation) are symbols' companions, not letters' marks.
_SELECTOR_RANGES = ((0xFE00, 0xFE0F), (0xE0100, 0xE01EF))

# Scripts written without spaces between words (Han, kana, Thai, Lao, Khmer, Myanmar) and Hangul,
# whose words carry attached particles: a run of these letters is one token, and a brand's or
# keyword's word in them matches any part of such a run (there are no word boundaries to respect).
_UNSPACED = (
    "\u0e00-\u0eff\u1000-\u109f\u1100-\u11ff\u1780-\u17ff\u3005-\u3007\u3040-\u30ff"
    "\u3130-\u318f\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
    "\U00020000-\U0003134f"
)
_HAS_UNSPACED = re.compile(f"[{_UNSPACED}]").search
_SCRIPT_BOUNDARY = re.compile(
    f"(?<=[{_UNSPACED}])(?=[^{_UNSPACED}\\s])|(?<=[^{_UNSPACED}\\s])(?=[{_UNSPACED}])"
).sub
_SPACE_IN_UNSPACED = re.compile(f"(?<=[{_UNSPACED}]) (?=[{_UNSPACED}])").sub
_DIACRITICS = re.compile(
    "[" + "".join(f"{chr(low)}-{chr(high)}" for low, high in _DIACRITIC_RANGES) + "]"
).sub
# Blocks that hold punctuation and symbols only (once NFKC has run), made spaces in one pass so
# that most European text is plain ASCII after it and takes the ASCII table: Latin-1 signs,
# General Punctuation, currency, arrows to dingbats (less enclosed and dingbat digits), CJK
# `、。〃` and brackets, variation selector 16, emoji and pictographs (less enclosed digits).
_PLAIN_SYMBOLS = re.compile(
    "[\u00a0-\u00bf\u00d7\u00f7\u2000-\u206f\u20a0-\u20cf\u2190-\u245f\u2500-\u2775\u2794-\u27bf"
    "\u2b00-\u2bff\u3000-\u3003\u3008-\u3011\ufe0f\U0001f000-\U0001f0ff"
    "\U0001f110-\U0001faff]+"
).sub
# Keycap emoji (`1️⃣`): a digit, `#` or `*`, maybe a variation selector, and U+20E3. Emoji, not words.
_KEYCAP = re.compile("[0-9#*]\ufe0f?\u20e3").sub
_IN_WORD_APOSTROPHE = re.compile(r"(?<=[^\W_])'(?=[^\W_])").sub
# French and Italian elide articles, pronouns and prepositions into the next word (`l'hôtel`,
# `qu'il`, `dell'albergo`): those are words of their own, so the apostrophe after them separates
# them instead of gluing them on (`lhotel` would never match the keyword `hôtel`).
_ELIDED_WORDS = "c d j l m n s t qu jusqu lorsqu puisqu quoiqu presqu dell dall nell sull coll"
_ELISION = re.compile(
    r"\b(" + "|".join(sorted(_ELIDED_WORDS.split(), key=len, reverse=True)) + r")'(?=[^\W\d_])"
).sub


def _split_apostrophes(norm: str) -> str:
    """Elided words stand alone, other in-word apostrophes vanish, the rest become spaces."""
    return _IN_WORD_APOSTROPHE("", _ELISION(r"\1 ", norm)).replace("'", " ")


def _in_ranges(code: int, ranges: tuple[tuple[int, int], ...]) -> bool:
    return any(low <= code <= high for low, high in ranges)


class _CharTable(dict[int, "int | str | None"]):
    """What normalization makes of each character, for `str.translate`, filled in on first sight.

    Letters, digits and non-diacritic marks stay; diacritics go; `'` stays for the in-word test;
    every other character (punctuation, symbols, emoji, spaces, controls) becomes a space.
    """

    def __missing__(self, code: int) -> int | str | None:
        value: int | str | None
        if _in_ranges(code, _DIACRITIC_RANGES):
            value = None
        elif chr(code) in _APOSTROPHES:  # NFKC makes some: U+0149 is U+02BC and `n`
            value = "'"
        elif _in_ranges(code, _SELECTOR_RANGES):
            value = " "
        else:
            value = code if unicodedata.category(chr(code))[0] in "LNM" else " "
        # Bounded: adversarial text cannot grow it past the limit (lookups still work after).
        if len(self) < _CHAR_TABLE_LIMIT:
            self[code] = value
        return value


_CHARS = _CharTable({c: c if chr(c).isalnum() else " " for c in range(128)} | {ord("'"): "'"})


def _without_orphan_marks(tokens: list[str]) -> list[str]:
    # A combining mark whose base was a symbol (now a space) belongs to no word.
    kept = []
    for token in tokens:
        start = 0
        while start < len(token) and unicodedata.category(token[start])[0] == "M":
            start += 1
        if start < len(token):
            kept.append(token[start:])
    return kept


def _tokens(text: str) -> list[str]:
    """The normalized tokens of `text` (normalization steps 1 to 3)."""
    if text.isascii():
        norm = text.lower().translate(_ASCII)
    else:
        if "\u20e3" in text:
            text = _KEYCAP("", text)
        # Apostrophe look-alikes first: NFKC would make the acute accent a space and a mark.
        norm = unicodedata.normalize("NFKC", _APOSTROPHE_LIKE("'", text)).casefold()
        norm = _DIACRITICS("", unicodedata.normalize("NFD", norm))
        norm = _PLAIN_SYMBOLS(" ", norm)
        if norm.isascii():
            norm = norm.translate(_ASCII)
        else:
            # NFC puts back what NFD took apart and we keep (Hangul syllables, kana voicing).
            norm = unicodedata.normalize("NFC", norm.translate(_CHARS))
            if _HAS_UNSPACED(norm):
                norm = _SCRIPT_BOUNDARY(" ", norm)
            if "'" in norm:
                norm = _split_apostrophes(norm)
            return _without_orphan_marks(norm.split())
    if "'" in norm:
        norm = _split_apostrophes(norm)
    return norm.split()


def normalize_anchor(text: str) -> str:
    """Normalize an anchor text for matching, as the classifier does; tokens joined by a space.

    NFKC, casefold, diacritics removed, apostrophes inside words removed, any other punctuation or
    symbol a space, spaces collapsed. A run of a script written without spaces (Chinese,
    Japanese, Thai) or of Hangul is one token, set apart from neighbouring letters of other
    scripts.

    Args:
        text: an anchor text.

    Returns:
        The normalized text; empty when nothing but punctuation, symbols or emoji was there.

    >>> normalize_anchor("  Café—McDonald’s: ½ PRICE!! ")
    'cafe mcdonalds 1 2 price'
    >>> normalize_anchor("iPhone手机")
    'iphone 手机'
    >>> normalize_anchor("👍 !!")
    ''
    """
    return " ".join(_tokens(text))


def _fold(token: str) -> str:
    # The light plural folding: a token longer than 3 characters loses one final `s`.
    return token[:-1] if len(token) > 3 and token[-1] == "s" else token


def _folded(tokens: list[str]) -> list[str]:
    # `_fold` over a list, inline: this runs for every anchor.
    return [token[:-1] if len(token) > 3 and token[-1] == "s" else token for token in tokens]


def _is_unspaced(token: str) -> bool:
    # After normalization a token is all of one kind: a run of unspaced script, or none of it.
    return _HAS_UNSPACED(token[0]) is not None


_STOP_WORDS: frozenset[str] = frozenset(
    token for words in _STOP_WORDS_BY_LANGUAGE.values() for token in _tokens(words)
)


# -- naked URLs ------------------------------------------------------------------------------

# A URL with a scheme, one word: `https://t.co/abc`, `ftp://files.example.org`.
_SCHEME_URL = re.compile(r"[a-z][a-z0-9+.\-]*://[^\s/?#]+(?:[/?#]\S*)?", re.IGNORECASE)
# One word that is a host name (labels of letters, digits and inner hyphens; the top-level label
# starts with a letter), maybe a trailing dot, port and path: `WSJ.com`, `example.co.uk/shop`.
_LABEL = r"[^\W_](?:[\w-]*[^\W_])?"
_HOST_WORD = re.compile(
    rf"((?:{_LABEL}\.)+[^\W\d_](?:[\w-]*[^\W_])?)\.?(?::\d{{1,5}})?(?:[/?#]\S*)?"
)


# -- the classifier --------------------------------------------------------------------------


@attrs.frozen
class _Brand:
    name: str  # as configured
    letters: str  # normalized tokens joined without spaces, possessive `'s` dropped
    unspaced: bool  # written in a script without spaces: matched inside tokens


@attrs.frozen
class _Keyword:
    name: str  # as configured
    words: tuple[str, ...]  # content tokens, folded, in order
    checks: tuple[tuple[str, bool], ...]  # distinct content tokens, and whether unspaced
    need: int  # how many must be shared for a partial match: half, rounded up
    stop_only: bool  # the keyword is all stop words: its content tokens are all its tokens


def _as_names(values: str | Iterable[str], what: str) -> tuple[str, ...]:
    # A lone string is one name (not an iterable of one-letter names).
    names = (values,) if isinstance(values, str) else tuple(values)
    for name in names:
        if not isinstance(name, str):
            raise TypeError(f"{what} must be strings, got {type(name).__name__}: {name!r}")
    return names


def _domain_label(site: str, psl: SuffixList) -> str | None:
    """The brand a site's name gives: `example` for `example.co.uk`; None for IP addresses."""
    if site.startswith("[") or site.rsplit(".", 1)[-1].isdigit():
        return None
    suffix = psl.public_suffix(site)
    label = site[: -len(suffix) - 1] if len(site) > len(suffix) else site.split(".", 1)[0]
    if label.startswith("xn--"):
        try:
            return label.encode("ascii").decode("idna")
        except UnicodeError:
            return label
    return label


def _make_brand(name: str) -> _Brand | None:
    tokens = _tokens(name)
    if not tokens:
        return None
    letters = "".join(tokens)
    # A brand written with its possessive (`McDonald's`) matches with or without it: rule 5
    # already allows one trailing `s` after the brand's letters.
    stripped = name.rstrip()
    if len(letters) > 1 and stripped[-2:-1] in _APOSTROPHES_ALL and stripped[-1] in "sS":
        letters = letters[:-1]
    return _Brand(name=name, letters=letters, unspaced=all(map(_is_unspaced, tokens)))


def _make_keyword(name: str) -> _Keyword | None:
    tokens = _tokens(name)
    if not tokens:
        return None
    content = [token for token in tokens if token not in _STOP_WORDS]
    words = tuple(_fold(token) for token in content or tokens)
    distinct = tuple(dict.fromkeys(words))
    return _Keyword(
        name=name,
        words=words,
        checks=tuple((word, _is_unspaced(word)) for word in distinct),
        need=(len(distinct) + 1) // 2,
        stop_only=not content,
    )


def _generic_key(normalized: str) -> str:
    # Spaces between letters of scripts written without spaces carry no meaning.
    if " " in normalized and _HAS_UNSPACED(normalized):
        return _SPACE_IN_UNSPACED("", normalized)
    return normalized


def _brand_run(tokens: list[str], letters: str) -> tuple[int, int] | None:
    """The first run of whole tokens spelling `letters` (plus maybe a possessive `s`)."""
    with_s = letters + "s"
    count = len(tokens)
    for start in range(count):
        run = tokens[start]
        end = start + 1
        while True:
            if run in (letters, with_s):
                return start, end
            if end == count or len(run) >= len(letters) or not letters.startswith(run):
                break
            run += tokens[end]
            end += 1
    return None


def _rebuild(  # noqa: PLR0917 - pickle passes the settings positionally
    domain: str,
    brands: tuple[str, ...],
    keywords: tuple[str, ...],
    generic_phrases: frozenset[str] | None,
    brand_from_domain: bool,
    suffix_list: SuffixList | None,
    cache_size: int,
) -> AnchorClassifier:
    # Unpickling: the classifier is rebuilt from its settings (its tables are not pickled).
    return AnchorClassifier(
        domain,
        brands=brands,
        keywords=keywords,
        generic_phrases=generic_phrases,
        brand_from_domain=brand_from_domain,
        suffix_list=suffix_list,
        cache_size=cache_size,
    )


class AnchorClassifier:
    """Sorts anchor texts into categories for one target site, by the rules of docs/anchors.md.

    Everything the rules need is prepared here, once; `classify` then costs a dictionary look-up
    for an anchor seen before. A classifier can be shared by threads and pickled (it is rebuilt
    from its settings; its cache stays behind). Two classifiers with the same settings are equal.

    Args:
        domain: the target site, a host or URL; its registrable domain is used
            (`shop.example.co.uk` -> `example.co.uk`).
        brands: brand names, in addition to the domain's label (`example`); several brands may
            match an anchor: the longest is reported. A single string is one brand.
        keywords: the money keywords, maybe none; tried in the order given, the first that
            matches is reported. A single string is one keyword.
        generic_phrases: the generic phrases to use instead of the built-in table
            (`GENERIC_PHRASES`); extend the table with `GENERIC_PHRASES | {"my phrase"}`.
        brand_from_domain: count the domain's label as a brand (the default); False to use
            only `brands`.
        suffix_list: the public suffix list for the domain and for naked URLs; the bundled one
            by default.
        cache_size: how many results to remember, by raw anchor text; the cache is emptied when
            full (0: no cache).

    Raises:
        InvalidURLError: `domain` is neither a host name nor a URL with a host.
        TypeError: a brand, keyword or phrase is not a string.
        ValueError: `cache_size` is negative.

    Brands, keywords and phrases that normalize to nothing (`""`, `"!!"`) are ignored.

    >>> classifier = AnchorClassifier(
    ...     "https://shop.example.co.uk/", brands=["Example Shop"], keywords=["running shoes"]
    ... )
    >>> classifier.brands
    ('example', 'Example Shop')
    >>> classifier.classify("Running Shoes!").category
    <AnchorCategory.EXACT_MATCH: 'exact_match'>
    """

    __slots__ = (
        "_brand_from_domain",
        "_brands",
        "_cache",
        "_cache_size",
        "_exact",
        "_exact_all",
        "_generic",
        "_generic_arg",
        "_keywords",
        "_needs",
        "_psl",
        "_results",
        "_suffix_list_arg",
        "_unspaced_words",
        "_user_brands",
        "_word_index",
        "brands",
        "domain",
        "generic_phrases",
        "keywords",
    )

    domain: str
    """The target's registrable domain."""
    brands: tuple[str, ...]
    """The brands in use, as given; the domain's label first (unless off, or given spelled)."""
    keywords: tuple[str, ...]
    """The keywords in use, as given."""
    generic_phrases: frozenset[str]
    """The generic phrases in use, normalized."""

    def __init__(
        self,
        domain: str,
        *,
        brands: str | Iterable[str] = (),
        keywords: str | Iterable[str] = (),
        generic_phrases: Iterable[str] | None = None,
        brand_from_domain: bool = True,
        suffix_list: SuffixList | None = None,
        cache_size: int = _DEFAULT_CACHE_SIZE,
    ) -> None:
        if cache_size < 0:
            raise ValueError(f"cache_size must be 0 or more, not {cache_size}")
        psl = suffix_list or SuffixList.bundled()
        self._psl = psl
        # Only a list of the user's own is pickled with the classifier (the bundled one is big).
        self._suffix_list_arg = None if psl is SuffixList.bundled() else psl
        self.domain = registrable_domain(domain, suffix_list=psl)
        self._brand_from_domain = brand_from_domain
        self._user_brands = _as_names(brands, "brands")
        self._cache_size = cache_size

        brand_entries: dict[str, _Brand] = {}
        for name in self._user_brands:
            brand = _make_brand(name)
            if brand is not None:
                brand_entries.setdefault(brand.letters, brand)
        label = _domain_label(self.domain, psl) if brand_from_domain else None
        domain_brand = _make_brand(label) if label else None
        # The domain's label comes first, unless a brand given spells it (then that one names it).
        if domain_brand is not None and domain_brand.letters not in brand_entries:
            brand_entries = {domain_brand.letters: domain_brand, **brand_entries}
        self.brands = tuple(brand.name for brand in brand_entries.values())
        # Longest first: `Example Shop` is reported rather than `Example` when both match.
        self._brands = sorted(brand_entries.values(), key=lambda b: -len(b.letters))

        keyword_entries = [
            keyword
            for keyword in map(_make_keyword, _as_names(keywords, "keywords"))
            if keyword is not None
        ]
        self.keywords = tuple(keyword.name for keyword in keyword_entries)
        self._keywords = tuple(keyword_entries)
        self._exact: dict[tuple[str, ...], str] = {}
        self._exact_all: dict[tuple[str, ...], str] = {}
        for keyword in keyword_entries:
            table = self._exact_all if keyword.stop_only else self._exact
            table.setdefault(keyword.words, keyword.name)
        # Rule 7's index: each spaced word, the keywords (by position) that have it; words in
        # scripts without spaces are matched inside tokens, one by one.
        word_index: dict[str, list[int]] = {}
        unspaced_words: list[tuple[int, str]] = []
        for position, keyword in enumerate(keyword_entries):
            for word, unspaced in keyword.checks:
                if unspaced:
                    unspaced_words.append((position, word))
                else:
                    word_index.setdefault(word, []).append(position)
        self._word_index = {word: tuple(positions) for word, positions in word_index.items()}
        self._unspaced_words = tuple(unspaced_words)
        self._needs = tuple(keyword.need for keyword in keyword_entries)

        phrases = (
            GENERIC_PHRASES
            if generic_phrases is None
            else _as_names(generic_phrases, "generic phrases")
        )
        self._generic_arg = None if generic_phrases is None else frozenset(phrases)
        self.generic_phrases = frozenset(
            key for key in (_generic_key(normalize_anchor(p)) for p in phrases) if key
        )
        self._generic = self.generic_phrases
        self._results: dict[tuple[AnchorRule, str | None, str | None], AnchorClass] = {}
        self._cache: dict[str, AnchorClass] = {}

    # -- public --------------------------------------------------------------------------------

    def classify(self, anchor: str | Link) -> AnchorClass:
        """The category of one anchor text, with the rule that decided and what matched.

        Args:
            anchor: an anchor text, or a `Link` (its `anchor`: the text, or the alt texts of an
                image link).

        Returns:
            The anchor's class; the same (cached) value for a text seen before.

        Raises:
            TypeError: `anchor` is None (an unknown anchor, as in Search Console exports, is not
                an empty one: skip or count it apart) or neither a string nor a `Link`.

        >>> classifier = AnchorClassifier("venturebeat.com", keywords=["tech news"])
        >>> classifier.classify("Venture Beat").category
        <AnchorCategory.BRANDED: 'branded'>
        >>> classifier.classify("the latest tech news").rule
        <AnchorRule.KEYWORD_PARTIAL: 'keyword_partial'>
        """
        if type(anchor) is str:
            cached = self._cache.get(anchor)
            if cached is not None:
                return cached
        return self._classify_new(anchor)

    def classify_many(self, anchors: Iterable[str | Link]) -> list[AnchorClass]:
        """The classes of many anchors, in order (faster than calling `classify` for each).

        Args:
            anchors: anchor texts or `Link` values.

        Returns:
            One class per anchor, in the same order.

        Raises:
            TypeError: an anchor is None or neither a string nor a `Link`.

        >>> classifier = AnchorClassifier("example.com")
        >>> [c.category.value for c in classifier.classify_many(["Example", "here", "", "x"])]
        ['branded', 'generic', 'empty', 'other']
        """
        get = self._cache.get
        new = self._classify_new
        # Strings are looked up first; anything else (Link, a bad value) goes the long way.
        return [(get(a) or new(a)) if type(a) is str else new(a) for a in anchors]

    # -- equality, pickling ----------------------------------------------------------------------

    def _settings(self) -> tuple[object, ...]:
        return (
            self.domain,
            self.brands,
            self.keywords,
            self.generic_phrases,
            self._psl.version if self._suffix_list_arg is not None else None,
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, AnchorClassifier):
            return NotImplemented
        return self._settings() == other._settings()

    def __hash__(self) -> int:
        return hash(self._settings())

    def __repr__(self) -> str:
        return (
            f"AnchorClassifier({self.domain!r}, brands={self.brands!r}, keywords={self.keywords!r})"
        )

    def __reduce__(self) -> tuple[Any, ...]:
        return (
            _rebuild,
            (
                self.domain,
                self._user_brands,
                self.keywords,
                self._generic_arg,
                self._brand_from_domain,
                self._suffix_list_arg,
                self._cache_size,
            ),
        )

    # -- the rules -------------------------------------------------------------------------------

    def _classify_new(self, anchor: object) -> AnchorClass:
        if isinstance(anchor, str):
            text = anchor
        elif isinstance(anchor, Link):
            text = anchor.anchor
            cached = self._cache.get(text)
            if cached is not None:
                return cached
        elif anchor is None:
            raise TypeError(
                "anchor is None (unknown): classify only known anchor texts; an unknown anchor "
                "is not an empty one"
            )
        else:
            raise TypeError(f"anchor must be a str or a Link, not {type(anchor).__name__}")
        result = self._decide(text)
        if self._cache_size and len(text) <= _MAX_CACHED_LENGTH:
            cache = self._cache
            if len(cache) >= self._cache_size:
                cache.clear()
            cache[text] = result
        return result

    def _result(
        self, rule: AnchorRule, brand: str | None = None, keyword: str | None = None
    ) -> AnchorClass:
        # Results are few (rules x brands x keywords): one value each, shared by every anchor.
        key = (rule, brand, keyword)
        result = self._results.get(key)
        if result is None:
            result = AnchorClass(category=rule.category, rule=rule, brand=brand, keyword=keyword)
            self._results[key] = result
        return result

    def _decide(self, text: str) -> AnchorClass:
        tokens = _tokens(text)
        if not tokens:
            return self._result(AnchorRule.NO_TOKENS)
        url_rule = self._url_rule(text)
        if url_rule is not None:
            return self._result(url_rule)
        has_keywords = bool(self._keywords)
        found = self._find_brand(tokens) if self._brands else None
        if found is not None:
            brand, rest = found
            if rest and has_keywords:
                folded = _folded(rest)
                keyword = self._exact_keyword(rest, folded)
                if keyword is not None:
                    return self._result(AnchorRule.BRAND_AND_KEYWORD_EXACT, brand, keyword)
                keyword = self._partial_keyword(rest, folded)
                if keyword is not None:
                    return self._result(AnchorRule.BRAND_AND_KEYWORD_PARTIAL, brand, keyword)
            return self._result(AnchorRule.BRAND, brand)
        folded = _folded(tokens) if has_keywords else tokens
        if has_keywords:
            keyword = self._exact_keyword(tokens, folded)
            if keyword is not None:
                return self._result(AnchorRule.KEYWORD_EXACT, keyword=keyword)
        if _generic_key(" ".join(tokens)) in self._generic:
            return self._result(AnchorRule.GENERIC_PHRASE)
        if has_keywords:
            keyword = self._partial_keyword(tokens, folded)
            if keyword is not None:
                return self._result(AnchorRule.KEYWORD_PARTIAL, keyword=keyword)
        return self._result(AnchorRule.NO_MATCH)

    def _url_rule(self, text: str) -> AnchorRule | None:
        """Rule 2: the stripped text is a URL, starts with `www.`, or is one host-name word."""
        if text.isascii():
            # Most anchors: no dot and no colon cannot be a URL.
            if "." not in text and ":" not in text:
                return None
            word = text.strip()
        else:
            word = unicodedata.normalize("NFKC", text).strip()
            if "." not in word and "://" not in word:
                return None
        if word[:4].lower() == "www." and word[4:5].isalnum():
            return AnchorRule.WWW_PREFIX
        if "://" in word:
            return AnchorRule.URL_WITH_SCHEME if _SCHEME_URL.fullmatch(word) else None
        match = _HOST_WORD.fullmatch(word)
        if match is None:
            return None
        try:
            host = normalize_host(match.group(1))
        except InvalidURLError:
            return None
        return AnchorRule.HOST_NAME if self._psl.known_suffix(host) is not None else None

    def _find_brand(self, tokens: list[str]) -> tuple[str, list[str]] | None:
        """Rule 5's test: the first brand found, and the tokens left when it is taken out."""
        joined = "".join(tokens)
        for brand in self._brands:
            letters = brand.letters
            if letters not in joined:
                continue
            if brand.unspaced:
                for index, token in enumerate(tokens):
                    if letters in token:
                        before, _, after = token.partition(letters)
                        rest = [part for part in (before, after) if part]
                        return brand.name, tokens[:index] + rest + tokens[index + 1 :]
            span = _brand_run(tokens, letters)
            if span is not None:
                return brand.name, tokens[: span[0]] + tokens[span[1] :]
        return None

    def _exact_keyword(self, tokens: list[str], folded: list[str]) -> str | None:
        """Rule 3's test: the content tokens, folded, are one keyword's, in order."""
        stop = _STOP_WORDS
        content = tuple(
            [word for token, word in zip(tokens, folded, strict=True) if token not in stop]
        )
        keyword = self._exact.get(content)
        if keyword is None and self._exact_all:
            keyword = self._exact_all.get(tuple(folded))
        return keyword

    def _partial_keyword(self, tokens: list[str], folded: list[str]) -> str | None:
        """Rule 7's test: the first keyword sharing at least half (rounded up) of its words."""
        hits: list[int] | None = None
        index = self._word_index
        for word in set(folded):
            positions = index.get(word)
            if positions is not None:
                if hits is None:
                    hits = [0] * len(self._needs)
                for position in positions:
                    hits[position] += 1
        if self._unspaced_words:
            text = " ".join(tokens)
            if not text.isascii():
                for position, word in self._unspaced_words:
                    if word in text:
                        if hits is None:
                            hits = [0] * len(self._needs)
                        hits[position] += 1
        if hits is None:
            return None
        for position, (count, need) in enumerate(zip(hits, self._needs, strict=True)):
            if count >= need:
                return self._keywords[position].name
        return None
