"""backlinkkit: link analysis for SEO.

Browser-faithful link extraction, anchor-text classification, link profiles and Google disavow
files, as composable pieces over plain values. Import everything from here: the modules behind it
are private.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._anchors import AnchorCategory, AnchorClass, AnchorClassifier, AnchorRule, normalize_anchor
from ._backlink import Backlink
from ._candidates import CandidateReason, CandidateSignal, DisavowCandidate, disavow_candidates
from ._disavow import (
    DisavowDiff,
    DisavowEntry,
    DisavowEntryKind,
    DisavowFile,
    DisavowLine,
    InvalidLines,
)
from ._disavow_rules import DisavowLineKind, DisavowProblem, DisavowProblemCode
from ._errors import (
    AuditError,
    BacklinkkitError,
    DisavowError,
    DisavowLimitError,
    ExportFormatError,
    ExtractionError,
    InvalidURLError,
    MissingDependencyError,
    ProfileMergeError,
    SuffixListError,
)
from ._export_headers import ExportFormat
from ._extract import extract_links
from ._fetch_result import FetchErrorKind, FetchResult, RedirectHop
from ._flags import Flag, FlagName, Severity
from ._generic_phrases import GENERIC_PHRASES, GENERIC_PHRASES_BY_LANGUAGE
from ._importers import (
    ExportReader,
    LinkingSite,
    RejectedRow,
    read_backlinks,
    read_linking_sites,
    write_backlinks,
)
from ._link_check import LinkCheck, LinkStatus
from ._links import Link, LinkKind, PageLinks, Robots, Section
from ._profile import LinkProfile, ReferringDomain
from ._summary import AnchorDiversity, ProfileSummary
from ._thresholds import Thresholds
from ._urls import SuffixList, registrable_domain

if TYPE_CHECKING:  # what mypy and editors see; at run time __getattr__ below imports them
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
    "AuditError",
    "Backlink",
    "BacklinkkitError",
    "CandidateReason",
    "CandidateSignal",
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
    "ExportFormat",
    "ExportFormatError",
    "ExportReader",
    "ExtractionError",
    "FetchErrorKind",
    "FetchResult",
    "Flag",
    "FlagName",
    "InvalidLines",
    "InvalidURLError",
    "Link",
    "LinkCheck",
    "LinkKind",
    "LinkProfile",
    "LinkStatus",
    "LinkingSite",
    "MissingDependencyError",
    "PageLinks",
    "ProfileMergeError",
    "ProfileSummary",
    "RedirectHop",
    "ReferringDomain",
    "RejectedRow",
    "Robots",
    "Section",
    "Severity",
    "SuffixList",
    "SuffixListError",
    "Thresholds",
    "disavow_candidates",
    "extract_links",
    "normalize_anchor",
    "read_backlinks",
    "read_linking_sites",
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
_LAZY_FETCH_NAMES = frozenset({"Fetcher", "verify_backlink", "verify_backlinks"})


def __getattr__(name: str) -> Any:  # noqa: ANN401 - whatever the fetch module defines
    if name in _LAZY_FETCH_NAMES:
        from . import fetch  # noqa: PLC0415 - deliberately lazy

        return getattr(fetch, name)
    raise AttributeError(f"module 'backlinkkit' has no attribute {name!r}")
