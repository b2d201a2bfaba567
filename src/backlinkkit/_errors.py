"""The exception hierarchy: one root, and each specific error also a built-in one.

Every error backlinkkit raises derives from `BacklinkkitError`, so callers can catch the library's
errors in one clause; each specific error also subclasses the matching built-in exception, so code
that already catches `ValueError` (or `ImportError`) keeps working.
"""

from __future__ import annotations

__all__ = [
    "ArgumentTypeError",
    "AuditError",
    "AuthorityError",
    "BacklinkkitError",
    "ComparisonError",
    "DisavowError",
    "DisavowLimitError",
    "ExportFormatError",
    "ExtractionError",
    "InvalidURLError",
    "MissingDependencyError",
    "ProfileMergeError",
    "SettingsError",
    "SuffixListError",
]


class BacklinkkitError(Exception):
    """The root of every error backlinkkit raises."""


class SettingsError(BacklinkkitError, ValueError):
    """Raised when a setting or argument has a value the call cannot take.

    A negative cache size, a share above 1, a value whose parts contradict each other; the message
    names the setting and the value given.
    """


class ArgumentTypeError(BacklinkkitError, TypeError):
    """Raised when an argument is not of a type the call takes.

    A brand that is not a string, `None` where a text is needed, `"false"` where a boolean is;
    the message names the argument and the type given.
    """


class PickleStateError(BacklinkkitError, TypeError):
    """Raised when unpickling meets a state this version cannot load.

    A pickle of a later version of backlinkkit, or bytes that are not the pickle of the class
    named; the message names the class and the state version found. (A `TypeError`, as `pickle`
    itself raises for a state that does not fit.)
    """


class InvalidURLError(BacklinkkitError, ValueError):
    """Raised when a URL or host that must be valid (a page URL, a target domain) is not."""


class SuffixListError(BacklinkkitError, ValueError):
    """Raised when a public suffix list given by the user cannot be read."""


class ExtractionError(BacklinkkitError, ValueError):
    """Deprecated: no longer raised. `extract_links` makes a page of any bytes or text.

    Kept so that code catching it keeps working; it may be removed in a later release.
    """


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


class AuthorityError(BacklinkkitError, ValueError):
    """Raised when an authority value is invalid or a Common Crawl ranks file cannot be read.

    A score outside 0-100 or a rank position below 1; for a ranks file, a wrong header, damaged
    or truncated gzip data, or a malformed row (the message names the line).
    """


class ComparisonError(BacklinkkitError, ValueError):
    """Raised when profiles cannot be compared as asked.

    A competitor given twice or that is the target itself, a `min_competitors` out of range, or
    snapshots of different targets or anchor settings.
    """
