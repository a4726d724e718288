"""A batch of two tiny clients on a local Dask cluster (slow: worker processes and kernels).

One client's notebook kills the Dask worker rendering it: that client fails cleanly (no
staging folder left, its failure recorded for the portfolio), the other is published, and
progress comes back one line per notebook.
"""

from __future__ import annotations

import json

import pytest

from playbook.report.publish import MARKER
from playbook.report.render import RenderOptions, render_clients

pytest.importorskip("distributed")

from tests.tiny_notebooks import write_notebook  # noqa: E402

pytestmark = pytest.mark.slow

#: The kernel's parent is the Dask worker process: killing it is a worker dying mid-render.
KILL_WORKER = (
    "import os, signal\nif client_id == 'doomed':\n    os.kill(os.getppid(), signal.SIGKILL)"
)


def test_a_batch_on_a_local_cluster_survives_a_dying_worker(tmp_path, make_client):
    clients_dir = make_client("fine")
    make_client("doomed")
    nbs = tmp_path / "nbs"
    nbs.mkdir()
    write_notebook(nbs / "01_first.ipynb", "print('@client', client_id)")
    write_notebook(nbs / "02_second.ipynb", KILL_WORKER, "print('@done')")
    out = tmp_path / "out"
    events = []

    fine, doomed = render_clients(
        RenderOptions(("fine", "doomed"), clients_dir=clients_dir, out_dir=out,
                      notebooks_dir=nbs, scheduler="local:2"),
        progress=events.append,
    )  # fmt: skip

    assert fine.ok, fine.failures
    assert (out / "fine" / "index.html").exists()
    assert [n.notebook for n in fine.notebooks] == ["01_first", "02_second"]
    assert not doomed.ok and not (out / "doomed").exists()
    [failure] = doomed.failures
    assert "KilledWorker" in failure.error
    manifest = json.loads((out / "_failed" / "doomed" / "manifest.json").read_text())
    assert manifest["status"] == "failed"
    assert [p.name for p in out.glob(".*")] == [MARKER], "no staging folder left behind"
    assert {(e.client_id, e.notebook) for e in events} >= {
        ("fine", "01_first"),
        ("fine", "02_second"),
    }
    assert 'data-client="doomed"' in (out / "index.html").read_text(encoding="utf-8")
