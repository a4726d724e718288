"""Warm Jupyter kernels for the renderer: started ahead, warmed, reset or replaced.

A :class:`Kernel` is an ipykernel of the renderer's own interpreter that has already
imported pandas, matplotlib and the report pages (``WARM_UP``), so a notebook never waits for
a kernel to start. A :class:`KernelSlot` is one worker's supply of kernels, in one of two
modes (``reuse``): ``True`` keeps one kernel and resets it between notebooks (the user
namespace, open figures, the working folder and the execution counter); ``False`` starts a
fresh kernel per notebook, warmed while the previous one runs. Either way a kernel that
failed, timed out or died is thrown away and replaced, and the next notebook starts from a
clean namespace. A slot given a zygote (``zygote.Zygote``, shared by an engine's slots) has
its kernels forked from it, warm already, instead of launched: the manager's
``_async_launch_kernel``, the hook jupyter_client offers for launching differently.

Every kernel operation runs in its slot's thread, on that thread's event loop (the loop
papermill and nbclient use there too); only :meth:`Kernel.kill` may be called from another
thread. Kernels are stopped through their control channel, never by an interrupt, so they
print nothing (ipykernel logs "KeyboardInterrupt caught in kernel" on an interrupt).
"""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

from jupyter_core.utils import run_sync

from playbook.report.zygote import ForkedProcess, Zygote, ZygoteGone

#: Modules a kernel imports before its first notebook (the pages import everything else).
WARM_UP_MODULES = (
    "pandas",
    "matplotlib.pyplot",
    "IPython.display",
    "playbook.pages.registry",
    "playbook.pages.executive_summary",
    "playbook.pages.framework",
)

#: Code a kernel runs after its warm-up imports: the framework content read and checked (every
#: page reads it; the kernel keeps it for every notebook it runs), then every object so far
#: frozen out of the garbage collector. ``%reset`` runs two full collections before each
#: notebook; without the freeze each walked the warm-up's modules (~0.2 s, ~4 s of a cold
#: render's kernels). A notebook's own objects are still collected.
WARM_UP_CODE = (
    "import playbook.content as c; c.frameworks(); c.common(); c.benchmarks(); del c; "
    "import gc; gc.freeze(); del gc"
)

#: Seconds to wait for a kernel to start and finish its warm-up imports.
START_TIMEOUT = 120

#: Code run silently before every notebook: a clean namespace, no figures, counter at 1.
RESET = """\
get_ipython().run_line_magic("reset", "-f")
import matplotlib.pyplot as __plt
__plt.close("all")
del __plt
get_ipython().execution_count = 1
"""

#: Code run silently after every notebook a kept kernel ran: its namespace cleared at once
#: (``RESET``) and the memory the page took given back to the system. A kernel that waits
#: for its next notebook (or for the batch to end) then holds none of it beside the kernels
#: still working: at 10M orders a page takes gigabytes.
LET_GO = RESET + "import playbook.data.memory as __m\n__m.release_free_memory()\ndel __m\n"


@cache
def own_interpreter_manager() -> type:
    """Return the kernel manager class that starts ipykernel with the renderer's interpreter.

    jupyter_client already maps a kernelspec ``argv[0]`` of ``python`` to ``sys.executable``;
    this also covers a user-level ``python3`` kernelspec pinned to another interpreter, so
    the notebooks always import the same ``playbook`` as the renderer. Made (and
    jupyter_client imported) with the first kernel: a render that runs no notebook never
    pays for it.
    """
    from jupyter_client.manager import AsyncKernelManager

    class OwnInterpreterKernelManager(AsyncKernelManager):
        #: forks the kernel warm, when set (see ``zygote``); else the kernel is launched
        zygote: Zygote | None = None

        def format_kernel_cmd(self, extra_arguments: list[str] | None = None) -> list[str]:
            """Return the kernel command, its interpreter replaced by ``sys.executable``."""
            cmd = super().format_kernel_cmd(extra_arguments)
            if cmd[1:3] == ["-m", "ipykernel_launcher"]:
                cmd[0] = sys.executable
                # ipykernel 7 warns on every start that local TCP is unencrypted; keep the
                # progress display readable and let real kernel errors through.
                cmd.append("--IPKernelApp.log_level=ERROR")
            return cmd

        async def _async_launch_kernel(self, kernel_cmd: list[str], **kw: object) -> None:
            """Have the zygote fork the kernel (the same command line); else launch it."""
            zygote, provisioner = self.zygote, self.provisioner
            ipykernel = kernel_cmd[:3] == [sys.executable, "-m", "ipykernel_launcher"]
            if zygote is not None and ipykernel:
                try:
                    process = zygote.spawn(kernel_cmd[3:], kw.get("cwd"), dict(kw["env"]))
                except ZygoteGone:
                    pass
                else:
                    # what LocalProvisioner.launch_kernel sets; the process group is the
                    # kernel's own session, signalled through the process
                    provisioner.process, provisioner.pgid = process, None
                    provisioner.cwd = kw.get("cwd")
                    self._reconcile_connection_info(provisioner.connection_info)
                    return
            await super()._async_launch_kernel(kernel_cmd, **kw)

    return OwnInterpreterKernelManager


