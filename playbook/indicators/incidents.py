"""Incidents: weeks in which a purchase step converted far below its normal range.

A 90-day total averages a three-week outage away. Here each step of the purchase funnel
(``experience.purchase_stages``) is followed week by week, per session when the journey
records sessions, else per customer and week: of the units that reached the step's first
stage, the share that reached its second. Weeks are counted from the start of the analysis
period (week 0 starts on its first day) and reach back ``IncidentOptions.weeks_back`` weeks
into the client's history, which sets the step's normal level.

A week of the analysis period is flagged when its conversion falls below the step's median
week by more than ``z`` robust standard deviations (1.4826 x the median absolute deviation),
by at least ``min_drop``, and by more than ``z`` binomial standard errors at the week's
volume (so a thin week is not flagged for noise). Only drops are flagged: a week above the
normal range is not an incident. The conversions lost in a flagged week are (median - rate)
x the units that reached the step's first stage.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa

from playbook.data.model import ClientData, time_slice
from playbook.indicators.aggregate import reached_stages
from playbook.indicators.experience import purchase_stages
from playbook.indicators.registry import Incident, Measurement, indicator

WEEK = pd.Timedelta(days=7)


@dataclass(frozen=True)
class IncidentOptions:
    """When a week counts as an incident.

    Attributes:
        weeks_back: Weeks of history before the period that set the normal level.
        min_units: Fewest units at a step's first stage for a week to be judged.
        min_weeks: Fewest judged weeks for a step to have a normal level at all.
        z: How many robust (and binomial) standard deviations below the median flag a week.
        min_drop: Smallest drop below the median that flags a week (0.05 = 5 points).
        normal_quantiles: The quantiles of the unflagged weeks shown as the normal range.
    """

    weeks_back: int = 52
    min_units: int = 20
    min_weeks: int = 6
    z: float = 3.0
    min_drop: float = 0.05
    normal_quantiles: tuple[float, float] = (0.1, 0.9)


def journey_units(journey: pd.DataFrame, stages: list[str], start: pd.Timestamp) -> pd.DataFrame:
    """Return one row per journey unit: its week, entry channel and the stages it reached.

    A unit is a session when events carry a ``session_id``, else a customer's events in one
    week. ``week`` counts whole weeks from ``start`` (negative before it), taken at the
    unit's first event; ``channel`` is the channel of that event. One boolean column per
    declared stage says whether the unit has an event at it. Sessions come in the order
    they first appear in the rows; customer-weeks by customer, then week. ``channel`` keeps
    the journey's text type (Arrow text is not turned into millions of Python strings).
    """
    # the window holds millions of events: only the columns read, of the rows kept, are
    # read (no copy of the whole window), and weeks and channels of the first events only
    keep = (journey["event_time"].notna() & journey["stage"].notna()).to_numpy()
    sessions = "session_id" in journey.columns and bool(
        (keep & journey["session_id"].notna().to_numpy()).any()
    )
    keep = keep & journey["session_id" if sessions else "customer_id"].notna().to_numpy()
    times = journey["event_time"].to_numpy()[keep]
    if sessions:
        # factorized as it is held (Arrow text): not as Python strings, ten times slower;
        # numbered as they appear (sorting millions of distinct ids doubled the time). The
        # hash table of those ids is Arrow memory its pool would keep (~0.9 GB at 10M
        # orders, on top of everything measured after): handed back to the system at once
        unit, ids = pd.factorize(journey["session_id"][keep])
        del ids
        pa.default_memory_pool().release_unused()
    else:
        customer, _ = pd.factorize(journey["customer_id"][keep], sort=True)
        wk = _weeks(journey["event_time"][keep], start)
        unit, _ = pd.factorize(
            customer * (int(wk.max() - wk.min()) + 1) + (wk - wk.min()), sort=True
        )
    rows = np.flatnonzero(keep)[_first_events(unit, times)]
    units = pd.DataFrame(
        {
            "week": _weeks(journey["event_time"].iloc[rows], start),
            "channel": journey["channel"].iloc[rows].array,
        },
        index=pd.RangeIndex(len(rows)),
    )
    reached = reached_stages(unit, len(rows), journey["stage"][keep], stages)
    return units.join(pd.DataFrame(reached, columns=stages))


def _weeks(times: pd.Series, start: pd.Timestamp) -> np.ndarray:
    """Return whole weeks from ``start`` (negative before it) of each time."""
    return ((times - start) // WEEK).astype(int).to_numpy()


def _first_events(unit: np.ndarray, times: np.ndarray) -> np.ndarray:
    """Return each unit's first event (earliest time; ties: the first), in unit order.

    ``unit`` numbers the events' units 0 .. units - 1 (every number used). Events in time
    order (as validation keeps tables) need no sort: a unit's first event is its first row.
    """
    if len(unit) and bool((times[1:] >= times[:-1]).all()):
        first = np.full(int(unit.max()) + 1, len(unit), dtype=np.int64)
        np.minimum.at(first, unit, np.arange(len(unit)))
        return first
    order = np.lexsort((times, unit))
    sorted_units = unit[order]
    return order[np.r_[True, sorted_units[1:] != sorted_units[:-1]]]


def step_weeks(units: pd.DataFrame, first: str, second: str) -> pd.DataFrame:
    """Return a step's weekly funnel: week, units (reached ``first``), conversions, rate."""
    at = units[units[first]]
    grouped = at.groupby("week", sort=True)[second]
    weekly = pd.DataFrame({"units": grouped.size(), "conversions": grouped.sum().astype(int)})
    weekly["rate"] = weekly["conversions"] / weekly["units"]
    return weekly.reset_index()


