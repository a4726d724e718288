"""The zygote: kernels forked warm, in their folder and environment, killed and ended as
launched ones are; without a zygote, kernels launch the usual way.

Real kernels with a small warm-up (a module the kernels do not import otherwise), so that a
kernel that has it was forked by the zygote.
"""

from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path

import pytest
from jupyter_core.utils import run_sync

from playbook.report.kernels import KernelError, KernelSlot
from playbook.report.zygote import ForkedProcess, Zygote

#: The zygote's warm-up in these tests: a module nothing else here imports.
WARM_UP = "import colorsys, gc; gc.freeze()"


def _parent(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])


def _state(pid: int) -> str | None:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return None


@pytest.fixture
def zygote():
    zygote = Zygote(WARM_UP)
    yield zygote
    zygote.kill()
    zygote.close()


@pytest.fixture
def slot(zygote, tmp_path):
    """A worker's kernels, forked by ``zygote``, with no warm-up of their own."""
    slot = KernelSlot(tmp_path, warm_up=(), zygote=zygote)
    yield slot
    slot.close()


def test_a_forked_kernel_is_warm_in_its_folder_with_its_environment(zygote, slot, tmp_path):
    folder = tmp_path / "client"
    folder.mkdir()
    kernel = slot.acquire(folder, {"PLAYBOOK_ZYGOTE_TEST": "yes"})
    assert _parent(kernel.pid) == zygote.pid
    run_sync(kernel.run)(
        "import os, sys\n"
        f"assert os.getcwd() == {str(folder)!r}, os.getcwd()\n"
        "assert os.environ['PLAYBOOK_ZYGOTE_TEST'] == 'yes'\n"
        "assert 'colorsys' in sys.modules  # the zygote's warm-up, not the kernel's\n"
        "assert os.environ['JPY_PARENT_PID'] == str(os.getppid())\n"
    )
    slot.release(True)
    kernel = slot.acquire(folder, {})
    with pytest.raises(KernelError, match="NameError"):
        run_sync(kernel.run)("os")  # a forked kernel is reset as a launched one


def test_a_killed_kernel_ends_and_is_replaced_by_another_fork(zygote, slot, tmp_path):
    kernel = slot.acquire(tmp_path, {})
    first = kernel.pid
    kernel.kill()
    process = kernel.km.provisioner.process
    assert process.wait(timeout=10) == -signal.SIGKILL
    assert not run_sync(kernel.alive)()
    slot.release(False)

    kernel = slot.acquire(tmp_path, {})
    assert kernel.pid != first and _parent(kernel.pid) == zygote.pid
    run_sync(kernel.run)("1 + 1")


def test_a_kernel_killed_before_its_fork_never_runs(tmp_path):
    zygote = Zygote("import time; time.sleep(1.5)")  # still warming up when it is asked
    try:
        process = zygote.spawn(["-f", str(tmp_path / "never.json")], tmp_path, dict(os.environ))
        assert process.pid is None and process.poll() is None
        process.kill()
        assert process.wait(timeout=20) == -signal.SIGKILL
        assert process.pid is not None
    finally:
        zygote.close()


def test_without_its_zygote_a_kernel_is_launched(tmp_path):
    zygote = Zygote(WARM_UP)
    zygote.close()  # ended: its input closed
    slot = KernelSlot(tmp_path, warm_up=(), zygote=zygote)
    try:
        kernel = slot.acquire(tmp_path, {})
        assert _parent(kernel.pid) == os.getpid()
        assert not isinstance(kernel.km.provisioner.process, ForkedProcess)
        run_sync(kernel.run)("import sys\nassert 'colorsys' not in sys.modules")
        kernel.kill()  # a launched kernel is killed through its Popen
        assert kernel.km.provisioner.process.wait(timeout=10) == -signal.SIGKILL
    finally:
        slot.close()


def test_a_kernel_ends_with_its_zygote(zygote, slot, tmp_path):
    kernel = slot.acquire(tmp_path, {})
    process = kernel.km.provisioner.process
    zygote.kill()  # the renderer died: nothing else would stop the kernel
    assert process.wait(timeout=30) is not None  # ipykernel saw its parent go
    assert _state(kernel.pid) in (None, "Z")  # gone, or a zombie its new parent keeps


def test_a_forked_process_before_and_after_it_ends():
    process = ForkedProcess()
    with pytest.raises(subprocess.TimeoutExpired):
        process.wait(timeout=0.01)
    process._birth(2**22 + 12345)  # no such process: a signal to it is ignored
    process._end(3)
    assert process.poll() == 3 and process.wait() == 3
    process.kill()  # ended: nothing is signalled
    process._end(5)
    assert process.returncode == 3  # the first end counts
