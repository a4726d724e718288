"""scores.json: the workshop score stored on both of its scales, labelled."""

from __future__ import annotations

import json

import pytest

from playbook.data.clients import load_client
from playbook.diagnosis.core import diagnose
from playbook.report.manifest import build_scores


def test_workshop_score_is_stored_raw_and_on_the_0_to_100_scale(make_client):
    assessment = {"frameworks": {"exceed_expectations": {"fulfil_promise": {"score": 4}}}}
    data = load_client("acme", make_client(assessment=assessment))
    scores = build_scores(
        [diagnose("exceed_expectations", data)], client_id="acme", lang="en", as_of=""
    )
    element = scores["frameworks"][0]["elements"][0]
    assert element["id"] == "fulfil_promise"
    # 4 of 1–5 is (4 - 1) / 4 = 75 on the 0–100 scale of "score" and "data_score"
    assert element["workshop_score_1_to_5"] == 4
    assert element["workshop_score"] == pytest.approx(75.0)
    other = scores["frameworks"][0]["elements"][1]
    assert other["workshop_score_1_to_5"] is None and other["workshop_score"] is None
    json.dumps(scores, allow_nan=False)  # machine-readable as written
