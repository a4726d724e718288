"""Open the deck's template and find what the deck uses in it: layouts, fonts, content area.

The deck is built on a template's slide master: the firm's own ``.pptx`` (``--pptx-template``
or ``pptx_template:`` in ``client.yaml``), else the shipped default (``default_template``).
Slides already in the template are dropped; its layouts are used by name:

=============  ==================================  =========================================
role           layout names looked for             when none has that name
=============  ==================================  =========================================
title          Title Slide, Title                  a layout with a centred title, else the
                                                   section layout, else title only
section        Section Header, Section Title,      the title layout, else title only
               Section
content        Title and Content, Title, Content,  a layout with a title and one body
               Content                             placeholder, else title only
title only     Title Only                          a layout with a title and no body, else
                                                   the content layout (body removed), else
                                                   the first layout
=============  ==================================  =========================================

Names are compared ignoring case, spaces and punctuation. Text takes the template's theme
fonts (``+mj-lt``/``+mn-lt`` for Latin, ``+mj-ea``/``+mn-ea`` for East Asian); when the
theme names no East Asian font, runs name its Simplified Chinese script font, else
``DEFAULT_EA_FONT`` (Microsoft YaHei), with the GB2312 character set so that a machine
without it substitutes its own Simplified Chinese sans-serif (PingFang SC on macOS, Noto
Sans CJK SC on Linux). No font is embedded.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree
from pptx import Presentation
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.presentation import Presentation as PresentationType
from pptx.slide import SlideLayout
from pptx.util import Emu, Inches

from playbook.report.pptx.default_template import default_template_bytes

#: East Asian font when the template's theme names none (ships with Windows and Office).
DEFAULT_EA_FONT = "Microsoft YaHei"
#: Its character set (GB2312, as a signed byte), PANOSE and pitch family, for substitution.
DEFAULT_EA_ATTRS = {"charset": "-122", "panose": "020B0503020204020204", "pitchFamily": "34"}

ROLE_NAMES: dict[str, tuple[str, ...]] = {
    "title": ("Title Slide", "Title"),
    "section": ("Section Header", "Section Title", "Section"),
    "content": ("Title and Content", "Title, Content", "Content"),
    "title_only": ("Title Only",),
}

_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_TITLES = (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE)
_BODIES = (PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT)
_FOOTERS = (PP_PLACEHOLDER.DATE, PP_PLACEHOLDER.FOOTER, PP_PLACEHOLDER.SLIDE_NUMBER)


#: A template larger than this on disk, or unzipping to more, is refused before it is opened.
MAX_TEMPLATE_BYTES = 100 * 1024 * 1024
MAX_TEMPLATE_UNZIPPED = 512 * 1024 * 1024
#: A part over 1 MB unzipping more than this many times its stored size is refused (a bomb).
MAX_PART_RATIO = 200


class TemplateError(ValueError):
    """The deck's template cannot be used (missing, not a .pptx, too big, no layouts)."""


def check_template_file(path: Path) -> None:
    """Refuse a template that is too big or unzips like a bomb (from its zip directory).

    Raises:
        TemplateError: naming the file and what is wrong.
    """
    if path.stat().st_size > MAX_TEMPLATE_BYTES:
        raise TemplateError(f"{path}: larger than {MAX_TEMPLATE_BYTES >> 20} MB")
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise TemplateError(f"{path}: not a PowerPoint file (.pptx is a zip file)") from None
    if sum(p.file_size for p in parts) > MAX_TEMPLATE_UNZIPPED:
        raise TemplateError(f"{path}: unzips to more than {MAX_TEMPLATE_UNZIPPED >> 20} MB")
    for part in parts:
        if part.file_size > 1 << 20 and part.file_size > MAX_PART_RATIO * part.compress_size:
            raise TemplateError(
                f"{path}: a part unzips {part.file_size // max(part.compress_size, 1):,} times "
                "larger than it is stored; save the template again from PowerPoint"
            )


@dataclass(frozen=True)
class Fonts:
    """The typefaces a run names: Latin and East Asian, for headings and body text."""

    heading_latin: str = "+mj-lt"
    body_latin: str = "+mn-lt"
    heading_ea: str = "+mj-ea"
    body_ea: str = "+mn-ea"
    #: extra attributes of an explicitly named East Asian font (charset, PANOSE)
    ea_attrs: dict[str, str] = field(default_factory=dict)

    def latin(self, heading: bool) -> str:
        """Return the Latin typeface of a heading or body run."""
        return self.heading_latin if heading else self.body_latin

    def ea(self, heading: bool) -> str:
        """Return the East Asian typeface of a heading or body run."""
        return self.heading_ea if heading else self.body_ea


@dataclass(frozen=True)
class Box:
    """A rectangle on a slide, in EMU."""

    left: int
    top: int
    width: int
    height: int

    @property
    def bottom(self) -> int:
        """Return the bottom edge."""
        return self.top + self.height


@dataclass(frozen=True)
class Layouts:
    """The template's layout for each role, and which roles fell back to another name."""

    title: SlideLayout
    section: SlideLayout
    content: SlideLayout
    title_only: SlideLayout
    fallbacks: dict[str, str] = field(default_factory=dict)


def _norm(name: str) -> str:
    return re.sub(r"[^0-9a-z]+", "", name.casefold())


