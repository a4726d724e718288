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
import playbook.report.zygote as zygote_module
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
        def __init__(self, cwd: Path, reuse: bool = True, zygote: object = None) -> None:
            self.number = len(made)
            made.append(self)
            events.add("slot", self.number, zygote)

        def prepare(self) -> None:
            events.add("launch", self.number)

        def acquire(self, cwd: Path, env: dict[str, str]) -> object:
            return object()

        def release(self, ok: bool) -> None: ...

        def close(self) -> None:
            events.add("slot closed", self.number)

        def kill(self) -> None: ...

    def run_notebook(nb_path, *args, **kwargs) -> None:
        events.add("run", nb_path.stem, threading.current_thread().name)

    class FakeZygote:
        def __init__(self, warm_up: str) -> None:
            events.add("zygote", warm_up)

        def close(self) -> None:
            events.add("zygote closed")

        def kill(self) -> None:
            events.add("zygote killed")

    monkeypatch.setattr(kernels, "KernelSlot", FakeSlot)
    monkeypatch.setattr(zygote_module, "Zygote", FakeZygote)
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


def _zygotes(events: Events) -> list:
    return [event for event in events if event[0] == "zygote"]


@pytest.mark.parametrize(
    ("workers", "reuse", "forked"), [(2, True, True), (1, False, True), (1, True, False)]
)
def test_kernels_are_forked_warm_when_more_than_one_is_launched(events, workers, reuse, forked):
    engine = Engine(workers, Path("."), reuse=reuse).start()
    assert engine.run([FakeJob("a", events)]) == ["a"]

    slots = [event for event in events if event[0] == "slot"]
    assert len(slots) == workers
    if forked:
        assert _zygotes(events) == [("zygote", kernels.warm_up_code())]
        assert all(zygote is not None for _, _, zygote in slots)  # one zygote for every slot
        assert len({id(zygote) for _, _, zygote in slots}) == 1
        # closed once the workers have closed their slots (their kernels)
        closed = [event for event in events if event[0] in ("slot closed", "zygote closed")]
        assert closed[-1] == ("zygote closed",) and len(closed) == workers + 1
    else:
        assert _zygotes(events) == []
        assert slots == [("slot", 0, None)]


def test_no_zygote_when_kernels_launch_with_their_first_page(events):
    engine = Engine(2, Path("."))
    engine.warm = False  # every client rendered already: most pages are likely reused
    engine.start()
    assert engine.run([FakeJob("a", events)]) == ["a"]
    assert _zygotes(events) == []


def test_an_engine_closed_without_a_batch_kills_its_zygote(events):
    engine = Engine(2, Path(".")).start()
    engine.close()
    assert events[-2:] == [("zygote killed",), ("zygote closed",)]


def test_kernels_launch_as_usual_when_the_zygote_cannot_start(events, monkeypatch):
    def no_process(warm_up: str) -> None:
        raise OSError("no process to spare")

    monkeypatch.setattr(zygote_module, "Zygote", no_process)
    engine = Engine(2, Path(".")).start()
    assert engine.run([FakeJob("a", events)]) == ["a"]
    assert [event for event in events if event[0] == "slot"] == [
        ("slot", 0, None),
        ("slot", 1, None),
    ]
