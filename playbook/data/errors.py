"""Errors raised while reading a client's files, located as precisely as possible."""

from __future__ import annotations


class TableError(ValueError):
    """A file that cannot be read: encoding, format, size, link, or broken structure.

    The message names the file first (``orders.csv: ...``); ``reason`` is the message
    without the file name, and ``row``/``column`` locate the problem when known (row as a
    spreadsheet shows it: header = row 1).
    """

    def __init__(
        self, file: str, reason: str, *, row: int | None = None, column: str | None = None
    ):
        self.file, self.reason, self.row, self.column = file, reason, row, column
        where = [file]
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column {column}")
        super().__init__(f"{', '.join(where)}: {reason}")


class AmbiguousTableError(TableError):
    """A table supplied in more than one format, e.g. ``orders.csv`` and ``orders.xlsx``."""
