"""Graceful degradation: a client with only ``orders`` gets every framework page, in full.

An element whose tables are missing says which inputs would measure it, shows the workshop
assessment when there is one and "not assessed" otherwise — never a traceback, never an
empty chart. The slow end-to-end counterpart renders the notebooks: tests/test_render_all.py.
"""

from __future__ import annotations

import re
from html import escape

import pandas as pd
import pytest

from playbook.content import common, frameworks
from playbook.data.clients import load_client
from playbook.indicators import get
from playbook.pages import page_from_data
from playbook.pages.framework import FrameworkPage

#: Workshop scores for a few elements (the rest of the elements have none).
ASSESSMENT = {
    "frameworks": {
        "operation_orientations": {
            "refined_satisfaction": {"score": 3, "evidence": "Coupons by tier since spring"},
        },
        "journey_goals": {"branded_theme": {"score": 4, "evidence": "Store theme matches app"}},
        "high_value_journey": {
            "journey_progress": {"score": 2, "evidence": "No order tracking yet"},
        },
    }
}
ASSESSED = {(fw, el): e["evidence"] for fw, els in ASSESSMENT["frameworks"].items()
            for el, e in els.items()}  # fmt: skip

#: Orders only, 8 orders by 5 customers in January 2024, no optional column at all.
ORDERS = pd.DataFrame({
    "order_id": [f"o{i}" for i in range(8)],
    "customer_id": ["c1", "c1", "c2", "c3", "c3", "c4", "c5", "c5"],
    "order_time": [f"2024-01-{d:02d} 09:00" for d in (2, 5, 8, 11, 14, 17, 20, 23)],
    "channel": ["store", "delivery", "store", "delivery", "delivery", "store", "store", "store"],
    "amount": ["12", "18", "9", "22", "15", "11", "30", "8"],
})  # fmt: skip

ELEMENTS = [(fw.id, el.id) for fw in frameworks() for el in fw.elements]
ALL_FRAMEWORKS = pytest.mark.parametrize("fw_id", [fw.id for fw in frameworks()])


@pytest.fixture(params=["en", "zh"])
def lang(request) -> str:
    return request.param


@pytest.fixture
def open_page(make_client, lang):
    """Return a function opening a framework's page for the orders-only client."""
    clients_dir = make_client("only_orders", orders=ORDERS, assessment=ASSESSMENT)
    data = load_client("only_orders", clients_dir)
    assert set(data.tables) == {"orders"}

    def open_(fw_id: str) -> FrameworkPage:
        return page_from_data(fw_id, data, lang)

    return open_


def _missing_tables(page: FrameworkPage, element_id: str) -> set[str]:
    """Return the tables the element's indicators read that the client did not supply."""
    needed = {t for ref in page.diagnosis.element(element_id).element.indicators
              for t in get(ref.id).requires}  # fmt: skip
    return needed - {"orders"}


@ALL_FRAMEWORKS
def test_header_and_overview_render_without_data_tables(open_page, fw_id):
    page = open_page(fw_id)
    for html in (str(page.header()), str(page.overview())):
        assert "Traceback" not in html and html.strip()


@pytest.mark.parametrize("fw_id, element_id", ELEMENTS, ids=[f"{f}.{e}" for f, e in ELEMENTS])
def test_every_element_renders_and_says_what_would_measure_it(open_page, fw_id, element_id):
    page = open_page(fw_id)
    html = str(page.element(element_id))
    diag = page.diagnosis.element(element_id)
    lang = page.lang

    assert "Traceback" not in html
    if any(r.measured for r in diag.indicators):
        return  # measured from orders alone (e.g. active channels): a normal section
    assert "<img" not in html, "no chart without data"
    needs = "可衡量本要素的数据" if lang == "zh" else "Would be measured from"
    assert needs in html
    for table in _missing_tables(page, element_id):
        # in business words ("a customer satisfaction survey"), never the table's file name
        phrase = escape(common().describe_inputs([table], lang)[0])
        assert phrase in html, f"says what the missing {table!r} table is"
        assert not re.search(rf"\b{table}\.[a-z]", html)
    evidence = ASSESSED.get((fw_id, element_id))
    if evidence is not None:
        assert diag.basis == "assessment" and diag.score is not None
        assert evidence in html
    else:
        assert diag.score is None
        assert ("未评估" if lang == "zh" else "Not assessed") in html


def test_hand_picked_elements_say_what_data_would_measure_them(open_page, lang):
    # tracked progress lives in journey; cost to serve in costs; satisfaction in survey
    cases = {("high_value_journey", "journey_progress"): ("customer&#x27;s journey", "旅程记录"),
             ("operation_orientations", "efficiency_low_cost"): ("cost of serving", "服务成本"),
             ("journey_goals", "raise_satisfaction"): ("satisfaction survey", "满意度调研"),
             }  # fmt: skip
    for (fw_id, element_id), (en, zh) in cases.items():
        assert (zh if lang == "zh" else en) in str(open_page(fw_id).element(element_id))


def test_assessed_element_is_scored_from_the_workshop(open_page):
    # branded_theme: workshop 4 of 5, no survey -> the assessment alone sets the score
    diag = open_page("journey_goals").diagnosis.element("branded_theme")
    assert diag.basis == "assessment"
    assert diag.data_score is None and diag.score is not None


def test_an_unknown_element_is_an_error_not_a_blank_section(open_page):
    with pytest.raises(KeyError):
        str(open_page("journey_goals").element("no_such_element"))
