"""The visible-text check (tests/page_text.py): its own tests, then every rendered page.

The fast tests plant what a client must not see in small pages and expect the checker to
find each one, with its page and line, and to pass clean text. The slow test reads every
page and PDF of the renders the test run shares (tests/conftest.py): the three demo clients
(``demo_reports``: two in Chinese, one in English) and the orders-only client in English
and in Chinese (``orders_only_reports``), with both portfolios.
"""

from __future__ import annotations

import pytest

from tests.conftest import DEMO_CLIENTS
from tests.page_text import (
    Line,
    check_html,
    check_line,
    check_pdf_text,
    check_report,
    content_identifiers,
    content_texts,
    contract_identifiers,
    page_language,
    visible_lines,
)


def page(body: str, lang: str = "en") -> str:
    """Return a small page like the report's: head, styles, a script, and ``body``."""
    return f"""<!DOCTYPE html>
<html lang="{lang}">
<head><meta charset="utf-8"><title>None nan</title>
<style>.x::after {{ content: "nan"; }}</style></head>
<body>
<script>var x = NaN; // Traceback</script>
<main>
{body}
</main>
</body>
</html>"""


CLEAN = """<h1>Five ways to exceed service expectations</h1>
<p class="pb-meta">Client: <strong>Acme &amp; Co</strong> · Industry: coffee</p>
<h2>Overview</h2>
<table><tr><th>Element</th><th>Score</th></tr>
<tr><td>Fulfil the service promise</td><td class="pb-num">27</td></tr></table>
<img src="data:image/png;base64,bmFuIE5vbmUgc2VlZA==" alt="Promise-kept rate">
<p>None of the channels missed its promise; finance and infrastructure are on target.</p>
<div style="display: none">nan</div><p hidden>None</p>
<h2>Reference cases</h2>
<p>Source: QuestMobile research, quoted in 《数字服务策划之超出服务期望五法（上）》.</p>
"""


def test_clean_text_passes():
    assert check_html("01.html", page(CLEAN)) == []


def test_visible_lines_skip_scripts_styles_head_hidden_and_image_data():
    lines, headings = visible_lines(page(CLEAN))

    text = "\n".join(line.text for line in lines)
    assert "NaN" not in text and "Traceback" not in text and "bmFu" not in text
    assert "Element | Score" in text  # a table row is one line
    assert "Fulfil the service promise | 27" in text
    assert [h.text for h in headings] == [
        "Five ways to exceed service expectations",
        "Overview",
        "Reference cases",
    ]


def test_a_planted_nan_is_found_with_its_page_and_line():
    body = CLEAN.replace('<td class="pb-num">27</td>', '<td class="pb-num">nan</td>')

    leaks = check_html("06_customer_value.html", page(body))

    assert [(leak.page, leak.rule) for leak in leaks] == [("06_customer_value.html", "nan")]
    # the line in the file: page() puts the body on line 8; the cell is on its 5th line
    assert leaks[0].line == 12
    assert "Fulfil the service promise | nan" in str(leaks[0])


def test_a_planted_contract_name_is_found():
    body = CLEAN + "<li>Omnichannel service: not measured; needs digital_channels</li>"

    leaks = check_html("01.html", page(body))

    assert [leak.rule for leak in leaks] == ["internal name digital_channels"]


def test_every_leak_is_reported_not_just_the_first():
    body = CLEAN + (
        "<p>Basis: None</p><p>Value: NaN · inf</p>"
        "<p>as cited in seed article 000</p><p>来源：种子文章 003</p>"
        "<p>needs client.yaml and orders.csv (promised_minutes)</p><p>see scores.json</p>"
        "<p>KeyError: 'x'</p><p>Traceback (most recent call last)</p>"
    )

    rules = sorted(leak.rule for leak in check_html("p.html", page(body)))

    assert rules == sorted(
        [
            "None", "nan", "inf", "seed", "种子", "client.yaml", ".csv", "file name",
            "internal name promised_minutes", "Error", "Traceback",
        ]
    )  # fmt: skip


def test_a_section_heading_with_nothing_under_it_is_found():
    body = "<h1>Title</h1><p>intro</p><h2>Empty</h2><h2>Full</h2><p>x</p><h3></h3><p>y</p>"

    leaks = check_html("p.html", page(body))

    assert [(leak.rule, leak.text) for leak in leaks] == [
        ("empty section", "Empty"),
        ("empty heading", "<h3>"),
    ]


def test_a_heading_whose_subsections_have_content_is_not_empty():
    body = "<h2>Actions</h2><h3>Days 1–30</h3><p>call back detractors</p><h2>End</h2><p>.</p>"

    assert check_html("p.html", page(body)) == []


def test_content_shown_in_the_other_language_is_found():
    zh, en = "兑现服务承诺", "Fulfil the service promise"
    assert zh in content_texts()["zh"] and en in content_texts()["en"]

    leaks = check_html("01.html", page(f"<h2>概览</h2><p>{zh}</p><p>{en}</p>", lang="zh-CN"))

    assert [(leak.rule, leak.text) for leak in leaks] == [("not in zh", en)]


def test_names_come_from_the_contract_and_the_content_files():
    # columns of the tables, client.yaml fields, SERVQUAL prefixes
    assert {"promised_minutes", "digital_channels", "service_cost", "expectation_"} <= (
        contract_identifiers()
    )
    # framework, element, indicator and action ids and the keys of common.yaml
    assert {"exceed_expectations", "fulfil_promise", "promise_kept_rate"} <= content_identifiers()
    # plain words are not names
    assert "channel" not in contract_identifiers() | content_identifiers()


def test_a_column_of_a_prefixed_survey_family_is_found():
    leaks = check_line("p", Line(3, "needs perception_empathy and expectation_empathy"))

    assert [leak.rule for leak in leaks] == [
        "internal name perception_empathy",
        "internal name expectation_empathy",
    ]


def test_pdf_text_is_checked_page_by_page():
    leaks = check_pdf_text("report.pdf", ["Overview\nScore 61", "Revenue share nan\nok"])

    assert [(leak.page, leak.line, leak.rule) for leak in leaks] == [("report.pdf p. 2", 1, "nan")]


@pytest.mark.parametrize("word", ["nancy", "finance", "info", "Nanjing", "Errors", "seedling"])
def test_words_that_contain_a_rule_are_not_leaks(word):
    assert check_line("p", Line(1, f"{word} 12 %")) == []


@pytest.mark.slow
def test_no_rendered_page_shows_what_a_client_must_not_see(demo_reports, orders_only_reports):
    # the demo clients (zh and en, HTML and PDF) and the orders-only client in en and zh
    folders = [demo_reports / c for c in DEMO_CLIENTS] + [
        orders_only_reports / c for c in ("only_orders", "only_orders_zh")
    ]
    portfolios = [demo_reports / "index.html", orders_only_reports / "index.html"]
    pages = [p for f in folders for p in f.glob("*.html")] + portfolios
    languages = {page_language(p.read_text(encoding="utf-8")) for p in pages}
    assert languages == {"zh", "en"} and len(pages) > 40, "every page, in both languages"
    assert all((demo_reports / c / "report.pdf").exists() for c in DEMO_CLIENTS)

    leaks = [leak for folder in folders for leak in check_report(folder)]
    leaks += [
        leak
        for page in portfolios
        for leak in check_html(f"{page.parent.name}/{page.name}", page.read_text(encoding="utf-8"))
    ]

    assert leaks == [], f"{len(leaks)} on the pages:\n" + "\n".join(map(str, leaks))
