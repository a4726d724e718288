"""The data-request workbook: ``<client_id>_data_request.xlsx``, one sheet per table.

``write_request_workbook`` builds the file a consultant mails to the client's data team:
one sheet per table of the contract, the column names in row 1, a help row in row 2 (type,
required or optional, an example; each cell starts with ``HELP_MARK``), drop-down lists of
the values declared in ``client.yaml`` (channels, stages, tiers, …), number and true/false
checks, the two top rows frozen and the columns sized. ``read_request_workbook`` reads the
filled-in file back: each sheet named after a table is that table (row 1 the header, the
help row recognised by its mark and skipped); a sheet with no data rows is an absent table.
Frames come back raw and indexed by spreadsheet row number, like ``files.read_table``, so
validation names the sheet, row and column of every problem.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from playbook.content import common as load_common
from playbook.content import label
from playbook.data.contract import SERVQUAL, TABLES, Column, ColumnKind, TableSpec
from playbook.data.files import TableError
from playbook.data.xlsx import read_xlsx_sheets, sheet_names

#: The first character of every help cell: how the help row is recognised on reading.
HELP_MARK = "ⓘ"
#: The hidden sheet holding long drop-down lists (not a table).
LISTS_SHEET = "_lists"
#: Rows given a drop-down or a number check (after the header and help rows).
VALIDATED_ROWS = 100_000
#: Most columns read from a sheet (rows and cells: the bounded reader's limits).
MAX_COLUMNS = 200

#: Example values that read the same in every language (categorical columns use the first
#: declared value; free-text columns take theirs from ``common.yaml`` ``workbook_example_*``).
EXAMPLES: dict[str, str] = {
    "order_id": "A10023",
    "customer_id": "C2001",
    "response_id": "R3001",
    "experiment_id": "coupon_test",
    "session_id": "S5001",
    "variant": "A",
    "order_time": "2024-03-01 08:30",
    "signup_date": "2023-11-15",
    "event_time": "2024-03-01 08:25",
    "response_time": "2024-03-02",
    "assigned_time": "2024-03-01",
    "period": "2024-03",
    "amount": "35.5",
    "list_price": "38",
    "discount": "2.5",
    "quantity": "1",
    "promised_minutes": "30",
    "actual_minutes": "26",
    "service_cost": "12000",
    "age": "32",
    "nps": "9",
    "csat": "4",
    "too_cheap": "10",
    "cheap": "15",
    "expensive": "30",
    "too_expensive": "40",
}

#: The ``client.yaml`` key declaring the values of each categorical column kind.
DECLARING_KEY: dict[str, str] = {
    "channel": "channels",
    "stage": "journey_stages",
    "tier": "tiers",
    "scene": "scenes",
    "touchpoint": "touchpoints",
    "segment": "segments",
}

_HEADER_FILL = PatternFill("solid", fgColor="1F3A5F")
_REQUIRED_FILL = PatternFill("solid", fgColor="8A3324")
_HELP_FILL = PatternFill("solid", fgColor="F2F2F2")


def workbook_name(client_id: str) -> str:
    """Return the workbook's file name in a client folder."""
    return f"{client_id}_data_request.xlsx"


def find_workbook(client_dir: str | Path) -> Path | None:
    """Return the client's data-request workbook (name matched case-insensitively), if any."""
    folder = Path(client_dir)
    wanted = workbook_name(folder.name).lower()
    if not folder.is_dir():
        return None
    found = [p for p in folder.iterdir() if p.is_file() and p.name.lower() == wanted]
    return found[0] if found else None


def sheet_columns(spec: TableSpec) -> list[Column]:
    """Return a table's columns as the workbook lists them (survey SERVQUAL pairs spelt out)."""
    columns = list(spec.columns)
    for prefix in spec.prefix_columns:
        columns += [
            Column(f"{prefix.name}{dim}", prefix.kind, False, prefix.min, prefix.max)
            for dim in SERVQUAL
        ]
    return columns


