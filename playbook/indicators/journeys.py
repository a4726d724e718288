"""Journey customers on integer codes: the journey's customer ids numbered once, grouped by code.

The journey indicators (entry channel, channels used, stages reached, completion, paths)
each grouped millions of events by their text customer id, hashing the text every time. The
journey table's ids are numbered once (``data.numbering``: the unsliced table's numbering in
sorted order, whose codes a period's rows reuse); per-customer facts are then arrays indexed
by code. The customers held (``held``) are the codes some event has, in code order: the
groups, in their order, that grouping the events by id gave.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from pandas.api.extensions import take

from playbook.data.model import ClientData
from playbook.data.numbering import Numbers, numbered


def journey_numbers(data: ClientData, journey: pd.DataFrame) -> Numbers:
    """Return the codes of the journey events' customer ids (the table's, numbered once).

    ``journey`` is the period's journey table or rows of it (``numbering.numbered``).
    """
    return numbered(data, journey, "journey", "customer_id")


def held(numbers: Numbers, rows: np.ndarray | None = None) -> np.ndarray:
    """Return the codes some row (of ``rows``, a boolean mask) holds, each once, in order."""
    codes = numbers.codes if rows is None else numbers.codes[rows]
    return np.flatnonzero(np.bincount(codes[codes >= 0], minlength=len(numbers.ids)))


def first_values(journey: pd.DataFrame, numbers: Numbers, column: str = "channel") -> pd.Series:
    """Return each customer's first ``column`` value in time order, as ``groupby.first``.

    As ``by_time(journey, "event_time").groupby("customer_id")[column].first()``: missing
    values are skipped (a customer with none gets a missing value); every customer with an
    event is there, indexed by customer_id in id order.

    Args:
        journey: events with ``event_time`` and ``column``.
        numbers: the codes of the events' customer ids (``journey_numbers``).
        column: e.g. "channel" for the entry channel.
    """
    values = journey[column]
    rows = first_rows(journey, numbers, values.notna().to_numpy())[held(numbers)]
    index = numbers.names(held(numbers))
    return pd.Series(take(values.array, rows, allow_fill=True), index=index, name=column)


def first_rows(journey: pd.DataFrame, numbers: Numbers, rows: np.ndarray) -> np.ndarray:
    """Return, per customer code, the position of its first event in time order among ``rows``.

    ``rows`` is a boolean mask of the events to consider; time order is ``by_time``'s
    (stable, events without a time last). -1 for a code without such an event.
    """
    order = _time_order(journey["event_time"])
    rank = np.arange(len(journey)) if order is None else _inverse(order)
    known = (numbers.codes >= 0) & rows
    none = len(journey)
    first = np.full(len(numbers.ids), none, dtype=np.int64)
    np.minimum.at(first, numbers.codes[known], rank[known])
    found = first < none
    first[~found] = -1
    if order is not None:
        first[found] = order[first[found]]
    return first


def channel_pairs(
    journey: pd.DataFrame, numbers: Numbers
) -> tuple[np.ndarray, np.ndarray, pd.Index]:
    """Return the distinct (customer code, channel number) pairs of the events, and the channels.

    ``channels.take(number)`` is the channel (of the journey's type); events without a
    customer or a channel are left out. The pairs come in no particular order.
    """
    channel, channels = pd.factorize(journey["channel"])
    known = (numbers.codes >= 0) & (channel >= 0)
    width = max(len(channels), 1)
    pairs = pd.unique(numbers.codes[known].astype(np.int64) * width + channel[known])
    customer, used = np.divmod(pairs, width)
    return customer, used, channels


def _time_order(times: pd.Series) -> np.ndarray | None:
    """Return the rows' positions in time order (stable, no time last), None when in order."""
    if times.is_monotonic_increasing:
        return None
    return times.reset_index(drop=True).sort_values(kind="stable").index.to_numpy()


def _inverse(order: np.ndarray) -> np.ndarray:
    """Return each position's place in ``order`` (a permutation)."""
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    return rank
