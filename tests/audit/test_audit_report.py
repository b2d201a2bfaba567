"""The audit's HTML report (backlinkkit.audit): its content, and the page in a real Chromium.

The browser tests open the report in Debian's chromium through playwright (which never downloads
a browser: `executable_path` points at the system one) and look at it as a person would: no
console error, no request leaving the file, every chart drawn, a screenshot kept. Where the
`report` extra is installed (BACKLINKKIT_REQUIRE_REPORT=1, set by noxfile) and CI asks for the
browser (BACKLINKKIT_REQUIRE_CHROMIUM=1, set by .ci/run), a missing piece fails instead of skipping.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import json
import os
import random
import re
import shutil
import sys
from pathlib import Path

import attrs
import pytest

from backlinkkit import MissingDependencyError, TargetCheck, TargetStatus
from backlinkkit.audit import (
    EXAMPLE,
    MAX_REPORT_BYTES,
    AuditResult,
    Chart,
    ReportSection,
    audit,
    default_sections,
    render_report,
)

REPO = Path(__file__).parents[2]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
D = dt.date


def _missing(what: str, variable: str) -> None:
    if os.environ.get(variable) == "1":
        pytest.fail(f"{what} is required here ({variable}=1) but missing")
    pytest.skip(f"{what} is not installed")


@pytest.fixture(autouse=True, scope="module")
def report_extra():
    """Every test here needs the report extra; where it is required, its absence fails."""
    try:
        import jinja2  # noqa: F401
        import plotly  # noqa: F401
    except ImportError:
        _missing("the report extra (Jinja2, plotly)", "BACKLINKKIT_REQUIRE_REPORT")


@pytest.fixture(scope="module")
def example() -> AuditResult:
    return audit(
        [(name, io.BytesIO(EXAMPLE.read(name))) for name in EXAMPLE.exports],
        site=EXAMPLE.site,
        brands=EXAMPLE.brands,
        keywords=EXAMPLE.keywords,
        allow=EXAMPLE.read("allow.txt"),
        current_disavow=EXAMPLE.read("current-disavow.txt"),
        date=D(2026, 11, 30),
    )


def tiny() -> AuditResult:
    rows = (
        "source_url,target_url,anchor,nofollow,sponsored,ugc,first_seen,source_ip\n"
        "https://blog.test/a,https://site.test/,Site,false,false,false,2026-01-05,203.0.113.7\n"
        "https://news.test/b,https://site.test/shop,cheap shoes,false,true,false,2026-03-01,\n"
        "https://forum.test/t,https://site.test/,here,true,false,true,2026-03-09,198.51.100.4\n"
    )
    return audit([("tiny.csv", io.StringIO(rows))], site="site.test", keywords=["cheap shoes"],
                 date=D(2026, 11, 30))  # fmt: skip


def empty() -> AuditResult:
    return audit(
        [("empty.csv", io.StringIO("source_url\n"))], site="site.test", date=D(2026, 11, 30)
    )


HOSTILE = '</script><script>alert(1)</script>"><img src=x onerror=alert(2)>'


class TestContent:
    def test_hostile_text_is_escaped(self):
        """Anchors and URLs from exports are text: nothing in them becomes markup."""
        export = io.StringIO(
            "source_url,anchor\n"
            f'"https://evil.test/?q={HOSTILE}","{HOSTILE}"\n'
            'https://ok.test/,"{{ 7 * 7 }} {% raw %}"\n'
        )
        page = render_report(audit([("x.csv", export)], site="site.test"))
        charts = page.count('type="application/json"')
        assert page.count("<script") == charts + 2  # the chart data, plotly.js, the report's
        assert "alert(1)" not in page.replace("&lt;/script&gt;&lt;script&gt;alert(1)", "")
        assert "<img src=x" not in page
        assert html.escape("{{ 7 * 7 }}", quote=False) in page

    def test_chart_data_cannot_leave_its_script(self, example):
        """Chart JSON inside <script> has `<` escaped, and reads back as the label given."""
        figure = {"data": [{"type": "bar", "x": [HOSTILE], "y": [1]}], "layout": {}}
        extra = ReportSection(
            id="extra", title="Extra", template="rel.html.j2",
            data={"summary": example.profile.summary()},
            charts=(Chart(id="chart-extra", figure=figure, caption="x"),),
        )  # fmt: skip
        page = render_report(example, sections=[*default_sections(example), extra])
        found = re.search(
            r'<script type="application/json" id="chart-extra-data">(.*?)</script>', page
        )
        assert found is not None
        assert json.loads(found.group(1))["data"][0]["x"] == [HOSTILE]
        assert HOSTILE not in page

    def test_sections_are_a_list_the_report_renders(self, example):
        """The report renders the sections it is given, in order (room for later sections)."""
        assert [s.id for s in default_sections(comparisons())][7:11] == [
            "authority", "gap", "previous", "targets",
        ]  # fmt: skip
        sections = default_sections(example)
        assert [s.id for s in sections] == [
            "overview", "flags", "timeline", "anchors", "rel", "domains", "spread",
            "candidates", "rejected",
        ]  # fmt: skip
        page = render_report(example, sections=sections[::-1][:3])
        order = [page.index(f'<section id="{s.id}"') for s in sections[::-1][:3]]
        assert order == sorted(order)
        assert 'id="overview"' not in page

    def test_what_the_report_shows(self, example):
        """Inputs, counts, flags with value and threshold, candidates, rejected rows, the review note."""
        page = render_report(example)
        for text in (
            "ahrefs-backlinks.tsv", "search-console-latest-links.csv", "crawl-ips.csv",
            "velocity_spike", "203.0.113.0/24", "Review before uploading", "sitewide",
            "Showing the first 50 of 420 rows", "domains.csv", "anchors.csv", "candidates.csv",
            "android-app://", "per referring domain", "running total",
        ):  # fmt: skip
            assert text in page, text
        flag = next(f for f in example.flags if f.name.value == "subnet_concentration")
        assert f"{flag.value:.1%}" in page
        assert f"{flag.threshold:.1%}" in page
        assert html.escape(flag.explanation, quote=False) in page

    def test_size_is_bounded(self, example):
        """The report stays under the cap; most of it is plotly.js."""
        from plotly.offline import get_plotlyjs

        size = len(render_report(example).encode("utf-8"))
        library = len(get_plotlyjs().encode("utf-8"))
        assert size < MAX_REPORT_BYTES
        assert size - library < 500_000

    @pytest.mark.parametrize("module", ["jinja2", "plotly.offline"])
    def test_missing_extra(self, example, monkeypatch, module):
        """Without Jinja2 or plotly, the report says which extra to install."""
        monkeypatch.setitem(sys.modules, module, None)
        with pytest.raises(MissingDependencyError, match=r"pip install 'backlinkkit\[report\]'"):
            render_report(example)


# -- in the browser --------------------------------------------------------------------------
@pytest.fixture(scope="module")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("playwright", "BACKLINKKIT_REQUIRE_CHROMIUM")
    if not Path(CHROMIUM).exists():
        _missing(f"chromium ({CHROMIUM})", "BACKLINKKIT_REQUIRE_CHROMIUM")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def artifacts(tmp_path_factory) -> Path:
    """Where screenshots go: BACKLINKKIT_ARTIFACTS, or pytest's kept temporary directory."""
    chosen = os.environ.get("BACKLINKKIT_ARTIFACTS")
    if chosen:
        Path(chosen).mkdir(parents=True, exist_ok=True)
        return Path(chosen)
    return tmp_path_factory.mktemp("screenshots")


