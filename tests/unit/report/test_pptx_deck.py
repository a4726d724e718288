"""The deck read back with python-pptx: its slides, native charts, notes, text and fonts.

Decks are built in-process from diagnoses (no kernel); element charts are a stand-in
picture (``fake_picture``), except in the one test of the real picture.
"""

from __future__ import annotations

import io
from dataclasses import replace

import pytest
import yaml
from pptx import Presentation

from playbook.content import common, frameworks
from playbook.data.clients import load_client
from playbook.data.commentary import Commentary
from playbook.data.contract import ReportScope
from playbook.diagnosis import diagnose_all
from playbook.report.manifest import build_scores
from playbook.report.pptx import DeckOptions, build_deck
from playbook.report.pptx.pictures import element_picture
from playbook.units import format_value

CONTINUED = {"zh": "（续）", "en": " (continued)"}
CANARY = "CANARY-7f3a 外卖超时集中在雨天晚高峰"


@pytest.fixture(scope="module")
def brewlane():
    """Return the demo client brewlane_coffee and its diagnoses (computed once here)."""
    data = load_client("brewlane_coffee")
    return data, diagnose_all(data)


@pytest.fixture(scope="module")
def zh_deck(brewlane, fake_picture):
    """Return brewlane_coffee's deck in Chinese, saved and opened again."""
    data, diagnoses = brewlane
    return reopen(
        build_deck(data, diagnoses, DeckOptions("zh", "2025-07-01"), picture=fake_picture)
    )


@pytest.fixture(scope="module")
def en_deck(brewlane, fake_picture):
    """Return brewlane_coffee's deck in English, saved and opened again."""
    data, diagnoses = brewlane
    return reopen(
        build_deck(data, diagnoses, DeckOptions("en", "2025-07-01"), picture=fake_picture)
    )


def reopen(prs):
    """Save a presentation and open it again, as a reader of the file would."""
    buf = io.BytesIO()
    prs.save(buf)
    buf.seek(0)
    return Presentation(buf)


def titles(prs) -> list[str]:
    return [s.shapes.title.text if s.shapes.title is not None else "" for s in prs.slides]


def primary(prs, lang: str) -> list[str]:
    return [t for t in titles(prs) if not t.endswith(CONTINUED[lang])]


def expected_slides(scores: dict, hidden: int = 0) -> int:
    """The deck's formula: title, agenda, summary, gaps; per framework a section, an
    overview and its assessed elements; the plan; method, coverage, cases (+ set aside)."""
    per_framework = sum(
        2 + sum(e["score"] is not None for e in f["elements"]) for f in scores["frameworks"]
    )
    return 4 + per_framework + 1 + 3 + (1 if hidden else 0)


def scores_of(data, diagnoses, lang) -> dict:
    return build_scores(diagnoses, client_id=data.config.id, lang=lang, as_of="")


def charts(slide) -> list:
    return [s.chart for s in slide.shapes if s.has_chart]


def test_the_deck_has_one_slide_per_assessed_element_and_the_formula_count(brewlane, zh_deck):
    data, diagnoses = brewlane
    prs = zh_deck
    scores = scores_of(data, diagnoses, "zh")
    assert len(primary(prs, "zh")) == expected_slides(scores)
    shown = titles(prs)
    for f in scores["frameworks"]:
        assert f["title"]["zh"] in shown  # its section header
        for number, e in enumerate(f["elements"], start=1):
            slide_title = f"{number}. {e['title']['zh']}"
            assert (slide_title in shown) == (e["score"] is not None)
    assert shown[0] == data.config.name


def test_the_summary_chart_holds_the_framework_scores_of_scores_json(brewlane, en_deck):
    data, diagnoses = brewlane
    prs = en_deck
    scores = scores_of(data, diagnoses, "en")
    summary = next(s for s in prs.slides if s.shapes.title.text == "Executive summary")
    (chart,) = charts(summary)
    scored = [f for f in scores["frameworks"] if f["score"] is not None]
    assert list(chart.plots[0].categories) == [f["title"]["en"] for f in scored]
    assert list(chart.series[0].values) == pytest.approx([f["score"] for f in scored], abs=0.051)
    # band colours: a bar is red, amber or green as its framework's band
    colours = {"gap": "C0392B", "developing": "D68910", "strong": "1E8449"}
    for point, f in zip(chart.series[0].points, scored, strict=True):
        assert str(point.format.fill.fore_color.rgb) == colours[f["band"]]


def test_each_overview_chart_holds_its_element_scores(brewlane, en_deck):
    data, diagnoses = brewlane
    prs = en_deck
    scores = scores_of(data, diagnoses, "en")
    by_title = {s.shapes.title.text: s for s in prs.slides}
    for f in scores["frameworks"]:
        slide = by_title[f"{f['title']['en']}: overview"]
        scored = [(i, e) for i, e in enumerate(f["elements"], start=1) if e["score"] is not None]
        (chart,) = charts(slide)
        assert list(chart.plots[0].categories) == [f"{i}. {e['title']['en']}" for i, e in scored]
        assert list(chart.series[0].values) == pytest.approx(
            [e["score"] for _, e in scored], abs=0.051
        )


