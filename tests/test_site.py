"""The client deliverable: report site, PDF, scores.json, portfolio index, safe batches.

Fast tests build pages and report folders by hand. The slow ones read the demo reports the
session fixture ``demo_reports`` (tests/conftest.py) renders once per test run (site, PDF,
deck, scores, manifest and portfolio tests), and render a two-client batch with one client broken
(first notebook only) and a render killed mid-way.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pypdf
import pytest
from click.testing import CliRunner
from nbformat.v4 import new_code_cell, new_notebook, new_output

from playbook.cli import main
from playbook.config import DEFAULT_CLIENTS_DIR, NOTEBOOKS_DIR, notebook_stem, page_href
from playbook.content import frameworks
from playbook.report.export import export_html
from playbook.report.pdf import pdf_document
from playbook.report.portfolio import collect_clients, portfolio_html, rank_position
from playbook.report.publish import MARKER
from playbook.report.site import Site, SitePage, contents_page, decorate_page, nav_html

SITE = Site(
    "栖山咖啡",
    "2025-07-01",
    "zh",
    (
        SitePage("01_a", "01_a.html", "超出服务期望五法"),
        SitePage("02_b", "02_b.html", "三种导向"),
        SitePage("90_executive_summary", "index.html", "执行摘要"),
    ),
)


def test_nav_lists_the_summary_first_and_marks_the_current_page():
    nav = nav_html(SITE, "02_b.html")

    hrefs = re.findall(r'href="([^"]+)"', nav)
    assert hrefs == ["index.html", "01_a.html", "02_b.html"]
    assert '<a class="pb-current" aria-current="page" href="02_b.html">三种导向</a>' in nav


@pytest.fixture(scope="module")
def exported() -> str:
    """Return a page exported with the report's template: a heading and a link to 02_b."""
    html = '<div class="pb"><h1>超出服务期望五法</h1><a href="02_b.html">next</a></div>'
    cell = new_code_cell(
        "page.header()", outputs=[new_output("display_data", data={"text/html": html})]
    )
    return export_html(new_notebook(cells=[cell]), "t", "zh")


def test_decorate_page_puts_header_and_nav_before_the_content(exported):
    page = decorate_page(exported, SITE, "01_a.html")

    body = page[page.index("<body") :]
    assert body.index('class="pb-site-header"') < body.index('class="pb-nav"') < body.index("<main")
    assert "栖山咖啡" in body and "报告日期 2025-07-01 · 中文" in body
    assert "超出服务期望五法" in body
    assert "pb-site-chrome" not in page


def test_decorate_page_refuses_a_page_not_exported_with_the_template():
    with pytest.raises(ValueError, match="not a page exported by export_html"):
        decorate_page("<html><head></head><body><main></main></body></html>", SITE, "01_a.html")


def test_contents_page_links_every_page_but_itself():
    page = contents_page(SITE)
    main_part = page[page.index("<main") :]

    assert re.findall(r'href="([^"]+)"', main_part) == ["01_a.html", "02_b.html"]


def test_pdf_document_puts_the_summary_first_and_links_within_the_pdf(exported):
    documents = {p.href: exported.replace("超出服务期望五法", p.title) for p in SITE.pages}

    doc = pdf_document(SITE, documents, "file:///fonts/cjk.otf")

    sections = re.findall(r'<section class="pb-pdf-page" id="([^"]+)"', doc)
    assert sections == ["pb-index", "pb-01_a", "pb-02_b"]
    assert 'href="#pb-02_b"' in doc
    assert 'src: url("file:///fonts/cjk.otf")' in doc
    assert "<script" not in doc


def test_rank_position_ranks_from_the_top_and_counts_lower_scores():
    scores = [80.0, 60.0, 60.0, 40.0, None]

    # 60: one score above (rank 2), one of the three others below => 33 %
    rank, n, pct = rank_position(60.0, scores)
    assert (rank, n) == (2, 4)
    assert pct == pytest.approx(100 / 3)
    assert rank_position(80.0, scores) == (1, 4, 100.0)
    assert rank_position(None, scores) is None


