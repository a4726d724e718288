"""Shared fixtures and builders of the test suite.

Builders (plain functions; import them with ``from tests.conftest import ...``):

- ``client_config(**overrides)``: a ``ClientConfig`` for unit tests (client "t", English, USD,
  channels app and store); pass only what the test is about.
- ``tiny_client(assessment=None, **config)``: the tiny client in memory — ten orders in
  January 2025, 9 of 10 promises kept (delivery 外卖 misses one of five).
- ``to_png(fig)``: draw a figure to PNG bytes, failing on any warning (a missing glyph).

Demo renders (slow, session-scoped): ``demo_reports`` renders the three demo clients once per
test run (HTML, PDF and deck, every notebook) and returns the output folder, so every test that
reads a demo report shares one render. Add a format there (``RenderOptions.formats``) rather
than rendering a demo client again in a new test. ``orders_only_reports`` renders the
orders-only client (``ORDERS_ONLY``) once, in English and, as ``only_orders_zh``, in Chinese.

``make_client`` is the one way tests build a client folder on disk::

    def test_something(make_client):
        clients_dir = make_client()                        # a valid client "acme"
        data = load_client("acme", clients_dir)

        clients_dir = make_client(
            "shop",
            config={"tiers": ["gold", "basic"]},           # merged over DEFAULT_CONFIG
            orders=my_orders_frame,                        # replaces DEFAULT_ORDERS
            tables={"customers": customers_frame},         # any other contract table
            fmt="xlsx",                                    # csv (default), xlsx or parquet
        )

Several calls in one test write several clients into the same clients dir. The
``default_orders`` fixture returns a copy of the default orders to modify.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import tempfile
import warnings
from collections.abc import Callable, Mapping
from pathlib import Path

import pandas as pd
import pytest
import yaml
from matplotlib.figure import Figure

from playbook.data.contract import Assessment, ClientConfig
from playbook.data.model import ClientData

# renders in tests keep validated tables in a cache of their own, never the user's
# (report.tables_cache; tests of the cache itself set their own folder)
os.environ["PLAYBOOK_CACHE_DIR"] = tempfile.mkdtemp(prefix="playbook-test-cache-")

#: client.yaml of the default client (``id`` is set from the client id given).
DEFAULT_CONFIG: dict = {
    "name": "Acme Coffee",
    "industry": "coffee",
    "language": "en",
    "currency": "USD",
    "channels": ["store", "delivery"],
    "digital_channels": ["delivery"],
    "journey_stages": ["aware", "visit", "order"],
    "touchpoints": ["app", "counter"],
    "scenes": ["office", "home"],
    "tiers": ["gold", "basic"],
    "premium_tiers": ["gold"],
    "segments": ["student", "worker"],
}

#: The default orders: 4 orders by 3 customers; amounts 10 + 20 + 30 + 40 = 100.
DEFAULT_ORDERS = pd.DataFrame(
    {
        "order_id": ["o1", "o2", "o3", "o4"],
        "customer_id": ["c1", "c1", "c2", "c3"],
        "order_time": [
            "2024-01-01 08:00:00",
            "2024-01-02 09:30:00",
            "2024-01-03 12:00:00",
            "2024-01-04 18:45:00",
        ],
        "channel": ["store", "delivery", "store", "delivery"],
        "amount": ["10", "20", "30", "40"],
    }
)

_DEFAULT = object()

#: ``client_config``'s fields; a test overrides what it is about.
CONFIG_DEFAULTS: dict = {
    "id": "t",
    "name": "T",
    "industry": "test",
    "language": "en",
    "currency": "USD",
    "channels": ["app", "store"],
}


def client_config(**overrides) -> ClientConfig:
    """Return a ``ClientConfig`` of ``CONFIG_DEFAULTS`` with ``overrides`` (any field)."""
    return ClientConfig(**{**CONFIG_DEFAULTS, **overrides})


def tiny_client(assessment: Assessment | None = None, **config) -> ClientData:
    """Return the tiny client: ten orders in January 2025, 9 of 10 delivered within 30 minutes.

    Client "tiny", "Brew & <Co>" (a name to escape), Chinese, CNY, channels 门店 and 外卖.
    Orders o0–o9 on 10–19 January by customers c1–c8 (c1 and c2 order twice), 30.0 each,
    promised 30 minutes: delivery (外卖, o0–o4) takes 20, 25, 28, 29 and 45 minutes — 4 of 5
    kept — the store (门店, o5–o9) 10 minutes each. Only the orders table is present.

    Args:
        assessment: the workshop scores, if any.
        **config: ``ClientConfig`` fields to change (e.g. ``industry``).
    """
    fields = {
        "id": "tiny",
        "name": "Brew & <Co>",
        "industry": "咖啡连锁",
        "language": "zh",
        "currency": "CNY",
        "channels": ["门店", "外卖"],
    }
    orders = pd.DataFrame(
        {
            "order_id": [f"o{i}" for i in range(10)],
            "customer_id": ["c1", "c2", "c3", "c4", "c5", "c1", "c2", "c6", "c7", "c8"],
            "order_time": pd.to_datetime([f"2025-01-{d}" for d in range(10, 20)]),
            "channel": ["外卖"] * 5 + ["门店"] * 5,
            "amount": [30.0] * 10,
            "promised_minutes": [30.0] * 10,
            "actual_minutes": [20.0, 25.0, 28.0, 29.0, 45.0] + [10.0] * 5,
        }
    )
    return ClientData(client_config(**{**fields, **config}), {"orders": orders}, assessment)


def to_png(fig: Figure) -> bytes:
    """Draw a figure to PNG bytes; any warning (e.g. a glyph missing from the font) fails."""
    buf = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig.savefig(buf, format="png")
    return buf.getvalue()


MakeClient = Callable[..., Path]


def write_table(df: pd.DataFrame, path: Path, encoding: str = "utf-8") -> Path:
    """Write a frame as the file type its suffix names (csv, xlsx or parquet)."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        df.to_csv(path, index=False, encoding=encoding)
    elif suffix == ".xlsx":
        df.to_excel(path, index=False)
    elif suffix == ".parquet":
        df.to_parquet(path, index=False)
    else:
        raise ValueError(f"unsupported table suffix {suffix}")
    return path


