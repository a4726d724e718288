"""Render client reports: validate each client, run every notebook, write the report site.

Per client: every notebook runs with papermill; each executed notebook is exported to HTML
without code and dressed as one site (``site.py``: header, navigation, the executive summary
as ``index.html``); ``scores.json`` comes from ``diagnose_all`` in this process, the PDF
from ``pdf.py``, provenance from ``manifest.py``. Everything is written to a temporary
folder next to ``<out>/<client_id>/`` and moved into place only when every step succeeded,
so a failed or interrupted run never leaves a report that looks complete; the previous good
report stays. A failed run is kept under ``<out>/_failed/<client_id>/``. One failing client
or notebook never stops the others. At the end the portfolio index ``<out>/index.html`` is
rebuilt from every client's files.
"""

from __future__ import annotations

import re
import shutil
import sys
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path

import nbformat

from playbook.config import (
    DEFAULT_CLIENTS_DIR,
    DEFAULT_PERIOD_DAYS,
    DEFAULT_REPORTS_DIR,
    INDEX_PAGE,
    NOTEBOOKS_DIR,
    SUMMARY_STEM,
    page_href,
)
from playbook.content import frameworks, label
from playbook.data.clients import DataValidationError, UnknownClientError, load_client
from playbook.data.model import ClientData
from playbook.diagnosis import diagnose_all
from playbook.report.execute import Failure, failure_from, run_notebook
from playbook.report.export import clean_notebook, export_html
from playbook.report.history import DEFAULT_KEEP_HISTORY, keep_history
from playbook.report.manifest import build_manifest, build_scores, make_portable, write_manifest
from playbook.report.pdf import write_pdf
from playbook.report.portfolio import write_portfolio
from playbook.report.pptx import DeckOptions, deck_template, write_pptx
from playbook.report.publish import (
    FAILED_DIR,  # noqa: F401  (re-exported: the CLI names the folder)
    claim_out_dir,
    discard_failed,
    fresh_failed_dir,
    keep_failed,
    publish,
    recover,
    staging_dir,
)
from playbook.report.scope import report_notebooks
from playbook.report.site import Site, SitePage, contents_page, decorate_page
from playbook.report.site import label as site_label

#: Notebooks allowed without a framework content file (stems), e.g. "90_executive_summary".
EXTRA_NOTEBOOKS: tuple[str, ...] = (SUMMARY_STEM,)

#: Report formats: the HTML site, one PDF and one slide deck per client.
FORMATS = ("html", "pdf", "pptx")
#: The PDF's file name in a client's report folder.
PDF_NAME = "report.pdf"
#: The slide deck's file name in a client's report folder.
PPTX_NAME = "report.pptx"

NOTEBOOK_NAME = re.compile(r"^(?P<order>\d{2})_(?P<slug>[a-z0-9_]+)\.ipynb$")


@dataclass(frozen=True)
class RenderOptions:
    """What to render and where; built by the CLI, or by a test."""

    clients: tuple[str, ...]
    clients_dir: Path = DEFAULT_CLIENTS_DIR
    out_dir: Path = DEFAULT_REPORTS_DIR
    notebooks_dir: Path = NOTEBOOKS_DIR
    lang: str = ""
    as_of: str = ""
    period_days: int = DEFAULT_PERIOD_DAYS
    formats: tuple[str, ...] = ("html",)
    workers: int = 1
    cell_timeout: int = 600
    keep_history: int = DEFAULT_KEEP_HISTORY
    #: the deck's PowerPoint template for every client (else each client's
    #: ``pptx_template``, else the shipped default)
    pptx_template: Path | None = None


@dataclass(frozen=True)
class NotebookResult:
    """The outcome of one notebook for one client."""

    notebook: str
    seconds: float
    failure: Failure | None = None

    @property
    def ok(self) -> bool:
        """Tell whether the notebook ran and exported."""
        return self.failure is None