def write_report(out: Path, cid: str, started: str, score: float | None, failed: bool = False):
    """Write the files a render leaves for one client (a published or a failed run)."""
    folder = out / ("_failed/" + cid if failed else cid)
    folder.mkdir(parents=True)
    status = "failed" if failed else "ok"
    notebooks = [{"notebook": "01_a", "seconds": 1.0, "status": status}]
    if failed:
        notebooks[0]["error"] = f"{cid} · 01_a · cell 4: ValueError: boom"
    manifest = {
        "client_id": cid,
        "client_name": cid.title(),
        "status": status,
        "started": started,
        "notebooks": notebooks,
    }
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    if not failed:
        (folder / "index.html").write_text("<html></html>", encoding="utf-8")
        scores = {
            "client_id": cid,
            "client_name": cid.title(),
            "lang": "en",
            "score": score,
            "band": "developing",
            "frameworks": [
                {
                    "id": "a",
                    "order": 1,
                    "title": {"zh": "甲", "en": "Alpha"},
                    "score": score,
                    "band": "developing",
                }
            ],
        }
        (folder / "scores.json").write_text(json.dumps(scores), encoding="utf-8")


def test_portfolio_reads_earlier_runs_and_keeps_the_last_failure(tmp_path):
    write_report(tmp_path, "acme", "2025-07-01T10:00:00+00:00", 70.0)
    write_report(tmp_path, "shop", "2025-07-01T09:00:00+00:00", 50.0)
    write_report(tmp_path, "shop", "2025-07-02T09:00:00+00:00", None, failed=True)

    entries = collect_clients(tmp_path)
    page = portfolio_html(entries, "en", "now")

    assert [(e.client_id, e.status, e.has_report) for e in entries] == [
        ("acme", "ok", True),
        ("shop", "failed", True),
    ]
    assert "shop · 01_a · cell 4: ValueError: boom" in page
    assert "previous report kept" in page
    assert '<a href="acme/index.html">Acme</a>' in page
    assert "rank 1/2 · P100" in page and "rank 2/2 · P0" in page


# --- slow: real renders ---------------------------------------------------------------------

DEMO = "brewlane_coffee"
STDERR_MARKERS = ('data-mime-type="application/vnd.jupyter.stderr"', "Warning:", "Traceback")
#: What a code cell's input looks like in nbconvert's lab template (editor, source, prompt).
CODE_MARKERS = ('<div class="jp-CodeMirrorEditor', "hl-ipython3", '<div class="jp-InputPrompt')


def framework_pages() -> list[str]:
    """Every framework's page, e.g. 01_exceed_expectations.html (one per content file)."""
    return [page_href(notebook_stem(fw.order, fw.id)) for fw in frameworks()]


@pytest.mark.slow
def test_site_opens_on_the_summary_and_links_every_page(demo_reports):
    report = demo_reports / DEMO
    index = (report / "index.html").read_text(encoding="utf-8")

    nav = index[index.index('<nav class="pb-nav"') : index.index("</nav>")]
    assert '<a class="pb-current" aria-current="page" href="index.html">' in nav
    for page in framework_pages():
        assert f'href="{page}"' in nav
        assert (report / page).exists()
    assert "执行摘要" in index and "服务成熟度" in index  # the summary is the front page
    assert "栖山咖啡" in index[: index.index("</header>")]


@pytest.mark.slow
def test_pages_show_no_code_no_parameters_no_stderr(demo_reports):
    for page in sorted((demo_reports / DEMO).glob("*.html")):
        text = page.read_text(encoding="utf-8")
        for marker in CODE_MARKERS:
            assert marker not in text, f"{page.name}: {marker}"
        assert "injected-parameters" not in text, page.name
        for marker in STDERR_MARKERS:
            assert marker not in text, f"{page.name}: {marker}"
        assert "cdnjs" not in text, f"{page.name} loads a script from the network"
        sources = re.findall(r'<img\b[^>]*?\bsrc="([^"]{0,5})', text)
        assert len(sources) == text.count("<img"), f"{page.name}: an image without a source"
        assert set(sources) <= {"data:"}, f"{page.name}: every chart is embedded"


@pytest.mark.slow
def test_pdf_has_every_page_with_chinese_text(demo_reports):
    reader = pypdf.PdfReader(demo_reports / DEMO / "report.pdf")
    text = "".join(page.extract_text() for page in reader.pages)

    assert "栖山咖啡 Brewlane Coffee" in text
    assert "超出服务期望五法" in text
    assert len(reader.pages) >= len(framework_pages())
    images = sum(len(page.images) for page in reader.pages[:3])
    assert images > 0, "charts are in the PDF"


