"""Measure each way of embedding a chart in a page: seconds and size per figure.

Sharp means the picture stays crisp on a high-density screen and in print: a PNG of at
least twice the shown size (``html.SHOW_DPI`` x 2) or a vector (SVG). The pages use
``html.FIGURE_ENCODING``; this prints every candidate so that choice stays measured, and the
first save of fresh figures with matplotlib's SVG backend and with ``charts.svg``'s::

    .venv/bin/python benchmarks/bench_figures.py [--client ID]
"""

from __future__ import annotations

import argparse
import time

import matplotlib.pyplot as plt

from playbook.charts import ChartContext, indicator_chart
from playbook.data.clients import load_client
from playbook.diagnosis import diagnose_all
from playbook.pages.html import ENCODINGS, FIGURE_ENCODING, SHOW_DPI, encode_figure
from playbook.theme import use_report_style


def figures(client: str) -> list:
    """Draw every indicator chart of a demo client (the bulk of a report's figures)."""
    use_report_style()
    data = load_client(client)
    figs = []
    for diagnosis in diagnose_all(data):
        ctx = ChartContext(data.config.language, data.config.currency, data.config.name)
        for element in diagnosis.elements:
            figs += [f for r in element.indicators if (f := indicator_chart(r, ctx))]
    return figs


def first_saves(client: str, rounds: int = 2) -> dict[str, float]:
    """Return each SVG encoding's CPU seconds per figure for the first save of fresh figures.

    A report saves each chart once, in a kernel that saved charts before: the figures are
    drawn anew for every round, the encodings alternate, the best round counts.
    """
    best: dict[str, float] = {}
    for _ in range(rounds):
        for name in (n for n, e in ENCODINGS.items() if e.format == "svg"):
            figs = figures(client)
            start = time.process_time()
            for fig in figs:
                encode_figure(fig, ENCODINGS[name])
            per = (time.process_time() - start) / len(figs)
            best[name] = min(best.get(name, per), per)
    return best


def bench_figures(client: str = "brewlane_coffee", rounds: int = 2) -> None:
    """Print seconds and KiB per figure for each encoding, and the one the pages use."""
    figs = figures(client)
    for fig in figs:  # draw each once: fonts and text layouts cached, as in a warm kernel
        encode_figure(fig, ENCODINGS[FIGURE_ENCODING])
    print(f"figures: {len(figs)} charts of {client}; sharp = vector or >= {2 * SHOW_DPI} dpi")
    best: dict[str, float] = {}
    sizes: dict[str, float] = {}
    for _ in range(rounds):  # alternate the encodings; keep each one's best round
        for name, encoding in ENCODINGS.items():
            start, size = time.perf_counter(), 0
            for fig in figs:
                size += len(encode_figure(fig, encoding)[1])
            per = (time.perf_counter() - start) / len(figs)
            best[name] = min(best.get(name, per), per)
            sizes[name] = size / len(figs) / 1024
    rows = [(best[n], n, sizes[n], ENCODINGS[n].sharp) for n in ENCODINGS]
    fastest = min(r for r in rows if r[3])
    for per, name, kib, sharp in sorted(rows):
        used = " <- the pages use this" if name == FIGURE_ENCODING else ""
        mark = "sharp" if sharp else "blurry on 2x screens"
        print(f"  {name:<22} {per * 1000:6.0f} ms/figure {kib:7.1f} KiB  {mark}{used}")
    print(f"  fastest sharp encoding: {fastest[1]}")
    print("first save of fresh figures (as in a report), CPU:")
    for name, per in sorted(first_saves(client).items(), key=lambda item: item[1]):
        used = " <- the pages use this" if name == FIGURE_ENCODING else ""
        print(f"  {name:<22} {per * 1000:6.0f} ms/figure{used}")
    plt.close("all")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--client", default="brewlane_coffee")
    bench_figures(parser.parse_args().client)
