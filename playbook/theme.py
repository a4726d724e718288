"""Set the report look of every chart: a CJK font shipped through pip and one house style.

The font is Noto Sans CJK SC from the ``mplfonts`` package, so Chinese renders without
missing glyphs on any machine, without relying on the operating system's fonts.
"""

from __future__ import annotations

import importlib.util
from functools import cache
from pathlib import Path

#: The family name Noto Sans CJK SC registers under.
CJK_FAMILY = "Noto Sans CJK SC"
CJK_FONT_FILE = "NotoSansCJKsc-Regular.otf"

#: The house palette: first colour for the client, the rest for comparisons.
PALETTE = ("#1f4e79", "#e07b39", "#5b9b5b", "#8e6bb3", "#c44e52", "#7f7f7f", "#d9a441", "#4c9fb8")
#: Band colours (gap, developing, strong), shared by badges and charts.
BAND_COLORS = {"gap": "#c0392b", "developing": "#d68910", "strong": "#1e8449"}
#: Neutral colours for secondary marks (grid, context bars, annotations).
MUTED = "#9aa5b1"
HIGHLIGHT = "#c0392b"
TEXT = "#2b2b2b"

REPORT_RC = {
    # labels come from client data ("$$ spenders", "Under $5 / over $5"): never math text
    "text.parse_math": False,
    "font.family": "sans-serif",
    "font.sans-serif": [CJK_FAMILY, "DejaVu Sans"],
    "axes.unicode_minus": False,
    "figure.dpi": 120,
    "savefig.dpi": 120,
    "savefig.bbox": "tight",
    "figure.facecolor": "white",
    "axes.facecolor": "white",
    "axes.edgecolor": "#c8ced6",
    "axes.linewidth": 0.8,
    "axes.grid": True,
    "axes.axisbelow": True,
    "grid.color": "#e6e9ed",
    "grid.linewidth": 0.8,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 12.5,
    # the shipped CJK font has one weight; asking for bold only logs a fallback warning
    "axes.titleweight": "normal",
    "figure.titleweight": "normal",
    "axes.titlelocation": "left",
    "axes.titlepad": 10,
    "axes.labelsize": 10,
    "axes.labelcolor": TEXT,
    "text.color": TEXT,
    "xtick.color": "#555555",
    "ytick.color": "#555555",
    "xtick.labelsize": 9,
    "ytick.labelsize": 9,
    "legend.frameon": False,
    "legend.fontsize": 9,
}


def cjk_font_path() -> Path:
    """Return the path of the Noto Sans CJK SC font file shipped by ``mplfonts``.

    Raises:
        FileNotFoundError: when mplfonts is not installed or lacks the font.
    """
    spec = importlib.util.find_spec("mplfonts")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("the mplfonts package is not installed (pip install mplfonts)")
    path = Path(next(iter(spec.submodule_search_locations))) / "fonts" / CJK_FONT_FILE
    if not path.is_file():
        raise FileNotFoundError(f"{path}: Noto Sans CJK SC font missing from mplfonts")
    return path


@cache
def _register_font() -> Path:
    """Add the CJK font to matplotlib's font manager once per process."""
    # matplotlib is imported by the first chart: the renderer only needs this module's
    # colours and font path (for the PDF)
    from matplotlib import font_manager

    path = cjk_font_path()
    font_manager.fontManager.addfont(str(path))
    return path


def use_report_style() -> Path:
    """Register the CJK font and apply the report style to matplotlib's rcParams.

    Safe to call repeatedly: the font is registered once; the style is re-applied cheaply.

    Returns:
        The path of the registered font file.
    """
    import matplotlib as mpl

    path = _register_font()
    mpl.rcParams.update(REPORT_RC)
    mpl.rcParams["axes.prop_cycle"] = mpl.cycler(color=list(PALETTE))
    return path
