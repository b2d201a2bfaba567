"""The HTML report: one self-contained file, a list of sections, each a template and its data.

Jinja2 renders the templates with autoescaping on (anchors, titles and URLs come from exports:
hostile text); the charts are plotly figures drawn in the page by plotly.js, which is inlined
with the report's own CSS and script, so the file opens offline and asks the network for
nothing (its Content-Security-Policy forbids it, too). Long tables show their first rows and
name the CSV file that holds all of them; what the report holds is bounded whatever the input
size, so it stays a few hundred kilobytes over plotly.js.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from importlib import resources
from typing import Any, Final

from .._errors import MissingDependencyError
from .._profile._flags import Flag, FlagName
from ._core import AuditResult
from ._sections import Chart, ReportSection, default_sections

__all__ = ["MAX_REPORT_BYTES", "render_report"]

MAX_REPORT_BYTES: Final = 6_000_000
"""The size the report must stay under, whatever the input (plotly.js is about 4.8 MB of it)."""


def _environment() -> Any:  # noqa: ANN401 - a jinja2.Environment, imported lazily
    try:
        import jinja2  # noqa: PLC0415 - the report extra is optional
    except ImportError:
        raise MissingDependencyError(
            "the HTML report needs Jinja2 and plotly: pip install 'backlinkkit[report]'"
        ) from None
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("backlinkkit.audit", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(FILTERS)
    return env


def _plotly_js() -> str:
    try:
        from plotly.offline import get_plotlyjs  # noqa: PLC0415 - the report extra is optional
    except ImportError:
        raise MissingDependencyError(
            "the HTML report's charts need plotly: pip install 'backlinkkit[report]'"
        ) from None
    script: str = get_plotlyjs()
    return _script_safe(script)


def _script_safe(text: str) -> str:
    # Inside <script>, only "</script" (any case) ends the element; "<\/" means the same in JS.
    return text.replace("</", "<\\/")


def _static(name: str) -> str:
    return resources.files(__package__).joinpath("static", name).read_text(encoding="utf-8")


def _chart_json(chart: Chart) -> str:
    # "<" as \u003c: the JSON sits in a <script> element, and labels come from exports.
    return json.dumps(chart.figure, ensure_ascii=False, separators=(",", ":")).replace(
        "<", "\\u003c"
    )


def render_report(result: AuditResult, *, sections: Sequence[ReportSection] | None = None) -> str:
    """The HTML report of an audit, as one self-contained page.

    Args:
        result: the audit.
        sections: the sections to render, in order; `default_sections(result)` if None (a
            caller can add its own: each is a template and its data).

    Returns:
        The HTML text (UTF-8 when written).

    Raises:
        MissingDependencyError: Jinja2 or plotly is not installed (the `report` extra).
    """
    env = _environment()
    plotly_js = _plotly_js()
    chosen = tuple(default_sections(result) if sections is None else sections)
    import markupsafe  # noqa: PLC0415 - Jinja2's own dependency, there when Jinja2 is

    # Markup marks what goes in as it is: the package's own CSS and script, plotly.js, and the
    # charts' JSON, whose every `<` is escaped (no text in it can end its <script> element).
    trusted = markupsafe.Markup
    charts = {c.id: trusted(_chart_json(c)) for s in chosen for c in s.charts}
    page = env.get_template("report.html.j2").render(
        result=result,
        sections=chosen,
        charts=charts,
        css=trusted(_static("report.css")),
        script=trusted(_script_safe(_static("report.js"))),
        plotly_js=trusted(plotly_js),
    )
    return str(page)


# -- filters -------------------------------------------------------------------------------------
def _number(value: object) -> str:
    if value is None:
        return "\u2013"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.2f}"
    return f"{int(value):,}" if isinstance(value, (int, float)) else str(value)


def _percent(value: object, digits: int = 1) -> str:
    return "\u2013" if value is None else f"{float(value):.{digits}%}"  # type: ignore[arg-type]


def _clip(value: object, width: int = 120) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= width else text[: width - 1] + "…"


_COUNT_FLAGS: Final = frozenset({FlagName.VELOCITY_SPIKE, FlagName.INSUFFICIENT_DATA})


def _flag_value(flag: Flag, which: str) -> str:
    value = flag.value if which == "value" else flag.threshold
    return _number(value) if flag.name in _COUNT_FLAGS else _percent(value)


FILTERS: Final[Mapping[str, Callable[..., object]]] = {
    "number": _number,
    "percent": _percent,
    "clip": _clip,
    "flag_value": _flag_value,
}
