"""Scoring: expected values worked out by hand in each test."""

import pytest

from playbook.diagnosis import scoring


def test_higher_is_better_is_linear_between_floor_and_target():
    # floor 0.80 -> 0, target 0.95 -> 100; 0.872 is (0.872-0.80)/(0.15) = 48 % of the way
    assert scoring.indicator_score(0.872, 0.95, 0.80, "higher") == pytest.approx(48.0)


def test_higher_is_better_clips_at_both_ends():
    assert scoring.indicator_score(0.99, 0.95, 0.80, "higher") == 100.0
    assert scoring.indicator_score(0.50, 0.95, 0.80, "higher") == 0.0


def test_lower_is_better_mirrors():
    # cost-to-serve: target 0.08 -> 100, floor 0.20 -> 0; 0.11 is (0.20-0.11)/0.12 = 75 %
    assert scoring.indicator_score(0.11, 0.08, 0.20, "lower") == pytest.approx(75.0)
    assert scoring.indicator_score(0.05, 0.08, 0.20, "lower") == 100.0
    assert scoring.indicator_score(0.30, 0.08, 0.20, "lower") == 0.0


def test_inconsistent_scale_is_rejected():
    with pytest.raises(ValueError, match="target > floor"):
        scoring.indicator_score(0.5, 0.4, 0.6, "higher")
    with pytest.raises(ValueError, match="target < floor"):
        scoring.indicator_score(0.5, 0.6, 0.4, "lower")


@pytest.mark.parametrize(("workshop", "expected"), [(1, 0.0), (3, 50.0), (4, 75.0), (5, 100.0)])
def test_assessment_score_maps_one_to_five(workshop, expected):
    assert scoring.assessment_score(workshop) == expected


def test_assessment_score_out_of_range():
    with pytest.raises(ValueError, match="1–5"):
        scoring.assessment_score(6)


def test_weighted_mean():
    # (80*2 + 50*1) / 3 = 70
    assert scoring.weighted_mean([80, 50], [2, 1]) == pytest.approx(70.0)
    assert scoring.weighted_mean([], []) is None
    with pytest.raises(ValueError):
        scoring.weighted_mean([1.0], [1.0, 2.0])


def test_blend_uses_whatever_is_present():
    # 0.7 * 60 + 0.3 * 100 = 72
    assert scoring.blend(60, 100, 0.3) == (pytest.approx(72.0), "blended")
    assert scoring.blend(60, None, 0.3) == (60, "data")
    assert scoring.blend(None, 25, 0.3) == (25, "assessment")
    assert scoring.blend(None, None, 0.3) == (None, "none")


def test_band_thresholds():
    thresholds = {"developing": 50, "strong": 75}
    assert scoring.band(49.9, thresholds) == "gap"
    assert scoring.band(50, thresholds) == "developing"
    assert scoring.band(74.9, thresholds) == "developing"
    assert scoring.band(75, thresholds) == "strong"


def test_band_of_uses_the_content_thresholds_and_has_none_without_a_score():
    # common.yaml: developing from 50, strong from 75
    assert scoring.band_of(None) is None
    assert scoring.band_of(49.9) == "gap"
    assert scoring.band_of(50.0) == "developing"
    assert scoring.band_of(75.0) == "strong"


def test_mean_score_is_the_plain_mean_of_the_scores_that_exist():
    # (40 + 70) / 2 = 55; a missing score is left out, not counted as 0
    assert scoring.mean_score([40.0, None, 70.0]) == pytest.approx(55.0)
    assert scoring.mean_score([None, None]) is None
    assert scoring.mean_score([]) is None
