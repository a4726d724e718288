"""The deck's opening: title slide, agenda, executive summary and the top gaps.

The executive summary shows overall maturity and its band, the strategist's summary when
there is one, and the framework scores as a native bar chart in band colours; the top gaps
follow as a native table (``diagnosis.summary``: maturity, priority = gap × weight).
"""

from __future__ import annotations

import pandas as pd

from playbook.pages.findings import period_text
from playbook.report.pptx.fit import Para
from playbook.report.pptx.model import DeckData, band_name, score_text, word
from playbook.report.pptx.native import Column, score_chart
from playbook.report.pptx.notes import gaps_notes, summary_notes, title_notes
from playbook.report.pptx.prose import paragraphs
from playbook.report.pptx.template import Box
from playbook.report.pptx.writer import Writer
from playbook.theme import BAND_COLORS

#: Subtitle sizes on the title slide, largest first.
SUBTITLE_SIZES = (20.0, 18.0, 16.0, 14.0, 12.0)
#: Up to this many frameworks in scope are named on the title slide; more are counted.
NAMED_SCOPE = 3


def _period_line(deck: DeckData) -> str:
    return period_text(deck.period, deck.lang)


def scope_line(deck: DeckData) -> str:
    """Return the engagement's scope: all frameworks, the few chosen by name, or a count."""
    lang = deck.lang
    elements = sum(len(d.elements) for d in deck.diagnoses)
    if deck.client.report.frameworks is None:
        return word("deck_scope_all", lang, frameworks=len(deck.diagnoses), elements=elements)
    if len(deck.diagnoses) <= NAMED_SCOPE:
        titles = word("deck_list_sep", lang).join(d.framework.title(lang) for d in deck.diagnoses)
        return word("deck_scope", lang, titles=titles)
    return word("deck_scope_count", lang, frameworks=len(deck.diagnoses), elements=elements)


def title_slide(w: Writer, deck: DeckData) -> None:
    """Add the title slide: client, report title, scope, period, date and author."""
    slide = w.slide("title", deck.client.name, title_notes(deck))
    lang = deck.lang
    lines = [
        Para(word("site_report", lang)),
        Para(scope_line(deck)),
        Para(_period_line(deck)),
        Para(f"{word('site_date', lang)} {deck.date}"),
    ]
    if deck.commentary.author:
        lines.append(Para(word("deck_author", lang, author=deck.commentary.author)))
    target = w.body(slide)
    if target is None:
        bottom = Box(w.box.left, w.box.top + w.box.height // 2, w.box.width, w.box.height // 2)
        target = slide.shapes.add_textbox(bottom.left, bottom.top, bottom.width, bottom.height)
    w.fixed(target, lines, SUBTITLE_SIZES)


def agenda_slide(w: Writer, deck: DeckData) -> None:
    """Add the agenda: the summary, each framework in scope with its score, plan, appendix."""
    lang = deck.lang
    title = word("deck_agenda", lang)
    notes = summary_notes(deck)
    slide = w.slide("content", title, notes)
    items = [Para(word("executive_summary", lang), "bullet")]
    for row in deck.summary.frameworks.itertuples():
        score = None if pd.isna(row.score) else float(row.score)
        line = f"{row.title} · {score_text(score, row.band, lang)}"
        items.append(Para(line, "bullet"))
    items += [
        Para(word("rollout_plan", lang), "bullet"),
        Para(word("deck_appendix", lang), "bullet"),
    ]
    w.flow(slide, w.body(slide) or w.box, items, title, notes, role="content")


def _split(box: Box, share: float, gap: int = 228600) -> tuple[Box, Box]:
    """Split a box into a left and a right column, the left taking ``share`` of the width."""
    left_w = int((box.width - gap) * share)
    left = Box(box.left, box.top, left_w, box.height)
    right = Box(box.left + left_w + gap, box.top, box.width - left_w - gap, box.height)
    return left, right


def summary_slide(w: Writer, deck: DeckData) -> None:
    """Add the executive summary: maturity and band, the strategist's summary, the chart."""
    lang, summary = deck.lang, deck.summary
    title = word("executive_summary", lang)
    slide = w.slide("title_only", title, summary_notes(deck))
    scored = summary.frameworks[summary.frameworks["score"].notna()]
    left, right = _split(w.box, 0.42) if len(scored) else (w.box, None)
    paras = [Para(word("service_maturity", lang), "heading")]
    if summary.score is None:
        paras.append(Para(word("not_assessed", lang), "display"))
    else:
        color = BAND_COLORS[summary.band]
        paras.append(Para(f"{summary.score:.0f}/100", "display", color=color))
        paras.append(Para(band_name(summary.band, lang), "heading", color=color))
        level = word("maturity_level", lang, level=summary.level, name=summary.level_name)
        paras.append(Para(level))
    paras.append(
        Para(word("frameworks_scored", lang, scored=len(scored), total=len(summary.frameworks)))
    )
    total = len(summary.elements)
    assessed = int(summary.elements["score"].notna().sum())
    paras.append(Para(word("elements_assessed", lang, assessed=assessed, total=total)))
    if deck.commentary.summary:
        paras.append(Para(word("deck_summary_view", lang), "heading"))
        paras += paragraphs(deck.commentary.summary)
    if right is not None:
        score_chart(
            slide,
            right,
            scored["title"].tolist(),
            scored["score"].tolist(),
            scored["band"].tolist(),
            word("score", lang),
            w.fonts,
            lang,
        )
    w.flow(slide, left, paras, title, summary_notes(deck))


def gaps_slide(w: Writer, deck: DeckData) -> None:
    """Add the top gaps as a native table: rank, element, framework, score, band, priority."""
    lang = deck.lang
    title = word("top_gaps", lang)
    slide = w.slide("title_only", title, gaps_notes(deck))
    gaps = deck.summary.top_gaps
    if gaps.empty:
        w.flow(slide, w.box, [Para(word("no_gaps", lang))], title)
        return
    columns = [
        Column(word("rank", lang), 0.08, numeric=True),
        Column(word("element", lang), 0.34),
        Column(word("framework", lang), 0.28),
        Column(word("score", lang), 0.1, numeric=True),
        Column(word("band", lang), 0.1),
        Column(word("priority", lang), 0.1, numeric=True),
    ]
    rows = [
        [
            str(r.rank),
            r.title,
            r.framework,
            f"{r.score:.0f}",
            band_name(r.band, lang),
            f"{r.priority:.0f}",
        ]
        for r in gaps.itertuples()
    ]
    colors = [[None, None, None, None, BAND_COLORS[r.band], None] for r in gaps.itertuples()]
    slide, below = w.table(slide, w.box, columns, rows, title, lambda _: gaps_notes(deck), colors)
    w.if_room(slide, below, [Para(word("deck_gaps_note", lang), "quote")])
