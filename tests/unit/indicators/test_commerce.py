"""Order-level indicators (playbook/indicators/commerce.py) and the aggregation helpers.

Every expected value is worked out by hand in the comment next to it.
"""

from __future__ import annotations

from functools import partial

import numpy as np
import pandas as pd
import pytest

from playbook.data.contract import ClientConfig, Competitor
from playbook.data.model import ClientData
from playbook.indicators import get, registered
from playbook.indicators.aggregate import main_value, ratio_by, usable, with_customer
from tests.conftest import client_config

NAN = np.nan

#: The ids of the catalogue section "Orders/customers/costs-based".
CATALOGUE = (
    "promise_kept_rate", "top_tier_revenue_share", "tier_repurchase_lift",
    "multichannel_customer_share", "active_channels", "premium_share", "aov_growth",
    "cross_category_share", "repurchase_rate", "member_sales_share", "cost_to_serve_ratio",
    "digital_share", "lead_time_p90_ratio", "mass_discount_repurchase_lift", "discount_rate",
    "core_scene_share", "multi_scene_customer_share", "price_quality_position",
)  # fmt: skip


#: This module's client "Brew": three channels; a test passes the fields it is about.
_config = partial(client_config, name="Brew", channels=["app", "delivery", "store"])


def _data(orders: pd.DataFrame, config: ClientConfig | None = None, prior=None, **tables):
    return ClientData(config or _config(), {"orders": orders, **tables}, prior=prior)


def _orders(**columns) -> pd.DataFrame:
    n = len(next(iter(columns.values())))
    base = {"order_id": [f"o{i}" for i in range(n)], "customer_id": [f"c{i}" for i in range(n)]}
    return pd.DataFrame({**base, **columns})


def test_every_catalogue_indicator_is_registered():
    missing = set(CATALOGUE) - set(registered())
    assert not missing


@pytest.mark.parametrize(
    ("indicator_id", "dimension"),
    [("promise_kept_rate", "channel"), ("digital_share", "scene"),
     ("price_quality_position", "competitor"), ("lead_time_p90_ratio", "channel")],
)  # fmt: skip
def test_dimension_is_declared(indicator_id, dimension):
    assert get(indicator_id).dimension == dimension


# --- aggregation helpers -------------------------------------------------------------------


def test_ratio_by_shares_and_breakdown():
    # flags T,F,T on a,a,b: overall 2/3; a 1/2, b 1/1
    m = ratio_by(pd.Series([True, False, True]), dim=pd.Series(["a", "a", "b"], name="k"))
    assert m.value == pytest.approx(2 / 3)
    assert m.n == 3
    assert m.by.to_dict() == pytest.approx({"a": 0.5, "b": 1.0})
    assert m.by_n.to_dict() == {"a": 2, "b": 1}
    assert m.by.index.name == "k"


def test_ratio_by_guards_zero_denominators():
    # member b has denominator 0: left out; all-zero denominator: None
    m = ratio_by(pd.Series([1.0, 0.0]), pd.Series([4.0, 0.0]), pd.Series(["a", "b"]))
    assert m.value == pytest.approx(0.25) and list(m.by.index) == ["a"]
    assert ratio_by(pd.Series([1.0]), pd.Series([0.0])) is None
    assert ratio_by(pd.Series([], dtype=float)) is None


def test_main_value_breaks_ties_alphabetically():
    # c1: store, app, app -> app; c2: store, app (tie) -> app
    o = pd.DataFrame({"customer_id": ["c1", "c1", "c1", "c2", "c2"],
                      "channel": ["store", "app", "app", "store", "app"]})  # fmt: skip
    assert main_value(o).to_dict() == {"c1": "app", "c2": "app"}


def test_usable_drops_incomplete_rows_and_absent_columns():
    data = _data(_orders(channel=["app", None], amount=[1.0, 2.0]))
    assert len(usable(data, "orders", "channel", "amount")) == 1
    assert usable(data, "orders", "scene").empty
    assert usable(data, "costs", "channel").empty


def test_with_customer_drops_unknown_and_untiered_customers():
    customers = pd.DataFrame({"customer_id": ["c0", "c1"], "tier": ["gold", None]})
    data = _data(_orders(amount=[1.0, 2.0, 3.0]), customers=customers)
    # c0 has a tier, c1 has none, c2 is unknown -> only c0 kept
    assert with_customer(data, data.orders, "tier")["customer_id"].tolist() == ["c0"]


