"""The engine's queue: what a free worker takes next (no kernels, no threads)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from playbook.report.engine import NotebookTask, _Queue


def task(client: str, stem: str) -> NotebookTask:
    return NotebookTask(client, Path(f"{stem}.ipynb"), Path(f"out/{stem}.ipynb"), {}, Path("."))


def test_one_client_prepares_at_a_time_and_the_next_one_ahead_of_notebooks():
    queue = _Queue(["a", "b", "c"], workers=2)
    assert queue.pick() == ("prepare", 0, None)
    # the second worker does not prepare "b" beside "a" (one renderer process: they would
    # share one core); it waits for a's first page
    assert queue.pick() is None
    a1, a2, a3 = task("a", "01"), task("a", "02"), task("a", "03")
    queue.submit(0, [a1])
    assert queue.pick() == ("notebook", 0, a1)
    queue.prepared(0, [a2, a3])
    # "a" is prepared, one client in flight for two workers: "b" is prepared ahead while
    # the other worker runs a's notebooks
    assert queue.pick() == ("prepare", 1, None)
    assert queue.pick() == ("notebook", 0, a2)
    b1 = task("b", "01")
    queue.prepared(1, [b1])
    # two clients in flight for two workers: notebooks first, "c" waits
    assert queue.pick() == ("notebook", 0, a3)
    assert queue.pick() == ("notebook", 1, b1)
    # no notebook left: a worker with nothing else to do prepares "c"
    assert queue.pick() == ("prepare", 2, None)


def test_one_worker_runs_a_clients_notebooks_before_preparing_the_next():
    queue = _Queue(["a", "b"], workers=1)
    assert queue.pick() == ("prepare", 0, None)
    a1 = task("a", "01")
    queue.prepared(0, [a1])
    # one worker, one client in flight: a's notebook before "b" is prepared (as before)
    assert queue.pick() == ("notebook", 0, a1)


def test_a_later_clients_notebooks_run_longest_first_as_they_took_for_an_earlier_one():
    queue = _Queue(["a", "b"], workers=2)
    assert queue.pick() == ("prepare", 0, None)
    queue.prepared(0, [task("a", "01"), task("a", "02"), task("a", "03")])
    assert queue.pick() == ("prepare", 1, None)
    for seconds in (1.0, 5.0, 3.0):  # a's notebooks, none run before: as queued, 01, 02, 03
        _, _, ran = queue.pick()
        queue.ran(ran, seconds)
    queue.prepared(1, [task("b", "01"), task("b", "02"), task("b", "03"), task("b", "90")])
    # 90 never ran: unknown, first; then 02 (5 s), 03 (3 s), 01 (1 s)
    order = [queue.pick()[2].notebook.stem for _ in range(4)]
    assert order == ["90", "02", "03", "01"]


def test_the_earliest_clients_notebooks_run_before_a_later_clients_longer_ones():
    queue = _Queue(["a", "b"], workers=2)
    queue.ran(task("b", "02"), 9.0)
    queue.ran(task("a", "01"), 1.0)
    queue.notebooks.extend([(0, task("a", "01")), (1, task("b", "02"))])
    assert queue.next_notebook() == (0, task("a", "01"))


def test_a_big_clients_pages_run_one_at_a_time_and_a_light_one_runs_beside():
    # a big client's page holds gigabytes: two at once would add up past the memory bound
    queue = _Queue(["big", "small"], workers=2)
    heavy = [replace(task("big", s), heavy=True) for s in ("01", "02")]
    light = task("small", "01")
    queue.to_prepare.clear()  # both prepared
    queue.notebooks.extend([(0, heavy[0]), (0, heavy[1]), (1, light)])
    assert queue.pick() == ("notebook", 0, heavy[0])
    # the big client's second page waits; the small client's runs beside the first
    assert queue.pick() == ("notebook", 1, light)
    assert queue.pick() is None
    queue.ran(light, 1.0)
    assert queue.pick() is None, "a light page ending frees no heavy one"
    queue.ran(heavy[0], None)  # (failed or not, it ended)
    assert queue.pick() == ("notebook", 0, heavy[1])


def test_no_client_is_prepared_while_a_big_clients_pages_wait_or_run():
    # the next client may be big too: its preparation beside a big page would pass the bound
    queue = _Queue(["big", "next"], workers=2)
    assert queue.pick() == ("prepare", 0, None)
    heavy = [replace(task("big", s), heavy=True) for s in ("01", "02")]
    queue.prepared(0, heavy)
    assert queue.pick() == ("notebook", 0, heavy[0])
    assert queue.pick() is None, "02 waits for 01, and 'next' for both"
    queue.ran(heavy[0], 2.0)
    assert queue.pick() == ("notebook", 0, heavy[1])
    assert queue.pick() is None, "the last big page runs: 'next' still waits"
    queue.ran(heavy[1], 2.0)
    assert queue.pick() == ("prepare", 1, None)
