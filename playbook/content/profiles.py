"""Industry benchmark profiles: a target and floor per indicator for one kind of business.

One target for every client does not fit: a 90-day repeat rate that a coffee chain reaches is
out of reach for a hotel, and a cost-to-serve ratio that includes labour puts every restaurant
at the floor of a target set for online sellers. ``benchmarks.yaml`` holds one profile per
kind of business (coffee and quick-service restaurants, food delivery, online travel, hotels,
retail and e-commerce, and the general default); each lists the indicators whose target and
floor differ from the frameworks', with the basis of each figure — a cited source where one
exists, otherwise nothing, which the report reads as "our working assumption".

A client picks one with ``benchmark_profile:`` in ``client.yaml`` (none: the default);
``benchmarks:`` there still overrides single indicators.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from pydantic import Field, model_validator

from playbook.config import CONTENT_DIR
from playbook.content.schema import ContentError, Text, _Strict, _validate, common, frameworks

#: The file holding the profiles, beside the frameworks.
BENCHMARKS_FILE = "benchmarks.yaml"


class ProfileTarget(_Strict):
    """An indicator's target and floor in a profile, and what the figure rests on."""

    target: float
    floor: float
    #: the cited source of the figure; None: our working assumption
    basis: Text | None = None


class BenchmarkProfile(_Strict):
    """The targets of one kind of business; indicators not listed keep the frameworks'."""

    title: Text
    targets: dict[str, ProfileTarget] = Field(default_factory=dict)


class Benchmarks(_Strict):
    """Every profile by key, and the one a client without ``benchmark_profile`` gets."""

    default: str
    profiles: dict[str, BenchmarkProfile] = Field(min_length=1)

    @model_validator(mode="after")
    def _default_exists(self) -> Benchmarks:
        if self.default not in self.profiles:
            raise ValueError(f"default {self.default!r} is not one of the profiles")
        return self

    def profile(self, key: str | None) -> tuple[str, BenchmarkProfile]:
        """Return the profile ``key`` (None: the default) with its key.

        Raises:
            KeyError: for a key that is not a profile, listing the known ones.
        """
        chosen = self.default if key is None else key
        if chosen not in self.profiles:
            known = ", ".join(sorted(self.profiles))
            raise KeyError(f"unknown benchmark profile {chosen!r}; known: {known}")
        return chosen, self.profiles[chosen]


def _directions(content_dir: Path) -> dict[str, str]:
    """Return each indicator's direction as the frameworks score it."""
    return {ref.id: ref.direction for fw in frameworks(content_dir) for el in fw.elements
            for ref in el.indicators}  # fmt: skip


def benchmarks(content_dir: Path = CONTENT_DIR) -> Benchmarks:
    """Load ``benchmarks.yaml`` and check it against the frameworks (cached per folder).

    Raises:
        ContentError: naming the file and key, for a bad file, an indicator no framework
            scores, or a target on the wrong side of its floor.
    """
    return _benchmarks(Path(content_dir))


@cache  # by folder: benchmarks() and benchmarks(CONTENT_DIR) must not read it twice
def _benchmarks(content_dir: Path) -> Benchmarks:
    path = content_dir / BENCHMARKS_FILE
    loaded = _validate(Benchmarks, path)
    assert isinstance(loaded, Benchmarks)
    directions = _directions(content_dir)
    known = common(content_dir).indicators
    for key, profile in loaded.profiles.items():
        for indicator_id, t in profile.targets.items():
            where = f"{path}: field profiles.{key}.targets.{indicator_id}"
            if indicator_id not in known or indicator_id not in directions:
                raise ContentError(f"{where}: no framework scores an indicator of this id")
            higher = directions[indicator_id] == "higher"
            if (higher and not t.target > t.floor) or (not higher and not t.target < t.floor):
                need = "target > floor" if higher else "target < floor"
                raise ContentError(f"{where}: direction {directions[indicator_id]!r} needs {need}")
    return loaded
