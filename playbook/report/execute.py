"""Run one notebook with papermill in a warm kernel of the renderer's own interpreter.

``run_notebook`` executes through papermill (parameters injected, the executed copy written
also on failure) on a kernel the caller already started (``kernels.Kernel``): the papermill
engine ``playbook`` (``warm_engine.WarmKernelEngine``) binds nbclient to that kernel and
leaves it running afterwards. papermill is imported with the first notebook (a second at
start, and the renderer launches its kernels before that). ``failure_from`` turns an
execution error into a :class:`Failure` naming the cell and the line.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

#: The papermill engine name of ``warm_engine.WarmKernelEngine``.
ENGINE = "playbook"


@dataclass(frozen=True)
class Failure:
    """Where and why a notebook failed."""

    client_id: str
    notebook: str
    cell: int | None
    error: str
    line: str = ""

    def __str__(self) -> str:
        where = f"cell {self.cell}" if self.cell is not None else "notebook"
        at = f" (at: {self.line})" if self.line else ""
        return f"{self.client_id} · {self.notebook} · {where}: {self.error}{at}"


def strip_ansi(text: str) -> str:
    """Remove terminal colour codes."""
    return re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", text)


def error_line(traceback: Sequence[str]) -> str:
    """Return the notebook source line an IPython traceback points at ("----> 3 x = 1/0")."""
    frames = [strip_ansi(t) for t in traceback]
    ordered = [f for f in frames if "Cell In[" in f] + frames
    for frame in ordered:
        for line in frame.splitlines():
            m = re.match(r"^\s*-+>\s*\d+\s?(.*)$", line)
            if m:
                return m.group(1).strip()
    return ""


def failure_from(client_id: str, notebook: str, exc: BaseException) -> Failure:
    """Describe why a notebook failed: the cell, the error and the line, when known."""
    from papermill.exceptions import PapermillExecutionError

    if isinstance(exc, PapermillExecutionError):
        return Failure(
            client_id,
            notebook,
            exc.exec_count,
            f"{exc.ename}: {exc.evalue}",
            error_line(exc.traceback),
        )
    return Failure(client_id, notebook, None, f"{type(exc).__name__}: {exc}")


def run_notebook(
    nb_path: Path,
    out_path: Path,
    parameters: dict,
    kernel: object,
    cell_timeout: int | None = None,
) -> object:
    """Execute one notebook with papermill in a warm kernel, saving the executed copy.

    Args:
        nb_path: The notebook to run.
        out_path: Where the executed notebook is written (also when a cell fails).
        parameters: Values injected after the ``parameters`` cell.
        kernel: A started ``kernels.Kernel``, already reset and in the notebook's folder.
        cell_timeout: Seconds a cell may run (None: no limit).

    Returns:
        The executed notebook (an ``nbformat.NotebookNode``), as saved.

    Raises:
        papermill.PapermillExecutionError: A cell raised; the executed notebook is saved.
        nbclient.exceptions.DeadKernelError: The kernel died.
        nbclient.exceptions.CellTimeoutError: A cell ran longer than ``cell_timeout``.
    """
    import papermill as pm

    import playbook.report.warm_engine  # noqa: F401  (registers the engine ENGINE)

    return pm.execute_notebook(
        str(nb_path.resolve()),
        str(out_path.resolve()),
        parameters=parameters,
        engine_name=ENGINE,
        kernel=kernel,
        kernel_name="python3",
        progress_bar=False,
        log_output=False,
        execution_timeout=cell_timeout,
        request_save_on_cell_execute=False,  # written once, as it completes (warm_engine)
        save_failed_to=str(out_path.resolve()),
    )
