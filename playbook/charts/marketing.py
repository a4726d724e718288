"""Marketing charts: funnel by entry channel, attribution models side by side, A/B read-out.

Each function takes an analytics result and returns a Figure, or None when there is nothing
to draw. Wording comes from common.yaml in the chosen language.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from scipy import special

from playbook.analytics.marketing import ABReadout
from playbook.charts.style import format_axis, new_figure
from playbook.content import label
from playbook.theme import HIGHLIGHT, MUTED, PALETTE, TEXT
from playbook.units import format_value

#: The attribution models, left to right.
MODELS = ("first_touch", "last_touch", "linear", "markov")


def funnel_by_channel(funnel: pd.DataFrame, by: str, lang: str) -> Figure | None:
    """Draw the cumulative conversion per stage, one line per entry channel.

    Args:
        funnel: ``conversion_funnel`` output with a ``by`` column.
        by: The split column (e.g. "channel").
        lang: Report language.
    """
    if funnel is None or funnel.empty or by not in funnel.columns:
        return None
    stages = list(dict.fromkeys(funnel["stage"]))
    fig, ax = new_figure(6.4, 4.0)
    for i, (member, rows) in enumerate(funnel.groupby(by, sort=True)):
        rows = rows.sort_values("step")
        ax.plot(
            rows["step"],
            rows["cumulative"],
            marker="o",
            linewidth=1.8,
            markersize=4,
            color=PALETTE[i % len(PALETTE)],
            label=f"{member} (n={int(rows['customers'].iloc[0]):,})",
        )
    ax.set_xticks(range(1, len(stages) + 1), [str(s) for s in stages])
    ax.set_ylim(0, 1.05)
    format_axis(ax.yaxis, "pct")
    ax.set_ylabel(label("cumulative_conversion", lang))
    ax.set_title(label("funnel_by_channel", lang))
    fig.legend(loc="outside lower center", ncols=min(len(funnel[by].unique()), 4), fontsize=8)
    return fig


def attribution_bars(attribution: pd.DataFrame, lang: str) -> Figure | None:
    """Draw conversions credited to each channel under the four models as grouped bars."""
    if attribution is None or attribution.empty:
        return None
    channels = [str(c) for c in attribution["channel"]]
    xs = np.arange(len(channels))
    width = 0.8 / len(MODELS)
    fig, ax = new_figure(6.4, 3.8)
    colors = (MUTED, PALETTE[1], PALETTE[2], PALETTE[0])
    for k, (model, color) in enumerate(zip(MODELS, colors, strict=True)):
        ax.bar(
            xs - 0.4 + width * (k + 0.5),
            attribution[model].to_numpy(),
            width=width,
            color=color,
            label=label(model, lang),
        )
    ax.set_xticks(xs, channels)
    ax.set_ylabel(label("conversions_credited", lang))
    ax.grid(axis="x", visible=False)
    ax.set_title(label("attribution_chart", lang))
    fig.legend(loc="outside lower center", ncols=4, fontsize=8.5)
    return fig


def ab_chart(readout: ABReadout, lang: str) -> Figure | None:
    """Draw each arm's conversion rate with its confidence interval (normal approximation)."""
    t = readout.test
    z = 1.959963984540054 if abs(readout.alpha - 0.05) < 1e-9 else None
    if z is None:
        z = float(special.ndtri(1 - readout.alpha / 2))
    arms = [
        (readout.control, t.p1, t.n1, MUTED),
        (readout.treatment, t.p2, t.n2, HIGHLIGHT if readout.significant else PALETTE[0]),
    ]
    fig, ax = new_figure(6.4, 2.3)
    for y, (_name, p, n, color) in enumerate(arms):
        half = z * np.sqrt(p * (1 - p) / n) if n else 0.0
        ax.errorbar(p, y, xerr=half, fmt="o", color=color, capsize=5, markersize=7)
        ax.text(
            p + half,
            y + 0.18,
            f"  {format_value(p, 'pct', lang)}  n={n:,}",
            fontsize=8.5,
            color=TEXT,
            va="bottom",
        )
    ax.set_yticks([0, 1], [str(a[0]) for a in arms])
    ax.set_ylim(-0.6, 1.8)
    format_axis(ax.xaxis, "pct")
    ax.set_xlabel(label("conversion_rate", lang))
    ax.set_title(f"{label('ab_chart', lang)} · {readout.experiment_id or ''}".rstrip(" ·"))
    return fig
