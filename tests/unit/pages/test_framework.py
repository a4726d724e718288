"""Report page HTML: titles in both languages, scores, applicable actions, escaping, no data."""

from __future__ import annotations

import pytest

from playbook.content import framework
from playbook.data.contract import Assessment, ClientConfig
from playbook.data.model import ClientData
from playbook.pages import open_page, page_from_data
from playbook.pages.framework import FrameworkPage, resolve_lang
from tests.conftest import tiny_client

FW = "exceed_expectations"


def client_data() -> ClientData:
    """The tiny client (conftest) with a workshop score for create delight whose evidence is markup.

    Delivery (外卖) keeps 4 of 5 promises (45 > 30 minutes once), the store keeps all 5.
    Only the orders table is present, so customer and survey elements have no data.
    """
    evidence = "<script>alert(1)</script> 生日惊喜卡"
    assessment = Assessment(frameworks={FW: {"create_delight": {"score": 4, "evidence": evidence}}})
    return tiny_client(assessment)


@pytest.fixture(scope="module")
def zh() -> FrameworkPage:
    return page_from_data(FW, client_data(), "", "2025-01-31", 30)


@pytest.fixture(scope="module")
def en() -> FrameworkPage:
    return page_from_data(FW, client_data(), "en", "2025-01-31", 30)


def test_empty_lang_takes_the_clients_language(zh):
    assert zh.lang == "zh"


def test_header_names_framework_client_period_and_question(zh):
    page = str(zh.header())
    fw = framework(FW)
    assert fw.title.zh in page
    assert fw.question.zh in page
    assert "咖啡连锁" in page
    # 30 days ending on 31 January: 2 to 31 January
    assert "2025-01-02 至 2025-01-31（30 天）" in page


def test_client_strings_are_escaped(zh):
    page = str(zh.header())
    assert "Brew &amp; &lt;Co&gt;" in page
    assert "<Co>" not in page
    delight = str(zh.element("create_delight"))
    assert "&lt;script&gt;alert(1)&lt;/script&gt; 生日惊喜卡" in delight
    assert "<script>" not in delight


def test_element_shows_title_score_band_and_applicable_actions(zh, en):
    element = framework(FW).element("fulfil_promise")
    page_zh, page_en = str(zh.element("fulfil_promise")), str(en.element("fulfil_promise"))
    assert f"1. {element.title.zh}" in page_zh
    assert f"1. {element.title.en}" in page_en
    # 9 of 10 kept = 0.90; score (0.90 - 0.80) / (0.95 - 0.80) = 2/3 -> 67, band developing
    assert "<strong>67</strong>/100" in page_en
    assert "Developing" in page_en and "发展中" in page_zh
    actions = {a.id: a for a in element.actions}
    assert actions["fix_weakest_channel"].text.en in page_en  # band developing
    assert actions["reset_promise"].text.en not in page_en  # 0.90 is not below 0.90
    assert actions["start_measuring_promise"].text.en not in page_en  # it has data
    assert actions["fix_weakest_channel"].kpi.zh in page_zh
    assert "30 天" in page_zh


def test_element_shows_finding_chart_and_indicator_table(en):
    page = str(en.element("fulfil_promise"))
    assert "Promise-kept rate 90.0% (target 95.0%" in page
    assert "weakest channel: 外卖 at 80.0%" in page  # 4 of 5 delivery orders kept
    assert page.count("<img ") == 1  # promise kept by channel; reliability gap has no survey
    assert '<td class="pb-num">10</td>' in page  # rows behind the kept rate
    for case in framework(FW).element("fulfil_promise").cases:
        assert case.company.en in page


def test_element_without_data_says_what_would_measure_it(en, zh):
    page = str(en.element("personalised_service"))
    assert "Not measured from data" in page
    # what is missing, in business words: the customer list (tiers) and the survey
    assert "not measured yet; it would be measured from a customer list" in page
    assert "Would be measured from: a customer list with membership tiers" in page
    assert "customers.tier" not in page and "survey.csat" not in page
    assert "Not assessed" in page
    assert "<img " not in page  # never a blank chart
    start = framework(FW).element("personalised_service")
    no_data_actions = [a for a in start.actions if a.when.no_data]
    assert all(a.text.en in page for a in no_data_actions)
    assert "暂未衡量，需要客户名单（含会员等级和注册日期）" in str(
        zh.element("personalised_service")
    )


def test_the_data_request_note_names_files_and_columns_for_the_strategist(en):
    note = str(en.data_request())
    # the strategist's note names our files and columns, with the business meaning beside them
    assert "<code>customers</code>" in note and "<code>survey</code>" in note
    assert "a customer list with membership tiers and sign-up dates" in note
    assert "Introduce personalised service" in note
    # the orders carry promised and actual minutes: fulfilling the promise needs no request
    assert "<code>orders.promised_minutes</code>" not in note


def test_the_page_cites_its_source_by_title_and_only_the_value_add_page_has_an_introduction(en):
    assert "Method based on" in str(en.header())
    assert "Five Ways to Exceed Service Expectations (Part 1)&quot;, 2025-08-25" in str(en.header())
    assert str(en.introduction()) == ""
    value_add = page_from_data("value_add_plan", client_data(), "en", "2025-01-31", 30)
    intro = str(value_add.introduction())
    assert "Chapter 1 · Service marketing and its market" in intro
    assert "standardisation against personalisation" in intro and "Accenture (survey)" in intro


def test_element_without_data_uses_the_workshop_assessment(en):
    page = str(en.element("create_delight"))
    # workshop 4/5 maps to (4 - 1) / 4 * 100 = 75 -> strong
    assert "<strong>75</strong>/100" in page
    assert "Strong" in page
    assert "scored from the workshop assessment (4/5)" in page


def test_overview_lists_every_element_with_radar(zh):
    page = str(zh.overview())
    for i, element in enumerate(framework(FW).elements, start=1):
        assert f"{i}. {element.title.zh}" in page
    assert "未评估" in page  # personalised service has neither data nor workshop score
    assert page.count("<img ") == 1


def test_unknown_element_fails(en):
    with pytest.raises(KeyError, match="no element 'nope'"):
        str(en.element("nope"))


def test_lang_must_be_zh_or_en():
    with pytest.raises(ValueError, match="lang must be one of zh, en"):
        page_from_data(FW, client_data(), "fr", "2025-01-31", 30)
    with pytest.raises(ValueError, match="got 'de'"):
        open_page(FW, "no_such_client", lang="de")  # fails before reading data
    assert resolve_lang("", "en") == "en"
    assert resolve_lang("zh", "en") == "zh"


def test_the_page_says_which_profile_the_targets_come_from_and_their_basis():
    data = client_data()
    config = data.config.model_dump() | {
        "benchmark_profile": "coffee_qsr",
        "benchmarks": {"promise_kept_rate": {"target": 0.98, "floor": 0.9}},
    }
    coffee = ClientData(ClientConfig.model_validate(config), data.tables)
    page = page_from_data("operation_orientations", coffee, "en", "2025-01-31", 30)
    header = str(page.header())
    assert "Targets: benchmark profile “Coffee and quick-service restaurants”" in header
    assert "targets agreed with the client for: Promise-kept rate" in header
    element = str(page.element("quality_price_ratio"))
    # KFC's 62% is the coffee/QSR profile's cited basis; value for money has none
    assert "Member sales share: Members accounted for 62% of system sales at KFC" in element
    assert "Value for money vs competitors: our working assumption" in element
    zh = page_from_data("operation_orientations", coffee, "zh", "2025-01-31", 30)
    assert "目标值依据：行业基准“咖啡与快餐连锁”" in str(zh.header())
