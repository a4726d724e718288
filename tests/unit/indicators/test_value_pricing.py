"""Pricing and marketing indicators of the value-add plan, against hand-computed values."""

from __future__ import annotations

import pandas as pd
import pytest

from playbook.data.model import ClientData
from playbook.indicators.registry import get
from playbook.indicators.value_marketing import conversion_stage
from tests.conftest import client_config

CONFIG = client_config(channels=["store", "delivery"], journey_stages=["aware", "visit", "order"])


def data(orders: pd.DataFrame, **tables: pd.DataFrame) -> ClientData:
    return ClientData(CONFIG, {"orders": orders, **tables})


def orders(**columns) -> pd.DataFrame:
    n = len(next(iter(columns.values())))
    base = {
        "order_id": [f"o{i}" for i in range(n)],
        "order_time": pd.date_range("2025-01-01", periods=n, freq="D"),
        "channel": ["store"] * n,
    }
    return pd.DataFrame({**base, **columns})


# --- price_elasticity ------------------------------------------------------------------------


def test_price_elasticity_recovers_a_known_elasticity():
    # Units per order follow 1000 * price ** -1.5 exactly; each week has one price, 4 prices
    # rotate over 12 weeks, so the log-log slope is -1.5.
    prices = [8.0, 10.0, 12.5, 16.0] * 3
    week_starts = pd.date_range("2025-01-06", periods=12, freq="7D")
    units = [1000 * p**-1.5 for p in prices]
    amounts = [p * q for p, q in zip(prices, units, strict=True)]
    o = pd.DataFrame(
        {
            "order_id": [f"o{i}" for i in range(12)],
            "customer_id": "c1",
            "order_time": week_starts,
            "amount": amounts,
            "quantity": units,
        }
    )

    m = get("price_elasticity").measure(data(o))

    assert m.value == pytest.approx(-1.5, abs=1e-6)
    assert m.n == 12


def test_price_elasticity_is_none_when_prices_never_vary():
    o = orders(customer_id=["c1"] * 12, amount=[20.0] * 12, quantity=[2.0] * 12)

    assert get("price_elasticity").measure(data(o)) is None


def test_price_elasticity_needs_units():
    o = orders(customer_id=["c1"] * 3, amount=[20.0] * 3)

    assert get("price_elasticity").missing_inputs(data(o)) == ["orders.quantity"]


def test_segment_labels_join_each_rows_values_as_text():
    from playbook.indicators.value_pricing import segment_labels

    columns = pd.DataFrame(
        {
            "category": pd.Categorical(["Pizza", "Drinks", None, "Pizza"]),
            "is_premium": [True, False, True, True],
            "channel": pd.array(["app", "web", "app", "app"], dtype="str"),
        },
        index=[7, 8, 9, 10],
    )
    labels = segment_labels(columns)
    assert labels.iloc[[0, 1, 3]].tolist() == [
        "Pizza | True | app",
        "Drinks | False | web",
        "Pizza | True | app",
    ]
    assert labels.isna().tolist() == [False, False, True, False]  # no category: no label
    assert labels.index.tolist() == [7, 8, 9, 10]
    assert segment_labels(columns[["is_premium"]]).tolist() == ["True", "False", "True", "True"]


# --- discount_repurchase_lift ----------------------------------------------------------------


def test_discount_repurchase_lift_is_the_ratio_of_repurchase_rates():
    # First orders: c1 and c2 discounted (c1 comes back: 1 of 2 = 0.5);
    # c3, c4, c5, c6 full price (c3 comes back: 1 of 4 = 0.25) => lift 0.5 / 0.25 = 2.0.
    o = orders(
        customer_id=["c1", "c1", "c2", "c3", "c3", "c4", "c5", "c6"],
        amount=[10.0] * 8,
        discount=[2.0, 0.0, 1.0, 0.0, 3.0, 0.0, 0.0, 0.0],
    )

    m = get("discount_repurchase_lift").measure(data(o))

    assert m.value == pytest.approx(2.0)
    assert m.n == 6


def test_discount_repurchase_lift_is_none_without_discounted_first_orders():
    o = orders(customer_id=["c1", "c1", "c2"], amount=[10.0] * 3, discount=[0.0, 5.0, 0.0])

    assert get("discount_repurchase_lift").measure(data(o)) is None


def test_first_orders_keeps_each_customers_earliest_order_in_id_order():
    from playbook.data.numbering import number
    from playbook.indicators.value_pricing import first_orders

    t = pd.to_datetime(["2025-01-03", "2025-01-02", "2025-01-01", "2025-01-02", "2025-01-05"])
    o = pd.DataFrame(
        {
            "customer_id": pd.array(["c2", "c2", "c1", "c2", "c3"], dtype="str"),
            "order_time": t,
            "discount": [5.0, 0.0, 1.0, 2.0, None],
            "n": [0, 1, 2, 3, 4],
        }
    )
    for numbers in (None, number(o["customer_id"])):
        first = first_orders(o, numbers)
        # c1: its one order (row 2); c2: rows 1 and 3 share the earliest time, row 1 first
        # comes first; c3: one order, discount unknown (not discounted)
        assert first.index.tolist() == ["c1", "c2", "c3"]
        assert first.index.name == "customer_id"
        assert first["n"].tolist() == [2, 1, 4]
        assert first["discounted"].tolist() == [True, False, False]
        assert first["repurchased"].tolist() == [False, True, False]


