"""The anchor-text classifier: normalization, the eight rules in order, the generic-phrase table."""

from __future__ import annotations

import gzip
import json
import pickle
import threading
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

import backlinkkit
from backlinkkit import (
    GENERIC_PHRASES,
    GENERIC_PHRASES_BY_LANGUAGE,
    AnchorCategory,
    AnchorClass,
    AnchorClassifier,
    AnchorRule,
    ArgumentTypeError,
    BacklinkkitError,
    InvalidURLError,
    Link,
    LinkKind,
    SettingsError,
    normalize_anchor,
)
from backlinkkit._anchors._chars import (
    DEFAULT_IGNORABLE,
    DOT_AND_COLON_FORMS,
    LEADING_NON_STARTERS,
    LONG_EXPANSIONS,
    VISIBLE_FORMAT,
)
from backlinkkit._anchors._classifier import _non_ascii_tokens, _tokens_of_prepared
from conftest import CORPUS, FIXTURES

EXACT = AnchorCategory.EXACT_MATCH
PARTIAL = AnchorCategory.PARTIAL_MATCH
COMPOUND = AnchorCategory.COMPOUND
BRANDED = AnchorCategory.BRANDED
URL = AnchorCategory.NAKED_URL
GENERIC = AnchorCategory.GENERIC
EMPTY = AnchorCategory.EMPTY
OTHER = AnchorCategory.OTHER

# The targets the table below classifies for, by name.
TARGETS = {
    # brand `example` from the domain, plus `Example Shop`; keywords of one, two and four words
    "shop": AnchorClassifier(
        "https://shop.example.co.uk/",
        brands=["Example Shop"],
        keywords=["running shoes", "trail running shoes for women", "gas"],
    ),
    # brands written split, with an apostrophe, with accents
    "media": AnchorClassifier(
        "venturebeat.com",
        brands=["Venture Beat", "McDonald's", "L'Oréal", "Amazon"],
        keywords=["tech news", "cats"],
    ),
    # keywords that are, or contain words of, generic phrases
    "agency": AnchorClassifier(
        "agency.example", keywords=["website", "read more", "more information security"]
    ),
    # other languages, accents, stop words
    "eu": AnchorClassifier(
        "laufschuhe-shop.de",
        keywords=[
            "laufschuhe kaufen",
            "café crème",
            "chaussures de course",
            "zapatillas de running",
        ],
    ),
    # scripts written without spaces, and Korean
    "cjk": AnchorClassifier(
        "mi.com",
        brands=["小米", "삼성"],
        keywords=["跑步鞋", "手机", "운동화", "ランニングシューズ"],
    ),
    # no brand from the domain, no keywords
    "bare": AnchorClassifier("x.example", brand_from_domain=False),
}

