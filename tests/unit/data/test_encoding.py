"""Strict encoding detection: the documented encodings in order, never mojibake."""

from __future__ import annotations

import pytest

from playbook.data.encoding import EncodingError, decode_text, detect_file_encoding

ZH = "order_id,channel,comment\nA1,门店,咖啡很好喝，下次再来！\nA2,外卖,送餐慢了10分钟…“差评”\n"
TW = "order_id,channel\nA1,門市\nA2,外送\nA3,線上商店\nA4,披薩\n"


@pytest.mark.parametrize(
    ("raw", "encoding"),
    [
        (ZH.encode("utf-8"), "utf-8"),
        (ZH.encode("utf-8-sig"), "utf-8-sig"),
        (ZH.encode("utf-16"), "utf-16"),
        (b"\xfe\xff" + ZH.encode("utf-16-be"), "utf-16"),
        (ZH.encode("gbk"), "gb18030"),
        (ZH.encode("gb18030"), "gb18030"),
        (TW.encode("big5"), "big5"),
    ],
)
def test_documented_encodings_decode_to_the_same_text(raw, encoding):
    text, found = decode_text(raw)
    assert found == encoding
    assert text == (TW if encoding == "big5" else ZH)


def test_big5_is_not_read_as_gbk():
    # 披薩 in Big5 is valid GBK too (as kana and private-use characters): refused there
    assert decode_text("id,x\n1,披薩\n".encode("big5")) == ("id,x\n1,披薩\n", "big5")


def test_rare_ideographs_next_to_common_ones_are_accepted_in_gbk():
    text = "id,city\n1,王喆\n2,张堃\n3,門市店\n"
    assert decode_text(text.encode("gbk")) == (text, "gb18030")


@pytest.mark.parametrize(
    ("raw", "row", "words"),
    [
        # Latin-1 é before a comma: not UTF-8, not GBK, not Big5
        ("id,name\n1,Café,x\n".encode("latin-1"), 2, "not text in an encoding we read"),
        # é before a letter decodes as a rare GBK ideograph standing alone: refused
        ("id,name\n1,Cafés\n".encode("latin-1"), 2, "not text in an encoding we read"),
        # Shift-JIS kana read as GBK would be rare ideographs
        ("id,x\n1,デリバリー\n".encode("shift_jis"), 2, "not text in an encoding we read"),
        # Cyrillic cp1251
        ("id,x\n1,Пицца\n".encode("cp1251"), 2, "not text in an encoding we read"),
        # UTF-8 with one broken byte is damaged UTF-8, not GBK or Latin-1
        ("id,name\n1,Café\n2,ok\n".encode() + b"3,\xff\n", 4, "UTF-8 text with a damaged byte"),
        # half UTF-8, half GBK
        (
            "id,x\n1,门店\n".encode() + "2,外卖\n".encode("gbk"),
            3,
            "not UTF-8",
        ),
        # UTF-16 without its byte-order mark holds NUL bytes
        (ZH.encode("utf-16-le"), 1, "NUL character"),
        (b"id,x\n1,a\x00b\n", 2, "NUL character"),
    ],
)
def test_other_text_is_refused_with_the_row_of_the_first_bad_byte(raw, row, words):
    with pytest.raises(EncodingError) as err:
        decode_text(raw)
    assert err.value.row == row
    assert words in err.value.reason
    assert "save it as UTF-8" in err.value.reason


def test_korean_euc_kr_is_not_read_as_chinese():
    text = "id,comment\n1,배달이 너무 늦었어요 다음에는 빨리 와주세요\n2,피자가 정말 맛있습니다\n"
    with pytest.raises(EncodingError):
        decode_text(text.encode("euc-kr"))


def test_a_truncated_utf16_file_is_refused():
    with pytest.raises(EncodingError, match="starts like UTF-16 text"):
        decode_text(ZH.encode("utf-16")[:-1])


def test_files_are_read_in_chunks_with_the_same_answer(tmp_path):
    path = tmp_path / "big.csv"
    body = "".join(f"A{i},门店,好评\n" for i in range(150_000))  # about 3 MB: several chunks
    path.write_bytes(("order_id,channel,comment\n" + body).encode("gbk"))
    assert detect_file_encoding(path) == "gb18030"
    path.write_bytes(("order_id,channel,comment\n" + body).encode() + b"x,\xff\n")
    with pytest.raises(EncodingError) as err:
        detect_file_encoding(path)
    assert err.value.row == 150_002
