"""Writing an audit's outputs: every file atomically, into one directory, nothing else touched.

Each file is written under a temporary name in the same directory, flushed to disk, then renamed
over its final name (`os.replace`), so a reader never sees half a file and an interrupted run
leaves the previous file as it was.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from pathlib import Path
from typing import Final

import attrs

from .._errors import MissingDependencyError
from ._core import AuditResult
from ._report import render_report
from ._tables import COMPARISON_TABLES, TABLES

__all__ = ["OUTPUT_FILES", "WrittenOutputs", "summary_json", "write_outputs"]

OUTPUT_FILES: Final = (
    "summary.json",
    *TABLES,
    *COMPARISON_TABLES,
    "disavow.txt",
    "report.html",
)
"""Every file an audit may write, in the order it writes them."""


@attrs.frozen(kw_only=True)
class WrittenOutputs:
    """What `write_outputs` wrote.

    Attributes:
        directory: the output directory.
        files: the files written, in order.
        report_missing: why report.html was not written (the extra to install), or None.
    """

    directory: Path
    files: tuple[Path, ...]
    report_missing: str | None = None

    @property
    def report(self) -> Path | None:
        """report.html, when it was written."""
        return next((f for f in self.files if f.name == "report.html"), None)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def atomic_write(path: Path, data: bytes, *, mode: int = 0o666) -> None:
    """Write `data` to `path` through a temporary file in the same directory, then rename it."""
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        # mkstemp makes the file private: give it the permissions open() would.
        Path(temporary).chmod(mode & ~_umask())
        Path(temporary).replace(path)
    except BaseException:
        with contextlib.suppress(OSError):
            Path(temporary).unlink()
        raise


def summary_json(data: dict[str, object]) -> str:
    """summary.json's text: one top-level key a line, one list item a line, the rest compact.

    (An indented dump would take json's pure-Python encoder: seconds for a million links.)

    >>> print(summary_json({"schema": "s", "inputs": [{"rows": 1}, {"rows": 2}], "n": {}}), end="")
    {
      "schema": "s",
      "inputs": [
        {"rows": 1},
        {"rows": 2}
      ],
      "n": {}
    }
    """
    encode = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": ")).encode
    parts = []
    for key, value in data.items():
        if isinstance(value, list) and value:
            items = ",\n".join(f"    {encode(item)}" for item in value)
            parts.append(f"  {encode(key)}: [\n{items}\n  ]")
        else:
            parts.append(f"  {encode(key)}: {encode(value)}")
    return "{\n" + ",\n".join(parts) + "\n}\n"


def write_outputs(
    result: AuditResult, directory: str | os.PathLike[str], *, report: bool = True
) -> WrittenOutputs:
    """Write an audit's files into `directory`, made if missing; other files there stay.

    Writes summary.json, domains.csv, anchors.csv, candidates.csv, rejected.csv, the
    comparisons' gap.csv, diff.csv and targets.csv (each when the audit made it), disavow.txt
    (unless it could not be made: see `DisavowProposal.problems`) and report.html (when
    `report` is true and the `report` extra is installed; else the reason is returned).

    Raises:
        OSError: the directory cannot be made or written to.
    """
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    written = []

    def put(name: str, data: bytes) -> None:
        path = out / name
        atomic_write(path, data)
        written.append(path)

    put("summary.json", summary_json(result.to_dict()).encode("utf-8"))
    for name, make in TABLES.items():
        put(name, make(result).encode("utf-8"))
    for name, made in COMPARISON_TABLES.items():
        text = made(result)
        if text is not None:
            put(name, text.encode("utf-8"))
    if result.disavow.content is not None:
        put("disavow.txt", result.disavow.content)
    missing = None
    if report:
        try:
            html = render_report(result)
        except MissingDependencyError as error:
            missing = str(error)
        else:
            put("report.html", html.encode("utf-8"))
    return WrittenOutputs(directory=out, files=tuple(written), report_missing=missing)
