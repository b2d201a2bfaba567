"""How faithfully `extract_links` reproduces the links a browser's DOM has, on real pages.

Usage: python benchmarks/fidelity.py [--corpus DIR] [--details N]

The corpus (default ../shared/corpus) holds real pages (pages/*.gz), the URL each was fetched
from (pages.json) and the links headless Chromium found in each (chromium-links.json.gz). Each
page is extracted from its raw bytes with its URL and no headers (the browser got no charset
either), and compared with the browser's links per page, as multisets:

- recall: the share of the browser's link URLs that we find with the same resolved URL;
- extra: the share of our links the browser does not have;
- text: of the matched links, the share with the same text.

Known causes of difference are counted apart, so what is left is what needs fixing:

- Chromium quirks that the WHATWG URL standard does not have: `'` percent-encoded in the query
  of non-special URLs (mailto:, javascript:) and `|` in paths. We follow the standard.
- Mojibake: a page that declares no charset and is not ASCII is windows-1252 to the browser (so
  its text, and its non-ASCII URLs, are mojibake there) and UTF-8 to us when the bytes are UTF-8.
"""

from __future__ import annotations

import argparse
import collections
import gzip
import json
import re
import sys
from pathlib import Path

from backlinkkit import extract_links

GOALS = {"recall": 0.999, "extra": 0.001, "text": 0.995}


def chromium_quirk(url: str) -> str:
    """Chromium's spelling of a WHATWG-serialized URL, where it departs from the standard."""
    scheme = url.split(":", 1)[0]
    if scheme not in {"http", "https", "ws", "wss", "ftp", "file"} and "?" in url:
        head, _, query = url.partition("?")
        query, hash_, fragment = query.partition("#")
        url = f"{head}?{query.replace(chr(39), '%27')}{hash_}{fragment}"
    if scheme in {"http", "https"}:
        rest = url.split("//", 1)[1]
        slash = rest.find("/")
        if slash >= 0:
            authority, path = rest[:slash], rest[slash:]
            path, q, tail = path.partition("?")
            if "#" in path:
                path, h, frag = path.partition("#")
                tail = f"{h}{frag}{q}{tail}" if not q else tail
                url = f"{scheme}://{authority}{path.replace('|', '%7C')}{h}{frag}"
            else:
                url = f"{scheme}://{authority}{path.replace('|', '%7C')}{q}{tail}"
    return url


# Encodings Chromium may guess for a page that declares none (it runs a content detector, so a
# UTF-8 page can come out as windows-1252, or as a CJK encoding).
BROWSER_GUESSES = ("windows-1252", "euc-kr", "gbk", "shift_jis", "big5", "euc-jp", "windows-1251")


def browser_view(data: bytes, url: str, browser: list[dict]) -> tuple[str, list[str]]:
    """The encoding Chromium most likely guessed for an undeclared page, and our texts with it."""
    wanted = collections.Counter(item["text"] for item in browser)
    best: tuple[int, str, list[str]] = (-1, "", [])
    for encoding in BROWSER_GUESSES:
        page = extract_links(data, url, headers={"Content-Type": f"text/html; charset={encoding}"})
        texts = [link.text for link in page]
        score = sum((collections.Counter(texts) & wanted).values())
        if score > best[0]:
            best = (score, encoding, texts)
    return best[1], best[2]


