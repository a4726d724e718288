"""Which pages run again: page inputs, the commentary a page shows, and the decision."""

from __future__ import annotations

import json
from dataclasses import asdict, astuple, replace

import yaml

from playbook.report.incremental import (
    VIEWS_ONLY,
    PageInputs,
    client_digest,
    commentary_parts,
    decide,
    previous_pages,
)
from playbook.report.publish import last_good

COMMENTARY = {
    "author": "Lee",
    "summary": "Overall, steady.",
    "frameworks": {
        "exceed_expectations": {"elements": {"fulfil_promise": {"view": "Late on rainy days."}}},
        "journey_goals": {"summary": "Stages leak."},
    },
}

INPUTS = PageInputs("nb", "code", "content", "params", "client", "commentary")


def write_commentary(folder, doc):
    (folder / "commentary.yaml").write_text(yaml.safe_dump(doc), encoding="utf-8")


def test_a_framework_page_sees_only_its_own_commentary_and_the_shared_keys(tmp_path):
    write_commentary(tmp_path, COMMENTARY)
    fws = ("exceed_expectations", "journey_goals")
    before = {s: commentary_parts(tmp_path, s) for s in fws}
    whole = commentary_parts(tmp_path, None)

    edited = json.loads(json.dumps(COMMENTARY))
    edited["frameworks"]["exceed_expectations"]["elements"]["fulfil_promise"]["view"] = "Fixed."
    edited["summary"] = "Overall, better."
    write_commentary(tmp_path, edited)

    commentary, views = commentary_parts(tmp_path, "exceed_expectations")
    assert commentary == before["exceed_expectations"][0], "its views are counted apart"
    assert views != before["exceed_expectations"][1]
    assert commentary_parts(tmp_path, "journey_goals") == before["journey_goals"]
    assert commentary_parts(tmp_path, None) != whole

    # an action is not a view: the page runs again
    element = edited["frameworks"]["exceed_expectations"]["elements"]["fulfil_promise"]
    element["actions"] = [{"text": "Rain plan", "due_days": 30}]
    write_commentary(tmp_path, edited)
    after = commentary_parts(tmp_path, "exceed_expectations")
    assert after[0] != commentary and after[1] == views

    edited["author"] = "Kim"
    write_commentary(tmp_path, edited)
    assert commentary_parts(tmp_path, "journey_goals") != before["journey_goals"]


def test_a_frameworks_views_are_its_summary_and_its_elements_views(tmp_path):
    def parts(section):
        write_commentary(tmp_path, {"frameworks": {"exceed_expectations": section}})
        return commentary_parts(tmp_path, "exceed_expectations")

    nothing = parts({})
    assert nothing == ("", "")
    summary = parts({"summary": "Late."})
    assert summary[0] == "" and summary[1] != ""
    view = parts({"elements": {"fulfil_promise": {"view": "Late."}}})
    assert view[0] == "" and view[1] not in ("", summary[1]), "same text, another slot"
    hidden = {"hide_actions": [{"id": "x", "reason": "Not now"}]}
    both = parts({"elements": {"fulfil_promise": {"view": "Late.", **hidden}}})
    assert both[0] != "" and both[1] == view[1]


def test_no_commentary_file_is_an_empty_input(tmp_path):
    assert commentary_parts(tmp_path, "journey_goals") == ("", "")
    # a first commentary.yaml about one framework changes that page's views only
    write_commentary(tmp_path, {"frameworks": {"exceed_expectations": {"summary": "Late."}}})
    assert commentary_parts(tmp_path, "journey_goals") == ("", "")
    assert commentary_parts(tmp_path, "exceed_expectations")[1] != ""
    (tmp_path / "commentary.yaml").write_text("frameworks: [unclosed", encoding="utf-8")
    unread = commentary_parts(tmp_path, "journey_goals")
    assert unread == commentary_parts(tmp_path, None) and unread[0] != "" and unread[1] == ""


def test_client_digest_leaves_out_commentary_and_client_notebooks():
    hashes = {"orders.csv": "a", "client.yaml": "b"}

    same = client_digest(hashes)
    assert client_digest({**hashes, "commentary.yaml": "c", "notebooks/50_x.ipynb": "d"}) == same
    assert client_digest({**hashes, "orders.csv": "z"}) != same
    assert client_digest({**hashes, "assessment.yaml": "e"}) != same
    assert client_digest({**hashes, "notebooks/helpers.py": "f"}) != same  # a page reads it


