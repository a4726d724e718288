"""Draw the experience tables of a demo client: journey paths, survey answers, an A/B test.

Journeys are multi-touch paths across channels: converting paths end in a real order
(their purchase event carries its ``order_id``); abandoned paths drop out at the first or
second stage; after a purchase some paths lose the fulfilment or review event. Survey
answers hang off sampled orders, so satisfaction reacts to the touchpoint, the customer's
tier and segment, and whether the order's promise was kept.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from playbook.data.contract import SERVQUAL
from playbook.demo import timeline
from playbook.demo.commerce import Population, pick
from playbook.demo.spec import DemoProfile

ORDER_STAGE = 2
#: Session number per stage: consideration and purchase share a session.
SESSION_OF_STAGE = np.array([1, 2, 2, 3, 4])
#: Extra events per path and stage beyond the first (Poisson mean, cap).
EXTRA_EVENTS = ((0.6, 2), (0.9, 3), (0.0, 0), (0.0, 0), (0.0, 0))


def journey_frame(
    profile: DemoProfile, rng: np.random.Generator, pop: Population, orders: pd.DataFrame
) -> pd.DataFrame:
    """Return journey events for converting and abandoned paths of a customer sample."""
    js = profile.journey
    stages = list(profile.meta["journey_stages"])
    n_conv = max(1, round(len(orders) * js.path_share))
    conv = np.sort(rng.choice(len(orders), size=n_conv, replace=False))
    conv_cust = pd.Index(pop.ids).get_indexer(orders["customer_id"].to_numpy()[conv])
    conv_chan = _codes(profile, orders["channel"].to_numpy()[conv])
    conv_min = _minutes(profile, orders["order_time"].iloc[conv])
    fulfil = rng.random(n_conv) < js.fulfil_rate
    conv_reach = np.where(fulfil, np.where(rng.random(n_conv) < js.review_rate, 4, 3), 2)

    n_ab = max(1, round(n_conv * js.abandon_ratio))
    buyer = rng.random(n_ab) < 0.3
    ab_cust = np.where(buyer, rng.choice(conv_cust, size=n_ab), rng.integers(0, len(pop.ids), n_ab))
    ab_min = rng.permutation(timeline.sample_minutes(profile, rng, n_ab))
    ab_reach = np.where(rng.random(n_ab) < js.abandon_at_first, 0, 1)

    cust = np.concatenate([conv_cust, ab_cust])
    anchor = np.concatenate([conv_min, ab_min])
    home = np.concatenate([conv_chan, pop.channel[ab_cust]])
    reach = np.concatenate([conv_reach, ab_reach])
    order_ids = np.concatenate([orders["order_id"].to_numpy()[conv], np.full(n_ab, None)])
    by_time = np.argsort(anchor, kind="stable")
    cust, anchor, home, reach, order_ids = (
        a[by_time] for a in (cust, anchor, home, reach, order_ids)
    )

    path_parts, stage_parts = [], []
    for s, (extra, cap) in enumerate(EXTRA_EVENTS):
        count = (1 + np.minimum(rng.poisson(extra, len(reach)), cap)) * (reach >= s)
        path_parts.append(np.repeat(np.arange(len(reach)), count))
        stage_parts.append(np.full(count.sum(), s))
    path, stage = np.concatenate(path_parts), np.concatenate(stage_parts)

    lo = np.asarray([o[0] for o in js.offsets])[stage]
    hi = np.asarray([o[1] for o in js.offsets])[stage]
    minute = anchor[path] + np.rint(lo + rng.random(len(stage)) * (hi - lo)).astype(np.int64)
    forced = stage >= ORDER_STAGE
    mix = pick(rng, [c.share_end for c in profile.channels], len(stage))
    pref = np.where(forced | (rng.random(len(stage)) < js.home_channel), home[path], mix)
    touch, channel = _touch(profile, rng, stage, pref, stages)

    keep = (minute >= 0) & (minute <= timeline.last_minute(profile))
    order = np.lexsort((stage, path, minute))
    order = order[keep[order]]
    tracked = rng.random(len(stage)) < np.asarray([c.tracked for c in profile.channels])[channel]
    session = pd.Series(path + 1).astype(str).str.zfill(7)
    session = ("S" + session + "-" + pd.Series(SESSION_OF_STAGE[stage]).astype(str)).to_numpy()
    order_id = np.where(stage == ORDER_STAGE, order_ids[path], None)
    return pd.DataFrame(
        {
            "customer_id": pop.ids[cust[path]][order],
            "event_time": timeline.to_datetime(profile, minute[order]),
            "stage": np.asarray(stages, dtype=object)[stage][order],
            "touchpoint": _names(profile.touchpoints)[touch][order],
            "channel": _names(profile.channels)[channel][order],
            "session_id": session[order],
            "order_id": order_id[order],
            "tracked": tracked[order],
        }
    )


def survey_frame(
    profile: DemoProfile, rng: np.random.Generator, pop: Population, orders: pd.DataFrame
) -> pd.DataFrame:
    """Return survey answers (NPS, CSAT, SERVQUAL, Van Westendorp, comments) about orders."""
    sv = profile.survey
    n = max(1, round(len(orders) * sv.rate))
    rows = np.sort(rng.choice(len(orders), size=n, replace=False))
    o = orders.iloc[rows]
    cust = pd.Index(pop.ids).get_indexer(o["customer_id"].to_numpy())
    channel = _codes(profile, o["channel"].to_numpy())
    start = _minutes(profile, o["order_time"]) + rng.integers(30, 4320, size=n)
    minute = np.sort(np.minimum(start, timeline.last_minute(profile)))
    missed = (o["actual_minutes"] > o["promised_minutes"]).fillna(False).to_numpy(dtype=bool)
    late = minute >= timeline.last_minute(profile) - 91 * timeline.MINUTES_PER_DAY
    touch = _survey_touch(profile, rng, channel)
    tps = profile.touchpoints

    z = (
        np.asarray([t.csat_effect for t in tps])[touch]
        + np.asarray([t.csat_effect for t in profile.tiers])[pop.tier[cust]]
        + np.asarray([s.csat_effect for s in profile.segments])[pop.segment[cust]]
        - 0.9 * missed
        + sv.late_shift * late
        + rng.normal(0.0, 0.8, size=n)
    )
    frame = {
        "response_id": timeline.ids("R", n, 6),
        "response_time": timeline.to_datetime(profile, minute),
        "customer_id": o["customer_id"].to_numpy(),
        "touchpoint": _names(tps)[touch],
        "stage": np.asarray([t.stage for t in tps], dtype=object)[touch],
        "channel": o["channel"].to_numpy(),
        "nps": np.clip(np.rint(sv.nps_base + 1.7 * z + rng.normal(0, 0.8, n)), 0, 10).astype(int),
        "csat": np.clip(np.rint(sv.csat_base + z), 1, 5).astype(int),
    }
    for dim in SERVQUAL:
        expect = sv.expectations[dim] + rng.normal(0.0, 0.7, n)
        shift = sv.gaps[dim] + 0.5 * z - (0.8 * missed if dim == "reliability" else 0.0)
        frame[f"expectation_{dim}"] = _scale7(expect)
        frame[f"perception_{dim}"] = _scale7(expect + shift + rng.normal(0.0, 0.6, n))
    frame.update(_price_answers(profile, rng, n))
    frame["comment"] = _comments(profile, rng, frame["csat"], touch)
    return pd.DataFrame(frame)


def experiments_frame(
    profile: DemoProfile, rng: np.random.Generator, pop: Population
) -> pd.DataFrame:
    """Return one A/B test: customers split 50/50, variant B converting ``lift`` more."""
    ex = profile.experiment
    first = (pd.Timestamp(ex.start) - pd.Timestamp(profile.start)).days
    eligible = np.flatnonzero(pop.signup_day <= first)
    n = max(2, round(len(eligible) * ex.share))
    chosen = np.sort(rng.choice(eligible, size=n, replace=False))
    variant_b = rng.random(n) < 0.5
    minute = first * timeline.MINUTES_PER_DAY + rng.integers(
        0, ex.days * timeline.MINUTES_PER_DAY, n
    )
    rate = ex.base_rate * np.where(variant_b, 1.0 + ex.lift, 1.0)
    converted = rng.random(n) < rate
    order = np.argsort(minute, kind="stable")
    return pd.DataFrame(
        {
            "experiment_id": ex.experiment_id,
            "variant": np.where(variant_b, "B", "A")[order],
            "customer_id": pop.ids[chosen][order],
            "converted": converted[order],
            "assigned_time": timeline.to_datetime(profile, minute[order]),
        }
    )


def _touch(profile, rng, stage, pref, stages) -> tuple[np.ndarray, np.ndarray]:
    """Pick a touchpoint of the event's stage on the preferred channel, and its channel."""
    tps = profile.touchpoints
    chan_names = [c.name for c in profile.channels]
    touch = np.zeros(len(stage), dtype=np.int64)
    for s, stage_name in enumerate(stages):
        in_stage = [i for i, t in enumerate(tps) if t.stage == stage_name]
        for c, name in enumerate(chan_names):
            rows = np.flatnonzero((stage == s) & (pref == c))
            fits = [i for i in in_stage if name in tps[i].channels] or in_stage
            touch[rows] = np.asarray(fits)[rng.integers(0, len(fits), len(rows))]
    channel = pref.copy()
    for i, t in enumerate(tps):
        codes = np.asarray([chan_names.index(c) for c in t.channels])
        rows = np.flatnonzero((touch == i) & ~np.isin(pref, codes))
        channel[rows] = codes[rng.integers(0, len(codes), len(rows))]
    return touch, channel


