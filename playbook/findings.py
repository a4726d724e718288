"""Write findings: numbers formatted by unit and sentences from the content's templates.

A finding reads like a consultant wrote it, in the client's language, with its numbers:
the value, the target and the distance to it, the trend against the previous period and
the weakest member of the indicator's breakdown.
"""

from __future__ import annotations

import math

from playbook.diagnosis import ElementDiagnosis, FrameworkDiagnosis, IndicatorResult
from playbook.frameworks import Unit
from playbook.frameworks import common as load_common
from playbook.scoring import band as to_band

_MINUS = "\u2212"  # a real minus sign reads better than a hyphen in reports

#: units written after the number, named in common.yaml's labels as ``unit_<unit>``
_SUFFIXED_UNITS = ("minutes", "days")


def _unit_word(unit: str, lang: str) -> str:
    return load_common().labels[f"unit_{unit}"](lang)


def _signed(text: str, value: float) -> str:
    if not any(ch in "123456789" for ch in text):  # rounds to zero: no sign ("0.0 pts")
        return text
    return f"+{text}" if value > 0 else (f"{_MINUS}{text}" if value < 0 else text)


def format_value(value: float | None, unit: Unit, lang: str, currency: str = "") -> str:
    """Format an indicator value for a report (pct values are fractions)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if unit == "pct":
        return f"{value * 100:.1f}%"
    if unit == "ratio":
        return f"{value:.2f}×"
    if unit == "count":
        return f"{value:,.0f}"
    if unit == "currency":
        return f"{currency} {value:,.2f}".strip()
    if unit in _SUFFIXED_UNITS:
        return f"{value:,.1f} {_unit_word(unit, lang)}"
    if unit == "pts":
        return f"{value:+.2f}".replace("-", _MINUS)
    if unit == "index":
        return f"{value:.1f}".replace("-", _MINUS)
    # score / number: more decimals for small scales (CSAT 4.21), fewer for large ones
    text = f"{value:.2f}" if abs(value) < 10 else f"{value:.1f}"
    return text.replace("-", _MINUS)


def format_delta(delta: float, unit: Unit, lang: str, currency: str = "") -> str:
    """Format a signed difference between two values of an indicator.

    Differences of percentages are in percentage points.
    """
    if unit == "pct":
        return _signed(f"{abs(delta) * 100:.1f} {_unit_word('points', lang)}", delta)
    if unit == "pts":
        return _signed(f"{abs(delta):.2f}", delta)
    return _signed(format_value(abs(delta), unit, lang, currency), delta)


def _indicator_text(result: IndicatorResult):
    return load_common().indicators[result.ref.id]


def indicator_finding(result: IndicatorResult, lang: str, period_days: int,
                      currency: str = "") -> str:
    """Write the one-sentence finding for an indicator (or say what would measure it)."""
    shared = load_common()
    text = _indicator_text(result)
    label = text.label(lang)
    unit = text.unit
    if result.value is None:
        if not result.missing:  # inputs present, but too few rows in this period
            return shared.templates["no_rows"](lang).format(label=label)
        return shared.templates["no_data"](lang).format(label=label,
                                                        inputs=", ".join(result.missing))
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
    parts = [
        shared.templates["finding_value"](lang).format(
            label=label,
            value=format_value(result.value, unit, lang, currency),
            target=format_value(result.target, unit, lang, currency),
            gap=gap_text,
        )
    ]
    if result.previous is not None:
        parts.append(
            shared.templates["trend"](lang).format(
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
    return ("；" if lang == "zh" else "; ").join(parts) + ("。" if lang == "zh" else ".")


def element_findings(diag: ElementDiagnosis, lang: str, period_days: int,
                     currency: str = "") -> list[str]:
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


def score_line(diag: ElementDiagnosis | FrameworkDiagnosis, lang: str) -> str:
    """Write "Score 72/100 · Developing" (or "Not assessed")."""
    shared = load_common()
    if diag.score is None:
        return shared.labels["not_assessed"](lang)
    band = diag.band if isinstance(diag, ElementDiagnosis) else None
    if band is None:
        band = to_band(diag.score, shared.band_thresholds)
    return shared.templates["element_score"](lang).format(
        score=f"{diag.score:.0f}", band=shared.bands[band](lang)
    )
