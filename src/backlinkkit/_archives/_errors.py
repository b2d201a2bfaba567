"""The archive job's own error, under backlinkkit's one root."""

from __future__ import annotations

from .._errors import BacklinkkitError

__all__ = ["ArchiveJobError"]


class ArchiveJobError(BacklinkkitError, ValueError):
    """Raised when an archive job cannot use its input: a targets file, a manifest, its output.

    Damaged records inside an archive never raise: they are counted and skipped.
    """
