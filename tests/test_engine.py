"""The render engine on real kernels, with tiny hand-made notebooks (slow).

Warm kernels must isolate the notebooks they run one after the other, be replaced after a
failure, a timeout or a crash, and let two workers share one client's notebooks.
"""

from __future__ import annotations

import json
import time
from dataclasses import replace
from datetime import date, timedelta

import nbformat
import pytest
import yaml

from playbook.report.publish import MARKER
from playbook.report.render import RenderOptions, render_clients
from tests.tiny_notebooks import printed, write_notebook

pytestmark = pytest.mark.slow

PID = "import os\nprint('@pid', os.getpid())"


def render_acme(clients_dir, nbs, out, progress=None, **options):
    """Render the client ``acme`` with the notebooks of ``nbs`` into ``out``; return the
    client's result (``options``: more of ``RenderOptions``)."""
    [result] = render_clients(
        RenderOptions(("acme",), clients_dir=clients_dir, out_dir=out, notebooks_dir=nbs,
                      **options),
        progress=progress,
    )  # fmt: skip
    return result


def test_a_reused_kernel_forgets_the_previous_notebook(tmp_path, make_client, capfd):
    clients_dir = make_client("acme")
    nbs = tmp_path / "nbs"
    nbs.mkdir()
    warm = "import sys\nprint('@warm', 'playbook.pages.registry' in sys.modules)"
    frozen = "import gc\nprint('@frozen', gc.get_freeze_count())"
    write_notebook(nbs / "01_define.ipynb", "secret = 42", PID, warm, frozen)
    write_notebook(
        nbs / "02_look.ipynb",
        PID,
        "print('@secret', 'secret' in dir())",
        "print('@history', get_ipython().history_manager.enabled)",
        frozen,
    )
    events = []

    result = render_acme(clients_dir, nbs, tmp_path / "out", progress=events.append)

    assert result.ok, result.failures
    executed = tmp_path / "out" / "acme" / "executed"
    first, second = printed(executed / "01_define.ipynb"), printed(executed / "02_look.ipynb")
    assert first["@pid"] == second["@pid"], "one worker: the same kernel ran both notebooks"
    assert second["@secret"] == "False", "nothing of 01 is left in 02"
    assert first["@warm"] == "True", "the pages were imported before the first notebook"
    # the warm-up's objects (pandas, matplotlib, the pages: far more than 10,000) are out of
    # the collector's reach, so the full collections of each reset do not walk them again;
    # nothing of a notebook is frozen (01's objects are collected like any garbage)
    assert int(first["@frozen"]) > 10_000
    assert second["@frozen"] == first["@frozen"]
    counts = [c.execution_count for c in nbformat.read(executed / "02_look.ipynb", 4).cells
              if c.cell_type == "code"]  # fmt: skip
    assert counts == [1, 2, 3, 4, 5, 6], "cells are numbered from 1 again (failures name the cell)"
    # no history database: a counter set back to 1 would clash with it ("line number was not
    # unique" on stderr, run to run)
    assert second["@history"] == "False"
    assert [(e.done, e.notebook) for e in events] == [(1, "01_define"), (2, "02_look")]
    err = capfd.readouterr().err
    assert "KeyboardInterrupt" not in err and "ERROR" not in err, err


def test_a_kept_kernel_lets_go_of_a_notebook_as_soon_as_it_ends(tmp_path, monkeypatch):
    # at 10M orders a page holds gigabytes: a kernel waiting for its next notebook (or for
    # the batch to end, beside a kernel still working) must not go on holding them
    from jupyter_core.utils import run_sync

    import playbook.report.kernels as kernels

    slot = kernels.KernelSlot(tmp_path)
    ran = []
    run = kernels.Kernel.run

    async def counted(kernel: kernels.Kernel, code: str) -> None:
        ran.append(code)
        await run(kernel, code)

    monkeypatch.setattr(kernels.Kernel, "run", counted)
    try:
        kernel = slot.acquire(tmp_path, {})
        run_sync(kernel.run)("secret = bytearray(10**6)")
        slot.release(True)
        # nothing of the notebook is left before any next one was handed over
        run_sync(kernel.run)("assert 'secret' not in globals(), 'still held'")
        assert ran[-2] == kernels.LET_GO and "release_free_memory()" in ran[-2]
        again = slot.acquire(tmp_path, {"X_PLAYBOOK": "1"})
        assert again is kernel, "the same kernel, kept"
        assert not ran[-1].startswith(kernels.RESET), "cleared once, not reset again"
        run_sync(kernel.run)("secret = 1")
        slot.release(False)  # a failed notebook: its kernel is not kept
        assert slot._current is None
    finally:
        slot.close()


