"""Indicators and findings on real-shaped data (tests/shapes.py), expected values by hand.

Every shape is diagnosed against every framework, and every finding of every element is
read in both languages: none may print "nan", "None" or "inf", name a "weakest" member of a
breakdown whose members do not differ, or fail.
"""

from __future__ import annotations

import re

import pytest

from playbook.data.clients import load_client
from playbook.diagnosis.core import diagnose, diagnose_all
from playbook.pages.customer_value import rfm_tiers_html
from playbook.pages.findings import element_findings
from playbook.pages.registry import page_from_data
from tests.conftest import client_config
from tests.shapes import (
    ONE_CHANNEL_CONFIG,
    WEB_STAGES,
    journey_orders,
    million_orders,
    one_channel_orders,
    one_order_each,
    outage_journey,
    seasonal_orders,
    zero_amounts,
)

#: what a page must never print (case matters: "none" is an English word, "None" is Python's)
BAD_WORDS = re.compile(r"\bnan\b|\bNaN\b|\bNone\b|\binf\b")


def _results(diagnoses) -> dict:
    """Return every indicator result by id (the first element measuring it)."""
    out = {}
    for d in diagnoses:
        for e in d.elements:
            for r in e.indicators:
                out.setdefault(r.ref.id, r)
    return out


def _all_findings(diagnoses) -> list[str]:
    lines = []
    for d in diagnoses:
        for e in d.elements:
            for lang in ("en", "zh"):
                lines += element_findings(e, lang, d.period.days, d.client.currency)
    return lines


def _assert_readable(diagnoses) -> list[str]:
    lines = _all_findings(diagnoses)
    bad = [line for line in lines if BAD_WORDS.search(line)]
    assert bad == []
    return lines


# --- one channel only ------------------------------------------------------------------------


def test_one_channel_business(make_client):
    # 30 customers x 2 orders, all in the store, within 36 days: one 90-day period
    data = load_client("acme", make_client(config=ONE_CHANNEL_CONFIG, orders=one_channel_orders()))
    diagnoses = diagnose_all(data)
    r = _results(diagnoses)
    assert r["active_channels"].value == 1.0
    assert r["multichannel_customer_share"].value == 0.0
    assert r["repurchase_rate"].value == 1.0  # every customer ordered twice
    # a single member has nothing to be weaker than
    assert r["multichannel_customer_share"].weakest is None
    assert not r["multichannel_customer_share"].even
    lines = _assert_readable(diagnoses)
    assert not any("weakest channel" in line or "weakest main channel" in line for line in lines)


# --- every customer orders once ------------------------------------------------------------


def test_every_customer_ordering_once(make_client):
    # 40 hotel guests, one stay each, store and delivery alternating: 20 each
    data = load_client("acme", make_client(orders=one_order_each()))
    diagnoses = diagnose_all(data)
    r = _results(diagnoses)
    assert r["repurchase_rate"].value == 0.0
    multi = r["multichannel_customer_share"]
    assert multi.value == 0.0
    assert multi.by.to_dict() == {"delivery": 0.0, "store": 0.0}
    assert multi.by_n.to_dict() == {"delivery": 20, "store": 20}
    # 0 % everywhere: no "weakest channel: delivery at 0.0 %"
    assert multi.weakest is None and multi.even
    # nobody ordered twice: no buying rhythm to measure churn against
    assert r["customer_at_risk_share"].value is None
    assert r["customer_at_risk_share"].missing == ()
    lines = _assert_readable(diagnoses)
    assert any(
        line.startswith("Multichannel customer share 0.0%")
        and "no material difference by main channel" in line
        for line in lines
    )
    assert not any("weakest main channel: delivery" in line for line in lines)


# --- amounts zero -------------------------------------------------------------------------------


def test_orders_without_amounts(make_client):
    # a clickstream export: the shape of one_order_each, every amount 0
    data = load_client("acme", make_client(orders=zero_amounts(one_order_each())))
    diagnoses = diagnose_all(data)
    r = _results(diagnoses)
    for value_measure in ("aov_growth", "platinum_revenue_share", "repeat_revenue_share"):
        assert r[value_measure].value is None
        assert "orders.amount" in r[value_measure].missing
    assert r["repurchase_rate"].value == 0.0  # counting orders needs no amount
    lines = _assert_readable(diagnoses)
    # the value measures say they need the amount of each order
    assert (
        "Average order value growth: not measured yet; it would be measured from the amount "
        "of each order"
    ) in lines
    assert "客单价增长：暂未衡量，需要每笔订单的金额" in lines
    # the RFM table: "—" for shares of no revenue, and why
    table = str(rfm_tiers_html(data.orders, _thresholds(), "en", "USD"))
    assert not BAD_WORDS.search(_visible(table))
    assert "—" in table
    assert "revenue and value measures need the amount paid on each order" in table


def _thresholds():
    from playbook.indicators.value import rfm_thresholds

    return rfm_thresholds()


def _visible(html: str) -> str:
    """Return the text of an HTML fragment without tags and embedded images."""
    html = re.sub(r"<(style|script)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", re.sub(r'src="data:[^"]+"', "", html))


# --- years of seasonal history -------------------------------------------------------------


def test_seasonal_history_compares_with_the_same_period_a_year_earlier(make_client):
    # AOV 150 in June-August, 100 otherwise, one order a day since 2022-01-03.
    # Period: 90 days to 2024-08-31 = 2024-06-03..08-31, all summer: AOV 150.
    # 52 weeks earlier: 2023-06-05..09-02: 88 summer days + 1-2 September: (88 x 150 +
    # 2 x 100) / 90 = 13400 / 90; growth 150 / (13400 / 90) - 1 = 13500 / 13400 - 1
    data = load_client("acme", make_client(orders=seasonal_orders()))
    (fw,) = [diagnose("exceed_expectations", data)]
    assert fw.period.comparison == "year"
    aov = _results([fw])["aov_growth"]
    assert aov.value == pytest.approx(13500 / 13400 - 1)
    lines = _assert_readable([fw])
    finding = next(line for line in lines if line.startswith("Average order value growth"))
    assert "measured against the same 90 days a year earlier" in finding
    assert "0.7%" in finding


