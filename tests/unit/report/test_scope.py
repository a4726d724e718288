"""A client's report notebooks: the scope's framework pages and the client's own, by number."""

from __future__ import annotations

import json
from pathlib import Path

from playbook.data import load_client
from playbook.report.scope import report_notebooks

SHARED = [
    "01_exceed_expectations.ipynb",
    "02_operation_orientations.ipynb",
    "03_journey_goals.ipynb",
    "09_word_of_mouth_risk.ipynb",
    "90_executive_summary.ipynb",
]


def notebook() -> str:
    metadata = {"kernelspec": {"name": "python3", "language": "python"}}
    return json.dumps({"cells": [], "metadata": metadata, "nbformat": 4, "nbformat_minor": 5})


def test_scope_pages_summary_and_client_pages_in_number_order(make_client, tmp_path):
    shared = [tmp_path / "shared" / name for name in SHARED]
    clients_dir = make_client(
        config={"report": {"frameworks": ["journey_goals", "exceed_expectations"]}}
    )
    own = clients_dir / "acme" / "notebooks"
    own.mkdir()
    for name in ("03_store_visits.ipynb", "00_cover_note.ipynb", "example_client_page.ipynb"):
        (own / name).write_text(notebook(), encoding="utf-8")

    data = load_client("acme", clients_dir)
    found = report_notebooks(shared, data.config, data.source)

    assert [(p.parent.name, p.name) for p in found] == [
        ("notebooks", "00_cover_note.ipynb"),
        ("shared", "01_exceed_expectations.ipynb"),
        ("shared", "03_journey_goals.ipynb"),  # the shared page first at the same number
        ("notebooks", "03_store_visits.ipynb"),
        ("shared", "90_executive_summary.ipynb"),
    ]


def test_without_scope_every_shared_notebook(make_client):
    shared = [Path("/x") / name for name in SHARED]

    data = load_client("acme", make_client())
    assert report_notebooks(shared, data.config, data.source) == shared
