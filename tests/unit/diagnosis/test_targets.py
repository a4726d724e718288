"""Targets by industry: the client's override, then its benchmark profile, then the framework."""

from __future__ import annotations

import pandas as pd
import pytest

from playbook.content import IndicatorRef, benchmarks
from playbook.data.contract import ClientConfig
from playbook.data.model import ClientData
from playbook.diagnosis.core import measure_indicator
from playbook.diagnosis.targets import client_profile, target_for

#: The framework files' repurchase target (journey_value, membership_loyalty, lifetime_value).
REPURCHASE = IndicatorRef(id="repurchase_rate", direction="higher", target=0.45, floor=0.20)


def _config(**extra) -> ClientConfig:
    base = dict(id="t", name="T", industry="test", language="en", currency="USD", channels=["web"])
    return ClientConfig(**(base | extra))


def _ten_customers_one_repeats() -> ClientData:
    """Ten customers in January 2025; c0 orders twice: the repeat rate is 1/10 = 0.10."""
    customers = [f"c{i}" for i in range(10)] + ["c0"]
    orders = pd.DataFrame(
        {
            "order_id": [f"o{i}" for i in range(11)],
            "customer_id": customers,
            "order_time": pd.to_datetime([f"2025-01-{d:02d}" for d in range(1, 12)]),
            "channel": ["web"] * 11,
            "amount": [20.0] * 11,
        }
    )
    return ClientData(_config(), {"orders": orders})


def test_a_client_without_a_profile_gets_the_default_profile():
    key, profile = client_profile(_config())
    assert key == benchmarks().default == "general"
    assert profile.title.en == "General service business"


def test_the_profile_sets_the_target_unless_the_client_overrides_it():
    hotels = target_for(REPURCHASE, _config(benchmark_profile="hotels"))
    assert (hotels.target, hotels.floor, hotels.source) == (0.05, 0.01, "profile")
    own = _config(
        benchmark_profile="hotels", benchmarks={"repurchase_rate": {"target": 0.1, "floor": 0.0}}
    )
    assert (target_for(REPURCHASE, own).target, target_for(REPURCHASE, own).source) == (
        0.1,
        "client",
    )


def test_an_indicator_the_profile_does_not_list_keeps_the_frameworks_target():
    nps = IndicatorRef(id="nps", direction="higher", target=50, floor=0)
    goal = target_for(nps, _config(benchmark_profile="hotels"))
    assert (goal.target, goal.floor, goal.source, goal.basis) == (50, 0, "framework", None)


def test_a_cited_target_carries_its_basis_and_an_assumed_one_none():
    member = IndicatorRef(id="member_sales_share", direction="higher", target=0.62, floor=0.25)
    coffee = target_for(member, _config(benchmark_profile="coffee_qsr"))
    assert coffee.basis is not None and "62%" in coffee.basis.en and "KFC" in coffee.basis.en
    assert target_for(member, _config(benchmark_profile="retail_ecommerce")).basis is None


@pytest.mark.parametrize(
    "profile, score",
    [
        # repeat rate 0.10; score = (value − floor) / (target − floor) × 100, within 0..100
        ("coffee_qsr", 0.0),  # target 0.45, floor 0.20: below the floor
        ("general", 0.0),  # target 0.30, floor 0.10: on the floor
        ("retail_ecommerce", 100 * (0.10 - 0.08) / (0.25 - 0.08)),  # 11.76
        ("online_travel", 100.0),  # target 0.08: beyond it
        ("hotels", 100.0),  # target 0.05
    ],
)
def test_the_same_repeat_rate_scores_by_the_industrys_targets(profile, score):
    data = _ten_customers_one_repeats()
    data = ClientData(_config(benchmark_profile=profile), data.tables)
    result = measure_indicator(REPURCHASE, data)
    assert result.value == pytest.approx(0.10)
    assert result.score == pytest.approx(score)
