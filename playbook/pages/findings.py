"""Write findings: numbers formatted by unit and sentences from the content's templates.

A finding reads like a consultant wrote it, in the client's language, with its numbers:
the value, the target and the distance to it (or, for an estimate, its confidence interval
and what it can tell), the trend against the compared period (the previous one, or the same
period a year earlier) and the weakest member of the indicator's breakdown — or that there
is no material difference between members.
"""

from __future__ import annotations

import pandas as pd

from playbook.content import common as load_common
from playbook.diagnosis import ElementDiagnosis, IndicatorResult, Period
from playbook.indicators import Incident
from playbook.pages.html import inputs_text
from playbook.units import format_delta, format_value


def period_text(period: Period, lang: str) -> str:
    """Write the analysis period: its first and last day and its length in days."""
    last_day = (period.end - pd.Timedelta(days=1)).date()
    template = load_common().templates["period"](lang)
    return template.format(start=period.start.date(), end=last_day, days=period.days)


def _indicator_text(result: IndicatorResult):
    return load_common().indicators[result.ref.id]


def indicator_finding(
    result: IndicatorResult, lang: str, period_days: int, currency: str = ""
) -> str:
    """Write the one-sentence finding for an indicator (or say what would measure it)."""
    shared = load_common()
    text = _indicator_text(result)
    label = text.label(lang)
    unit = text.unit
    if result.value is None:
        if not result.missing:  # inputs present, but too few rows in this period
            return shared.templates["no_rows"](lang).format(label=label)
        return shared.templates["no_data"](lang).format(
            label=label, inputs=inputs_text(result.missing, lang)
        )
    parts = [_value_part(result, lang, currency)]
    if result.parts is not None and len(result.parts) > 1 and text.parts is not None:
        items = ("，" if lang == "zh" else ", ").join(
            f"{name} {format_value(v, unit, lang, currency)}" for name, v in result.parts.items()
        )
        parts.append(shared.templates["parts"](lang).format(name=text.parts(lang), items=items))
    if result.against_prior:
        key = f"measured_against_{result.comparison}"
        parts.append(shared.templates[key](lang).format(period_days=period_days))
    if result.previous is not None:
        key = "trend_year" if result.comparison == "year" else "trend"
        parts.append(
            shared.templates[key](lang).format(
                delta=format_delta(result.value - result.previous, unit, lang, currency),
                period_days=period_days,
            )
        )
    if result.weakest is not None and text.dimension is not None:
        member, value = result.weakest
        parts.append(
            shared.templates["weakest"](lang).format(
                dimension=text.dimension(lang),
                member=member,
                value=format_value(value, result.by_unit or unit, lang, currency),
            )
        )
    elif result.even and text.dimension is not None:
        parts.append(shared.templates["no_difference"](lang).format(dimension=text.dimension(lang)))
    parts.extend(incident_sentence(i, lang) for i in result.incidents)
    if text.note is not None:
        parts.append(text.note(lang))
    return ("；" if lang == "zh" else "; ").join(parts) + ("。" if lang == "zh" else ".")


def _dates(days, lang: str) -> str:
    """Join dates as "2025-05-12, 2025-05-19 and 2025-05-26" (zh: with 、)."""
    texts = [d.date().isoformat() for d in days]
    if lang == "zh" or len(texts) < 2:
        return "、".join(texts)
    return f"{', '.join(texts[:-1])} and {texts[-1]}"


def incident_sentence(incident: Incident, lang: str) -> str:
    """Say which step fell, in which weeks, how far, where most, and what it cost."""
    shared = load_common()
    low, high = incident.normal
    channel = (
        shared.templates["incident_channel"](lang).format(channel=incident.channel)
        if incident.channel is not None
        else ""
    )
    return shared.templates["incident"](lang).format(
        step=incident.step_name,
        weeks=_dates(incident.weeks, lang),
        rate=format_value(incident.rate, "pct", lang),
        low=format_value(low, "pct", lang),
        high=format_value(high, "pct", lang),
        channel=channel,
        lost=f"{incident.lost:,.0f}",
    )


def _value_part(result: IndicatorResult, lang: str, currency: str) -> str:
    """Write the value against its target, or an estimate with its interval and reading."""
    shared = load_common()
    text = _indicator_text(result)
    label, unit = text.label(lang), text.unit
    value = format_value(result.value, unit, lang, currency)
    reading = text.readings.get(result.reading) if result.reading is not None else None
    if reading is not None and result.interval is not None:
        low, high = result.interval
        return shared.templates["finding_estimate"](lang).format(
            label=label,
            value=value,
            low=format_value(low, unit, lang, currency),
            high=format_value(high, unit, lang, currency),
            reading=reading(lang),
        )
    gap = result.value - result.target
    met = gap >= 0 if result.ref.direction == "higher" else gap <= 0
    gap_text = (
        shared.templates["on_target"](lang)
        if met
        else shared.templates["gap_to_target"](lang).format(
            delta=format_delta(gap, unit, lang, currency),
            abs_delta=format_delta(abs(gap), unit, lang, currency).lstrip("+"),
        )
    )
    return shared.templates["finding_value"](lang).format(
        label=label,
        value=value,
        target=format_value(result.target, unit, lang, currency),
        gap=gap_text,
    )


def missing_inputs(diag: ElementDiagnosis) -> list[str]:
    """Return the tables and columns that would measure an element, each once, in order."""
    seen: dict[str, None] = {}
    for r in diag.indicators:
        seen.update(dict.fromkeys(r.missing))
    return list(seen)


def element_findings(
    diag: ElementDiagnosis, lang: str, period_days: int, currency: str = ""
) -> list[str]:
    """Write an element's findings: one per indicator, then what the workshop said."""
    shared = load_common()
    lines = [indicator_finding(r, lang, period_days, currency) for r in diag.indicators]
    if diag.assessment is not None:
        key = "assessment_only" if diag.basis == "assessment" else "assessment_blend"
        lines.append(
            shared.templates[key](lang).format(
                score=f"{diag.assessment.score:g}", evidence=diag.assessment.evidence or "—"
            )
        )
    elif diag.basis == "none":
        lines.append(shared.templates["not_assessed"](lang))
    return lines