MARKS = """() => Array.from(document.querySelectorAll('[data-chart]')).map(area => ({
    id: area.id,
    drawn: area.getAttribute('data-drawn') === 'true',
    svg: area.querySelectorAll('svg.main-svg').length,
    marks: area.querySelectorAll('.bars .point path, .scatterlayer .js-line, .scatterlayer .point').length,
}))"""


def look(browser, report: Path, screenshot: Path, *, height: int = 900) -> dict:
    """Open the report as a person would; what the console said, what was asked for, the charts."""
    page = browser.new_page(viewport={"width": 1280, "height": height})
    said: list[str] = []
    asked: list[str] = []
    page.on(
        "console",
        lambda m: said.append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None,
    )
    page.on("pageerror", lambda error: said.append(f"pageerror: {error}"))
    page.on("request", lambda request: asked.append(request.url))
    page.on("requestfailed", lambda request: said.append(f"failed: {request.url}"))
    page.route(re.compile(r"^(?!file:).*"), lambda route: route.abort())  # nothing may leave
    page.goto(report.as_uri())
    page.wait_for_function(
        "document.querySelectorAll('[data-drawn]').length === "
        "document.querySelectorAll('[data-chart]').length",
        timeout=120_000,
    )
    charts = page.evaluate(MARKS)
    page.screenshot(path=str(screenshot))
    text = page.inner_text("body")
    page.close()
    return {"said": said, "asked": asked, "charts": charts, "text": text}


def check(seen: dict, report: Path) -> None:
    assert seen["said"] == []
    assert seen["asked"] == [report.as_uri()]
    for chart in seen["charts"]:
        assert chart["drawn"], chart
        assert chart["svg"], chart
        assert chart["marks"] > 0, chart


