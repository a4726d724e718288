"""Pricing and revenue: elasticity, discount effectiveness, Van Westendorp, price packages."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from playbook.analytics import require_columns
from playbook.analytics.marketing import two_proportion_test


@dataclass(frozen=True)
class ElasticityOptions:
    """When a price elasticity is estimable, and how points are formed.

    Attributes:
        period: Pandas period alias the orders are aggregated by ("W" = week).
        min_points: Fewest (period x price point) observations to fit.
        min_price_points: Fewest distinct prices.
        min_price_spread: Smallest max/min price ratio - 1 (0.05 = prices vary by 5 %).
        confidence: Level of the confidence interval.
        price_decimals: Prices are rounded to this many decimals to form price points.
    """

    period: str = "W"
    min_points: int = 8
    min_price_points: int = 3
    min_price_spread: float = 0.05
    confidence: float = 0.95
    price_decimals: int = 2


@dataclass(frozen=True)
class Elasticity:
    """A log-log price elasticity estimate, or why there is none.

    ``elasticity`` is the slope of log(quantity) on log(price): the % change in quantity for
    a 1 % price change. When ``estimable`` is False only ``reason`` and the counts are set.
    ``points`` holds the aggregated observations the fit used (for a scatter chart).
    """

    estimable: bool
    reason: str | None
    n_points: int
    n_price_points: int
    elasticity: float | None = None
    std_error: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    r_squared: float | None = None
    intercept: float | None = None
    confidence: float = 0.95
    points: pd.DataFrame | None = None

    @property
    def reading(self) -> str:
        """Classify the estimate: elastic, inelastic, unclear (CI spans -1) or not_estimable."""
        if not self.estimable:
            return "not_estimable"
        if self.ci_high < -1:
            return "elastic"
        if self.ci_low > -1:
            return "inelastic"
        return "unclear"


def price_elasticity(
    orders: pd.DataFrame,
    price_col: str = "list_price",
    quantity_col: str | None = "quantity",
    segment_col: str | None = None,
    options: ElasticityOptions | None = None,
) -> Elasticity:
    """Estimate price elasticity by log-log OLS on quantities per price point and period.

    Orders are aggregated to one point per (period, price point[, segment]): the quantity
    sold (sum of ``quantity_col``, or the number of orders when it is None). The fit is
    log(q) = a + b log(p); with ``segment_col`` each segment gets its own intercept (fixed
    effects, so products at different price levels are compared only with themselves).
    The CI of b uses Student's t with n - 1 - (segments) degrees of freedom.

    Args:
        orders: Orders with order_time and the price (and quantity, segment) columns.
        price_col: Unit price column.
        quantity_col: Units column, or None to count orders.
        segment_col: Optional column for per-segment intercepts (e.g. category).
        options: Thresholds and aggregation (default ``ElasticityOptions()``).

    Returns:
        ``Elasticity``; ``estimable`` is False with a plain reason when prices do not vary
        enough or there are too few observations.
    """
    o = options or ElasticityOptions()
    cols = ["order_time", price_col] + [c for c in (quantity_col, segment_col) if c]
    require_columns(orders, cols, "orders")
    df = orders[cols].dropna()
    df = df.loc[df[price_col] > 0]
    keys = {
        "period": df["order_time"].dt.to_period(o.period).dt.start_time,
        "price": df[price_col].round(o.price_decimals),
        "segment": df[segment_col] if segment_col else pd.Series("all", index=df.index),
    }
    qty = df[quantity_col] if quantity_col else pd.Series(1.0, index=df.index)
    pts = qty.groupby([keys["segment"], keys["period"], keys["price"]]).sum()
    pts = pts.rename("quantity").rename_axis(["segment", "period", "price"]).reset_index()
    pts = pts.loc[pts["quantity"] > 0]
    n, n_prices = len(pts), int(pts["price"].nunique())
    groups = int(pts["segment"].nunique())

    def none(reason: str) -> Elasticity:
        return Elasticity(False, reason, n, n_prices, confidence=o.confidence, points=pts)

    if n_prices < o.min_price_points:
        return none(
            f"only {n_prices} distinct price(s); at least {o.min_price_points} "
            "are needed to estimate how demand responds to price"
        )
    spread = pts["price"].max() / pts["price"].min() - 1
    if spread < o.min_price_spread:
        return none(f"prices vary by only {spread:.1%} (at least {o.min_price_spread:.0%} needed)")
    if n < o.min_points or n - 1 - groups < 1:
        return none(f"only {n} price-period observations (at least {o.min_points} needed)")
    x, y = np.log(pts["price"]), np.log(pts["quantity"])
    xd = x - x.groupby(pts["segment"]).transform("mean")
    yd = y - y.groupby(pts["segment"]).transform("mean")
    sxx = float((xd**2).sum())
    if sxx <= 1e-12:
        return none("prices do not vary within any segment")
    slope = float((xd * yd).sum()) / sxx
    resid = yd - slope * xd
    dof = n - 1 - groups
    ssr, sst = float((resid**2).sum()), float((yd**2).sum())
    se = float(np.sqrt(ssr / dof / sxx))
    from scipy import special  # stdtrit: scipy.stats.t.ppf's own; imported when needed

    t = float(special.stdtrit(dof, 0.5 + o.confidence / 2))
    intercept = float(y.mean() - slope * x.mean()) if groups == 1 else None
    return Elasticity(
        True,
        None,
        n,
        n_prices,
        slope,
        se,
        slope - t * se,
        slope + t * se,
        1 - ssr / sst if sst > 0 else 0.0,
        intercept,
        o.confidence,
        pts,
    )


@dataclass(frozen=True)
class DiscountEffect:
    """Repurchase of customers whose first order was discounted vs full price.

    ``table`` has one row per group ("discounted", "full_price"); ``lift`` is the ratio of
    their repurchase rates (None when a group is empty or the full-price rate is 0), and
    ``p_value`` a two-proportion z-test of the difference.
    """

    table: pd.DataFrame
    lift: float | None
    difference: float | None
    p_value: float | None


def discount_effectiveness(orders: pd.DataFrame, discount_col: str = "discount") -> DiscountEffect:
    """Compare repurchase after a discounted first order with a full-price first order.

    Args:
        orders: Orders with customer_id, order_time, amount and the discount column.
        discount_col: Discount amount per order (> 0 means discounted).

    Returns:
        ``DiscountEffect``; table columns: group, customers, repeat_customers,
        repurchase_rate, orders_per_customer, revenue_per_customer,
        first_discount_rate (mean discount / (amount + discount) on first orders).
    """
    require_columns(orders, ("customer_id", "order_time", "amount", discount_col), "orders")
    df = orders.sort_values(["customer_id", "order_time"], kind="stable")
    g = df.groupby("customer_id", sort=True)
    first = g.head(1).set_index("customer_id")
    disc = first[discount_col].fillna(0)
    per = pd.DataFrame(
        {
            "group": disc.gt(0).map({True: "discounted", False: "full_price"}),
            "orders": g.size(),
            "revenue": g["amount"].sum(),
            "first_rate": disc / (first["amount"] + disc).replace(0, np.nan),
        }
    )
    per["repeat"] = per["orders"] >= 2
    table = per.groupby("group").agg(
        customers=("orders", "size"),
        repeat_customers=("repeat", "sum"),
        orders=("orders", "sum"),
        revenue=("revenue", "sum"),
        first_discount_rate=("first_rate", "mean"),
    )
    table = table.reindex(["discounted", "full_price"]).fillna(0)
    table["repurchase_rate"] = table["repeat_customers"] / table["customers"].replace(0, np.nan)
    table["orders_per_customer"] = table["orders"] / table["customers"].replace(0, np.nan)
    table["revenue_per_customer"] = table["revenue"] / table["customers"].replace(0, np.nan)
    table = table[
        [
            "customers",
            "repeat_customers",
            "repurchase_rate",
            "orders_per_customer",
            "revenue_per_customer",
            "first_discount_rate",
        ]
    ].rename_axis("group")
    d, f = table.loc["discounted"], table.loc["full_price"]
    if d["customers"] == 0 or f["customers"] == 0:
        return DiscountEffect(table.reset_index(), None, None, None)
    test = two_proportion_test(
        int(f["repeat_customers"]),
        int(f["customers"]),
        int(d["repeat_customers"]),
        int(d["customers"]),
    )
    lift = test.p2 / test.p1 if test.p1 > 0 else None
    return DiscountEffect(table.reset_index(), lift, test.difference, test.p_value)


VW_QUESTIONS = ("too_cheap", "cheap", "expensive", "too_expensive")


@dataclass(frozen=True)
class VanWestendorp:
    """The Van Westendorp price-sensitivity meter.

    ``curves`` holds, per grid price: too_cheap and cheap (share answering at or above the
    price: falling curves), expensive and too_expensive (share answering at or below:
    rising), not_cheap = 1 - cheap and not_expensive = 1 - expensive. Intersections (None
    when the curves do not cross on the grid):

    - pmc, point of marginal cheapness: too_cheap x not_cheap (lower end of the range);
    - pme, point of marginal expensiveness: too_expensive x not_expensive (upper end);
    - opp, optimal price point: too_cheap x too_expensive;
    - ipp, indifference price point: cheap x expensive.
    """

    curves: pd.DataFrame
    pmc: float | None
    pme: float | None
    opp: float | None
    ipp: float | None
    n: int
    n_dropped: int

    @property
    def acceptable_range(self) -> tuple[float | None, float | None]:
        """Return the range of acceptable prices (pmc, pme)."""
        return self.pmc, self.pme


def _crossing(grid: np.ndarray, f: np.ndarray, g: np.ndarray) -> float | None:
    """Return the first price where f - g changes sign, linearly interpolated on the grid.

    When f == g exactly over a run of grid points, the middle of that run is returned.
    """
    d = f - g
    zero = np.isclose(d, 0.0, atol=1e-12)
    change = np.flatnonzero(np.sign(d[:-1]) * np.sign(d[1:]) < 0)
    first_zero = int(np.argmax(zero)) if zero.any() else None
    first_change = int(change[0]) if len(change) else None
    if first_zero is not None and (first_change is None or first_zero <= first_change):
        end = first_zero
        while end + 1 < len(d) and zero[end + 1]:
            end += 1
        return float((grid[first_zero] + grid[end]) / 2)
    if first_change is None:
        return None
    i = first_change
    return float(grid[i] + d[i] / (d[i] - d[i + 1]) * (grid[i + 1] - grid[i]))


def van_westendorp(survey: pd.DataFrame, grid: Sequence[float] | None = None) -> VanWestendorp:
    """Build the price-sensitivity meter from the four Van Westendorp questions.

    Respondents missing an answer or answering out of order (too_cheap <= cheap <=
    expensive <= too_expensive violated) are dropped and counted in ``n_dropped``.

    Args:
        survey: Responses with columns too_cheap, cheap, expensive, too_expensive (prices).
        grid: Prices to evaluate the curves at (default: every distinct answered price, so
            the curves are the empirical cumulative shares joined linearly).

    Returns:
        ``VanWestendorp`` with the curves and the four intersections.
    """
    require_columns(survey, VW_QUESTIONS, "survey")
    answers = survey[list(VW_QUESTIONS)].dropna()
    ordered = (
        (answers["too_cheap"] <= answers["cheap"])
        & (answers["cheap"] <= answers["expensive"])
        & (answers["expensive"] <= answers["too_expensive"])
    )
    answers = answers.loc[ordered]
    n_dropped = len(survey) - len(answers)
    if answers.empty:
        raise ValueError(
            "survey: no complete, consistently ordered price answers "
            "(too_cheap <= cheap <= expensive <= too_expensive)"
        )
    prices = (
        np.unique(answers.to_numpy().ravel())
        if grid is None
        else np.sort(np.asarray(grid, dtype=float))
    )
    n = len(answers)

    def at_or_above(col: str) -> np.ndarray:
        v = np.sort(answers[col].to_numpy())
        return (n - np.searchsorted(v, prices, side="left")) / n

    def at_or_below(col: str) -> np.ndarray:
        v = np.sort(answers[col].to_numpy())
        return np.searchsorted(v, prices, side="right") / n

    curves = pd.DataFrame(
        {
            "price": prices,
            "too_cheap": at_or_above("too_cheap"),
            "cheap": at_or_above("cheap"),
            "expensive": at_or_below("expensive"),
            "too_expensive": at_or_below("too_expensive"),
        }
    )
    curves["not_cheap"] = 1 - curves["cheap"]
    curves["not_expensive"] = 1 - curves["expensive"]
    c = {k: curves[k].to_numpy() for k in curves.columns}
    return VanWestendorp(
        curves=curves,
        pmc=_crossing(prices, c["too_cheap"], c["not_cheap"]),
        pme=_crossing(prices, c["not_expensive"], c["too_expensive"]),
        opp=_crossing(prices, c["too_cheap"], c["too_expensive"]),
        ipp=_crossing(prices, c["cheap"], c["expensive"]),
        n=n,
        n_dropped=n_dropped,
    )


@dataclass(frozen=True)
class PackageOptions:
    """Tiered packages: one per name, priced at the matching quantile of order value.

    Attributes:
        names: Package names, cheapest first.
        quantiles: Order-value quantile anchoring each package's price.
        round_to: Round prices half-up to this step (e.g. 1, 5); None keeps them exact.
    """

    names: tuple[str, ...] = ("basic", "standard", "premium")
    quantiles: tuple[float, ...] = (0.25, 0.5, 0.85)
    round_to: float | None = None

    def __post_init__(self) -> None:
        if len(self.names) != len(self.quantiles) or not self.names:
            raise ValueError("PackageOptions: one quantile per package name is needed")
        if list(self.quantiles) != sorted(self.quantiles) or not all(
            0 <= q <= 1 for q in self.quantiles
        ):
            raise ValueError("PackageOptions: quantiles must be increasing, within [0, 1]")


def package_tiers(
    orders: pd.DataFrame,
    options: PackageOptions | None = None,
    acceptable_range: tuple[float | None, float | None] | None = None,
    value_col: str = "amount",
) -> pd.DataFrame:
    """Suggest tiered packages priced at quantiles of what customers already spend.

    Each order is assigned to the package whose price is nearest to its value, which shows
    how today's demand would spread over the tiers. Prices outside ``acceptable_range``
    (e.g. the Van Westendorp pmc..pme) are clipped into it and flagged.

    Args:
        orders: Orders with the value column.
        options: Package names, quantiles, rounding (default ``PackageOptions()``).
        acceptable_range: Optional (low, high) price bounds; either may be None.
        value_col: Order value column.

    Returns:
        One row per package: package, quantile, price, clipped, order_share, revenue_share.
    """
    o = options or PackageOptions()
    require_columns(orders, (value_col,), "orders")
    values = orders[value_col].dropna().to_numpy(dtype=float)
    if len(values) == 0:
        raise ValueError(f"orders: no {value_col} values to price packages from")
    raw = np.quantile(values, o.quantiles)
    price = raw if o.round_to is None else np.floor(raw / o.round_to + 0.5) * o.round_to
    low, high = acceptable_range or (None, None)
    clipped = np.clip(
        price, low if low is not None else -np.inf, high if high is not None else np.inf
    )
    midpoints = (clipped[:-1] + clipped[1:]) / 2
    band = np.searchsorted(midpoints, values, side="left")
    counts = np.bincount(band, minlength=len(clipped))
    revenue = np.bincount(band, weights=values, minlength=len(clipped))
    return pd.DataFrame(
        {
            "package": list(o.names),
            "quantile": list(o.quantiles),
            "price": clipped,
            "clipped": clipped != price,
            "order_share": counts / len(values),
            "revenue_share": revenue / values.sum() if values.sum() > 0 else np.nan,
        }
    )