@pytest.fixture
def default_orders() -> pd.DataFrame:
    """Return a copy of ``DEFAULT_ORDERS`` (raw strings, as a CSV would hold them)."""
    return DEFAULT_ORDERS.copy()


@pytest.fixture
def make_client(tmp_path: Path) -> MakeClient:
    """Return a function that writes a client folder and returns its clients dir.

    The function's arguments (all optional):

    - ``client_id`` (default ``"acme"``): the folder name and client.yaml ``id``.
    - ``config``: keys merged over ``DEFAULT_CONFIG`` (a value of None drops the key).
    - ``orders``: the orders frame (default ``DEFAULT_ORDERS``); None writes no orders.
    - ``tables``: other tables by name, e.g. ``{"customers": df}``.
    - ``fmt``: file type of every table, ``"csv"`` (default), ``"xlsx"`` or ``"parquet"``.
    - ``encoding``: text encoding of CSV files (default UTF-8; e.g. ``"gbk"``, ``"utf-8-sig"``).
    - ``assessment``: the contents of assessment.yaml, as a dict (default: no file).
    - ``files``: raw files to write last, name -> str (UTF-8) or bytes; they may replace
      anything written above (e.g. a broken client.yaml).
    - ``clients_dir``: where to write (default ``tmp_path / "clients"``).
    """

    def make(
        client_id: str = "acme",
        *,
        config: Mapping | None = None,
        orders: pd.DataFrame | None | object = _DEFAULT,
        tables: Mapping[str, pd.DataFrame] | None = None,
        fmt: str = "csv",
        encoding: str = "utf-8",
        assessment: Mapping | None = None,
        files: Mapping[str, str | bytes] | None = None,
        clients_dir: Path | None = None,
    ) -> Path:
        root = clients_dir or tmp_path / "clients"
        folder = root / client_id
        folder.mkdir(parents=True, exist_ok=True)
        merged = {"id": client_id, **DEFAULT_CONFIG, **(config or {})}
        merged = {k: v for k, v in merged.items() if v is not None}
        (folder / "client.yaml").write_text(
            yaml.safe_dump(merged, allow_unicode=True, sort_keys=False), encoding="utf-8"
        )
        all_tables = dict(tables or {})
        if orders is _DEFAULT:
            orders = DEFAULT_ORDERS
        if orders is not None:
            all_tables["orders"] = orders
        for name, df in all_tables.items():
            write_table(df, folder / f"{name}.{fmt}", encoding)
        if assessment is not None:
            (folder / "assessment.yaml").write_text(
                yaml.safe_dump(dict(assessment), allow_unicode=True), encoding="utf-8"
            )
        for name, content in (files or {}).items():
            target = folder / name
            if isinstance(content, bytes):
                target.write_bytes(content)
            else:
                target.write_text(content, encoding="utf-8")
        return root

    return make


#: The demo clients shipped in data/clients (``python -m playbook.demo`` writes them).
DEMO_CLIENTS = ("brewlane_coffee", "wayfare_travel", "slice_pizza")
#: The formats ``demo_reports`` renders.
DEMO_FORMATS = ("html", "pdf", "pptx")


@pytest.fixture(scope="session")
def demo_reports(tmp_path_factory) -> Path:
    """Render the three demo clients once per test run and return the output folder.

    Every notebook, in each client's language, in ``DEMO_FORMATS``, two clients at a time:
    ``<out>/<client>/`` holds the site (``index.html`` first), ``report.pdf``, ``report.pptx``,
    ``scores.json``,
    ``manifest.json`` and ``executed/``; ``<out>/index.html`` is the portfolio. Fails (never
    skips) when a client does not render. Tests that read a demo report use this fixture
    instead of rendering again; a new format goes into ``DEMO_FORMATS``.
    """
    from playbook.report.render import RenderOptions, render_clients

    out = tmp_path_factory.mktemp("demo_reports")
    options = RenderOptions(DEMO_CLIENTS, out_dir=out, formats=DEMO_FORMATS, workers=2)
    results = render_clients(options, progress=None)
    failed = [(r.client_id, r.problems, [str(f) for f in r.failures]) for r in results if not r.ok]
    assert failed == [], f"demo clients failed to render: {failed}"
    return out


