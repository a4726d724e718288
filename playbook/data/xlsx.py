"""Read one sheet of an Excel workbook (.xlsx) within fixed bounds, as raw text cells.

A workbook is a zip of XML parts, so a file of a few KB can unpack to gigabytes or
declare a cell at XFD1048576 (16,384 columns × 1,048,576 rows). Before anything is
loaded this module checks, from the zip directory alone, the file size, the unzipped size
of every part and their compression ratio; then the sheet's declared used range; then, while
streaming the sheet with openpyxl in read-only mode (one row in memory at a time), every
cell's position and the number of cells kept. Limits are in ``limits.py``.

openpyxl reads the workbook's structure (sheets, date styles, 1900/1904 calendar); the
sheet and its shared strings are streamed with lxml (entities never resolved, no network),
about ten times faster than openpyxl's pure-Python cell parser.

Cells come back as stripped strings (numbers as written, dates as ``YYYY-MM-DD HH:MM:SS``,
TRUE/FALSE as ``True``/``False``), empty cells as missing; the frame's index is the
spreadsheet row number (header = row 1). A cell holding a formula with no saved value
(files written by a script, never opened in Excel) is refused, naming the cells.

The strategist's data-request workbook (one sheet per table) is read with the same
functions: ``sheet_names`` lists the sheets, ``read_xlsx(path, sheet="orders")`` reads one.
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
from lxml import etree
from openpyxl.reader.excel import ExcelReader
from openpyxl.styles.stylesheet import apply_stylesheet
from openpyxl.utils import column_index_from_string, coordinate_to_tuple, get_column_letter
from openpyxl.utils.datetime import from_excel
from openpyxl.xml.constants import SHARED_STRINGS, SHEET_MAIN_NS

from playbook.content.excerpt import excerpt
from playbook.data.errors import TableError
from playbook.data.limits import (
    MAX_COLUMNS,
    MAX_XLSX_BYTES,
    MAX_XLSX_CELLS,
    MAX_XLSX_RATIO,
    MAX_XLSX_UNCOMPRESSED,
    size_text,
)

_NO_SAVED_VALUE = object()
_NS = f"{{{SHEET_MAIN_NS}}}"
_ROW, _CELL, _V, _F, _IS, _T, _SI, _RPH = (
    f"{_NS}{tag}" for tag in ("row", "c", "v", "f", "is", "t", "si", "rPh")
)
_DIMENSION, _SHEET_DATA = f"{_NS}dimension", f"{_NS}sheetData"
_RATIO_FROM = 1024 * 1024  # parts smaller than this are never refused for their ratio


def sheet_names(path: str | Path, visible_only: bool = False) -> list[str]:
    """Return the names of a workbook's worksheets, in order (after the bounds checks).

    Args:
        path: The ``.xlsx`` file.
        visible_only: Leave out hidden sheets.

    Raises:
        TableError: The file is not a readable workbook, or breaks a limit.
    """
    path = Path(path)
    with _Book.open(path) as book:
        return [n for n, _ in book.sheets if not (visible_only and n in book.hidden)]


def read_xlsx_header(path: str | Path, sheet: str | int = 0) -> list[str]:
    """Return the column names in row 1 of a sheet, reading nothing beyond that row.

    Raises:
        TableError: The file is not a readable workbook, or breaks a limit.
    """
    path = Path(path)
    with _Book.open(path) as book:
        target = book.sheet(sheet)
        for number, cells in book.rows(target):
            return _header(_dense(cells, path, number) if number == 1 else [], path)
    return _header([], path)


def read_xlsx(path: str | Path, sheet: str | int = 0) -> pd.DataFrame:
    """Read a sheet into a frame of raw text cells, indexed by spreadsheet row number.

    Row 1 is the header (columns from A; an empty header cell is named after its column
    letter, e.g. ``column F``; a repeated name gets ``.1``). Rows with no value are dropped.

    Args:
        path: The ``.xlsx`` file.
        sheet: The sheet's name, or its position among the worksheets (0 = first).

    Returns:
        Strings with missing values as NaN; ``attrs["sheet"]`` names the sheet read.

    Raises:
        TableError: Not a workbook, a limit broken (size, unzipped size, used range,
            columns, cells), formulas without saved values, or an empty row 1.
    """
    path = Path(path)
    with _Book.open(path) as book:
        frame = book.read(book.sheet(sheet), empty_ok=False)
        assert frame is not None
        return frame


def read_xlsx_sheets(path: str | Path, sheets: Iterable[str]) -> dict[str, pd.DataFrame]:
    """Read several sheets of one workbook (a data-request workbook: one sheet per table).

    The workbook is opened once; the cell limit holds for all the sheets together. A sheet
    whose row 1 is empty is left out (an absent table).

    Args:
        path: The ``.xlsx`` file.
        sheets: Sheet names to read.

    Returns:
        The frames by sheet name (see ``read_xlsx``).

    Raises:
        TableError: As ``read_xlsx``, with ``sheet`` set to the sheet at fault.
    """
    path = Path(path)
    frames: dict[str, pd.DataFrame] = {}
    with _Book.open(path) as book:
        for name in sheets:
            try:
                frame = book.read(book.sheet(name), empty_ok=True)
            except TableError as exc:
                raise TableError(
                    path.name, exc.reason, row=exc.row, column=exc.column, sheet=name
                ) from None
            if frame is not None:
                frames[name] = frame
    return frames


class _Book:
    """An open workbook: its zip, sheets, shared strings and date styles."""

    def __init__(self, path: Path, reader: ExcelReader):
        self.path, self.archive = path, reader.archive
        wb = reader.wb
        self.epoch = wb.epoch
        self.date_styles = set(wb._date_formats)
        self.timedelta_styles = set(wb._timedelta_formats)
        found = [
            (sheet, rel.target.lstrip("/"))
            for sheet, rel in reader.parser.find_sheets()
            if "chartsheet" not in rel.Type and rel.target.lstrip("/") in reader.valid_files
        ]
        self.sheets = [(sheet.name, target) for sheet, target in found]
        self.hidden = {sheet.name for sheet, _ in found if sheet.state != "visible"}
        self.cells_read = 0
        found = reader.package.find(SHARED_STRINGS)
        self._strings_part = found.PartName.lstrip("/") if found is not None else None
        self._strings: list[str] | None = None

    @classmethod
    @contextmanager
    def open(cls, path: Path) -> Iterator[_Book]:
        """Open a workbook after checking its size and zip directory; close it after."""
        size = path.stat().st_size
        if size > MAX_XLSX_BYTES:
            raise TableError(
                path.name,
                f"is {size_text(size)}, more than the {size_text(MAX_XLSX_BYTES)} read from "
                "a workbook; save the table as CSV or Parquet",
            )
        _check_zip(path)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # "no default style", unsupported extensions
                reader = ExcelReader(str(path), read_only=True, data_only=True)
                reader.read_manifest()
                reader.read_workbook()
                apply_stylesheet(reader.archive, reader.wb)
        except Exception as exc:  # any corrupt part: one plain message
            raise TableError(
                path.name,
                f"cannot be read as an Excel workbook ({excerpt(str(exc), 100)[1:-1]}); open "
                "it in Excel and save it again as .xlsx",
            ) from None
        try:
            yield cls(path, reader)
        finally:
            reader.archive.close()

    def read(self, target: str, empty_ok: bool) -> pd.DataFrame | None:
        """Read one sheet into a frame (None for an empty row 1 when ``empty_ok``)."""
        path = self.path
        self.check_used_range(target)
        header: list[str] | None = None
        rows: list[list[str | None]] = []
        index: list[int] = []
        no_value: list[tuple[int, int]] = []
        for number, cells in self.rows(target):
            values = _dense(cells, path, number, no_value)
            if header is None:
                if empty_ok and (number != 1 or not any(values)):
                    return None
                header = _header(values if number == 1 else [], path)
                continue
            if not any(v is not None for v in values):
                continue
            self.cells_read += max(len(values), len(header))
            if self.cells_read > MAX_XLSX_CELLS:
                raise TableError(
                    path.name,
                    f"the workbook holds more than {MAX_XLSX_CELLS:,} cells, the most read "
                    "from a workbook; save the table as CSV or Parquet",
                    row=number,
                )
            rows.append(values)
            index.append(number)
        if header is None:
            if empty_ok:
                return None
            header = _header([], path)
        if no_value:
            _refuse_formulas(no_value, header, path)
        frame = _frame(header, rows, index)
        frame.attrs["sheet"] = self.sheet_name(target)
        return frame

    def sheet(self, sheet: str | int) -> str:
        """Return the zip part of a sheet given by name or position."""
        if isinstance(sheet, int):
            if not 0 <= sheet < len(self.sheets):
                raise TableError(self.path.name, "has no worksheet to read")
            return self.sheets[sheet][1]
        for name, target in self.sheets:
            if name == sheet:
                return target
        names = ", ".join(excerpt(n, 30) for n, _ in self.sheets[:20]) or "none"
        raise TableError(
            self.path.name, f"has no sheet named {excerpt(sheet, 30)} (sheets: {names})"
        )

    def sheet_name(self, target: str) -> str:
        """Return the name of the sheet stored in a zip part."""
        return next(name for name, t in self.sheets if t == target)

    def check_used_range(self, target: str) -> None:
        """Refuse a sheet whose declared used range is beyond the limits, before reading it."""
        ref = None
        with self._xml(target, events=("start",)) as events:
            for _, element in events:
                if element.tag == _DIMENSION:
                    ref = element.get("ref")
                    break
                if element.tag == _SHEET_DATA:
                    break
        if not ref:
            return  # no declared range: the streamed cells are checked instead
        corner = ref.split(":")[-1]
        try:
            row, column = coordinate_to_tuple(corner.replace("$", ""))
        except (ValueError, TypeError):
            return
        if column > MAX_COLUMNS or row * column > MAX_XLSX_CELLS:
            raise TableError(
                self.path.name,
                f"the sheet's used range reaches cell {excerpt(corner, 12)[1:-1]} ({row:,} rows "
                f"× {column:,} columns); a table read from a workbook may have at most "
                f"{MAX_COLUMNS:,} columns and {MAX_XLSX_CELLS:,} cells. Delete the unused rows "
                "and columns (select them, Delete, save) or save the table as CSV",
            )

    def rows(self, target: str) -> Iterator[tuple[int, list[tuple[int, object]]]]:
        """Stream a sheet's rows as (row number, [(column, value), ...]), one at a time.

        A value is text, None (empty) or ``_NO_SAVED_VALUE`` (a formula never calculated).
        """
        strings = self.strings()
        row_number = 0
        with self._xml(target, events=("end",), tag=_ROW) as events:
            for _, row in events:
                row_number = _int(row.get("r"), row_number + 1, self.path)
                cells, column = [], 0
                for cell in row.iterchildren(_CELL):
                    ref = cell.get("r")
                    column = _column(ref, column + 1)
                    cells.append((column, self._value(cell, strings)))
                row.clear()
                while row.getprevious() is not None:  # keep the tree from growing
                    del row.getparent()[0]
                yield row_number, cells

    def strings(self) -> list[str]:
        """Return the workbook's shared strings (read once)."""
        if self._strings is None:
            self._strings = []
            if self._strings_part is not None:
                with self._xml(self._strings_part, events=("end",), tag=_SI) as events:
                    for _, si in events:
                        self._strings.append(_unescape(_rich_text(si)))
                        si.clear()
                        while si.getprevious() is not None:
                            del si.getparent()[0]
        return self._strings

    def _value(self, cell, strings: list[str]) -> object:
        kind = cell.get("t", "n")
        value = formula = inline = None
        for child in cell:
            if child.tag == _V:
                value = child.text
            elif child.tag == _F:
                formula = True
            elif child.tag == _IS:
                inline = _rich_text(child)
        if formula and not value and kind != "str":
            return _NO_SAVED_VALUE
        if kind == "inlineStr":
            return _unescape(inline) if inline else None
        if value is None or value == "":
            return None
        if kind == "s":
            try:
                return strings[int(value)]
            except (ValueError, IndexError):
                raise TableError(
                    self.path.name, "a cell refers to a text that the workbook does not hold"
                ) from None
        if kind == "b":
            return "True" if value.strip() in ("1", "true") else "False"
        if kind in ("str", "e", "d"):
            return value
        return self._number(value, cell.get("s"))

    def _number(self, value: str, style: str | None) -> str:
        try:
            number = float(value) if any(c in value for c in ".eEnN") else int(value)
        except ValueError:
            return value
        if style and style.isdigit() and int(style) in self.date_styles | self.timedelta_styles:
            try:
                moment = from_excel(
                    number, self.epoch, timedelta=int(style) in self.timedelta_styles
                )
            except (OverflowError, ValueError, TypeError):
                return value
            return moment.isoformat(sep=" ") if isinstance(moment, dt.datetime) else str(moment)
        if isinstance(number, float) and number.is_integer() and abs(number) < 1e15:
            return str(int(number))
        return str(number)

    @contextmanager
    def _xml(self, part: str, **options) -> Iterator[etree.iterparse]:
        try:
            with self.archive.open(part) as source:
                if b"<!DOCTYPE" in source.read(4096):  # entities: Excel never writes them
                    raise TableError(
                        self.path.name,
                        "the workbook declares XML entities (<!DOCTYPE>), which Excel never "
                        "writes; open it in Excel and save it again as .xlsx",
                    )
            with self.archive.open(part) as source:
                yield etree.iterparse(
                    source,
                    resolve_entities=False,
                    no_network=True,
                    load_dtd=False,
                    huge_tree=False,
                    remove_comments=True,
                    **options,
                )
        except TableError:
            raise
        except Exception as exc:  # malformed XML, a bad zip member, an impossible number
            raise TableError(
                self.path.name,
                f"the workbook cannot be read ({excerpt(str(exc), 100)[1:-1]}); open it in "
                "Excel and save it again as .xlsx",
            ) from None


