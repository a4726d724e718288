"""One client's render as the engine drives it: prepare, notebooks, finish and publish.

Everything is written to a staging folder next to ``<out>/<client_id>/`` and moved into
place only when every step succeeded, so a failed or interrupted run never leaves a report
that looks complete; the previous good report stays. A failed run is kept under
``<out>/_failed/<client_id>/``; a client whose data failed validation leaves a manifest
there naming the problems.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timezone
from pathlib import Path

from playbook.config import SUMMARY_STEM
from playbook.data.commentary import FrameworkCommentary
from playbook.data.settings import PREPARED_ENV
from playbook.report.assemble import Assembly, assemble, export_page, write_client_manifest
from playbook.report.engine import Engine, NotebookTask, TaskResult
from playbook.report.execute import failure_from
from playbook.report.incremental import (
    Decision,
    PageInputs,
    decide,
    previous_pages,
    previous_scores,
)
from playbook.report.manifest import (
    failure_manifest,
    file_hashes,
    make_portable,
    write_manifest,
)
from playbook.report.notebooks import discover_notebooks, notebook_slug
from playbook.report.options import RenderOptions
from playbook.report.prepared import PREPARED_DIR, InvalidClient, Prepared
from playbook.report.publish import (
    discard_failed,
    fresh_failed_dir,
    keep_failed,
    last_good,
    publish,
    recover,
    staging_dir,
)
from playbook.report.results import ClientResult, Counter, NotebookResult, Progress
from playbook.report.reuse import reused_client
from playbook.report.scope import report_notebooks
from playbook.report.views import rewrite_notebook

#: A client's pages start while it is still being diagnosed only when its tables (as the
#: kernels read them) are at most this big; a bigger client's wait until the renderer has
#: let go of its own copy, so the two are never in memory at once (10M orders: ~1.7 GB),
#: and run one at a time, no other client being prepared meanwhile (``NotebookTask.heavy``:
#: at 10M orders a page takes up to ~3 GB, a client's preparation ~3.5 GB).
STREAM_MAX_BYTES = 256 * 1024 * 1024


@dataclass(frozen=True)
class Planned:
    """One page of a client's report: its inputs, whether it runs, and what it keeps."""

    notebook: Path
    inputs: PageInputs
    decision: Decision
    #: the inputs a reused page was made from (its last report's manifest)
    kept: dict[str, str] | None = None
    #: the framework's commentary written into a reused page's view slots
    views: FrameworkCommentary | None = None