def test_a_render_leaves_no_event_loop_open(tmp_path, make_client):
    import gc
    import warnings

    clients_dir = make_client("acme")
    nbs = tmp_path / "nbs"
    nbs.mkdir()
    write_notebook(nbs / "01_a.ipynb", "print('@ran', 1)")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ResourceWarning)
        result = render_acme(clients_dir, nbs, tmp_path / "out", workers=2)
        gc.collect()  # a loop left open says so when it is collected
    assert result.ok, result.failures
    assert not [w for w in caught if "unclosed event loop" in str(w.message)]


def test_a_notebook_is_written_once_when_it_completes_not_after_every_cell(
    tmp_path, make_client, monkeypatch
):
    import papermill.engines
    import papermill.execute

    written = []
    for module in (papermill.engines, papermill.execute):  # papermill writes from both
        write = module.write_ipynb
        monkeypatch.setattr(
            module,
            "write_ipynb",
            lambda nb, path, _w=write, **kw: (written.append(len(nb.cells)), _w(nb, path, **kw)),
        )
    clients_dir = make_client("acme")
    nbs = tmp_path / "nbs"
    nbs.mkdir()
    write_notebook(nbs / "01_cells.ipynb", *[f"print('@cell{i}', {i})" for i in range(6)])
    write_notebook(nbs / "02_raises.ipynb", "print('@before', 1)", "1 / 0", "print('@after', 2)")

    result = render_acme(clients_dir, nbs, tmp_path / "out")

    (failure,) = result.failures
    assert failure.notebook == "02_raises" and "ZeroDivisionError" in failure.error
    # papermill alone writes it when it starts, after every cell's start and end, when it
    # completes and once more; the renderer's only when it is complete: a heading, the
    # parameters, the injected ones and the 6 cells; the one that raised once, with
    # papermill's two error cells (at the top and before the cell)
    assert written == [9, 3 + 3 + 2]
    kept = tmp_path / "out" / "_failed" / "acme" / "executed"
    assert printed(kept / "01_cells.ipynb")["@cell5"] == "5"
    assert printed(kept / "02_raises.ipynb") == {"@before": "1"}


def test_a_kernel_that_timed_out_or_died_fails_its_notebook_and_is_replaced(tmp_path, make_client):
    clients_dir = make_client("acme")
    nbs = tmp_path / "nbs"
    nbs.mkdir()
    write_notebook(nbs / "01_slow.ipynb", PID, "import time\ntime.sleep(60)")
    write_notebook(
        nbs / "02_crash.ipynb", PID, "import signal\nos.kill(os.getpid(), signal.SIGKILL)"
    )
    write_notebook(nbs / "03_after.ipynb", PID)
    out = tmp_path / "out"

    result = render_acme(clients_dir, nbs, out, cell_timeout=3)

    slow, crash = result.failures
    assert (slow.notebook, crash.notebook) == ("01_slow", "02_crash")
    assert "timed out" in slow.error.lower() and "DeadKernelError" in crash.error
    kept = out / "_failed" / "acme" / "executed"
    pids = [printed(kept / f"{nb}.ipynb")["@pid"] for nb in ("01_slow", "02_crash", "03_after")]
    assert len(set(pids)) == 3, "each notebook after a failure ran on a new kernel"
    manifest = json.loads((out / "_failed" / "acme" / "manifest.json").read_text())
    assert [n["status"] for n in manifest["notebooks"]] == ["failed", "failed", "ok"]
    assert not (out / "acme").exists()
    assert [p.name for p in out.glob(".*")] == [MARKER], "no temporary folders left behind"


def test_two_workers_share_one_clients_notebooks(tmp_path, make_client):
    clients_dir = make_client("acme")
    nbs = tmp_path / "nbs"
    nbs.mkdir()
    for name in ("01_a", "02_b"):
        write_notebook(nbs / f"{name}.ipynb", PID, "import time\ntime.sleep(1)")
    out = tmp_path / "out"

    result = render_acme(clients_dir, nbs, out, workers=2)

    assert result.ok, result.failures
    executed = out / "acme" / "executed"
    assert printed(executed / "01_a.ipynb")["@pid"] != printed(executed / "02_b.ipynb")["@pid"]


