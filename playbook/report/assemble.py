"""Assemble a client's report in its staging folder once its notebooks have run.

From the executed notebooks in ``<staging>/executed/``: every page exported to HTML without
code and dressed as one site (``site.py``), the PDF (``pdf.py``), ``scores.json`` from the
prepared diagnoses, and ``manifest.json`` (``manifest.py``).
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from playbook.config import INDEX_PAGE, SUMMARY_STEM, page_href
from playbook.data.commentary import FrameworkCommentary
from playbook.report.execute import failure_from
from playbook.report.history import keep_history
from playbook.report.manifest import build_manifest, build_scores, write_manifest
from playbook.report.notebooks import site_title
from playbook.report.options import PDF_NAME, PPTX_NAME, RenderOptions
from playbook.report.pdf import write_pdf
from playbook.report.results import Counter, NotebookResult
from playbook.report.site import Site, SitePage, contents_page, decorate_page
from playbook.report.site import label as site_label
from playbook.report.views import rewrite_page

if TYPE_CHECKING:
    import nbformat

    from playbook.report.prepared import Prepared


@dataclass
class Assembly:
    """What goes into one client's report: the notebooks' results and the steps' timings."""

    client_id: str
    prepared: Prepared
    notebooks: Sequence[Path]
    started: datetime
    results: dict[str, NotebookResult] = field(default_factory=dict)
    steps: dict[str, float] = field(default_factory=dict)
    #: the sha256 of every file of the client folder
    hashes: dict[str, str] = field(default_factory=dict)
    #: per notebook stem: its inputs (``incremental.PageInputs``)
    inputs: dict[str, dict[str, str]] = field(default_factory=dict)
    #: the last good report (pages are reused from it) and the digest of its site
    previous_dir: Path | None = None
    previous_site: str = ""
    #: the digest of this report's site, once assembled
    site: str = ""
    #: per notebook stem: the page exported as soon as its notebook ran (not yet dressed)
    exported: dict[str, str] = field(default_factory=dict)
    #: per notebook stem of a page reused with its views written in: its framework's
    #: commentary (``views.py``)
    views: dict[str, FrameworkCommentary] = field(default_factory=dict)

    def ordered(self) -> list[NotebookResult]:
        """Return the results in reading order, then the renderer's own steps."""
        stems = [nb.stem for nb in self.notebooks]
        return [self.results[s] for s in stems if s in self.results] + [
            r for s, r in self.results.items() if s not in stems
        ]

    @property
    def ok(self) -> bool:
        """Tell whether every notebook ran (or was reused) and every step succeeded."""
        ran = all(nb.stem in self.results for nb in self.notebooks)
        return ran and all(r.ok for r in self.results.values())


def site_of(assembly: Assembly) -> Site:
    """Return the client's site: every page that ran or was reused, in reading order."""
    settings = assembly.prepared.settings
    pages = [
        SitePage(nb.stem, page_href(nb.stem), site_title(nb, settings.lang))
        for nb in assembly.notebooks
        if nb.stem in assembly.results and assembly.results[nb.stem].ok
    ]
    if not any(p.stem == SUMMARY_STEM for p in pages):
        pages.insert(0, SitePage("contents", INDEX_PAGE, site_label("contents", settings.lang)))
    return Site(assembly.prepared.client_name, settings.report_date, settings.lang, tuple(pages))


def site_digest(site: Site) -> str:
    """Return the sha256 of everything a site's header and navigation show."""
    return hashlib.sha256(json.dumps(asdict(site), ensure_ascii=False).encode()).hexdigest()


def export_page(assembly: Assembly, nb_path: Path, executed: nbformat.NotebookNode) -> str:
    """Return a page exported from its executed notebook (code hidden), not yet dressed.

    Called as soon as the notebook ran (while other notebooks run), or when the report is
    assembled for a page exported nowhere else.
    """
    # nbconvert is imported by the first page exported: a render whose pages are all
    # reused (or have their views written in) exports none
    from playbook.report.export import clean_notebook, export_html

    lang = assembly.prepared.settings.lang
    title = f"{site_title(nb_path, lang)} — {assembly.prepared.client_name}"
    return export_html(clean_notebook(executed), title, lang)


def page_documents(tmp: Path, assembly: Assembly, site: Site) -> dict[str, str]:
    """Return every page of the site as HTML, by href.

    A page reused from the last good report is taken as it was published when the site
    around it is the same; any other page is exported from its executed notebook (code
    hidden) and dressed in the site's header and navigation.
    """
    same_site = assembly.previous_site == site_digest(site)
    settings = assembly.prepared.settings
    documents = {}
    for page in site.pages:
        nb_path = next((nb for nb in assembly.notebooks if nb.stem == page.stem), None)
        if nb_path is None:
            continue
        result = assembly.results[page.stem]
        published = assembly.previous_dir / page.href if assembly.previous_dir else None
        try:
            if result.reused and same_site and published and published.is_file():
                doc = published.read_text(encoding="utf-8")
                if page.stem not in assembly.views:
                    documents[page.href] = doc
                    continue
                doc, found = rewrite_page(doc, assembly.views[page.stem], settings.lang)
                if found:  # else exported from its rewritten notebook, below
                    documents[page.href] = doc
                    continue
            doc = assembly.exported.get(page.stem)
            if doc is None:
                import nbformat

                executed = nbformat.read(tmp / "executed" / nb_path.name, as_version=4)
                doc = export_page(assembly, nb_path, executed)
            documents[page.href] = decorate_page(doc, site, page.href)
        except Exception as exc:  # reported like a failed notebook
            failure = failure_from(assembly.client_id, page.stem, exc)
            assembly.results[page.stem] = NotebookResult(page.stem, result.seconds, failure)
    documents.setdefault(INDEX_PAGE, contents_page(site))
    return documents


