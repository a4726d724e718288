"""Shared pieces of every chart: a styled figure, wording from the content, axis formats."""

from __future__ import annotations

from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from playbook.content import IndicatorText, Unit
from playbook.content import common as load_common
from playbook.theme import use_report_style


def new_figure(width: float, height: float, polar: bool = False) -> tuple[Figure, object]:
    """Return a report-styled figure with one axes (not registered with pyplot)."""
    use_report_style()
    fig = Figure(figsize=(width, height), layout="constrained")
    ax = fig.add_subplot(projection="polar" if polar else None)
    return fig, ax


def label(key: str, lang: str) -> str:
    """Return a label from common.yaml in ``lang``."""
    return load_common().labels[key](lang)


def indicator_text(indicator_id: str) -> IndicatorText:
    """Return the label, unit and dimension of an indicator from common.yaml."""
    return load_common().indicators[indicator_id]


def tick_text(value: float, unit: Unit) -> str:
    """Format an axis tick: shorter than a reported value (80% rather than 80.0%)."""
    return _tick_text(value, unit).replace("-", "\u2212")  # a real minus, as in findings


def _tick_text(value: float, unit: Unit) -> str:
    if unit == "pct":
        return f"{value * 100:.0f}%"
    if unit == "ratio":
        return f"{value:.1f}×"
    if unit == "pts":
        return f"{value:+.1f}" if value else "0"
    return f"{value:,.0f}" if abs(value) >= 10 or float(value).is_integer() else f"{value:.1f}"


def format_axis(axis, unit: Unit) -> None:
    """Format an axis' ticks for values of ``unit``."""
    axis.set_major_formatter(FuncFormatter(lambda v, _pos: tick_text(v, unit)))
