"""The 30/60/90-day timeline stays legible at the page's width: short labels, 9 pt or more."""

from __future__ import annotations

import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.text import Text

from playbook.charts.summary import rollout_timeline
from playbook.theme import use_report_style

#: Text width of an A4 page in the PDF (210 mm less 14 mm margins each side), in inches.
A4_TEXT_WIDTH = (210 - 2 * 14) / 25.4


def plan(lang: str) -> pd.DataFrame:
    """Three actions, one per phase, with long texts in the language."""
    zh = lang == "zh"
    rows = [
        (30, "第 1–30 天" if zh else "Days 1–30", "最弱渠道承诺兑现率" if zh else
         "Promise-kept rate in the weakest channel", "客户体验负责人" if zh else
         "Head of Customer Experience", 1, "超出服务期望五法" if zh else "Exceed expectations"),
        (60, "第 31–60 天" if zh else "Days 31–60", "调整后渠道的获客成本与转化率" if zh else
         "Acquisition cost and conversion of the re-budgeted channel", "渠道经理" if zh else
         "Channel Manager", 5, "服务营销创新增值方案" if zh else "Value-add plan"),
        (90, "第 61–90 天" if zh else "Days 61–90", "净推荐值" if zh else "Net Promoter Score",
         "人力资源总监" if zh else "HR Director", 9, "口碑与风险保障" if zh else "Word of mouth"),
    ]  # fmt: skip
    return pd.DataFrame(
        [
            {
                "phase": phase,
                "phase_label": phase_label,
                "due_days": phase,
                "source": "playbook",
                "action": "A long action sentence that only the table below shows in full. " * 3,
                "kpi": kpi,
                "target": "95.0%",
                "owner": owner,
                "framework_id": f"fw{order}",
                "framework_order": order,
                "framework": framework,
                "action_id": f"action{order}",
                "element_id": f"element{order}",
                "element": "An element",
                "priority": 100.0 - order,
                "page": f"0{order}_fw.html",
            }
            for phase, phase_label, kpi, owner, order, framework in rows
        ]
    )


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_timeline_fits_the_page_with_nine_point_type(lang):
    use_report_style()
    fig = rollout_timeline(plan(lang), lang)
    FigureCanvasAgg(fig).draw()

    assert fig.get_figwidth() <= A4_TEXT_WIDTH  # shown at its own size: never scaled down
    texts = [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]
    small = [(t.get_text(), t.get_fontsize()) for t in texts if t.get_fontsize() < 9]
    assert small == []


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_timeline_shows_short_labels_not_the_action_sentences(lang):
    use_report_style()
    fig = rollout_timeline(plan(lang), lang)

    shown = " ".join(t.get_text() for t in fig.findobj(Text))
    assert "long action sentence" not in shown
    assert ("净推荐值" if lang == "zh" else "Net Promoter Score") in shown


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_owner_names_stay_inside_their_bars(lang):
    use_report_style()
    fig = rollout_timeline(plan(lang), lang)
    renderer = FigureCanvasAgg(fig).get_renderer()
    fig.draw(renderer)
    [ax] = fig.axes
    bars = [p.get_window_extent(renderer) for c in ax.containers for p in c.patches]
    owners = [t.get_window_extent(renderer) for t in ax.texts if t.get_color() == "white"]

    assert len(owners) == len(bars) == 3
    for bar, owner in zip(bars, owners, strict=True):
        assert bar.x0 <= owner.x0 and owner.x1 <= bar.x1, (bar, owner)
        assert bar.y0 <= owner.y0 and owner.y1 <= bar.y1, (bar, owner)