@dataclass(frozen=True)
class ClientResult:
    """The outcome for one client: invalid data, or the notebooks' results."""

    client_id: str
    problems: tuple[str, ...] = ()
    notebooks: tuple[NotebookResult, ...] = ()
    report_dir: Path | None = None

    @property
    def ok(self) -> bool:
        """Tell whether the client's report was published."""
        return not self.problems and all(n.ok for n in self.notebooks)

    @property
    def failures(self) -> list[Failure]:
        """The failed notebooks, in order."""
        return [n.failure for n in self.notebooks if n.failure is not None]


@dataclass(frozen=True)
class ProgressEvent:
    """One finished notebook (or a skipped client), for the progress display."""

    done: int
    total: int
    client_id: str
    notebook: str
    seconds: float
    ok: bool


Progress = Callable[[ProgressEvent], None]


def print_progress(event: ProgressEvent) -> None:
    """Print one progress line to stderr, e.g. "[3/15] brewlane_coffee · 01_x · 6.2 s"."""
    status = "" if event.ok else " · FAILED"
    print(
        f"[{event.done}/{event.total}] {event.client_id} · {event.notebook} · "
        f"{event.seconds:.1f} s{status}",
        file=sys.stderr,
        flush=True,
    )


def discover_notebooks(notebooks_dir: Path = NOTEBOOKS_DIR) -> list[Path]:
    """Return the report notebooks (``NN_<slug>.ipynb``) in reading order."""
    return sorted(p for p in Path(notebooks_dir).glob("*.ipynb") if NOTEBOOK_NAME.match(p.name))


def notebook_slug(path: Path) -> str:
    """Return the framework slug of a notebook path (``01_exceed_expectations`` -> slug)."""
    match = NOTEBOOK_NAME.match(path.name)
    if match is None:
        raise ValueError(f"{path.name}: notebook names look like NN_<slug>.ipynb")
    return match["slug"]