def compare(corpus: Path, details: int) -> int:
    pages = json.loads((corpus / "pages.json").read_text())
    with gzip.open(corpus / "chromium-links.json.gz") as stream:
        truth = json.load(stream)
    totals: collections.Counter[str] = collections.Counter()
    causes: collections.Counter[str] = collections.Counter()
    guessed: collections.Counter[str] = collections.Counter()
    examples: dict[str, list[str]] = collections.defaultdict(list)

    def note(cause: str, example: str) -> None:
        causes[cause] += 1
        if len(examples[cause]) < details:
            examples[cause].append(example)

    for name, url in sorted(pages.items()):
        browser = truth.get(name)
        if not isinstance(browser, list):
            totals["pages without ground truth"] += 1
            continue
        data = gzip.decompress((corpus / "pages" / name).read_bytes())
        page = extract_links(data, url)
        ours = list(page.links)
        totals["pages"] += 1
        totals["browser links"] += len(browser)
        totals["our links"] += len(ours)
        undeclared = page.encoding_source in ("utf-8", "default") and not data.isascii()
        browser_texts: list[str] | None = None
        if undeclared:
            totals["undeclared non-ASCII pages"] += 1
            encoding, browser_texts = browser_view(data, url, browser)
            guessed[encoding] += 1
            if len(browser_texts) != len(ours):
                browser_texts = None
        # Multiset match on the resolved URL, in document order within each URL.
        by_url: dict[str, collections.deque[int]] = collections.defaultdict(collections.deque)
        for index, link in enumerate(ours):
            by_url[link.url or ""].append(index)
        quirky: dict[str, collections.deque[int]] = collections.defaultdict(collections.deque)
        for index, link in enumerate(ours):
            if link.url is not None and chromium_quirk(link.url) != link.url:
                quirky[chromium_quirk(link.url)].append(index)
        used = [False] * len(ours)
        for item in browser:
            index, how = _take(by_url.get(item["href"]), used), "same URL"
            if index is None:
                index, how = _take(quirky.get(item["href"]), used), "Chromium quirk"
            if index is None:
                note("missing", f"{name[:12]} {item['tag']} {item['href']} raw={item['raw']!r}")
                continue
            used[index] = True
            totals[f"matched: {how}"] += 1
            link = ours[index]
            if how == "Chromium quirk":
                note(
                    "URL: Chromium quirk (matched)",
                    f"{name[:12]} ours {link.url} browser {item['href']}",
                )
            if link.text == item["text"]:
                totals["same text"] += 1
            elif (
                undeclared
                and browser_texts is not None
                # as the harness collapsed it (JavaScript's \s, no-break spaces included)
                and _JS_SPACE.sub(" ", browser_texts[index]).strip() == item["text"]
            ):
                totals["text: browser mis-decoded an undeclared page"] += 1
            elif undeclared and not link.text.isascii():
                # The browser's decoders replace invalid sequences differently from Python's
                # (WHATWG EUC-KR eats a bad trail byte), so its mojibake need not match ours.
                totals["text: browser mis-decoded an undeclared page"] += 1
                totals["  of which not reproduced exactly"] += 1
            else:
                note(
                    f"text: {_text_cause(link.text, item['text'])}",
                    f"{name[:12]} {link.url}\n      ours:    {link.text[:100]!r}\n"
                    f"      browser: {item['text'][:100]!r}",
                )
        for index, link in enumerate(ours):
            if not used[index]:
                note(
                    "extra", f"{name[:12]} {link.tag} {link.url} raw={link.href!r} line={link.line}"
                )
    matched = sum(v for k, v in totals.items() if k.startswith("matched"))
    recall = matched / totals["browser links"]
    extra = causes["extra"] / totals["our links"]
    mis_decoded = totals["text: browser mis-decoded an undeclared page"]
    text_share = (totals["same text"] + mis_decoded) / matched
    rows = [
        ("pages", f"{totals['pages']}", ""),
        ("browser links", f"{totals['browser links']}", ""),
        ("our links", f"{totals['our links']}", ""),
        ("recall: browser URLs we find", f"{recall:.4%}", f">= {GOALS['recall']:.1%}"),
        ("  matched only as a Chromium quirk", f"{totals['matched: Chromium quirk']}", ""),
        ("extra: our links the browser lacks", f"{extra:.4%}", f"<= {GOALS['extra']:.1%}"),
        ("same text (browser mojibake apart)", f"{text_share:.4%}", f">= {GOALS['text']:.1%}"),
        ("  same text, strictly", f"{totals['same text'] / matched:.4%}", ""),
        ("  browser text is mojibake (links)", f"{mis_decoded}", ""),
        (
            "    not reproduced exactly (CJK decoders, late <meta>)",
            f"{totals['  of which not reproduced exactly']}",
            "",
        ),
        (
            "non-ASCII pages, no charset in 1st 1024 bytes",
            f"{totals['undeclared non-ASCII pages']}",
            "",
        ),
        (
            "  Chromium's guess for them",
            ", ".join(f"{k} {v}" for k, v in guessed.most_common()),
            "",
        ),
    ]
    width = max(len(r[0]) for r in rows)
    print(f"{'figure':<{width}}  {'value':>10}  goal")
    for label, value, goal in rows:
        print(f"{label:<{width}}  {value:>10}  {goal}")
    print("\nresidual differences by cause:")
    for cause, count in causes.most_common():
        print(f"  {count:6d}  {cause}")
        for example in examples[cause]:
            print(f"          {example}")
    ok = recall >= GOALS["recall"] and extra <= GOALS["extra"] and text_share >= GOALS["text"]
    print("\ngoals met" if ok else "\ngoals NOT met")
    return 0 if ok else 1


def _take(candidates: collections.deque[int] | None, used: list[bool]) -> int | None:
    while candidates:
        index = candidates.popleft()
        if not used[index]:
            return index
    return None


# JavaScript's \s, which the corpus harness collapsed (we collapse ASCII whitespace only).
_JS_SPACE = re.compile("[\\s\ufeff\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+")


def _text_cause(ours: str, browser: str) -> str:
    if _JS_SPACE.sub(" ", ours).strip() == browser:
        return "no-break or other Unicode space kept (we collapse ASCII whitespace only)"
    if ours.replace("\ufffd", "") == browser.replace("\ufffd", ""):
        return "replacement characters"
    if browser.startswith(ours) or ours.startswith(browser):
        return "one is a prefix of the other"
    return "different"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    default = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
    parser.add_argument("--corpus", type=Path, default=default)
    parser.add_argument("--details", type=int, default=5, help="examples per cause")
    args = parser.parse_args(argv)
    if not (args.corpus / "pages.json").exists():
        print(f"no corpus at {args.corpus}", file=sys.stderr)
        return 2
    return compare(args.corpus, args.details)


if __name__ == "__main__":
    sys.exit(main())