#: Target and floor of fulfil_promise's indicators (content/exceed_expectations.yaml); its
#: weights are 3 and 2. brewlane_coffee has no benchmark for them and no workshop score.
PROMISE_KEPT = (0.95, 0.80)
RELIABILITY_GAP = (0.3, -1.0)


def linear_score(value: float, target: float, floor: float) -> float:
    """Score 0–100: 0 at the floor, 100 at the target, linear between (DESIGN.md)."""
    return 100 * min(1.0, max(0.0, (value - floor) / (target - floor)))


@pytest.mark.slow
def test_scores_json_matches_the_data(demo_reports):
    scores = json.loads((demo_reports / DEMO / "scores.json").read_text(encoding="utf-8"))
    orders = pd.read_csv(DEFAULT_CLIENTS_DIR / DEMO / "orders.csv", parse_dates=["order_time"])
    survey = pd.read_csv(DEFAULT_CLIENTS_DIR / DEMO / "survey.csv", parse_dates=["response_time"])
    last_day = orders["order_time"].max().normalize()
    start, end = last_day + pd.Timedelta(days=1) - pd.Timedelta(days=90), last_day
    period = orders[orders["order_time"] >= start].dropna(
        subset=["promised_minutes", "actual_minutes"]
    )
    kept = (period["actual_minutes"] <= period["promised_minutes"]).mean()
    answers = survey[(survey["response_time"] >= start)
                     & (survey["response_time"] < end + pd.Timedelta(days=1))]  # fmt: skip
    gap = (answers["perception_reliability"] - answers["expectation_reliability"]).mean()

    fw = next(f for f in scores["frameworks"] if f["id"] == "exceed_expectations")
    element = next(e for e in fw["elements"] if e["id"] == "fulfil_promise")
    results = {i["id"]: i for i in element["indicators"]}
    assert results["promise_kept_rate"]["value"] == pytest.approx(kept, abs=1e-6)
    assert results["promise_kept_rate"]["n"] == len(period)
    assert results["promise_kept_rate"]["score"] == pytest.approx(
        linear_score(kept, *PROMISE_KEPT), abs=1e-4
    )
    assert results["reliability_gap"]["value"] == pytest.approx(gap, abs=1e-6)
    expected = (3 * linear_score(kept, *PROMISE_KEPT) + 2 * linear_score(gap, *RELIABILITY_GAP)) / 5
    assert element["basis"] == "data"
    assert element["score"] == pytest.approx(expected, abs=1e-4)
    assert scores["period"] == {
        "start": start.date().isoformat(),
        "last_day": last_day.date().isoformat(),
        "days": 90,
    }
    assert {f["id"] for f in scores["frameworks"]} == {fw.id for fw in frameworks()}


@pytest.mark.slow
def test_manifest_records_provenance(demo_reports):
    manifest = json.loads((demo_reports / DEMO / "manifest.json").read_text(encoding="utf-8"))
    orders = DEFAULT_CLIENTS_DIR / DEMO / "orders.csv"

    assert manifest["status"] == "ok"
    assert manifest["parameters"]["client_id"] == DEMO and manifest["lang"] == "zh"
    assert manifest["inputs"]["orders.csv"] == hashlib.sha256(orders.read_bytes()).hexdigest()
    assert manifest["formats"] == ["html", "pdf", "pptx"]
    assert isinstance(manifest["git_dirty"], bool | None)
    assert [n["notebook"] for n in manifest["notebooks"]][0] == "01_exceed_expectations"
    assert {"scores", "pdf", "pptx"} <= set(manifest["steps"])


@pytest.mark.slow
def test_deck_holds_the_rendered_scores_and_their_evidence(demo_reports):
    from pptx import Presentation

    scores = json.loads((demo_reports / DEMO / "scores.json").read_text(encoding="utf-8"))
    deck = Presentation(str(demo_reports / DEMO / "report.pptx"))
    titles = [s.shapes.title.text for s in deck.slides]
    assert titles[0] == "栖山咖啡 Brewlane Coffee"
    # the deck's formula, continuations apart: title, agenda, summary, gaps; per framework a
    # section, an overview and each assessed element; the plan; method, coverage, cases
    elements = sum(e["score"] is not None for f in scores["frameworks"] for e in f["elements"])
    primary = [t for t in titles if not t.endswith("（续）")]
    assert len(primary) == 4 + 2 * len(scores["frameworks"]) + elements + 1 + 3
    summary = deck.slides[titles.index("执行摘要")]
    (chart,) = [s.chart for s in summary.shapes if s.has_chart]
    scored = [f for f in scores["frameworks"] if f["score"] is not None]
    assert list(chart.plots[0].categories) == [f["title"]["zh"] for f in scored]
    assert list(chart.series[0].values) == pytest.approx([f["score"] for f in scored], abs=0.051)
    fw = next(f for f in scores["frameworks"] if f["id"] == "exceed_expectations")
    element = next(e for e in fw["elements"] if e["id"] == "fulfil_promise")
    kept = next(i for i in element["indicators"] if i["id"] == "promise_kept_rate")
    slide = deck.slides[titles.index(f"1. {element['title']['zh']}")]
    notes = slide.notes_slide.notes_text_frame.text
    assert f"数值 {kept['value'] * 100:.1f}%" in notes and f"样本 {kept['n']:,} 行" in notes
    assert any(s.shape_type == 13 for s in slide.shapes), "the element's chart as a picture"


