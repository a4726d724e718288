"""Known-answer tests for playbook.analytics.pricing (expected values worked out by hand)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from playbook.analytics.pricing import (
    ElasticityOptions,
    PackageOptions,
    discount_effectiveness,
    package_tiers,
    price_elasticity,
    van_westendorp,
)


def _weekly_orders(
    prices: list[float],
    weeks: int,
    elasticity: float,
    seed: int,
    level: float = 1000.0,
    noise: float = 0.05,
) -> pd.DataFrame:
    """One order row per (week, price) whose quantity follows q = level * p^e * noise."""
    rng = np.random.default_rng(seed)
    week_starts = pd.date_range("2024-01-01", periods=weeks, freq="7D")  # Mondays
    rows = [
        (w + pd.Timedelta(days=2), p, level * p**elasticity * np.exp(rng.normal(0, noise)))
        for w in week_starts
        for p in prices
    ]
    df = pd.DataFrame(rows, columns=["order_time", "list_price", "quantity"])
    df["order_id"] = [f"o{i}" for i in range(len(df))]
    return df


def test_elasticity_recovers_a_known_elasticity():
    # Quantities generated with elasticity -1.5 and 5 % log-normal noise (seed 7) at five
    # prices for 20 weeks -> 100 points; the slope must come back within 0.1 of -1.5,
    # its 95 % CI must contain -1.5 and lie below -1 (elastic demand).
    orders = _weekly_orders([8, 9, 10, 11, 12], weeks=20, elasticity=-1.5, seed=7)
    est = price_elasticity(orders)
    assert est.estimable and est.reason is None
    assert est.n_points == 100 and est.n_price_points == 5
    assert est.elasticity == pytest.approx(-1.5, abs=0.1)
    assert est.ci_low < -1.5 < est.ci_high
    assert est.r_squared > 0.9
    assert est.reading == "elastic"
    # intercept = log(1000) = 6.908 within noise
    assert est.intercept == pytest.approx(np.log(1000), abs=0.2)


def test_elasticity_with_segment_intercepts():
    # Two products at different price levels and volumes, both with elasticity -0.5:
    # pooled, the cheap high-volume product would fake a steep slope; per-segment
    # intercepts recover -0.5 (inelastic).
    a = _weekly_orders([4, 4.5, 5], weeks=12, elasticity=-0.5, seed=1, level=2000).assign(
        category="tea"
    )
    b = _weekly_orders([20, 22, 24], weeks=12, elasticity=-0.5, seed=2, level=300).assign(
        category="cake"
    )
    est = price_elasticity(pd.concat([a, b]), segment_col="category")
    assert est.elasticity == pytest.approx(-0.5, abs=0.15)
    assert est.intercept is None
    assert est.reading == "inelastic"


def test_elasticity_not_estimable_with_a_constant_price():
    orders = _weekly_orders([10], weeks=20, elasticity=-1.5, seed=3)
    est = price_elasticity(orders)
    assert not est.estimable
    assert est.elasticity is None
    assert "1 distinct price" in est.reason
    assert est.reading == "not_estimable"


def test_elasticity_not_estimable_with_too_few_points():
    # 3 prices x 2 weeks = 6 points < 8.
    est = price_elasticity(_weekly_orders([8, 10, 12], weeks=2, elasticity=-1, seed=4))
    assert not est.estimable and "6 price-period observations" in est.reason
    # counting orders instead of units: still 6 points
    est = price_elasticity(
        _weekly_orders([8, 10, 12], weeks=2, elasticity=-1, seed=4),
        quantity_col=None,
        options=ElasticityOptions(min_points=6),
    )
    assert est.estimable and est.elasticity == pytest.approx(0.0)  # one order per point


def test_elasticity_missing_price_column_raises():
    with pytest.raises(ValueError, match="missing column.*list_price"):
        price_elasticity(_weekly_orders([8, 9], 3, -1, 5).drop(columns="list_price"))


def _orders(rows: list[tuple[str, str, float, float]]) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=["customer_id", "order_time", "amount", "discount"])
    df["order_time"] = pd.to_datetime(df["order_time"])
    return df


def test_discount_effectiveness_by_hand():
    # First orders: d1, d2, d3 discounted; f1, f2, f3 full price.
    # Repeat (>= 2 orders): d1, d3 -> 2/3; f1 -> 1/3. Lift (2/3)/(1/3) = 2, difference 1/3.
    # Discounted first orders: d1 10/(90+10) = 0.1, d2 20/(80+20) = 0.2, d3 30/(70+30) = 0.3
    #   -> mean first discount rate 0.2.
    orders = _orders(
        [
            ("d1", "2024-01-01", 90, 10),
            ("d1", "2024-01-10", 100, 0),
            ("d2", "2024-01-02", 80, 20),
            ("d3", "2024-01-03", 70, 30),
            ("d3", "2024-01-05", 100, 0),
            ("d3", "2024-01-09", 100, 5),
            ("f1", "2024-01-01", 100, 0),
            ("f1", "2024-01-20", 100, 10),
            ("f2", "2024-01-02", 100, 0),
            ("f3", "2024-01-03", 100, 0),
        ]
    )
    out = discount_effectiveness(orders)
    t = out.table.set_index("group")
    assert t["customers"].to_dict() == {"discounted": 3, "full_price": 3}
    assert t["repurchase_rate"].to_dict() == pytest.approx(
        {"discounted": 2 / 3, "full_price": 1 / 3}
    )
    assert t.loc["discounted", "orders_per_customer"] == pytest.approx(6 / 3)
    assert t.loc["discounted", "first_discount_rate"] == pytest.approx(0.2)
    assert t.loc["full_price", "first_discount_rate"] == 0
    assert out.lift == pytest.approx(2.0)
    assert out.difference == pytest.approx(1 / 3)
    assert 0 < out.p_value < 1


def test_discount_effectiveness_missing_discount_raises():
    with pytest.raises(ValueError, match="missing column.*discount"):
        discount_effectiveness(_orders([("a", "2024-01-01", 1, 0)]).drop(columns="discount"))


def _vw_survey() -> pd.DataFrame:
    # Ten respondents i = 1..10 answer too_cheap = i, cheap = i + 3, expensive = i + 5,
    # too_expensive = i + 6. On the integer price grid 1..16 the shares are linear:
    #   too_cheap(p)     = share(tc >= p) = (11 - p) / 10      (p in 1..10)
    #   cheap(p)         = share(c >= p)  = (14 - p) / 10      (p in 4..13)
    #   not_cheap(p)     = (p - 4) / 10
    #   expensive(p)     = share(e <= p)  = (p - 5) / 10       (p in 6..15)
    #   not_expensive(p) = (15 - p) / 10
    #   too_expensive(p) = share(te <= p) = (p - 6) / 10       (p in 7..16)
    # Crossings:
    #   PMC too_cheap = not_cheap:        11 - p = p - 4  -> p = 7.5
    #     (grid: p=7 0.4 vs 0.3, p=8 0.3 vs 0.4 -> interpolated half-way, 7.5)
    #   OPP too_cheap = too_expensive:    11 - p = p - 6  -> p = 8.5
    #   IPP cheap = expensive:            14 - p = p - 5  -> p = 9.5
    #   PME too_expensive = not_expensive: p - 6 = 15 - p -> p = 10.5
    i = np.arange(1, 11)
    return pd.DataFrame(
        {
            "response_id": [f"r{k}" for k in i],
            "too_cheap": i,
            "cheap": i + 3,
            "expensive": i + 5,
            "too_expensive": i + 6,
        }
    )


def test_van_westendorp_known_crossings():
    vw = van_westendorp(_vw_survey())
    assert vw.n == 10 and vw.n_dropped == 0
    assert vw.pmc == pytest.approx(7.5)
    assert vw.opp == pytest.approx(8.5)
    assert vw.ipp == pytest.approx(9.5)
    assert vw.pme == pytest.approx(10.5)
    assert vw.acceptable_range == pytest.approx((7.5, 10.5))
    c = vw.curves.set_index("price")
    assert c.loc[8, "too_cheap"] == pytest.approx(0.3)  # tc in {8, 9, 10}
    assert c.loc[8, "too_expensive"] == pytest.approx(0.2)  # te in {7, 8}
    assert c.loc[9, "not_cheap"] == pytest.approx(0.5)  # c >= 9: {9..13} -> 1 - 0.5


def test_van_westendorp_explicit_grid_and_dropped_answers():
    # A respondent answering out of order (too_cheap above too_expensive) and one with a
    # missing answer are dropped; the crossings do not move.
    # On the coarser grid 0, 2, 4, ..., 20 the OPP is interpolated between 8 and 10:
    #   p=8: too_cheap 0.3, too_expensive 0.2 (d = +0.1);
    #   p=10: too_cheap 0.1, too_expensive 0.4 (d = -0.3) -> 8 + 0.1 / 0.4 * 2 = 8.5.
    bad = pd.DataFrame(
        {
            "response_id": ["x", "y"],
            "too_cheap": [20, 3],
            "cheap": [3, 4],
            "expensive": [4, np.nan],
            "too_expensive": [5, 6],
        }
    )
    vw = van_westendorp(pd.concat([_vw_survey(), bad]), grid=np.arange(0, 21, 2))
    assert vw.n == 10 and vw.n_dropped == 2
    assert vw.opp == pytest.approx(8.5)


def test_van_westendorp_missing_question_raises():
    with pytest.raises(ValueError, match="survey: missing column.*too_expensive"):
        van_westendorp(_vw_survey().drop(columns="too_expensive"))


def test_package_tiers_by_hand():
    # 100 orders worth 1..100. Linear quantiles: q25 = 1 + 0.25 * 99 = 25.75 -> 26,
    # q50 = 50.5 -> 51 (half-up), q85 = 1 + 0.85 * 99 = 85.15 -> 85.
    # Nearest package: midpoints 38.5 and 68 -> basic 1..38 (38 orders, revenue 741),
    # standard 39..68 (30, 2346 - 741 = 1605), premium 69..100 (32, 5050 - 2346 = 2704).
    orders = pd.DataFrame({"amount": np.arange(1, 101, dtype=float)})
    out = package_tiers(orders, PackageOptions(round_to=1))
    assert out["package"].tolist() == ["basic", "standard", "premium"]
    assert out["price"].tolist() == [26, 51, 85]
    assert out["order_share"].tolist() == pytest.approx([0.38, 0.30, 0.32])
    assert out["revenue_share"].tolist() == pytest.approx([741 / 5050, 1605 / 5050, 2704 / 5050])
    assert not out["clipped"].any()
    # Clipped into an acceptable range of 30..80: basic 26 -> 30, premium 85 -> 80.
    clipped = package_tiers(orders, PackageOptions(round_to=1), acceptable_range=(30, 80))
    assert clipped["price"].tolist() == [30, 51, 80]
    assert clipped["clipped"].tolist() == [True, False, True]


def test_package_tiers_empty_raises():
    with pytest.raises(ValueError, match="orders: no rows"):
        package_tiers(pd.DataFrame({"amount": []}))
