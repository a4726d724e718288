"""Typed description of a demo client: what the generator draws and how it is shaped.

A :class:`DemoProfile` holds everything that makes one demo client different from the
others — its ``client.yaml`` facts, its channels, tiers, scenes, touchpoints, seasonality,
promise behaviour, survey tone and workshop assessment. The generator modules read only
this object, so a new demo client is a new profile file (``profiles/<id>.yaml``), not new
code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Window:
    """A run of days whose order volume (or list price) is multiplied by ``factor``."""

    start: str
    days: int
    factor: float


@dataclass(frozen=True)
class ChannelSpec:
    """A sales channel: its mix at the start and end of the data, promise and costs.

    ``miss``, ``peak_miss`` and ``late_miss`` shift the log of actual/promised minutes:
    the higher, the more promises this channel misses (overall, at peak hours, and in the
    last quarter of the data).
    """

    name: str
    share_start: float
    share_end: float
    digital: bool
    promise_minutes: float | None = None
    miss: float = 0.0
    peak_miss: float = 0.0
    late_miss: float = 0.0
    cost_per_order: float = 1.0
    tracked: float = 0.9
    price_factor: float = 1.0
    payments: tuple[tuple[str, float], ...] = ()


@dataclass(frozen=True)
class CategorySpec:
    """A product category: base list price, share of orders, premium share, mean quantity."""

    name: str
    price: float
    share: float
    premium_share: float
    quantity: float


@dataclass(frozen=True)
class TierSpec:
    """A customer tier: share of customers, order-frequency multiplier, membership."""

    name: str
    share: float
    activity: float
    member: float
    csat_effect: float = 0.0


@dataclass(frozen=True)
class SegmentSpec:
    """A customer segment: share, favourite scene, age and satisfaction shift."""

    name: str
    share: float
    scene: str
    age_mean: float
    csat_effect: float = 0.0


@dataclass(frozen=True)
class SceneSpec:
    """A consumption scene; its weight is raised at ``hours``, on weekends and by month."""

    name: str
    weight: float
    hours: tuple[int, ...] = ()
    hour_boost: float = 3.0
    weekend: float = 1.0
    months: tuple[float, ...] = (1.0,) * 12


@dataclass(frozen=True)
class TouchpointSpec:
    """A journey touchpoint: its stage, the channels it lives on, and how it satisfies."""

    name: str
    stage: str
    channels: tuple[str, ...]
    csat_effect: float = 0.0
    survey_weight: float = 0.0


@dataclass(frozen=True)
class JourneySpec:
    """Shape of the journey sample: converting and abandoned multi-touch paths.

    ``offsets`` gives, per stage, the (low, high) offset in minutes of its events from the
    purchase (negative: before it).
    """

    path_share: float
    abandon_ratio: float
    abandon_at_first: float
    fulfil_rate: float
    review_rate: float
    offsets: tuple[tuple[float, float], ...]
    home_channel: float = 0.6


@dataclass(frozen=True)
class SurveySpec:
    """Survey tone: response rate, satisfaction levels, SERVQUAL gaps, price answers."""

    rate: float
    csat_base: float
    nps_base: float
    expectations: dict[str, float]
    gaps: dict[str, float]
    late_shift: float
    price_center: float
    price_share: float
    price_round: float
    comment_share: float
    comments_pos: tuple[str, ...]
    comments_neu: tuple[str, ...]
    comments_neg: tuple[str, ...]
    comments_weak: tuple[str, ...]


@dataclass(frozen=True)
class ExperimentSpec:
    """One A/B test: who is enrolled, when, and the control rate and relative lift."""

    experiment_id: str
    start: str
    days: int
    share: float
    base_rate: float
    lift: float


@dataclass(frozen=True)
class DemoProfile:
    """Everything the generator needs to build one demo client.

    ``meta`` holds the ``client.yaml`` fields not derived from the specs (name, industry,
    language, currency, journey stages, promises, competitors, ...). ``formats`` maps a
    table to ``(suffix, encoding)`` when it is not written as UTF-8 CSV.
    """

    id: str
    seed: int
    orders: int
    meta: dict[str, Any]
    channels: tuple[ChannelSpec, ...]
    categories: tuple[CategorySpec, ...]
    tiers: tuple[TierSpec, ...]
    premium_tiers: tuple[str, ...]
    segments: tuple[SegmentSpec, ...]
    scenes: tuple[SceneSpec, ...]
    core_scene: str
    touchpoints: tuple[TouchpointSpec, ...]
    journey: JourneySpec
    survey: SurveySpec
    experiment: ExperimentSpec
    assessment: dict[str, Any]
    start: str = "2024-01-01"
    end: str = "2025-06-30"
    orders_per_customer: float = 4.0
    growth: float = 0.15
    weekday: tuple[float, ...] = (1.0,) * 7
    months: tuple[float, ...] = (1.0,) * 12
    hours: tuple[float, ...] = (1.0,) * 24
    volume_windows: tuple[Window, ...] = ()
    price_windows: tuple[Window, ...] = ()
    rush_windows: tuple[Window, ...] = ()
    peak_hours: tuple[int, ...] = ()
    promise_sigma: float = 0.3
    promise_mu: float = -0.5
    elasticity: float = -1.0
    price_noise: float = 0.08
    price_round: float = 1.0
    discount_rates: tuple[float, ...] = (0.1, 0.2, 0.3)
    discount_prob: float = 0.15
    coupon_share: float = 0.3
    coupon_prob: float = 0.55
    coupon_activity: float = 1.2
    channel_stickiness: float = 0.6
    scene_stickiness: float = 0.35
    premium_trend: float = 0.3
    activity_sigma: float = 1.0
    genders: tuple[tuple[str, float], ...] = ()
    cities: tuple[tuple[str, float], ...] = ()
    formats: dict[str, tuple[str, str | None]] = field(default_factory=dict)
