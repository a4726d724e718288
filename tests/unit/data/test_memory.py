"""Freed memory given back to the system (``playbook.data.memory``)."""

from __future__ import annotations

import pytest

import playbook.data.memory as memory


class _Pool:
    def __init__(self, calls: list) -> None:
        self.calls = calls

    def release_unused(self) -> None:
        self.calls.append("arrow")


@pytest.mark.parametrize("trim", [True, False], ids=["glibc", "no-malloc_trim"])
def test_free_memory_is_given_back_by_arrow_and_by_the_c_heap_where_it_can(monkeypatch, trim):
    calls = []

    class Libc:
        def __getattr__(self, name):
            if name == "malloc_trim" and trim:
                return lambda pad: calls.append(("trim", pad))
            raise AttributeError(name)

    monkeypatch.setattr(memory.pa, "default_memory_pool", lambda: _Pool(calls))
    monkeypatch.setattr(memory.ctypes, "CDLL", lambda name: Libc())
    memory.release_free_memory()
    assert calls == (["arrow", ("trim", 0)] if trim else ["arrow"])
