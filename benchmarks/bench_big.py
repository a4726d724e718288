"""Benchmark item 5: a client of 10 million orders, rendered and diagnosed (figures only).

Prints the wall time and the peak memory of ``playbook render`` of the big client summed over
the renderer and every kernel it starts (sampled from ``/proc`` every half second), and the
time and peak memory of loading it and of ``diagnose_all`` in a process of their own. Run::

    .venv/bin/python benchmarks/bench_big.py [--clients-dir DIR] [--orders N] [--skip ITEM ...]

Without ``--clients-dir`` the client is generated first (``python -m playbook.demo --client
slice_pizza --orders N --format parquet``, a few minutes at 10 million). Memory is given two
ways: the sum of resident sizes (RSS; pages shared between processes, such as the
memory-mapped prepared tables, counted once per process: an upper bound) and the sum of
proportional sizes (PSS; a shared page split between the processes sharing it: what the
processes take together). Targets: render under 5 minutes and 4 GB, ``diagnose_all`` under
30 s.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent
HERE = Path(__file__).resolve().parent
CLIENT = "slice_pizza"
GB = 1024**3
TARGETS = {"render_s": 300.0, "render_gb": 4.0, "diagnose_s": 30.0}

#: Load and diagnose in a fresh process; print seconds, CPU seconds (that process, and the
#: processes it started: a big client's prior period is measured in a child) and peaks (GB):
#: the proportional size of that process and its children summed (sampled from ``/proc``
#: every quarter second during ``diagnose_all``), and that process's resident size.
DIAGNOSE = """
import os, resource, sys, threading, time
from playbook.data.clients import load_client
from playbook.diagnosis import diagnose_all
sys.path.insert(0, sys.argv[3])
from bench_big import _memory

def pss(pid):
    return _memory(pid)[1]

def sample(peak, stop):
    me = os.getpid()
    while not stop.wait(0.25):
        try:
            with open(f"/proc/{me}/task/{me}/children") as fh:
                kids = [int(k) for k in fh.read().split()]
        except OSError:
            kids = []
        peak[0] = max(peak[0], pss(me) + sum(pss(k) for k in kids))

start = time.perf_counter()
data = load_client(sys.argv[1], sys.argv[2])
peak, stop = [0], threading.Event()
watch = threading.Thread(target=sample, args=(peak, stop), daemon=True)
watch.start()
loaded, before = time.perf_counter(), os.times()
diagnose_all(data)
done, after = time.perf_counter(), os.times()
stop.set()
watch.join()
cpu = after.user + after.system - before.user - before.system
kids = after.children_user + after.children_system
kids -= before.children_user + before.children_system
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 1024**3
print(loaded - start, done - loaded, cpu, kids, peak[0] / 1024**3, rss)
"""


def _parent(pid: int) -> int | None:
    """Return a process's parent id (None once it is gone)."""
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return None


def _children() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit() and (ppid := _parent(int(entry))) is not None:
            kids.setdefault(ppid, []).append(int(entry))
    return kids


def _tree(root: int) -> list[int]:
    kids, todo, seen = _children(), [root], []
    while todo:
        pid = todo.pop()
        seen.append(pid)
        todo.extend(kids.get(pid, []))
    return seen


def _memory(pid: int) -> tuple[int, int]:
    """Return a process's resident and proportional size in bytes (0, 0 once it is gone)."""
    rss = pss = 0
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Rss:"):
                rss = int(line.split()[1]) * 1024
            elif line.startswith("Pss:"):
                pss = int(line.split()[1]) * 1024
    except OSError:
        pass
    return rss, pss


