"""A framework's slides: section header, overview with a native chart, one slide per element.

An element slide holds its score and band, the finding sentences (``pages.findings``, as on
the site), the actions that apply with the strategist's own, the element's main chart as a
picture and the strategist's view; what does not fit continues on the next slide. An
element not assessed gets no slide: it is one line on the overview, as is an element the
engagement leaves out (with the strategist's reason).
"""

from __future__ import annotations

from pptx.util import Inches

from playbook.charts import ChartContext
from playbook.diagnosis import ElementDiagnosis, FrameworkDiagnosis
from playbook.pages.findings import element_findings, missing_inputs
from playbook.pages.html import inputs_text, sep
from playbook.report.pptx.fit import Para, fit, height
from playbook.report.pptx.frames import BODY_SIZES, EMU_PER_PT, INSET_Y, badge, inner_width_pt
from playbook.report.pptx.front import _split
from playbook.report.pptx.model import DeckData, band_name, number, score_text, word
from playbook.report.pptx.native import score_chart
from playbook.report.pptx.notes import element_notes, framework_notes
from playbook.report.pptx.pictures import PictureFn
from playbook.report.pptx.prose import paragraphs, plain
from playbook.report.pptx.template import Box
from playbook.report.pptx.writer import Writer
from playbook.theme import BAND_COLORS, MUTED

#: Sizes of the section header's text, largest first.
SECTION_SIZES = (20.0, 18.0, 16.0, 14.0, 12.0)
#: Height of the score badge at the top of an element slide.
BADGE = (Inches(2.3), Inches(0.45))
#: Share of an overview's width its chart takes (the narrower share when lines are many).
CHART_SHARE = 0.58
#: Share of an element slide's width its text takes when half is not enough.
WIDE_TEXT = 0.6
#: Height of the line beside the badge: basis and tagline, two lines of 12 pt.
HEADER = Inches(0.55)
#: Share of the right column a strategist's view may take below a chart.
VIEW_SHARE = 0.45
GAP = Inches(0.15)


def section_slide(w: Writer, deck: DeckData, diag: FrameworkDiagnosis) -> None:
    """Add a framework's section header: its title, score and band, and its question."""
    lang = deck.lang
    notes = framework_notes(diag, lang, deck.client.currency)
    slide = w.slide("section", diag.framework.title(lang), notes)
    assessed, total = diag.assessed, len(diag.elements)
    lines = [
        Para(score_text(diag.score, diag.band, lang)),
        Para(word("elements_assessed", lang, assessed=assessed, total=total)),
        Para(diag.framework.question(lang)),
    ]
    target = w.body(slide)
    if target is not None:
        w.fixed(target, lines, SECTION_SIZES)


def overview_slide(w: Writer, deck: DeckData, diag: FrameworkDiagnosis) -> None:
    """Add a framework's overview: element scores as a native chart, the others as lines."""
    lang, fw = deck.lang, diag.framework
    title = word("deck_overview", lang, framework=fw.title(lang))
    notes = framework_notes(diag, lang, deck.client.currency)
    slide = w.slide("title_only", title, notes)
    scored = deck.assessed(diag)
    paras = []
    if diag.view:
        paras += [Para(word("deck_view", lang), "heading"), *paragraphs(diag.view)]
    unscored = [e for e in diag.elements if e.score is None]
    if unscored:
        paras.append(Para(word("not_assessed_elements", lang), "heading"))
        for e in unscored:
            name = f"{number(diag, e.element.id)}. {e.element.title(lang)}"
            paras.append(Para(word("deck_not_assessed_line", lang, element=name), "bullet"))
            needs = missing_inputs(e)
            if needs:
                text = word("needs_data", lang, inputs=inputs_text(needs, lang))
                paras.append(Para(text, "bullet", cont=True))  # indented under its bullet
    if diag.excluded:
        paras.append(Para(word("deck_excluded", lang), "heading"))
        for x in diag.excluded:
            name = f"{number(diag, x.element.id)}. {x.element.title(lang)}"
            line = word("deck_excluded_line", lang, element=name, reason=plain(x.reason))
            paras.append(Para(line, "bullet"))
    paras = paras or [Para(fw.summary(lang))]  # nothing else to say: what the framework is
    if not scored:
        w.flow(slide, w.box, paras, title, notes)
        return
    chart_box, text_box = _split(w.box, CHART_SHARE)
    if not fits(paras, text_box):  # much to list: give the lines the wider column
        chart_box, text_box = _split(w.box, 1 - CHART_SHARE)
    score_chart(
        slide,
        chart_box,
        [f"{i}. {e.element.title(lang)}" for i, e in scored],
        [e.score for _, e in scored],
        [e.band for _, e in scored],
        word("score", lang),
        w.fonts,
        lang,
    )
    if text_box is not None:
        w.flow(slide, text_box, paras, title, notes)