# (target, anchor, category, brand or keyword matched): one line per case.
CASES = [
    # -- rule 1: EMPTY --
    ("shop", "", EMPTY, None),
    ("shop", "   ", EMPTY, None),
    ("shop", "\t\n", EMPTY, None),
    ("shop", "...", EMPTY, None),
    ("shop", "→", EMPTY, None),
    ("shop", "— | —", EMPTY, None),
    ("shop", "👍", EMPTY, None),
    ("shop", "👍🏽👍🏿", EMPTY, None),
    ("shop", "❤️", EMPTY, None),
    ("shop", "🇫🇷", EMPTY, None),
    ("shop", "👨‍👩‍👧", EMPTY, None),
    ("shop", "1️⃣", EMPTY, None),
    ("shop", "#️⃣ *️⃣", EMPTY, None),
    ("shop", "★★★★★", EMPTY, None),
    ("shop", "\u200b", EMPTY, None),
    ("shop", "«»", EMPTY, None),
    ("shop", "''", EMPTY, None),
    # -- rule 2: NAKED_URL --
    ("shop", "https://t.co/abc", URL, None),
    ("shop", "http://example.co.uk/running-shoes", URL, None),
    ("shop", "HTTPS://WWW.EXAMPLE.CO.UK/", URL, None),
    ("shop", "http://localhost:8080", URL, None),
    ("shop", "ftp://files.example.org/a.zip", URL, None),
    ("shop", "www.example.co.uk", URL, None),
    ("shop", "WWW.Running-Shoes.com", URL, None),
    ("shop", "www.wsj.com is great", URL, None),
    ("shop", "ＷＷＷ．ｅｘａｍｐｌｅ．ｃｏｍ", URL, None),
    ("shop", "example.co.uk", URL, None),
    ("shop", "Example.co.uk/shop", URL, None),
    ("shop", "WSJ.com", URL, None),
    ("shop", "pic.twitter.com/Mx9", URL, None),
    ("shop", "example.com.", URL, None),
    ("shop", "example.com:8080/path?q=1", URL, None),
    ("shop", "bücher.de", URL, None),
    ("shop", "例子.中国", URL, None),
    ("shop", "foo.blogspot.com", URL, None),
    ("shop", "  https://t.co/abc  ", URL, None),
    ("shop", "ASP.NET", URL, None),
    ("shop", "Node.js", OTHER, None),
    ("shop", "Vue.js", OTHER, None),
    ("shop", "WordPress.com VIP", OTHER, None),
    ("shop", "e.g.", OTHER, None),
    ("shop", "i.e.", OTHER, None),
    ("shop", "3.14", OTHER, None),
    ("shop", "192.168.0.1", OTHER, None),
    ("shop", "info@wsj.com", OTHER, None),
    ("shop", "https://", OTHER, None),
    ("shop", "www.", OTHER, None),
    ("shop", "index.html", OTHER, None),
    ("bare", "a.b.example", OTHER, None),
    ("shop", "example.co.uk running shoes", COMPOUND, "running shoes"),
    # -- rule 3: EXACT_MATCH --
    ("shop", "running shoes", EXACT, "running shoes"),
    ("shop", "Running Shoes!", EXACT, "running shoes"),
    ("shop", "RUNNING-SHOES", EXACT, "running shoes"),
    ("shop", "running shoe", EXACT, "running shoes"),
    ("shop", "the running shoes", EXACT, "running shoes"),
    ("shop", "Trail Running Shoes for Women", EXACT, "trail running shoes for women"),
    ("shop", "trail running shoe women", EXACT, "trail running shoes for women"),
    ("shop", "gas", EXACT, "gas"),
    ("media", "cat", EXACT, "cats"),
    ("media", "Cats", EXACT, "cats"),
    ("media", "Tech News", EXACT, "tech news"),
    ("agency", "Website", EXACT, "website"),
    ("agency", "Read more »", EXACT, "read more"),
    ("eu", "Laufschuhe kaufen", EXACT, "laufschuhe kaufen"),
    ("eu", "Café Crème", EXACT, "café crème"),
    ("eu", "CAFE CREME", EXACT, "café crème"),
    ("eu", "cafés crèmes", EXACT, "café crème"),
    ("eu", "Chaussures de course", EXACT, "chaussures de course"),
    ("eu", "chaussure course", EXACT, "chaussures de course"),
    ("eu", "Zapatillas de Running", EXACT, "zapatillas de running"),
    # French and Italian elisions are words of their own (and stop words)
    ("eu", "l'café crème", EXACT, "café crème"),
    ("eu", "d'chaussures de course", EXACT, "chaussures de course"),
    ("cjk", "跑步鞋", EXACT, "跑步鞋"),
    ("cjk", "手机", EXACT, "手机"),
    ("cjk", "ランニングシューズ", EXACT, "ランニングシューズ"),
    ("cjk", "운동화", EXACT, "운동화"),
    # word order matters for an exact match: the reversed keyword is partial
    ("shop", "shoes for running", PARTIAL, "running shoes"),
    ("shop", "shoes running", PARTIAL, "running shoes"),
    # plural folding is not for 3-letter words
    ("shop", "ga", OTHER, None),
    ("media", "tech new", EXACT, "tech news"),
    # -- rule 4: COMPOUND --
    ("shop", "Example running shoes", COMPOUND, "running shoes"),
    ("shop", "running shoes by Example", COMPOUND, "running shoes"),
    ("shop", "Example's running shoes", COMPOUND, "running shoes"),
    ("shop", "Example shoes", COMPOUND, "running shoes"),
    ("shop", "Example Shop trail running", COMPOUND, "running shoes"),
    ("shop", "EXAMPLE gas", COMPOUND, "gas"),
    ("media", "VentureBeat tech news", COMPOUND, "tech news"),
    ("media", "Venture Beat's tech coverage", COMPOUND, "tech news"),
    ("media", "McDonald's cats", COMPOUND, "cats"),
    ("media", "Amazon cat toys", COMPOUND, "cats"),
    ("cjk", "小米手机", COMPOUND, "手机"),
    ("cjk", "小米 跑步鞋", COMPOUND, "跑步鞋"),
    ("cjk", "삼성 운동화", COMPOUND, "운동화"),
    ("eu", "Laufschuhe-Shop Laufschuhe kaufen", COMPOUND, "laufschuhe kaufen"),
    # -- rule 5: BRANDED --
    ("shop", "Example", BRANDED, "example"),
    ("shop", "EXAMPLE", BRANDED, "example"),
    ("shop", "example's", BRANDED, "example"),
    ("shop", "Example’s blog", BRANDED, "example"),
    ("shop", "Example Shop", BRANDED, "Example Shop"),
    ("shop", "ExampleShop", BRANDED, "Example Shop"),
    ("shop", "example-shop", BRANDED, "Example Shop"),
    ("shop", "Example Shops", BRANDED, "Example Shop"),
    ("shop", "example co uk", BRANDED, "example"),
    ("shop", "info@example.co.uk", BRANDED, "example"),
    ("shop", "Visit Example", BRANDED, "example"),
    ("shop", "Example click here", BRANDED, "example"),
    ("media", "VentureBeat", BRANDED, "Venture Beat"),
    ("media", "Venture Beat", BRANDED, "Venture Beat"),
    ("media", "venture-beat", BRANDED, "Venture Beat"),
    ("media", "Venture Beats", BRANDED, "Venture Beat"),
    ("media", "VentureBeat's review", BRANDED, "Venture Beat"),
    ("media", "McDonald's", BRANDED, "McDonald's"),
    ("media", "McDonalds", BRANDED, "McDonald's"),
    ("media", "mcdonald", BRANDED, "McDonald's"),
    ("media", "Mc Donald’s", BRANDED, "McDonald's"),
    ("media", "McDonald´s", BRANDED, "McDonald's"),
    ("media", "L'Oréal Paris", BRANDED, "L'Oréal"),
    ("media", "L’OREAL", BRANDED, "L'Oréal"),
    ("media", "loreal", BRANDED, "L'Oréal"),
    ("media", "Amazon's", BRANDED, "Amazon"),
    ("media", "amazons", BRANDED, "Amazon"),
    ("cjk", "小米", BRANDED, "小米"),
    ("cjk", "小米官方旗舰店", BRANDED, "小米"),
    ("cjk", "小·米", BRANDED, "小米"),
    ("cjk", "我的小米", BRANDED, "小米"),
    ("cjk", "삼성전자", BRANDED, "삼성"),
    ("cjk", "mi", BRANDED, "mi"),
    # part of a token never matches
    ("media", "Amazonia", OTHER, None),
    ("media", "adventure beat", OTHER, None),
    ("media", "Bigamazon", OTHER, None),
    ("shop", "examples of running", COMPOUND, "running shoes"),  # the possessive `s` of rule 5
    ("shop", "Counterexample", OTHER, None),
    # -- rule 6: GENERIC --
    ("shop", "click here", GENERIC, None),
    ("shop", "Click Here!", GENERIC, None),
    ("shop", "READ MORE »", GENERIC, None),
    ("shop", "here", GENERIC, None),
    ("shop", "[link]", GENERIC, None),
    ("shop", "(source)", GENERIC, None),
    ("shop", "this page", GENERIC, None),
    ("shop", "website", GENERIC, None),
    ("shop", "Learn more →", GENERIC, None),
    ("shop", "hier klicken", GENERIC, None),
    ("shop", "Mehr erfahren", GENERIC, None),
    ("shop", "Cliquez ici", GENERIC, None),
    ("shop", "Lire la suite…", GENERIC, None),
    ("shop", "En savoir plus", GENERIC, None),
    ("shop", "Más información", GENERIC, None),
    ("shop", "mas informacion", GENERIC, None),
    ("shop", "Leggi di più", GENERIC, None),
    ("shop", "Saiba mais", GENERIC, None),
    ("shop", "Lees meer", GENERIC, None),
    ("shop", "Czytaj więcej", GENERIC, None),
    ("shop", "Подробнее »", GENERIC, None),
    ("shop", "читать далее", GENERIC, None),
    ("shop", "Läs mer", GENERIC, None),
    ("shop", "続きを読む", GENERIC, None),
    ("shop", "ここをクリック", GENERIC, None),
    ("shop", "点击这里", GENERIC, None),
    ("shop", "点击 这里", GENERIC, None),
    ("shop", "閱讀更多", GENERIC, None),
    ("shop", "자세히 보기", GENERIC, None),
    ("shop", "자세히보기", GENERIC, None),
    ("shop", "Læs mere", GENERIC, None),
    ("shop", "Lue lisää", GENERIC, None),
    ("shop", "Devamını oku", GENERIC, None),
    ("shop", "click here now", OTHER, None),
    # a generic phrase that contains a keyword's word stays generic
    ("agency", "more information", GENERIC, None),
    ("agency", "information", GENERIC, None),
    ("agency", "More", GENERIC, None),
    ("agency", "information security", PARTIAL, "more information security"),
    # -- rule 7: PARTIAL_MATCH --
    ("shop", "best running gear", PARTIAL, "running shoes"),
    ("shop", "shoe shop", PARTIAL, "running shoes"),
    ("shop", "women's trail shoes", PARTIAL, "running shoes"),
    ("shop", "trail guide for women", PARTIAL, "trail running shoes for women"),
    ("shop", "gas prices", PARTIAL, "gas"),
    ("media", "the latest news", PARTIAL, "tech news"),
    ("media", "cat videos", PARTIAL, "cats"),
    ("eu", "Laufschuhe im Test", PARTIAL, "laufschuhe kaufen"),
    ("eu", "le café du coin", PARTIAL, "café crème"),
    ("eu", "course à pied", PARTIAL, "chaussures de course"),
    ("cjk", "最好的跑步鞋", PARTIAL, "跑步鞋"),
    ("cjk", "iPhone手机", PARTIAL, "手机"),
    ("cjk", "운동화를 샀다", PARTIAL, "운동화"),
    # -- rule 8: OTHER --
    ("shop", "A review of the latest phone", OTHER, None),
    ("shop", "2024 annual report", OTHER, None),
    ("shop", "Dow Jones Newswires", OTHER, None),
    ("shop", "trail", OTHER, None),
    ("media", "Barron's", OTHER, None),
    ("eu", "Wetter in Berlin", OTHER, None),
    ("cjk", "自転車", OTHER, None),
    ("cjk", "ダウンロード", OTHER, None),
    ("bare", "x", OTHER, None),
    ("bare", "running shoes", OTHER, None),
]


