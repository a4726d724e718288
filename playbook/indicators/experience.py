"""Survey- and journey-based indicators: SERVQUAL gaps, CSAT, NPS, funnel and journeys.

Every indicator here reduces to "a value per row (response or customer), averaged overall
and per member of a dimension": a share is the mean of a 0/1 value, NPS the mean of
+100/0/-100 per answer. ``_summarise`` does that once; spreads and minima across members
are taken from its breakdown with ``_across``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import numpy as np
import pandas as pd

from playbook.analytics.wom import nps as nps_by_segment
from playbook.data.contract import SERVQUAL
from playbook.data.model import ClientData
from playbook.data.numbering import Numbers, number
from playbook.indicators.aggregate import customer_values, reached_stages
from playbook.indicators.journeys import (
    channel_pairs,
    first_rows,
    first_values,
    held,
    journey_numbers,
)
from playbook.indicators.registry import Measurement, indicator
from playbook.indicators.value_marketing import conversion_stage

SURVEY_CSAT = {"survey": ("csat",)}


def _summarise(values: pd.Series, groups: pd.Series | None = None) -> Measurement | None:
    """Average a per-row value overall and per dimension member.

    Args:
        values: one number (or bool) per row; missing values are left out.
        groups: the dimension member of each row, aligned on the same index (or None).

    Returns:
        The mean as value and the usable rows as n; ``by``/``by_n`` hold the mean and the rows
        per member, sorted by member (rows without a member are left out of the breakdown).
        None when no row has a value.
    """
    values = values.dropna().astype(float)
    if values.empty:
        return None
    by = by_n = None
    if groups is not None:
        grouped = values.groupby(groups.reindex(values.index))
        if grouped.ngroups:
            by, by_n = grouped.mean().sort_index(), grouped.size().sort_index()
    return Measurement(float(values.mean()), int(values.size), by, by_n)


def _across(
    m: Measurement | None, stat: Callable[[pd.Series], float], min_members: int = 1
) -> Measurement | None:
    """Replace a measurement's value by a statistic of its breakdown (e.g. max - min).

    ``n`` becomes the rows behind the breakdown. None when fewer than ``min_members`` members.
    """
    if m is None or m.by is None or len(m.by) < min_members:
        return None
    return Measurement(float(stat(m.by)), int(m.by_n.sum()), m.by, m.by_n)


def _spread(by: pd.Series) -> float:
    return by.max() - by.min()


def _column(df: pd.DataFrame, name: str) -> pd.Series | None:
    """Return a column when the frame has it, else None (an optional breakdown)."""
    return df[name] if name in df.columns else None


def _customer_attribute(data: ClientData, column: str) -> pd.Series:
    """Map each survey response to its customer's ``column`` in the customers table."""
    return customer_values(data, "survey", column)


def _servqual_pairs(survey: pd.DataFrame) -> list[str]:
    """Return the SERVQUAL dimensions with both expectation_ and perception_ columns."""
    return [
        d
        for d in SERVQUAL
        if f"expectation_{d}" in survey.columns and f"perception_{d}" in survey.columns
    ]


@indicator(
    "reliability_gap",
    dimension="touchpoint",
    requires={"survey": ("expectation_reliability", "perception_reliability")},
)
def reliability_gap(data: ClientData) -> Measurement | None:
    """Measure the mean perception minus expectation of reliability (points, 7-point scale)."""
    s = data.table("survey")
    gap = s["perception_reliability"] - s["expectation_reliability"]
    return _summarise(gap, _column(s, "touchpoint"))


@indicator("delight_share", requires={"survey": ()}, dimension="touchpoint")
def delight_share(data: ClientData) -> Measurement | None:
    """Measure the share of responses whose mean perception exceeds their mean expectation.

    Means are taken per response over the SERVQUAL dimensions answered on both sides;
    responses with no such dimension are left out. None when the survey has no pair.
    """
    s = data.table("survey")
    dims = _servqual_pairs(s)
    if not dims:
        return None
    perceived = s[[f"perception_{d}" for d in dims]].set_axis(dims, axis=1)
    expected = s[[f"expectation_{d}" for d in dims]].set_axis(dims, axis=1)
    both = perceived.notna() & expected.notna()
    p_mean, e_mean = perceived.where(both).mean(axis=1), expected.where(both).mean(axis=1)
    delighted = (p_mean > e_mean).where(both.any(axis=1))
    return _summarise(delighted, _column(s, "touchpoint"))


