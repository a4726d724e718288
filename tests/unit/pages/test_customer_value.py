"""Customer-value and word-of-mouth pages: titles in both languages, numbers, escaping, no data."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from playbook.analytics.loyalty import ChurnRules, CLVAssumptions, TierThresholds
from playbook.data.contract import Assessment
from playbook.data.model import ClientData
from playbook.pages import page_from_data
from playbook.pages.customer_value import (
    CustomerValuePage,
    churn_risk_html,
    lifetime_value_html,
    rfm_tiers_html,
    tier_economics_html,
)
from playbook.pages.word_of_mouth_risk import nps_breakdown_html
from tests.conftest import client_config

T = TierThresholds()


def _day(d: int) -> pd.Timestamp:
    return pd.Timestamp("2025-01-01 12:00") + pd.Timedelta(days=d - 1)


def _orders(rows: list[tuple[str, int, float]]) -> pd.DataFrame:
    """Build orders from (customer, day of January 2025, amount); all through the app."""
    return pd.DataFrame(
        {
            "order_id": [f"o{i}" for i in range(len(rows))],
            "customer_id": [r[0] for r in rows],
            "order_time": [_day(r[1]) for r in rows],
            "channel": "app",
            "amount": [r[2] for r in rows],
        }
    )


def ladder() -> pd.DataFrame:
    """A 5 orders (days 6–10), B 4, C 3, D 2, E 1, 100 each: A platinum, B gold, C–E silver."""
    return _orders(
        [
            (c, d, 100.0)
            for c, last in (("A", 10), ("B", 9), ("C", 8), ("D", 7), ("E", 6))
            for d in range(6, last + 1)
        ]
    )


def rhythm() -> pd.DataFrame:
    """c1 (days 1–3, 10 each) and c4 (day 5, 50) are overdue on 10 January: 80 of 200 at risk."""
    return _orders(
        [
            ("c1", 1, 10.0),
            ("c1", 2, 10.0),
            ("c1", 3, 10.0),
            ("c2", 8, 50.0),
            ("c2", 10, 50.0),
            ("c3", 9, 20.0),
            ("c4", 5, 50.0),
        ]
    )


# --- RFM tiers -----------------------------------------------------------------------------


def test_rfm_tiers_show_titles_rules_and_shares_in_both_languages():
    zh, en = (
        str(rfm_tiers_html(ladder(), T, "zh", "CNY")),
        str(rfm_tiers_html(ladder(), T, "en", "USD")),
    )
    assert "RFM 分层明细" in zh and "RFM tiers in detail" in en
    assert "RFM 顶层" in zh and "RFM top band" in en  # not the client's own "Platinum"
    assert "R+F+M score ≥ 13 (of 15)" in en
    # platinum: A alone, 1 of 5 customers = 20.0 %, 500 of 1500 revenue = 33.3 %
    assert "20.0%" in en and "33.3%" in en
    # silver: C, D, E = 3 of 5 = 60.0 %, 600 of 1500 = 40.0 %
    assert "60.0%" in en and "40.0%" in en
    assert "<img" in en


def test_rfm_tiers_without_usable_orders_say_what_they_need():
    page = str(rfm_tiers_html(ladder().iloc[0:0], T, "en", "USD"))
    assert (
        "it needs: which customer placed each order, when each order was placed, "
        "the amount of each order" in page
    )
    assert "<img" not in page


# --- lifetime value ------------------------------------------------------------------------


def test_lifetime_value_states_the_method_and_every_assumption():
    a = CLVAssumptions(
        horizon_months=6, monthly_retention=0.9, margin_rate=0.3, annual_discount_rate=0.1
    )
    en = str(lifetime_value_html(ladder(), a, T, "en", "USD"))
    zh = str(lifetime_value_html(ladder(), a, T, "zh", "CNY"))
    assert "Customer lifetime value" in en and "客户终身价值" in zh
    assert "Method and assumptions" in en and "估算方法与假设" in zh
    assert "Monthly retention" in en and "90.0%" in en
    # a stated margin and discount rate, shown as percentages with what they mean
    assert 'Margin rate (after product and serving costs)</td><td class="pb-num">30.0%' in en
    assert 'Annual discount rate</td><td class="pb-num">10.0%' in en
    assert "m = 1…6" in en
    # mean historical value: 1500 / 5 customers = 300; median C = 300
    assert "USD 300.00" in en
    # top 10 % of 5 customers = 1 customer (A): 500 of 1500 = 33.3 %
    assert "33.3%" in en


def test_lifetime_value_without_orders_says_what_it_needs():
    page = str(lifetime_value_html(ladder().iloc[0:0], CLVAssumptions(), T, "en", "USD"))
    assert "the amount of each order" in page and "orders.amount" not in page


# --- churn risk ----------------------------------------------------------------------------


def test_churn_risk_headline_counts_customers_and_revenue_at_risk():
    en = str(churn_risk_html(rhythm(), None, ChurnRules(), T, "en", "USD"))
    zh = str(churn_risk_html(rhythm(), None, ChurnRules(), T, "zh", "CNY"))
    assert "Churn risk" in en and "流失风险" in zh
    # c1 and c4: 2 of 4 customers, 30 + 50 = 80 of 200 revenue
    assert "2 customers (50.0%)" in en
    assert "USD 80.00 (40.0% of revenue)" in en
    assert "By RFM tier (no client tiers supplied)" in en


def test_churn_risk_by_the_clients_tiers_escapes_tier_names():
    customers = pd.DataFrame(
        {"customer_id": ["c1", "c2", "c3", "c4"], "tier": ["<b>VIP</b>", "basic", "basic", "basic"]}
    )
    page = str(churn_risk_html(rhythm(), customers, ChurnRules(), T, "en", "USD"))
    assert "&lt;b&gt;VIP&lt;/b&gt;" in page and "<b>VIP" not in page
    assert "By the client&#x27;s own membership tiers" in page and "customers.tier" not in page


def test_churn_risk_needs_repeat_customers():
    one_each = _orders([("c1", 1, 10.0), ("c2", 5, 10.0)])
    page = str(churn_risk_html(one_each, None, ChurnRules(), T, "en", "USD"))
    assert "it needs: an order history long enough for some customers to have ordered twice" in page


# --- tier economics ------------------------------------------------------------------------


def test_tier_economics_follows_the_clients_tier_order():
    customers = pd.DataFrame(
        {"customer_id": list("ABCDE"), "tier": ["gold", "gold", "basic", "basic", "basic"]}
    )
    page = str(tier_economics_html(ladder(), customers, ["gold", "basic"], T, "en", "USD"))
    assert "Tier economics" in page
    assert page.index(">gold<") < page.index(">basic<")
    # gold: A + B = 900 of 1500 = 60.0 %, 2 of 5 customers = 40.0 %, value index 1.50
    assert "60.0%" in page and "40.0%" in page and "1.50" in page


def test_tier_economics_without_client_tiers_uses_rfm_and_says_so():
    page = str(tier_economics_html(ladder(), None, [], T, "zh", "CNY"))
    assert "按 RFM 分层（未提供客户等级）" in page
    assert "每位客户的会员等级" in page and "customers.tier" not in page


# --- NPS -----------------------------------------------------------------------------------


def test_nps_breakdown_by_segment_and_touchpoint_escapes_names():
    survey = pd.DataFrame(
        {
            "response_id": ["r1", "r2", "r3", "r4"],
            "customer_id": ["c1", "c1", "c2", "c2"],
            "nps": [10, 9, 3, 8],
            "touchpoint": ["app", "app", "<i>till</i>", "<i>till</i>"],
        }
    )
    customers = pd.DataFrame({"customer_id": ["c1", "c2"], "segment": ["students", "A&B"]})
    en = str(nps_breakdown_html(survey, customers, "en"))
    zh = str(nps_breakdown_html(survey, customers, "zh"))
    assert "NPS by customer segment" in en and "按客户细分的净推荐值" in zh
    # 2 promoters, 1 detractor of 4: 50 % - 25 % = 25
    assert "Overall NPS 25 (4 answers: promoters 50.0%, passives 25.0%, detractors 25.0%)" in en
    assert "A&amp;B" in en and "&lt;i&gt;till&lt;/i&gt;" in en and "<i>till" not in en


def test_nps_breakdown_without_survey_or_segments_says_what_it_needs():
    needs = str(nps_breakdown_html(None, None, "en"))
    assert "it needs: likelihood-to-recommend scores (0–10)" in needs
    survey = pd.DataFrame({"response_id": ["r1"], "nps": [9]})
    page = str(nps_breakdown_html(survey, None, "en"))
    assert "which customer gave each survey answer, the segment each customer belongs to" in page
    assert "it needs: the touchpoint each survey answer is about" in page
    assert not re.search(r"\b(survey|customers)\.[a-z]", page)


# --- pages on an orders-only client --------------------------------------------------------


def _client(assessment: Assessment | None = None) -> ClientData:
    config = client_config(id="tiny", name="Brew & <Co>", channels=["app"])
    return ClientData(config, {"orders": rhythm()}, assessment)


@pytest.fixture(scope="module")
def value_page() -> CustomerValuePage:
    return page_from_data("customer_value", _client(), "zh", "2025-01-10", 30)


def test_customer_value_page_runs_every_analysis_on_orders_only(value_page):
    assert value_page.lang == "zh"
    assert "客户价值与忠诚度" in str(value_page.header())
    assert "RFM 分层明细" in str(value_page.rfm_tiers())
    assert "估算方法与假设" in str(value_page.lifetime_value())
    assert "2 位客户（50.0%）" in str(value_page.churn_risk())
    assert "每位客户的会员等级" in str(value_page.tier_economics())


def test_word_of_mouth_page_scores_the_checklist_from_the_workshop():
    assessment = Assessment(
        frameworks={
            "word_of_mouth_risk": {
                "privacy": {"score": 4, "evidence": "<script>x</script> consent logged"}
            }
        }
    )
    page = page_from_data("word_of_mouth_risk", _client(assessment), "en", "2025-01-10", 30)
    checklist = str(page.risk_checklist())
    assert "Risk and compliance checklist, scored" in checklist
    # privacy 4/5 from the workshop -> 75; continuity has neither data nor a workshop score
    assert ">75<" in checklist
    assert "&lt;script&gt;x&lt;/script&gt; consent logged" in checklist
    assert "<script>x" not in checklist
    assert "Not assessed yet" in checklist
    assert "it needs: likelihood-to-recommend scores (0–10)" in str(page.nps_breakdown())


def test_the_page_scores_the_history_once_and_numbers_no_id_again(monkeypatch):
    # At millions of orders each scoring and each numbering takes seconds: the four
    # sections share one scoring of the history and the client's one numbering of its ids.
    import playbook.analytics.loyalty as loyalty
    import playbook.indicators.value as value

    scorings, numberings = [], []
    real_rfm, real_number = loyalty.rfm, loyalty.number
    counted_rfm = lambda *a, **k: scorings.append(1) or real_rfm(*a, **k)  # noqa: E731
    monkeypatch.setattr(value, "rfm", counted_rfm)
    monkeypatch.setattr("playbook.pages.customer_value.rfm", counted_rfm)
    monkeypatch.setattr(loyalty, "number", lambda *a: numberings.append(1) or real_number(*a))
    page = page_from_data("customer_value", _client(), "en", "2025-01-10", 30)
    scorings.clear(), numberings.clear()  # (diagnosing the framework, page_from_data scored)
    sections = [page.rfm_tiers(), page.lifetime_value(), page.churn_risk(), page.tier_economics()]
    assert all("<table" in str(s) for s in sections)
    assert len(scorings) == 1
    assert numberings == []


def test_the_pages_shared_scoring_shows_what_each_analysis_shows_on_its_own():
    from playbook.indicators.value import clv_assumptions, rfm_bands

    data = _client()
    page = page_from_data("customer_value", data, "en", "2025-01-10", 30)
    current, lang, cur = page.current, "en", page.currency
    orders = current.orders
    bands = rfm_bands(current).set_index("customer_id")["tier"]
    history = current.history("orders")
    alone = [
        rfm_tiers_html(history, T, lang, cur, current.window[1]),
        lifetime_value_html(orders, clv_assumptions(), T, lang, cur, bands),
        churn_risk_html(orders, None, ChurnRules(), T, lang, cur, bands),
        tier_economics_html(orders, None, (), T, lang, cur, bands),
    ]
    shared = [page.rfm_tiers(), page.lifetime_value(), page.churn_risk(), page.tier_economics()]
    assert [str(s) for s in shared] == [str(a) for a in alone]
