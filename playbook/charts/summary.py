"""Executive-summary charts: one radar of every element, framework scores, the 30/60/90 plan.

Each function takes a frame of ``playbook.diagnosis.summary`` and returns a matplotlib Figure (not
registered with pyplot), or None when there is nothing to draw. A framework keeps its colour
in every chart: a fixed qualitative palette of twelve colours (the house colours first, no grey:
grey means "not assessed") indexed by the framework's order.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.colors import to_hex, to_rgb
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.transforms import Affine2D

from playbook.charts.style import new_figure
from playbook.charts.wrap import balanced_wrap, wrap_text
from playbook.content import common as load_common
from playbook.content import label
from playbook.diagnosis.summary import PHASES, PLAN_COLUMNS
from playbook.theme import BAND_COLORS, MUTED, TEXT

#: One colour per framework order (1–12), distinct from each other and from grey.
FRAMEWORK_PALETTE = (
    "#1f4e79",  # navy
    "#e07b39",  # orange
    "#5b9b5b",  # green
    "#8e6bb3",  # purple
    "#c44e52",  # red
    "#8c6d46",  # brown
    "#d9a441",  # gold
    "#4c9fb8",  # teal
    "#d36fae",  # pink
    "#7a8f2a",  # olive
    "#4f6fe0",  # bright blue
    "#7b2d43",  # wine
)
_RENDERER = RendererAgg(1, 1, 72)  # measures text in points (1 px = 1 pt at 72 dpi)


def framework_color(order: int) -> str:
    """Return a framework's colour: the framework palette indexed by its order (1, 2, …)."""
    return FRAMEWORK_PALETTE[(int(order) - 1) % len(FRAMEWORK_PALETTE)]


def _require(frame: pd.DataFrame, columns: Sequence[str]) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"the frame lacks column(s): {', '.join(missing)}")


def _framework_legend(
    fig: Figure,
    frame: pd.DataFrame,
    lang: str,
    under_figure: bool = False,
    ncols: int = 3,
    fontsize: float = 8.5,
) -> None:
    """Add the framework colours as a legend under the chart (or the figure's bottom edge)."""
    firsts = frame.drop_duplicates("framework_id")
    handles = [
        Patch(color=framework_color(o), label=wrap_text(t, 44 if lang == "zh" else 40))
        for o, t in zip(firsts["framework_order"], firsts["framework"], strict=True)
    ]
    placement = {"loc": "outside lower center"}
    if under_figure:  # no layout engine: hang it under the figure (savefig's tight bbox)
        placement = {"loc": "upper center", "bbox_to_anchor": (0.5, 0.0)}
    fig.legend(
        handles=handles,
        ncols=min(ncols, len(handles)),
        fontsize=fontsize,
        handlelength=1.2,
        **placement,
    )


