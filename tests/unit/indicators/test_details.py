"""Detail frames indicators leave for their charts; every expectation is worked out by hand.

The frames: the CSAT grid (touchpoint or channel × stage), channels used per entry channel,
tracked progress by stage in journey order, scene mix and digital share by month (previous
and current period) and cost to serve by channel.
"""

from __future__ import annotations

from functools import partial

import pandas as pd
import pytest

from playbook.data.contract import ClientConfig
from playbook.data.model import ClientData
from playbook.indicators import get
from playbook.indicators.commerce import monthly_mix
from playbook.indicators.experience import channels_used, satisfaction_grid
from tests.conftest import client_config

STAGES = ["discover", "order", "pickup"]


#: This module's client: channels app and store, the journey STAGES.
_config = partial(client_config, journey_stages=STAGES)


def _data(config: ClientConfig | None = None, prior: ClientData | None = None, **tables):
    return ClientData(config or _config(), tables, prior=prior)


def _measure(indicator_id: str, data: ClientData):
    m = get(indicator_id).measure(data)
    assert m is not None
    return m


# --- CSAT grid (csat_mean) -------------------------------------------------------------------


def test_csat_grid_by_touchpoint_when_touchpoints_span_stages():
    # "app" is surveyed at order (5, 3 -> 4.0) and discover (2); "desk" at pickup (4)
    # -> rows by touchpoint; stages in journey order; app first (first seen at discover)
    survey = pd.DataFrame({
        "touchpoint": ["app", "app", "app", "desk"],
        "stage": ["order", "order", "discover", "pickup"],
        "channel": ["app", "app", "app", "store"],
        "csat": [5.0, 3.0, 2.0, 4.0],
    })  # fmt: skip
    m = _measure("csat_mean", _data(survey=survey))
    assert m.value == pytest.approx(3.5)  # (5+3+2+4)/4, unchanged by the detail
    grid = m.detail
    assert list(grid.columns) == ["touchpoint", "stage", "csat", "responses"]
    assert grid[["touchpoint", "stage"]].values.tolist() == [
        ["app", "discover"], ["app", "order"], ["desk", "pickup"]]  # fmt: skip
    assert grid["csat"].tolist() == pytest.approx([2.0, 4.0, 4.0])
    assert grid["responses"].tolist() == [1, 2, 1]


def test_csat_grid_by_channel_when_each_touchpoint_has_one_stage():
    # touchpoints t1 (discover) and t2 (order) never share a stage -> rows by channel:
    # store at discover (4, 2) -> 3.0; app at order 5.0; store at order 1.0
    survey = pd.DataFrame({
        "touchpoint": ["t1", "t1", "t2", "t2"],
        "stage": ["discover", "discover", "order", "order"],
        "channel": ["store", "store", "app", "store"],
        "csat": [4.0, 2.0, 5.0, 1.0],
    })  # fmt: skip
    grid = satisfaction_grid(survey, STAGES)
    assert grid.columns[0] == "channel"
    rows = grid.set_index(["channel", "stage"])
    assert rows["csat"].to_dict() == pytest.approx(
        {("store", "discover"): 3.0, ("store", "order"): 1.0, ("app", "order"): 5.0}
    )
    assert grid["channel"].tolist()[0] == "store"  # first seen at the first stage


def test_csat_grid_needs_a_stage_column():
    survey = pd.DataFrame({"touchpoint": ["app"], "csat": [5.0]})
    assert satisfaction_grid(survey, STAGES) is None
    assert _measure("csat_mean", _data(survey=survey)).detail is None


# --- channels used (cross_channel_journey_share) ----------------------------------------------


