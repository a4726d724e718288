"""Listing and loading clients: errors that name what exists, and the load cache."""

from __future__ import annotations

import os

import pytest

import playbook.data.validation as validation
from playbook.data.clients import (
    DataValidationError,
    UnknownClientError,
    clear_cache,
    client_dir,
    list_clients,
    load_client,
)


def test_list_clients_lists_folders_with_client_yaml(make_client, tmp_path):
    clients_dir = make_client("zeta")
    make_client("alpha")
    (clients_dir / "drafts").mkdir()  # no client.yaml: not a client
    (clients_dir / "notes.txt").write_text("x", encoding="utf-8")
    assert list_clients(clients_dir) == ["alpha", "zeta"]
    assert list_clients(str(clients_dir)) == ["alpha", "zeta"]


def test_list_clients_fails_on_a_missing_folder(tmp_path):
    with pytest.raises(FileNotFoundError, match="clients folder not found"):
        list_clients(tmp_path / "nowhere")


def test_load_client_returns_typed_data(make_client):
    clients_dir = make_client()
    data = load_client("acme", clients_dir)
    assert data.config.name == "Acme Coffee"
    assert data.orders["amount"].dtype == "float64"
    assert data.orders["order_time"].dtype.kind == "M"
    assert data.orders["amount"].sum() == 100.0  # 10 + 20 + 30 + 40
    assert data.source == clients_dir / "acme"


def test_load_client_accepts_a_relative_str_path(make_client, tmp_path, monkeypatch):
    make_client()
    monkeypatch.chdir(tmp_path)
    data = load_client("acme", "clients")
    assert data.source == (tmp_path / "clients" / "acme").resolve()


def test_unknown_client_lists_known_ids_and_folder(make_client):
    clients_dir = make_client("acme")
    make_client("brew")
    with pytest.raises(UnknownClientError) as info:
        load_client("acne", clients_dir)
    message = str(info.value)
    assert "unknown client 'acne'" in message
    assert f"Known clients in {clients_dir}: acme, brew" in message
    assert info.value.known == ["acme", "brew"]


def test_client_dir_of_unknown_client_in_missing_folder(tmp_path):
    with pytest.raises(UnknownClientError, match="Known clients in .*nowhere: none"):
        client_dir("acme", tmp_path / "nowhere")


def test_invalid_client_raises_with_every_problem(make_client, default_orders):
    orders = default_orders.assign(amount=["10", "-1", "20", "x"])
    clients_dir = make_client(orders=orders)
    with pytest.raises(DataValidationError) as info:
        load_client("acme", clients_dir)
    error = info.value
    assert error.client_id == "acme"
    assert [(p.row, p.column) for p in error.problems] == [(3, "amount"), (5, "amount")]
    lines = str(error).splitlines()
    assert lines[0] == f"acme: 2 problems in {clients_dir / 'acme'}"
    assert lines[1] == "  orders.csv, row 3, column amount: expected a number >= 0, got '-1'"
    assert len(lines) == 3


@pytest.fixture
def validations(monkeypatch) -> list:
    """Count the client folders validated from now on (the load cache starts empty)."""
    calls = []
    real = validation.validate_client_dir

    def counting(path):
        calls.append(path)
        return real(path)

    monkeypatch.setattr(validation, "validate_client_dir", counting)
    clear_cache()
    return calls


def test_repeated_loads_use_the_cache_until_a_file_changes(make_client, validations):
    clients_dir = make_client()
    calls = validations
    first = load_client("acme", clients_dir)
    first.orders.loc[0, "amount"] = 999.0  # a notebook editing its copy
    second = load_client("acme", clients_dir)
    assert len(calls) == 1
    assert second.orders.loc[0, "amount"] == 10.0

    orders = clients_dir / "acme" / "orders.csv"
    stat = orders.stat()
    os.utime(orders, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    load_client("acme", clients_dir)
    assert len(calls) == 2


def test_a_load_without_the_cache_validates_and_keeps_nothing(make_client, validations):
    clients_dir = make_client()
    calls = validations
    assert load_client("acme", clients_dir, cache=False).orders["amount"].sum() == 100.0
    load_client("acme", clients_dir, cache=False)
    assert len(calls) == 2  # validated each time
    load_client("acme", clients_dir)
    assert len(calls) == 3  # and nothing was kept for the next load