def _int(text: str | None, default: int, path: Path) -> int:
    if text is None:
        return default
    try:
        return int(text)
    except ValueError:
        raise TableError(path.name, f"has a row numbered {excerpt(text, 20)}") from None


@lru_cache(maxsize=4096)
def _column_of(letters: str) -> int:
    return column_index_from_string(letters)


def _column(ref: str | None, default: int) -> int:
    if not ref:
        return default
    letters = ref.rstrip("0123456789").lstrip("$").replace("$", "")
    try:
        return _column_of(letters)
    except ValueError:
        return default


def _rich_text(element) -> str:
    """Return the text of a string item, without phonetic runs (``<rPh>``)."""
    return "".join(t.text or "" for t in element.iter(_T) if t.getparent().tag != _RPH)


_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def _unescape(text: str) -> str:
    """Undo Excel's ``_xHHHH_`` escapes (``_x000D_`` is a carriage return)."""
    return _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text) if "_x" in text else text


def _check_zip(path: Path) -> None:
    """Refuse a workbook whose parts unzip beyond the limits (read from the directory)."""
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise TableError(
            path.name,
            "is not an Excel workbook (.xlsx is a zip file; an old .xls or a renamed CSV is "
            "not): open it in Excel and save it as .xlsx",
        ) from None
    total = sum(p.file_size for p in parts)
    if total > MAX_XLSX_UNCOMPRESSED:
        raise TableError(
            path.name,
            f"unzips to {size_text(total)}, more than the {size_text(MAX_XLSX_UNCOMPRESSED)} "
            "read from a workbook; save the table as CSV or Parquet",
        )
    for part in parts:
        ratio = part.file_size // max(part.compress_size, 1)
        if part.file_size > _RATIO_FROM and ratio > MAX_XLSX_RATIO:
            raise TableError(
                path.name,
                f"holds a part ({excerpt(part.filename, 40)}) that unzips {ratio:,} "
                f"times larger than it is stored ({size_text(part.file_size)}); no real sheet "
                "does that. Save the table again from Excel, or as CSV",
            )


