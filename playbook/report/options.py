"""What to render and where: the options of a render, built by the CLI or by a test."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from playbook.config import (
    DEFAULT_CLIENTS_DIR,
    DEFAULT_PERIOD_DAYS,
    DEFAULT_REPORTS_DIR,
    NOTEBOOKS_DIR,
)

#: Report formats: the HTML site and one PDF per client.
FORMATS = ("html", "pdf")
#: The PDF's file name in a client's report folder.
PDF_NAME = "report.pdf"


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
