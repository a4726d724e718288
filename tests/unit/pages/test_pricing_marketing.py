"""Pricing and marketing report blocks: titles in both languages, degradation, escaping."""

from __future__ import annotations

import pandas as pd
import pytest

from playbook.content import PackageParams, framework
from playbook.data.model import ClientData
from playbook.pages import page_from_data
from playbook.pages.marketing_decisions import MarketingPage, experiments_html, funnel_html
from playbook.pages.pricing_revenue import PricingPage, elasticity_html, package_options
from tests.conftest import client_config

CONFIG = client_config(
    id="tiny",
    name="Brew <&> Co",
    industry="咖啡",
    language="zh",
    currency="CNY",
    channels=["门店", "<script>x</script>"],
    journey_stages=["认知", "下单"],
)


def orders_only() -> ClientData:
    """Six orders in January 2025 with order id, customer, time, channel and amount only."""
    orders = pd.DataFrame(
        {
            "order_id": [f"o{i}" for i in range(6)],
            "customer_id": ["c1", "c1", "c2", "c3", "c3", "c4"],
            "order_time": pd.date_range("2025-01-10", periods=6, freq="D"),
            "channel": ["门店"] * 6,
            "amount": [20.0, 25.0, 30.0, 35.0, 40.0, 45.0],
        }
    )
    return ClientData(CONFIG, {"orders": orders})


@pytest.fixture(scope="module")
def pricing_zh() -> PricingPage:
    return page_from_data("pricing_revenue", orders_only(), "", "2025-01-31", 30)


@pytest.fixture(scope="module")
def pricing_en() -> PricingPage:
    return page_from_data("pricing_revenue", orders_only(), "en", "2025-01-31", 30)


@pytest.fixture(scope="module")
def marketing_en() -> MarketingPage:
    return page_from_data("marketing_decisions", orders_only(), "en", "2025-01-31", 30)


def test_pricing_titles_in_both_languages(pricing_zh, pricing_en):
    fw = framework("pricing_revenue")
    assert fw.title.zh in str(pricing_zh.header())
    assert fw.title.en in str(pricing_en.header())
    assert fw.element("price_elasticity").title.zh in str(pricing_zh.elasticity())
    assert fw.element("price_elasticity").title.en in str(pricing_en.elasticity())


def test_marketing_titles_in_both_languages(marketing_en):
    fw = framework("marketing_decisions")
    zh = page_from_data("marketing_decisions", orders_only(), "zh", "2025-01-31", 30)
    assert fw.title.zh in str(zh.header())
    assert fw.title.en in str(marketing_en.header())
    assert fw.element("conversion_funnel").title.zh in str(zh.funnel())


def test_orders_only_pricing_blocks_say_what_data_would_measure_them(pricing_zh, pricing_en):
    assert "无法估计" in str(pricing_zh.elasticity())
    assert "Not estimable" in str(pricing_en.elasticity())
    # in business words: what to record, never our column names
    elasticity = str(pricing_en.elasticity())
    assert "the number of items on each order" in elasticity and "orders.quantity" not in elasticity
    sensitivity = str(pricing_en.price_sensitivity())
    assert "too cheap, cheap, expensive, too expensive" in sensitivity
    assert "too_cheap" not in sensitivity
    assert "the discount given on each order" in str(pricing_en.discounts())
    assert "<table>" in str(pricing_en.packages())  # packages need only the amounts


def test_orders_only_marketing_blocks_say_what_data_is_missing(marketing_en):
    for block in (str(marketing_en.funnel()), str(marketing_en.attribution())):
        assert "a record of each customer&#x27;s journey" in block and "journey table" not in block
    experiments = str(marketing_en.experiments())
    assert "a record of each A/B test" in experiments and "experiments table" not in experiments


def test_elasticity_says_prices_never_vary_when_one_price():
    orders = orders_only().orders.assign(amount=20.0, quantity=2.0)

    page = str(elasticity_html(orders, "en"))

    assert "Not estimable" in page and "prices never vary" in page


def test_experiment_and_channel_names_are_escaped():
    experiments = pd.DataFrame(
        {
            "experiment_id": "<b>exp</b>",
            "variant": ["A", "A", "B", "B"],
            "converted": [True, False, True, True],
        }
    )
    journey = pd.DataFrame(
        {
            "customer_id": ["c1", "c1"],
            "event_time": pd.to_datetime(["2025-01-01", "2025-01-02"]),
            "stage": ["认知", "下单"],
            "touchpoint": "app",
            "channel": ["<script>x</script>"] * 2,
        }
    )

    for page in (str(experiments_html(experiments, "en")), str(funnel_html(journey, CONFIG, "en"))):
        body = page.split("</style>", 1)[1]
        assert "<b>exp</b>" not in body and "<script>" not in body
    assert "&lt;b&gt;exp&lt;/b&gt;" in str(experiments_html(experiments, "en"))


def test_package_options_come_from_content_params_in_quantile_order():
    options = package_options(PackageParams(premium_quantile=0.9, basic_quantile=0.2))

    assert options.names == ("basic", "premium")
    assert options.quantiles == (0.2, 0.9)


def test_package_options_reject_quantiles_outside_0_1():
    with pytest.raises(ValueError):
        package_options(PackageParams(basic_quantile=0.2, premium_quantile=1.5))