class TestRules:
    @pytest.mark.parametrize(("target", "anchor", "category", "matched"), CASES)
    def test_category(self, target, anchor, category, matched):
        """Each anchor gets the category of the first rule that holds, and names what matched."""
        result = TARGETS[target].classify(anchor)
        assert (result.category, result.matched) == (category, matched)

    @pytest.mark.parametrize(
        ("anchor", "rule"),
        [
            ("", AnchorRule.NO_TOKENS),
            ("https://t.co/abc", AnchorRule.URL_WITH_SCHEME),
            ("www.example.com and more", AnchorRule.WWW_PREFIX),
            ("WSJ.com", AnchorRule.HOST_NAME),
            ("running shoes", AnchorRule.KEYWORD_EXACT),
            ("Example running shoes", AnchorRule.BRAND_AND_KEYWORD_EXACT),
            ("Example shoes", AnchorRule.BRAND_AND_KEYWORD_PARTIAL),
            ("Example", AnchorRule.BRAND),
            ("read more", AnchorRule.GENERIC_PHRASE),
            ("shoes", AnchorRule.KEYWORD_PARTIAL),
            ("weather", AnchorRule.NO_MATCH),
        ],
    )
    def test_rule_named(self, anchor, rule):
        """The result names the rule that decided, and the rule's category is the result's."""
        result = TARGETS["shop"].classify(anchor)
        assert result.rule is rule
        assert result.category is rule.category

    @pytest.mark.parametrize(
        ("anchor", "brand", "keyword"),
        [
            ("Example running shoes", "example", "running shoes"),
            ("Example Shop running shoes", "Example Shop", "running shoes"),
            ("Example", "example", None),
            ("running shoes", None, "running shoes"),
            ("click here", None, None),
        ],
    )
    def test_brand_and_keyword_both_named(self, anchor, brand, keyword):
        """A compound names its brand and its keyword; the longest matching brand is reported."""
        result = TARGETS["shop"].classify(anchor)
        assert (result.brand, result.keyword) == (brand, keyword)

    def test_first_keyword_in_order_wins(self):
        """Keywords are tried in the order given: the first that matches is reported."""
        classifier = AnchorClassifier("x.example", keywords=["blue shoes", "red shoes"])
        assert classifier.classify("shoes").keyword == "blue shoes"
        assert classifier.classify("red").keyword == "red shoes"

    def test_keyword_of_stop_words_only(self):
        """A keyword made only of stop words keeps them as its content tokens."""
        classifier = AnchorClassifier("x.example", keywords=["the the"])
        assert classifier.classify("The The").category is EXACT
        assert classifier.classify("the band").category is PARTIAL

    def test_no_brands_no_keywords(self):
        """Without brands or keywords only the empty, URL, generic and other rules can hold."""
        bare = TARGETS["bare"]
        categories = {bare.classify(a).category for a in ["", "x.com", "here", "x", "shoes"]}
        assert categories == {EMPTY, URL, GENERIC, OTHER}


class TestGenericTable:
    @pytest.mark.parametrize("language", sorted(GENERIC_PHRASES_BY_LANGUAGE))
    def test_every_phrase_is_generic(self, language):
        """Every built-in phrase of every language classifies as GENERIC for a plain target."""
        classifier = TARGETS["bare"]
        phrases = sorted(GENERIC_PHRASES_BY_LANGUAGE[language])
        assert phrases
        assert [p for p in phrases if classifier.classify(p).category is not GENERIC] == []

    def test_languages_required_by_the_rules(self):
        """The table covers at least the thirteen languages the rules name."""
        required = {"en", "de", "fr", "es", "it", "pt", "nl", "pl", "ru", "sv", "ja", "zh", "ko"}
        assert required <= set(GENERIC_PHRASES_BY_LANGUAGE)

    @pytest.mark.parametrize(
        ("language", "phrase"),
        [
            ("en", "click here"),
            ("en", "read more"),
            ("en", "learn more"),
            ("en", "source"),
            ("de", "hier klicken"),
            ("fr", "cliquez ici"),
            ("it", "leggi di più"),
            ("nl", "lees meer"),
            ("ru", "подробнее"),
            ("zh", "点击这里"),
            ("ja", "続きを読む"),
            ("ko", "여기를 클릭"),
            ("pl", "czytaj więcej"),
        ],
    )
    def test_reference_phrases_present(self, language, phrase):
        """The phrases the reference names are in their language's block."""
        assert phrase in GENERIC_PHRASES_BY_LANGUAGE[language]

    def test_all_languages_together(self):
        """GENERIC_PHRASES is the union of the language blocks."""
        union = frozenset().union(*GENERIC_PHRASES_BY_LANGUAGE.values())
        assert union == GENERIC_PHRASES

    def test_replace_table(self):
        """A table given replaces the built-in one."""
        classifier = AnchorClassifier("x.example", generic_phrases=["tap to open"])
        assert classifier.classify("Tap to open!").category is GENERIC
        assert classifier.classify("click here").category is OTHER

    def test_extend_table(self):
        """The built-in table extends with a set union."""
        classifier = AnchorClassifier("x.example", generic_phrases=GENERIC_PHRASES | {"tap"})
        assert classifier.classify("TAP").category is GENERIC
        assert classifier.classify("click here").category is GENERIC

    def test_phrases_are_normalized(self):
        """Given phrases are normalized as anchors are, and reported so."""
        classifier = AnchorClassifier("x.example", generic_phrases=["Más  INFO!", "", "!!"])
        assert classifier.generic_phrases == frozenset({"mas info"})


