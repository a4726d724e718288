"""Diagnosis: periods, weakest members, action conditions and element scores, by hand."""

import pandas as pd
import pytest

from playbook.content import Framework
from playbook.data.contract import Assessment
from playbook.data.model import ClientData
from playbook.diagnosis import core as diagnosis
from playbook.indicators.registry import Measurement, indicator
from tests.conftest import client_config

TEST_INDICATOR = "_test_big_order_share"


@indicator(TEST_INDICATOR, requires={"orders": ("amount",)}, dimension="channel")
def _big_order_share(data: ClientData) -> Measurement | None:
    orders = data.orders
    if orders.empty:
        return None
    big = orders["amount"] >= 100
    by = big.groupby(orders["channel"]).mean()
    return Measurement(float(big.mean()), len(orders), by, orders.groupby("channel").size())


NAN_INDICATOR = "_test_share_of_nothing"


@indicator(NAN_INDICATOR, requires={"orders": ("amount",)})
def _share_of_nothing(data: ClientData) -> Measurement | None:
    # e.g. 0 / 0: a share of a total that is zero
    return Measurement(float("nan"), len(data.orders))


def _data(amounts, times, channels=None, assessment=None, **config) -> ClientData:
    orders = pd.DataFrame(
        {
            "order_id": [str(i) for i in range(len(amounts))],
            "customer_id": ["c"] * len(amounts),
            "order_time": pd.to_datetime(times),
            "channel": channels or ["app"] * len(amounts),
            "amount": [float(a) for a in amounts],
        }
    )
    return ClientData(client_config(**config), {"orders": orders}, assessment)


def _framework(actions=None) -> Framework:
    text = {"zh": "中", "en": "x"}
    return Framework.model_validate(
        {
            "id": "toy",
            "order": 99,
            "source": "none",
            "title": text,
            "question": text,
            "summary": text,
            "elements": [
                {
                    "id": "big",
                    "title": text,
                    "tagline": text,
                    "key_points": [text],
                    "indicators": [
                        {
                            "id": TEST_INDICATOR,
                            "direction": "higher",
                            "target": 0.8,
                            "floor": 0.4,
                            "weight": 1,
                        }
                    ],
                    "actions": actions
                    or [
                        {
                            "id": "fix",
                            "text": text,
                            "when": {"band": ["gap"]},
                            "kpi": text,
                            "horizon_days": 30,
                            "owner": text,
                        },
                        {
                            "id": "keep",
                            "text": text,
                            "when": {"band": ["strong"]},
                            "kpi": text,
                            "horizon_days": 90,
                            "owner": text,
                        },
                        {
                            "id": "measure",
                            "text": text,
                            "when": {"no_data": True},
                            "kpi": text,
                            "horizon_days": 30,
                            "owner": text,
                        },
                        {
                            "id": "low",
                            "text": text,
                            "when": {"indicator": TEST_INDICATOR, "below": 0.5},
                            "kpi": text,
                            "horizon_days": 60,
                            "owner": text,
                        },
                    ],
                }
            ],
        }
    )


def test_period_ends_after_the_last_order_day_and_has_a_previous_twin():
    data = _data([10, 20], ["2025-01-05 10:00", "2025-03-31 18:30"])
    period = diagnosis.analysis_period(data, None, 30)
    # last order day 2025-03-31 -> end exclusive 2025-04-01, start 30 days earlier: 2025-03-02
    assert period.end == pd.Timestamp("2025-04-01")
    assert period.start == pd.Timestamp("2025-03-02")
    assert period.days == 30
    assert period.previous.start == pd.Timestamp("2025-01-31")
    assert period.previous.end == pd.Timestamp("2025-03-02")


def test_period_rejects_a_bad_date_and_a_bad_length():
    data = _data([10], ["2025-01-05"])
    with pytest.raises(ValueError, match="as_of"):
        diagnosis.analysis_period(data, "yesterday-ish", 30)
    with pytest.raises(ValueError, match="period_days"):
        diagnosis.analysis_period(data, None, 0)


def test_weakest_member_respects_direction_and_minimum_rows():
    by = pd.Series({"app": 0.9, "phone": 0.5, "store": 0.7})
    n = pd.Series({"app": 50, "phone": 3, "store": 40})
    # phone has only 3 rows (< 10): ignored, so the weakest of app/store is store
    assert diagnosis.weakest_member(by, n, "higher") == ("store", 0.7)
    assert diagnosis.weakest_member(by, n, "lower") == ("app", 0.9)
    assert diagnosis.weakest_member(pd.Series({"app": 0.9}), None, "higher") is None
    assert diagnosis.weakest_member(None, None, "higher") is None


def test_weakest_member_leaves_out_missing_values_and_counts_unknown_rows_as_none():
    by = pd.Series({"app": 0.9, "phone": float("nan"), "store": 0.7, "web": 0.4})
    n = pd.Series({"app": 50, "phone": 50, "store": 40})  # web's rows unknown: 0 (< 10)
    assert diagnosis.weakest_member(by, n, "higher") == ("store", 0.7)
    nullable = pd.Series([0.9, None, 0.6], index=["app", "phone", "store"], dtype="Float64")
    assert diagnosis.weakest_member(nullable, None, "higher") == ("store", 0.6)
    assert diagnosis.weakest_member(pd.Series({"app": 0.9, "web": None}), None, "lower") is None


