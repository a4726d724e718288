"""Charts: the right marks for hand-made indicator results, and None when nothing to draw."""

from __future__ import annotations

import pandas as pd
import pytest
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from playbook import charts
from playbook.charts import ChartContext
from playbook.content import IndicatorRef
from playbook.diagnosis import IndicatorResult
from playbook.indicators.registry import registered
from playbook.theme import HIGHLIGHT
from tests.conftest import to_png

ZH = ChartContext("zh", "CNY", "示例咖啡")
EN = ChartContext("en", "USD", "Slice")


def result(
    indicator_id,
    value=0.5,
    target=0.9,
    floor=0.2,
    by=None,
    by_n=None,
    detail=None,
    weakest=None,
    direction="higher",
):
    ref = IndicatorRef(id=indicator_id, direction=direction, target=target, floor=floor)
    # the breakdown's unit and direction come from the registry, as diagnosis sets them
    defn = registered().get(indicator_id)
    return IndicatorResult(
        ref,
        target,
        floor,
        value,
        None,
        50.0,
        10,
        by,
        by_n,
        weakest,
        (),
        detail,
        by_unit=defn and defn.by_unit,
        by_direction=defn and defn.by_direction,
    )


def bars(fig: Figure) -> list[Rectangle]:
    ax = fig.axes[0]
    return [p for p in ax.patches if isinstance(p, Rectangle) and p.get_width() != 0]


def texts(fig: Figure) -> list[str]:
    ax = fig.axes[0]
    return [t.get_text() for t in ax.texts]


PROMISE = result(
    "promise_kept_rate",
    value=0.85,
    target=0.95,
    floor=0.8,
    by=pd.Series({"外卖": 0.75, "门店": 0.96, "小程序": 0.9}),
    by_n=pd.Series({"外卖": 40, "门店": 100, "小程序": 60}),
    weakest=("外卖", 0.75),
)


def test_default_chart_has_one_bar_per_member_and_highlights_the_weakest():
    fig = charts.indicator_chart(PROMISE, ZH)
    assert isinstance(fig, Figure)
    drawn = bars(fig)
    assert len(drawn) == 3
    highlighted = [
        b
        for b in drawn
        if b.get_facecolor()[:3]
        == pytest.approx(tuple(int(HIGHLIGHT[i : i + 2], 16) / 255 for i in (1, 3, 5)))
    ]
    assert len(highlighted) == 1
    assert highlighted[0].get_width() == pytest.approx(0.75)
    # value labels come from findings.format_value, with the rows behind each bar
    assert "75.0%  n=40" in texts(fig)
    assert "96.0%  n=100" in texts(fig)
    # the weakest member sits on top (barh lists ticks bottom-up), the best at the bottom
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["门店", "小程序", "外卖"]
    assert fig.axes[0].get_title(loc="left") == "服务承诺兑现率 · 按渠道"
    to_png(fig)


def test_default_chart_draws_the_target_line():
    fig = charts.indicator_chart(PROMISE, EN)
    lines = [ln for ln in fig.axes[0].lines if ln.get_linestyle() == "--"]
    assert [ln.get_xdata()[0] for ln in lines] == [pytest.approx(0.95)]
    assert fig.axes[0].get_title(loc="left") == "Promise-kept rate by channel"


def test_nothing_to_draw_returns_none():
    assert charts.indicator_chart(result("promise_kept_rate"), EN) is None  # no breakdown
    empty = result("promise_kept_rate", by=pd.Series({"a": float("nan")}))
    assert charts.indicator_chart(empty, EN) is None
    unmeasured = IndicatorResult(
        PROMISE.ref,
        0.95,
        0.8,
        None,
        None,
        None,
        0,
        None,
        None,
        None,
        ("orders.promised_minutes",),
        None,
    )
    assert charts.indicator_chart(unmeasured, EN) is None


def test_breakdown_in_another_unit_has_no_target_line():
    # active channels: the bars are order shares, the value is a count of channels
    r = result(
        "active_channels",
        value=2,
        target=3,
        floor=1,
        by=pd.Series({"store": 0.7, "app": 0.27, "kiosk": 0.03}),
    )
    fig = charts.indicator_chart(r, EN)
    assert len(bars(fig)) == 3
    assert not [ln for ln in fig.axes[0].lines if ln.get_linestyle() == "--"]
    assert fig.axes[0].get_title(loc="left") == "Order share by channel"
    assert "3.0%" in texts(fig)


def test_csat_spread_bars_start_at_the_bottom_of_the_scale():
    r = result(
        "csat_spread_by_tier",
        value=0.5,
        target=0.2,
        floor=0.8,
        direction="lower",
        by=pd.Series({"gold": 4.5, "mass": 4.0}),
        weakest=("mass", 4.0),
    )
    fig = charts.indicator_chart(r, EN)
    drawn = sorted(bars(fig), key=lambda b: b.get_width())
    assert [(b.get_x(), b.get_width()) for b in drawn] == [(1.0, 3.0), (1.0, 3.5)]
    # the lowest mean CSAT (diagnosis reads the spread's breakdown as "higher is better")
    assert drawn[0].get_facecolor()[:3] == pytest.approx((192 / 255, 57 / 255, 43 / 255))
    assert fig.axes[0].get_title(loc="left") == "Average CSAT (1–5) by tier"


