"""What the renderer imports before it renders: only what every render needs.

Kernels import the pages, matplotlib and scipy themselves; the renderer process draws
nothing for an HTML report, so it must not pay for them at start (seconds on every render),
nor for running or exporting a notebook before one runs (a re-render may run none), nor for
reading tables before a client is prepared (a re-render whose pages are all reused reads
none: ``report.reuse``).
"""

from __future__ import annotations

import subprocess
import sys

#: Modules only a kernel, a deck, a statistics routine, a page that runs (a kernel's client,
#: papermill, the exporter), a client prepared (its tables) needs: a re-render whose pages
#: are all reused needs none.
NOT_AT_START = ("matplotlib", "pptx", "scipy.stats", "scipy.special", "playbook.pages.registry",
                "playbook.charts", "jupyter_client", "papermill", "nbconvert",
                "nbformat", "pandas", "numpy", "pyarrow", "openpyxl",
                "playbook.diagnosis.core")  # fmt: skip


def imported_by(module: str) -> set[str]:
    """Return which of NOT_AT_START a fresh interpreter holds after importing ``module``."""
    code = f"import sys, {module}; print(' '.join(m for m in {NOT_AT_START!r} if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(done.stdout.split())


def test_the_render_engine_imports_no_drawing_deck_or_statistics_modules():
    assert imported_by("playbook.report.render") == set()


def test_the_command_line_imports_no_table_library_before_a_command_needs_one():
    assert imported_by("playbook.cli") == set()


def test_the_kernel_slots_import_no_kernel_client_before_a_kernel_starts():
    # an engine that starts its workers cold (every page likely reused) imports them
    assert imported_by("playbook.report.kernels") == set()


def test_a_notebook_still_finds_open_page_in_the_pages_package():
    code = "from playbook.pages import open_page, page_class; print(open_page.__module__)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "playbook.pages.registry"


def test_the_pages_name_the_svg_backend_the_charts_define():
    from playbook.charts.svg import BACKEND
    from playbook.pages.html import SVG_BACKEND

    assert SVG_BACKEND == BACKEND
