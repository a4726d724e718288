"""Put measured text on a slide: text frames, runs with both fonts, badges and boxes.

Every run names its Latin and East Asian typeface (``Fonts``) and its size; every
paragraph gets an exact line spacing and space before (``fit.LINE_HEIGHT``,
``fit.SPACE_BEFORE``), and every frame fixed insets with auto-fit off, so the text takes
exactly the room ``fit`` measured for it. Text is set as plain runs: client and strategist
strings that look like markup stay text, and characters XML cannot hold are dropped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from lxml import etree
from pptx.dml.color import RGBColor
from pptx.enum.dml import MSO_THEME_COLOR
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.text.text import TextFrame
from pptx.util import Emu, Pt

from playbook.report.pptx.fit import BULLET_INDENT, LINE_HEIGHT, SPACE_BEFORE, Para, para_size
from playbook.report.pptx.template import Box, Fonts

#: Insets of every text frame, in EMU (0.1 in left and right, 0.05 in top and bottom).
INSET_X, INSET_Y = 91440, 45720
EMU_PER_PT = 12700
#: Body sizes tried for running text, largest first; the last is the minimum.
BODY_SIZES = (16.0, 14.0, 13.0, 12.0)
#: The same for tables.
TABLE_SIZES = (12.0, 11.0, 10.0)
#: Muted grey for secondary text.
MUTED = RGBColor(0x5F, 0x6B, 0x78)

_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def clean(text: object) -> str:
    """Return text safe for a slide: characters XML cannot hold dropped, tabs as spaces."""
    return _INVALID_XML.sub("", str(text)).replace("\t", " ").replace("\r\n", "\n")


def add_lines(paragraph, text: str) -> list:
    """Add text to a paragraph as runs, its line breaks as ``a:br``; return the runs."""
    runs = []
    for i, line in enumerate(clean(text).split("\n")):
        if i:
            paragraph.add_line_break()
        run = paragraph.add_run()
        run.text = line
        runs.append(run)
    return runs


def inner_width_pt(width: int) -> float:
    """Return the width text may use in a frame ``width`` EMU wide, in points."""
    return (width - 2 * INSET_X) / EMU_PER_PT


def inner_height_pt(height: int) -> float:
    """Return the height text may use in a frame ``height`` EMU tall, in points."""
    return (height - 2 * INSET_Y) / EMU_PER_PT


def style_run(
    run,
    size: float,
    fonts: Fonts,
    lang: str,
    *,
    heading: bool = False,
    bold: bool = False,
    italic: bool = False,
    color: RGBColor | None = None,
) -> None:
    """Set a run's size, weight, colour, language and its Latin and East Asian fonts."""
    font = run.font
    font.size = Pt(size)
    font.bold = bold or None
    font.italic = italic or None
    if color is not None:
        font.color.rgb = color
    name_fonts(run._r.get_or_add_rPr(), fonts, lang, heading)


def name_fonts(rpr, fonts: Fonts, lang: str, heading: bool = False) -> None:
    """Name the Latin and East Asian typefaces and the language in run properties."""
    rpr.set("lang", "zh-CN" if lang == "zh" else "en-US")
    rpr.set("altLang", "en-US" if lang == "zh" else "zh-CN")
    latin = rpr.get_or_add_latin()
    latin.set("typeface", fonts.latin(heading))
    for old in rpr.findall(f"{{{_A}}}ea"):
        rpr.remove(old)
    ea = etree.Element(f"{{{_A}}}ea", typeface=fonts.ea(heading))
    if not fonts.ea(heading).startswith("+"):
        for key, value in fonts.ea_attrs.items():
            ea.set(key, value)
    latin.addnext(ea)


def _color(para: Para, color: RGBColor | None) -> RGBColor | None:
    if para.color:
        return RGBColor.from_string(para.color.lstrip("#"))
    return MUTED if para.kind == "quote" and color is None else color


def _bullet(paragraph, on: bool) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    for tag in ("buNone", "buChar", "buFont", "buAutoNum"):
        for old in ppr.findall(f"{{{_A}}}{tag}"):
            ppr.remove(old)
    if on:
        ppr.set("marL", str(int(BULLET_INDENT * EMU_PER_PT)))
        ppr.set("indent", str(-int(BULLET_INDENT * EMU_PER_PT)))
        etree.SubElement(ppr, f"{{{_A}}}buFont", typeface="Arial")
        etree.SubElement(ppr, f"{{{_A}}}buChar", char="•")
    else:
        ppr.set("marL", "0")
        ppr.set("indent", "0")
        etree.SubElement(ppr, f"{{{_A}}}buNone")


