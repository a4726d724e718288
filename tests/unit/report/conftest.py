"""Fixtures for the deck's tests: a stand-in chart picture and an independent overflow check.

``deck_overflows(prs)`` estimates, for every text frame and table cell of every slide, the
lines its text needs — characters per line from the frame's inner width and the font size,
a CJK (wide) character one em, any other half an em — and reports each frame whose lines
(at the paragraph's line spacing) do not fit its height, each run below the minimum size
(12 pt in text, 10 pt in tables) and each shape outside the slide. It is deliberately
simpler than the deck's own measuring (``playbook.report.pptx.fit``), which must be at least
as cautious.
"""

from __future__ import annotations

import math
import struct
import unicodedata
import zlib

import pytest

from playbook.report.pptx.pictures import Picture

EMU_PER_PT = 12700
TOLERANCE_PT = 0.5


def tiny_png(width: int, height: int) -> bytes:
    """Return a white PNG of the given size (no imaging library needed)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    raw = b"".join(b"\x00" + b"\xff" * (3 * width) for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


@pytest.fixture(scope="session")
def fake_picture():
    """Return a picture function: a 640 × 300 px PNG for every element with a measured indicator."""
    png = tiny_png(640, 300)

    def picture(diag, ctx):
        return Picture(png, 640, 300) if any(r.measured for r in diag.indicators) else None

    return picture


def _em(text: str) -> float:
    return sum(1.0 if unicodedata.east_asian_width(c) in "WFA" else 0.5 for c in text)


def _frame_problems(frame, width: int, height: int, minimum: float, where: str) -> list[str]:
    inner_w = (width - frame.margin_left - frame.margin_right) / EMU_PER_PT
    inner_h = (height - frame.margin_top - frame.margin_bottom) / EMU_PER_PT
    problems, used = [], 0.0
    for i, paragraph in enumerate(frame.paragraphs):
        runs = paragraph.runs
        if not runs:  # e.g. the slide number field
            continue
        size = runs[0].font.size.pt
        if any(r.font.size is None or r.font.size.pt < minimum for r in runs):
            problems.append(f"{where}: a run below {minimum} pt")
        spacing = paragraph.line_spacing
        if spacing is None or abs(spacing.pt - 1.2 * size) > 0.01:
            problems.append(f"{where}: line spacing {spacing} is not exactly 1.2 × {size} pt")
        indent = int(paragraph._p.pPr.get("marL", "0")) if paragraph._p.pPr is not None else 0
        per_line = (inner_w - indent / EMU_PER_PT) / size
        lines = sum(
            max(1, math.ceil(_em(part) / per_line))
            for part in paragraph.text.replace("\v", "\n").split("\n")
        )
        before = paragraph.space_before.pt if paragraph.space_before is not None and i else 0
        used += before + lines * 1.2 * size
    if used > inner_h + TOLERANCE_PT:
        problems.append(f"{where}: needs {used:.1f} pt, has {inner_h:.1f} pt")
    return problems


def deck_overflows(prs) -> list[str]:
    """Return every overflow, undersized run and off-slide shape of a presentation."""
    problems = []
    for number, slide in enumerate(prs.slides, start=1):
        for shape in slide.shapes:
            where = f"slide {number} {shape.name!r}"
            if shape.left < 0 or shape.top < 0:
                problems.append(f"{where}: off the slide")
            if shape.left + shape.width > prs.slide_width:
                problems.append(f"{where}: beyond the right edge")
            if shape.has_text_frame:
                problems += _frame_problems(shape.text_frame, shape.width, shape.height, 12, where)
            if shape.has_table:
                table = shape.table
                bottom = shape.top + sum(row.height for row in table.rows)
                if bottom > prs.slide_height:
                    problems.append(f"{where}: the table runs off the slide")
                for r, row in enumerate(table.rows):
                    for c, cell in enumerate(row.cells):
                        problems += _frame_problems(
                            cell.text_frame,
                            table.columns[c].width,
                            row.height,
                            10,
                            f"{where} cell {r},{c}",
                        )
            elif shape.top + shape.height > prs.slide_height:
                problems.append(f"{where}: beyond the bottom edge")
    return problems


@pytest.fixture(scope="session")
def overflows():
    """Return ``deck_overflows``."""
    return deck_overflows
