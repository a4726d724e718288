"""Number formatting: a real minus sign everywhere, one decimal for NPS-like indices."""

from __future__ import annotations

from playbook.content import common
from playbook.units import format_value


def test_a_negative_percentage_carries_a_real_minus_sign():
    # AOV growth of -5.2 %: 0.052 below the previous period
    assert format_value(-0.052, "pct", "en") == "\u22125.2%"
    assert format_value(0.052, "pct", "zh") == "5.2%"


def test_the_lowest_segment_nps_reads_with_one_decimal_like_nps():
    unit = common().indicators["segment_nps_min"].unit
    assert unit == common().indicators["nps"].unit == "index"
    # NPS -12.34 (e.g. 30 % promoters, 42.34 % detractors) reads -12.3
    assert format_value(-12.34, unit, "en") == "\u221212.3"
