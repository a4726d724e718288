"""Format numbers for a report: values by unit, signed differences, ticks, a real minus sign.

One place for how a number reads on a page, in a chart, a table or a sentence, in either
language. Percentages are fractions (0.25 reads "25.0%"; "25%" on an axis tick).
"""

from __future__ import annotations

import math

from playbook.content import Unit, label

_MINUS = "\u2212"  # a real minus sign reads better than a hyphen in reports

#: units written after the number, named in common.yaml's labels as ``unit_<unit>``
_SUFFIXED_UNITS = ("minutes", "days")


def _unit_word(unit: str, lang: str) -> str:
    return label(f"unit_{unit}", lang)


def with_minus(text: str) -> str:
    """Return ``text`` with every hyphen-minus written as a real minus sign."""
    return text.replace("-", _MINUS)


def _signed(text: str, value: float) -> str:
    if not any(ch in "123456789" for ch in text):  # rounds to zero: no sign ("0.0 pts")
        return text
    return f"+{text}" if value > 0 else (f"{_MINUS}{text}" if value < 0 else text)


def format_value(value: float | None, unit: Unit, lang: str, currency: str = "") -> str:
    """Format an indicator value for a report (pct values are fractions)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if unit == "pct":
        return with_minus(f"{value * 100:.1f}%")
    if unit == "ratio":
        return f"{value:.2f}×"
    if unit == "count":
        return f"{value:,.0f}"
    if unit == "currency":
        return f"{currency} {value:,.2f}".strip()
    if unit in _SUFFIXED_UNITS:
        return f"{value:,.1f} {_unit_word(unit, lang)}"
    if unit == "pts":
        return with_minus(f"{value:+.2f}")
    if unit == "index":
        return with_minus(f"{value:.1f}")
    # score / number: more decimals for small scales (CSAT 4.21), fewer for large ones
    return with_minus(f"{value:.2f}" if abs(value) < 10 else f"{value:.1f}")


def format_delta(delta: float, unit: Unit, lang: str, currency: str = "") -> str:
    """Format a signed difference between two values of an indicator.

    Differences of percentages are in percentage points.
    """
    if unit == "pct":
        return _signed(f"{abs(delta) * 100:.1f} {_unit_word('points', lang)}", delta)
    if unit == "pts":
        return _signed(f"{abs(delta):.2f}", delta)
    return _signed(format_value(abs(delta), unit, lang, currency), delta)


def format_tick(value: float, unit: Unit) -> str:
    """Format an axis tick or a bar's label: shorter than a reported value (80% for 80.0%)."""
    if unit == "pct":
        text = f"{value * 100:.0f}%"
    elif unit == "ratio":
        text = f"{value:.1f}×"
    elif unit == "pts":
        text = f"{value:+.1f}" if value else "0"
    else:
        text = f"{value:,.0f}" if abs(value) >= 10 or float(value).is_integer() else f"{value:.1f}"
    return with_minus(text)


def format_points(points: float, lang: str) -> str:
    """Format a change of a 0–100 score: "+4.2 pts" ("0.0 pts" when it rounds to zero)."""
    return _signed(f"{abs(points):.1f} {label('unit_score_points', lang)}", points)


def format_p_value(p: float) -> str:
    """Format a p-value: three decimals, or "< 0.001" (never "0.000")."""
    return "< 0.001" if p < 0.001 else f"{p:.3f}"


def format_whole(value: float) -> str:
    """Format a number to a whole one with the real minus ("−12"; "0", never "−0")."""
    text = f"{value:.0f}"
    return "0" if text == "-0" else with_minus(text)


def format_lift(lift: float) -> str:
    """Format a relative lift with its sign and one decimal: "+12.5%", "−3.0%"."""
    return with_minus(f"{lift:+.1%}")