def radar_all(elements: pd.DataFrame, lang: str) -> Figure | None:
    """Draw every element of every framework on one radar, coloured per framework.

    Elements without a score keep their spoke (label in grey, "not assessed") but no point;
    the outline joins the assessed elements. A coloured arc outside the 100 ring marks each
    framework's elements. Labels sit just outside the ring, aligned by angle, wrapped to a
    fixed width, in a font that shrinks with the number of spokes; a label that would touch
    a neighbour moves outwards (with a thin leader line to its spoke).

    Args:
        elements: ``Summary.elements`` (framework_id, framework_order, framework, title,
            score).
        lang: "zh" or "en".

    Returns:
        A Figure, or None when no element has a score.
    """
    _require(elements, ("framework_id", "framework_order", "framework", "title", "score"))
    if elements.empty or elements["score"].isna().all():
        return None
    thresholds = load_common().band_thresholds
    n = len(elements)
    step = 2 * np.pi / max(n, 3)
    angles = np.arange(n) * step
    radius = 2.6 if n <= 12 else (3.0 if n <= 24 else 3.4)  # inches from centre to 112
    fig, ax = new_figure(2 * radius, 2 * radius, polar=True)
    ax.set_theta_offset(np.pi / 2)
    ax.set_theta_direction(-1)
    ring = np.linspace(0, 2 * np.pi, 240)
    for level in (thresholds["developing"], thresholds["strong"]):
        ax.plot(ring, np.full_like(ring, level), color=MUTED, linewidth=0.8, linestyle="--")
    scores = elements["score"].to_numpy(dtype=float)
    orders = elements["framework_order"].to_numpy()
    known = ~np.isnan(scores)
    outline_a = np.append(angles[known], angles[known][0])
    outline_v = np.append(scores[known], scores[known][0])
    ax.plot(outline_a, outline_v, color=TEXT, linewidth=1.1, alpha=0.55)
    ax.fill(outline_a, outline_v, color=FRAMEWORK_PALETTE[0], alpha=0.10)
    for order in pd.unique(orders):
        mine = orders == order
        color = framework_color(order)
        arc = np.linspace(angles[mine].min() - step * 0.42, angles[mine].max() + step * 0.42, 40)
        ax.plot(
            arc,
            np.full_like(arc, 108),
            color=color,
            linewidth=4,
            solid_capstyle="butt",
            gid=f"arc:{order}",
        )
        ax.scatter(
            angles[mine & known],
            scores[mine & known],
            s=38 if n <= 24 else 30,
            color=color,
            zorder=3,
            edgecolors="white",
            linewidths=0.8,
        )
    ax.set_xticks(angles, [""] * n)
    ax.set_ylim(0, 112)
    ax.set_yticks([25, 50, 75, 100], ["25", "50", "75", "100"], fontsize=7.5, color=MUTED)
    ax.set_rlabel_position(np.degrees(step / 2))  # between the first two spokes
    ax.grid(color="#e6e9ed")
    ax.spines["polar"].set_visible(False)
    fontsize = 9.5 if n <= 12 else (8.5 if n <= 24 else 8.0)
    texts = _radar_texts(elements["title"], scores, lang, n)
    boxes = _place_labels(angles, texts, fontsize, radius * 115 / 112)
    _draw_radar(fig, ax, radius, angles, texts, boxes, orders, scores, fontsize, lang)
    _framework_legend(fig, elements, lang, under_figure=True)
    return fig


def _radar_texts(titles: pd.Series, scores: np.ndarray, lang: str, n: int) -> list[str]:
    """Return the spoke labels: balanced lines no wider than the spoke count allows."""
    width = (16 if n <= 24 else 14) if lang == "zh" else (22 if n <= 24 else 20)
    unscored = ("（{}）" if lang == "zh" else "({})").format(label("not_assessed", lang))
    texts = []
    for title, score in zip(titles, scores, strict=True):
        text = balanced_wrap(str(title), width, 3)
        texts.append(f"{text}\n{unscored}" if np.isnan(score) else text)
    return texts


def _text_size(text: str, fontsize: float) -> tuple[float, float]:
    """Return a multi-line text's width and height in inches."""
    prop = FontProperties(size=fontsize)
    lines = text.split("\n")
    widths = [_RENDERER.get_text_width_height_descent(s, prop, ismath=False)[0] for s in lines]
    return max(widths) / 72, len(lines) * fontsize * 1.25 / 72


def _place_labels(
    angles: np.ndarray, texts: list[str], fontsize: float, start: float
) -> list[tuple[float, float, float, float, float]]:
    """Return each label's box (x0, y0, x1, y1, radius) in inches around the radar centre.

    A label touches its spoke's direction at ``radius``: centred above the top spoke, left
    aligned on the right half, right aligned on the left; one that would overlap a label
    already placed moves outwards until it is clear.
    """
    gap = fontsize * 0.25 / 72
    placed: list[tuple[float, float, float, float, float]] = []
    for angle, text in zip(angles, texts, strict=True):
        w, h = _text_size(text, fontsize)
        sx = float(np.clip(np.sin(angle) * 2.5, -1, 1))
        sy = float(np.clip(np.cos(angle) * 2.5, -1, 1))
        r = start
        while True:
            cx = r * np.sin(angle) + sx * w / 2
            cy = r * np.cos(angle) + sy * h / 2
            box = (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2, r)
            clear = all(
                box[0] >= o[2] + gap
                or o[0] >= box[2] + gap
                or box[1] >= o[3] + gap
                or o[1] >= box[3] + gap
                for o in placed
            )
            if clear or r > start * 2:
                break
            r += 0.03
        placed.append(box)
    return placed


