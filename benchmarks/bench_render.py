"""Benchmark the render engine: printed figures and ratios, no assertions.

Timings on a shared machine are noisy, so they live here, not in the tests. Run with
``make bench`` or::

    .venv/bin/python benchmarks/bench_render.py [--client ID] [--clients ID ...] [--skip ITEM ...]

Items (the issue's benchmark list, 1-4; each printed as a ratio next to its target):

1. one client, cold: ``playbook render`` vs the papermill CLI + ``jupyter nbconvert
   --no-input`` per notebook (what a user scripts by hand) - target >= 8x;
2. the same vs bare ``papermill.execute_notebook``, serial, same notebooks - target >= 3x;
3. re-render after editing one element's commentary vs the cold render - target >= 10x
   (the machine as the cold render left it: its report and its tables cache): its view
   (written into the reused page: nothing runs and the client is not prepared; the median
   of three edits, each rendered), then, for comparison, an action added to it (its page
   and the summary, whose plan lists it, run again);
4. three demo clients, ``--workers 2`` vs ``--workers 1`` - target >= 1.8x (the median of
   ``--pairs`` pairs, five by default, each pair's two renders one after the other: on this
   shared machine one pair's ratio moves by 0.2x from one minute to the next).

Also: warm kernels reused with a reset vs a fresh kernel per notebook (``kernels``), the
cost of each figure encoding (``figures``, with the one the pages use), and loading and
diagnosing a generated client of ``--orders`` orders (``scale``).
"""

from __future__ import annotations

import argparse
import compileall
import importlib.util
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import papermill as pm
import yaml

from playbook.config import DEFAULT_CLIENTS_DIR, NOTEBOOKS_DIR
from playbook.data.clients import clear_cache, load_client
from playbook.diagnosis import diagnose_all
from playbook.report.kernels import own_interpreter_manager
from playbook.report.render import RenderOptions, discover_notebooks, render_clients
from playbook.report.tables_cache import CACHE_ENV

sys.path.insert(0, str(Path(__file__).parent))
from bench_figures import bench_figures  # noqa: E402

BIN = Path(sys.executable).parent
TARGETS = {"chain": 8.0, "papermill": 3.0, "rerender": 10.0, "workers": 1.8}
ELEMENT = ("exceed_expectations", "fulfil_promise")


def timed(fn) -> float:
    """Return the seconds ``fn()`` took."""
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def run(*cmd: object, env: dict[str, str] | None = None) -> None:
    """Run a command; stop the benchmark if it fails."""
    done = subprocess.run(
        [str(c) for c in cmd], capture_output=True, text=True, env={**os.environ, **(env or {})}
    )
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(map(str, cmd))} failed:\n{done.stderr[-2000:]}")


def verdict(ratio: float, target: float) -> str:
    return f"{ratio:5.2f}x  (target >= {target}x: {'meets' if ratio >= target else 'MISSES'})"


def playbook(clients_dir: Path, out: Path, *args: str, cache: Path) -> float:
    """Time ``playbook render`` as a user runs it (a new process), with its tables cache in
    ``cache`` (a new folder: a cold render, which fills it)."""
    return playbook_cpu(clients_dir, out, *args, cache=cache)[0]


def playbook_cpu(clients_dir: Path, out: Path, *args: str, cache: Path) -> tuple[float, float]:
    """Time ``playbook render`` (as ``playbook``); return its wall time and the CPU time of
    all its processes (the renderer and the kernels it started and waited for)."""
    cmd = (BIN / "playbook", "render", *args, "--clients-dir", clients_dir, "--out", out)
    before = children_cpu()
    wall = timed(lambda: run(*cmd, env={CACHE_ENV: str(cache)}))
    return wall, children_cpu() - before


def children_cpu() -> float:
    """CPU seconds (user + system) of this process's finished children and their own."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


#: A workload like a kernel's (a chart drawn to SVG, again and again), for ``machine_scaling``.
CHART_LOOP = """
import sys, time
import matplotlib
matplotlib.use("agg")
import matplotlib.pyplot as plt
fig, ax = plt.subplots(figsize=(6, 3), layout="constrained")
ax.bar([f"label {i}" for i in range(8)], range(8))
ax.set_title("a chart")
import io
fig.savefig(io.BytesIO(), format="svg")
start = time.process_time()
wall = time.perf_counter()
while time.process_time() - start < float(sys.argv[1]):
    fig.savefig(io.BytesIO(), format="svg")
