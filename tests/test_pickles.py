"""Pickles made by an earlier version load in this one: profiles, backlinks, referring domains.

The classifier's and the disavow file's fixtures are read in their own test modules. The files in
`fixtures/pickles/` were written by version 1 of each state; rewriting them would hide exactly
the break these tests exist to catch, so a new state version adds a file and keeps the old one.
To write a missing one: `python tests/test_pickles.py`.
"""

from __future__ import annotations

import datetime as dt
import pickle
import sys
from pathlib import Path

import attrs
import pytest

from backlinkkit import AnchorClassifier, Backlink, LinkKind, LinkProfile

PICKLES = Path(__file__).parent / "fixtures" / "pickles"


def pickled_profile() -> LinkProfile:
    """The profile the version-1 fixture holds, built afresh the same way."""
    classifier = AnchorClassifier(
        "https://example.com/", brands=["Example Shop"], keywords=["running shoes"]
    )
    profile = LinkProfile("example.com", classifier=classifier)
    start = dt.date(2025, 3, 1)
    for i in range(40):
        profile.add(
            Backlink(
                f"https://blog{i % 9}.example.org/post/{i}",
                target_url=f"https://example.com/{'shoes' if i % 3 else ''}",
                anchor=["running shoes", "Example Shop", "click here", None][i % 4],
                nofollow=i % 5 == 0,
                kind=LinkKind.IMAGE if i % 7 == 0 else LinkKind.TEXT,
                first_seen=start + dt.timedelta(days=11 * i),
                source_ip=f"203.0.113.{i % 4}",
                domain_rating=float(i),
                external_links=i * 50,
            )
        )
    return profile


def pickled_backlink() -> Backlink:
    """The backlink the version-1 fixture holds."""
    return Backlink(
        "https://news.example.net/a?b=c",
        target_url="https://example.com/shoes",
        anchor="Running shoes",
        sponsored=True,
        first_seen=dt.date(2026, 1, 2),
        last_seen=dt.date(2026, 11, 30),
        source_title="A title",
        spam=False,
        toxicity=12.5,
        toxic_markers=("link network",),
        sitewide=True,
        trust_flow=31,
        citation_flow=40,
        linked_domains=7,
        extra={"Tool column": "value"},
    )


FIXTURES = {
    "link_profile_v1.pickle": pickled_profile,
    "backlink_v1.pickle": pickled_backlink,
    "referring_domain_v1.pickle": lambda: pickled_profile().referring_domains()[0],
}
# Fields added since a fixture was written: the old pickle loads them as their defaults.
ADDED_SINCE = {"referring_domain_v1.pickle": {"authority": None}}


@pytest.mark.parametrize("name", sorted(FIXTURES))
def test_fixture_names_no_private_module(name):
    """A checked-in pickle names only backlinkkit's public classes and the standard library."""
    data = (PICKLES / name).read_bytes()
    assert b"backlinkkit._" not in data
    assert b"backlinkkit" in data


@pytest.mark.parametrize("name", sorted(FIXTURES))
def test_fixture_loads_as_the_value_it_holds(name):
    """A pickle written by version 1 loads as the value built today by the same steps."""
    loaded = pickle.loads((PICKLES / name).read_bytes())
    fresh = FIXTURES[name]()
    if name in ADDED_SINCE:
        fresh = attrs.evolve(fresh, **ADDED_SINCE[name])
    if isinstance(fresh, LinkProfile):
        assert loaded.to_dict() == fresh.to_dict()
        assert loaded.referring_domains() == fresh.referring_domains()
    else:
        assert loaded == fresh


def test_loaded_profile_keeps_working():
    """A profile loaded from the old pickle takes more links and merges with a new profile."""
    loaded = pickle.loads((PICKLES / "link_profile_v1.pickle").read_bytes())
    loaded.add(Backlink("https://late.example.io/", target_url="https://example.com/"))
    merged = loaded | pickled_profile()
    assert merged.summary().referring_domains == pickled_profile().summary().referring_domains + 1
    assert merged.summary().backlinks == 2 * pickled_profile().summary().backlinks + 1


if __name__ == "__main__":  # writes the fixtures that are missing, never rewrites one
    for file_name, build in FIXTURES.items():
        path = PICKLES / file_name
        if path.exists():
            sys.stderr.write(f"kept {path}\n")
            continue
        path.write_bytes(pickle.dumps(build(), protocol=4))
        sys.stderr.write(f"wrote {path}\n")
