"""Every example in the package's docstrings runs, in the module that defines it.

Public classes say `__module__ == "backlinkkit"`, so pytest's `--doctest-modules` finds their
docstrings under `backlinkkit` and no longer finds their methods' anywhere (it takes a function
only from the module whose globals it has). This collects every docstring of every module of the
package once, each with the globals of the module that defines it.
"""

from __future__ import annotations

import doctest
import importlib
import inspect
import pkgutil
import re
import types
from pathlib import Path

import pytest

import backlinkkit

_OPTIONS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


class _PackageFinder(doctest.DocTestFinder):
    """A finder that takes an object from the module whose source defines it."""

    def _from_module(self, module: types.ModuleType, object: object) -> bool:  # noqa: A002
        function = getattr(object, "fget", object)  # a property's docstring is its getter's
        code = getattr(inspect.unwrap(function), "__code__", None)  # type: ignore[arg-type]
        if code is not None:
            return bool(code.co_filename == module.__file__)
        if isinstance(object, type) and module.__file__:
            source = Path(module.__file__).read_text(encoding="utf-8")
            return re.search(rf"^class {object.__name__}\b", source, re.MULTILINE) is not None
        return bool(super()._from_module(module, object))


def _modules() -> list[types.ModuleType]:
    names = [backlinkkit.__name__]
    names.extend(m.name for m in pkgutil.walk_packages(backlinkkit.__path__, prefix="backlinkkit."))
    modules = []
    for name in names:
        try:
            modules.append(importlib.import_module(name))
        except ImportError:  # an optional part whose extra is not installed
            continue
    return modules


def _examples() -> list[doctest.DocTest]:
    finder = _PackageFinder(exclude_empty=True)
    found = [
        test
        for module in _modules()
        for test in finder.find(module, globs=vars(module).copy())
        if test.examples
    ]
    return sorted(found, key=lambda t: (t.filename or "", t.lineno or 0))


# Examples that need an optional dependency the module imports on use, by the example's name.
_NEEDS = {"backlinkkit._compare._target_check.check_targets": "requests"}


@pytest.mark.parametrize("example", _examples(), ids=lambda t: t.name)
def test_docstring_examples(example: doctest.DocTest) -> None:
    """The docstring's examples give what they say."""
    if example.name in _NEEDS:
        pytest.importorskip(_NEEDS[example.name])
    report: list[str] = []
    runner = doctest.DocTestRunner(optionflags=_OPTIONS)
    runner.run(example, out=report.append)
    if runner.summarize(verbose=False).failed:
        pytest.fail("".join(report), pytrace=False)
