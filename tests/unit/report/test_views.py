"""A page whose views alone changed: the views written into its slots, nothing run.

The slots' contents are written out here by hand (the view block a page shows), so the
tests check ``splice_views`` and ``rewrite_notebook`` against the page's HTML, not against
themselves.
"""

from __future__ import annotations

import json

from playbook.data.commentary import ElementCommentary, FrameworkCommentary
from playbook.pages.strategist import SUMMARY_SLOT, splice_views, view_slot
from playbook.report.views import rewrite_notebook, rewrite_page

RAIN = (
    '<!--pb-view element:fulfil_promise--><aside class="pb-view"><div class="pb-kicker">'
    "Strategist&#x27;s view</div><p>Late when it <strong>rains</strong>.</p></aside><!--/pb-view-->"
)
EMPTY_SUMMARY = "<!--pb-view summary--><!--/pb-view-->"


def test_a_view_slot_holds_the_view_block_between_its_markers():
    assert view_slot("element:fulfil_promise", "Late when it **rains**.", "en") == RAIN
    assert view_slot(SUMMARY_SLOT, "  ", "en") == EMPTY_SUMMARY
    summary = view_slot(SUMMARY_SLOT, "Solid.", "en")
    assert "The strategist&#x27;s summary" in summary and "Strategist&#x27;s view" not in summary


def test_splice_refills_every_slot_and_empties_those_without_a_view():
    page = f"<h2>Overview</h2>{EMPTY_SUMMARY}<h2>1.</h2>{RAIN}<p>chart</p>"

    spliced, found = splice_views(page, {SUMMARY_SLOT: "Solid."}, "en")

    assert found == 2
    assert spliced == (
        '<h2>Overview</h2><!--pb-view summary--><aside class="pb-view"><div class="pb-kicker">'
        "The strategist&#x27;s summary</div><p>Solid.</p></aside><!--/pb-view-->"
        "<h2>1.</h2><!--pb-view element:fulfil_promise--><!--/pb-view--><p>chart</p>"
    )


def test_a_view_that_looks_like_a_marker_is_text_and_a_later_splice_still_finds_the_slot():
    hostile = "<!--/pb-view--> <b>bold</b> <!--pb-view summary-->"
    once, _ = splice_views(RAIN, {"element:fulfil_promise": hostile}, "en")

    assert "&lt;!--/pb-view--&gt; &lt;b&gt;bold&lt;/b&gt;" in once
    again, found = splice_views(once, {"element:fulfil_promise": "Late when it **rains**."}, "en")
    assert (again, found) == (RAIN, 1)


def notebook(*htmls: str | list[str]) -> dict:
    outputs = [
        {"output_type": "display_data", "data": {"text/html": h}, "metadata": {}} for h in htmls
    ]
    cell = {"cell_type": "code", "source": "page.element('x')", "metadata": {}, "outputs": outputs}
    return {"cells": [cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}


def test_rewrite_notebook_fills_the_slots_of_every_html_output(tmp_path):
    source, dest = tmp_path / "in.ipynb", tmp_path / "out.ipynb"
    # nbformat stores an output's text as a list of lines: a slot may span several
    lines = ["<p>findings</p>\n", RAIN[:30], RAIN[30:]]
    source.write_text(json.dumps(notebook(lines, EMPTY_SUMMARY)), encoding="utf-8")
    views = FrameworkCommentary(
        summary="Solid.", elements={"fulfil_promise": ElementCommentary(view="Dry now.")}
    )

    assert rewrite_notebook(source, dest, views, "en") == 2

    outputs = json.loads(dest.read_text(encoding="utf-8"))["cells"][0]["outputs"]
    first, second = (o["data"]["text/html"] for o in outputs)
    assert first == (
        '<p>findings</p>\n<!--pb-view element:fulfil_promise--><aside class="pb-view">'
        '<div class="pb-kicker">Strategist&#x27;s view</div><p>Dry now.</p></aside><!--/pb-view-->'
    )
    assert second == view_slot(SUMMARY_SLOT, "Solid.", "en")


def test_a_notebook_without_slots_is_not_rewritten(tmp_path):
    source, dest = tmp_path / "in.ipynb", tmp_path / "out.ipynb"
    source.write_text(json.dumps(notebook("<p>no view here</p>")), encoding="utf-8")

    assert rewrite_notebook(source, dest, FrameworkCommentary(summary="Solid."), "en") == 0
    assert not dest.exists()


def test_rewrite_page_writes_the_views_as_the_exporter_keeps_an_outputs_html():
    page = f"<html><body>{RAIN}</body></html>"
    views = FrameworkCommentary(elements={"fulfil_promise": ElementCommentary(view='"Dry".')})

    written, found = rewrite_page(page, views, "en")

    assert found == 1
    # the exporter keeps each output's HTML as the notebook made it (entities included)
    assert written == (
        '<html><body><!--pb-view element:fulfil_promise--><aside class="pb-view">'
        '<div class="pb-kicker">Strategist&#x27;s view</div><p>&quot;Dry&quot;.</p></aside>'
        "<!--/pb-view--></body></html>"
    )