@indicator("top_box_csat", requires=SURVEY_CSAT, dimension="touchpoint")
def top_box_csat(data: ClientData) -> Measurement | None:
    """Measure the share of CSAT answers that are 5 (top box)."""
    s = data.table("survey")
    return _summarise((s["csat"] == 5).where(s["csat"].notna()), _column(s, "touchpoint"))


def _stage_order(stages: pd.Series, declared: list[str]) -> list[str]:
    """Return the stages present: declared ones in journey order, then others sorted."""
    present = set(stages.dropna())
    return [s for s in declared if s in present] + sorted(present - set(declared), key=str)


def satisfaction_grid(survey: pd.DataFrame, stages: list[str]) -> pd.DataFrame | None:
    """Return mean CSAT per touchpoint (or channel) and journey stage, for a heat map.

    Rows are touchpoints when at least one touchpoint is surveyed at two stages or more;
    when every touchpoint belongs to a single stage (the grid would be a diagonal) the rows
    are channels instead, so the map still compares like with like at each stage.

    Args:
        survey: responses with ``csat``, ``stage`` and ``touchpoint`` and/or ``channel``.
        stages: the client's declared journey stages, in order.

    Returns:
        A long frame: <touchpoint|channel>, stage, csat (mean), responses — stages in
        journey order and, within the first column, members in the order of the stage where
        they are first surveyed. None without a stage column or a usable row.
    """
    rows_by = [c for c in ("touchpoint", "channel") if c in survey.columns]
    if "stage" not in survey.columns or "csat" not in survey.columns or not rows_by:
        return None
    if rows_by[0] == "touchpoint" and len(rows_by) == 2:
        spans = survey.dropna(subset=["touchpoint", "stage"]).groupby("touchpoint")["stage"]
        if spans.nunique().max() < 2:
            rows_by = ["channel"]
    member = rows_by[0]
    s = survey.dropna(subset=[member, "stage", "csat"])
    if s.empty:
        return None
    order = _stage_order(s["stage"], stages)
    grid = s.groupby([member, "stage"])["csat"].agg(["mean", "size"]).reset_index()
    grid.columns = [member, "stage", "csat", "responses"]
    grid = grid.assign(_s=pd.Index(order).get_indexer(grid["stage"]))
    grid = grid.assign(_m=grid.groupby(member)["_s"].transform("min"))
    grid = grid.sort_values(["_m", member, "_s"], kind="stable").drop(columns=["_m", "_s"])
    return grid.astype({"responses": int}).reset_index(drop=True)


@indicator("csat_mean", requires=SURVEY_CSAT, dimension="touchpoint")
def csat_mean(data: ClientData) -> Measurement | None:
    """Measure the mean CSAT answer (1–5).

    ``detail`` is the touchpoint (or channel) × stage grid of ``satisfaction_grid`` when the
    survey records stages.
    """
    s = data.table("survey")
    m = _summarise(s["csat"], _column(s, "touchpoint"))
    if m is None:
        return None
    return replace(m, detail=satisfaction_grid(s, data.config.journey_stages))


@indicator("nps", requires={"survey": ("nps",)}, dimension="touchpoint")
def nps(data: ClientData) -> Measurement | None:
    """Measure the Net Promoter Score: % promoters (9–10) minus % detractors (0–6), in points.

    Each answer scores +100 (promoter), -100 (detractor) or 0 (passive); NPS is their mean.
    """
    s = data.table("survey")
    answer = s["nps"]
    score = (answer >= 9).astype(float) * 100 - (answer <= 6).astype(float) * 100
    m = _summarise(score.where(answer.notna()), _column(s, "touchpoint"))
    if m is None or "touchpoint" not in s.columns or not s["touchpoint"].notna().any():
        return m
    # promoter / passive / detractor shares per touchpoint, for the NPS mix chart
    mix = nps_by_segment(s, by="touchpoint")
    return replace(m, detail=mix[["touchpoint", "promoters", "passives", "detractors"]])


@indicator(
    "csat_spread_by_tier",
    dimension="tier",
    requires={"survey": ("customer_id", "csat"), "customers": ("customer_id", "tier")},
    by_direction="higher",
    by_unit="score",
)
def csat_spread_by_tier(data: ClientData) -> Measurement | None:
    """Measure the gap between the best and worst tier's mean CSAT (points).

    Responses are joined to ``customers.tier`` on customer_id; None with fewer than 2 tiers.
    """
    m = _summarise(data.table("survey")["csat"], _customer_attribute(data, "tier"))
    return _across(m, _spread, min_members=2)


