"""The hostile corpus: small client folders that a careless user or an attacker might send.

Each ``Case`` is a client folder of a few KB (``client.yaml`` plus files) and states its
expected outcome: ``Accepted`` with the values the typed tables must hold, or ``Refused``
with the file, row, column (or YAML line) and words a problem must name. ``write_corpus``
writes every case into ``<root>/clients/<case>/`` (links point into ``<root>/outside/``,
which holds a file of fake secrets). Run ``python tests/hostile/make_corpus.py DIR`` to look
at the folders; ``test_corpus.py`` writes them into a temporary folder and validates each
in a capped subprocess (``runner.py``).
"""

from __future__ import annotations

import io
import os
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
import yaml

#: Ids and secrets that must never appear in a message or a rendered page.
CANARY_ORDER = "CANARY-ORDER-7731"
CANARY_CUSTOMER = "CANARY-CUST-5512"
SECRET = "sk_live_CANARY_SECRET_93f1"

CHANNELS = ["store", "delivery", "门店", "外卖", "門市", "外送", "$", "$$ delivery"]
HEADER = "order_id,customer_id,order_time,channel,amount"
ROWS = ["o1,c1,2024-03-01 08:00,store,10", "o2,c2,2024-03-02 09:30,delivery,20.5"]


@dataclass(frozen=True)
class Accepted:
    """The folder validates; ``values`` maps ``table.column`` to its values as text."""

    values: dict[str, list] = field(default_factory=dict)


@dataclass(frozen=True)
class Refused:
    """Validation refuses the folder with a problem naming ``file`` (and row/column/line).

    ``row``/``column``/``line`` None mean the problem must not name one (a whole-file
    problem); ``words`` must appear in its message.
    """

    file: str
    words: str
    row: int | None = None
    column: str | None = None
    line: int | None = None


#: A file's content: bytes, a callable writing the file itself (links, pipes), or text.
Content = bytes | str | Callable[[Path, Path], None]


@dataclass(frozen=True)
class Case:
    """One client folder of the corpus and what validating it must give."""

    name: str
    files: dict[str, Content]
    expect: Accepted | Refused
    config: dict = field(default_factory=dict)
    why: str = ""


def csv(*rows: str, header: str = HEADER, newline: str = "\n") -> str:
    """Return CSV text: the header, then the rows."""
    return newline.join([header, *rows]) + newline


def orders(*rows: str, encoding: str = "utf-8", header: str = HEADER) -> dict[str, Content]:
    """Return an ``orders.csv`` in an encoding."""
    return {"orders.csv": csv(*rows, header=header).encode(encoding)}


def client_yaml(case: str, extra: dict | None = None) -> str:
    """Return the client.yaml of a case (merged with the case's own keys)."""
    config = {
        "id": case,
        "name": "Hostile Test",
        "industry": "testing",
        "language": "en",
        "currency": "USD",
        "channels": CHANNELS,
        "tiers": ["gold", "basic", "$", "$$$$"],
        "scenes": ["office", "<b>home</b>"],
    }
    config.update(extra or {})
    return yaml.safe_dump(config, allow_unicode=True, sort_keys=False)


def xlsx(rows: list[list], formulas: bool = False) -> bytes:
    """Return a workbook with ``rows`` on its first sheet."""
    wb = openpyxl.Workbook()
    for row in rows:
        wb.active.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def rezip(book: bytes, change: Callable[[str, bytes], bytes]) -> bytes:
    """Return a workbook whose parts went through ``change(name, data)``."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(book)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            dst.writestr(info.filename, change(info.filename, src.read(info)))
    return out.getvalue()


def parquet(table: pa.Table, **options) -> bytes:
    """Return a Parquet file's bytes."""
    buffer = io.BytesIO()
    pq.write_table(table, buffer, **options)
    return buffer.getvalue()


def link(target: str) -> Callable[[Path, Path], None]:
    """Return a writer making a symbolic link; ``{outside}`` and ``{clients}`` are expanded."""

    def make(path: Path, root: Path) -> None:
        path.symlink_to(target.format(outside=root / "outside", clients=root / "clients"))

    return make


def fifo(path: Path, root: Path) -> None:
    """Make a named pipe (reading it would wait for ever)."""
    os.mkfifo(path)


