"""Shared test settings: hypothesis profiles, the corpus location."""

from __future__ import annotations

import os
from pathlib import Path

from hypothesis import HealthCheck, settings

settings.register_profile("default", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile(
    "ci", deadline=None, max_examples=200, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("ci" if os.environ.get("CI") else "default")

FIXTURES = Path(__file__).parent / "fixtures"
# The real-page corpus lives beside the repository (../shared/corpus), never inside it.
CORPUS = Path(os.environ.get("BACKLINKKIT_CORPUS", Path(__file__).parents[2] / "shared" / "corpus"))
