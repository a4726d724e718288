"""Values computed in a forked child process while this process goes on with other work.

A diagnosis measures every indicator twice: on the analysis period and on the period it
compares with, of which only the value is kept. The two are independent, so on a big client
a child process measures the prior values while the parent measures the current ones: the
child is a ``fork`` of the parent, sharing its loaded tables (copy-on-write, nothing is
copied or pickled on the way in) and sending back only small results through a pipe.

The child only computes: it writes each result to the pipe as soon as it has it and leaves
with ``os._exit``, never returning into the caller's code (the renderer calling a diagnosis
has threads of its own, whose state the child must not run into). Whatever the child does not
deliver (it failed, died, went silent for ``STALL_S`` seconds, or sent something unexpected),
the parent computes itself, so the results are always those of computing serially.
"""

from __future__ import annotations

import os
import signal
import tempfile
import warnings
from collections.abc import Callable, Iterable
from multiprocessing.connection import Connection
from typing import Generic, TypeVar

from playbook.data.memory import release_free_memory

try:
    import fcntl
except ImportError:  # no fork there either (``can_fork``): nothing is shared
    fcntl = None

T = TypeVar("T")

#: Seconds the parent waits for the child's next result before doing the rest itself (the
#: child's longest single computation is a few seconds at 10 million orders).
STALL_S = 120.0


def can_fork() -> bool:
    """Tell whether this platform forks (not Windows)."""
    return hasattr(os, "fork")


class Forked(Generic[T]):
    """``compute(key)`` of each key, made by a forked child as far as it gets.

    The child computes ``keys`` in their order, then takes ``shared`` keys from the last
    one backwards while the parent takes them from the first one on (``get``), until the two
    meet: the parent's own work is shared with the child when the child is done early.

    ``get(key)`` returns ``compute(key)``: the child's result when the child has it or has
    taken the key (waiting for it), else made here. A result is taken from the child only
    when ``valid(key, result)`` holds. ``close`` ends the child (always call it: a ``with``
    block does).
    """

    def __init__(
        self,
        compute: Callable[[str], T],
        keys: Iterable[str],
        valid: Callable[[str, object], bool] = lambda key, result: True,
        shared: Iterable[str] = (),
    ) -> None:
        self._compute, self._valid = compute, valid
        self._results: dict[str, T] = {}
        self._pid: int | None = None
        self._reader: Connection | None = None
        keys, shared = list(dict.fromkeys(keys)), list(dict.fromkeys(shared))
        self._known = {*keys, *shared}
        # without a claim file, a pipe or a process (a full disk, no file descriptors, no
        # memory left) there is no child and no claim: all is computed here
        self._claims = _Claims([])
        try:
            claims = _Claims(shared)
        except OSError:
            return
        try:
            read, write = os.pipe()
        except OSError:
            claims.close()
            return
        # pages kept free at the fork would be shared, then copied by whichever process
        # reuses them first while the other keeps its copy: held twice
        release_free_memory()
        try:
            with warnings.catch_warnings():  # Python 3.12+ warns of forking with threads
                warnings.simplefilter("ignore", DeprecationWarning)
                pid = os.fork()
        except OSError:
            os.close(read)
            os.close(write)
            claims.close()
            return
        self._claims = claims
        if pid == 0:  # the child: never returns
            os.close(read)
            _child(compute, keys, shared, self._claims, Connection(write, readable=False))
        os.close(write)
        self._pid, self._reader = pid, Connection(read, writable=False)

    def get(self, key: str) -> T:
        """Return ``compute(key)``: the child's result, or made here when it has none."""
        if key not in self._known or self._claims.take(key, _PARENT):
            return self._compute(key)
        while key not in self._results and self._reader is not None:
            self._receive()
        if key in self._results:
            return self._results.pop(key)
        return self._compute(key)

    def _receive(self) -> None:
        """Take the child's next result; on anything but one, stop using the child."""
        assert self._reader is not None
        try:
            if not self._reader.poll(STALL_S):
                raise TimeoutError
            record = self._reader.recv()
        except Exception:  # died (EOFError), went silent (TimeoutError) or sent garble
            self.close()
            return
        if record is None:  # the child's last word: done (or stopped after a failure)
            self.close(ended=True)
            return
        if not (isinstance(record, tuple) and len(record) == 2 and isinstance(record[0], str)):
            self.close()
            return
        key, result = record
        if not self._valid(key, result):
            self.close()
            return
        self._results[key] = result

    def close(self, ended: bool = False) -> None:
        """End the child (``ended``: it is leaving of itself) and collect it.

        Results received but not yet taken are kept.
        """
        if self._reader is not None:
            self._reader.close()
            self._reader = None
        self._claims.close()
        if self._pid is not None:
            pid, self._pid = self._pid, None
            try:
                if not ended and os.waitpid(pid, os.WNOHANG)[0] == 0:  # not needed any more
                    os.kill(pid, signal.SIGKILL)
                    ended = True
                if ended:  # leaving (or killed): collected once gone
                    os.waitpid(pid, 0)
            except (ChildProcessError, ProcessLookupError):  # collected elsewhere
                pass

    def __enter__(self) -> Forked[T]:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


_PARENT, _CHILD = b"p", b"c"


class _Claims:
    """Which process computes each shared key: one byte per key in a file both processes
    use, changed under a lock (``lockf``: a process that dies lets go of it)."""

    def __init__(self, keys: list[str]) -> None:
        self._at = {k: i for i, k in enumerate(keys)}
        self._file = tempfile.TemporaryFile() if keys else None
        if self._file is not None:
            self._file.write(bytes(len(keys)))
            self._file.flush()

    def take(self, key: str, who: bytes) -> bool:
        """Take ``key`` for ``who`` unless the other process took it already: tell which."""
        if self._file is None or key not in self._at:
            return False
        fd, at = self._file.fileno(), self._at[key]
        fcntl.lockf(fd, fcntl.LOCK_EX)
        try:
            free = os.pread(fd, 1, at) == bytes(1)
            if free:
                os.pwrite(fd, who, at)
        finally:
            fcntl.lockf(fd, fcntl.LOCK_UN)
        return free

    def close(self) -> None:
        """Forget the claims (nothing is shared any more)."""
        if self._file is not None:
            self._file.close()
            self._file = None


def _child(
    compute: Callable[[str], object],
    keys: list[str],
    shared: list[str],
    claims: _Claims,
    out: Connection,
) -> None:
    """Compute and send each key's result, then each shared key's the parent has not taken
    (the last first), then ``None``; leave without returning."""
    code = 1
    try:
        for key in keys:
            out.send((key, compute(key)))
        for key in reversed(shared):
            if not claims.take(key, _CHILD):
                break  # the parent is there: it does the rest
            out.send((key, compute(key)))
        code = 0
    except BaseException:  # the parent computes what was not sent (and raises its errors)
        pass
    finally:
        try:
            out.send(None)
            out.close()
        except BaseException:
            pass
        os._exit(code)