def _label(name: str, lang: str, **values: object) -> str:
    return label(name, lang, **values)


def _range(col: Column) -> str:
    if col.min is not None and col.max is not None:
        return f"{col.min:g}–{col.max:g}"
    if col.min is not None:
        return f"≥ {col.min:g}"
    if col.max is not None:
        return f"≤ {col.max:g}"
    return ""


def _example(col: Column, declared: Sequence[str], lang: str) -> str:
    if declared:
        return declared[0]
    if col.kind == "bool":
        return _label("answer_yes", lang)
    key = f"workbook_example_{col.name}"
    if key in load_common().labels:
        return _label(key, lang)
    return EXAMPLES.get(col.name, "")


def help_text(col: Column, declared: Sequence[str], lang: str) -> str:
    """Return a column's help cell: mark, required or optional, type, range, example."""
    parts = [_label("workbook_required" if col.required else "workbook_optional", lang)]
    if col.kind in DECLARING_KEY:
        key = "workbook_kind_pick" if declared else "workbook_kind_undeclared"
        parts.append(_label(key, lang, key=DECLARING_KEY[col.kind]))
    else:
        kind = _label(f"workbook_kind_{col.kind}", lang)
        parts.append(f"{kind} {_range(col)}".strip() if col.kind == "number" else kind)
    if col.unique:
        parts.append(_label("workbook_unique", lang))
    example = _example(col, declared, lang)
    if example:
        parts.append(_label("workbook_example", lang, example=example))
    return f"{HELP_MARK} " + " · ".join(parts)


def _width(*texts: str) -> float:
    longest = max(sum(2 if ord(ch) > 0x2E80 else 1 for ch in t) for t in texts)
    return float(min(30, max(12, longest + 2)))


class _Lists:
    """Writes drop-down lists: inline when short, else on the hidden ``_lists`` sheet."""

    def __init__(self, wb: Workbook) -> None:
        self.wb, self.sheet, self.used = wb, None, 0

    def formula(self, values: Sequence[str]) -> str:
        inline = ",".join(values)
        if len(inline) <= 250 and not any(c in v for v in values for c in ',"'):
            return f'"{inline}"'
        if self.sheet is None:
            self.sheet = self.wb.create_sheet(LISTS_SHEET)
            self.sheet.sheet_state = "hidden"
        self.used += 1
        letter = get_column_letter(self.used)
        for row, value in enumerate(values, start=1):
            self.sheet.cell(row=row, column=self.used, value=value)
        return f"'{LISTS_SHEET}'!${letter}$1:${letter}${len(values)}"


def _check(col: Column, declared: Sequence[str], lang: str, lists: _Lists) -> DataValidation | None:
    title = _label("workbook_invalid_title", lang)
    if col.kind in DECLARING_KEY and declared:
        values = list(declared)
        message = _label("workbook_invalid_list", lang)
    elif col.kind == "bool":
        values = [_label("answer_yes", lang), _label("answer_no", lang)]
        message = _label("workbook_invalid_list", lang)
    elif col.kind == "number":
        message = _label("workbook_invalid_number", lang, range=_range(col))
        if col.min is not None and col.max is not None:
            dv = DataValidation(
                "decimal", operator="between", formula1=f"{col.min:g}", formula2=f"{col.max:g}"
            )
        elif col.min is not None:
            dv = DataValidation("decimal", operator="greaterThanOrEqual", formula1=f"{col.min:g}")
        elif col.max is not None:
            dv = DataValidation("decimal", operator="lessThanOrEqual", formula1=f"{col.max:g}")
        else:
            dv = DataValidation(
                "decimal", operator="between", formula1="-1E+307", formula2="1E+307"
            )
        dv.error, dv.errorTitle, dv.showErrorMessage, dv.allow_blank = message, title, True, True
        return dv
    else:
        return None
    dv = DataValidation("list", formula1=lists.formula(values), allow_blank=True)
    dv.error, dv.errorTitle, dv.showErrorMessage = message, title, True
    return dv


