"""Publishing never replaces or deletes what the renderer did not write; manifests stay portable."""

from __future__ import annotations

import json
import os
import shutil
import sys
from datetime import datetime, timezone
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output

from playbook.report.manifest import build_manifest, make_portable
from playbook.report.publish import (
    FAILED_DIR,
    MARKER,
    UnsafeOutputError,
    claim_out_dir,
    discard_failed,
    fresh_failed_dir,
    keep_failed,
    owned,
    publish,
    recover,
    staging_dir,
    staging_dirs,
)


@pytest.fixture
def clients(tmp_path: Path) -> Path:
    folder = tmp_path / "clients"
    (folder / "acme").mkdir(parents=True)
    (folder / "acme" / "client.yaml").write_text("id: acme\n", encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    ("out", "words"),
    [
        ("clients", "is the clients folder"),
        ("clients/acme", "is inside the clients folder"),
        ("clients/reports", "is inside the clients folder"),
        (".", "contains the clients folder"),
    ],
)
def test_an_output_folder_overlapping_the_clients_folder_is_refused(clients, out, words):
    out_dir = clients.parent / out
    with pytest.raises(UnsafeOutputError, match=words):
        claim_out_dir(out_dir, clients, ["acme"])
    assert (clients / "acme" / "client.yaml").is_file()
    assert not (out_dir / MARKER).exists()


def test_an_output_folder_holding_other_files_is_refused(clients, tmp_path):
    desktop = tmp_path / "desktop"
    desktop.mkdir()
    (desktop / "index.html").write_text("my own page", encoding="utf-8")
    with pytest.raises(UnsafeOutputError, match="already holds files that playbook did not write"):
        claim_out_dir(desktop, clients)
    assert (desktop / "index.html").read_text(encoding="utf-8") == "my own page"