def directory(path: Path, root: Path) -> None:
    """Make a folder where a file is expected."""
    path.mkdir()


def bomb_yaml(case: str) -> str:
    """Return a client.yaml whose ``name`` is a billion-laughs alias bomb."""
    text = client_yaml(case).replace("name: Hostile Test\n", "")
    text += 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    for prev, key in zip("abcdefgh", "bcdefghi", strict=True):
        text += f"{key}: &{key} [{', '.join([f'*{prev}'] * 9)}]\n"
    return text + "name: [*i, *i, *i, *i, *i, *i, *i, *i, *i]\n"


#: Six orders whose text is markup, template syntax and spreadsheet formulas.
MARKUP_ROWS = [
    f"{CANARY_ORDER},{CANARY_CUSTOMER},2024-03-01 08:00,$,10,<script>alert(1)</script>,"
    '"=HYPERLINK(""http://x"")",<b>home</b>',
    "o2,c2,2024-03-04 09:30,$$ delivery,25,<img src=x onerror=alert(2)>,@SUM(A1),office",
    "o3,c2,2024-03-09 12:00,门店,14,latte,+1,<b>home</b>",
    "o4,c3,2024-03-15 12:00,$,9,{{7*7}},-1,office",
    "o5,c4,2024-03-20 18:00,store,31,${jndi:x},cash,office",
    "o6,c4,2024-03-28 19:00,$$ delivery,12,mocha,card,office",
]
#: Six orders whose ids are canaries and whose unknown column holds a secret.
CANARY_ROWS = [
    f"{CANARY_ORDER}-{i},{CANARY_CUSTOMER}-{i % 3},2024-03-{1 + 5 * i:02d} 12:00,"
    f"{'store' if i % 2 else 'delivery'},{10 + i},{SECRET}"
    for i in range(6)
]
ZH_ROWS = ["o1,c1,2024-03-01 08:00,门店,10", "o2,c2,2024-03-02 09:30,外卖,20.5"]
TW_ROWS = ["o1,c1,2024-03-01 08:00,門市,10", "o2,c2,2024-03-02 09:30,外送,20.5"]
GOOD_BOOK = xlsx(
    [
        ["order_id", "customer_id", "order_time", "channel", "amount"],
        ["o1", "c1", "2024-03-01 08:00", "store", 10],
        ["o2", "c2", "2024-03-02 09:30", "delivery", 20.5],
    ]
)
XFD_BOOK = rezip(
    GOOD_BOOK,
    lambda name, data: (
        data.replace(b'<dimension ref="A1:E3"/>', b'<dimension ref="A1:XFD1048576"/>').replace(
            b"</sheetData>", b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>'
        )
        if name == "xl/worksheets/sheet1.xml"
        else data
    ),
)
RATIO_BOOK = rezip(
    GOOD_BOOK,
    lambda name, data: (
        data.replace(b"</sheetData>", b"<row><c><v>1</v></c></row>" * 120_000 + b"</sheetData>")
        if name == "xl/worksheets/sheet1.xml"
        else data
    ),
)
FORMULA_BOOK = xlsx(
    [
        ["order_id", "customer_id", "order_time", "channel", "amount"],
        ["o1", "c1", "2024-03-01 08:00", "store", "=4+6"],
        ["o2", "c2", "2024-03-02 09:30", "delivery", 20.5],
    ]
)
SERIAL_BOOK = xlsx(
    [
        ["order_id", "customer_id", "order_time", "channel", "amount"],
        ["o1", "c1", 45352, "store", 10],
    ]
)
ENTITY_BOOK = rezip(
    GOOD_BOOK,
    lambda name, data: (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "AAAAAAAAAAAAAAAAAAAA">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        + data.split(b"?>", 1)[-1].replace(b">store<", b">&b;<")
        if name == "xl/worksheets/sheet1.xml"
        else data
    ),
)


def _repeated(value: str, rows: int) -> pa.DictionaryArray:
    """Return ``rows`` copies of one value, stored once (a dictionary of one entry)."""
    return pa.DictionaryArray.from_arrays(
        pa.array(np.zeros(rows, dtype=np.int32)), pa.array([value])
    )


