"""Paths and constants, built from the package root (one place for every path)."""

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
LANGS: tuple[str, ...] = ("zh", "en")

#: Length of the analysis period in days; the trend compares against the period before it.
DEFAULT_PERIOD_DAYS = 90