def test_channels_used_per_entry_channel():
    # c1 app -> store; c2 app only; c3 store -> app (entry store)
    # entry app: 2 customers, used app 2 (1.0), store 1 (0.5); entry store: 1, app 1, store 1
    journey = pd.DataFrame({
        "customer_id": ["c1", "c1", "c2", "c3", "c3"],
        "event_time": pd.to_datetime(["2024-01-01 08:00", "2024-01-01 09:00", "2024-01-01 08:00",
                                      "2024-01-01 08:00", "2024-01-01 09:00"]),
        "stage": ["discover", "order", "discover", "discover", "order"],
        "channel": ["app", "store", "app", "store", "app"],
    })  # fmt: skip
    m = _measure("cross_channel_journey_share", _data(journey=journey))
    assert m.value == pytest.approx(2 / 3)  # c1 and c3 of 3, unchanged
    d = m.detail.set_index(["entry_channel", "channel"])
    assert d["customers"].to_dict() == {("app", "app"): 2, ("app", "store"): 1,
                                        ("store", "app"): 1, ("store", "store"): 1}  # fmt: skip
    assert d.loc[("app", "store"), "share"] == pytest.approx(0.5)
    assert d["entry_customers"].to_dict()[("app", "app")] == 2


def test_channels_used_without_channels_is_none():
    journey = pd.DataFrame({"customer_id": ["c1"], "event_time": pd.to_datetime(["2024-01-01"]),
                            "channel": [None]})  # fmt: skip
    assert channels_used(journey) is None


# --- tracked progress by stage -------------------------------------------------------------


def test_tracked_progress_detail_follows_the_journey_order():
    # pickup 1 of 2 tracked -> 0.5; discover 2 of 2 -> 1.0; "zeta" is undeclared: listed last
    journey = pd.DataFrame({
        "customer_id": ["c1", "c2", "c1", "c2", "c1"],
        "stage": ["pickup", "pickup", "discover", "discover", "zeta"],
        "tracked": [True, False, True, True, False],
    })  # fmt: skip
    m = _measure("tracked_progress_share", _data(journey=journey))
    assert m.value == pytest.approx(3 / 5)
    assert m.detail["stage"].tolist() == ["discover", "pickup", "zeta"]
    assert m.detail["tracked"].tolist() == pytest.approx([1.0, 0.5, 0.0])
    assert m.detail["events"].tolist() == [2, 2, 1]


def test_tracked_progress_without_stage_has_no_detail():
    journey = pd.DataFrame({"customer_id": ["c1"], "tracked": [True]})
    assert _measure("tracked_progress_share", _data(journey=journey)).detail is None


# --- scene mix and digital share by month ---------------------------------------------------


def _orders(times: list[str], **columns) -> pd.DataFrame:
    n = len(times)
    return pd.DataFrame({"order_id": [f"o{i}" for i in range(n)],
                         "customer_id": [f"c{i}" for i in range(n)],
                         "order_time": pd.to_datetime(times), "amount": [10.0] * n,
                         **columns})  # fmt: skip


def test_scene_mix_by_month_spans_the_previous_and_current_period():
    # prior: January office, home; current: February office x3, home x1
    # -> Jan office 1/2, home 1/2; Feb office 3/4, home 1/4
    config = _config(core_scene="office", scenes=["office", "home"])
    prior = _data(config, orders=_orders(["2024-01-05", "2024-01-20"], scene=["office", "home"],
                                         channel=["app", "app"]))  # fmt: skip
    now = _data(
        config,
        prior=prior,
        orders=_orders(
            ["2024-02-01", "2024-02-02", "2024-02-03", "2024-02-04"],
            scene=["office", "office", "home", "office"],
            channel=["app", "store", "app", "app"],
        ),
    )
    m = _measure("core_scene_share", now)
    assert m.value == pytest.approx(0.75)  # current period only, unchanged
    mix = m.detail.set_index(["month", "scene"])
    jan, feb = pd.Timestamp("2024-01-01"), pd.Timestamp("2024-02-01")
    assert mix["share"].to_dict() == pytest.approx(
        {(jan, "home"): 0.5, (jan, "office"): 0.5, (feb, "home"): 0.25, (feb, "office"): 0.75}
    )
    assert mix.loc[(feb, "office"), "orders"] == 3


def test_monthly_mix_without_rows_is_none():
    empty = pd.DataFrame({"order_time": pd.to_datetime([]), "scene": pd.Series([], dtype=str)})
    assert monthly_mix(empty, "scene") is None


