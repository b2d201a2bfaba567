"""Development sessions: `nox` runs tests, lint, mypy and docs; `nox -s bench` the benchmarks."""

from __future__ import annotations

import os
from pathlib import Path

import nox

nox.options.sessions = ["tests", "lint", "mypy", "docs"]
nox.options.reuse_existing_virtualenvs = True
nox.options.error_on_missing_interpreters = True

PYPROJECT = nox.project.load_toml("pyproject.toml")
SHARED_CORPUS = os.environ.get("BACKLINKKIT_CORPUS", "../shared/corpus")


@nox.session
@nox.parametrize("fetch", [True, False], ids=["with-requests", "without-requests"])
def tests(session: nox.Session, fetch: bool) -> None:
    """Run the test suite against the installed package, with branch coverage.

    It runs twice: with the `fetch`, `warc` and `report` extras, and with `warc` only (no
    requests, no report libraries), since the library must work (and say clearly what is
    missing) without them. The archive tests run in both; the Spark tests skip here (pyspark is
    the `spark` session's). The report's tests are required where the extra is installed: they
    fail rather than skip if it cannot be imported.
    """
    session.install(
        ".[fetch,warc,report]" if fetch else ".[warc]",
        *nox.project.dependency_groups(PYPROJECT, "tests"),
    )
    if not fetch:
        session.run(
            "python",
            "-c",
            "import importlib.util as u, sys; sys.exit(bool(u.find_spec('requests')))",
        )
    session.run("coverage", "erase")
    env = {"BACKLINKKIT_REQUIRE_REPORT": "1"} if fetch else {}
    session.run("coverage", "run", "-m", "pytest", *session.posargs, env=env)
    session.run("coverage", "combine", success_codes=[0, 1])
    session.run("coverage", "report")


@nox.session
def lint(session: nox.Session) -> None:
    """ruff check and ruff format --check over everything."""
    session.install(*nox.project.dependency_groups(PYPROJECT, "lint"))
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session
def mypy(session: nox.Session) -> None:
    """mypy strict on the package and on the typing examples of its public API."""
    session.install(".", *nox.project.dependency_groups(PYPROJECT, "typing"))
    session.run("mypy")


@nox.session
def docs(session: nox.Session) -> None:
    """Build the Sphinx docs (warnings are errors) and run every example in them."""
    session.install(".[fetch,warc,report]", *nox.project.dependency_groups(PYPROJECT, "docs"))
    session.run("sphinx-build", "-W", "--keep-going", "-b", "html", "docs", "docs/_build/html")
    # The docstrings' examples run through tests/test_doctests.py, which takes each from the
    # module that defines it (public classes say they live in `backlinkkit`).
    session.run(
        "pytest",
        "--doctest-glob=*.md",
        "-p",
        "no:cacheprovider",
        "docs",
        "README.md",
        "tests/test_doctests.py",
    )


@nox.session
def spark(session: nox.Session) -> None:
    """The Spark job's tests, on a local Spark (Java 17; pyspark builds from source, ~1 min)."""
    session.install(".[spark]", *nox.project.dependency_groups(PYPROJECT, "tests"))
    session.run("pytest", "tests/archives/test_spark.py", *session.posargs)


@nox.session
def bench(session: nox.Session) -> None:
    """The benchmarks the issues name; pass a script name to run only that one."""
    session.install(".[fetch,spark,report]", *nox.project.dependency_groups(PYPROJECT, "bench"))
    scripts = session.posargs or [
        "fidelity.py",
        "extract_speed.py",
        "anchors_speed.py",
        "profile_scale.py",
        "disavow_scale.py",
        "verify_throughput.py",
        "ranks_read.py",
        "compare_scale.py",
        "warc_scale.py",
        "audit_scale.py",
    ]
    for script in scripts:
        path = Path("benchmarks") / script
        if path.exists():
            session.run("python", str(path), "--corpus", SHARED_CORPUS, env={"PYTHONHASHSEED": "0"})
