"""Scope and the strategist's actions in the diagnosis, the summary, the plan and scores.json.

The tiny client's four orders measure no element of pricing_revenue or word_of_mouth_risk,
so every score below comes from the workshop (1 → 0, 2 → 25, 3 → 50, 4 → 75, 5 → 100)
and is worked out by hand.
"""

from __future__ import annotations

import pytest
import yaml

from playbook.data import load_client
from playbook.diagnosis import diagnose, diagnose_all
from playbook.diagnosis.engagement import phase_of
from playbook.diagnosis.summary import SOURCE_STRATEGIST, summarise
from playbook.report.manifest import build_scores

SCOPE = {
    # listed out of reading order on purpose: pages keep the usual order (07 before 09)
    "frameworks": ["word_of_mouth_risk", "pricing_revenue"],
    "exclude_elements": {"pricing_revenue": {"package_tiers": "No tiered offer to assess"}},
}
ASSESSMENT = {
    "frameworks": {
        "pricing_revenue": {
            "price_elasticity": {"score": 4},  # 75
            "discount_effect": {"score": 2},  # 25
            "price_sensitivity": {"score": 5},  # 100
            "package_tiers": {"score": 1},  # 0 — excluded: must not pull the mean down
        },
        "word_of_mouth_risk": {
            "nps_by_segment": {"score": 3},  # 50
            "privacy": {"score": 5},  # 100
            "continuity": {"score": 1},  # 0; service_level is not assessed
        },
    }
}
PRICING = (75 + 25 + 100) / 3  # 66.67: package_tiers left out
WORD_OF_MOUTH = (50 + 100 + 0) / 3  # 50.0: service_level has no score
COMMENTARY = {
    "author": "Engagement team",
    "frameworks": {
        "pricing_revenue": {
            "summary": "Discounts do the selling.",
            "elements": {
                "price_elasticity": {
                    "view": "Price moves rarely; **no test** yet.",
                    "actions": [
                        {
                            "text": "Run a price test in two stores",
                            "kpi": "Units per store",
                            "target": "+5%",
                            "owner": "Pricing lead",
                            "due_days": 45,
                        }
                    ],
                    "hide_actions": [
                        {"id": "record_units", "reason": "Units arrive with the next export"},
                        {"id": "price_test", "reason": "Applies only once units are known"},
                    ],
                },
                "discount_effect": {
                    "actions": [{"text": "Cap coupons at 10%", "due_days": 60}],
                },
            },
        }
    },
}


@pytest.fixture
def data(make_client):
    clients_dir = make_client(
        config={"report": SCOPE},
        assessment=ASSESSMENT,
        files={"commentary.yaml": yaml.safe_dump(COMMENTARY, allow_unicode=True)},
    )
    return load_client("acme", clients_dir)


def test_only_the_scope_is_diagnosed_in_reading_order(data):
    diagnoses = diagnose_all(data)

    assert [d.framework.id for d in diagnoses] == ["pricing_revenue", "word_of_mouth_risk"]
    pricing, wom = diagnoses
    assert [e.element.id for e in pricing.elements] == [
        "price_elasticity",
        "discount_effect",
        "price_sensitivity",
    ]
    assert [(x.element.id, x.reason) for x in pricing.excluded] == [
        ("package_tiers", "No tiered offer to assess")
    ]
    assert pricing.score == pytest.approx(PRICING)
    assert wom.score == pytest.approx(WORD_OF_MOUTH)
    assert wom.excluded == ()
    assert pricing.excluded_reason("package_tiers") == "No tiered offer to assess"
    with pytest.raises(KeyError, match="outside the scope: No tiered offer"):
        pricing.element("package_tiers")


def test_summary_maturity_is_the_mean_of_the_two_framework_scores(data):
    summary = summarise(diagnose_all(data), "en")

    assert summary.score == pytest.approx((PRICING + WORD_OF_MOUTH) / 2)  # 58.33
    assert summary.frameworks["framework_id"].tolist() == ["pricing_revenue", "word_of_mouth_risk"]
    assert "package_tiers" not in summary.elements["element_id"].tolist()
    assert summary.excluded[["element_id", "reason"]].values.tolist() == [
        ["package_tiers", "No tiered offer to assess"]
    ]
    # not scored as zero, so not a gap either; service_level (no score at all) is listed
    assert "package_tiers" not in summary.top_gaps["element_id"].tolist()
    assert summary.not_assessed["element_id"].tolist() == ["service_level"]


