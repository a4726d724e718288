"""Benchmark the slide deck: seconds to build and save ``report.pptx`` per client.

Prints figures; asserts nothing. The deck is built in the renderer's process after the
notebooks, from the diagnoses it already holds, so this is what ``--format pptx`` adds to a
render beyond the notebook run. Target: under 10 s per client. Run with ``make bench`` or::

    .venv/bin/python benchmarks/bench_deck.py [--clients ID ...] [--lang zh|en]

Per client it prints the wall time and the process's CPU time (on a busy machine the CPU
time is the fairer figure), and how much of it went into drawing the element charts.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from playbook.data.clients import load_client
from playbook.diagnosis import diagnose_all
from playbook.report.pptx import DeckOptions, build_deck
from playbook.report.pptx.pictures import element_picture

DECK_SECONDS = 10.0
DEMO_CLIENTS = ["brewlane_coffee", "wayfare_travel", "slice_pizza"]


def main() -> None:
    """Build every client's deck once and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", nargs="+", default=DEMO_CLIENTS)
    parser.add_argument("--lang", choices=("zh", "en"), default="")
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    drawing = {"seconds": 0.0}

    def timed_picture(diag, ctx):  # the deck's own chart drawing, timed
        start = time.process_time()
        try:
            return element_picture(diag, ctx)
        finally:
            drawing["seconds"] += time.process_time() - start

    with tempfile.TemporaryDirectory() as tmp:
        for client in args.clients:
            data = load_client(client)
            diagnoses = diagnose_all(data)
            drawing["seconds"] = 0.0
            wall, cpu = time.perf_counter(), time.process_time()
            target = Path(tmp) / f"{client}.pptx"
            options = DeckOptions(args.lang or data.config.language, "2025-07-01")
            build_deck(data, diagnoses, options, picture=timed_picture).save(str(target))
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            verdict = "ok" if wall < DECK_SECONDS else f"over the {DECK_SECONDS:.0f} s target"
            print(
                f"{client:<18} deck {wall:5.1f} s wall, {cpu:5.1f} s cpu "
                f"(charts {drawing['seconds']:4.1f} s), {target.stat().st_size / 1e6:.1f} MB"
                f"  {verdict}"
            )


if __name__ == "__main__":
    main()