@pytest.mark.slow
def test_portfolio_lists_the_rendered_client_with_scores(demo_reports):
    scores = json.loads((demo_reports / DEMO / "scores.json").read_text(encoding="utf-8"))
    page = (demo_reports / "index.html").read_text(encoding="utf-8")

    assert f'data-client="{DEMO}"' in page
    assert f'href="{DEMO}/index.html"' in page
    first = scores["frameworks"][0]
    assert f"{first['score']:.0f}</span>" in page
    assert "超出服务期望五法" in page


def copy_demo(clients: Path, *ids: str) -> Path:
    for cid in ids:
        shutil.copytree(DEFAULT_CLIENTS_DIR / cid, clients / cid)
    return clients


@pytest.mark.slow
def test_batch_with_a_broken_client_renders_the_others(tmp_path):
    clients = copy_demo(tmp_path / "clients", DEMO, "slice_pizza")
    notebooks = tmp_path / "nbs"
    notebooks.mkdir()
    shutil.copy(NOTEBOOKS_DIR / "01_exceed_expectations.ipynb", notebooks)
    out = tmp_path / "out"
    args = [
        "render",
        "--all",
        "--clients-dir",
        clients,
        "--notebooks-dir",
        notebooks,
        "--out",
        out,
        "--workers",
        "2",
    ]
    first = CliRunner().invoke(main, [str(a) for a in args])
    assert first.exit_code == 0, first.output
    before = {p.name: p.read_bytes() for p in (out / "slice_pizza").glob("*.*")}

    orders = clients / "slice_pizza" / "orders.csv"  # a required column renamed: invalid
    orders.write_text(
        orders.read_text(encoding="utf-8").replace("order_id,", "order_no,", 1), encoding="utf-8"
    )
    second = CliRunner().invoke(main, [str(a) for a in args])

    assert second.exit_code == 1
    assert "INVALID slice_pizza" in second.output
    assert "Rendered 1 of 2 client(s)" in second.output
    assert {p.name: p.read_bytes() for p in (out / "slice_pizza").glob("*.*")} == before
    portfolio = (out / "index.html").read_text(encoding="utf-8")
    assert 'data-client="slice_pizza"' in portfolio and 'data-client="brewlane_coffee"' in portfolio
    row = portfolio[portfolio.index('data-client="slice_pizza"') :]
    assert "pb-failed" in row[: row.index("</tr>")]
    assert [p.name for p in out.glob(".*")] == [MARKER]  # no temporary folders left


@pytest.mark.slow
def test_interrupted_render_keeps_the_earlier_report(tmp_path, demo_reports):
    out = tmp_path / "out"
    shutil.copytree(demo_reports / DEMO, out / DEMO)
    before = {p.name: p.read_bytes() for p in (out / DEMO).glob("*.*")}
    playbook = Path(sys.executable).with_name("playbook")
    proc = subprocess.Popen(
        [str(playbook), "render", DEMO, "--out", str(out)],
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 120
        line = proc.stderr.readline()
        while not line.startswith("[1/") and time.monotonic() < deadline and line:
            line = proc.stderr.readline()
        assert line.startswith("[1/"), "the render started"
        assert list(out.glob(f".{DEMO}.rendering-*")), "mid-way: a temporary folder exists"
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()

    assert proc.returncode == 130
    assert {p.name: p.read_bytes() for p in (out / DEMO).glob("*.*")} == before
    left = [p.name for p in out.glob(".*") if p.name != MARKER]  # the marker stays
    assert not left, "no temporary folders left behind"
