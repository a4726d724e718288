"""Validate every case folder of the hostile corpus, each in its own capped subprocess.

Run as ``python tests/hostile/runner.py CORPUS_DIR [CASE ...]``. The runner imports the
package once, then forks one child per case. Each child limits its own address space
(``resource.setrlimit(RLIMIT_AS)``: the runner's size plus ``--memory-mb``) and CPU time,
validates the case folder with ``load_client`` and writes one JSON line: the outcome
(``accepted`` with a summary of the typed tables, ``refused`` with every problem), or
``crash`` with the traceback when anything other than ``DataValidationError`` escapes.
The runner kills a child that outlives ``--seconds`` (``timeout``). Nothing here asserts:
``test_corpus.py`` reads the lines.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import select
import signal
import sys
import time
import traceback
from pathlib import Path

import pandas as pd

from playbook.content import common, frameworks
from playbook.content.profiles import benchmarks
from playbook.data.clients import DataValidationError, UnknownClientError, clear_cache, load_client


def summary(data) -> dict:
    """Summarise typed tables: rows, columns and every value as text (cases are small)."""
    out = {}
    for name, df in data.tables.items():
        cols = {}
        for column in df.columns:
            values = df[column]
            if pd.api.types.is_datetime64_any_dtype(values):
                texts = [None if pd.isna(v) else v.isoformat(sep=" ") for v in values]
            else:
                texts = [None if pd.isna(v) else str(v) for v in values]
            cols[str(column)] = {"dtype": str(values.dtype), "values": texts[:20]}
        out[name] = {"rows": len(df), "columns": cols}
    return out


def run_case(folder: Path) -> dict:
    """Validate one case folder (in the child) and describe the outcome."""
    clear_cache()
    try:
        data = load_client(folder.name, folder.parent)
    except DataValidationError as exc:
        problems = [
            {
                "file": p.file,
                "row": p.row,
                "column": p.column,
                "key": p.key,
                "line": getattr(p, "line", None),
                "sheet": getattr(p, "sheet", None),
                "message": p.message,
                "text": str(p),
            }
            for p in exc.problems
        ]
        return {"outcome": "refused", "problems": problems, "error_text": str(exc)}
    except UnknownClientError as exc:
        return {"outcome": "unknown", "error_text": str(exc)}
    return {"outcome": "accepted", "tables": summary(data), "name": data.config.name}


def child(folder: Path, write_fd: int, memory_mb: int, seconds: int) -> None:
    """Cap this process, run the case, write its JSON to ``write_fd`` and exit."""
    code = 0
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            vm = next(int(line.split()[1]) for line in fh if line.startswith("VmSize")) * 1024
        limit = vm + memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 1))
        started = time.perf_counter()
        result = run_case(folder)
        result["seconds"] = round(time.perf_counter() - started, 3)
        result["status"] = "ok"
    except BaseException:  # a traceback is what the corpus must never produce
        result = {"status": "crash", "traceback": traceback.format_exc()}
        code = 1
    try:
        payload = json.dumps(result, ensure_ascii=False).encode("utf-8")
        with os.fdopen(write_fd, "wb") as out:
            out.write(payload)
    finally:
        os._exit(code)


def run(folder: Path, memory_mb: int, seconds: int) -> dict:
    """Fork a capped child for one case folder; return its result (or why it died)."""
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        os.close(read_fd)
        child(folder, write_fd, memory_mb, seconds)
    os.close(write_fd)
    chunks, deadline = [], time.monotonic() + seconds
    with os.fdopen(read_fd, "rb") as pipe:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                return {"status": "timeout", "seconds": seconds}
            ready, _, _ = select.select([pipe], [], [], left)
            if ready:
                block = os.read(pipe.fileno(), 1 << 16)
                if not block:
                    break
                chunks.append(block)
    _, status = os.waitpid(pid, 0)
    if not chunks:
        return {"status": "crash", "traceback": f"the child died (wait status {status})"}
    return json.loads(b"".join(chunks).decode("utf-8"))


def main() -> None:
    """Run the cases named (default: every folder of the corpus) and print JSON lines."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("cases", nargs="*")
    parser.add_argument("--memory-mb", type=int, default=768)
    parser.add_argument("--seconds", type=int, default=30)
    args = parser.parse_args()
    clients = args.corpus / "clients"
    frameworks(), common(), benchmarks()  # load the content once, before forking
    names = args.cases or sorted(p.name for p in clients.iterdir() if not p.name.startswith("_"))
    for name in names:
        result = run(clients / name, args.memory_mb, args.seconds)
        result["case"] = name
        print(json.dumps(result, ensure_ascii=False), flush=True)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