print(time.perf_counter() - wall)
"""


def machine_scaling(seconds: float = 4.0) -> float:
    """Measure how much work this machine does with two busy processes instead of one.

    The same CPU-bound loop (``CHART_LOOP``: the work that dominates a kernel) runs for
    ``seconds`` of CPU alone, then twice at once; returns the two-at-once throughput over
    the alone one: 2.0 on two whole cores, less when the two virtual CPUs share a physical
    core or the host is busy. Two workers can do at most that much more work per second
    than one (the wall-time ratio of item 4 goes beyond it only when the machine changes
    between the two renders).
    """

    def start() -> subprocess.Popen:
        cmd = (sys.executable, "-c", CHART_LOOP, str(seconds))
        return subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)

    def wall(*procs: subprocess.Popen) -> list[float]:
        return [float(p.communicate()[0]) for p in procs]

    (alone,) = wall(start())
    both = wall(start(), start())
    return 2 * alone / max(both)


def cli_chain(client: str, clients_dir: Path, out: Path) -> float:
    """Time the papermill CLI + nbconvert CLI per notebook, serial."""

    def chain() -> None:
        for nb in discover_notebooks(NOTEBOOKS_DIR):
            executed = out / nb.name
            parameters = ["-p", "client_id", client, "-p", "clients_dir", clients_dir]
            run(BIN / "papermill", nb, executed, *parameters, "--cwd", NOTEBOOKS_DIR,
                "--no-progress-bar")  # fmt: skip
            run(BIN / "jupyter", "nbconvert", "--to", "html", "--no-input", executed)

    return timed(chain)


def bare_papermill(client: str, clients_dir: Path, out: Path) -> float:
    """Time ``papermill.execute_notebook`` in this process, serial (a kernel per notebook)."""

    def execute() -> None:
        for nb in discover_notebooks(NOTEBOOKS_DIR):
            pm.execute_notebook(
                str(nb),
                str(out / nb.name),
                parameters={"client_id": client, "clients_dir": str(clients_dir)},
                kernel_name="python3",
                progress_bar=False,
                kernel_manager_class=own_interpreter_manager(),
                resources={"metadata": {"path": str(NOTEBOOKS_DIR)}},
            )

    return timed(execute)


def compile_package() -> None:
    """Write the package's bytecode first, as an installed package has it.

    pip compiles what it installs, and an editable install writes it at the first import,
    unless ``PYTHONDONTWRITEBYTECODE`` is set (as on some CI and sandbox machines): then
    every process of every command timed here (renderer, kernels, papermill's) would compile
    the package from source again (~0.2 s each).
    """
    package = importlib.util.find_spec("playbook").submodule_search_locations[0]
    compileall.compile_dir(package, quiet=1)


def write_view(clients_dir: Path, client: str, view: str, action: str = "") -> None:
    """Write the strategist's view of one element (and an action added to it) into the
    client's commentary.yaml."""
    framework, element = ELEMENT
    commentary: dict = {"view": view}
    if action:
        commentary["actions"] = [{"text": action, "due_days": 30}]
    doc = {"frameworks": {framework: {"elements": {element: commentary}}}}
    (clients_dir / client / "commentary.yaml").write_text(
        yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8"
    )


def scale(orders: int, tmp: Path) -> tuple[float, float]:
    """Generate a large client, then time loading (validation) and diagnosing it."""
    run(sys.executable, "-m", "playbook.demo", "--client", "slice_pizza", "--orders", orders,
        "--format", "parquet", "--out", tmp)  # fmt: skip
    clear_cache()
    data = []
    load_s = timed(lambda: data.append(load_client("slice_pizza", tmp)))
    return load_s, timed(lambda: diagnose_all(data[0]))


def kernel_modes(client: str, clients_dir: Path, tmp: Path) -> dict[str, float]:
    """Time a forced render with reused kernels and with a fresh kernel per notebook."""
    times = {}
    for name, reuse in (("reused, reset", True), ("fresh per notebook", False)):
        options = RenderOptions(
            (client,), clients_dir=clients_dir, out_dir=tmp / name.split()[0], workers=2,
            reuse_kernels=reuse, force=True,
        )  # fmt: skip
        times[name] = timed(lambda o=options: render_clients(o, progress=None))
    return times


def main() -> None:
    """Run the benchmarks and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--client", default="brewlane_coffee")
    parser.add_argument(
        "--clients", nargs="+", default=["brewlane_coffee", "wayfare_travel", "slice_pizza"]
    )
    items = ("chain", "papermill", "rerender", "workers", "kernels", "figures", "scale")
    parser.add_argument("--skip", nargs="*", default=[], choices=items)
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--pairs", type=int, default=5, help="item 4: pairs of renders (odd)")
    args = parser.parse_args()
    # renders in this process (kernel modes) validate every time, as cold ones; each
    # `playbook render` run is given its own tables cache
    os.environ[CACHE_ENV] = ""
    compile_package()
    n = len(discover_notebooks(NOTEBOOKS_DIR))
    print(f"client {args.client}, {n} notebooks; batch: {', '.join(args.clients)}")
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        clients = tmp / "clients"
        for cid in {args.client, *args.clients}:
            shutil.copytree(DEFAULT_CLIENTS_DIR / cid, clients / cid)
        write_view(clients, args.client, "Late deliveries cluster on rainy evenings.")
        cold = playbook(clients, tmp / "cold", args.client, "--workers", "2", cache=tmp / "c1")
        cold_1 = playbook(clients, tmp / "cold1", args.client, "--workers", "1", cache=tmp / "c2")
        print(f"playbook render, cold, --workers 2         {cold:7.1f} s")
        print(f"playbook render, cold, --workers 1         {cold_1:7.1f} s")
        if "chain" not in args.skip:
            (tmp / "chain").mkdir()
            chain = cli_chain(args.client, clients, tmp / "chain")
            print(f"1. papermill CLI + nbconvert CLI           {chain:7.1f} s   "
                  f"render (2 workers) is {verdict(chain / cold, TARGETS['chain'])}; "
                  f"1 worker: {chain / cold_1:.1f}x")  # fmt: skip
        if "papermill" not in args.skip:
            (tmp / "bare").mkdir()
            bare = bare_papermill(args.client, clients, tmp / "bare")
            print(f"2. papermill.execute_notebook, serial      {bare:7.1f} s   "
                  f"render (2 workers) is {verdict(bare / cold, TARGETS['papermill'])}; "
                  f"1 worker: {bare / cold_1:.1f}x")  # fmt: skip
        if "rerender" not in args.skip:
            # the strategist's machine after the cold render: its report and tables cache;
            # three edits of the view, each rendered (the median: one run is noisy)
            agains = []
            for n, view in enumerate(("fixed by the rain plan.", "fixed.", "fixed again."), 1):
                write_view(clients, args.client, f"Late deliveries: {view} ({n})")
                agains.append(
                    playbook(clients, tmp / "cold", args.client, "--workers", "2", cache=tmp / "c1")
                )
            again = sorted(agains)[1]
            print(
                f"3. re-render after one element's view      {again:7.1f} s   "
                f"{verdict(cold / again, TARGETS['rerender'])} faster than cold "
                f"(median of {', '.join(f'{a:.2f}' for a in agains)} s)"
            )
            write_view(clients, args.client, "Late deliveries: fixed.", "Rain plan for riders")
            acted = playbook(clients, tmp / "cold", args.client, "--workers", "2", cache=tmp / "c1")
            print(
                f"   after an action added to it            {acted:7.1f} s   "
                f"{cold / acted:5.1f}x faster than cold (its page and the summary run)"
            )
        if "workers" not in args.skip:
            # pairs of one worker then two, each cold (new report and tables cache): this
            # machine's speed drifts within minutes, so a pair's runs are next to each other
            # and the median pair is given
            pairs = []
            for n in range(max(1, args.pairs)):
                machine = machine_scaling()
                one, cpu_one = playbook_cpu(clients, tmp / f"w1{n}", *args.clients,
                                            "--workers", "1", cache=tmp / f"c3{n}")  # fmt: skip
                two, cpu_two = playbook_cpu(clients, tmp / f"w2{n}", *args.clients,
                                            "--workers", "2", cache=tmp / f"c4{n}")  # fmt: skip
                pairs.append((one / two, one, two, cpu_one, cpu_two, machine))
            ratio, one, two, *_ = sorted(pairs)[len(pairs) // 2]
            print(f"4. {len(args.clients)} clients, --workers 1              {one:7.1f} s")
            print(f"   {len(args.clients)} clients, --workers 2              {two:7.1f} s   "
                  f"{verdict(ratio, TARGETS['workers'])}")  # fmt: skip
            print(f"   the median of {len(pairs)} pairs; each pair, with the CPU of all its")
            print("   processes and the machine's own two-process scaling just before (2.0x:")
            print("   two whole cores; see machine_scaling):")
            for r, a, b, ca, cb, m in pairs:
                print(f"     {a:5.1f} / {b:5.1f} s = {r:.2f}x; CPU {ca:5.1f} / {cb:5.1f} s "
                      f"(--workers 2 keeps {cb / b:.2f} cores busy); machine {m:.2f}x")  # fmt: skip
        if "kernels" not in args.skip:
            modes = kernel_modes(args.client, clients, tmp / "kernels")
            for mode, seconds in modes.items():
                print(f"kernels {mode:<22}           {seconds:7.1f} s")
            fastest = min(modes, key=modes.get)
            print(f"   the renderer uses: reused, reset (fastest here: {fastest})")
        if "figures" not in args.skip:
            bench_figures(args.client)
        if "scale" not in args.skip:
            load_s, diagnose_s = scale(args.orders, tmp / "big")
            print(f"load + validate {args.orders:,} orders       {load_s:7.1f} s")
            print(f"diagnose every framework               {diagnose_s:7.1f} s")


if __name__ == "__main__":
    main()
