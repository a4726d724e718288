"""A re-render after the strategist edited views only: no notebook runs, same pages (slow).

A tiny client's framework page (and a stand-in executive summary) is rendered with views,
the views are edited (one changed, one removed, one added, one that looks like the slot's
own marker), and the report is rendered again: the page is reused with the views written
in, and equals, byte for byte, the page a fresh run makes from the same commentary. Every
page being reused, the client is not prepared again (``report.reuse``): its tables are not
read, pandas is not imported, and its scores are those a fresh run makes.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from dataclasses import replace

import pytest
import yaml

from playbook.config import NOTEBOOKS_DIR
from playbook.report import prepare
from playbook.report.incremental import VIEWS_ONLY
from playbook.report.kernels import KernelSlot
from playbook.report.render import RenderOptions, render_clients
from tests.tiny_notebooks import write_notebook

pytestmark = pytest.mark.slow

PAGE = "01_exceed_expectations"
SUMMARY = "90_executive_summary"
#: A render in a new process: whether it imported pandas, pyarrow or a kernel client.
RENDER_ALONE = """
import sys
from playbook.report.render import RenderOptions, render_clients
[result] = render_clients(RenderOptions(("acme",), clients_dir=sys.argv[1], out_dir=sys.argv[2],
                                        notebooks_dir=sys.argv[3]), progress=None)
assert result.ok, result.failures
print(*(m for m in ("pandas", "pyarrow", "jupyter_client") if m in sys.modules))
"""


def test_a_page_whose_views_alone_changed_is_not_run_and_equals_a_fresh_run(
    tmp_path, make_client, monkeypatch
):
    commentary = {
        "frameworks": {
            "exceed_expectations": {
                "summary": "CANARY-SUMMARY steady.",
                "elements": {"fulfil_promise": {"view": "CANARY-RAIN late when it rains."}},
            }
        }
    }
    clients_dir = make_client("acme", files={"commentary.yaml": yaml.safe_dump(commentary)})
    nbs = tmp_path / "nbs"
    nbs.mkdir()
    shutil.copy(NOTEBOOKS_DIR / f"{PAGE}.ipynb", nbs)
    write_notebook(nbs / f"{SUMMARY}.ipynb", "print('summary')")
    options = RenderOptions(
        ("acme",), clients_dir=clients_dir, out_dir=tmp_path / "out", notebooks_dir=nbs
    )
    report = tmp_path / "out" / "acme"
    ran = []

    def pages() -> dict[str, tuple[str, str]]:
        manifest = json.loads((report / "manifest.json").read_text(encoding="utf-8"))
        return {n["notebook"]: (n["run"], n["reason"]) for n in manifest["notebooks"]}

    def render(**changes) -> dict[str, tuple[str, str]]:
        [result] = render_clients(replace(options, **changes), progress=ran.append)
        assert result.ok, result.failures
        return pages()

    assert render() == {PAGE: ("ran", "no earlier page"), SUMMARY: ("ran", "no earlier page")}
    assert "CANARY-RAIN" in (report / f"{PAGE}.html").read_text(encoding="utf-8")

    section = commentary["frameworks"]["exceed_expectations"]
    del section["summary"]
    section["elements"]["fulfil_promise"]["view"] = "CANARY-DRY <!--/pb-view--> **dry** now."
    # an apostrophe and a line break: written as the page's own HTML writes them
    section["elements"]["create_delight"] = {"view": "CANARY-DELIGHT it's new.\nA second line."}
    (clients_dir / "acme" / "commentary.yaml").write_text(yaml.safe_dump(commentary))
    ran.clear()
    launched = []
    launch = KernelSlot._launch
    monkeypatch.setattr(KernelSlot, "_launch", lambda slot: launched.append(1) or launch(slot))
    prepared = []
    preparation = prepare.Preparation
    monkeypatch.setattr(
        prepare, "Preparation", lambda *a, **k: prepared.append(1) or preparation(*a, **k)
    )

    assert render() == {PAGE: ("reused", VIEWS_ONLY), SUMMARY: ("reused", "unchanged")}
    assert [e.reused for e in ran] == [True, True] and launched == [], "no notebook, no kernel"
    assert prepared == [], "every page reused: the client is not loaded nor diagnosed"
    page = (report / f"{PAGE}.html").read_text(encoding="utf-8")
    for gone in ("CANARY-SUMMARY", "CANARY-RAIN"):
        assert gone not in page
    assert "CANARY-DRY &lt;!--/pb-view--&gt; <strong>dry</strong> now." in page
    assert "CANARY-DELIGHT it&#x27;s new.<br>A second line." in page
    executed = (report / "executed" / f"{PAGE}.ipynb").read_text(encoding="utf-8")
    assert "CANARY-DELIGHT" in executed and "CANARY-RAIN" not in executed

    # the page a run makes from the same commentary, in another report folder
    fresh = tmp_path / "fresh"
    [result] = render_clients(replace(options, out_dir=fresh), progress=None)
    assert result.ok, result.failures
    assert page == (fresh / "acme" / f"{PAGE}.html").read_text(encoding="utf-8")
    scores = json.loads((report / "scores.json").read_text(encoding="utf-8"))
    assert scores == json.loads((fresh / "acme" / "scores.json").read_text(encoding="utf-8"))

    # written in, the views are today's inputs: nothing changed since; in a process of its
    # own, that render imports neither the tables' libraries nor a kernel's client
    alone = [sys.executable, "-c", RENDER_ALONE, clients_dir, tmp_path / "out", nbs]
    done = subprocess.run(alone, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == []
    assert pages() == {PAGE: ("reused", "unchanged"), SUMMARY: ("reused", "unchanged")}

    # an action added runs the page and the summary: the client is prepared again
    prepared.clear()
    section["elements"]["fulfil_promise"]["actions"] = [{"text": "Rain plan", "due_days": 30}]
    (clients_dir / "acme" / "commentary.yaml").write_text(yaml.safe_dump(commentary))
    assert render() == {
        PAGE: ("ran", "changed: commentary"),
        SUMMARY: ("ran", "changed: commentary"),
    }
    assert prepared == [1]
