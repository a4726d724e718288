"""Build report HTML: the value a page section returns, and the blocks every page is made of.

A page section returns :class:`Html`: ``str(section)`` is its markup (what a test reads), and
a notebook cell ending with the section shows it (``_repr_html_``), so the exported page
carries it without code. The blocks below return markup strings: the one escaper (``esc``),
the wording from ``common.yaml`` (``label``, ``template``), figures embedded as PNG, tables,
callouts, band badges and scores, and ``page_html``, which wraps a fragment in the report's
stylesheet and language. Every client string and every content string goes through ``esc``.
"""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

from playbook.config import html_lang
from playbook.content import common as load_common
from playbook.content import label
from playbook.theme import BAND_COLORS

if TYPE_CHECKING:  # matplotlib is imported by what draws (the renderer escapes only)
    from matplotlib.figure import Figure

#: ``charts.svg.BACKEND``, named here without importing it (it loads matplotlib's SVG
#: backend; the renderer imports this module for ``esc`` only). A test keeps them equal.
SVG_BACKEND = "module://playbook.charts.svg"

#: Pixels per inch a chart is shown at (the PNG is drawn at twice that for sharp text).
SHOW_DPI = 96


@dataclass(frozen=True)
class Encoding:
    """How a chart is embedded: PNG at ``scale`` times the shown size, or SVG (vector).

    ``compress_level`` is zlib's 0-9 (lossless: it trades bytes for seconds, never pixels).
    ``svg_backend``: matplotlib's SVG backend (``None``) or ``charts.svg``'s, which writes the
    same bytes but measures each text once per process instead of once per save.
    ``sharp``: crisp on a high-density screen and in print (a vector, or at least 2x).
    """

    format: str
    scale: float = 2.0
    compress_level: int = 6
    svg_backend: str | None = SVG_BACKEND

    @property
    def sharp(self) -> bool:
        """Tell whether the picture stays crisp at twice the shown size."""
        return self.format == "svg" or self.scale >= 2


#: The encodings measured by ``benchmarks/bench_figures.py``, by name.
ENCODINGS = {
    "png-2x": Encoding("png"),
    "png-2x-fast": Encoding("png", compress_level=1),
    "png-2x-store": Encoding("png", compress_level=0),
    "png-1.5x-fast": Encoding("png", scale=1.5, compress_level=1),
    "svg": Encoding("svg"),
    "svg-matplotlib": Encoding("svg", svg_backend=None),
}
#: The encoding the pages use: the fastest sharp one measured (``bench_figures.py``: SVG
#: took about two thirds of the time of a 2x PNG per chart, at a similar size; measuring
#: text once per process took another third off, for the same bytes).
FIGURE_ENCODING = "svg"


@dataclass(frozen=True)
class Html:
    """A finished piece of a report page: shown as HTML in a notebook, its markup as ``str``."""

    markup: str

    def __str__(self) -> str:
        return self.markup

    def _repr_html_(self) -> str:
        return self.markup

    def __repr__(self) -> str:
        # the notebook stores this as the output's text/plain: keep it short (no base64 charts)
        return f"<Html: {len(self.markup):,} characters>"


def esc(text: object) -> str:
    """Escape any value for HTML (client data and content alike)."""
    return html.escape(str(text))


def template(key: str, lang: str, **values: object) -> str:
    """Return a sentence template from common.yaml in ``lang``, filled with ``values``."""
    return load_common().templates[key](lang).format(**values)


def sep(lang: str) -> str:
    """Return the separator between a label and its value ("：" in Chinese, ": " in English)."""
    return "：" if lang == "zh" else ": "


@cache
def _css() -> str:
    return resources.files("playbook").joinpath("pages/static/report.css").read_text("utf-8")


def page_html(body: str, lang: str) -> Html:
    """Wrap a fragment in the report's style and language."""
    code = html_lang(lang)
    return Html(f'<style>{_css()}</style>\n<div class="pb" lang="{code}">\n{body}\n</div>')


def section_html(title: str, parts: list[str], lang: str) -> Html:
    """Wrap an analysis block: a heading and its parts (already HTML), in the report style."""
    return page_html(f"<h3>{esc(title)}</h3>\n" + "\n".join(p for p in parts if p), lang)