class TestNormalizeAnchor:
    @pytest.mark.parametrize(
        ("text", "normalized"),
        [
            ("Running Shoes", "running shoes"),
            ("  many   spaces\t\n", "many spaces"),
            ("Café", "cafe"),
            ("CAFÉ", "cafe"),
            ("Ærø Łódź", "ærø łodz"),
            ("Straße", "strasse"),
            ("ﬁne", "fine"),
            ("ＦＵＬＬ ｗｉｄｔｈ", "full width"),
            ("½ price", "1 2 price"),
            ("McDonald's", "mcdonalds"),
            ("McDonald’s", "mcdonalds"),
            ("McDonald`s", "mcdonalds"),
            ("rock 'n' roll", "rock n roll"),
            ("'quoted'", "quoted"),
            ("l'article", "l article"),
            ("Jusqu'à l'Hôtel", "jusqu a l hotel"),
            ("dell'albergo", "dell albergo"),
            ("aujourd'hui", "aujourdhui"),
            ("snake_case-and.dots", "snake case and dots"),
            ("a/b\\c|d", "a b c d"),
            ("€100 & more", "100 more"),
            ("ещё", "еще"),
            ("Ελληνικά", "ελληνικα"),
            ("ダウンロード", "ダウンロード"),
            ("ﾀﾞｳﾝﾛｰﾄﾞ", "ダウンロード"),
            ("iPhone手机", "iphone 手机"),
            ("3月の予定", "3 月の予定"),
            ("点击、这里。", "点击 这里"),
            ("한국어 텍스트", "한국어 텍스트"),
            ("हिन्दी", "हिन्दी"),
            ("👍 great ❤️", "great"),
            ("ŉ", "n"),
            ("𝅗𝅥 ♩", ""),
            ("⓿ ① Ⓓ", "⓿ 1 d"),
            ("“Smart” quotes – and dashes…", "smart quotes and dashes"),
            ("", ""),
        ],
    )
    def test_normalize(self, text, normalized):
        """NFKC, casefold, diacritics, apostrophes, punctuation, and script runs, as documented."""
        assert normalize_anchor(text) == normalized

    def test_symbol_blocks_hold_no_letters(self):
        """The blocks turned to spaces in one pass hold no letter, digit or mark NFKC keeps."""
        from backlinkkit._anchors._classifier import _PLAIN_SYMBOLS

        kept = [
            hex(code)
            for code in range(0x20000)
            if _PLAIN_SYMBOLS(" ", chr(code)) == " "
            and unicodedata.normalize("NFKC", chr(code)) == chr(code)
            and unicodedata.category(chr(code))[0] in "LNM"
        ]
        assert kept == []  # variation selectors are gone before, with the other invisibles

    @given(st.text(max_size=40))
    def test_idempotent(self, text):
        """Normalizing normalized text changes nothing."""
        once = normalize_anchor(text)
        assert normalize_anchor(once) == once

    @given(st.text(max_size=40))
    def test_tokens_are_clean(self, text):
        """Normalized text is single-spaced, trimmed, and holds no punctuation or symbol."""
        normalized = normalize_anchor(text)
        assert normalized == " ".join(normalized.split())
        assert not any(c in normalized for c in "!?.,;:'\"()[]{}<>/\\|@#$%^&*_+=~`")


class TestClassifier:
    @pytest.mark.parametrize(
        ("domain", "site", "brands"),
        [
            ("example.com", "example.com", ("example",)),
            ("https://shop.example.co.uk/path", "example.co.uk", ("example",)),
            ("WWW.Example.COM", "example.com", ("example",)),
            ("foo.blogspot.com", "foo.blogspot.com", ("foo",)),
            ("a.b.example", "b.example", ("b",)),
            ("xn--bcher-kva.de", "xn--bcher-kva.de", ("bücher",)),
            ("Bücher.de", "xn--bcher-kva.de", ("bücher",)),
            ("venture-beat.com", "venture-beat.com", ("venture-beat",)),
            ("127.0.0.1", "127.0.0.1", ()),
            ("github.io", "github.io", ("github",)),
        ],
    )
    def test_domain_and_default_brand(self, domain, site, brands):
        """The target is the registrable domain; its label is the default brand (none for IPs)."""
        classifier = AnchorClassifier(domain)
        assert (classifier.domain, classifier.brands) == (site, brands)

    @pytest.mark.parametrize(
        ("kwargs", "brands"),
        [
            ({"brands": ["Acme"]}, ("example", "Acme")),
            ({"brands": "Acme Corp"}, ("example", "Acme Corp")),
            ({"brands": ["Acme"], "brand_from_domain": False}, ("Acme",)),
            ({"brands": ["EXAMPLE", "Ex-ample"]}, ("EXAMPLE",)),
            ({"brands": ["", "!!", "Acme"]}, ("example", "Acme")),
            ({"brand_from_domain": False}, ()),
        ],
    )
    def test_brands_add_to_the_domain_label(self, kwargs, brands):
        """Brands given add to the domain's label (deduplicated, empty ones dropped) unless told."""
        assert AnchorClassifier("example.com", **kwargs).brands == brands

    @pytest.mark.parametrize(
        ("keywords", "kept"),
        [
            (["running shoes", "", "  ", "?!"], ("running shoes",)),
            ("running shoes", ("running shoes",)),
            ((), ()),
        ],
    )
    def test_keywords(self, keywords, kept):
        """A single string is one keyword; keywords that normalize to nothing are dropped."""
        assert AnchorClassifier("example.com", keywords=keywords).keywords == kept

    @pytest.mark.parametrize("bad", ["", "a b", "http://", "user@x.com"])
    def test_bad_domain(self, bad):
        """A domain that is no host name or URL raises InvalidURLError, naming it."""
        with pytest.raises(InvalidURLError, match="not"):
            AnchorClassifier(bad)

    @pytest.mark.parametrize(
        "kwargs", [{"brands": [1]}, {"keywords": [None]}, {"generic_phrases": [b"here"]}]
    )
    def test_non_strings_refused(self, kwargs):
        """Brands, keywords and phrases must be strings."""
        with pytest.raises(TypeError, match="must be strings"):
            AnchorClassifier("example.com", **kwargs)

    def test_equality(self):
        """Classifiers with the same settings are equal and hash alike; others differ."""
        one = AnchorClassifier("www.example.com", keywords=["a b"])
        two = AnchorClassifier("https://example.com/", keywords=["a b"])
        assert one == two
        assert hash(one) == hash(two)
        assert one != AnchorClassifier("example.com", keywords=["a c"])
        assert one != AnchorClassifier("example.com", keywords=["a b"], brands=["x"])
        assert one != "example.com"

    def test_repr(self):
        """The repr shows the target's settings."""
        assert repr(AnchorClassifier("example.com", keywords="k")) == (
            "AnchorClassifier('example.com', brands=('example',), keywords=('k',))"
        )

    def test_is_exported(self):
        """The classifier's public names are importable from backlinkkit."""
        for name in ["AnchorCategory", "AnchorClass", "AnchorClassifier", "AnchorRule",
                     "normalize_anchor", "GENERIC_PHRASES", "GENERIC_PHRASES_BY_LANGUAGE"]:  # fmt: skip
            assert name in backlinkkit.__all__


