"""Add slides to a deck: a layout by role, a measured title, notes, and content that flows.

``Writer`` is what the slide builders use. ``slide()`` adds a slide of a role's layout
(``template.find_layouts``) with its title fitted to the title placeholder, the slide
number, and the speaker notes. ``flow()`` writes paragraphs into a frame and continues what
does not fit on as many further slides as needed, titled "… (continued)"; ``table()`` does
the same for a native table's rows, header repeated. Nothing is shrunk below the minimum
sizes (12 pt text, 10 pt tables).
"""

from __future__ import annotations

import copy
import io
from collections.abc import Callable, Sequence
from dataclasses import replace

from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.presentation import Presentation as PresentationType

from playbook.report.pptx.fit import Para, fit, height
from playbook.report.pptx.frames import (
    BODY_SIZES,
    EMU_PER_PT,
    INSET_Y,
    TABLE_SIZES,
    clean,
    fill_placeholder,
    inner_height_pt,
    inner_width_pt,
    name_fonts,
    shaded_box,
    text_box,
)
from playbook.report.pptx.model import word
from playbook.report.pptx.native import Column, add_table, paginate, row_height
from playbook.report.pptx.pictures import Picture, place
from playbook.report.pptx.template import Box, content_box, find_layouts, theme_fonts

#: Title sizes by role, largest first (points).
TITLE_SIZES = {
    "title": (36.0, 32.0, 28.0, 24.0),
    "section": (32.0, 28.0, 24.0, 20.0),
    "content": (28.0, 24.0, 20.0),
    "title_only": (28.0, 24.0, 20.0),
}
_TITLES = (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE)
_TEXT = (PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT, PP_PLACEHOLDER.SUBTITLE)
ELLIPSIS = "…"
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"


class DeckError(ValueError):
    """The deck cannot be laid out (e.g. a template whose content area holds no line)."""


def box_of(shape) -> Box:
    """Return a shape's rectangle."""
    return Box(int(shape.left), int(shape.top), int(shape.width), int(shape.height))


