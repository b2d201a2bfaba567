"""The generic-phrase table: link texts that say nothing about where a link goes.

An anchor whose normalized text is one of these phrases is `GENERIC` (rule 6 of
docs/anchors.md). The table is data, one block per language (ISO 639-1 code), each block saying
where its phrases come from. Phrases are written as people type them, accents and all: the
classifier normalizes them exactly as it normalizes anchors, so `Más información`, `mas
informacion` and `MÁS INFORMACIÓN!` are one entry.

Sources:
- Lighthouse's `link-text` audit (GoogleChrome/lighthouse, `core/audits/seo/link-text.js`,
  Apache-2.0) lists non-descriptive link texts for en, ja, es, pt, ko, sv and de (also ta and fa,
  not taken here). Its phrases are included; the table itself is written for backlinkkit.
- The other phrases (and every phrase for fr, it, nl, pl, ru, zh, da, nb, fi, cs, tr) are
  backlinkkit's own: the call-to-action, "read more", "source" and "this page" wordings common
  on the web in each language.

To extend the table, pass `GENERIC_PHRASES | {"my phrase"}` as `generic_phrases` to
`AnchorClassifier`; to add a language for everyone, add a block here.
"""

# ruff: noqa: RUF001 - the table holds letters of other alphabets on purpose (Turkish dotless i)
from __future__ import annotations

import types
from collections.abc import Mapping

__all__ = ["GENERIC_PHRASES", "GENERIC_PHRASES_BY_LANGUAGE"]