DICTIONARY_BOMB = parquet(
    pa.table(
        {
            "order_id": _repeated("x" * 4000, 1_000_000),
            "customer_id": _repeated("c1", 1_000_000),
            "order_time": _repeated("2024-03-01", 1_000_000),
            "channel": _repeated("store", 1_000_000),
            "amount": pa.array(np.ones(1_000_000)),
        }
    ),
    write_statistics=False,
)
ORDERS_TABLE = {
    "order_id": ["o1", "o2"],
    "customer_id": ["c1", "c2"],
    "order_time": ["2024-03-01 08:00", "2024-03-02 09:30"],
    "channel": ["store", "delivery"],
}


CASES: list[Case] = [
    # --- encodings and byte-order marks -----------------------------------------------
    Case("enc_utf8", orders(*ZH_ROWS), Accepted({"orders.channel": ["门店", "外卖"]})),
    Case(
        "enc_utf8_bom",
        orders(*ZH_ROWS, encoding="utf-8-sig"),
        Accepted({"orders.order_id": ["o1", "o2"], "orders.channel": ["门店", "外卖"]}),
        why="the BOM must not stick to the first column name",
    ),
    Case(
        "enc_utf16_le_tabs",
        {"orders.csv": csv(*ZH_ROWS).replace(",", "\t").encode("utf-16")},
        Accepted({"orders.channel": ["门店", "外卖"], "orders.amount": ["10.0", "20.5"]}),
        why="Excel's 'Unicode text' is UTF-16 with BOM, tab-separated",
    ),
    Case(
        "enc_utf16_be",
        {"orders.csv": b"\xfe\xff" + csv(*ZH_ROWS).encode("utf-16-be")},
        Accepted({"orders.channel": ["门店", "外卖"]}),
    ),
    Case(
        "enc_gbk", orders(*ZH_ROWS, encoding="gbk"), Accepted({"orders.channel": ["门店", "外卖"]})
    ),
    Case(
        "enc_big5",
        orders(*TW_ROWS, encoding="big5"),
        Accepted({"orders.channel": ["門市", "外送"]}),
    ),
    Case(
        "enc_utf8_one_bad_byte",
        {"orders.csv": csv(*ZH_ROWS).encode() + b"o3,c3,2024-03-03 10:00,store,1\xe90\n"},
        Refused("orders.csv", "save it as UTF-8", row=4),
        why="was re-read as iso8859_10: Café -> CafÃĐ",
    ),
    Case(
        "enc_half_utf8_half_gbk",
        {"orders.csv": csv(ZH_ROWS[0]).encode() + (ZH_ROWS[1] + "\n").encode("gbk")},
        Refused("orders.csv", "not UTF-8", row=3),
        why="was read as cp1251",
    ),
    Case(
        "enc_shift_jis",
        {
            "orders.csv": csv(
                "o1,c1,2024-03-01 08:00,store,10", header=HEADER + ",comment"
            ).encode()[:-1]
            + ",デリバリー\n".encode("shift_jis")
        },
        Refused("orders.csv", "not text in an encoding we read", row=2),
    ),
    Case(
        "enc_latin1",
        {
            "orders.csv": csv(
                "o1,c1,2024-03-01 08:00,store,10,Café,x", header=HEADER + ",category,z"
            ).encode("latin-1")
        },
        Refused("orders.csv", "save it as UTF-8", row=2),
    ),
    Case(
        "enc_utf16_without_bom",
        {"orders.csv": csv(*ZH_ROWS).encode("utf-16-le")},
        Refused("orders.csv", "NUL character", row=1),
    ),
    Case(
        "enc_nul_in_a_cell",
        {"orders.csv": csv(ROWS[0], "o2,c2,2024-03-02 09:30,del\x00ivery,20.5").encode()},
        Refused("orders.csv", "NUL character", row=3),
        why="a NUL byte was kept inside text",
    ),
    Case(
        "enc_euc_kr",
        {
            "orders.csv": csv(
                "o1,c1,2024-03-01 08:00,store,10,"
                "배달이 너무 늦었어요 다음에는 빨리 와주세요 피자가 정말 맛있습니다",
                header=HEADER + ",comment",
            ).encode("euc-kr")
        },
        Refused("orders.csv", "not text in an encoding we read", row=2),
    ),
    Case(
        "enc_cp1251",
        {
            "orders.csv": csv(
                "o1,c1,2024-03-01 08:00,store,10,Пицца", header=HEADER + ",category"
            ).encode("cp1251")
        },
        Refused("orders.csv", "not text in an encoding we read", row=2),
    ),
    # --- CSV dialects and broken quoting ---------------------------------------------------
    Case(
        "csv_semicolons",
        {"orders.csv": csv(*ROWS).replace(",", ";").encode()},
        Accepted({"orders.amount": ["10.0", "20.5"]}),
        why="gave five 'required column is missing' lines",
    ),
    Case(
        "csv_tabs",
        {"orders.csv": csv(*ROWS).replace(",", "\t").encode()},
        Accepted({"orders.channel": ["store", "delivery"]}),
    ),
    Case(
        "csv_semicolons_decimal_comma",
        {
            "orders.csv": (
                HEADER.replace(",", ";") + "\no1;c1;2024-03-01 08:00;store;20,5\n"
            ).encode()
        },
        Refused("orders.csv", "got '20,5'", row=2, column="amount"),
        why="a semicolon file is read; a decimal comma is then reported by row",
    ),
    Case(
        "csv_unclosed_quote",
        orders(ROWS[0], 'o2,c2,2024-03-02 09:30,"delivery,20.5', "o3,c3,2024-03-03 10:00,store,5"),
        Refused("orders.csv", "never closed", row=3, column="channel"),
        why="reported the parser's row, not the spreadsheet row",
    ),
    Case(
        "csv_too_many_values",
        orders(ROWS[0], "o2,c2,2024-03-02 09:30,delivery,1,234"),
        Refused("orders.csv", "has 6 values but the header row has 5 columns", row=3),
    ),
    Case(
        "csv_crlf",
        {"orders.csv": csv(ROWS[0], "o2,c2,2024-03-02 09:30,delivery,-1", newline="\r\n").encode()},
        Refused("orders.csv", "expected a number >= 0, got '-1'", row=3, column="amount"),
    ),
    Case(
        "csv_quoted_commas_and_quotes",
        {
            "orders.csv": (
                HEADER + ',category\no1,c1,2024-03-01 08:00,store,10,"latte, large ""hot"""\n'
            ).encode()
        },
        Accepted({"orders.category": ['latte, large "hot"']}),
    ),
    Case(
        "csv_blank_lines_keep_row_numbers",
        {
            "orders.csv": (
                HEADER + "\n" + ROWS[0] + "\n\n\n" + "o2,c2,2024-13-02,delivery,2\n"
            ).encode()
        },
        Refused("orders.csv", "expected a date or time", row=5, column="order_time"),
    ),
    Case(
        "csv_spaces_around_names",
        {
            "orders.csv": (
                " order_id , customer_id ,order_time,channel, amount \n" + ROWS[0] + "\n"
            ).encode()
        },
        Accepted({"orders.amount": ["10.0"]}),
    ),
    Case(
        "csv_duplicate_column",
        orders(ROWS[0] + ",11", header=HEADER + ",amount"),
        Refused("orders.csv", "column appears more than once", column="amount"),
    ),
    Case("csv_empty_file", {"orders.csv": b""}, Refused("orders.csv", "is empty")),
    Case("csv_header_only", orders(), Refused("orders.csv", "has no data rows")),
    Case("csv_whitespace_only", {"orders.csv": b"\n  \n\r\n"}, Refused("orders.csv", "is empty")),
    Case(
        "csv_one_huge_line",
        {"orders.csv": b"x" * 70_000},
        Refused("orders.csv", "the first line is longer than 64 KB", row=1),
    ),
    Case(
        "csv_binary_junk",
        {"orders.csv": b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4},
        Refused("orders.csv", "required column is missing", column="order_id"),
        why="read the header first: junk fails on its columns before anything else",
    ),
    # --- numbers and dates -----------------------------------------------------------------
    Case(
        "num_thousands_separator",
        orders(ROWS[0], 'o2,c2,2024-03-02 09:30,delivery,"1,234"'),
        Refused("orders.csv", "no thousands separators", row=3, column="amount"),
    ),
    Case(
        "num_currency_sign",
        orders(ROWS[0], "o2,c2,2024-03-02 09:30,delivery,¥12"),
        Refused("orders.csv", "no thousands separators or currency signs", row=3, column="amount"),
    ),
    Case(
        "num_nan_and_inf",
        orders("o1,c1,2024-03-01 08:00,store,NaN", "o2,c2,2024-03-02 09:30,delivery,inf"),
        Refused("orders.csv", "expected a number >= 0, got 'NaN'", row=2, column="amount"),
    ),
    Case(
        "num_overflow",
        orders(ROWS[0], "o2,c2,2024-03-02 09:30,delivery,1e400"),
        Refused("orders.csv", "got '1e400'", row=3, column="amount"),
    ),
    Case(
        "num_fullwidth_digits",
        orders(ROWS[0], "o2,c2,2024-03-02 09:30,delivery,１２"),
        Refused("orders.csv", "got '１２'", row=3, column="amount"),
    ),
    Case(
        "date_excel_serial",
        orders("o1,c1,45352,store,10"),
        Refused("orders.csv", "Excel date serial number", row=2, column="order_time"),
        why="got no hint",
    ),
    Case(
        "date_one_row_with_another_offset",
        orders(
            "o1,c1,2024-03-01 11:25+08:00,store,10",
            "o2,c2,2024-03-01 11:25+08:00,store,10",
            "o3,c3,2024-03-01 09:00-05:00,store,10",
        ),
        Accepted(
            {
                "orders.order_time": [
                    "2024-03-01 11:25:00",
                    "2024-03-01 11:25:00",
                    "2024-03-01 09:00:00",
                ]
            }
        ),
        why="the whole column was converted to UTC (11:25+08:00 became 03:25)",
    ),
    Case(
        "date_offsets_mixed_with_plain",
        orders("o1,c1,2024-03-01T11:25:00Z,store,10", "o2,c2,2024-03-01 11:25,store,10"),
        Accepted({"orders.order_time": ["2024-03-01 11:25:00", "2024-03-01 11:25:00"]}),
        why="only the offset rows shifted",
    ),
    Case(
        "date_day_first",
        orders("o1,c1,15/03/2024,store,10", "o2,c2,16/03/2024,store,10"),
        Accepted({"orders.order_time": ["2024-03-15 00:00:00", "2024-03-16 00:00:00"]}),
    ),
    Case(
        "date_impossible",
        orders(ROWS[0], "o2,c2,2024-02-30,store,10"),
        Refused("orders.csv", "got '2024-02-30'", row=3, column="order_time"),
    ),
    Case(
        "date_far_future",
        orders(ROWS[0], "o2,c2,9999-12-31,store,10"),
        Refused("orders.csv", "between 1900-01-01 and 2100-12-31", row=3, column="order_time"),
        why="one order in year 9999 would move the analysis period out of the data",
    ),
    # --- empty and degenerate tables ----------------------------------------------------------
    Case("table_one_row", orders(ROWS[0]), Accepted({"orders.order_id": ["o1"]})),
    Case(
        "table_only_separators",
        {"orders.csv": (HEADER + "\n,,,,\n,,,,\n").encode()},
        Refused("orders.csv", "has no data rows"),
    ),
    Case(
        "table_optional_table_empty",
        {**orders(*ROWS), "customers.csv": b"customer_id,signup_date,tier\n"},
        Accepted({"customers.customer_id": []}),
    ),
    Case(
        "table_many_unknown_columns",
        orders(
            *[r + ",x" * 100 for r in ROWS],
            header=HEADER + "".join(f",extra_{i}" for i in range(100)),
        ),
        Accepted({"orders.extra_99": ["x", "x"]}),
    ),
    Case(
        "table_too_many_columns",
        orders(ROWS[0], header=HEADER + "".join(f",c{i}" for i in range(600))),
        Refused("orders.csv", "more than the 512 read", row=1),
    ),
    Case(
        "table_missing_required_table",
        {"customers.csv": b"customer_id,signup_date,tier\nc1,2024-01-01,gold\n"},
        Refused("orders", "required table is missing"),
    ),
    Case(
        "table_two_formats",
        {**orders(*ROWS), "ORDERS.xlsx": GOOD_BOOK},
        Refused("orders", "supplied more than once"),
    ),
    # --- XLSX oddities and bombs -------------------------------------------------------------
    Case(
        "xlsx_plain",
        {"orders.xlsx": GOOD_BOOK},
        Accepted(
            {
                "orders.amount": ["10.0", "20.5"],
                "orders.order_time": ["2024-03-01 08:00:00", "2024-03-02 09:30:00"],
            }
        ),
    ),
    Case(
        "xlsx_cell_at_xfd1048576",
        {"orders.xlsx": XFD_BOOK},
        Refused("orders.xlsx", "used range reaches cell XFD1048576"),
        why="pandas padded 1 M rows × 16,384 columns (2.5 GB in 10 s)",
    ),
    Case(
        "xlsx_zip_ratio_bomb",
        {"orders.xlsx": RATIO_BOOK},
        Refused("orders.xlsx", "times larger than it is stored"),
    ),
    Case(
        "xlsx_formula_without_value",
        {"orders.xlsx": FORMULA_BOOK},
        Refused("orders.xlsx", "hold formulas with no saved values", row=2, column="amount"),
        why="reported 'required value is empty'",
    ),
    Case(
        "xlsx_serial_date_unformatted",
        {"orders.xlsx": SERIAL_BOOK},
        Refused("orders.xlsx", "Excel date serial number", row=2, column="order_time"),
    ),
    Case(
        "xlsx_renamed_csv",
        {"orders.xlsx": csv(*ROWS).encode()},
        Refused("orders.xlsx", "is not an Excel workbook"),
    ),
    Case(
        "xlsx_old_xls",
        {"orders.xlsx": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504},
        Refused("orders.xlsx", "is not an Excel workbook"),
    ),
    Case(
        "xlsx_entities_never_expanded",
        {"orders.xlsx": ENTITY_BOOK},
        Refused("orders.xlsx", "declares XML entities"),
        why="an entity bomb in a sheet is refused before parsing",
    ),
    Case(
        "xlsx_empty_header_row",
        {"orders.xlsx": xlsx([[None], ["o1", "c1", "2024-03-01", "store", 1]])},
        Refused("orders.xlsx", "row 1 is empty", row=1),
    ),
    # --- Parquet -------------------------------------------------------------------------------
    Case(
        "parquet_boolean_amount",
        {"orders.parquet": parquet(pa.table({**ORDERS_TABLE, "amount": [True, False]}))},
        Refused("orders.parquet", "got True", row=1, column="amount"),
        why="was accepted as 1.0",
    ),
    Case(
        "parquet_nested_values",
        {"orders.parquet": parquet(pa.table({**ORDERS_TABLE, "amount": [[1.0], [2.0]]}))},
        Refused("orders.parquet", "not plain text, numbers", column="amount"),
    ),
    Case(
        "parquet_timezone_aware",
        {
            "orders.parquet": parquet(
                pa.table(
                    {
                        **ORDERS_TABLE,
                        "order_time": pa.array(
                            [1709251200_000_000, 1709337600_000_000],
                            pa.timestamp("us", "Asia/Shanghai"),
                        ),
                        "amount": [1.0, 2.0],
                    }
                )
            )
        },
        Accepted({"orders.order_time": ["2024-03-01 08:00:00", "2024-03-02 08:00:00"]}),
    ),
    Case(
        "parquet_dictionary_bomb",
        {"orders.parquet": DICTIONARY_BOMB},
        Refused("orders.parquet", "unpacks to"),
        why="2 KB on disk: one 4,000-character value repeated a million times (4 GB decoded)",
    ),
    Case(
        "parquet_declares_billions",
        {"orders.parquet": parquet(pa.table({"order_id": pa.nulls(51_000_000)}))},
        Refused("orders.parquet", "more than the 50,000,000 cells"),
    ),
    # --- YAML ----------------------------------------------------------------------------------
    Case(
        "yaml_billion_laughs",
        {
            "client.yaml": lambda p, r: p.write_text(bomb_yaml(p.parent.name), encoding="utf-8"),
            **orders(*ROWS),
        },
        Refused("client.yaml", "aliases and anchors are not allowed", line=22),
        why="validate grew past 3 GB; list took 50 s",
    ),
    Case(
        "yaml_deep_nesting",
        {
            "client.yaml": lambda p, r: p.write_text(
                "name: " + "[" * 5000 + "]" * 5000, encoding="utf-8"
            ),
            **orders(*ROWS),
        },
        Refused("client.yaml", "nested more than 32 levels", line=1),
        why="RecursionError traceback",
    ),
    Case(
        "yaml_python_tag",
        {
            "client.yaml": lambda p, r: p.write_text(
                client_yaml(p.parent.name)
                + "currency_code: !!python/object/apply:os.system ['id']\n",
                encoding="utf-8",
            ),
            **orders(*ROWS),
        },
        Refused("client.yaml", "is not allowed", line=23),
    ),
    Case(
        "yaml_duplicate_language",
        {
            "client.yaml": lambda p, r: p.write_text(
                client_yaml(p.parent.name) + "language: zh\n", encoding="utf-8"
            ),
            **orders(*ROWS),
        },
        Refused("client.yaml", "key 'language' is given twice (first at line 4)", line=23),
        why="a second language: zh switched the report language",
    ),
    Case(
        "yaml_a_list",
        {"client.yaml": "- id\n- name\n", **orders(*ROWS)},
        Refused("client.yaml", "must be a mapping"),
    ),
    Case(
        "yaml_empty",
        {"client.yaml": "", **orders(*ROWS)},
        Refused("client.yaml", "must be a mapping"),
    ),
    Case(
        "yaml_too_large",
        {
            "client.yaml": lambda p, r: p.write_text(
                client_yaml(p.parent.name) + "# " + "x" * 300_000 + "\n", encoding="utf-8"
            ),
            **orders(*ROWS),
        },
        Refused("client.yaml", "larger than 256 KB"),
    ),
    Case(
        "yaml_gbk",
        {
            "client.yaml": lambda p, r: p.write_bytes(
                client_yaml(p.parent.name, {"name": "啡途咖啡"}).encode("gbk")
            ),
            **orders(*ROWS),
        },
        Accepted({"orders.order_id": ["o1", "o2"]}),
    ),
    Case(
        "yaml_binary_tag",
        {
            "client.yaml": lambda p, r: p.write_text(
                client_yaml(p.parent.name).replace("name: Hostile Test", "name: !!binary SGVsbG8="),
                encoding="utf-8",
            ),
            **orders(*ROWS),
        },
        Refused("client.yaml", "the tag !!binary is not allowed", line=2),
    ),
    Case(
        "yaml_tab_indent",
        {
            "client.yaml": lambda p, r: p.write_text(
                client_yaml(p.parent.name) + "promises:\n\t- text: x\n", encoding="utf-8"
            ),
            **orders(*ROWS),
        },
        Refused("client.yaml", "is not valid YAML", line=24),
    ),
    Case(
        "yaml_huge_name_value",
        {
            "client.yaml": lambda p, r: p.write_text(
                client_yaml(p.parent.name, {"language": "x" * 20_000}), encoding="utf-8"
            ),
            **orders(*ROWS),
        },
        Refused("client.yaml", "(20,000 characters)"),
        why="a 5 MB value was echoed in full",
    ),
    Case(
        "yaml_wrong_id",
        {
            "client.yaml": lambda p, r: p.write_text(
                client_yaml(p.parent.name, {"id": "../other"}), encoding="utf-8"
            ),
            **orders(*ROWS),
        },
        Refused("client.yaml", "must equal the folder name"),
    ),
    # --- links and path tricks ---------------------------------------------------------------
    Case(
        "link_table_to_secret_outside",
        {**orders(*ROWS), "survey.csv": link("{outside}/secrets.env")},
        Refused("survey.csv", "link to a file outside the client folder"),
    ),
    Case(
        "link_table_to_proc_environ",
        {**orders(*ROWS), "survey.csv": link("/proc/self/environ")},
        Refused("survey.csv", "link to a file outside the client folder"),
        why="the environment (secrets included) was printed and written into the portfolio",
    ),
    Case(
        "link_table_to_another_client",
        {**orders(*ROWS), "customers.csv": link("{clients}/enc_utf8/orders.csv")},
        Refused("customers.csv", "link to a file outside the client folder"),
    ),
    Case(
        "link_inside_the_folder",
        {"orders_2024.csv": csv(*ROWS).encode(), "orders.csv": link("orders_2024.csv")},
        Accepted({"orders.order_id": ["o1", "o2"]}),
    ),
    Case(
        "link_client_yaml_outside",
        {**orders(*ROWS), "client.yaml": link("{outside}/client.yaml")},
        Refused("client.yaml", "link to a file outside the client folder"),
    ),
    Case(
        "path_table_is_a_folder",
        {"orders.csv": directory},
        Refused("orders.csv", "is not a regular file"),
    ),
    Case(
        "path_table_is_a_pipe", {"orders.csv": fifo}, Refused("orders.csv", "is not a regular file")
    ),
    Case(
        "path_broken_link",
        {"orders.csv": link("{outside}/gone.csv")},
        Refused("orders.csv", "does not exist"),
    ),
    Case(
        "path_link_loop",
        {"orders.csv": link("orders.csv")},
        Refused("orders.csv", "does not exist"),
    ),
    # --- markup, formula injection, canaries ---------------------------------------------------
    Case(
        "markup_in_values",
        orders(*MARKUP_ROWS, header=HEADER + ",category,payment,scene"),
        Accepted(
            {
                "orders.category": [
                    "<script>alert(1)</script>",
                    "<img src=x onerror=alert(2)>",
                    "latte",
                    "{{7*7}}",
                    "${jndi:x}",
                    "mocha",
                ],
                "orders.payment": [
                    '=HYPERLINK("http://x")',
                    "@SUM(A1)",
                    "+1",
                    "-1",
                    "cash",
                    "card",
                ],
                "orders.channel": ["$", "$$ delivery", "门店", "$", "store", "$$ delivery"],
                "orders.scene": [
                    "<b>home</b>",
                    "office",
                    "<b>home</b>",
                    "office",
                    "office",
                    "office",
                ],
            }
        ),
        why="kept verbatim as data; every page escapes them (a render checks the output)",
    ),
    Case(
        "markup_undeclared_channel_with_controls",
        orders(ROWS[0], "o2,c2,2024-03-02 09:30,<b>web</b>\u202eevil,20"),
        Refused(
            "orders.csv",
            "'<b>web</b>\\u202eevil' is not a declared channel",
            row=3,
            column="channel",
        ),
    ),
    Case(
        "markup_huge_undeclared_value",
        orders(ROWS[0], "o2,c2,2024-03-02 09:30," + "w" * 5000 + ",20"),
        Refused(
            "orders.csv", "(5,000 characters) is not a declared channel", row=3, column="channel"
        ),
    ),
    Case(
        "canary_ids_and_secret_column",
        orders(*CANARY_ROWS, header=HEADER + ",api_key"),
        Accepted(
            {
                "orders.order_id": [f"{CANARY_ORDER}-{i}" for i in range(6)],
                "orders.api_key": [SECRET] * 6,
            }
        ),
        why="ids and unknown columns are data, never output (a render checks the output)",
    ),
    Case(
        "canary_in_refused_cell",
        orders(f"{CANARY_ORDER},{CANARY_CUSTOMER},2024-03-01 08:00,store,-1"),
        Refused("orders.csv", "got '-1'", row=2, column="amount"),
    ),
]


def write_corpus(root: Path) -> Path:
    """Write every case into ``root/clients/<case>/``; return the clients folder."""
    clients, outside = root / "clients", root / "outside"
    outside.mkdir(parents=True, exist_ok=True)
    (outside / "secrets.env").write_text(
        f"order_id,customer_id\nAPI_KEY={SECRET},x\n", encoding="utf-8"
    )
    (outside / "client.yaml").write_text(client_yaml("link_client_yaml_outside"), encoding="utf-8")
    for case in CASES:
        folder = clients / case.name
        folder.mkdir(parents=True)
        files = {"client.yaml": client_yaml(case.name, case.config), **case.files}
        for name, content in files.items():
            path = folder / name
            if callable(content):
                content(path, root)
            elif isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
    return clients


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "hostile_corpus")
    write_corpus(target)
    print(f"{len(CASES)} cases written to {target / 'clients'}")
