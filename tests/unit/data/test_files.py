"""Finding and reading table files: encodings, formats, row numbers."""

from __future__ import annotations

import pandas as pd
import pytest

from playbook.data.files import (
    AmbiguousTableError,
    TableError,
    decode_text,
    find_table,
    read_table,
)

CSV_TEXT = "order_id,channel,amount\nA1,门店,12.5\nA2, 外卖 ,\n"


def test_read_csv_keeps_strings_and_numbers_rows_like_a_spreadsheet(tmp_path):
    path = tmp_path / "orders.csv"
    path.write_text("order_id,amount\nA1,12.50\n\nA2,\nA3,007\n", encoding="utf-8")
    df = read_table(path)
    # Header is row 1; the blank line is row 3 and is dropped; A3 is on row 5.
    assert list(df.index) == [2, 4, 5]
    assert df.loc[2, "amount"] == "12.50"  # raw text, not 12.5
    assert df.loc[5, "amount"] == "007"
    assert pd.isna(df.loc[4, "amount"])  # empty cell = missing
    assert df.attrs["encoding"] == "utf-8-sig"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_read_csv_detects_chinese_encodings(tmp_path, encoding):
    path = tmp_path / "orders.csv"
    path.write_text(CSV_TEXT, encoding=encoding)
    df = read_table(path)
    assert list(df.columns) == ["order_id", "channel", "amount"]  # no BOM in the header
    assert list(df["channel"]) == ["门店", "外卖"]  # cells stripped


def test_read_csv_does_not_read_big5_as_gbk(tmp_path):
    path = tmp_path / "orders.csv"
    path.write_text("order_id,channel\nA1,門市\nA2,外送\nA3,線上商店\n", encoding="big5")
    df = read_table(path)
    assert list(df["channel"]) == ["門市", "外送", "線上商店"]


def test_decode_text_prefers_utf8_then_gb18030():
    assert decode_text("门店".encode()) == ("门店", "utf-8-sig")
    assert decode_text("门店".encode("gbk")) == ("门店", "gb18030")


def test_decode_text_refuses_to_guess_binary():
    with pytest.raises(TableError, match="encoding is not recognised"):
        decode_text(bytes(range(256)) * 10)


def test_read_xlsx_returns_strings(tmp_path):
    path = tmp_path / "orders.xlsx"
    pd.DataFrame(
        {
            "order_id": [1001, 1002],
            "order_time": pd.to_datetime(["2024-01-01 08:30", "2024-01-02 00:00"]),
            "amount": [12.5, None],
        }
    ).to_excel(path, index=False)
    df = read_table(path)
    assert list(df.index) == [2, 3]
    assert df.loc[2, "order_id"] == "1001"
    assert df.loc[2, "order_time"] == "2024-01-01 08:30:00"
    assert df.loc[2, "amount"] == "12.5"
    assert pd.isna(df.loc[3, "amount"])


def test_read_parquet_keeps_types_and_numbers_records_from_1(tmp_path):
    path = tmp_path / "orders.parquet"
    pd.DataFrame({"order_id": ["A1", "A2"], "amount": [12.5, 3.0]}).to_parquet(path)
    df = read_table(path)
    assert list(df.index) == [1, 2]
    assert df["amount"].tolist() == [12.5, 3.0]


def test_read_table_rejects_unsupported_or_corrupt_files(tmp_path):
    with pytest.raises(TableError, match="unsupported file type .json"):
        read_table(tmp_path / "orders.json")
    corrupt = tmp_path / "orders.xlsx"
    corrupt.write_text("not a workbook", encoding="utf-8")
    with pytest.raises(TableError, match="orders.xlsx: cannot be read as XLSX"):
        read_table(corrupt)


def test_find_table_finds_one_format_case_insensitively(tmp_path):
    (tmp_path / "Orders.CSV").write_text("order_id\nA1\n", encoding="utf-8")
    (tmp_path / "orders_old.csv").write_text("order_id\nA1\n", encoding="utf-8")
    assert find_table(tmp_path, "orders") == tmp_path / "Orders.CSV"
    assert find_table(tmp_path, "survey") is None
    assert find_table(tmp_path / "missing", "orders") is None


def test_find_table_rejects_two_formats_of_one_table(tmp_path):
    (tmp_path / "orders.csv").write_text("order_id\nA1\n", encoding="utf-8")
    pd.DataFrame({"order_id": ["A1"]}).to_parquet(tmp_path / "orders.parquet")
    with pytest.raises(AmbiguousTableError, match=r"orders.csv, orders.parquet"):
        find_table(tmp_path, "orders")
