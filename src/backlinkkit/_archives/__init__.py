"""The archive job's parts: targets, prefilter, WARC and WAT reading, rows, scanning, output.

Public names are re-exported by `backlinkkit.warc` and `backlinkkit.spark`; nothing here is
imported by the core package.
"""

from __future__ import annotations