#: The orders-only client: 6 orders by 4 customers in March 2024 (no optional column, no
#: other table) and one workshop score. ``orders_only_reports`` renders it in English (its
#: language) and, as ``only_orders_zh``, in Chinese.
ORDERS_ONLY = pd.DataFrame({
    "order_id": [f"o{i}" for i in range(6)],
    "customer_id": ["c1", "c1", "c2", "c3", "c4", "c4"],
    "order_time": [f"2024-03-{d:02d} 12:00" for d in (1, 4, 9, 15, 20, 28)],
    "channel": ["store", "delivery", "store", "store", "delivery", "delivery"],
    "amount": ["10", "25", "14", "9", "31", "12"],
})  # fmt: skip
ORDERS_ONLY_ASSESSMENT = {"frameworks": {"journey_goals": {"branded_theme": {
    "score": 4, "evidence": "Store theme matches the app"}}}}  # fmt: skip


@pytest.fixture(scope="session")
def orders_only_reports(tmp_path_factory) -> Path:
    """Render the orders-only client once per test run, in English and in Chinese.

    ``<out>/only_orders/`` is the English site, ``<out>/only_orders_zh/`` the same data as a
    Chinese client (HTML only, two at a time). Fails (never skips) when one does not render.
    """
    from playbook.report.render import RenderOptions, render_clients

    clients = tmp_path_factory.mktemp("orders_only_clients")
    for client_id, language in (("only_orders", "en"), ("only_orders_zh", "zh")):
        folder = clients / client_id
        folder.mkdir()
        config = {"id": client_id, **DEFAULT_CONFIG, "language": language}
        (folder / "client.yaml").write_text(
            yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8"
        )
        write_table(ORDERS_ONLY, folder / "orders.csv")
        (folder / "assessment.yaml").write_text(
            yaml.safe_dump(ORDERS_ONLY_ASSESSMENT, allow_unicode=True), encoding="utf-8"
        )
    out = tmp_path_factory.mktemp("orders_only_reports")
    options = RenderOptions(
        ("only_orders", "only_orders_zh"), clients_dir=clients, out_dir=out, workers=2
    )
    results = render_clients(options, progress=None)
    failed = [(r.client_id, r.problems, [str(f) for f in r.failures]) for r in results if not r.ok]
    assert failed == [], f"the orders-only client failed to render: {failed}"
    return out


def _ten_rows(table: str) -> list[dict]:
    """Return ten valid rows of a table, using the default client's declared values.

    Orders: o0..o9, one a day from 2024-01-01 08:00, customers c0..c3, channels alternating
    store/delivery starting with store, amounts 10, 11, …, 19 (sum 145).
    """
    day = dt.datetime(2024, 1, 1, 8, 0)
    cfg = DEFAULT_CONFIG
    make = {
        "orders": lambda i: {
            "order_id": f"o{i}",
            "customer_id": f"c{i % 4}",
            "order_time": day + dt.timedelta(days=i),
            "channel": cfg["channels"][i % 2],
            "amount": 10 + i,
        },
        "customers": lambda i: {
            "customer_id": f"c{i}",
            "signup_date": dt.date(2023, 6, 1 + i),
            "tier": cfg["tiers"][i % 2],
        },
        "journey": lambda i: {
            "customer_id": f"c{i % 4}",
            "event_time": day + dt.timedelta(hours=i),
            "stage": cfg["journey_stages"][i % 3],
            "touchpoint": cfg["touchpoints"][i % 2],
            "channel": "store",
        },
        "survey": lambda i: {
            "response_id": f"r{i}",
            "response_time": day + dt.timedelta(days=i),
            "nps": i,
            "csat": 1 + i % 5,
        },
        "costs": lambda i: {
            "period": f"2024-{1 + i:02d}",
            "channel": cfg["channels"][i % 2],
            "service_cost": 100 * i,
        },
        "experiments": lambda i: {
            "experiment_id": "e1",
            "variant": "AB"[i % 2],
            "converted": "是" if i % 3 else "否",
        },
    }[table]
    return [make(i) for i in range(10)]


def _fill_workbook(path: Path, rows: Mapping[str, list[dict]]) -> None:
    """Write rows under the header and help row of a data-request workbook's sheets."""
    from openpyxl import load_workbook

    wb = load_workbook(path)
    for table, records in rows.items():
        ws = wb[table]
        header = [c.value for c in ws[1]]
        for record in records:
            ws.append([record.get(name) for name in header])
    wb.save(path)


@pytest.fixture(scope="session")
def ten_rows() -> Callable[[str], list[dict]]:
    """Return a function giving ten valid rows of a table (see ``_ten_rows``)."""
    return _ten_rows


@pytest.fixture(scope="session")
def fill_workbook() -> Callable[[Path, Mapping[str, list[dict]]], None]:
    """Return a function writing rows into a data-request workbook's sheets."""
    return _fill_workbook