def _survey_touch(profile, rng, channel) -> np.ndarray:
    tps = profile.touchpoints
    touch = np.zeros(len(channel), dtype=np.int64)
    for c, ch in enumerate(profile.channels):
        rows = np.flatnonzero(channel == c)
        fits = [i for i, t in enumerate(tps) if t.survey_weight > 0 and ch.name in t.channels]
        weights = [tps[i].survey_weight for i in fits]
        touch[rows] = np.asarray(fits)[pick(rng, weights, len(rows))]
    return touch


def _price_answers(profile, rng, n) -> dict[str, np.ndarray]:
    sv = profile.survey
    asked = rng.random(n) < sv.price_share
    base = sv.price_center * rng.lognormal(0.0, 0.25, n)
    bands = ((0.35, 0.55), (0.65, 0.85), (1.15, 1.4), (1.5, 1.95))
    answers = np.stack([base * rng.uniform(lo, hi, n) for lo, hi in bands], axis=1)
    answers = np.maximum(np.round(answers / sv.price_round) * sv.price_round, sv.price_round)
    answers = np.maximum.accumulate(answers, axis=1).round(2)
    names = ("too_cheap", "cheap", "expensive", "too_expensive")
    return {name: np.where(asked, answers[:, k], np.nan) for k, name in enumerate(names)}


