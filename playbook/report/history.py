"""Keep each report's scores, so the next report shows the progress since (``history/``).

A report folder holds ``history/<as_of>.json``: a copy of the ``scores.json`` of every
successful render, named by the last day of its analysis period. A render copies the
published report's history into its staging folder, adds the published ``scores.json``
when an earlier version of the tool left it out, writes its own scores there (replacing
a snapshot of the same ``as_of`` rather than stacking a duplicate) and keeps the newest
``keep`` snapshots. The history is published with the report, so a failed render leaves
the old history as it was and a re-render never loses it. ``diagnosis.progress`` reads it.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from playbook.config import DEFAULT_KEEP_HISTORY
from playbook.diagnosis.progress import HISTORY_DIR, SNAPSHOT_NAME
from playbook.report.manifest import write_manifest


def snapshot_as_of(scores: dict) -> str | None:
    """Return the day a ``scores.json`` is as of (its period's last day), if it says."""
    period = scores.get("period") if isinstance(scores, dict) else None
    last_day = period.get("last_day") if isinstance(period, dict) else None
    return (
        last_day if isinstance(last_day, str) and SNAPSHOT_NAME.match(f"{last_day}.json") else None
    )


def keep_history(
    staging: Path, published: Path, scores: dict, keep: int = DEFAULT_KEEP_HISTORY
) -> list[str]:
    """Carry a client's history into a new report and add this render's scores to it.

    Args:
        staging: The folder the new report is built in.
        published: The client's current report folder (may not exist yet).
        scores: This render's ``scores.json`` contents.
        keep: How many snapshots to keep, newest first (at least 1).

    Returns:
        The ``as_of`` days of the snapshots kept, oldest first.

    Raises:
        ValueError: When ``keep`` is below 1.
    """
    if keep < 1:
        raise ValueError(f"keep-history must be at least 1, got {keep}")
    target = staging / HISTORY_DIR
    target.mkdir(parents=True, exist_ok=True)
    old = published / HISTORY_DIR
    if old.is_dir():
        for path in old.iterdir():
            if SNAPSHOT_NAME.match(path.name) and path.is_file() and not path.is_symlink():
                shutil.copy2(path, target / path.name)
    _adopt_published_scores(published / "scores.json", target)
    as_of = snapshot_as_of(scores)
    if as_of is not None:
        write_manifest(target / f"{as_of}.json", scores)
    snapshots = sorted(p for p in target.iterdir() if SNAPSHOT_NAME.match(p.name))
    for path in snapshots[:-keep]:
        path.unlink()
    return [SNAPSHOT_NAME.match(p.name)["as_of"] for p in snapshots[-keep:]]


def _adopt_published_scores(path: Path, target: Path) -> None:
    """Keep the published ``scores.json`` when the history lacks its ``as_of``."""
    if not path.is_file() or path.is_symlink():
        return
    try:
        scores = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return
    as_of = snapshot_as_of(scores)
    if as_of is not None and not (target / f"{as_of}.json").exists():
        shutil.copy2(path, target / f"{as_of}.json")
