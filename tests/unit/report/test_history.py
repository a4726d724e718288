"""History of a client's scores: kept per as_of, bounded, carried across re-renders; trend."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from playbook.diagnosis.progress import Snapshot, previous_snapshot, read_history
from playbook.report.history import keep_history
from playbook.report.portfolio import trend_cell


def scores(as_of: str, overall: float) -> dict:
    return {"score": overall, "band": "developing", "period": {"last_day": as_of}, "frameworks": []}


def render(out: Path, as_of: str, overall: float, keep: int = 12) -> list[str]:
    """Do what a render does with history: build in staging, then replace the report."""
    staging, published = out / ".staging", out / "acme"
    staging.mkdir(parents=True)
    (staging / "scores.json").write_text(json.dumps(scores(as_of, overall)), encoding="utf-8")
    kept = keep_history(staging, published, scores(as_of, overall), keep)
    if published.exists():
        for path in sorted(published.rglob("*"), reverse=True):
            path.unlink() if path.is_file() else path.rmdir()
        published.rmdir()
    staging.rename(published)
    return kept


def test_each_render_adds_its_snapshot_and_a_rerender_replaces_it(tmp_path):
    assert render(tmp_path, "2024-03-31", 50.0) == ["2024-03-31"]
    assert render(tmp_path, "2024-06-30", 60.0) == ["2024-03-31", "2024-06-30"]
    assert render(tmp_path, "2024-06-30", 62.0) == ["2024-03-31", "2024-06-30"]  # no duplicate

    history = read_history(tmp_path / "acme" / "history")
    assert [(s.as_of, s.overall.score) for s in history] == [
        ("2024-03-31", 50.0),
        ("2024-06-30", 62.0),
    ]


def test_history_is_bounded_keeping_the_newest(tmp_path):
    for month, score in (("01", 10.0), ("02", 20.0), ("03", 30.0), ("04", 40.0)):
        kept = render(tmp_path, f"2024-{month}-28", score, keep=3)

    assert kept == ["2024-02-28", "2024-03-28", "2024-04-28"]
    assert sorted(p.name for p in (tmp_path / "acme" / "history").iterdir()) == [
        "2024-02-28.json",
        "2024-03-28.json",
        "2024-04-28.json",
    ]


def test_a_report_from_before_history_keeps_its_scores(tmp_path):
    published = tmp_path / "acme"
    published.mkdir()
    (published / "scores.json").write_text(json.dumps(scores("2023-12-31", 40.0)), "utf-8")

    kept = render(tmp_path, "2024-03-31", 50.0)

    assert kept == ["2023-12-31", "2024-03-31"]


def test_keep_must_be_positive(tmp_path):
    with pytest.raises(ValueError, match="at least 1"):
        keep_history(tmp_path, tmp_path / "acme", scores("2024-01-01", 1.0), keep=0)


def test_previous_report_is_the_latest_strictly_before(tmp_path):
    folder = tmp_path / "history"
    folder.mkdir()
    for as_of, overall in (("2024-01-31", 10.0), ("2024-02-29", 20.0), ("2024-03-31", 30.0)):
        (folder / f"{as_of}.json").write_text(json.dumps(scores(as_of, overall)), "utf-8")
    (folder / "notes.json").write_text("{}", "utf-8")  # not a snapshot's name: ignored
    (folder / "2023-12-31.json").write_text("{broken", "utf-8")  # damaged: skipped

    assert previous_snapshot(folder, "2024-03-31").overall.score == 20.0  # same day: not it
    assert previous_snapshot(folder, "2024-04-15").overall.score == 30.0
    assert previous_snapshot(folder, "2024-01-31") is None
    assert previous_snapshot(tmp_path / "nowhere", "2024-01-31") is None


@pytest.mark.parametrize(
    "edited", [{"score": "72"}, {"score": True}, {"score": 140}, {"band": "excellent"}]
)
def test_a_snapshot_edited_into_what_no_render_writes_is_no_history(tmp_path, edited):
    folder = tmp_path / "history"
    folder.mkdir()
    good = scores("2024-01-31", 10.0)
    (folder / "2024-01-31.json").write_text(json.dumps(good), "utf-8")
    bad = {**scores("2024-02-29", 20.0), "frameworks": [{"id": "x", "score": 1, **edited}]}
    (folder / "2024-02-29.json").write_text(json.dumps(bad), "utf-8")

    assert [s.as_of for s in read_history(folder)] == ["2024-01-31"]  # skipped, not a crash
    assert previous_snapshot(folder, "2024-03-31").overall.score == 10.0


def snapshot(as_of: str, overall: float | None) -> Snapshot:
    return Snapshot.from_scores(scores(as_of, overall), as_of)


def test_portfolio_trend_draws_the_line_and_the_last_move():
    cell = trend_cell([snapshot("2024-01-31", 50.0), snapshot("2024-04-30", 57.5)], "en")

    assert len(re.findall(r"\d+\.\d,\d+\.\d", cell)) == 2  # two points on the line
    assert "▲ +7.5 pts" in cell and "since 2024-01-31" in cell


def test_portfolio_trend_of_a_first_report_says_so():
    assert "first report" in trend_cell([snapshot("2024-01-31", 50.0)], "en")
    assert "首份报告" in trend_cell([], "zh")


def test_a_page_is_told_of_the_same_previous_report_the_page_compares_with(tmp_path):
    from playbook.report.incremental import previous_scores

    history = tmp_path / "acme" / "history"
    history.mkdir(parents=True)
    for as_of, overall in (("2024-03-31", 50.0), ("2024-06-30", 60.0)):
        (history / f"{as_of}.json").write_text(json.dumps(scores(as_of, overall)))
    june = previous_scores(tmp_path / "acme", "2024-09-30")
    (history / "2024-08-31.json").write_text("{damaged")  # skipped by previous_snapshot too

    assert previous_snapshot(history, "2024-09-30").overall.score == 60.0
    assert previous_scores(tmp_path / "acme", "2024-09-30") == june != ""
    assert previous_scores(tmp_path / "acme", "2024-05-31") not in ("", june)
    assert previous_scores(tmp_path / "acme", "2024-03-31") == ""
