"""Finding sentences, checked against hand-written expectations."""

import pandas as pd
import pytest

from playbook.content import IndicatorRef
from playbook.diagnosis import IndicatorResult
from playbook.pages.findings import indicator_finding
from tests.conftest import client_config


def _result(value, previous, weakest, missing=()):
    ref = IndicatorRef(id="promise_kept_rate", direction="higher", target=0.95, floor=0.8)
    return IndicatorResult(
        ref, 0.95, 0.8, value, previous, None, 100, None, None, weakest, tuple(missing), None
    )


def test_finding_reads_like_the_design_example():
    # 87.2 % vs target 95 %: -7.8 pts; previous 89.3 % -> -2.1 pts; weakest channel delivery
    text = indicator_finding(_result(0.872, 0.893, ("delivery", 0.795)), "en", 90)
    assert "87.2%" in text and "95.0%" in text
    assert "\u22127.8 pts" in text
    assert "\u22122.1 pts vs the previous 90 days" in text
    assert "delivery at 79.5%" in text
    assert text.endswith(".")


def test_finding_in_chinese_and_on_target():
    text = indicator_finding(_result(0.97, None, None), "zh", 90)
    assert "97.0%" in text and "已达标" in text
    assert text.endswith("。")
    assert "较前" not in text  # no previous period, no trend clause


def test_finding_without_data_names_what_would_measure_it():
    text = indicator_finding(
        _result(None, None, None, missing=("orders.promised_minutes",)), "en", 90
    )
    assert text == (
        "Promise-kept rate: not measured yet; it would be measured from the promised and actual "
        "delivery time of each order"
    )


def test_finding_for_unknown_indicator_fails_loudly():
    ref = IndicatorRef(id="no_such_indicator", direction="higher", target=1, floor=0)
    result = IndicatorResult(
        ref, 1, 0, 0.5, None, 50, 1, pd.Series(dtype=float), None, None, (), None
    )
    with pytest.raises(KeyError):
        indicator_finding(result, "en", 90)


def test_spread_finding_names_the_lowest_scoring_member_in_csat_units():
    from playbook.data.model import ClientData
    from playbook.diagnosis.core import measure_indicator

    config = client_config()
    # app answers: 5 x 12 -> mean 5; store answers: 3 x 12 -> mean 3; spread 5 - 3 = 2 points
    survey = pd.DataFrame(
        {
            "response_id": [str(i) for i in range(24)],
            "channel": ["app"] * 12 + ["store"] * 12,
            "csat": [5.0] * 12 + [3.0] * 12,
        }
    )
    ref = IndicatorRef(id="channel_csat_consistency", direction="lower", target=0.3, floor=1.5)
    result = measure_indicator(
        ref, ClientData(config, {"orders": pd.DataFrame(), "survey": survey})
    )
    assert result.value == pytest.approx(2.0)
    # the weakest channel is the one with the LOWER mean CSAT, shown as a CSAT score
    assert result.weakest == ("store", 3.0)
    text = indicator_finding(result, "en", 90)
    assert "store at 3.00" in text


def test_finding_with_inputs_present_but_no_rows_says_so():
    text = indicator_finding(_result(None, None, None, missing=()), "en", 90)
    assert "not enough data in this period" in text


def test_a_year_on_year_trend_says_so():
    from dataclasses import replace

    result = replace(_result(0.872, 0.893, None), comparison="year")
    text = indicator_finding(result, "en", 90)
    assert "\u22122.1 pts vs the same 90 days a year earlier" in text
    zh = indicator_finding(result, "zh", 90)
    assert "较去年同期（90 天）\u22122.1 个百分点" in zh


def test_an_even_breakdown_says_there_is_no_difference_instead_of_a_weakest():
    from dataclasses import replace

    result = replace(_result(0.0, None, None), even=True)
    assert "no material difference by channel" in indicator_finding(result, "en", 90)
    assert "各渠道之间无明显差异" in indicator_finding(result, "zh", 90)
    assert "weakest" not in indicator_finding(result, "en", 90)


def test_an_estimate_reads_with_its_interval_and_what_it_can_tell():
    ref = IndicatorRef(id="price_elasticity", direction="higher", target=-1.0, floor=-2.0)
    result = IndicatorResult(
        ref, -1.0, -2.0, -0.97, None, 50.0, 120, None, None, None, (), None,
        interval=(-1.25, -0.69), reading="unclear",
    )  # fmt: skip
    text = indicator_finding(result, "en", 90)
    assert text.startswith(
        "Price elasticity (units per order) \u22120.97 (confidence interval \u22121.25 to "
        "\u22120.69): the confidence interval straddles \u22121"
    )
    assert "target" not in text  # an estimate is read, not measured against a target
    zh = indicator_finding(result, "zh", 90)
    assert "置信区间 \u22121.25 至 \u22120.69" in zh and "无法判断" in zh


def test_cost_to_serve_says_how_costs_are_counted_for_a_period():
    ref = IndicatorRef(id="cost_to_serve_ratio", direction="lower", target=0.08, floor=0.2)
    result = IndicatorResult(
        ref, 0.08, 0.2, 0.15, None, 41.7, 500, None, None, None, (), None
    )  # fmt: skip
    text = indicator_finding(result, "en", 90)
    # 15.0 % against 8.0 %: 7.0 points above target; then how the period's cost is counted
    assert text == (
        "Cost-to-serve ratio 15.0% (target 8.0%, +7.0 pts vs target); each cost period's cost "
        "is spread over its days, and the analysis period counts the days it covers."
    )
