"""Elasticity advice follows the reading: score and actions from the estimate's sign, its
confidence interval and which side of −1 it lies on (the content's pricing_revenue element).

Orders follow units = 1000 x price ** slope x noise exactly, one order a week at one of four
prices rotating over 12 weeks. The noise is exp(+d), 1, exp(-d) over the three cycles, the
same for every price, so it is orthogonal to price: the fitted slope is exactly ``slope`` and
the interval is symmetric around it (d = 0: a zero-width interval).
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from playbook.content import framework
from playbook.data.model import ClientData
from playbook.diagnosis.core import diagnose_element
from tests.conftest import client_config

PRICES = [8.0, 10.0, 12.5, 16.0]

CONFIG = client_config(channels=["store"])


def _orders(slope: float, d: float = 0.0) -> pd.DataFrame:
    noise = [math.exp(d)] * 4 + [1.0] * 4 + [math.exp(-d)] * 4
    prices = PRICES * 3
    units = [1000 * p**slope * e for p, e in zip(prices, noise, strict=True)]
    return pd.DataFrame(
        {
            "order_id": [f"o{i}" for i in range(12)],
            "customer_id": "c1",
            "order_time": pd.date_range("2025-01-06", periods=12, freq="7D"),
            "channel": "store",
            "amount": [p * q for p, q in zip(prices, units, strict=True)],
            "quantity": units,
        }
    )


def _diagnose(slope: float, d: float = 0.0):
    fw = framework("pricing_revenue")
    data = ClientData(CONFIG, {"orders": _orders(slope, d)})
    return diagnose_element(fw, fw.element("price_elasticity"), data)


def test_a_measurably_elastic_estimate_scores_a_gap_and_never_advises_a_rise():
    # -1.1 scored 75 ("strong") on the old -0.8/-2.0 line and advised a price rise
    diag = _diagnose(-1.1)
    (result,) = diag.indicators
    assert result.value == pytest.approx(-1.1)
    assert result.reading == "elastic"  # zero-width interval at -1.1, below -1
    assert result.score == 0.0
    assert diag.band == "gap"
    assert [a.id for a in diag.actions] == ["targeted_pricing"]


def test_a_measurably_inelastic_estimate_is_strong_and_may_advise_a_small_rise():
    diag = _diagnose(-0.5, d=0.01)
    (result,) = diag.indicators
    low, high = result.interval
    assert low < -0.5 < high and low > -1  # a narrow interval, all of it above -1
    assert result.reading == "inelastic"
    assert result.score == 100.0 and diag.band == "strong"
    assert [a.id for a in diag.actions] == ["value_price_rise"]


def test_an_interval_straddling_minus_one_reads_unclear_and_asks_for_a_test():
    diag = _diagnose(-1.0, d=0.3)
    (result,) = diag.indicators
    low, high = result.interval
    assert result.value == pytest.approx(-1.0)
    assert low < -1 < high
    assert (low + high) / 2 == pytest.approx(-1.0)  # symmetric around the slope
    assert result.reading == "unclear"
    assert result.score == 50.0 and diag.band == "developing"
    assert [a.id for a in diag.actions] == ["price_test"]


def test_a_positive_estimate_is_not_scored_and_never_advises_a_rise():
    # dearer sold more: capped at 100 on the old line, it read "strong" and advised a rise
    diag = _diagnose(0.3)
    (result,) = diag.indicators
    assert result.value == pytest.approx(0.3)
    assert result.reading == "positive"
    assert result.score is None
    assert diag.score is None and diag.band is None
    assert [a.id for a in diag.actions] == ["price_test"]


def test_a_workshop_score_cannot_turn_an_unclear_reading_into_rise_advice():
    from playbook.data.contract import Assessment

    fw = framework("pricing_revenue")
    top = Assessment(frameworks={"pricing_revenue": {"price_elasticity": {"score": 5}}})
    data = ClientData(CONFIG, {"orders": _orders(-1.0, d=0.3)}, top)
    diag = diagnose_element(fw, fw.element("price_elasticity"), data)
    # data 50, workshop 5/5 = 100: 0.7 x 50 + 0.3 x 100 = 65 -> developing; advice by reading
    assert diag.score == pytest.approx(65.0)
    assert [a.id for a in diag.actions] == ["price_test"]
