"""Slow end-to-end renders: every notebook for every demo client, and an orders-only client.

The demo render runs once, all clients with two workers. The orders-only client checks
graceful degradation through real kernels: every page exists and shows no error.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from playbook.config import DEFAULT_CLIENTS_DIR, NOTEBOOKS_DIR, page_href
from playbook.data.clients import list_clients
from playbook.report.render import RenderOptions, discover_notebooks, render_clients

NOTEBOOKS = [p.stem for p in discover_notebooks(NOTEBOOKS_DIR)]
DEMO_CLIENTS = tuple(list_clients(DEFAULT_CLIENTS_DIR)) if DEFAULT_CLIENTS_DIR.exists() else ()

#: Orders only: 6 orders by 4 customers in March 2024 (no optional column, no other table).
ORDERS = pd.DataFrame({
    "order_id": [f"o{i}" for i in range(6)],
    "customer_id": ["c1", "c1", "c2", "c3", "c4", "c4"],
    "order_time": [f"2024-03-{d:02d} 12:00" for d in (1, 4, 9, 15, 20, 28)],
    "channel": ["store", "delivery", "store", "store", "delivery", "delivery"],
    "amount": ["10", "25", "14", "9", "31", "12"],
})  # fmt: skip
ASSESSMENT = {"frameworks": {"journey_goals": {"branded_theme": {
    "score": 4, "evidence": "Store theme matches the app"}}}}  # fmt: skip


def assert_clean_page(page: Path) -> None:
    """Fail if a rendered page is missing or shows a traceback or a Python error."""
    assert page.exists(), f"{page.name} was not rendered"
    text = page.read_text(encoding="utf-8")
    for marker in ("Traceback", "Error:", "ename"):
        assert marker not in text, f"{page.name} shows {marker!r}"


@pytest.mark.slow
@pytest.mark.skipif(not DEMO_CLIENTS, reason="needs the demo clients in data/clients")
def test_every_notebook_renders_for_every_demo_client(tmp_path):
    out = tmp_path / "reports"
    results = render_clients(RenderOptions(DEMO_CLIENTS, out_dir=out, workers=2), progress=None)

    failed = [(r.client_id, r.problems, [str(f) for f in r.failures]) for r in results
              if not r.ok]  # fmt: skip
    assert failed == []
    for client_id in DEMO_CLIENTS:
        assert (out / client_id / "index.html").exists()
        for stem in NOTEBOOKS:
            assert_clean_page(out / client_id / page_href(stem))


@pytest.mark.slow
def test_orders_only_client_renders_every_page(tmp_path, make_client):
    clients_dir = make_client("only_orders", orders=ORDERS, assessment=ASSESSMENT)
    out = tmp_path / "reports"

    [result] = render_clients(
        RenderOptions(("only_orders",), clients_dir=clients_dir, out_dir=out), progress=None
    )

    assert result.ok, result.failures
    for stem in NOTEBOOKS:
        assert_clean_page(out / "only_orders" / page_href(stem))
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
