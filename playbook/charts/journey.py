"""Journey charts: satisfaction across the journey, scene mix, cross-channel use, tracking.

Each chart reads the frame its indicator leaves in ``IndicatorResult.detail`` (see the
indicator's docstring) and falls back to the default breakdown bars, or to None, when the
frame is absent — a chart is never drawn empty.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle

from playbook.charts.breakdown import breakdown_bar
from playbook.charts.registry import ChartContext, chart_for
from playbook.charts.style import format_axis, new_figure
from playbook.content import label
from playbook.diagnosis import IndicatorResult
from playbook.theme import HIGHLIGHT, MUTED, PALETTE, TEXT
from playbook.units import format_value

#: Red (poor) through pale yellow to green (good) for satisfaction cells.
SATISFACTION_CMAP = LinearSegmentedColormap.from_list(
    "satisfaction", ["#c0392b", "#f5e6a8", "#1e8449"]
)
#: White (nobody) to the report's blue (everybody) for shares of customers.
SHARE_CMAP = LinearSegmentedColormap.from_list("share", ["#ffffff", PALETTE[0]])
#: At most this many rows in a heat map (the ones with most responses).
MAX_ROWS = 14


def _has(detail: pd.DataFrame | None, columns: set[str]) -> bool:
    return detail is not None and not detail.empty and columns <= set(detail.columns)


def _cell_text_color(value: float, low: float, high: float) -> str:
    """Return white on the saturated ends of a diverging scale, dark text in the middle."""
    position = (value - low) / ((high - low) or 1.0)
    return "white" if position < 0.2 or position > 0.8 else TEXT


@chart_for("csat_mean")
def satisfaction_heatmap(result: IndicatorResult, ctx: ChartContext) -> object | None:
    """Draw mean CSAT as a touchpoint (or channel) × journey stage heat map.

    Cells are coloured from red (low) to green (high) around the overall mean, labelled with
    the mean and the responses behind it; the weakest cell is outlined. Reads the grid of
    ``satisfaction_grid`` (first column touchpoint or channel, then stage, csat, responses).
    Falls back to the breakdown bars without it.
    """
    detail = result.detail
    if not _has(detail, {"stage", "csat", "responses"}) or detail.columns[0] == "stage":
        return breakdown_bar(result, ctx)
    member = detail.columns[0]
    sizes = detail.groupby(member, sort=False)["responses"].sum()
    keep = sizes.nlargest(MAX_ROWS).index
    grid = detail[detail[member].isin(keep)]
    rows = list(pd.unique(grid[member]))
    stages = list(pd.unique(grid["stage"]))
    means = grid.pivot(index=member, columns="stage", values="csat").reindex(
        index=rows, columns=stages
    )
    counts = grid.pivot(index=member, columns="stage", values="responses").reindex(
        index=rows, columns=stages
    )
    centre = result.value if result.value is not None else float(np.nanmean(means))
    reach = max(float(np.nanmax(np.abs(means.to_numpy() - centre))), 0.3)
    low, high = centre - reach, centre + reach
    fig, ax = new_figure(max(5.2, 1.9 + 1.15 * len(stages)), 1.5 + 0.48 * len(rows))
    image = ax.imshow(
        means.to_numpy(dtype=float), cmap=SATISFACTION_CMAP, vmin=low, vmax=high, aspect="auto"
    )
    worst = np.unravel_index(np.nanargmin(means.to_numpy(dtype=float)), means.shape)
    for (i, j), value in np.ndenumerate(means.to_numpy(dtype=float)):
        if np.isnan(value):
            continue
        n = int(counts.iat[i, j])
        ax.text(
            j,
            i,
            f"{value:.2f}\nn={n:,}",
            ha="center",
            va="center",
            fontsize=8,
            color=_cell_text_color(value, low, high),
            linespacing=1.1,
        )
    if len(means.stack()) >= 2:
        ax.add_patch(_outline(worst[1], worst[0]))
    ax.set_xticks(range(len(stages)), [str(s) for s in stages])
    ax.set_yticks(range(len(rows)), [str(r) for r in rows])
    ax.tick_params(axis="both", length=0)
    ax.xaxis.tick_top()
    ax.grid(False)
    ax.spines[:].set_visible(False)
    colorbar = fig.colorbar(image, ax=ax, shrink=0.8, pad=0.02)
    colorbar.outline.set_visible(False)
    colorbar.ax.tick_params(labelsize=8)
    rows_name = label(str(member), ctx.lang)
    rows_name = rows_name.lower() if ctx.lang == "en" else rows_name
    ax.set_title(label("satisfaction_heatmap", ctx.lang).format(rows=rows_name))
    return fig


def _outline(x: int, y: int) -> Rectangle:
    """Return a dark frame around the heat-map cell at column ``x``, row ``y``."""
    return Rectangle((x - 0.5, y - 0.5), 1, 1, fill=False, edgecolor=TEXT, linewidth=2.2, zorder=4)


@chart_for("core_scene_share")
def scene_mix(result: IndicatorResult, ctx: ChartContext) -> object | None:
    """Draw the scene mix by month as 100 % stacked bars, the core scene at the bottom.

    Reads ``monthly_mix`` (month, scene, orders, share) over the previous and current
    period; the core scene is the scene whose monthly share matches the indicator best.
    Falls back to the breakdown bars without it.
    """
    detail = result.detail
    if not _has(detail, {"month", "scene", "orders"}):
        return breakdown_bar(result, ctx)
    counts = detail.pivot_table(
        index="month", columns="scene", values="orders", aggfunc="sum", fill_value=0
    ).sort_index()
    shares = counts.div(counts.sum(axis=1), axis=0)
    core = _core_scene(shares, result.value)
    order = [core] + [s for s in shares.mean().sort_values(ascending=False).index if s != core]
    shares = shares[order]
    months = [m.strftime("%Y-%m") for m in pd.DatetimeIndex(shares.index)]
    fig, ax = new_figure(max(5.6, 1.8 + 0.62 * len(months)), 4.2)
    bottom = np.zeros(len(months))
    others = iter(PALETTE[1:] + PALETTE[1:])
    for scene in order:
        values = shares[scene].to_numpy()
        color = PALETTE[0] if scene == core else next(others)
        name = f"{scene} ({label('core_scene', ctx.lang)})" if scene == core else str(scene)
        ax.bar(
            months,
            values,
            bottom=bottom,
            color=color,
            width=0.72,
            label=name,
            edgecolor="white",
            linewidth=0.6,
        )
        for x, (v, b) in enumerate(zip(values, bottom, strict=True)):
            if v >= 0.07:
                ax.text(
                    x,
                    b + v / 2,
                    format_value(v, "pct", ctx.lang),
                    ha="center",
                    va="center",
                    fontsize=7.5,
                    color="white",
                )
        bottom = bottom + values
    if result.target is not None:
        ax.axhline(result.target, color=TEXT, linestyle="--", linewidth=1.1, zorder=3)
    ax.set_ylim(0, 1)
    format_axis(ax.yaxis, "pct")
    ax.grid(axis="x", visible=False)
    ax.tick_params(axis="x", labelrotation=45 if len(months) > 8 else 0, labelsize=8.5)
    ax.set_xlabel(label("month", ctx.lang))
    ax.set_title(label("scene_mix", ctx.lang))
    handles, names = ax.get_legend_handles_labels()
    target = format_value(result.target, "pct", ctx.lang)
    handles.append(Line2D([], [], color=TEXT, linestyle="--"))
    names.append(f"{label('target', ctx.lang)} ({label('core_scene', ctx.lang)}) {target}")
    fig.legend(handles, names, loc="outside right center", fontsize=8.5)
    return fig


def _core_scene(shares: pd.DataFrame, value: float | None) -> object:
    """Return the scene whose overall share is closest to the core-scene share measured."""
    mean = shares.mean()
    if value is None:
        return mean.idxmax()
    return (mean - value).abs().idxmin()


@chart_for("cross_channel_journey_share")
def channels_used_map(result: IndicatorResult, ctx: ChartContext) -> object | None:
    """Draw entry channel × channels used: the share of each entry channel's customers.

    The diagonal (a customer always uses their entry channel) is greyed out; each row is
    labelled with its customers and its cross-channel share. Reads ``channels_used``
    (entry_channel, channel, customers, share, entry_customers); falls back to the breakdown
    bars without it.
    """
    detail = result.detail
    if not _has(detail, {"entry_channel", "channel", "share", "entry_customers"}):
        return breakdown_bar(result, ctx)
    entries = (
        detail.drop_duplicates("entry_channel")
        .set_index("entry_channel")["entry_customers"]
        .sort_values(ascending=False)
    )
    entries = entries.iloc[:MAX_ROWS]
    used = list(detail.groupby("channel")["customers"].sum().sort_values(ascending=False).index)
    shares = (
        detail.pivot(index="entry_channel", columns="channel", values="share")
        .reindex(index=entries.index, columns=used)
        .fillna(0.0)
    )
    masked = shares.to_numpy(dtype=float).copy()
    for i, entry in enumerate(shares.index):
        if entry in used:
            masked[i, used.index(entry)] = np.nan
    fig, ax = new_figure(max(5.4, 2.6 + 1.05 * len(used)), 1.7 + 0.5 * len(entries))
    off_diagonal = np.nanmax(masked) if np.isfinite(masked).any() else 1.0
    cmap = SHARE_CMAP.with_extremes(bad="#eef0f3")
    ax.imshow(masked, cmap=cmap, vmin=0, vmax=max(off_diagonal, 0.05), aspect="auto")
    for (i, j), value in np.ndenumerate(masked):
        text = "—" if np.isnan(value) else format_value(value, "pct", ctx.lang)
        dark = not np.isnan(value) and value > off_diagonal * 0.6
        ax.text(
            j,
            i,
            text,
            ha="center",
            va="center",
            fontsize=8.5,
            color="white" if dark else (MUTED if np.isnan(value) else TEXT),
        )
    by = result.by if result.by is not None else pd.Series(dtype=float)
    row_names = []
    for entry, n in entries.items():
        share = by.get(entry)
        extra = (
            f" · {label('cross_channel', ctx.lang)} {format_value(share, 'pct', ctx.lang)}"
            if share is not None and pd.notna(share)
            else ""
        )
        row_names.append(f"{entry}\nn={int(n):,}{extra}")
    ax.set_yticks(range(len(entries)), row_names, fontsize=8.5)
    ax.set_xticks(range(len(used)), [str(c) for c in used])
    ax.xaxis.tick_top()
    ax.xaxis.set_label_position("top")
    ax.tick_params(axis="both", length=0)
    ax.grid(False)
    ax.spines[:].set_visible(False)
    ax.set_xlabel(label("channel_used", ctx.lang))
    ax.set_ylabel(label("entry_channel", ctx.lang))
    fig.suptitle(label("channels_used", ctx.lang), x=0.02, ha="left", fontsize=12.5, color=TEXT)
    return fig


@chart_for("tracked_progress_share")
def tracked_by_stage(result: IndicatorResult, ctx: ChartContext) -> object | None:
    """Draw the tracked-progress share per journey stage, in journey order, with the target.

    Stages below the target are highlighted. Reads the stage frame (stage, events, tracked);
    falls back to the breakdown bars without it.
    """
    detail = result.detail
    if not _has(detail, {"stage", "events", "tracked"}):
        return breakdown_bar(result, ctx)
    stages = [str(s) for s in detail["stage"]]
    values = detail["tracked"].astype(float).to_numpy()
    below = values < result.target if result.ref.direction == "higher" else values > result.target
    fig, ax = new_figure(max(5.2, 1.6 + 0.95 * len(stages)), 3.8)
    colors = [HIGHLIGHT if b else PALETTE[0] for b in below]
    ax.bar(stages, values, color=colors, width=0.62)
    for x, (v, n) in enumerate(zip(values, detail["events"], strict=True)):
        inside = v >= 0.2  # tall bars carry their label inside, clear of the target line
        ax.text(
            x,
            v - 0.03 if inside else v + 0.015,
            f"{format_value(v, 'pct', ctx.lang)}\nn={int(n):,}",
            ha="center",
            va="top" if inside else "bottom",
            fontsize=8,
            color="white" if inside else TEXT,
            linespacing=1.1,
        )
    ax.axhline(result.target, color=TEXT, linestyle="--", linewidth=1.1, zorder=3)
    ax.set_ylim(0, 1.12)
    ax.set_yticks([0, 0.25, 0.5, 0.75, 1.0])
    format_axis(ax.yaxis, "pct")
    ax.grid(axis="x", visible=False)
    ax.set_xlabel(label("stage", ctx.lang))
    ax.set_title(label("tracked_by_stage", ctx.lang))
    target = format_value(result.target, "pct", ctx.lang)
    handles = [
        Line2D([], [], color=TEXT, linestyle="--", label=f"{label('target', ctx.lang)} {target}")
    ]
    if below.any():
        handles.append(Patch(color=HIGHLIGHT, label=label("below_target", ctx.lang)))
    fig.legend(handles=handles, loc="outside lower center", ncols=len(handles))
    return fig
