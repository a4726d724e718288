"""Draw the commerce tables of a demo client: customers, orders and monthly costs.

All draws are vectorised over rows; categorical values are drawn as integer codes and
turned into their declared labels at the end, so every value used is one ``client.yaml``
declares.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from playbook.demo import timeline
from playbook.demo.spec import DemoProfile

YEARS_BEFORE_START = 3


@dataclass(frozen=True)
class Population:
    """The drawn customers as code arrays, sorted by signup day (ids follow that order)."""

    ids: np.ndarray
    signup_day: np.ndarray
    tier: np.ndarray
    segment: np.ndarray
    activity: np.ndarray
    coupon: np.ndarray
    channel: np.ndarray


def pick(rng: np.random.Generator, weights, n: int) -> np.ndarray:
    """Draw ``n`` codes with probabilities proportional to ``weights``."""
    w = np.asarray(weights, dtype=float)
    return rng.choice(len(w), size=n, p=w / w.sum())


def pick_rows(rng: np.random.Generator, weights: np.ndarray) -> np.ndarray:
    """Draw one code per row of a (rows x codes) weight matrix."""
    cum = np.cumsum(weights, axis=1)
    u = rng.random(len(weights)) * cum[:, -1]
    return np.minimum((cum <= u[:, None]).sum(axis=1), weights.shape[1] - 1)


def pick_drifting(rng: np.random.Generator, start, end, t: np.ndarray) -> np.ndarray:
    """Draw codes whose weights move linearly from ``start`` to ``end`` as ``t`` goes 0 -> 1."""
    n = len(t)
    early, late = pick(rng, start, n), pick(rng, end, n)
    return np.where(rng.random(n) < t, late, early)


def population(profile: DemoProfile, rng: np.random.Generator, n: int) -> Population:
    """Draw ``n`` customers: tier, segment, signup day, order propensity, home channel."""
    n_days = len(timeline.days(profile))
    before = rng.random(n) < 0.4
    signup = np.where(
        before,
        -rng.integers(1, 365 * YEARS_BEFORE_START, size=n),
        rng.choice(n_days, size=n, p=timeline.day_weights(profile)),
    )
    signup[0] = -1  # someone can always place the first order
    order = np.argsort(signup, kind="stable")
    signup = signup[order]
    tier = pick(rng, [t.share for t in profile.tiers], n)
    segment = pick(rng, [s.share for s in profile.segments], n)
    coupon = rng.random(n) < profile.coupon_share
    activity = (
        np.asarray([t.activity for t in profile.tiers])[tier]
        * rng.lognormal(0.0, profile.activity_sigma, size=n)
        * np.where(coupon, profile.coupon_activity, 1.0)
    )
    t = np.clip(signup / max(n_days - 1, 1), 0.0, 1.0)
    channel = pick_drifting(
        rng, [c.share_start for c in profile.channels], [c.share_end for c in profile.channels], t
    )
    return Population(timeline.ids("C", n, 6), signup, tier, segment, activity, coupon, channel)


def customers_frame(
    profile: DemoProfile, rng: np.random.Generator, pop: Population
) -> pd.DataFrame:
    """Return the customers table for a drawn population."""
    n = len(pop.ids)
    ages = np.asarray([s.age_mean for s in profile.segments])[pop.segment]
    age = np.clip(np.rint(rng.normal(ages, 8.0)), 16, 80).astype(int)
    member = rng.random(n) < np.asarray([t.member for t in profile.tiers])[pop.tier]
    signup = np.datetime64(profile.start, "D") + pop.signup_day.astype("timedelta64[D]")
    return pd.DataFrame(
        {
            "customer_id": pop.ids,
            "signup_date": pd.Series(signup).astype("datetime64[s]"),
            "tier": _labels([t.name for t in profile.tiers], pop.tier),
            "segment": _labels([s.name for s in profile.segments], pop.segment),
            "age": age,
            "gender": _labels([g for g, _ in profile.genders], pick(rng, _w(profile.genders), n)),
            "city": _labels([c for c, _ in profile.cities], pick(rng, _w(profile.cities), n)),
            "is_member": member,
        }
    )


def orders_frame(
    profile: DemoProfile, rng: np.random.Generator, pop: Population, n: int
) -> pd.DataFrame:
    """Return ``n`` orders with seasonality, drift to digital, prices, discounts and promises."""
    minutes = timeline.sample_minutes(profile, rng, n)
    n_days = len(timeline.days(profile))
    day = minutes // timeline.MINUTES_PER_DAY
    t = day / max(n_days - 1, 1)
    stamp = timeline.to_datetime(profile, minutes)
    hour = (minutes % timeline.MINUTES_PER_DAY) // 60

    # Customers: weighted by activity among those signed up by the order day.
    cum = np.cumsum(pop.activity)
    eligible = np.searchsorted(pop.signup_day, day, side="right")
    u = rng.random(n) * cum[eligible - 1]
    cust = np.minimum(np.searchsorted(cum, u, side="right"), eligible - 1)

    chans = profile.channels
    drift = pick_drifting(rng, [c.share_start for c in chans], [c.share_end for c in chans], t)
    channel = np.where(rng.random(n) < profile.channel_stickiness, pop.channel[cust], drift)

    scene = _scenes(profile, rng, cust, pop, hour, stamp)
    cats = profile.categories
    category = pick(rng, [c.share for c in cats], n)
    premium_tier = np.isin(pop.tier[cust], _premium_codes(profile))
    p_premium = (
        np.asarray([c.premium_share for c in cats])[category]
        * (1.0 + profile.premium_trend * t)
        * np.where(premium_tier, 1.6, 1.0)
    )
    is_premium = rng.random(n) < np.minimum(p_premium, 0.95)

    ref_price = (
        np.asarray([c.price for c in cats])[category]
        * np.where(is_premium, 1.3, 1.0)
        * np.asarray([c.price_factor for c in chans])[channel]
    )
    price_index = timeline.window_factor(timeline.days(profile), profile.price_windows)[day]
    step = profile.price_round
    list_price = ref_price * price_index * rng.lognormal(0.0, profile.price_noise, size=n)
    list_price = np.maximum(np.round(list_price / step) * step, step).round(2)

    p_discount = np.where(pop.coupon[cust], profile.coupon_prob, profile.discount_prob)
    rates = np.asarray(profile.discount_rates)
    rate = np.where(rng.random(n) < p_discount, rates[rng.integers(0, len(rates), n)], 0.0)
    mean_qty = (
        np.asarray([c.quantity for c in cats])[category]
        * (list_price * (1.0 - rate) / ref_price) ** profile.elasticity
    )
    quantity = 1 + rng.poisson(np.maximum(mean_qty - 1.0, 0.0))
    gross = list_price * quantity
    discount = np.round(gross * rate, 2)

    promised, actual = _promises(profile, rng, channel, minutes, hour)
    return pd.DataFrame(
        {
            "order_id": timeline.ids("O", n, 7),
            "customer_id": pop.ids[cust],
            "order_time": stamp,
            "channel": _labels([c.name for c in chans], channel),
            "amount": np.round(gross - discount, 2),
            "category": _labels([c.name for c in cats], category),
            "scene": _labels([s.name for s in profile.scenes], scene),
            "is_premium": is_premium,
            "discount": discount,
            "promised_minutes": promised,
            "actual_minutes": actual,
            "payment": _payments(profile, rng, channel),
            "list_price": list_price,
            "quantity": quantity,
        }
    )


def costs_frame(
    profile: DemoProfile, rng: np.random.Generator, orders: pd.DataFrame
) -> pd.DataFrame:
    """Return monthly service cost per channel: orders x cost per order, with noise."""
    month = orders["order_time"].dt.to_period("M").dt.to_timestamp()
    counts = (
        orders.assign(period=month)
        .groupby(["period", "channel"], sort=True)
        .size()
        .rename("orders")
        .reset_index()
    )
    unit = counts["channel"].map({c.name: c.cost_per_order for c in profile.channels})
    noise = rng.lognormal(0.0, 0.06, size=len(counts))
    return pd.DataFrame(
        {
            "period": counts["period"],
            "channel": counts["channel"],
            "service_cost": np.round(counts["orders"] * unit * noise, 2),
        }
    )


def _scenes(profile, rng, cust, pop, hour, stamp) -> np.ndarray:
    scenes = profile.scenes
    weekend = (stamp.dt.day_of_week >= 5).to_numpy()
    month = stamp.dt.month.to_numpy() - 1
    w = np.empty((len(cust), len(scenes)))
    for k, s in enumerate(scenes):
        boost = np.where(np.isin(hour, s.hours), s.hour_boost, 1.0)
        w[:, k] = s.weight * boost * np.where(weekend, s.weekend, 1.0) * np.asarray(s.months)[month]
    drawn = pick_rows(rng, w)
    names = [s.name for s in scenes]
    favourite = np.asarray([names.index(s.scene) for s in profile.segments])[pop.segment[cust]]
    return np.where(rng.random(len(cust)) < profile.scene_stickiness, favourite, drawn)


def _promises(profile, rng, channel, minutes, hour) -> tuple[np.ndarray, np.ndarray]:
    chans = profile.channels
    promise = np.asarray(
        [np.nan if c.promise_minutes is None else c.promise_minutes for c in chans]
    )[channel]
    peak = np.isin(hour, profile.peak_hours) | timeline.in_windows(
        profile, minutes, profile.rush_windows
    )
    late = minutes >= timeline.last_minute(profile) - 91 * timeline.MINUTES_PER_DAY
    mu = (
        profile.promise_mu
        + np.asarray([c.miss for c in chans])[channel]
        + peak * np.asarray([c.peak_miss for c in chans])[channel]
        + late * np.asarray([c.late_miss for c in chans])[channel]
    )
    actual = promise * np.exp(rng.normal(mu, profile.promise_sigma))
    return pd.array(promise, dtype="Int64"), np.round(np.maximum(actual, 0.5), 1)


def _payments(profile, rng, channel) -> np.ndarray:
    out = np.empty(len(channel), dtype=object)
    for k, c in enumerate(profile.channels):
        rows = np.flatnonzero(channel == k)
        names = np.asarray([p for p, _ in c.payments], dtype=object)
        out[rows] = names[pick(rng, _w(c.payments), len(rows))]
    return out


def _premium_codes(profile: DemoProfile) -> list[int]:
    return [i for i, t in enumerate(profile.tiers) if t.name in profile.premium_tiers]


def _labels(names: list[str], codes: np.ndarray) -> np.ndarray:
    return np.asarray(names, dtype=object)[codes]


def _w(pairs) -> list[float]:
    return [w for _, w in pairs]