@indicator(
    "segment_csat_min",
    dimension="segment",
    requires={"survey": ("customer_id", "csat"), "customers": ("customer_id", "segment")},
)
def segment_csat_min(data: ClientData) -> Measurement | None:
    """Measure the lowest mean CSAT of any customer segment (joined on customer_id)."""
    m = _summarise(data.table("survey")["csat"], _customer_attribute(data, "segment"))
    return _across(m, pd.Series.min)


@indicator(
    "channel_csat_consistency",
    requires={"survey": ("channel", "csat")},
    dimension="channel",
    by_direction="higher",
    by_unit="score",
)
def channel_csat_consistency(data: ClientData) -> Measurement | None:
    """Measure the gap between the best and worst channel's mean CSAT (None below 2 channels)."""
    s = data.table("survey")
    return _across(_summarise(s["csat"], s["channel"]), _spread, min_members=2)


@indicator(
    "touchpoint_csat_consistency",
    requires={"survey": ("touchpoint", "csat")},
    dimension="touchpoint",
    by_direction="higher",
    by_unit="score",
)
def touchpoint_csat_consistency(data: ClientData) -> Measurement | None:
    """Measure the gap between the best and worst touchpoint's mean CSAT (None below 2)."""
    s = data.table("survey")
    return _across(_summarise(s["csat"], s["touchpoint"]), _spread, min_members=2)


def _reached(
    journey: pd.DataFrame, stages: list[str], numbers: Numbers | None = None
) -> pd.DataFrame:
    """Return a customer x stage frame of booleans: has an event at that declared stage.

    One row per customer with an event at some stage, in id order. ``numbers``: the codes
    of the events' customer ids (``journeys.journey_numbers``); numbered here when omitted.
    """
    numbers = numbers or number(journey["customer_id"])
    events = (numbers.codes >= 0) & journey["stage"].notna().to_numpy()
    customers = held(numbers, events)
    codes = numbers.codes[events]
    reached = reached_stages(codes, len(numbers.ids), journey["stage"][events], stages)
    return pd.DataFrame(
        reached[customers],
        index=numbers.names(customers),
        columns=pd.Index(stages, name="stage"),
    )


@indicator(
    "cross_channel_journey_share",
    dimension="channel",
    requires={"journey": ("customer_id", "event_time", "channel")},
)
def cross_channel_journey_share(data: ClientData) -> Measurement | None:
    """Measure the share of customers whose journey events span at least 2 channels.

    Broken down by entry channel (the channel of the customer's first event).
    """
    j = data.table("journey")
    numbers = journey_numbers(data, j)
    entry = first_values(j, numbers)  # one row per customer, in id order
    customer, _, _ = channel_pairs(j, numbers)
    channels = np.bincount(customer, minlength=len(numbers.ids))[held(numbers)]
    multi = pd.Series(channels >= 2, index=entry.index, name="channel")
    m = _summarise(multi, entry)
    return None if m is None else replace(m, detail=channels_used(j, numbers))


def channels_used(journey: pd.DataFrame, numbers: Numbers | None = None) -> pd.DataFrame | None:
    """Return, per entry channel, the share of its customers whose journey used each channel.

    Args:
        journey: events with customer_id, event_time and channel.
        numbers: the codes of the events' customer ids (``journeys.journey_numbers``);
            numbered here when omitted.

    Returns:
        A long frame: entry_channel, channel, customers (of the entry channel who used the
        channel), share (of the entry channel's customers), entry_customers — sorted by
        entry channel and channel. The entry channel itself is always used (share 1).
        None when no event has a customer and a channel.
    """
    # on codes: each customer's channels and entry channel numbered, counted with bincount
    numbers = numbers or number(journey["customer_id"])
    customer, used, channels = channel_pairs(journey, numbers)
    if not len(customer):
        return None
    channel = pd.factorize(journey["channel"])[0]  # numbered as channel_pairs numbers them
    first = first_rows(journey, numbers, channel >= 0)  # a customer with a pair has one
    entry_of = channel[first]
    width = len(channels)
    counts = np.bincount(entry_of[customer] * width + used, minlength=width * width)
    with_pairs = np.flatnonzero(np.bincount(customer, minlength=len(numbers.ids)))
    sizes = np.bincount(entry_of[with_pairs], minlength=width)
    combos = np.flatnonzero(counts)
    first, then = np.divmod(combos, width)
    out = pd.DataFrame({
        "entry_channel": channels.take(first),
        "channel": channels.take(then),
        "customers": counts[combos],
        "share": counts[combos] / sizes[first],
        "entry_customers": sizes[first],
    })  # fmt: skip
    return out.sort_values(["entry_channel", "channel"]).reset_index(drop=True)


