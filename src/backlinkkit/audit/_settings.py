"""The audit's settings files: thresholds in TOML, the allow list in disavow-file syntax."""

from __future__ import annotations

import difflib
import tomllib

import attrs

from .._disavow._file import DisavowEntryKind, DisavowFile
from .._errors import AuditError
from .._profile._thresholds import Thresholds

__all__ = ["load_thresholds", "parse_allow_list"]


def _expected_type(field: attrs.Attribute[object]) -> type:
    return int if field.type in (int, "int") else float


def load_thresholds(text: str | bytes, *, name: str = "thresholds.toml") -> Thresholds:
    r"""Read a TOML file of `Thresholds` settings; settings it does not name keep their defaults.

    Keys are the `Thresholds` attribute names, at the top level of the file. Whole numbers are
    accepted for shares and factors (`critical_factor = 2`); counts must be whole numbers.

    Args:
        text: the file's content.
        name: the file's name, for error messages.

    Returns:
        The thresholds.

    Raises:
        AuditError: the file is not TOML, names a setting `Thresholds` has not, or gives a value
            of the wrong type or out of range; the message names the file and the setting.

    >>> load_thresholds("exact_match_share = 0.05\nvelocity_min_new = 20\n").exact_match_share
    0.05
    >>> load_thresholds("exact_match = 0.05", name="t.toml")
    Traceback (most recent call last):
    ...
    backlinkkit.AuditError: t.toml: unknown setting 'exact_match' (did you mean 'exact_match_share'?)
    """  # noqa: E501 - a doctest output line cannot wrap
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise AuditError(f"{name}: not UTF-8 text ({error.reason})") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise AuditError(f"{name}: not valid TOML: {error}") from None
    fields = {field.name: field for field in attrs.fields(Thresholds)}
    values: dict[str, int | float] = {}
    for key, value in data.items():
        field = fields.get(key)
        if field is None:
            close = difflib.get_close_matches(key, fields, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else f"; known: {', '.join(fields)}"
            raise AuditError(f"{name}: unknown setting {key!r}{hint}")
        wanted = _expected_type(field)
        ok = not isinstance(value, bool) and (
            isinstance(value, int) or (wanted is float and isinstance(value, float))
        )
        if not ok:
            kind = "a whole number" if wanted is int else "a number"
            raise AuditError(f"{name}: {key} must be {kind}, not {value!r}")
        values[key] = float(value) if wanted is float else value
    try:
        return Thresholds(**values)  # type: ignore[arg-type]
    except ValueError as error:
        raise AuditError(f"{name}: {error}") from None


def parse_allow_list(text: str | bytes, *, name: str = "allow list") -> tuple[str, ...]:
    r"""The entries of an allow list written as a disavow file: `domain:` lines and URLs.

    `#` comments and blank lines are skipped. A `domain:` entry keeps its subdomains from being
    proposed; a URL entry keeps its host (a disavow candidate is always a whole domain).

    Args:
        text: the file's content.
        name: the file's name, for error messages.

    Returns:
        The entries as `disavow_candidates(allow=...)` takes them.

    Raises:
        AuditError: a line is not an entry; the message names the file and the line.

    >>> parse_allow_list("# partners\ndomain:partner.test\nhttps://friend.test/links\n")
    ('domain:partner.test', 'https://friend.test/links')
    """
    file = DisavowFile.parse(text)
    problems = [p for p in file.validate() if p.line is not None]
    if problems:
        first = problems[0]
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise AuditError(f"{name}: line {first.line}: {first.reason}{more}")
    return tuple(
        entry.line if entry.kind is DisavowEntryKind.DOMAIN else entry.value for entry in file
    )
