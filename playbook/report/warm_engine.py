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
        save_failed_to=None,
        **kwargs,
    ):
        """Execute the notebook's cells in ``kernel`` (a started ``kernels.Kernel``).

        The notebook is written once, by papermill, when it completes: ``run_notebook`` asks
        papermill not to write it after every cell (a JSON dump and a schema check of the
        notebook with every figure so far, twice per cell), nor when it starts. A cell that
        raises is written by papermill too (``raise_for_execution_errors``). When the kernel
        dies or a cell times out, nothing else would write it: the notebook as far as it ran
        is then written to ``save_failed_to`` by papermill's final sync (``notebook_complete``).
        """
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
        except BaseException:
            nb_man.output_path = save_failed_to
            raise


papermill_engines.register(ENGINE, WarmKernelEngine)
