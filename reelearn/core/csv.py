"""CSV that a spreadsheet opens as data: every export in the project writes through here.

A cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return is run as a formula by
Excel, LibreOffice and Google Sheets (CSV injection). Pupils and teachers type names, titles and
answers, so every text cell that starts that way gets a leading apostrophe, which spreadsheets
show as text. Numbers stay numbers (a negative score is not text anyone typed).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """The value, or for text a spreadsheet would run as a formula, that text made inert."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(row: Iterable) -> list:
    return [safe_cell(v) for v in row]


def writer(out) -> _SafeWriter:
    """Like `csv.writer(out)`, with every cell passed through `safe_cell`."""
    return _SafeWriter(csv.writer(out))


class _SafeWriter:
    def __init__(self, inner):
        self._inner = inner

    def writerow(self, row: Iterable):
        return self._inner.writerow(safe_row(row))

    def writerows(self, rows: Iterable[Iterable]) -> None:
        for row in rows:
            self.writerow(row)


def dict_rows_text(rows: list[dict], *, fieldnames: list[str] | None = None) -> str:
    """A header and one line per dict, as text (the privacy export's tables)."""
    out = io.StringIO()
    if rows or fieldnames:
        names = fieldnames or list(rows[0])
        safe = writer(out)
        safe.writerow(names)
        for row in rows:
            safe.writerow([row.get(name) for name in names])
    return out.getvalue()
