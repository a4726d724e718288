"""The weekly step-conversion chart: each purchase step week by week, incident weeks marked.

Reads the weekly frame ``incident_conversion_loss`` leaves in ``IndicatorResult.detail``
(see ``playbook.indicators.incidents``).
"""

from __future__ import annotations

import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from playbook.charts.breakdown import breakdown_bar
from playbook.charts.registry import ChartContext, chart_for
from playbook.charts.style import format_axis, new_figure
from playbook.content import label
from playbook.diagnosis import IndicatorResult
from playbook.theme import HIGHLIGHT, MUTED, PALETTE, TEXT

#: Columns of the weekly frame the chart reads.
WEEKLY_COLUMNS = {"step", "week_start", "rate", "judged", "flagged", "normal_low", "normal_high"}

#: Weeks before the analysis period shown for context.
CONTEXT_WEEKS = 13


@chart_for("incident_conversion_loss")
def weekly_step_conversion(result: IndicatorResult, ctx: ChartContext) -> object | None:
    """Draw each purchase step's weekly conversion; shade incident weeks and normal ranges.

    Shows the period's weeks and up to ``CONTEXT_WEEKS`` before it (the start of the period
    is a dashed line). A step with incident weeks gets its normal range as a band and its
    flagged weeks marked in the highlight colour. Falls back to the breakdown bars without
    the weekly frame.
    """
    detail = result.detail
    if detail is None or detail.empty or not WEEKLY_COLUMNS <= set(detail.columns):
        return breakdown_bar(result, ctx)
    weeks = detail[detail["judged"] & (detail["week"] >= -CONTEXT_WEEKS)]
    if weeks.empty:
        return breakdown_bar(result, ctx)
    fig, ax = new_figure(7.2, 4.0)
    hit_steps = set(weeks.loc[weeks["flagged"], "step"])
    for color, (step, rows) in zip(PALETTE, weeks.groupby("step", sort=False), strict=False):
        rows = rows.sort_values("week_start")
        ax.plot(rows["week_start"], rows["rate"], color=color, linewidth=1.6, marker="o",
                markersize=3, label=str(step), zorder=3)  # fmt: skip
        if step in hit_steps:
            ax.axhspan(rows["normal_low"].iloc[0], rows["normal_high"].iloc[0], color=color,
                       alpha=0.12, zorder=1)  # fmt: skip
            flagged = rows[rows["flagged"]]
            ax.scatter(flagged["week_start"], flagged["rate"], s=46, color=HIGHLIGHT, zorder=4)
            for start in flagged["week_start"]:
                ax.axvspan(start, start + pd.Timedelta(days=7), color=HIGHLIGHT, alpha=0.1,
                           zorder=0)  # fmt: skip
    period_start = weeks.loc[weeks["current"], "week_start"].min()
    if pd.notna(period_start):
        ax.axvline(period_start, color=MUTED, linestyle="--", linewidth=1, zorder=2)
    ax.set_ylim(0, 1.05)
    format_axis(ax.yaxis, "pct")
    ax.set_xlabel(label("week_starting", ctx.lang))
    ax.set_ylabel(label("step_conversion", ctx.lang))
    ax.set_title(label("weekly_step_conversion", ctx.lang))
    ax.tick_params(axis="x", labelrotation=30, labelsize=8)
    handles, names = ax.get_legend_handles_labels()
    extra = [(Line2D([], [], color=MUTED, linestyle="--"), label("current_period", ctx.lang))]
    if hit_steps:
        extra += [
            (Patch(color=HIGHLIGHT, alpha=0.35), label("incident_weeks", ctx.lang)),
            (Patch(color=TEXT, alpha=0.12), label("normal_range", ctx.lang)),
        ]
    handles += [h for h, _ in extra]
    names += [n for _, n in extra]
    fig.legend(handles, names, loc="outside lower center", ncols=min(3, len(names)), fontsize=8.5)
    return fig