def _comments(profile, rng, csat, touch) -> np.ndarray:
    sv = profile.survey
    weak = int(np.argmin([t.csat_effect for t in profile.touchpoints]))
    out = np.full(len(csat), None, dtype=object)
    pools = (
        (csat >= 4, sv.comments_pos),
        (csat == 3, sv.comments_neu),
        (csat <= 2, sv.comments_neg),
        ((csat <= 3) & (touch == weak), sv.comments_weak),
    )
    says = rng.random(len(csat)) < sv.comment_share
    for mask, pool in pools:
        rows = np.flatnonzero(mask & says)
        out[rows] = np.asarray(pool, dtype=object)[rng.integers(0, len(pool), len(rows))]
    return out


def _scale7(x: np.ndarray) -> np.ndarray:
    return np.clip(np.rint(x), 1, 7).astype(int)


def _codes(profile: DemoProfile, channel: np.ndarray) -> np.ndarray:
    return pd.Index([c.name for c in profile.channels]).get_indexer(channel)


def _minutes(profile: DemoProfile, stamps: pd.Series) -> np.ndarray:
    start = np.datetime64(profile.start, "m")
    return (stamps.to_numpy().astype("datetime64[m]") - start).astype(np.int64)


def _names(specs) -> np.ndarray:
    return np.asarray([s.name for s in specs], dtype=object)
