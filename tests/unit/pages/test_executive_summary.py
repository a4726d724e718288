"""Executive summary page: figures match the framework diagnoses, links, order, languages."""

from __future__ import annotations

import html
import re
from dataclasses import replace
from datetime import date

import pytest
import yaml

from playbook.content import framework, frameworks
from playbook.data.clients import UnknownClientError, load_client
from playbook.data.contract import Assessment
from playbook.data.model import ClientData
from playbook.diagnosis import diagnose
from playbook.diagnosis.summary import summarise
from playbook.pages import open_page
from playbook.pages.executive_summary import SummaryPage, header_html
from tests.conftest import tiny_client

AS_OF, DAYS = "2025-01-31", 30


def client_data() -> ClientData:
    """The tiny client (conftest; its industry with markup) and two workshop scores.

    9 of 10 orders delivered within the promised 30 minutes; delivery (外卖) keeps 4 of 5.
    Only the orders table is present; two elements have a workshop score: create delight 4
    of 5 and branded theme 2 of 5.
    """
    assessment = Assessment(
        frameworks={
            "exceed_expectations": {"create_delight": {"score": 4, "evidence": "生日惊喜卡"}},
            "journey_goals": {"branded_theme": {"score": 2, "evidence": "门店主题不统一"}},
        }
    )
    return tiny_client(assessment, industry="咖啡<连锁>")


@pytest.fixture(scope="module")
def data() -> ClientData:
    return client_data()


@pytest.fixture(scope="module")
def zh(data) -> SummaryPage:
    return SummaryPage.from_data(
        "executive_summary", data, "", AS_OF, DAYS, generated=date(2025, 2, 3)
    )


@pytest.fixture(scope="module")
def en(data) -> SummaryPage:
    return SummaryPage.from_data("executive_summary", data, "en", AS_OF, DAYS)


@pytest.fixture(scope="module")
def diagnoses(data):
    """Each framework diagnosed on its own, independently of the summary page."""
    return [diagnose(fw.id, data, AS_OF, DAYS) for fw in frameworks()]


def rows(markup: str) -> list[list[str]]:
    """Return the body rows of the first table in ``markup``, each cell's text unescaped."""
    body = re.search(r"<tbody>(.*?)</tbody>", markup, re.S)
    assert body, "a table"
    return [
        [
            html.unescape(re.sub(r"<[^>]+>", " ", cell)).strip()
            for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        ]
        for row in re.findall(r"<tr>(.*?)</tr>", body[1], re.S)
    ]


def expected_priority(element_diagnosis) -> float:
    """Gap × weight, the weight being the sum of the element's indicator weights (1 if none)."""
    refs = element_diagnosis.element.indicators
    weight = sum(r.weight for r in refs) if refs else 1.0
    return (100 - element_diagnosis.score) * weight


def test_empty_lang_takes_the_clients_language(zh):
    assert zh.lang == "zh"


def test_overall_maturity_is_the_mean_of_the_framework_scores(zh, diagnoses):
    scores = [d.score for d in diagnoses if d.score is not None]
    assert len(scores) < len(diagnoses), "the fixture leaves a framework without any score"
    mean = sum(scores) / len(scores)

    assert zh.summary.score == pytest.approx(mean)
    header = str(zh.header())
    assert f"<strong>{mean:.0f}</strong>/100" in header
    assert f"{len(scores)}/{len(diagnoses)} 个框架有得分" in header


def test_framework_table_shows_each_framework_score_and_links_its_page(zh, diagnoses):
    page = str(zh.framework_scores())
    table = rows(page)

    assert len(table) == len(diagnoses)
    for row, d in zip(table, diagnoses, strict=True):
        fw = d.framework
        assert f'<a href="{fw.order:02d}_{fw.id}.html">{fw.title.zh}</a>' in page
        assert row[0] == fw.title.zh
        assert row[1] == ("—" if d.score is None else f"{d.score:.0f}")
    assert "01_exceed_expectations.html" in page
    assert "<img" in page


def test_a_gap_shows_score_weight_and_priority(data):
    # fulfil_promise: 9 of 10 kept = 0.90 -> (0.90 - 0.80) / (0.95 - 0.80) = 66.7 (the
    # reliability gap has no survey); weight 3 + 2 = 5; priority (100 - 66.7) x 5 = 166.7
    page = SummaryPage.from_data("executive_summary", data, "en", AS_OF, DAYS)
    diags = list(page.diagnoses)
    every_gap = replace(page, summary=summarise(diags, "en", top_n=100))
    title = framework("exceed_expectations").element("fulfil_promise").title.en

    row = next(r for r in rows(str(every_gap.top_gaps())) if r[1] == title)

    assert row[3:] == ["67", "Developing", "5", "167"]


def test_top_gaps_are_ranked_by_priority(zh, diagnoses):
    scored = {
        (d.framework.title.zh, e.element.title.zh): expected_priority(e)
        for d in diagnoses
        for e in d.elements
        if e.score is not None
    }
    table = rows(str(zh.top_gaps()))

    listed = [scored[(r[2], r[1])] for r in table]
    assert [r[0] for r in table] == [str(i) for i in range(1, len(table) + 1)]
    assert len(table) == 5
    assert listed == sorted(listed, reverse=True)
    left_out = [p for key, p in scored.items() if key not in {(r[2], r[1]) for r in table}]
    assert min(listed) >= max(left_out)
    assert [r[6] for r in table] == [f"{p:.0f}" for p in listed]