def clip_row(row: Sequence[str], columns: Sequence[Column], box: Box, size: float) -> list[str]:
    """Cut a row's longest cells with "…" until the row and a header fit in ``box``."""
    widths = [int(box.width * c.share) for c in columns]
    room = box.height - row_height([c.header for c in columns], widths, size)
    cells = list(row)
    while row_height(cells, widths, size) > room:
        longest = max(range(len(cells)), key=lambda i: len(cells[i]))
        text = cells[longest].rstrip(ELLIPSIS)
        cells[longest] = text[: max(1, len(text) * 9 // 10 - 1)] + ELLIPSIS
    return cells


class Writer:
    """Adds slides to a presentation opened on a template, in one language."""

    def __init__(self, prs: PresentationType, lang: str) -> None:
        self.prs, self.lang = prs, lang
        self.layouts = find_layouts(prs)
        self.fonts = theme_fonts(prs)
        self.box = content_box(prs, self.layouts.title_only)
        self.continued = word("deck_continued", lang)

    def continued_title(self, title: str) -> str:
        """Return a continuation slide's title."""
        return f"{title}{self.continued}"

    def slide(self, role: str, title: str, notes: str = ""):
        """Add a slide of a role's layout with its title, slide number and notes."""
        layout = getattr(self.layouts, role)
        slide = self.prs.slides.add_slide(layout)
        placeholder = next(
            (ph for ph in slide.placeholders if ph.placeholder_format.type in _TITLES), None
        )
        keep = {placeholder.shape_id} if placeholder is not None else set()
        body = self.body(slide) if role in ("title", "section", "content") else None
        if body is not None:
            keep.add(body.shape_id)
        for ph in list(slide.placeholders):
            if ph.shape_id not in keep:  # e.g. a fallback layout's unused body
                ph._element.getparent().remove(ph._element)
        if placeholder is None:  # a layout without a title: draw one
            top = Box(self.box.left, max(self.box.top - 914400, 0), self.box.width, 800000)
            target = text_box(slide, top, [], 12, self.fonts, self.lang)
        else:
            target = placeholder
        self.fixed(target, [Para(title)], TITLE_SIZES[role], heading=True)
        self._slide_number(slide, layout)
        if notes:
            slide.notes_slide.notes_text_frame.text = clean(notes)
        return slide

    def body(self, slide):
        """Return a slide's text placeholder (body, object or subtitle), or None."""
        return next((ph for ph in slide.placeholders if ph.placeholder_format.type in _TEXT), None)

    def _slide_number(self, slide, layout) -> None:
        for ph in layout.placeholders:
            if ph.placeholder_format.type == PP_PLACEHOLDER.SLIDE_NUMBER:
                element = copy.deepcopy(ph._element)
                element.nvSpPr.cNvPr.id = slide.shapes._next_shape_id
                for rpr in element.iter(f"{{{_A}}}rPr"):
                    name_fonts(rpr, self.fonts, self.lang)
                slide.shapes._spTree.append(element)
                return

    def fixed(self, target, paras: Sequence[Para], sizes: Sequence[float], heading=False) -> None:
        """Fit paragraphs into a frame that cannot continue (a title): cut with "…" if need be."""
        box = box_of(target)
        fitted = fit(paras, inner_width_pt(box.width), inner_height_pt(box.height), sizes)
        kept = list(fitted.paras)
        if fitted.rest:
            last = kept.pop() if kept else replace(fitted.rest[0], text="")
            text = last.text
            while text:
                text = text[:-1]
                trial = [*kept, replace(last, text=text.rstrip() + ELLIPSIS)]
                if height(trial, inner_width_pt(box.width), fitted.size) <= inner_height_pt(
                    box.height
                ):
                    break
            kept.append(replace(last, text=text.rstrip() + ELLIPSIS))
        fill_placeholder(target, kept, fitted.size, self.fonts, self.lang, heading=heading)

    def flow(
        self,
        slide,
        target,
        paras: Sequence[Para],
        title: str,
        notes: str = "",
        role: str = "title_only",
        sizes: Sequence[float] = BODY_SIZES,
        shaded: bool = False,
    ):
        """Write paragraphs into ``target`` (a Box or a placeholder); continue what is left.

        Continuation slides have the role's layout and ``title`` (continued); their text
        goes into the role's body placeholder, else the content area. Returns the last slide.
        """
        fresh = False
        while True:
            box = target if isinstance(target, Box) else box_of(target)
            fitted = fit(paras, inner_width_pt(box.width), inner_height_pt(box.height), sizes)
            if not fitted.paras and fresh:
                raise DeckError("the template's content area is too small for one line of text")
            if fitted.paras:
                if not isinstance(target, Box):
                    fill_placeholder(target, fitted.paras, fitted.size, self.fonts, self.lang)
                elif shaded:
                    need = height(fitted.paras, inner_width_pt(box.width), fitted.size)
                    tight = replace(box, height=int(need * EMU_PER_PT + 2 * INSET_Y + 1))
                    shaded_box(slide, tight, fitted.paras, fitted.size, self.fonts, self.lang)
                else:
                    text_box(slide, box, fitted.paras, fitted.size, self.fonts, self.lang)
            if not fitted.rest:
                return slide
            slide = self.slide(role, self.continued_title(title), notes)
            target = (self.body(slide) if role == "content" else None) or self.box
            paras, sizes, fresh = fitted.rest, (fitted.size,), True

    def if_room(self, slide, box: Box, paras: Sequence[Para], sizes=(12.0,)) -> bool:
        """Write paragraphs into ``box`` only if they all fit there; tell whether they did."""
        if box.height <= 2 * INSET_Y:
            return False
        fitted = fit(paras, inner_width_pt(box.width), inner_height_pt(box.height), sizes)
        if fitted.rest:
            return False
        text_box(slide, box, fitted.paras, fitted.size, self.fonts, self.lang)
        return True

    def table(
        self,
        slide,
        box: Box,
        columns: Sequence[Column],
        rows: Sequence[Sequence[str]],
        title: str,
        notes: Callable[[list[int]], str],
        colors: Sequence[Sequence[str | None]] | None = None,
    ) -> tuple[object, Box]:
        """Add a native table, split over continuation slides; notes per slide by rows.

        Returns the last slide and the room left below its table. A row taller than a whole
        slide (only hostile text does that) has its longest cells cut with "…".
        """
        rows = [clip_row(row, columns, self.box, TABLE_SIZES[-1]) for row in rows]
        # the largest size that needs no more slides than the smallest size would
        fewest = len(
            paginate(columns, rows, box.width, box.height, self.box.height, TABLE_SIZES[-1])
        )
        for size in TABLE_SIZES:
            pages = paginate(columns, rows, box.width, box.height, self.box.height, size)
            if len(pages) <= fewest:
                break
        for k, indices in enumerate(pages):
            if k:
                slide = self.slide("title_only", self.continued_title(title))
                box = self.box
            part = [rows[i] for i in indices]
            shown = [colors[i] for i in indices] if colors else None
            shape = add_table(slide, box, columns, part, size, self.fonts, self.lang, shown)
            text = notes(indices)
            if text:
                slide.notes_slide.notes_text_frame.text = clean(text)
        gap = 120000
        below = Box(box.left, box.top + shape.height + gap, box.width, 0)
        return slide, replace(below, height=max(0, box.bottom - below.top))

    def picture(self, slide, picture: Picture, box: Box) -> Box:
        """Add a picture scaled into ``box`` (proportions kept); return where it went."""
        spot = place(picture, box)
        slide.shapes.add_picture(
            io.BytesIO(picture.png), spot.left, spot.top, spot.width, spot.height
        )
        return spot