# --- promise_kept_rate ------------------------------------------------------------------------


def test_promise_kept_rate_by_channel():
    o = _orders(
        channel=["app", "app", "app", "delivery", "delivery", "delivery"],
        promised_minutes=[30.0, 30, 30, 20, 20, 20],
        actual_minutes=[10.0, 30, 40, 25, NAN, 15],
    )
    m = get("promise_kept_rate").measure(_data(o))
    # kept: 10<=30, 30<=30, 15<=20; late: 40>30, 25>20; NaN dropped -> 3/5
    assert m.value == pytest.approx(0.6)
    assert m.n == 5
    # app 2/3, delivery 1/2 (weakest)
    assert m.by["app"] == pytest.approx(2 / 3)
    assert m.by.idxmin() == "delivery" and m.by.min() == pytest.approx(0.5)
    assert m.by_n.to_dict() == {"app": 3, "delivery": 2}


def test_promise_kept_rate_per_declared_promise():
    from playbook.content import IndicatorRef
    from playbook.data.contract import Promise
    from playbook.diagnosis.core import measure_indicator
    from playbook.pages.findings import indicator_finding

    promises = [
        Promise(text="Delivered in 30 minutes", value=30, channels=["delivery"]),
        Promise(text="Pickup in 5 minutes", value=5, channels=["app"]),
    ]
    o = _orders(
        channel=["delivery"] * 4 + ["app"] * 5,
        promised_minutes=[30.0] * 4 + [5.0] * 4 + [30.0],
        actual_minutes=[20.0, 25, 30, 45] + [4.0, 5, 6, 9] + [12.0],
    )
    data = _data(o, _config(promises=promises))
    m = get("promise_kept_rate").measure(data)
    # kept: delivery 20, 25, 30 of 4; app 4, 5 of 4 five-minute orders, plus the app order
    # promised 30 minutes (12 <= 30) that no declared promise covers -> 6 of 9
    assert m.value == pytest.approx(6 / 9)
    # per promise: 30-minute delivery 3/4; 5-minute pickup 2/4 (the 30-minute app order is
    # in neither: the 30-minute promise covers delivery only)
    assert m.parts.to_dict() == pytest.approx(
        {"Delivered in 30 minutes": 0.75, "Pickup in 5 minutes": 0.5}
    )
    assert m.parts_n.to_dict() == {"Delivered in 30 minutes": 4, "Pickup in 5 minutes": 4}
    ref = IndicatorRef(id="promise_kept_rate", direction="higher", target=0.95, floor=0.8)
    text = indicator_finding(measure_indicator(ref, data), "en", 90)
    assert "per promise: Delivered in 30 minutes 75.0%, Pickup in 5 minutes 50.0%" in text


def test_promise_kept_rate_missing_column_and_no_rows():
    o = _orders(channel=["app"], promised_minutes=[30.0])
    ind = get("promise_kept_rate")
    assert ind.missing_inputs(_data(o)) == ["orders.actual_minutes"]
    assert ind.measure(_data(o)) is None
    # both columns have values, but never on the same order -> no usable rows
    o = _orders(channel=["app", "app"], promised_minutes=[30.0, NAN], actual_minutes=[NAN, 5.0])
    assert ind.measure(_data(o)) is None


# --- lead_time_p90_ratio ----------------------------------------------------------------------


def test_lead_time_p90_ratio_by_channel():
    o = _orders(
        channel=["app", "app", "app", "delivery", "delivery", "store"],
        promised_minutes=[20.0, 20, 20, 20, 10, 0],
        actual_minutes=[10.0, 20, 30, 40, 30, 5],
    )
    m = get("lead_time_p90_ratio").measure(_data(o))
    # promised 0 dropped; ratios 0.5, 1, 1.5, 2, 3; p90 at position 4*0.9 = 3.6:
    # 2 + 0.6 * (3 - 2) = 2.6
    assert m.value == pytest.approx(2.6)
    assert m.n == 5
    # app [0.5, 1, 1.5]: position 1.8 -> 1 + 0.8*0.5 = 1.4; delivery [2, 3]: 2 + 0.9 = 2.9
    assert m.by.to_dict() == pytest.approx({"app": 1.4, "delivery": 2.9})
    assert m.by.idxmax() == "delivery"  # worst (lower is better)
    assert m.by_n.to_dict() == {"app": 3, "delivery": 2}


