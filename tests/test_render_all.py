"""Slow end-to-end renders: every notebook for every demo client, and an orders-only client.

The demo clients are rendered once per test run by the session fixture ``demo_reports``, the
orders-only client by ``orders_only_reports`` (tests/conftest.py). The orders-only client
checks graceful degradation through real kernels, in English and in Chinese: every page
exists and shows no error.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from playbook.config import DEFAULT_CLIENTS_DIR, NOTEBOOKS_DIR, page_href
from playbook.data.clients import list_clients
from playbook.report.render import discover_notebooks
from tests.conftest import DEMO_CLIENTS

NOTEBOOKS = [p.stem for p in discover_notebooks(NOTEBOOKS_DIR)]


def assert_clean_page(page: Path) -> None:
    """Fail if a rendered page is missing or shows a traceback or a Python error."""
    assert page.exists(), f"{page.name} was not rendered"
    text = page.read_text(encoding="utf-8")
    for marker in ("Traceback", "Error:", "ename"):
        assert marker not in text, f"{page.name} shows {marker!r}"


def test_the_demo_clients_rendered_are_the_shipped_ones():
    assert sorted(DEMO_CLIENTS) == sorted(list_clients(DEFAULT_CLIENTS_DIR))


@pytest.mark.slow
def test_every_notebook_renders_for_every_demo_client(demo_reports):
    for client_id in DEMO_CLIENTS:
        assert (demo_reports / client_id / "index.html").exists()
        assert (demo_reports / client_id / "report.pdf").stat().st_size > 0
        for stem in NOTEBOOKS:
            assert_clean_page(demo_reports / client_id / page_href(stem))


@pytest.mark.slow
def test_orders_only_client_renders_every_page(orders_only_reports):
    out = orders_only_reports
    for client_id in ("only_orders", "only_orders_zh"):  # in English and in Chinese
        for stem in NOTEBOOKS:
            assert_clean_page(out / client_id / page_href(stem))
    journey = (out / "only_orders" / "03_journey_goals.html").read_text(encoding="utf-8")
    assert "Would be measured from" in journey and "Not assessed" in journey
    assert "Store theme matches the app" in journey  # the workshop evidence
    # the value-add analyses say which data would measure them instead of failing
    for stem in (
        "05_value_add_plan",
        "06_customer_value",
        "07_pricing_revenue",
        "08_marketing_decisions",
        "09_word_of_mouth_risk",
    ):
        page = (out / "only_orders" / page_href(stem)).read_text(encoding="utf-8")
        assert "Would be measured from" in page or "it needs:" in page, stem
