"""Customer-value and word-of-mouth indicators on small frames worked out by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from playbook.analytics.loyalty import ChurnRules, CLVAssumptions, TierThresholds, rfm
from playbook.content import ChurnParams, ClvParams
from playbook.data.model import ClientData
from playbook.indicators import get
from playbook.indicators.value import (
    clv_assumptions,
    rfm_bands,
    rfm_thresholds,
    settings,
)
from tests.conftest import client_config


def _data(orders: pd.DataFrame | None = None, **tables) -> ClientData:
    all_tables = dict(tables)
    if orders is not None:
        all_tables["orders"] = orders
    return ClientData(client_config(), all_tables)


def _day(d: int) -> pd.Timestamp:
    return pd.Timestamp("2025-01-01 12:00") + pd.Timedelta(days=d - 1)


def _orders(rows: list[tuple[str, int, float, str]]) -> pd.DataFrame:
    """Build orders from (customer, day of January 2025, amount, channel)."""
    return pd.DataFrame(
        {
            "order_id": [f"o{i}" for i in range(len(rows))],
            "customer_id": [r[0] for r in rows],
            "order_time": [_day(r[1]) for r in rows],
            "amount": [r[2] for r in rows],
            "channel": [r[3] for r in rows],
        }
    )


def ladder() -> pd.DataFrame:
    """Five customers, each better than the next on R, F and M, 100 per order.

    A: 5 orders, days 6–10, app    -> R5 F5 M5 = 15 (platinum)
    B: 4 orders, days 6–9, store   -> R4 F4 M4 = 12 (gold)
    C: 3 orders, days 6–8, app     -> 9 (silver)
    D: 2 orders, days 6–7, store   -> 6 (silver; F+M = 4 < 6, so not at risk)
    E: 1 order,  day 6,   app      -> 3 (silver)
    """
    rows = []
    for customer, last, channel in (
        ("A", 10, "app"),
        ("B", 9, "store"),
        ("C", 8, "app"),
        ("D", 7, "store"),
        ("E", 6, "app"),
    ):
        rows += [(customer, d, 100.0, channel) for d in range(6, last + 1)]
    return _orders(rows)


def rhythm() -> pd.DataFrame:
    """Four customers measured against their buying rhythm on 10 January (the last order).

    c1: days 1, 2, 3 (interval 1), 10 each, app: 7 days silent -> ratio 7 -> high
    c2: days 8, 10 (interval 2), 50 each, app: 0 days -> low
    c3: day 9, 20, store: one order, median repeat interval 1.5, 1 day -> 0.67 -> low
    c4: day 5, 50, store: one order, 5 days / 1.5 = 3.3 -> high
    """
    return _orders(
        [
            ("c1", 1, 10.0, "app"),
            ("c1", 2, 10.0, "app"),
            ("c1", 3, 10.0, "app"),
            ("c2", 8, 50.0, "app"),
            ("c2", 10, 50.0, "app"),
            ("c3", 9, 20.0, "store"),
            ("c4", 5, 50.0, "store"),
        ]
    )


# --- settings from content -----------------------------------------------------------------


def test_content_params_set_the_analyses():
    assert rfm_thresholds() == TierThresholds(
        bins=5, platinum_min=13, gold_min=10, at_risk_max_recency=2, at_risk_min_fm=6
    )
    churn = ChurnParams(high_ratio=3.0, medium_ratio=1.5)
    assert settings(ChurnRules, churn) == ChurnRules(high_ratio=3.0, medium_ratio=1.5)
    # the content states a margin and a discount rate (not revenue, not undiscounted)
    assert (clv_assumptions().margin_rate, clv_assumptions().annual_discount_rate) == (0.3, 0.1)
    clv = ClvParams(
        horizon_months=6,
        monthly_retention=0.9,
        margin_rate=0.4,
        annual_discount_rate=0.08,
        min_observed_days=30,
    )
    assert settings(CLVAssumptions, clv) == CLVAssumptions(6, 0.9, 0.4, 0.08, 30.0)
    assert settings(ChurnRules, None) == ChurnRules()


def test_typed_params_refuse_unknown_and_fractional_values():
    # the content schema checks these at load; see tests/unit/content for the file and key
    with pytest.raises(ValueError, match="diamond_min"):
        ChurnParams(high_ratio=2, medium_ratio=1, diamond_min=14)
    with pytest.raises(ValueError, match="medium_ratio <= high_ratio"):
        ChurnParams(high_ratio=1.5, medium_ratio=2.0)


# --- platinum_revenue_share ----------------------------------------------------------------


def test_platinum_revenue_share_counts_rfm_platinum_and_gold():
    m = get("platinum_revenue_share").measure(_data(ladder()))
    # A 500 + B 400 of 1500 = 0.6
    assert m.value == pytest.approx(0.6)
    assert m.n == 15
    # app: A 500 of A 500 + C 300 + E 100 = 5/9; store: B 400 of B 400 + D 200 = 2/3
    assert m.by.to_dict() == pytest.approx({"app": 5 / 9, "store": 2 / 3})
    assert m.by_n.to_dict() == {"app": 9, "store": 6}


def history() -> pd.DataFrame:
    """Five customers over 1–20 January 2025, 100 per order; the period is 11–20 January.

    Recency to the period's end (21 January, 00:00) from an order at noon on day d: 20.5 - d.

    A: days 1, 3, 5, 7, 15 (5 orders)  R 5.5 days -> rank 4 of 5; F 5 -> rank 4; M 500 -> 4
    B: day 16 (1 order)                R 4.5 -> 5; F 1 and E 1 tie (mid-rank 1.5) -> 2; M 2
    C: days 1–6 (6 orders, none since) R 14.5 -> 2; F 6 -> 5; M 600 -> 5
    D: days 12, 14 (2 orders)          R 6.5 -> 3; F 2 -> 3; M 200 -> 3
    E: day 2 (1 order)                 R 18.5 -> 1; F -> 2; M -> 2

    With 5 customers and 5 bins a mid-rank r scores 1 + floor(r - 0.5): ranks read directly,
    the tie at 1.5 scores 2. Bands: A 12 -> second band (gold); C: R 2 <= 2 and F+M 10 >= 6
    -> lapsing (at_risk); B 9, D 9 and E 5 -> base band (silver).
    """
    rows = [("A", d, 100.0, "app") for d in (1, 3, 5, 7, 15)]
    rows += [("B", 16, 100.0, "store")]
    rows += [("C", d, 100.0, "app") for d in range(1, 7)]
    rows += [("D", 12, 100.0, "store"), ("D", 14, 100.0, "store"), ("E", 2, 100.0, "app")]
    return _orders(rows)


def test_rfm_bands_read_each_customers_whole_history():
    period = _data(history()).between(pd.Timestamp("2025-01-11"), pd.Timestamp("2025-01-21"))
    bands = rfm_bands(period).set_index("customer_id")
    assert bands["recency_days"].to_dict() == pytest.approx(
        {"A": 5.5, "B": 4.5, "C": 14.5, "D": 6.5, "E": 18.5}
    )
    assert bands["rfm_code"].to_dict() == {
        "A": "444",
        "B": "522",
        "C": "255",
        "D": "333",
        "E": "122",
    }
    assert bands["tier"].to_dict() == {
        "A": "gold",
        "B": "silver",
        "C": "at_risk",
        "D": "silver",
        "E": "silver",
    }
    # D ordered 2 and 4 days before the period's last order: scored on the period alone
    # (A, B, D; R ranks 2, 3, 1 of 3 -> D scores R 1, F+M 5+5) it would be "at risk"
    alone = rfm(period.orders, thresholds=rfm_thresholds()).set_index("customer_id")
    assert alone.loc["D", "tier"] == "at_risk"
    m = get("platinum_revenue_share").measure(period)
    # revenue to the period's end: A 500, B 100, C 600, D 200, E 100 = 1500; A is in the
    # second band: 500 / 1500
    assert m.value == pytest.approx(500 / 1500)
    assert m.n == 15
    # app: A 500 of A 500 + C 600 + E 100; store: 0 of B 100 + D 200
    assert m.by.to_dict() == pytest.approx({"app": 500 / 1200, "store": 0.0})


def test_platinum_revenue_share_needs_order_amounts():
    o = ladder().drop(columns="amount")
    ind = get("platinum_revenue_share")
    assert ind.missing_inputs(_data(o)) == ["orders.amount"]
    assert ind.measure(_data(o)) is None


# --- repeat_revenue_share ------------------------------------------------------------------


def test_repeat_revenue_share_is_revenue_of_customers_with_two_orders():
    m = get("repeat_revenue_share").measure(_data(ladder()))
    # everyone but E (one order of 100): 1400 of 1500
    assert m.value == pytest.approx(14 / 15)
    # app: A 500 + C 300 of 900; store: B + D = all 600
    assert m.by.to_dict() == pytest.approx({"app": 8 / 9, "store": 1.0})


def test_repeat_revenue_share_without_orders_table_is_missing():
    assert get("repeat_revenue_share").missing_inputs(_data()) == ["orders"]


# --- revenue_at_risk_share / customer_at_risk_share ----------------------------------------


def test_revenue_at_risk_share_is_revenue_of_high_risk_customers():
    m = get("revenue_at_risk_share").measure(_data(rhythm()))
    # c1 30 + c4 50 of 30 + 100 + 20 + 50 = 200 -> 0.4
    assert m.value == pytest.approx(0.4)
    assert m.n == 4
    # by main channel: app c1 30 of c1 30 + c2 100; store c4 50 of c3 20 + c4 50
    assert m.by.to_dict() == pytest.approx({"app": 30 / 130, "store": 50 / 70})


def test_customer_at_risk_share_counts_high_risk_customers():
    m = get("customer_at_risk_share").measure(_data(rhythm()))
    # c1 and c4 of 4 customers
    assert m.value == pytest.approx(0.5)
    assert m.by.to_dict() == pytest.approx({"app": 0.5, "store": 0.5})


def test_churn_indicators_need_a_repeat_customer_to_learn_a_rhythm():
    one_each = _orders([("c1", 1, 10.0, "app"), ("c2", 5, 10.0, "store")])
    assert get("revenue_at_risk_share").measure(_data(one_each)) is None
    assert get("customer_at_risk_share").measure(_data(one_each)) is None


# --- new_customer_repeat_rate --------------------------------------------------------------


def test_new_customer_repeat_rate_counts_signups_from_the_first_order_day():
    o = _orders(
        [
            ("c1", 1, 10.0, "app"),
            ("c1", 3, 10.0, "app"),
            ("c2", 2, 10.0, "app"),
            ("c2", 4, 10.0, "store"),
            ("c2", 5, 10.0, "app"),
            ("c3", 6, 10.0, "store"),
        ]
    )
    customers = pd.DataFrame(
        {
            "customer_id": ["c1", "c2", "c3", "c4"],
            "signup_date": pd.to_datetime(["2024-12-01", "2025-01-02", "2025-01-05", "2025-01-06"]),
            "tier": ["gold"] * 4,
        }
    )
    m = get("new_customer_repeat_rate").measure(_data(o, customers=customers))
    # c1 signed up before the period; c4 never ordered; new buyers c2 (3 orders), c3 (1): 1/2
    assert m.value == pytest.approx(0.5)
    assert m.n == 2
    # main channel: c2 app (2 of 3), c3 store
    assert m.by.to_dict() == pytest.approx({"app": 1.0, "store": 0.0})


def test_new_customer_repeat_rate_needs_signup_dates():
    assert get("new_customer_repeat_rate").missing_inputs(_data(ladder())) == ["customers"]


# --- segment_nps_min / detractor_share -----------------------------------------------------


def _survey(customers: list[str], answers: list[float], **columns) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "response_id": [f"r{i}" for i in range(len(answers))],
            "customer_id": customers,
            "nps": answers,
            **columns,
        }
    )


SEGMENTS = pd.DataFrame(
    {"customer_id": ["c1", "c2"], "segment": ["students", "workers"], "tier": ["gold", "gold"]}
)


def test_segment_nps_min_is_the_weakest_segment():
    s = _survey(["c1", "c1", "c1", "c2", "c2", "c9"], [10, 9, 3, 7, 2, 0])
    m = get("segment_nps_min").measure(_data(ladder(), survey=s, customers=SEGMENTS))
    # students: 2 promoters, 1 detractor of 3 -> +33.3; workers: 0 and 1 of 2 -> -50; c9 unknown
    assert m.value == pytest.approx(-50.0)
    assert m.n == 5
    assert m.by.to_dict() == pytest.approx({"students": 100 / 3, "workers": -50.0})
    assert m.by_n.to_dict() == {"students": 3, "workers": 2}
    detail = m.detail.set_index("segment")
    assert detail.loc["workers", ["promoters", "passives", "detractors"]].tolist() == [0, 0.5, 0.5]


def test_segment_nps_min_ignores_tiny_segments_when_another_has_enough_answers():
    s = _survey(["c1"] * 10 + ["c2"], [8] * 10 + [0])
    m = get("segment_nps_min").measure(_data(ladder(), survey=s, customers=SEGMENTS))
    # students: 10 passives -> 0; workers: a single detractor (-100) is too few to count
    assert m.value == pytest.approx(0.0)
    assert m.by["workers"] == pytest.approx(-100.0)


def test_segment_nps_min_needs_customer_segments():
    s = _survey(["c1"], [9])
    ind = get("segment_nps_min")
    no_segment = SEGMENTS.drop(columns="segment")
    assert ind.missing_inputs(_data(ladder(), survey=s, customers=no_segment)) == [
        "customers.segment"
    ]


def test_detractor_share_by_touchpoint():
    s = _survey(
        ["c1"] * 6,
        [10, 6, 7, 0, 3, None],
        touchpoint=["app", "app", "store", "store", "store", "store"],
    )
    m = get("detractor_share").measure(_data(ladder(), survey=s))
    # 6, 0 and 3 of 5 answers; app 1 of 2, store 2 of 3 (the unanswered row is left out)
    assert m.value == pytest.approx(0.6)
    assert m.by.to_dict() == pytest.approx({"app": 0.5, "store": 2 / 3})


def test_detractor_share_needs_the_recommend_question():
    s = _survey(["c1"], [None]).drop(columns="nps")
    assert get("detractor_share").missing_inputs(_data(ladder(), survey=s)) == ["survey.nps"]


def test_customer_revenue_share_flags_orders_by_their_customers_code():
    from playbook.data.numbering import number
    from playbook.indicators.value import _customer_revenue_share, _flags_by_code

    o = pd.DataFrame(
        {
            "customer_id": pd.array(["c2", "c1", "c2", "c3"], dtype="str"),
            "amount": [10.0, 20.0, 30.0, 40.0],
            "channel": ["app", "web", "app", "web"],
        }
    )
    flagged = pd.Series([True, False, True], index=["c1", "c2", "c3"])  # c1 and c3
    numbers = number(o["customer_id"])  # codes c1 0, c2 1, c3 2
    assert _flags_by_code(numbers, flagged.to_numpy()).tolist() == [False, True, False, True]
    assert _flags_by_code(numbers, flagged.to_numpy()[:2]) is None  # not one per customer
    # c1 20 + c3 40 of 100; app: 0 of 40, web: 60 of 60; the same with the ids looked up
    for m in (_customer_revenue_share(o, flagged, numbers), _customer_revenue_share(o, flagged)):
        assert m.value == pytest.approx(0.6)
        assert m.by.to_dict() == pytest.approx({"app": 0.0, "web": 1.0})
