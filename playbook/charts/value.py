"""Customer-value and word-of-mouth charts: tier shares, value distribution, risk, NPS mix.

Pure functions from analysis frames (``playbook.analytics``) to matplotlib Figures; each
returns None when there is nothing to draw. Labels come from common.yaml in ``lang``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from playbook.charts.breakdown import NPS_GROUPS, nps_mix
from playbook.charts.registry import chart_for
from playbook.charts.style import format_axis, new_figure
from playbook.content import label
from playbook.theme import MUTED, PALETTE, TEXT
from playbook.units import format_tick, with_minus

# The weakest-segment NPS draws the same promoter/passive/detractor mix as NPS by touchpoint.
chart_for("segment_nps_min")(nps_mix)


#: Tier labels of ``playbook.analytics.loyalty`` that have a display name in common.yaml.
RFM_TIERS = ("platinum", "gold", "silver", "at_risk")


def tier_name(tier: str, lang: str, rfm_names: bool = True) -> str:
    """Return a tier's display name: RFM tiers translated, the client's own tiers unchanged.

    Args:
        tier: the tier label.
        lang: "zh" or "en".
        rfm_names: True when ``tier`` is an RFM tier label; False for the client's own tiers.
    """
    if tier == "unassigned" or (rfm_names and tier in RFM_TIERS):
        return label(f"tier_{tier}", lang)
    return str(tier)


def _paired_tier_bars(
    frame: pd.DataFrame,
    columns: tuple[str, str],
    accent: str,
    title_key: str,
    lang: str,
    rfm_names: bool,
    fit_to_data: bool,
) -> Figure:
    """Draw two share columns side by side per tier (muted first, accent second)."""
    tiers = [tier_name(t, lang, rfm_names) for t in frame["tier"]][::-1]
    y = np.arange(len(tiers))
    fig, ax = new_figure(6.4, 1.5 + 0.5 * len(tiers))
    for column, color, offset in zip(columns, (MUTED, accent), (0.2, -0.2), strict=True):
        values = frame[column].to_numpy()[::-1]
        ax.barh(y + offset, values, height=0.38, color=color, label=label(column, lang))
        for yi, v in zip(y + offset, values, strict=True):
            ax.text(v + 0.01, yi, format_tick(v, "pct"), va="center", fontsize=8.5, color=TEXT)
    ax.set_yticks(y, tiers)
    top = float(frame[list(columns)].to_numpy().max())
    ax.set_xlim(0, min(1.0, top + 0.15) if fit_to_data and top < 0.85 else 1.1)
    format_axis(ax.xaxis, "pct")
    ax.grid(axis="y", visible=False)
    ax.set_title(label(title_key, lang))
    fig.legend(loc="outside lower center", ncols=2)
    return fig


def tier_share_chart(economics: pd.DataFrame, lang: str, rfm_names: bool = True) -> Figure | None:
    """Draw each tier's share of customers next to its share of revenue.

    Args:
        economics: ``tier_economics`` output (tier, customer_share, revenue_share, ...).
        lang: "zh" or "en".
        rfm_names: whether the tiers are RFM tiers (translated) or the client's own.
    """
    if economics is None or economics.empty:
        return None
    return _paired_tier_bars(
        economics,
        ("customer_share", "revenue_share"),
        PALETTE[0],
        "customers_vs_revenue",
        lang,
        rfm_names,
        fit_to_data=True,
    )


def value_distribution_chart(values: pd.Series, lang: str, currency: str) -> Figure | None:
    """Draw the distribution of historical customer value with its mean and median.

    Args:
        values: one value per customer (e.g. ``historical_clv(...)["clv_historical"]``).
        lang: "zh" or "en".
        currency: the client's currency code, for the axis label.
    """
    values = values.dropna().astype(float)
    if values.empty:
        return None
    fig, ax = new_figure(6.4, 3.2)
    cap = float(values.quantile(0.99)) or float(values.max())
    shown = values.clip(upper=cap)
    ax.hist(shown, bins=min(40, max(5, shown.nunique())), color=PALETTE[0], alpha=0.85)
    for stat, style in (("clv_mean", "--"), ("clv_median", ":")):
        v = float(values.mean() if stat == "clv_mean" else values.median())
        ax.axvline(
            min(v, cap),
            color=TEXT,
            linestyle=style,
            linewidth=1.2,
            label=f"{label(stat, lang)} {v:,.0f}",
        )
    ax.set_xlabel(label("clv_value_axis", lang).format(currency=currency))
    ax.set_ylabel(label("clv_customers_axis", lang))
    ax.set_title(label("clv_distribution", lang))
    fig.legend(loc="outside lower center", ncols=2)
    return fig


def risk_by_tier_chart(by_tier: pd.DataFrame, lang: str, rfm_names: bool = True) -> Figure | None:
    """Draw, per tier, the share of its customers and of its revenue at high churn risk.

    Args:
        by_tier: frame with tier, at_risk_customer_share, at_risk_revenue_share.
        lang: "zh" or "en".
        rfm_names: whether the tiers are RFM tiers (translated) or the client's own.
    """
    if by_tier is None or by_tier.empty:
        return None
    return _paired_tier_bars(
        by_tier,
        ("at_risk_customer_share", "at_risk_revenue_share"),
        PALETTE[4],
        "at_risk_by_tier",
        lang,
        rfm_names,
        fit_to_data=False,
    )


def nps_segments_chart(table: pd.DataFrame, column: str, title: str, lang: str) -> Figure | None:
    """Draw promoters/passives/detractors per member as 100 % stacked bars, NPS at the end.

    Args:
        table: ``playbook.analytics.wom.nps`` output (``column``, promoters, passives,
            detractors, nps), weakest first.
        column: the member column (e.g. "segment", "touchpoint").
        title: chart title (already in ``lang``).
        lang: "zh" or "en".
    """
    if table is None or table.empty:
        return None
    mix = table.set_index(column).sort_values("nps")
    members = [str(m) for m in mix.index]
    fig, ax = new_figure(6.4, 1.6 + 0.42 * len(mix))
    left = np.zeros(len(mix))
    for group, color in NPS_GROUPS:
        values = mix[group].to_numpy(dtype=float)
        ax.barh(members, values, left=left, color=color, height=0.62, label=label(group, lang))
        left = left + values
    for y, score in enumerate(mix["nps"]):
        ax.text(
            1.02,
            y,
            with_minus(f"NPS {score:.0f}"),
            va="center",
            fontsize=8.5,
            color=TEXT,
        )
    ax.set_xlim(0, 1.16)
    ax.set_xticks([0, 0.25, 0.5, 0.75, 1.0])
    format_axis(ax.xaxis, "pct")
    ax.grid(axis="y", visible=False)
    ax.set_xlabel(label("share_of_answers", lang))
    ax.set_title(title)
    fig.legend(loc="outside lower center", ncols=3)
    return fig
