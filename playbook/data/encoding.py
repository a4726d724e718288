"""Detect the text encoding of a client file strictly, or refuse it: never guess, never garble.

The encodings we accept, tried in this fixed order (documented in docs/data-contract.md):

1. **UTF-8**, and **UTF-8 with BOM** (what Excel's "CSV UTF-8" writes);
2. **UTF-16 with BOM** (Excel's "Unicode text");
3. **GB18030** (a superset of GBK, what Chinese Excel writes by default);
4. **Big5** (Traditional Chinese).

A candidate is accepted only when it decodes the *whole* file without error and the result
is plausible text. UTF-8 and UTF-16 are self-checking; the legacy Chinese code pages decode
almost any bytes, so their result must also look like Chinese: every non-ASCII character is
a common ideograph of that code page (GB2312's 6,763 for GB18030, Big5's level-1 5,401 for
Big5), a rarer ideograph next to a common one, or everyday punctuation (fullwidth forms,
``“”…·×°``, ``①``, ``℃``). Kana, Hangul, Greek, Cyrillic, box drawing and private-use
characters — what Big5, Shift-JIS or Latin-1 turn into when read as GBK — are refused.

A file that is *mostly* UTF-8 with a few broken bytes (a pasted Latin-1 cell, a truncated
character) is refused as damaged UTF-8 rather than re-read in another encoding. A NUL
character is refused anywhere (binary data, or UTF-16 saved without its BOM).

Every refusal names the row (line of the file; header = row 1) of the first offending
byte and says how to fix it: save the file as UTF-8.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # numpy is imported where it is used: UTF-8 text (every YAML file) never is
    import numpy as np

#: The accepted encodings, in the order they are tried (Python codec names).
ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "gb18030", "big5")

#: What to tell a user to do with a file we cannot read as text.
SAVE_AS_UTF8 = 'save it as UTF-8 (in Excel: Save As › "CSV UTF-8 (Comma delimited)")'

#: Why a NUL byte is refused (binary data, or UTF-16 without its byte-order mark).
NUL_MESSAGE = (
    "holds a NUL character (byte 0x00), which text never does: is it a binary file, or "
    f"UTF-16 saved without a byte-order mark? If it is a table, {SAVE_AS_UTF8}"
)

_CHUNK = 1 << 20
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

#: Non-ASCII characters that are everyday punctuation and symbols in Chinese text.
_PUNCTUATION = (
    "\u00a5\u00a7\u00b0\u00b1\u00b7\u00d7\u00f7"  # ¥ § ° ± · × ÷
    "\u2010-\u203b\u20ac\u2103\u2116\u2121\u2122\u2160-\u216b\u2190-\u2193"  # – — “ ” … ‰ ※ € ℃ №
    "\u2236\u2248\u2260\u2264\u2265\u2460-\u249b\u25a0-\u25cf\u2605\u2606"  # ∶ ≈ ≠ ≤ ≥ ① ⑴ □ ○ ★
    "\u3000-\u303f\uff01-\uff5e\uffe0-\uffe5"  # CJK punctuation, fullwidth forms
)
_IDEOGRAPHS = (0x4E00, 0x9FFF)
_SURROGATES = (0xDC80, 0xDCFF)  # bytes escaped by "surrogateescape"
_UNICODE = 0x110000
#: Distinct ideographs needed before the EUC-KR check applies (a false refusal of Chinese
#: text then needs 16 distinct characters all from one 60 % block: about 1 in 3,000).
_KOREAN_MIN_IDEOGRAPHS = 16


class EncodingError(ValueError):
    """The bytes are not text in an accepted encoding; ``row`` is where the trouble starts."""

    def __init__(self, reason: str, row: int | None = None):
        super().__init__(reason)
        self.reason, self.row = reason, row


@dataclass
class _Scan:
    """What one strict decoding pass found."""

    ok: bool = True
    bad_row: int | None = None
    bad_byte: int | None = None
    nul_row: int | None = None
    implausible: bool = False  # a character that Chinese text does not hold
    non_ascii_count: int = 0  # characters above ASCII, escaped bytes included
    broken: int = 0  # bytes that are not UTF-8 (surrogateescape pass only)
    rare_alone: int = 0  # rare ideographs with no common ideograph beside them
    seen: np.ndarray | None = None  # BMP table of the ideographs decoded


def detect_file_encoding(path: str | Path) -> str:
    """Return the codec name of a text file, reading it in chunks (memory stays small).

    Args:
        path: The file.

    Returns:
        One of ``ENCODINGS``.

    Raises:
        EncodingError: The file is not plausible text in any accepted encoding.
    """
    path = Path(path)

    def chunks() -> Iterator[bytes]:
        with path.open("rb") as fh:
            while block := fh.read(_CHUNK):
                yield block

    return _detect(chunks)


def decode_text(raw: bytes) -> tuple[str, str]:
    """Decode the bytes of a (small) text file with the same strict rules.

    Args:
        raw: The file's bytes.

    Returns:
        The text (without BOM) and the codec name used.

    Raises:
        EncodingError: The bytes are not plausible text in any accepted encoding.
    """
    encoding = _detect(lambda: iter((raw,)))
    return raw.decode(encoding), encoding


def _detect(chunks: Callable[[], Iterable[bytes]]) -> str:
    head = next(iter(chunks()), b"")
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            scan = _scan(chunks, encoding)
            if not scan.ok:
                raise EncodingError(
                    f"starts like {_LABELS[encoding]} text but a byte (0x{scan.bad_byte:02x}) "
                    f"does not decode; {SAVE_AS_UTF8}",
                    scan.bad_row,
                )
            return _checked_nul(scan, encoding)
    strict = _scan(chunks, "utf-8")
    if strict.ok:
        return _checked_nul(strict, "utf-8")
    utf8 = _scan(chunks, "utf-8", errors="surrogateescape")
    if utf8.ok or utf8.nul_row is not None:
        return _checked_nul(utf8, "utf-8")
    if utf8.non_ascii_count - utf8.broken >= utf8.broken:
        raise EncodingError(
            f"is UTF-8 text with a damaged byte (0x{utf8.bad_byte:02x}, not UTF-8): retype "
            f"that value or {SAVE_AS_UTF8}",
            utf8.bad_row,
        )
    for encoding in ("gb18030", "big5"):
        scan = _scan(chunks, encoding)
        if scan.ok and _plausible(scan, encoding):
            return _checked_nul(scan, encoding)
    raise EncodingError(
        f"is not text in an encoding we read (UTF-8, UTF-16, GBK/GB18030 or Big5): "
        f"byte 0x{utf8.bad_byte:02x} is the first that is not UTF-8; {SAVE_AS_UTF8}",
        utf8.bad_row,
    )


_LABELS = {"utf-8-sig": "UTF-8", "utf-16": "UTF-16"}


def _checked_nul(scan: _Scan, encoding: str) -> str:
    if scan.nul_row is not None:
        raise EncodingError(NUL_MESSAGE, scan.nul_row)
    return encoding


def _scan(chunks: Callable[[], Iterable[bytes]], encoding: str, errors: str = "strict") -> _Scan:
    """Decode every chunk with one codec; record the first failure, NULs and what was seen.

    With ``errors="surrogateescape"`` (UTF-8 only) the pass goes on after a bad byte and
    counts bad bytes and valid non-ASCII characters, so damaged UTF-8 can be told from
    another encoding. For GB18030 and Big5 the characters are checked for plausibility
    (vectorised: a code-point table lookup per character).
    """
    scan = _Scan()
    decoder = codecs.getincrementaldecoder(encoding)(errors)
    legacy = encoding in ("gb18030", "big5")
    row, previous = 1, None  # the last character of the chunk before (legacy codecs)
    iterator = iter(chunks())
    block = next(iterator, b"")
    while True:
        upcoming = next(iterator, None)
        try:
            text = decoder.decode(block, upcoming is None)
        except UnicodeDecodeError as exc:
            scan.ok, scan.bad_byte = False, block[min(exc.start, len(block) - 1)]
            scan.bad_row = row + _newlines(block[: exc.start], encoding)
            return scan
        if scan.nul_row is None and "\x00" in text:
            scan.nul_row = row + text.count("\n", 0, text.index("\x00"))
        if (legacy or errors != "strict") and not text.isascii():
            codes = _code_points(text)
            if errors == "surrogateescape":
                _count_escaped(scan, codes, text, row)
            elif legacy:
                import numpy as np

                if not _plausible_table()[codes].all():
                    scan.implausible = True
                    return scan
                joined = codes if previous is None else np.concatenate((previous, codes))
                scan.rare_alone += _rare_alone(joined, encoding)
                _mark_ideographs(scan, codes)
                previous = codes[-1:]
        row += text.count("\n")
        if upcoming is None:
            return scan
        block = upcoming


def _count_escaped(scan: _Scan, codes: np.ndarray, text: str, row: int) -> None:
    """Count escaped (non-UTF-8) bytes and valid non-ASCII characters of one chunk."""
    import numpy as np

    escaped = (codes >= _SURROGATES[0]) & (codes <= _SURROGATES[1])
    scan.non_ascii_count += int((codes > 0x7F).sum())
    broken = int(escaped.sum())
    if broken:
        scan.broken += broken
        if scan.ok:
            at = int(np.argmax(escaped))
            scan.ok, scan.bad_byte = False, int(codes[at]) - 0xDC00
            scan.bad_row = row + text.count("\n", 0, at)


def _newlines(data: bytes, encoding: str) -> int:
    """Count line breaks in raw bytes (UTF-16: the two-byte newline, either byte order)."""
    if encoding == "utf-16":
        return min(data.count(b"\n\x00"), data.count(b"\x00\n"))
    return data.count(b"\n")  # 0x0a is never part of a multibyte character in the others


def _plausible(scan: _Scan, encoding: str) -> bool:
    """Tell whether the characters decoded look like Chinese text.

    Besides the per-character checks made while decoding, one check on the whole: Korean
    (EUC-KR) Hangul bytes decode as common ideographs whose first byte is always within
    0xB0-0xC8, while Chinese text of more than a few words always has some beyond it.
    """
    import numpy as np

    if scan.implausible or scan.rare_alone:
        return False
    if scan.seen is None:
        return True
    ideographs = np.flatnonzero(scan.seen)
    if len(ideographs) < _KOREAN_MIN_IDEOGRAPHS:
        return True
    leads = {chr(c).encode(encoding)[0] for c in ideographs.tolist()}
    return not all(0xB0 <= lead <= 0xC8 for lead in leads)


def _mark_ideographs(scan: _Scan, codes: np.ndarray) -> None:
    import numpy as np

    ideographs = codes[(codes >= _IDEOGRAPHS[0]) & (codes <= _IDEOGRAPHS[1])]
    if ideographs.size:
        if scan.seen is None:
            scan.seen = np.zeros(0x10000, dtype=bool)
        scan.seen[ideographs] = True


def _rare_alone(codes: np.ndarray, encoding: str) -> int:
    """Count rare ideographs with no common ideograph on either side."""
    import numpy as np

    common = _COMMON[encoding]()

    def common_ideograph(values: np.ndarray) -> np.ndarray:
        inside = (values >= _IDEOGRAPHS[0]) & (values <= _IDEOGRAPHS[1])
        return inside & common[np.minimum(values, 0xFFFF)]

    high = np.flatnonzero(codes >= _IDEOGRAPHS[0])
    values = codes[high]
    ideographs = high[values <= _IDEOGRAPHS[1]]
    rare = ideographs[~common[codes[ideographs]]]
    if rare.size == 0:
        return 0
    padded = np.concatenate(([0], codes, [0])).astype(np.uint32)
    beside = common_ideograph(padded[rare]) | common_ideograph(padded[rare + 2])
    return int((~beside).sum())


def _code_points(text: str) -> np.ndarray:
    """Return the code points of a string (lone surrogates included) as a uint32 array."""
    import numpy as np

    return np.array(text).reshape(1).view(np.uint32)


def _table(ranges: str) -> np.ndarray:
    """Return a code-point lookup table: True for ASCII and the characters of ``ranges``."""
    import numpy as np

    table = np.zeros(_UNICODE, dtype=bool)
    table[:0x80] = True
    table[_IDEOGRAPHS[0] : _IDEOGRAPHS[1] + 1] = True
    for match in re.finditer(r"(.)(?:-(.))?", ranges):
        first, last = match.group(1), match.group(2) or match.group(1)
        table[ord(first) : ord(last) + 1] = True
    return table


@cache
def _plausible_table() -> np.ndarray:
    """Return the table of characters plausible in Chinese text (ASCII, ideographs, punctuation)."""
    return _table(_PUNCTUATION)


@cache
def _common_gb2312() -> np.ndarray:
    """The 6,763 ideographs of GB2312 (rows 0xB0-0xF7), as a BMP lookup table."""
    return _decoded_table("gb2312", range(0xB0, 0xF8), range(0xA1, 0xFF))


@cache
def _common_big5() -> np.ndarray:
    """The 5,401 level-1 ideographs of Big5 (lead bytes 0xA4-0xC6), as a BMP lookup table."""
    return _decoded_table("big5", range(0xA4, 0xC7), [*range(0x40, 0x7F), *range(0xA1, 0xFF)])


def _decoded_table(encoding: str, leads: Iterable[int], trails: Iterable[int]) -> np.ndarray:
    import numpy as np

    table = np.zeros(0x10000, dtype=bool)
    trails = list(trails)
    for lead in leads:
        for trail in trails:
            try:
                char = bytes((lead, trail)).decode(encoding)
            except UnicodeDecodeError:
                continue
            table[ord(char)] = True
    return table


_COMMON: dict[str, Callable[[], np.ndarray]] = {"gb18030": _common_gb2312, "big5": _common_big5}
