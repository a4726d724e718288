"""Show the pricing analyses on a report page: elasticity, discounts, Van Westendorp, packages.

``framework.AnalysisPage`` pairs a framework's report page (header, overview, element
sections) with the client's data for the analysis period, so a notebook can show an
element's diagnosis and then the analysis behind it. ``PricingPage`` adds the pricing
analyses; each method calls a module function below (``elasticity_html`` …) that takes
frames and returns ``Html``: all wording from common.yaml in the chosen language, client
data escaped, charts embedded as PNG.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from playbook.analytics.pricing import (
    VW_QUESTIONS,
    Elasticity,
    ElasticityOptions,
    PackageOptions,
    discount_effectiveness,
    package_tiers,
    van_westendorp,
)
from playbook.charts.pricing import (
    discount_bars,
    elasticity_fit,
    package_bars,
    van_westendorp_meter,
)
from playbook.content import PackageParams, label
from playbook.content import framework as load_framework
from playbook.indicators.value_pricing import order_elasticity, order_unit_prices
from playbook.pages.framework import AnalysisPage
from playbook.pages.html import Html, table_html, template
from playbook.pages.html import callout_html as callout
from playbook.pages.html import charts_html as charts
from playbook.pages.html import esc as _e
from playbook.pages.html import section_html as section
from playbook.pages.registry import register
from playbook.units import format_p_value, format_value

# --- elasticity ----------------------------------------------------------------------------


def elasticity_reason(est: Elasticity, lang: str, options: ElasticityOptions | None = None) -> str:
    """Explain in ``lang`` why an elasticity is not estimable."""
    o = options or ElasticityOptions()
    if est.n_price_points <= 1:
        return template("elasticity_no_variation", lang, n=est.n_price_points)
    if est.n_price_points < o.min_price_points:
        return template(
            "elasticity_few_prices", lang, n=est.n_price_points, need=o.min_price_points
        )
    prices = est.points["price"] if est.points is not None else pd.Series(dtype=float)
    spread = prices.max() / prices.min() - 1 if len(prices) else 0.0
    if spread < o.min_price_spread:
        return template(
            "elasticity_small_spread",
            lang,
            spread=f"{spread:.1%}",
            need=f"{o.min_price_spread:.0%}",
        )
    if est.n_points < o.min_points:
        return template("elasticity_few_points", lang, n=est.n_points, need=o.min_points)
    return template("elasticity_no_variation", lang, n=est.n_price_points)


def elasticity_reading(est: Elasticity, lang: str) -> str:
    """Return the plain-language reading of an estimable elasticity."""
    if est.elasticity >= 0:
        return template("reading_positive", lang)
    key = {"elastic": "reading_elastic", "inelastic": "reading_inelastic"}.get(
        est.reading, "reading_unclear"
    )
    return template(key, lang, pct=f"{abs(est.elasticity):.1f}")


def elasticity_html(orders: pd.DataFrame, lang: str) -> Html:
    """Return the elasticity block: estimate, CI, reading and the log-log chart.

    Says "not estimable" with the reason when the orders lack units or prices do not vary.
    """
    title = load_framework("pricing_revenue").element("price_elasticity").title(lang)
    missing = [
        c
        for c in ("order_time", "amount", "quantity")
        if c not in orders.columns or orders[c].isna().all()
    ]
    if missing:
        text = template(
            "elasticity_needs_columns", lang, columns=", ".join(f"orders.{c}" for c in missing)
        )
        return section(title, [callout(label("not_estimable", lang), text)], lang)
    est = order_elasticity(orders)
    if not est.estimable:
        return section(
            title, [callout(label("not_estimable", lang), elasticity_reason(est, lang))], lang
        )
    estimate = template(
        "elasticity_estimate",
        lang,
        value=format_value(est.elasticity, "number", lang),
        level=f"{est.confidence:.0%}",
        low=format_value(est.ci_low, "number", lang),
        high=format_value(est.ci_high, "number", lang),
        points=f"{est.n_points:,}",
        r2=f"{est.r_squared:.2f}",
    )
    parts = [
        f"<p><strong>{_e(estimate)}</strong></p>",
        f"<p>{_e(elasticity_reading(est, lang))}</p>",
        charts(elasticity_fit(est, lang)),
        f'<p class="pb-meta">{_e(template("elasticity_method", lang))}</p>',
    ]
    return section(title, parts, lang)


# --- discounts -----------------------------------------------------------------------------


def discount_html(orders: pd.DataFrame, lang: str, currency: str = "") -> Html:
    """Return the discount block: repurchase after discounted vs full-price first orders."""
    title = load_framework("pricing_revenue").element("discount_effect").title(lang)
    if "discount" not in orders.columns or orders["discount"].isna().all():
        return section(
            title, [callout(label("not_estimable", lang), template("discount_needs", lang))], lang
        )
    effect = discount_effectiveness(orders)
    rows = []
    for r in effect.table.itertuples():
        rows.append(
            [
                _e(label(r.group, lang)),
                f"{int(r.customers):,}",
                f"{int(r.repeat_customers):,}",
                _e(format_value(r.repurchase_rate, "pct", lang)),
                _e(format_value(r.orders_per_customer, "score", lang)),
                _e(format_value(r.revenue_per_customer, "currency", lang, currency)),
                _e(format_value(r.first_discount_rate, "pct", lang)),
            ]
        )
    keys = (
        "group",
        "customers",
        "repeat_customers",
        "repurchase",
        "orders_per_customer",
        "revenue_per_customer",
        "first_discount_rate",
    )
    table = table_html([(_e(label(k, lang)), k != "group") for k in keys], rows)
    if effect.lift is None:
        return section(
            title,
            [callout(label("not_estimable", lang), template("discount_one_group", lang)), table],
            lang,
        )
    t = effect.table.set_index("group")
    verdict = label("significant" if effect.p_value < 0.05 else "not_significant", lang)
    reading = template(
        "discount_reading",
        lang,
        discounted=format_value(t.loc["discounted", "repurchase_rate"], "pct", lang),
        n_discounted=f"{int(t.loc['discounted', 'customers']):,}",
        full=format_value(t.loc["full_price", "repurchase_rate"], "pct", lang),
        n_full=f"{int(t.loc['full_price', 'customers']):,}",
        lift=format_value(effect.lift, "ratio", lang),
        p=format_p_value(effect.p_value),
        verdict=verdict,
    )
    return section(
        title, [f"<p>{_e(reading)}</p>", charts(discount_bars(effect, lang)), table], lang
    )


# --- Van Westendorp ------------------------------------------------------------------------


def price_sensitivity_html(
    survey: pd.DataFrame | None, orders: pd.DataFrame, lang: str, currency: str = ""
) -> Html:
    """Return the Van Westendorp block: the meter, its range and price points, or what it needs."""
    title = load_framework("pricing_revenue").element("price_sensitivity").title(lang)
    if survey is None or any(
        c not in survey.columns or survey[c].isna().all() for c in VW_QUESTIONS
    ):
        return section(
            title, [callout(label("not_estimable", lang), template("vw_needs", lang))], lang
        )
    try:
        meter = van_westendorp(survey.dropna(subset=list(VW_QUESTIONS)))
    except ValueError:
        return section(
            title, [callout(label("not_estimable", lang), template("vw_no_answers", lang))], lang
        )
    low, high = meter.acceptable_range
    summary = template(
        "vw_summary",
        lang,
        low=format_value(low, "number", lang),
        high=format_value(high, "number", lang),
        opp=format_value(meter.opp, "number", lang),
        ipp=format_value(meter.ipp, "number", lang),
        n=meter.n,
        dropped=meter.n_dropped,
    )
    parts = [f"<p><strong>{_e(summary)}</strong></p>"]
    price = order_unit_prices(orders).dropna()
    if low is not None and high is not None and not price.empty:
        share = format_value(float(price.between(low, high).mean()), "pct", lang)
        parts.append(f"<p>{_e(template('vw_in_range', lang, share=share))}</p>")
    parts.append(charts(van_westendorp_meter(meter, lang, currency)))
    return section(title, parts, lang)


# --- packages ------------------------------------------------------------------------------


def package_options(params: PackageParams | None) -> PackageOptions:
    """Build the package tiers from the content's ``packages`` params (default when none)."""
    if params is None:
        return PackageOptions()
    pairs = params.packages()
    return PackageOptions(tuple(n for n, _ in pairs), tuple(q for _, q in pairs))


