"""Validate a client folder against the data contract and type its tables.

Every problem is collected, not just the first: a strategist fixing a client's export
sees the whole list at once, each with the file, row, column and what was expected.
Checks are vectorised (one pass per column), so a 100k-row file validates in seconds;
repeated problems in one column are capped at ``MAX_REPEATS`` lines.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from pandas.tseries.api import guess_datetime_format

from playbook.content import frameworks
from playbook.content.excerpt import excerpt
from playbook.data.contract import TABLES, Assessment, ClientConfig, Column, TableSpec
from playbook.data.engagement import (
    check_client_notebooks,
)
from playbook.data.files import (
    AmbiguousTableError,
    TableError,
    find_table,
    read_header,
    read_table,
)
from playbook.data.model import ClientData, as_labels, in_time_order
from playbook.data.problems import Problem
from playbook.data.workbook import find_workbook, read_request_workbook
from playbook.data.yaml_files import load_yaml_model, read_client_config, read_commentary

#: Lines reported per column and check before "... and N more rows".
MAX_REPEATS = 20

#: Accepted spellings of true/false (compared lower-cased).
BOOL_WORDS = {
    **dict.fromkeys(("true", "t", "yes", "y", "1", "1.0", "是"), True),
    **dict.fromkeys(("false", "f", "no", "n", "0", "0.0", "否"), False),
}

#: The client.yaml key that declares each categorical column kind.
DECLARING_KEY = {
    "channel": "channels",
    "stage": "journey_stages",
    "tier": "tiers",
    "scene": "scenes",
    "touchpoint": "touchpoints",
    "segment": "segments",
}

DATETIME_EXAMPLE = "a date or time such as 2024-03-01 or 2024-03-01 08:30"
#: Dates outside this range are typing errors (one order in 9999 would empty every period).
DATE_RANGE = ("1900-01-01", "2100-12-31")
#: Numbers in a date column read as Excel date serials (1954-10-03 .. 2119-01-10) get a hint.
EXCEL_SERIALS = (20_000, 80_000)


def validate_client_dir(client_dir: str | Path) -> tuple[list[Problem], ClientData | None]:
    """Validate a client folder and, when it is clean, return its typed data.

    Reads ``client.yaml`` (required; its ``report:`` scope checked against the content),
    ``assessment.yaml`` and ``commentary.yaml`` (optional), every table of the contract
    that is present (as its own file, or as a sheet of the data-request workbook
    ``<client_id>_data_request.xlsx``) and the names of the client's own notebooks.
    ``client.yaml``'s ``id`` must equal the folder name.

    Args:
        client_dir: The client folder, e.g. ``data/clients/brewlane_coffee``.

    Returns:
        Every problem found, and the typed ClientData (None when there are problems).
    """
    folder = Path(client_dir)
    if not folder.is_dir():
        return [Problem(folder.name, None, None, "client folder not found")], None
    if not folder.resolve().is_relative_to(folder.absolute().parent.resolve()):
        message = (
            "the client folder is a link to a folder outside the clients folder; "
            "copy the client's files into the clients folder"
        )
        return [Problem(folder.name, None, None, message)], None
    problems: list[Problem] = []
    config = read_client_config(folder, problems)
    assessment = load_yaml_model(folder / "assessment.yaml", Assessment, problems)
    if assessment is not None:
        problems.extend(check_assessment_ids(assessment))
    commentary = read_commentary(folder, config, problems)
    problems.extend(check_client_notebooks(folder))
    tables, files = _tables(folder, config, problems)
    if problems or config is None:
        return problems, None
    tables = {name: _in_time_order(name, df) for name, df in tables.items()}
    return [], ClientData(
        config, tables, assessment, folder.resolve(), files, commentary=commentary
    )


def _in_time_order(name: str, df: pd.DataFrame) -> pd.DataFrame:
    """Put a dated table's rows in time order (stable: same-time rows keep file order).

    A table in time order is cut to a period without copying (``model.time_slice``). Most
    exports are already in order and are returned as they are; a table with rows of
    unknown time is left as it is (it is cut with a mask).
    """
    column = TABLES[name].time_column
    if column is None or column not in df.columns or df[column].isna().any():
        return df
    if in_time_order(df, column):
        return df
    return df.sort_values(column, kind="stable", ignore_index=True)


def _tables(
    folder: Path, config: ClientConfig | None, problems: list[Problem]
) -> tuple[dict[str, pd.DataFrame], dict[str, Path]]:
    """Read and check every table: its own file, or a sheet of the data-request workbook."""
    sheets, workbook = _workbook_sheets(folder, problems)
    tables: dict[str, pd.DataFrame] = {}
    files: dict[str, Path] = {}
    for spec in TABLES.values():
        path = _locate(folder, spec, problems, workbook if spec.name in sheets else None)
        if path is not None and spec.name in sheets:
            problems.append(
                Problem(
                    path.name,
                    None,
                    None,
                    f"table {spec.name} is also filled in on sheet {spec.name} of "
                    f"{workbook.name}; keep exactly one",
                )
            )
            continue
        if spec.name in sheets:
            table_problems, typed = check_table(sheets[spec.name], spec, config, workbook.name)
            problems.extend(replace(p, sheet=spec.name) for p in table_problems)
            tables[spec.name], files[spec.name] = typed, workbook
            continue
        if path is None:
            continue
        try:
            header = read_header(path)
            missing = _missing_columns(header, spec, path.name)
            if missing:  # fail fast: the rest of the file is never read
                problems.extend(missing)
                continue
            raw = read_table(path)
        except TableError as exc:
            problems.append(Problem(path.name, exc.row, exc.column, exc.reason))
            continue
        table_problems, typed = check_table(raw, spec, config, path.name)
        problems.extend(table_problems)
        tables[spec.name], files[spec.name] = typed, path
    return tables, files


def _workbook_sheets(
    folder: Path, problems: list[Problem]
) -> tuple[dict[str, pd.DataFrame], Path | None]:
    """Return the tables filled in on the data-request workbook (none without one)."""
    workbook = find_workbook(folder)
    if workbook is None:
        return {}, None
    try:
        sheets, unknown = read_request_workbook(workbook)
    except TableError as exc:
        sheet = getattr(exc, "sheet", None)
        problems.append(Problem(workbook.name, exc.row, exc.column, exc.reason, sheet=sheet))
        return {}, workbook
    problems.extend(
        Problem(
            workbook.name,
            None,
            None,
            f"this sheet is not a table; name each sheet after a table ({', '.join(TABLES)})",
            sheet=name,
        )
        for name in unknown
    )
    return sheets, workbook


def check_assessment_ids(assessment: Assessment) -> list[Problem]:
    """Report workshop scores given for frameworks or elements the content does not define.

    A misspelt element id would otherwise be ignored silently and the element reported as
    "not assessed".
    """
    known = {fw.id: [e.id for e in fw.elements] for fw in frameworks()}
    problems = []
    for fw_id, scores in assessment.frameworks.items():
        if fw_id not in known:
            problems.append(
                Problem(
                    "assessment.yaml",
                    None,
                    None,
                    f"unknown framework {excerpt(fw_id)}; expected one of: {', '.join(known)}",
                    key=f"frameworks.{excerpt(fw_id, 40)[1:-1]}",
                )
            )
            continue
        problems.extend(
            Problem(
                "assessment.yaml",
                None,
                None,
                f"unknown element {excerpt(el_id)} of {fw_id}; "
                f"expected one of: {', '.join(known[fw_id])}",
                key=f"frameworks.{fw_id}.{excerpt(el_id, 40)[1:-1]}",
            )
            for el_id in scores
            if el_id not in known[fw_id]
        )
    return problems


def check_table(
    raw: pd.DataFrame,
    spec: TableSpec,
    config: ClientConfig | None = None,
    file: str | None = None,
) -> tuple[list[Problem], pd.DataFrame]:
    """Check a raw table against its spec and convert its columns to their types.

    Columns the contract does not know are kept unchanged. Categorical values are checked
    against ``config`` (skipped when it is None, i.e. client.yaml itself is broken).

    Args:
        raw: The frame from ``read_table`` (index = row numbers to report).
        spec: The table's contract, e.g. ``contract.ORDERS``.
        config: The client's configuration, for the declared categorical values.
        file: The file name used in problems (default ``<table>.csv``).

    Returns:
        The problems found, and the typed frame (with a fresh 0-based index). The frame is
        only meaningful when there are no problems.
    """
    file = file or f"{spec.name}.csv"
    problems: list[Problem] = []
    if spec.required and raw.empty:
        problems.append(Problem(file, None, None, "has no data rows"))
    problems += _missing_columns(list(raw.columns), spec, file)
    for col in spec.columns:
        if f"{col.name}.1" in raw.columns and col.name in raw.columns:
            problems.append(Problem(file, None, col.name, "column appears more than once"))
    typed: dict[str, pd.Series] = {}
    for name in raw.columns:
        col = spec.column(name)
        if col is None:
            typed[name] = raw[name]
            continue
        column_problems, typed[name] = _check_column(raw[name], col, config, file)
        problems.extend(column_problems)
    # the typed columns as they are (a frame made from a dict copies them by default)
    frame = pd.DataFrame(typed, index=raw.index, copy=False).reset_index(drop=True)
    return problems, frame


def _missing_columns(header: list[str], spec: TableSpec, file: str) -> list[Problem]:
    """Report each required column absent from a header, quoting the header briefly."""
    names = [str(c) for c in header]
    missing = [c.name for c in spec.columns if c.required and c.name not in names]
    if not missing:
        return []
    found = ", ".join(excerpt(n, 30)[1:-1] for n in names[:12]) or "none"
    if len(names) > 12:
        found += f", … ({len(names):,} columns)"
    return [
        Problem(file, None, name, f"required column is missing (columns found: {found})")
        for name in missing
    ]


def parse_datetimes(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Parse a column of dates/times with one format for the whole column.

    Tries ISO 8601 (year first, any of ``-``/``/`` separators, optional time), then for
    columns whose first value does not start with the year the format guessed from it
    (month first, then day first), and keeps the format that parses the most cells. A UTC
    offset after a time (``+08:00``, ``-0500``, ``Z``, ``UTC``) is dropped from every cell
    that has one, keeping the local wall time written (``11:25+08:00`` is 11:25), so a
    column mixing offsets, or offsets and plain times, reads every row the same way.

    Args:
        values: Raw cells (strings, or already datetimes from Parquet/XLSX).

    Returns:
        The parsed ``datetime64[us]`` series and a mask of present cells that did not parse.
    """
    present = values.notna()
    if pd.api.types.is_datetime64_any_dtype(values):
        return _naive(values), pd.Series(False, index=values.index)
    text = _drop_offsets(values.astype("str"))
    iso = _to_datetime(text, "ISO8601")
    best = iso, present & iso.isna()
    first = text[present].iloc[0] if present.any() else ""
    if not best[1].any() or re.match(r"\d{4}", first):
        return best
    for dayfirst in (False, True):
        with warnings.catch_warnings():  # "parsing in %d/%m/%Y format when dayfirst=False"
            warnings.simplefilter("ignore", UserWarning)
            fmt = guess_datetime_format(first, dayfirst=dayfirst)
        if fmt is None or fmt.startswith("%Y"):
            continue
        parsed = _to_datetime(text, fmt)
        failed = present & parsed.isna()
        if failed.sum() < best[1].sum():
            best = parsed, failed
    return best


