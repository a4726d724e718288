"""Survey/journey indicators on tiny hand-written frames; expectations computed by hand."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from playbook.data.model import ClientData
from playbook.indicators import get, registered
from playbook.indicators.experience import purchase_stages
from tests.conftest import client_config

NAN = float("nan")
STAGES = ["discover", "order", "pickup"]


def _data(
    stages: list[str] | None = None, purchase: list[str] | None = None, **tables: pd.DataFrame
) -> ClientData:
    config = client_config(
        journey_stages=STAGES if stages is None else stages, purchase_stages=purchase or []
    )
    return ClientData(config=config, tables=tables)


def _survey(**columns) -> pd.DataFrame:
    n = len(next(iter(columns.values())))
    return pd.DataFrame({"response_id": [f"r{i}" for i in range(n)], **columns})


def _journey(rows: list[tuple[str, int, str, str]], **extra) -> pd.DataFrame:
    """Build journey events from (customer_id, hour, stage, channel) tuples."""
    customer, hour, stage, channel = zip(*rows, strict=True)
    return pd.DataFrame(
        {
            "customer_id": customer,
            "event_time": pd.Timestamp("2024-01-01") + pd.to_timedelta(hour, unit="h"),
            "stage": stage,
            "touchpoint": "app_page",
            "channel": channel,
            **extra,
        }
    )


def _measure(indicator_id: str, data: ClientData):
    m = get(indicator_id).measure(data)
    assert m is not None
    return m


def _assert_missing(indicator_id: str, data: ClientData, expected: list[str]) -> None:
    assert get(indicator_id).missing_inputs(data) == expected
    assert get(indicator_id).measure(data) is None


CATALOGUE = {
    "reliability_gap": "touchpoint",
    "delight_share": "touchpoint",
    "top_box_csat": "touchpoint",
    "csat_mean": "touchpoint",
    "nps": "touchpoint",
    "csat_spread_by_tier": "tier",
    "segment_csat_min": "segment",
    "channel_csat_consistency": "channel",
    "touchpoint_csat_consistency": "touchpoint",
    "cross_channel_journey_share": "channel",
    "worst_stage_conversion": "stage",
    "journey_completion_rate": "channel",
    "tracked_progress_share": "stage",
}


def test_every_experience_indicator_is_registered_with_its_dimension():
    reg = registered()
    assert {i: reg[i].dimension for i in CATALOGUE if i in reg} == CATALOGUE


# --- SERVQUAL -------------------------------------------------------------------------


def test_reliability_gap_is_mean_perception_minus_expectation():
    # gaps: app 6-5=+1, app 5-6=-1, store 3-6=-3 -> mean -1.0; app 0.0 (2), store -3.0 (1)
    s = _survey(
        touchpoint=["app", "app", "store"],
        expectation_reliability=[5.0, 6.0, 6.0],
        perception_reliability=[6.0, 5.0, 3.0],
    )
    m = _measure("reliability_gap", _data(survey=s))
    assert (m.value, m.n) == (pytest.approx(-1.0), 3)
    assert m.by["app"] == pytest.approx(0.0) and m.by["store"] == pytest.approx(-3.0)
    assert list(m.by_n) == [2, 1]


def test_reliability_gap_missing_column_and_no_pairs():
    s = _survey(expectation_reliability=[5.0])
    _assert_missing("reliability_gap", _data(survey=s), ["survey.perception_reliability"])
    # each side answered, but never on the same response -> no usable gap
    s = _survey(expectation_reliability=[5.0, NAN], perception_reliability=[NAN, 6.0])
    assert get("reliability_gap").measure(_data(survey=s)) is None


def test_delight_share_compares_means_over_dims_answered_on_both_sides():
    # r0 app:   perception (6,5)=5.5 > expectation (5,5)=5.0 -> delighted
    # r1 app:   perception (5,5)=5.0 = expectation (6,4)=5.0 -> not
    # r2 store: empathy has no expectation -> reliability only: 6 > 4 -> delighted
    #           (had perception_empathy=2 counted, 4.0 = 4.0 would not be)
    # r3 store: nothing answered -> left out.  2 of 3 -> 0.667; app 1/2, store 1/1
    s = _survey(
        touchpoint=["app", "app", "store", "store"],
        expectation_reliability=[5.0, 6.0, 4.0, NAN],
        perception_reliability=[6.0, 5.0, 6.0, NAN],
        expectation_empathy=[5.0, 4.0, NAN, NAN],
        perception_empathy=[5.0, 5.0, 2.0, NAN],
    )
    m = _measure("delight_share", _data(survey=s))
    assert (m.value, m.n) == (pytest.approx(2 / 3), 3)
    assert m.by.to_dict() == {"app": pytest.approx(0.5), "store": pytest.approx(1.0)}


def test_delight_share_without_servqual_pairs_or_survey():
    s = _survey(csat=[5.0], perception_reliability=[6.0])  # no expectation side
    assert get("delight_share").missing_inputs(_data(survey=s)) == []
    assert get("delight_share").measure(_data(survey=s)) is None
    _assert_missing("delight_share", _data(), ["survey"])


# --- CSAT and NPS -----------------------------------------------------------------------


def test_top_box_csat_is_share_of_fives():
    # answers 5,5 (app), 4,3 (store), blank -> 2 of 4 = 0.5; app 2/2 = 1.0, store 0/2 = 0.0
    s = _survey(touchpoint=["app", "app", "store", "store", "app"], csat=[5.0, 5.0, 4.0, 3.0, NAN])
    m = _measure("top_box_csat", _data(survey=s))
    assert (m.value, m.n) == (pytest.approx(0.5), 4)
    assert m.by["app"] == pytest.approx(1.0) and m.by["store"] == pytest.approx(0.0)
    assert m.by_n.to_dict() == {"app": 2, "store": 2}


def test_top_box_csat_missing_column():
    _assert_missing("top_box_csat", _data(survey=_survey(nps=[9.0])), ["survey.csat"])


def test_csat_mean_overall_and_by_touchpoint():
    # 5,4,3,2 -> 3.5 over 4; app (5,4) 4.5; store 3.0; the row without touchpoint counts
    # only in the overall mean
    s = _survey(touchpoint=["app", "app", "store", None], csat=[5.0, 4.0, 3.0, 2.0])
    m = _measure("csat_mean", _data(survey=s))
    assert (m.value, m.n) == (pytest.approx(3.5), 4)
    assert m.by.to_dict() == {"app": pytest.approx(4.5), "store": pytest.approx(3.0)}
    assert m.by_n.to_dict() == {"app": 2, "store": 1}


def test_csat_mean_without_touchpoint_has_no_breakdown():
    m = _measure("csat_mean", _data(survey=_survey(csat=[4.0, 2.0])))  # (4+2)/2 = 3.0
    assert m.value == pytest.approx(3.0) and m.by is None


def test_csat_mean_no_rows():
    empty = _survey(csat=[]).astype({"csat": float})
    _assert_missing("csat_mean", _data(survey=empty), ["survey"])


def test_nps_promoters_minus_detractors_in_points():
    # answers 10,9,7,3 -> promoters 2/4, detractors 1/4 -> 25.0
    # app (10,9) -> 100.0; store (7 passive, 3 detractor) -> -50.0
    s = _survey(touchpoint=["app", "app", "store", "store"], nps=[10.0, 9.0, 7.0, 3.0])
    m = _measure("nps", _data(survey=s))
    assert (m.value, m.n) == (pytest.approx(25.0), 4)
    assert m.by.to_dict() == {"app": pytest.approx(100.0), "store": pytest.approx(-50.0)}


def test_nps_boundaries_and_missing_column():
    # 6 is a detractor, 8 a passive, blank ignored -> (-100 + 0) / 2 = -50.0
    m = _measure("nps", _data(survey=_survey(nps=[6.0, 8.0, NAN])))
    assert (m.value, m.n) == (pytest.approx(-50.0), 2)
    _assert_missing("nps", _data(survey=_survey(csat=[5.0])), ["survey.nps"])


# --- CSAT across tiers, segments, channels, touchpoints ----------------------------------

CUSTOMERS = pd.DataFrame(
    {
        "customer_id": ["c1", "c2", "c3"],
        "signup_date": pd.to_datetime(["2023-01-01"] * 3),
        "tier": ["gold", "silver", "silver"],
        "segment": ["office", "student", "student"],
    }
)


def test_csat_spread_by_tier_joins_customers():
    # gold: c1 5,4 -> 4.5; silver: c2 3, c3 2 -> 2.5; c9 is unknown -> left out
    # spread 4.5 - 2.5 = 2.0 over 4 joined responses
    s = _survey(customer_id=["c1", "c1", "c2", "c3", "c9"], csat=[5.0, 4.0, 3.0, 2.0, 1.0])
    m = _measure("csat_spread_by_tier", _data(survey=s, customers=CUSTOMERS))
    assert (m.value, m.n) == (pytest.approx(2.0), 4)
    assert m.by.to_dict() == {"gold": pytest.approx(4.5), "silver": pytest.approx(2.5)}
    assert m.by_n.to_dict() == {"gold": 2, "silver": 2}


def test_csat_spread_by_tier_needs_two_tiers_and_the_tier_column():
    s = _survey(customer_id=["c2", "c3"], csat=[3.0, 2.0])  # silver only
    assert get("csat_spread_by_tier").measure(_data(survey=s, customers=CUSTOMERS)) is None
    no_tier = CUSTOMERS.drop(columns="tier")
    _assert_missing("csat_spread_by_tier", _data(survey=s, customers=no_tier), ["customers.tier"])


def test_segment_csat_min_is_lowest_segment_mean():
    # office: c1 4 -> 4.0; student: c2 2, c3 3 -> 2.5 -> min 2.5 over 3 responses
    s = _survey(customer_id=["c1", "c2", "c3"], csat=[4.0, 2.0, 3.0])
    m = _measure("segment_csat_min", _data(survey=s, customers=CUSTOMERS))
    assert (m.value, m.n) == (pytest.approx(2.5), 3)
    assert m.by["student"] == pytest.approx(2.5) and m.by["office"] == pytest.approx(4.0)


def test_segment_csat_min_unknown_customers_and_missing_column():
    s = _survey(customer_id=["c8", "c9"], csat=[4.0, 2.0])  # none in customers
    assert get("segment_csat_min").measure(_data(survey=s, customers=CUSTOMERS)) is None
    _assert_missing("segment_csat_min", _data(survey=s), ["customers"])


def test_channel_csat_consistency_is_max_minus_min():
    # app (5,3) -> 4.0; store (2) -> 2.0 -> 2.0 over 3 responses
    s = _survey(channel=["app", "app", "store"], csat=[5.0, 3.0, 2.0])
    m = _measure("channel_csat_consistency", _data(survey=s))
    assert (m.value, m.n) == (pytest.approx(2.0), 3)
    assert m.by["store"] == pytest.approx(2.0)


def test_channel_csat_consistency_single_channel_and_missing_column():
    s = _survey(channel=["app", "app"], csat=[5.0, 3.0])
    assert get("channel_csat_consistency").measure(_data(survey=s)) is None
    _assert_missing(
        "channel_csat_consistency", _data(survey=_survey(csat=[5.0])), ["survey.channel"]
    )


def test_touchpoint_csat_consistency_is_max_minus_min():
    # app 4.0; counter (5,3) 4.0; delivery 1.0 -> 4.0 - 1.0 = 3.0 over 4 responses
    s = _survey(touchpoint=["app", "counter", "counter", "delivery"], csat=[4.0, 5.0, 3.0, 1.0])
    m = _measure("touchpoint_csat_consistency", _data(survey=s))
    assert (m.value, m.n) == (pytest.approx(3.0), 4)
    assert m.by["delivery"] == pytest.approx(1.0) and m.by_n["counter"] == 2


def test_touchpoint_csat_consistency_missing_column():
    _assert_missing(
        "touchpoint_csat_consistency", _data(survey=_survey(csat=[5.0])), ["survey.touchpoint"]
    )


# --- journey --------------------------------------------------------------------------


def test_cross_channel_journey_share_by_entry_channel():
    # c1 app->store multi (entry app); c2 store only; c3 store at 1h, app at 2h (listed
    # first) -> multi, entry store; c4 app only; c5 store->app multi (entry store)
    # 3 of 5 -> 0.6; app: c1 yes, c4 no -> 0.5; store: c2 no, c3 yes, c5 yes -> 2/3
    j = _journey(
        [
            ("c1", 1, "discover", "app"),
            ("c1", 2, "order", "store"),
            ("c2", 1, "discover", "store"),
            ("c2", 2, "order", "store"),
            ("c3", 2, "order", "app"),
            ("c3", 1, "discover", "store"),
            ("c4", 1, "discover", "app"),
            ("c5", 1, "discover", "store"),
            ("c5", 2, "order", "app"),
        ]
    )
    m = _measure("cross_channel_journey_share", _data(journey=j))
    assert (m.value, m.n) == (pytest.approx(0.6), 5)
    assert m.by.to_dict() == {"app": pytest.approx(0.5), "store": pytest.approx(2 / 3)}
    assert m.by_n.to_dict() == {"app": 2, "store": 3}


def test_cross_channel_journey_share_missing_column():
    j = _journey([("c1", 1, "discover", "app")]).drop(columns="channel")
    _assert_missing("cross_channel_journey_share", _data(journey=j), ["journey.channel"])


def test_worst_stage_conversion_counts_customers_reaching_both_stages():
    # reach: discover c1,c2,c3 (3); order c1,c2,c4,c5 (4); pickup c1,c4 (2); c6 only has an
    # undeclared stage -> ignored. discover->order: both c1,c2 = 2/3 (a plain 4/3 would
    # exceed 1); order->pickup: both c1,c4 = 2/4 = 0.5 -> worst 0.5 over 5 customers
    j = _journey(
        [
            ("c1", 1, "discover", "app"),
            ("c1", 2, "order", "app"),
            ("c1", 3, "pickup", "app"),
            ("c2", 1, "discover", "app"),
            ("c2", 2, "order", "app"),
            ("c3", 1, "discover", "app"),
            ("c4", 1, "order", "app"),
            ("c4", 2, "pickup", "app"),
            ("c5", 1, "order", "store"),
            ("c6", 1, "browse", "app"),
        ]
    )
    m = _measure("worst_stage_conversion", _data(journey=j))
    assert (m.value, m.n) == (pytest.approx(0.5), 5)
    assert m.by.to_dict() == {"order": pytest.approx(2 / 3), "pickup": pytest.approx(0.5)}
    assert m.by_n.to_dict() == {"order": 3, "pickup": 4}
    assert list(m.detail["stage"]) == STAGES
    assert list(m.detail["customers"]) == [3, 4, 2]
    conv = list(m.detail["conversion"])
    assert math.isnan(conv[0]) and conv[1:] == [pytest.approx(2 / 3), pytest.approx(0.5)]


#: discover -> order: c1, c2 of c1, c2, c3 = 2/3; order -> pickup: c1 of c1, c2 = 1/2
FUNNEL = [
    ("c1", 1, "discover", "app"),
    ("c1", 2, "order", "app"),
    ("c1", 3, "pickup", "app"),
    ("c2", 1, "discover", "app"),
    ("c2", 2, "order", "app"),
    ("c3", 1, "discover", "app"),
]


def test_worst_stage_conversion_skips_post_purchase_steps():
    # pickup is post-purchase: its 1/2 is shown in the funnel but the weakest purchase step
    # is discover -> order at 2/3
    m = _measure(
        "worst_stage_conversion", _data(purchase=["discover", "order"], journey=_journey(FUNNEL))
    )
    assert m.value == pytest.approx(2 / 3)
    assert m.by.to_dict() == {"order": pytest.approx(2 / 3)}
    assert list(m.detail["purchase"]) == [True, True, False]
    assert m.detail["conversion"].iloc[2] == pytest.approx(0.5)


def test_purchase_funnel_ends_at_the_stage_that_carries_order_ids():
    # nothing declared: the order events carry order ids, so order ends the purchase funnel
    order_ids = [None, "o1", None, None, "o2", None]
    j = _journey(FUNNEL, order_id=order_ids)
    assert purchase_stages(_data(journey=j)) == ["discover", "order"]
    assert _measure("worst_stage_conversion", _data(journey=j)).value == pytest.approx(2 / 3)
    # completion = reaching order: c1, c2 of 3 customers
    assert _measure("journey_completion_rate", _data(journey=j)).value == pytest.approx(2 / 3)
    # no order ids and nothing declared: every declared stage is a purchase stage
    assert purchase_stages(_data(journey=_journey(FUNNEL))) == STAGES


def test_purchase_stages_must_follow_the_journey_order():
    with pytest.raises(ValueError, match="purchase_stages must be journey_stages"):
        _data(purchase=["order", "discover"])
    with pytest.raises(ValueError, match="purchase_stages must be journey_stages"):
        _data(purchase=["discover", "checkout"])


def test_worst_stage_conversion_needs_stages_and_customers_at_them():
    j = _journey([("c1", 1, "discover", "app"), ("c1", 2, "order", "app")])
    _assert_missing(
        "worst_stage_conversion", _data(stages=[], journey=j), ["client.yaml: journey_stages"]
    )
    assert get("worst_stage_conversion").measure(_data(stages=["discover"], journey=j)) is None
    off_funnel = _journey([("c1", 1, "browse", "app")])
    assert get("worst_stage_conversion").measure(_data(journey=off_funnel)) is None


def test_journey_completion_rate_by_entry_channel():
    # last stage is pickup. c1 app: discover, pickup -> done; c2 store: discover -> not;
    # c3 store: order, then pickup on app -> done (entry store); c4 app: discover -> not;
    # c5 app: discover, order -> not.  2 of 5 = 0.4; app 1/3; store 1/2
    j = _journey(
        [
            ("c1", 1, "discover", "app"),
            ("c1", 2, "pickup", "app"),
            ("c2", 1, "discover", "store"),
            ("c3", 1, "order", "store"),
            ("c3", 2, "pickup", "app"),
            ("c4", 1, "discover", "app"),
            ("c5", 1, "discover", "app"),
            ("c5", 2, "order", "app"),
        ]
    )
    m = _measure("journey_completion_rate", _data(journey=j))
    assert (m.value, m.n) == (pytest.approx(0.4), 5)
    assert m.by.to_dict() == {"app": pytest.approx(1 / 3), "store": pytest.approx(0.5)}


def test_journey_completion_rate_missing_stages_or_table():
    j = _journey([("c1", 1, "pickup", "app")])
    _assert_missing(
        "journey_completion_rate", _data(stages=[], journey=j), ["client.yaml: journey_stages"]
    )
    _assert_missing("journey_completion_rate", _data(), ["journey"])


def test_tracked_progress_share_by_stage():
    # tracked T,F at discover -> 0.5; T,T at order -> 1.0; overall 3 of 4 = 0.75
    j = _journey(
        [
            ("c1", 1, "discover", "app"),
            ("c2", 1, "discover", "app"),
            ("c1", 2, "order", "app"),
            ("c2", 2, "order", "app"),
        ],
        tracked=[True, False, True, True],
    )
    m = _measure("tracked_progress_share", _data(journey=j))
    assert (m.value, m.n) == (pytest.approx(0.75), 4)
    assert m.by.to_dict() == {"discover": pytest.approx(0.5), "order": pytest.approx(1.0)}


def test_tracked_progress_share_missing_column():
    j = _journey([("c1", 1, "discover", "app")])
    _assert_missing("tracked_progress_share", _data(journey=j), ["journey.tracked"])
