"""Customer-level indicators (playbook/indicators/customers.py) on hand-worked frames."""

from __future__ import annotations

from functools import partial

import pandas as pd
import pytest

from playbook.data.contract import ClientConfig
from playbook.data.model import ClientData
from playbook.indicators import get
from playbook.indicators.customers import mass_discount_repurchase_lift
from tests.conftest import client_config

TIERS = dict(tiers=["bronze", "gold", "silver"], premium_tiers=["gold"])


#: This module's client: three channels and tiers; a test passes the fields it is about.
_config = partial(client_config, channels=["app", "delivery", "store"], **TIERS)


def _data(orders: pd.DataFrame, config: ClientConfig | None = None, **tables) -> ClientData:
    return ClientData(config or _config(), {"orders": orders, **tables})


def _orders(customer_id: list[str], **columns) -> pd.DataFrame:
    ids = [f"o{i}" for i in range(len(customer_id))]
    return pd.DataFrame({"order_id": ids, "customer_id": customer_id, **columns})


def _customers(**columns) -> pd.DataFrame:
    n = len(next(iter(columns.values())))
    return pd.DataFrame({"customer_id": [f"c{i}" for i in range(1, n + 1)], **columns})


# --- top_tier_revenue_share -------------------------------------------------------------------


def test_top_tier_revenue_share_by_channel():
    customers = _customers(tier=["gold", "silver", "silver", None])
    o = _orders(["c1", "c1", "c2", "c3", "c4", "c9"],
                channel=["app", "store", "app", "store", "app", "app"],
                amount=[100.0, 50, 100, 150, 1000, 500])  # fmt: skip
    m = get("top_tier_revenue_share").measure(_data(o, customers=customers))
    # c4 (no tier) and c9 (unknown) dropped: gold c1 150 of 400 -> 0.375
    assert m.value == pytest.approx(0.375)
    assert m.n == 4
    # app 100/200 = .5; store 50/200 = .25 (weakest)
    assert m.by.to_dict() == pytest.approx({"app": 0.5, "store": 0.25})
    assert m.by_n.to_dict() == {"app": 2, "store": 2}


def test_top_tier_revenue_share_needs_customers_and_premium_tiers():
    o = _orders(["c1"], channel=["app"], amount=[10.0])
    ind = get("top_tier_revenue_share")
    assert ind.missing_inputs(_data(o)) == ["customers"]
    customers = _customers(tier=["gold"])
    no_premium = _data(o, _config(premium_tiers=[]), customers=customers)
    assert ind.missing_inputs(no_premium) == ["client.yaml: premium_tiers"]
    assert ind.measure(no_premium) is None
    zero = _orders(["c1"], channel=["app"], amount=[0.0])
    assert ind.measure(_data(zero, customers=customers)) is None


# --- member_sales_share -----------------------------------------------------------------------


def test_member_sales_share_by_channel():
    customers = _customers(tier=["gold", "silver", "silver"], is_member=[True, False, True])
    o = _orders(["c1", "c2", "c3", "c2"], channel=["app", "app", "store", "store"],
                amount=[60.0, 40, 100, 100])  # fmt: skip
    m = get("member_sales_share").measure(_data(o, customers=customers))
    # members c1, c3: 160 of 300; app 60/100 = .6, store 100/200 = .5 (weakest)
    assert m.value == pytest.approx(160 / 300)
    assert m.by.to_dict() == pytest.approx({"app": 0.6, "store": 0.5})


def test_member_sales_share_missing_is_member():
    customers = _customers(tier=["gold"])
    data = _data(_orders(["c1"], channel=["app"], amount=[1.0]), customers=customers)
    assert get("member_sales_share").missing_inputs(data) == ["customers.is_member"]
    assert get("member_sales_share").measure(data) is None


# --- repurchase_rate --------------------------------------------------------------------------