_OFFSET = r"(\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?)\s*(?:Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)$"


#: What a cell with an offset after a time holds: a colon (the time's), then Z, UTC, GMT, + or
#: - (the offset's). Arrow's regex engine (RE2) finds these cells fast, but its ``\d`` and
#: ``\s`` are ASCII-only where Python's are Unicode: it only narrows the cells ``_OFFSET`` is
#: tried on (pandas would run Python's ``re`` on every cell of the column).
_MAYBE_OFFSET = "(?s):.*(?:[-+Z]|UTC|GMT)"


def _drop_offsets(text: pd.Series) -> pd.Series:
    """Remove a UTC offset written after a time, keeping the time as written."""
    arrow = pa.array(text, type=pa.string(), from_pandas=True)
    maybe = pc.match_substring_regex(arrow, _MAYBE_OFFSET).fill_null(False)
    maybe = maybe.to_numpy(zero_copy_only=False)
    if not maybe.any():
        return text
    has = pd.Series(False, index=text.index)
    has[maybe] = text[maybe].str.contains(_OFFSET.replace("(", "(?:", 1), regex=True, na=False)
    if not has.any():
        return text
    dropped = pc.replace_substring_regex(pa.array(text[has], type=pa.string()), _OFFSET, r"\1")
    out = text.copy()
    out[has] = pd.Series(dropped.to_pylist(), index=text.index[has], dtype="str")
    return out