# --- price_in_acceptable_range_share ---------------------------------------------------------


def vw_survey(n: int = 4) -> pd.DataFrame:
    """Every respondent: too cheap 5, cheap 8, expensive 12, too expensive 15.

    Then "too cheap" meets "not cheap" at 8 and "not expensive" meets "too expensive" at
    12: the acceptable range is 8 to 12.
    """
    return pd.DataFrame(
        {
            "response_id": [f"r{i}" for i in range(n)],
            "response_time": pd.Timestamp("2025-01-02"),
            "too_cheap": 5.0,
            "cheap": 8.0,
            "expensive": 12.0,
            "too_expensive": 15.0,
        }
    )


def test_price_in_acceptable_range_share_counts_orders_priced_between_8_and_12():
    # unit prices 7, 8, 10, 12, 13: three of five (8, 10, 12) lie in [8, 12] => 0.6;
    # category A (7, 8) 1 of 2 = 0.5, category B (10, 12, 13) 2 of 3.
    o = orders(
        customer_id=["c1"] * 5,
        amount=[1.0] * 5,
        list_price=[7.0, 8.0, 10.0, 12.0, 13.0],
        category=["A", "A", "B", "B", "B"],
    )

    m = get("price_in_acceptable_range_share").measure(data(o, survey=vw_survey()))

    assert m.value == pytest.approx(0.6)
    assert m.by.to_dict() == pytest.approx({"A": 0.5, "B": 2 / 3})
    assert m.by_n.to_dict() == {"A": 2, "B": 3}


def test_price_in_acceptable_range_share_needs_the_four_questions():
    o = orders(customer_id=["c1"], amount=[1.0], list_price=[9.0])
    survey = vw_survey().drop(columns=["too_expensive"])

    missing = get("price_in_acceptable_range_share").missing_inputs(data(o, survey=survey))

    assert missing == ["survey.too_expensive"]


# --- journey_conversion_rate -----------------------------------------------------------------


def journey() -> pd.DataFrame:
    """c1 and c3 enter in store and order; c2 and c4 enter through delivery and do not."""
    rows = [
        ("c1", 1, "aware", "store", None),
        ("c1", 2, "order", "store", "o1"),
        ("c2", 1, "aware", "delivery", None),
        ("c2", 2, "visit", "delivery", None),
        ("c3", 1, "aware", "store", None),
        ("c3", 3, "order", "delivery", "o2"),
        ("c4", 1, "aware", "delivery", None),
        ("c4", 2, "visit", "store", None),
    ]
    return pd.DataFrame(
        {
            "customer_id": [r[0] for r in rows],
            "event_time": [pd.Timestamp(2025, 1, r[1]) for r in rows],
            "stage": [r[2] for r in rows],
            "touchpoint": "app",
            "channel": [r[3] for r in rows],
            "order_id": [r[4] for r in rows],
        }
    )


def test_journey_conversion_rate_is_two_of_four_and_all_store_entrants():
    o = orders(customer_id=["c1"], amount=[1.0])

    m = get("journey_conversion_rate").measure(data(o, journey=journey()))

    assert m.value == pytest.approx(0.5)
    assert m.by.to_dict() == {"delivery": 0.0, "store": 1.0}


def test_conversion_stage_is_the_first_stage_with_order_ids_else_the_last():
    j = journey()
    assert conversion_stage(["aware", "visit", "order"], j) == "order"
    assert conversion_stage(["aware", "visit", "order"], j.drop(columns="order_id")) == "order"
    j.loc[j["stage"] == "visit", "order_id"] = "ox"
    assert conversion_stage(["aware", "visit", "order"], j) == "visit"
    assert conversion_stage([], j) is None


def test_journey_conversion_rate_needs_the_journey_table():
    only_orders = data(orders(customer_id=["c1"], amount=[1.0]))

    assert get("journey_conversion_rate").missing_inputs(only_orders) == ["journey"]


# --- ab_test_adequacy_share ------------------------------------------------------------------


def arm(exp: str, variant: str, n: int, converted: int) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "experiment_id": exp,
            "variant": variant,
            "converted": [True] * converted + [False] * (n - converted),
        }
    )


def test_ab_test_adequacy_share_is_one_of_two_experiments():
    # e_small: 5/10 vs 5/10, no lift => inadequate. e_big: 10 % vs 20 % needs 199 per arm
    # (textbook: (1.96 sqrt(2 .15 .85) + 0.8416 sqrt(.09 + .16))^2 / .01 = 198.97); both
    # arms have 200 => adequate. Share 1 of 2 = 0.5.
    experiments = pd.concat(
        [
            arm("e_small", "A", 10, 5),
            arm("e_small", "B", 10, 5),
            arm("e_big", "A", 200, 20),
            arm("e_big", "B", 200, 40),
        ]
    )

    m = get("ab_test_adequacy_share").measure(
        data(orders(customer_id=["c1"], amount=[1.0]), experiments=experiments)
    )

    assert m.value == pytest.approx(0.5)
    assert m.by.to_dict() == {"e_big": 1.0, "e_small": 0.0}
    assert m.n == 420


def test_ab_test_adequacy_share_is_none_with_a_single_variant():
    experiments = arm("e1", "A", 10, 5)

    m = get("ab_test_adequacy_share").measure(
        data(orders(customer_id=["c1"], amount=[1.0]), experiments=experiments)
    )

    assert m is None
