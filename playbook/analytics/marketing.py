"""Marketing decisions: conversion funnel, channel attribution and A/B test read-outs.

The journey table has one row per event: customer_id, event_time, stage, channel. A
customer's *path* is the sequence of channels of their events in time order, up to and
including their first event at the conversion stage (consecutive repeats of one channel
collapse into one touch). Attribution models share that path set, so their columns add
up to the same number of conversions.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from playbook.analytics import require_columns
from playbook.data.numbering import Numbers, number

START, CONVERSION, NULL = "(start)", "(conversion)", "(null)"


def conversion_funnel(
    journey: pd.DataFrame, stages: Sequence[str], by: str | None = "channel"
) -> pd.DataFrame:
    """Count customers reaching each stage, overall or by entry segment.

    A customer reaches stage k when any of their events is at stage k or a later one (a
    missing tracking event in between does not break the funnel). With ``by``, customers
    are grouped by the value of that column on their first event (e.g. entry channel).

    Args:
        journey: Events with customer_id, event_time, stage (and ``by``).
        stages: Stages in funnel order (client.yaml journey_stages); other stages are ignored.
        by: Column to split by, or None for the whole funnel.

    Returns:
        One row per (group, stage): [by,] stage, step (1..), customers, conversion (from the
        previous stage; 1.0 at step 1), cumulative (from the first stage).
    """
    cols = ["customer_id", "event_time", "stage"] + ([by] if by else [])
    require_columns(journey, cols, "journey")
    if not stages:
        raise ValueError("conversion_funnel: no stages given")
    j = journey[cols].sort_values("event_time", kind="stable")
    # 1.. in funnel order, NaN for other stages (a categorical stage maps by position too)
    step = pd.Index(stages).get_indexer(j["stage"]) + 1.0
    j = j.assign(step=np.where(step > 0, step, np.nan))
    per = j.groupby("customer_id").agg(reached=("step", "max"))
    if by:
        per["group"] = j.groupby("customer_id")[by].first()
    else:
        per["group"] = "all"
    per = per.dropna(subset=["reached"]).astype({"reached": int})
    counts = per.groupby(["group", "reached"]).size().unstack(fill_value=0)
    counts = counts.reindex(columns=range(1, len(stages) + 1), fill_value=0)
    reached = counts.loc[:, ::-1].cumsum(axis=1).loc[:, ::-1]  # at stage k or later
    out = reached.stack().rename("customers").reset_index()
    out.columns = ["group", "step", "customers"]
    out["stage"] = out["step"].map(dict(enumerate(stages, start=1)))
    first = out.groupby("group")["customers"].transform("first")
    previous = out.groupby("group")["customers"].shift().fillna(out["customers"])
    out["conversion"] = (out["customers"] / previous.replace(0, np.nan)).fillna(0.0)
    out["cumulative"] = (out["customers"] / first.replace(0, np.nan)).fillna(0.0)
    out = out[["group", "stage", "step", "customers", "conversion", "cumulative"]]
    return out.rename(columns={"group": by}) if by else out.drop(columns="group")


def journey_paths(
    journey: pd.DataFrame,
    conversion_stage: str,
    collapse_repeats: bool = True,
    customers: Numbers | None = None,
) -> pd.DataFrame:
    """Turn journey events into one channel path per customer.

    Args:
        journey: Events with customer_id, event_time, stage, channel.
        conversion_stage: The stage that counts as a conversion (e.g. "purchase").
        collapse_repeats: Merge consecutive events in the same channel into one touch.
        customers: The codes of the events' customer ids, numbered in sorted order (e.g.
            the journey table's numbering, ``data.numbering``); numbered here when omitted.

    Returns:
        One row per customer: customer_id, path (tuple of channels, ending with the
        conversion event's channel when converted), converted (bool).
    """
    require_columns(journey, ("customer_id", "event_time", "stage", "channel"), "journey")
    # on integer codes (customers and times each numbered in sorted order): sorting and
    # grouping millions of events by their customer's id text is what made this slow
    known = journey["customer_id"].notna().to_numpy()
    j = journey[known]  # an event of no customer is on no path
    if customers is None:
        customer = number(j["customer_id"])
    else:
        customer = Numbers(customers.codes[known], customers.ids)
    time, times = pd.factorize(j["event_time"], sort=True)
    time[time < 0] = len(times)  # no time: last of its customer's events, as a sort puts it
    order = np.lexsort((time, customer.codes))  # stable: equal times keep the rows' order
    codes = customer.codes[order]
    is_conv = (j["stage"] == conversion_stage).to_numpy(dtype=bool, na_value=False)[order]
    start = np.r_[True, codes[1:] != codes[:-1]] if len(codes) else np.zeros(0, dtype=bool)
    # conversions before each event, within its customer: events after the first go
    done = np.cumsum(is_conv) - is_conv
    keep = done == done[start][np.cumsum(start) - 1]
    order, start, is_conv = order[keep], start[keep], is_conv[keep]
    converted = np.logical_or.reduceat(is_conv, np.flatnonzero(start)) if len(order) else is_conv
    if collapse_repeats:  # an event in the channel of the one before it adds no touch
        channel = pd.factorize(j["channel"])[0][order]
        shift = np.r_[-1, channel[:-1]] if len(channel) else channel
        kept = start | (channel != shift) | (channel < 0)  # no channel: never a repeat
        order, start = order[kept], start[kept]
    firsts = np.flatnonzero(start)
    paths = _paths(j["channel"], order, firsts)
    index = customer.names(customer.codes[order[firsts]])
    return pd.DataFrame({"path": paths, "converted": converted}, index=index).reset_index()


def _paths(channel: pd.Series, order: np.ndarray, firsts: np.ndarray) -> np.ndarray:
    """Return each path as a tuple of channels: ``channel`` at ``order[firsts[i]:firsts[i + 1]]``.

    Millions of customers walk a few thousand distinct paths: each path is numbered (its
    channels as the digits of one integer) and each distinct one made a tuple once, shared
    by the customers who walked it. Paths too long for one integer are made one by one.
    """
    ends = np.r_[firsts[1:], len(order)]
    codes, names = pd.factorize(channel)
    base = len(names) + 2  # digits: 1 for no channel, 2.. for the channels
    longest = int(np.floor(62 / np.log2(base)))  # base ** longest < 2 ** 62
    lengths = ends - firsts
    if not len(firsts) or lengths.max() > longest:
        values = channel.to_numpy(dtype=object)[order]
        made = (tuple(values[a:b]) for a, b in zip(firsts, ends, strict=True))
        return np.fromiter(made, dtype=object, count=len(firsts))
    place = np.arange(len(order)) - np.repeat(firsts, lengths)
    digits = (codes[order] + 2).astype(np.int64) * base ** place.astype(np.int64)
    _, walked, path = np.unique(
        np.add.reduceat(digits, firsts), return_index=True, return_inverse=True
    )
    values = np.append(names.to_numpy(dtype=object), np.nan)  # code -1: no channel
    made = (tuple(values[codes[order[firsts[i] : ends[i]]]]) for i in walked)
    return np.fromiter(made, dtype=object, count=len(walked))[path]


def _touches(paths: pd.DataFrame) -> pd.DataFrame:
    """Explode paths into one row per touch: path_id, position, length, channel, converted."""
    require_columns(paths, ("path", "converted"), "paths")
    p = paths.reset_index(drop=True)
    long = p["path"].explode().dropna().rename("channel").to_frame()
    long["path_id"] = long.index
    long["position"] = long.groupby("path_id").cumcount()
    long["length"] = long.groupby("path_id")["channel"].transform("size")
    long["converted"] = p["converted"].astype(bool).reindex(long.index).to_numpy()
    return long.reset_index(drop=True)


@dataclass(frozen=True)
class MarkovChain:
    """A first-order Markov chain over channels, with each channel's removal effect.

    Attributes:
        transitions: Transition probabilities, rows = from-state (start and channels),
            columns = to-state (channels, conversion, null); rows sum to 1.
        p_conversion: Probability of reaching conversion from start.
        removal: One row per channel: channel, p_conversion_without, removal_effect
            (1 - p_conversion_without / p_conversion).
    """

    transitions: pd.DataFrame
    p_conversion: float
    removal: pd.DataFrame


def _absorption(q: np.ndarray, r: np.ndarray) -> np.ndarray:
    """Probability of absorption in conversion from each transient state: (I - Q) x = r."""
    return np.linalg.solve(np.eye(len(q)) - q, r)


def markov_chain(paths: pd.DataFrame) -> MarkovChain:
    """Fit a first-order Markov chain to channel paths and compute removal effects.

    States: start, one per channel, conversion and null (absorbing). Each path contributes
    start -> c1 -> ... -> cn -> conversion (if converted) or null. Removing a channel sends
    every transition into it to null; its removal effect is
    1 - P(conversion without it) / P(conversion).

    Args:
        paths: Frame with path (tuple of channels) and converted (bool), as from
            ``journey_paths``.

    Returns:
        ``MarkovChain`` with the transition matrix, P(conversion) and removal effects.
    """
    long = _touches(paths)
    if not long["converted"].any():
        raise ValueError("markov_chain: no converting path; attribution needs conversions")
    prev = long.groupby("path_id")["channel"].shift().fillna(START)
    steps = pd.DataFrame({"from": prev, "to": long["channel"]})
    n_paths = len(paths)
    last = long.groupby("path_id")["channel"].last().reindex(range(n_paths), fill_value=START)
    ends = pd.DataFrame(
        {
            "from": last.to_numpy(),
            "to": np.where(paths["converted"].astype(bool).to_numpy(), CONVERSION, NULL),
        }
    )
    counts = pd.concat([steps, ends]).groupby(["from", "to"]).size().unstack(fill_value=0)
    channels = sorted(long["channel"].unique())
    transient = [START] + channels
    counts = counts.reindex(index=transient, columns=channels + [CONVERSION, NULL], fill_value=0)
    probs = counts.div(counts.sum(axis=1).replace(0, np.nan), axis=0).fillna(0.0)
    q = probs[channels].to_numpy()
    q = np.hstack([np.zeros((len(transient), 1)), q])  # nothing transitions into start
    r = probs[CONVERSION].to_numpy()
    p_conv = float(_absorption(q, r)[0])
    without = []
    for i in range(1, len(transient)):
        q_removed = q.copy()
        q_removed[:, i] = 0.0  # transitions into the channel are lost (go to null)
        without.append(float(_absorption(q_removed, r)[0]))
    removal = pd.DataFrame({"channel": channels, "p_conversion_without": without})
    removal["removal_effect"] = 1 - removal["p_conversion_without"] / p_conv
    return MarkovChain(probs, p_conv, removal)


def attribution(paths: pd.DataFrame) -> pd.DataFrame:
    """Attribute conversions to channels by four models, side by side.

    - first_touch: each conversion to the first channel of its path;
    - last_touch: to the last channel (the channel of the converting event);
    - linear: split equally over the path's touches;
    - markov: conversions x removal effect / sum of removal effects (see ``markov_chain``).

    Args:
        paths: Frame with path (tuple of channels) and converted (bool), as from
            ``journey_paths``.

    Returns:
        One row per channel: channel, first_touch, last_touch, linear, markov (each column
        sums to the number of conversions), removal_effect.
    """
    chain = markov_chain(paths)
    long = _touches(paths)
    conv = long.loc[long["converted"]]
    n_conv = int(paths["converted"].astype(bool).sum())
    first = conv.loc[conv["position"] == 0].groupby("channel").size()
    last = conv.loc[conv["position"] == conv["length"] - 1].groupby("channel").size()
    linear = (1 / conv["length"]).groupby(conv["channel"]).sum()
    rem = chain.removal.set_index("channel")["removal_effect"].clip(lower=0)
    markov = n_conv * rem / rem.sum() if rem.sum() > 0 else rem * 0.0
    out = pd.DataFrame(
        {
            "first_touch": first,
            "last_touch": last,
            "linear": linear,
            "markov": markov,
            "removal_effect": chain.removal.set_index("channel")["removal_effect"],
        }
    )
    out = out.reindex(chain.removal["channel"]).fillna(0.0).astype(float)
    return out.rename_axis("channel").reset_index()


@dataclass(frozen=True)
class ProportionTest:
    """A two-proportion z-test of group 2 against group 1.

    ``z`` uses the pooled standard error; the confidence interval of the difference
    (p2 - p1) uses the unpooled (Wald) standard error.
    """

    x1: int
    n1: int
    x2: int
    n2: int
    p1: float
    p2: float
    difference: float
    lift: float | None
    z: float
    p_value: float
    ci_low: float
    ci_high: float
    confidence: float


def two_proportion_test(
    x1: int, n1: int, x2: int, n2: int, confidence: float = 0.95
) -> ProportionTest:
    """Compare two proportions x1/n1 (baseline) and x2/n2 with a two-sided z-test.

    Args:
        x1: Successes in group 1 (baseline / control).
        n1: Size of group 1.
        x2: Successes in group 2 (treatment).
        n2: Size of group 2.
        confidence: Level of the confidence interval of the difference.

    Returns:
        ``ProportionTest``: rates, difference p2 - p1, relative lift p2 / p1 - 1 (None when
        p1 = 0), z, two-sided p-value and the confidence interval of the difference.
    """
    # scipy is imported by the first test read, not at import: 0.2 s at a renderer's start
    from scipy import special

    if min(n1, n2) <= 0 or not (0 <= x1 <= n1 and 0 <= x2 <= n2):
        raise ValueError(
            f"two_proportion_test: need 0 <= x <= n and n > 0, got {x1}/{n1} and {x2}/{n2}"
        )
    p1, p2 = x1 / n1, x2 / n2
    pooled = (x1 + x2) / (n1 + n2)
    se_pooled = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    diff = p2 - p1
    z = diff / se_pooled if se_pooled > 0 else 0.0
    p_value = float(2 * special.ndtr(-abs(z)))
    se = math.sqrt(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2)
    half = float(special.ndtri(0.5 + confidence / 2)) * se
    lift = p2 / p1 - 1 if p1 > 0 else None
    return ProportionTest(
        x1, n1, x2, n2, p1, p2, diff, lift, z, p_value, diff - half, diff + half, confidence
    )


def required_sample_size(
    p1: float, p2: float, alpha: float = 0.05, power: float = 0.8
) -> int | None:
    """Return the n per arm a two-sided two-proportion z-test needs to detect p1 vs p2.

    n = (z_{1-a/2} sqrt(2 pbar (1 - pbar)) + z_power sqrt(p1 (1-p1) + p2 (1-p2)))^2
    / (p2 - p1)^2 with pbar = (p1 + p2) / 2, rounded up. None when p1 == p2 (no lift to
    detect).
    """
    if not (0 <= p1 <= 1 and 0 <= p2 <= 1):
        raise ValueError(f"required_sample_size: rates must be in [0, 1], got {p1}, {p2}")
    if p1 == p2:
        return None
    pbar = (p1 + p2) / 2
    from scipy import special

    za, zb = special.ndtri(1 - alpha / 2), special.ndtri(power)
    n = (
        za * math.sqrt(2 * pbar * (1 - pbar)) + zb * math.sqrt(p1 * (1 - p1) + p2 * (1 - p2))
    ) ** 2 / (p2 - p1) ** 2
    return math.ceil(n)


@dataclass(frozen=True)
class ABReadout:
    """An A/B test read-out: the test, whether it is significant and whether n was enough.

    ``required_n_per_arm`` is the sample per arm needed for ``power`` at the observed
    baseline and lift (None when there is no lift); ``adequate`` says both arms reached it.
    """

    experiment_id: str | None
    control: str
    treatment: str
    test: ProportionTest
    alpha: float
    power: float
    significant: bool
    required_n_per_arm: int | None
    adequate: bool


def ab_readout(
    experiments: pd.DataFrame,
    experiment_id: str | None = None,
    control: str | None = None,
    treatment: str | None = None,
    alpha: float = 0.05,
    power: float = 0.8,
) -> ABReadout:
    """Read out one A/B experiment from the experiments table.

    Args:
        experiments: Rows with experiment_id (optional when there is one experiment),
            variant and converted (bool), one row per assigned unit.
        experiment_id: Which experiment (required when the table holds several).
        control: The baseline variant (default "control" if present, else the first
            variant in sorted order).
        treatment: The variant tested (default: the one other variant).
        alpha: Significance level (two-sided); the CI is at 1 - alpha.
        power: Power for the sample-size adequacy check.

    Returns:
        ``ABReadout`` with the two-proportion test of treatment vs control.
    """
    require_columns(experiments, ("variant", "converted"), "experiments")
    df = experiments
    if "experiment_id" in df.columns:
        ids = sorted(df["experiment_id"].dropna().unique())
        if experiment_id is None and len(ids) > 1:
            raise ValueError(
                f"experiments: several experiments ({', '.join(map(str, ids))}); "
                "choose one with experiment_id"
            )
        experiment_id = experiment_id if experiment_id is not None else ids[0]
        df = df.loc[df["experiment_id"] == experiment_id]
    variants = sorted(df["variant"].dropna().astype(str).unique())
    if control is None:
        control = "control" if "control" in variants else variants[0] if variants else None
    others = [v for v in variants if v != control]
    if treatment is None:
        if len(others) != 1:
            raise ValueError(
                f"experiments: need exactly one variant besides {control!r} "
                f"(found {others}); choose one with treatment"
            )
        treatment = others[0]
    if control not in variants or treatment not in variants:
        raise ValueError(
            f"experiments: variants {control!r} and {treatment!r} must both "
            f"have rows (found {variants})"
        )
    conv = df["converted"].astype(bool).groupby(df["variant"].astype(str)).agg(["sum", "size"])
    test = two_proportion_test(
        int(conv.loc[control, "sum"]),
        int(conv.loc[control, "size"]),
        int(conv.loc[treatment, "sum"]),
        int(conv.loc[treatment, "size"]),
        confidence=1 - alpha,
    )
    need = required_sample_size(test.p1, test.p2, alpha, power)
    adequate = need is not None and min(test.n1, test.n2) >= need
    return ABReadout(
        None if experiment_id is None else str(experiment_id),
        control,
        treatment,
        test,
        alpha,
        power,
        test.p_value < alpha,
        need,
        adequate,
    )
