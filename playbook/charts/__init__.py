"""Charts: every figure of the report, as pure functions returning matplotlib Figures (or None).

Owns the indicator charts (``indicator_chart`` looks an indicator up in the registry,
``@chart_for`` in ``registry``, and falls back to the breakdown bar chart of ``breakdown``),
the deep-dive charts (``journey``, ``operations``, ``positioning``, ``pricing``, ``value``,
``marketing``, ``incidents``), the radar and element bars (``overview``), the executive
summary's charts (``summary``) and the shared figure set-up (``style``). May import
``diagnosis``, ``analytics``, ``content`` (wording), ``units`` (numbers on axes) and
``theme`` (fonts, colours); the only layer with ``pages`` above it that draws. Never builds
HTML or reads files.
"""

from __future__ import annotations

from matplotlib.figure import Figure

from playbook.charts import incidents, journey, operations, value  # noqa: F401  (register)
from playbook.charts.breakdown import BreakdownSpec, breakdown_bar, chart_title, nps_mix
from playbook.charts.overview import element_scores_bar, radar
from playbook.charts.positioning import journey_funnel, price_quality_map
from playbook.charts.registry import ChartContext, chart_for, chart_function, registered
from playbook.diagnosis import IndicatorResult

__all__ = [
    "BreakdownSpec",
    "ChartContext",
    "breakdown_bar",
    "chart_for",
    "chart_title",
    "element_scores_bar",
    "indicator_chart",
    "journey_funnel",
    "nps_mix",
    "price_quality_map",
    "radar",
    "registered",
]


def indicator_chart(result: IndicatorResult, ctx: ChartContext) -> Figure | None:
    """Draw the chart that fits an indicator's finding, or return None if nothing to draw."""
    if not result.measured:
        return None
    draw = chart_function(result.ref.id) or breakdown_bar
    return draw(result, ctx)
