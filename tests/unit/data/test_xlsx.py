"""The bounded XLSX reader: raw text cells, row numbers, and refusals before loading."""

from __future__ import annotations

import datetime as dt
import re
import zipfile

import openpyxl
import pandas as pd
import pytest

from playbook.data import limits
from playbook.data.errors import TableError
from playbook.data.xlsx import read_xlsx, read_xlsx_header, sheet_names


def workbook(path, rows, title="Sheet1", more=None):
    """Write rows (lists) into a one-sheet workbook; ``more`` = {sheet title: rows}."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(row)
    for name, extra in (more or {}).items():
        sheet = wb.create_sheet(name)
        for row in extra:
            sheet.append(row)
    wb.save(path)
    return path


def rewrite_sheet(path, change):
    """Rewrite the first sheet's XML with ``change(bytes) -> bytes`` (a hand-made oddity)."""
    out = path.with_name("changed.xlsx")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = change(data)
            dst.writestr(info, data)
    return out


def test_cells_come_back_as_text_indexed_by_spreadsheet_row(tmp_path):
    path = workbook(
        tmp_path / "orders.xlsx",
        [
            ["order_id", "amount", "order_time", "is_premium", None, "amount"],
            [1001, 12.5, dt.datetime(2024, 1, 1, 8, 30), True, "x", 3],
            [None],
            ["A3", 1e20, dt.datetime(2024, 2, 1), False, None, None],
            ["  padded  ", 7.0],
        ],
    )
    df = read_xlsx(path)
    assert list(df.columns) == [
        "order_id",
        "amount",
        "order_time",
        "is_premium",
        "column E",
        "amount.1",
    ]
    assert list(df.index) == [2, 4, 5]  # the empty row 3 is dropped; rows keep their number
    assert df.loc[2].tolist() == ["1001", "12.5", "2024-01-01 08:30:00", "True", "x", "3"]
    assert df.loc[4, "amount"] == "1e+20"
    assert df.loc[5, "order_id"] == "padded"
    assert df.loc[5, "amount"] == "7"
    assert pd.isna(df.loc[4, "column E"])
    assert df.attrs["sheet"] == "Sheet1"


def test_sheets_are_read_by_name_for_a_data_request_workbook(tmp_path):
    path = workbook(
        tmp_path / "acme_data_request.xlsx",
        [["order_id"], ["o1"]],
        title="orders",
        more={"customers": [["customer_id", "tier"], ["c1", "gold"]]},
    )
    assert sheet_names(path) == ["orders", "customers"]
    assert read_xlsx(path, "customers").loc[2].tolist() == ["c1", "gold"]
    assert read_xlsx_header(path, "customers") == ["customer_id", "tier"]
    with pytest.raises(TableError, match="has no sheet named 'costs' \\(sheets: 'orders', "):
        read_xlsx(path, "costs")


def test_a_cell_at_xfd1048576_is_refused_from_the_used_range_before_loading(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.append(["order_id", "amount"])
    wb.active["XFD1048576"] = 1
    wb.save(tmp_path / "orders.xlsx")
    with pytest.raises(TableError) as err:
        read_xlsx(tmp_path / "orders.xlsx")
    assert "used range reaches cell XFD1048576 (1,048,576 rows × 16,384 columns)" in str(err.value)


def test_a_far_cell_is_refused_while_streaming_when_the_range_is_not_declared(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.append(["order_id", "amount"])
    wb.active["XFD1048576"] = 1
    wb.save(tmp_path / "orders.xlsx")
    path = rewrite_sheet(tmp_path / "orders.xlsx", lambda x: re.sub(rb"<dimension[^>]*/>", b"", x))
    with pytest.raises(TableError) as err:
        read_xlsx(path)
    assert err.value.row == 1_048_576
    assert "cell XFD1048576 holds a value beyond column SR" in err.value.reason


def test_more_cells_than_the_limit_are_refused(tmp_path, monkeypatch):
    monkeypatch.setattr("playbook.data.xlsx.MAX_XLSX_CELLS", 10)
    path = workbook(tmp_path / "orders.xlsx", [["a", "b"]] + [[i, i] for i in range(8)])
    with pytest.raises(TableError, match="10 cells"):
        read_xlsx(path)


def test_a_part_that_unzips_far_beyond_its_size_is_refused_from_the_zip_directory(tmp_path):
    path = workbook(tmp_path / "orders.xlsx", [["order_id"], ["o1"]])
    padded = rewrite_sheet(
        path, lambda x: x.replace(b"</worksheet>", b" " * 5_000_000 + b"</worksheet>")
    )
    with pytest.raises(TableError, match="unzips [0-9,]+ times larger than it is stored"):
        read_xlsx(padded)


def test_the_unzipped_total_is_capped(tmp_path, monkeypatch):
    monkeypatch.setattr("playbook.data.xlsx.MAX_XLSX_UNCOMPRESSED", 1000)
    path = workbook(tmp_path / "orders.xlsx", [["order_id"], ["o1"]])
    with pytest.raises(TableError, match="unzips to .* more than the 1,000 bytes"):
        read_xlsx(path)


def test_formulas_without_saved_values_are_named(tmp_path):
    # openpyxl writes formulas without calculating them, as scripts do
    path = workbook(
        tmp_path / "orders.xlsx",
        [["order_id", "amount"], ["o1", "=1+1"], ["o2", 5], ["o3", "=B3*2"]],
    )
    with pytest.raises(TableError) as err:
        read_xlsx(path)
    assert (err.value.row, err.value.column) == (2, "amount")
    assert "cells B2, B4 hold formulas with no saved values" in err.value.reason


def test_a_formula_with_its_saved_value_reads_the_value(tmp_path):
    path = workbook(tmp_path / "orders.xlsx", [["order_id", "amount"], ["o1", "=1+1"]])
    saved = rewrite_sheet(
        path, lambda x: x.replace(b"<v></v>", b"<v>2</v>").replace(b"<v />", b"<v>2</v>")
    )
    assert read_xlsx(saved).loc[2, "amount"] == "2"


def test_an_entity_in_the_sheet_is_never_expanded(tmp_path):
    path = workbook(tmp_path / "orders.xlsx", [["order_id"], ["o1"]])
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
        b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
    )
    changed = rewrite_sheet(path, lambda x: bomb + x.split(b"?>", 1)[-1].replace(b">o1<", b">&c;<"))
    try:
        df = read_xlsx(changed)
    except TableError:
        return  # refused: fine
    assert all(len(str(v)) < 100 for v in df.to_numpy().ravel())  # the entity stayed unexpanded


@pytest.mark.parametrize("content", [b"not a workbook", b"PK\x03\x04 broken zip"])
def test_a_file_that_is_not_a_workbook_is_refused_plainly(tmp_path, content):
    path = tmp_path / "orders.xlsx"
    path.write_bytes(content)
    with pytest.raises(TableError, match="orders.xlsx: is not an Excel workbook"):
        read_xlsx(path)


def test_an_empty_header_row_is_refused(tmp_path):
    path = workbook(tmp_path / "orders.xlsx", [[None], ["o1"]])
    with pytest.raises(TableError, match="row 1 is empty"):
        read_xlsx(path)


def test_the_limits_are_the_documented_ones():
    assert limits.MAX_XLSX_CELLS == 2_000_000
    assert limits.MAX_COLUMNS == 512