class ClientJob:
    """Render one client: its notebooks run as separate engine tasks.

    Args:
        client_id: The client's folder name.
        notebooks: The notebooks to run, in reading order.
        options: The render's options.
        report_date: The report's date, the same for every client of the batch.
        counter: Counts finished notebooks for the progress display.
    """

    def __init__(
        self,
        client_id: str,
        notebooks: Sequence[Path],
        options: RenderOptions,
        report_date: str,
        counter: Counter,
    ) -> None:
        self.client_id, self.notebooks, self.options = client_id, list(notebooks), options
        self.report_date, self.counter = report_date, counter
        self.out_dir = Path(options.out_dir)
        self.tmp: Path | None = None
        self.assembly: Assembly | None = None
        self.problems: tuple[str, ...] = ()
        self.failure: NotebookResult | None = None
        self.reasons: dict[str, str] = {}
        #: the manifest of the client's last good report ({} when none), read once
        self.last: dict = {}
        self.started = datetime.now(timezone.utc)

    def prepare(self, submit: Callable[[Sequence[NotebookTask]], None]) -> list[NotebookTask]:
        """Validate, load and diagnose the client once; return its notebook tasks.

        A framework's page is submitted as soon as that framework is diagnosed (when the
        client's tables are small: ``STREAM_MAX_BYTES``); the summary and the client's own
        pages (which may read every diagnosis) are returned when every framework is. A
        client whose pages are all reused from its last good report is neither loaded nor
        diagnosed (``reuse.py``).
        """
        self.started = datetime.now(timezone.utc)
        self.out_dir.mkdir(parents=True, exist_ok=True)
        recover(self.out_dir, self.client_id)
        self.tmp = staging_dir(self.out_dir, self.client_id)
        self.last = last_good(self.out_dir / self.client_id)
        # hashed before reading: a file saved while the client is prepared counts as
        # changed at the next render
        hashes = file_hashes(Path(self.options.clients_dir) / self.client_id)
        if self._reuse_all(hashes):
            return []
        # imported here: validating, loading and diagnosing need pandas, a reused report not
        from playbook.report.prepare import Preparation

        try:
            preparation = Preparation(
                self.client_id,
                Path(self.options.clients_dir),
                self.tmp,
                lang=self.options.lang,
                as_of=self.options.as_of,
                period_days=self.options.period_days,
                report_date=self.report_date,
                reports_dir=self.out_dir,
                hashes=hashes,
            )
        except InvalidClient as exc:
            self.problems = exc.problems
            self.counter.tick(self.client_id, "invalid data", 0.0, False, n=len(self.notebooks))
            shutil.rmtree(self.tmp, ignore_errors=True)
            return []
        except Exception as exc:  # e.g. an unusable as_of: this client fails, others go on
            failure = failure_from(self.client_id, "prepare", exc)
            self.failure = NotebookResult("prepare", 0.0, failure)
            self.counter.tick(self.client_id, "prepare", 0.0, False, n=len(self.notebooks))
            return []
        try:
            prepared = preparation.prepared
            self._scope(prepared)
            (self.tmp / "executed").mkdir()
            self.assembly = Assembly(self.client_id, prepared, self.notebooks, self.started)
            planned = self._place(self._decide(prepared, hashes), prepared)
            stream = prepared.folder.tables_bytes() <= STREAM_MAX_BYTES
            waiting = self._by_framework(self._record(planned, prepared, hashes, heavy=not stream))
            for diagnosis in preparation.diagnose(store=bool(waiting)):
                if stream and (ready := waiting.pop(diagnosis.framework.id, [])):
                    submit(ready)
            self.assembly.prepared = preparation.prepared  # with every diagnosis
            return [task for tasks in waiting.values() for task in tasks]
        except Exception as exc:  # the prepared data (raw rows) must not stay behind
            shutil.rmtree(self.tmp / PREPARED_DIR, ignore_errors=True)
            counted = len(self.assembly.results) if self.assembly is not None else 0  # reused
            self.assembly = None
            failure = failure_from(self.client_id, "prepare", exc)
            self.failure = NotebookResult("prepare", 0.0, failure)
            n = len(self.notebooks) - counted
            self.counter.tick(self.client_id, "prepare", 0.0, False, n=n)
            return []

    def _scope(self, prepared: Prepared) -> None:
        """Narrow the notebooks to the client's scope and add the client's own pages."""
        own = report_notebooks(self.notebooks, prepared.config, prepared.source)
        self.counter.resize(len(own) - len(self.notebooks))
        self.notebooks = own

    def _reuse_all(self, hashes: dict[str, str]) -> bool:
        """Take every page from the last good report, if none must run; tell whether done.

        When one must run (or this fails), nothing is recorded and the client is prepared
        in full.
        """
        shared = self.notebooks
        try:
            kept = reused_client(self.client_id, self.options, self.report_date, self.last)
            if kept is None:
                return False
            self.notebooks = report_notebooks(shared, kept.config, kept.source)
            planned = self._decide(kept, hashes)
            # the summary's inputs are all of the commentary but the views: with it reused,
            # no commentary the diagnoses read changed
            stems = {plan.notebook.stem for plan in planned}
            if SUMMARY_STEM in stems and all(plan.decision.reuse for plan in planned):
                (self.tmp / "executed").mkdir()
                planned = self._place(planned, kept)
            else:
                planned = []
        except Exception:  # e.g. a damaged page: the full preparation decides, and reports
            planned = []
        if not planned or not all(plan.decision.reuse for plan in planned):
            shutil.rmtree(self.tmp / "executed", ignore_errors=True)  # e.g. a page, no slots
            self.notebooks = shared
            return False
        self.counter.resize(len(self.notebooks) - len(shared))
        self.assembly = Assembly(self.client_id, kept, self.notebooks, self.started)
        self._record(planned, kept, hashes)
        return True

    def _decide(self, prepared: Prepared, hashes: dict[str, str]) -> list[Planned]:
        """Decide, page by page, whether it runs or is reused from the last good report."""
        client_dir = Path(self.options.clients_dir) / self.client_id
        report = self.out_dir / self.client_id
        previous = previous_pages(report, self.last)
        # the report date is shown by the summary only (the site's header is redone anyway):
        # the other pages are reused from one day to the next
        dated = {**prepared.parameters, "report_date": prepared.settings.report_date}
        history = previous_scores(report, prepared.settings.as_of)
        planned = []
        for nb in self.notebooks:
            parameters = dated if nb.stem == SUMMARY_STEM else prepared.parameters
            inputs = PageInputs.of(nb, notebook_slug(nb), parameters, client_dir, hashes, history)
            decision = decide(
                nb.stem,
                notebook_slug(nb),
                inputs,
                previous.get(nb.stem),
                force=self.options.force,
                only=self.options.only,
            )
            kept = previous.get(nb.stem, {}).get("inputs") if decision.reuse else None
            planned.append(Planned(nb, inputs, decision, kept))
        return planned

    def _place(self, planned: list[Planned], prepared: Prepared) -> list[Planned]:
        """Put each reused page's executed notebook in the staging folder, with today's
        views written in where its views alone changed (a page without slots runs instead)."""
        report = self.out_dir / self.client_id
        placed = []
        for plan in planned:
            nb, decision = plan.notebook, plan.decision
            executed = self.tmp / "executed" / nb.name
            if decision.views:
                views = prepared.commentary.framework(notebook_slug(nb))
                source = report / "executed" / nb.name
                if rewrite_notebook(source, executed, views, prepared.settings.lang):
                    plan = replace(plan, views=views)
                else:
                    ran = Decision(nb.stem, False, "changed: views")
                    plan = replace(plan, decision=ran, kept=None)
            elif decision.reuse:
                shutil.copy2(report / "executed" / nb.name, executed)
            placed.append(plan)
        return placed

    def _record(
        self,
        planned: list[Planned],
        prepared: Prepared,
        hashes: dict[str, str],
        heavy: bool = False,
    ) -> list[NotebookTask]:
        """Record the reused pages in the assembly; return tasks for the others (``heavy``:
        a big client's, see ``STREAM_MAX_BYTES``)."""
        report = self.out_dir / self.client_id
        self.assembly.hashes = hashes
        if self.last:
            self.assembly.previous_dir = report
            self.assembly.previous_site = self.last.get("site", "")
        env = {PREPARED_ENV: str(prepared.folder.folder)} if prepared.folder else {}
        tasks = []
        for plan in planned:
            nb, decision = plan.notebook, plan.decision
            if plan.views is not None:
                self.assembly.views[nb.stem] = plan.views
            # a kept page keeps the inputs it was made from (--only: its inputs may have
            # changed since; the next plain render must still see that); one with today's
            # views written in is today's
            inputs = asdict(plan.inputs)
            self.assembly.inputs[nb.stem] = inputs if decision.views else plan.kept or inputs
            if decision.reuse:
                result = NotebookResult(nb.stem, 0.0, reused=True, reason=decision.reason)
                self.assembly.results[nb.stem] = result
                self.counter.tick(self.client_id, nb.stem, 0.0, True, reused=True)
            else:
                self.reasons[nb.stem] = decision.reason
                executed = self.tmp / "executed" / nb.name
                tasks.append(
                    NotebookTask(
                        self.client_id, nb, executed, prepared.parameters, nb.parent, env, heavy
                    )
                )
        return tasks

    def _by_framework(self, tasks: list[NotebookTask]) -> dict[str, list[NotebookTask]]:
        """Group tasks by the framework whose diagnosis they wait for; "" (every framework)
        for the summary and the client's own pages."""
        shipped = Path(self.options.notebooks_dir)
        waiting: dict[str, list[NotebookTask]] = {}
        for task in tasks:
            nb = task.notebook
            key = notebook_slug(nb) if nb.parent == shipped and nb.stem != SUMMARY_STEM else ""
            waiting.setdefault(key, []).append(task)
        return waiting

    def notebook_done(self, result: TaskResult) -> None:
        """Record a finished notebook, export its page (while others run) and report it."""
        if self.assembly is None:  # the preparation failed after submitting it
            return
        stem = result.task.notebook.stem
        self.assembly.results[stem] = NotebookResult(
            stem, result.seconds, result.failure, reason=self.reasons.get(stem, "")
        )
        if result.failure is None and result.notebook is not None:
            try:
                page = export_page(self.assembly, result.task.notebook, result.notebook)
                self.assembly.exported[stem] = page
            except Exception:  # exported again when the report is assembled, which reports it
                pass
        self.counter.tick(self.client_id, stem, result.seconds, result.failure is None)

    def finish(self) -> ClientResult:
        """Assemble the report; publish it if every step succeeded, else keep it aside."""
        if self.failure is not None:
            return self._keep_failed_prepare()
        if self.assembly is None:
            self._record_invalid()
            return ClientResult(self.client_id, problems=self.problems)
        tmp = self.tmp
        try:
            assemble(tmp, self.assembly, self.options, self.counter)
        except Exception as exc:  # a bug in assembling one client never stops the others
            failure = failure_from(self.client_id, "report", exc)
            self.assembly.results["report"] = NotebookResult("report", 0.0, failure)
            write_client_manifest(tmp, self.assembly, self.options, "failed")
        shutil.rmtree(tmp / PREPARED_DIR, ignore_errors=True)
        # a reused page's notebook is portable already, but for views written in
        done = self.assembly.results.items()
        ran = [stem for stem, r in done if not r.reused or stem in self.assembly.views]
        folders = (self.options.clients_dir, self.options.notebooks_dir, self.out_dir)
        make_portable(tmp, *folders, stems=ran)
        results = tuple(self.assembly.ordered())
        if self.assembly.ok:
            dest = self.out_dir / self.client_id
            publish(tmp, dest)
            discard_failed(self.out_dir, self.client_id)
        else:
            dest = keep_failed(tmp, self.out_dir, self.client_id)
        self.tmp = None
        return ClientResult(self.client_id, notebooks=results, report_dir=dest)

    def abort(self) -> None:
        """Remove the staging folder after an interrupt (the previous report stays)."""
        if self.tmp is not None:
            shutil.rmtree(self.tmp, ignore_errors=True)

    def _keep_failed_prepare(self) -> ClientResult:
        """Keep aside a run whose preparation failed, with a manifest saying why."""
        notebooks = [("prepare", 0.0, str(self.failure.failure))]
        write_manifest(
            self.tmp / "manifest.json",
            failure_manifest(
                self.client_id, self.options, "failed", notebooks=notebooks, started=self.started
            ),
        )
        shutil.rmtree(self.tmp / PREPARED_DIR, ignore_errors=True)
        dest = keep_failed(self.tmp, self.out_dir, self.client_id)
        self.tmp = None
        return ClientResult(self.client_id, notebooks=(self.failure,), report_dir=dest)

    def _record_invalid(self) -> None:
        """Keep a manifest of a client whose data failed validation, for the portfolio."""
        client_dir = Path(self.options.clients_dir) / self.client_id
        if not client_dir.is_dir():
            return
        failed = fresh_failed_dir(self.out_dir, self.client_id)
        write_manifest(
            failed / "manifest.json",
            failure_manifest(
                self.client_id,
                self.options,
                "invalid",
                problems=self.problems,
                started=self.started,
            ),
        )