def _to_datetime(text: pd.Series, fmt: str) -> pd.Series:
    try:
        parsed = pd.to_datetime(text, errors="coerce", format=fmt)
    except ValueError:  # mixed UTC offsets
        parsed = pd.to_datetime(text, errors="coerce", format=fmt, utc=True)
    return _naive(parsed)


def _naive(parsed: pd.Series) -> pd.Series:
    if getattr(parsed.dt, "tz", None) is not None:
        parsed = parsed.dt.tz_localize(None)
    return parsed.astype("datetime64[us]")


def _locate(
    folder: Path, spec: TableSpec, problems: list[Problem], filled: Path | None = None
) -> Path | None:
    """Find a table's own file; ``filled`` is the workbook when it holds the table."""
    try:
        path = find_table(folder, spec.name)
    except AmbiguousTableError as exc:
        problems.append(Problem(spec.name, None, None, exc.reason))
        return None
    if path is None and spec.required and filled is None:
        workbook = find_workbook(folder)
        sheet = f"fill in sheet {spec.name} of {workbook.name} or " if workbook else ""
        problems.append(
            Problem(
                spec.name,
                None,
                None,
                f"required table is missing: "
                f"{sheet}add {spec.name}.csv, {spec.name}.xlsx or {spec.name}.parquet",
            )
        )
    return path


