"""The firm's template: its master and theme are used, layouts by name with the fallback."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from lxml import etree
from pptx import Presentation
from pptx.opc.constants import RELATIONSHIP_TYPE as RT

from playbook.data.clients import load_client
from playbook.diagnosis import diagnose_all
from playbook.report.pptx import DeckOptions, TemplateError, build_deck
from playbook.report.pptx.native import Column
from playbook.report.pptx.template import find_layouts, open_template
from playbook.report.pptx.writer import Writer

A = "http://schemas.openxmlformats.org/drawingml/2006/main"


def firm_template(path, *, rename=None, remove=(), latin="Georgia", ea="", hans="SimHei"):
    """Write a 4:3 template (python-pptx's own) with layouts renamed or removed, a named
    master, another theme font and a sample slide; return its path."""
    prs = Presentation()
    for layout in list(prs.slide_layouts):
        if layout.name in remove:
            prs.slide_layouts.remove(layout)
        elif rename and layout.name in rename:
            layout._element.cSld.set("name", rename[layout.name])
    theme = prs.slide_master.part.part_related_by(RT.THEME)
    root = etree.fromstring(theme.blob)
    for kind in ("majorFont", "minorFont"):
        font = root.find(f".//{{{A}}}{kind}")
        font.find(f"{{{A}}}latin").set("typeface", latin)
        font.find(f"{{{A}}}ea").set("typeface", ea)
        font.find(f"{{{A}}}font[@script='Hans']").set("typeface", hans)
    theme._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    prs.slide_master._element.cSld.set("name", "Firm master")
    # a sample slide, as firm templates have: it must not reach the deck
    prs.slides.add_slide(prs.slide_layouts[0]).shapes.title.text = "SAMPLE SLIDE"
    prs.save(path)
    return path


def test_layouts_are_found_by_name_ignoring_case_and_punctuation(tmp_path):
    path = firm_template(
        tmp_path / "firm.pptx",
        rename={"Title Only": "title-only", "Section Header": "SECTION HEADER"},
    )
    layouts = find_layouts(open_template(path))
    assert (layouts.title_only.name, layouts.section.name) == ("title-only", "SECTION HEADER")
    assert layouts.fallbacks == {}


def test_missing_layouts_fall_back_as_documented(tmp_path):
    path = firm_template(
        tmp_path / "firm.pptx",
        rename={"Section Header": "Kapitel", "Title and Content": "Inhalt"},
        remove=("Title Only",),
    )
    layouts = find_layouts(open_template(path))
    # section: none named so -> the title layout; content: the layout with a title and one
    # body; title only: none with a title alone -> that content layout (its body removed)
    assert layouts.section.name == "Title Slide"
    assert layouts.content.name == "Inhalt"
    assert layouts.title_only.name == "Inhalt"
    assert set(layouts.fallbacks) == {"section", "content", "title_only"}


def test_the_deck_is_built_on_the_firms_master_theme_and_size(tmp_path, make_client, overflows):
    path = firm_template(
        tmp_path / "firm.pptx",
        rename={"Section Header": "Kapitel"},
        remove=("Title Only",),
    )
    workshop = {"frameworks": {"exceed_expectations": {"fulfil_promise": {"score": 2}}}}
    data = load_client("acme", make_client(assessment=workshop))
    prs = build_deck(
        data, diagnose_all(data), DeckOptions("zh", "2024-01-05", path), picture=lambda e, c: None
    )
    buf = io.BytesIO()
    prs.save(buf)
    deck = Presentation(buf)
    assert deck.slide_master._element.cSld.get("name") == "Firm master"
    assert (deck.slide_width, deck.slide_height) == (9144000, 6858000)  # the template's 4:3
    used = {s.slide_layout.name for s in deck.slides}
    assert "Kapitel" not in used and "Title Only" not in used
    assert used <= {"Title Slide", "Title and Content"}
    assert all(s.shapes.title is not None for s in deck.slides)
    assert "SAMPLE SLIDE" not in [s.shapes.title.text for s in deck.slides]
    theme = deck.slide_master.part.part_related_by(RT.THEME).blob
    assert b'<a:latin typeface="Georgia"' in theme
    xml = b"".join(s.part.blob for s in deck.slides).decode("utf-8")
    # Latin from the theme; East Asian: the theme names none, so its Chinese script font
    assert set(re.findall(r'<a:latin typeface="([^"]+)"', xml)) == {"+mj-lt", "+mn-lt"}
    assert set(re.findall(r'<a:ea typeface="([^"]+)"', xml)) == {"SimHei"}
    assert overflows(deck) == []


def test_a_theme_without_any_chinese_font_gets_the_documented_default(tmp_path, make_client):
    path = firm_template(tmp_path / "firm.pptx", hans="")
    data = load_client("acme", make_client())
    prs = build_deck(
        data,
        diagnose_all(data)[:1],  # one framework is enough here
        DeckOptions("zh", "2024-01-05", path),
        picture=lambda e, c: None,
    )
    xml = prs.slides[0].part.blob.decode("utf-8")
    assert '<a:ea typeface="Microsoft YaHei" charset="-122"' in xml


def test_a_theme_naming_an_east_asian_font_is_referenced(tmp_path, make_client):
    path = firm_template(tmp_path / "firm.pptx", ea="PingFang SC")
    data = load_client("acme", make_client())
    prs = build_deck(
        data,
        diagnose_all(data)[:1],  # one framework is enough here
        DeckOptions("en", "2024-01-05", path),
        picture=lambda e, c: None,
    )
    xml = prs.slides[0].part.blob.decode("utf-8")
    assert set(re.findall(r'<a:ea typeface="([^"]+)"', xml)) <= {"+mj-ea", "+mn-ea"}


def test_an_unusable_template_is_named(tmp_path):
    with pytest.raises(TemplateError, match="not found"):
        open_template(tmp_path / "missing.pptx")
    bad = tmp_path / "notes.pptx"
    bad.write_text("not a deck", encoding="utf-8")
    with pytest.raises(TemplateError, match="notes.pptx: not a PowerPoint file"):
        open_template(bad)
    bomb = tmp_path / "bomb.pptx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("ppt/media/image1.png", b"\0" * (4 << 20))  # 4 MB of zeros: ~1000×
    assert bomb.stat().st_size < 64 * 1024
    with pytest.raises(TemplateError, match="bomb.pptx: a part unzips"):
        open_template(bomb)


def test_a_table_row_taller_than_a_slide_is_cut_not_overflowing(overflows):
    prs = open_template(None)
    w = Writer(prs, "zh")
    slide = w.slide("title_only", "表")
    columns = [Column("甲", 0.3), Column("乙", 0.7)]
    rows = [["短", "很长的文字" * 2000], ["短", "正常"]]
    w.table(slide, w.box, columns, rows, "表", lambda _: "")
    assert overflows(prs) == []
    cells = [
        c.text
        for s in prs.slides
        for sh in s.shapes
        if sh.has_table
        for r in sh.table.rows
        for c in r.cells
    ]
    assert any(c.endswith("…") for c in cells) and "正常" in cells
