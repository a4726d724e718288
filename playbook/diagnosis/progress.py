"""Progress since the last report: earlier ``scores.json`` snapshots and the change since.

Each successful render keeps its ``scores.json`` as ``<reports>/<client>/history/<as_of>.json``
(``report.history``), ``as_of`` being the last day of its analysis period. The **previous
report** of a render is the snapshot with the latest ``as_of`` strictly before its own, so
re-rendering the same period compares with the same earlier report. A change is the current
score minus the previous one, in points (0–100 scale), with both bands; a framework or
element that had no score in one of the two has no change (``points`` is None).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import get_args

from playbook.config import DEFAULT_REPORTS_DIR
from playbook.content import Band

#: The folder of snapshots inside a client's report folder.
HISTORY_DIR = "history"
#: A snapshot's file name: its ``as_of`` day.
SNAPSHOT_NAME = re.compile(r"^(?P<as_of>\d{4}-\d{2}-\d{2})\.json$")
#: Largest snapshot read (bytes); a scores.json is far smaller.
MAX_SNAPSHOT_BYTES = 20_000_000
#: A change smaller than this (in points) is shown as no change.
FLAT = 0.5


@dataclass(frozen=True)
class Scored:
    """A score (0–100) and its band, either possibly missing."""

    score: float | None
    band: str | None


@dataclass(frozen=True)
class Snapshot:
    """The scores of one earlier report."""

    as_of: str
    overall: Scored
    frameworks: dict[str, Scored] = field(default_factory=dict)
    elements: dict[tuple[str, str], Scored] = field(default_factory=dict)

    @classmethod
    def from_scores(cls, scores: dict, as_of: str) -> Snapshot:
        """Read a snapshot from the contents of a ``scores.json``."""
        frameworks, elements = {}, {}
        for fw in scores.get("frameworks", []):
            frameworks[fw["id"]] = _scored(fw)
            for el in fw.get("elements", []):
                elements[(fw["id"], el["id"])] = _scored(el)
        return cls(as_of, _scored(scores), frameworks, elements)


def _scored(entry: dict) -> Scored:
    """Read a score and band of a snapshot; a value no render writes is a ValueError.

    (A hand-edited ``"72"`` or an unknown band would otherwise fail a page later.)
    """
    score, band = entry.get("score"), entry.get("band")
    if score is not None and (
        isinstance(score, bool) or not isinstance(score, int | float) or not 0 <= score <= 100
    ):
        raise ValueError(f"not a score: {score!r}")
    if band is not None and band not in get_args(Band):
        raise ValueError(f"not a band: {band!r}")
    return Scored(None if score is None else float(score), band)


@dataclass(frozen=True)
class Change:
    """The change of one score since the previous report."""

    before: Scored
    after: Scored

    @property
    def points(self) -> float | None:
        """Return after − before in points (None when either has no score)."""
        if self.before.score is None or self.after.score is None:
            return None
        return self.after.score - self.before.score

    @property
    def direction(self) -> str | None:
        """Return "up", "down" or "flat" (within ``FLAT`` points); None without a change."""
        points = self.points
        if points is None:
            return None
        if abs(points) < FLAT:
            return "flat"
        return "up" if points > 0 else "down"

    @property
    def band_changed(self) -> bool:
        """Tell whether the band moved (both scored, different bands)."""
        return self.points is not None and self.before.band != self.after.band


def history_dir(client_id: str, reports_dir: str | Path = "") -> Path:
    """Return the folder of a client's snapshots (``<reports>/<client>/history``)."""
    return Path(reports_dir or DEFAULT_REPORTS_DIR).expanduser().resolve() / client_id / HISTORY_DIR


def read_history(folder: str | Path) -> list[Snapshot]:
    """Return the snapshots in a history folder, oldest first (unreadable files skipped)."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    snapshots = []
    for path in sorted(folder.iterdir()):
        match = SNAPSHOT_NAME.match(path.name)
        if match is None or not path.is_file() or path.stat().st_size > MAX_SNAPSHOT_BYTES:
            continue
        try:
            scores = json.loads(path.read_text(encoding="utf-8"))
            snapshots.append(Snapshot.from_scores(scores, match["as_of"]))
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            continue  # a damaged snapshot is no history, not a failed report
    return snapshots


def previous_snapshot(folder: str | Path, as_of: str) -> Snapshot | None:
    """Return the latest snapshot strictly before ``as_of`` (YYYY-MM-DD), if any."""
    earlier = [s for s in read_history(folder) if s.as_of < as_of]
    return earlier[-1] if earlier else None


def change(previous: Snapshot | None, score: float | None, band: str | None) -> Change | None:
    """Return the overall change since ``previous`` (None without a previous report)."""
    if previous is None:
        return None
    return Change(previous.overall, Scored(score, band))


def framework_change(
    previous: Snapshot | None, framework_id: str, score: float | None, band: str | None
) -> Change | None:
    """Return a framework's change since ``previous`` (None: no previous report)."""
    if previous is None:
        return None
    before = previous.frameworks.get(framework_id, Scored(None, None))
    return Change(before, Scored(score, band))


def element_previous(previous: Snapshot | None, framework_id: str, element_id: str) -> Scored:
    """Return an element's score in the previous report (missing: no score)."""
    if previous is None:
        return Scored(None, None)
    return previous.elements.get((framework_id, element_id), Scored(None, None))
