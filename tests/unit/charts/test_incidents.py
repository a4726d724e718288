"""The weekly step-conversion chart marks the incident weeks it is given."""

from __future__ import annotations

import pandas as pd
from matplotlib.colors import to_rgba

from playbook import charts
from playbook.charts import ChartContext
from playbook.content import IndicatorRef
from playbook.diagnosis import IndicatorResult
from playbook.theme import HIGHLIGHT
from tests.conftest import to_png

START = pd.Timestamp("2025-04-07")


def _weekly() -> pd.DataFrame:
    """Two steps over weeks -2..3: checkout -> purchase flagged in weeks 1 and 2 (20 %)."""
    rows = []
    for step, rates, flagged in (
        ("browse → checkout", [0.5] * 6, []),
        ("checkout → purchase", [0.8, 0.9, 0.8, 0.2, 0.2, 0.9], [1, 2]),
    ):
        for week, rate in zip(range(-2, 4), rates, strict=True):
            rows.append(
                {
                    "step": step,
                    "week": week,
                    "week_start": START + pd.Timedelta(days=7 * week),
                    "rate": rate,
                    "judged": True,
                    "flagged": week in flagged,
                    "normal_low": 0.8,
                    "normal_high": 0.9,
                    "current": week >= 0,
                }
            )
    return pd.DataFrame(rows)


def _result(detail) -> IndicatorResult:
    ref = IndicatorRef(id="incident_conversion_loss", direction="lower", target=0.02, floor=0.15)
    return IndicatorResult(ref, 0.02, 0.15, 0.1, None, 30.0, 600, None, None, None, (), detail)


def test_incident_weeks_are_marked_on_the_weekly_chart():
    fig = charts.indicator_chart(_result(_weekly()), ChartContext(lang="zh"))
    (ax,) = fig.axes
    # one line per step, in the frame's order
    assert [line.get_label() for line in ax.get_lines()][:2] == [
        "browse → checkout",
        "checkout → purchase",
    ]
    # the two flagged weeks as highlighted points at 20 %
    (points,) = ax.collections
    assert points.get_offsets()[:, 1].tolist() == [0.2, 0.2]
    assert tuple(points.get_facecolor()[0]) == to_rgba(HIGHLIGHT)
    assert ax.get_title(loc="left") == "各环节每周转化率（异常周已标出）"
    to_png(fig)  # draws without a warning (no missing glyph)


def test_without_the_weekly_frame_the_chart_falls_back_to_the_breakdown():
    by = pd.Series({"checkout → purchase": 0.1}, name="step")
    result = _result(None)
    result = IndicatorResult(
        result.ref, 0.02, 0.15, 0.1, None, 30.0, 600, by, pd.Series({"checkout → purchase": 600}),
        None, (), None,
    )  # fmt: skip
    assert charts.indicator_chart(result, ChartContext(lang="en")) is not None
