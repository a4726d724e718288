"""Executive-summary charts: one radar of every element, framework scores, the 30/60/90 plan.

Each function takes a frame of ``playbook.summary`` and returns a matplotlib Figure (not
registered with pyplot), or None when there is nothing to draw. A framework keeps its colour
in every chart: the house palette indexed by the framework's order.
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from playbook.charts.style import label, new_figure
from playbook.fonts import BAND_COLORS, MUTED, PALETTE, TEXT
from playbook.frameworks import common as load_common
from playbook.summary import PHASES

_TOKEN = re.compile(
    r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]|[^\s\u2e80-\u9fff\uf900-\ufaff"
    r"\uff00-\uffef]+|\s+"
)
_NO_LINE_START = set("，。、；：！？）》」』”’,.;:!?)%")


def framework_color(order: int) -> str:
    """Return a framework's colour: the house palette indexed by its order (1, 2, …)."""
    return PALETTE[(int(order) - 1) % len(PALETTE)]


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def wrap_text(text: str, width: int, max_lines: int | None = None) -> str:
    """Wrap text to ``width`` columns (a Chinese character counts two), ending "…" if cut.

    English wraps between words, Chinese between characters; closing punctuation never
    starts a line.
    """
    lines: list[str] = []
    line = ""
    for token in _TOKEN.findall(text):
        if token.isspace():
            line = f"{line} " if line else line
            continue
        fits = _width(line.rstrip() + token) <= width
        if line and not fits and token[0] not in _NO_LINE_START:
            lines.append(line.rstrip())
            line = ""
        line += token
    if line.strip():
        lines.append(line.rstrip())
    if len(lines) > 1 and _width(lines[-1]) <= 2 and " " not in text:
        lines[-2:] = [lines[-2] + lines[-1]]  # no lone character on the last line
    if max_lines is not None and len(lines) > max_lines:
        kept = lines[:max_lines]
        last = kept[-1]
        while last and _width(last) + 1 > width:
            last = last[:-1]
        kept[-1] = last.rstrip() + "…"
        lines = kept
    return "\n".join(lines)


def _require(frame: pd.DataFrame, columns: tuple[str, ...]) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"the frame lacks column(s): {', '.join(missing)}")


def _framework_legend(fig: Figure, frame: pd.DataFrame, lang: str) -> None:
    firsts = frame.drop_duplicates("framework_id")
    handles = [
        Patch(color=framework_color(o), label=wrap_text(t, 44 if lang == "zh" else 40))
        for o, t in zip(firsts["framework_order"], firsts["framework"], strict=True)
    ]
    fig.legend(
        handles=handles,
        loc="outside lower center",
        ncols=min(3, len(handles)),
        fontsize=8.5,
        handlelength=1.2,
    )