def test_each_gap_links_to_its_framework_page(zh):
    page = str(zh.top_gaps())
    pages = {f"{fw.order:02d}_{fw.id}.html" for fw in frameworks()}

    links = re.findall(r'<a href="([^"]+)">', page)
    assert len(links) == 5
    assert set(links) <= pages


def test_plan_rows_are_applicable_actions_with_kpi_target_and_owner(en, diagnoses):
    applicable = {a.text.en: a for d in diagnoses for e in d.elements for a in e.actions}
    page = str(en.plan())
    table = rows(page)

    assert table, "the fixture has actions that apply"
    phase_names = {30: "Days 1–30", 60: "Days 31–60", 90: "Days 61–90"}
    for phase, action, kpi, target, owner, _ in table:
        a = applicable[action]
        assert phase == phase_names[a.horizon_days]
        assert (kpi, owner) == (a.kpi.en, a.owner.en)
        assert target
    assert "<img" in page  # the timeline


def test_not_assessed_lists_every_element_without_a_score(en, diagnoses):
    missing = [e.element.title.en for d in diagnoses for e in d.elements if e.score is None]
    table = rows(str(en.not_assessed()))

    assert [r[0] for r in table] == missing


def test_titles_follow_the_language(zh, en):
    page_zh = str(zh.header()) + str(zh.framework_scores())
    page_en = str(en.header()) + str(en.framework_scores())

    assert "<h1>执行摘要</h1>" in page_zh and 'lang="zh-CN"' in page_zh
    assert "<h1>Executive summary</h1>" in page_en and 'lang="en"' in page_en
    assert "服务成熟度" in page_zh and "Service maturity" in page_en
    for fw in frameworks():
        assert fw.title.zh in page_zh
        assert fw.title.en in page_en
    assert "生成日期：2025-02-03" in page_zh
    assert "2025-01-02 至 2025-01-31（30 天）" in page_zh


def test_client_strings_are_escaped(zh):
    header = str(zh.header())

    assert "Brew &amp; &lt;Co&gt;" in header
    assert "咖啡&lt;连锁&gt;" in header
    assert "<Co>" not in header and "<连锁>" not in header


def test_orders_only_client_renders_with_elements_not_assessed(make_client):
    clients_dir = make_client()  # "acme": 4 orders, no other table, no assessment
    page = open_page("executive_summary", "acme", str(clients_dir), "en")
    data = load_client("acme", clients_dir)
    diags = [diagnose(fw.id, data) for fw in frameworks()]

    markup = str(page.html())
    assert "Acme Coffee" in markup
    missing = [e.element.title.en for d in diags for e in d.elements if e.score is None]
    table = rows(str(page.not_assessed()))
    assert [r[0] for r in table] == missing
    delight = framework("exceed_expectations").element("create_delight").title.en
    assert "survey" in next(r for r in table if r[0] == delight)[2]  # the data it needs


def test_empty_sections_say_so(en):
    empty = replace(
        en.summary,
        top_gaps=en.summary.top_gaps.iloc[0:0],
        plan=en.summary.plan.iloc[0:0],
        not_assessed=en.summary.not_assessed.iloc[0:0],
        elements=en.summary.elements.assign(score=float("nan")),
    )
    page = replace(en, summary=empty)

    assert "there is no gap to prioritise" in str(page.top_gaps())
    assert "No recommended action applies now." in str(page.plan())
    assert "Every element has been assessed." in str(page.not_assessed())
    assert "<img" not in str(page.radar())


def test_header_needs_a_diagnosis(en):
    with pytest.raises(ValueError, match="at least one framework diagnosis"):
        header_html(en.summary, [], date(2025, 2, 3))


def test_unknown_language_fails_before_reading_data():
    with pytest.raises(ValueError, match="lang must be one of"):
        open_page("executive_summary", "no_such_client", "", "fr")


def test_unknown_client_fails(tmp_path):
    with pytest.raises(UnknownClientError):
        open_page("executive_summary", "no_such_client", str(tmp_path))


def test_header_says_which_benchmark_profile_the_targets_come_from(en, zh):
    # the toy client names no profile: the default one
    assert "Targets: benchmark profile “General service business”" in str(en.header())
    assert "目标值依据：行业基准“通用服务业”" in str(zh.header())


def test_the_summary_shows_neither_a_frameworks_nor_an_elements_view(make_client):
    # so the renderer reuses the summary when only such a view changed (report.incremental)
    clients_dir = make_client("acme")

    def pages(view: str) -> tuple[str, str]:
        commentary = {
            "summary": "Our overall read.",
            "frameworks": {
                "exceed_expectations": {
                    "summary": f"Framework: {view}",
                    "elements": {"fulfil_promise": {"view": f"Element: {view}"}},
                }
            },
        }
        (clients_dir / "acme" / "commentary.yaml").write_text(
            yaml.safe_dump(commentary), encoding="utf-8"
        )
        data = load_client("acme", clients_dir, cache=False)
        summary = SummaryPage.from_data("executive_summary", data, "en", generated=date(2024, 2, 1))
        framework_page = open_page("exceed_expectations", "acme", str(clients_dir), lang="en")
        shown = framework_page.overview(), framework_page.element("fulfil_promise")
        return str(summary.html()), "".join(map(str, shown))

    (summary_a, framework_a), (summary_b, framework_b) = pages("Wet."), pages("Dry.")

    assert "Our overall read." in summary_a
    assert "Element: Wet." in framework_a and "Framework: Wet." in framework_a
    assert framework_a != framework_b
    assert summary_a == summary_b