class TestInputs:
    def test_link_uses_its_anchor(self):
        """A Link is classified by its text."""
        link = Link(href="/", url="https://example.com/", text="Example", kind=LinkKind.TEXT)
        assert TARGETS["shop"].classify(link).category is BRANDED

    def test_image_link_uses_alt_texts(self):
        """An image link is classified by its images' alt texts."""
        link = Link(href="/", url="https://x/", image_alts=("Running", None, "shoes"))
        assert TARGETS["shop"].classify(link).category is EXACT

    def test_link_without_text_or_alt_is_empty(self):
        """A link with neither text nor alt text is EMPTY (its anchor is known to be empty)."""
        link = Link(href="/", url="https://x/", image_alts=(None,))
        assert TARGETS["shop"].classify(link).category is EMPTY

    def test_none_is_refused(self):
        """An unknown anchor (None) is not counted as empty: it raises TypeError."""
        with pytest.raises(TypeError, match="unknown"):
            TARGETS["shop"].classify(None)  # type: ignore[arg-type]
        with pytest.raises(TypeError, match="unknown"):
            TARGETS["shop"].classify_many(["a", None])  # type: ignore[list-item]

    @pytest.mark.parametrize("bad", [3, b"bytes", ["a"], 1.5])
    def test_other_types_refused(self, bad):
        """Anything but a str or a Link raises TypeError."""
        with pytest.raises(TypeError):
            TARGETS["shop"].classify(bad)

    def test_classify_many_matches_classify(self):
        """classify_many gives, in order, what classify gives for each anchor."""
        anchors = [a for _, a, _, _ in CASES] + [Link(href="/", url=None, text="Example")]
        shop = TARGETS["shop"]
        assert shop.classify_many(anchors) == [shop.classify(a) for a in anchors]
        assert shop.classify_many(iter(anchors[:3])) == [shop.classify(a) for a in anchors[:3]]

    def test_results_cached_and_shared(self):
        """A repeated anchor gives the identical result; equal outcomes share one value."""
        classifier = AnchorClassifier("example.com")
        first = classifier.classify("Example!")
        assert classifier.classify("Example!") is first
        assert classifier.classify("EXAMPLE") is first
        assert classifier._cache["Example!"] is first

    def test_cache_is_bounded(self):
        """The cache never holds more than cache_size entries; 0 turns it off."""
        small = AnchorClassifier("example.com", cache_size=3)
        small.classify_many([f"anchor {i}" for i in range(10)])
        assert 0 < len(small._cache) <= 3
        off = AnchorClassifier("example.com", cache_size=0)
        off.classify_many(["a", "b", "a"])
        assert off._cache == {}

    def test_negative_cache_size_refused(self):
        """A negative cache size is a mistake, not a setting: a SettingsError, a ValueError."""
        with pytest.raises(SettingsError, match="cache_size must be 0 or more, not -1"):
            AnchorClassifier("example.com", cache_size=-1)

    def test_long_anchors_not_cached(self):
        """Very long anchors are classified but not cached."""
        classifier = AnchorClassifier("example.com")
        assert classifier.classify("word " * 1000).category is OTHER
        assert classifier._cache == {}

    def test_anchor_class_invariant(self):
        """An AnchorClass whose rule gives another category cannot be made: a SettingsError."""
        with pytest.raises(SettingsError, match="rule no_tokens gives empty, not branded"):
            AnchorClass(category=BRANDED, rule=AnchorRule.NO_TOKENS)