def radar_all(elements: pd.DataFrame, lang: str) -> Figure | None:
    """Draw every element of every framework on one radar, coloured per framework.

    Elements without a score keep their spoke (label in grey, "not assessed") but no point;
    the outline joins the assessed elements. A coloured arc outside the 100 ring marks each
    framework's elements.

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
    size = 7.2 if n <= 12 else 9.0
    fig, ax = new_figure(size, size + 0.8, polar=True)
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
    ax.fill(outline_a, outline_v, color=PALETTE[0], alpha=0.10)
    for order in pd.unique(orders):
        mine = orders == order
        color = framework_color(order)
        arc = np.linspace(angles[mine].min() - step * 0.42, angles[mine].max() + step * 0.42, 40)
        ax.plot(arc, np.full_like(arc, 106), color=color, linewidth=4, solid_capstyle="butt")
        ax.scatter(
            angles[mine & known],
            scores[mine & known],
            s=38,
            color=color,
            zorder=3,
            edgecolors="white",
            linewidths=0.8,
        )
    fontsize = 9 if n <= 12 else (8 if n <= 24 else 7)
    width = 16 if n <= 24 else 14
    unscored = ("（{}）" if lang == "zh" else "({})").format(label("not_assessed", lang))
    for angle, title, score, order in zip(angles, elements["title"], scores, orders, strict=True):
        text = wrap_text(str(title), width, 3)
        if np.isnan(score):
            text += f"\n{unscored}"
        x = np.sin(angle)  # clockwise from the top: right half has x > 0
        ha = "center" if abs(x) < 0.15 else ("left" if x > 0 else "right")
        va = "center" if abs(np.cos(angle)) < 0.5 else ("bottom" if np.cos(angle) > 0 else "top")
        ax.text(
            angle,
            114,
            text,
            ha=ha,
            va=va,
            fontsize=fontsize,
            color=MUTED if np.isnan(score) else framework_color(order),
        )
    ax.set_xticks(angles, [""] * n)
    ax.set_ylim(0, 106)
    ax.set_yticks([25, 50, 75, 100], ["25", "50", "75", "100"], fontsize=7.5, color=MUTED)
    ax.set_rlabel_position(0)
    ax.grid(color="#e6e9ed")
    ax.spines["polar"].set_visible(False)
    ax.set_title(label("all_element_scores", lang), pad=34)
    _framework_legend(fig, elements, lang)
    return fig


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


def rollout_timeline(plan: pd.DataFrame, lang: str) -> Figure | None:
    """Draw the 30/60/90-day plan as a timeline: one bar per action in its phase.

    Rows run in the plan's order (phase, then priority). The action sits on the left, the
    owner inside its bar (coloured by framework), the KPI and its target on the right.

    Args:
        plan: ``Summary.plan`` (phase, phase_label, action, kpi, target, owner,
            framework_id, framework_order, framework).
        lang: "zh" or "en".

    Returns:
        A Figure, or None when the plan is empty.
    """
    _require(
        plan,
        (
            "phase",
            "phase_label",
            "action",
            "kpi",
            "target",
            "owner",
            "framework_id",
            "framework_order",
            "framework",
        ),
    )
    if plan.empty:
        return None
    n = len(plan)
    fig, ax = new_figure(12.5, 1.9 + 0.62 * n)
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
                fontsize=9.5,
                color=TEXT,
            )
    kpi_width, action_width, owner_width = (34, 44, 22) if lang == "zh" else (38, 52, 30)
    target_word = label("target", lang)
    for y, row in zip(ys, plan.itertuples(index=False), strict=True):
        start = starts[row.phase]
        ax.barh(
            y,
            row.phase - start - 1.6,
            left=start + 0.8,
            height=0.62,
            color=framework_color(row.framework_order),
            zorder=2,
        )
        ax.text(
            start + 1.8,
            y,
            wrap_text(str(row.owner), owner_width, 2),
            va="center",
            ha="left",
            fontsize=8,
            color="white",
            zorder=3,
        )
        kpi = wrap_text(str(row.kpi), kpi_width, 2)
        target = "" if row.target in ("", "—") else f"\n{target_word} {row.target}"
        ax.text(
            91.5, y, kpi + target, va="center", ha="left", fontsize=8, color=TEXT, clip_on=False
        )
    ax.set_yticks(ys, [wrap_text(str(a), action_width, 3) for a in plan["action"]], fontsize=8.5)
    for tick in ax.get_yticklabels():
        tick.set_multialignment("left")
    ax.text(
        91.5,
        n - 0.35,
        f"{label('kpi', lang)} · {target_word}",
        ha="left",
        va="bottom",
        fontsize=9.5,
        color=TEXT,
        clip_on=False,
    )
    ax.set_xlim(0, 90)
    ax.set_ylim(-0.6, n + 0.25)
    ax.set_xticks([0, 30, 60, 90])
    ax.set_xlabel(label("day", lang))
    ax.grid(axis="y", visible=False)
    ax.spines["left"].set_visible(False)
    ax.tick_params(axis="y", length=0)
    ax.set_title(label("rollout_plan", lang))
    _framework_legend(fig, plan, lang)
    return fig
