"""Encode a figure as SVG with its text drawn as outlines, measuring each text once per process.

matplotlib measures every text of a figure several times per save (the layout engine, the
tight bounding box and the drawing each ask) and keeps those measurements only for one
renderer, i.e. one save: every chart of a page measures "0%", its axis labels and its title
again, through the font lookup and FreeType's layout of the CJK font. Measuring a string in
a font does not depend on the figure, so this backend keeps the measurements for the whole
process (a notebook kernel draws every chart of its pages with the same few fonts and words).
Drawing text as outlines likewise lays each string out in glyphs (FreeType and libraqm) and
reads each glyph's outline once per process; each file still defines the glyphs it uses.

``savefig`` draws a figure twice: once with drawing disabled, to run the layout engine before
it measures the tight bounding box, then for real. In the first pass every artist still
computed its ticks, texts and paths for nothing (about a quarter of a save); with this
backend that pass only places the axes (aspect and layout engine), as it is meant to.

The SVG is the same, byte for byte, as matplotlib's own SVG backend writes: only where the
numbers come from changes. Use it with ``fig.savefig(..., format="svg", backend=BACKEND)``.
"""

from __future__ import annotations

import codecs
from collections import OrderedDict
from contextlib import contextmanager
from functools import lru_cache, partial

import matplotlib as mpl
from matplotlib import _text_helpers, cbook
from matplotlib.backends.backend_mixed import MixedModeRenderer
from matplotlib.backends.backend_svg import FigureCanvasSVG, RendererSVG
from matplotlib.font_manager import FontProperties, fontManager, get_font
from matplotlib.textpath import TextToPath

#: The ``backend`` argument of ``savefig`` that selects this module.
BACKEND = "module://playbook.charts.svg"

#: The rcParams a font lookup depends on (what matplotlib's ``findfont`` keys its cache on).
_FONT_RC = tuple(
    f"font.{key}"
    for key in (
        "family",
        "style",
        "variant",
        "weight",
        "stretch",
        "size",
        "serif",
        "sans-serif",
        "cursive",
        "fantasy",
        "monospace",
    )
)


def _font_rc() -> tuple:
    # and the number of fonts known: a font added later may match differently
    rc = tuple(tuple(v) if isinstance(v, list) else v for v in map(mpl.rcParams.get, _FONT_RC))
    return (*rc, len(fontManager.ttflist))


#: Measures text in points for every renderer (an SVG renderer measures through TextToPath).
_TEXT_TO_PATH = TextToPath()


@lru_cache(maxsize=16384)
def _text_metrics(
    text: str, prop: FontProperties, ismath: bool | str, _rc: tuple
) -> tuple[float, float, float]:
    return _TEXT_TO_PATH.get_text_width_height_descent(text, prop, ismath)


def _prop_key(prop: FontProperties) -> tuple:
    # what a FontProperties is compared by (matplotlib hashes this tuple for __eq__)
    return (
        tuple(prop.get_family()),
        prop.get_slant(),
        prop.get_variant(),
        prop.get_weight(),
        prop.get_stretch(),
        prop.get_size_in_points(),
        prop.get_file(),
        prop.get_math_fontfamily(),
    )


def _height_metrics(prop: FontProperties) -> tuple[float, float, float] | None:
    # what Text._get_layout reads from the font's tables, at 72 dpi (an SVG's resolution)
    font = get_font(fontManager._find_fonts_by_props(prop))
    for name, gap_key, ascent_key, descent_key in (
        ("OS/2", "sTypoLineGap", "sTypoAscender", "sTypoDescender"),
        ("hhea", "lineGap", "ascent", "descent"),
    ):
        table = font.get_sfnt_table(name)
        if table is None:
            continue
        # the same operations in the same order as matplotlib, so the same floats
        scale = 1 / font.get_sfnt_table("head")["unitsPerEm"] * prop.get_size_in_points() * 72 / 72
        return table[ascent_key] * scale, -table[descent_key] * scale, table[gap_key] * scale
    return None


#: Font height metrics by (font properties, font rcParams).
_HEIGHTS: dict[tuple, tuple[float, float, float] | None] = {}


#: Font files by (font properties, font settings); glyph layouts by (font, string, options);
#: glyph outlines by glyph id (font name and glyph index: what an SVG file names them by).
_FONT_FILES: dict[tuple, list] = {}
_LAYOUTS: dict[tuple, tuple] = {}
_OUTLINES: dict[str, tuple] = {}
#: Layouts kept at most (a report's charts use a few thousand strings).
MAX_LAYOUTS = 20_000


