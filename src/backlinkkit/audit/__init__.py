r"""The backlink audit: exports in; a report, tables and a disavow file out.

`audit` reads exports of one or several tools, merges them into distinct links, profiles
them, raises flags and proposes disavow candidates merged into the current disavow file: an
immutable `AuditResult`. `AuditResult.write` writes it all (summary.json, CSV tables,
disavow.txt, report.html); `render_report` makes the HTML report alone. The report needs the
`report` extra (`pip install 'backlinkkit[report]'`: Jinja2 and plotly); everything else works
without it. Competitors' exports (the link gap), a previous snapshot (what changed), a Common
Crawl ranks file (authority) and a check of the site's target URLs (the `fetch` extra) add their
sections.

>>> import io
>>> from backlinkkit.audit import audit
>>> export = io.StringIO("source_url,anchor\nhttps://blog.test/post,Example\n")
>>> result = audit([("links.csv", export)], site="example.com")
>>> result.links, result.profile.summary().referring_domains
(1, 1)
"""

from __future__ import annotations

from ._compare import TARGETS_PROGRESS, Competitor
from ._core import (
    SCHEMA,
    AuditInput,
    AuditResult,
    DisavowProposal,
    Evidence,
    Export,
    Rejection,
    audit,
)
from ._example import EXAMPLE, ExampleAudit
from ._report import MAX_REPORT_BYTES, render_report
from ._sections import Chart, ReportSection, default_sections
from ._settings import load_thresholds, parse_allow_list
from ._tables import COMPARISON_TABLES, TABLES, neutralize
from ._write import OUTPUT_FILES, WrittenOutputs, write_outputs

__all__ = [
    "COMPARISON_TABLES",
    "EXAMPLE",
    "MAX_REPORT_BYTES",
    "OUTPUT_FILES",
    "SCHEMA",
    "TABLES",
    "TARGETS_PROGRESS",
    "AuditInput",
    "AuditResult",
    "Chart",
    "Competitor",
    "DisavowProposal",
    "Evidence",
    "ExampleAudit",
    "Export",
    "Rejection",
    "ReportSection",
    "WrittenOutputs",
    "audit",
    "default_sections",
    "load_thresholds",
    "neutralize",
    "parse_allow_list",
    "render_report",
    "write_outputs",
]

# Classes say they live here, so reprs and pickles name the public module.
for _name in __all__:
    _value = globals()[_name]
    if isinstance(_value, type):
        _value.__module__ = __name__
del _name, _value
