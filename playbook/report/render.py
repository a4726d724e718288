"""Render client reports: each client prepared once, its notebooks run on warm kernels.

Per client (``job.ClientJob``): the data is validated, loaded and diagnosed once
(``prepare.py``) and handed to the kernels; every notebook is a task of its own on the
engine's warm kernels (``engine.py``, ``kernels.py``), so ``workers`` kernels stay busy
within one client and across clients; the report is then assembled (``assemble.py``: site,
PDF, ``scores.json``, manifest) in a staging folder and published atomically
(``publish.py``). One failing client or notebook never stops the others. At the end the
portfolio index ``<out>/index.html`` is rebuilt from every client's files.
"""

from __future__ import annotations

import sys
from dataclasses import replace
from datetime import date, datetime, timezone
from pathlib import Path

from playbook.report.engine import Engine
from playbook.report.job import render_batch
from playbook.report.notebooks import (
    EXTRA_NOTEBOOKS,
    NOTEBOOK_NAME,
    discover_notebooks,
    notebook_slug,
    page_title,
)
from playbook.report.options import FORMATS, PDF_NAME, PPTX_NAME, RenderOptions
from playbook.report.portfolio import write_portfolio
from playbook.report.publish import FAILED_DIR, claim_out_dir
from playbook.report.results import (
    ClientResult,
    NotebookResult,
    Progress,
    ProgressEvent,
    print_progress,
)

__all__ = [
    "EXTRA_NOTEBOOKS",
    "FAILED_DIR",
    "FORMATS",
    "NOTEBOOK_NAME",
    "PDF_NAME",
    "PPTX_NAME",
    "ClientResult",
    "NotebookResult",
    "ProgressEvent",
    "RenderOptions",
    "discover_notebooks",
    "notebook_slug",
    "page_title",
    "print_progress",
    "render_clients",
]


def render_clients(
    options: RenderOptions,
    progress: Progress | None = print_progress,
    *,
    engine: Engine | None = None,
) -> list[ClientResult]:
    """Render every requested client on ``options.workers`` warm kernels.

    With ``options.scheduler``, each client's render is a task on a Dask cluster
    (``cluster.py``) instead, with ``options.workers`` kernels per client. ``engine``: one
    already started for these options (``Engine.start``; its kernels warm up while this
    checks the options), else one is made here.

    Returns:
        One result per client, in the order requested. A client whose data failed
        validation has ``problems`` and no report; a client with a failed notebook keeps
        its previous report, and the failed run sits under ``<out>/_failed/<client_id>/``.

    The portfolio index ``<out>/index.html`` is rebuilt at the end (also after an
    interruption), from every client rendered into ``out`` so far.

    Raises:
        ValueError: An unknown format; an unusable ``scheduler`` (``cluster.ClusterError``:
            unreachable, or workers running another version).
        UnsafeOutputError: ``out_dir`` is, contains or sits inside the clients folder, or
            holds files this tool did not write (``publish.claim_out_dir``).
    """
    unknown = [f for f in options.formats if f not in FORMATS]
    if unknown or not options.formats:
        raise ValueError(
            f"unknown format {', '.join(unknown) or '(none)'}; available: {', '.join(FORMATS)}"
        )
    options = replace(
        options,
        clients_dir=Path(options.clients_dir).resolve(),
        out_dir=Path(options.out_dir).resolve(),
        notebooks_dir=Path(options.notebooks_dir).resolve(),
    )
    claim_out_dir(options.out_dir, options.clients_dir, options.clients)
    report_date = date.today().isoformat()
    try:
        if options.scheduler:
            if engine is not None:
                engine.close()  # the cluster's workers run the kernels
            return _cluster().render_on_cluster(options, report_date, progress)
        return render_batch(options, report_date, progress, engine)
    finally:
        _rebuild_portfolio(options)


def _cluster():
    """Return the cluster module (it needs ``dask.distributed``, the ``cluster`` extra)."""
    try:
        from playbook.report import cluster
    except ImportError as exc:
        raise ValueError(
            "--scheduler needs dask.distributed: pip install 'service-strategy-playbook[cluster]'"
        ) from exc
    return cluster


def _rebuild_portfolio(options: RenderOptions) -> None:
    """Rewrite the portfolio index; a failure here is printed, never raised."""
    try:
        write_portfolio(
            options.out_dir, options.lang, datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
        )
    except Exception as exc:  # the clients' reports matter more than the overview
        print(f"portfolio index not written: {type(exc).__name__}: {exc}", file=sys.stderr)
