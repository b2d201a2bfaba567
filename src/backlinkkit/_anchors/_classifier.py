"""Anchor-text categories: `AnchorClassifier` sorts a target's backlink anchors, rule by rule.

The rules are those of ../shared/reference/anchor-categories.md, documented with examples in
docs/anchors.md: a normalization (invisible characters removed, NFKC, casefold, diacritics,
apostrophes, punctuation), light plural folding and stop words for keywords, then eight rules
tried in order (EMPTY, NAKED_URL, EXACT_MATCH, COMPOUND, BRANDED, GENERIC, PARTIAL_MATCH, OTHER);
the first that holds decides.

Classification is a hot path (a profile classifies every backlink), so everything the rules need
is prepared once in `AnchorClassifier.__init__`, ASCII anchors take a fast path, and results are
cached by the raw anchor string. Anchors are written by strangers, so no step costs more than
linear time in the anchor: runs of combining marks are bounded before Unicode normalization, and
brands and keywords are found through indexes, not tried one by one.
"""

# ruff: noqa: RUF001, RUF002 - stop words and examples hold other alphabets' letters on purpose
from __future__ import annotations

import enum
import functools
import re
import sys
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from .._errors import ArgumentTypeError, InvalidURLError, SettingsError
from .._web._links import Link
from .._web._urls import SuffixList, normalize_host, registrable_domain
from ._chars import (
    DEFAULT_IGNORABLE,
    DOT_AND_COLON_FORMS,
    LEADING_NON_STARTERS,
    LONG_EXPANSIONS,
    MAX_NON_STARTERS,
)
from ._generic_phrases import GENERIC_PHRASES

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
# The version of the plain data an AnchorClassifier pickles to (its settings).
_STATE_VERSION = 1


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


def _rule_gives_category(instance: AnchorClass, _: attrs.Attribute[Any], rule: object) -> None:
    category = instance.category
    if not isinstance(category, AnchorCategory):
        raise ArgumentTypeError(
            f"AnchorClass category must be an AnchorCategory, not {type(category).__name__}"
        )
    if not isinstance(rule, AnchorRule):
        raise ArgumentTypeError(
            f"AnchorClass rule must be an AnchorRule, not {type(rule).__name__}"
        )
    if _RULE_CATEGORY[rule] is not category:
        raise SettingsError(
            f"AnchorClass rule {rule.value} gives {rule.category.value}, not {category.value}"
        )


