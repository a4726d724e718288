"""Per-customer sums, counts and extremes by integer code, as a ``groupby`` by id gives them.

Grouping millions of orders by a column of codes still makes pandas number the codes again
(a hash of every row) before it aggregates. Codes of a sorted numbering (``Numbers``) are
already group numbers: counts, first and last times are taken per code with numpy, and sums
are left to pandas (its compensated sum, whose last bits a plain ``bincount`` would not give)
grouped by a categorical made from the codes, which it does not number again.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from playbook.data.numbering import Numbers

#: A groups x values count matrix is made when it has at most this many cells per row ...
CELLS_PER_ROW = 4
#: ... or at most this many cells in all (small tables).
MIN_CELLS = 1 << 16


class ByCode:
    """The rows of a numbered column grouped by code: groups held, in code order.

    Rows without a value (code -1) belong to no group, as a ``groupby`` leaves them out.
    """

    def __init__(self, numbers: Numbers):
        self.numbers = numbers
        self.known = numbers.codes >= 0
        self.codes = numbers.codes[self.known]
        self.sizes = np.bincount(self.codes, minlength=len(numbers.ids))
        #: the codes some row holds, each once, in order: the groups of a groupby
        self.held = np.flatnonzero(self.sizes)

    def index(self, name: str = "customer_id") -> pd.Index:
        """Return the groups' values (the ids of the codes held), as an Index named ``name``."""
        return self.numbers.names(self.held, name)

    def counts(self) -> np.ndarray:
        """Return the rows per group (``groupby.size``), as int64."""
        return self.sizes[self.held].astype(np.int64)

    def sums(self, values: pd.Series) -> np.ndarray:
        """Return the sum of ``values`` per group (``groupby.sum``: missing values skipped)."""
        groups = pd.Categorical.from_codes(
            self.codes, categories=pd.RangeIndex(len(self.numbers.ids))
        )
        total = values[self.known].groupby(groups, observed=False, sort=True).sum()
        return total.to_numpy()[self.held]

    def table(self, values: np.ndarray, width: int) -> np.ndarray | None:
        """Return a groups x values matrix of row counts (``groupby`` of two keys, ``size``).

        ``values``: each row's value number (0 .. width - 1; -1: none, not counted), for
        every row of the numbering. None when the matrix would have more than four cells
        per row (many distinct values): count those pairs another way (a sort of the pairs
        takes half that memory; a customer has ~2 orders in a 90-day period, so up to ~6
        values per customer fit).
        """
        if len(self.held) * width > max(CELLS_PER_ROW * len(self.codes), MIN_CELLS):
            return None
        slot = np.cumsum(self.sizes > 0) - 1  # each held code's group number
        values = values[self.known]
        counted = values >= 0
        cells = slot[self.codes[counted]].astype(np.int64) * width + values[counted]
        return np.bincount(cells, minlength=len(self.held) * width).reshape(-1, width)

    def extremes(self, times: pd.Series) -> tuple[np.ndarray, np.ndarray] | None:
        """Return the earliest and latest time per group (``groupby.min``/``max``).

        Missing times are skipped; a group with none gets a missing time. None for times
        that are not a plain numpy datetime column (with a time zone, say).
        """
        if not (isinstance(times.dtype, np.dtype) and times.dtype.kind == "M"):
            return None
        values = times.to_numpy()[self.known]
        codes, ticks = self.codes, values.view(np.int64)
        dated = ~np.isnat(values)
        if not dated.all():
            codes, ticks = codes[dated], ticks[dated]
        size = len(self.numbers.ids)
        first = np.full(size, np.iinfo(np.int64).max, dtype=np.int64)
        last = np.full(size, np.iinfo(np.int64).min, dtype=np.int64)
        np.minimum.at(first, codes, ticks)
        np.maximum.at(last, codes, ticks)
        undated = np.bincount(codes, minlength=size) == 0
        nat = np.datetime64("NaT").astype(times.dtype).view(np.int64)
        first[undated] = last[undated] = nat
        return first[self.held].view(times.dtype), last[self.held].view(times.dtype)
