"""Finding and reading table files: encodings, formats, row numbers."""

from __future__ import annotations

import os

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from playbook.data.encoding import EncodingError
from playbook.data.files import (
    AmbiguousTableError,
    TableError,
    decode_text,
    find_table,
    read_header,
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
    assert df.attrs["encoding"] == "utf-8"


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
    assert decode_text("门店".encode()) == ("门店", "utf-8")
    assert decode_text("门店".encode("utf-8-sig")) == ("门店", "utf-8-sig")
    assert decode_text("门店".encode("gbk")) == ("门店", "gb18030")


def test_decode_text_refuses_to_guess_binary():
    with pytest.raises(EncodingError, match="NUL character"):
        decode_text(bytes(range(256)) * 10)
    with pytest.raises(EncodingError, match="not text in an encoding we read"):
        decode_text(bytes(range(1, 256)) * 10)


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
    with pytest.raises(TableError, match="orders.xlsx: is not an Excel workbook"):
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


# --- hostile files: links, sizes, header first, separators, broken structure ---------------


def test_a_link_to_a_file_outside_the_folder_is_refused(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("order_id\nTOKEN=hunter2\n", encoding="utf-8")
    folder = tmp_path / "acme"
    folder.mkdir()
    (folder / "orders.csv").symlink_to(secret)
    with pytest.raises(TableError) as err:
        read_table(folder / "orders.csv")
    assert "is a link to a file outside the client folder" in str(err.value)
    assert "hunter2" not in str(err.value)
    with pytest.raises(TableError, match="outside the client folder"):
        read_header(folder / "orders.csv")


def test_a_link_inside_the_folder_is_read(tmp_path):
    (tmp_path / "orders_2024.csv").write_text("order_id\nA1\n", encoding="utf-8")
    (tmp_path / "orders.csv").symlink_to(tmp_path / "orders_2024.csv")
    assert read_table(tmp_path / "orders.csv")["order_id"].tolist() == ["A1"]


@pytest.mark.parametrize("kind", ["dir", "broken", "fifo"])
def test_entries_that_are_not_regular_files_are_refused(tmp_path, kind):
    path = tmp_path / "orders.csv"
    if kind == "dir":
        path.mkdir()
    elif kind == "broken":
        path.symlink_to(tmp_path / "gone.csv")
    else:
        os.mkfifo(path)  # reading a pipe would wait forever
    assert find_table(tmp_path, "orders") == path
    with pytest.raises(TableError, match="orders.csv: is (not a regular file|a link to a file)"):
        read_table(path)


def test_a_file_over_the_size_limit_is_refused_before_reading(tmp_path, monkeypatch):
    monkeypatch.setattr("playbook.data.files.MAX_CSV_BYTES", 100)
    path = tmp_path / "orders.csv"
    path.write_text("order_id\n" + "A1\n" * 100, encoding="utf-8")
    with pytest.raises(TableError, match="is 309 bytes, more than the 100 bytes a CSV table"):
        read_header(path)


def test_read_header_reads_only_the_first_line(tmp_path):
    path = tmp_path / "orders.csv"
    path.write_bytes(b"order_id,amount\n" + bytes(range(256)) * 1000)  # junk after the header
    assert read_header(path) == ["order_id", "amount"]


def test_a_first_line_longer_than_the_header_limit_is_refused(tmp_path):
    path = tmp_path / "orders.csv"
    path.write_bytes(b"x" * 70_000)
    with pytest.raises(TableError) as err:
        read_header(path)
    assert err.value.row == 1
    assert "the first line is longer than 64 KB" in err.value.reason


@pytest.mark.parametrize("content", [b"", b"\n\n", b"\xef\xbb\xbf", b"   \r\n"])
def test_an_empty_file_says_so(tmp_path, content):
    path = tmp_path / "orders.csv"
    path.write_bytes(content)
    with pytest.raises(TableError, match="orders.csv: (is empty|row 1 is empty)"):
        read_table(path)


@pytest.mark.parametrize(("sep", "name"), [(";", "semicolons"), ("\t", "tabs")])
def test_semicolon_and_tab_separated_files_are_read(tmp_path, sep, name):
    path = tmp_path / "orders.csv"
    path.write_text(f"order_id{sep}amount\nA1{sep}12,5\nA2{sep}3\n", encoding="utf-8")
    df = read_table(path)
    assert list(df.columns) == ["order_id", "amount"]
    assert df["amount"].tolist() == ["12,5", "3"]  # a decimal comma stays text: reported later
    assert df.attrs["delimiter"] == sep


def test_utf16_tab_separated_text_from_excel_is_read(tmp_path):
    path = tmp_path / "orders.csv"
    path.write_text("order_id\tchannel\nA1\t门店\n", encoding="utf-16")
    df = read_table(path)
    assert df["channel"].tolist() == ["门店"]
    assert df.attrs["encoding"] == "utf-16"


def test_an_unclosed_quote_names_the_spreadsheet_row_and_column(tmp_path):
    path = tmp_path / "orders.csv"
    path.write_text(
        'order_id,comment,amount\nA1,ok,1\nA2,"never closed,2\nA3,x,3\n', encoding="utf-8"
    )
    with pytest.raises(TableError) as err:
        read_table(path)
    assert (err.value.row, err.value.column) == (3, "comment")
    assert "opens a double quote" in err.value.reason


def test_a_row_with_too_many_values_names_its_row(tmp_path):
    path = tmp_path / "orders.csv"
    path.write_text("order_id,amount\nA1,1\nA2,1,234\n", encoding="utf-8")
    with pytest.raises(TableError) as err:
        read_table(path)
    assert err.value.row == 3
    assert "has 3 values but the header row has 2 columns" in err.value.reason


def test_an_undecodable_csv_names_the_row(tmp_path):
    path = tmp_path / "orders.csv"
    path.write_bytes("order_id,name\nA1,Café\nA2,ok\n".encode() + b"A3,caf\xe9\n")
    with pytest.raises(TableError) as err:
        read_table(path)
    assert err.value.row == 4
    assert "save it as UTF-8" in err.value.reason


def test_parquet_nested_values_are_refused(tmp_path):
    path = tmp_path / "orders.parquet"
    pa.table({"order_id": [["a", "b"]], "amount": [1.0]}).to_pandas().to_parquet(path)
    with pytest.raises(TableError) as err:
        read_table(path)
    assert err.value.column == "order_id"
    assert "not plain text, numbers, dates or true/false" in err.value.reason


def test_parquet_declaring_too_many_cells_is_refused_from_its_footer(tmp_path, monkeypatch):
    monkeypatch.setattr("playbook.data.files.MAX_PARQUET_CELLS", 10)
    path = tmp_path / "orders.parquet"
    pd.DataFrame({"order_id": [f"o{i}" for i in range(20)]}).to_parquet(path)
    with pytest.raises(TableError, match="declares 20 rows × 1 columns"):
        read_header(path)


def test_parquet_repeating_a_long_dictionary_value_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr("playbook.data.files.MAX_PARQUET_UNCOMPRESSED", 1_000_000)
    path = tmp_path / "orders.parquet"
    long = "x" * 10_000
    pq.write_table(pa.table({"comment": pa.array([long] * 500).dictionary_encode()}), path)
    assert path.stat().st_size < 100_000  # small on disk, 5 MB unpacked
    with pytest.raises(TableError, match="unpacks to 4.8 MB of values"):
        read_table(path)


def test_parquet_decimals_and_dates_are_plain(tmp_path):
    from decimal import Decimal

    path = tmp_path / "orders.parquet"
    pq.write_table(
        pa.table(
            {
                "amount": pa.array([Decimal("12.50")], type=pa.decimal128(10, 2)),
                "order_time": pa.array([pd.Timestamp("2024-03-01").date()], type=pa.date32()),
            }
        ),
        path,
    )
    df = read_table(path)
    assert df["amount"].tolist() == [12.5]
    assert str(df.loc[1, "order_time"]) == "2024-03-01"
