"""Pricing indicators of the value-add plan: elasticity, discount lift, acceptable prices.

The statistics live in ``playbook.analytics.pricing``; this module decides which rows and
columns of a client's tables feed them, and registers the results as indicators.

Price elasticity is estimated from what customers actually paid per unit (``amount /
quantity``, so discounts count as price changes) against the units they bought per order,
one point per comparable segment (category, premium flag and channel, where present), week
and price point. Comparing an order only with orders of the same segment keeps a premium
latte's higher price from reading as "higher prices sell fewer units".
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from playbook.analytics.pricing import (
    VW_QUESTIONS,
    Elasticity,
    ElasticityOptions,
    price_elasticity,
    van_westendorp,
)
from playbook.data.model import ClientData
from playbook.data.numbering import Numbers, number, numbered
from playbook.indicators.aggregate import usable
from playbook.indicators.registry import Measurement, indicator

#: Order columns that make two orders comparable for the elasticity (those present are used).
ELASTICITY_SEGMENTS = ("category", "is_premium", "channel")


def unit_prices(orders: pd.DataFrame) -> pd.Series:
    """Return the price paid per unit of each order: amount / quantity (NaN without units)."""
    return orders["amount"] / orders["quantity"].where(orders["quantity"] > 0)


def segment_labels(columns: pd.DataFrame) -> pd.Series:
    """Return each row's values joined as text, "a | b | c" (missing in any: missing).

    As ``astype(str)`` of each column joined with " | ", with the text made once per
    distinct combination of values (a handful), not once per row (millions of orders).
    For columns whose equal values print alike (text, booleans, integers: not 0.0 and -0.0).
    """
    codes = np.zeros(len(columns), dtype=np.int64)
    for name in columns.columns:  # each row's combination, numbered (kept below the rows)
        values, distinct = pd.factorize(columns[name], use_na_sentinel=False)
        codes = pd.factorize(codes * len(distinct) + values)[0]
    combination, rows = np.unique(codes, return_index=True)
    first = columns.iloc[rows]
    text = first.iloc[:, 0].astype(str)
    for name in columns.columns[1:]:
        text = text + " | " + first[name].astype(str)
    at = np.searchsorted(combination, codes)
    return pd.Series(text.array.take(at), index=columns.index)


def elasticity_points(
    orders: pd.DataFrame, options: ElasticityOptions | None = None
) -> pd.DataFrame:
    """Aggregate orders into one point per segment, week and unit price.

    Args:
        orders: Orders with order_time, amount and quantity (and any of
            ``ELASTICITY_SEGMENTS``).
        options: The aggregation period and price rounding (default ``ElasticityOptions()``).

    Returns:
        Columns segment, order_time (start of the period), price (unit price paid, rounded),
        quantity (mean units per order at that price) and orders.
    """
    o = options or ElasticityOptions()
    df = orders.assign(price=unit_prices(orders)).dropna(subset=["price", "order_time"])
    df = df.loc[df["price"] > 0]
    present = [c for c in ELASTICITY_SEGMENTS if c in df.columns]
    segment = pd.Series("all", index=df.index)
    if present:  # "category | is_premium | channel"
        segment = segment_labels(df[present])
    keys = [
        segment.rename("segment"),
        df["order_time"].dt.to_period(o.period).dt.start_time.rename("order_time"),
        df["price"].round(o.price_decimals).rename("price"),
    ]
    grouped = df["quantity"].groupby(keys)
    points = pd.DataFrame({"quantity": grouped.mean(), "orders": grouped.size()}).reset_index()
    return points.loc[points["quantity"] > 0].reset_index(drop=True)


def order_elasticity(orders: pd.DataFrame, options: ElasticityOptions | None = None) -> Elasticity:
    """Estimate the price elasticity of units per order from a client's orders.

    Args:
        orders: Orders with order_time, amount and quantity.
        options: Thresholds of estimability (default ``ElasticityOptions()``).

    Returns:
        The log-log ``Elasticity`` (segment fixed effects); ``estimable`` False with the
        reason when prices do not vary enough.

    Raises:
        ValueError: when the orders lack order_time, amount or quantity.
    """
    missing = [c for c in ("order_time", "amount", "quantity") if c not in orders.columns]
    if missing:
        raise ValueError(f"orders: missing column(s) {', '.join(missing)} for the elasticity")
    points = elasticity_points(orders, options)
    if points.empty:
        return Elasticity(
            False, "no order has a unit price (amount / quantity)", 0, 0, points=points
        )
    return price_elasticity(
        points, price_col="price", quantity_col="quantity", segment_col="segment", options=options
    )


def elasticity_reading(est: Elasticity) -> str:
    """Say what an estimable elasticity can tell, from its sign and confidence interval.

    "positive": the estimate is not negative (dearer did not sell less: something else
    drives both); "elastic": the whole interval lies below −1; "inelastic": the whole
    interval lies above −1; "unclear": the interval straddles −1.
    """
    return "positive" if est.elasticity >= 0 else est.reading


@indicator("price_elasticity", requires={"orders": ("amount", "quantity")})
def price_elasticity_indicator(data: ClientData) -> Measurement | None:
    """Measure the price elasticity of units per order (None when not estimable).

    The measurement carries the confidence interval and the reading (``elasticity_reading``)
    that the content scores and picks actions by.
    """
    orders = usable(data, "orders", "order_time", "amount", "quantity")
    if orders.empty:
        return None
    est = order_elasticity(orders)
    if not est.estimable:
        return None
    priced = int((unit_prices(orders) > 0).sum())
    return Measurement(
        float(est.elasticity),
        priced,
        detail=est.points,
        interval=(float(est.ci_low), float(est.ci_high)),
        reading=elasticity_reading(est),
    )


def first_orders(orders: pd.DataFrame, numbers: Numbers | None = None) -> pd.DataFrame:
    """Return each customer's first order with ``discounted`` and ``repurchased`` flags.

    One row per customer (the earliest order; ties: the first row), indexed by customer_id
    in id order. ``discounted``: the first order carried a discount > 0. ``repurchased``:
    the customer ordered at least twice in the data.

    Args:
        orders: orders with customer_id and order_time, none missing.
        numbers: the customer ids' codes (``data.numbering.numbered``); numbered here when
            omitted. Sorting codes, not the id text, is what keeps this fast on millions
            of orders.
    """
    numbers = numbers or number(orders["customer_id"])
    # by customer (codes sort as the ids do), then time; stable: ties keep the rows' order
    order = np.lexsort((orders["order_time"].to_numpy(), numbers.codes))
    codes = numbers.codes[order]
    starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]]) if len(codes) else order
    first = orders.take(order[starts]).set_index("customer_id")
    counts = np.diff(np.r_[starts, len(codes)])
    return first.assign(discounted=first["discount"].fillna(0) > 0, repurchased=counts >= 2)


def _lift(first: pd.DataFrame) -> float | None:
    rates = first.groupby("discounted")["repurchased"].mean()
    if True not in rates.index or False not in rates.index or rates[False] == 0:
        return None
    return float(rates[True] / rates[False])


@indicator(
    "discount_repurchase_lift",
    requires={"orders": ("amount", "discount", "channel")},
    dimension="channel",
)
def discount_repurchase_lift(data: ClientData) -> Measurement | None:
    """Measure repurchase after a discounted first order / after a full-price first order.

    Broken down by the channel of the first order. None when either group is empty or no
    full-price customer came back.
    """
    orders = usable(data, "orders", "customer_id", "order_time", "amount", "channel")
    if orders.empty or "discount" not in orders.columns:
        return None
    first = first_orders(orders, numbered(data, orders))
    lift = _lift(first)
    if lift is None:
        return None
    by = {ch: _lift(group) for ch, group in first.groupby("channel", sort=True)}
    by_series = pd.Series({k: v for k, v in by.items() if v is not None}, dtype=float)
    by_n = first.groupby("channel", sort=True).size().reindex(by_series.index).astype(int)
    return Measurement(
        lift, len(first), by_series.rename_axis("channel"), by_n.rename_axis("channel")
    )


def order_unit_prices(orders: pd.DataFrame) -> pd.Series:
    """Return each order's unit price: list_price, else amount / quantity where present."""
    price = (
        orders["list_price"]
        if "list_price" in orders.columns
        else pd.Series(np.nan, index=orders.index)
    )
    if "quantity" in orders.columns:
        price = price.fillna(unit_prices(orders))
    return price


@indicator(
    "price_in_acceptable_range_share",
    requires={"orders": ("list_price",), "survey": VW_QUESTIONS},
    dimension="category",
)
def price_in_acceptable_range_share(data: ClientData) -> Measurement | None:
    """Measure the share of orders whose unit price lies in the Van Westendorp range.

    The range runs from the point of marginal cheapness to the point of marginal
    expensiveness of the survey's four price answers. Broken down by category when present.
    """
    survey = usable(data, "survey", *VW_QUESTIONS)
    orders = data.orders
    if survey.empty:
        return None
    try:
        meter = van_westendorp(survey)
    except ValueError:
        return None
    low, high = meter.acceptable_range
    if low is None or high is None:
        return None
    price = order_unit_prices(orders).dropna()
    if price.empty:
        return None
    inside = price.between(low, high).astype(float)
    by = by_n = None
    if "category" in orders.columns:
        category = orders.loc[price.index, "category"]
        groups = inside.groupby(category, sort=True)
        by, by_n = groups.mean().rename_axis("category"), groups.size().rename_axis("category")
    return Measurement(float(inside.mean()), len(price), by, by_n)
