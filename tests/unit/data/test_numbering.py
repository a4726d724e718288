"""Customer ids numbered once per table (playbook/data/numbering.py) on a hand-made table.

Six orders in time order, by c3, c1, c2, (no id), c3, c1; a period cut keeps rows 2..5.
Sorted ids: c1 (code 0), c2 (1), c3 (2).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from playbook.analytics.loyalty import customer_summary
from playbook.data.model import ClientData
from playbook.data.numbering import Numbers, as_rows_of, number, number_once, numbered
from playbook.indicators.aggregate import main_value, per_customer, with_customer
from tests.conftest import client_config

ORDERS = pd.DataFrame(
    {
        "order_id": [f"o{i}" for i in range(6)],
        "customer_id": pd.array(["c3", "c1", "c2", None, "c3", "c1"], dtype="str"),
        "order_time": pd.to_datetime(
            ["2025-01-01", "2025-01-02", "2025-01-03", "2025-01-04", "2025-01-05", "2025-01-06"]
        ),
        "amount": [10.0, 20.0, 30.0, 40.0, 50.0, 60.0],
        "channel": ["app", "store", "store", "app", "app", "store"],
    }
)
CUSTOMERS = pd.DataFrame(
    {"customer_id": pd.array(["c1", "c2", "c3"], dtype="str"), "tier": ["gold", None, "silver"]}
)


def _data() -> ClientData:
    return ClientData(client_config(), {"orders": ORDERS, "customers": CUSTOMERS})


def _period(data: ClientData) -> ClientData:
    """Return the cut 3-6 January: rows 2..5 (c2, no id, c3, c1)."""
    return data.between(pd.Timestamp("2025-01-03"), pd.Timestamp("2025-01-07"))


def test_number_codes_values_in_sorted_order_and_missing_as_minus_one():
    n = number(ORDERS["customer_id"])
    assert n.ids.tolist() == ["c1", "c2", "c3"]
    assert n.codes.tolist() == [2, 0, 1, -1, 2, 0]
    assert n.names([2, 0]).tolist() == ["c3", "c1"]
    assert n.names([2, 0]).name == "customer_id"


def test_a_periods_rows_take_their_codes_from_the_whole_table_numbered_once():
    data = _data()
    period = _period(data)
    n = as_rows_of(period, period.orders)
    assert n.codes.tolist() == [1, -1, 2, 0]  # c2, none, c3, c1
    assert n.ids.tolist() == ["c1", "c2", "c3"]
    # any other cut of the same table (here the rows with an id) shares the same numbering
    again = as_rows_of(period, period.orders.dropna(subset=["customer_id"]))
    assert again.codes.tolist() == [1, 2, 0]
    assert again.ids is n.ids
    assert as_rows_of(data, data.orders.iloc[[5, 0]]).codes.tolist() == [0, 2]


def test_numbering_once_up_front_makes_the_tables_numberings_a_period_then_reuses():
    journey = pd.DataFrame(
        {
            "customer_id": pd.array(["c9", "c1", None, "c9"], dtype="str"),
            "event_time": pd.to_datetime(["2025-01-02", "2025-01-03", "2025-01-04", "2025-01-05"]),
        }
    )
    data = ClientData(client_config(), {"orders": ORDERS, "journey": journey})
    period = _period(data)
    number_once(period, {"orders", "journey", "customers"})
    made = {k: v for k, v in data._shared.items() if k.startswith("numbering.")}
    assert sorted(made) == ["numbering.journey.customer_id", "numbering.orders.customer_id"]
    assert made["numbering.orders.customer_id"].codes.tolist() == [2, 0, 1, -1, 2, 0]
    assert made["numbering.journey.customer_id"].ids.tolist() == ["c1", "c9"]
    assert made["numbering.journey.customer_id"].codes.tolist() == [1, 0, -1, 1]
    # the period's rows take their codes from them (not numbered again)
    assert as_rows_of(period, period.orders).ids is made["numbering.orders.customer_id"].ids
    # a table no indicator asked for is not numbered
    fresh = ClientData(client_config(), {"orders": ORDERS, "journey": journey})
    number_once(fresh, {"orders"})
    assert [k for k in fresh._shared if k.startswith("numbering.")] == [
        "numbering.orders.customer_id"
    ]


def test_a_frame_that_is_not_rows_of_the_table_is_numbered_on_its_own():
    period = _period(_data())
    # same labels 0..1 as the table's first rows (c3, c1) but other ids
    other = pd.DataFrame({"customer_id": pd.array(["c2", "c1"], dtype="str")})
    assert as_rows_of(period, other) is None
    n = numbered(period, other)
    assert n.codes.tolist() == [1, 0]
    assert n.ids.tolist() == ["c1", "c2"]
    # labels beyond the table, and a table that is absent
    assert as_rows_of(period, other.set_axis([7, 8])) is None
    assert as_rows_of(period, other, table="journey") is None


def test_per_customer_and_main_value_on_codes_count_as_on_ids():
    period = _period(_data())
    o = period.orders
    n = numbered(period, o)
    # c1: 1 order (store), c2: 1 (store), c3: 1 (app); the order without id is not counted
    counts = per_customer(o, numbers=n)
    assert counts.to_dict() == {"c1": 1, "c2": 1, "c3": 1}
    assert counts.index.name == "customer_id"
    assert per_customer(o, "channel", n).to_dict() == {"c1": 1, "c2": 1, "c3": 1}
    whole = _data()
    # the whole table: c1 2 orders (store, store), c3 2 (app, app), c2 1 (store)
    w = whole.orders
    assert per_customer(w, numbers=numbered(whole, w)).to_dict() == {"c1": 2, "c2": 1, "c3": 2}
    assert main_value(w, "channel", numbered(whole, w)).to_dict() == {
        "c1": "store",
        "c2": "store",
        "c3": "app",
    }
    pd.testing.assert_series_equal(per_customer(w, numbers=numbered(whole, w)), per_customer(w))


def test_customer_summary_on_the_whole_tables_codes():
    period = _period(_data())
    o = period.orders
    s = customer_summary(o, numbers=numbered(period, o))
    assert s["customer_id"].tolist() == ["c1", "c2", "c3"]
    assert s["revenue"].tolist() == [60.0, 30.0, 50.0]
    assert s["orders"].tolist() == [1, 1, 1]
    pd.testing.assert_frame_equal(s, customer_summary(o))


def test_with_customer_joins_by_code_for_rows_of_orders_as_by_id_otherwise():
    period = _period(_data())
    o = period.orders
    # rows c2 (no tier), none, c3 (silver), c1 (gold): c3 and c1 kept, in the rows' order
    joined = with_customer(period, o, "tier")
    assert joined["customer_id"].tolist() == ["c3", "c1"]
    assert joined["tier"].tolist() == ["silver", "gold"]
    assert joined["amount"].tolist() == [50.0, 60.0]
    assert isinstance(joined.index, pd.RangeIndex)
    # the same rows under other labels go through the lookup by id: same result
    by_id = with_customer(period, o.reset_index(drop=True), "tier")
    pd.testing.assert_frame_equal(joined, by_id)
    np.testing.assert_array_equal(by_id["tier"].to_numpy(), np.array(["silver", "gold"]))


def test_present_codes_are_one_row_per_customer_held_in_code_order():
    # the period's rows hold c2, none, c3, c1 (codes 1, -1, 2, 0): c1, c2, c3 present
    period = _period(_data())
    held = numbered(period, period.orders).present()
    assert held.codes.tolist() == [0, 1, 2] and held.ids.tolist() == ["c1", "c2", "c3"]
    assert number(ORDERS["customer_id"].iloc[[4, 4, 2]]).present().codes.tolist() == [0, 1]
    # one row per customer joined by these codes: c1 gold, c2 (no tier) dropped, c3 silver
    rows = pd.DataFrame({"customer_id": ["c1", "c2", "c3"], "n": [1, 2, 3]})
    joined = with_customer(period, rows, "tier", held)
    assert joined["customer_id"].tolist() == ["c1", "c3"]
    assert joined["tier"].tolist() == ["gold", "silver"]
    assert joined["n"].tolist() == [1, 3]


def test_first_values_of_each_customer_whatever_their_rows_numbering():
    from playbook.indicators.customers import _first_values

    # c3's rows: discounts 1 then 5 -> 1; c1's: unknown then 2 -> unknown (first row);
    # c2 has no row here -> unknown
    rows = pd.DataFrame(
        {
            "customer_id": pd.array(["c3", "c1", "c3", "c1"], dtype="str"),
            "discount": [1.0, None, 5.0, 2.0],
        }
    )
    customers = number(ORDERS["customer_id"]).present()  # c1, c2, c3
    apart = number(rows["customer_id"])  # c1 0, c3 1: looked up by id
    alike = Numbers(np.array([2, 0, 2, 0]), customers.ids)  # the customers' own codes
    for numbers in (apart, alike):
        got = _first_values(rows, "discount", numbers, customers)
        assert np.isnan(got[0]) and np.isnan(got[1]) and got[2] == 1.0
