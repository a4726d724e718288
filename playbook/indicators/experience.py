"""Survey- and journey-based indicators: SERVQUAL gaps, CSAT, NPS, funnel and journeys.

Every indicator here reduces to "a value per row (response or customer), averaged overall
and per member of a dimension": a share is the mean of a 0/1 value, NPS the mean of
+100/0/-100 per answer. ``_summarise`` does that once; spreads and minima across members
are taken from its breakdown with ``_across``.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from playbook.contract import SERVQUAL
from playbook.data import ClientData
from playbook.indicators.registry import Measurement, indicator

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
    customers = data.table("customers").drop_duplicates("customer_id")
    return data.table("survey")["customer_id"].map(customers.set_index("customer_id")[column])


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


@indicator("csat_mean", requires=SURVEY_CSAT, dimension="touchpoint")
def csat_mean(data: ClientData) -> Measurement | None:
    """Measure the mean CSAT answer (1–5)."""
    s = data.table("survey")
    return _summarise(s["csat"], _column(s, "touchpoint"))


@indicator("nps", requires={"survey": ("nps",)}, dimension="touchpoint")
def nps(data: ClientData) -> Measurement | None:
    """Measure the Net Promoter Score: % promoters (9–10) minus % detractors (0–6), in points.

    Each answer scores +100 (promoter), -100 (detractor) or 0 (passive); NPS is their mean.
    """
    s = data.table("survey")
    answer = s["nps"]
    score = (answer >= 9).astype(float) * 100 - (answer <= 6).astype(float) * 100
    return _summarise(score.where(answer.notna()), _column(s, "touchpoint"))


@indicator(
    "csat_spread_by_tier",
    dimension="tier",
    requires={"survey": ("customer_id", "csat"), "customers": ("customer_id", "tier")},
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
    "channel_csat_consistency", requires={"survey": ("channel", "csat")}, dimension="channel"
)
def channel_csat_consistency(data: ClientData) -> Measurement | None:
    """Measure the gap between the best and worst channel's mean CSAT (None below 2 channels)."""
    s = data.table("survey")
    return _across(_summarise(s["csat"], s["channel"]), _spread, min_members=2)


@indicator(
    "touchpoint_csat_consistency",
    requires={"survey": ("touchpoint", "csat")},
    dimension="touchpoint",
)
def touchpoint_csat_consistency(data: ClientData) -> Measurement | None:
    """Measure the gap between the best and worst touchpoint's mean CSAT (None below 2)."""
    s = data.table("survey")
    return _across(_summarise(s["csat"], s["touchpoint"]), _spread, min_members=2)


def _entry_channel(journey: pd.DataFrame) -> pd.Series:
    """Return each customer's entry channel: the channel of their first journey event."""
    first_events = journey.sort_values("event_time", kind="stable")
    return first_events.groupby("customer_id")["channel"].first()


def _reached(journey: pd.DataFrame, stages: list[str]) -> pd.DataFrame:
    """Return a customer x stage frame of booleans: has an event at that declared stage."""
    events = journey.dropna(subset=["customer_id", "stage"])
    return (pd.crosstab(events["customer_id"], events["stage"]) > 0).reindex(
        columns=stages, fill_value=False
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
    multi = j.groupby("customer_id")["channel"].nunique() >= 2
    return _summarise(multi, _entry_channel(j))


@indicator(
    "worst_stage_conversion",
    dimension="stage",
    needs_config=("journey_stages",),
    requires={"journey": ("customer_id", "stage")},
)
def worst_stage_conversion(data: ClientData) -> Measurement | None:
    """Measure the weakest stage-to-stage conversion of the journey funnel.

    Stages follow ``client.yaml`` journey_stages. A customer reaches a stage when they have an
    event at it. Conversion into stage k+1 = customers reaching both stage k and stage k+1 /
    customers reaching stage k (so it stays within 0–1 when customers skip or enter late).
    ``by`` is the conversion into each stage after the first, ``by_n`` its denominator;
    ``detail`` is the funnel (stage, customers reaching it, conversion into it) in stage order.
    None with fewer than 2 declared stages or no customer at a declared stage.
    """
    stages = data.config.journey_stages
    reached = _reached(data.table("journey"), stages)
    reached = reached[reached.any(axis=1)]
    if len(stages) < 2 or reached.empty:
        return None
    prev = reached[stages[:-1]].to_numpy()
    both = prev & reached[stages[1:]].to_numpy()
    denominators = pd.Series(prev.sum(axis=0), index=pd.Index(stages[1:], name="stage"))
    conversion = (pd.Series(both.sum(axis=0), index=denominators.index) / denominators).where(
        denominators > 0
    )
    if conversion.isna().all():
        return None
    funnel = pd.DataFrame({"stage": stages, "customers": reached.sum().to_numpy()})
    funnel["conversion"] = conversion.reindex(stages).to_numpy()
    usable = conversion.notna()
    return Measurement(
        float(conversion.min()),
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
    """Measure the share of customers with journey events who reach the last declared stage.

    Broken down by entry channel (the channel of the customer's first event).
    """
    j = data.table("journey").dropna(subset=["customer_id"])
    completed = (j["stage"] == data.config.journey_stages[-1]).groupby(j["customer_id"]).any()
    return _summarise(completed, _entry_channel(j))


@indicator("tracked_progress_share", requires={"journey": ("tracked",)}, dimension="stage")
def tracked_progress_share(data: ClientData) -> Measurement | None:
    """Measure the share of journey events whose progress is tracked (``tracked`` true)."""
    j = data.table("journey")
    return _summarise(j["tracked"], _column(j, "stage"))