def encode_figure(fig: Figure, encoding: Encoding) -> tuple[str, bytes]:
    """Draw a figure in an encoding; return its media type and bytes."""
    buf = io.BytesIO()
    if encoding.format == "svg":
        # text drawn as outlines (no font needed where it is shown), ids and no date: the
        # same figure gives the same bytes
        from matplotlib import rc_context

        with rc_context({"svg.fonttype": "path", "svg.hashsalt": "playbook"}):
            fig.savefig(buf, format="svg", metadata={"Date": None}, backend=encoding.svg_backend)
        return "image/svg+xml", buf.getvalue()
    fig.savefig(
        buf,
        format="png",
        dpi=SHOW_DPI * encoding.scale,
        pil_kwargs={"compress_level": encoding.compress_level},
    )
    return "image/png", buf.getvalue()


def figure_html(fig: Figure | None) -> str:
    """Embed a figure as an ``<img>`` in ``FIGURE_ENCODING`` (empty string for None)."""
    if fig is None:
        return ""
    media, raw = encode_figure(fig, ENCODINGS[FIGURE_ENCODING])
    data = base64.b64encode(raw).decode("ascii")
    width = round(fig.get_figwidth() * SHOW_DPI)
    title = next((t for ax in fig.axes if (t := ax.get_title(loc="left"))), "")
    return (
        f'<img src="data:{media};base64,{data}" alt="{esc(title)}" '
        f'style="width:{width}px;max-width:100%">'
    )


def charts_html(*figures: Figure | None) -> str:
    """Return the figures side by side (nothing for None)."""
    images = "".join(figure_html(f) for f in figures if f is not None)
    return f'<div class="pb-charts">{images}</div>' if images else ""


def callout_html(title: str, text: str) -> str:
    """Return a highlighted note (e.g. "not estimable" and why); both strings are escaped."""
    return f'<div class="pb-callout"><strong>{esc(title)}</strong><br>{esc(text)}</div>'


def inputs_text(inputs: Iterable[str], lang: str) -> str:
    """Say in business words what data inputs are (never our table or column names).

    ``inputs`` are the contract's names (``orders.promised_minutes``, ``client.yaml: key``);
    their wording is ``inputs`` in common.yaml. Empty: "—".
    """
    phrases = load_common().describe_inputs(inputs, lang)
    return ("、" if lang == "zh" else ", ").join(phrases) or "—"


def needs_data_html(inputs: list[str] | tuple[str, ...], lang: str) -> str:
    """Say what data an analysis needs, in business words, in place of the analysis."""
    text = label("analysis_needs_data", lang).format(inputs=inputs_text(inputs, lang))
    return f'<div class="pb-callout">{esc(text)}</div>'


def band_name(band: str | None, lang: str) -> str:
    """Return a band's name in ``lang``, or "not assessed" without a band."""
    return load_common().bands[band](lang) if band is not None else label("not_assessed", lang)


def badge_html(band: str | None, lang: str) -> str:
    """Return the band as a coloured badge (grey "not assessed" without a band)."""
    if band is None:
        return (
            f'<span class="pb-badge" style="background:#9aa5b1">{esc(band_name(None, lang))}</span>'
        )
    return (
        f'<span class="pb-badge pb-{band}" style="background:{BAND_COLORS[band]}">'
        f"{esc(band_name(band, lang))}</span>"
    )


def score_html(score: float | None, band: str | None, lang: str, named: bool = True) -> str:
    """Return "Score 72/100 [badge]" ("72/100 [badge]" unnamed; the grey badge without score)."""
    if score is None:
        return badge_html(None, lang)
    name = f"{esc(label('score', lang))} " if named else ""
    return f"{name}<strong>{score:.0f}</strong>/100 {badge_html(band, lang)}"


def table_html(headers: list[tuple[str, bool]], rows: list[list[str]]) -> str:
    """Return an HTML table in its own scrolling box; cells are already escaped.

    Numeric columns align right, text columns left; a table wider than a phone's screen
    scrolls inside its box (``pb-table``), never the whole page.
    """
    head = "".join(f'<th class="pb-num">{h}</th>' if num else f"<th>{h}</th>" for h, num in headers)
    body = "".join(
        "<tr>"
        + "".join(
            f'<td class="pb-num">{c}</td>' if num else f"<td>{c}</td>"
            for c, (_, num) in zip(row, headers, strict=True)
        )
        + "</tr>"
        for row in rows
    )
    return (
        f'<div class="pb-table"><table><thead><tr>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table></div>"
    )


def list_html(items: list[str]) -> str:
    """Return a bulleted list; the items are escaped."""
    return "<ul>" + "".join(f"<li>{esc(i)}</li>" for i in items) + "</ul>"
