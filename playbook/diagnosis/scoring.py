"""Turn indicator values into 0–100 scores, blend them with workshop scores, and band them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Literal

from playbook.content import Band, Direction
from playbook.content import common as load_common

Basis = Literal["data", "blended", "assessment", "none"]


def indicator_score(value: float, target: float, floor: float, direction: Direction) -> float:
    """Score a value 0–100: 100 at or beyond the target, 0 at or beyond the floor, linear between.

    Args:
        value: the indicator's value.
        target: the value that earns 100.
        floor: the value that earns 0.
        direction: "higher" when more is better (target > floor), "lower" otherwise.
    """
    if direction == "higher" and not target > floor:
        raise ValueError(f"direction 'higher' needs target > floor, got {target} <= {floor}")
    if direction == "lower" and not target < floor:
        raise ValueError(f"direction 'lower' needs target < floor, got {target} >= {floor}")
    share = (value - floor) / (target - floor)
    # round away float noise so a value exactly on a band threshold lands in that band
    return round(100.0 * min(1.0, max(0.0, share)), 9)


def assessment_score(score: float) -> float:
    """Map a 1–5 workshop score onto 0–100 (1 → 0, 3 → 50, 5 → 100)."""
    if not 1 <= score <= 5:
        raise ValueError(f"workshop score must be within 1–5, got {score}")
    return (score - 1) / 4 * 100


def weighted_mean(scores: Sequence[float], weights: Sequence[float]) -> float | None:
    """Return the weighted mean of scores, or None when there are none."""
    if len(scores) != len(weights):
        raise ValueError("scores and weights differ in length")
    total = sum(weights)
    if not scores or total <= 0:
        return None
    return sum(s * w for s, w in zip(scores, weights, strict=True)) / total


def blend(
    data_score: float | None, workshop_score: float | None, assessment_weight: float
) -> tuple[float | None, Basis]:
    """Combine the data score and the workshop score (both 0–100) into an element score.

    Both present: ``(1 - w) * data + w * workshop``; one present: that one; none: None.
    """
    if data_score is not None and workshop_score is not None:
        score = (1 - assessment_weight) * data_score + assessment_weight * workshop_score
        return score, "blended"
    if data_score is not None:
        return data_score, "data"
    if workshop_score is not None:
        return workshop_score, "assessment"
    return None, "none"


def band(score: float, thresholds: dict[str, float]) -> Band:
    """Return the band of a 0–100 score given the "developing" and "strong" thresholds."""
    if score >= thresholds["strong"]:
        return "strong"
    if score >= thresholds["developing"]:
        return "developing"
    return "gap"


def band_of(score: float | None) -> Band | None:
    """Return the band of a 0–100 score with the content's thresholds; None without a score."""
    return None if score is None else band(score, load_common().band_thresholds)


def mean_score(scores: Iterable[float | None]) -> float | None:
    """Return the plain mean of the scores that exist; None when there is none.

    A framework's score is the mean of its element scores; the overall service maturity is
    the mean of the framework scores.
    """
    present = [s for s in scores if s is not None]
    return sum(present) / len(present) if present else None