class TestInBrowser:
    def test_example(self, browser, example, tmp_path, artifacts):
        """The example report: no console error, no request, five charts drawn, a screenshot."""
        example.write(tmp_path)
        report = tmp_path / "report.html"
        seen = look(browser, report, artifacts / "audit-example.png", height=1500)
        check(seen, report)
        assert len(seen["charts"]) == 5
        assert "Backlink audit of balconyharvest.example" in seen["text"]
        if os.environ.get("BACKLINKKIT_UPDATE_SCREENSHOT") == "1":  # the docs' picture
            shutil.copyfile(
                artifacts / "audit-example.png", REPO / "docs" / "_static" / "audit-report.png"
            )

    def test_tiny(self, browser, tmp_path, artifacts):
        """Three links: every chart still draws."""
        tiny().write(tmp_path)
        seen = look(browser, tmp_path / "report.html", artifacts / "audit-tiny.png")
        check(seen, tmp_path / "report.html")
        assert len(seen["charts"]) == 5

    def test_empty(self, browser, tmp_path, artifacts):
        """No link at all: the page says so instead of drawing empty charts, with no error."""
        empty().write(tmp_path)
        seen = look(browser, tmp_path / "report.html", artifacts / "audit-empty.png")
        check(seen, tmp_path / "report.html")
        assert seen["charts"] == []
        assert "No referring domains." in seen["text"]

    def test_comparisons(self, browser, tmp_path, artifacts):
        """Authority, gap, previous snapshot and broken targets: their sections and charts draw."""
        comparisons().write(tmp_path)
        report = tmp_path / "report.html"
        seen = look(browser, report, artifacts / "audit-comparisons.png", height=3000)
        check(seen, report)
        ids = {chart["id"] for chart in seen["charts"]}
        assert {"chart-authority", "chart-gap", "chart-diff-categories"} <= ids
        for text in ("Authority of referring domains", "Link gap", "shared.test",
                     "Since the previous snapshot", "gone.test", "Broken target pages",
                     "https://site.test/old-guide", "not-found"):  # fmt: skip
            assert text in seen["text"], text

    def test_million_links(self, browser, million, artifacts):
        """A 1,000,000-link audit: the report stays under the cap and opens like the others."""
        report = million / "report.html"
        assert report.stat().st_size < MAX_REPORT_BYTES
        seen = look(browser, report, artifacts / "audit-million.png")
        check(seen, report)
        assert len(seen["charts"]) == 5
        assert "Showing the first 50 of 20,000 rows" in seen["text"]


def comparisons() -> AuditResult:
    """An audit with every comparison: two competitors, a previous snapshot, ranks, targets."""

    def export(site: str, *hosts: str) -> io.StringIO:
        return io.StringIO(
            "source_url,target_url,anchor\n"
            + "".join(f"https://{h}/post,https://{site}/,{h.split('.')[0]}\n" for h in hosts)
        )

    ranks = "#harmonicc_pos\t#harmonicc_val\t#pr_pos\t#pr_val\t#host_rev\t#n_hosts\n" + "".join(
        f"{p}\t0.5\t{p}\t0.01\ttest.{name}\t1\n" for p, name in ((3, "news"), (40_000, "wiki"))
    )
    result = audit(
        [("mine.csv", export("site.test", "news.test", "blog.test", f"{HOSTILE}.test"))],
        site="site.test",
        competitors={
            "a.test": [("a.csv", export("a.test", "wiki.test", "shared.test"))],
            "b.test": [("b.csv", export("b.test", "shared.test", "blog.test"))],
        },
        previous=[("old.csv", export("site.test", "news.test", "gone.test"))],
        ranks=io.BytesIO(ranks.encode()),
        date=D(2026, 11, 30),
    )
    checks = (
        TargetCheck(
            url="https://site.test/old-guide",
            status=TargetStatus.NOT_FOUND,
            http_status=404,
            referring_domains={"news.test": 2, "blog.test": 1},
        ),
        TargetCheck(
            url="https://site.test/",
            status=TargetStatus.OK,
            http_status=200,
            referring_domains={"blog.test": 1},
        ),
    )
    return attrs.evolve(result, targets=checks)


def _million_rows(path: Path, rows: int = 1_000_000) -> None:
    """A generic-layout export of `rows` links from 20,000 sites, written once per session."""
    rng = random.Random(7)
    anchors = ["Site", "site.test", "here", "cheap shoes", "read more"] + [
        f"topic {i}" for i in range(5000)
    ]
    start = D(2023, 1, 1)
    days = [(start + dt.timedelta(days=d)).isoformat() for d in range(1100)]
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("source_url,target_url,anchor,nofollow,sponsored,ugc,first_seen,source_ip\n")
        for i in range(rows):
            site = int(rng.paretovariate(1.1)) % 20_000 if i >= 20_000 else i
            anchor = anchors[int(rng.random() ** 3 * len(anchors))]
            nofollow = "true" if rng.random() < 0.15 else "false"
            ip = f"100.{64 + site % 64}.{site // 64 % 256}.{site % 250 + 1}"
            out.write(f"https://www.site{site}.test/p/{i},https://site.test/,{anchor},{nofollow},false,false,"
                      f"{days[rng.randrange(1100)]},{ip}\n")  # fmt: skip


@pytest.fixture(scope="session")
def million(tmp_path_factory) -> Path:
    """The 1,000,000-link audit's outputs, made once per session."""
    folder = tmp_path_factory.mktemp("million")
    export = folder / "links.csv"
    _million_rows(export)
    with export.open("rb") as stream:
        result = audit([("links.csv", stream)], site="site.test", keywords=["cheap shoes"],
                       date=D(2026, 11, 30))  # fmt: skip
    assert result.links == 1_000_000
    result.write(folder)
    return folder