def assemble(tmp: Path, assembly: Assembly, options: RenderOptions, counter: Counter) -> None:
    """Write the site, the PDF, ``scores.json`` and ``manifest.json`` into ``tmp``."""
    prepared, client_id = assembly.prepared, assembly.client_id
    settings = prepared.settings
    t0 = time.perf_counter()
    site = site_of(assembly)
    documents = page_documents(tmp, assembly, site)
    assembly.site = site_digest(site)
    assembly.steps["export"] = time.perf_counter() - t0
    try:
        t0 = time.perf_counter()
        scores = prepared.scores  # kept from the last report when every page was reused
        if scores is None:
            scores = build_scores(
                prepared.diagnoses,
                client_id=client_id,
                lang=settings.lang,
                as_of=settings.as_of,
                report_date=settings.report_date,
            )
        write_manifest(tmp / "scores.json", scores)
        published = Path(options.out_dir) / client_id
        keep_history(tmp, published, scores, options.keep_history)
        assembly.steps["scores"] = time.perf_counter() - t0
    except Exception as exc:  # reported like a failed notebook
        failure = failure_from(client_id, "scores.json", exc)
        assembly.results["scores"] = NotebookResult("scores", 0.0, failure)
    if "html" in options.formats:
        for href, doc in documents.items():
            (tmp / href).write_text(doc, encoding="utf-8")
    if "pdf" in options.formats and assembly.ok:
        t0 = time.perf_counter()
        try:
            write_pdf(site, documents, tmp / PDF_NAME)
            assembly.steps["pdf"] = time.perf_counter() - t0
            counter.tick(client_id, PDF_NAME, assembly.steps["pdf"], True, n=0)
        except Exception as exc:  # e.g. Pango missing: reported, the others go on
            failure = failure_from(client_id, PDF_NAME, exc)
            assembly.results["pdf"] = NotebookResult("pdf", time.perf_counter() - t0, failure)
            counter.tick(client_id, PDF_NAME, time.perf_counter() - t0, False, n=0)
    if "pptx" in options.formats and assembly.ok:
        write_deck(tmp, assembly, options, counter)
    write_client_manifest(tmp, assembly, options, "ok" if assembly.ok else "failed")


def write_deck(tmp: Path, assembly: Assembly, options: RenderOptions, counter: Counter) -> None:
    """Write the slide deck from the prepared client and its diagnoses."""
    # imported here: python-pptx and the charts cost a second at start, for decks only
    from playbook.report.pptx import DeckOptions, deck_template, write_pptx

    client_id, settings = assembly.client_id, assembly.prepared.settings
    t0 = time.perf_counter()
    try:
        data = assembly.prepared.folder.client_data()
        deck = DeckOptions(
            settings.lang, settings.report_date, deck_template(data, options.pptx_template)
        )
        write_pptx(data, list(assembly.prepared.diagnoses), tmp / PPTX_NAME, deck)
        assembly.steps["pptx"] = time.perf_counter() - t0
        counter.tick(client_id, PPTX_NAME, assembly.steps["pptx"], True, n=0)
    except Exception as exc:  # e.g. an unusable template: reported, the others go on
        failure = failure_from(client_id, PPTX_NAME, exc)
        assembly.results["pptx"] = NotebookResult("pptx", time.perf_counter() - t0, failure)
        counter.tick(client_id, PPTX_NAME, time.perf_counter() - t0, False, n=0)


def write_client_manifest(
    tmp: Path, assembly: Assembly, options: RenderOptions, status: str
) -> None:
    """Write ``manifest.json``: provenance, the resolved settings, timings and status."""
    prepared = assembly.prepared
    steps = {**{f"prepare_{k}": v for k, v in prepared.seconds.items()}, **assembly.steps}
    write_manifest(
        tmp / "manifest.json",
        build_manifest(
            client_id=assembly.client_id,
            client_name=prepared.client_name,
            parameters=prepared.parameters,
            client_dir=Path(options.clients_dir) / assembly.client_id,
            notebooks=[(r.notebook, r.seconds, str(r.failure or "")) for r in assembly.ordered()],
            started=assembly.started,
            status=status,
            formats=options.formats,
            steps=steps,
            report_date=prepared.settings.report_date,
            inputs=assembly.hashes,
            pages={stem: _page_entry(assembly, stem) for stem in assembly.results},
            site=assembly.site,
            asked=options.asked(),
        ),
    )


def _page_entry(assembly: Assembly, stem: str) -> dict[str, object]:
    """Return what the manifest says of a page beyond its time and status."""
    result = assembly.results[stem]
    entry: dict[str, object] = {}
    if stem in assembly.inputs:
        entry["run"] = "reused" if result.reused else "ran"
        entry["reason"] = result.reason
        entry["inputs"] = assembly.inputs[stem]
    return entry
