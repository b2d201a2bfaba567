"""requests stays optional: `import backlinkkit` never imports it, and its absence is explained.

These run in a fresh interpreter each, so they hold with and without requests installed.
"""

from __future__ import annotations

import subprocess
import sys

import pytest


def run(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=60
    )


class TestOptionalRequests:
    def test_import_does_not_import_requests(self):
        """`import backlinkkit`, and using its values, leaves requests unimported."""
        result = run(
            "import sys, backlinkkit\n"
            "backlinkkit.LinkStatus.LIVE, backlinkkit.FetchResult(url='https://a.example/')\n"
            "assert 'requests' not in sys.modules, 'requests was imported'\n"
            "assert 'backlinkkit.fetch' not in sys.modules, 'the fetcher was imported'\n"
        )
        assert result.returncode == 0, result.stderr

    @pytest.mark.parametrize("name", ["Fetcher", "verify_backlink", "verify_backlinks"])
    def test_missing_requests_names_the_extra(self, name):
        """Without requests, naming the fetcher raises MissingDependencyError naming the extra."""
        result = run(
            "import sys\n"
            "sys.modules['requests'] = None  # what an absent package looks like to import\n"
            "import backlinkkit\n"
            "try:\n"
            f"    backlinkkit.{name}\n"
            "except backlinkkit.MissingDependencyError as error:\n"
            "    assert isinstance(error, ImportError)\n"
            "    print(error)\n"
            "else:\n"
            "    raise SystemExit('no error')\n"
        )
        assert result.returncode == 0, result.stderr
        assert "pip install 'backlinkkit[fetch]'" in result.stdout

    def test_unknown_name(self):
        """Other missing names are a plain AttributeError, as for any module."""
        import backlinkkit

        with pytest.raises(AttributeError, match="no_such_thing"):
            backlinkkit.no_such_thing  # noqa: B018 - the look-up is the test
