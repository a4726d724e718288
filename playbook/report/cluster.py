"""Render a batch of clients on a Dask distributed cluster: one task per client.

``--scheduler ADDRESS`` connects to a running scheduler (``dask.distributed.Client``);
``--scheduler local:N`` starts a ``LocalCluster`` of N worker processes for the batch. Each
client's render (prepare, notebooks on ``--workers`` warm kernels, site, publish) runs on one
worker (``render_task``). Every finished notebook comes back through a Dask queue as the
usual progress line; a failed client comes back as a failed result. A worker that dies
mid-render fails that client only: its staging folder is removed, the failure is recorded
under ``_failed/`` for the portfolio, the previous report stays and the batch goes on.

Workers need the same package version (checked before anything is submitted) and the same
paths for the clients, notebooks and output folders (shared storage).
"""

from __future__ import annotations

import logging
import re
import shutil
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import dask
from distributed import Client, LocalCluster, Queue

from playbook import __version__
from playbook.report.incremental import package_digests
from playbook.report.job import crashed, render_batch
from playbook.report.manifest import failure_manifest, write_manifest
from playbook.report.notebooks import discover_notebooks
from playbook.report.options import RenderOptions
from playbook.report.publish import fresh_failed_dir, recover, staging_dirs
from playbook.report.results import ClientResult, Counter, Progress, ProgressEvent

LOCAL = re.compile(r"^local:(?P<n>[1-9]\d*)$")
#: Seconds between two looks at the progress queue.
POLL = 0.5


class ClusterError(ValueError):
    """An unusable ``--scheduler``: unreachable, or its workers run another package version."""


def identity() -> tuple[str, str]:
    """Return this process's package version and code digest (run on every worker)."""
    return __version__, package_digests()[0]


@contextmanager
def connect(address: str) -> Iterator[Client]:
    """Connect to a scheduler, or start a local cluster for ``local:N``.

    Raises:
        ClusterError: The scheduler cannot be reached.
    """
    local = LOCAL.match(address)
    try:
        if local:
            # a worker that dies fails its client at once instead of retrying it elsewhere
            with dask.config.set({"distributed.scheduler.allowed-failures": 0}):
                cluster = LocalCluster(
                    n_workers=int(local["n"]),
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=None,
                    silence_logs=logging.ERROR,
                )
            client = Client(cluster)
        else:
            cluster, client = None, Client(address, timeout=30)
    except OSError as exc:
        raise ClusterError(f"cannot reach the Dask scheduler {address!r}: {exc}") from exc
    try:
        yield client
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def check_versions(client: Client) -> None:
    """Refuse a cluster whose workers run another version or other code of the package.

    Raises:
        ClusterError: Some worker differs from this process (or there is no worker).
    """
    mine = identity()
    theirs = client.run(identity)
    if not theirs:
        raise ClusterError("the Dask cluster has no worker")
    different = sorted(w for w, ident in theirs.items() if tuple(ident) != mine)
    if different:
        raise ClusterError(
            f"workers {', '.join(different)} run another version of service-strategy-playbook "
            f"than this one ({__version__}); install the same version on every worker"
        )


def render_task(
    client_id: str, options: RenderOptions, report_date: str, queue_name: str
) -> ClientResult:
    """Render one client on a worker; report each finished notebook to the queue."""
    queue = Queue(queue_name)
    counted = [0]

    def progress(event: ProgressEvent) -> None:
        n, counted[0] = event.done - counted[0], event.done
        queue.put((event.client_id, event.notebook, event.seconds, event.ok, event.reused, n))

    one = replace(options, clients=(client_id,), scheduler="")
    return render_batch(one, report_date, progress)[0]


def render_on_cluster(
    options: RenderOptions, report_date: str, progress: Progress | None
) -> list[ClientResult]:
    """Render ``options.clients`` as tasks on ``options.scheduler``; results in order."""
    n_notebooks = len(discover_notebooks(options.notebooks_dir))
    counter = Counter(len(options.clients) * n_notebooks, progress)
    results: dict[str, ClientResult] = {}
    try:
        with connect(options.scheduler) as client:
            check_versions(client)
            queue = Queue(f"playbook-progress-{uuid.uuid4().hex}", client=client)
            futures = {
                client.submit(
                    render_task,
                    cid,
                    options,
                    report_date,
                    queue.name,
                    key=f"playbook-render-{cid}-{uuid.uuid4().hex[:8]}",
                    pure=False,
                ): cid
                for cid in options.clients
            }
            pending = set(futures)
            while pending:
                time.sleep(POLL)
                _drain(queue, counter)
                for future in [f for f in pending if f.done()]:
                    pending.discard(future)
                    results[futures[future]] = _outcome(futures[future], future, options)
            _drain(queue, counter)
    except BaseException:  # interrupted: the cluster is closed (a local one with its workers)
        for cid in options.clients:
            if cid not in results:
                _discard_staging(Path(options.out_dir), cid)
        raise
    return [results[cid] for cid in options.clients]


def _drain(queue: Queue, counter: Counter) -> None:
    """Report every progress event waiting in the queue."""
    for client_id, notebook, seconds, ok, reused, n in queue.get(batch=True):
        counter.tick(client_id, notebook, seconds, ok, n=n, reused=reused)


def _outcome(client_id: str, future: object, options: RenderOptions) -> ClientResult:
    """Return a finished task's result; a task that failed (its worker died) fails cleanly."""
    if future.status == "finished":
        return future.result()
    result = crashed(client_id, future.exception())
    _discard_staging(Path(options.out_dir), client_id)
    _record_failure(client_id, result, options)
    return result


def _discard_staging(out_dir: Path, client_id: str) -> None:
    """Remove a dead render's staging folders (none of this batch renders it any more)."""
    for tmp in staging_dirs(out_dir, client_id):
        shutil.rmtree(tmp, ignore_errors=True)
    recover(out_dir, client_id)


def _record_failure(client_id: str, result: ClientResult, options: RenderOptions) -> None:
    """Keep a manifest of the failed render under ``_failed/`` (the portfolio shows it)."""
    failed = fresh_failed_dir(Path(options.out_dir), client_id)
    notebooks = [(r.notebook, r.seconds, str(r.failure or "")) for r in result.notebooks]
    write_manifest(
        failed / "manifest.json",
        failure_manifest(client_id, options, "failed", notebooks=notebooks),
    )