def test_a_client_folder_in_the_output_not_written_by_playbook_is_refused(clients, tmp_path):
    out = tmp_path / "reports"
    claim_out_dir(out, clients)
    (out / "acme").mkdir()
    (out / "acme" / "notes.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(UnsafeOutputError, match="acme exists and was not written by playbook"):
        claim_out_dir(out, clients, ["acme"])


def test_a_new_or_empty_output_folder_is_claimed_and_marked(clients, tmp_path):
    claim_out_dir(tmp_path / "new" / "reports", clients, ["acme"])
    assert (tmp_path / "new" / "reports" / MARKER).is_file()
    (tmp_path / "empty").mkdir()
    claim_out_dir(tmp_path / "empty", clients)
    assert owned(tmp_path / "empty")


def test_an_output_folder_of_an_older_version_is_adopted(clients, tmp_path):
    out = tmp_path / "reports"
    (out / "acme").mkdir(parents=True)
    manifest = {"package": "service-strategy-playbook", "client_id": "acme"}
    (out / "acme" / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    (out / "index.html").write_text("portfolio", encoding="utf-8")
    claim_out_dir(out, clients, ["acme"])
    assert owned(out)


def test_publish_replaces_only_a_report_it_wrote(tmp_path):
    out = tmp_path / "reports"
    out.mkdir()
    first = staging_dir(out, "acme")
    (first / "index.html").write_text("v1", encoding="utf-8")
    publish(first, out / "acme")
    second = staging_dir(out, "acme")
    (second / "index.html").write_text("v2", encoding="utf-8")
    publish(second, out / "acme")
    assert (out / "acme" / "index.html").read_text(encoding="utf-8") == "v2"
    assert owned(out / "acme")
    assert sorted(p.name for p in out.iterdir()) == ["acme"]

    (out / "shop").mkdir()
    (out / "shop" / "data.csv").write_text("precious", encoding="utf-8")
    third = staging_dir(out, "shop")
    with pytest.raises(UnsafeOutputError):
        publish(third, out / "shop")
    assert (out / "shop" / "data.csv").read_text(encoding="utf-8") == "precious"


def test_a_report_that_cannot_be_moved_in_leaves_the_previous_one(tmp_path, monkeypatch):
    out = tmp_path / "reports"
    out.mkdir()
    first = staging_dir(out, "acme")
    (first / "index.html").write_text("v1", encoding="utf-8")
    publish(first, out / "acme")

    gone = staging_dir(out, "acme")
    shutil.rmtree(gone)  # e.g. removed by an interrupt while this client was finishing
    with pytest.raises(FileNotFoundError):
        publish(gone, out / "acme")
    assert (out / "acme" / "index.html").read_text(encoding="utf-8") == "v1"

    second = staging_dir(out, "acme")
    real_replace = os.replace

    def refuse_the_new_one(src, dst):
        if Path(src) == second:
            raise PermissionError("the disk said no")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", refuse_the_new_one)
    with pytest.raises(PermissionError):
        publish(second, out / "acme")
    assert (out / "acme" / "index.html").read_text(encoding="utf-8") == "v1"


def test_failed_runs_replace_only_failed_runs_it_wrote(tmp_path):
    out = tmp_path / "reports"
    out.mkdir()
    failed = keep_failed(staging_dir(out, "acme"), out, "acme")
    assert owned(failed)
    assert owned(fresh_failed_dir(out, "acme"))
    discard_failed(out, "acme")
    assert not (out / FAILED_DIR).exists()
    (out / FAILED_DIR / "shop").mkdir(parents=True)
    with pytest.raises(UnsafeOutputError):
        fresh_failed_dir(out, "shop")


def test_recover_matches_its_own_staging_folders_exactly(tmp_path):
    out = tmp_path / "reports"
    out.mkdir()
    dead = 999_999_999  # no such process
    mine = out / f".acme.rendering-{dead}"
    other = out / f".acme.eu.rendering-{dead}"
    foreign = out / f".acme.old-{dead}"
    for folder in (mine, other):
        folder.mkdir()
        (folder / MARKER).write_text("", encoding="utf-8")
    foreign.mkdir()  # no marker: not ours
    (foreign / "keep.txt").write_text("x", encoding="utf-8")
    recover(out, "acme")
    assert not mine.exists()
    assert other.exists()  # acme.eu's staging folder in the same batch stays
    assert (foreign / "keep.txt").exists()


def test_a_clients_staging_folders_are_its_own_marked_ones_of_any_process(tmp_path):
    out = tmp_path / "reports"
    out.mkdir()
    names = [".acme.rendering-1", ".acme.rendering-22", ".acme.eu.rendering-1", ".acme.old-1"]
    for name in names:
        (out / name).mkdir()
        (out / name / MARKER).write_text("", encoding="utf-8")
    (out / ".acme.rendering-3").mkdir()  # no marker: not ours
    assert [p.name for p in staging_dirs(out, "acme")] == [
        ".acme.rendering-1",
        ".acme.rendering-22",
    ]
    assert staging_dirs(tmp_path / "none", "acme") == []


def test_recover_restores_a_report_moved_aside_by_a_killed_run(tmp_path):
    out = tmp_path / "reports"
    out.mkdir()
    old = out / ".acme.old-999999999"
    old.mkdir()
    (old / MARKER).write_text("", encoding="utf-8")
    recover(out, "acme")
    assert owned(out / "acme")


def test_a_live_process_staging_folder_is_left_alone(tmp_path):
    out = tmp_path / "reports"
    out.mkdir()
    parent = out / f".acme.rendering-{os.getppid()}"
    parent.mkdir()
    (parent / MARKER).write_text("", encoding="utf-8")
    recover(out, "acme")
    assert parent.exists()


def test_the_manifest_carries_no_local_paths(tmp_path):
    clients = tmp_path / "secret_place" / "clients"
    (clients / "acme").mkdir(parents=True)
    (clients / "acme" / "orders.csv").write_text("order_id\n", encoding="utf-8")
    manifest = build_manifest(
        client_id="acme",
        client_name="Acme",
        parameters={"client_id": "acme", "clients_dir": str(clients), "lang": "en"},
        client_dir=clients / "acme",
        notebooks=[("01_page", 1.0, f'File "{clients}/acme/helper.py", line 3: ValueError')],
        started=datetime.now(timezone.utc),
        status="invalid",
        problems=(f"unknown client: no folder at {clients / 'acme'}",),
    )
    text = json.dumps(manifest)
    assert str(tmp_path) not in text
    assert sys.executable not in text
    assert "python_executable" not in manifest
    assert manifest["parameters"]["clients_dir"] == "clients"
    assert manifest["problems"] == ["unknown client: no folder at clients/acme"]
    assert list(manifest["inputs"]) == ["orders.csv"]


def test_executed_notebooks_lose_local_paths(tmp_path):
    clients = tmp_path / "private" / "clients"
    clients.mkdir(parents=True)
    report = tmp_path / "reports" / ".acme.rendering-1"
    (report / "executed").mkdir(parents=True)
    notebooks = tmp_path / "repo" / "notebooks"
    nb = new_notebook(
        cells=[
            new_code_cell(f'clients_dir = "{clients}"', metadata={"tags": ["injected-parameters"]}),
            new_code_cell(
                "x", outputs=[new_output("stream", name="stderr", text=f"{sys.prefix}/lib/x.py")]
            ),
        ],
        metadata={
            "papermill": {
                "parameters": {"clients_dir": str(clients)},
                "input_path": str(notebooks / "01_x.ipynb"),
                "output_path": str(report / "executed" / "01_x.ipynb"),
            }
        },
    )
    nbformat.write(nb, report / "executed" / "01_x.ipynb")
    written = (report / "executed" / "01_x.ipynb").read_text(encoding="utf-8")
    make_portable(report, clients, notebooks, stems=["02_y"])  # a reused notebook: as it is
    assert (report / "executed" / "01_x.ipynb").read_text(encoding="utf-8") == written
    make_portable(report, clients, notebooks)
    text = (report / "executed" / "01_x.ipynb").read_text(encoding="utf-8")
    assert str(tmp_path) not in text and sys.prefix not in text
    cleaned = nbformat.read(report / "executed" / "01_x.ipynb", as_version=4)
    assert cleaned.cells[0].source == 'clients_dir = "clients"'
    assert cleaned.metadata.papermill.input_path == "01_x.ipynb"
    assert cleaned.metadata.papermill.output_path == "executed/01_x.ipynb"