def open_template(path: Path | None) -> PresentationType:
    """Open the template (the shipped default for None) and drop the slides it holds.

    Raises:
        TemplateError: the file is missing, is not a PowerPoint file, or has no layouts.
    """
    if path is None:
        prs = Presentation(io.BytesIO(default_template_bytes()))
    else:
        path = Path(path)
        if not path.is_file():
            raise TemplateError(f"{path}: PowerPoint template not found")
        check_template_file(path)
        try:
            prs = Presentation(str(path))
        except Exception as exc:  # python-pptx raises several kinds for a bad file
            raise TemplateError(f"{path}: not a PowerPoint file (.pptx): {exc}") from exc
    if not len(prs.slide_layouts):
        raise TemplateError(f"{path}: the template's slide master has no layouts")
    ids = prs.slides._sldIdLst
    for sld_id in list(ids):
        prs.part.drop_rel(sld_id.rId)
        ids.remove(sld_id)
    return prs


def _types(layout: SlideLayout) -> list:
    return [ph.placeholder_format.type for ph in layout.placeholders]


def _has_title(layout: SlideLayout) -> bool:
    return any(t in _TITLES for t in _types(layout))


def _is_content(layout: SlideLayout) -> bool:
    types = [t for t in _types(layout) if t not in _FOOTERS]
    return _has_title(layout) and sum(t in _BODIES for t in types) == 1 and len(types) == 2


def _is_title_only(layout: SlideLayout) -> bool:
    types = [t for t in _types(layout) if t not in _FOOTERS]
    return _has_title(layout) and len(types) == 1


def find_layouts(prs: PresentationType) -> Layouts:
    """Return the layout of each role, by name, else by the documented fallback."""
    layouts = list(prs.slide_layouts)
    by_name = {}
    for role, names in ROLE_NAMES.items():
        wanted = [_norm(n) for n in names]
        by_name[role] = next((lay for w in wanted for lay in layouts if _norm(lay.name) == w), None)
    first = lambda pred: next((lay for lay in layouts if pred(lay)), None)  # noqa: E731
    title_only = (
        by_name["title_only"]
        or first(_is_title_only)
        or first(_is_content)
        or first(_has_title)
        or layouts[0]
    )
    content = by_name["content"] or first(_is_content) or title_only
    centred = first(lambda lay: PP_PLACEHOLDER.CENTER_TITLE in _types(lay))
    title = by_name["title"] or centred or by_name["section"] or title_only
    section = by_name["section"] or title
    chosen = {"title": title, "section": section, "content": content, "title_only": title_only}
    fallbacks = {role: lay.name for role, lay in chosen.items() if by_name[role] is None}
    return Layouts(title, section, content, title_only, fallbacks)


def theme_fonts(prs: PresentationType) -> Fonts:
    """Return the fonts runs name, from the theme of the template's slide master."""
    try:
        theme = etree.fromstring(prs.slide_master.part.part_related_by(RT.THEME).blob)
    except (KeyError, etree.XMLSyntaxError):
        return Fonts(heading_ea=DEFAULT_EA_FONT, body_ea=DEFAULT_EA_FONT, ea_attrs=DEFAULT_EA_ATTRS)

    def ea(kind: str) -> tuple[str, dict[str, str]]:
        font = theme.find(f".//{{{_A}}}fontScheme/{{{_A}}}{kind}Font")
        if font is None:
            return DEFAULT_EA_FONT, DEFAULT_EA_ATTRS
        named = font.find(f"{{{_A}}}ea")
        if named is not None and named.get("typeface", "").strip():
            return ("+mj-ea" if kind == "major" else "+mn-ea"), {}
        hans = font.find(f"{{{_A}}}font[@script='Hans']")
        if hans is not None and hans.get("typeface", "").strip():
            return hans.get("typeface"), {}
        return DEFAULT_EA_FONT, DEFAULT_EA_ATTRS

    heading, heading_attrs = ea("major")
    body, body_attrs = ea("minor")
    return Fonts(heading_ea=heading, body_ea=body, ea_attrs=heading_attrs or body_attrs)


def placeholder(layout: SlideLayout, types: tuple) -> object | None:
    """Return a layout's first placeholder of the given types, or None."""
    return next((ph for ph in layout.placeholders if ph.placeholder_format.type in types), None)


def content_box(prs: PresentationType, layout: SlideLayout) -> Box:
    """Return the area below a layout's title and above its footers, for slide content."""
    width, height = prs.slide_width, prs.slide_height
    margin = Inches(0.5)
    title = placeholder(layout, _TITLES)
    if title is not None and title.width:
        left, right = title.left, title.left + title.width
        top = title.top + title.height + Inches(0.12)
    else:
        left, right, top = margin, width - margin, Inches(1.3)
    footers = [
        ph.top
        for ph in layout.placeholders
        if ph.placeholder_format.type in _FOOTERS and ph.top and ph.top > height // 2
    ]
    bottom = min([*footers, height - Inches(0.35)]) - Inches(0.08)
    if bottom - top < Inches(2):  # a title covering most of the slide: use the lower part
        top = max(Inches(1.0), height // 4)
    return Box(int(left), int(top), int(right - left), int(Emu(bottom - top)))
