"""A re-render after the strategist edited views only: no notebook runs, same pages (slow).

A tiny client's framework page is rendered with views, the views are edited (one changed,
one removed, one added, one that looks like the slot's own marker), and the page is
rendered again: it is reused with the views written in, and equals, byte for byte, the page
a forced run makes from the same commentary.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import replace

import pytest
import yaml

from playbook.config import NOTEBOOKS_DIR
from playbook.report.incremental import VIEWS_ONLY
from playbook.report.kernels import KernelSlot
from playbook.report.render import RenderOptions, render_clients

pytestmark = pytest.mark.slow

PAGE = "01_exceed_expectations"


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
    options = RenderOptions(
        ("acme",), clients_dir=clients_dir, out_dir=tmp_path / "out", notebooks_dir=nbs
    )
    report = tmp_path / "out" / "acme"
    ran = []

    def render(**changes) -> dict[str, tuple[str, str]]:
        [result] = render_clients(replace(options, **changes), progress=ran.append)
        assert result.ok, result.failures
        manifest = json.loads((report / "manifest.json").read_text(encoding="utf-8"))
        return {n["notebook"]: (n["run"], n["reason"]) for n in manifest["notebooks"]}

    assert render() == {PAGE: ("ran", "no earlier page")}
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

    assert render() == {PAGE: ("reused", VIEWS_ONLY)}
    assert [e.reused for e in ran] == [True] and launched == [], "no notebook, no kernel"
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

    # written in, the views are today's inputs: nothing changed since
    assert render() == {PAGE: ("reused", "unchanged")}
