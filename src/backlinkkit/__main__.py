"""`python -m backlinkkit`: the same as the `backlinkkit` command."""

from __future__ import annotations

import sys

from ._cli import main

if __name__ == "__main__":
    sys.exit(main())
