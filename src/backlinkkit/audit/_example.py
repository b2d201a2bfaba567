"""The example audit that ships with backlinkkit (`backlinkkit audit --example`).

The exports under `_examples/audit/` are written by `benchmarks/make_audit_example.py` (made-up
names and numbers, no real site's data): a healthy profile, then a burst of bought exact-match
links from one /24 subnet. See that script for the story.
"""

from __future__ import annotations

from importlib import resources
from typing import Final

import attrs

__all__ = ["EXAMPLE", "ExampleAudit"]

_FILES: Final = (
    "ahrefs-backlinks.tsv",
    "search-console-latest-links.csv",
    "crawl-ips.csv",
)


@attrs.frozen(kw_only=True)
class ExampleAudit:
    """The example's settings and files (read from the installed package on demand).

    Attributes:
        site: the audited site.
        brands: its brands.
        keywords: its money keywords.
        exports: the export file names, in the order given to the audit.
    """

    site: str
    brands: tuple[str, ...]
    keywords: tuple[str, ...]
    exports: tuple[str, ...]

    @staticmethod
    def read(name: str) -> bytes:
        """The bytes of one of the example's files (an export, `allow.txt`, `current-disavow.txt`).

        >>> EXAMPLE.read("allow.txt").startswith(b"# ")
        True
        """
        folder = resources.files("backlinkkit._examples").joinpath("audit")
        return folder.joinpath(name).read_bytes()


EXAMPLE: Final = ExampleAudit(
    site="balconyharvest.example",
    brands=("Balcony Harvest",),
    keywords=("self watering planters", "balcony garden", "container vegetable garden"),
    exports=_FILES,
)
"""The example audit: balconyharvest.example, three exports, an allow list, a disavow file."""