def _check_column(
    raw: pd.Series,
    col: Column,
    config: ClientConfig | None,
    file: str,
) -> tuple[list[Problem], pd.Series]:
    present = raw.notna()
    problems: list[Problem] = []
    if col.required:
        problems += _cells(file, col.name, raw, ~present, lambda v, r: "required value is empty")
    checker = _CHECKERS.get(col.kind, _check_category)
    more, typed = checker(raw, present, col, config, file)
    return problems + more, as_labels(typed) if col.is_label else typed


def _check_text(raw, present, col, config, file):
    if pd.api.types.is_float_dtype(raw) and _whole_numbers(raw):
        # a Parquet integer column with blanks arrives as floats: ids 1001, not "1001.0"
        raw = raw.astype("Int64")
    text = raw if pd.api.types.is_string_dtype(raw) else raw.astype("str")
    problems: list[Problem] = []
    if col.unique:
        dup = present & text.duplicated(keep="first")
        firsts = text[present & ~dup]
        first_row = pd.Series(firsts.index, index=firsts.to_numpy())
        problems = _cells(
            file,
            col.name,
            text,
            dup,
            lambda v, r: f"duplicate {col.name} {excerpt(v)} (first at row {first_row[v]})",
        )
    return problems, text


def _whole_numbers(values: pd.Series) -> bool:
    """Tell whether every value given is a whole number (within int64)."""
    given = values.dropna()
    return bool(
        np.isfinite(given).all()
        and (given == np.floor(given)).all()
        and (given.abs() < 2**63).all()
    )


def _check_datetime(raw, present, col, config, file):
    parsed, failed = parse_datetimes(raw)
    low, high = (pd.Timestamp(d) for d in DATE_RANGE)
    outside = parsed.notna() & ((parsed < low) | (parsed > high))
    problems = _cells(file, col.name, raw, failed, _datetime_message)
    problems += _cells(
        file,
        col.name,
        raw,
        outside,
        lambda v, r: (
            f"expected a date between {DATE_RANGE[0]} and {DATE_RANGE[1]}, got {excerpt(v)}"
        ),
    )
    return problems, parsed


