"""The prepared client: what the renderer writes once and every kernel reads back."""

from __future__ import annotations

import pandas as pd
import pytest

from playbook.data.clients import load_client
from playbook.data.prepared import PREPARED_ENV, PreparedClient, Settings, write_prepared

CUSTOMERS = pd.DataFrame(
    {
        "customer_id": ["c1", "c2", "c3"],
        "signup_date": ["2023-12-01", "2023-12-15", "2024-01-02"],
        "tier": ["gold", "basic", "basic"],
    }
)


@pytest.fixture
def prepared(make_client, tmp_path):
    clients_dir = make_client(tables={"customers": CUSTOMERS})
    data = load_client("acme", clients_dir)
    settings = Settings.resolve(data, "acme", clients_dir, report_date="2024-02-01")
    return data, write_prepared(tmp_path / "prepared", data, settings)


def test_settings_take_the_clients_language_and_last_order_day(prepared):
    _, folder = prepared

    # DEFAULT_ORDERS: the last order is on 2024-01-04 at 18:45; client.yaml says "en".
    assert (folder.settings.lang, folder.settings.as_of) == ("en", "2024-01-04")
    assert folder.settings.report_date == "2024-02-01"
    assert folder.settings.period_days == 90


def test_settings_keep_what_was_asked(make_client):
    data = load_client("acme", make_client())

    settings = Settings.resolve(data, "acme", "", "zh", "2024-01-02", 30, "2024-03-01")

    assert (settings.lang, settings.as_of, settings.period_days) == ("zh", "2024-01-02", 30)


def test_settings_write_the_day_asked_for_in_one_way(make_client):
    data = load_client("acme", make_client())
    # "2024-1-2" would compare after "2024-01-10" as text (history snapshots are by name)
    assert Settings.resolve(data, "acme", as_of="2024-1-2").as_of == "2024-01-02"
    assert Settings.resolve(data, "acme", as_of="not a day").as_of == "not a day"


def test_tables_read_back_as_loaded(prepared):
    data, folder = prepared

    back = folder.client_data()

    assert sorted(back.tables) == ["customers", "orders"]
    for name, df in data.tables.items():
        pd.testing.assert_frame_equal(back.tables[name], df)
    assert back.config == data.config and back.files == data.files


def test_a_table_reads_by_column(prepared):
    _, folder = prepared

    orders = folder.table("orders", ["amount", "channel", "no_such_column"])

    assert list(orders.columns) == ["amount", "channel"]
    assert orders["amount"].sum() == 100.0
    assert folder.table("survey") is None


def test_nothing_is_handed_over_without_the_variable(prepared, monkeypatch):
    monkeypatch.delenv(PREPARED_ENV, raising=False)

    assert PreparedClient.handed_over("acme", prepared[1].settings.clients_dir) is None


def test_handed_over_only_for_the_parameters_it_was_prepared_for(prepared, monkeypatch):
    _, folder = prepared
    monkeypatch.setenv(PREPARED_ENV, str(folder.folder))
    clients_dir = folder.settings.clients_dir

    assert PreparedClient.handed_over("acme", clients_dir).folder == folder.folder
    assert PreparedClient.handed_over("acme", clients_dir, "en", "2024-01-04", 90) is not None
    assert PreparedClient.handed_over("other", clients_dir) is None
    assert PreparedClient.handed_over("acme", clients_dir, lang="zh") is None
    assert PreparedClient.handed_over("acme", clients_dir, as_of="2024-01-03") is None
    assert PreparedClient.handed_over("acme", clients_dir, period_days=30) is None
    assert PreparedClient.handed_over("acme", "/elsewhere") is None


def test_a_table_is_read_when_first_asked_for_and_once(prepared, monkeypatch):
    _, folder = prepared
    read = []
    table = PreparedClient.table
    monkeypatch.setattr(
        PreparedClient,
        "table",
        lambda self, name, columns=None: read.append(name) or table(self, name),
    )

    back = folder.client_data()
    assert read == [] and sorted(back.tables) == ["customers", "orders"]
    window = back.between(pd.Timestamp("2024-01-02"), pd.Timestamp("2024-01-04"))
    assert read == []
    # 2024-01-02 09:30 (o2) and 2024-01-03 12:00 (o3); the customers are never read
    assert window.orders["order_id"].tolist() == ["o2", "o3"]
    assert window.orders is window.orders and back.orders is back.orders
    assert read == ["orders"]