def test_price_quality_map_places_client_and_competitors():
    detail = pd.DataFrame(
        {
            "name": ["Brewlane", "Rival A", "Rival B"],
            "price_index": [100.0, 80.0, 120.0],
            "quality_score": [8.0, 6.0, 9.0],
            "is_client": [True, False, False],
        }
    )
    r = result("price_quality_position", value=1.13, target=1.1, floor=0.8, detail=detail)
    fig = charts.indicator_chart(r, ZH)
    ax = fig.axes[0]
    rivals, client = ax.collections
    assert len(rivals.get_offsets()) == 2
    assert client.get_offsets().tolist() == [[100.0, 8.0]]
    assert sorted(t.get_text() for t in ax.texts) == ["Brewlane", "Rival A", "Rival B"]
    # competitors' mean value for money: (6/80*100 + 9/120*100) / 2 = 7.5 per 100 of price
    line = ax.lines[0]
    assert line.get_ydata()[0] == pytest.approx(7.5 * line.get_xdata()[0] / 100)
    assert "价格指数" in ax.get_xlabel()
    to_png(fig)


def test_price_quality_map_without_detail_is_none():
    assert charts.indicator_chart(result("price_quality_position", value=1.0), EN) is None


def test_funnel_marks_the_worst_step():
    funnel = pd.DataFrame(
        {
            "stage": ["aware", "browse", "order", "repeat"],
            "customers": [100, 80, 40, 30],
            "conversion": [None, 0.8, 0.5, 0.75],
        }
    )
    r = result(
        "worst_stage_conversion",
        value=0.5,
        detail=funnel,
        by=pd.Series({"browse": 0.8, "order": 0.5, "repeat": 0.75}),
    )
    fig = charts.indicator_chart(r, EN)
    drawn = bars(fig)
    assert len(drawn) == 4
    red = [
        b for b in drawn if b.get_facecolor()[:3] == pytest.approx((192 / 255, 57 / 255, 43 / 255))
    ]
    assert [b.get_width() for b in red] == [40]  # the stage reached through the 50 % step
    assert "↓ 50.0%  Weakest step" in texts(fig)
    to_png(fig)


def test_funnel_without_detail_falls_back_to_bars():
    r = result("worst_stage_conversion", value=0.5, by=pd.Series({"browse": 0.8, "order": 0.5}))
    assert len(bars(charts.indicator_chart(r, EN))) == 2


def test_nps_mix_stacks_three_groups_per_touchpoint():
    detail = pd.DataFrame(
        {
            "touchpoint": ["store", "app"],
            "promoters": [6, 2],
            "passives": [2, 3],
            "detractors": [2, 5],
        }
    )
    r = result("nps", value=5, target=40, floor=0, detail=detail)
    fig = charts.indicator_chart(r, EN)
    assert len(bars(fig)) == 6
    # store: 60 % promoters - 20 % detractors = 40; app: 20 % - 50 % = -30
    assert sorted(texts(fig)) == ["NPS 40", "NPS \u221230"]


def test_nps_without_mix_uses_default_bars():
    r = result("nps", value=5, target=40, floor=0, by=pd.Series({"store": 40.0, "app": -30.0}))
    assert len(bars(charts.indicator_chart(r, EN))) == 2


def test_radar_draws_one_point_per_scored_element():
    fig = charts.radar([80, 40, None, 60], ["兑现承诺", "个性化", "全渠道", "拔高需求"], "zh")
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    assert ax.get_ylim() == (0, 100)
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert labels[0] == "兑现承诺"
    assert labels[2] == "全渠道\n（未评估）"
    assert sorted(t.get_text() for t in ax.texts) == ["40", "60", "80"]
    to_png(fig)


def test_radar_without_scores_is_none_and_mismatch_fails():
    assert charts.radar([None, None, None], ["a", "b", "c"], "en") is None
    with pytest.raises(ValueError, match="2 scores for 3 labels"):
        charts.radar([1, 2], ["a", "b", "c"], "en")


def test_element_scores_bar_colours_by_band():
    fig = charts.element_scores_bar([80, 40, None], ["A", "B", "C"], "en")
    assert [b.get_width() for b in bars(fig)] == [80, 40]
    assert "Not assessed" in texts(fig)
    assert charts.element_scores_bar([None], ["A"], "en") is None


def test_registering_a_chart_twice_fails():
    with pytest.raises(ValueError, match="registered twice"):
        charts.chart_for("price_quality_position")(lambda r, c: None)