def _flag(weekly: pd.DataFrame, o: IncidentOptions) -> tuple[pd.DataFrame, float] | None:
    """Mark judged and flagged weeks; return them with the median rate (None: too few weeks)."""
    judged = weekly["units"] >= o.min_units
    if judged.sum() < o.min_weeks:
        return None
    rates = weekly.loc[judged, "rate"]
    median = float(rates.median())
    spread = 1.4826 * float((rates - median).abs().median())
    drop = median - weekly["rate"]
    noise = o.z * np.sqrt(median * (1 - median) / weekly["units"])
    flagged = (
        judged & (weekly["week"] >= 0) & (drop > max(o.z * spread, o.min_drop)) & (drop > noise)
    )
    return weekly.assign(judged=judged, flagged=flagged), median


def _channel_most_affected(at: pd.DataFrame, second: str, weeks: pd.DataFrame) -> str | None:
    """Return the channel that lost most conversions in the flagged weeks (against its norm)."""
    flagged = at["week"].isin(weeks.loc[weeks["flagged"], "week"])
    normal = at["week"].isin(weeks.loc[weeks["judged"] & ~weeks["flagged"], "week"])
    usual = at[normal].groupby("channel")[second].mean()
    hit = at[flagged].groupby("channel")[second].agg(["mean", "size"])
    lost = ((usual.reindex(hit.index) - hit["mean"]) * hit["size"]).dropna()
    return None if lost.empty or lost.max() <= 0 else str(lost.idxmax())


def step_incidents(
    units: pd.DataFrame,
    stages: list[str],
    start: pd.Timestamp,
    options: IncidentOptions | None = None,
) -> tuple[pd.DataFrame, list[Incident]]:
    """Follow each step of ``stages`` week by week and find its incident weeks.

    Args:
        units: ``journey_units`` of the period and the weeks before it.
        stages: the purchase funnel, in order.
        start: the period's first day (week 0 starts on it).
        options: when a week is flagged (default ``IncidentOptions()``).

    Returns:
        The weekly frame of every step that has a normal level — step, first, second,
        week, week_start, units, conversions, rate, judged, flagged, normal_low,
        normal_high, median, current — and one ``Incident`` per step with flagged weeks,
        the most conversions lost first.
    """
    o = options or IncidentOptions()
    frames, incidents = [], []
    for first, second in zip(stages[:-1], stages[1:], strict=False):
        weekly = step_weeks(units, first, second)
        found = _flag(weekly, o)
        if found is None:
            continue
        weeks, median = found
        normal = weeks.loc[weeks["judged"] & ~weeks["flagged"], "rate"]
        low, high = (float(normal.quantile(q)) for q in o.normal_quantiles)
        weeks = weeks.assign(
            step=f"{first} → {second}",
            first=first,
            second=second,
            week_start=start + weeks["week"] * WEEK,
            normal_low=low,
            normal_high=high,
            median=median,
            current=weeks["week"] >= 0,
        )
        frames.append(weeks)
        hit = weeks[weeks["flagged"]]
        if hit.empty:
            continue
        lost = float(((median - hit["rate"]) * hit["units"]).sum())
        current = weeks[weeks["current"]]
        incidents.append(
            Incident(
                step=(first, second),
                weeks=tuple(hit["week_start"]),
                rate=float(hit["conversions"].sum() / hit["units"].sum()),
                normal=(low, high),
                channel=_channel_most_affected(units[units[first]], second, weeks),
                lost=lost,
                share=lost / (float(current["conversions"].sum()) + lost),
            )
        )
    detail = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    return detail, sorted(incidents, key=lambda i: -i.lost)


@indicator(
    "incident_conversion_loss",
    dimension="step",
    needs_config=("journey_stages",),
    requires={"journey": ("customer_id", "event_time", "stage", "channel")},
)
def incident_conversion_loss(data: ClientData) -> Measurement | None:
    """Measure the share of a purchase step's conversions lost in its incident weeks.

    Value: for the step that lost most, conversions lost / (conversions made + lost) over
    the period; 0 when no week is flagged. ``by`` holds the same share per step (``by_n``:
    the units that reached the step's first stage in the period), ``detail`` the weekly
    frame of ``step_incidents`` and ``incidents`` what a finding reports. None without a
    period, two purchase stages, or enough judged weeks for any step.
    """
    if data.window is None:
        return None
    start, end = data.window
    stages = purchase_stages(data)
    history = data.history("journey")
    if len(stages) < 2 or history is None:
        return None
    recent = time_slice(history, "event_time", start - IncidentOptions().weeks_back * WEEK, None)
    units = journey_units(recent, stages, start)
    detail, incidents = step_incidents(units, stages, start)
    if detail.empty:
        return None
    current = detail[detail["current"]]
    totals = current.groupby("step", sort=True)[["units", "conversions"]].sum()
    lost = pd.Series({i.step_name: i.lost for i in incidents}, dtype=float)
    lost = lost.reindex(totals.index, fill_value=0.0)
    share = (lost / (totals["conversions"] + lost)).fillna(0.0).rename_axis("step")
    return Measurement(
        float(share.max()),
        int(totals["units"].sum()),
        share,
        totals["units"].astype(int).rename_axis("step"),
        detail,
        incidents=tuple(incidents),
    )