def packages_html(
    orders: pd.DataFrame, params: PackageParams | None, lang: str, currency: str = ""
) -> Html:
    """Return the package block: suggested prices and how today's orders would spread."""
    title = load_framework("pricing_revenue").element("package_tiers").title(lang)
    options = package_options(params)
    packages = package_tiers(orders, options)
    rows = [
        [
            _e(label(f"package_{r.package}", lang)),
            f"P{r.quantile * 100:.0f}",
            _e(format_value(r.price, "currency", lang, currency)),
            _e(format_value(r.order_share, "pct", lang)),
            _e(format_value(r.revenue_share, "pct", lang)),
        ]
        for r in packages.itertuples()
    ]
    keys = ("package", "anchor_quantile", "suggested_price", "order_share", "revenue_share")
    table = table_html([(_e(label(k, lang)), k != "package") for k in keys], rows)
    note = template(
        "packages_note", lang, quantiles=" / ".join(f"P{q * 100:.0f}" for q in options.quantiles)
    )
    return section(
        title, [f"<p>{_e(note)}</p>", charts(package_bars(packages, lang, currency)), table], lang
    )


# --- the page ------------------------------------------------------------------------------


@register("pricing_revenue")
@dataclass(frozen=True)
class PricingPage(AnalysisPage):
    """The pricing-and-revenue page: the framework's elements and their analyses."""

    def elasticity(self) -> Html:
        """Show the price elasticity: estimate, reading and chart (or why not estimable)."""
        return elasticity_html(self.current.orders, self.lang)

    def discounts(self) -> Html:
        """Show repurchase after discounted and full-price first orders."""
        return discount_html(self.current.orders, self.lang, self.currency)

    def price_sensitivity(self) -> Html:
        """Show the Van Westendorp meter (or which survey columns it needs)."""
        return price_sensitivity_html(
            self.current.table("survey"), self.current.orders, self.lang, self.currency
        )

    def packages(self) -> Html:
        """Show the tiered package suggestions."""
        params = self.diagnosis.framework.element("package_tiers").params.packages
        return packages_html(self.current.orders, params, self.lang, self.currency)