def test_lead_time_p90_ratio_all_promises_zero():
    o = _orders(channel=["app"], promised_minutes=[0.0], actual_minutes=[5.0])
    assert get("lead_time_p90_ratio").measure(_data(o)) is None


# --- active_channels --------------------------------------------------------------------------


def test_active_channels_counts_channels_with_five_percent():
    cfg = _config(channels=["app", "delivery", "kiosk", "store"])
    o = _orders(channel=["app"] * 20 + ["store"] * 19 + ["delivery"])
    m = get("active_channels").measure(_data(o, cfg))
    # 40 orders: app 20/40 = .5, store 19/40 = .475, delivery 1/40 = .025, kiosk 0 -> 2 active
    assert m.value == 2
    assert m.n == 40
    assert m.by.to_dict() == pytest.approx(
        {"app": 0.5, "delivery": 0.025, "kiosk": 0.0, "store": 0.475}
    )
    assert m.by.idxmin() == "kiosk" and m.by_n["kiosk"] == 0


def test_active_channels_missing_channel_column():
    o = pd.DataFrame({"order_id": ["o1"], "amount": [1.0]})
    assert get("active_channels").missing_inputs(_data(o)) == ["orders.channel"]
    assert get("active_channels").measure(_data(o)) is None


# --- premium_share ----------------------------------------------------------------------------


def test_premium_share_of_revenue_by_channel():
    o = _orders(
        channel=["app", "app", "store", "store", "store"],
        amount=[10.0, 30, 20, 20, 50],
        is_premium=[True, False, True, False, None],
    )
    m = get("premium_share").measure(_data(o))
    # unknown is_premium dropped; premium 10 + 20 of 80 -> 0.375
    assert m.value == pytest.approx(0.375)
    # app 10/40 = .25 (weakest), store 20/40 = .5
    assert m.by.to_dict() == pytest.approx({"app": 0.25, "store": 0.5})
    assert m.by_n.to_dict() == {"app": 2, "store": 2}


def test_premium_share_zero_revenue_and_missing_column():
    o = _orders(channel=["app"], amount=[0.0], is_premium=[True])
    assert get("premium_share").measure(_data(o)) is None
    bare = _orders(channel=["app"], amount=[5.0])
    assert get("premium_share").missing_inputs(_data(bare)) == ["orders.is_premium"]


# --- discount_rate ----------------------------------------------------------------------------


def test_discount_rate_by_channel():
    o = _orders(channel=["app", "app", "store"], amount=[90.0, 50, 40], discount=[10.0, 0, 10])
    m = get("discount_rate").measure(_data(o))
    # 20 / (180 + 20) = 0.1; app 10/150, store 10/50 = 0.2 (weakest: lower is better)
    assert m.value == pytest.approx(0.1)
    assert m.by["app"] == pytest.approx(10 / 150)
    assert m.by.idxmax() == "store" and m.by["store"] == pytest.approx(0.2)


def test_discount_rate_zero_list_value():
    o = _orders(channel=["app"], amount=[0.0], discount=[0.0])
    assert get("discount_rate").measure(_data(o)) is None


# --- digital_share ----------------------------------------------------------------------------


def test_digital_share_by_scene():
    cfg = _config(channels=["app", "mini", "store"], digital_channels=["app", "mini"],
                  scenes=["home", "office"])  # fmt: skip
    o = _orders(channel=["app", "mini", "store", "store", "app"],
                scene=["office", "home", "office", "office", None])  # fmt: skip
    m = get("digital_share").measure(_data(o, cfg))
    # app, mini, app digital of 5 -> 0.6 (the scene-less order counts overall)
    assert m.value == pytest.approx(0.6)
    # office: app of app, store, store -> 1/3 (weakest); home: mini -> 1
    assert m.by.to_dict() == pytest.approx({"home": 1.0, "office": 1 / 3})
    assert m.by_n.to_dict() == {"home": 1, "office": 3}


def test_digital_share_without_scene_or_config():
    cfg = _config(channels=["app", "store"], digital_channels=["app"])
    m = get("digital_share").measure(_data(_orders(channel=["app", "store"]), cfg))
    assert m.value == pytest.approx(0.5) and m.by is None  # 1 of 2, no scene column
    no_digital = _data(_orders(channel=["app"]))
    assert get("digital_share").missing_inputs(no_digital) == ["client.yaml: digital_channels"]
    assert get("digital_share").measure(no_digital) is None


# --- core_scene_share -------------------------------------------------------------------------


