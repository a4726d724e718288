"""Known-answer tests for playbook.analytics.loyalty (expected values worked out by hand)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from playbook.analytics.loyalty import (
    ChurnRules,
    CLVAssumptions,
    TierThresholds,
    churn_risk,
    customer_summary,
    forward_clv,
    historical_clv,
    rfm,
    rfm_tier_economics,
    tier_economics,
)
from playbook.data.numbering import number


def _orders(rows: list[tuple[str, str, float]]) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=["customer_id", "order_time", "amount"])
    df["order_time"] = pd.to_datetime(df["order_time"])
    df.insert(0, "order_id", [f"o{i}" for i in range(len(df))])
    return df


# Five customers, as_of 2024-03-31 (2024 is a leap year: February has 29 days).
#   c1: 03-01 100, 03-20 50, 03-30 50     -> recency 1 d,  F 3, M 200
#   c2: 03-10 60, 03-25 40                -> recency 6 d,  F 2, M 100
#   c3: 01-05 300, 01-20 200, 02-01 100, 02-10 400
#                                         -> recency 19 + 31 = 50 d, F 4, M 1000
#   c4: 03-15 30                          -> recency 16 d, F 1, M 30
#   c5: 01-01 20                          -> recency 30 + 29 + 31 = 90 d, F 1, M 20
FIVE = _orders(
    [
        ("c1", "2024-03-01", 100),
        ("c1", "2024-03-20", 50),
        ("c1", "2024-03-30", 50),
        ("c2", "2024-03-10", 60),
        ("c2", "2024-03-25", 40),
        ("c3", "2024-01-05", 300),
        ("c3", "2024-01-20", 200),
        ("c3", "2024-02-01", 100),
        ("c3", "2024-02-10", 400),
        ("c4", "2024-03-15", 30),
        ("c5", "2024-01-01", 20),
    ]
)
AS_OF = "2024-03-31"


def test_rfm_scores_and_tiers_on_five_customers():
    # score = 1 + floor(5 * (mid_rank - 0.5) / 5) = mid_rank rounded down after -0.5.
    # R (more recent = higher rank): c5 90d r1, c3 50d r2, c4 16d r3, c2 6d r4, c1 1d r5
    #   -> R: c1 5, c2 4, c3 2, c4 3, c5 1
    # F: c4 and c5 tie at 1 order -> mid-rank 1.5 -> 1 + floor(1.0) = 2; c2 (2) r3 -> 3;
    #   c1 (3) r4 -> 4; c3 (4) r5 -> 5    -> F: c1 4, c2 3, c3 5, c4 2, c5 2
    # M: c5 20 r1, c4 30 r2, c2 100 r3, c1 200 r4, c3 1000 r5
    #   -> M: c1 4, c2 3, c3 5, c4 2, c5 1
    # Sum: c1 13, c2 10, c3 12, c4 7, c5 4.
    # Tiers (defaults): c3 has R=2 <= 2 and F+M = 10 >= 6 -> at_risk (checked first);
    #   c1 13 >= 13 platinum; c2 10 >= 10 gold; c4 7 silver; c5 R=1 but F+M=3 < 6 -> silver.
    out = rfm(FIVE, as_of=AS_OF).set_index("customer_id")
    assert out["recency_days"].to_dict() == {"c1": 1, "c2": 6, "c3": 50, "c4": 16, "c5": 90}
    assert out["frequency"].to_dict() == {"c1": 3, "c2": 2, "c3": 4, "c4": 1, "c5": 1}
    assert out["monetary"].to_dict() == {"c1": 200, "c2": 100, "c3": 1000, "c4": 30, "c5": 20}
    assert out["r_score"].to_dict() == {"c1": 5, "c2": 4, "c3": 2, "c4": 3, "c5": 1}
    assert out["f_score"].to_dict() == {"c1": 4, "c2": 3, "c3": 5, "c4": 2, "c5": 2}
    assert out["m_score"].to_dict() == {"c1": 4, "c2": 3, "c3": 5, "c4": 2, "c5": 1}
    assert out["rfm_score"].to_dict() == {"c1": 13, "c2": 10, "c3": 12, "c4": 7, "c5": 4}
    assert out["rfm_code"].to_dict() == {
        "c1": "544",
        "c2": "433",
        "c3": "255",
        "c4": "322",
        "c5": "121",
    }
    assert out["tier"].to_dict() == {
        "c1": "platinum",
        "c2": "gold",
        "c3": "at_risk",
        "c4": "silver",
        "c5": "silver",
    }


def test_rfm_thresholds_come_from_the_dataclass():
    # Raise gold to 11 and switch at-risk off (no R score is <= 0):
    # c2 (10) falls to silver; c3 (12) becomes gold.
    t = TierThresholds(gold_min=11, at_risk_max_recency=0)
    out = rfm(FIVE, as_of=AS_OF, thresholds=t).set_index("customer_id")
    assert out["tier"].to_dict() == {
        "c1": "platinum",
        "c2": "silver",
        "c3": "gold",
        "c4": "silver",
        "c5": "silver",
    }


def test_rfm_missing_column_raises():
    with pytest.raises(ValueError, match="missing column.*amount"):
        rfm(FIVE.drop(columns="amount"))


def test_tier_thresholds_reject_inconsistent_rules():
    with pytest.raises(ValueError, match="gold_min"):
        TierThresholds(gold_min=14, platinum_min=13)


def test_customer_summary_empty_raises():
    with pytest.raises(ValueError, match="no rows"):
        customer_summary(FIVE.iloc[0:0])


def test_historical_clv_with_margin():
    # margin 0.5: c3 1000 -> 500 (first), c1 200 -> 100, c2 100 -> 50, c4 15, c5 10.
    # c3 average order 1000 / 4 = 250; tenure 01-05 -> 02-10 = 26 + 10 = 36 days.
    out = historical_clv(FIVE, margin_rate=0.5)
    assert out["customer_id"].tolist() == ["c3", "c1", "c2", "c4", "c5"]
    assert out["clv_historical"].tolist() == [500, 100, 50, 15, 10]
    c3 = out.iloc[0]
    assert c3["avg_order_value"] == 250
    assert c3["tenure_days"] == 36


def test_historical_clv_empty_raises():
    with pytest.raises(ValueError, match="no rows"):
        historical_clv(FIVE.iloc[0:0])


def test_forward_clv_by_hand():
    # as_of = 2024-01-01 + 121.75 days = 4 average months (4 x 30.4375) = 2024-05-01 18:00.
    # a: 2 orders (100, 200) since 01-01 -> 2 / 4 months = 0.5 orders a month;
    #    margin 0.5 -> 75 per order.
    # b: 1 order (40) at 05-01 00:00 -> observed 0.75 d, floored at one month (30.4375 d)
    #    -> 1 order a month; margin 20 per order.
    # retention 0.5, horizon 3, no discount: sum = 0.5 + 0.25 + 0.125 = 0.875.
    # a: expected 0.5 x 0.875 = 0.4375 orders -> 75 x 0.4375 = 32.8125
    # b: expected 1 x 0.875 = 0.875 orders   -> 20 x 0.875 = 17.5; total 50.3125
    orders = _orders([("a", "2024-01-01", 100), ("a", "2024-03-01", 200), ("b", "2024-05-01", 40)])
    a = CLVAssumptions(
        horizon_months=3, monthly_retention=0.5, margin_rate=0.5, min_observed_days=30.4375
    )
    est = forward_clv(orders, as_of="2024-05-01 18:00", assumptions=a)
    out = est.customers.set_index("customer_id")
    assert out.loc["a", "orders_per_month"] == pytest.approx(0.5)
    assert out.loc["a", "expected_orders"] == pytest.approx(0.4375)
    assert out.loc["a", "clv_forward"] == pytest.approx(32.8125)
    assert out.loc["b", "orders_per_month"] == pytest.approx(1.0)
    assert out.loc["b", "clv_forward"] == pytest.approx(17.5)
    assert est.total == pytest.approx(50.3125)
    assert est.assumptions is a
    assert "retention" in est.method
    assert dict(est.assumptions_table().values)["monthly_retention"] == 0.5


def test_forward_clv_missing_column_raises():
    with pytest.raises(ValueError, match="order_time"):
        forward_clv(FIVE.drop(columns="order_time"))


# Churn frame, as_of 2024-03-31:
#   a: 01-01, 01-11, 01-21 (10 each)  interval 20/2 = 10 d, recency 10+29+31 = 70 -> ratio 7
#   b: 03-01, 03-21 (50 each)         interval 20 d,        recency 10          -> 0.5
#   c: 03-11 (50)   one order: median repeat interval = median(10, 20, 12) = 12,
#                                     recency 20 -> 20/12 = 1.667 -> medium
#   d: 02-15 (20)   one order: interval 12, recency 14 + 31 = 45 -> 3.75 -> high
#   e: 03-01, 03-13 (20 each)         interval 12 d,        recency 18 -> 1.5 -> medium
# High risk: a (revenue 30) and d (20): 2 of 5 customers, revenue 50 of 240.
CHURN = _orders(
    [
        ("a", "2024-01-01", 10),
        ("a", "2024-01-11", 10),
        ("a", "2024-01-21", 10),
        ("b", "2024-03-01", 50),
        ("b", "2024-03-21", 50),
        ("c", "2024-03-11", 50),
        ("d", "2024-02-15", 20),
        ("e", "2024-03-01", 20),
        ("e", "2024-03-13", 20),
    ]
)


def test_churn_risk_by_hand():
    out = churn_risk(CHURN, as_of=AS_OF)
    c = out.customers.set_index("customer_id")
    assert c["interval_days"].to_dict() == {"a": 10, "b": 20, "c": 12, "d": 12, "e": 12}
    assert c["interval_basis"].to_dict() == {
        "a": "own",
        "b": "own",
        "c": "population",
        "d": "population",
        "e": "own",
    }
    assert c.loc["a", "overdue_ratio"] == pytest.approx(7.0)
    assert c.loc["c", "overdue_ratio"] == pytest.approx(20 / 12)
    assert c.loc["d", "overdue_ratio"] == pytest.approx(3.75)
    assert c.loc["a", "p_silence"] == pytest.approx(math.exp(-7))
    assert c["risk"].to_dict() == {
        "a": "high",
        "b": "low",
        "c": "medium",
        "d": "high",
        "e": "medium",
    }
    assert out.customers_at_risk == 2
    assert out.revenue_at_risk == 50
    assert out.customer_share_at_risk == pytest.approx(0.4)
    assert out.revenue_share_at_risk == pytest.approx(50 / 240)
    s = out.summary.set_index("risk")
    assert s["customers"].to_dict() == {"high": 2, "medium": 2, "low": 1}
    assert s.loc["medium", "revenue"] == 90  # c 50 + e 40


def test_churn_risk_rules_change_the_cut():
    # high from 1.5x: e (ratio exactly 1.5) becomes high, and c (1.667) too.
    out = churn_risk(CHURN, as_of=AS_OF, rules=ChurnRules(high_ratio=1.5, medium_ratio=1.0))
    assert out.customers_at_risk == 4


def test_churn_risk_empty_raises():
    with pytest.raises(ValueError, match="no rows"):
        churn_risk(CHURN.iloc[0:0])


def test_tier_economics_on_rfm_tiers():
    # Revenue 200 + 100 + 1000 + 30 + 20 = 1350; 5 customers.
    # platinum c1: 1 customer (0.2), 200 (0.148148), repeat 1/1
    # gold c2: 1 (0.2), 100, repeat 1/1
    # silver c4, c5: 2 (0.4), 50 (0.037037), repeat 0/2
    # at_risk c3: 1 (0.2), 1000 (0.740741), repeat 1/1, value index 0.740741 / 0.2 = 3.7037
    tiers = rfm(FIVE, as_of=AS_OF)[["customer_id", "tier"]]
    out = tier_economics(FIVE, tiers).set_index("tier")
    assert out.index.tolist() == ["platinum", "gold", "silver", "at_risk"]
    assert out["customers"].tolist() == [1, 1, 2, 1]
    assert out["customer_share"].tolist() == pytest.approx([0.2, 0.2, 0.4, 0.2])
    assert out["revenue_share"].tolist() == pytest.approx(
        [200 / 1350, 100 / 1350, 50 / 1350, 1000 / 1350]
    )
    assert out["repurchase_rate"].tolist() == [1.0, 1.0, 0.0, 1.0]
    assert out.loc["at_risk", "value_index"] == pytest.approx(1000 / 1350 / 0.2)
    assert out.loc["silver", "revenue_per_customer"] == 25


def test_rfm_tier_economics_from_the_rfm_frame_alone_by_hand():
    # The bands of FIVE (see test_tier_economics_on_rfm_tiers), read from the rfm frame's
    # frequency and monetary value; no order is read again.
    # platinum c1: 3 orders, 200; gold c2: 2, 100; silver c4 + c5: 1 + 1, 30 + 20;
    # at_risk c3: 4, 1000. Revenue 1350, 5 customers.
    out = rfm_tier_economics(rfm(FIVE, as_of=AS_OF)).set_index("tier")
    assert out.index.tolist() == ["platinum", "gold", "silver", "at_risk"]
    assert out["customers"].tolist() == [1, 1, 2, 1]
    assert out["orders"].tolist() == [3, 2, 2, 4]
    assert out["revenue"].tolist() == [200, 100, 50, 1000]
    assert out["repeat_customers"].tolist() == [1, 1, 0, 1]
    assert out.loc["silver", "revenue_per_customer"] == 25
    assert out.loc["at_risk", "value_index"] == pytest.approx(1000 / 1350 / 0.2)


def test_rfm_tier_economics_is_tier_economics_of_the_orders_it_was_scored_on():
    scored = rfm(FIVE, as_of=AS_OF)
    pd.testing.assert_frame_equal(rfm_tier_economics(scored), tier_economics(FIVE, scored))


def test_customer_value_analyses_with_the_ids_numbered_once_give_the_same_frames():
    # The numbering a page passes (codes of a larger table's ids, here with a customer no
    # order holds) must change nothing: the same rows, in the same order, the same values.
    shuffled = FIVE.sample(frac=1.0, random_state=3)
    ids = pd.Series(["c0", *shuffled["customer_id"]])
    whole = number(ids)
    numbers = type(whole)(whole.codes[1:], whole.ids)
    assert "c0" in set(numbers.ids)
    tiers = pd.DataFrame({"customer_id": ["c1", "c3"], "tier": ["vip", "std"]})
    a = CLVAssumptions()
    pd.testing.assert_frame_equal(
        historical_clv(shuffled, 0.5, numbers=numbers), historical_clv(shuffled, 0.5)
    )
    pd.testing.assert_frame_equal(
        forward_clv(shuffled, AS_OF, a, numbers=numbers).customers,
        forward_clv(shuffled, AS_OF, a).customers,
    )
    pd.testing.assert_frame_equal(
        tier_economics(shuffled, tiers, numbers=numbers), tier_economics(shuffled, tiers)
    )
    # and the numbers are used: codes that point at the wrong customers move the revenue
    wrong = type(whole)(np.roll(numbers.codes, 1), whole.ids)
    assert not historical_clv(shuffled, numbers=wrong).equals(historical_clv(shuffled))


def test_tier_economics_unassigned_customers():
    # Only c1 has a tier: the four others are "unassigned" (revenue 1150, 3 repeaters of 4).
    tiers = pd.DataFrame({"customer_id": ["c1"], "tier": ["vip"]})
    out = tier_economics(FIVE, tiers).set_index("tier")
    assert out.loc["unassigned", "customers"] == 4
    assert out.loc["unassigned", "revenue"] == 1150
    assert out.loc["unassigned", "repurchase_rate"] == 0.5  # c2, c3 repeat; c4, c5 do not


def test_tier_economics_unassigned_customers_with_the_clients_own_tiers():
    # a client's tier column is categorical (validated labels): the same four "unassigned"
    tiers = pd.DataFrame({"customer_id": ["c1"], "tier": pd.Categorical(["vip"])})
    out = tier_economics(FIVE, tiers).set_index("tier")
    assert out.loc["unassigned", "customers"] == 4
    assert out.loc["unassigned", "revenue"] == 1150
    assert out.loc["vip", "customers"] == 1


def test_tier_economics_missing_tier_column_raises():
    with pytest.raises(ValueError, match="tiers: missing column.*tier"):
        tier_economics(FIVE, pd.DataFrame({"customer_id": ["c1"]}))


def test_rfm_codes_with_ten_bins_spell_each_score_in_full():
    # ten bins over the same five customers: score = 1 + floor(10 * (mid_rank - 0.5) / 5)
    # = 1 + floor(2 * mid_rank - 1): rank 5 -> 10, rank 1 -> 2; ties at 1.5 (F of c4, c5) -> 3
    # c1: R rank 5 -> 10, F rank 4 -> 8, M rank 4 -> 8: "1088"
    out = rfm(FIVE, as_of=AS_OF, thresholds=TierThresholds(bins=10)).set_index("customer_id")
    assert out.loc["c1", "rfm_code"] == "1088"
    # c5: R rank 1 -> 2, F mid-rank 1.5 -> 3, M rank 1 -> 2: "232"
    assert out.loc["c5", "rfm_code"] == "232"


def test_labelled_takes_the_first_true_conditions_label_as_text():
    from playbook.analytics.loyalty import _labelled

    a = np.array([True, False, False, True])
    b = np.array([True, True, False, False])
    # row 0: a and b -> "x" (first true); row 1: b -> "y"; row 2: none -> "z"; row 3: a
    out = _labelled([a, b], ["x", "y"], default="z")
    assert list(out) == ["x", "y", "z", "x"]
    assert out.dtype == pd.Series(np.array(["x"])).dtype  # text, as a numpy string column gave
