"""Customer-value indicators: RFM tier revenue, repeat revenue, churn risk, new-customer repeat.

Each indicator wraps ``playbook.analytics.loyalty`` over the analysis period's orders. The
numbers these analyses depend on — RFM tier rules, churn thresholds, CLV assumptions — are
content, not code: they are the typed ``params`` of the customer_value framework's elements
(checked when the content loads) and are read with ``rfm_thresholds()``, ``churn_rules()`` and
``clv_assumptions()``.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd
from pydantic import BaseModel

from playbook.analytics.loyalty import ChurnRisk, ChurnRules, CLVAssumptions, TierThresholds, rfm
from playbook.analytics.loyalty import churn_risk as churn_analysis
from playbook.content import ElementParams, framework
from playbook.data.model import ClientData
from playbook.data.numbering import Numbers, numbered
from playbook.indicators.aggregate import among, main_value, per_customer, ratio_by, usable
from playbook.indicators.registry import Measurement, indicator

#: The framework whose element params hold the analysis settings.
FRAMEWORK = "customer_value"

#: RFM bands counted as high-value customers (shown as the RFM top and second bands).
HIGH_VALUE_TIERS = ("platinum", "gold")

#: Orders that make a customer a repeat customer.
REPEAT = 2

ORDERS = {"orders": ("customer_id", "order_time", "amount", "channel")}


def settings(model: type, section: BaseModel | None):
    """Build an analysis's settings dataclass from a typed content section (None: defaults)."""
    return model() if section is None else model(**section.model_dump())


def _params(element_id: str) -> ElementParams:
    return framework(FRAMEWORK).element(element_id).params


def rfm_thresholds() -> TierThresholds:
    """Return the RFM band rules set in the content (customer_value → rfm_tiers → rfm)."""
    return settings(TierThresholds, _params("rfm_tiers").rfm)


def churn_rules() -> ChurnRules:
    """Return the churn thresholds set in the content (customer_value → churn_risk → churn)."""
    return settings(ChurnRules, _params("churn_risk").churn)


def clv_assumptions() -> CLVAssumptions:
    """Return the forward-CLV assumptions set in the content (lifetime_value → clv)."""
    return settings(CLVAssumptions, _params("lifetime_value").clv)


def _orders(data: ClientData) -> pd.DataFrame:
    return usable(data, "orders", *ORDERS["orders"])


def _customer_revenue_share(
    o: pd.DataFrame, flagged: pd.Series, numbers: Numbers | None = None
) -> Measurement | None:
    """Measure the revenue share of flagged customers, by channel.

    Args:
        o: the orders.
        flagged: a flag per customer, indexed by customer_id.
        numbers: the codes of ``o``'s customer ids (``numbered``), when ``flagged`` holds
            exactly ``o``'s customers in id order (as ``per_customer`` and ``rfm`` give
            them): each order's flag is then its code's, with no look-up of the id text.
    """
    flag = None if numbers is None else _flags_by_code(numbers, flagged.to_numpy(dtype=bool))
    if flag is None:
        # a set lookup of the flagged customers' ids (a join of every order to every
        # customer's flag costs ten times as much at millions of orders)
        flag = among(o["customer_id"], flagged.index[flagged.to_numpy(dtype=bool)]).to_numpy()
    return ratio_by(o["amount"].where(flag, 0.0), o["amount"], o["channel"])


def _flags_by_code(numbers: Numbers, flagged: np.ndarray) -> np.ndarray | None:
    """Return each row's flag from one flag per customer present, in code order.

    None when ``flagged`` does not hold one flag per customer the codes hold.
    """
    known = numbers.codes >= 0
    present = numbers.present().codes
    if len(present) != len(flagged):
        return None
    by_code = np.zeros(len(numbers.ids) + 1, dtype=bool)  # the last: rows of no customer
    by_code[present[flagged]] = True
    return by_code[np.where(known, numbers.codes, len(numbers.ids))]


class ScoredHistory(NamedTuple):
    """Every customer's history up to the end of the period, scored into RFM bands once."""

    #: the history's usable orders (every order up to the end of the period)
    orders: pd.DataFrame
    #: their customer ids' codes (``numbered``: the whole table's numbering)
    numbers: Numbers
    #: the ``rfm`` frame of their customers, one row per customer in id order
    bands: pd.DataFrame


def scored_history(data: ClientData) -> ScoredHistory | None:
    """Return the history's usable orders, their customers' codes and RFM bands.

    See ``rfm_bands``; None without a usable order. A page that shows the bands, their
    orders and their customers scores them once with this (at millions of orders each
    scoring and each numbering of the ids takes seconds).
    """
    history = data.history("orders")
    if history is None or any(c not in history.columns for c in ORDERS["orders"]):
        return None
    o = history.dropna(subset=list(ORDERS["orders"]))
    if o.empty:
        return None
    as_of = data.window[1] if data.window is not None else None
    numbers = numbered(data, o)
    return ScoredHistory(
        o, numbers, rfm(o, as_of=as_of, thresholds=rfm_thresholds(), numbers=numbers)
    )


