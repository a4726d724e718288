"""Real-shaped client data for tests: the shapes real exports take, small enough to check.

The demo clients are generated to look healthy. Real data sets come in other shapes, and
every page must read correctly on them: a business with one channel only, one where every
customer orders once (hotel guests), orders without amounts (a clickstream export), years of
seasonal history, an incident that lasts a few weeks, a million rows. Each builder returns
raw frames as a client would send them (write them with ``make_client``), built so that the
numbers a test expects can be worked out by hand from the builder's docstring.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

#: client.yaml keys of a one-channel business (merged over conftest.DEFAULT_CONFIG).
ONE_CHANNEL_CONFIG = {"channels": ["store"], "digital_channels": None}


def orders_frame(
    customers: list[str], times: list[pd.Timestamp], channels: list[str], amounts: list[float]
) -> pd.DataFrame:
    """Return an orders table (order ids o0, o1, …) from aligned columns."""
    return pd.DataFrame(
        {
            "order_id": [f"o{i}" for i in range(len(customers))],
            "customer_id": customers,
            "order_time": [t.strftime("%Y-%m-%d %H:%M") for t in times],
            "channel": channels,
            "amount": amounts,
        }
    )


def one_channel_orders(
    customers: int = 30, orders_each: int = 2, start: str = "2025-01-06", amount: float = 20.0
) -> pd.DataFrame:
    """Orders of a business with one channel ("store"): each customer orders ``orders_each``
    times, customer k on days k and k + 7 (+ 7 …) after ``start``, at noon, ``amount`` each.
    """
    day0 = pd.Timestamp(start) + pd.Timedelta(hours=12)
    ids, times = [], []
    for k in range(customers):
        for j in range(orders_each):
            ids.append(f"c{k}")
            times.append(day0 + pd.Timedelta(days=k + 7 * j))
    return orders_frame(ids, times, ["store"] * len(ids), [amount] * len(ids))


def one_order_each(
    customers: int = 40,
    channels: tuple[str, ...] = ("store", "delivery"),
    start: str = "2025-01-06",
    amount: float = 25.0,
) -> pd.DataFrame:
    """Orders where every customer orders exactly once (a hotel's guests): customer k on day
    k after ``start`` at noon, on ``channels[k % len(channels)]``, ``amount`` each.
    """
    day0 = pd.Timestamp(start) + pd.Timedelta(hours=12)
    times = [day0 + pd.Timedelta(days=k) for k in range(customers)]
    picked = [channels[k % len(channels)] for k in range(customers)]
    return orders_frame([f"g{k}" for k in range(customers)], times, picked, [amount] * customers)


def zero_amounts(orders: pd.DataFrame) -> pd.DataFrame:
    """Return the orders with amount 0 throughout (what a clickstream export carries)."""
    return orders.assign(amount=0.0)


def seasonal_orders(
    first: str = "2022-01-03", last: str = "2024-08-31", summer: float = 150.0, rest: float = 100.0
) -> pd.DataFrame:
    """One order a day at noon from ``first`` to ``last``: ``summer`` in June, July and August,
    ``rest`` otherwise, identical every year. Customers c0…c49 take turns, store and delivery
    alternate. Average order value is seasonal, never growing from one year to the next.
    """
    days = pd.date_range(first, last, freq="D") + pd.Timedelta(hours=12)
    amounts = np.where(days.month.isin([6, 7, 8]), summer, rest)
    n = len(days)
    return orders_frame(
        [f"c{k % 50}" for k in range(n)],
        list(days),
        [("store", "delivery")[k % 2] for k in range(n)],
        amounts.tolist(),
    )


#: Stages of the constructed web-store journey; all three are purchase stages.
WEB_STAGES = ["browse", "checkout", "purchase"]


def outage_journey(
    start: str = "2025-04-07",
    weeks: range = range(-8, 12),
    outage: tuple[int, ...] = (5, 6, 7),
) -> pd.DataFrame:
    """A web store's sessions with a checkout outage lasting ``outage`` weeks.

    Week w runs 7 days from ``start`` + 7w days. Every week 200 sessions browse; sessions
    0–99 reach checkout (0–59 on "mobile", 60–99 on "desktop"; 100–199 browse on mobile and
    leave). Of the 60 mobile and 40 desktop checkouts, the first m and d purchase:

    - even weeks: m 54, d 36 (90 of 100); odd weeks: m 48, d 32 (80 of 100);
    - outage weeks: m 0, d 20 (20 of 100): mobile checkout broke, desktop halved.

    Each session is its own customer; events are a minute apart.
    """
    day0 = pd.Timestamp(start)
    rows = []
    for w in weeks:
        if w in outage:
            m, d = 0, 20
        else:
            m, d = (54, 36) if w % 2 == 0 else (48, 32)
        for i in range(200):
            channel = "desktop" if 60 <= i < 100 else "mobile"
            at = day0 + pd.Timedelta(days=7 * w) + pd.Timedelta(minutes=10 * i)
            session = f"w{w}s{i}"
            rows.append((f"u{session}", at, "browse", channel, session))
            if i < 100:
                rows.append(
                    (f"u{session}", at + pd.Timedelta(minutes=1), "checkout", channel, session)
                )
                if i < m or 60 <= i < 60 + d:
                    rows.append(
                        (f"u{session}", at + pd.Timedelta(minutes=2), "purchase", channel, session)
                    )
    frame = pd.DataFrame(
        rows, columns=["customer_id", "event_time", "stage", "channel", "session_id"]
    )
    frame["touchpoint"] = "site"
    frame["event_time"] = frame["event_time"].dt.strftime("%Y-%m-%d %H:%M")
    return frame


def journey_orders(journey: pd.DataFrame, amount: float = 30.0) -> pd.DataFrame:
    """Return one order per purchase event of a journey (same customer, time and channel)."""
    bought = journey[journey["stage"] == "purchase"].reset_index(drop=True)
    return orders_frame(
        list(bought["customer_id"]),
        list(pd.to_datetime(bought["event_time"])),
        list(bought["channel"]),
        [amount] * len(bought),
    )


def million_orders(n: int = 1_000_000, start: str = "2025-01-01") -> pd.DataFrame:
    """A million orders (typed, as a Parquet export would hold them) within 90 days.

    Order i: customer i // 10 (so 100,000 customers with 10 orders each), channel "store"
    for even i and "delivery" for odd i (every customer uses both), at ``start`` + (i mod
    90) days + (i mod 1440) minutes, amount 10 + (i mod 3) x 5 (10, 15, 20), promised 30
    minutes and delivered in 20 minutes when i mod 4 is not 0, else in 40.
    """
    i = np.arange(n)
    minutes = (i % 90) * 1440 + (i % 1440)
    return pd.DataFrame(
        {
            "order_id": pd.Series(i).map("o{}".format),
            "customer_id": pd.Series(i // 10).map("c{}".format),
            "order_time": pd.Timestamp(start) + pd.to_timedelta(minutes, unit="min"),
            "channel": np.where(i % 2 == 0, "store", "delivery"),
            "amount": 10.0 + (i % 3) * 5.0,
            "promised_minutes": 30.0,
            "actual_minutes": np.where(i % 4 == 0, 40.0, 20.0),
        }
    )