def measure(cmd: list[str], every: float = 0.1) -> tuple[float, float, float, int]:
    """Run ``cmd``; return seconds, peak summed RSS and PSS (GB), and its exit code.

    Sampled every ``every`` seconds: a page's peak can last less than half a second.
    """
    start = time.perf_counter()
    out = tempfile.TemporaryFile("w+")
    proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, text=True)
    peak_rss = peak_pss = 0
    at_peak = ""
    while proc.poll() is None:
        pids = _tree(proc.pid)
        sizes = [_memory(pid) for pid in pids]
        peak_rss = max(peak_rss, sum(r for r, _ in sizes))
        if (pss := sum(p for _, p in sizes)) > peak_pss:
            peak_pss = pss
            parts = ", ".join(
                f"{_kind(pid)} {p / GB:.2f}" for pid, (_, p) in zip(pids, sizes, strict=True)
            )
            at_peak = f"at {time.perf_counter() - start:.0f} s: {parts} GB"
        time.sleep(every)
    seconds = time.perf_counter() - start
    out.seek(0)
    print(out.read()[-5000:])  # one line per notebook (or what failed)
    print(f"  the peak of PSS summed, {at_peak}")
    return seconds, peak_rss / GB, peak_pss / GB, proc.returncode


def _kind(pid: int) -> str:
    """Return what a process of the render is: the renderer, a kernel, the zygote (which
    forks kernels: they keep its command line), or another process."""
    try:
        cmd = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return "gone"
    if any(b"ipykernel" in c for c in cmd):
        return "kernel"
    if b"playbook.report.zygote" in cmd:
        if (parent := _parent(pid)) is None:
            return "gone"
        return "kernel" if _kind(parent) == "zygote" else "zygote"
    return "renderer" if any(c.endswith(b"playbook") for c in cmd) else "other"


def meets(value: float, target: float) -> str:
    return f"(target < {target:g}: {'meets' if value < target else 'MISSES'})"


def main() -> None:
    """Generate (or reuse) the big client, then print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients-dir", type=Path, help="holds slice_pizza already")
    parser.add_argument("--orders", type=int, default=10_000_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--skip", nargs="*", default=[], choices=("render", "diagnose"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        # a first render: no validated tables cached yet (it keeps them here, not in the
        # user's cache folder)
        os.environ["PLAYBOOK_CACHE_DIR"] = str(tmp / "cache")
        clients = args.clients_dir
        if clients is None:
            clients = tmp / "clients"
            subprocess.run(
                [sys.executable, "-m", "playbook.demo", "--client", CLIENT, "--orders",
                 str(args.orders), "--format", "parquet", "--out", str(clients)],
                check=True, capture_output=True,
            )  # fmt: skip
        print(f"client {CLIENT} in {clients}, {args.orders:,} orders")
        if "diagnose" not in args.skip:
            done = subprocess.run(
                [sys.executable, "-c", DIAGNOSE, CLIENT, str(clients), str(HERE)],
                check=True, capture_output=True, text=True,
            )  # fmt: skip
            load_s, diagnose_s, cpu_s, kids_s, pss, rss = map(float, done.stdout.split()[-6:])
            print(f"load + validate              {load_s:7.1f} s")
            print(f"diagnose_all                 {diagnose_s:7.1f} s   "
                  f"{meets(diagnose_s, TARGETS['diagnose_s'])}")  # fmt: skip
            # CPU beside wall: on a shared machine the wall time says how busy it was
            print(f"  CPU time, that process     {cpu_s:7.1f} s")
            print(f"  CPU time, its children     {kids_s:7.1f} s")
            print(f"  peak memory during it, that process and its children: PSS {pss:5.2f} GB; "
                  f"that process's peak resident {rss:5.2f} GB")  # fmt: skip
        if "render" not in args.skip:
            seconds, rss, pss, code = measure(
                [str(BIN / "playbook"), "render", CLIENT, "--clients-dir", str(clients),
                 "--out", str(tmp / "out"), "--workers", str(args.workers), "--force"]
            )  # fmt: skip
            state = "rendered" if code == 0 else f"FAILED (exit {code})"
            print(f"playbook render, --workers {args.workers}  {seconds:7.1f} s   "
                  f"{meets(seconds, TARGETS['render_s'])}  {state}")  # fmt: skip
            print(f"  peak memory, all processes: PSS {pss:5.2f} GB "
                  f"{meets(pss, TARGETS['render_gb'])}; RSS summed {rss:5.2f} GB")  # fmt: skip


if __name__ == "__main__":
    main()
