"""The papermill engine ``playbook``: execute a notebook in an already started warm kernel.

Imported (and registered in papermill's engine registry) by ``execute.run_notebook`` on the
first notebook, so that starting the renderer does not import papermill.
"""

from __future__ import annotations

from papermill.clientwrap import PapermillNotebookClient
from papermill.engines import NBClientEngine, papermill_engines

from playbook.report.execute import ENGINE


class WarmKernelEngine(NBClientEngine):
    """A papermill engine that executes in an already started kernel and leaves it running."""

    @classmethod
    def execute_managed_notebook(
        cls,
        nb_man,
        kernel_name,
        log_output=False,
        stdout_file=None,
        stderr_file=None,
        start_timeout=60,
        execution_timeout=None,
        kernel=None,
        **kwargs,
    ):
        """Execute the notebook's cells in ``kernel`` (a started ``kernels.Kernel``).

        The notebook is not written after every cell (papermill's default: a JSON dump with
        every figure so far, twice per cell, most of the renderer's time per notebook); the
        caller writes it once when the notebook completes or fails
        (``NotebookExecutionManager.notebook_complete``).
        """
        nb_man.save = _no_save
        client = PapermillNotebookClient(
            nb_man,
            km=kernel.km,
            timeout=execution_timeout,
            startup_timeout=start_timeout,
            kernel_name=kernel_name,
            log_output=log_output,
            stdout_file=stdout_file,
            stderr_file=stderr_file,
        )
        client.kc = kernel.kc
        try:
            return client.execute()
        finally:
            del nb_man.save  # papermill's own again, for notebook_complete


def _no_save(**kwargs) -> None:
    """Write nothing (see ``WarmKernelEngine.execute_managed_notebook``)."""


papermill_engines.register(ENGINE, WarmKernelEngine)