def _datetime_message(value: object, row: int) -> str:
    message = f"expected {DATETIME_EXAMPLE}, got {excerpt(value)}"
    try:
        serial = float(str(value))
    except ValueError:
        return message
    if EXCEL_SERIALS[0] <= serial <= EXCEL_SERIALS[1]:
        message += (
            " — this looks like an Excel date serial number (days since 1900): format the "
            "column as a date in Excel before saving, or write dates as 2024-03-01"
        )
    return message


def _check_number(raw, present, col, config, file):
    if pd.api.types.is_numeric_dtype(raw) and not pd.api.types.is_bool_dtype(raw):
        numbers = raw.astype(float)
    else:  # text; also true/false or dates stored in a number column (read as text: refused)
        numbers = pd.to_numeric(raw.astype("str"), errors="coerce").astype(float)
    bad = present & ~np.isfinite(numbers)
    if col.min is not None:
        bad |= numbers < col.min
    if col.max is not None:
        bad |= numbers > col.max
    expected = _number_range(col)

    def message(value: object, row: int) -> str:
        hint = (
            " (write plain numbers: no thousands separators or currency signs)"
            if isinstance(value, str) and any(c in value for c in ",¥$€£%")
            else ""
        )
        return f"expected {expected}{hint}, got {excerpt(value)}"

    return _cells(file, col.name, raw, bad, message), numbers


def _check_bool(raw, present, col, config, file):
    if pd.api.types.is_bool_dtype(raw) and not raw.isna().any():
        return [], raw.astype(bool)
    words = raw.astype("str").str.strip().str.lower()
    flags = words.map(BOOL_WORDS)
    bad = present & flags.isna()
    problems = _cells(
        file,
        col.name,
        raw,
        bad,
        lambda v, r: f"expected true or false (also 1/0, yes/no), got {excerpt(v)}",
    )
    return problems, flags.where(flags.notna(), False).astype(bool)


def _check_category(raw, present, col, config, file):
    _, text = _check_text(raw, present, col, config, file)
    declared = config.declared(col.kind) if config is not None else None
    if declared is None:
        return [], text
    key = DECLARING_KEY[col.kind]
    if declared:
        listed = ", ".join(declared[:15]) + (", ..." if len(declared) > 15 else "")
        hint = f"client.yaml {key} declares: {listed}"
    else:
        hint = f"client.yaml declares no {key}; add the values used here"
    bad = present & ~text.isin(declared)
    problems = _cells(
        file,
        col.name,
        text,
        bad,
        lambda v, r: f"{excerpt(v)} is not a declared {col.kind} ({hint})",
    )
    return problems, text


_CHECKERS: dict[str, Callable] = {
    "id": _check_text,
    "text": _check_text,
    "datetime": _check_datetime,
    "number": _check_number,
    "bool": _check_bool,
}


def _number_range(col: Column) -> str:
    if col.min is not None and col.max is not None:
        return f"a number from {col.min:g} to {col.max:g}"
    if col.min is not None:
        return f"a number >= {col.min:g}"
    if col.max is not None:
        return f"a number <= {col.max:g}"
    return "a number"


def _cells(
    file: str,
    column: str,
    values: pd.Series,
    mask: pd.Series,
    message: Callable[[object, int], str],
) -> list[Problem]:
    """Report the cells under ``mask``: the first MAX_REPEATS, then a count of the rest."""
    rows = values.index[mask.to_numpy()]
    out = [
        Problem(file, int(r), column, message(_plain(values[r]), int(r)))
        for r in rows[:MAX_REPEATS]
    ]
    if len(rows) > MAX_REPEATS:
        out.append(
            Problem(
                file,
                None,
                column,
                f"... and {len(rows) - MAX_REPEATS} more rows with the same problem",
            )
        )
    return out


def _plain(value: object) -> object:
    """Return a cell value as a plain Python object, for a readable repr in messages."""
    return value.item() if isinstance(value, np.generic) else value
