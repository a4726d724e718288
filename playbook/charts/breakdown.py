"""Breakdown charts: an indicator's value per member of its dimension, weakest highlighted.

The default chart of every indicator with a breakdown is a horizontal bar per member with the
target line. A few indicators break down into another quantity than their own value (active
channels: order share per channel; a CSAT spread: mean CSAT per member); their entry below
says which, so the bars get the right unit and no misleading target line.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Literal

import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from playbook.charts.registry import ChartContext, chart_for
from playbook.charts.style import format_axis, indicator_text, new_figure
from playbook.content import Unit, label
from playbook.content import common as load_common
from playbook.diagnosis import IndicatorResult
from playbook.theme import BAND_COLORS, HIGHLIGHT, MUTED, PALETTE, TEXT
from playbook.units import format_value, with_minus

#: At most this many members are drawn (the weakest ones when there are more).
MAX_MEMBERS = 20


@dataclass(frozen=True)
class BreakdownSpec:
    """How to draw a breakdown whose members are not in the indicator's own unit.

    Attributes:
        unit: unit of the member values (None: the indicator's unit).
        better: which way is better for the member values (None: the indicator's direction).
        target_line: draw the indicator's target (only meaningful in the indicator's unit).
        measure_label: names the member values on the value axis: a key of common.yaml's
            ``labels`` or an indicator id (its label).
        reference: a reference value drawn as a dotted line, named by ``reference_label``.
        baseline: where bars start: 0, or the bottom of a rating scale (1 for CSAT 1–5).
    """

    unit: Unit | None = None
    better: Literal["higher", "lower"] | None = None
    target_line: bool = True
    measure_label: str | None = None
    reference: float | None = None
    reference_label: str | None = None
    baseline: float = 0.0


def chart_title(indicator_id: str, lang: str, measure: str = "") -> str:
    """Return "<indicator> by <dimension>" in ``lang`` (the label alone without a dimension).

    ``measure`` replaces the indicator's label when the bars show another quantity.
    """
    text = indicator_text(indicator_id)
    name = measure or text.label(lang)
    if text.dimension is None:
        return name
    return label("chart_by", lang).format(label=name, dimension=text.dimension(lang))


def _measure_name(key: str, lang: str) -> str:
    return label(key, lang) if key in load_common().labels else indicator_text(key).label(lang)


def _worst_member(values: pd.Series, better: str) -> str:
    return str(values.idxmin() if better == "higher" else values.idxmax())


def breakdown_bar(
    result: IndicatorResult, ctx: ChartContext, spec: BreakdownSpec = BreakdownSpec()
) -> object | None:
    """Draw the indicator's value per member as horizontal bars, the weakest highlighted.

    Bars run from the weakest (top) to the best; each is labelled with its value and rows.

    Returns:
        A matplotlib Figure, or None when the result has no breakdown to draw.
    """
    if result.by is None:
        return None
    values = result.by.dropna()
    if values.empty:
        return None
    text = indicator_text(result.ref.id)
    # the breakdown's unit and direction come from the indicator registry (via the result)
    unit = spec.unit or result.by_unit or text.unit
    better = spec.better or result.by_direction or result.ref.direction
    own_units = unit == text.unit
    weakest = (
        result.weakest[0]
        if result.weakest
        else _worst_member(values, better)
        if len(values) >= 2
        else None
    )
    values = values.sort_values(ascending=better == "higher")  # weakest first
    values = values.iloc[:MAX_MEMBERS].iloc[::-1]  # barh draws bottom-up: weakest on top
    members = [str(m) for m in values.index]
    rows = (
        result.by_n.reindex(values.index)
        if result.by_n is not None
        else pd.Series(index=values.index, dtype=float)
    )

    fig, ax = new_figure(6.4, 1.35 + 0.42 * len(values))
    colors = [HIGHLIGHT if m == weakest else PALETTE[0] for m in members]
    base = spec.baseline
    ax.barh(members, values.to_numpy() - base, left=base, color=colors, height=0.62)
    marks = [float(v) for v in values] + [base]
    if spec.target_line and own_units:
        ax.axvline(result.target, color=TEXT, linestyle="--", linewidth=1.1, zorder=3)
        marks.append(result.target)
    if spec.reference is not None:
        ax.axvline(spec.reference, color=MUTED, linestyle=":", linewidth=1.3, zorder=3)
        marks.append(spec.reference)
    span = (max(marks) - min(marks)) or 1.0
    for y, (value, n) in enumerate(zip(values, rows, strict=True)):
        shown = format_value(float(value), unit, ctx.lang, ctx.currency)
        if pd.notna(n):
            shown += f"  n={int(n):,}"
        sign = 1 if value >= base else -1
        inside = abs(value - base) > span * 0.4  # long bars carry their label inside
        ax.text(
            value - sign * span * 0.015 if inside else value + sign * span * 0.015,
            y,
            shown,
            va="center",
            ha=("right" if inside else "left") if sign > 0 else ("left" if inside else "right"),
            fontsize=8.5,
            color="white" if inside else TEXT,
            zorder=4,
        )
    low = min(marks) - (span * 0.3 if min(marks) < base else 0)
    high = max(marks) + span * (0.3 if max(marks) > base else 0.05)
    if unit == "pct" and max(marks) <= 1:
        high = min(high, 1.0 + span * 0.04)
    ax.set_xlim(low, high)
    format_axis(ax.xaxis, unit)
    ax.grid(axis="y", visible=False)
    if spec.measure_label:
        measure = _measure_name(spec.measure_label, ctx.lang)
        ax.set_title(chart_title(result.ref.id, ctx.lang, measure))
        ax.set_xlabel(measure)
    else:
        ax.set_title(chart_title(result.ref.id, ctx.lang))
    handles = []
    if spec.target_line and own_units:
        target = format_value(result.target, unit, ctx.lang, ctx.currency)
        handles.append(
            Line2D(
                [], [], color=TEXT, linestyle="--", label=f"{label('target', ctx.lang)} {target}"
            )
        )
    if spec.reference is not None and spec.reference_label:
        ref = format_value(spec.reference, unit, ctx.lang, ctx.currency)
        handles.append(
            Line2D(
                [],
                [],
                color=MUTED,
                linestyle=":",
                label=f"{label(spec.reference_label, ctx.lang)} {ref}",
            )
        )
    if weakest is not None:
        handles.append(Patch(color=HIGHLIGHT, label=label("weakest", ctx.lang)))
    if handles:
        fig.legend(handles=handles, loc="outside lower center", ncols=len(handles))
    return fig


_CSAT_SPREAD = BreakdownSpec(target_line=False, measure_label="csat_by_member", baseline=1.0)
for _indicator_id, _spec in {
    "active_channels": BreakdownSpec(
        target_line=False,
        measure_label="order_share",
        reference=0.05,
        reference_label="active_threshold",
    ),
    "tier_repurchase_lift": BreakdownSpec(target_line=False, measure_label="repurchase_rate"),
    "csat_spread_by_tier": _CSAT_SPREAD,
    "channel_csat_consistency": _CSAT_SPREAD,
    "touchpoint_csat_consistency": _CSAT_SPREAD,
}.items():
    chart_for(_indicator_id)(partial(breakdown_bar, spec=_spec))


#: The answer groups of an NPS question, left to right, with their colours.
NPS_GROUPS = (
    ("detractors", BAND_COLORS["gap"]),
    ("passives", "#c8ced6"),
    ("promoters", BAND_COLORS["strong"]),
)


@chart_for("nps")
def nps_mix(result: IndicatorResult, ctx: ChartContext) -> object | None:
    """Draw promoters/passives/detractors per member as 100 % stacked bars, NPS at the end.

    Needs ``result.detail`` with a member column first and columns promoters, passives and
    detractors (shares or counts); otherwise falls back to the default breakdown bars.
    """
    detail = result.detail
    groups = [g for g, _ in NPS_GROUPS]
    if detail is None or detail.empty or not set(groups) <= set(detail.columns):
        return breakdown_bar(result, ctx)
    mix = detail.set_index(detail.columns[0])[groups].astype(float)
    mix = mix.div(mix.sum(axis=1).where(lambda s: s > 0), axis=0).dropna()
    if mix.empty:
        return None
    mix = mix.assign(nps=(mix["promoters"] - mix["detractors"]) * 100).sort_values("nps")
    fig, ax = new_figure(6.4, 1.6 + 0.42 * len(mix))
    left = pd.Series(0.0, index=mix.index)
    members = [str(m) for m in mix.index]
    for group, color in NPS_GROUPS:
        ax.barh(
            members,
            mix[group].to_numpy(),
            left=left.to_numpy(),
            color=color,
            height=0.62,
            label=label(group, ctx.lang),
        )
        left = left + mix[group]
    for y, score in enumerate(mix["nps"]):
        shown = with_minus(f"NPS {score:.0f}")
        ax.text(1.02, y, shown, va="center", fontsize=8.5, color=TEXT)
    ax.set_xlim(0, 1.16)
    ax.set_xticks([0, 0.25, 0.5, 0.75, 1.0])
    format_axis(ax.xaxis, "pct")
    ax.grid(axis="y", visible=False)
    ax.set_xlabel(label("share_of_answers", ctx.lang))
    ax.set_title(chart_title(result.ref.id, ctx.lang))
    fig.legend(loc="outside lower center", ncols=3)
    return fig
