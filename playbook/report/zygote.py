"""A warm process that forks kernels: the imports of a kernel's warm-up paid once per render.

A kernel's warm-up (``kernels.WARM_UP_CODE`` after its modules: pandas, matplotlib and the
report pages) costs about 1.5 s of CPU, and a render with two workers, or with a fresh
kernel per notebook, starts several kernels on a machine whose cores the renderer and the
other kernels need. The zygote is started once (``python -m playbook.report.zygote``), does
that warm-up, then forks each kernel the renderer asks for: a forked kernel starts warm, for
about 0.3 s of CPU, and shares the warm-up's memory with the zygote until it writes to it.

The renderer side is :class:`Zygote` (``spawn`` returns a :class:`ForkedProcess` at once, the
fork happening as soon as the zygote is warm) and ``kernels.own_interpreter_manager``, whose
manager launches through it. A kernel forked this way runs the same command line as one
launched by jupyter_client (its warm-up lines then find everything imported), in its own
session, its folder and environment as asked, and ends when the zygote does (ipykernel's
parent poller): the zygote ends when the renderer closes its input, or exits.

The protocol, one line of JSON per request on the zygote's standard input
(``{"argv": [...], "cwd": "...", "env": {...}}``) and one line per event on the reply pipe:
``pid N`` (a request forked, in the order asked), ``exit N CODE`` (a kernel ended; CODE as
``subprocess.Popen.returncode``) and ``failed MESSAGE`` (a request that could not fork).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections import deque
from pathlib import Path

#: The matplotlib backend ipykernel gives a kernel (set before its warm-up imports pyplot).
INLINE_BACKEND = "module://matplotlib_inline.backend_inline"

#: Seconds between looks at a kernel that outlived its zygote (``_follow``).
FOLLOW_EVERY = 0.2


class ZygoteGone(RuntimeError):
    """The zygote is not running: launch the kernel the usual way."""


class ForkedProcess:
    """A kernel forked by the zygote, with the part of ``subprocess.Popen`` that
    jupyter_client's provisioner uses (``pid``, ``poll``, ``wait``, ``send_signal``,
    ``kill``, ``terminate``).

    Until the zygote has forked it, ``pid`` is None, ``poll`` says it runs, and a signal sent
    meanwhile is delivered as it is born (so a kernel killed early never runs on).
    """

    stdin = stdout = stderr = None

    def __init__(self) -> None:
        self.pid: int | None = None
        self.returncode: int | None = None
        self._ended = threading.Event()
        self._lock = threading.Lock()
        self._pending_signal: int | None = None

    def _birth(self, pid: int) -> None:
        with self._lock:
            self.pid = pid
            signum, self._pending_signal = self._pending_signal, None
        if signum is not None:
            self.send_signal(signum)

    def _end(self, code: int) -> None:
        with self._lock:
            if self.returncode is None:
                self.returncode = code
        self._ended.set()

    def poll(self) -> int | None:
        """Return the exit code, or None while it runs (or is being forked)."""
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        """Wait for the kernel to end; return its exit code.

        Raises:
            subprocess.TimeoutExpired: It still runs after ``timeout`` seconds.
        """
        if not self._ended.wait(timeout):
            raise subprocess.TimeoutExpired("kernel", timeout or 0.0)
        assert self.returncode is not None
        return self.returncode

    def send_signal(self, signum: int) -> None:
        """Signal the kernel (on its birth, if the zygote has not forked it yet)."""
        with self._lock:
            if self.returncode is not None:
                return
            if self.pid is None:
                self._pending_signal = signum
                return
            pid = self.pid
        try:
            os.kill(pid, signum)
        except ProcessLookupError:
            pass

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)


class Zygote:
    """The renderer's handle on a zygote process: start it, have it fork kernels, stop it.

    Args:
        warm_up: Python code the zygote runs before it forks (a kernel's warm-up lines).
    """

    def __init__(self, warm_up: str) -> None:
        read_end, write_end = os.pipe()
        env = dict(os.environ)
        env.setdefault("MPLBACKEND", INLINE_BACKEND)
        try:
            self._proc = subprocess.Popen(
                [sys.executable, "-m", "playbook.report.zygote", str(write_end), warm_up],
                stdin=subprocess.PIPE,
                pass_fds=(write_end,),
                env=env,
                start_new_session=True,
            )
        finally:
            os.close(write_end)
        self._replies = os.fdopen(read_end, "rb")
        self._lock = threading.Lock()
        self._waiting: deque[ForkedProcess] = deque()
        self._children: dict[int, ForkedProcess] = {}
        self._gone = False
        self._reader = threading.Thread(target=self._read, daemon=True, name="zygote")
        self._reader.start()

    @property
    def pid(self) -> int:
        return self._proc.pid

    def spawn(self, argv: list[str], cwd: str | Path | None, env: dict[str, str]) -> ForkedProcess:
        """Ask for a kernel: ``ipykernel_launcher``'s arguments, folder and environment.

        Returns at once; the zygote forks it as soon as its warm-up is done.

        Raises:
            ZygoteGone: The zygote has ended (or its input is closed).
        """
        request = json.dumps({"argv": argv, "cwd": str(cwd or Path.cwd()), "env": env}) + "\n"
        process = ForkedProcess()
        with self._lock:
            if self._gone or self._proc.stdin is None:
                raise ZygoteGone("the kernel zygote has ended")
            self._waiting.append(process)
            try:
                self._proc.stdin.write(request.encode())
                self._proc.stdin.flush()
            except (OSError, ValueError) as exc:
                self._waiting.pop()
                raise ZygoteGone(f"the kernel zygote has ended: {exc}") from exc
        return process

    def _read(self) -> None:
        """Follow the zygote's replies: births, deaths, failures; at its end, fail the rest."""
        for raw in self._replies:
            word, _, rest = raw.decode().strip().partition(" ")
            with self._lock:
                if word == "pid":
                    process = self._waiting.popleft()
                    self._children[int(rest)] = process
                    process._birth(int(rest))
                elif word == "exit":  # (always after its "pid" line: see _serve)
                    pid, _, code = rest.partition(" ")
                    if (process := self._children.pop(int(pid), None)) is not None:
                        process._end(int(code))
                elif word == "failed":
                    self._waiting.popleft()._end(1)
        with self._lock:
            self._gone = True
            while self._waiting:
                self._waiting.popleft()._end(1)
            orphans = list(self._children.items())
            self._children.clear()
        # Kernels that outlive their zygote belong to init now: follow them by their pid.
        for pid, process in orphans:
            threading.Thread(target=_follow, args=(pid, process), daemon=True).start()

    def close(self, timeout: float = 5.0) -> None:
        """Stop the zygote (the kernels it forked are stopped by their slots)."""
        with self._lock:
            self._gone = True
            stdin, self._proc.stdin = self._proc.stdin, None
        if stdin is not None:
            try:
                stdin.close()
            except OSError:
                pass
        try:
            self._proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()
        self._reader.join(timeout)
        self._replies.close()

    def kill(self) -> None:
        """Kill the zygote at once (safe from any thread)."""
        try:
            self._proc.kill()
        except OSError:
            pass


def _follow(pid: int, process: ForkedProcess) -> None:
    """Poll a kernel that is no longer the zygote's child until it is gone (its exit code
    is unknown then: it is reported as killed)."""
    while _running(pid):
        time.sleep(FOLLOW_EVERY)
    process._end(-signal.SIGKILL)


def _running(pid: int) -> bool:
    """Tell whether a process runs (a zombie that nobody reaps does not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


def available() -> bool:
    """Tell whether kernels can be forked here: on Linux (fork without exec is unsafe on
    macOS, and Windows has none)."""
    return sys.platform.startswith("linux") and hasattr(os, "fork")


def _serve(reply_fd: int, warm_up: str) -> None:
    """The zygote: warm up, then fork a kernel per request until the input ends."""
    if sys.path and sys.path[0] in ("", os.getcwd()):
        del sys.path[0]  # as ipykernel_launcher: nothing imported from the folder it runs in
    from ipykernel import kernelapp  # (imported before the warm-up lines, as in a kernel)

    try:
        exec(compile(warm_up, "<kernel warm-up>", "exec"), {"__name__": "__warm_up__"})
    except Exception:  # as a kernel's warm-up lines: the error shows, the kernel still starts
        import traceback

        traceback.print_exc()

    def reply(line: str) -> None:
        os.write(reply_fd, (line + "\n").encode())

    def reap(*_: object) -> None:
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            reply(f"exit {pid} {os.waitstatus_to_exitcode(status)}")  # as Popen.returncode

    signal.signal(signal.SIGCHLD, reap)
    for line in sys.stdin.buffer:
        try:
            request = json.loads(line)
            argv, cwd, env = list(request["argv"]), request["cwd"], dict(request["env"])
        except (ValueError, KeyError, TypeError) as exc:
            reply(f"failed bad request: {exc}")
            continue
        # a kernel that ends at once is reported after its "pid" line, not before
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGCHLD})
        try:
            pid = os.fork()
        except OSError as exc:
            reply(f"failed {exc}")
        else:
            if pid == 0:
                _kernel(kernelapp, reply_fd, argv, cwd, env)  # (never returns)
            reply(f"pid {pid}")
        finally:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGCHLD})
    reap()


def _kernel(kernelapp: object, reply_fd: int, argv: list[str], cwd: str, env: dict) -> None:
    """In the forked child: become the kernel jupyter_client asked for; never return."""
    code = 1
    try:
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGCHLD})
        os.close(reply_fd)
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)
        os.close(devnull)
        sys.stdin = open(0, closefd=False)  # noqa: SIM115 (fd 0, never closed)
        os.setsid()
        os.chdir(cwd)
        os.environ.clear()
        os.environ.update(env)
        # its parent is the zygote: ipykernel ends the kernel when that parent is gone (read
        # from JPY_PARENT_PID when ipykernel is imported: in the zygote, so given here)
        os.environ["JPY_PARENT_PID"] = str(os.getppid())
        argv = [*argv, f"--IPKernelApp.parent_handle={os.getppid()}"]
        sys.argv = [sys.argv[0], *argv]
        kernelapp.launch_new_instance(argv)  # type: ignore[attr-defined]
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    except BaseException:
        import traceback

        traceback.print_exc()
    finally:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except Exception:  # noqa: S110 (a closed stream: nothing left to say)
                pass
        os._exit(code)


if __name__ == "__main__":
    _serve(int(sys.argv[1]), sys.argv[2])