def page_title(nb_path: Path, lang: str) -> str:
    """Return a notebook page's title: its framework's title, else its first heading."""
    slug = notebook_slug(nb_path)
    for fw in frameworks():
        if fw.id == slug:
            return fw.title(lang)
    nb = nbformat.read(nb_path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("#"):
                    return line.lstrip("#").strip()
    return slug.replace("_", " ")


def _load_client(client_id: str, clients_dir: Path) -> tuple[ClientData | None, tuple[str, ...]]:
    """Load and validate a client; return (data, problems)."""
    try:
        return load_client(client_id, clients_dir), ()
    except UnknownClientError as exc:
        return None, (str(exc),)
    except DataValidationError as exc:
        return None, tuple(str(p) for p in exc.problems) or (str(exc),)
    except Exception as exc:  # a bug in loading one client never stops the others
        return None, (f"{client_id}: could not load the data: {type(exc).__name__}: {exc}",)


class _Counter:
    """Counts finished notebooks across worker threads and reports them."""

    def __init__(self, total: int, progress: Progress | None) -> None:
        self.total, self.done, self.progress = total, 0, progress
        self._lock = threading.Lock()

    def resize(self, delta: int) -> None:
        """Change the expected number of notebooks (a client's scope and own pages)."""
        with self._lock:
            self.total += delta

    def tick(self, client_id: str, notebook: str, seconds: float, ok: bool, n: int = 1) -> None:
        with self._lock:
            self.done += n
            if self.progress is not None:
                self.progress(
                    ProgressEvent(self.done, self.total, client_id, notebook, seconds, ok)
                )


def _compute_scores(data: ClientData, parameters: dict) -> tuple[dict, list, float]:
    """Diagnose the validated data against every framework.

    Returns ``scores.json``, the diagnoses and the seconds it took.
    """
    t0 = time.perf_counter()
    diagnoses = diagnose_all(data, parameters["as_of"] or None, int(parameters["period_days"]))
    scores = build_scores(
        diagnoses,
        client_id=parameters["client_id"],
        lang=parameters["lang"],
        as_of=parameters["as_of"],
    )
    return scores, diagnoses, time.perf_counter() - t0


def _site_title(nb_path: Path, lang: str) -> str:
    if nb_path.stem == SUMMARY_STEM:
        return label("executive_summary", lang)
    return page_title(nb_path, lang)


def _build_report(
    tmp: Path,
    data: ClientData,
    notebooks: Sequence[Path],
    parameters: dict,
    options: RenderOptions,
    counter: _Counter,
) -> list[NotebookResult]:
    """Run every notebook into ``tmp``; write the site, the PDF, the scores and the manifest.

    The scores are computed in this process (``diagnose_all`` on the validated data) in a
    background thread while the notebooks run in their kernels.
    """
    client_id, lang = parameters["client_id"], parameters["lang"]
    (tmp / "executed").mkdir()
    started = datetime.now(timezone.utc)
    steps: dict[str, float] = {}
    results, exported, diagnoses = [], {}, None
    with ThreadPoolExecutor(max_workers=1) as scorer:
        scores_job = scorer.submit(_compute_scores, data, parameters)
        for nb_path in notebooks:
            stem, t0 = nb_path.stem, time.perf_counter()
            executed = tmp / "executed" / nb_path.name
            try:
                run_notebook(nb_path, executed, parameters, nb_path.parent, options.cell_timeout)
                title = _site_title(nb_path, lang)
                page = export_html(
                    clean_notebook(nbformat.read(executed, as_version=4)),
                    f"{title} — {data.config.name}",
                    lang,
                )
                exported[stem] = (SitePage(stem, page_href(stem), title), page)
                result = NotebookResult(stem, time.perf_counter() - t0)
            except Exception as exc:  # one failing notebook never stops the others
                result = NotebookResult(
                    stem, time.perf_counter() - t0, failure_from(client_id, stem, exc)
                )
            results.append(result)
            counter.tick(client_id, stem, result.seconds, result.ok)
        try:
            scores, diagnoses, steps["scores"] = scores_job.result()
            write_manifest(tmp / "scores.json", scores)
            keep_history(tmp, Path(options.out_dir) / client_id, scores, options.keep_history)
        except Exception as exc:  # reported like a failed notebook
            results.append(
                NotebookResult("scores", 0.0, failure_from(client_id, "scores.json", exc))
            )

    pages = [page for page, _ in exported.values()]
    if SUMMARY_STEM not in exported:
        pages.insert(0, SitePage("contents", INDEX_PAGE, site_label("contents", lang)))
    site = Site(data.config.name, f"{started:%Y-%m-%d}", lang, tuple(pages))
    documents = {page.href: decorate_page(doc, site, page.href) for page, doc in exported.values()}
    documents.setdefault(INDEX_PAGE, contents_page(site))
    if "html" in options.formats:
        for href, doc in documents.items():
            (tmp / href).write_text(doc, encoding="utf-8")
    if "pdf" in options.formats and all(r.ok for r in results):
        t0 = time.perf_counter()
        try:
            write_pdf(site, documents, tmp / PDF_NAME)
            steps["pdf"] = time.perf_counter() - t0
            counter.tick(client_id, PDF_NAME, steps["pdf"], True, n=0)
        except Exception as exc:  # e.g. Pango missing: reported, the others go on
            failure = failure_from(client_id, PDF_NAME, exc)
            results.append(NotebookResult("pdf", time.perf_counter() - t0, failure))
            counter.tick(client_id, PDF_NAME, time.perf_counter() - t0, False, n=0)

    if "pptx" in options.formats and all(r.ok for r in results):
        t0 = time.perf_counter()
        try:
            deck = DeckOptions(
                lang, f"{started:%Y-%m-%d}", deck_template(data, options.pptx_template)
            )
            write_pptx(data, diagnoses, tmp / PPTX_NAME, deck)
            steps["pptx"] = time.perf_counter() - t0
            counter.tick(client_id, PPTX_NAME, steps["pptx"], True, n=0)
        except Exception as exc:  # e.g. an unusable template: reported, the others go on
            failure = failure_from(client_id, PPTX_NAME, exc)
            results.append(NotebookResult("pptx", time.perf_counter() - t0, failure))
            counter.tick(client_id, PPTX_NAME, time.perf_counter() - t0, False, n=0)

    ok = all(r.ok for r in results)
    write_manifest(
        tmp / "manifest.json",
        build_manifest(
            client_id=client_id,
            client_name=data.config.name,
            parameters=parameters,
            client_dir=Path(options.clients_dir) / client_id,
            notebooks=[(r.notebook, r.seconds, str(r.failure or "")) for r in results],
            started=started,
            status="ok" if ok else "failed",
            formats=options.formats,
            steps=steps,
        ),
    )
    return results


def _record_invalid(
    client_id: str, problems: Sequence[str], options: RenderOptions, started: datetime
) -> None:
    """Keep a manifest of a client whose data failed validation, for the portfolio index."""
    out_dir = Path(options.out_dir)
    client_dir = Path(options.clients_dir) / client_id
    if not client_dir.is_dir():
        return
    failed = fresh_failed_dir(out_dir, client_id)
    write_manifest(
        failed / "manifest.json",
        build_manifest(
            client_id=client_id,
            client_name=client_id,
            parameters={"client_id": client_id, "lang": options.lang},
            client_dir=client_dir,
            notebooks=[],
            started=started,
            status="invalid",
            formats=options.formats,
            problems=problems,
        ),
    )


def render_client(
    client_id: str, notebooks: Sequence[Path], options: RenderOptions, counter: _Counter
) -> ClientResult:
    """Validate one client, run every notebook for it and publish the report if all passed."""
    out_dir = Path(options.out_dir)
    started = datetime.now(timezone.utc)
    data, problems = _load_client(client_id, Path(options.clients_dir))
    if data is None:
        counter.tick(client_id, "invalid data", 0.0, False, n=len(notebooks))
        _record_invalid(client_id, problems, options, started)
        return ClientResult(client_id, problems=problems)

    lang = options.lang or data.config.language
    parameters = {
        "client_id": client_id,
        "clients_dir": str(Path(options.clients_dir).resolve()),
        "lang": lang,
        "as_of": options.as_of,
        "period_days": options.period_days,
        "reports_dir": str(out_dir.resolve()),
    }
    own = report_notebooks(notebooks, data)  # the scope's pages and the client's own
    counter.resize(len(own) - len(notebooks))
    notebooks = own
    out_dir.mkdir(parents=True, exist_ok=True)
    recover(out_dir, client_id)
    tmp = staging_dir(out_dir, client_id)
    try:
        results = _build_report(tmp, data, notebooks, parameters, options, counter)
        make_portable(tmp, options.clients_dir, options.notebooks_dir, options.out_dir)
    except BaseException:  # interrupted (Ctrl-C, SIGTERM): leave no half-built report
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    ok = all(r.ok for r in results)
    if ok:
        dest = out_dir / client_id
        publish(tmp, dest)
        discard_failed(out_dir, client_id)
    else:
        dest = keep_failed(tmp, out_dir, client_id)
    return ClientResult(client_id, notebooks=tuple(results), report_dir=dest)


def render_clients(
    options: RenderOptions, progress: Progress | None = print_progress
) -> list[ClientResult]:
    """Render every requested client, ``options.workers`` clients at a time.

    Returns:
        One result per client, in the order requested. A client whose data failed
        validation has ``problems`` and no report; a client with a failed notebook keeps
        its previous report, and the failed run sits under ``<out>/_failed/<client_id>/``.

    The portfolio index ``<out>/index.html`` is rebuilt at the end (also after an
    interruption), from every client rendered into ``out`` so far.

    Raises:
        ValueError: An unknown format.
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
    notebooks = discover_notebooks(options.notebooks_dir)
    counter = _Counter(len(options.clients) * len(notebooks), progress)
    workers = max(1, min(options.workers, len(options.clients) or 1))
    try:
        if workers == 1:  # in this thread, so Ctrl-C stops the kernel at once
            return [render_client(c, notebooks, options, counter) for c in options.clients]
        with ThreadPoolExecutor(max_workers=workers) as pool:
            futures = [
                pool.submit(render_client, c, notebooks, options, counter) for c in options.clients
            ]
            return [f.result() for f in futures]
    finally:
        _rebuild_portfolio(options)


def _rebuild_portfolio(options: RenderOptions) -> None:
    """Rewrite the portfolio index; a failure here is printed, never raised."""
    try:
        write_portfolio(
            options.out_dir, options.lang, datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
        )
    except Exception as exc:  # the clients' reports matter more than the overview
        print(f"portfolio index not written: {type(exc).__name__}: {exc}", file=sys.stderr)
