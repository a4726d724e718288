"""The deck's close: the 30/60/90-day plan and the appendix.

The plan is the executive summary's (``diagnosis.summary.rollout_plan``: by phase, then the
element's priority) without the actions the strategist set aside and with their own, as a
native table split over as many slides as it needs. The appendix says how scores are
computed, which data the client supplied, where the reference cases come from, and which
recommended actions the strategist set aside and why.
"""

from __future__ import annotations

import pandas as pd

from playbook.content import common as load_common
from playbook.diagnosis.summary import SOURCE_STRATEGIST
from playbook.pages.framework import targets_line
from playbook.report.pptx.fit import Para
from playbook.report.pptx.model import DeckData, band_name, word
from playbook.report.pptx.native import Column
from playbook.report.pptx.notes import coverage_notes, method_notes, plan_notes, rows_notes
from playbook.report.pptx.prose import plain
from playbook.report.pptx.writer import Writer


def plan_rows(deck: DeckData) -> list[dict]:
    """Return the plan's rows (the summary's, the strategist's marked as theirs)."""
    rows = deck.summary.plan.to_dict("records")
    for row in rows:
        if row["source"] == SOURCE_STRATEGIST:
            row["action"] = word("deck_own_action", deck.lang, action=plain(row["action"]))
    return rows


def plan_slides(w: Writer, deck: DeckData) -> None:
    """Add the 30/60/90-day plan as a native table: phase, action, KPI and target, owner."""
    lang = deck.lang
    title = word("rollout_plan", lang)
    rows = plan_rows(deck)
    slide = w.slide("title_only", title, plan_notes(rows, lang) or word("no_plan", lang))
    if not rows:
        w.flow(slide, w.box, [Para(word("no_plan", lang))], title)
        return
    columns = [
        Column(word("phase", lang), 0.13),
        Column(word("action", lang), 0.45),
        Column(word("kpi", lang), 0.27),
        Column(word("owner", lang), 0.15),
    ]
    cells = [
        [
            r["phase_label"],
            r["action"],
            r["kpi"]
            if r["target"] in ("", "—")
            else word("deck_kpi_target", lang, kpi=r["kpi"], target=r["target"]),
            r["owner"],
        ]
        for r in rows
    ]
    w.table(
        slide, w.box, columns, cells, title, lambda idx: plan_notes([rows[i] for i in idx], lang)
    )


def method_slide(w: Writer, deck: DeckData) -> None:
    """Add how scores are computed: period, targets, scoring, blending, bands, maturity."""
    lang, shared = deck.lang, load_common()
    title = word("deck_method", lang)
    notes = method_notes(deck)
    slide = w.slide("content", title, notes)
    period = deck.period
    last = (period.end - pd.Timedelta(days=1)).date()
    paras = [
        Para(
            word("deck_method_period", lang, start=period.start.date(), end=last, days=period.days),
            "bullet",
        ),
        Para(targets_line(deck.client, lang), "bullet"),
    ]
    weight = shared.assessment_weight
    thresholds = shared.band_thresholds
    paras += [
        Para(word("deck_method_indicator", lang), "bullet"),
        Para(
            word(
                "deck_method_element",
                lang,
                data=f"{(1 - weight) * 100:g}",
                workshop=f"{weight * 100:g}",
            ),
            "bullet",
        ),
        Para(
            word(
                "deck_method_bands",
                lang,
                developing=f"{thresholds['developing']:g}",
                strong=f"{thresholds['strong']:g}",
                gap=band_name("gap", lang),
                developing_name=band_name("developing", lang),
                strong_name=band_name("strong", lang),
            ),
            "bullet",
        ),
        Para(word("maturity_rule", lang), "bullet"),
        Para(word("deck_gaps_note", lang), "bullet"),
    ]
    w.flow(slide, w.body(slide) or w.box, paras, title, notes, role="content")


def coverage_slide(w: Writer, deck: DeckData) -> None:
    """Add the data coverage: each table supplied or not, its rows and columns."""
    lang = deck.lang
    title = word("deck_coverage", lang)
    slide = w.slide("title_only", title)
    columns = [
        Column(word("deck_table", lang), 0.16),
        Column(word("deck_rows_period", lang), 0.16, numeric=True),
        Column(word("deck_columns", lang), 0.68),
    ]
    rows = [
        [c.table, f"{c.period_rows:,}", ", ".join(c.columns)]
        if c.supplied
        else [c.table, "—", word("deck_not_supplied", lang)]
        for c in deck.coverage
    ]
    notes = coverage_notes(deck.coverage, lang)
    slide, below = w.table(slide, w.box, columns, rows, title, lambda _: notes)
    workshop = word("deck_workshop_line", lang, n=deck.workshop_scores)
    w.if_room(slide, below, [Para(f"{word('deck_workshop', lang)}: {workshop}")])


def cases_slides(w: Writer, deck: DeckData) -> None:
    """Add the sources of the reference cases cited for the elements in scope."""
    lang = deck.lang
    title = word("deck_cases", lang)
    slide = w.slide("title_only", title, word("deck_cases", lang))
    rows, facts, seen = [], [], set()
    for d in deck.diagnoses:
        for e in d.elements:
            for case in e.element.cases:
                key = (case.company(lang), case.figure, case.source(lang))
                if key not in seen:
                    seen.add(key)
                    rows.append(
                        [e.element.title(lang), case.company(lang), case.figure, case.source(lang)]
                    )
                    facts.append([case.company(lang), case.fact(lang)])
    if not rows:
        w.flow(slide, w.box, [Para(word("deck_no_cases", lang))], title)
        return
    columns = [
        Column(word("element", lang), 0.22),
        Column(word("company", lang), 0.2),
        Column(word("figure", lang), 0.16),
        Column(word("source", lang), 0.42),
    ]
    w.table(slide, w.box, columns, rows, title, lambda idx: rows_notes(facts[i] for i in idx))


def set_aside_slides(w: Writer, deck: DeckData) -> None:
    """Add the actions the strategist set aside, with their reasons (only when there are any)."""
    lang, rows = deck.lang, deck.summary.set_aside
    if rows.empty:
        return
    title = word("deck_hidden", lang)
    slide = w.slide("title_only", title)
    columns = [
        Column(word("element", lang), 0.22),
        Column(word("action", lang), 0.43),
        Column(word("deck_reason", lang), 0.35),
    ]
    cells = [[r.element, r.action, plain(r.reason)] for r in rows.itertuples()]
    w.table(slide, w.box, columns, cells, title, lambda idx: rows_notes(cells[i] for i in idx))


def appendix_slides(w: Writer, deck: DeckData) -> None:
    """Add the appendix: method, data coverage, case sources, actions set aside."""
    method_slide(w, deck)
    coverage_slide(w, deck)
    cases_slides(w, deck)
    set_aside_slides(w, deck)
