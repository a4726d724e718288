"""Cutting a client's data to a period: dated rows, prorated costs, the history up to it.

Every expected value is worked out by hand in the comment next to it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from playbook.data.clients import load_client
from playbook.data.model import as_labels, in_time_order, period_ends, time_slice
from playbook.diagnosis.core import diagnose

#: Monthly costs of the store channel: February 280, March 310, April 300, May 999.
COSTS = pd.DataFrame(
    {
        "period": ["2025-02-01", "2025-03-01", "2025-04-01", "2025-05-01"],
        "channel": ["store"] * 4,
        "service_cost": [280.0, 310.0, 300.0, 999.0],
    }
)

#: Two orders of 1000 in the window 2025-03-17..04-15, one of 2000 in the 30 days before.
ORDERS = pd.DataFrame(
    {
        "order_id": ["p1", "o1", "o2"],
        "customer_id": ["c1", "c1", "c2"],
        "order_time": ["2025-03-01 10:00", "2025-03-20 10:00", "2025-04-15 18:00"],
        "channel": ["store"] * 3,
        "amount": [2000.0, 1000.0, 1000.0],
    }
)


def test_period_ends_are_calendar_months_for_month_starts():
    starts = pd.Series(pd.to_datetime(["2024-02-01", "2024-12-01"]))
    assert period_ends(starts).tolist() == [pd.Timestamp("2024-03-01"), pd.Timestamp("2025-01-01")]


def test_period_ends_follow_the_usual_gap_otherwise():
    # weekly rows starting on Wednesdays: each covers 7 days, the last one too
    starts = pd.Series(pd.to_datetime(["2024-01-03", "2024-01-10", "2024-01-17"]))
    assert period_ends(starts).tolist() == [
        pd.Timestamp("2024-01-10"),
        pd.Timestamp("2024-01-17"),
        pd.Timestamp("2024-01-24"),
    ]


def test_costs_are_prorated_by_days_to_a_window_that_cuts_months(make_client):
    data = load_client("acme", make_client(orders=ORDERS, tables={"costs": COSTS}))
    window = data.between(pd.Timestamp("2025-03-17"), pd.Timestamp("2025-04-16"))
    costs = window.table("costs").set_index("period")["service_cost"]
    # March 17..31 is 15 of March's 31 days: 310 x 15/31 = 150;
    # April 1..15 is 15 of April's 30 days: 300 x 15/30 = 150; February and May: outside
    assert costs.to_dict() == pytest.approx(
        {pd.Timestamp("2025-03-01"): 150.0, pd.Timestamp("2025-04-01"): 150.0}
    )


def test_cost_to_serve_counts_the_cost_of_the_days_in_the_period(make_client):
    data = load_client("acme", make_client(orders=ORDERS, tables={"costs": COSTS}))
    # as_of 2025-04-15, 30 days: the window is 2025-03-17..04-15, the previous 02-15..03-16
    result = diagnose("operation_orientations", data, as_of="2025-04-15", period_days=30)
    cost = next(
        r for e in result.elements for r in e.indicators if r.ref.id == "cost_to_serve_ratio"
    )
    # now: (150 + 150) / (1000 + 1000) = 0.15
    assert cost.value == pytest.approx(0.15)
    # before: February 15..28 is 14 of 28 days (280 x 1/2 = 140), March 1..16 is 16 of 31
    # days (310 x 16/31 = 160): (140 + 160) / 2000 = 0.15
    assert cost.previous == pytest.approx(0.15)


def test_history_reaches_back_to_the_first_row_but_not_past_the_period(make_client):
    data = load_client("acme", make_client(orders=ORDERS, tables={"costs": COSTS}))
    window = data.between(pd.Timestamp("2025-03-17"), pd.Timestamp("2025-03-31"))
    assert window.orders["order_id"].tolist() == ["o1"]
    assert window.history("orders")["order_id"].tolist() == ["p1", "o1"]
    # costs up to March 31 (exclusive): February whole, March 1..30 = 30/31 of 310 = 300
    assert window.history("costs")["service_cost"].tolist() == pytest.approx([280.0, 300.0])
    assert data.history("orders") is data.orders  # not cut: the table as it is
    assert window.history("survey") is None


#: Orders written out of time order: o2 (April) before o1 (March) before p1 (early March).
SHUFFLED = ORDERS.iloc[[2, 1, 0]].reset_index(drop=True)


def _shares_memory(part: pd.DataFrame, whole: pd.DataFrame, column: str) -> bool:
    return np.shares_memory(part[column].to_numpy(), whole[column].to_numpy())


def test_validation_puts_dated_rows_in_time_order(make_client):
    data = load_client("acme", make_client(orders=SHUFFLED))
    # written o2, o1, p1; their times are 04-15, 03-20, 03-01
    assert data.orders["order_id"].tolist() == ["p1", "o1", "o2"]
    assert data.orders.index.tolist() == [0, 1, 2]


def test_a_period_of_a_table_in_time_order_is_a_view_not_a_copy(make_client):
    data = load_client("acme", make_client(orders=ORDERS))
    window = data.between(pd.Timestamp("2025-03-17"), pd.Timestamp("2025-04-16"))
    assert window.orders["order_id"].tolist() == ["o1", "o2"]
    assert _shares_memory(window.orders, data.orders, "amount")
    assert _shares_memory(window.history("orders"), data.orders, "amount")
    # copy-on-write: changing the period's rows leaves the client's table as it was
    window.orders.loc[window.orders.index[0], "amount"] = 5.0
    assert data.orders["amount"].tolist() == [2000.0, 1000.0, 1000.0]


def test_time_slice_bounds_are_inclusive_start_exclusive_end():
    times = pd.to_datetime(["2025-03-01", "2025-03-02", "2025-03-02", "2025-03-03"])
    df = pd.DataFrame({"t": times.astype("datetime64[us]"), "n": [1, 2, 3, 4]})
    day = pd.Timestamp("2025-03-02")
    assert time_slice(df, "t", day, None)["n"].tolist() == [2, 3, 4]
    assert time_slice(df, "t", None, day)["n"].tolist() == [1]
    assert time_slice(df, "t", day, day + pd.Timedelta(days=1))["n"].tolist() == [2, 3]


def test_time_slice_of_rows_out_of_order_keeps_the_same_rows():
    times = pd.to_datetime(["2025-03-03", "2025-03-01", "2025-03-02", None])
    df = pd.DataFrame({"t": times, "n": [1, 2, 3, 4]})
    assert not in_time_order(df, "t")
    assert time_slice(df, "t", pd.Timestamp("2025-03-02"), None)["n"].tolist() == [1, 3]
    assert time_slice(df, "t", None, pd.Timestamp("2025-03-03"))["n"].tolist() == [2, 3]


def test_labels_are_categoricals_of_the_values_present_in_sorted_order():
    text = pd.Series(["tea", "cake", None, "tea"])
    labels = as_labels(text)
    assert isinstance(labels.dtype, pd.CategoricalDtype)
    assert list(labels.cat.categories) == ["cake", "tea"]
    assert labels.isna().tolist() == [False, False, True, False]
    # a categorical read from a file: unused "zz" dropped, "b" < "c" put back in order
    read = pd.Series(pd.Categorical(["c", "b", "c"], categories=["zz", "c", "b"]))
    assert list(as_labels(read).cat.categories) == ["b", "c"]
    assert as_labels(read).tolist() == ["c", "b", "c"]


def test_grouping_labels_gives_what_grouping_the_text_gave():
    text = pd.Series(["tea", "cake", "tea", "bun"])
    amount = pd.Series([1.0, 2.0, 4.0, 8.0])
    by_text = amount.groupby(text).sum()
    by_label = amount.groupby(as_labels(text)).sum()
    # bun 8, cake 2, tea 1 + 4 = 5, in that order either way
    assert by_label.tolist() == by_text.tolist() == [8.0, 2.0, 5.0]
    assert list(by_label.index) == list(by_text.index) == ["bun", "cake", "tea"]


def test_validated_labels_are_categoricals_and_ids_stay_text(make_client):
    orders = ORDERS.assign(payment=["card", "cash", "card"])
    data = load_client("acme", make_client(orders=orders))
    for column in ("channel", "payment"):
        assert isinstance(data.orders[column].dtype, pd.CategoricalDtype), column
    assert list(data.orders["payment"].cat.categories) == ["card", "cash"]
    assert data.orders["payment"].tolist() == ["card", "cash", "card"]
    for column in ("order_id", "customer_id"):
        assert not isinstance(data.orders[column].dtype, pd.CategoricalDtype), column


def test_a_shared_analysis_is_made_once_per_period(make_client):
    data = load_client("acme", make_client(orders=ORDERS))
    made = []
    window = data.between(pd.Timestamp("2025-03-17"), pd.Timestamp("2025-04-16"))
    assert window.shared("n", lambda: made.append(1) or len(window.orders)) == 2  # o1, o2
    assert window.shared("n", lambda: made.append(1) or -1) == 2
    assert made == [1]
    again = data.between(pd.Timestamp("2025-03-01"), pd.Timestamp("2025-04-16"))
    assert again.shared("n", lambda: len(again.orders)) == 3  # another period: p1 too
