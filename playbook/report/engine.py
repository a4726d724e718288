"""Schedule a batch of client renders on warm kernels, one (client, notebook) pair per task.

Each client is a :class:`Job` in three steps: ``prepare`` (validate, load and diagnose once;
submits each notebook task as soon as what it reads is ready, returns the rest), its
:class:`NotebookTask`\\ s, then ``finish`` (site, PDF, scores, manifest, publish).
``workers`` threads share one queue; each owns a
:class:`~playbook.report.kernels.KernelSlot`, launched as the batch starts, so kernels warm
up while the first client is prepared. A worker takes, in order: a client to finish, the
next client to prepare while fewer clients than workers are in flight, a notebook (earliest
client first; longest first, as it took for an earlier client), else the next client to
prepare; one client prepares at a time. So two workers stay busy with one client (one runs
the first framework's page while the other diagnoses the next framework), the next client is
prepared while the other workers run the notebooks of the previous one, and the last client
ends with its shortest pages.

Ctrl-C (or SIGTERM turned into ``KeyboardInterrupt``) in the calling thread kills every
kernel, waits briefly for the workers and lets each job clean up (``Job.abort``).
"""

from __future__ import annotations

import asyncio
import math
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from playbook.report.execute import Failure, failure_from, run_notebook
from playbook.report.options import RenderOptions
from playbook.report.publish import last_good

if TYPE_CHECKING:
    from playbook.report.kernels import KernelSlot
    from playbook.report.zygote import Zygote

#: Seconds the workers get to stop after an interrupt before the jobs are cleaned up.
STOP_GRACE = 10.0


@dataclass(frozen=True)
class NotebookTask:
    """One notebook to execute for one client."""

    client_id: str
    notebook: Path
    executed: Path
    parameters: dict
    cwd: Path
    env: dict[str, str] = field(default_factory=dict)
    #: a big client's page: one runs at a time, another waits (each holds gigabytes)
    heavy: bool = False


@dataclass(frozen=True)
class TaskResult:
    """How a notebook task went: seconds, why it failed (None when it ran), and the
    executed notebook (an ``nbformat.NotebookNode``; None when it failed)."""

    task: NotebookTask
    seconds: float
    failure: Failure | None = None
    notebook: object = None


class Job(Protocol):
    """One client's render, driven by the engine."""

    client_id: str

    def prepare(self, submit: Callable[[Sequence[NotebookTask]], None]) -> Sequence[NotebookTask]:
        """Prepare the client; ``submit`` notebooks that can run already, return the others
        (none submitted or returned: finish at once)."""

    def notebook_done(self, result: TaskResult) -> None:
        """Record a finished notebook (called from the engine's recorder thread, one at a
        time, while the worker's kernel runs its next notebook)."""

    def finish(self) -> object:
        """Build and publish the report after the last notebook; return the job's result."""

    def abort(self) -> None:
        """Clean up after an interrupt (remove temporary files)."""


