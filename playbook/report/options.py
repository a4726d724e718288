"""What to render and where: the options of a render, built by the CLI or by a test."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from playbook.config import (
    DEFAULT_CLIENTS_DIR,
    DEFAULT_KEEP_HISTORY,
    DEFAULT_PERIOD_DAYS,
    DEFAULT_REPORTS_DIR,
    NOTEBOOKS_DIR,
)

#: Report formats: the HTML site, one PDF and one slide deck per client.
FORMATS = ("html", "pdf", "pptx")
#: The PDF's file name in a client's report folder.
PDF_NAME = "report.pdf"
#: The slide deck's file name in a client's report folder.
PPTX_NAME = "report.pptx"


@dataclass(frozen=True)
class RenderOptions:
    """What to render and where.

    ``workers`` kernels run notebooks at once, across clients and within a client;
    ``reuse_kernels`` resets a kernel between notebooks instead of starting a fresh one per
    notebook (both isolate the notebooks; reuse is faster, see the benchmark). A page whose
    inputs did not change since the last good report is reused (``incremental.py``);
    ``force`` runs every page again, ``only`` (slugs or stems) just those.
    """

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
    reuse_kernels: bool = True
    force: bool = False
    only: tuple[str, ...] = ()
    keep_history: int = DEFAULT_KEEP_HISTORY
    #: the deck's PowerPoint template for every client (else each client's
    #: ``pptx_template``, else the shipped default)
    pptx_template: Path | None = None
    #: a Dask scheduler's address, or ``local:N`` for a local cluster of N workers; each
    #: client's render is then a task on the cluster (``cluster.py``)
    scheduler: str = ""

    def asked(self) -> dict[str, object]:
        """Return the settings asked for, before the client's defaults fill them in.

        The manifest keeps them: a render asking the same of an unchanged client resolves
        the same settings without reading its tables (``reuse.py``).
        """
        return {"lang": self.lang, "as_of": self.as_of, "period_days": self.period_days}