def purchase_stages(data: ClientData) -> list[str]:
    """Return the journey stages that make up the purchase funnel, in order.

    ``client.yaml`` purchase_stages when declared; otherwise the declared journey stages up
    to the conversion stage (the first whose events carry an order id, see
    ``conversion_stage``), or all of them when no event carries one. Later stages (delivery,
    review) are post-purchase: they are shown but never named the weakest purchase step.
    """
    if data.config.purchase_stages:
        return list(data.config.purchase_stages)
    stages = list(data.config.journey_stages)
    journey = data.table("journey")
    end = conversion_stage(stages, journey if journey is not None else pd.DataFrame())
    return stages[: stages.index(end) + 1] if end in stages else stages


@indicator(
    "worst_stage_conversion",
    dimension="stage",
    needs_config=("journey_stages",),
    requires={"journey": ("customer_id", "stage")},
)
def worst_stage_conversion(data: ClientData) -> Measurement | None:
    """Measure the weakest stage-to-stage conversion of the purchase funnel.

    Stages follow ``client.yaml`` journey_stages. A customer reaches a stage when they have an
    event at it. Conversion into stage k+1 = customers reaching both stage k and stage k+1 /
    customers reaching stage k (so it stays within 0–1 when customers skip or enter late).
    Only steps between purchase stages (``purchase_stages``) count: ``by`` is the conversion
    into each purchase stage after the first, ``by_n`` its denominator. ``detail`` is the
    whole journey (stage, customers reaching it, conversion into it, purchase: whether the
    stage belongs to the purchase funnel) in stage order. None with fewer than 2 purchase
    stages or no customer at a declared stage.
    """
    stages = data.config.journey_stages
    funnel_stages = purchase_stages(data)
    journey = data.table("journey")
    reached = _reached(journey, stages, journey_numbers(data, journey))
    reached = reached[reached.any(axis=1)]
    if len(funnel_stages) < 2 or reached.empty:
        return None
    prev = reached[stages[:-1]].to_numpy()
    both = prev & reached[stages[1:]].to_numpy()
    denominators = pd.Series(prev.sum(axis=0), index=pd.Index(stages[1:], name="stage"))
    conversion = (pd.Series(both.sum(axis=0), index=denominators.index) / denominators).where(
        denominators > 0
    )
    steps = conversion.index.isin(funnel_stages[1:])
    usable = conversion.notna() & steps
    if not usable.any():
        return None
    funnel = pd.DataFrame({"stage": stages, "customers": reached.sum().to_numpy()})
    funnel["conversion"] = conversion.reindex(stages).to_numpy()
    funnel["purchase"] = funnel["stage"].isin(funnel_stages).to_numpy()
    return Measurement(
        float(conversion[usable].min()),
        len(reached),
        conversion[usable].sort_index(),
        denominators[usable].sort_index(),
        funnel,
    )


@indicator(
    "journey_completion_rate",
    dimension="channel",
    needs_config=("journey_stages",),
    requires={"journey": ("customer_id", "event_time", "stage", "channel")},
)
def journey_completion_rate(data: ClientData) -> Measurement | None:
    """Measure the share of customers with journey events who reach the last purchase stage.

    The last stage of the purchase funnel (``purchase_stages``): a journey is complete when
    the customer bought, whether or not they later reviewed. Broken down by entry channel
    (the channel of the customer's first event).
    """
    j = data.table("journey")
    numbers = journey_numbers(data, j)
    entry = first_values(j, numbers)  # one row per customer, in id order
    last = (j["stage"] == purchase_stages(data)[-1]).to_numpy(dtype=bool, na_value=False)
    done = np.zeros(len(numbers.ids), dtype=bool)
    done[numbers.codes[last & (numbers.codes >= 0)]] = True
    completed = pd.Series(done[held(numbers)], index=entry.index, name="stage")
    return _summarise(completed, entry)


@indicator("tracked_progress_share", requires={"journey": ("tracked",)}, dimension="stage")
def tracked_progress_share(data: ClientData) -> Measurement | None:
    """Measure the share of journey events whose progress is tracked (``tracked`` true).

    ``detail`` lists the stages in journey order (declared stages first): stage, events,
    tracked (share of the stage's events that are tracked).
    """
    j = data.table("journey")
    m = _summarise(j["tracked"], _column(j, "stage"))
    if m is None or m.by is None:
        return m
    order = _stage_order(m.by.index.to_series(), data.config.journey_stages)
    detail = pd.DataFrame(
        {"stage": order, "events": m.by_n[order].to_numpy(), "tracked": m.by[order].to_numpy()}
    )
    return replace(m, detail=detail)
