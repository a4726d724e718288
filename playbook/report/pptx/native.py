"""Native PowerPoint charts and tables: editable data, band colours, measured rows.

A score chart is a horizontal bar chart whose data sits in the deck (PowerPoint's "Edit
Data" opens it), one bar per framework or element in reading order, each coloured by its
band, labelled with its score, on a 0–100 axis. Tables are native tables whose rows are
measured (``fit``) and split over as many slides as they need, header repeated.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_AXIS_CROSSES, XL_CHART_TYPE, XL_LABEL_POSITION
from pptx.enum.text import PP_ALIGN
from pptx.util import Emu, Pt

from playbook.report.pptx.fit import LINE_HEIGHT, lines_for
from playbook.report.pptx.frames import (
    EMU_PER_PT,
    INSET_X,
    INSET_Y,
    add_lines,
    clean,
    name_fonts,
    style_run,
)
from playbook.report.pptx.template import Box, Fonts
from playbook.theme import BAND_COLORS, MUTED

#: Height of a chart bar slot, in EMU (a chart is never taller than its bars need).
BAR_SLOT = Emu(int(0.42 * 914400))


def _rgb(hex_color: str) -> RGBColor:
    return RGBColor.from_string(hex_color.lstrip("#"))


def _chart_fonts(chart, size: float, fonts: Fonts, lang: str) -> None:
    """Give the chart's text a size and both typefaces (``c:txPr``)."""
    chart.font.size = Pt(size)
    name_fonts(chart.font._rPr, fonts, lang)


def score_chart(
    slide,
    box: Box,
    categories: Sequence[str],
    values: Sequence[float],
    bands: Sequence[str],
    series_name: str,
    fonts: Fonts,
    lang: str,
):
    """Add a native bar chart of 0–100 scores, bars in band colours; return the shape.

    The chart keeps its bars at most ``BAR_SLOT`` tall each and sits at the top of ``box``.
    """
    data = CategoryChartData(number_format="0")
    data.categories = [clean(c) for c in categories]
    data.add_series(clean(series_name), [round(float(v), 1) for v in values])
    height = min(box.height, int(BAR_SLOT * (len(values) + 1.2)))
    frame = slide.shapes.add_chart(
        XL_CHART_TYPE.BAR_CLUSTERED, box.left, box.top, box.width, height, data
    )
    chart = frame.chart
    chart.has_legend = False
    chart.has_title = False
    _chart_fonts(chart, 12 if len(values) <= 8 else 10, fonts, lang)
    plot = chart.plots[0]
    plot.gap_width = 60
    plot.vary_by_categories = False
    plot.has_data_labels = True
    labels = plot.data_labels
    labels.number_format = "0"
    labels.number_format_is_linked = False
    labels.position = XL_LABEL_POSITION.OUTSIDE_END
    for point, band in zip(plot.series[0].points, bands, strict=False):
        point.format.fill.solid()
        point.format.fill.fore_color.rgb = _rgb(BAND_COLORS.get(band, MUTED))
    axis = chart.value_axis
    axis.minimum_scale, axis.maximum_scale, axis.major_unit = 0, 100, 25
    axis.has_major_gridlines = True
    axis.major_gridlines.format.line.color.rgb = _rgb("#e6e9ed")
    axis.format.line.fill.background()
    axis.crosses = XL_AXIS_CROSSES.MAXIMUM  # with categories top-down, the axis stays below
    category = chart.category_axis
    category.reverse_order = True  # reading order from the top
    category.format.line.color.rgb = _rgb("#c8ced6")
    return frame


@dataclass(frozen=True)
class Column:
    """A table column: its header, its share of the table's width, numbers right-aligned."""

    header: str
    share: float
    numeric: bool = False


def row_height(cells: Sequence[str], widths: Sequence[int], size: float) -> int:
    """Return a table row's height in EMU: its tallest cell's lines plus the cell margins."""
    lines = max(
        lines_for(clean(text), (w - 2 * INSET_X) / EMU_PER_PT, size)
        for text, w in zip(cells, widths, strict=True)
    )
    return int(lines * LINE_HEIGHT * size * EMU_PER_PT + 2 * INSET_Y)


def paginate(
    columns: Sequence[Column],
    rows: Sequence[Sequence[str]],
    width: int,
    first_height: int,
    next_height: int,
    size: float,
) -> list[list[int]]:
    """Split rows into pages of a table: the row indices that fit each page, header repeated.

    Args:
        columns: the table's columns.
        rows: the cells of every row.
        width: the table's width in EMU.
        first_height: room for the table on the first slide, in EMU.
        next_height: room on each continuation slide, in EMU.
        size: the font size of the cells.
    """
    widths = [int(width * c.share) for c in columns]
    header = row_height([c.header for c in columns], widths, size)
    pages: list[list[int]] = [[]]
    room = first_height - header
    for i, row in enumerate(rows):
        need = row_height(row, widths, size)
        if need > room and pages[-1]:
            pages.append([])
            room = next_height - header
        pages[-1].append(i)
        room -= need
    return pages


def add_table(
    slide,
    box: Box,
    columns: Sequence[Column],
    rows: Sequence[Sequence[str]],
    size: float,
    fonts: Fonts,
    lang: str,
    colors: Sequence[Sequence[str | None]] | None = None,
):
    """Add a native table with a header row; ``colors`` gives a cell's text colour or None."""
    widths = [int(box.width * c.share) for c in columns]
    heights = [row_height([c.header for c in columns], widths, size)]
    heights += [row_height(r, widths, size) for r in rows]
    shape = slide.shapes.add_table(
        len(rows) + 1, len(columns), box.left, box.top, box.width, sum(heights)
    )
    table = shape.table
    for j, width in enumerate(widths):
        table.columns[j].width = Emu(width)
    for i, height in enumerate(heights):
        table.rows[i].height = Emu(height)
    cells = [[c.header for c in columns], *rows]
    for i, row in enumerate(cells):
        for j, text in enumerate(row):
            cell = table.cell(i, j)
            cell.margin_left = cell.margin_right = Emu(INSET_X)
            cell.margin_top = cell.margin_bottom = Emu(INSET_Y)
            frame = cell.text_frame
            frame.word_wrap = True
            paragraph = frame.paragraphs[0]
            paragraph.line_spacing = Pt(LINE_HEIGHT * size)
            if columns[j].numeric:
                paragraph.alignment = PP_ALIGN.RIGHT
            color = colors[i - 1][j] if colors and i > 0 else None
            for run in add_lines(paragraph, text):
                style_run(
                    run,
                    size,
                    fonts,
                    lang,
                    heading=i == 0,
                    bold=i == 0 or color is not None,
                    color=_rgb(color) if color else None,
                )
    return shape