def test_repurchase_rate_by_most_used_channel():
    o = _orders(
        ["c1", "c1", "c1", "c2", "c3", "c3", "c4", "c4"],
        channel=["app", "app", "store", "store", "store", "app", "store", "store"],
    )
    m = get("repurchase_rate").measure(_data(o))
    # orders: c1 3, c2 1, c3 2, c4 2 -> 3 of 4 customers repurchase
    assert m.value == pytest.approx(0.75)
    assert m.n == 4
    # main channel: c1 app, c2 store, c3 app (tie app/store -> app), c4 store
    # app: c1, c3 -> 1.0; store: c2 no, c4 yes -> 0.5 (weakest)
    assert m.by.to_dict() == pytest.approx({"app": 1.0, "store": 0.5})
    assert m.by_n.to_dict() == {"app": 2, "store": 2}


def test_repurchase_rate_no_rows_and_missing_column():
    no_channel = _orders(["c1"], amount=[1.0])
    assert get("repurchase_rate").missing_inputs(_data(no_channel)) == ["orders.channel"]
    assert get("repurchase_rate").measure(_data(no_channel)) is None
    # customer and channel never on the same row -> no usable orders
    o = _orders(["c1", None], channel=[None, "app"])
    assert get("repurchase_rate").measure(_data(o)) is None


# --- cross_category_share ---------------------------------------------------------------------


def test_cross_category_share_by_most_used_channel():
    o = _orders(["c1", "c1", "c2", "c2", "c3", "c3"],
                channel=["app", "app", "store", "store", "store", "app"],
                category=["coffee", "tea", "coffee", "coffee", "tea", None])  # fmt: skip
    m = get("cross_category_share").measure(_data(o))
    # uncategorised order dropped: c1 2 categories, c2 1, c3 1 -> 1/3
    assert m.value == pytest.approx(1 / 3)
    # main channel: c1 app, c2 store, c3 store -> app 1/1, store 0/2 (weakest)
    assert m.by.to_dict() == pytest.approx({"app": 1.0, "store": 0.0})
    assert m.by_n.to_dict() == {"app": 1, "store": 2}


def test_cross_category_share_missing_category():
    data = _data(_orders(["c1"], channel=["app"]))
    assert get("cross_category_share").missing_inputs(data) == ["orders.category"]
    assert get("cross_category_share").measure(data) is None


# --- multi_scene_customer_share ---------------------------------------------------------------


def test_multi_scene_customer_share_by_most_used_channel():
    o = _orders(["c1", "c1", "c2", "c2", "c3"],
                channel=["app", "store", "app", "app", "store"],
                scene=["office", "home", "office", "office", "home"])  # fmt: skip
    m = get("multi_scene_customer_share").measure(_data(o))
    # c1 office + home -> 1 of 3 customers
    assert m.value == pytest.approx(1 / 3)
    # main channel: c1 app (tie -> app), c2 app, c3 store -> app 1/2, store 0/1 (weakest)
    assert m.by.to_dict() == pytest.approx({"app": 0.5, "store": 0.0})


def test_multi_scene_customer_share_missing_scene():
    data = _data(_orders(["c1"], channel=["app"]))
    assert get("multi_scene_customer_share").missing_inputs(data) == ["orders.scene"]


# --- multichannel_customer_share --------------------------------------------------------------


def test_multichannel_customer_share_by_main_channel():
    o = _orders(["c1", "c1", "c2", "c2", "c3"],
                channel=["app", "store", "app", "app", "delivery"])  # fmt: skip
    m = get("multichannel_customer_share").measure(_data(o))
    # c1 uses app + store; c2 only app; c3 only delivery -> 1/3
    assert m.value == pytest.approx(1 / 3)
    assert m.n == 3
    # each customer counted once, under their main channel (c1's tie app/store -> app):
    # app c1 (multi), c2 (not) -> 1/2; delivery c3 -> 0
    assert m.by.to_dict() == pytest.approx({"app": 0.5, "delivery": 0.0})
    assert m.by_n.to_dict() == {"app": 2, "delivery": 1}
    # the breakdown decomposes the headline: (1/2 x 2 + 0 x 1) / 3 = 1/3
    assert (m.by * m.by_n).sum() / m.by_n.sum() == pytest.approx(m.value)


def test_multichannel_customer_share_no_rows():
    o = _orders(["c1", None], channel=[None, "app"])
    assert get("multichannel_customer_share").measure(_data(o)) is None


# --- tier_repurchase_lift ---------------------------------------------------------------------


