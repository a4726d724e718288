"""Framework overview charts: a radar of element scores and a banded score bar chart."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

import numpy as np

from playbook.charts.style import new_figure
from playbook.charts.wrap import balanced_wrap
from playbook.content import common as load_common
from playbook.content import label
from playbook.diagnosis.scoring import band as to_band
from playbook.theme import BAND_COLORS, MUTED, PALETTE, TEXT


def _wrap(text: str, lang: str, width: int = 14) -> str:
    """Wrap a long axis label between words (Chinese at phrase boundaries, 16 columns)."""
    if lang == "zh":
        return balanced_wrap(text, 16)
    return "\n".join(textwrap.wrap(text, width)) or text


def radar(scores: Sequence[float | None], labels: Sequence[str], lang: str) -> object | None:
    """Draw element scores (0–100) on a radar with band rings at the band thresholds.

    Elements without a score sit at 0 with a hollow marker and "(not assessed)".

    Args:
        scores: one score per element, None for "not assessed".
        labels: the element titles, in the same order.
        lang: "zh" or "en".

    Returns:
        A Figure, or None when no element has a score or there are fewer than 3 elements.
    """
    if len(scores) != len(labels):
        raise ValueError(f"{len(scores)} scores for {len(labels)} labels")
    if len(scores) < 3 or all(s is None for s in scores):
        return None
    thresholds = load_common().band_thresholds
    angles = np.linspace(0, 2 * np.pi, len(scores), endpoint=False)
    values = np.array([0.0 if s is None else float(s) for s in scores])
    fig, ax = new_figure(5.6, 5.0, polar=True)
    ax.set_theta_offset(np.pi / 2)
    ax.set_theta_direction(-1)
    ring = np.linspace(0, 2 * np.pi, 200)
    ax.fill_between(ring, 0, thresholds["developing"], color=BAND_COLORS["gap"], alpha=0.06)
    ax.fill_between(
        ring,
        thresholds["developing"],
        thresholds["strong"],
        color=BAND_COLORS["developing"],
        alpha=0.07,
    )
    ax.fill_between(ring, thresholds["strong"], 100, color=BAND_COLORS["strong"], alpha=0.07)
    for level in (thresholds["developing"], thresholds["strong"]):
        ax.plot(ring, np.full_like(ring, level), color=MUTED, linewidth=0.8, linestyle="--")
    closed_a, closed_v = np.append(angles, angles[0]), np.append(values, values[0])
    ax.plot(closed_a, closed_v, color=PALETTE[0], linewidth=2)
    ax.fill(closed_a, closed_v, color=PALETTE[0], alpha=0.18)
    for angle, value, score in zip(angles, values, scores, strict=True):
        if score is None:
            ax.plot(angle, 0, "o", markerfacecolor="white", markeredgecolor=MUTED)
            continue
        ax.plot(angle, value, "o", color=PALETTE[0], markersize=6)
        # near the rim the number goes inside the point, clear of the element's name
        ax.text(
            angle,
            value + 10 if value <= 80 else value - 12,
            f"{score:.0f}",
            ha="center",
            va="center",
            fontsize=9,
            color=TEXT,
        )
    unscored = ("\n（{}）" if lang == "zh" else "\n({})").format(label("not_assessed", lang))
    names = [
        _wrap(t, lang) + ("" if s is not None else unscored)
        for t, s in zip(labels, scores, strict=True)
    ]
    ax.set_xticks(angles, names, fontsize=9.5)
    ax.tick_params(axis="x", pad=12)
    ax.set_ylim(0, 100)
    ax.set_yticks([25, 50, 75, 100], ["25", "50", "75", "100"], fontsize=7.5, color=MUTED)
    ax.set_rlabel_position(0)
    ax.grid(color="#e6e9ed")
    ax.spines["polar"].set_visible(False)
    ax.set_title(label("element_scores", lang), pad=22)
    return fig


def element_scores_bar(
    scores: Sequence[float | None], labels: Sequence[str], lang: str
) -> object | None:
    """Draw element scores as horizontal bars coloured by band, with the band thresholds.

    Returns:
        A Figure, or None when no element has a score.
    """
    if len(scores) != len(labels):
        raise ValueError(f"{len(scores)} scores for {len(labels)} labels")
    if not scores or all(s is None for s in scores):
        return None
    shared = load_common()
    fig, ax = new_figure(6.4, 1.2 + 0.45 * len(scores))
    ys = np.arange(len(scores))[::-1]  # first element on top
    for y, score in zip(ys, scores, strict=True):
        if score is None:
            ax.text(1, y, label("not_assessed", lang), va="center", fontsize=8.5, color=MUTED)
            continue
        band = to_band(score, shared.band_thresholds)
        ax.barh(y, score, color=BAND_COLORS[band], height=0.6)
        ax.text(score + 1.5, y, f"{score:.0f}", va="center", fontsize=8.5, color=TEXT)
    for level in shared.band_thresholds.values():
        ax.axvline(level, color=MUTED, linestyle="--", linewidth=0.9)
    ax.set_yticks(ys, list(labels))
    ax.set_xlim(0, 105)
    ax.grid(axis="y", visible=False)
    ax.set_xlabel(label("score_scale", lang))
    ax.set_title(label("element_scores", lang))
    return fig
