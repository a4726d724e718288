"""Journey and operations charts: Figures from hand-made details, fallbacks, None when empty.

Each chart is checked in both languages (rendering to PNG fails on a missing glyph), for its
own marks (cells, bars, the highlighted member) and for its fallback when the detail frame
is absent: the breakdown bars when there is a breakdown, None when there is nothing to draw.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from playbook import charts
from playbook.charts import ChartContext
from playbook.charts.journey import (
    channels_used_map,
    satisfaction_heatmap,
    scene_mix,
    tracked_by_stage,
)
from playbook.charts.operations import cost_to_serve_bars, digital_trend
from playbook.content import IndicatorRef
from playbook.diagnosis import IndicatorResult
from playbook.theme import HIGHLIGHT
from tests.conftest import to_png

ZH = ChartContext("zh", "CNY", "示例咖啡")
EN = ChartContext("en", "USD", "Slice")
BOTH = pytest.mark.parametrize("ctx", [ZH, EN], ids=["zh", "en"])


def result(indicator_id, value=0.5, target=0.9, floor=0.2, by=None, by_n=None, detail=None,
           direction="higher"):  # fmt: skip
    ref = IndicatorRef(id=indicator_id, direction=direction, target=target, floor=floor)
    return IndicatorResult(ref, target, floor, value, None, 50.0, 10, by, by_n, None, (), detail)


def texts(fig: Figure) -> list[str]:
    return [t.get_text() for ax in fig.axes for t in ax.texts]


def bars(ax) -> list[Rectangle]:
    return [p for p in ax.patches if isinstance(p, Rectangle) and p.get_width() != 0]


BY = pd.Series({"门店": 0.4, "外卖": 0.2})
BY_N = pd.Series({"门店": 30, "外卖": 20})

GRID = pd.DataFrame({
    "channel": ["外卖", "外卖", "门店", "门店"],
    "stage": ["下单", "履约", "下单", "履约"],
    "csat": [3.8, 2.9, 4.1, 4.2],
    "responses": [40, 60, 50, 55],
})  # fmt: skip
MIX = pd.DataFrame({
    "month": pd.to_datetime(["2025-01-01", "2025-01-01", "2025-02-01", "2025-02-01"]),
    "scene": ["办公", "居家", "办公", "居家"],
    "orders": [40, 60, 45, 55],
    "share": [0.4, 0.6, 0.45, 0.55],
})  # fmt: skip
USED = pd.DataFrame({
    "entry_channel": ["app", "app", "store", "store"],
    "channel": ["app", "store", "app", "store"],
    "customers": [10, 4, 3, 12],
    "share": [1.0, 0.4, 0.25, 1.0],
    "entry_customers": [10, 10, 12, 12],
})  # fmt: skip
TRACKED = pd.DataFrame({"stage": ["认知", "下单", "履约"], "events": [100, 80, 60],
                        "tracked": [0.95, 0.7, 0.92]})  # fmt: skip
COSTS = pd.DataFrame({
    "channel": ["外卖", "门店"], "revenue": [100.0, 300.0], "service_cost": [20.0, 15.0],
    "orders": [10, 30], "order_share": [0.25, 0.75], "cost_to_serve": [0.2, 0.05],
    "cost_per_order": [2.0, 0.5],
})  # fmt: skip
TREND = pd.DataFrame({
    "month": pd.to_datetime(["2025-01-01", "2025-02-01", "2025-03-01"]),
    "orders": [100, 110, 120], "digital": [0.5, 0.55, 0.6], "current": [False, True, True],
})  # fmt: skip


def test_every_chart_is_registered_for_its_indicator():
    registered = charts.registered()
    for indicator_id, fn in {
        "csat_mean": satisfaction_heatmap, "core_scene_share": scene_mix,
        "cross_channel_journey_share": channels_used_map,
        "tracked_progress_share": tracked_by_stage, "cost_to_serve_ratio": cost_to_serve_bars,
        "digital_share": digital_trend,
    }.items():  # fmt: skip
        assert registered[indicator_id] is fn


@BOTH
def test_satisfaction_heatmap_labels_every_cell_and_outlines_the_worst(ctx):
    fig = satisfaction_heatmap(result("csat_mean", value=3.8, target=4.5, detail=GRID), ctx)
    assert isinstance(fig, Figure)
    cells = [t for t in texts(fig) if t.startswith(("2.", "3.", "4."))]
    assert len(cells) == 4  # 2 channels x 2 stages
    assert "2.90\nn=60" in cells  # the worst cell: delivery at fulfilment
    outline = [p for p in fig.axes[0].patches if isinstance(p, Rectangle) and not p.get_fill()]
    assert [(p.get_x(), p.get_y()) for p in outline] == [(0.5, -0.5)]  # column 1, row 0
    assert to_png(fig)


@BOTH
def test_scene_mix_stacks_each_month_to_one_with_the_core_scene_first(ctx):
    fig = scene_mix(result("core_scene_share", value=0.43, target=0.45, detail=MIX), ctx)
    ax = fig.axes[0]
    drawn = bars(ax)
    assert len(drawn) == 4  # 2 scenes x 2 months
    core = drawn[:2]  # drawn first, at the bottom
    assert [p.get_height() for p in core] == pytest.approx([0.4, 0.45])
    tops = sorted(p.get_y() + p.get_height() for p in drawn[2:])
    assert tops == pytest.approx([1.0, 1.0])
    assert to_png(fig)


@BOTH
def test_channels_used_map_greys_out_the_diagonal(ctx):
    fig = channels_used_map(
        result("cross_channel_journey_share", value=0.3, target=0.35, by=BY, detail=USED), ctx
    )
    cells = texts(fig)
    assert cells.count("—") == 2  # each entry channel always uses itself
    assert any(t.startswith("40") for t in cells) and any(t.startswith("25") for t in cells)
    image = fig.axes[0].images[0].get_array()
    assert np.ma.is_masked(image) or np.isnan(np.asarray(image, dtype=float)).sum() == 2
    assert to_png(fig)


@BOTH
def test_tracked_by_stage_keeps_journey_order_and_flags_stages_below_target(ctx):
    fig = tracked_by_stage(result("tracked_progress_share", value=0.86, detail=TRACKED), ctx)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["认知", "下单", "履约"]
    colors = [p.get_facecolor()[:3] for p in bars(ax)]
    assert colors == [to_rgb(c) for c in ("#1f4e79", HIGHLIGHT, "#1f4e79")]  # 70 % < 90 %
    assert to_png(fig)


@BOTH
def test_cost_to_serve_bars_pair_cost_ratio_with_order_share(ctx):
    fig = cost_to_serve_bars(
        result("cost_to_serve_ratio", value=0.0875, target=0.08, direction="lower",
               detail=COSTS), ctx)  # fmt: skip
    cost_ax, share_ax = fig.axes
    widths = sorted(p.get_width() for p in bars(cost_ax))
    assert widths == pytest.approx([0.05, 0.2])
    costliest = max(bars(cost_ax), key=lambda p: p.get_width())
    assert costliest.get_facecolor()[:3] == to_rgb(HIGHLIGHT)
    assert sorted(p.get_width() for p in bars(share_ax)) == pytest.approx([0.25, 0.75])
    assert to_png(fig)


@BOTH
def test_digital_trend_draws_one_point_per_month(ctx):
    fig = digital_trend(result("digital_share", value=0.58, detail=TREND), ctx)
    line = fig.axes[0].lines[0]
    assert list(line.get_ydata()) == pytest.approx([0.5, 0.55, 0.6])
    assert to_png(fig)


@pytest.mark.parametrize(
    "chart, indicator_id",
    [(satisfaction_heatmap, "csat_mean"), (scene_mix, "core_scene_share"),
     (channels_used_map, "cross_channel_journey_share"),
     (tracked_by_stage, "tracked_progress_share"), (cost_to_serve_bars, "cost_to_serve_ratio"),
     (digital_trend, "digital_share")],
)  # fmt: skip
def test_without_detail_falls_back_to_bars_or_none(chart, indicator_id):
    assert chart(result(indicator_id), EN) is None  # no detail, no breakdown: nothing to draw
    fallback = chart(result(indicator_id, by=BY, by_n=BY_N), ZH)
    assert isinstance(fallback, Figure)
    assert len(bars(fallback.axes[0])) == 2  # the default breakdown bars


def test_digital_trend_with_one_month_is_no_trend():
    one = TREND.iloc[:1]
    assert digital_trend(result("digital_share", detail=one), EN) is None
