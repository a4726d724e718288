"""``Problem``: one thing wrong with a client's files, located as precisely as possible."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a client's data, located as precisely as possible.

    ``row`` is the spreadsheet row (header = 1) for CSV/XLSX and the record number for
    Parquet; ``key`` names a YAML key (``competitors[0].price_index``); ``sheet`` names the
    sheet of a workbook holding several tables; ``line`` is the line of a YAML file.
    """

    file: str
    row: int | None
    column: str | None
    message: str
    key: str | None = None
    sheet: str | None = None
    line: int | None = None

    def __str__(self) -> str:
        where = [self.file]
        if self.sheet is not None:
            where.append(f"sheet {self.sheet}")
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column}")
        if self.key is not None:
            where.append(f"key {self.key}")
        return f"{', '.join(where)}: {self.message}"