def _dense(
    cells: list[tuple[int, object]],
    path: Path,
    row: int,
    no_value: list[tuple[int, int]] | None = None,
) -> list[str | None]:
    """Lay a row's cells out by column (A = 0), refusing values beyond the column limit."""
    values: list[str | None] = []
    for column, value in cells:
        if value is None:
            continue
        if column > MAX_COLUMNS:
            raise TableError(
                path.name,
                f"cell {get_column_letter(min(column, 16384))}{row} holds a value beyond column "
                f"{get_column_letter(MAX_COLUMNS)} ({MAX_COLUMNS:,} columns, the most read); "
                "delete what is there or save the table as CSV",
                row=row,
            )
        if value is _NO_SAVED_VALUE:
            if no_value is not None:
                no_value.append((row, column))
            continue
        text = str(value).strip()
        if not text:
            continue
        if column > len(values):
            values.extend([None] * (column - len(values)))
        values[column - 1] = text
    return values


def _header(names: list[str | None], path: Path) -> list[str]:
    if not any(names):
        raise TableError(
            path.name, "row 1 is empty: put the column names in row 1, starting at column A", row=1
        )
    while names and names[-1] is None:
        names.pop()
    out: list[str] = []
    for i, name in enumerate(names):
        name = name if name is not None else f"column {get_column_letter(i + 1)}"
        base, n = name, 0
        while name in out:  # a repeated name becomes "name.1", as pandas reads CSV headers
            n += 1
            name = f"{base}.{n}"
        out.append(name)
    return out


def _refuse_formulas(cells: list[tuple[int, int]], header: list[str], path: Path) -> None:
    row, column = cells[0]
    shown = ", ".join(f"{get_column_letter(c)}{r}" for r, c in cells[:5])
    more = f" and {len(cells) - 5:,} more" if len(cells) > 5 else ""
    name = header[column - 1] if column <= len(header) else get_column_letter(column)
    raise TableError(
        path.name,
        f"cells {shown}{more} hold formulas with no saved values (the file was written by a "
        "program that does not calculate): open it in Excel and save it, or paste the values "
        "as values",
        row=row,
        column=name,
    )


def _frame(header: list[str], rows: list[list[str | None]], index: list[int]) -> pd.DataFrame:
    width = max([len(header), *(len(r) for r in rows)], default=0)
    names = header + [f"column {get_column_letter(i + 1)}" for i in range(len(header), width)]
    padded = [r + [None] * (width - len(r)) for r in rows]
    frame = pd.DataFrame(padded, columns=names, index=pd.Index(index, dtype="int64"), dtype=object)
    return frame.astype("str").where(frame.notna(), np.nan) if len(frame) else frame
