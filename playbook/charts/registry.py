"""The chart registry: an indicator id maps to the function that draws its chart.

Adding a chart for an indicator means adding an entry with ``@chart_for``, never an ``if``.
An indicator without an entry gets the default breakdown bar chart.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from matplotlib.figure import Figure

from playbook.diagnosis import IndicatorResult


@dataclass(frozen=True)
class ChartContext:
    """What a chart needs besides the indicator: language, currency and the client's name."""

    lang: str = "en"
    currency: str = ""
    client_name: str = ""


ChartFn = Callable[[IndicatorResult, ChartContext], "Figure | None"]

_CHARTS: dict[str, ChartFn] = {}


def chart_for(indicator_id: str) -> Callable[[ChartFn], ChartFn]:
    """Register a function as the chart of the indicator ``indicator_id``."""

    def register(fn: ChartFn) -> ChartFn:
        if indicator_id in _CHARTS:
            raise ValueError(f"chart for {indicator_id!r} registered twice")
        _CHARTS[indicator_id] = fn
        return fn

    return register


def chart_function(indicator_id: str) -> ChartFn | None:
    """Return the chart registered for an indicator, or None (use the default)."""
    return _CHARTS.get(indicator_id)


def registered() -> dict[str, ChartFn]:
    """Return a copy of the chart registry."""
    return dict(_CHARTS)
