"""Operations charts: cost to serve by channel and the digital share of orders over time.

Each reads the frame its indicator leaves in ``IndicatorResult.detail`` and falls back to
the default breakdown bars (or None) when the frame is absent.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from playbook.charts.breakdown import breakdown_bar
from playbook.charts.registry import ChartContext, chart_for
from playbook.charts.style import format_axis, indicator_text
from playbook.content import label
from playbook.diagnosis import IndicatorResult
from playbook.theme import HIGHLIGHT, MUTED, PALETTE, TEXT, use_report_style
from playbook.units import format_value

COST_COLUMNS = {"channel", "cost_to_serve", "order_share", "orders"}
TREND_COLUMNS = {"month", "digital", "orders"}


@chart_for("cost_to_serve_ratio")
def cost_to_serve_bars(result: IndicatorResult, ctx: ChartContext) -> object | None:
    """Draw each channel's cost to serve (cost / revenue) beside its share of orders.

    Left: cost-to-serve ratio per channel with the target line, the costliest channel
    highlighted; right: the channel's share of orders, so a costly but small channel reads
    differently from a costly large one. Channels run from the costliest down.
    Falls back to the breakdown bars without the channel frame.
    """
    detail = result.detail
    if detail is None or detail.empty or not COST_COLUMNS <= set(detail.columns):
        return breakdown_bar(result, ctx)
    rows = detail.sort_values("cost_to_serve", ascending=True).reset_index(drop=True)
    names = [str(c) for c in rows["channel"]]
    use_report_style()
    fig = Figure(figsize=(7.2, 1.5 + 0.46 * len(rows)), layout="constrained")
    cost_ax, share_ax = fig.subplots(1, 2, sharey=True, width_ratios=[3, 2])
    worst = len(rows) - 1 if len(rows) >= 2 else None
    colors = [HIGHLIGHT if i == worst else PALETTE[0] for i in range(len(rows))]
    ratios = rows["cost_to_serve"].astype(float).to_numpy()
    cost_ax.barh(names, ratios, color=colors, height=0.62)
    cost_ax.axvline(result.target, color=TEXT, linestyle="--", linewidth=1.1, zorder=3)
    high = max(float(np.nanmax(ratios)), result.target) * 1.3 or 0.1
    for y, value in enumerate(ratios):
        cost_ax.text(
            value + high * 0.01,
            y,
            format_value(value, "pct", ctx.lang),
            va="center",
            fontsize=8.5,
            color=TEXT,
        )
    cost_ax.set_xlim(0, high)
    cost_ax.xaxis.set_major_locator(MaxNLocator(nbins=5, steps=[1, 2, 5, 10]))
    format_axis(cost_ax.xaxis, "pct")
    cost_ax.set_xlabel(label("cost_share_of_revenue", ctx.lang))
    shares = rows["order_share"].astype(float).to_numpy()
    share_ax.barh(names, shares, color=MUTED, height=0.62)
    for y, (value, n) in enumerate(zip(shares, rows["orders"], strict=True)):
        share_ax.text(
            value + 0.01,
            y,
            f"{format_value(value, 'pct', ctx.lang)}  n={int(n):,}",
            va="center",
            fontsize=8.5,
            color=TEXT,
        )
    share_ax.set_xlim(0, min(1.0, float(shares.max()) * 1.6 + 0.05))
    format_axis(share_ax.xaxis, "pct")
    share_ax.set_xlabel(label("order_share", ctx.lang))
    for ax in (cost_ax, share_ax):
        ax.grid(axis="y", visible=False)
    share_ax.tick_params(axis="y", length=0)
    fig.suptitle(
        label("cost_to_serve_by_channel", ctx.lang), x=0.02, ha="left", fontsize=12.5, color=TEXT
    )
    target = format_value(result.target, "pct", ctx.lang)
    handles = [
        Line2D([], [], color=TEXT, linestyle="--", label=f"{label('target', ctx.lang)} {target}")
    ]
    if worst is not None:
        handles.append(Patch(color=HIGHLIGHT, label=label("weakest", ctx.lang)))
    fig.legend(handles=handles, loc="outside lower center", ncols=len(handles))
    return fig


@chart_for("digital_share")
def digital_trend(result: IndicatorResult, ctx: ChartContext) -> object | None:
    """Draw the digital share of orders month by month with the target line.

    Months of the previous period sit on a grey band (the frame's ``current`` column).
    With a single month there is no trend: falls back to the breakdown bars (by scene), or
    None. Reads the month frame (month, orders, digital).
    """
    detail = result.detail
    if detail is None or len(detail) < 2 or not TREND_COLUMNS <= set(detail.columns):
        return breakdown_bar(result, ctx)
    trend = detail.sort_values("month").reset_index(drop=True)
    months = pd.DatetimeIndex(trend["month"])
    labels = [m.strftime("%Y-%m") for m in months]
    values = trend["digital"].astype(float).to_numpy()
    current = (
        trend["current"].astype(bool).to_numpy()
        if "current" in trend.columns
        else np.ones(len(trend), dtype=bool)
    )
    use_report_style()
    fig = Figure(figsize=(max(5.6, 1.8 + 0.6 * len(labels)), 3.9), layout="constrained")
    ax = fig.add_subplot()
    xs = np.arange(len(labels))
    ax.plot(xs, values, color=PALETTE[0], linewidth=2, marker="o", zorder=3)
    ax.scatter(xs[~current], values[~current], color=MUTED, zorder=4, s=30)
    for x, v in zip(xs, values, strict=True):
        ax.annotate(
            format_value(v, "pct", ctx.lang),
            (x, v),
            xytext=(0, 8),
            textcoords="offset points",
            ha="center",
            fontsize=8,
            color=TEXT,
        )
    ax.axhline(result.target, color=TEXT, linestyle="--", linewidth=1.1)
    for x in xs[~current]:
        ax.axvspan(x - 0.5, x + 0.5, color="#eef0f3", zorder=0, linewidth=0)
    low = min(float(values.min()), result.target)
    high = max(float(values.max()), result.target)
    pad = max((high - low) * 0.25, 0.05)
    ax.set_ylim(max(0.0, low - pad), min(1.05, high + pad))
    ax.set_xlim(-0.5, len(xs) - 0.5)
    ax.set_xticks(xs, labels, rotation=45 if len(labels) > 8 else 0, fontsize=8.5)
    format_axis(ax.yaxis, "pct")
    ax.set_xlabel(label("month", ctx.lang))
    ax.set_ylabel(indicator_text(result.ref.id).label(ctx.lang))
    ax.set_title(label("digital_trend", ctx.lang))
    target = format_value(result.target, "pct", ctx.lang)
    handles = [
        Line2D([], [], color=TEXT, linestyle="--", label=f"{label('target', ctx.lang)} {target}")
    ]
    if (~current).any():
        handles.append(Patch(color="#eef0f3", label=label("previous", ctx.lang)))
    fig.legend(handles=handles, loc="outside lower center", ncols=len(handles))
    return fig