def test_tier_repurchase_lift_by_tier():
    customers = _customers(tier=["gold", "gold", "silver", "silver", "bronze", None])
    o = _orders(["c1", "c1", "c2", "c3", "c3", "c4", "c5", "c6", "c6", "c7", "c7"])
    m = get("tier_repurchase_lift").measure(_data(o, customers=customers))
    # c6 (no tier) and c7 (unknown) dropped. gold c1 yes, c2 no -> 1/2;
    # others c3 yes, c4 no, c5 no -> 1/3; lift (1/2) / (1/3) = 1.5
    assert m.value == pytest.approx(1.5)
    assert m.n == 5
    # repurchase rate per tier: gold .5, silver .5, bronze 0 (weakest)
    assert m.by.to_dict() == pytest.approx({"bronze": 0.0, "gold": 0.5, "silver": 0.5})
    assert m.by_n.to_dict() == {"bronze": 1, "gold": 2, "silver": 2}


def test_tier_repurchase_lift_guards_empty_and_zero_groups():
    customers = _customers(tier=["gold", "silver"])
    # c2 (silver) never repurchases -> other tiers' rate 0 -> no ratio
    data = _data(_orders(["c1", "c1", "c2"]), customers=customers)
    assert get("tier_repurchase_lift").measure(data) is None
    # no premium-tier customer ordered
    data = _data(_orders(["c2", "c2"]), customers=customers)
    assert get("tier_repurchase_lift").measure(data) is None


# --- mass_discount_repurchase_lift ------------------------------------------------------------


def _discount_case() -> ClientData:
    customers = _customers(
        tier=["gold", "silver", "silver", "silver", "bronze", "bronze", "bronze", "bronze"]
    )
    rows = [  # customer, day, discount
        ("c1", 1, 5.0), ("c1", 2, 0.0),  # gold: premium tier, left out
        ("c2", 1, 5.0), ("c2", 2, 0.0),  # silver, discounted first, repeat
        ("c3", 1, 5.0),                  # silver, discounted first, no repeat
        ("c4", 1, 0.0), ("c4", 3, 0.0),  # silver, full price first, repeat
        ("c5", 1, 3.0), ("c5", 2, 0.0),  # bronze, discounted first, repeat
        ("c6", 1, 0.0),                  # bronze, full price first, no repeat
        ("c7", 2, 0.0), ("c7", 1, 2.0),  # bronze, first (day 1) discounted, repeat
        ("c8", 1, 0.0), ("c8", 2, 0.0),  # bronze, full price first, repeat
    ]  # fmt: skip
    o = _orders([r[0] for r in rows],
                order_time=pd.to_datetime([f"2024-03-0{r[1]}" for r in rows]),
                discount=[r[2] for r in rows])  # fmt: skip
    return _data(o, customers=customers)


def test_mass_discount_repurchase_lift_by_tier():
    m = get("mass_discount_repurchase_lift").measure(_discount_case())
    # non-premium: discounted first c2, c3, c5, c7 -> 3/4 repeat;
    # full price first c4, c6, c8 -> 2/3; lift 0.75 / (2/3) = 1.125
    assert m.value == pytest.approx(1.125)
    assert m.n == 7
    # silver: (1/2) / (1/1) = .5 (weakest); bronze: (2/2) / (1/2) = 2
    assert m.by.to_dict() == pytest.approx({"bronze": 2.0, "silver": 0.5})
    assert m.by_n.to_dict() == {"bronze": 4, "silver": 3}


def test_mass_discount_repurchase_lift_needs_both_groups():
    customers = _customers(tier=["silver", "silver"])
    o = _orders(["c1", "c1", "c2"], order_time=pd.to_datetime(["2024-03-01"] * 3),
                discount=[5.0, 0.0, 1.0])  # fmt: skip
    # every first order discounted -> nothing to compare against
    assert get("mass_discount_repurchase_lift").measure(_data(o, customers=customers)) is None
    bare = _data(o.drop(columns="discount"), customers=customers)
    assert get("mass_discount_repurchase_lift").missing_inputs(bare) == ["orders.discount"]
    assert mass_discount_repurchase_lift(bare) is None  # called directly, not via measure()