def test_scores_json_covers_the_scope_and_lists_exclusions(data):
    scores = build_scores(diagnose_all(data), client_id="acme", lang="en", as_of="")

    assert [f["id"] for f in scores["frameworks"]] == ["pricing_revenue", "word_of_mouth_risk"]
    assert scores["score"] == pytest.approx((PRICING + WORD_OF_MOUTH) / 2, abs=1e-6)
    pricing = scores["frameworks"][0]
    assert [e["id"] for e in pricing["elements"]] == [
        "price_elasticity",
        "discount_effect",
        "price_sensitivity",
    ]
    assert pricing["excluded"] == [
        {
            "id": "package_tiers",
            "title": pricing["excluded"][0]["title"],
            "reason": "No tiered offer to assess",
        }
    ]
    elasticity = pricing["elements"][0]
    assert "record_units" not in elasticity["actions"]
    assert elasticity["set_aside_actions"] == [
        {"id": "record_units", "reason": "Units arrive with the next export"}
    ]
    assert elasticity["added_actions"][0]["owner"] == "Pricing lead"


def test_hidden_actions_leave_the_element_and_the_plan_for_the_appendix(data):
    pricing = diagnose_all(data)[0]
    elasticity = pricing.element("price_elasticity")

    assert elasticity.actions == ()  # record_units was the only action that applied
    # price_test did not apply (its condition does not hold), so nothing was overruled
    assert [(s.action.id, s.reason) for s in elasticity.set_aside] == [
        ("record_units", "Units arrive with the next export")
    ]
    summary = summarise(diagnose_all(data), "en")
    assert "record_units" not in summary.plan["action_id"].tolist()
    assert summary.set_aside[["element_id", "action_id", "reason"]].values.tolist() == [
        ["price_elasticity", "record_units", "Units arrive with the next export"]
    ]


def test_added_actions_join_the_plan_in_their_phase_and_are_never_cut(data):
    summary = summarise(diagnose_all(data), "en", per_phase=1)

    added = summary.plan[summary.plan["source"] == SOURCE_STRATEGIST]
    assert added[["phase", "due_days", "action", "owner", "target", "kpi"]].values.tolist() == [
        # discount_effect (score 25) has the higher priority than price_elasticity (75)
        [60, 60, "Cap coupons at 10%", "—", "—", "—"],  # left blank: shown as a dash
        [60, 45, "Run a price test in two stores", "Pricing lead", "+5%", "Units per store"],
    ]
    # per_phase=1: one action per phase, but both of the strategist's stay in phase 60
    # (ahead of, and instead of, the generated ones)
    assert summary.plan[["phase", "source"]].values.tolist() == [
        [30, "playbook"],
        [60, "strategist"],
        [60, "strategist"],
        [90, "playbook"],
    ]
    assert summary.plan.iloc[1]["phase_label"] == "Days 31–60"


def test_the_view_and_framework_summary_reach_the_diagnosis(data):
    pricing = diagnose_all(data)[0]

    assert pricing.view == "Discounts do the selling."
    assert pricing.element("price_elasticity").view == "Price moves rarely; **no test** yet."
    assert pricing.element("discount_effect").view == ""


def test_a_framework_out_of_scope_is_diagnosed_when_asked_by_name(data):
    assert diagnose("exceed_expectations", data).framework.id == "exceed_expectations"


def test_no_scope_means_every_framework(make_client):
    diagnoses = diagnose_all(load_client("acme", make_client()))

    assert len(diagnoses) == 9
    assert all(d.excluded == () for d in diagnoses)


@pytest.mark.parametrize(("due", "phase"), [(1, 30), (30, 30), (31, 60), (60, 60), (61, 90)])
def test_phase_of_due_days(due, phase):
    assert phase_of(due) == phase


@pytest.mark.parametrize("due", [0, 91])
def test_phase_of_refuses_days_outside_the_plan(due):
    with pytest.raises(ValueError, match="1–90"):
        phase_of(due)
