"""The data-request workbook: written with the contract's sheets, read back as the tables."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import load_workbook

from playbook.data.contract import TABLES
from playbook.data.validation import validate_client_dir
from playbook.data.workbook import (
    HELP_MARK,
    LISTS_SHEET,
    read_request_workbook,
    sheet_columns,
    write_request_workbook,
)

#: The default test client's declared values (tests/conftest.py DEFAULT_CONFIG).
DECLARED = {
    "channel": ["store", "delivery"],
    "stage": ["aware", "visit", "order"],
    "touchpoint": ["app", "counter"],
    "scene": ["office", "home"],
    "tier": ["gold", "basic"],
    "segment": ["student", "worker"],
}


@pytest.fixture
def workbook(make_client) -> Path:
    """A client 'acme' without table files, holding a blank data-request workbook."""
    clients_dir = make_client(orders=None)
    return write_request_workbook(clients_dir / "acme" / "acme_data_request.xlsx", "en", DECLARED)


def test_one_sheet_per_table_with_the_contract_headers_and_a_help_row(workbook):
    wb = load_workbook(workbook)

    assert wb.sheetnames == list(TABLES)  # six tables, no other visible sheet
    for name, spec in TABLES.items():
        ws = wb[name]
        names = [c.name for c in sheet_columns(spec)]
        assert [c.value for c in ws[1]] == names
        help_row = [c.value for c in ws[2]]
        assert len(help_row) == len(names)
        assert all(text.startswith(HELP_MARK) for text in help_row)
        assert ws.freeze_panes == "A3"  # header and help row stay in view
        assert all(ws.column_dimensions[c].width >= 12 for c in "ABC")
    orders = wb["orders"]
    orders_help = dict(zip([c.value for c in orders[1]], [c.value for c in orders[2]], strict=True))
    assert orders_help["amount"] == f"{HELP_MARK} required · number ≥ 0 · e.g. 35.5"
    assert orders_help["scene"] == f"{HELP_MARK} optional · pick from the list · e.g. office"
    assert "expectation_reliability" in [c.value for c in wb["survey"][1]]


def test_drop_downs_list_the_declared_values(workbook):
    wb = load_workbook(workbook)
    lists = {
        (sheet, str(dv.sqref).split(":")[0]): dv.formula1
        for sheet in ("orders", "customers", "journey")
        for dv in wb[sheet].data_validations.dataValidation
        if dv.type == "list"
    }
    assert lists[("orders", "D3")] == '"store,delivery"'  # channel is column D
    assert lists[("customers", "C3")] == '"gold,basic"'  # tier
    assert lists[("journey", "C3")] == '"aware,visit,order"'  # stage
    assert lists[("orders", "H3")] == '"yes,no"'  # is_premium


def test_long_lists_go_to_a_hidden_sheet(tmp_path):
    channels = [f"channel, number {i}" for i in range(40)]  # commas: cannot be inline
    path = write_request_workbook(tmp_path / "x.xlsx", "zh", {"channel": channels})
    wb = load_workbook(path)

    assert wb[LISTS_SHEET].sheet_state == "hidden"
    assert [wb[LISTS_SHEET].cell(row=i + 1, column=1).value for i in range(40)] == channels
    formulas = [dv.formula1 for dv in wb["orders"].data_validations.dataValidation]
    assert f"'{LISTS_SHEET}'!$A$1:$A$40" in formulas


def test_filled_workbook_is_read_as_the_tables(workbook, ten_rows, fill_workbook):
    fill_workbook(workbook, {t: ten_rows(t) for t in TABLES})

    problems, data = validate_client_dir(workbook.parent)

    assert problems == []
    assert {name: len(df) for name, df in data.tables.items()} == dict.fromkeys(TABLES, 10)
    assert data.orders["amount"].sum() == sum(10 + i for i in range(10))  # 145
    assert data.orders.loc[0, "order_time"] == dt.datetime(2024, 1, 1, 8, 0)
    assert data.table("experiments")["converted"].sum() == 6  # i % 3 != 0 for 6 of 0..9
    assert data.files["orders"] == workbook


def test_empty_sheets_are_absent_tables(workbook, ten_rows, fill_workbook):
    fill_workbook(workbook, {"orders": ten_rows("orders")})

    problems, data = validate_client_dir(workbook.parent)

    assert problems == []
    assert set(data.tables) == {"orders"}


def test_a_bad_value_is_reported_by_sheet_row_and_column(workbook, ten_rows, fill_workbook):
    orders = ten_rows("orders")
    orders[4]["amount"] = "12 yuan"  # the fifth data row: spreadsheet row 2 + 1 + 4 = 7
    orders[6]["channel"] = "phone"  # spreadsheet row 9
    fill_workbook(workbook, {"orders": orders})

    problems, data = validate_client_dir(workbook.parent)

    assert data is None
    assert sorted(str(p) for p in problems) == [
        "acme_data_request.xlsx, sheet orders, row 7, column amount: "
        "expected a number >= 0, got '12 yuan'",
        "acme_data_request.xlsx, sheet orders, row 9, column channel: 'phone' is not a "
        "declared channel (client.yaml channels declares: store, delivery)",
    ]


def test_help_row_deleted_keeps_rows_numbered_as_seen(workbook, ten_rows, fill_workbook):
    wb = load_workbook(workbook)
    wb["orders"].delete_rows(2)
    wb.save(workbook)
    orders = ten_rows("orders")
    orders[0]["amount"] = -1  # now spreadsheet row 2
    fill_workbook(workbook, {"orders": orders})

    problems, _ = validate_client_dir(workbook.parent)

    assert [(p.sheet, p.row, p.column) for p in problems] == [("orders", 2, "amount")]


def test_blank_workbook_says_where_orders_go(workbook):
    problems, _ = validate_client_dir(workbook.parent)

    assert [p.message for p in problems] == [
        "required table is missing: fill in sheet orders of acme_data_request.xlsx "
        "or add orders.csv, orders.xlsx or orders.parquet"
    ]


def test_a_table_in_the_workbook_and_in_its_own_file_is_refused(
    make_client, default_orders, ten_rows, fill_workbook
):
    clients_dir = make_client()  # orders.csv
    path = write_request_workbook(clients_dir / "acme" / "acme_data_request.xlsx", "en", DECLARED)
    fill_workbook(path, {"orders": ten_rows("orders")})

    problems, _ = validate_client_dir(clients_dir / "acme")

    assert [(p.file, p.message.split(";")[0]) for p in problems] == [
        ("orders.csv", "table orders is also filled in on sheet orders of acme_data_request.xlsx")
    ]


def test_unknown_sheet_is_reported_by_name(workbook, ten_rows, fill_workbook):
    wb = load_workbook(workbook)
    wb.create_sheet("Notes")
    wb.save(workbook)
    fill_workbook(workbook, {"orders": ten_rows("orders")})

    problems, _ = validate_client_dir(workbook.parent)

    assert [(p.file, p.sheet) for p in problems] == [("acme_data_request.xlsx", "Notes")]


def test_read_returns_raw_text_indexed_by_spreadsheet_row(workbook, ten_rows, fill_workbook):
    fill_workbook(workbook, {"costs": ten_rows("costs")[:2]})

    tables, unknown = read_request_workbook(workbook)

    assert unknown == []
    costs = tables["costs"]
    assert list(costs.index) == [3, 4]
    assert costs.loc[3, "service_cost"] == "0" and costs.loc[4, "service_cost"] == "100"
    assert costs["period"].tolist() == ["2024-01", "2024-02"]
