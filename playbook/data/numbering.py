"""Customer ids numbered once per table: integer codes that group like the ids themselves.

Grouping millions of orders by their text customer id numbers the ids again every time
(hashing and sorting the text is most of the cost). A table's ids are numbered once, in
sorted order (``Numbers``), and kept with the unsliced data (``ClientData.shared``); the
rows of a period, or of any cut of the table that kept the table's row labels, reuse their
codes. Codes sort as the ids do, so grouping by code gives the groups, and the group order,
that grouping by id gave.
"""

from __future__ import annotations

from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import pandas as pd

from playbook.data.model import ClientData


@dataclass(frozen=True)
class Numbers:
    """Integer codes of a column's values: row ``i`` holds ``ids[codes[i]]`` (-1: no value).

    ``ids`` are distinct and sorted, so codes compare as the values do. They may hold values
    no row of the numbered frame has (the whole table's ids for a cut of it).
    """

    codes: np.ndarray
    ids: pd.Index

    def names(self, codes: np.ndarray | pd.Index, name: str = "customer_id") -> pd.Index:
        """Return the values that ``codes`` (all >= 0) stand for, as an Index named ``name``."""
        return pd.Index(self.ids.take(np.asarray(codes)), name=name)

    def present(self) -> Numbers:
        """Return the codes some row holds, each once, in order: one row per value held.

        The groups, in their order, that grouping the rows by code gives (``per_customer``).
        """
        known = self.codes >= 0
        held = np.bincount(self.codes[known], minlength=len(self.ids))
        return Numbers(np.flatnonzero(held).astype(self.codes.dtype), self.ids)


def number(values: pd.Series) -> Numbers:
    """Number a column's values in sorted order (as ``pd.factorize(values, sort=True)``)."""
    codes, ids = pd.factorize(values, sort=True)
    small = codes.astype(np.int32) if len(ids) < np.iinfo(np.int32).max else codes
    return Numbers(small, pd.Index(ids))


def numbered(
    data: ClientData, frame: pd.DataFrame, table: str = "orders", column: str = "customer_id"
) -> Numbers:
    """Return the codes of ``frame[column]``: the table's (numbered once) when it can.

    ``frame`` is usually rows of ``data``'s ``table`` (a period's orders, those with an
    amount, ...): their codes are then those of the whole table's numbering (see
    ``as_rows_of``). Any other frame is numbered on its own. Either way ``ids[codes]`` is
    the column.
    """
    return as_rows_of(data, frame, table, column) or number(frame[column])


def as_rows_of(
    data: ClientData, frame: pd.DataFrame, table: str = "orders", column: str = "customer_id"
) -> Numbers | None:
    """Return the codes of a frame's rows in the whole table's numbering, made once.

    The frame's rows are looked up by row label in the unsliced table (labelled 0 .. n - 1)
    and must hold the same values there; None for a frame that is not rows of the table
    (other labels, other values, or no such table or column).
    """
    codes = _table_codes(data, frame, table, column)
    if codes is None:
        return None
    return Numbers(codes, whole_numbers(data, table, column).ids)


def whole_numbers(data: ClientData, table: str = "orders", column: str = "customer_id") -> Numbers:
    """Return the numbering of the unsliced table's column, made once."""
    whole = data.whole or data
    return whole.shared(f"numbering.{table}.{column}", lambda: number(whole.table(table)[column]))


#: The tables whose customer ids indicators number (``numbered``): orders and journey events.
NUMBERED = ("orders", "journey")


def number_once(data: ClientData, tables: Iterable[str]) -> None:
    """Make now the customer numberings of those of ``tables`` that indicators number.

    For work split between processes: made before a fork, every process reuses them. Two
    tables are numbered side by side, one in a thread (hashing Arrow text lets go of the
    GIL: on two cores they take about the time of the longer one).
    """
    whole = data.whole or data
    todo = [
        t
        for t in NUMBERED
        if t in tables and whole.table(t) is not None and "customer_id" in whole.table(t).columns
    ]
    with ThreadPoolExecutor(max_workers=max(len(todo) - 1, 1)) as pool:
        beside = [pool.submit(whole_numbers, data, t) for t in todo[1:]]
        if todo:
            whole_numbers(data, todo[0])
        for done in beside:
            done.result()


def _table_codes(
    data: ClientData, frame: pd.DataFrame, table: str, column: str
) -> np.ndarray | None:
    """Return the codes of a frame's rows in the whole table's numbering (None: not its rows)."""
    whole = (data.whole or data).table(table)
    if whole is None:
        return None
    rows = rows_of(whole, frame, column)
    return None if rows is None else whole_numbers(data, table, column).codes[rows]


def rows_of(whole: pd.DataFrame, frame: pd.DataFrame, column: str) -> slice | np.ndarray | None:
    """Return the positions in ``whole`` of ``frame``'s rows (a slice when contiguous).

    ``frame``'s rows must keep ``whole``'s row labels (0 .. n - 1), as a period's cut
    does, and hold the same ``column`` values there; None otherwise.
    """
    if column not in whole.columns or column not in frame.columns:
        return None
    labels = whole.index
    if not (isinstance(labels, pd.RangeIndex) and labels.start == 0 and labels.step == 1):
        return None
    rows = _positions(frame.index, len(whole))
    if rows is None:
        return None
    mine = whole[column]
    same = mine.iloc[rows] if isinstance(rows, slice) else mine.take(rows)
    if same.dtype != frame[column].dtype or not same.array.equals(frame[column].array):
        return None
    return rows


def _positions(index: pd.Index, size: int) -> slice | np.ndarray | None:
    """Return the table positions of row labels 0 .. size - 1 (a slice when contiguous)."""
    if not pd.api.types.is_integer_dtype(index.dtype):
        return None
    if len(index) == 0:
        return slice(0, 0)
    rows = index.to_numpy()
    first, last = int(rows[0]), int(rows[-1])
    if isinstance(index, pd.RangeIndex) and index.step == 1 and 0 <= first and last < size:
        return slice(first, last + 1)
    if rows.min() < 0 or rows.max() >= size:
        return None
    if last - first + 1 == len(rows) and bool((np.diff(rows) > 0).all()):
        return slice(first, last + 1)
    return rows