def test_a_page_is_recorded_while_the_kernel_runs_the_next_notebook(
    tmp_path, make_client, monkeypatch
):
    import threading

    import playbook.report.job
    from playbook.report.engine import Engine

    clients_dir = make_client("acme")
    nbs = tmp_path / "nbs"
    nbs.mkdir()
    for name in ("01_a", "02_b"):
        write_notebook(nbs / f"{name}.ipynb", "print('@ran', 1)")
    second_started, overlapped = threading.Event(), []
    record, run = playbook.report.job.ClientJob.notebook_done, Engine._run

    def run_noting(self, slot, task):
        if task.notebook.stem == "02_b":
            second_started.set()
        return run(self, slot, task)

    def record_slowly(self, result):  # exporting the first page takes a while
        if result.task.notebook.stem == "01_a":
            overlapped.append(second_started.wait(timeout=20))
        record(self, result)

    monkeypatch.setattr(Engine, "_run", run_noting)
    monkeypatch.setattr(playbook.report.job.ClientJob, "notebook_done", record_slowly)

    result = render_acme(clients_dir, nbs, tmp_path / "out")

    assert result.ok, result.failures
    # one worker: its kernel started 02 while 01's page was still being recorded
    assert overlapped == [True]
    assert [n.notebook for n in result.notebooks] == ["01_a", "02_b"]


@pytest.fixture
def schedule(monkeypatch) -> list[tuple[str, str]]:
    """Record, in order, each framework diagnosed (slowly: 0.3 s each) and each notebook a
    worker takes."""
    import playbook.report.prepare
    from playbook.report.engine import Engine

    events = []
    write, run = playbook.report.prepare.write_diagnosis, Engine._run

    def write_slowly(folder, diagnosis):  # diagnosing a framework takes a while
        write(folder, diagnosis)
        events.append(("diagnosed", diagnosis.framework.id))
        time.sleep(0.3)

    def take(self, slot, task):
        events.append(("took", task.notebook.stem))
        return run(self, slot, task)

    monkeypatch.setattr(playbook.report.prepare, "write_diagnosis", write_slowly)
    monkeypatch.setattr(Engine, "_run", take)
    return events


def test_a_frameworks_page_starts_while_the_next_framework_is_diagnosed(
    tmp_path, make_client, schedule
):
    events = schedule
    clients_dir = make_client("acme")
    nbs = tmp_path / "nbs"
    nbs.mkdir()
    for stem in ("01_exceed_expectations", "90_executive_summary"):
        write_notebook(nbs / f"{stem}.ipynb", PID)

    result = render_acme(clients_dir, nbs, tmp_path / "out", workers=2)

    assert result.ok, result.failures
    diagnosed = [i for i, (kind, _) in enumerate(events) if kind == "diagnosed"]
    assert len(diagnosed) > 2, "every framework is diagnosed, one by one"
    assert events[diagnosed[0]] == ("diagnosed", "exceed_expectations")
    assert events.index(("took", "01_exceed_expectations")) < diagnosed[-1]
    assert events.index(("took", "90_executive_summary")) > diagnosed[-1], "it reads them all"


def test_a_big_clients_pages_wait_until_the_renderer_let_go_of_its_tables(
    tmp_path, make_client, monkeypatch, schedule
):
    import playbook.report.job

    events = schedule
    monkeypatch.setattr(playbook.report.job, "STREAM_MAX_BYTES", 100)  # "big": over 100 bytes
    clients_dir = make_client("acme")
    nbs = tmp_path / "nbs"
    nbs.mkdir()
    write_notebook(nbs / "01_exceed_expectations.ipynb", PID)

    result = render_acme(clients_dir, nbs, tmp_path / "out", workers=2)

    assert result.ok, result.failures
    last = max(i for i, (kind, _) in enumerate(events) if kind == "diagnosed")
    assert events.index(("took", "01_exceed_expectations")) > last


def test_a_big_clients_pages_run_one_at_a_time(tmp_path, make_client, monkeypatch):
    import playbook.report.job

    monkeypatch.setattr(playbook.report.job, "STREAM_MAX_BYTES", 100)  # "big": over 100 bytes
    clients_dir = make_client("acme")
    nbs = tmp_path / "nbs"
    nbs.mkdir()
    span = "import time\nprint('@start', time.time())\ntime.sleep(1)\nprint('@end', time.time())"
    for name in ("01_a", "02_b", "03_c"):
        write_notebook(nbs / f"{name}.ipynb", PID, span)
    out = tmp_path / "out"

    result = render_acme(clients_dir, nbs, out, workers=2)

    assert result.ok, result.failures
    runs = [printed(out / "acme" / "executed" / f"{n}.ipynb") for n in ("01_a", "02_b", "03_c")]
    spans = sorted((float(r["@start"]), float(r["@end"])) for r in runs)
    assert all(end <= start for (_, end), (start, _) in zip(spans, spans[1:], strict=False))


