"""Aggregation helpers shared by indicator modules: shares by dimension, per-customer facts.

Every helper is vectorised (groupby/merge), so indicators stay fast on millions of orders.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from pandas.api.extensions import take

from playbook.analytics.by_code import ByCode
from playbook.data.model import ClientData
from playbook.data.numbering import Numbers, as_rows_of, number, rows_of, whole_numbers
from playbook.indicators.registry import Measurement

T = TypeVar("T")


def usable(data: ClientData, table: str, *columns: str) -> pd.DataFrame:
    """Return the rows of a table that have a value in every one of ``columns``.

    Args:
        data: the client's data.
        table: table name, e.g. "orders".
        columns: columns the indicator reads; rows missing any of them are dropped.

    Returns:
        The usable rows (an empty frame when the table or a column is absent).
    """
    df = data.table(table)
    if df is None or any(c not in df.columns for c in columns):
        return pd.DataFrame(columns=list(columns))
    return df.dropna(subset=list(columns))


def by_time(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    """Return rows in time order (stable), as ``sort_values`` would: as they are when in order.

    Client tables are kept in time order (``data.validation``), so this usually copies
    nothing.
    """
    if frame[column].is_monotonic_increasing:
        return frame
    return frame.sort_values(column, kind="stable")


def ratio_by(
    num: pd.Series, den: pd.Series | None = None, dim: pd.Series | None = None
) -> Measurement | None:
    """Measure sum(num) / sum(den) overall and per member of ``dim``.

    With ``den`` omitted each row weighs 1, so a boolean ``num`` gives the share of rows
    flagged. Members whose denominator sums to zero are left out of the breakdown.

    Args:
        num: numerator per row (bool or number).
        den: denominator per row, aligned with ``num``; 1 per row when omitted.
        dim: dimension member per row, aligned with ``num``; no breakdown when omitted.

    Returns:
        The measurement (n = rows), or None when there are no rows or the denominator is 0.
    """
    num = num.astype(float)
    den = pd.Series(1.0, index=num.index) if den is None else den.astype(float)
    total = den.sum()
    if num.empty or total == 0:
        return None
    by = by_n = None
    if dim is not None:
        rows = pd.DataFrame({"num": num, "den": den, "dim": dim}).dropna(subset=["dim"])
        # a categorical's own codes grouped as they are: observed=True numbers them again
        # (a hash of every row); its members without rows sum to 0 and are left out below
        observed = not isinstance(rows["dim"].dtype, pd.CategoricalDtype)
        groups = rows.groupby("dim", sort=True, observed=observed)
        sums, sizes = groups[["num", "den"]].sum(), groups.size()
        keep = sums["den"] != 0
        by = (sums["num"] / sums["den"])[keep].rename_axis(dim.name)
        by_n = sizes[keep].astype(int).rename_axis(dim.name)
    return Measurement(float(num.sum() / total), int(len(num)), by, by_n)


def among(values: pd.Series, chosen: pd.Index | pd.Series | set | list) -> pd.Series:
    """Tell, row by row, whether a value is one of ``chosen`` (as ``Series.isin``).

    Text held by Arrow is looked up by Arrow: pandas' own ``isin`` turns every value into a
    Python string first, about six times slower on ten million customer ids.
    """
    dtype = values.dtype
    if not _arrow_text(dtype):
        return values.isin(chosen)
    wanted = _arrow(pd.Series(list(chosen) if isinstance(chosen, set) else chosen, dtype=dtype))
    found = pc.is_in(pa.array(values), value_set=wanted)
    return pd.Series(found.to_numpy(zero_copy_only=False), index=values.index, name=values.name)


def per_customer(
    orders: pd.DataFrame, column: str | None = None, numbers: Numbers | None = None
) -> pd.Series:
    """Count, per customer, their orders (``column`` None) or distinct values of ``column``.

    ``numbers``: the customer ids' codes (``data.numbering.numbered``), grouped instead of
    the id text; the result is the same, indexed by customer_id in id order.
    """
    if numbers is None:
        grouped = orders.groupby("customer_id", sort=True)
        return grouped.size() if column is None else grouped[column].nunique()
    groups = ByCode(numbers)  # by code: groups held, in code order, as the groupby gives
    if column is None:
        return pd.Series(groups.counts(), index=groups.index())
    values, names = pd.factorize(orders[column])
    table = groups.table(values, len(names))
    if table is not None:
        distinct = (table > 0).sum(axis=1).astype(np.int64)
        return pd.Series(distinct, index=groups.index(), name=column)
    known = numbers.codes >= 0
    grouped = orders[known].groupby(numbers.codes[known], sort=True)
    counts = grouped.size() if column is None else grouped[column].nunique()
    return counts.set_axis(numbers.names(counts.index))


def main_value(
    orders: pd.DataFrame, column: str = "channel", numbers: Numbers | None = None
) -> pd.Series:
    """Return each customer's most frequent value of ``column`` (ties: first alphabetically).

    Args:
        orders: orders with ``customer_id`` and ``column``.
        column: e.g. "channel" for the customer's most-used channel.
        numbers: the customer ids' codes (``data.numbering.numbered``); numbered here when
            omitted.

    Returns:
        A Series indexed by customer_id, sorted.
    """
    # on integer codes (ids and values each numbered in sorted order): counting and sorting
    # millions of (customer, value) pairs of text is what made this slow
    numbers = numbers or number(orders["customer_id"])
    ids, id_names = numbers.codes, numbers.ids
    values, value_names = pd.factorize(orders[column], sort=True)
    groups = ByCode(numbers)
    table = groups.table(values, len(value_names))
    if table is not None:  # counts per customer and value: the first most frequent value
        has = table.any(axis=1)  # a customer with a value
        index = pd.Index(id_names.take(groups.held[has]), name="customer_id")
        best = table[has].argmax(axis=1)
        return pd.Series(value_names.take(best), index=index, name=column)
    known = (ids >= 0) & (values >= 0)
    pairs, k = np.unique(
        ids[known].astype(np.int64) * len(value_names) + values[known], return_counts=True
    )
    who, what = np.divmod(pairs, len(value_names))
    best = np.lexsort((what, -k, who))  # by customer, most orders first, then alphabetical
    first = best[np.r_[True, who[best][1:] != who[best][:-1]]]
    index = pd.Index(id_names.take(who[first]), name="customer_id")
    return pd.Series(value_names.take(what[first]), index=index, name=column)


def with_customer(
    data: ClientData, frame: pd.DataFrame, column: str, numbers: Numbers | None = None
) -> pd.DataFrame:
    """Join a customer attribute (e.g. tier) onto rows by customer_id.

    Rows whose customer is unknown or has no value for ``column`` are dropped. ``numbers``:
    the codes of the rows' customer ids (e.g. ``Numbers.present`` of the orders' codes for
    one row per customer), looked up instead of the ids; found for rows of the orders table.
    """
    if column in frame.columns:  # a column of the same name: the join names both apart
        customers = usable(data, "customers", "customer_id", column)[["customer_id", column]]
        customers = customers.drop_duplicates("customer_id")
        return frame.merge(customers, on="customer_id", how="inner", validate="many_to_one")
    # each row's customer looked up by position (by Arrow for Arrow text): what the inner
    # join gave, in the rows' order, without a join of millions of rows of text; rows of
    # the orders table look their customer up by the code of their id (each id once, for
    # every period and attribute)
    customers = data.table("customers")
    first = first_customers(data, ("customer_id", column))
    numbers = numbers or as_rows_of(data, frame)
    if numbers is None:
        at = _look_up(first, _keys_of(data, frame["customer_id"]))
    else:
        at = _look_up(_look_up(first, _id_keys(data, numbers)), numbers.codes)
    found = at >= 0
    rows = frame[found].reset_index(drop=True)
    return rows.assign(**{column: customers[column].array.take(at[found])})


def customer_values(
    data: ClientData, table: str, column: str, having: tuple[str, ...] = ()
) -> pd.Series:
    """Return, for each row of ``table``, its customer's ``column`` (NaN: no such customer).

    As ``rows["customer_id"].map(lookup)``, where ``lookup`` is the customers table's first
    row per customer among those with a value in every ``having`` column, indexed by
    customer_id. Arrow text is looked up by Arrow (a ``map`` hashes millions of ids as
    Python strings each time), the rows' customers once per period.
    """
    ids = data.table(table)["customer_id"]
    customers = data.table("customers")
    if not (_arrow_text(ids.dtype) and ids.dtype == customers["customer_id"].dtype):
        kept = customers.dropna(subset=list(having)) if having else customers
        return ids.map(kept.drop_duplicates("customer_id").set_index("customer_id")[column])
    key = data.shared(f"aggregate.customer_key.{table}", lambda: _row_keys(data, table, ids))
    rows = _look_up(first_customers(data, having), key)
    return pd.Series(take(customers[column].array, rows, allow_fill=True), ids.index, name=ids.name)


def customer_keys(data: ClientData) -> tuple[np.ndarray, pd.Series]:
    """Return each customers row's key (-1: no id) and the distinct ids, one per key.

    Distinct ids (as validation keeps them) are their own rows' keys: the ids are then the
    customers table's own column, nothing copied. Made once for every period
    (``customers_once``).
    """

    def make() -> tuple[np.ndarray, pd.Series]:
        ids = data.table("customers")["customer_id"]
        codes, distinct = pd.factorize(ids)
        if len(distinct) == len(ids):  # every row its own id, none missing
            return np.arange(len(ids), dtype=np.int32), ids
        return codes.astype(np.int32), pd.Series(distinct, dtype=ids.dtype, name=ids.name)

    return customers_once(data, "aggregate.customer_keys", make)


def _id_keys(data: ClientData, numbers: Numbers) -> np.ndarray:
    """Return the customer key of each of ``numbers.ids`` (once for every period and
    attribute when they are the orders table's ids)."""
    ids = pd.Series(numbers.ids)
    if numbers.ids is not whole_numbers(data).ids:
        return _keys_of(data, ids)
    return customers_once(data, "aggregate.customer_key.orders", lambda: _keys_of(data, ids))


def _row_keys(data: ClientData, table: str, ids: pd.Series) -> np.ndarray:
    """Return the customer key of each id of a table's rows (``_keys_of``).

    Rows of the unsliced table (a period's, say) take theirs from the whole table's keys,
    found once for every period: each look-up hashes every customer id again.
    """
    whole = (data.whole or data).table(table)
    rows = None if whole is None else rows_of(whole, ids.to_frame(), "customer_id")
    if rows is None:
        return _keys_of(data, ids)
    every = customers_once(
        data, f"aggregate.customer_key.{table}.whole", lambda: _keys_of(data, whole["customer_id"])
    )
    return every[rows]


def _keys_of(data: ClientData, ids: pd.Series) -> np.ndarray:
    """Return the customer key (``customer_keys``) of each id, -1 where no customer has it."""
    return _positions(ids, customer_keys(data)[1]).astype(np.int32)


def first_customers(data: ClientData, having: tuple[str, ...] = ()) -> np.ndarray:
    """Return, per customer key (``customer_keys``), the row of its first row with ``having``.

    The first row with a value in every ``having`` column, as the rows
    ``customers.dropna(subset=having).drop_duplicates("customer_id")`` keeps; -1 for a key
    without such a row. Found once for every period (``customers_once``).
    """

    def make() -> np.ndarray:
        customers = data.table("customers")
        keys, distinct = customer_keys(data)
        rows = np.arange(len(customers), dtype=np.int32)
        if having:
            rows = rows[customers[list(having)].notna().all(axis=1).to_numpy()]
        rows = rows[keys[rows] >= 0]
        found, first = np.unique(keys[rows], return_index=True)
        out = np.full(len(distinct), -1, dtype=np.int32)  # tables hold < 2**31 rows
        out[found] = rows[first]
        return out

    return customers_once(data, f"aggregate.first_customers.{having}", make)


def _look_up(table: np.ndarray, at: np.ndarray) -> np.ndarray:
    """Return ``table[at]``, -1 where ``at`` is -1."""
    out = np.full(len(at), -1, dtype=np.int64)
    known = at >= 0
    out[known] = table[at[known]]
    return out


def customers_once(data: ClientData, key: str, make: Callable[[], T]) -> T:
    """Return ``make()`` made once for the unsliced data, when this period's customers are its.

    For what depends on the customers table alone (and on the numbering of the whole orders
    table, also the unsliced data's): every period shares it. Otherwise made for this data.
    """
    whole = data.whole or data
    if whole.table("customers") is not data.table("customers"):
        return data.shared(key, make)
    return whole.shared(key, make)


def _positions(values: pd.Series, keys: pd.Series) -> np.ndarray:
    """Return where each value is among unique ``keys`` (-1 where it is not)."""
    if _arrow_text(values.dtype):
        where = pc.index_in(pa.array(values), value_set=_arrow(keys.astype(values.dtype)))
        return where.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)
    return pd.Index(keys).get_indexer(values).astype(np.int64)


def _arrow_text(dtype: object) -> bool:
    return isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow"


def _arrow(values: pd.Series) -> pa.Array:
    array = pa.array(values)
    return array.combine_chunks() if isinstance(array, pa.ChunkedArray) else array


def reached_stages(unit: np.ndarray, units: int, stage: pd.Series, stages: list[str]) -> np.ndarray:
    """Return a units x stages matrix: True where a unit has an event at that stage.

    Args:
        unit: each event's unit number (0 .. units - 1).
        units: how many units there are.
        stage: each event's stage, aligned with ``unit``; stages not in ``stages`` are
            ignored.
        stages: the declared stages, one column each, in this order.
    """
    # each distinct stage looked up once (millions of events hold a handful of stages)
    codes, names = pd.factorize(stage)
    column = np.append(pd.Index(stages).get_indexer(names), -1)[codes]  # -1: none or undeclared
    known = column >= 0
    reached = np.zeros((units, len(stages)), dtype=bool)
    reached[unit[known], column[known]] = True
    return reached
