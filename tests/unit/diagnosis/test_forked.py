"""Values computed in a forked child: taken from it when it gives them, made here otherwise.

Each computation returns the id of the process that made it, so a test sees who did.
"""

from __future__ import annotations

import os
import time

import pytest

from playbook.diagnosis import forked
from playbook.diagnosis.forked import Forked

pytestmark = pytest.mark.skipif(not forked.can_fork(), reason="processes do not fork here")

PARENT = os.getpid()


def _who(key: str) -> tuple[str, int]:
    return key, os.getpid()


def _in_child() -> bool:
    return os.getpid() != PARENT


def test_the_child_computes_every_key_and_hands_them_out():
    with Forked(_who, ["a", "b", "c"]) as values:
        got = [values.get(k) for k in ("c", "a", "b")]  # asked in any order
    assert [k for k, _ in got] == ["c", "a", "b"]
    child = {pid for _, pid in got}
    assert len(child) == 1 and PARENT not in child


def test_a_key_the_child_was_not_given_is_computed_here():
    with Forked(_who, ["a"]) as values:
        assert values.get("a")[1] != PARENT
        assert values.get("z") == ("z", PARENT)
        assert values.get("a") == ("a", PARENT)  # a result is handed out once


def _dies_at_b(key: str) -> tuple[str, int]:
    if key == "b" and _in_child():
        os._exit(3)
    return _who(key)


def _fails_at_b(key: str) -> tuple[str, int]:
    if key == "b" and _in_child():
        raise MemoryError("the child ran out")
    return _who(key)


@pytest.mark.parametrize("compute", [_dies_at_b, _fails_at_b], ids=["dies", "raises"])
def test_what_the_child_did_not_deliver_is_computed_here(compute):
    with Forked(compute, ["a", "b", "c"]) as values:
        a, b, c = (values.get(k) for k in "abc")
    assert a[1] != PARENT
    assert b == ("b", PARENT) and c == ("c", PARENT)
    with pytest.raises(ChildProcessError):  # collected: no process left behind
        os.waitpid(a[1], os.WNOHANG)


def _garbled(key: str) -> object:
    return "not a pair" if _in_child() else _who(key)


def test_a_result_that_is_not_valid_is_not_taken():
    with Forked(_garbled, ["a", "b"], valid=lambda key, x: isinstance(x, tuple)) as values:
        assert [values.get(k) for k in "ab"] == [("a", PARENT), ("b", PARENT)]


def _silent_after_a(key: str) -> tuple[str, int]:
    if key != "a" and _in_child():
        time.sleep(3600)
    return _who(key)


def test_a_silent_child_is_ended_and_its_work_done_here(monkeypatch):
    monkeypatch.setattr(forked, "STALL_S", 0.2)
    with Forked(_silent_after_a, ["a", "b"]) as values:
        _, child = values.get("a")
        assert values.get("b") == ("b", PARENT)
    with pytest.raises(ChildProcessError):  # ended and collected: no process left behind
        os.waitpid(child, os.WNOHANG)


def test_closing_ends_a_child_still_at_work():
    values = Forked(_silent_after_a, ["a", "b"])
    _, child = values.get("a")
    values.close()
    with pytest.raises(ChildProcessError):
        os.waitpid(child, os.WNOHANG)
    assert values.get("b") == ("b", PARENT)


def _paced(key: str) -> tuple[str, int]:
    if _in_child() and key == "a":
        time.sleep(0.3)  # the parent takes its first shared key meanwhile
    if not _in_child():
        time.sleep(1.0)  # the child, done with "a", takes shared keys meanwhile
    return _who(key)


def test_the_child_takes_shared_keys_from_the_last_until_it_meets_the_parent():
    shared = ["s1", "s2", "s3", "s4"]
    with Forked(_paced, ["a"], shared=shared) as values:
        got = [values.get(k) for k in shared]
        assert values.get("a")[1] != PARENT
    assert [k for k, _ in got] == shared
    here = [k for k, pid in got if pid == PARENT]
    # the parent took s1 first; while it computed, the child (done with "a") took s4, s3, s2
    assert here == ["s1"]


def test_shared_keys_are_all_computed_here_without_a_child():
    shared = ["s1", "s2"]
    with Forked(_dies_at_b, ["b"], shared=shared) as values:
        assert [values.get(k) for k in shared] == [("s1", PARENT), ("s2", PARENT)]
        assert values.get("b") == ("b", PARENT)


def _fails(*args, **kwargs):
    raise OSError(24, "Too many open files")


@pytest.mark.parametrize(
    "what", ["os.pipe", "os.fork", "tempfile.TemporaryFile"], ids=["pipe", "fork", "claims"]
)
def test_without_a_pipe_a_process_or_a_claim_file_all_is_computed_here(monkeypatch, what):
    # an optimisation never fails a diagnosis: a full disk, no file descriptors or no
    # memory for a process leave the work to this process
    module, name = what.split(".")
    monkeypatch.setattr(getattr(forked, module), name, _fails)
    with Forked(_who, ["a"], shared=["s1"]) as values:
        assert [values.get(k) for k in ("a", "s1")] == [("a", PARENT), ("s1", PARENT)]