def rfm_bands(data: ClientData) -> pd.DataFrame | None:
    """Score every customer's whole history up to the end of the period into RFM bands.

    Recency is measured to the end of the period, frequency and monetary value count every
    order up to then (``ClientData.history``), so the lapsing band holds customers who have
    been quiet for long against the whole customer base, not for a few weeks of the period.
    Data not cut to a period is scored as of its last order.

    Returns:
        The ``rfm`` frame (customer_id, recency_days, frequency, monetary, scores, tier), or
        None without a usable order.
    """
    scored = scored_history(data)
    return None if scored is None else scored.bands


@indicator("platinum_revenue_share", requires=ORDERS, dimension="channel")
def platinum_revenue_share(data: ClientData) -> Measurement | None:
    """Measure the RFM top and second bands' share of customers' revenue, by channel.

    Bands come from each customer's whole history up to the end of the period
    (``rfm_bands``, the content's rules), and so does the revenue they are a share of: the
    monetary value the bands are scored on. The RFM table on the customer-value page shows
    the same base, so its rows add up to this headline.
    """
    scored = scored_history(data)
    if scored is None:
        return None
    o, numbers, bands = scored
    tiers = bands.set_index("customer_id")["tier"]
    return _customer_revenue_share(o, tiers.isin(HIGH_VALUE_TIERS), numbers)


@indicator("repeat_revenue_share", requires=ORDERS, dimension="channel")
def repeat_revenue_share(data: ClientData) -> Measurement | None:
    """Measure the revenue share of customers with two or more orders in the period, by channel."""
    o = _orders(data)
    if o.empty:
        return None
    ids = numbered(data, o)
    return _customer_revenue_share(o, per_customer(o, numbers=ids) >= REPEAT, ids)


def _at_risk(data: ClientData) -> tuple[ChurnRisk, pd.Series] | None:
    """Return the period's churn analysis and each customer's main channel (None: unmeasurable).

    Unmeasurable means no orders, or no repeat customer to learn a buying rhythm from. Made
    once per period for the two indicators reading it.
    """
    return data.shared("value.at_risk", lambda: _churn(data))


def _churn(data: ClientData) -> tuple[ChurnRisk, pd.Series] | None:
    o = _orders(data)
    if o.empty:
        return None
    ids = numbered(data, o)
    risk = churn_analysis(o, rules=churn_rules(), numbers=ids)
    if (risk.customers["risk"] == "unknown").all():
        return None
    customers = risk.customers["customer_id"]
    main = main_value(o, "channel", ids)
    if main.index.equals(pd.Index(customers)):  # every customer has one, in the same order
        return risk, pd.Series(main.array, customers.index, name="channel")
    return risk, customers.map(main).rename("channel")


@indicator("revenue_at_risk_share", requires=ORDERS, dimension="channel")
def revenue_at_risk_share(data: ClientData) -> Measurement | None:
    """Measure the revenue share of high churn-risk customers, by their main channel.

    High risk: the days since the last order reach ``high_ratio`` times the customer's usual
    interval between orders (see ``playbook.analytics.loyalty.churn_risk``). Lower is better.
    None when no customer ordered twice (no rhythm to measure against).
    """
    found = _at_risk(data)
    if found is None:
        return None
    risk, channel = found
    c = risk.customers
    return ratio_by(c["revenue"].where(c["risk"] == "high", 0.0), c["revenue"], channel)


@indicator("customer_at_risk_share", requires=ORDERS, dimension="channel")
def customer_at_risk_share(data: ClientData) -> Measurement | None:
    """Measure the share of customers at high churn risk, by main channel (lower is better)."""
    found = _at_risk(data)
    if found is None:
        return None
    risk, channel = found
    return ratio_by(risk.customers["risk"] == "high", dim=channel)


@indicator(
    "new_customer_repeat_rate",
    requires={
        "orders": ("customer_id", "order_time", "channel"),
        "customers": ("customer_id", "signup_date"),
    },
    dimension="channel",
)
def new_customer_repeat_rate(data: ClientData) -> Measurement | None:
    """Measure the share of new customers who ordered again within the period, by main channel.

    New customers signed up on or after the day of the period's first order. They are the
    promising newcomers the retention plan nurtures early. None without any new customer.
    """
    o = usable(data, "orders", "customer_id", "order_time", "channel")
    customers = usable(data, "customers", "customer_id", "signup_date")
    if o.empty:
        return None
    start = o["order_time"].min().normalize()
    new = customers.loc[customers["signup_date"] >= start, "customer_id"]
    o = o[among(o["customer_id"], new).to_numpy()]
    if o.empty:
        return None
    ids = numbered(data, o)
    return ratio_by(per_customer(o, numbers=ids) >= REPEAT, dim=main_value(o, "channel", ids))
