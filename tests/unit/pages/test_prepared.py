"""Pages built from the client the renderer prepared: nothing diagnosed again, one date."""

from __future__ import annotations

from datetime import date

import pytest

import playbook.pages.executive_summary as summary_module
import playbook.pages.framework as framework_module
from playbook.data.clients import load_client
from playbook.data.prepared import PREPARED_ENV, Settings, write_prepared
from playbook.diagnosis import diagnose_all
from playbook.diagnosis.prepared import write_diagnoses
from playbook.pages import open_page
from playbook.pages.framework import AnalysisPage, FrameworkPage


@pytest.fixture
def handed_over(make_client, tmp_path, monkeypatch):
    """A client prepared as the renderer does, handed over through the environment."""
    clients_dir = make_client()
    data = load_client("acme", clients_dir)
    settings = Settings.resolve(data, "acme", clients_dir, report_date="2024-02-29")
    prepared = write_prepared(tmp_path / "prepared", data, settings)
    diagnoses = diagnose_all(data, settings.as_of, settings.period_days)
    write_diagnoses(prepared, diagnoses)
    monkeypatch.setenv(PREPARED_ENV, str(prepared.folder))

    def no_diagnosis(*args, **kwargs):
        raise AssertionError("a page diagnosed again")

    monkeypatch.setattr(framework_module, "diagnose", no_diagnosis)
    monkeypatch.setattr(summary_module, "diagnose_all", no_diagnosis)
    return clients_dir, {d.framework.id: d for d in diagnoses}


def test_a_framework_page_takes_the_prepared_diagnosis(handed_over):
    clients_dir, diagnoses = handed_over

    page = open_page("exceed_expectations", "acme", str(clients_dir))

    assert isinstance(page, FrameworkPage) and page.lang == "en"
    assert page.diagnosis.score == diagnoses["exceed_expectations"].score
    assert page.diagnosis.period == diagnoses["exceed_expectations"].period


def test_a_deep_dive_page_reads_the_prepared_tables(handed_over):
    clients_dir, diagnoses = handed_over

    page = open_page("customer_value", "acme", str(clients_dir), "en", "", 90)

    assert isinstance(page, AnalysisPage)
    # DEFAULT_ORDERS: all four orders (10 + 20 + 30 + 40) fall in the 90 days to 2024-01-04.
    assert page.current.orders["amount"].sum() == 100.0


def test_the_summary_shows_the_renders_date_not_today(handed_over):
    clients_dir, _ = handed_over

    page = open_page("executive_summary", "acme", str(clients_dir))

    assert page.generated == date(2024, 2, 29)
    assert "2024-02-29" in str(page.header())


def test_other_parameters_are_not_served_from_the_handoff(handed_over):
    clients_dir, _ = handed_over

    with pytest.raises(AssertionError, match="diagnosed again"):
        open_page("exceed_expectations", "acme", str(clients_dir), lang="zh")