def test_no_weakest_among_equals_at_the_bottom():
    n = pd.Series({"app": 50, "web": 50, "store": 50})
    tied = pd.Series({"app": 0.80, "web": 0.80, "store": 0.95})
    assert diagnosis.weakest_member(tied, n, "higher") is None  # not "app" for sorting first
    close = pd.Series({"app": 0.80, "web": 0.81, "store": 0.95})
    assert diagnosis.weakest_member(close, n, "higher", material=0.02) == ("app", 0.80)
    assert diagnosis.weakest_member(tied, n, "lower") == ("store", 0.95)


def test_element_scored_from_data_with_trend_and_actions():
    # previous 30 days: 1 of 2 orders >= 100 (0.5); current: 3 of 5 (0.6)
    times = ["2025-02-10", "2025-02-20"] + ["2025-03-10"] * 5
    amounts = [150, 20, 100, 120, 300, 10, 50]
    data = _data(amounts, times)
    period = diagnosis.analysis_period(data, "2025-03-31", 30)
    prior = data.between(period.previous.start, period.previous.end)
    current = data.between(period.start, period.end, prior=prior)
    fw = _framework()
    diag = diagnosis.diagnose_element(fw, fw.elements[0], current)
    (result,) = diag.indicators
    assert result.value == pytest.approx(0.6)
    assert result.previous == pytest.approx(0.5)
    assert result.n == 5
    # (0.6 - 0.4) / (0.8 - 0.4) = 50 -> developing; no workshop -> basis data
    assert result.score == pytest.approx(50.0)
    assert diag.score == pytest.approx(50.0)
    assert diag.band == "developing"
    assert diag.basis == "data"
    # band developing: neither fix (gap) nor keep (strong); 0.6 is not below 0.5
    assert [a.id for a in diag.actions] == []


def test_element_blends_workshop_and_picks_gap_actions():
    times = ["2025-03-10"] * 4
    data = _data(
        [100, 10, 10, 10],
        times,
        assessment=Assessment(frameworks={"toy": {"big": {"score": 2, "evidence": "e"}}}),
    )
    period = diagnosis.analysis_period(data, "2025-03-31", 30)
    current = data.between(period.start, period.end)
    fw = _framework()
    diag = diagnosis.diagnose_element(fw, fw.elements[0], current)
    # data: 1/4 = 0.25 -> below floor 0.4 -> 0; workshop 2/5 -> 25; blend 0.7*0 + 0.3*25 = 7.5
    assert diag.score == pytest.approx(7.5)
    assert diag.basis == "blended"
    assert diag.band == "gap"
    assert [a.id for a in diag.actions] == ["fix", "low"]


def test_element_without_data_uses_assessment_or_is_not_assessed():
    data = _data([100], ["2025-03-10"])
    no_amount = ClientData(
        data.config,
        {"orders": data.orders.drop(columns="amount")},
        Assessment(frameworks={"toy": {"big": {"score": 5}}}),
    )
    fw = _framework()
    diag = diagnosis.diagnose_element(fw, fw.elements[0], no_amount)
    assert diag.indicators[0].missing == ("orders.amount",)
    assert diag.score == 100.0 and diag.basis == "assessment" and diag.band == "strong"
    assert [a.id for a in diag.actions] == ["keep", "measure"]
    bare = ClientData(data.config, no_amount.tables, None)
    diag = diagnosis.diagnose_element(fw, fw.elements[0], bare)
    assert diag.score is None and diag.band is None and diag.basis == "none"
    assert [a.id for a in diag.actions] == ["measure"]


def test_client_benchmark_overrides_the_content_scale():
    from playbook.data.contract import Benchmark

    data = _data(
        [100, 10], ["2025-03-10"] * 2, benchmarks={TEST_INDICATOR: Benchmark(target=0.5, floor=0.1)}
    )
    fw = _framework()
    diag = diagnosis.diagnose_element(fw, fw.elements[0], data)
    # 1/2 = 0.5 meets the client's own target 0.5 -> 100
    assert diag.indicators[0].target == 0.5
    assert diag.score == pytest.approx(100.0)


def test_diagnose_rejects_a_period_without_orders():
    data = _data([100], ["2025-03-10"])
    with pytest.raises(ValueError, match="no orders between"):
        diagnosis.diagnose("exceed_expectations", data, as_of="2020-01-01", period_days=30)


# --- what trends compare with ---------------------------------------------------------------


