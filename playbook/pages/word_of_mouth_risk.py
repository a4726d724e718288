"""Show the word-of-mouth and risk deep dive: NPS by segment and touchpoint, the risk checklist.

``WordOfMouthRiskPage`` is an ``AnalysisPage`` with the analyses; each is a function here
(frames in, ``Html`` out, client strings escaped, every word from common.yaml) that a page
method calls with the page's data. Without a survey it says what would feed it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from playbook.analytics.wom import nps as nps_table
from playbook.charts.value import nps_segments_chart
from playbook.content import label as _label
from playbook.diagnosis import FrameworkDiagnosis
from playbook.pages.framework import AnalysisPage
from playbook.pages.html import Html, badge_html, page_html, table_html
from playbook.pages.html import charts_html as _charts
from playbook.pages.html import esc as _e
from playbook.pages.html import needs_data_html as _needs
from playbook.pages.registry import register
from playbook.pages.strategist import excluded_badge
from playbook.units import format_value, format_whole


def _pct(value: float, lang: str) -> str:
    return format_value(value, "pct", lang)


def _nps_rows(table: pd.DataFrame, column: str, lang: str) -> str:
    rows = [
        [
            _e(getattr(r, column)),
            f"{int(r.responses):,}",
            _pct(r.promoters, lang),
            _pct(r.passives, lang),
            _pct(r.detractors, lang),
            format_whole(r.nps),
        ]
        for r in table.itertuples()
    ]
    headers = [
        (_e(_label(k, lang)), k != f"{column}_member")
        for k in (f"{column}_member", "nps_answers", "promoters", "passives", "detractors")
    ]
    headers.append(("NPS", True))
    return table_html(headers, rows)


def nps_breakdown_html(
    survey: pd.DataFrame | None, customers: pd.DataFrame | None, lang: str
) -> Html:
    """Return overall NPS with its mix, then NPS by customer segment and by touchpoint.

    Segments come from ``customers.segment`` joined on ``survey.customer_id``. A breakdown
    whose columns are missing says what would feed it.
    """
    title = f"<h3>{_e(_label('nps_detail', lang))}</h3>"
    if survey is None or "nps" not in survey.columns or survey["nps"].dropna().empty:
        return page_html(title + _needs(["survey.nps"], lang), lang)
    overall = nps_table(survey).iloc[0]
    line = _label("nps_overall", lang).format(
        nps=format_whole(overall.nps),
        responses=f"{int(overall.responses):,}",
        promoters=_pct(overall.promoters, lang),
        passives=_pct(overall.passives, lang),
        detractors=_pct(overall.detractors, lang),
    )
    body = [title, f"<p><strong>{_e(line)}</strong></p>"]
    has_segments = (
        customers is not None
        and "customer_id" in survey.columns
        and {"customer_id", "segment"} <= set(customers.columns)
    )
    heading = f"<h3>{_e(_label('nps_by_segment', lang))}</h3>"
    if has_segments:
        segment = customers.dropna(subset=["segment"]).drop_duplicates("customer_id")
        joined = survey.assign(
            segment=survey["customer_id"].map(segment.set_index("customer_id")["segment"])
        )
        if joined[["segment", "nps"]].dropna().empty:
            has_segments = False
    if has_segments:
        by_segment = nps_table(joined, by="segment")
        body += [
            heading,
            _nps_rows(by_segment, "segment", lang),
            _charts(
                nps_segments_chart(by_segment, "segment", _label("nps_by_segment", lang), lang)
            ),
        ]
    else:
        body += [heading, _needs(["survey.customer_id", "customers.segment"], lang)]
    heading = f"<h3>{_e(_label('nps_by_touchpoint', lang))}</h3>"
    if "touchpoint" in survey.columns and not survey[["touchpoint", "nps"]].dropna().empty:
        by_touchpoint = nps_table(survey, by="touchpoint")
        body += [
            heading,
            _nps_rows(by_touchpoint, "touchpoint", lang),
            _charts(
                nps_segments_chart(
                    by_touchpoint, "touchpoint", _label("nps_by_touchpoint", lang), lang
                )
            ),
        ]
    else:
        body += [heading, _needs(["survey.touchpoint"], lang)]
    return page_html("\n".join(body), lang)


def risk_checklist_html(diag: FrameworkDiagnosis, element_ids: Sequence[str], lang: str) -> Html:
    """Return the risk checklist at a glance: each item's score, band, basis, checks, evidence."""
    rows = []
    excluded = {x.element.id: x for x in diag.excluded}
    for element_id in element_ids:
        if element_id in excluded:  # outside the engagement's scope: the reason, no score
            x = excluded[element_id]
            checks = "<br>".join(_e(p(lang)) for p in x.element.key_points)
            rows.append(
                [_e(x.element.title(lang)), "—", excluded_badge(lang), "—", checks, _e(x.reason)]
            )
            continue
        e = diag.element(element_id)
        score = "—" if e.score is None else f"{e.score:.0f}"
        evidence = (
            e.assessment.evidence or "—"
            if e.assessment
            else "—"
            if e.basis == "data"
            else _label("checklist_not_assessed", lang)
        )
        checks = "<br>".join(_e(p(lang)) for p in e.element.key_points)
        rows.append(
            [
                _e(e.element.title(lang)),
                score,
                badge_html(e.band, lang),
                _e(_label(f"basis_{e.basis}", lang)),
                checks,
                _e(evidence),
            ]
        )
    headers = [
        (_e(_label(k, lang)), k == "score")
        for k in ("checklist_item", "score", "band", "basis", "checks", "evidence")
    ]
    title = f"<h3>{_e(_label('risk_checklist', lang))}</h3>"
    return page_html(title + "\n" + table_html(headers, rows), lang)


#: The elements of word_of_mouth_risk that form the risk checklist.
RISK_CHECKLIST = ("privacy", "service_level", "continuity")


@register("word_of_mouth_risk")
@dataclass(frozen=True)
class WordOfMouthRiskPage(AnalysisPage):
    """The word of mouth and risk page: NPS by segment and touchpoint, the risk checklist."""

    def nps_breakdown(self) -> Html:
        """Show overall NPS and its mix by segment and by touchpoint."""
        return nps_breakdown_html(
            self.current.table("survey"), self.current.table("customers"), self.lang
        )

    def risk_checklist(self) -> Html:
        """Show the privacy, SLA and continuity checklist scores at a glance."""
        return risk_checklist_html(self.diagnosis, RISK_CHECKLIST, self.lang)


__all__ = ["RISK_CHECKLIST", "WordOfMouthRiskPage", "nps_breakdown_html", "risk_checklist_html"]
