"""Text measurement for the deck: widths per character, wrapping, fitting, splitting."""

from __future__ import annotations

import pytest

from playbook.report.pptx.fit import (
    LINE_HEIGHT,
    SPACE_BEFORE,
    WIDTH_SLACK,
    Para,
    char_em,
    fit,
    height,
    split_para,
    wrap,
)


def test_wide_characters_take_one_em_and_nothing_takes_less_than_half():
    assert char_em("兑") == 1.0
    assert char_em("，") == 1.0  # full-width punctuation
    assert char_em("M") == 0.95
    assert char_em("a") == 0.6
    assert min(char_em(c) for c in " .,;:!il|'1") >= 0.5


def test_wrap_breaks_latin_at_spaces_and_chinese_anywhere():
    # 100 pt at 10 pt with 8 % slack: 9.2 em a line; "aaaa " is 4 × 0.6 + 0.5 = 2.9 em
    width = 9.2 / WIDTH_SLACK * 10
    assert wrap("aaaa aaaa aaaa aaaa", width, 10) == ["aaaa aaaa aaaa", "aaaa"]
    # nine Chinese characters a line (9 em of 9.2)
    assert wrap("一二三四五六七八九十", width, 10) == ["一二三四五六七八九", "十"]


def test_wrap_cuts_a_word_longer_than_a_line_and_keeps_explicit_breaks():
    width = 3.0 / WIDTH_SLACK * 10  # 3 em: five 0.6-em letters a line
    assert wrap("abcdefghijkl", width, 10) == ["abcde", "fghij", "kl"]
    assert wrap("ab\ncd", 100, 10) == ["ab", "cd"]
    assert wrap("", 100, 10) == [""]


def test_height_counts_lines_and_the_space_before_all_but_the_first():
    width = 9.2 / WIDTH_SLACK * 10
    paras = [Para("一二三四五六七八九十"), Para("一")]  # 2 lines, then 1 line
    expected = 3 * LINE_HEIGHT * 10 + SPACE_BEFORE * 10
    assert height(paras, width, 10) == pytest.approx(expected)


def test_fit_takes_the_largest_size_that_holds_everything():
    paras = [Para("一二三四五六七八九十")]  # 10 em
    width = 10.0 / WIDTH_SLACK * 12  # one line at 12 pt, two at 14 pt
    one_line = LINE_HEIGHT * 12
    assert fit(paras, width, one_line, (14, 12)).size == 12
    assert fit(paras, width, 2 * LINE_HEIGHT * 14, (14, 12)).size == 14


def test_fit_continues_what_does_not_fit_and_never_ends_on_a_heading():
    width = 10.0 / WIDTH_SLACK * 12  # ten Chinese characters a line at 12 pt
    paras = [Para("一"), Para("二"), Para("标题", "heading"), Para("三")]
    # room for three 12-pt lines with their spaces before, not a fourth
    room = 3 * LINE_HEIGHT * 12 + 2 * SPACE_BEFORE * 14
    fitted = fit(paras, width, room, (12,))
    assert [p.text for p in fitted.paras] == ["一", "二"]
    assert [p.text for p in fitted.rest] == ["标题", "三"]


def test_a_paragraph_taller_than_the_frame_is_split_between_lines():
    width = 5.0 / WIDTH_SLACK * 10  # five characters a line
    para = Para("一二三四五六七八九十甲乙", "bullet")
    bullet_width = width  # the bullet's indent is taken off inside split_para
    head, rest = split_para(para, bullet_width + 16, 10, 2 * LINE_HEIGHT * 10)
    assert head.text == "一二三四五六七八九十"
    assert rest.text == "甲乙" and rest.cont and rest.kind == "bullet"
    latin = Para("alpha beta gamma delta")
    # 5 em a line: "alpha " is 3.5 em, "beta" 2.4 more would make 5.9
    head, rest = split_para(latin, 5.0 / WIDTH_SLACK * 10, 10, LINE_HEIGHT * 10)
    assert (head.text, rest.text) == ("alpha", "beta gamma delta")


def test_a_paragraph_is_split_only_when_both_parts_keep_two_lines():
    width = 10.0 / WIDTH_SLACK * 12  # ten Chinese characters a line at 12 pt
    room = 3 * LINE_HEIGHT * 12 + SPACE_BEFORE * 12  # one line, then two more
    three = Para("甲" * 23)  # 3 lines: two would fit, one left over -> moved whole
    fitted = fit([Para("一"), three], width, room, (12,))
    assert [p.text for p in fitted.paras] == ["一"] and fitted.rest == (three,)
    four = Para("乙" * 40)  # 4 lines: two here, two on the next frame
    fitted = fit([Para("一"), four], width, room, (12,))
    assert [p.text for p in fitted.paras] == ["一", "乙" * 20]
    assert [p.text for p in fitted.rest] == ["乙" * 20]