# fmt: off
_TABLE: dict[str, tuple[str, ...]] = {
    # English. Lighthouse: click here, click this, go, here, information, learn more, more,
    # more info, more information, right here, read more, see more, start, this.
    # backlinkkit adds the rest.
    "en": (
        "click here", "click this", "go", "here", "information", "learn more", "more",
        "more info", "more information", "right here", "read more", "see more", "start", "this",
        "click", "click this link", "click here for more", "click for more", "tap here",
        "press here", "link", "this link", "the link", "link here", "here is the link", "url",
        "website", "the website", "this website", "web site", "site", "this site", "the site",
        "official website", "official site", "homepage", "home page", "page", "this page",
        "the page", "source", "the source", "sources", "source link", "article",
        "this article", "the article", "read", "read this", "read the article",
        "read the full article", "read full article", "full article", "full story",
        "continue reading", "keep reading", "read on", "continue", "details", "more details",
        "view", "view more", "view details", "see", "see here", "see this", "see details",
        "visit", "visit site", "visit website", "visit the website", "find out more",
        "discover more", "learn more here", "more here", "go here", "go to website",
        "check it out", "check this out", "download", "download here", "via", "original",
        "original article", "that", "these",
    ),
    # German. Lighthouse: klicke hier, hier klicken, hier, mehr, siehe, dies, das, weiterlesen.
    # backlinkkit adds the rest.
    "de": (
        "klicke hier", "hier klicken", "hier", "mehr", "siehe", "dies", "das", "weiterlesen",
        "klicken sie hier", "klick hier", "klicken", "hier lesen", "hier weiterlesen",
        "mehr erfahren", "mehr lesen", "mehr dazu", "mehr info", "mehr infos",
        "mehr informationen", "weitere informationen", "weitere infos", "weiter",
        "hier geht's weiter", "zum artikel", "zum beitrag", "artikel", "beitrag", "quelle",
        "zur quelle", "link", "dieser link", "zum link", "website", "webseite", "die website",
        "diese website", "zur website", "zur webseite", "homepage", "zur homepage", "seite",
        "diese seite", "details", "mehr details", "jetzt lesen", "ansehen", "hier ansehen",
    ),
    # French: none in Lighthouse; backlinkkit's own.
    "fr": (
        "cliquez ici", "cliquer ici", "clique ici", "cliquez", "ici", "plus", "en savoir plus",
        "pour en savoir plus", "lire la suite", "lire plus", "la suite", "voir plus", "voir",
        "en lire plus", "plus d'infos", "plus d'information", "plus d'informations", "lien",
        "ce lien", "le lien", "site", "site web", "site internet", "le site", "ce site",
        "page", "cette page", "source", "la source", "article", "cet article", "l'article",
        "continuer", "continuer la lecture", "découvrir", "en découvrir plus", "détails",
        "plus de détails", "voir les détails", "accueil", "page d'accueil", "visiter le site",
        "consulter", "lire",
    ),
    # Spanish. Lighthouse: click aquí, click aqui, clicka aquí, clicka aqui, pincha aquí,
    # pincha aqui, aquí, aqui, más, mas, más información, más informacion, mas información,
    # mas informacion, este, enlace, este enlace, empezar. backlinkkit adds the rest.
    "es": (
        "click aquí", "clicka aquí", "pincha aquí", "aquí", "más", "más información", "este",
        "enlace", "este enlace", "empezar", "haz clic aquí", "haga clic aquí", "clic aquí",
        "pulsa aquí", "pulse aquí", "leer más", "ver más", "seguir leyendo", "sigue leyendo",
        "continuar leyendo", "saber más", "el enlace", "vínculo", "sitio", "sitio web",
        "este sitio", "el sitio", "página", "esta página", "página web", "fuente", "la fuente",
        "artículo", "este artículo", "el artículo", "detalles", "más detalles", "ver detalles",
        "ver", "visitar", "visitar sitio web", "inicio", "continuar",
    ),
    # Italian: none in Lighthouse; backlinkkit's own.
    "it": (
        "clicca qui", "clicca qua", "fai clic qui", "clicca", "qui", "qua", "di più", "più",
        "leggi di più", "leggi tutto", "leggi", "leggi l'articolo", "continua a leggere",
        "continua", "scopri di più", "scopri", "ulteriori informazioni",
        "maggiori informazioni", "più informazioni", "info", "link", "questo link", "il link",
        "sito", "sito web", "il sito", "questo sito", "pagina", "questa pagina", "fonte",
        "la fonte", "articolo", "questo articolo", "l'articolo", "dettagli", "vedi",
        "vedi di più", "vedi tutto", "visita il sito",
    ),
    # Portuguese. Lighthouse: clique aqui, ir, mais informação, mais informações, mais,
    # veja mais. backlinkkit adds the rest.
    "pt": (
        "clique aqui", "ir", "mais informação", "mais informações", "mais", "veja mais",
        "clica aqui", "clicar aqui", "aqui", "saiba mais", "leia mais", "ler mais", "veja",
        "ver mais", "continue lendo", "continuar lendo", "continuar a ler", "link", "este link",
        "o link", "site", "o site", "este site", "página", "esta página", "fonte", "a fonte",
        "artigo", "este artigo", "o artigo", "detalhes", "mais detalhes", "ver detalhes",
        "visite o site", "acesse", "acesse aqui", "acessar", "início",
    ),
    # Dutch: none in Lighthouse; backlinkkit's own.
    "nl": (
        "klik hier", "hier klikken", "klik", "hier", "meer", "lees meer", "lees verder",
        "verder lezen", "meer lezen", "meer info", "meer informatie", "lees hier", "bekijk",
        "bekijk meer", "ga naar", "ga verder", "link", "deze link", "website", "de website",
        "deze website", "site", "pagina", "deze pagina", "bron", "de bron", "artikel",
        "dit artikel", "het artikel", "details", "meer details", "bezoek de website",
        "ontdek meer",
    ),
    # Polish: none in Lighthouse; backlinkkit's own.
    "pl": (
        "kliknij tutaj", "kliknij tu", "kliknij", "tutaj", "tu", "więcej", "czytaj więcej",
        "czytaj dalej", "przeczytaj więcej", "zobacz więcej", "zobacz",
        "dowiedz się więcej", "więcej informacji", "link", "ten link", "strona", "ta strona",
        "tę stronę", "strona internetowa", "witryna", "źródło", "artykuł", "ten artykuł",
        "szczegóły", "więcej szczegółów", "przejdź", "przejdź do strony", "odwiedź stronę",
        "dalej",
    ),
    # Russian: none in Lighthouse; backlinkkit's own.
    "ru": (
        "нажмите здесь", "нажмите сюда", "кликните здесь", "жмите здесь", "здесь", "тут",
        "сюда", "подробнее", "читать далее", "читать дальше", "читать полностью", "далее",
        "дальше", "ещё", "больше", "узнать больше", "узнать подробнее", "подробности",
        "больше информации", "ссылка", "эта ссылка", "по ссылке", "перейти",
        "перейти по ссылке", "перейти на сайт", "сайт", "этот сайт", "веб-сайт", "страница",
        "эта страница", "источник", "статья", "эта статья", "смотреть", "смотреть все",
        "показать больше",
    ),
    # Swedish. Lighthouse: här, klicka här, läs mer, mer, mer info, mer information.
    # backlinkkit adds the rest.
    "sv": (
        "här", "klicka här", "läs mer", "mer", "mer info", "mer information", "klicka",
        "läs vidare", "läs hela artikeln", "se mer", "läs", "länk", "denna länk",
        "den här länken", "webbplats", "webbplatsen", "hemsida", "hemsidan", "sida",
        "denna sida", "den här sidan", "källa", "källan", "artikel", "artikeln", "detaljer",
        "gå till", "besök webbplatsen",
    ),
    # Japanese. Lighthouse: ここをクリック, こちらをクリック, リンク, 続きを読む, 続く, 全文表示.
    # backlinkkit adds the rest.
    "ja": (
        "ここをクリック", "こちらをクリック", "リンク", "続きを読む", "続く", "全文表示",
        "こちら", "ここ", "クリック", "詳細", "詳しく", "詳しくはこちら", "詳細はこちら",
        "詳細を見る", "続きはこちら", "続きを見る", "もっと見る", "もっと読む", "さらに詳しく",
        "記事を読む", "記事", "ウェブサイト", "サイト", "ホームページ", "公式サイト",
        "公式ホームページ", "このページ", "ページ", "出典", "ソース", "参考", "こちらから",
    ),
    # Chinese, simplified and traditional: none in Lighthouse; backlinkkit's own.
    "zh": (
        "点击这里", "点击此处", "点这里", "点此", "点击", "这里", "此处", "更多", "了解更多",
        "阅读更多", "查看更多", "阅读全文", "全文", "详情", "查看详情", "详细信息", "更多信息",
        "网站", "官网", "官方网站", "网页", "这个网站", "本站", "链接", "这个链接", "此链接",
        "来源", "原文", "原文链接", "文章", "这篇文章", "继续阅读", "前往",
        "點擊這裡", "按這裡", "按此", "點此", "這裡", "閱讀更多", "閱讀全文", "詳情",
        "查看詳情", "詳細資訊", "更多資訊", "網站", "官網", "官方網站", "網頁", "連結", "鏈接",
        "此連結", "來源", "原文連結", "繼續閱讀",
    ),
    # Korean. Lighthouse: 여기, 여기를 클릭, 클릭, 링크, 자세히, 자세히 보기, 계속, 이동,
    # 전체 보기. backlinkkit adds the rest.
    "ko": (
        "여기", "여기를 클릭", "클릭", "링크", "자세히", "자세히 보기", "계속", "이동",
        "전체 보기", "여기를 클릭하세요", "여기 클릭", "더 보기", "더 알아보기",
        "자세히 알아보기", "더 읽기", "계속 읽기", "원문", "원문 보기", "출처", "사이트",
        "웹사이트", "홈페이지", "공식 홈페이지", "이 페이지", "페이지", "기사", "바로 가기",
        "상세 보기",
    ),
    # Danish: backlinkkit's own.
    "da": (
        "klik her", "her", "læs mere", "mere", "mere info", "mere information", "læs videre",
        "se mere", "link", "hjemmeside", "hjemmesiden", "kilde", "denne side",
    ),
    # Norwegian (Bokmål): backlinkkit's own.
    "nb": (
        "klikk her", "her", "les mer", "mer", "mer info", "mer informasjon", "les videre",
        "se mer", "lenke", "nettside", "nettsted", "kilde", "denne siden",
    ),
    # Finnish: backlinkkit's own.
    "fi": (
        "klikkaa tästä", "napsauta tästä", "tästä", "täällä", "lue lisää", "lisää",
        "lisätietoja", "lisää tietoa", "katso lisää", "jatka lukemista", "linkki", "sivusto",
        "kotisivu", "lähde",
    ),
    # Czech: backlinkkit's own.
    "cs": (
        "klikněte zde", "klikni zde", "klikněte sem", "zde", "tady", "více", "více informací",
        "číst více", "číst dále", "zobrazit více", "další", "odkaz", "web", "stránka", "zdroj",
    ),
    # Turkish: backlinkkit's own.
    "tr": (
        "buraya tıklayın", "buraya tıkla", "tıklayın", "tıkla", "burada", "daha fazla",
        "daha fazla bilgi", "devamını oku", "devamı", "detaylı bilgi", "bağlantı",
        "web sitesi", "kaynak",
    ),
}
# fmt: on

GENERIC_PHRASES_BY_LANGUAGE: Mapping[str, frozenset[str]] = types.MappingProxyType(
    {language: frozenset(phrases) for language, phrases in _TABLE.items()}
)
"""The built-in generic phrases of each language (ISO 639-1 code), as written (not normalized)."""

GENERIC_PHRASES: frozenset[str] = frozenset().union(*GENERIC_PHRASES_BY_LANGUAGE.values())
"""Every built-in generic phrase, all languages together (`AnchorClassifier`'s default table)."""