def test_a_client_whose_period_has_no_orders_fails_and_says_why(tmp_path, make_client):
    clients_dir = make_client("acme")
    nbs = tmp_path / "nbs"
    nbs.mkdir()
    write_notebook(nbs / "01_exceed_expectations.ipynb", PID)
    out = tmp_path / "out"
    events = []

    result = render_acme(clients_dir, nbs, out, progress=events.append, as_of="2030-01-01")

    [failure] = result.failures
    assert failure.notebook == "prepare" and "no orders between" in failure.error
    manifest = json.loads((out / "_failed" / "acme" / "manifest.json").read_text())
    assert manifest["status"] == "failed"
    assert not (out / "_failed" / "acme" / ".prepared").exists(), "no raw rows left behind"
    assert [(e.done, e.total) for e in events] == [(1, 1)]


def test_a_re_render_runs_only_the_pages_whose_inputs_changed(tmp_path, make_client, monkeypatch):
    commentary = {
        "frameworks": {
            "exceed_expectations": {"elements": {"fulfil_promise": {"view": "Late when it rains."}}}
        }
    }
    clients_dir = make_client("acme", files={"commentary.yaml": yaml.safe_dump(commentary)})
    nbs = tmp_path / "nbs"
    nbs.mkdir()
    for stem in ("01_exceed_expectations", "03_journey_goals", "90_executive_summary"):
        write_notebook(nbs / f"{stem}.ipynb", PID)
    out = tmp_path / "out"
    options = RenderOptions(("acme",), clients_dir=clients_dir, out_dir=out, notebooks_dir=nbs)

    def render(**changes) -> dict[str, tuple[str, str]]:
        [result] = render_clients(replace(options, **changes), progress=None)
        assert result.ok, result.failures
        manifest = json.loads((out / "acme" / "manifest.json").read_text(encoding="utf-8"))
        return {n["notebook"]: (n["run"], n["reason"]) for n in manifest["notebooks"]}

    assert set(render().values()) == {("ran", "no earlier page")}
    journey = (out / "acme" / "03_journey_goals.html").read_bytes()

    commentary["frameworks"]["exceed_expectations"]["elements"]["fulfil_promise"]["view"] = "Dry"
    (clients_dir / "acme" / "commentary.yaml").write_text(yaml.safe_dump(commentary))
    assert render() == {
        "01_exceed_expectations": ("ran", "changed: views"),  # no view slot: it runs
        "03_journey_goals": ("reused", "unchanged"),
        "90_executive_summary": ("reused", "unchanged"),  # it shows no element's view
    }
    assert (out / "acme" / "03_journey_goals.html").read_bytes() == journey
    assert (out / "acme" / "executed" / "03_journey_goals.ipynb").is_file()

    # a later order: a new as_of, so the previous report (2024-01-04) is now the history
    (clients_dir / "acme" / "orders.csv").write_text(
        (clients_dir / "acme" / "orders.csv").read_text() + "o5,c1,2024-01-05 10:00:00,store,5\n"
    )
    assert render(only=("journey_goals",)) == {
        "01_exceed_expectations": ("reused", "kept, not asked for (--only); its inputs changed: "
                                   "parameters, client, history"),
        "03_journey_goals": ("ran", "asked for (--only)"),
        "90_executive_summary": ("reused", "kept, not asked for (--only); its inputs changed: "
                                 "parameters, client, history"),
    }  # fmt: skip

    # the pages kept under --only are out of date: the next plain render runs them again
    assert render() == {
        "01_exceed_expectations": ("ran", "changed: parameters, client, history"),
        "03_journey_goals": ("reused", "unchanged"),
        "90_executive_summary": ("ran", "changed: parameters, client, history"),
    }

    # the next day: only the summary shows the report date
    class NextDay(date):
        @classmethod
        def today(cls):
            return date.today() + timedelta(days=1)

    monkeypatch.setattr("playbook.report.render.date", NextDay)
    assert render() == {
        "01_exceed_expectations": ("reused", "unchanged"),
        "03_journey_goals": ("reused", "unchanged"),
        "90_executive_summary": ("ran", "changed: parameters"),
    }