def _name_or_none(_: AnchorClass, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None and not isinstance(value, str):
        raise ArgumentTypeError(
            f"AnchorClass {attribute.name} must be a str or None, not {type(value).__name__}"
        )


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
    brand: str | None = attrs.field(default=None, validator=_name_or_none)
    keyword: str | None = attrs.field(default=None, validator=_name_or_none)

    @property
    def matched(self) -> str | None:
        """The keyword that matched, else the brand, else None (a COMPOUND names its keyword).

        >>> AnchorClassifier("example.com").classify("Example's blog").matched
        'example'
        """
        return self.keyword if self.keyword is not None else self.brand


# -- normalization ---------------------------------------------------------------------------


def _char_class(ranges: tuple[tuple[int, int], ...]) -> str:
    # The inside of a regular expression's [...] for code point ranges (none of them ASCII).
    return "".join(f"{chr(low)}-{chr(high)}" for low, high in ranges)


# Invisible characters vanish before anything else (soft hyphen, zero-width space, joiner and
# non-joiner, word joiner, bidi marks, variation selectors: Unicode's Default_Ignorable_Code_Point),
# so `Bür\u00adger` reads `Bürger` and `Click\u200bhere` reads `Clickhere`, as a reader sees them.
_IGNORABLE = re.compile(f"[{_char_class(DEFAULT_IGNORABLE)}]+")
# Unicode normalization sorts a run of non-starters (combining marks) by insertion: time quadratic
# in the run's length. Runs longer than UAX #15's Stream-Safe bound (30) keep their first 30.
# Two expressions: one of the marks below U+10000 (which `re` tests with a bitmap) for text that
# has no character beyond, and one of all marks (tested range by range: slower) for the rest.
_BMP_MARKS = _char_class(tuple(r for r in LEADING_NON_STARTERS if r[1] <= 0xFFFF))
_ALL_MARKS = _char_class(LEADING_NON_STARTERS)
_LONG_BMP_MARK_RUN = re.compile(f"([{_BMP_MARKS}]{{{MAX_NON_STARTERS}}})[{_BMP_MARKS}]+")
_LONG_MARK_RUN = re.compile(f"([{_ALL_MARKS}]{{{MAX_NON_STARTERS}}})[{_ALL_MARKS}]+")
_BEYOND_BMP = re.compile("[\U00010000-\U0010ffff]").search
# NFKC makes at most 2 characters of a byte, but for two ligatures that are whole formulas: they
# become spaces first, so that an anchor's normalized text stays proportional to its size.
_LONG_EXPANSION = re.compile(f"[{_char_class(LONG_EXPANSIONS)}]")
# Most anchors hold neither: one search tells, cheaper than two.
_IGNORABLE_OR_LONG_EXPANSION = re.compile(
    f"[{_char_class(DEFAULT_IGNORABLE)}{_char_class(LONG_EXPANSIONS)}]"
)


def _prepared(text: str) -> str:
    """`text` as the rules read it: invisible characters gone, its work bounded for NFKC.

    Runs of combining marks longer than 30 are cut to 30, and the two ligatures NFKC would make
    18 and 8 characters of are spaces: normalization then costs time linear in the text's length.
    """
    if text.isascii():
        return text
    # Each pass searches first: most anchors need none, and a search costs less than a sub.
    if _IGNORABLE_OR_LONG_EXPANSION.search(text):
        text = _LONG_EXPANSION.sub(" ", _IGNORABLE.sub("", text))
    if len(text) > MAX_NON_STARTERS:
        long_run = _LONG_MARK_RUN if _BEYOND_BMP(text) else _LONG_BMP_MARK_RUN
        if long_run.search(text):
            text = long_run.sub(_first_group, text)
    return text


def _first_group(match: re.Match[str]) -> str:
    return match[1]


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

# Scripts written without spaces between words (Han, kana, Thai, Lao, Khmer, Myanmar) and Hangul,
# whose words carry attached particles: a run of these letters is one token, and a brand's or
# keyword's word in them matches any part of such a run (there are no word boundaries to respect).
_UNSPACED = (
    "\u0e00-\u0eff\u1000-\u109f\u1100-\u11ff\u1780-\u17ff\u3005-\u3007\u3040-\u30ff"
    "\u3130-\u318f\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
    "\U00020000-\U0003134f"
)
_HAS_UNSPACED = re.compile(f"[{_UNSPACED}]").search
_UNSPACED_RUNS = re.compile(f"[{_UNSPACED}]+").findall
_SCRIPT_BOUNDARY = re.compile(
    f"(?<=[{_UNSPACED}])(?=[^{_UNSPACED}\\s])|(?<=[^{_UNSPACED}\\s])(?=[{_UNSPACED}])"
).sub
_SPACE_IN_UNSPACED = re.compile(f"(?<=[{_UNSPACED}]) (?=[{_UNSPACED}])").sub
_DIACRITICS = re.compile(f"[{_char_class(_DIACRITIC_RANGES)}]").sub
# Blocks that hold punctuation and symbols only (once NFKC has run), made spaces in one pass so
# that most European text is plain ASCII after it and takes the ASCII table: Latin-1 signs,
# General Punctuation, currency, arrows to dingbats (less enclosed and dingbat digits), CJK
# `、。〃` and brackets, emoji and pictographs (less enclosed digits).
_PLAIN_SYMBOLS = re.compile(
    "[\u00a0-\u00bf\u00d7\u00f7\u2000-\u206f\u20a0-\u20cf\u2190-\u245f\u2500-\u2775\u2794-\u27bf"
    "\u2b00-\u2bff\u3000-\u3003\u3008-\u3011\U0001f000-\U0001f0ff"
    "\U0001f110-\U0001faff]+"
).sub
# Keycap emoji (`1️⃣`): a digit, `#` or `*`, and U+20E3 (the variation selector between is gone).
_KEYCAP = re.compile("[0-9#*]\u20e3").sub
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
        else:
            value = code if unicodedata.category(chr(code))[0] in "LNM" else " "
        # Bounded: adversarial text cannot grow it past the limit (lookups still work after).
        if len(self) < _CHAR_TABLE_LIMIT:
            self[code] = value
        return value


_CHARS = _CharTable({c: c if chr(c).isalnum() else " " for c in range(128)} | {ord("'"): "'"})


# A combining mark whose base was a symbol (now a space) belongs to no word. After `_CHARS`, the
# characters that are neither word characters nor spaces are the marks (`'` is gone by then).
_ORPHAN_MARKS = re.compile(r"(?<!\S)[^\w\s]+").sub


def _tokens(text: str) -> list[str]:
    """The normalized tokens of `text` (normalization steps 0 to 3)."""
    return _tokens_of_prepared(_prepared(text))


# CJK ideographs (the Unified Ideographs block and Extension A, all assigned since Unicode 13)
# are their own normalization: no decomposition, no case, no composition with a neighbour, and
# letters of a script written without spaces. A text of them only is one token as it stands:
# the path of most Chinese anchors, as short as they are many (TestIdeographs checks each one).
_IDEOGRAPHS_ONLY = re.compile("[\u3400-\u4dbf\u4e00-\u9fff]+").fullmatch


def _tokens_of_prepared(text: str) -> list[str]:
    """The normalized tokens of a text made `_prepared` (normalization steps 1 to 3)."""
    if text.isascii():
        norm = text.lower().translate(_ASCII)
    elif _IDEOGRAPHS_ONLY(text) is not None:
        return [text]
    else:
        return _non_ascii_tokens(text)
    if "'" in norm:
        norm = _split_apostrophes(norm)
    return norm.split()


def _non_ascii_tokens(text: str) -> list[str]:
    """`_tokens_of_prepared` of a text that is not ASCII, every step taken."""
    if "\u20e3" in text:
        text = _KEYCAP("", text)
    # Apostrophe look-alikes first: NFKC would make the acute accent a space and a mark.
    norm = unicodedata.normalize("NFKC", _APOSTROPHE_LIKE("'", text)).casefold()
    norm = _DIACRITICS("", unicodedata.normalize("NFD", norm))
    norm = _PLAIN_SYMBOLS(" ", norm)
    if norm.isascii():
        norm = norm.translate(_ASCII)
        if "'" in norm:
            norm = _split_apostrophes(norm)
        return norm.split()
    # NFC puts back what NFD took apart and we keep (Hangul syllables, kana voicing).
    norm = unicodedata.normalize("NFC", norm.translate(_CHARS))
    if _HAS_UNSPACED(norm):
        norm = _SCRIPT_BOUNDARY(" ", norm)
    if "'" in norm:
        norm = _split_apostrophes(norm)
    return _ORPHAN_MARKS("", norm).split()


def normalize_anchor(text: str) -> str:
    """Normalize an anchor text for matching, as the classifier does; tokens joined by a space.

    Invisible characters removed (soft hyphens, zero-width joiners and spaces, bidi marks,
    variation selectors), runs of more than 30 combining marks cut to 30, then NFKC, casefold,
    diacritics removed, apostrophes inside words removed, any other punctuation or symbol a
    space, spaces collapsed. A run of a script written without spaces (Chinese, Japanese, Thai)
    or of Hangul is one token, set apart from neighbouring letters of other scripts.

    Args:
        text: an anchor text.

    Returns:
        The normalized text; empty when nothing but punctuation, symbols or emoji was there.

    Raises:
        ArgumentTypeError: `text` is not a string; also a `TypeError`.

    >>> normalize_anchor("  Café—McDonald’s: ½ PRICE!! ")
    'cafe mcdonalds 1 2 price'
    >>> normalize_anchor("Bür\u00adger\u00adser\u00advice")
    'burgerservice'
    >>> normalize_anchor("iPhone手机")
    'iphone 手机'
    >>> normalize_anchor("👍 !!")
    ''
    """
    if not isinstance(text, str):
        raise ArgumentTypeError(f"text must be a str, not {type(text).__name__}")
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

_HAS_DOT_OR_COLON = re.compile(f"[.:{_char_class(DOT_AND_COLON_FORMS)}]").search
# RFC 1035: a host name (dots included) has at most 253 characters; longer words are no hosts.
_MAX_HOST_LENGTH = 253
_HOST_END = re.compile(r"[:/?#]").search

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


# Up to this many brands, or keyword words written without spaces, looking for each in the text
# is cheaper than walking the text through an index of them all.
_FEW = 8


@attrs.frozen(eq=False)  # holds a dict: compared by identity, never hashed
class _KeywordWord:
    """A keyword word, for rule 7: how to find the first keyword an anchor with it shares enough of.

    Keywords needing one shared word: the first that has this word. Needing two: by the other
    word they share (`partners`). Needing three or more: counted over these positions.
    """

    first_single: int  # the first keyword that has it and needs one word (len(keywords): none)
    partners: dict[str, int]  # for keywords needing two: another word of theirs -> the first
    positions: tuple[int, ...]  # the keywords needing three or more that have it, ascending
    position_set: frozenset[int]  # the same, to ask about one


def _keyword_words(keywords: list[_Keyword]) -> dict[str, _KeywordWord]:
    """Rule 7's index of every keyword word (see `_KeywordWord`)."""
    nothing = len(keywords)
    first_single: dict[str, int] = {}
    partners: dict[str, dict[str, int]] = {}
    counted: dict[str, list[int]] = {}
    for position, keyword in enumerate(keywords):
        words = [word for word, _ in keyword.checks]
        for word in words:
            partners.setdefault(word, {})
            counted.setdefault(word, [])
            if keyword.need == 1:
                first_single.setdefault(word, position)
            elif keyword.need == 2:
                for other in words:
                    if other != word:
                        partners[word].setdefault(other, position)
            else:
                counted[word].append(position)
    return {
        word: _KeywordWord(
            first_single=first_single.get(word, nothing),
            partners=partners[word],
            positions=tuple(counted[word]),
            position_set=frozenset(counted[word]) if counted[word] else _NO_POSITIONS,
        )
        for word in partners
    }


_NO_POSITIONS: frozenset[int] = frozenset()


class _WordsInside:
    """Which of some words, written in scripts without spaces, occur inside a text.

    A few words are looked for one by one; many through the text's pieces of their lengths, in
    its runs of such scripts, so the cost is the runs' length times the number of distinct word
    lengths, whatever the number of words.
    """

    __slots__ = ("_lengths", "_words")

    def __init__(self, words: Iterable[str]) -> None:
        self._words = frozenset(words)
        self._lengths = sorted({len(word) for word in self._words})

    def __bool__(self) -> bool:
        return bool(self._words)

    def found_in(self, text: str) -> set[str]:
        words = self._words
        if len(words) <= _FEW:
            return {word for word in words if word in text}
        found: set[str] = set()
        for run in _UNSPACED_RUNS(text):
            for length in self._lengths:
                if length > len(run):
                    break
                found |= words.intersection(
                    [run[i : i + length] for i in range(len(run) - length + 1)]
                )
        return found


class _BrandFinder:
    """Rule 5's test: the brand an anchor names, and the tokens left once it is taken out.

    The longest brand found is reported (of equal lengths, the first given), at its first place.
    A brand matches a run of whole tokens spelling its letters (the run's end may carry one
    possessive `s`); one written without spaces also matches inside a token, which comes first.
    A few brands are looked for one by one. With many, runs are walked from each token only while
    they spell the start of some brand, so their number does not multiply the cost.
    """

    __slots__ = (
        "_few",
        "_inside",
        "_letters",
        "_names",
        "_prefixes",
        "_ranks",
        "_starts",
        "_unspaced",
    )

    def __init__(self, brands: Iterable[_Brand]) -> None:
        # Longest first (stable: the order given breaks ties), so a lower rank is a better brand.
        ordered = sorted(brands, key=lambda brand: -len(brand.letters))
        self._names = tuple(brand.name for brand in ordered)
        self._letters = tuple(brand.letters for brand in ordered)
        self._unspaced = tuple(brand.unspaced for brand in ordered)
        self._ranks = {brand.letters: rank for rank, brand in enumerate(ordered)}
        many = len(ordered) > _FEW
        self._few = not many
        self._prefixes = frozenset(
            brand.letters[:end]
            for brand in (ordered if many else ())
            for end in range(1, len(brand.letters))
        )
        # The tokens a run can start with: a brand's letters, with an `s`, or a start of them.
        self._starts = (
            self._prefixes | self._ranks.keys() | {f"{letters}s" for letters in self._ranks}
            if many
            else frozenset()
        )
        self._inside = _WordsInside(brand.letters for brand in ordered if brand.unspaced)

    def find(self, tokens: list[str]) -> tuple[str, list[str]] | None:
        if self._few:
            joined = "".join(tokens)
            for letters in self._letters:
                if letters in joined:  # a cheap test first: no more than that for most anchors
                    found = self._taken_out(self._ranks[letters], tokens)
                    if found is not None:
                        return found
            return None
        best = self._best_run(tokens)
        if self._inside:
            text = " ".join(tokens)
            if not text.isascii():
                ranks = self._ranks
                best = min([best, *(ranks[letters] for letters in self._inside.found_in(text))])
        return self._taken_out(best, tokens) if best < len(self._letters) else None

    def _best_run(self, tokens: list[str]) -> int:
        """The best rank of the brands that a run of whole tokens spells (len(brands): none)."""
        ranks, prefixes, starts = self._ranks, self._prefixes, self._starts
        best = len(self._letters)
        if starts.isdisjoint(tokens):  # most anchors: no token starts a brand
            return best
        count = len(tokens)
        for start in [index for index, token in enumerate(tokens) if token in starts]:
            run = tokens[start]
            end = start + 1
            while True:
                best = min(best, ranks.get(run, best))
                if run[-1] == "s":
                    best = min(best, ranks.get(run[:-1], best))
                if end == count or run not in prefixes:
                    break
                run += tokens[end]
                end += 1
        return best

    def _taken_out(self, rank: int, tokens: list[str]) -> tuple[str, list[str]] | None:
        """The brand of `rank` and the tokens without it, at its first place; None if not there."""
        letters = self._letters[rank]
        if self._unspaced[rank]:
            for index, token in enumerate(tokens):
                if letters in token:
                    before, _, after = token.partition(letters)
                    rest = [part for part in (before, after) if part]
                    return self._names[rank], tokens[:index] + rest + tokens[index + 1 :]
        span = _brand_run(tokens, letters)
        if span is None:
            return None
        return self._names[rank], tokens[: span[0]] + tokens[span[1] :]


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


def _as_names(values: object, what: str) -> tuple[str, ...]:
    # A lone string is one name (not an iterable of one-letter names).
    if isinstance(values, str):
        return (values,)
    if values is None or isinstance(values, (bytes, bytearray)) or not isinstance(values, Iterable):
        raise ArgumentTypeError(
            f"{what} must be a string or an iterable of strings, not {type(values).__name__}"
        )
    names = tuple(values)
    for name in names:
        if not isinstance(name, str):
            raise ArgumentTypeError(
                f"{what} must be strings, got {type(name).__name__}: {name!r:.80}"
            )
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
    prepared = _prepared(name)
    tokens = _tokens_of_prepared(prepared)
    if not tokens:
        return None
    letters = "".join(tokens)
    # A brand written with its possessive (`McDonald's`) matches with or without it: rule 5
    # already allows one trailing `s` after the brand's letters.
    stripped = prepared.rstrip()
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


def _generic_keys(phrases: Iterable[str]) -> frozenset[str]:
    return frozenset(key for key in (_generic_key(normalize_anchor(p)) for p in phrases) if key)


@functools.cache
def _bundled_generic_keys() -> frozenset[str]:
    # Normalizing the ~600 bundled phrases was four fifths of making a classifier: done once.
    return _generic_keys(GENERIC_PHRASES)


def _generic_key(normalized: str) -> str:
    # Spaces between letters of scripts written without spaces carry no meaning.
    if " " in normalized and _HAS_UNSPACED(normalized):
        return _SPACE_IN_UNSPACED("", normalized)
    return normalized


def _first_paired(shared: list[str], entries: list[_KeywordWord]) -> int:
    """The first keyword needing two words that has two of `shared` (a large number: none)."""
    best = sys.maxsize
    present = set(shared)
    for entry in entries:
        partners = entry.partners
        if not partners:
            continue
        # Either side of the pair is cheaper to walk: the word's partners or the shared words.
        if len(partners) < len(shared):
            for other, position in partners.items():
                if position < best and other in present:
                    best = position
        else:
            for other in shared:
                position = partners.get(other, best)
                best = min(best, position)
    return best


def _first_counted(entries: list[_KeywordWord], needs: tuple[int, ...], best: int) -> int:
    """The first keyword needing three words or more that has enough of them, if before `best`.

    Such a keyword is in the lists of three shared words or more, so in one that is not the
    longest: those are counted (each ascends: read up to `best`), the longest only asked about
    the positions counted.
    """
    lists = sorted((entry for entry in entries if entry.positions), key=lambda e: len(e.positions))
    if len(lists) < 3:
        return best
    counts: dict[int, int] = {}
    for entry in lists[:-1]:
        for position in entry.positions:
            if position >= best:
                break
            counts[position] = counts.get(position, 0) + 1
    longest = lists[-1].position_set
    for position in sorted(counts):
        if counts[position] + (position in longest) >= needs[position]:
            return position
    return best


def _check_many(anchors: object) -> None:
    # A lone string is iterable too, but classifying its letters one by one is never meant.
    if isinstance(anchors, (str, bytes)) or not isinstance(anchors, Iterable):
        hint = " (call classify for one anchor)" if isinstance(anchors, str) else ""
        raise ArgumentTypeError(
            f"classify_many takes an iterable of anchors, not {type(anchors).__name__}{hint}"
        )


def _check_settings(
    domain: object, brand_from_domain: object, suffix_list: object, cache_size: object
) -> None:
    """Refuse settings of the wrong type or range (brands, keywords: `_as_names` checks them)."""
    if not isinstance(domain, str):
        raise ArgumentTypeError(
            f"domain must be a str (a host or URL), not {type(domain).__name__}"
        )
    if not isinstance(brand_from_domain, bool):
        raise ArgumentTypeError(
            f"brand_from_domain must be True or False, not {type(brand_from_domain).__name__}: "
            f"{brand_from_domain!r:.40}"
        )
    if suffix_list is not None and not isinstance(suffix_list, SuffixList):
        raise ArgumentTypeError(
            f"suffix_list must be a SuffixList or None, not {type(suffix_list).__name__}"
        )
    if isinstance(cache_size, bool) or not isinstance(cache_size, int):
        raise ArgumentTypeError(f"cache_size must be an int, not {type(cache_size).__name__}")
    if cache_size < 0:
        raise SettingsError(f"cache_size must be 0 or more, not {cache_size}")


class AnchorClassifier:
    """Sorts anchor texts into categories for one target site, by the rules of docs/anchors.md.

    Everything the rules need is prepared here, once; `classify` then costs a dictionary look-up
    for an anchor seen before, and a new anchor costs time linear in its length, however many
    brands and keywords there are. A classifier can be shared by threads and pickled (it is rebuilt
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
        ArgumentTypeError: an argument is not of its type (`domain` not a string, a brand, keyword
            or phrase not a string, `brand_from_domain` not a bool, `suffix_list` not a
            `SuffixList`, `cache_size` not an int); also a `TypeError`.
        SettingsError: `cache_size` is negative; also a `ValueError`.

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
        "_keyword_words",
        "_keywords",
        "_needs",
        "_psl",
        "_results",
        "_spaced_words",
        "_suffix_list_arg",
        "_unspaced_words",
        "_user_brands",
        "_word_positions",
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
        _check_settings(domain, brand_from_domain, suffix_list, cache_size)
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
        # None when there is nothing to look for: the hot path asks `is None`, no `__bool__`.
        self._brands = _BrandFinder(brand_entries.values()) if brand_entries else None

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
        # Rule 7's indexes: each word, the keywords (by position, ascending) that have it. Spaced
        # words are looked up by token; words in scripts without spaces are found inside tokens.
        word_index: dict[str, list[int]] = {}
        unspaced_index: dict[str, list[int]] = {}
        for position, keyword in enumerate(keyword_entries):
            for word, unspaced in keyword.checks:
                index = unspaced_index if unspaced else word_index
                index.setdefault(word, []).append(position)
        self._spaced_words = frozenset(word_index)
        self._unspaced_words = _WordsInside(unspaced_index) if unspaced_index else None
        # With few keywords, counting each one's shared words is the cheapest (and bounded).
        self._word_positions = (
            {word: tuple(positions) for word, positions in (word_index | unspaced_index).items()}
            if len(keyword_entries) <= _FEW
            else None
        )
        self._keyword_words = _keyword_words(keyword_entries)
        self._needs = tuple(keyword.need for keyword in keyword_entries)

        phrases = (
            GENERIC_PHRASES
            if generic_phrases is None
            else _as_names(generic_phrases, "generic phrases")
        )
        self._generic_arg = None if generic_phrases is None else frozenset(phrases)
        self.generic_phrases = (
            _bundled_generic_keys() if generic_phrases is None else _generic_keys(phrases)
        )
        self._generic = self.generic_phrases
        self._results: dict[tuple[str, str | None, str | None], AnchorClass] = {}
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
            ArgumentTypeError: `anchor` is None (an unknown anchor, as in Search Console
                exports, is not an empty one: skip or count it apart) or neither a string nor a
                `Link`; also a `TypeError`.

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
            ArgumentTypeError: `anchors` is a single string (call `classify` for one) or not
                iterable, or an anchor is None or neither a string nor a `Link`; also a
                `TypeError`.

        >>> classifier = AnchorClassifier("example.com")
        >>> [c.category.value for c in classifier.classify_many(["Example", "here", "", "x"])]
        ['branded', 'generic', 'empty', 'other']
        """
        _check_many(anchors)
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

    # Pickles carry versioned plain data, the settings as given (the bundled suffix list is not
    # carried, a list of the user's own is), and name only `backlinkkit.AnchorClassifier`: moving
    # the code breaks no pickle. Unpickling rebuilds the tables; the cache stays behind.
    def __getstate__(self) -> dict[str, object]:
        return {
            "version": _STATE_VERSION,
            "domain": self.domain,
            "brands": list(self._user_brands),
            "keywords": list(self.keywords),
            "generic_phrases": None if self._generic_arg is None else sorted(self._generic_arg),
            "brand_from_domain": self._brand_from_domain,
            "suffix_list": self._suffix_list_arg,
            "cache_size": self._cache_size,
        }

    def __setstate__(self, state: object) -> None:
        if not isinstance(state, Mapping):
            state = {}
        version = state.get("version")
        if version != _STATE_VERSION:
            raise SettingsError(
                f"cannot load an AnchorClassifier pickled with state version {version!r} "
                f"(this version reads {_STATE_VERSION})"
            )
        AnchorClassifier.__init__(
            self,
            state["domain"],
            brands=state["brands"],
            keywords=state["keywords"],
            generic_phrases=state["generic_phrases"],
            brand_from_domain=state["brand_from_domain"],
            suffix_list=state["suffix_list"],
            cache_size=state["cache_size"],
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
            raise ArgumentTypeError(
                "anchor is None (unknown): classify only known anchor texts; an unknown anchor "
                "is not an empty one"
            )
        else:
            raise ArgumentTypeError(f"anchor must be a str or a Link, not {type(anchor).__name__}")
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
        # Keyed by the rule's value: an enum member hashes by a Python call, a str by its cache.
        key = (rule._value_, brand, keyword)
        result = self._results.get(key)
        if result is None:
            result = AnchorClass(category=rule.category, rule=rule, brand=brand, keyword=keyword)
            self._results[key] = result
        return result

    def _decide(self, text: str) -> AnchorClass:
        text = _prepared(text)
        tokens = _tokens_of_prepared(text)
        if not tokens:
            return self._result(AnchorRule.NO_TOKENS)
        url_rule = self._url_rule(text)
        if url_rule is not None:
            return self._result(url_rule)
        has_keywords = bool(self._keywords)
        found = self._brands.find(tokens) if self._brands is not None else None
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
        """Rule 2: the stripped text is a URL, starts with `www.`, or is one host-name word.

        `text` has been made `_prepared`: its runs of combining marks are bounded for NFKC.
        """
        if text.isascii():
            # Most anchors: no dot and no colon cannot be a URL.
            if "." not in text and ":" not in text:
                return None
            word = text.strip()
        else:
            if _HAS_DOT_OR_COLON(text) is None:  # nor will NFKC make one
                return None
            word = unicodedata.normalize("NFKC", text).strip()
            if "." not in word and "://" not in word:
                return None
        if word[:4].lower() == "www." and word[4:5].isalnum():
            return AnchorRule.WWW_PREFIX
        if "://" in word:
            return AnchorRule.URL_WITH_SCHEME if _SCHEME_URL.fullmatch(word) else None
        host_end = _HOST_END(word)
        if (len(word) if host_end is None else host_end.start()) > _MAX_HOST_LENGTH + 1:
            return None  # (one more for a trailing dot)
        match = _HOST_WORD.fullmatch(word)
        if match is None:
            return None
        try:
            host = normalize_host(match.group(1))
        except InvalidURLError:
            return None
        return AnchorRule.HOST_NAME if self._psl.known_suffix(host) is not None else None

    def _exact_keyword(self, tokens: list[str], folded: list[str]) -> str | None:
        """Rule 3's test: the content tokens, folded, are one keyword's, in order."""
        stop = _STOP_WORDS
        if stop.isdisjoint(tokens):  # most anchors: every token is a content token
            content = tuple(folded)
        else:
            content = tuple(
                [word for token, word in zip(tokens, folded, strict=True) if token not in stop]
            )
        keyword = self._exact.get(content)
        if keyword is None and self._exact_all:
            keyword = self._exact_all.get(tuple(folded))
        return keyword

    def _partial_keyword(self, tokens: list[str], folded: list[str]) -> str | None:
        """Rule 7's test: the first keyword sharing at least half (rounded up) of its words."""
        spaced = self._spaced_words
        shared = [] if spaced.isdisjoint(folded) else [w for w in set(folded) if w in spaced]
        if self._unspaced_words is not None:
            text = " ".join(tokens)
            if not text.isascii():
                shared += self._unspaced_words.found_in(text)
        if not shared:
            return None
        if self._word_positions is not None:
            return self._few_partial_keyword(shared, self._word_positions)
        # The first keyword (lowest position) whose count of shared words reaches its need. Each
        # shared word knows the first keyword needing one word; a pair of them, the first needing
        # two; keywords needing more are counted.
        needs, words = self._needs, self._keyword_words
        entries = [words[word] for word in shared]
        best = min([entry.first_single for entry in entries])
        if len(shared) > 1:
            best = min(best, _first_paired(shared, entries))
            best = min(best, _first_counted(entries, needs, best))
        return self._keywords[best].name if best < len(needs) else None

    def _few_partial_keyword(
        self, shared: list[str], word_positions: dict[str, tuple[int, ...]]
    ) -> str | None:
        """Rule 7's test with few keywords: each keyword's shared words counted, in order."""
        hits = [0] * len(self._needs)
        for word in shared:
            for position in word_positions[word]:
                hits[position] += 1
        for position, (count, need) in enumerate(zip(hits, self._needs, strict=True)):
            if count >= need:
                return self._keywords[position].name
        return None
