"""The exception hierarchy: one root, and each specific error also a built-in one.

Every error backlinkkit raises derives from `BacklinkkitError`, so callers can catch the library's
errors in one clause; each specific error also subclasses the matching built-in exception, so code
that already catches `ValueError` (or `ImportError`) keeps working.
"""

from __future__ import annotations

__all__ = [
    "AuditError",
    "BacklinkkitError",
    "DisavowError",
    "DisavowLimitError",
    "ExportFormatError",
    "ExtractionError",
    "InvalidURLError",
    "MissingDependencyError",
    "ProfileMergeError",
    "SuffixListError",
]


class BacklinkkitError(Exception):
    """The root of every error backlinkkit raises."""


class InvalidURLError(BacklinkkitError, ValueError):
    """Raised when a URL or host that must be valid (a page URL, a target domain) is not."""


class SuffixListError(BacklinkkitError, ValueError):
    """Raised when a public suffix list given by the user cannot be read."""


class ExtractionError(BacklinkkitError, ValueError):
    """Raised when `extract_links` cannot make a document of its input at all."""


class ExportFormatError(BacklinkkitError, ValueError):
    """Raised when a backlink export cannot be read, or a record cannot be written.

    Reading: an unknown format, a bad row, a bad value. Writing: a record the generic layout
    cannot carry back unchanged. The message names the line and, where it applies, the column.
    """


class ProfileMergeError(BacklinkkitError, ValueError):
    """Raised when two link profiles of different targets or settings are merged."""


class DisavowError(BacklinkkitError, ValueError):
    """Raised when a disavow entry or file is malformed in a way that cannot be kept."""


class DisavowLimitError(DisavowError):
    """Raised when writing a disavow file that would break Google's limits (lines, bytes)."""


class AuditError(BacklinkkitError, ValueError):
    """Raised when an audit's settings cannot be used: a thresholds file, an allow list."""


class MissingDependencyError(BacklinkkitError, ImportError):
    """Raised when an optional feature is used without its extra installed."""
