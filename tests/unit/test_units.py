"""Number formatting: values by unit, signed differences, ticks, always a real minus sign."""

from __future__ import annotations

import pytest

from playbook.content import common
from playbook.units import format_delta, format_points, format_tick, format_value


@pytest.mark.parametrize(
    ("value", "unit", "lang", "expected"),
    [
        (0.872, "pct", "en", "87.2%"),
        (1.5, "ratio", "zh", "1.50×"),
        (3.0, "count", "en", "3"),
        (4.214, "score", "en", "4.21"),
        (32.44, "score", "en", "32.4"),
        (-0.5, "pts", "en", "\u22120.50"),
        (25.0, "minutes", "zh", "25.0 分钟"),
        (1234.5, "currency", "en", "USD 1,234.50"),
        (None, "pct", "en", "—"),
    ],
)
def test_format_value(value, unit, lang, expected):
    assert format_value(value, unit, lang, currency="USD") == expected


def test_format_delta_uses_points_for_percentages_and_a_real_minus():
    assert format_delta(-0.078, "pct", "en") == "\u22127.8 pts"
    assert format_delta(0.021, "pct", "zh") == "+2.1 个百分点"
    assert format_delta(0.0, "pct", "en") == "0.0 pts"
    assert format_delta(-3.0, "score", "en") == "\u22123.00"


def test_point_deltas_carry_one_sign():
    # a reliability gap moving from -0.96 to -0.91 improved by 0.05 points
    assert format_delta(0.05, "pts", "en") == "+0.05"
    assert format_delta(-0.91, "pts", "zh") == "\u22120.91"


def test_index_values_such_as_nps_use_one_decimal_and_a_real_minus():
    assert format_value(-57.14, "index", "en") == "\u221257.1"
    assert format_value(4.9, "index", "zh") == "4.9"


def test_a_delta_that_rounds_to_zero_has_no_sign():
    # -0.0004 is -0.04 points, shown with one decimal as 0.0
    assert format_delta(-0.0004, "pct", "zh") == "0.0 个百分点"
    assert format_delta(0.001, "pts", "en") == "0.00"


def test_ticks_are_shorter_than_values_and_use_a_real_minus():
    assert format_tick(-0.5, "pct") == "\u221250%"
    assert format_tick(0.804, "pct") == "80%"  # 80.4 % on a tick: no decimal
    assert format_tick(-80, "score") == "\u221280"
    assert format_tick(2.5, "score") == "2.5"
    assert format_tick(1234.0, "count") == "1,234"
    assert format_tick(0, "pts") == "0"


def test_a_negative_percentage_carries_a_real_minus_sign():
    # AOV growth of -5.2 %: 0.052 below the previous period
    assert format_value(-0.052, "pct", "en") == "\u22125.2%"
    assert format_value(0.052, "pct", "zh") == "5.2%"


def test_the_lowest_segment_nps_reads_with_one_decimal_like_nps():
    unit = common().indicators["segment_nps_min"].unit
    assert unit == common().indicators["nps"].unit == "index"
    # NPS -12.34 (e.g. 30 % promoters, 42.34 % detractors) reads -12.3
    assert format_value(-12.34, unit, "en") == "\u221212.3"


def test_a_score_change_reads_in_points_with_one_sign():
    assert format_points(4.24, "en") == "+4.2 pts"
    assert format_points(-3.0, "zh").startswith("\u22123.0 ")
    assert format_points(0.04, "en") == "0.0 pts"  # rounds to zero: no sign


def test_p_values_lifts_and_whole_numbers_read_like_the_other_figures():
    from playbook.units import format_lift, format_p_value, format_whole

    assert format_p_value(0.0004) == "< 0.001" and format_p_value(0.0427) == "0.043"
    assert format_lift(-0.03) == "\u22123.0%" and format_lift(0.125) == "+12.5%"
    assert format_whole(-12.4) == "\u221212" and format_whole(-0.3) == "0"
    assert format_whole(41.6) == "42"
