"""backlinkkit: link analysis for SEO.

Browser-faithful link extraction, anchor-text classification, link profiles and Google disavow
files, as composable pieces over plain values. Import everything from here: the modules behind it
are private.
"""

from __future__ import annotations

from typing import Any

from ._backlink import Backlink
from ._errors import (
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
from ._links import Link, LinkKind, PageLinks, Robots, Section
from ._urls import SuffixList, registrable_domain

# -- extract (issue 2) --
# -- anchors (issue 3) --
# -- backlinks, importers, profile (issue 4) --
# -- disavow (issue 5) --

__all__ = [
    "Backlink",
    "BacklinkkitError",
    "DisavowError",
    "DisavowLimitError",
    "ExportFormatError",
    "ExtractionError",
    "InvalidURLError",
    "Link",
    "LinkKind",
    "MissingDependencyError",
    "PageLinks",
    "ProfileMergeError",
    "Robots",
    "Section",
    "SuffixList",
    "SuffixListError",
    "registrable_domain",
]

# The fetcher needs requests (the `fetch` extra): it is imported on first use only, so
# `import backlinkkit` never imports requests.
_LAZY_FETCH_NAMES = frozenset({"Fetcher", "verify_backlink"})


def __getattr__(name: str) -> Any:  # noqa: ANN401 - whatever the fetch module defines
    if name in _LAZY_FETCH_NAMES:
        from . import fetch  # noqa: PLC0415 - deliberately lazy

        return getattr(fetch, name)
    raise AttributeError(f"module 'backlinkkit' has no attribute {name!r}")