def test_element_notes_carry_every_indicators_evidence(brewlane, en_deck):
    data, diagnoses = brewlane
    prs = en_deck
    notes = {
        s.shapes.title.text: s.notes_slide.notes_text_frame.text
        for s in prs.slides
        if s.has_notes_slide
    }
    first = diagnoses[0].elements[0]  # fulfil the promise: the promise-kept rate, worked out
    kept = next(r for r in first.indicators if r.ref.id == "promise_kept_rate")
    text = notes[f"1. {first.element.title('en')}"]
    assert f"value {kept.value * 100:.1f}%" in text
    assert f"target {kept.target * 100:.1f}%" in text
    assert f"previous period {kept.previous * 100:.1f}%" in text
    assert f"{kept.n:,} rows" in text
    assert f"weakest channel: {kept.weakest[0]} at {kept.weakest[1] * 100:.1f}%" in text
    scores = scores_of(data, diagnoses, "en")
    for f in scores["frameworks"]:
        for number, e in enumerate(f["elements"], start=1):
            if e["score"] is None:
                continue
            text = notes[f"{number}. {e['title']['en']}"]
            for ind in e["indicators"]:
                if ind["value"] is not None:
                    unit = common().indicators[ind["id"]].unit
                    assert format_value(ind["value"], unit, "en", data.config.currency) in text
                    assert f"{ind['n']:,} rows" in text


def test_client_name_strategist_text_and_markup_stay_plain_text(make_client):
    name = "<script>alert('x')</script> Café & Co"
    fw = frameworks()[0]
    element = fw.elements[0]  # scored from the workshop, so it has a slide
    workshop = {"frameworks": {fw.id: {element.id: {"score": 2, "evidence": "<em>x</em>"}}}}
    view = f"<b>{CANARY}</b> & <img src=x onerror=alert(1)>"
    commentary = {
        "author": "<i>A. Strategist</i>",
        "summary": "Summary with <script>evil()</script> and **bold** words",
        "frameworks": {
            fw.id: {
                "elements": {
                    element.id: {
                        "view": view,
                        "actions": [{"text": "Call <them>", "owner": "Ops", "due_days": 20}],
                    }
                }
            }
        },
    }
    clients = make_client(
        config={"name": name},
        assessment=workshop,
        files={"commentary.yaml": yaml.safe_dump(commentary, allow_unicode=True)},
    )
    data = load_client("acme", clients)
    prs = reopen(
        build_deck(data, diagnose_all(data), DeckOptions("en", "2025-07-01"), lambda e, c: None)
    )
    texts = [
        p.text
        for s in prs.slides
        for shape in s.shapes
        if shape.has_text_frame
        for p in shape.text_frame.paragraphs
    ]
    assert prs.slides[0].shapes.title.text == name
    assert any(view in t for t in texts)
    assert any("Prepared by <i>A. Strategist</i>" in t for t in texts)
    assert any("Strategist's addition: Call <them> (Ops, within 20 days)" in t for t in texts)
    assert "Summary with <script>evil()</script> and bold words" in texts
    xml = b"".join(s.part.blob for s in prs.slides)
    assert b"<script>" not in xml and b"&lt;script&gt;" in xml


def test_every_run_names_a_latin_and_an_east_asian_font(zh_deck):
    prs = zh_deck
    a = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
    for slide in prs.slides:
        for rpr in slide._element.iter(f"{a}rPr"):
            assert rpr.find(f"{a}latin") is not None and rpr.find(f"{a}ea") is not None
            assert rpr.get("lang") == "zh-CN"
    # the default template's theme names the Latin and the East Asian font
    theme = prs.slide_master.part.part_related_by(
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme"
    ).blob
    assert b'<a:ea typeface="Microsoft YaHei"' in theme and b'<a:latin typeface="Arial"' in theme
    assert prs.slide_width * 9 == prs.slide_height * 16


def test_every_slide_carries_speaker_notes(zh_deck):
    empty = [
        (n, s.shapes.title.text)
        for n, s in enumerate(zh_deck.slides, start=1)
        if not (s.has_notes_slide and s.notes_slide.notes_text_frame.text.strip())
    ]
    assert empty == []


def test_no_text_overflows_on_a_demo_deck(zh_deck, en_deck, overflows):
    assert overflows(zh_deck) == []
    assert overflows(en_deck) == []


def test_an_orders_only_client_gives_a_valid_shorter_deck(
    make_client, zh_deck, fake_picture, overflows
):
    data = load_client("acme", make_client())
    diagnoses = diagnose_all(data)
    prs = reopen(build_deck(data, diagnoses, DeckOptions("en", "2024-01-05"), picture=fake_picture))
    scores = scores_of(data, diagnoses, "en")
    assert len(primary(prs, "en")) == expected_slides(scores)
    assert len(prs.slides) < len(zh_deck.slides)
    assert overflows(prs) == []


