"""Benchmark the renderer against bare papermill, and the data layer at scale.

Prints figures; asserts nothing (timings on shared machines are noisy, so they live here,
not in the tests). Run with ``make bench`` or::

    .venv/bin/python benchmarks/bench_render.py [--clients ID ...] [--orders N] [--skip-scale]

Targets (printed next to each figure):
- ``playbook render`` of a client costs at most 1.25x bare papermill executing the same
  notebooks with the same parameters (the extra is validation, HTML export and publishing);
- with ``--workers 2`` on this 2-core machine, the whole run takes at most 0.75x the
  sequential render;
- validating and loading a client with 1,000,000 orders takes under 20 s, and diagnosing it
  against every framework under 30 s.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import papermill as pm

from playbook.config import DEFAULT_CLIENTS_DIR, NOTEBOOKS_DIR
from playbook.data.clients import clear_cache, load_client
from playbook.diagnosis import diagnose_all
from playbook.report.execute import OwnInterpreterKernelManager
from playbook.report.render import RenderOptions, discover_notebooks, render_clients

RENDER_OVER_PAPERMILL = 1.25
TWO_WORKERS_OVER_ONE = 0.75
LOAD_1M_SECONDS = 20.0
DIAGNOSE_1M_SECONDS = 30.0


def _timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def bare_papermill(clients: list[str], out: Path) -> float:
    """Execute every notebook for every client with papermill alone; return seconds."""
    notebooks = discover_notebooks(NOTEBOOKS_DIR)

    def run() -> None:
        for client in clients:
            for nb in notebooks:
                pm.execute_notebook(
                    str(nb),
                    str(out / f"{client}_{nb.name}"),
                    parameters={"client_id": client, "clients_dir": str(DEFAULT_CLIENTS_DIR)},
                    kernel_name="python3",
                    progress_bar=False,
                    log_output=False,
                    kernel_manager_class=OwnInterpreterKernelManager,
                    resources={"metadata": {"path": str(NOTEBOOKS_DIR)}},
                )

    return _timed(run)


def playbook_render(clients: list[str], out: Path, workers: int) -> float:
    """Render the clients with the playbook renderer; return seconds."""
    options = RenderOptions(clients=tuple(clients), out_dir=out, workers=workers)

    def run() -> None:
        results = render_clients(options, progress=None)
        failed = [r.client_id for r in results if not r.ok]
        if failed:
            raise SystemExit(f"render failed for {failed}; fix that before benchmarking")

    return _timed(run)


def scale(orders: int, tmp: Path) -> tuple[float, float]:
    """Generate a large client, then time loading (validation) and diagnosing it."""
    subprocess.run(
        [
            sys.executable,
            "-m",
            "playbook.demo",
            "--client",
            "slice_pizza",
            "--orders",
            str(orders),
            "--format",
            "parquet",
            "--out",
            str(tmp),
        ],
        check=True,
    )
    clear_cache()
    data = None

    def load() -> None:
        nonlocal data
        data = load_client("slice_pizza", tmp)

    load_s = _timed(load)
    diagnose_s = _timed(lambda: diagnose_all(data))
    return load_s, diagnose_s


def _verdict(ok: bool) -> str:
    return "meets target" if ok else "MISSES target"


def main() -> None:
    """Run the benchmarks and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--clients", nargs="+", default=["brewlane_coffee", "wayfare_travel", "slice_pizza"]
    )
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--skip-scale", action="store_true")
    args = parser.parse_args()
    n_notebooks = len(discover_notebooks(NOTEBOOKS_DIR))
    print(f"clients: {', '.join(args.clients)}; notebooks: {n_notebooks}")
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        for sub in ("bare", "one", "two", "big"):
            (tmp / sub).mkdir()
        bare = bare_papermill(args.clients, tmp / "bare")
        one = playbook_render(args.clients, tmp / "one", workers=1)
        two = playbook_render(args.clients, tmp / "two", workers=2)
        print(f"bare papermill            {bare:7.1f} s")
        render_ok = _verdict(one / bare <= RENDER_OVER_PAPERMILL)
        workers_ok = _verdict(two / one <= TWO_WORKERS_OVER_ONE)
        print(
            f"playbook render, 1 worker {one:7.1f} s  ratio {one / bare:.2f}x bare "
            f"(target <= {RENDER_OVER_PAPERMILL}x: {render_ok})"
        )
        print(
            f"playbook render, 2 workers{two:7.1f} s  ratio {two / one:.2f}x 1 worker "
            f"(target <= {TWO_WORKERS_OVER_ONE}x: {workers_ok})"
        )
        if not args.skip_scale:
            load_s, diag_s = scale(args.orders, tmp / "big")
            print(
                f"load + validate {args.orders:,} orders {load_s:7.1f} s "
                f"(target < {LOAD_1M_SECONDS:.0f} s per 1M: "
                f"{_verdict(load_s * 1_000_000 / args.orders < LOAD_1M_SECONDS)})"
            )
            print(
                f"diagnose all frameworks       {diag_s:7.1f} s "
                f"(target < {DIAGNOSE_1M_SECONDS:.0f} s per 1M: "
                f"{_verdict(diag_s * 1_000_000 / args.orders < DIAGNOSE_1M_SECONDS)})"
            )


if __name__ == "__main__":
    main()
