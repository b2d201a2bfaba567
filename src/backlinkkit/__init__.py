"""backlinkkit: link analysis for SEO.

Browser-faithful link extraction, anchor-text classification, link profiles and Google disavow
files, as composable pieces over plain values. Import everything from here: the modules behind it
are private.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._anchors._classifier import (
    AnchorCategory,
    AnchorClass,
    AnchorClassifier,
    AnchorRule,
    normalize_anchor,
)
from ._anchors._generic_phrases import GENERIC_PHRASES, GENERIC_PHRASES_BY_LANGUAGE
from ._backlink import Backlink
from ._compare._authority import (
    AuthorityBucket,
    AuthorityMetric,
    GraphLevel,
    ImportedAuthority,
    WebGraphRank,
    WebGraphRanks,
    read_web_graph_ranks,
)
from ._compare._gap import GapDomain, LinkGap, link_gap
from ._compare._snapshot_diff import (
    CategoryShift,
    DomainChange,
    DomainChangeKind,
    FlagChange,
    ProfileDiff,
    diff_profiles,
)
from ._compare._target_check import TargetCheck, TargetStatus
from ._disavow._file import (
    DisavowDiff,
    DisavowEntry,
    DisavowEntryKind,
    DisavowFile,
    DisavowLine,
    InvalidLines,
)
from ._disavow._rules import DisavowLineKind, DisavowProblem, DisavowProblemCode
from ._errors import (
    ArgumentTypeError,
    AuditError,
    AuthorityError,
    BacklinkkitError,
    ComparisonError,
    DisavowError,
    DisavowLimitError,
    ExportFormatError,
    ExtractionError,
    InvalidURLError,
    MissingDependencyError,
    PickleStateError,
    ProfileMergeError,
    SettingsError,
    SuffixListError,
)
from ._http._fetch_result import FetchErrorKind, FetchResult, RedirectHop
from ._http._link_check import LinkCheck, LinkStatus
from ._importers._reader import (
    ExportReader,
    LinkingSite,
    RejectedRow,
    read_backlinks,
    read_linking_sites,
)
from ._importers._tool_headers import ExportFormat
from ._importers._writer import write_backlinks
from ._profile._candidates import (
    CandidateReason,
    CandidateSignal,
    DisavowCandidate,
    disavow_candidates,
)
from ._profile._flags import Flag, FlagName, Severity
from ._profile._link_profile import LinkProfile
from ._profile._referring_domain import ReferringDomain
from ._profile._summary import AnchorDiversity, ProfileSummary
from ._profile._thresholds import Thresholds
from ._web._extract import extract_links
from ._web._headers import Headers
from ._web._links import Link, LinkKind, PageLinks, Robots, Section
from ._web._urls import SuffixList, registrable_domain

if TYPE_CHECKING:  # what mypy and editors see; at run time __getattr__ below imports them
    from ._compare._target_check import check_targets as check_targets
    from .fetch import Fetcher as Fetcher
    from .fetch import verify_backlink as verify_backlink
    from .fetch import verify_backlinks as verify_backlinks

__all__ = [
    "GENERIC_PHRASES",
    "GENERIC_PHRASES_BY_LANGUAGE",
    "AnchorCategory",
    "AnchorClass",
    "AnchorClassifier",
    "AnchorDiversity",
    "AnchorRule",
    "ArgumentTypeError",
    "AuditError",
    "AuthorityBucket",
    "AuthorityError",
    "AuthorityMetric",
    "Backlink",
    "BacklinkkitError",
    "CandidateReason",
    "CandidateSignal",
    "CategoryShift",
    "ComparisonError",
    "DisavowCandidate",
    "DisavowDiff",
    "DisavowEntry",
    "DisavowEntryKind",
    "DisavowError",
    "DisavowFile",
    "DisavowLimitError",
    "DisavowLine",
    "DisavowLineKind",
    "DisavowProblem",
    "DisavowProblemCode",
    "DomainChange",
    "DomainChangeKind",
    "ExportFormat",
    "ExportFormatError",
    "ExportReader",
    "ExtractionError",
    "FetchErrorKind",
    "FetchResult",
    "Flag",
    "FlagChange",
    "FlagName",
    "GapDomain",
    "GraphLevel",
    "Headers",
    "ImportedAuthority",
    "InvalidLines",
    "InvalidURLError",
    "Link",
    "LinkCheck",
    "LinkGap",
    "LinkKind",
    "LinkProfile",
    "LinkStatus",
    "LinkingSite",
    "MissingDependencyError",
    "PageLinks",
    "PickleStateError",
    "ProfileDiff",
    "ProfileMergeError",
    "ProfileSummary",
    "RedirectHop",
    "ReferringDomain",
    "RejectedRow",
    "Robots",
    "Section",
    "SettingsError",
    "Severity",
    "SuffixList",
    "SuffixListError",
    "TargetCheck",
    "TargetStatus",
    "Thresholds",
    "WebGraphRank",
    "WebGraphRanks",
    "diff_profiles",
    "disavow_candidates",
    "extract_links",
    "link_gap",
    "normalize_anchor",
    "read_backlinks",
    "read_linking_sites",
    "read_web_graph_ranks",
    "registrable_domain",
    "write_backlinks",
]

# Public classes say they live here, as httpx's do: reprs, tracebacks and pickles name
# `backlinkkit.X`, never the private module that defines it, so moving code breaks no pickle.
for _name in __all__:
    _value = globals()[_name]
    if isinstance(_value, type):
        _value.__module__ = __name__
del _name, _value

# The fetcher needs requests (the `fetch` extra): it is imported on first use only, so
# `import backlinkkit` never imports requests. Its names stay out of `__all__` so that
# `from backlinkkit import *` works without requests too.
_LAZY_FETCH_NAMES = frozenset({"Fetcher", "check_targets", "verify_backlink", "verify_backlinks"})


def __getattr__(name: str) -> Any:  # noqa: ANN401 - whatever the fetch module defines
    if name in _LAZY_FETCH_NAMES:
        from . import fetch  # noqa: PLC0415 - deliberately lazy

        if name == "check_targets":  # it lives beside fetch, and needs it
            from ._compare import _target_check  # noqa: PLC0415

            return _target_check.check_targets
        return getattr(fetch, name)
    raise AttributeError(f"module 'backlinkkit' has no attribute {name!r}")
