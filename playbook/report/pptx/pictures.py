"""Draw an element's main chart as a picture: the same figure as the site, as a PNG.

The main chart is the first chart the element's indicators draw (``charts.indicator_chart``,
the figures of the element's section on the site, in the same order). It goes on the slide
as a picture at 150 dpi, scaled into its box with its proportions kept. Drawing its forty-odd
charts is most of a deck's time, so each is drawn once onto an Agg canvas and written as a
PNG: ``savefig`` would lay the figure out twice and add a "tight" bounding-box pass, which
the figure's own constrained layout makes unnecessary.
"""

from __future__ import annotations

import io
import struct
import threading
from collections.abc import Callable
from dataclasses import dataclass

from matplotlib.backends.backend_agg import FigureCanvasAgg

from playbook.charts import ChartContext, indicator_chart
from playbook.diagnosis import ElementDiagnosis
from playbook.report.pptx.template import Box

#: Resolution of a chart picture (sharp when projected at the size of half a slide).
DPI = 150
_DRAWING = threading.Lock()


@dataclass(frozen=True)
class Picture:
    """A PNG and its size in pixels."""

    png: bytes
    width: int
    height: int


#: Draws an element's main chart (None: the element has nothing to draw).
PictureFn = Callable[[ElementDiagnosis, ChartContext], "Picture | None"]


def png_size(png: bytes) -> tuple[int, int]:
    """Return a PNG's width and height in pixels (from its header)."""
    if png[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG image")
    return struct.unpack(">II", png[16:24])


def element_picture(diag: ElementDiagnosis, ctx: ChartContext) -> Picture | None:
    """Draw an element's main chart, or return None when none of its indicators draws one.

    Decks of several clients may be built in parallel threads (``--workers``); matplotlib is
    not thread-safe, so one chart is drawn at a time (the drawing holds the GIL anyway).
    """
    with _DRAWING:
        return _draw(diag, ctx)


def _draw(diag: ElementDiagnosis, ctx: ChartContext) -> Picture | None:
    for result in diag.indicators:
        fig = indicator_chart(result, ctx)
        if fig is None:
            continue
        buf = io.BytesIO()
        fig.set_dpi(DPI)
        FigureCanvasAgg(fig).print_png(buf)
        png = buf.getvalue()
        return Picture(png, *png_size(png))
    return None


def place(picture: Picture, box: Box) -> Box:
    """Return the largest box of the picture's proportions inside ``box``, centred at the top."""
    scale = min(box.width / picture.width, box.height / picture.height)
    width, height = int(picture.width * scale), int(picture.height * scale)
    return Box(box.left + (box.width - width) // 2, box.top, width, height)
