"""The engine's start: which worker prepares the first client, when each kernel launches.

Fake kernel slots and notebooks (no kernels, no papermill): the tests read the order of
events the workers record.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

import playbook.report.engine as engine_module
import playbook.report.kernels as kernels
from playbook.report.engine import Engine, NotebookTask


class Events(list):
    def add(self, *event: object) -> None:
        self.append(event)

    def wait_for(self, event: tuple, seconds: float = 10.0) -> None:
        deadline = time.monotonic() + seconds
        while event not in self and time.monotonic() < deadline:
            time.sleep(0.01)
        assert event in self


@pytest.fixture
def events(monkeypatch) -> Events:
    events = Events()
    made = []

    class FakeSlot:
        def __init__(self, cwd: Path, reuse: bool = True) -> None:
            self.number = len(made)
            made.append(self)

        def prepare(self) -> None:
            events.add("launch", self.number)

        def acquire(self, cwd: Path, env: dict[str, str]) -> object:
            return object()

        def release(self, ok: bool) -> None: ...

        def close(self) -> None: ...

        def kill(self) -> None: ...

    def run_notebook(nb_path, *args, **kwargs) -> None:
        events.add("run", nb_path.stem, threading.current_thread().name)

    monkeypatch.setattr(kernels, "KernelSlot", FakeSlot)
    monkeypatch.setattr(engine_module, "run_notebook", run_notebook)
    return events


class FakeJob:
    def __init__(self, client_id: str, events: Events, preparing: bool = False) -> None:
        self.client_id, self.events, self.preparing = client_id, events, preparing

    def prepare(self, submit):
        self.events.add("prepare", self.client_id, threading.current_thread().name)
        first = NotebookTask(self.client_id, Path("01.ipynb"), Path("out/01.ipynb"), {}, Path("."))
        submit([first])
        self.events.add("submitted", self.client_id)
        if self.preparing:  # still diagnosing: another worker runs the page meanwhile
            self.events.wait_for(("run", "01", "w1"))
        return []

    def notebook_done(self, result) -> None: ...

    def finish(self) -> str:
        return self.client_id

    def abort(self) -> None: ...


def test_two_workers_one_kernel_warms_first_worker_0_prepares_and_launches_with_a_page(events):
    engine = Engine(2, Path(".")).start()
    events.wait_for(("launch", 1))
    time.sleep(0.1)
    assert ("launch", 0) not in events  # not beside the other's warm-up and the imports

    assert engine.run([FakeJob("a", events, preparing=True)]) == ["a"]

    assert events.index(("prepare", "a", "w0")) < events.index(("launch", 0))
    # launched once its preparation queued a page (which the other worker runs)
    assert events.index(("launch", 0)) < events.index(("submitted", "a"))


def test_one_worker_launches_its_kernel_at_once(events):
    engine = Engine(1, Path(".")).start()
    events.wait_for(("launch", 0))

    assert engine.run([FakeJob("a", events)]) == ["a"]
    assert ("run", "01", "w0") in events
