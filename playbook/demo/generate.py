"""Assemble a demo client: its ``client.yaml``, assessment and every table, from a profile."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from playbook.data.contract import ClientConfig
from playbook.demo import commerce, experience
from playbook.demo.spec import DemoProfile

#: Independent random streams, one per table, so one table's draws never shift another's.
STREAMS = ("customers", "orders", "journey", "survey", "costs", "experiments", "population")


@dataclass(frozen=True)
class DemoClient:
    """A generated client: ``client.yaml`` content, assessment and tables by name."""

    profile: DemoProfile
    config: dict[str, Any]
    assessment: dict[str, Any]
    tables: dict[str, pd.DataFrame]


def client_config(profile: DemoProfile) -> dict[str, Any]:
    """Return the ``client.yaml`` content of a profile, validated against ``ClientConfig``."""
    meta = profile.meta
    config = {
        "id": profile.id,
        "name": meta["name"],
        "industry": meta["industry"],
        "language": meta["language"],
        "currency": meta["currency"],
        "channels": [c.name for c in profile.channels],
        "digital_channels": [c.name for c in profile.channels if c.digital],
        "journey_stages": list(meta["journey_stages"]),
        "purchase_stages": list(meta.get("purchase_stages", [])),
        "touchpoints": [t.name for t in profile.touchpoints],
        "scenes": [s.name for s in profile.scenes],
        "core_scene": profile.core_scene,
        "tiers": [t.name for t in profile.tiers],
        "premium_tiers": list(profile.premium_tiers),
        "segments": [s.name for s in profile.segments],
        "promises": list(meta["promises"]),
        "own_quality_score": meta["own_quality_score"],
        "competitors": list(meta["competitors"]),
        "benchmark_profile": meta.get("benchmark_profile"),
        "benchmarks": dict(meta.get("benchmarks", {})),
    }
    ClientConfig.model_validate(config)
    return config


def generate(
    profile: DemoProfile, orders: int | None = None, seed: int | None = None
) -> DemoClient:
    """Generate a demo client deterministically from its profile.

    Args:
        profile: The client to generate.
        orders: Number of orders (default: the profile's); the other tables scale with it.
        seed: Random seed (default: the profile's fixed seed).

    Returns:
        The client's configuration, assessment and tables.

    Raises:
        ValueError: If ``orders`` is below 100.
    """
    n_orders = profile.orders if orders is None else int(orders)
    if n_orders < 100:
        raise ValueError(f"orders must be at least 100, got {n_orders}")
    seeds = np.random.SeedSequence(profile.seed if seed is None else seed).spawn(len(STREAMS))
    rng = {name: np.random.default_rng(s) for name, s in zip(STREAMS, seeds, strict=True)}

    n_customers = max(50, round(n_orders / profile.orders_per_customer))
    pop = commerce.population(profile, rng["population"], n_customers)
    orders_df = commerce.orders_frame(profile, rng["orders"], pop, n_orders)
    tables = {
        "orders": orders_df,
        "customers": commerce.customers_frame(profile, rng["customers"], pop),
        "journey": experience.journey_frame(profile, rng["journey"], pop, orders_df),
        "survey": experience.survey_frame(profile, rng["survey"], pop, orders_df),
        "costs": commerce.costs_frame(profile, rng["costs"], orders_df),
        "experiments": experience.experiments_frame(profile, rng["experiments"], pop),
    }
    return DemoClient(profile, client_config(profile), profile.assessment, tables)