def _draw_radar(fig, ax, radius, angles, texts, boxes, orders, scores, fontsize, lang) -> None:
    """Size the figure to the labels, put the radar at its centre and draw the labels."""
    left = min(-radius, min(b[0] for b in boxes)) - 0.1
    right = max(radius, max(b[2] for b in boxes)) + 0.1
    top = max(radius, max(b[3] for b in boxes))
    bottom = min(-radius, min(b[1] for b in boxes)) - 0.1
    width, height = right - left, top - bottom + 0.5  # room for the title
    fig.set_layout_engine("none")
    fig.set_size_inches(width, height)
    cx, cy = -left, -bottom  # the centre in inches from the lower left corner
    ax.set_position(
        [(cx - radius) / width, (cy - radius) / height, 2 * radius / width, 2 * radius / height]
    )
    start = radius * 115 / 112
    # figure fractions, not inches: savefig's tight bbox moves transFigure only
    to_fig = Affine2D().scale(1 / width, 1 / height) + fig.transFigure
    for i, (angle, text, box) in enumerate(zip(angles, texts, boxes, strict=True)):
        color = MUTED if np.isnan(scores[i]) else _darker(framework_color(orders[i]))
        sin = np.sin(angle)
        align = "center" if abs(sin) < 0.2 else ("left" if sin > 0 else "right")
        x = {"left": box[0], "center": (box[0] + box[2]) / 2, "right": box[2]}[align]
        fig.text(
            cx + x,
            cy + (box[1] + box[3]) / 2,
            text,
            ha=align,
            va="center",
            fontsize=fontsize,
            color=color,
            transform=to_fig,
            gid=f"label:{i}",
        )
        if box[4] > start + 0.05:  # moved out: a leader line back to the ring
            r0, r1 = start - 0.04, box[4] - 0.02
            fig.add_artist(
                Line2D(
                    [cx + r0 * sin, cx + r1 * sin],
                    [cy + r0 * np.cos(angle), cy + r1 * np.cos(angle)],
                    transform=to_fig,
                    color=color,
                    linewidth=0.5,
                    alpha=0.6,
                )
            )
    fig.text(
        0.1 / width, (height - 0.1) / height, label("all_element_scores", lang),
        ha="left", va="top", fontsize=12.5, color=TEXT,
    )  # fmt: skip
    ax.set_title(label("all_element_scores", lang), visible=False)  # the <img> alt text


def _darker(color: str, by: float = 0.2) -> str:
    """Return ``color`` mixed with ``by`` black: labels stay legible on white."""
    return to_hex(np.array(to_rgb(color)) * (1 - by))


def framework_scores_bar(
    frameworks: pd.DataFrame, lang: str, overall: float | None = None
) -> Figure | None:
    """Draw each framework's score as a bar coloured by band, with the overall maturity.

    Args:
        frameworks: ``Summary.frameworks`` (title, score, band, assessed, total).
        lang: "zh" or "en".
        overall: the overall maturity score, drawn as a dashed line when given.

    Returns:
        A Figure, or None when no framework has a score.
    """
    _require(frameworks, ("title", "score", "band", "assessed", "total"))
    if frameworks.empty or frameworks["score"].isna().all():
        return None
    shared = load_common()
    n = len(frameworks)
    fig, ax = new_figure(7.6, 1.5 + 0.62 * n)
    ys = np.arange(n)[::-1]  # first framework on top
    counts = shared.labels["elements_assessed"](lang)
    for y, row in zip(ys, frameworks.itertuples(index=False), strict=True):
        if pd.isna(row.score):
            ax.text(1.5, y, label("not_assessed", lang), va="center", fontsize=9, color=MUTED)
        else:
            ax.barh(y, row.score, color=BAND_COLORS[row.band], height=0.58)
            ax.text(row.score + 1.5, y, f"{row.score:.0f}", va="center", fontsize=9.5, color=TEXT)
        ax.text(
            1.01,
            y,
            counts.format(assessed=row.assessed, total=row.total),
            va="center",
            fontsize=8,
            color=MUTED,
            transform=ax.get_yaxis_transform(),
            clip_on=False,
        )
    top = n - 0.45
    lower = 0.0
    for band, upper in (
        ("gap", shared.band_thresholds["developing"]),
        ("developing", shared.band_thresholds["strong"]),
        ("strong", 100.0),
    ):
        ax.axvspan(lower, upper, color=BAND_COLORS[band], alpha=0.05, linewidth=0)
        ax.text(
            (lower + upper) / 2,
            top,
            shared.bands[band](lang),
            ha="center",
            va="bottom",
            fontsize=8,
            color=BAND_COLORS[band],
        )
        lower = upper
    if overall is not None:
        ax.axvline(overall, color=TEXT, linestyle="--", linewidth=1.1)
        ax.text(
            overall,
            -0.75,
            f"{label('overall_score', lang)} {overall:.0f}",
            ha="center",
            va="top",
            fontsize=8.5,
            color=TEXT,
            bbox={"boxstyle": "round,pad=0.25", "facecolor": "white", "edgecolor": MUTED},
        )
    ax.set_yticks(ys, [wrap_text(str(t), 24 if lang == "zh" else 28) for t in frameworks["title"]])
    ax.set_xlim(0, 100)
    ax.set_ylim(-1.1 if overall is not None else -0.6, n - 0.1)
    ax.grid(axis="y", visible=False)
    ax.set_xlabel(label("score_scale", lang))
    ax.set_title(label("framework_scores", lang))
    return fig