class _Queue:
    """The engine's shared state: what is left to prepare, run and finish."""

    def __init__(self, jobs: Sequence[Job], workers: int = 1) -> None:
        self.to_prepare: deque[int] = deque(range(len(jobs)))
        self.notebooks: deque[tuple[int, NotebookTask]] = deque()
        self.to_finish: deque[int] = deque()
        self.open: dict[int, int] = {}
        #: jobs still preparing (more notebooks may come; they cannot finish yet)
        self.preparing: set[int] = set()
        #: jobs whose preparation crashed: their notebooks are dropped, they never finish
        self.dropped: set[int] = set()
        #: jobs preparing or prepared, not yet finishing
        self.in_flight: set[int] = set()
        self.workers = workers
        #: seconds each notebook (by path) took when it last ran in this batch
        self.seconds: dict[Path, float] = {}
        #: a heavy notebook is running (another one waits)
        self.heavy = False
        self.busy = 0
        self.cond = threading.Condition()
        self.stopped = False

    def take(self) -> tuple[str, int, NotebookTask | None] | None:
        """Block until there is work; return (kind, job index, task), or None when done."""
        with self.cond:
            while not self.stopped:
                item = self.pick()
                if item is not None:
                    self.busy += 1
                    return item
                if self.busy == 0:
                    return None
                self.cond.wait()
            return None

    def pick(self) -> tuple[str, int, NotebookTask | None] | None:
        """Return the next piece of work, marked taken (None: nothing to do now).

        In order: a client to finish; the next client to prepare, when fewer clients than
        workers are in flight (it is prepared while the other workers run notebooks); a
        notebook, earliest client first, longest first (``next_notebook``); the next client
        to prepare. One client prepares at a time: the renderer is one process, and two
        preparations would share its core (the GIL) while every kernel waits for the first
        page of either. No client prepares while a big client's pages wait or run
        (``NotebookTask.heavy``): the next client may be big too, and its preparation takes
        gigabytes as well.
        """
        with self.cond:
            heavy = self.heavy or any(task.heavy for _, task in self.notebooks)
            can_prepare = bool(self.to_prepare) and not self.preparing and not heavy
            if self.to_finish:
                index = self.to_finish.popleft()
                self.in_flight.discard(index)
                return "finish", index, None
            if self.notebooks and not (can_prepare and len(self.in_flight) < self.workers):
                if (item := self.next_notebook()) is not None:
                    index, task = item
                    self.heavy = self.heavy or task.heavy
                    return "notebook", index, task
            if can_prepare:
                index = self.to_prepare.popleft()
                self.open[index] = 0
                self.preparing.add(index)
                self.in_flight.add(index)
                return "prepare", index, None
            return None

    def next_notebook(self) -> tuple[int, NotebookTask] | None:
        """Remove and return the next notebook to run: the earliest client's, longest first.

        A notebook that ran for an earlier client of the batch should take about as long
        for this one; one not run yet comes first, in the order queued. So the batch's last
        client ends with its shortest pages and the workers end together, instead of one
        kernel idling while the other runs a long page. While a heavy notebook runs, another
        heavy one waits (a later client's light one may run); None when only those wait.
        """
        ready = [i for i, (_, task) in enumerate(self.notebooks) if not (self.heavy and task.heavy)]
        if not ready:
            return None
        first = self.notebooks[ready[0]][0]
        position = max(
            (i for i in ready if self.notebooks[i][0] == first),
            key=lambda i: self.seconds.get(self.notebooks[i][1].notebook, math.inf),
        )
        item = self.notebooks[position]
        del self.notebooks[position]
        return item

    def ran(self, task: NotebookTask, seconds: float | None) -> None:
        """Note a notebook ended; remember how long it took when it ran well (``seconds``;
        None when it failed), for the next clients' order."""
        with self.cond:
            if seconds is not None:
                self.seconds[task.notebook] = seconds
            if task.heavy:
                self.heavy = False
                self.cond.notify_all()

    def done(self, finish: int | None = None, tasks: Sequence[tuple[int, NotebookTask]] = ()):
        """Mark one piece of work done, queueing a client to finish or new notebooks."""
        with self.cond:
            self.busy -= 1
            if finish is not None:
                self.to_finish.append(finish)
            self.notebooks.extend(tasks)
            self.cond.notify_all()

    def submit(self, index: int, tasks: Sequence[NotebookTask]) -> None:
        """Queue notebooks of a job that is still preparing."""
        with self.cond:
            self.open[index] += len(tasks)
            self.notebooks.extend((index, t) for t in tasks)
            self.cond.notify_all()

    def notebook_done(self, index: int) -> bool:
        """Count a job's notebook done; tell whether it was the job's last."""
        with self.cond:
            self.open[index] -= 1
            return self.open[index] == 0 and not ({index} & (self.preparing | self.dropped))

    def prepared(self, index: int, tasks: Sequence[NotebookTask]) -> None:
        """Mark a job prepared with its last notebooks, queueing it to finish when none
        is left to run."""
        with self.cond:
            self.preparing.discard(index)
            self.open[index] += len(tasks)
            last = self.open[index] == 0
        self.done(finish=index if last else None, tasks=[(index, t) for t in tasks])

    def drop(self, index: int) -> None:
        """Forget a job whose preparation crashed: its queued notebooks, its finish."""
        with self.cond:
            self.preparing.discard(index)
            self.in_flight.discard(index)
            self.dropped.add(index)
            self.notebooks = deque(n for n in self.notebooks if n[0] != index)

    def stop(self) -> None:
        with self.cond:
            self.stopped = True
            self.cond.notify_all()


def _close_thread_loop() -> None:
    """Close the event loop the kernels' ``run_sync`` made for this (ending) thread; left
    open, it would be reported unclosed ("ResourceWarning: unclosed event loop")."""
    try:
        loop = asyncio.get_event_loop_policy().get_event_loop()
    except RuntimeError:  # none made in this thread
        return
    if not loop.is_running():
        loop.close()
    asyncio.set_event_loop(None)