def test_core_scene_share_by_channel():
    cfg = _config(scenes=["campus", "home", "office"], core_scene="office")
    o = _orders(channel=["app", "app", "store", "store", "store", "app"],
                scene=["office", "home", "office", "office", "campus", None])  # fmt: skip
    m = get("core_scene_share").measure(_data(o, cfg))
    # scene-less order dropped; office 3 of 5 -> 0.6; app 1/2 (weakest), store 2/3
    assert m.value == pytest.approx(0.6)
    assert m.n == 5
    assert m.by.to_dict() == pytest.approx({"app": 0.5, "store": 2 / 3})


def test_core_scene_share_needs_core_scene():
    cfg = _config(scenes=["office"])
    data = _data(_orders(channel=["app"], scene=["office"]), cfg)
    assert get("core_scene_share").missing_inputs(data) == ["client.yaml: core_scene"]
    assert get("core_scene_share").measure(data) is None


# --- aov_growth -------------------------------------------------------------------------------


def test_aov_growth_against_prior_period():
    prior = _data(_orders(channel=["app", "app", "store"], amount=[10.0, 30, 50]))
    o = _orders(channel=["app", "app", "store", "delivery"], amount=[30.0, 30, 40, 10])
    m = get("aov_growth").measure(_data(o, prior=prior))
    # AOV now 110/4 = 27.5, before 90/3 = 30 -> 27.5/30 - 1
    assert m.value == pytest.approx(27.5 / 30 - 1)
    assert m.n == 4
    # app 30/20 - 1 = .5; store 40/50 - 1 = -.2 (weakest); delivery has no prior: left out
    assert m.by.to_dict() == pytest.approx({"app": 0.5, "store": -0.2})
    assert m.by_n.to_dict() == {"app": 2, "store": 1}


def test_aov_growth_without_prior():
    o = _orders(channel=["app"], amount=[10.0])
    assert get("aov_growth").measure(_data(o)) is None
    empty_prior = _data(o.iloc[0:0])
    assert get("aov_growth").measure(_data(o, prior=empty_prior)) is None
    zero_prior = _data(_orders(channel=["app"], amount=[0.0]))
    assert get("aov_growth").measure(_data(o, prior=zero_prior)) is None


# --- cost_to_serve_ratio ----------------------------------------------------------------------


def test_cost_to_serve_ratio_by_channel():
    o = _orders(channel=["app", "app", "store", "delivery"], amount=[100.0, 100, 300, 0])
    costs = pd.DataFrame({
        "period": pd.to_datetime(["2024-01-01"] * 4),
        "channel": ["app", "store", "store", "delivery"],
        "service_cost": [20.0, 30, 15, 5],
    })  # fmt: skip
    m = get("cost_to_serve_ratio").measure(_data(o, costs=costs))
    # cost 70 / revenue 500 = 0.14; app 20/200 = .1, store 45/300 = .15 (weakest);
    # delivery has no revenue: left out of the breakdown
    assert m.value == pytest.approx(0.14)
    assert m.n == 4
    assert m.by.to_dict() == pytest.approx({"app": 0.1, "store": 0.15})
    assert m.by_n.to_dict() == {"app": 2, "store": 1}


def test_cost_to_serve_ratio_missing_costs_and_zero_revenue():
    o = _orders(channel=["app"], amount=[0.0])
    # amounts that are all zero measure nothing: reported as missing, like the costs
    assert get("cost_to_serve_ratio").missing_inputs(_data(o)) == ["orders.amount", "costs"]
    costs = pd.DataFrame({"period": pd.to_datetime(["2024-01-01"]), "channel": ["app"],
                          "service_cost": [5.0]})  # fmt: skip
    assert get("cost_to_serve_ratio").measure(_data(o, costs=costs)) is None


# --- price_quality_position -------------------------------------------------------------------

RIVALS = [Competitor(name="Bean", price_index=80, quality_score=6),
          Competitor(name="Alpha", price_index=125, quality_score=10)]  # fmt: skip