def fits(paras: list[Para], box: Box) -> bool:
    """Tell whether paragraphs fit a box at the minimum body size."""
    room = (box.height - 2 * INSET_Y) / EMU_PER_PT
    return not fit(paras, inner_width_pt(box.width), room, BODY_SIZES[-1:]).rest


def _actions(e: ElementDiagnosis, lang: str) -> list[Para]:
    """Return the element's actions (set-aside ones are gone) and the strategist's own."""
    lines = []
    for a in e.actions:
        text = word(
            "deck_action", lang, action=a.text(lang), owner=a.owner(lang), days=a.horizon_days
        )
        lines.append(Para(text, "bullet"))
    for own in e.added:
        action = plain(own.text)
        text = word("deck_action", lang, action=action, owner=own.owner or "—", days=own.due_days)
        lines.append(Para(word("deck_own_action", lang, action=text), "bullet"))
    return lines or [Para(word("no_actions", lang))]


def _view_box(w: Writer, paras: list[Para], column: Box, share: float) -> tuple[Box, float] | None:
    """Return the box and size a view needs (at a column's bottom), or None if too long."""
    room = int(column.height * share)
    fitted = fit(paras, inner_width_pt(column.width), (room - 2 * INSET_Y) / EMU_PER_PT, BODY_SIZES)
    if fitted.rest:
        return None
    need = int(height(fitted.paras, inner_width_pt(column.width), fitted.size) * EMU_PER_PT)
    need += 2 * INSET_Y + 1
    return Box(column.left, column.bottom - need, column.width, need), fitted.size


def element_slide(
    w: Writer,
    deck: DeckData,
    diag: FrameworkDiagnosis,
    e: ElementDiagnosis,
    number: int,
    picture: PictureFn,
) -> None:
    """Add an element's slide (and its continuations)."""
    lang, el, currency = deck.lang, e.element, deck.client.currency
    title = f"{number}. {el.title(lang)}"
    notes = element_notes(e, lang, currency)
    slide = w.slide("title_only", title, notes)
    area = w.box
    color = BAND_COLORS.get(e.band or "", MUTED)
    badge(
        slide,
        Box(area.left, area.top, *BADGE),
        f"{e.score:.0f} · {band_name(e.band, lang)}",
        color,
        14,
        w.fonts,
        lang,
    )
    side = Box(area.left + BADGE[0] + GAP, area.top, area.width - BADGE[0] - GAP, HEADER)
    basis = f"{word('basis', lang)}{sep(lang)}{word(f'basis_{e.basis}', lang)}"
    tagline = Para(el.tagline(lang), "quote")
    if not w.if_room(slide, side, [Para(f"{basis} · {tagline.text}", "quote")]):
        w.if_room(slide, side, [Para(basis, "quote")])
    body = Box(area.left, area.top + HEADER + GAP, area.width, area.height - HEADER - GAP)
    paras = [Para(word("findings", lang), "heading")]
    paras += [Para(t, "bullet") for t in element_findings(e, lang, diag.period.days, currency)]
    paras += [Para(word("actions", lang), "heading"), *_actions(e, lang)]
    image = picture(e, ChartContext(lang, currency, deck.client.name))
    view = [Para(word("deck_view", lang), "heading"), *paragraphs(e.view)] if e.view else []
    if image is None and not view:
        w.flow(slide, body, paras, title, notes)
        return
    left, right = _split(body, 0.5)
    if not fits(paras, left):  # much to say: the text takes the wider column
        left, right = _split(body, WIDE_TEXT)
    spot = _view_box(w, view, right, VIEW_SHARE if image is not None else 1.0) if view else None
    if view and spot is None:
        paras += view  # too long beside the chart: it continues with the text
    top = right.top
    if image is not None:  # the chart at the top, the view right below it
        room = right.height - (spot[0].height + GAP if spot else 0)
        top = w.picture(slide, image, Box(right.left, right.top, right.width, room)).bottom + GAP
    if spot is not None:
        box, size = spot
        box = Box(box.left, min(top, right.bottom - box.height), box.width, box.height)
        w.flow(slide, box, view, title, notes, sizes=(size,), shaded=True)
    w.flow(slide, left, paras, title, notes)


def framework_slides(
    w: Writer, deck: DeckData, diag: FrameworkDiagnosis, picture: PictureFn
) -> None:
    """Add a framework's section header, overview and one slide per assessed element."""
    section_slide(w, deck, diag)
    overview_slide(w, deck, diag)
    for position, e in deck.assessed(diag):
        element_slide(w, deck, diag, e, position, picture)
