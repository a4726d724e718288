"""Pricing charts: elasticity fit, discount effect, Van Westendorp meter, package tiers.

Each function takes an analytics result and returns a Figure, or None when there is nothing
to draw. Wording comes from common.yaml in the chosen language.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from playbook.analytics.pricing import DiscountEffect, Elasticity, VanWestendorp
from playbook.charts.style import format_axis, new_figure
from playbook.content import label
from playbook.theme import HIGHLIGHT, MUTED, PALETTE, TEXT
from playbook.units import format_tick, format_value, with_minus


def elasticity_fit(est: Elasticity, lang: str) -> Figure | None:
    """Draw log(units per order) against log(unit price) within groups, the fit and its CI.

    Both axes show values relative to their group's mean (1.0 = the group's usual price or
    volume) on log scales, so points from different groups share one picture.
    """
    if not est.estimable or est.points is None or est.points.empty:
        return None
    pts = est.points
    x, y = np.log(pts["price"]), np.log(pts["quantity"])
    xd = x - x.groupby(pts["segment"]).transform("mean")
    yd = y - y.groupby(pts["segment"]).transform("mean")
    fig, ax = new_figure(6.4, 4.4)
    ax.scatter(
        np.exp(xd),
        np.exp(yd),
        s=12,
        color=MUTED,
        alpha=0.45,
        linewidth=0,
        label=label("price_points", lang),
        zorder=2,
    )
    grid = np.linspace(float(xd.min()), float(xd.max()), 60)
    ax.fill_between(
        np.exp(grid),
        np.exp(est.ci_low * grid),
        np.exp(est.ci_high * grid),
        color=PALETTE[0],
        alpha=0.18,
        linewidth=0,
        zorder=3,
        label=label("confidence_band", lang).format(level=format_tick(est.confidence, "pct")),
    )
    ax.plot(
        np.exp(grid),
        np.exp(est.elasticity * grid),
        color=PALETTE[0],
        linewidth=2,
        zorder=4,
        label=with_minus(f"{label('fitted_line', lang)} ({est.elasticity:.2f})"),
    )
    ax.set_xscale("log")
    ax.set_yscale("log")
    ratio = FuncFormatter(lambda v, _p: f"{v:.2g}×")
    ax.xaxis.set_major_formatter(ratio)
    ax.yaxis.set_major_formatter(ratio)
    ax.xaxis.set_minor_formatter(FuncFormatter(lambda v, _p: ""))
    ax.yaxis.set_minor_formatter(FuncFormatter(lambda v, _p: ""))
    ax.set_xlabel(label("unit_price_log", lang))
    ax.set_ylabel(label("units_log", lang))
    ax.set_title(label("elasticity_chart", lang))
    fig.legend(loc="outside lower center", ncols=3)
    return fig


def discount_bars(effect: DiscountEffect, lang: str) -> Figure | None:
    """Draw the repurchase rate after a discounted vs a full-price first order."""
    table = effect.table.dropna(subset=["repurchase_rate"])
    table = table.loc[table["customers"] > 0]
    if table.empty:
        return None
    names = [label(g, lang) for g in table["group"]]
    fig, ax = new_figure(6.4, 2.3)
    colors = [PALETTE[0] if g == "discounted" else MUTED for g in table["group"]]
    ax.barh(names, table["repurchase_rate"].to_numpy(), color=colors, height=0.55)
    for yy, (rate, n) in enumerate(zip(table["repurchase_rate"], table["customers"], strict=True)):
        ax.text(
            rate,
            yy,
            f"  {format_value(rate, 'pct', lang)}  n={int(n):,}",
            va="center",
            fontsize=9,
            color=TEXT,
        )
    ax.set_xlim(0, max(float(table["repurchase_rate"].max()) * 1.45, 0.05))
    format_axis(ax.xaxis, "pct")
    ax.grid(axis="y", visible=False)
    ax.set_xlabel(label("repurchase", lang))
    ax.set_title(label("discount_effect_chart", lang))
    return fig


#: The Van Westendorp curves, their colour and line style.
VW_CURVES = (
    ("too_cheap", PALETTE[2], "-"),
    ("cheap", PALETTE[2], "--"),
    ("expensive", HIGHLIGHT, "--"),
    ("too_expensive", HIGHLIGHT, "-"),
    ("not_cheap", MUTED, ":"),
    ("not_expensive", MUTED, "-."),
)


def van_westendorp_meter(meter: VanWestendorp, lang: str, currency: str = "") -> Figure | None:
    """Draw the four price curves (and their complements), shade the acceptable range, mark OPP."""
    curves = meter.curves
    if curves.empty:
        return None
    fig, ax = new_figure(6.4, 4.4)
    for name, color, style in VW_CURVES:
        ax.plot(
            curves["price"],
            curves[name],
            color=color,
            linestyle=style,
            linewidth=1.6,
            label=label(name, lang),
        )
    low, high = meter.acceptable_range
    if low is not None and high is not None:
        span = f"{format_value(low, 'number', lang)}–{format_value(high, 'number', lang)}"
        ax.axvspan(
            low,
            high,
            color=PALETTE[0],
            alpha=0.10,
            zorder=0,
            label=f"{label('acceptable_range', lang)} {span}",
        )
    if meter.opp is not None:
        opp = format_value(meter.opp, "number", lang)
        ax.axvline(
            meter.opp,
            color=PALETTE[0],
            linewidth=1.6,
            zorder=3,
            label=f"{label('optimal_price', lang)} {opp}",
        )
    ax.set_ylim(0, 1.02)
    format_axis(ax.yaxis, "pct")
    ax.set_xlabel(f"{label('price', lang)} ({currency})" if currency else label("price", lang))
    ax.set_ylabel(label("share_of_respondents", lang))
    ax.set_title(label("vw_chart", lang))
    fig.legend(loc="outside lower center", ncols=3, fontsize=8)
    return fig


def package_bars(packages: pd.DataFrame, lang: str, currency: str = "") -> Figure | None:
    """Draw each package's suggested price, labelled with the share of orders it would take."""
    if packages is None or packages.empty:
        return None
    names = [label(f"package_{p}", lang) for p in packages["package"]]
    fig, ax = new_figure(6.4, 2.6)
    colors = [PALETTE[i % len(PALETTE)] for i in range(len(names))]
    ax.bar(names, packages["price"].to_numpy(), color=colors, width=0.55)
    top = float(packages["price"].max()) or 1.0
    for xx, row in enumerate(packages.itertuples()):
        ax.text(
            xx,
            row.price + top * 0.03,
            f"{format_value(row.price, 'currency', lang, currency)}\n"
            f"{label('order_share', lang)} {format_value(row.order_share, 'pct', lang)}",
            ha="center",
            va="bottom",
            fontsize=8.5,
            color=TEXT,
        )
    ax.set_ylim(0, top * 1.45)
    ax.set_ylabel(label("suggested_price", lang))
    ax.grid(axis="x", visible=False)
    ax.set_title(label("packages_chart", lang))
    return fig
