"""Random bytes and random CSV-shaped text: the reader and the validator give a typed result or
refuse with ``TableError`` / ``DataValidationError`` — nothing else, ever."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pandas as pd
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from playbook.data.clients import DataValidationError, clear_cache, load_client
from playbook.data.files import TableError, read_table

CONFIG = {
    "id": "prop",
    "name": "Property",
    "industry": "test",
    "language": "en",
    "currency": "USD",
    "channels": ["store", "门店", "$"],
}
HEADER = ["order_id", "customer_id", "order_time", "channel", "amount"]

#: Cells that have broken readers before: separators, quotes, dates, numbers, odd text.
CELLS = st.one_of(
    st.sampled_from(
        [
            "",
            " ",
            '"',
            '""',
            '"a,b"',
            "a,b",
            ";",
            "\t",
            "store",
            "门店",
            "$",
            "2024-03-01",
            "2024-03-01 11:25+08:00",
            "2024-03-01T11:25:00Z",
            "15/03/2024",
            "45352",
            "9999-12-31",
            "2024-02-30",
            "10",
            "-1",
            "1,234",
            "¥12",
            "1e400",
            "NaN",
            "inf",
            "TRUE",
            "=1+1",
            "<script>x</script>",
            "\u202e",
            "\r",
            "\x1b[31m",
        ]
    ),
    st.text(max_size=12),
)
ROWS = st.lists(st.lists(CELLS, min_size=0, max_size=7), min_size=0, max_size=8)
HEADERS = st.one_of(
    st.just(HEADER),
    st.permutations(HEADER),
    st.lists(st.sampled_from([*HEADER, "amount", "", "x", "Order_ID"]), max_size=7),
)
SEPARATORS = st.sampled_from([",", ";", "\t", "|"])
ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "gb18030", "big5", "latin-1"])
NEWLINES = st.sampled_from(["\n", "\r\n", "\r"])

#: Examples per property (``HOSTILE_EXAMPLES=1000`` for a longer hunt; the suite runs 60).
SETTINGS = settings(
    max_examples=int(os.environ.get("HOSTILE_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def outcome(folder: Path) -> str:
    """Load the client: "typed" or "refused"; anything else propagates and fails the test."""
    clear_cache()
    try:
        data = load_client(folder.name, folder.parent)
    except DataValidationError as exc:
        assert exc.problems, "a refusal names at least one problem"
        for problem in exc.problems:
            assert len(str(problem)) < 600
        return "refused"
    orders = data.orders
    assert pd.api.types.is_datetime64_any_dtype(orders["order_time"])
    assert orders["amount"].dtype == "float64"
    assert orders["amount"].ge(0).all()
    assert orders["channel"].isin(CONFIG["channels"]).all()
    return "typed"


def client_with_orders(root: Path, content: bytes) -> Path:
    folder = root / "prop"
    folder.mkdir()
    (folder / "client.yaml").write_text(yaml.safe_dump(CONFIG, allow_unicode=True), "utf-8")
    (folder / "orders.csv").write_bytes(content)
    return folder


def read_or_refuse(path: Path) -> None:
    """Read a table: a frame, or a TableError naming the file."""
    try:
        df = read_table(path)
    except TableError as exc:
        assert str(exc).startswith(path.name)
        return
    assert isinstance(df, pd.DataFrame)


@SETTINGS
@given(st.binary(max_size=3000))
def test_random_bytes_are_read_or_refused(content):
    with tempfile.TemporaryDirectory() as tmp:
        folder = client_with_orders(Path(tmp), content)
        read_or_refuse(folder / "orders.csv")
        outcome(folder)


@SETTINGS
@given(HEADERS, ROWS, SEPARATORS, ENCODINGS, NEWLINES)
def test_csv_shaped_text_is_typed_or_refused(header, rows, sep, encoding, newline):
    lines = [sep.join(header), *(sep.join(row) for row in rows)]
    text = newline.join(lines) + newline
    content = text.encode(encoding, errors="replace")
    with tempfile.TemporaryDirectory() as tmp:
        folder = client_with_orders(Path(tmp), content)
        read_or_refuse(folder / "orders.csv")
        outcome(folder)


@SETTINGS
@given(st.binary(max_size=2000))
def test_random_bytes_as_client_yaml_are_refused_plainly(content):
    with tempfile.TemporaryDirectory() as tmp:
        folder = client_with_orders(Path(tmp), b"order_id\n")
        (folder / "client.yaml").write_bytes(content)
        assert outcome(folder) == "refused"
