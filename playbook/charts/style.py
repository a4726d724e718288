"""Shared pieces of every chart: a styled figure, indicator wording, axis formats (``units``)."""

from __future__ import annotations

from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from playbook.content import IndicatorText, Unit
from playbook.content import common as load_common
from playbook.theme import use_report_style
from playbook.units import format_tick


def new_figure(width: float, height: float, polar: bool = False) -> tuple[Figure, object]:
    """Return a report-styled figure with one axes (not registered with pyplot)."""
    use_report_style()
    fig = Figure(figsize=(width, height), layout="constrained")
    ax = fig.add_subplot(projection="polar" if polar else None)
    return fig, ax


def indicator_text(indicator_id: str) -> IndicatorText:
    """Return the label, unit and dimension of an indicator from common.yaml."""
    return load_common().indicators[indicator_id]


def format_axis(axis, unit: Unit) -> None:
    """Format an axis' ticks for values of ``unit``."""
    axis.set_major_formatter(FuncFormatter(lambda v, _pos: format_tick(v, unit)))