class Engine:
    """Run jobs on ``workers`` threads, each with its own warm kernel.

    ``start`` launches the workers and their kernels early (the CLI does it before it imports
    the rest of the renderer and validates the clients, so kernels warm up meanwhile; not
    when every client has a report already: see ``for_options``);
    ``run`` runs one batch of jobs (starting the workers if needed) and stops them; ``close``
    stops workers that never got a batch.

    Args:
        workers: Threads (and kernels) working at once.
        cwd: The folder kernels start in.
        reuse: Reuse each kernel between notebooks (reset), else a fresh kernel per notebook.
        cell_timeout: Seconds a cell may run (None: no limit).
    """

    def __init__(
        self,
        workers: int,
        cwd: Path,
        *,
        reuse: bool = True,
        cell_timeout: int | None = None,
    ) -> None:
        self.workers, self.cwd, self.reuse = max(1, workers), Path(cwd), reuse
        self.cell_timeout = cell_timeout
        self.slots: list[KernelSlot] = []
        self._threads: list[threading.Thread] = []
        self._batch: tuple[Sequence[Job], _Queue, list] | None = None
        self._go = threading.Event()
        #: worker 0 took the batch's first piece of work (see ``_work``)
        self._first_taken = threading.Event()
        #: records finished notebooks (exports their pages) one at a time, off the workers
        self._recorder: ThreadPoolExecutor | None = None
        #: launch the kernels as the workers start (else with their first notebook)
        self.warm = True
        #: forks the kernels warm when more than one is launched (``start``)
        self.zygote: Zygote | None = None

    @classmethod
    def for_options(cls, options: RenderOptions) -> Engine:
        """Return a (not yet started) engine for a render's options.

        Its kernels are launched as it starts, unless every client has a good report
        already and no page is forced: then most pages are likely reused (or have their
        views written in), and a kernel is launched only for a page that runs.
        """
        out = Path(options.out_dir)
        rendered = all(last_good(out / c) for c in options.clients)
        engine = cls(
            options.workers,
            Path(options.notebooks_dir),
            reuse=options.reuse_kernels,
            cell_timeout=options.cell_timeout,
        )
        engine.warm = options.force or bool(options.only) or not rendered
        return engine

    def start(self) -> Engine:
        """Launch the workers now; each launches its kernel (when ``warm``), then waits for
        ``run``.

        Not ``warm``: a worker launches its kernel when it takes its first notebook, so a
        render that runs none starts no kernel.

        When it launches more than one kernel (several workers, or a fresh kernel per
        notebook), a zygote pays the kernels' warm-up once and forks each kernel warm
        (``zygote``): about 1.5 s of CPU saved per kernel after the first, on cores the
        renderer and the other kernels need.
        """
        if not self._threads:
            from playbook.report.kernels import KernelSlot, warm_up_code  # (no jupyter_client)
            from playbook.report.zygote import Zygote, available

            if self.warm and (self.workers > 1 or not self.reuse) and available():
                try:
                    self.zygote = Zygote(warm_up_code())
                except OSError:  # (no process or pipe to spare) kernels launch as usual
                    self.zygote = None
            self.slots = [
                KernelSlot(self.cwd, reuse=self.reuse, zygote=self.zygote)
                for _ in range(self.workers)
            ]
            self._threads = [
                threading.Thread(target=self._work, args=(slot, i), daemon=True, name=f"w{i}")
                for i, slot in enumerate(self.slots)
            ]
            for thread in self._threads:
                thread.start()
        return self

    def close(self) -> None:
        """Stop workers that never got a batch (their kernels are killed); else do nothing."""
        if self._threads and not self._go.is_set():
            self._go.set()  # with no batch: each worker closes its slot and ends
            for slot in self.slots:
                slot.kill()
            for thread in self._threads:
                thread.join(timeout=STOP_GRACE)
            self._stop_zygote(now=True)

    def _stop_zygote(self, now: bool = False) -> None:
        """Stop the zygote, if any, once the workers have stopped their kernels (``now``:
        killed)."""
        zygote, self.zygote = self.zygote, None
        if zygote is not None:
            if now:
                zygote.kill()
            zygote.close()

    def run(self, jobs: Sequence[Job]) -> list[object]:
        """Run every job; return their results in order (an exception stands for a result)."""
        if self._go.is_set():
            raise RuntimeError("an engine runs one batch")
        queue = _Queue(jobs, self.workers)
        results: list[object] = [None] * len(jobs)
        self._batch = (jobs, queue, results)
        self._recorder = ThreadPoolExecutor(1, thread_name_prefix="record")
        self.start()
        self._go.set()
        threads = self._threads
        try:
            while any(t.is_alive() for t in threads):
                for thread in threads:
                    thread.join(timeout=0.2)
            self._recorder.shutdown()  # nothing left: the workers ended with every record
            self._stop_zygote()
        except BaseException:
            queue.stop()
            self._recorder.shutdown(wait=False, cancel_futures=True)
            for slot in self.slots:
                slot.kill()
            deadline = time.monotonic() + STOP_GRACE
            for thread in threads:
                thread.join(timeout=max(0.0, deadline - time.monotonic()))
            self._stop_zygote(now=True)
            for job in jobs:
                job.abort()
            raise
        return results

    def _work(self, slot: KernelSlot, number: int) -> None:
        """Work until the queue is empty; the slot's kernel is launched first, to warm up.

        With several workers, worker 0 takes the batch's first piece of work (preparing the
        first client) and launches its kernel only once that preparation queues its first
        notebook (or ends); the others launch theirs at once. So the kernels do not both
        warm up beside the renderer's imports and first preparation (the way to the first
        page), and worker 0's warms up while the first page starts on another one, when the
        renderer alone is busy (it imports papermill, the kernel waits for its first cells).
        """
        first = number == 0 and self.workers > 1
        pending = [slot] if first and self.warm else []  # kernels to launch later

        def launch_pending() -> None:
            while pending:
                self._launch(pending.pop())

        def submit(index: int, tasks: Sequence[NotebookTask]) -> None:
            queue.submit(index, tasks)
            launch_pending()

        try:
            if self.warm and not first:
                self._launch(slot)
            self._go.wait()
            if self._batch is None:  # closed before any batch
                return
            jobs, queue, results = self._batch
            if number > 0:
                self._first_taken.wait()
            while (item := self._take(queue, first)) is not None:
                first = False
                kind, index, task = item
                job = jobs[index]
                if kind == "prepare":
                    try:
                        tasks = list(job.prepare(lambda t, i=index: submit(i, t)))
                    except Exception as exc:  # a bug preparing one client never stops others
                        results[index] = exc
                        job.abort()  # its staging folder (and prepared data) go
                        queue.drop(index)  # the notebooks it submitted are not run
                        queue.done()
                        continue
                    finally:
                        launch_pending()
                    queue.prepared(index, tasks)
                elif kind == "notebook":
                    launch_pending()  # (else the slot launches it now)
                    # recorded (the page exported) by the recorder thread while this worker's
                    # kernel already runs its next notebook; the task counts as busy until then
                    result = self._run(slot, task)
                    queue.ran(task, result.seconds if result.failure is None else None)
                    self._recorder.submit(self._record, job, index, result, queue)
                else:
                    try:
                        results[index] = job.finish()
                    except Exception as exc:  # a bug finishing one client never stops others
                        results[index] = exc
                    queue.done()
        finally:
            if number == 0:  # (however worker 0 ended) the others never wait for it
                self._first_taken.set()
            slot.close()
            _close_thread_loop()

    @staticmethod
    def _launch(slot: KernelSlot) -> None:
        """Launch the slot's kernel to warm up (a failure shows with its first notebook)."""
        try:
            slot.prepare()
        except Exception:  # the first notebook will report why no kernel starts
            pass

    def _take(self, queue: _Queue, first: bool) -> tuple[str, int, NotebookTask | None] | None:
        """Take the next piece of work; worker 0's first lets the other workers take theirs
        (so worker 0 prepares the first client, while their kernels warm up)."""
        try:
            return queue.take()
        finally:
            if first:
                self._first_taken.set()

    @staticmethod
    def _record(job: Job, index: int, result: TaskResult, queue: _Queue) -> None:
        """Record a finished notebook with its job; queue the job to finish after its last."""
        try:
            job.notebook_done(result)
        except Exception:  # recording or reporting it failed: the client still finishes
            pass  # (the notebook counts as not run), the batch goes on
        last = queue.notebook_done(index)
        queue.done(finish=index if last else None)

    def _run(self, slot: KernelSlot, task: NotebookTask) -> TaskResult:
        """Run one notebook on the slot's kernel; the kernel is replaced if it failed."""
        t0 = time.perf_counter()
        ok = False
        try:
            kernel = slot.acquire(task.cwd, task.env)
            nb = run_notebook(
                task.notebook, task.executed, task.parameters, kernel, self.cell_timeout
            )
            ok = True
            result = TaskResult(task, time.perf_counter() - t0, notebook=nb)
        except Exception as exc:  # one failing notebook never stops the others
            failure = failure_from(task.client_id, task.notebook.stem, exc)
            result = TaskResult(task, time.perf_counter() - t0, failure)
        finally:
            slot.release(ok)
        return result