def write_request_workbook(
    path: str | Path, lang: str, declared: Mapping[ColumnKind, Sequence[str]]
) -> Path:
    """Write the data-request workbook: one sheet per table, header, help row, checks.

    Args:
        path: Where to write the ``.xlsx`` file.
        lang: Language of the help row and the check messages ("zh" or "en").
        declared: The declared values per categorical kind (``ClientConfig.declared``), for
            the drop-down lists; a kind with no values gets no list, and its help row says
            to declare them in ``client.yaml`` first.

    Returns:
        The path written.
    """
    wb = Workbook()
    wb.remove(wb.active)
    lists = _Lists(wb)
    header_font, help_font = Font(bold=True, color="FFFFFF"), Font(italic=True, color="555555")
    for spec in TABLES.values():
        ws = wb.create_sheet(spec.name)
        checks: dict[str, DataValidation] = {}
        for i, col in enumerate(sheet_columns(spec), start=1):
            values = list(declared.get(col.kind, ())) if col.kind in DECLARING_KEY else []
            head = ws.cell(row=1, column=i, value=col.name)
            head.font, head.fill = header_font, _REQUIRED_FILL if col.required else _HEADER_FILL
            text = help_text(col, values, lang)
            cell = ws.cell(row=2, column=i, value=text)
            cell.font, cell.fill = help_font, _HELP_FILL
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            letter = get_column_letter(i)
            ws.column_dimensions[letter].width = _width(col.name, text[:16])
            if col.kind in ("id", "text", *DECLARING_KEY):
                ws.column_dimensions[letter].number_format = "@"
            dv = _check(col, values, lang, lists)
            if dv is not None:
                key = f"{dv.type}|{dv.formula1}|{dv.formula2}|{dv.operator}"
                dv = checks.setdefault(key, dv)
                dv.add(f"{letter}3:{letter}{VALIDATED_ROWS + 2}")
        for dv in checks.values():
            ws.add_data_validation(dv)
        ws.row_dimensions[2].height = 48
        ws.freeze_panes = "A3"
    path = Path(path)
    wb.save(path)
    return path


def _without_help_row(frame: pd.DataFrame) -> pd.DataFrame | None:
    """Drop the help row (row 2, recognised by its mark); None when no data row is left."""
    if 2 in frame.index:
        cells = frame.loc[2]
        if any(isinstance(c, str) and c.startswith(HELP_MARK) for c in cells):
            frame = frame.drop(index=2)
    return frame if len(frame) else None


def read_request_workbook(path: str | Path) -> tuple[dict[str, pd.DataFrame], list[str]]:
    """Read a filled-in data-request workbook: the tables it holds and its unknown sheets.

    Sheets are read with the bounded reader (``xlsx.py``: zip sizes, used range, cells
    checked before loading; at most ``MAX_COLUMNS`` columns).

    Args:
        path: The ``<client_id>_data_request.xlsx`` file.

    Returns:
        The raw frames by table name (only sheets with data rows; index = spreadsheet row
        number, help row skipped) and the names of visible sheets that are not tables.

    Raises:
        TableError: When the file cannot be read as a workbook, or a sheet breaks a limit
            (``sheet`` names it).
    """
    path = Path(path)
    names = sheet_names(path)
    visible = set(sheet_names(path, visible_only=True))
    wanted = [title for title in names if title.strip().lower() in TABLES]
    unknown = [t for t in names if t not in wanted and t != LISTS_SHEET and t in visible]
    tables: dict[str, pd.DataFrame] = {}
    for title, frame in read_xlsx_sheets(path, wanted).items():
        if len(frame.columns) > MAX_COLUMNS:
            raise TableError(path.name, f"has more than {MAX_COLUMNS} columns", sheet=title)
        kept = _without_help_row(frame)
        if kept is not None:
            tables[title.strip().lower()] = kept
    return tables, unknown