def test_digital_share_by_month_flags_the_current_period():
    # prior (January): 1 digital of 2 -> 0.5; current: February 2 of 2 -> 1.0 and
    # March 0 of 1 -> 0.0; overall current share 2 of 3
    config = _config(digital_channels=["app"])
    prior = _data(config, orders=_orders(["2024-01-10", "2024-01-11"], channel=["app", "store"]))
    now = _data(
        config,
        prior=prior,
        orders=_orders(["2024-02-10", "2024-02-11", "2024-03-01"], channel=["app", "app", "store"]),
    )
    m = _measure("digital_share", now)
    assert m.value == pytest.approx(2 / 3)
    assert m.detail["month"].dt.month.tolist() == [1, 2, 3]
    assert m.detail["digital"].tolist() == pytest.approx([0.5, 1.0, 0.0])
    assert m.detail["orders"].tolist() == [2, 2, 1]
    assert m.detail["current"].tolist() == [False, True, True]


def test_digital_share_without_order_times_has_no_detail():
    orders = pd.DataFrame({"order_id": ["o1"], "channel": ["app"]})
    m = _measure("digital_share", _data(_config(digital_channels=["app"]), orders=orders))
    assert m.value == pytest.approx(1.0) and m.detail is None


# --- cost to serve by channel ---------------------------------------------------------------


def test_cost_to_serve_detail_per_channel():
    # app: 2 orders, revenue 200, cost 20 -> ratio 0.1, 10 per order, 2 of 3 orders
    # store: 1 order, revenue 300, cost 45 -> ratio 0.15, 45 per order, 1 of 3 orders
    orders = pd.DataFrame({"order_id": ["o1", "o2", "o3"], "channel": ["app", "app", "store"],
                           "amount": [100.0, 100.0, 300.0]})  # fmt: skip
    costs = pd.DataFrame({"period": pd.to_datetime(["2024-01-01"] * 3),
                          "channel": ["app", "store", "store"],
                          "service_cost": [20.0, 30.0, 15.0]})  # fmt: skip
    m = _measure("cost_to_serve_ratio", _data(orders=orders, costs=costs))
    assert m.value == pytest.approx(65 / 500)
    d = m.detail.set_index("channel")
    assert d["cost_to_serve"].to_dict() == pytest.approx({"app": 0.1, "store": 0.15})
    assert d["cost_per_order"].to_dict() == pytest.approx({"app": 10.0, "store": 45.0})
    assert d["order_share"].to_dict() == pytest.approx({"app": 2 / 3, "store": 1 / 3})
    assert d["orders"].to_dict() == {"app": 2, "store": 1}


def test_cost_to_serve_without_costs_is_not_measured():
    orders = pd.DataFrame({"order_id": ["o1"], "channel": ["app"], "amount": [10.0]})
    assert get("cost_to_serve_ratio").measure(_data(orders=orders)) is None


def test_nps_detail_gives_the_answer_mix_per_touchpoint():
    config = client_config(channels=["app"])
    # app: 10, 9, 3 -> promoters 2/3, passives 0, detractors 1/3
    # store: 8, 7 -> passives 2/2
    survey = pd.DataFrame(
        {
            "response_id": list("abcde"),
            "touchpoint": ["app", "app", "app", "store", "store"],
            "nps": [10.0, 9.0, 3.0, 8.0, 7.0],
        }
    )
    m = get("nps").measure(ClientData(config, {"orders": pd.DataFrame(), "survey": survey}))
    mix = m.detail.set_index("touchpoint")
    assert mix.loc["app", "promoters"] == pytest.approx(2 / 3)
    assert mix.loc["app", "detractors"] == pytest.approx(1 / 3)
    assert mix.loc["store", "passives"] == pytest.approx(1.0)
    # overall: 2 promoters, 1 detractor of 5 -> (2 - 1) / 5 * 100 = 20
    assert m.value == pytest.approx(20.0)