def test_trend_compares_with_the_same_period_a_year_earlier_when_history_allows():
    # 30 days to 2025-03-31: 2025-03-02..04-01. 52 weeks earlier (364 days; 2024 is a leap
    # year, so 365 days back from 2025-03-02 is 2024-03-02): 2024-03-03..04-02.
    # Year-earlier window: orders on 2024-03-10 (150) and 2024-03-20 (20): 1 of 2 big = 0.5;
    # the 30 days just before (2025-01-31..03-02) hold 2025-02-10 (10): 0 of 1 = 0.0.
    times = ["2024-01-01", "2024-03-10", "2024-03-20", "2025-02-10"] + ["2025-03-10"] * 4
    amounts = [10, 150, 20, 10, 100, 120, 300, 10]
    data = _data(amounts, times)
    period = diagnosis.analysis_period(data, "2025-03-31", 30)
    assert period.comparison == "year"
    assert period.compared.start == pd.Timestamp("2024-03-03")
    assert period.compared.end == pd.Timestamp("2024-04-02")
    fw = _framework()
    result = next(diagnosis._iter_diagnoses(data, "2025-03-31", 30, [fw])).elements[0].indicators[0]
    assert result.value == pytest.approx(0.75)  # 3 of 4 orders >= 100
    assert result.previous == pytest.approx(0.5)  # the year-earlier window, not 0.0
    assert result.comparison == "year"


def test_trend_compares_with_the_previous_period_without_a_year_of_history():
    # first order 2024-03-04: one day short of 52 weeks before 2025-03-02
    data = _data([10, 150, 100], ["2024-03-04", "2025-02-10", "2025-03-10"])
    period = diagnosis.analysis_period(data, "2025-03-31", 30)
    assert period.comparison == "previous"
    assert period.compared == period.previous
    result = next(diagnosis._iter_diagnoses(data, "2025-03-31", 30, [_framework()]))
    (r,) = result.elements[0].indicators
    assert (r.value, r.previous, r.comparison) == (1.0, 1.0, "previous")


# --- "weakest" only when the difference is material ---------------------------------------


def test_no_weakest_member_when_every_member_is_equal_or_nearly_so():
    n = pd.Series({"corporate": 40, "leisure": 60})
    zeros = pd.Series({"corporate": 0.0, "leisure": 0.0})
    assert diagnosis.weakest_member(zeros, n, "higher", material=0.02) is None
    # 1.5 points apart is within 2 points: not material; 2.5 points apart is
    close = pd.Series({"corporate": 0.300, "leisure": 0.315})
    assert diagnosis.weakest_member(close, n, "higher", material=0.02) is None
    apart = pd.Series({"corporate": 0.300, "leisure": 0.325})
    assert diagnosis.weakest_member(apart, n, "higher", material=0.02) == ("corporate", 0.3)
    assert diagnosis.material_spread("multichannel_customer_share") == 0.02  # pct: 2 points


def test_an_all_zero_breakdown_is_even_and_names_no_weakest():
    from playbook.content import IndicatorRef

    # one order per customer on each channel: nobody uses two channels, every channel 0.0 %
    orders = pd.DataFrame(
        {
            "order_id": [str(i) for i in range(24)],
            "customer_id": [f"c{i}" for i in range(24)],
            "order_time": pd.Timestamp("2025-03-10"),
            "channel": ["app"] * 12 + ["store"] * 12,
            "amount": 10.0,
        }
    )
    ref = IndicatorRef(id="multichannel_customer_share", direction="higher", target=0.3, floor=0.05)
    result = diagnosis.measure_indicator(ref, ClientData(client_config(), {"orders": orders}))
    assert result.value == 0.0
    assert result.by.to_dict() == {"app": 0.0, "store": 0.0}
    assert result.weakest is None and result.even


def test_a_breakdown_by_a_label_column_is_handed_on_as_text():
    times = ["2025-03-10"] * 4
    data = _data([150, 20, 100, 10], times, channels=["store", "app", "store", "app"])
    data.orders["channel"] = data.orders["channel"].astype("category")
    period = diagnosis.analysis_period(data, "2025-03-31", 30)
    fw = _framework()
    diag = diagnosis.diagnose_element(fw, fw.elements[0], data.between(period.start, period.end))
    (result,) = diag.indicators
    # app: 20 and 10, none >= 100 -> 0.0; store: 150 and 100 -> 1.0
    assert result.by.to_dict() == {"app": 0.0, "store": 1.0}
    assert result.by_n.to_dict() == {"app": 2, "store": 2}
    for breakdown in (result.by, result.by_n):
        assert not isinstance(breakdown.index.dtype, pd.CategoricalDtype)
    assert result.weakest == ("app", 0.0)


def test_a_value_that_is_not_a_number_is_not_measured():
    fw = _framework()
    ref = fw.elements[0].indicators[0].model_copy(update={"id": NAN_INDICATOR})
    element = fw.elements[0].model_copy(update={"indicators": [ref]})
    data = _data([5, 0], ["2025-03-10"] * 2)

    diag = diagnosis.diagnose_element(fw, element, data)

    (result,) = diag.indicators
    assert result.value is None and result.score is None  # not 0 (a gap), not "nan"
    assert diag.score is None and diag.basis == "none"
