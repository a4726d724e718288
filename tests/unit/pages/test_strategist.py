"""The strategist's hand on the pages: view, actions, scope, appendix, progress, Markdown.

The tiny client (four orders) measures nothing of pricing_revenue or word_of_mouth_risk, so
the scores are the workshop's: pricing (75 + 25 + 100) / 3 = 66.7 (package_tiers out of
scope), word of mouth (50 + 100 + 0) / 3 = 50.0, maturity (66.7 + 50) / 2 = 58.3.
"""

from __future__ import annotations

import html
import json
import re

import pytest
import yaml

from playbook.data import load_client
from playbook.pages import open_page
from playbook.pages.executive_summary import SummaryPage
from playbook.pages.framework import FrameworkPage
from playbook.pages.strategist import markdown_html

SCOPE = {
    "frameworks": ["pricing_revenue", "word_of_mouth_risk"],
    "exclude_elements": {"pricing_revenue": {"package_tiers": "No tiered offer <yet>"}},
}
ASSESSMENT = {
    "frameworks": {
        "pricing_revenue": {
            "price_elasticity": {"score": 4},
            "discount_effect": {"score": 2},
            "price_sensitivity": {"score": 5},
        },
        "word_of_mouth_risk": {
            "nps_by_segment": {"score": 3},
            "privacy": {"score": 5},
            "continuity": {"score": 1},
        },
    }
}
COMMENTARY = {
    "author": "Team <b>A</b>",
    "summary": "CANARY-SUMMARY with <script>alert(1)</script> and **weight**.",
    "frameworks": {
        "pricing_revenue": {
            "summary": "CANARY-FRAMEWORK discounts do the selling.",
            "elements": {
                "price_elasticity": {
                    "view": "CANARY-VIEW price moves rarely.\n- no test yet\n- [brief](https://example.com/b)",
                    "actions": [
                        {
                            "text": "CANARY-ACTION run a price test",
                            "kpi": "Units per store",
                            "target": "+5%",
                            "owner": "Pricing lead",
                            "due_days": 45,
                        }
                    ],
                    "hide_actions": [{"id": "record_units", "reason": "CANARY-REASON next export"}],
                }
            },
        }
    },
}


@pytest.fixture
def clients_dir(make_client):
    return make_client(
        config={"report": SCOPE},
        assessment=ASSESSMENT,
        files={"commentary.yaml": yaml.safe_dump(COMMENTARY, allow_unicode=True)},
    )


def text_of(markup: object) -> str:
    """Return the visible text of a page section: no styles, inline tags dropped, block tags
    as spaces, entities decoded, whitespace collapsed."""
    text = re.sub(r"<style.*?</style>", " ", str(markup), flags=re.S)
    text = re.sub(r"</?(strong|em|span|a|b)\b[^>]*>", "", text)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split())


def test_markdown_subset_and_everything_else_escaped():
    source = (
        "A **bold** and *italic* word.\n"
        "- first <img src=x onerror=alert(1)>\n"
        "- [site](https://example.com/?a=1&b=2)\n"
        "\n"
        "[bad](javascript:alert(1)) and <script>x</script>"
    )

    assert markdown_html(source) == (
        "<p>A <strong>bold</strong> and <em>italic</em> word.</p>\n"
        "<ul><li>first &lt;img src=x onerror=alert(1)&gt;</li>"
        '<li><a href="https://example.com/?a=1&amp;b=2" rel="noopener noreferrer">site</a></li>'
        "</ul>\n"
        "<p>[bad](javascript:alert(1)) and &lt;script&gt;x&lt;/script&gt;</p>"
    )


def test_element_shows_the_view_set_apart_and_the_added_action_tagged(clients_dir):
    page = open_page("pricing_revenue", "acme", str(clients_dir), "en")
    section = str(page.element("price_elasticity"))

    view = re.search(r'<aside class="pb-view">(.*?)</aside>', section, re.S)
    assert view is not None
    assert "Strategist&#x27;s view" in view[1] or "Strategist's view" in view[1]
    assert "CANARY-VIEW price moves rarely." in view[1]
    assert '<a href="https://example.com/b" rel="noopener noreferrer">brief</a>' in view[1]
    shown = text_of(section)
    assert "CANARY-ACTION run a price test Added by the strategist" in shown
    assert "Units per store · Target +5% within 45 days Pricing lead" in shown
    assert "Record units" not in shown and "record_units" not in section


def test_excluded_element_shows_its_reason_and_no_score(clients_dir):
    page = open_page("pricing_revenue", "acme", str(clients_dir), "en")

    section = text_of(page.element("package_tiers"))
    overview = text_of(page.overview())

    assert section.startswith("4. ")  # keeps its number in the framework
    assert "Out of scope Not assessed in this engagement: No tiered offer <yet>" in section
    assert "Score" not in section
    assert "4. " in overview and "Out of scope No tiered offer <yet>" in overview
    assert "CANARY-FRAMEWORK discounts do the selling." in overview
    assert "No tiered offer &lt;yet&gt;" in str(page.element("package_tiers"))  # escaped


