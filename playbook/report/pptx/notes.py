"""Write the speaker notes: the evidence behind every number on a slide.

So the presenter can answer "where does that number come from": an element slide's notes
give its score and basis, then each indicator's value, target, previous value, rows (n)
and the weakest member of its breakdown; an overview's notes the mean behind the framework
score; the summary's the mean behind maturity; the gaps' the priority arithmetic; the
plan's where each action comes from. Numbers are formatted as on the site (``units``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import pandas as pd

from playbook.content import common as load_common
from playbook.diagnosis import ElementDiagnosis, FrameworkDiagnosis, IndicatorResult
from playbook.report.pptx.model import Coverage, DeckData, word
from playbook.units import format_value, with_minus


def _num(value: float | None, digits: int = 1) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return with_minus(f"{value:.{digits}f}")


def indicator_evidence(result: IndicatorResult, lang: str, currency: str) -> str:
    """Return one indicator's evidence: value, target, previous, rows and weakest member."""
    text = load_common().indicators[result.ref.id]
    name = text.label(lang)
    if not result.measured:
        return word("deck_notes_unmeasured", lang, label=name)
    unit = text.unit
    line = word(
        "deck_notes_indicator",
        lang,
        label=name,
        value=format_value(result.value, unit, lang, currency),
        target=format_value(result.target, unit, lang, currency),
        previous=format_value(result.previous, unit, lang, currency),
        n=f"{result.n:,}",
    )
    if result.weakest is not None and text.dimension is not None:
        member, value = result.weakest
        weakest = word(
            "deck_notes_weakest",
            lang,
            dimension=text.dimension(lang),
            member=member,
            value=format_value(value, result.by_unit or unit, lang, currency),
        )
        line += ("；" if lang == "zh" else "; ") + weakest
    return line


def element_notes(diag: ElementDiagnosis, lang: str, currency: str) -> str:
    """Return an element slide's notes: its score and basis, then every indicator."""
    head = word(
        "deck_notes_element",
        lang,
        score=_num(diag.score),
        basis=word(f"basis_{diag.basis}", lang),
        data=_num(diag.data_score),
        workshop=f"{diag.assessment.score:g}/5" if diag.assessment else "—",
    )
    lines = [head] + [f"• {indicator_evidence(r, lang, currency)}" for r in diag.indicators]
    return "\n".join(lines)


def mean_line(what: str, scores: Iterable[float | None], lang: str) -> str:
    """Return "<what> = mean of (72.0, 55.5) = 63.8" over the scores that exist."""
    values = [s for s in scores if s is not None and not math.isnan(s)]
    mean = sum(values) / len(values) if values else None
    shown = ", ".join(_num(v) for v in values) or "—"
    return word("deck_notes_mean", lang, what=what, scores=shown, mean=_num(mean))


def framework_notes(diag: FrameworkDiagnosis, lang: str, currency: str) -> str:
    """Return an overview's notes: the framework score's mean and each element's evidence."""
    title = diag.framework.title(lang)
    lines = [mean_line(title, [e.score for e in diag.elements], lang)]
    for e in diag.elements:
        score = word("not_assessed", lang) if e.score is None else _num(e.score)
        lines.append(f"• {e.element.title(lang)}: {score} ({word(f'basis_{e.basis}', lang)})")
    return "\n".join(lines)


def summary_notes(deck: DeckData) -> str:
    """Return the executive summary's notes: maturity's mean and each framework's score."""
    lang, frames = deck.lang, deck.summary.frameworks
    lines = [mean_line(word("service_maturity", deck.lang), frames["score"].tolist(), lang)]
    for row in frames.itertuples():
        score = word("not_assessed", lang) if pd.isna(row.score) else _num(row.score)
        assessed = word("elements_assessed", lang, assessed=row.assessed, total=row.total)
        lines.append(f"• {row.title}: {score} · {assessed}")
    return "\n".join(lines)


def gaps_notes(deck: DeckData) -> str:
    """Return the top gaps' notes: each gap's priority, worked out."""
    lines = [word("deck_gaps_note", deck.lang)]
    for row in deck.summary.top_gaps.itertuples():
        lines.append(
            word(
                "deck_notes_gap",
                deck.lang,
                rank=row.rank,
                element=f"{row.framework} · {row.title}",
                score=_num(row.score),
                weight=f"{row.weight:g}",
                priority=_num(row.priority),
            )
        )
    return "\n".join(lines)


def plan_notes(rows: Iterable[dict], lang: str) -> str:
    """Return a plan slide's notes: where each action comes from and its priority."""
    return "\n".join(
        word(
            "deck_notes_plan",
            lang,
            action=row["action"],
            framework=row["framework"],
            element=row["element"],
            priority=_num(row["priority"]),
        )
        for row in rows
    )


def coverage_notes(rows: Iterable[Coverage], lang: str) -> str:
    """Return the data coverage's notes: each supplied table's rows, all and in the period."""
    return "\n".join(
        word(
            "deck_notes_coverage",
            lang,
            table=c.table,
            rows=f"{c.rows:,}",
            period_rows=f"{c.period_rows:,}",
        )
        for c in rows
        if c.supplied
    )


def title_notes(deck: DeckData) -> str:
    """Return the title slide's notes: the frameworks in scope and the data behind them."""
    lang = deck.lang
    lines = [f"• {d.framework.title(lang)}" for d in deck.diagnoses]
    supplied = [c.table for c in deck.coverage if c.supplied]
    lines.append(f"{word('deck_coverage', lang)}: {', '.join(supplied)}")
    return "\n".join(lines)


def method_notes(deck: DeckData) -> str:
    """Return the method's notes: workshop scores, and the targets set for this client."""
    lang, indicators = deck.lang, load_common().indicators
    lines = [word("deck_workshop_line", lang, n=deck.workshop_scores)]
    for indicator_id, bench in deck.client.benchmarks.items():
        text = indicators.get(indicator_id)
        unit = text.unit if text else "number"
        lines.append(
            word(
                "deck_method_override",
                lang,
                label=text.label(lang) if text else indicator_id,
                target=format_value(bench.target, unit, lang, deck.client.currency),
                floor=format_value(bench.floor, unit, lang, deck.client.currency),
            )
        )
    return "\n".join(lines)


def rows_notes(rows: Iterable[Iterable[str]]) -> str:
    """Return a table's rows as notes, one line each (cases with their full facts, …)."""
    return "\n".join(" · ".join(str(cell) for cell in row if cell) for row in rows)
