"""The report style: Chinese renders with the Noto CJK font shipped through pip."""

from __future__ import annotations

import io
import warnings

import matplotlib as mpl
import pytest
from matplotlib import font_manager
from matplotlib.figure import Figure

from playbook import theme as fonts


def test_font_is_noto_cjk_from_mplfonts():
    path = fonts.use_report_style()
    assert path.name == "NotoSansCJKsc-Regular.otf"
    assert "mplfonts" in path.parts
    assert font_manager.FontProperties(fname=str(path)).get_name() == "Noto Sans CJK SC"


def test_style_sets_cjk_family_first_and_plain_minus():
    fonts.use_report_style()
    assert mpl.rcParams["font.sans-serif"][:2] == ["Noto Sans CJK SC", "DejaVu Sans"]
    assert mpl.rcParams["axes.unicode_minus"] is False
    assert mpl.rcParams["axes.spines.top"] is False


def test_second_call_is_idempotent():
    first = fonts.use_report_style()
    count = len(font_manager.fontManager.ttflist)
    assert fonts.use_report_style() == first
    assert len(font_manager.fontManager.ttflist) == count


def test_chinese_text_draws_without_missing_glyphs():
    fonts.use_report_style()
    fig = Figure()
    ax = fig.subplots()
    ax.barh(["外卖配送", "门店自提", "小程序"], [0.8, 0.9, 0.95])
    ax.set_title("服务承诺兑现率（按渠道）")
    ax.set_xlabel("兑现率 −5%")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.savefig(io.BytesIO(), format="png")
    glyph = [
        str(w.message)
        for w in caught
        if "missing from" in str(w.message) or "Glyph" in str(w.message)
    ]
    assert glyph == []
    used = font_manager.findfont(font_manager.FontProperties(family=["sans-serif"]))
    assert used.endswith("NotoSansCJKsc-Regular.otf")


def test_missing_package_is_reported(monkeypatch):
    monkeypatch.setattr(fonts.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(FileNotFoundError, match="mplfonts"):
        fonts.cjk_font_path()