class TestConcurrency:
    def test_pickle_round_trip(self):
        """A classifier pickles by its settings and classifies alike after the trip."""
        for classifier in TARGETS.values():
            classifier.classify("warm the cache")
            copy = pickle.loads(pickle.dumps(classifier))
            assert copy == classifier
            assert copy._cache == {}
            anchors = [a for _, a, _, _ in CASES]
            assert copy.classify_many(anchors) == classifier.classify_many(anchors)

    def test_pickle_keeps_custom_table_and_flags(self):
        """Custom phrases, brand_from_domain and cache_size survive pickling."""
        classifier = AnchorClassifier(
            "x.example", generic_phrases=["tap"], brand_from_domain=False, cache_size=5
        )
        copy = pickle.loads(pickle.dumps(classifier))
        assert copy.generic_phrases == frozenset({"tap"})
        assert copy.brands == ()
        assert copy._cache_size == 5

    def test_pickle_with_own_suffix_list(self):
        """A classifier built on a suffix list of the user's own pickles with it."""
        psl = backlinkkit.SuffixList.from_text("// VERSION: test\ncom\nshop\n")
        classifier = AnchorClassifier("a.b.shop", suffix_list=psl)
        copy = pickle.loads(pickle.dumps(classifier))
        assert copy == classifier
        assert copy.domain == "b.shop"
        assert copy.classify("x.shop").category is URL
        assert copy.classify("x.org").category is OTHER  # not in this list
        assert len(pickle.dumps(classifier)) > len(pickle.dumps(AnchorClassifier("b.shop")))

    def test_threads_agree(self):
        """Several threads sharing one classifier get the results one thread gets."""
        anchors = [a for _, a, _, _ in CASES] * 20
        expected = AnchorClassifier(
            "https://shop.example.co.uk/",
            brands=["Example Shop"],
            keywords=["running shoes", "trail running shoes for women", "gas"],
        ).classify_many(anchors)
        shared = AnchorClassifier(
            "https://shop.example.co.uk/",
            brands=["Example Shop"],
            keywords=["running shoes", "trail running shoes for women", "gas"],
            cache_size=50,
        )
        results: list[list[AnchorClass]] = []

        def work() -> None:
            results.append(shared.classify_many(anchors))

        threads = [threading.Thread(target=work) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(results) == 4
        assert all(result == expected for result in results)


class TestProperties:
    @given(st.text(max_size=60))
    def test_never_crashes(self, text):
        """Any text gets a class, whose rule gives its category."""
        result = TARGETS["media"].classify(text)
        assert result.rule.category is result.category

    @given(
        st.text(alphabet=st.characters(categories=["P", "S", "Z", "Cc"]), max_size=20).filter(
            lambda text: not any(c.isalnum() for c in unicodedata.normalize("NFKC", text))
        )
    )
    def test_punctuation_and_symbols_are_empty(self, text):
        """Text of punctuation, symbols and spaces only (after NFKC: `㈀` is `(ᄀ)`) is EMPTY."""
        assert TARGETS["shop"].classify(text).category is EMPTY

    @given(st.lists(st.booleans(), min_size=10, max_size=10), st.booleans())
    def test_brand_split_or_joined(self, splits, upper):
        """`venturebeat` matches the brand however it is split into whole tokens or cased."""
        letters = "venturebeat"
        text = "".join(
            c + (" " if split else "") for c, split in zip(letters, splits, strict=False)
        )
        text += letters[-1]
        anchor = text.upper() if upper else text
        assert TARGETS["media"].classify(anchor).category is BRANDED

    @given(st.sampled_from(["running shoes", "tech news", "cats"]), st.sampled_from(["", "!", "?"]))
    def test_keyword_exact_whatever_the_case(self, keyword, mark):
        """A keyword in any case, with trailing punctuation, is an exact match."""
        classifier = AnchorClassifier("x.example", keywords=[keyword])
        assert classifier.classify(keyword.title() + mark).category is EXACT


class TestKnownSuffix:
    @pytest.mark.parametrize(
        ("host", "suffix"),
        [
            ("wsj.com", "com"),
            ("shop.example.co.uk", "co.uk"),
            ("foo.blogspot.com", "blogspot.com"),
            ("xn--bcher-kva.de", "de"),
            ("node.js", None),
            ("e.g", None),
            ("a.b.example", None),
            ("localhost", None),
        ],
    )
    def test_known_suffix(self, host, suffix):
        """SuffixList.known_suffix applies no default rule: an unknown top-level domain is None."""
        assert backlinkkit.SuffixList.bundled().known_suffix(host) == suffix


@pytest.mark.skipif(not CORPUS.exists(), reason="the real-page corpus is not there")
class TestCorpus:
    def test_real_anchors(self):
        """Every link text of the real-page corpus classifies, each target's own site as brand."""
        links = json.loads(gzip.decompress((CORPUS / "chromium-links.json.gz").read_bytes()))
        pages = json.loads((CORPUS / "pages.json").read_text(encoding="utf-8"))
        counts: dict[AnchorCategory, int] = dict.fromkeys(AnchorCategory, 0)
        total = 0
        for name, page_links in links.items():
            classifier = AnchorClassifier(pages[name])
            anchors = [
                link["text"] or " ".join(alt for alt in link["imgs"] if alt) for link in page_links
            ]
            total += len(anchors)
            for result in classifier.classify_many(anchors):
                assert result.rule.category is result.category
                counts[result.category] += 1
        assert sum(counts.values()) == total > 20_000
        # Without keywords, real pages still hold every category that needs none.
        assert all(counts[c] > 0 for c in (BRANDED, URL, GENERIC, EMPTY, OTHER))
        assert counts[EXACT] == counts[PARTIAL] == counts[COMPOUND] == 0


def _code_points(ranges):
    return {code for low, high in ranges for code in range(low, high + 1)}


# The invisible characters of issue 10, and every other default-ignorable one a page may carry.
INVISIBLES = sorted(map(chr, _code_points(DEFAULT_IGNORABLE) - _code_points([(0xE0080, 0xE0FFF)])))
# The targets the invisible-character cases classify for.
GERMAN = AnchorClassifier(
    "stadt-beispiel.de",
    brands=["Bürgerbüro", "小米"],
    keywords=["Bürgerservice", "Personalausweis beantragen", "کتاب‌خانه", "跑步鞋"],
)


class TestInvisibleCharacters:
    @pytest.mark.parametrize(
        ("anchor", "category", "matched"),
        [
            ("Bür\u00adger\u00adser\u00advice", EXACT, "Bürgerservice"),  # soft hyphens (issue 10)
            ("BÜR\u00adGER\u00adSER\u00adVICE!", EXACT, "Bürgerservice"),
            ("Bürger\u200bservice", EXACT, "Bürgerservice"),  # zero-width space
            ("Bürger\u2060service", EXACT, "Bürgerservice"),  # word joiner
            ("\ufeffBürgerservice", EXACT, "Bürgerservice"),  # byte order mark
            ("Bürger\u200dser\u200cvice", EXACT, "Bürgerservice"),  # joiner, non-joiner
            ("\u200eBürgerservice\u200f", EXACT, "Bürgerservice"),  # bidi marks
            ("\u2066Bürgerservice\u2069", EXACT, "Bürgerservice"),  # bidi isolates
            ("Bu\u034f\u0308rgerservice", EXACT, "Bürgerservice"),  # grapheme joiner before a mark
            ("Personal\u00adausweis be\u00adan\u00adtragen", EXACT, "Personalausweis beantragen"),
            ("Bürger\u00adbüro", BRANDED, "Bürgerbüro"),
            ("Bürger\u00adbüro Bür\u00adger\u00adser\u00advice", COMPOUND, "Bürgerservice"),
            ("کتاب‌خانه", EXACT, "کتاب‌خانه"),  # Persian, with its zero-width non-joiner
            ("کتابخانه", EXACT, "کتاب‌خانه"),  # the same word typed without it
            ("小\u200b米", BRANDED, "小米"),
            ("跑步\ufe0f鞋", EXACT, "跑步鞋"),  # a stray variation selector
            ("\u00ad\u200b\u2060\ufeff", EMPTY, None),
            ("👨\u200d👩\u200d👧", EMPTY, None),  # emoji joined by ZWJ stay emoji
            ("1\ufe0f\u20e3", EMPTY, None),
            ("1\u200b\ufe0f\u20e3", EMPTY, None),
            ("\u3164", EMPTY, None),  # Hangul filler, the classic invisible name
            ("www.\u00adexample.com", URL, None),
            ("w\u200bww.example.com", URL, None),
            ("https://\u200bt.co/abc", URL, None),
            ("example\u00ad.com", URL, None),
        ],
    )
    def test_invisible_characters_vanish(self, anchor, category, matched):
        """Invisible characters are removed before tokenizing: the anchor reads as a reader sees it."""
        result = GERMAN.classify(anchor)
        assert (result.category, result.matched) == (category, matched)

    @pytest.mark.parametrize(
        ("text", "normalized"),
        [
            ("Bür\u00adger\u00adser\u00advice", "burgerservice"),
            ("click\u200bhere", "clickhere"),
            ("葛\U000e0100城", "葛城"),  # an ideographic variation sequence stays one word
            ("\u0600\u0661\u0662", "١٢"),  # a visible format character: a separator, as before
            ("a\ufffbb", "a b"),  # interlinear annotation controls are visible structure
        ],
    )
    def test_normalize_without_invisibles(self, text, normalized):
        """normalize_anchor removes the invisible characters, and only those."""
        assert normalize_anchor(text) == normalized

    def test_keywords_and_brands_too(self):
        """Brands, keywords and phrases given with invisible characters match anchors without."""
        classifier = AnchorClassifier(
            "x.example",
            brands=["Mc\u00adDonald\u200b's"],
            keywords=["Bür\u00adger\u00adser\u00advice"],
            generic_phrases=["click\u2060 here"],
        )
        assert classifier.classify("Bürgerservice").category is EXACT
        assert classifier.classify("McDonalds").category is BRANDED
        assert classifier.classify("McDonald").category is BRANDED  # the possessive is seen
        assert classifier.classify("click here").category is GENERIC
        assert classifier.generic_phrases == frozenset({"click here"})

    @given(
        st.sampled_from(
            [a for _, a, _, _ in CASES] + ["Bürgerservice", "Personalausweis", "小米手机"]
        ),
        st.lists(st.tuples(st.integers(0, 60), st.sampled_from(INVISIBLES)), max_size=6),
    )
    def test_inserting_invisibles_never_changes_the_class(self, anchor, insertions):
        """Any invisible character, anywhere in an anchor, leaves its class as it was."""
        spoiled = anchor
        for position, char in insertions:
            spoiled = spoiled[:position] + char + spoiled[position:]
        for target in (TARGETS["shop"], TARGETS["media"], TARGETS["cjk"], GERMAN):
            assert target.classify(spoiled) == target.classify(anchor)

    @given(
        st.sampled_from(
            ["running shoes", "trail running shoes for women", "Bürgerservice", "跑步鞋"]
        ),
        st.lists(st.tuples(st.integers(0, 30), st.sampled_from(INVISIBLES)), max_size=4),
        st.sampled_from(["Running Shoes!", "trail shoes", "Bürgerservice", "最好的跑步鞋", "x"]),
    )
    def test_invisibles_in_keywords_never_change_the_category(self, keyword, insertions, anchor):
        """Any invisible character, anywhere in a keyword, leaves every anchor's category alone."""
        spoiled = keyword
        for position, char in insertions:
            spoiled = spoiled[:position] + char + spoiled[position:]
        plain = AnchorClassifier("x.example", keywords=[keyword]).classify(anchor)
        result = AnchorClassifier("x.example", keywords=[spoiled]).classify(anchor)
        assert (result.category, result.rule) == (plain.category, plain.rule)


# Words that are no stop words, no plurals, no generic phrases: rule 7 alone decides.
VOCABULARY = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india"]


class TestHostileAnchors:
    def test_long_runs_of_marks_are_cut_at_thirty(self):
        """A run of more than 30 combining marks keeps its first 30 (UAX #15's Stream-Safe bound)."""
        letter, marks = "\u05d0", "\u05b0\u05b4"  # Hebrew: points are kept, not diacritics
        thirty = unicodedata.normalize("NFC", letter + marks * 15)  # in canonical order
        assert normalize_anchor(letter + marks * 15) == thirty
        assert normalize_anchor(letter + marks * 400) == thirty
        assert normalize_anchor((letter + marks * 400 + " ") * 3) == " ".join([thirty] * 3)

    @pytest.mark.parametrize(
        ("anchor", "category"),
        [
            (
                "a" + "\u0301\u0316" * 40_000,
                OTHER,
            ),  # the 80 KB storm of alternating classes
            ("".join(c + "\u0301\u0316" * 50 for c in "click here"), GENERIC),  # Zalgo text
            ("".join(c + "\u0300\u0321" * 40 for c in "Example"), BRANDED),
            ("\u0f73" * 20_000, EMPTY),  # class 0, but decomposes to marks of classes 129 and 130
            ("x" + "\U0001d165\U0001d167" * 20_000, OTHER),  # marks beyond U+FFFF
            ("running shoes " * 5_000, PARTIAL),
            ("a." * 50_000 + "com", OTHER),  # no host name has 100,000 characters
            ("ﷺ" * 10_000, EMPTY),  # a formula ligature NFKC would make four words
            ("x " * 50_000, OTHER),
        ],
    )
    def test_hostile_anchors_get_a_sensible_class(self, anchor, category):
        """Anchors built to be slow are classified (in linear time: benchmarks/hostile_anchors.py)."""
        assert TARGETS["shop"].classify(anchor).category is category

    def test_formula_ligatures_are_symbols(self):
        """U+FDFA and U+FDFB are symbols, as their sibling U+FDFD is: NFKC would make phrases."""
        assert normalize_anchor("محمد ﷺ") == normalize_anchor("محمد ﷽") == "محمد"
        assert normalize_anchor("ﷻ") == ""

    @given(
        st.lists(
            st.sampled_from(["Acme", "Venture Beat", "小米", "ダウンロード", "shop"]), max_size=5
        )
    )
    def test_many_brands_agree_with_few(self, extra):
        """With many brands (found through an index) anchors get the classes a few would give."""
        few = AnchorClassifier("venturebeat.com", brands=extra)
        decoys = [f"Qzx{i} Brand" for i in range(12)] + [f"鿕鿖{i}" for i in range(12)]
        many = AnchorClassifier("venturebeat.com", brands=[*extra, *decoys])
        anchors = [a for _, a, _, _ in CASES] + ["小米官方", "my shop", "Acme's VentureBeat"]
        assert many.classify_many(anchors) == few.classify_many(anchors)

    def test_many_keywords_written_without_spaces(self):
        """Many keyword words in scripts without spaces are found inside tokens, as a few are."""
        words = [chr(0x4E00 + i) + chr(0x4E80 + i) for i in range(40)]
        classifier = AnchorClassifier("x.example", keywords=[*words, "跑步鞋"])
        assert classifier.classify("最好的跑步鞋").keyword == "跑步鞋"
        assert classifier.classify(f"买{words[17]}吧").keyword == words[17]
        assert classifier.classify("没有").category is OTHER

    @given(
        st.lists(
            st.lists(st.sampled_from(VOCABULARY), min_size=1, max_size=7), min_size=1, max_size=30
        ),
        st.lists(st.sampled_from(VOCABULARY), min_size=1, max_size=8),
    )
    def test_keyword_found_as_the_rules_say(self, keywords, anchor):
        """The keyword reported is the first exact one, else the first sharing half its words."""
        classifier = AnchorClassifier("x.example", keywords=[" ".join(k) for k in keywords])
        shared = set(anchor)
        exact = [k for k in keywords if k == anchor]
        partial = [k for k in keywords if len(shared & set(k)) >= (len(set(k)) + 1) // 2]
        expected = exact[0] if exact else partial[0] if partial else None
        result = classifier.classify(" ".join(anchor))
        assert result.keyword == (" ".join(expected) if expected else None)

    def test_huge_keyword_list(self):
        """With 20,000 keywords the first one reaching half of its words is still the one reported."""
        keywords = [f"w{i} w{i + 1} w{i + 2}" for i in range(20_000)]
        classifier = AnchorClassifier("x.example", keywords=keywords)
        assert classifier.classify("w7 w9").keyword == "w7 w8 w9"
        assert classifier.classify("w19999 w20001").keyword == "w19999 w20000 w20001"
        assert classifier.classify("w5").category is OTHER


class TestUnicodeTables:
    """The character tables are data; these check them against the running Python's Unicode."""

    def test_format_characters_are_ignorable_or_visible(self):
        """Every format character (Cf) is either removed (ignorable) or a listed visible one."""
        ignorable, visible = _code_points(DEFAULT_IGNORABLE), _code_points(VISIBLE_FORMAT)
        format_chars = {c for c in range(0x110000) if unicodedata.category(chr(c)) == "Cf"}
        assert sorted(map(hex, format_chars - ignorable - visible)) == []
        assert ignorable.isdisjoint(visible)

    def test_ignorables_are_invisible_kinds(self):
        """The removed characters are format controls, joiners, selectors, fillers or unassigned."""
        kinds = {unicodedata.category(chr(c)) for c in _code_points(DEFAULT_IGNORABLE)}
        assert kinds <= {"Cf", "Cn", "Mn", "Lo"}
        letters = {
            c for c in _code_points(DEFAULT_IGNORABLE) if unicodedata.category(chr(c)) == "Lo"
        }
        assert all("FILLER" in unicodedata.name(chr(c)) for c in letters)

    def test_non_starters_complete_and_sound(self):
        """The non-starter table holds every character whose NFKD starts with a combining mark."""
        table = _code_points(LEADING_NON_STARTERS)
        actual = {
            c
            for c in range(0x110000)
            if unicodedata.combining(unicodedata.normalize("NFKD", chr(c))[0])
        }
        assert sorted(map(hex, actual - table)) == []  # a newer Python: add these
        # The rest are characters this Python's Unicode does not know yet.
        assert {unicodedata.category(chr(c)) for c in table - actual} <= {"Cn"}

    def test_dot_and_colon_forms_complete(self):
        """Every character beyond ASCII whose NFKC holds a `.` or `:` is listed."""
        table = _code_points(DOT_AND_COLON_FORMS)
        actual = {
            c
            for c in range(0x80, 0x110000)
            if not 0xD800 <= c < 0xE000
            and any(p in unicodedata.normalize("NFKC", chr(c)) for p in ".:")
        }
        assert actual == table

    def test_long_expansions_complete(self):
        """Only the listed characters make NFKC text longer than twice their UTF-8."""
        actual = {
            c
            for c in range(0x80, 0x110000)
            if not 0xD800 <= c < 0xE000
            and len(unicodedata.normalize("NFKC", chr(c))) > 2 * len(chr(c).encode())
        }
        assert actual == _code_points(LONG_EXPANSIONS)


IDEOGRAPHS = [*range(0x3400, 0x4DC0), *range(0x4E00, 0xA000)]


class TestIdeographs:
    """Texts of CJK ideographs only take a path of their own: the same tokens as every step."""

    def test_each_is_its_own_token(self):
        """Each ideograph, through every normalization step, is a token of itself."""
        wrong = [hex(c) for c in IDEOGRAPHS if _non_ascii_tokens(chr(c)) != [chr(c)]]
        assert wrong == []

    def test_none_composes(self):
        """No canonical composition takes an ideograph: none can merge with its neighbour."""
        ideographs = set(map(chr, IDEOGRAPHS))
        composing = {
            chr(int(part, 16))
            for c in range(0x110000)
            if (decomposition := unicodedata.decomposition(chr(c)))
            and not decomposition.startswith("<")
            for part in decomposition.split()[:2]
            if len(decomposition.split()) == 2
        }
        assert sorted(ideographs & composing) == []

    @given(st.text(st.sampled_from([*map(chr, IDEOGRAPHS[::97]), "\u4e00", "\u9fff"]), min_size=1))
    def test_runs_are_one_token(self, text):
        """A run of ideographs is one token, as every step makes it."""
        assert _tokens_of_prepared(text) == _non_ascii_tokens(text) == [text]


class TestErrors:
    @pytest.mark.parametrize(
        ("kwargs", "error", "message"),
        [
            ({"domain": 3}, ArgumentTypeError, "domain must be a str"),
            ({"domain": None}, ArgumentTypeError, "domain must be a str"),
            ({"domain": b"example.com"}, ArgumentTypeError, "domain must be a str"),
            ({"brands": 3}, ArgumentTypeError, "brands must be a string or an iterable"),
            ({"brands": None}, ArgumentTypeError, "brands must be a string or an iterable"),
            ({"brands": b"acme"}, ArgumentTypeError, "brands must be a string or an iterable"),
            ({"brands": [1]}, ArgumentTypeError, "brands must be strings, got int: 1"),
            ({"keywords": [None]}, ArgumentTypeError, "keywords must be strings, got NoneType"),
            ({"keywords": 2.5}, ArgumentTypeError, "keywords must be a string or an iterable"),
            ({"generic_phrases": [b"here"]}, ArgumentTypeError, "generic phrases must be strings"),
            (
                {"brand_from_domain": "no"},
                ArgumentTypeError,
                "brand_from_domain must be True or False",
            ),
            (
                {"brand_from_domain": None},
                ArgumentTypeError,
                "brand_from_domain must be True or False",
            ),
            ({"suffix_list": "psl.dat"}, ArgumentTypeError, "suffix_list must be a SuffixList"),
            ({"cache_size": "10"}, ArgumentTypeError, "cache_size must be an int, not str"),
            ({"cache_size": 1.5}, ArgumentTypeError, "cache_size must be an int, not float"),
            ({"cache_size": True}, ArgumentTypeError, "cache_size must be an int, not bool"),
            ({"cache_size": -1}, SettingsError, "cache_size must be 0 or more"),
            ({"domain": "a b"}, InvalidURLError, "not"),
        ],
    )
    def test_bad_settings(self, kwargs, error, message):
        """Bad settings raise a backlinkkit error naming the setting, and the matching built-in."""
        settings = {"domain": "example.com"} | kwargs
        domain = settings.pop("domain")
        with pytest.raises(error, match=message) as raised:
            AnchorClassifier(domain, **settings)
        assert isinstance(raised.value, BacklinkkitError)
        assert isinstance(raised.value, TypeError if error is ArgumentTypeError else ValueError)

    @pytest.mark.parametrize(
        ("call", "message"),
        [
            (lambda c: c.classify(None), "anchor is None"),
            (lambda c: c.classify(b"x"), "anchor must be a str or a Link, not bytes"),
            (lambda c: c.classify_many("Example"), "not str .call classify for one anchor.$"),
            (lambda c: c.classify_many(None), "iterable of anchors, not NoneType"),
            (lambda c: c.classify_many([3]), "anchor must be a str or a Link, not int"),
            (lambda c: normalize_anchor(None), "text must be a str, not NoneType"),
            (lambda c: AnchorClass(category="empty", rule=AnchorRule.NO_TOKENS), "AnchorCategory"),
            (lambda c: AnchorClass(category=EMPTY, rule="no_tokens"), "AnchorRule, not str"),
            (lambda c: AnchorClass(category=BRANDED, rule=AnchorRule.BRAND, brand=3), "brand must"),
        ],
    )
    def test_bad_arguments(self, call, message):
        """Arguments of the wrong type raise ArgumentTypeError: a BacklinkkitError and a TypeError."""
        with pytest.raises(ArgumentTypeError, match=message) as raised:
            call(TARGETS["shop"])
        assert isinstance(raised.value, BacklinkkitError)
        assert isinstance(raised.value, TypeError)


PICKLE_FIXTURE = FIXTURES / "pickles" / "anchor_classifier_v1.pickle"


def _pickled_target():
    return AnchorClassifier(
        "https://shop.example.co.uk/",
        brands=["Example Shop", "小米"],
        keywords=["running shoes", "Bürgerservice"],
        generic_phrases=["tap to open", "click here"],
        cache_size=77,
    )


class TestPickles:
    @pytest.mark.parametrize("protocol", range(pickle.HIGHEST_PROTOCOL + 1))
    def test_pickle_names_no_private_module(self, protocol):
        """A pickle names backlinkkit.AnchorClassifier and plain data, never a private module."""
        data = pickle.dumps(_pickled_target(), protocol=protocol)
        assert b"backlinkkit._" not in data
        assert b"_rebuild" not in data
        assert b"AnchorClassifier" in data
        copy = pickle.loads(data)
        assert copy == _pickled_target()
        anchors = [a for _, a, _, _ in CASES]
        assert copy.classify_many(anchors) == _pickled_target().classify_many(anchors)

    def test_state_is_versioned_plain_data(self):
        """The state is the settings as given, with a version."""
        state = _pickled_target().__getstate__()
        assert state == {
            "version": 1,
            "domain": "example.co.uk",
            "brands": ["Example Shop", "小米"],
            "keywords": ["running shoes", "Bürgerservice"],
            "generic_phrases": ["click here", "tap to open"],
            "brand_from_domain": True,
            "suffix_list": None,
            "cache_size": 77,
        }

    def test_unknown_version_refused(self):
        """A state of another version is refused with a SettingsError naming the version."""
        state = _pickled_target().__getstate__() | {"version": 99}
        fresh = AnchorClassifier.__new__(AnchorClassifier)
        with pytest.raises(SettingsError, match="state version 99"):
            fresh.__setstate__(state)
        with pytest.raises(SettingsError, match="state version None"):
            fresh.__setstate__(("example.com", (), ()))  # not this version's plain data

    def test_pickle_of_this_version_loads(self):
        """A classifier pickled by this version (checked in) loads and classifies alike."""
        loaded = pickle.loads(PICKLE_FIXTURE.read_bytes())
        assert loaded == _pickled_target()
        assert loaded.classify("Bür\u00adger\u00adser\u00advice").category is EXACT
        assert loaded.classify("Tap to open").category is GENERIC


if __name__ == "__main__":  # writes the pickle fixture: python tests/anchors/test_anchors.py
    PICKLE_FIXTURE.parent.mkdir(exist_ok=True)
    PICKLE_FIXTURE.write_bytes(pickle.dumps(_pickled_target(), protocol=4))
