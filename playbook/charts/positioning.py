"""Charts with a shape of their own: the price/quality map and the journey funnel."""

from __future__ import annotations

import numpy as np
import pandas as pd

from playbook.charts.breakdown import breakdown_bar
from playbook.charts.registry import ChartContext, chart_for
from playbook.charts.style import format_axis, new_figure
from playbook.content import label
from playbook.diagnosis import IndicatorResult
from playbook.theme import HIGHLIGHT, MUTED, PALETTE, TEXT
from playbook.units import format_value

MAP_COLUMNS = {"name", "price_index", "quality_score", "is_client"}
FUNNEL_COLUMNS = {"stage", "customers", "conversion"}


@chart_for("price_quality_position")
def price_quality_map(result: IndicatorResult, ctx: ChartContext) -> object | None:
    """Place the client and its competitors on a price index × quality score map.

    The dashed line holds the competitors' average value for money (quality per 100 of price):
    a brand above it offers better value than the competitor average.

    Returns:
        A Figure, or None when ``result.detail`` lacks the map (name, price_index,
        quality_score, is_client).
    """
    detail = result.detail
    if detail is None or detail.empty or not MAP_COLUMNS <= set(detail.columns):
        return None
    is_client = detail["is_client"].astype(bool)
    rivals, client = detail[~is_client], detail[is_client]
    fig, ax = new_figure(6.4, 4.6)
    ax.scatter(
        rivals["price_index"],
        rivals["quality_score"],
        s=70,
        color=MUTED,
        zorder=3,
        edgecolor="white",
        linewidth=0.8,
    )
    ax.scatter(
        client["price_index"],
        client["quality_score"],
        s=140,
        color=PALETTE[0],
        zorder=4,
        edgecolor="white",
        linewidth=1.2,
    )
    for row in detail.itertuples():
        ax.annotate(
            str(row.name),
            (row.price_index, row.quality_score),
            xytext=(7, 5),
            textcoords="offset points",
            fontsize=9,
            color=PALETTE[0] if row.is_client else TEXT,
        )
    x_low = min(detail["price_index"].min(), 100) * 0.85
    x_high = max(detail["price_index"].max(), 100) * 1.12
    if not rivals.empty:
        rival_value = (rivals["quality_score"] / rivals["price_index"] * 100).mean()
        xs = np.linspace(x_low, x_high, 50)
        ax.plot(
            xs,
            rival_value * xs / 100,
            color=HIGHLIGHT,
            linestyle="--",
            linewidth=1.1,
            label=label("competitor_value_line", ctx.lang),
            zorder=2,
        )
        fig.legend(loc="outside lower center")
    ax.axvline(100, color="#dfe3e8", linewidth=1, zorder=1)
    ax.set_xlim(x_low, x_high)
    y_high = min(10.5, max(detail["quality_score"].max() * 1.15, 1))
    ax.set_ylim(max(0, detail["quality_score"].min() * 0.75), y_high)
    ax.set_xlabel(label("price_index", ctx.lang))
    ax.set_ylabel(label("quality_score", ctx.lang))
    value = format_value(result.value, "ratio", ctx.lang) if result.value is not None else ""
    ax.set_title(f"{label('price_quality_map', ctx.lang)}  ·  {value}".rstrip(" ·"))
    return fig


@chart_for("worst_stage_conversion")
def journey_funnel(result: IndicatorResult, ctx: ChartContext) -> object | None:
    """Draw the journey funnel (customers per stage) and mark the weakest stage-to-stage step.

    Falls back to the default breakdown bars when ``result.detail`` holds no funnel.
    """
    detail = result.detail
    if detail is None or detail.empty or not FUNNEL_COLUMNS <= set(detail.columns):
        return breakdown_bar(result, ctx)
    funnel = detail.reset_index(drop=True)
    widest = float(funnel["customers"].max()) or 1.0
    conversion = funnel["conversion"]
    worst = int(conversion.idxmin()) if conversion.notna().any() else None
    fig, ax = new_figure(6.4, 1.3 + 0.62 * len(funnel))
    ys = np.arange(len(funnel))[::-1]  # first stage on top
    colors = [HIGHLIGHT if i == worst else PALETTE[0] for i in funnel.index]
    widths = funnel["customers"].astype(float).to_numpy()
    ax.barh(ys, widths, left=-widths / 2, color=colors, height=0.66)
    for y, row in zip(ys, funnel.itertuples(), strict=True):
        ax.text(
            0,
            y,
            f"{int(row.customers):,}",
            ha="center",
            va="center",
            fontsize=9,
            color="white" if row.customers > widest * 0.18 else TEXT,
        )
        if pd.notna(row.conversion):
            is_worst = row.Index == worst
            text = f"↓ {format_value(row.conversion, 'pct', ctx.lang)}"
            if is_worst:
                text += f"  {label('weakest_step', ctx.lang)}"
            ax.text(
                widest * 0.56,
                y + 0.5,
                text,
                va="center",
                fontsize=9,
                color=HIGHLIGHT if is_worst else TEXT,
            )
    ax.set_yticks(ys, [str(s) for s in funnel["stage"]])
    ax.set_xlim(-widest * 0.55, widest * 1.05)
    ax.set_xticks([])
    ax.grid(False)
    ax.spines[["left", "bottom"]].set_visible(False)
    ax.tick_params(axis="y", length=0)
    ax.set_title(label("journey_funnel", ctx.lang))
    ax.set_xlabel(f"{label('customers', ctx.lang)} · ↓ {label('conversion', ctx.lang)}")
    format_axis(ax.xaxis, "count")
    return fig
