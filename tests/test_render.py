"""The renderer: export of an executed notebook (fast), and real renders (slow).

The fast tests build a tiny executed notebook by hand. The slow ones start kernels: a render
of hand-made notebooks that checks the kernel's interpreter, a failing notebook that must
leave the previous report intact, and the demo client's first page in English. The full
demo-client site, PDF, scores, portfolio, batch and interruption tests are in test_site.py.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from playbook.config import NOTEBOOKS_DIR
from playbook.report.execute import error_line
from playbook.report.export import clean_notebook, export_html, strip_warnings
from playbook.report.manifest import file_hashes
from playbook.report.publish import MARKER
from playbook.report.render import (
    RenderOptions,
    discover_notebooks,
    notebook_slug,
    render_clients,
)
from tests.tiny_notebooks import PARAMETERS, write_notebook

FIVE_METHODS_ZH = (
    "兑现服务承诺",
    "个性化服务导入",
    "全渠道服务满足",
    "拔高客户需求",
    "创造意外之喜",
)


def assert_no_code(page: str) -> None:
    """Fail if a page shows a code cell's input (editor, highlighted source or prompt).

    Markdown cells also sit in a ``jp-InputArea`` div in nbconvert's lab template, so that
    class alone does not mean code is showing.
    """
    for marker in ('<div class="jp-CodeMirrorEditor', "hl-ipython3", '<div class="jp-InputPrompt'):
        assert marker not in page


def executed_notebook() -> nbformat.NotebookNode:
    """Return a hand-made notebook as papermill leaves it after a run."""
    return new_notebook(
        cells=[
            new_markdown_cell("# Page title"),
            new_code_cell(PARAMETERS, metadata={"tags": ["parameters"]}),
            new_code_cell(
                'client_id = "shop"  # injected marker',
                metadata={"tags": ["injected-parameters"]},
            ),
            new_markdown_cell(
                "strategist note: call the client first", metadata={"tags": ["notes"]}
            ),
            new_code_cell(
                "show_finding_marker()",
                outputs=[
                    new_output("stream", name="stdout", text="Promise kept 87.2 %\n"),
                    new_output("stream", name="stderr", text="UserWarning: glyph missing\n"),
                ],
            ),
            new_code_cell("   \n"),
            new_code_cell("silent_call_marker()"),
        ]
    )


def test_clean_notebook_drops_parameters_injected_and_notes_cells():
    cleaned = clean_notebook(executed_notebook())

    sources = [c.source for c in cleaned.cells]
    assert sources == ["# Page title", "show_finding_marker()"]


def test_clean_notebook_strips_stderr_but_keeps_stdout():
    cleaned = clean_notebook(executed_notebook())

    outputs = cleaned.cells[1].outputs
    assert [o.name for o in outputs] == ["stdout"]


def test_clean_notebook_leaves_its_input_unchanged():
    nb = executed_notebook()
    clean_notebook(nb)

    assert len(nb.cells) == 7


def test_export_html_hides_code_and_sets_title_and_lang():
    page = export_html(clean_notebook(executed_notebook()), "超出服务期望五法 — 布兰咖啡", "zh")

    assert "<title>超出服务期望五法 — 布兰咖啡</title>" in page
    assert '<html lang="zh-CN">' in page
    assert '<html lang="en">' in export_html(clean_notebook(executed_notebook()), "t", "en")
    assert "Promise kept 87.2 %" in page
    for hidden in ("show_finding_marker", "injected marker", "strategist note", "glyph missing"):
        assert hidden not in page
    assert_no_code(page)


def test_export_html_loads_nothing_from_the_network_and_carries_the_site_styles():
    page = export_html(clean_notebook(executed_notebook()), "t", "zh")
    head = page[: page.index("</head>")]

    assert "<script" not in page  # no require.js, MathJax or mermaid from a CDN
    assert "<link" not in head  # every stylesheet inline
    assert '<style id="pb-site">' in head and "@media print" in head


def test_export_html_keeps_an_outputs_html_as_made_and_its_area_focusable():
    # what a page's cell displays, byte for byte: a view written into a published page
    # (report/views.py) must equal what an export of the rewritten notebook shows
    shown = '<aside data-z="1" class="pb-view"><p>It&#x27;s late<br>again</p></aside>'
    html_cell = new_code_cell("show()", outputs=[new_output("display_data", data={
        "text/html": shown, "text/plain": "<Section>"})])  # fmt: skip
    page = export_html(new_notebook(cells=[html_cell]), "t", "en")

    assert shown in page
    [area] = [line for line in page.splitlines() if line.startswith('<div class="jp-Rendered')]
    assert "jp-OutputArea-output" in area and 'tabindex="0"' in area  # keyboard can scroll it


def test_export_html_does_not_check_the_notebook_against_the_schema_again(monkeypatch):
    # the notebook is the renderer's own (clean_notebook); nbconvert checked it after each
    # of its preprocessors, about a fifth of an export
    nb = clean_notebook(executed_notebook())
    checked = []
    monkeypatch.setattr(nbformat, "validate", lambda *a, **kw: checked.append(a))

    page = export_html(nb, "t", "en")

    assert "Promise kept 87.2 %" in page
    assert checked == []


def test_strip_warnings_drops_the_warning_and_its_source_line():
    text = (
        "Promise kept 87.2 %\n"
        "/x/charts.py:12: UserWarning: Glyph 21475 missing\n"
        "  fig.savefig(buf)\n"
        "done\n"
    )

    assert strip_warnings(text) == "Promise kept 87.2 %\ndone\n"


def test_clean_notebook_drops_printed_warnings_and_bare_reprs():
    nb = new_notebook(
        cells=[
            new_code_cell(
                "plot()",
                outputs=[
                    new_output("stream", name="stdout", text="a.py:3: FutureWarning: old\n  x\n"),
                    new_output("display_data", data={"text/plain": "<Figure size 640x480>"}),
                ],
            ),
            new_code_cell(
                "total", outputs=[new_output("execute_result", data={"text/plain": "42"})]
            ),
        ]
    )

    cleaned = clean_notebook(nb)

    assert [c.source for c in cleaned.cells] == ["total"]
    assert [o.output_type for o in cleaned.cells[0].outputs] == ["display_data"]  # no "Out[n]"


def test_discover_notebooks_keeps_numbered_notebooks_in_order(tmp_path):
    for name in ("02_b.ipynb", "01_a.ipynb", "scratch.ipynb", "1_c.ipynb"):
        (tmp_path / name).write_text("{}")

    assert [p.name for p in discover_notebooks(tmp_path)] == ["01_a.ipynb", "02_b.ipynb"]


def test_notebook_slug_rejects_unnumbered_names():
    assert notebook_slug(Path("01_exceed_expectations.ipynb")) == "exceed_expectations"
    with pytest.raises(ValueError, match="NN_<slug>"):
        notebook_slug(Path("exceed.ipynb"))


def test_error_line_finds_the_cell_line_in_an_ipython_traceback():
    traceback = [
        "\x1b[0;31m----------------------------\x1b[0m",
        "Cell \x1b[0;32mIn[4], line 2\x1b[0m\n      1 x = 1\n\x1b[0;32m----> 2\x1b[0m y = x / 0",
        "\x1b[0;31mZeroDivisionError\x1b[0m: division by zero",
    ]

    assert error_line(traceback) == "y = x / 0"


def test_file_hashes_are_sha256_per_file(tmp_path):
    (tmp_path / "orders.csv").write_bytes(b"abc")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "x.txt").write_bytes(b"")

    hashes = file_hashes(tmp_path)

    # Published SHA-256 test vectors for "abc" and the empty string.
    assert hashes == {
        "orders.csv": "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
        "sub/x.txt": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    }


def test_render_refuses_an_unknown_format(tmp_path):
    with pytest.raises(ValueError, match=r"unknown format docx; available: html, pdf, pptx"):
        render_clients(RenderOptions(clients=("acme",), formats=("html", "docx")), progress=None)


# --- slow: real kernels -------------------------------------------------------------------


def outputs_text(nb_path: Path) -> str:
    nb = nbformat.read(nb_path, as_version=4)
    outs = [o for c in nb.cells for o in c.get("outputs", [])]
    return "".join(o.get("text", "") + o.get("ename", "") for o in outs)


@pytest.mark.slow
def test_kernel_runs_the_renderers_interpreter_in_the_notebooks_dir(tmp_path, make_client):
    clients_dir = make_client("acme")
    notebooks = tmp_path / "nbs"
    notebooks.mkdir()
    write_notebook(
        notebooks / "01_probe.ipynb", "import os, sys\nprint(sys.executable)\nprint(os.getcwd())"
    )

    [result] = render_clients(
        RenderOptions(
            ("acme",), clients_dir=clients_dir, out_dir=tmp_path / "out", notebooks_dir=notebooks
        ),
        progress=None,
    )

    assert result.ok, result.failures
    printed = outputs_text(tmp_path / "out" / "acme" / "executed" / "01_probe.ipynb").split()
    # the executed notebooks a report carries name local folders portably (manifest.py)
    python = sys.executable.replace(sys.prefix, "<python>")
    assert printed == [python, notebooks.name]


@pytest.mark.slow
def test_failing_notebook_keeps_previous_report_and_names_the_cell(tmp_path, make_client):
    clients_dir = make_client("good")
    make_client("bad")
    notebooks = tmp_path / "nbs"
    notebooks.mkdir()
    write_notebook(notebooks / "01_fine.ipynb", "print('fine for', client_id)")
    out = tmp_path / "out"
    options = RenderOptions(
        ("good", "bad"), clients_dir=clients_dir, out_dir=out, notebooks_dir=notebooks, workers=2
    )
    first = render_clients(options, progress=None)
    assert all(r.ok for r in first)
    before = (out / "bad" / "index.html").read_bytes()

    write_notebook(
        notebooks / "02_boom.ipynb",
        "x = 1",
        "if client_id == 'bad':\n    raise ValueError('broken for ' + client_id)",
    )
    events = []
    good, bad = render_clients(options, progress=events.append)

    assert good.ok and (out / "good" / "02_boom.html").exists()
    assert not bad.ok
    [failure] = bad.failures
    assert (failure.client_id, failure.notebook, failure.cell) == ("bad", "02_boom", 4)
    assert failure.error == "ValueError: broken for bad"
    assert "raise ValueError" in failure.line
    assert (out / "bad" / "index.html").read_bytes() == before
    assert not (out / "bad" / "02_boom.html").exists()
    kept = out / "_failed" / "bad"
    assert "ValueError" in outputs_text(kept / "executed" / "02_boom.ipynb")
    assert json.loads((kept / "manifest.json").read_text())["status"] == "failed"
    assert sorted((e.done, e.total) for e in events)[-1] == (4, 4)
    left = [p.name for p in out.glob(".*") if p.name != MARKER]  # the marker stays
    assert not left, "no temporary folders left behind"


DEMO = "brewlane_coffee"


@pytest.mark.slow
def test_demo_renders_in_english(tmp_path):
    notebooks = tmp_path / "nbs"
    notebooks.mkdir()
    shutil.copy(NOTEBOOKS_DIR / "01_exceed_expectations.ipynb", notebooks)

    [result] = render_clients(
        RenderOptions((DEMO,), out_dir=tmp_path / "out", notebooks_dir=notebooks, lang="en"),
        progress=None,
    )

    assert result.ok, result.failures
    page = (tmp_path / "out" / DEMO / "01_exceed_expectations.html").read_text(encoding="utf-8")
    assert "Fulfil" in page
    assert '<html lang="en">' in page
    assert "Report date" in page