def prepare(frame: TextFrame, anchor: MSO_ANCHOR | None = MSO_ANCHOR.TOP) -> None:
    """Set a frame's insets, wrapping and anchor (None: the layout's), auto-fit off; empty it."""
    frame.clear()
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    frame.margin_left = frame.margin_right = Emu(INSET_X)
    frame.margin_top = frame.margin_bottom = Emu(INSET_Y)
    frame.vertical_anchor = anchor


def write_paras(
    frame: TextFrame,
    paras: Sequence[Para],
    size: float,
    fonts: Fonts,
    lang: str,
    *,
    heading_font: bool = False,
    color: RGBColor | None = None,
    anchor: MSO_ANCHOR | None = MSO_ANCHOR.TOP,
) -> None:
    """Write measured paragraphs into a frame at body size ``size``."""
    prepare(frame, anchor)
    for i, para in enumerate(paras):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        psize = para_size(para, size)
        paragraph.line_spacing = Pt(LINE_HEIGHT * psize)
        paragraph.space_before = Pt(0 if i == 0 else SPACE_BEFORE * psize)
        _bullet(paragraph, para.kind == "bullet" and not para.cont)
        if para.kind == "bullet" and para.cont:  # the rest of a bullet keeps its indent
            ppr = paragraph._p.get_or_add_pPr()
            ppr.set("marL", str(int(BULLET_INDENT * EMU_PER_PT)))
        for run in add_lines(paragraph, para.text):
            style_run(
                run,
                psize,
                fonts,
                lang,
                heading=heading_font or para.kind in ("heading", "display"),
                bold=para.kind in ("heading", "display"),
                italic=para.kind == "quote",
                color=_color(para, color),
            )


def text_box(
    slide,
    box: Box,
    paras: Sequence[Para],
    size: float,
    fonts: Fonts,
    lang: str,
    **kwargs,
):
    """Add a text box holding measured paragraphs; return the shape."""
    shape = slide.shapes.add_textbox(box.left, box.top, box.width, box.height)
    write_paras(shape.text_frame, paras, size, fonts, lang, **kwargs)
    return shape


def shaded_box(slide, box: Box, paras: Sequence[Para], size: float, fonts: Fonts, lang: str):
    """Add a tinted rectangle (the theme's first accent, light) holding paragraphs."""
    shape = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, box.left, box.top, box.width, box.height)
    shape.fill.solid()
    shape.fill.fore_color.theme_color = MSO_THEME_COLOR.ACCENT_1
    shape.fill.fore_color.brightness = 0.88
    shape.line.fill.background()
    shape.shadow.inherit = False
    write_paras(shape.text_frame, paras, size, fonts, lang, color=RGBColor(0x2B, 0x2B, 0x2B))
    return shape


def badge(slide, box: Box, text: str, rgb: str, size: float, fonts: Fonts, lang: str):
    """Add a filled rounded rectangle with centred white text (a score and its band)."""
    shape = slide.shapes.add_shape(
        MSO_SHAPE.ROUNDED_RECTANGLE, box.left, box.top, box.width, box.height
    )
    shape.fill.solid()
    shape.fill.fore_color.rgb = RGBColor.from_string(rgb.lstrip("#"))
    shape.line.fill.background()
    shape.shadow.inherit = False
    write_paras(
        shape.text_frame,
        [Para(text)],
        size,
        fonts,
        lang,
        color=RGBColor(0xFF, 0xFF, 0xFF),
        anchor=MSO_ANCHOR.MIDDLE,
    )
    shape.text_frame.paragraphs[0].alignment = PP_ALIGN.CENTER
    shape.text_frame.paragraphs[0].runs[0].font.bold = True
    return shape


def fill_placeholder(
    shape, paras: Sequence[Para], size: float, fonts: Fonts, lang: str, heading: bool = False
) -> None:
    """Write measured paragraphs into a layout placeholder (title, subtitle, body)."""
    write_paras(
        shape.text_frame,
        paras,
        size,
        fonts,
        lang,
        heading_font=heading,
        anchor=None,
    )
