"""Measure text before it goes on a slide, so nothing overflows its frame.

PowerPoint lays text out when the deck is opened, with whatever font the machine has, so
the deck cannot ask it how tall a paragraph will be. Instead every paragraph is wrapped
here with a deliberately generous width per character (CJK and other wide characters one
em, Latin letters 0.6–0.95 em, never less than half an em) and a fixed line height: the
deck sets each paragraph's line spacing to exactly ``LINE_HEIGHT`` × the font size, so the
height of a line does not depend on the font either. A frame's text is chosen to fit with
that estimate, at the largest size from the body size down to the minimum; what does not
fit at the minimum continues on the next slide.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal

#: Line height as a multiple of the font size (set exactly on every paragraph).
LINE_HEIGHT = 1.2
#: Space before a paragraph, as a multiple of its font size (set on every paragraph).
SPACE_BEFORE = 0.35
#: A heading is this many points larger than the body text around it.
HEADING_STEP = 2
#: Share of a frame's inner width the estimate may fill (kerning, line-breaking rules).
WIDTH_SLACK = 0.92
#: A paragraph is split between frames only when each part keeps this many lines.
MIN_SPLIT_LINES = 2
#: Indent of a bullet paragraph's text, in points.
BULLET_INDENT = 16.0

#: A display line (a headline figure) is this many times the body size.
DISPLAY_SCALE = 2.0

Kind = Literal["heading", "bullet", "body", "quote", "display"]


@dataclass(frozen=True)
class Para:
    """One paragraph to lay out: its text and how it reads (heading, bullet, body, quote).

    ``cont`` marks the rest of a paragraph split across frames (no bullet repeated);
    ``color`` is a text colour (``#rrggbb``) or empty for the template's.
    """

    text: str
    kind: Kind = "body"
    cont: bool = False
    color: str = ""


def char_em(ch: str) -> float:
    """Return the width of a character in em, erring on the wide side."""
    if unicodedata.east_asian_width(ch) in ("W", "F", "A"):
        return 1.0
    if ch in "mwMW@%&":
        return 0.95
    if ch.isupper():
        return 0.75
    if ch.isalnum():
        return 0.6
    return 0.5


def text_em(text: str) -> float:
    """Return the width of a string in em."""
    return sum(char_em(ch) for ch in text)


def _tokens(text: str, offset: int) -> list[tuple[int, str]]:
    """Split text where a line may break (after spaces, around wide characters).

    Returns (start offset, token) pairs, offsets counted from ``offset``.
    """
    tokens: list[tuple[int, str]] = []
    start, word = offset, ""
    for i, ch in enumerate(text, start=offset):
        if unicodedata.east_asian_width(ch) in ("W", "F"):
            if word:
                tokens.append((start, word))
            tokens.append((i, ch))
            start, word = i + 1, ""
        else:
            word += ch
            if ch == " ":
                tokens.append((start, word))
                start, word = i + 1, ""
    if word:
        tokens.append((start, word))
    return tokens


def line_starts(text: str, width_pt: float, size_pt: float) -> list[int]:
    """Wrap text greedily at ``size_pt`` into lines no wider than ``width_pt``.

    A word wider than a line is broken between characters; explicit line breaks are kept.

    Returns:
        The offset in ``text`` where each line starts (at least one line, even when empty).
    """
    limit = max(width_pt * WIDTH_SLACK / size_pt, 1.0)  # in em
    starts: list[int] = []
    offset = 0
    for raw in text.split("\n"):
        starts.append(offset)
        used = 0.0
        for start, token in _tokens(raw, offset):
            if used + text_em(token.rstrip(" ")) <= limit:
                used += text_em(token)
                continue
            if used > 0:
                starts.append(start)
            while text_em(token.rstrip(" ")) > limit:  # a word longer than a line
                cut = 1
                while cut < len(token) and text_em(token[: cut + 1]) <= limit:
                    cut += 1
                start, token = start + cut, token[cut:]
                starts.append(start)
            used = text_em(token)
        offset += len(raw) + 1
    return starts


def wrap(text: str, width_pt: float, size_pt: float) -> list[str]:
    """Return the lines of ``text`` wrapped as ``line_starts`` wraps it."""
    starts = line_starts(text, width_pt, size_pt)
    ends = [*starts[1:], len(text)]
    return [text[a:b].rstrip(" \n") for a, b in zip(starts, ends, strict=True)]


def para_size(para: Para, size: float) -> float:
    """Return the font size of a paragraph in a frame whose body size is ``size``."""
    if para.kind == "display":
        return size * DISPLAY_SCALE
    return size + HEADING_STEP if para.kind == "heading" else size


def para_width(para: Para, width_pt: float) -> float:
    """Return the width a paragraph's text may use (bullets are indented)."""
    return width_pt - BULLET_INDENT if para.kind == "bullet" else width_pt


def para_height(para: Para, width_pt: float, size: float, first: bool = False) -> float:
    """Return a paragraph's height in points: its lines, plus the space before it."""
    psize = para_size(para, size)
    lines = len(wrap(para.text, para_width(para, width_pt), psize))
    before = 0.0 if first else SPACE_BEFORE * psize
    return lines * LINE_HEIGHT * psize + before


def height(paras: Sequence[Para], width_pt: float, size: float) -> float:
    """Return the height of paragraphs laid out one after another, in points."""
    return sum(para_height(p, width_pt, size, first=i == 0) for i, p in enumerate(paras))


def split_para(para: Para, width_pt: float, size: float, room_pt: float) -> tuple[Para, Para]:
    """Cut a paragraph after the lines that fit in ``room_pt``; return (head, rest).

    The head is empty text when not even one line fits.
    """
    psize = para_size(para, size)
    starts = line_starts(para.text, para_width(para, width_pt), psize)
    keep = max(0, math.floor(room_pt / (LINE_HEIGHT * psize) + 1e-9))
    if keep >= len(starts):
        return para, replace(para, text="", cont=True)
    cut = starts[keep] if keep else 0
    head = para.text[:cut].rstrip(" \n")
    return replace(para, text=head), replace(para, text=para.text[cut:].lstrip(" \n"), cont=True)


@dataclass(frozen=True)
class Fitted:
    """The paragraphs that fit a frame, their body size, and what continues elsewhere."""

    paras: tuple[Para, ...]
    size: float
    rest: tuple[Para, ...]


def fit(
    paras: Sequence[Para],
    width_pt: float,
    height_pt: float,
    sizes: Sequence[float],
) -> Fitted:
    """Fit paragraphs into a frame at the largest size that holds them all.

    Args:
        paras: the paragraphs, in order.
        width_pt: the frame's inner width in points.
        height_pt: the frame's inner height in points.
        sizes: candidate body sizes, largest first; the last is the minimum.

    Returns:
        Everything at the first size that holds it all; otherwise, at the minimum size, the
        paragraphs that fit and the rest. A heading is never left last in a frame; a
        paragraph is split between lines when it is taller than the frame, or when both
        parts keep two lines or more.
    """
    paras = [p for p in paras if p.text.strip()]
    for size in sizes:
        if height(paras, width_pt, size) <= height_pt:
            return Fitted(tuple(paras), size, ())
    size = sizes[-1]
    taken: list[Para] = []
    used = 0.0
    for i, para in enumerate(paras):
        need = para_height(para, width_pt, size, first=not taken)
        if used + need <= height_pt:
            taken.append(para)
            used += need
            continue
        before = 0.0 if not taken else SPACE_BEFORE * para_size(para, size)
        head, rest = split_para(para, width_pt, size, height_pt - used - before)
        if _worth_splitting(head, rest, width_pt, size, alone=not taken):
            taken.append(head)
            return Fitted(*_no_orphan(taken, size, [rest, *paras[i + 1 :]]))
        return Fitted(*_no_orphan(taken, size, list(paras[i:])))
    return Fitted(tuple(taken), size, ())


def _worth_splitting(head: Para, rest: Para, width_pt: float, size: float, alone: bool) -> bool:
    """Tell whether to split a paragraph there rather than move it whole to the next frame.

    A paragraph alone in its frame must be split (it is taller than the frame). Otherwise
    only when both parts keep at least ``MIN_SPLIT_LINES`` lines: no word or two left over.
    """
    if head.kind == "heading" or not head.text:
        return False
    if alone:
        return True
    lines = [len(wrap(p.text, para_width(p, width_pt), para_size(p, size))) for p in (head, rest)]
    return min(lines) >= MIN_SPLIT_LINES


def _no_orphan(
    taken: list[Para], size: float, rest: list[Para]
) -> tuple[tuple[Para, ...], float, tuple[Para, ...]]:
    """Move a heading left last in a frame over to the rest."""
    while len(taken) > 1 and taken[-1].kind == "heading":
        rest.insert(0, taken.pop())
    return tuple(taken), size, tuple(rest)


def lines_for(text: str, width_pt: float, size: float) -> int:
    """Return the number of lines a text needs in a frame (a table cell, a title)."""
    return len(wrap(text, width_pt, size))