def render_batch(
    options: RenderOptions,
    report_date: str,
    progress: Progress | None,
    engine: Engine | None = None,
) -> list[ClientResult]:
    """Render ``options.clients`` on ``options.workers`` warm kernels (no portfolio).

    Args:
        options: The render's options, paths already absolute.
        report_date: The report's date for every client.
        progress: Called with each finished notebook.
        engine: An engine already started for these options (default: a new one).

    Returns:
        One result per client, in order; a client whose render crashed (a bug) is failed.
    """
    notebooks = discover_notebooks(options.notebooks_dir)
    counter = Counter(len(options.clients) * len(notebooks), progress)
    jobs = [ClientJob(c, notebooks, options, report_date, counter) for c in options.clients]
    engine = engine or Engine.for_options(options)
    outcomes = engine.run(jobs)
    return [crashed(job.client_id, out) for job, out in zip(jobs, outcomes, strict=True)]


def crashed(client_id: str, outcome: object) -> ClientResult:
    """Return a job's result; anything else (an exception) becomes a failed client."""
    if isinstance(outcome, ClientResult):
        return outcome
    error = outcome if isinstance(outcome, BaseException) else RuntimeError("no result")
    failure = failure_from(client_id, "render", error)
    return ClientResult(client_id, notebooks=(NotebookResult("render", 0.0, failure),))