def test_summary_heads_with_the_strategist_and_escapes_markup(clients_dir):
    page = open_page("executive_summary", "acme", str(clients_dir), "en")
    header = str(page.header())

    assert (
        "CANARY-SUMMARY with &lt;script&gt;alert(1)&lt;/script&gt; and <strong>weight</strong>."
        in header
    )
    assert "<script>alert" not in header
    assert "by Team &lt;b&gt;A&lt;/b&gt;" in header
    assert "58/100" in text_of(header).replace(" ", "")  # (200/3 + 50) / 2 = 58.3


def test_summary_says_once_that_there_is_no_history(clients_dir, tmp_path):
    page = open_page("executive_summary", "acme", str(clients_dir), "en", reports_dir=str(tmp_path))

    whole = text_of(page.html())

    assert whole.count("No earlier report to compare with yet") == 1
    assert "Previous score" not in whole


def test_plan_and_appendix_carry_the_strategist_choices(clients_dir):
    page = open_page("executive_summary", "acme", str(clients_dir), "en")

    plan = text_of(page.plan())
    appendix = text_of(page.appendix())

    assert (
        "Days 31–60 within 45 days CANARY-ACTION run a price test Added by the strategist" in plan
    )
    assert "Units per store +5% Pricing lead" in plan
    assert "Record units" not in plan
    assert "No tiered offer <yet>" in appendix
    assert "CANARY-REASON next export" in appendix
    assert "Elements outside this engagement's scope" in appendix


def test_appendix_is_empty_without_choices(make_client):
    page = open_page("executive_summary", "acme", str(make_client()), "en")

    assert str(page.appendix()) == ""


def write_snapshot(reports, as_of: str, overall: float, pricing: float, wom: float) -> None:
    folder = reports / "acme" / "history"
    folder.mkdir(parents=True, exist_ok=True)
    scores = {
        "score": overall,
        "band": "developing",
        "period": {"last_day": as_of},
        "frameworks": [
            {
                "id": "pricing_revenue",
                "score": pricing,
                "band": "developing",
                "elements": [{"id": "price_elasticity", "score": 40.0, "band": "gap"}],
            },
            {"id": "word_of_mouth_risk", "score": wom, "band": "strong", "elements": []},
        ],
    }
    (folder / f"{as_of}.json").write_text(json.dumps(scores), encoding="utf-8")


def test_summary_and_element_show_the_change_since_the_previous_report(clients_dir, tmp_path):
    # the period ends on the last order day, 2024-01-04; a later snapshot is not "previous"
    write_snapshot(tmp_path, "2023-12-31", 55.0, 50.0, 80.0)
    write_snapshot(tmp_path, "2023-09-30", 10.0, 10.0, 10.0)
    write_snapshot(tmp_path, "2024-03-31", 99.0, 99.0, 99.0)

    summary = open_page("executive_summary", "acme", str(clients_dir), "en", "", 90, str(tmp_path))
    pricing = open_page("pricing_revenue", "acme", str(clients_dir), "en", "", 90, str(tmp_path))

    header = text_of(summary.header())
    # maturity (200/3 + 50) / 2 = 58.33 against 55.0: +3.3
    assert (
        "Change since the last report: ▲ +3.3 pts · Previous report: data to 2023-12-31" in header
    )
    scores = text_of(summary.framework_scores())
    # pricing 66.67 vs 50.0: +16.7, both developing; word of mouth 50.0 vs 80.0: −30.0,
    # strong → developing
    assert "Previous score Change" in scores
    assert "50 ▲ +16.7 pts" in scores
    assert "80 ▼ −30.0 pts Strong → Developing" in scores
    element = text_of(pricing.element("price_elasticity"))
    assert "Previous report (data to 2023-12-31): 40" in element
    assert "No earlier report" not in text_of(summary.html())


def test_pages_in_chinese_name_the_strategist_view(clients_dir):
    page = open_page("pricing_revenue", "acme", str(clients_dir), "zh")

    section = text_of(page.element("price_elasticity"))

    assert "顾问观点" in section and "顾问新增" in section and "45 天内" in section
    assert "本期不评估：No tiered offer <yet>" in text_of(page.element("package_tiers"))


def test_pages_are_built_from_the_same_diagnosis(clients_dir):
    data = load_client("acme", clients_dir)
    page = FrameworkPage.from_data("pricing_revenue", data, "en")
    summary = SummaryPage.from_data("executive_summary", data, "en")

    assert [e.element.id for e in page.diagnosis.elements] == summary.summary.elements[
        summary.summary.elements["framework_id"] == "pricing_revenue"
    ]["element_id"].tolist()


def test_risk_checklist_lists_an_excluded_item_with_its_reason(make_client):
    scope = {"exclude_elements": {"word_of_mouth_risk": {"privacy": "Audited <elsewhere>"}}}
    clients_dir = make_client(config={"report": scope}, assessment=ASSESSMENT)
    page = open_page("word_of_mouth_risk", "acme", str(clients_dir), "en")

    checklist = str(page.risk_checklist())

    rows = [text_of(r) for r in re.findall(r"<tr>.*?</tr>", checklist, flags=re.S)][1:]
    assert len(rows) == 3  # privacy, service level, continuity: none left out
    assert "Out of scope" in rows[0] and rows[0].endswith("Audited <elsewhere>")
    assert "Audited &lt;elsewhere&gt;" in checklist  # escaped
    assert "Out of scope" not in rows[2]  # continuity keeps its workshop score
