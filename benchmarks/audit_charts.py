"""The report's charts three ways: plotly (chosen), Vega-Lite through vl-convert, matplotlib SVG.

The same five charts of the example audit (referring domains per month with the running total,
anchor categories per domain and per link, rel values, links per referring domain, TLDs), each
way, in a fresh subprocess per run (imports count: a command pays them), medians quoted:
Python time to make the charts, the page's size, how much of it is the library's code; and a
screenshot of each page in chromium, to look at.

    pip install vl-convert-python matplotlib   # the alternatives (not project dependencies)
    python benchmarks/audit_charts.py [--repeat K] [--shots DIR]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

COMMON = """
import io, json, sys, time
start = time.perf_counter()
from backlinkkit.audit import EXAMPLE, audit, default_sections
result = audit([(n, io.BytesIO(EXAMPLE.read(n))) for n in EXAMPLE.exports], site=EXAMPLE.site,
               brands=EXAMPLE.brands, keywords=EXAMPLE.keywords)
charts = [c for s in default_sections(result) for c in s.charts]
begin = time.perf_counter()
"""

PLOTLY = (
    COMMON
    + """
from backlinkkit.audit import render_report
from plotly.offline import get_plotlyjs
page = render_report(result)
seconds = time.perf_counter() - begin
library = len(get_plotlyjs().encode())
"""
)

VEGA = (
    COMMON
    + """
import vl_convert
def bars(values, x, y, color="#2b6cb0", horizontal=False, **extra):
    enc = {"x": {"field": x, "type": "nominal", "sort": None, "axis": {"labelAngle": -45}},
           "y": {"field": y, "type": "quantitative"}}
    if horizontal:
        enc = {"y": {"field": x, "type": "nominal", "sort": None}, "x": {"field": y, "type": "quantitative"}}
    enc.update(extra)
    return {"$schema": "https://vega.github.io/schema/vega-lite/v5.json", "width": 900, "height": 240,
            "data": {"values": values}, "mark": {"type": "bar", "color": color}, "encoding": enc}
svgs = []
for chart in charts:
    traces = chart.figure["data"]
    if chart.id == "chart-months":
        values = [{"month": m, "gained": g, "lost": l, "total": t} for m, g, l, t in
                  zip(traces[0]["x"], traces[0]["y"], traces[1]["y"], traces[2]["y"])]
        spec = {"$schema": "https://vega.github.io/schema/vega-lite/v5.json", "width": 900, "height": 240,
                "data": {"values": values}, "layer": [
                    {"mark": {"type": "bar", "color": "#2f855a"}, "encoding": {
                        "x": {"field": "month", "type": "ordinal"}, "y": {"field": "gained", "type": "quantitative"}}},
                    {"mark": {"type": "bar", "color": "#c53030"}, "encoding": {
                        "x": {"field": "month", "type": "ordinal"}, "y": {"field": "lost", "type": "quantitative"}}},
                    {"mark": {"type": "line", "color": "#2b6cb0", "point": True}, "encoding": {
                        "x": {"field": "month", "type": "ordinal"}, "y": {"field": "total", "type": "quantitative"}}}],
                "resolve": {"scale": {"y": "independent"}}}
    elif chart.id == "chart-categories":
        values = [{"category": c, "share": v, "by": t["name"]} for t in traces for c, v in zip(t["y"], t["x"])]
        spec = bars(values, "category", "share", horizontal=True,
                    color={"field": "by", "type": "nominal"}, yOffset={"field": "by"})
    else:
        t = traces[0]
        spec = bars([{"x": x, "y": y} for x, y in zip(t["x"], t["y"])], "x", "y")
    svgs.append(vl_convert.vegalite_to_svg(spec))
page = "<!DOCTYPE html><html><body>" + "".join(f"<figure>{s}</figure>" for s in svgs) + "</body></html>"
seconds = time.perf_counter() - begin
library = 0
"""
)

MATPLOTLIB = (
    COMMON
    + """
import matplotlib
matplotlib.use("svg")
import matplotlib.pyplot as plt
svgs = []
for chart in charts:
    fig, ax = plt.subplots(figsize=(11, 3))
    for t in chart.figure["data"]:
        if t["type"] == "scatter":
            ax.twinx().plot(t["x"], t["y"], color="#2b6cb0", marker=".")
        elif t.get("orientation") == "h":
            ax.barh(t["y"], t["x"], alpha=0.7, label=t.get("name"))
        else:
            ax.bar([str(x) for x in t["x"]], t["y"], label=t.get("name"))
    ax.tick_params(axis="x", rotation=60, labelsize=7)
    fig.tight_layout()
    out = io.StringIO()
    fig.savefig(out, format="svg")
    plt.close(fig)
    svgs.append(out.getvalue())
page = "<!DOCTYPE html><html><body>" + "".join(f"<figure>{s}</figure>" for s in svgs) + "</body></html>"
seconds = time.perf_counter() - begin
library = 0
"""
)

REPORT = """
print(json.dumps({"chart_seconds": seconds, "total_seconds": time.perf_counter() - start,
                  "bytes": len(page.encode()), "library": library}))
open(sys.argv[1], "w", encoding="utf-8").write(page)
"""

WAYS = {"plotly (chosen)": PLOTLY, "vega-lite + vl-convert": VEGA, "matplotlib svg": MATPLOTLIB}
SHOT = """
import sys
from playwright.sync_api import sync_playwright
args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
with sync_playwright() as p:
    browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=args)
    page = browser.new_page(viewport={"width": 1280, "height": 1200})
    page.goto("file://" + sys.argv[1])
    page.wait_for_timeout(1500)
    page.screenshot(path=sys.argv[2], full_page=True)
    browser.close()
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--shots", type=Path, default=Path(tempfile.gettempdir()) / "audit-charts")
    args = parser.parse_args()
    args.shots.mkdir(parents=True, exist_ok=True)
    for name, code in WAYS.items():
        slug = name.split()[0]
        page = args.shots / f"{slug}.html"
        runs = []
        for _ in range(args.repeat):
            done = subprocess.run(
                [sys.executable, "-c", code + REPORT, str(page)],
                capture_output=True,
                text=True,
                check=False,
            )
            if done.returncode:
                print(f"{name}: not measured ({done.stderr.strip().splitlines()[-1]})")
                break
            runs.append(json.loads(done.stdout))
        if not runs:
            continue
        size = statistics.median(r["bytes"] for r in runs)
        library = runs[0]["library"]
        print(f"{name:24} charts {statistics.median(r['chart_seconds'] for r in runs):5.2f} s "
              f"(whole script {statistics.median(r['total_seconds'] for r in runs):5.2f} s), "
              f"page {size / 1e6:5.2f} MB, library code {library / 1e6:4.2f} MB")  # fmt: skip
        if shutil.which("chromium"):
            subprocess.run(
                [sys.executable, "-c", SHOT, str(page), str(args.shots / f"{slug}.png")],
                check=False,
            )
    print(f"pages and screenshots in {args.shots}")


if __name__ == "__main__":
    main()
