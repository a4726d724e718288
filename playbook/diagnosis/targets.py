"""Where an indicator's target and floor come from: the client, its industry profile, or content.

Precedence, first match wins: a ``benchmarks:`` override in the client's ``client.yaml``; the
industry profile the client picked (``benchmark_profile:``, else the default profile of
``content/benchmarks.yaml``) when it lists the indicator; the framework file's own target.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from playbook.content import BenchmarkProfile, IndicatorRef, Text
from playbook.content import benchmarks as load_benchmarks
from playbook.data.contract import ClientConfig

#: Where a target comes from: the client's override, the industry profile, the framework file.
TargetSource = Literal["client", "profile", "framework"]


@dataclass(frozen=True)
class Target:
    """An indicator's target and floor for one client, with their source and basis.

    ``basis`` is the profile's cited source of the figure (None: our working assumption, or a
    target agreed with the client, or the framework's default).
    """

    target: float
    floor: float
    source: TargetSource
    basis: Text | None = None


def client_profile(config: ClientConfig) -> tuple[str, BenchmarkProfile]:
    """Return the key and the industry profile a client's targets come from.

    Raises:
        KeyError: for a profile that does not exist (validation reports it first).
    """
    return load_benchmarks().profile(config.benchmark_profile)


def target_for(ref: IndicatorRef, config: ClientConfig) -> Target:
    """Return the target and floor that score ``ref`` for this client, and their source."""
    override = config.benchmarks.get(ref.id)
    if override is not None:
        return Target(override.target, override.floor, "client")
    _, profile = client_profile(config)
    listed = profile.targets.get(ref.id)
    if listed is not None:
        return Target(listed.target, listed.floor, "profile", listed.basis)
    return Target(ref.target, ref.floor, "framework")
