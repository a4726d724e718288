"""Validated tables kept between renders: used only while the client's files are unchanged."""

from __future__ import annotations

import pytest
import yaml

import playbook.report.prepare
from playbook.diagnosis.prepared import DIAGNOSES
from playbook.report.manifest import file_hashes
from playbook.report.prepare import InvalidClient, Preparation
from playbook.report.tables_cache import CACHE_ENV


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv(CACHE_ENV, str(folder))
    return folder


def first_arguments(monkeypatch, module, name: str) -> list:
    """Return a list that collects the first argument of each call of ``module.name``."""
    calls = []
    original = getattr(module, name)

    def counted(first, *args):
        calls.append(first)
        return original(first, *args)

    monkeypatch.setattr(module, name, counted)
    return calls


@pytest.fixture
def validations(monkeypatch):
    """Count the client validations the preparations do (by client id)."""
    return first_arguments(monkeypatch, playbook.report.prepare, "load_valid")


def prepare(clients_dir, tmp_path, run: str):
    client_dir = clients_dir / "acme"
    preparation = Preparation(
        "acme",
        clients_dir,
        tmp_path / run,
        period_days=90,
        report_date="2024-02-01",
        hashes=file_hashes(client_dir),
    )
    diagnoses = list(preparation.diagnose())
    return preparation, diagnoses


def view_of(diagnoses) -> str:
    return diagnoses[0].elements[0].view


def write_view(client_dir, view: str) -> None:
    doc = {"frameworks": {"exceed_expectations": {"elements": {"fulfil_promise": {"view": view}}}}}
    (client_dir / "commentary.yaml").write_text(yaml.safe_dump(doc), encoding="utf-8")


def test_an_unchanged_client_is_not_validated_again_but_its_commentary_is_read_anew(
    make_client, tmp_path, cache, validations
):
    clients_dir = make_client("acme")
    write_view(clients_dir / "acme", "Wet.")
    first, before = prepare(clients_dir, tmp_path, "one")
    write_view(clients_dir / "acme", "Dry.")

    second, after = prepare(clients_dir, tmp_path, "two")

    assert validations == ["acme"], "validated once"
    assert (first.cached, second.cached) == (False, True)
    assert (view_of(before), view_of(after)) == ("Wet.", "Dry.")
    assert [d.score for d in after] == [d.score for d in before]
    assert [repr(e.indicators) for d in after for e in d.elements] == [
        repr(e.indicators) for d in before for e in d.elements
    ]
    tables = sorted(p.name for p in (tmp_path / "two" / ".prepared" / "tables").iterdir())
    assert tables == sorted(p.name for p in (tmp_path / "one" / ".prepared" / "tables").iterdir())
    assert not list(tmp_path.glob("*/.prepared/tables/*.partial"))


def test_a_changed_table_or_config_is_validated_again(make_client, tmp_path, cache, validations):
    clients_dir = make_client("acme")
    prepare(clients_dir, tmp_path, "one")
    orders = clients_dir / "acme" / "orders.csv"
    orders.write_text(orders.read_text() + "o5,c1,2024-01-05 10:00:00,store,5\n")

    second, diagnoses = prepare(clients_dir, tmp_path, "two")

    assert validations == ["acme", "acme"] and not second.cached
    assert diagnoses[0].period.end.date().isoformat() == "2024-01-06", "the new order counts"
    prepare(clients_dir, tmp_path, "three")
    assert validations == ["acme", "acme"], "the new files are cached in turn"


def test_a_bad_commentary_is_refused_even_when_the_tables_are_cached(
    make_client, tmp_path, cache, validations
):
    clients_dir = make_client("acme")
    prepare(clients_dir, tmp_path, "one")
    write_view(clients_dir / "acme", "Dry.")
    doc = {"frameworks": {"no_such_framework": {"summary": "?"}}}
    (clients_dir / "acme" / "commentary.yaml").write_text(yaml.safe_dump(doc), encoding="utf-8")

    with pytest.raises(InvalidClient, match="no_such_framework"):
        prepare(clients_dir, tmp_path, "two")
    assert validations == ["acme"]


def test_an_empty_cache_setting_keeps_nothing(make_client, tmp_path, monkeypatch, validations):
    monkeypatch.setenv(CACHE_ENV, "")
    clients_dir = make_client("acme")
    prepare(clients_dir, tmp_path, "one")
    prepare(clients_dir, tmp_path, "two")
    assert validations == ["acme", "acme"]


@pytest.fixture
def measurements(monkeypatch):
    """Count the indicator measurements the preparations make (by indicator id)."""
    import playbook.diagnosis.core

    return first_arguments(monkeypatch, playbook.diagnosis.core, "_measure")


def test_a_commentary_edit_is_diagnosed_from_the_kept_measurements(
    make_client, tmp_path, cache, measurements
):
    clients_dir = make_client("acme")
    write_view(clients_dir / "acme", "Wet.")
    _, before = prepare(clients_dir, tmp_path, "one")
    made = len(measurements)
    write_view(clients_dir / "acme", "Dry.")

    _, after = prepare(clients_dir, tmp_path, "two")

    assert made > 10 and len(measurements) == made, "nothing measured again"
    assert (view_of(before), view_of(after)) == ("Wet.", "Dry.")
    assert [repr(e.indicators) for d in after for e in d.elements] == [
        repr(e.indicators) for d in before for e in d.elements
    ]
    assert [d.score for d in after] == [d.score for d in before]


def test_measurements_are_kept_for_one_as_of_and_period(make_client, tmp_path, cache, measurements):
    clients_dir = make_client("acme")
    prepare(clients_dir, tmp_path, "one")
    made = len(measurements)

    def prepare_as_of(run: str, as_of: str):
        preparation = Preparation(
            "acme", clients_dir, tmp_path / run, as_of=as_of, period_days=90,
            report_date="2024-02-01", hashes=file_hashes(clients_dir / "acme"),
        )  # fmt: skip
        return list(preparation.diagnose())

    prepare_as_of("two", "2024-01-03")
    assert len(measurements) == 2 * made, "another as_of: measured again"
    prepare_as_of("three", "2024-01-03")
    assert len(measurements) == 2 * made, "the same as_of again: kept"
    orders = clients_dir / "acme" / "orders.csv"
    orders.write_text(orders.read_text() + "o5,c1,2024-01-02 10:00:00,store,5\n")
    prepare_as_of("four", "2024-01-03")
    assert len(measurements) == 3 * made, "new tables: measured again"


def test_diagnoses_are_written_for_the_kernels_only_when_asked(make_client, tmp_path, cache):
    clients_dir = make_client("acme")
    for run, store in (("kept", True), ("none", False)):
        preparation = Preparation(
            "acme", clients_dir, tmp_path / run, period_days=90, report_date="2024-02-01",
            hashes=file_hashes(clients_dir / "acme"),
        )  # fmt: skip
        diagnoses = list(preparation.diagnose(store=store))
        written = sorted(p.name for p in (preparation.prepared.folder.folder / DIAGNOSES).glob("*"))
        expected = sorted([f"{d.framework.id}.pickle" for d in diagnoses] + ["order.json"])
        assert written == (expected if store else [])