def test_without_a_year_of_history_the_previous_period_is_said(make_client):
    # the same orders from 2023-09-10 only: the previous 90 days are 2024-03-05..06-02,
    # 88 days at 100 and 1-2 June at 150: (8800 + 300) / 90; growth 13500 / 9100 - 1 = 48.4 %
    orders = seasonal_orders(first="2023-09-10")
    data = load_client("acme", make_client(orders=orders))
    fw = diagnose("exceed_expectations", data)
    assert fw.period.comparison == "previous"
    aov = _results([fw])["aov_growth"]
    assert aov.value == pytest.approx(13500 / 9100 - 1)
    finding = next(
        line for line in _assert_readable([fw]) if line.startswith("Average order value growth")
    )
    assert "48.4% (target" in finding
    assert "measured against the previous 90 days" in finding


def test_monthly_charts_stay_continuous_when_comparing_a_year_earlier(make_client):
    # the digital-share chart follows the 180 days to the period's end month by month
    # (2024-03-06..08-31: March to August), not last year's months with a gap
    data = load_client("acme", make_client(orders=seasonal_orders()))
    digital = _results([diagnose("operation_orientations", data)])["digital_share"]
    months = [m.strftime("%Y-%m") for m in digital.detail["month"]]
    assert months == ["2024-03", "2024-04", "2024-05", "2024-06", "2024-07", "2024-08"]


# --- an incident lasting a few weeks -------------------------------------------------------


def test_a_few_weeks_of_incident_are_named_in_the_finding_and_lower_journey_health(make_client):
    journey = outage_journey()
    config = {
        "channels": ["mobile", "desktop"],
        "digital_channels": ["mobile", "desktop"],
        "journey_stages": WEB_STAGES,
        "touchpoints": ["site"],
    }
    data = load_client(
        "acme",
        make_client(config=config, orders=journey_orders(journey), tables={"journey": journey}),
    )
    # the period: 84 days from 2025-04-07 (weeks 0..11 of the journey)
    fw = diagnose("high_value_journey", data, as_of="2025-06-29", period_days=84)
    health = fw.element("journey_health")
    lines = element_findings(health, "en", 84)
    assert (
        "checkout → purchase fell to 20.0% in the weeks starting 2025-05-12, 2025-05-19 and "
        "2025-05-26 (normal 80.0%–90.0%), mostly on mobile: about 180 conversions lost"
    ) in " ".join(lines)
    zh = " ".join(element_findings(health, "zh", 84))
    assert "2025-05-12、2025-05-19、2025-05-26 起的各周降至 20.0%" in zh
    # the loss: 180 / (830 + 180) = 17.8 % against a floor of 15 % scores 0
    loss = next(r for r in health.indicators if r.ref.id == "incident_conversion_loss")
    assert loss.value == pytest.approx(180 / 1010) and loss.score == 0.0
    assert health.band != "strong"


# --- a million rows ---------------------------------------------------------------------------


@pytest.mark.slow
def test_a_million_orders(make_client):
    from playbook.data.model import ClientData

    config = client_config(
        id="big",
        name="Big",
        industry="delivery",
        channels=["store", "delivery"],
        digital_channels=["delivery"],
    )
    data = ClientData(config, {"orders": million_orders()})
    diagnoses = diagnose_all(data)
    r = _results(diagnoses)
    # customer c = i // 10 has 10 consecutive orders, all within the 90 days: both channels
    assert r["repurchase_rate"].value == 1.0
    assert r["repurchase_rate"].n == 100_000
    assert r["multichannel_customer_share"].value == 1.0
    # kept unless i mod 4 == 0: 750,000 of 1,000,000; store (even i) keeps half, delivery all
    kept = r["promise_kept_rate"]
    assert kept.value == 0.75
    assert kept.by.to_dict() == {"delivery": 1.0, "store": 0.5}
    assert kept.weakest == ("store", 0.5)
    assert r["active_channels"].value == 2.0
    _assert_readable(diagnoses)


def test_every_shape_renders_the_customer_value_page_without_nan(make_client):
    # the page's analyses on zero amounts and on one order each
    for orders in (zero_amounts(one_order_each()), one_order_each()):
        clients = make_client(orders=orders)
        page = page_from_data("customer_value", load_client("acme", clients), "en", "", 90)
        for html in (page.rfm_tiers(), page.lifetime_value(), page.churn_risk()):
            assert not BAD_WORDS.search(_visible(str(html)))


@pytest.mark.slow
@pytest.mark.parametrize(
    ("orders", "config", "lang"),
    [
        (zero_amounts(one_order_each()), {}, "en"),
        (one_channel_orders(), ONE_CHANNEL_CONFIG, "zh"),
    ],
    ids=["zero-amounts-en", "one-channel-zh"],
)
def test_every_framework_page_reads_without_nan_on_real_shapes(make_client, orders, config, lang):
    from playbook.content import frameworks

    data = load_client("acme", make_client(config=config, orders=orders))
    for fw in frameworks():
        page = page_from_data(fw.id, data, lang)
        sections = [page.header(), page.overview()] + [page.element(e.id) for e in fw.elements]
        for html in sections:
            text = _visible(str(html))
            assert not BAD_WORDS.search(text), (fw.id, BAD_WORDS.search(text))
