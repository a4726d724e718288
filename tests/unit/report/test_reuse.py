"""A client whose last good report can be taken as it is, without reading its tables."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
import yaml

from playbook.report.options import RenderOptions
from playbook.report.publish import last_good
from playbook.report.reuse import reused_client

TODAY = "2024-02-01"


def reused(options: RenderOptions):
    """Return what reused_client makes of acme's last good report, read as the job reads it."""
    return reused_client("acme", options, TODAY, last_good(Path(options.out_dir) / "acme"))


SCORES = {"client_id": "acme", "score": 61.5, "frameworks": []}


@pytest.fixture
def last_report(make_client, tmp_path):
    """Return the options of a render of acme whose last good report asked for nothing."""
    commentary = {"frameworks": {"exceed_expectations": {"summary": "Steady."}}}
    clients_dir = make_client(files={"commentary.yaml": yaml.safe_dump(commentary)})
    out = tmp_path / "out"
    (out / "acme").mkdir(parents=True)
    manifest = {
        "status": "ok",
        "asked": {"lang": "", "as_of": "", "period_days": 90},
        # as the manifest keeps them: folders by their name only
        "parameters": {"client_id": "acme", "clients_dir": "clients", "lang": "en",
                       "as_of": "2024-01-04", "period_days": 90, "reports_dir": "out"},
    }  # fmt: skip
    (out / "acme" / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    (out / "acme" / "scores.json").write_text(json.dumps(SCORES), encoding="utf-8")
    return RenderOptions(("acme",), clients_dir=clients_dir, out_dir=out)


def test_the_settings_and_scores_of_the_last_report_and_the_commentary_read_anew(last_report):
    kept = reused(last_report)

    assert kept is not None
    assert kept.parameters == {
        "client_id": "acme",
        "clients_dir": str(Path(last_report.clients_dir).resolve()),
        "lang": "en",
        "as_of": "2024-01-04",
        "period_days": 90,
        "reports_dir": str(Path(last_report.out_dir).resolve()),
    }
    assert kept.settings.report_date == TODAY
    assert kept.scores == SCORES and kept.diagnoses == () and kept.folder is None
    assert kept.commentary.framework("exceed_expectations").summary == "Steady."
    assert kept.config.id == "acme"
    assert kept.source == Path(last_report.clients_dir).resolve() / "acme"


@pytest.mark.parametrize(
    "changes",
    [
        {"force": True},
        {"only": ("journey_goals",)},
        {"formats": ("html", "pptx")},  # the deck is drawn from the tables
        {"lang": "zh"},  # other settings asked for than the last report's
        {"as_of": "2024-01-04"},  # the same day, but asked for: resolved anew
        {"period_days": 30},
    ],
)
def test_a_render_that_asks_for_more_prepares_the_client(last_report, changes):
    assert reused(replace(last_report, **changes)) is None


def test_a_report_that_failed_or_lost_its_scores_is_not_taken(last_report):
    report = Path(last_report.out_dir) / "acme"
    (report / "scores.json").unlink()
    assert reused(last_report) is None

    (report / "scores.json").write_text("[]", encoding="utf-8")  # not a report's scores
    assert reused(last_report) is None

    (report / "scores.json").write_text(json.dumps(SCORES), encoding="utf-8")
    manifest = json.loads((report / "manifest.json").read_text(encoding="utf-8"))
    (report / "manifest.json").write_text(json.dumps({**manifest, "status": "failed"}))
    assert reused(last_report) is None


def test_a_manifest_from_before_the_asked_settings_were_kept_is_not_taken(last_report):
    report = Path(last_report.out_dir) / "acme"
    manifest = json.loads((report / "manifest.json").read_text(encoding="utf-8"))
    del manifest["asked"]
    (report / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")

    assert reused(last_report) is None


def test_a_commentary_with_problems_is_left_to_the_full_preparation_to_report(last_report):
    bad = {"frameworks": {"no_such_framework": {"summary": "x"}}}
    path = Path(last_report.clients_dir) / "acme" / "commentary.yaml"
    path.write_text(yaml.safe_dump(bad), encoding="utf-8")

    assert reused(last_report) is None