class KernelError(RuntimeError):
    """A kernel did not start, or the code preparing it for a notebook failed."""


#: No IPython history in a renderer's kernel: the counter set back to 1 before each notebook
#: would clash with the history database ("line number was not unique", on stderr).
NO_HISTORY = "--HistoryManager.enabled=False"


def warm_up_code(modules: tuple[str, ...] = WARM_UP_MODULES) -> str:
    """Return a kernel's warm-up: ``modules`` imported, then ``WARM_UP_CODE`` run."""
    return f"import {', '.join(modules)}; {WARM_UP_CODE}"


def warm_up_arguments(modules: tuple[str, ...] = WARM_UP_MODULES) -> list[str]:
    """Return the kernel arguments: no history, and ``modules`` imported while it starts
    (then ``WARM_UP_CODE`` run)."""
    imports = [f"--IPKernelApp.exec_lines={warm_up_code(modules)}"] if modules else []
    return [NO_HISTORY, *imports]


def handoff_code(cwd: Path, env: dict[str, str], reset: bool = True) -> str:
    """Return code that resets a kernel and sets its folder and environment for a notebook.

    An empty value in ``env`` removes that variable. ``reset``: False for a kernel whose
    namespace was cleared since its last code (``LET_GO``).
    """
    lines = [RESET] if reset else []
    lines += ["import os as __os", f"__os.chdir({str(cwd)!r})"]
    lines += [f"__os.environ[{k!r}] = {v!r}" for k, v in env.items() if v]
    lines += [f"__os.environ.pop({k!r}, None)" for k, v in env.items() if not v]
    lines.append("del __os")
    return "\n".join(lines)


class Kernel:
    """One ipykernel of the renderer's interpreter that imports its warm-up modules at start
    (forked by ``zygote`` when given: warm already)."""

    def __init__(self, cwd: Path, arguments: list[str], zygote: Zygote | None = None) -> None:
        self.cwd, self.arguments = Path(cwd), arguments
        self.km = own_interpreter_manager()(kernel_name="python3")
        self.km.zygote = zygote
        self.kc = None
        #: its namespace was cleared after its last notebook (``LET_GO``); a new kernel's
        #: holds the warm-up's imports
        self.clean = False

    @property
    def pid(self) -> int | None:
        """Return the kernel's process id (None before it started)."""
        provisioner = self.km.provisioner
        if isinstance(process := getattr(provisioner, "process", None), ForkedProcess):
            return process.pid
        return getattr(provisioner, "pid", None) if provisioner is not None else None

    async def start(self) -> None:
        """Launch the kernel process; it imports its warm-up modules on its own."""
        await self.km.start_kernel(cwd=str(self.cwd), extra_arguments=self.arguments)

    async def run(self, code: str) -> None:
        """Wait until the kernel is ready (warm), then run code silently and wait for it.

        Raises:
            KernelError: The kernel did not start, or the code raised in it.
        """
        if self.kc is None:
            self.kc = self.km.client()
            self.kc.start_channels()
            try:
                await self.kc.wait_for_ready(timeout=START_TIMEOUT)
            except RuntimeError as exc:
                raise KernelError(f"the kernel did not start: {exc}") from exc
        msg_id = self.kc.execute(code, silent=True, store_history=False)
        while True:
            reply = await self.kc.get_shell_msg(timeout=START_TIMEOUT)
            if reply["parent_header"].get("msg_id") == msg_id:
                break
        content = reply["content"]
        if content.get("status") != "ok":
            raise KernelError(f"{content.get('ename')}: {content.get('evalue')}")

    async def alive(self) -> bool:
        """Tell whether the kernel process is still running."""
        return await self.km.is_alive()

    async def shutdown(self, now: bool = False) -> None:
        """Stop the kernel: killed ``now``, else asked through its control channel.

        Never by an interrupt (ipykernel would log one); then free its files.
        """
        try:
            if now:
                self.kill()
            if self.km.has_kernel:
                if not now and await self.km.is_alive():
                    await self.km.request_shutdown()
                await self.km.finish_shutdown(waittime=5)
        finally:
            if self.kc is not None:
                self.kc.stop_channels()
            await self.km.cleanup_resources()

    def kill(self) -> None:
        """Kill the kernel process at once (safe from any thread): through its process, a
        ``Popen`` or a ``ForkedProcess`` (which kills one the zygote is still to fork)."""
        process = getattr(self.km.provisioner, "process", None)
        if process is not None:
            process.kill()  # (nothing happens to a process that has ended)