class _CachingTextToPath(TextToPath):
    """Lay a string out in glyphs and read their outlines once per process, not once per save."""

    def __init__(self, font_rc: tuple):
        super().__init__()
        self._font_rc = font_rc

    def _get_font(self, prop):
        key = (_prop_key(prop), self._font_rc)
        if key not in _FONT_FILES:
            _FONT_FILES[key] = fontManager._find_fonts_by_props(prop)
        font = get_font(_FONT_FILES[key])
        font.set_size(self.FONT_SCALE, self.DPI)
        return font

    def get_glyphs_with_font(
        self,
        font,
        s,
        glyph_map=None,
        return_new_glyphs_only=False,
        *,
        features=None,
        language=None,
    ):
        """Return what ``TextToPath.get_glyphs_with_font`` returns, laying ``s`` out once."""
        try:
            # the entry holds the font itself: its id cannot be another font's meanwhile
            key = (id(font), s, features, language)
            entry = _LAYOUTS.get(key)
        except TypeError:  # unhashable features or language: lay out as matplotlib does
            return super().get_glyphs_with_font(
                font, s, glyph_map, return_new_glyphs_only, features=features, language=language
            )
        if entry is None or entry[0] is not font:
            if len(_LAYOUTS) >= MAX_LAYOUTS:
                _LAYOUTS.clear()
                _OUTLINES.clear()
            glyphs = []
            for item in _text_helpers.layout(s, font, features=features, language=language):
                glyph = self._get_glyph_repr(item.ft_object, item.glyph_index)
                glyphs.append((glyph, item.x, item.y))
                if glyph not in _OUTLINES:  # read while the layout has this glyph loaded
                    _OUTLINES[glyph] = item.ft_object.get_path()
            entry = _LAYOUTS[key] = (font, glyphs)
        _, glyphs = entry
        if any(glyph not in _OUTLINES for glyph, _x, _y in glyphs):  # cleared meanwhile
            return super().get_glyphs_with_font(
                font, s, glyph_map, return_new_glyphs_only, features=features, language=language
            )
        if glyph_map is None:
            glyph_map = OrderedDict()
        glyph_map_new = OrderedDict() if return_new_glyphs_only else glyph_map
        for glyph, _x, _y in glyphs:
            if glyph not in glyph_map:
                glyph_map_new[glyph] = _OUTLINES[glyph]
        placed = [(glyph, x, y, 1.0) for glyph, x, y in glyphs]
        return placed, glyph_map_new, []


def _place(figure, renderer) -> None:
    """Do what ``Figure.draw`` does before it draws anything: apply each axes' aspect, run
    the layout engine."""
    figure._get_draw_artists(renderer)  # applies the aspects (the artists are not drawn)
    engine = figure.get_layout_engine()
    if figure.axes and engine is not None:
        try:
            engine.execute(figure)
        except ValueError:  # as Figure.draw: a figure too small to lay out keeps its places
            pass
    figure.stale = False


class CachingRendererSVG(RendererSVG):
    """An SVG renderer whose text measurements are shared by every figure of the process.

    Args:
        figure: The figure it draws; given, savefig's disabled first draw only places it.
    """

    def __init__(self, *args, figure=None, **kwargs):
        super().__init__(*args, **kwargs)
        # the font settings cannot change while one figure is saved: read them once
        self._font_rc = _font_rc()
        self._text2path = _CachingTextToPath(self._font_rc)
        self._figure = figure

    @contextmanager
    def _draw_disabled(self):
        """Let savefig's first draw of the figure place it without drawing its artists.

        ``savefig`` draws once with drawing disabled (this context) to run the layout engine
        before the tight bounding box; that box and the real draw compute every position they
        need themselves, so the artists' disabled drawing was work for nothing.
        """
        with super()._draw_disabled():
            if self._figure is None:
                yield
                return
            with cbook._setattr_cm(self._figure, draw=partial(_place, self._figure)):
                yield

    def get_text_width_height_descent(self, s, prop, ismath):
        """Return a text's width, height and descent in points, measured once per process."""
        if ismath == "TeX":  # depends on the TeX installation: never cached
            return super().get_text_width_height_descent(s, prop, ismath)
        # a copy: FontProperties is mutable and hashes by its current state
        return _text_metrics(s, prop.copy(), ismath, self._font_rc)

    def _get_font_height_metrics(self, prop):
        """Return the font's ascent, descent and line gap in points (None: measure instead)."""
        key = (_prop_key(prop), self._font_rc)
        if key not in _HEIGHTS:
            _HEIGHTS[key] = _height_metrics(prop)
        return _HEIGHTS[key] or (None, None, None)


class FigureCanvas(FigureCanvasSVG):
    """matplotlib's SVG canvas drawing with :class:`CachingRendererSVG`."""

    def print_svg(self, filename, *, bbox_inches_restore=None, metadata=None, **_ignored):
        """Write the figure as SVG (as ``FigureCanvasSVG.print_svg``, with the caching renderer).

        ``savefig`` passes a third-party backend every option (dpi, colours, orientation); the
        SVG canvas of matplotlib takes only these two, and the figure's own settings.
        """
        with cbook.open_file_cm(filename, "w", encoding="utf-8") as fh:
            if not cbook.file_requires_unicode(fh):
                fh = codecs.getwriter("utf-8")(fh)
            dpi = self.figure.dpi
            self.figure.dpi = 72
            width, height = self.figure.get_size_inches()
            w, h = width * 72, height * 72
            renderer = MixedModeRenderer(
                self.figure,
                width,
                height,
                dpi,
                CachingRendererSVG(w, h, fh, image_dpi=dpi, metadata=metadata, figure=self.figure),
                bbox_inches_restore=bbox_inches_restore,
            )
            self.figure.draw(renderer)
            renderer.finalize()
