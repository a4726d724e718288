"""The caching SVG backend writes what matplotlib's own SVG backend writes, byte for byte."""

from __future__ import annotations

import io
from collections import Counter

import numpy as np
import pytest
from matplotlib import rc_context
from matplotlib.figure import Figure
from matplotlib.text import Text

from playbook.charts import svg as charts_svg
from playbook.charts.svg import BACKEND
from playbook.theme import use_report_style

SVG_RC = {"svg.fonttype": "path", "svg.hashsalt": "test"}


ZH_EN = ("客单价 Average order value by 渠道", ["外卖 Delivery", "堂食 Dine-in", "Pick-up\n自取"])
EN = ("Average order value by channel", ["Delivery", "Dine-in", "Pick-up\nat the counter"])


def report_like_figure(words: tuple[str, list[str]] = ZH_EN) -> Figure:
    """Draw a chart with what report charts hold: CJK and Latin text, sizes, lines, a legend."""
    title, channels = words
    fig = Figure(figsize=(5.6, 3.2), layout="constrained")
    ax = fig.add_subplot()
    ax.barh(channels, [31.5, 24.0, 18.25], label="2024")
    ax.axvline(25, linestyle="--", label="target")
    ax.set_title(title)
    ax.set_xlabel("¥ per order", fontsize=8)
    ax.text(18.25, 2, " 18.25 (1,204 orders)", va="center", fontsize=7.5)
    ax.tick_params(axis="x", labelrotation=30)
    ax.legend(loc="lower right")
    return fig


def svg(fig: Figure, backend: str | None) -> bytes:
    """Save a figure as SVG with text as outlines through ``backend`` (None: matplotlib's)."""
    buf = io.BytesIO()
    with rc_context(SVG_RC):
        fig.savefig(buf, format="svg", metadata={"Date": None}, backend=backend)
    return buf.getvalue()


def test_same_bytes_as_matplotlib_svg_backend():
    use_report_style()
    expected = svg(report_like_figure(), None)
    assert b"<use" in expected  # text drawn as outlines (glyphs), not as <text>
    first = svg(report_like_figure(), BACKEND)  # measures every text
    again = svg(report_like_figure(), BACKEND)  # every measurement from the cache
    assert first == expected
    assert again == expected


def test_cached_measurements_follow_the_font_settings():
    use_report_style()
    svg(report_like_figure(EN), BACKEND)  # the texts measured in the report font
    with rc_context({"font.sans-serif": ["DejaVu Sans"]}):
        # the same strings and sizes in another font: measured again, not taken from the cache
        expected = svg(report_like_figure(EN), None)
        assert svg(report_like_figure(EN), BACKEND) == expected
    assert expected != svg(report_like_figure(EN), None)


def test_a_figure_without_a_layout_engine_is_the_same_too():
    use_report_style()
    fig_a, fig_b = report_like_figure(), report_like_figure()
    fig_a.set_layout_engine("none")
    fig_b.set_layout_engine("none")
    assert svg(fig_a, BACKEND) == svg(fig_b, None)


def test_the_same_when_the_glyph_layouts_kept_are_dropped(monkeypatch):
    use_report_style()
    words = ("Layouts dropped 丢弃", ["Alpha 甲", "Beta 乙", "Gamma\n丙"])  # not laid out before
    expected = svg(report_like_figure(words), None)
    # room for 3 strings: the layouts kept are dropped several times during one save
    monkeypatch.setattr(charts_svg, "MAX_LAYOUTS", 3)
    assert svg(report_like_figure(words), BACKEND) == expected
    assert 0 < len(charts_svg._LAYOUTS) <= 3


def legend_under_figure() -> Figure:
    """A figure without a layout engine whose legend hangs under it (the summary's way: only
    savefig's tight bounding box brings it into the picture)."""
    fig = report_like_figure(EN)
    fig.set_layout_engine("none")
    fig.legend(["Delivery", "Dine-in"], loc="upper center", bbox_to_anchor=(0.5, 0.0), ncols=2)
    fig.text(0.02, 0.98, "Title in the figure 标题", ha="left", va="top", fontsize=12.5)
    return fig


def radar() -> Figure:
    """A polar chart with an outside legend and a suptitle (the overview radar's parts)."""
    fig = Figure(figsize=(5.6, 5.0), layout="constrained")
    ax = fig.add_subplot(projection="polar")
    angles = np.linspace(0, 2 * np.pi, 6, endpoint=False)
    ax.plot(angles, [80, 65, 90, 40, 72, 55], marker="o", label="2024")
    ax.set_xticks(angles, ["履约 Fulfil", "Speed", "Care\n关怀", "Price", "Value", "Trust"])
    ax.annotate("40", (angles[3], 40), xytext=(4, 4), textcoords="offset points")
    fig.suptitle("Element scores 要素得分", x=0.02, ha="left")
    fig.legend(loc="outside lower center", ncols=2)
    return fig


@pytest.mark.parametrize("draw", [report_like_figure, legend_under_figure, radar])
def test_other_report_figures_are_the_same_too(draw):
    use_report_style()
    assert svg(draw(), BACKEND) == svg(draw(), None)


def test_a_save_draws_each_text_once(monkeypatch):
    """savefig's disabled first draw only places the figure with this backend: no text (nor
    any artist) is drawn for nothing before the real draw."""
    use_report_style()
    drawn = Counter()
    draw = Text.draw
    monkeypatch.setattr(Text, "draw", lambda self, r: (drawn.update([id(self)]), draw(self, r)))
    for backend, times in ((None, 2), (BACKEND, 1)):  # matplotlib's own draws each twice
        drawn.clear()
        svg(report_like_figure(), backend)
        assert len(drawn) > 10
        assert set(drawn.values()) == {times}, backend
