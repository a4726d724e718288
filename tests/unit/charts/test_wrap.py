"""Chart labels wrap between words: English at spaces, Chinese at phrase boundaries."""

from __future__ import annotations

import numpy as np
import pandas as pd

from playbook.charts.overview import _wrap as overview_wrap
from playbook.charts.summary import _radar_texts
from playbook.charts.wrap import balanced_wrap, text_width, wrap_text


def test_text_width_counts_a_chinese_character_twice():
    assert text_width("abc") == 3
    assert text_width("服务") == 4
    assert text_width("NPS 净推荐值") == 4 + 8


def test_english_wraps_between_words_and_cuts_with_an_ellipsis():
    assert wrap_text("Fulfil the service promise", 12) == "Fulfil the\nservice\npromise"
    assert wrap_text("Fulfil the service promise", 12, 2) == "Fulfil the\nservice…"


def test_chinese_breaks_between_the_two_character_words_of_an_even_run():
    # 兑现 / 服务 / 承诺: 6 columns hold one word each
    assert wrap_text("兑现服务承诺", 6) == "兑现\n服务\n承诺"


def test_an_odd_chinese_run_stays_whole_past_the_width():
    # 品牌化 is one word: no break inside "创造品牌化主题体验" (18 columns in 14)
    assert wrap_text("创造品牌化主题体验", 14) == "创造品牌化主题体验"
    assert wrap_text("数字化营销工具应用", 16) == "数字化营销工具应用"


def test_a_run_half_as_long_again_as_the_width_is_cut_between_characters():
    # 14 columns in 6 (more than 1.5 × 6): cut, but no lone last character
    assert wrap_text("创造意外之喜啊", 6) == "创造意\n外之喜啊"


def test_chinese_breaks_after_a_pause_and_after_de():
    assert wrap_text("分人群、分触点的净推荐值", 10) == "分人群、\n分触点的\n净推荐值"
    # closing punctuation never starts a line
    assert wrap_text("先兑现，再超越", 6) == "先兑现，\n再超越"


def test_an_opening_bracket_never_ends_a_line():
    # "服务级别协议（" fills 14 columns, but "（" moves down with "SLA）"
    assert wrap_text("服务级别协议（SLA）", 14) == "服务级别协议\n（SLA）"


def test_balanced_wrap_evens_lines_and_breaks_at_words():
    # greedy at 12 columns: "数据驱动营销" + "决策"; balanced: 4 + 4 characters
    assert balanced_wrap("数据驱动营销决策", 12) == "数据驱动\n营销决策"
    # before 与 when both halves fit (6 + 5 characters in 14 columns)
    assert balanced_wrap("客户需求洞察与价值主张", 14) == "客户需求洞察\n与价值主张"
    # a closing parenthetical gets its own line when the rest fits
    assert balanced_wrap("价格敏感度（VW）", 12) == "价格敏感度\n（VW）"
    assert balanced_wrap("Fulfil the service promise", 20) == "Fulfil the\nservice promise"
    assert balanced_wrap("Create delight", 20) == "Create delight"


def test_radar_labels_of_the_summary_never_break_a_chinese_word():
    titles = pd.Series(["创造品牌化主题体验", "数字化营销工具应用", "分人群、分触点的净推荐值"])
    # 47 spokes: 14 columns a line
    assert _radar_texts(titles, np.zeros(3), "zh", 47) == [
        "创造品牌化主题体验",
        "数字化营销工具应用",
        "分人群、\n分触点的\n净推荐值",
    ]


def test_framework_radar_labels_never_break_a_chinese_word():
    # were cut every 8 characters: "创造品牌化主题体" + "验", "客户需求洞察与价" + "值主张"
    assert overview_wrap("创造品牌化主题体验", "zh") == "创造品牌化主题体验"
    assert overview_wrap("客户需求洞察与价值主张", "zh") == "客户需求洞察\n与价值主张"
    assert overview_wrap("Fulfil the service promise", "en") == "Fulfil the\nservice\npromise"