#: Width of the roll-out timeline in inches: within the A4 page's text width (182 mm), so its
#: labels print at the size they are set in; on screen it is shown at this width too.
TIMELINE_WIDTH = 7.1
#: Smallest type in the timeline, in points (legible at the page's width).
TIMELINE_PT = 9.0


def rollout_timeline(plan: pd.DataFrame, lang: str) -> Figure | None:
    """Draw the 30/60/90-day plan as a timeline: one bar per action in its phase.

    A picture for the eye, with short labels (the table under it has the detail): each
    row is named by the action's KPI, its bar (coloured by framework) by the owner. Rows run
    in the plan's order (phase, then priority). Drawn at the page's text width with no
    type under ``TIMELINE_PT``, so it stays legible in the browser and in the PDF.

    Args:
        plan: ``Summary.plan`` (phase, phase_label, action, kpi, target, owner,
            framework_id, framework_order, framework, …: ``PLAN_COLUMNS``).
        lang: "zh" or "en".

    Returns:
        A Figure, or None when the plan is empty.
    """
    _require(plan, PLAN_COLUMNS)
    if plan.empty:
        return None
    n = len(plan)
    fig, ax = new_figure(TIMELINE_WIDTH, 1.9 + 0.48 * n)
    starts = {phase: (PHASES[i - 1] if i else 0) for i, phase in enumerate(PHASES)}
    ys = np.arange(n)[::-1]
    for i, phase in enumerate(PHASES):
        ax.axvspan(
            starts[phase], phase, color="#f3f5f8" if i % 2 == 0 else "white", linewidth=0, zorder=0
        )
    header = {row.phase: row.phase_label for row in plan.itertuples(index=False)}
    for phase in PHASES:
        if phase in header:
            ax.text(
                (starts[phase] + phase) / 2,
                n - 0.35,
                header[phase],
                ha="center",
                va="bottom",
                fontsize=TIMELINE_PT + 1,
                color=TEXT,
            )
    kpi_width, owner_width = (24, 16) if lang == "zh" else (30, 19)
    for y, row in zip(ys, plan.itertuples(index=False), strict=True):
        start = starts[row.phase]
        ax.barh(
            y,
            row.phase - start - 1.6,
            left=start + 0.8,
            height=0.7,
            color=framework_color(row.framework_order),
            zorder=2,
        )
        ax.text(
            start + 1.8,
            y,
            wrap_text(str(row.owner), owner_width, 2),
            va="center",
            ha="left",
            fontsize=TIMELINE_PT,
            color="white",
            zorder=3,
            linespacing=1.1,
        )
    kpis = [wrap_text(str(k), kpi_width, 2) for k in plan["kpi"]]
    ax.set_yticks(ys, kpis, fontsize=TIMELINE_PT, linespacing=1.1)
    for tick in ax.get_yticklabels():
        tick.set_multialignment("right")
    ax.set_xlim(0, 90)
    ax.set_ylim(-0.6, n + 0.25)
    ax.set_xticks([0, 30, 60, 90])
    ax.tick_params(axis="x", labelsize=TIMELINE_PT)
    ax.set_xlabel(label("day", lang), fontsize=TIMELINE_PT + 1)
    ax.grid(axis="y", visible=False)
    ax.spines["left"].set_visible(False)
    ax.tick_params(axis="y", length=0)
    ax.set_title(label("rollout_plan", lang))
    _framework_legend(fig, plan, lang, ncols=2, fontsize=TIMELINE_PT)
    return fig
