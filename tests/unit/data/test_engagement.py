"""The engagement's files: scope in client.yaml, commentary.yaml, client notebooks, placeholders."""

from __future__ import annotations

import json

import pytest
import yaml

from playbook.data import DataValidationError, load_client, load_commentary
from playbook.data.commentary import Commentary
from playbook.data.validation import validate_client_dir

SCOPE = {
    "frameworks": ["exceed_expectations", "journey_goals"],
    "exclude_elements": {"journey_goals": {"refreshed_scenes": "Store visits only"}},
}

COMMENTARY = {
    "author": "Engagement team",
    "summary": "Three sentences.",
    "frameworks": {
        "exceed_expectations": {
            "summary": "Promise first.",
            "elements": {
                "fulfil_promise": {
                    "view": "Late orders cluster at **rainy** peaks.",
                    "actions": [
                        {
                            "text": "Dynamic promise times",
                            "kpi": "Promise kept",
                            "target": 95,
                            "owner": "Ops",
                            "due_days": 30,
                        }
                    ],
                    "hide_actions": [{"id": "reset_promise", "reason": "Just reset"}],
                }
            },
        }
    },
}


def problems_of(make_client, **kwargs) -> list[str]:
    clients_dir = make_client(**kwargs)
    problems, data = validate_client_dir(clients_dir / "acme")
    assert data is None
    return [str(p) for p in problems]


def with_commentary(commentary: dict) -> dict:
    return {"commentary.yaml": yaml.safe_dump(commentary, allow_unicode=True)}


def test_scope_and_commentary_load_into_the_client(make_client):
    clients_dir = make_client(config={"report": SCOPE}, files=with_commentary(COMMENTARY))

    data = load_client("acme", clients_dir)

    assert data.config.report.frameworks == ["exceed_expectations", "journey_goals"]
    assert data.config.report.includes("journey_goals")
    assert not data.config.report.includes("customer_value")
    assert data.config.report.excluded("journey_goals") == {"refreshed_scenes": "Store visits only"}
    element = data.commentary.element("exceed_expectations", "fulfil_promise")
    assert element.view == "Late orders cluster at **rainy** peaks."
    assert element.actions[0].target == "95"  # a bare YAML number is taken as text
    assert element.hidden_reason("reset_promise") == "Just reset"
    assert data.commentary.author == "Engagement team"
    assert load_commentary(clients_dir / "acme") == data.commentary


def test_no_scope_and_no_commentary_mean_everything_and_nothing(make_client):
    data = load_client("acme", make_client())

    assert data.config.report.frameworks is None
    assert data.config.report.includes("word_of_mouth_risk")
    assert data.commentary.empty


def test_an_empty_commentary_file_is_an_empty_commentary(make_client):
    clients_dir = make_client(files={"commentary.yaml": "# only comments\n"})

    assert load_client("acme", clients_dir).commentary == Commentary()


@pytest.mark.parametrize(
    ("report", "expected"),
    [
        (
            {"frameworks": ["exceed_expectations", "journeys"]},
            "client.yaml, key report.frameworks[1]: unknown framework 'journeys'; expected one "
            "of: exceed_expectations,",
        ),
        (
            {"exclude_elements": {"journey_goals": {"refresh_scenes": "x"}}},
            "client.yaml, key report.exclude_elements.journey_goals.refresh_scenes: unknown "
            "element 'refresh_scenes' of journey_goals; expected one of: branded_theme,",
        ),
        (
            {"exclude_elements": {"journeys": {"a": "x"}}},
            "client.yaml, key report.exclude_elements.journeys: unknown framework 'journeys'",
        ),
        (
            {
                "frameworks": ["exceed_expectations"],
                "exclude_elements": {"journey_goals": {"refreshed_scenes": "x"}},
            },
            "client.yaml, key report.exclude_elements.journey_goals: journey_goals is not in "
            "report.frameworks",
        ),
        (
            {
                "exclude_elements": {
                    "marketing_decisions": dict.fromkeys(
                        ["conversion_funnel", "attribution", "experiments"], "x"
                    )
                }
            },
            "client.yaml, key report.exclude_elements.marketing_decisions: every element is "
            "excluded; leave the framework out of report.frameworks",
        ),
        (
            {"exclude_elements": {"journey_goals": {"refreshed_scenes": ""}}},
            "client.yaml, key report.exclude_elements.journey_goals.refreshed_scenes: String "
            "should have at least 1 character",
        ),
    ],
)
def test_scope_problems_name_the_key(make_client, report, expected):
    problems = problems_of(make_client, config={"report": report})

    assert len(problems) == 1 and problems[0].startswith(expected), problems


def element_commentary(**element: object) -> dict:
    return {"frameworks": {"exceed_expectations": {"elements": {"fulfil_promise": element}}}}


