"""Paths and constants, built from the package root (one place for every path).

Also the names every layer shares: the report languages and their HTML codes, and how a
framework's notebook and page are named.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_DIR = PACKAGE_DIR.parent
CONTENT_DIR = PACKAGE_DIR / "content"
NOTEBOOKS_DIR = REPO_DIR / "notebooks"
DEFAULT_CLIENTS_DIR = REPO_DIR / "data" / "clients"
DEFAULT_REPORTS_DIR = REPO_DIR / "reports"

#: The first demo client: the default of every notebook's ``parameters`` cell.
DEFAULT_CLIENT = "brewlane_coffee"

Lang = Literal["zh", "en"]
#: The report languages.
LANGS: tuple[str, ...] = ("zh", "en")
#: The ``lang`` attribute of a page in each report language.
HTML_LANG: dict[str, str] = {"zh": "zh-CN", "en": "en"}

#: The notebook whose page is the front page of a client's report site.
SUMMARY_STEM = "90_executive_summary"
#: The front page's file name.
INDEX_PAGE = "index.html"

#: Length of the analysis period in days; the trend compares against the period before it.
DEFAULT_PERIOD_DAYS = 90

#: Earlier reports' scores kept per client by default (three years of quarterly reviews).
DEFAULT_KEEP_HISTORY = 12


def html_lang(lang: str) -> str:
    """Return the HTML ``lang`` attribute of a report language ("zh" -> "zh-CN")."""
    return HTML_LANG.get(lang, lang)


def notebook_stem(order: int, slug: str) -> str:
    """Return a framework's notebook name without suffix: ``NN_<slug>``, NN its order."""
    return f"{order:02d}_{slug}"


def page_href(stem: str) -> str:
    """Return the file a notebook's page is written to (the summary is ``index.html``)."""
    return INDEX_PAGE if stem == SUMMARY_STEM else f"{stem}.html"
