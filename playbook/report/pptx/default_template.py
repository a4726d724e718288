"""Build the shipped default template: a clean 16:9 master in the report's colours.

Built from python-pptx's own template (whose layouts carry the standard names: Title Slide,
Title and Content, Section Header, Title Only, …): widened to 16:9, its theme given the
report's palette and fonts (Arial; Microsoft YaHei for Chinese, with the GB2312 character
set so a machine without it substitutes its own Simplified Chinese sans-serif), titles
left-aligned in the report's dark blue, and a thin accent bar along the top of each slide.
``python -m playbook.report.pptx.default_template OUT.pptx`` writes it, as a starting point
for a firm's own template.
"""

from __future__ import annotations

import io
import sys
from functools import cache

from lxml import etree
from pptx import Presentation
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.util import Emu, Inches

from playbook.theme import BAND_COLORS, PALETTE, TEXT

#: 16:9 at 13.333 × 7.5 in.
WIDTH, HEIGHT = Emu(12192000), Emu(6858000)
LATIN_FONT = "Arial"
EA_FONT = "Microsoft YaHei"
EA_ATTRS = {"charset": "-122", "panose": "020B0503020204020204", "pitchFamily": "34"}
#: Theme colours: the report's text colour, light grey, its palette as the accents.
COLORS = {
    "dk2": PALETTE[0].lstrip("#"),
    "lt2": "EEF2F6",
    "accent1": PALETTE[0].lstrip("#"),
    "accent2": PALETTE[1].lstrip("#"),
    "accent3": PALETTE[2].lstrip("#"),
    "accent4": PALETTE[3].lstrip("#"),
    "accent5": BAND_COLORS["gap"].lstrip("#"),
    "accent6": PALETTE[7].lstrip("#"),
    "hlink": PALETTE[0].lstrip("#"),
}
TITLE_SIZE = 2800  # hundredths of a point
TITLE_TOP, TITLE_HEIGHT = Inches(0.3), Inches(1.0)
BODY_TOP, BODY_BOTTOM = Inches(1.45), Inches(6.85)
SECTION_TITLE_TOP = Inches(2.2)
_OLD_TITLE, _OLD_BODY_TOP = (274638, 1143000), 1600200  # python-pptx template

_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_P = "http://schemas.openxmlformats.org/presentationml/2006/main"
_NS = {"a": _A, "p": _P}

_BAR = f"""<p:sp xmlns:p="{_P}" xmlns:a="{_A}"><p:nvSpPr><p:cNvPr id="90" name="Accent bar"/>
<p:cNvSpPr/><p:nvPr userDrawn="1"/></p:nvSpPr><p:spPr><a:xfrm><a:off x="0" y="0"/>
<a:ext cx="{int(WIDTH)}" cy="91440"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom>
<a:solidFill><a:schemeClr val="accent1"/></a:solidFill><a:ln><a:noFill/></a:ln></p:spPr>
</p:sp>"""


def _theme(blob: bytes) -> bytes:
    """Return the theme with the report's colours and fonts."""
    root = etree.fromstring(blob)
    scheme = root.find(f".//{{{_A}}}clrScheme")
    scheme.set("name", "Service Strategy Playbook")
    for name, rgb in COLORS.items():
        slot = scheme.find(f"a:{name}", _NS)
        for child in list(slot):
            slot.remove(child)
        etree.SubElement(slot, f"{{{_A}}}srgbClr", val=rgb)
    dk1 = scheme.find("a:dk1", _NS)
    for child in list(dk1):
        dk1.remove(child)
    etree.SubElement(dk1, f"{{{_A}}}srgbClr", val=TEXT.lstrip("#"))
    fonts = root.find(f".//{{{_A}}}fontScheme")
    fonts.set("name", "Service Strategy Playbook")
    for kind in ("majorFont", "minorFont"):
        font = fonts.find(f"a:{kind}", _NS)
        font.find("a:latin", _NS).set("typeface", LATIN_FONT)
        ea = font.find("a:ea", _NS)
        ea.set("typeface", EA_FONT)
        for key, value in EA_ATTRS.items():
            ea.set(key, value)
        font.find("a:font[@script='Hans']", _NS).set("typeface", EA_FONT)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _widen(shapes, factor: float) -> None:
    """Stretch shapes horizontally (an inherited position becomes the shape's own)."""
    for shape in shapes:
        if shape.width:
            left, top, width, height = shape.left, shape.top, shape.width, shape.height
            shape.left, shape.width = Emu(round(left * factor)), Emu(round(width * factor))
            shape.top, shape.height = top, height


def _tighten(shapes) -> None:
    """Give the title 1 in of height from 0.3 in and start the body just below it."""
    for shape in shapes:
        kind = shape.placeholder_format.type
        if kind == PP_PLACEHOLDER.TITLE and (shape.top, shape.height) == _OLD_TITLE:
            shape.top, shape.height = TITLE_TOP, TITLE_HEIGHT
        elif kind in (PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT) and shape.top == _OLD_BODY_TOP:
            shape.top, shape.height = BODY_TOP, BODY_BOTTOM - BODY_TOP


def _section_header(layout) -> None:
    """Put the section header's title above its text (python-pptx's has it below)."""
    for shape in layout.placeholders:
        kind = shape.placeholder_format.type
        if kind == PP_PLACEHOLDER.TITLE:
            shape.top, shape.height = SECTION_TITLE_TOP, Inches(1.4)
        elif kind == PP_PLACEHOLDER.BODY:
            shape.top, shape.height = SECTION_TITLE_TOP + Inches(1.5), Inches(1.8)


def build_default_template() -> bytes:
    """Return the default template as the bytes of a .pptx file."""
    prs = Presentation()
    factor = WIDTH / prs.slide_width
    prs.slide_width, prs.slide_height = WIDTH, HEIGHT
    master = prs.slide_master
    for layout in prs.slide_layouts:  # before the master: layouts read positions from it
        _widen(layout.placeholders, factor)
    _widen(master.placeholders, factor)
    for layout in [master, *prs.slide_layouts]:
        _tighten(layout.placeholders)
    _section_header(next(lay for lay in prs.slide_layouts if lay.name == "Section Header"))
    theme = master.part.part_related_by(RT.THEME)
    theme._blob = _theme(theme.blob)
    title = master.element.find("p:txStyles/p:titleStyle/a:lvl1pPr", _NS)
    title.set("algn", "l")
    rpr = title.find("a:defRPr", _NS)
    rpr.set("sz", str(TITLE_SIZE))
    rpr.find("a:solidFill/a:schemeClr", _NS).set("val", "tx2")
    master.shapes._spTree.append(etree.fromstring(_BAR))
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()


@cache
def default_template_bytes() -> bytes:
    """Return the default template's bytes, built once per process."""
    return build_default_template()


if __name__ == "__main__":  # write the default template, e.g. as a firm's starting point
    if len(sys.argv) != 2:
        sys.exit("usage: python -m playbook.report.pptx.default_template OUT.pptx")
    with open(sys.argv[1], "wb") as fh:
        fh.write(default_template_bytes())