class KernelSlot:
    """One worker's kernels: one reused and reset between notebooks, or a fresh one each time.

    Args:
        cwd: The folder kernels start in.
        reuse: Keep the kernel between notebooks (reset before each), instead of a new one
            per notebook launched while the previous notebook runs.
        warm_up: Modules a new kernel imports while it starts.
        zygote: Forks the slot's kernels warm (shared by the slots of an engine); None:
            each kernel is launched and warms up on its own.
    """

    def __init__(
        self,
        cwd: Path,
        reuse: bool = True,
        warm_up: tuple[str, ...] = WARM_UP_MODULES,
        zygote: Zygote | None = None,
    ) -> None:
        self.cwd, self.reuse, self.zygote = Path(cwd), reuse, zygote
        self.arguments = warm_up_arguments(warm_up)
        self._current: Kernel | None = None
        self._next: Kernel | None = None

    def _launch(self) -> Kernel:
        kernel = Kernel(self.cwd, self.arguments, self.zygote)
        run_sync(kernel.start)()
        return kernel

    def prepare(self) -> None:
        """Launch a kernel ahead of the next notebook; it warms up while the caller works."""
        if self._current is None and self._next is None:
            self._next = self._launch()

    def acquire(self, cwd: Path, env: dict[str, str]) -> Kernel:
        """Return a warm kernel with a clean namespace, in ``cwd``, with ``env`` set.

        Raises:
            KernelError: The kernel did not start or could not be reset (it is discarded).
        """
        if self._current is not None and not self.reuse:
            self.discard()
        if self._current is None:
            self._current, self._next = self._next or self._launch(), None
        kernel = self._current
        try:
            run_sync(kernel.run)(handoff_code(cwd, env, reset=not kernel.clean))
            kernel.clean = False
        except Exception:
            self.discard()
            raise
        if not self.reuse:
            self._next = self._launch()
        return kernel

    def release(self, ok: bool) -> None:
        """Take back the kernel after a notebook; one that failed or died is replaced.

        A kept kernel lets go of the notebook at once (``LET_GO``).
        """
        kernel = self._current
        if kernel is None:
            return
        if not ok or not self.reuse or not run_sync(kernel.alive)():
            self.discard()
            return
        try:
            run_sync(kernel.run)(LET_GO)
            kernel.clean = True
        except Exception:  # its state is unknown: the next notebook gets another kernel
            self.discard()

    def discard(self) -> None:
        """Throw the current kernel away (killed: after a failure its state is unknown)."""
        kernel, self._current = self._current, None
        if kernel is not None:
            run_sync(kernel.shutdown)(now=True)

    def close(self) -> None:
        """Stop every kernel of this slot (killed: a kernel keeps nothing worth saving)."""
        for kernel in (self._current, self._next):
            if kernel is not None:
                run_sync(kernel.shutdown)(now=True)
        self._current = self._next = None

    def kill(self) -> None:
        """Kill this slot's kernels at once (from any thread, e.g. on Ctrl-C)."""
        for kernel in (self._current, self._next):
            if kernel is not None:
                kernel.kill()