def test_the_element_picture_is_the_sites_first_chart(brewlane):
    data, diagnoses = brewlane
    first = diagnoses[0].elements[0]
    from playbook.charts import ChartContext

    picture = element_picture(first, ChartContext("zh", "CNY", data.config.name))
    assert picture is not None and picture.png.startswith(b"\x89PNG")
    assert 1.5 < picture.width / picture.height < 5  # a wide bar chart, drawn at 150 dpi
    nothing = next(
        e for d in diagnoses for e in d.elements if not any(r.measured for r in e.indicators)
    )
    assert element_picture(nothing, ChartContext("zh", "CNY", "")) is None


def text_of(slide) -> str:
    """Return every text of a slide: its frames and its table cells."""
    parts = [sh.text_frame.text for sh in slide.shapes if sh.has_text_frame]
    for sh in slide.shapes:
        if sh.has_table:
            parts += [c.text for row in sh.table.rows for c in row.cells]
    return "\n".join(parts)


def test_the_strategists_scope_views_and_actions_shape_the_deck(brewlane, fake_picture, overflows):
    data, _ = brewlane
    sentence = (
        "The rainy-evening delivery delays come from too few riders at the two busiest stores. "
    )
    commentary = Commentary.model_validate(
        {
            "author": "Strategy team",
            "summary": "\n".join(sentence * 4 for _ in range(10)),  # 40 sentences
            "frameworks": {
                "exceed_expectations": {
                    "summary": "CANARY-FRAMEWORK",
                    "elements": {
                        "fulfil_promise": {
                            "view": sentence * 30,
                            "hide_actions": [{"id": "reset_promise", "reason": "CANARY-REASON"}],
                            "actions": [{"text": "CANARY-OWN", "owner": "COO", "due_days": 45}],
                        }
                    },
                }
            },
        }
    )
    scope = ReportScope(
        frameworks=["customer_value", "exceed_expectations", "journey_goals"],
        exclude_elements={"journey_goals": {"refreshed_scenes": "CANARY-SCOPE"}},
    )
    data = replace(
        data, commentary=commentary, config=data.config.model_copy(update={"report": scope})
    )
    diagnoses = diagnose_all(data)
    prs = reopen(build_deck(data, diagnoses, DeckOptions("en", "2025-07-01"), fake_picture))
    assert overflows(prs) == []
    # three frameworks, one element out, one action set aside: the formula still holds
    scores = scores_of(data, diagnoses, "en")
    assert [f["id"] for f in scores["frameworks"]] == [
        "exceed_expectations",
        "journey_goals",
        "customer_value",
    ]
    assert len(primary(prs, "en")) == expected_slides(scores, hidden=1)
    shown = titles(prs)
    pairs = list(zip(shown, prs.slides, strict=True))  # continuations repeat a title
    by_title = dict(pairs)
    subtitle = text_of(prs.slides[0])
    named = ", ".join(d.framework.title("en") for d in diagnoses)
    assert f"Scope: {named}" in subtitle and "Prepared by Strategy team" in subtitle
    # long texts continue on further slides, every sentence once
    promise = diagnoses[0].element("fulfil_promise")
    assert "Executive summary (continued)" in shown
    assert f"1. {promise.element.title('en')} (continued)" in shown
    summary = " ".join(text_of(s) for t, s in pairs if t.startswith("Executive summary"))
    assert summary.split().count("riders") == 40
    # the set-aside action: off the element and the plan, in the appendix with its reason
    reset = next(
        a
        for a in diagnoses[0].framework.element("fulfil_promise").actions
        if a.id == "reset_promise"
    )
    element = " ".join(text_of(s) for t, s in pairs if t.startswith("1. "))
    plan = " ".join(text_of(s) for t, s in pairs if t.startswith("30/60/90"))
    appendix = text_of(by_title["Appendix: recommended actions set aside by the strategist"])
    assert reset.text("en") not in element and reset.text("en") not in plan
    assert reset.text("en") in appendix and "CANARY-REASON" in appendix
    assert "Strategist's addition: CANARY-OWN (COO, within 45 days)" in element
    assert "Strategist's addition: CANARY-OWN" in plan and "Days 31–60" in plan
    # the excluded element: one line on its overview with the reason, no slide
    journey = diagnoses[1]
    overview = text_of(by_title[f"{journey.framework.title('en')}: overview"])
    refresh = journey.framework.element("refreshed_scenes").title("en")
    assert f"3. {refresh}: CANARY-SCOPE" in overview
    assert not any(t.startswith(f"3. {refresh}") for t in shown)
    assert "CANARY-FRAMEWORK" in text_of(
        by_title[f"{diagnoses[0].framework.title('en')}: overview"]
    )


@pytest.mark.slow
@pytest.mark.parametrize("client_id", ["brewlane_coffee", "wayfare_travel", "slice_pizza"])
def test_no_text_overflows_in_any_demo_deck_in_either_language(client_id, fake_picture, overflows):
    data = load_client(client_id)
    diagnoses = diagnose_all(data)
    for lang in ("zh", "en"):
        prs = reopen(build_deck(data, diagnoses, DeckOptions(lang, "2025-07-01"), fake_picture))
        assert overflows(prs) == [], (client_id, lang)
        assert len(primary(prs, lang)) == expected_slides(scores_of(data, diagnoses, lang))