def test_changed_names_the_inputs_that_differ():
    previous = asdict(INPUTS)

    assert INPUTS.changed(previous) == []
    assert replace(INPUTS, commentary="x", notebook="y").changed(previous) == [
        "notebook",
        "commentary",
    ]
    assert INPUTS.changed({}) == list(previous)


def test_decide_reuses_only_unchanged_pages():
    entry = {"inputs": asdict(INPUTS)}
    edited = replace(INPUTS, client="new")

    assert astuple(decide("01_a", "a", INPUTS, entry)) == ("01_a", True, "unchanged", False)
    assert astuple(decide("01_a", "a", edited, entry)) == ("01_a", False, "changed: client", False)
    assert astuple(decide("01_a", "a", INPUTS, None)) == ("01_a", False, "no earlier page", False)
    forced = decide("01_a", "a", INPUTS, entry, force=True)
    assert astuple(forced) == ("01_a", False, "forced (--force)", False)


def test_a_page_whose_views_alone_changed_is_reused_with_them_written_in():
    entry = {"inputs": asdict(INPUTS)}

    views = decide("01_a", "a", replace(INPUTS, views="new"), entry)
    assert astuple(views) == ("01_a", True, VIEWS_ONLY, True)
    more = decide("01_a", "a", replace(INPUTS, views="new", client="new"), entry)
    assert astuple(more) == ("01_a", False, "changed: client, views", False)
    assert decide("01_a", "a", INPUTS, entry).views is False


def test_only_runs_the_pages_named_and_keeps_the_others_saying_when_stale():
    entry = {"inputs": asdict(INPUTS)}
    edited = replace(INPUTS, content="new")

    assert decide("01_a", "a", INPUTS, entry, only=("a",)).reuse is False
    assert decide("01_a", "a", INPUTS, entry, only=("01_a",)).reuse is False
    kept = decide("02_b", "b", edited, entry, only=("a",))
    assert kept.reuse and kept.reason == "kept, not asked for (--only); its inputs changed: content"
    assert decide("02_b", "b", INPUTS, None, only=("a",)).reuse is False


def test_previous_pages_are_the_ok_pages_of_a_good_report_still_on_disk(tmp_path):
    manifest = {
        "status": "ok",
        "notebooks": [
            {"notebook": "01_a", "status": "ok"},
            {"notebook": "02_b", "status": "ok"},
        ],
    }
    (tmp_path / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    (tmp_path / "executed").mkdir()
    (tmp_path / "executed" / "01_a.ipynb").write_text("{}", encoding="utf-8")

    good = last_good(tmp_path)

    assert list(previous_pages(tmp_path, good)) == ["01_a"]
    (tmp_path / "manifest.json").write_text(json.dumps({**manifest, "status": "failed"}))
    assert last_good(tmp_path) == {} and last_good(tmp_path / "absent") == {}


def test_the_summary_sees_all_commentary_but_the_frameworks_and_elements_views(tmp_path):
    def summary_part(doc):
        write_commentary(tmp_path, doc)
        return commentary_parts(tmp_path, None, views=False)[0]

    base = {"summary": "Overall.", "frameworks": {"exceed_expectations": {"summary": "Late."}}}
    plain = summary_part(base)
    assert plain == summary_part({"summary": "Overall."}), "a framework's view: not shown"
    assert plain != summary_part({"summary": "Overall, better."})
    fw = base["frameworks"]["exceed_expectations"]
    fw["elements"] = {"fulfil_promise": {"view": "Rain."}}
    assert summary_part(base) == plain, "an element's view: not shown"
    action = {"text": "Rain plan", "due_days": 30}
    fw["elements"]["fulfil_promise"]["actions"] = [action]
    with_action = summary_part(base)
    assert with_action != plain, "an added action is in the summary's plan"
    fw["elements"]["fulfil_promise"]["view"] = "Rain, again."
    assert summary_part(base) == with_action
    assert commentary_parts(tmp_path, None) != commentary_parts(tmp_path, None, views=False)
