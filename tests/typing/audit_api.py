"""Uses of `backlinkkit.audit` that mypy checks (`nox -s mypy`): type-checked, not run."""

from __future__ import annotations

import io
from pathlib import Path

from backlinkkit import DisavowEntry, Flag, LinkProfile, Severity, Thresholds
from backlinkkit.audit import (
    EXAMPLE,
    AuditInput,
    AuditResult,
    Chart,
    DisavowProposal,
    ReportSection,
    WrittenOutputs,
    audit,
    default_sections,
    load_thresholds,
    parse_allow_list,
    render_report,
)

thresholds: Thresholds = load_thresholds(b"exact_match_share = 0.2\n", name="t.toml")
allow: tuple[str, ...] = parse_allow_list("domain:partner.test\n")
result: AuditResult = audit(
    [io.BytesIO(b"source_url\n"), ("console.csv", io.StringIO("Linking page\n"))],
    site="example.com",
    brands=["Example"],
    keywords="running shoes",
    allow=allow,
    current_disavow=b"domain:old.test\n",
    thresholds=thresholds,
    progress=lambda name, rows: None,
)
inputs: tuple[AuditInput, ...] = result.inputs
profile: LinkProfile = result.profile
flags: tuple[Flag, ...] = result.flags_at_least(Severity.WARNING)
proposal: DisavowProposal = result.disavow
added: tuple[DisavowEntry, ...] = proposal.added
content: bytes | None = proposal.content
summary: dict[str, object] = result.to_dict()
written: WrittenOutputs = result.write(Path("out"), report=False)
report: Path | None = written.report
sections: tuple[ReportSection, ...] = default_sections(result)
extra = ReportSection(id="x", title="X", template="rel.html.j2", charts=(Chart(id="c", figure={}),))
page: str = render_report(result, sections=[*sections, extra])
example_bytes: bytes = EXAMPLE.read(EXAMPLE.exports[0])