@pytest.mark.parametrize(
    ("commentary", "expected"),
    [
        (
            {"frameworks": {"exceed": {"summary": "x"}}},
            "commentary.yaml, key frameworks.exceed: unknown framework 'exceed'",
        ),
        (
            {"frameworks": {"exceed_expectations": {"elements": {"fulfil": {"view": "x"}}}}},
            "commentary.yaml, key frameworks.exceed_expectations.elements.fulfil: unknown "
            "element 'fulfil' of exceed_expectations; expected one of: fulfil_promise,",
        ),
        (
            element_commentary(hide_actions=[{"id": "reset", "reason": "x"}]),
            "commentary.yaml, key frameworks.exceed_expectations.elements.fulfil_promise"
            ".hide_actions[0].id: unknown action 'reset' of fulfil_promise; expected one of: "
            "fix_weakest_channel, reset_promise,",
        ),
        (
            element_commentary(hide_actions=[{"id": "reset_promise"}]),
            "commentary.yaml, key frameworks.exceed_expectations.elements.fulfil_promise"
            ".hide_actions[0].reason: required key is missing",
        ),
        (
            element_commentary(actions=[{"text": "x", "due_days": 120}]),
            "commentary.yaml, key frameworks.exceed_expectations.elements.fulfil_promise"
            ".actions[0].due_days: Input should be less than or equal to 90",
        ),
        (
            element_commentary(opinion="x"),
            "commentary.yaml, key frameworks.exceed_expectations.elements.fulfil_promise"
            ".opinion: unknown key",
        ),
    ],
)
def test_commentary_problems_name_file_and_key(make_client, commentary, expected):
    problems = problems_of(make_client, files=with_commentary(commentary))

    assert len(problems) == 1 and problems[0].startswith(expected), problems


def test_commentary_outside_the_scope_is_refused(make_client):
    commentary = {
        "frameworks": {
            "customer_value": {"summary": "x"},
            "journey_goals": {"elements": {"refreshed_scenes": {"view": "x"}}},
        }
    }
    problems = problems_of(make_client, config={"report": SCOPE}, files=with_commentary(commentary))

    assert problems == [
        "commentary.yaml, key frameworks.customer_value: customer_value is not in this "
        "engagement's scope (client.yaml report.frameworks)",
        "commentary.yaml, key frameworks.journey_goals.elements.refreshed_scenes: "
        "refreshed_scenes is excluded from the scope (client.yaml "
        "report.exclude_elements.journey_goals); remove its commentary or the exclusion",
    ]


def test_load_commentary_raises_with_every_problem(make_client):
    clients_dir = make_client(files=with_commentary({"frameworks": {"x": {}, "y": {}}}))

    with pytest.raises(DataValidationError) as caught:
        load_commentary(clients_dir / "acme")

    assert [p.key for p in caught.value.problems] == ["frameworks.x", "frameworks.y"]


def test_placeholders_are_refused_until_filled(make_client):
    config = {"currency": "<<currency code>>", "channels": ["<<first channel>>", "delivery"]}
    problems = problems_of(make_client, config=config)

    assert problems == [
        "client.yaml, key currency: fill in this placeholder: <<currency code>>",
        "client.yaml, key channels[0]: fill in this placeholder: <<first channel>>",
    ]


def notebook(metadata: dict | None = None) -> str:
    if metadata is None:
        metadata = {"kernelspec": {"name": "python3", "language": "python"}}
    return json.dumps({"cells": [], "metadata": metadata, "nbformat": 4, "nbformat_minor": 5})


def test_client_notebooks_with_taken_names_or_broken_json_are_refused(make_client):
    clients_dir = make_client()
    folder = clients_dir / "acme" / "notebooks"
    folder.mkdir()
    (folder / "03_store_deep_dive.ipynb").write_text(notebook())  # fine
    (folder / "example_page.ipynb").write_text("not json")  # not a report page: ignored
    (folder / "02_journey_goals.ipynb").write_text(notebook())  # a framework's slug
    (folder / "91_executive_summary.ipynb").write_text(notebook())
    (folder / "04_broken.ipynb").write_text("{")
    (folder / "05_no_language.ipynb").write_text(notebook({}))
    (folder / "06_lab.ipynb").write_text(notebook({"language_info": {"name": "python"}}))

    problems, _ = validate_client_dir(clients_dir / "acme")

    assert [str(p) for p in problems] == [
        "notebooks/02_journey_goals.ipynb: the name 'journey_goals' is taken by a report "
        "page; rename the notebook",
        "notebooks/04_broken.ipynb: is not a readable notebook (JSONDecodeError)",
        "notebooks/05_no_language.ipynb: names no kernel language; open it in JupyterLab and "
        "save it",
        "notebooks/91_executive_summary.ipynb: the name 'executive_summary' is taken by a "
        "report page; rename the notebook",
    ]


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ("1500000", "1500000"),
        ("0.25", "0.25"),
        ("12.0", "12"),
        ("15%", "15%"),
        ("1.0e+3", "1000"),
        ("1e3", "1e3"),
    ],
)
def test_a_bare_number_in_an_action_reads_as_written(written, shown):
    from playbook.data.commentary import AddedAction

    action = AddedAction.model_validate(
        {"text": "Add a rain plan", "target": yaml.safe_load(written), "due_days": 30}
    )

    assert action.target == shown  # never "1.5e+06"
