"""Errors raised while reading a client's files, located as precisely as possible."""

from __future__ import annotations


class TableError(ValueError):
    """A file that cannot be read: encoding, format, size, link, or broken structure.

    The message names the file first (``orders.csv: ...``); ``reason`` is the message
    without the file name, and ``row``/``column`` (and ``sheet`` of a workbook) locate the
    problem when known (row as a spreadsheet shows it: header = row 1).
    """

    def __init__(
        self,
        file: str,
        reason: str | None = None,
        *,
        row: int | None = None,
        column: str | None = None,
        sheet: str | None = None,
    ):
        if reason is None:  # one message "file: reason", as older callers raise it
            file, _, reason = file.partition(": ") if ": " in file else ("", "", file)
        self.file, self.reason, self.row, self.column, self.sheet = file, reason, row, column, sheet
        where = [file] if file else []
        if sheet is not None:
            where.append(f"sheet {sheet}")
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column {column}")
        super().__init__(f"{', '.join(where)}: {reason}" if where else reason)


class AmbiguousTableError(TableError):
    """A table supplied in more than one format, e.g. ``orders.csv`` and ``orders.xlsx``."""
