"""Show the marketing analyses on a report page: funnel by channel, attribution, A/B tests.

``MarketingPage`` adds the analyses to a framework page (see ``framework.AnalysisPage``).
The module functions take frames and return ``Html``: wording from common.yaml in the chosen
language, client data escaped, charts embedded as PNG.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from playbook.analytics.marketing import ABReadout, attribution, conversion_funnel
from playbook.charts.marketing import MODELS, ab_chart, attribution_bars, funnel_by_channel
from playbook.content import framework as load_framework
from playbook.content import label
from playbook.data.contract import ClientConfig
from playbook.indicators.value_marketing import (
    JOURNEY_COLUMNS,
    conversion_stage,
    experiment_readouts,
)
from playbook.pages.framework import AnalysisPage
from playbook.pages.html import Html, table_html, template
from playbook.pages.html import callout_html as callout
from playbook.pages.html import charts_html as charts
from playbook.pages.html import esc as _e
from playbook.pages.html import section_html as section
from playbook.pages.registry import register
from playbook.units import format_delta, format_lift, format_p_value, format_value


def _title(element_id: str, lang: str) -> str:
    return load_framework("marketing_decisions").element(element_id).title(lang)


def _journey(journey: pd.DataFrame | None, config: ClientConfig) -> pd.DataFrame | None:
    if journey is None or journey.empty or not config.journey_stages:
        return None
    if any(c not in journey.columns for c in JOURNEY_COLUMNS):
        return None
    return journey.dropna(subset=list(JOURNEY_COLUMNS))


def _needs_journey(title: str, lang: str) -> Html:
    return section(
        title, [callout(label("not_measured", lang), template("funnel_needs", lang))], lang
    )


def funnel_html(journey: pd.DataFrame | None, config: ClientConfig, lang: str) -> Html:
    """Return the funnel by entry channel (chart and table), or what it needs."""
    title = _title("conversion_funnel", lang)
    j = _journey(journey, config)
    if j is None or j.empty:
        return _needs_journey(title, lang)
    funnel = conversion_funnel(j, config.journey_stages, by="channel")
    stages = list(config.journey_stages)
    wide = funnel.pivot(index="channel", columns="stage", values="cumulative")[stages]
    entered = funnel.loc[funnel["step"] == 1].set_index("channel")["customers"]
    rows = [
        [_e(ch), f"{int(entered[ch]):,}"] + [_e(format_value(v, "pct", lang)) for v in wide.loc[ch]]
        for ch in wide.index
    ]
    headers = [(_e(label("entry_channel", lang)), False), (_e(label("customers", lang)), True)]
    headers += [(_e(s), True) for s in stages]
    return section(
        title, [charts(funnel_by_channel(funnel, "channel", lang)), table_html(headers, rows)], lang
    )


def attribution_html(journey: pd.DataFrame | None, config: ClientConfig, lang: str) -> Html:
    """Return conversions credited per channel by the four models (chart and table)."""
    title = _title("attribution", lang)
    j = _journey(journey, config)
    if j is None or j.empty:
        return _needs_journey(title, lang)
    from playbook.analytics.marketing import journey_paths

    stage = conversion_stage(list(config.journey_stages), j)
    paths = journey_paths(j, stage)
    n_conv = int(paths["converted"].sum())
    if n_conv == 0:
        return section(
            title,
            [
                callout(
                    label("not_estimable", lang), template("attribution_none", lang, stage=stage)
                )
            ],
            lang,
        )
    attr = attribution(paths)
    summary = template(
        "attribution_summary",
        lang,
        paths=f"{len(paths):,}",
        conversions=f"{n_conv:,}",
        stage=stage,
        rate=format_value(n_conv / len(paths), "pct", lang),
    )
    spread = attr.set_index("channel")[list(MODELS)]
    widest = (spread.max(axis=1) - spread.min(axis=1)).idxmax()
    reading = template(
        "attribution_reading",
        lang,
        channel=widest,
        low=f"{spread.loc[widest].min():.0f}",
        high=f"{spread.loc[widest].max():.0f}",
    )
    rows = [
        [_e(r.channel)]
        + [f"{getattr(r, m):,.1f}" for m in MODELS]
        + [_e(format_value(r.removal_effect, "pct", lang))]
        for r in attr.itertuples()
    ]
    headers = [(_e(label("channel", lang)), False)]
    headers += [(_e(label(k, lang)), True) for k in (*MODELS, "removal_effect")]
    return section(
        title,
        [
            f"<p>{_e(summary)}</p>",
            f"<p>{_e(reading)}</p>",
            charts(attribution_bars(attr, lang)),
            table_html(headers, rows),
        ],
        lang,
    )


def readout_text(r: ABReadout, lang: str) -> list[str]:
    """Return the plain-language read-out of one test: result, then sample adequacy."""
    t = r.test
    pct = lambda v: format_value(v, "pct", lang)  # noqa: E731
    diff = format_delta(t.difference, "pct", lang)
    lift = "—" if t.lift is None else format_lift(t.lift)
    verdict = label("significant" if r.significant else "not_significant", lang)
    text = [
        template(
            "ab_reading",
            lang,
            experiment=r.experiment_id or "",
            treatment=r.treatment,
            control=r.control,
            p1=pct(t.p1),
            p2=pct(t.p2),
            lift=lift,
            diff=diff,
            level=f"{t.confidence:.0%}",
            low=format_delta(t.ci_low, "pct", lang),
            high=format_delta(t.ci_high, "pct", lang),
            p=format_p_value(t.p_value),
            verdict=verdict,
        )
    ]
    power = f"{r.power:.0%}"
    if r.required_n_per_arm is None:
        text.append(template("ab_no_lift", lang))
    elif r.adequate:
        text.append(template("ab_adequate", lang, need=f"{r.required_n_per_arm:,}", power=power))
    else:
        text.append(
            template(
                "ab_inadequate",
                lang,
                need=f"{r.required_n_per_arm:,}",
                power=power,
                n=f"{min(t.n1, t.n2):,}",
            )
        )
    return text


def experiments_html(experiments: pd.DataFrame | None, lang: str) -> Html:
    """Return the A/B read-out of every experiment, or what it needs."""
    title = label("ab_readout", lang)
    cols = ("experiment_id", "variant", "converted")
    if experiments is None or experiments.empty or any(c not in experiments.columns for c in cols):
        return section(
            title, [callout(label("not_measured", lang), template("ab_needs", lang))], lang
        )
    readouts = experiment_readouts(experiments.dropna(subset=list(cols)))
    if not readouts:
        return section(
            title, [callout(label("not_measured", lang), template("ab_needs", lang))], lang
        )
    parts, rows = [], []
    for r in readouts:
        parts += [f"<p>{_e(s)}</p>" for s in readout_text(r, lang)]
        parts.append(charts(ab_chart(r, lang)))
        t = r.test
        rows.append(
            [
                _e(r.experiment_id or ""),
                _e(f"{r.treatment} / {r.control}"),
                f"{t.n2:,} / {t.n1:,}",
                _e(f"{format_value(t.p2, 'pct', lang)} / {format_value(t.p1, 'pct', lang)}"),
                "—" if t.lift is None else _e(format_lift(t.lift)),
                _e(format_p_value(t.p_value)),
                "—" if r.required_n_per_arm is None else f"{r.required_n_per_arm:,}",
                _e(label("answer_yes" if r.adequate else "answer_no", lang)),
            ]
        )
    keys = (
        "experiment",
        "variant",
        "units",
        "conversion_rate",
        "lift",
        "p_value",
        "required_n",
        "adequate",
    )
    headers = [(_e(label(k, lang)), k not in ("experiment", "variant", "adequate")) for k in keys]
    return section(title, parts + [table_html(headers, rows)], lang)


@register("marketing_decisions")
@dataclass(frozen=True)
class MarketingPage(AnalysisPage):
    """The marketing-decisions page: the framework's elements and their analyses."""

    def funnel(self) -> Html:
        """Show the conversion funnel by entry channel (or which data it needs)."""
        return funnel_html(self.current.table("journey"), self.current.config, self.lang)

    def attribution(self) -> Html:
        """Show first-touch, last-touch, linear and Markov attribution side by side."""
        return attribution_html(self.current.table("journey"), self.current.config, self.lang)

    def experiments(self) -> Html:
        """Show the A/B test read-outs (or which table they need)."""
        return experiments_html(self.current.table("experiments"), self.lang)