def test_price_quality_position_from_own_score():
    cfg = _config(competitors=RIVALS, own_quality_score=8)
    m = get("price_quality_position").measure(_data(_orders(channel=["app"]), cfg))
    # value for money = quality / price index * 100: client 8, Bean 6/80*100 = 7.5,
    # Alpha 10/125*100 = 8 -> 8 / mean(7.5, 8) = 8 / 7.75
    assert m.value == pytest.approx(8 / 7.75)
    # position against each: Alpha 8 / 8 = 1.0, Bean 8 / 7.5 = 1.0667 -> Alpha is the toughest
    assert m.by.to_dict() == pytest.approx({"Alpha": 1.0, "Bean": 8 / 7.5})
    assert m.by_n.to_dict() == {"Alpha": 1, "Bean": 1}
    assert list(m.detail.columns) == ["name", "price_index", "quality_score", "value_for_money",
                                      "is_client"]  # fmt: skip
    client = m.detail[m.detail["is_client"]].iloc[0]
    assert (client["name"], client["price_index"], client["value_for_money"]) == ("Brew", 100, 8)
    assert len(m.detail) == 3


def test_price_quality_position_from_survey_csat():
    cfg = _config(competitors=RIVALS)
    survey = pd.DataFrame({"response_id": ["r1", "r2", "r3", "r4"],
                           "csat": [5.0, 4.0, 3.0, NAN]})  # fmt: skip
    m = get("price_quality_position").measure(_data(_orders(channel=["app"]), cfg, survey=survey))
    # mean csat 4 -> (4 - 1) / 4 * 10 = 7.5 -> 7.5 / 7.75
    assert m.value == pytest.approx(7.5 / 7.75)


def test_price_quality_position_without_quality_or_competitors():
    ind = get("price_quality_position")
    assert ind.missing_inputs(_data(_orders(channel=["app"]))) == ["client.yaml: competitors"]
    no_quality = _data(_orders(channel=["app"]), _config(competitors=RIVALS))
    assert ind.measure(no_quality) is None
    worthless = [Competitor(name="Zero", price_index=90, quality_score=0)]
    cfg = _config(competitors=worthless, own_quality_score=5)
    assert ind.measure(_data(_orders(channel=["app"]), cfg)) is None


def test_with_customer_joins_the_attribute_in_the_rows_order_whatever_the_id_type():
    customers = pd.DataFrame({"customer_id": ["c2", "c0", "c1"], "tier": ["basic", "gold", None]})
    orders = _orders(amount=[1.0, 2.0, 3.0])  # customers c0, c1, c2
    for ids in (str, object, "category"):
        data = _data(orders.astype({"customer_id": ids}), customers=customers)
        joined = with_customer(data, data.orders, "tier")
        # c0 gold, c1 no tier (dropped), c2 basic; the orders keep their order, index 0..
        assert joined["customer_id"].tolist() == ["c0", "c2"]
        assert joined["tier"].tolist() == ["gold", "basic"]
        assert joined["amount"].tolist() == [1.0, 3.0]
        assert joined.index.tolist() == [0, 1]


def test_ratio_by_a_categorical_leaves_out_members_without_rows_or_denominator():
    # members a, b, c, d declared; rows: b 1/2, a 3/4, b 5/6, a row of no member (7/8),
    # d with a zero denominator; c has no row -> by a 3/4, b (1+5)/(2+6)
    dim = pd.Series(pd.Categorical(["b", "a", "b", None, "d"], categories=["a", "b", "c", "d"]))
    num = pd.Series([1.0, 3.0, 5.0, 7.0, 9.0])
    den = pd.Series([2.0, 4.0, 6.0, 8.0, 0.0])
    m = ratio_by(num, den, dim.rename("channel"))
    assert m.value == pytest.approx(25 / 20) and m.n == 5
    assert m.by.to_dict() == {"a": 0.75, "b": 0.75}
    assert m.by_n.to_dict() == {"a": 1, "b": 2}
    assert list(m.by.index.categories) == ["a", "b", "c", "d"] and m.by.index.name == "channel"


def test_months_floor_times_to_their_months_first_day_as_periods_do():
    from playbook.indicators.commerce import months

    text = ["2024-01-31 23:59:59.5", "2024-02-01 00:00:00", None, "2025-12-15 10:00:00"]
    for unit in ("s", "us", "ns"):
        times = pd.Series(pd.to_datetime(text, format="mixed").astype(f"datetime64[{unit}]"))
        got = months(times)
        assert got.tolist()[:2] == [pd.Timestamp("2024-01-01"), pd.Timestamp("2024-02-01")]
        assert pd.isna(got.iloc[2]) and got.iloc[3] == pd.Timestamp("2025-12-01")
        assert got.name == "month"
        pd.testing.assert_series_equal(
            got, times.dt.to_period("M").dt.to_timestamp().rename("month")
        )
