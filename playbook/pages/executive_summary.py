"""Show a client's executive summary as a report page: maturity, gaps, the 30/60/90-day plan.

The notebook ``90_executive_summary`` opens it with ``open_page("executive_summary", ...)``
and ends each cell with one section: ``header()``, ``framework_scores()``, ``radar()``,
``top_gaps()``, ``plan()``, ``not_assessed()`` and ``appendix()``, each returning ``Html``
(shown by the cell; ``str`` of it in a test, without a kernel). The strategist's summary
heads the page, the change since the previous report follows the maturity (or, once, that
there is none), and the appendix lists the elements outside the scope and the actions set
aside, with the reasons. The figures come from the framework diagnoses
(``diagnosis.diagnose_all``) through ``summary.summarise``, never from other notebooks. Every
framework and gap links to its framework's page (``01_exceed_expectations.html``, …), the
file name the renderer gives that notebook's export. Wording comes from ``common.yaml`` in
the chosen language; client data and content are escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date

import pandas as pd

from playbook.charts.summary import framework_scores_bar, radar_all, rollout_timeline
from playbook.config import DEFAULT_PERIOD_DAYS
from playbook.content import label
from playbook.data.commentary import Commentary
from playbook.data.model import ClientData
from playbook.data.prepared import PreparedClient
from playbook.diagnosis import FrameworkDiagnosis, diagnose_all
from playbook.diagnosis.prepared import read_diagnoses
from playbook.diagnosis.progress import (
    Snapshot,
    change,
    framework_change,
    history_dir,
    previous_snapshot,
)
from playbook.diagnosis.summary import ACTIONS_PER_PHASE, SOURCE_STRATEGIST, Summary, summarise
from playbook.pages.findings import missing_inputs, period_text
from playbook.pages.framework import Page, resolve_lang, targets_line
from playbook.pages.html import (
    Html,
    badge_html,
    figure_html,
    inputs_text,
    page_html,
    score_html,
    table_html,
)
from playbook.pages.html import esc as _e
from playbook.pages.html import sep as _sep
from playbook.pages.registry import register
from playbook.pages.strategist import change_html, tag_html, view_html
from playbook.theme import use_report_style


def _link(page: str, text: str) -> str:
    """Return a link to a framework's page; both are escaped."""
    return f'<a href="{_e(page)}">{_e(text)}</a>'


def _number(value: float) -> str:
    return "—" if pd.isna(value) else f"{value:.0f}"


def _headers(keys: Sequence[str], numeric: Sequence[str], lang: str) -> list[tuple[str, bool]]:
    return [(_e(label(k, lang)), k in numeric) for k in keys]


def header_html(
    summary: Summary,
    diagnoses: Sequence[FrameworkDiagnosis],
    generated: date,
    commentary: Commentary | None = None,
    previous: Snapshot | None = None,
) -> Html:
    """Return the header: title, client, date, period, question, maturity and its change.

    The strategist's summary (``commentary.yaml`` ``summary``) comes first, under the
    title; the overall maturity says how it moved since the previous report, or once that
    there is no earlier report to compare with.

    Args:
        summary: the client's summary (its ``lang`` is the page's language).
        diagnoses: the diagnoses it was built from (client and period).
        generated: the report's date.
        commentary: the strategist's commentary (none: no summary of theirs).
        previous: the previous report's scores (none: no earlier report).
    """
    if not diagnoses:
        raise ValueError("an executive summary needs at least one framework diagnosis")
    lang, sep = summary.lang, _sep(summary.lang)
    client, period = diagnoses[0].client, diagnoses[0].period
    period_line = period_text(period, lang)
    scored = int(summary.frameworks["score"].notna().sum())
    counts = label("frameworks_scored", lang).format(scored=scored, total=len(summary.frameworks))
    if summary.level is None:
        level = ""
    else:
        text = label("maturity_level", lang).format(level=summary.level, name=summary.level_name)
        level = f' · <span class="pb-maturity">{_e(text)}</span>'
    view = ""
    if commentary is not None:
        view = view_html(commentary.summary, lang, commentary.author, "strategist_summary")
    body = f"""<h1>{_e(label("executive_summary", lang))}</h1>
<p class="pb-meta">{_e(label("client", lang))}{sep}<strong>{_e(client.name)}</strong> · \
{_e(label("industry", lang))}{sep}{_e(client.industry)} · \
{_e(label("generated", lang))}{sep}{_e(generated.isoformat())}</p>
<p class="pb-meta">{_e(period_line)}</p>
<p class="pb-meta">{_e(targets_line(client, lang))}</p>
{view}
<div class="pb-question"><div class="pb-kicker">{_e(label("question", lang))}</div>
<div>{_e(label("summary_question", lang))}</div></div>
<p class="pb-score">{_e(label("service_maturity", lang))}{sep}\
{score_html(summary.score, summary.band, lang, named=False)}{level}</p>
<p class="pb-meta">{_e(counts)} · {_e(label("maturity_rule", lang))}</p>
{_progress_line(summary, previous)}"""
    return page_html(body, lang)


def _progress_line(summary: Summary, previous: Snapshot | None) -> str:
    """Return the overall change since the previous report, or once that there is none."""
    lang = summary.lang
    if previous is None:
        return f'<p class="pb-meta pb-progress">{_e(label("progress_none", lang))}</p>'
    moved = change(previous, summary.score, summary.band)
    since = _e(label("progress_since", lang).format(date=previous.as_of))
    return (
        f'<p class="pb-progress"><strong>{_e(label("progress_title", lang))}</strong>'
        f"{_sep(lang)}{change_html(moved, lang)} · {since}</p>"
    )


def framework_scores_html(summary: Summary, previous: Snapshot | None = None) -> Html:
    """Return the score per framework: a bar chart and a table linking each framework's page.

    With a previous report, the table also gives each framework's previous score and its
    change (arrow, points, band change).
    """
    lang = summary.lang
    rows = []
    for row in summary.frameworks.itertuples(index=False):
        score = None if pd.isna(row.score) else float(row.score)
        band = None if score is None else row.band
        cells = [
            _link(row.page, row.title),
            _number(row.score),
            badge_html(band, lang),
            f"{row.assessed}/{row.total}",
        ]
        if previous is not None:
            moved = framework_change(previous, row.framework_id, score, band)
            before = moved.before.score
            cells += ["—" if before is None else f"{before:.0f}", change_html(moved, lang)]
        rows.append(cells)
    keys = ("framework", "score", "band", "elements_assessed_column")
    headers = _headers(keys, ("score", "elements_assessed_column"), lang)
    if previous is not None:
        headers += [(_e(label("progress_previous", lang)), True)]
        headers += [(_e(label("progress_change", lang)), False)]
    chart = framework_scores_bar(summary.frameworks, lang, summary.score)
    charts = f'<div class="pb-charts">{figure_html(chart)}</div>' if chart is not None else ""
    title = f"<h2>{_e(label('framework_scores', lang))}</h2>"
    return page_html(f"{title}\n{charts}\n{table_html(headers, rows)}", lang)


def radar_html(summary: Summary) -> Html:
    """Return one radar of every element of every framework (a note when none is scored)."""
    lang = summary.lang
    chart = radar_all(summary.elements, lang)
    body = (
        f'<div class="pb-charts pb-wide">{figure_html(chart)}</div>'
        if chart is not None
        else f"<p>{_e(label('not_assessed', lang))}</p>"
    )
    return page_html(f"<h2>{_e(label('all_element_scores', lang))}</h2>\n{body}", lang)


def top_gaps_html(summary: Summary) -> Html:
    """Return the top gaps ranked by priority (gap × weight), each linked to its framework."""
    lang = summary.lang
    title = f"<h2>{_e(label('top_gaps', lang))}</h2>"
    if summary.top_gaps.empty:
        return page_html(f"{title}\n<p>{_e(label('no_gaps', lang))}</p>", lang)
    rows = [
        [
            str(row.rank),
            _e(row.title),
            _link(row.page, row.framework),
            _number(row.score),
            badge_html(row.band, lang),
            f"{row.weight:g}",
            _number(row.priority),
        ]
        for row in summary.top_gaps.itertuples(index=False)
    ]
    keys = ("rank", "element", "framework", "score", "band", "weight", "priority")
    headers = _headers(keys, ("rank", "score", "weight", "priority"), lang)
    note = f'<p class="pb-meta">{_e(label("priority_rule", lang))}</p>'
    return page_html(f"{title}\n{note}\n{table_html(headers, rows)}", lang)


def plan_html(summary: Summary, per_phase: int = ACTIONS_PER_PHASE) -> Html:
    """Return the 30/60/90-day roll-out plan: a timeline and a table of action, KPI, target, owner.

    Args:
        summary: the client's summary.
        per_phase: the most actions per phase the summary kept (named in the note).
    """
    lang = summary.lang
    title = f"<h2>{_e(label('rollout_plan', lang))}</h2>"
    if summary.plan.empty:
        return page_html(f"{title}\n<p>{_e(label('no_plan', lang))}</p>", lang)
    note = f'<p class="pb-meta">{_e(label("plan_rule", lang).format(per_phase=per_phase))}</p>'
    chart = figure_html(rollout_timeline(summary.plan, lang))
    rows = [
        [
            _phase_cell(row, lang),
            _e(row.action) + (f" {tag_html(lang)}" if row.source == SOURCE_STRATEGIST else ""),
            _e(row.kpi),
            _e(row.target),
            _e(row.owner),
            f"{_e(row.element)}<br>{_link(row.page, row.framework)}",
        ]
        for row in summary.plan.itertuples(index=False)
    ]
    keys = ("phase", "action", "kpi", "target", "owner", "element")
    table = table_html(_headers(keys, ("target",), lang), rows)
    # a wide chart: outside .pb-charts, so it may use the page's full width
    return page_html(f"{title}\n{note}\n<div>{chart}</div>\n{table}", lang)


def _phase_cell(row: object, lang: str) -> str:
    """Return a plan row's phase; the strategist's actions also say when they are due."""
    if row.source != SOURCE_STRATEGIST:
        return _e(row.phase_label)
    due = label("due_within", lang).format(days=row.due_days)
    return f'{_e(row.phase_label)}<br><span class="pb-meta">{_e(due)}</span>'


def appendix_html(summary: Summary) -> Html:
    """Return the strategist's decisions: elements out of scope, actions set aside, and why.

    Nothing (an empty piece) when the strategist excluded no element and hid no action.
    """
    lang, parts = summary.lang, []
    if not summary.excluded.empty:
        rows = [
            [_e(row.title), _link(row.page, row.framework), _e(row.reason)]
            for row in summary.excluded.itertuples(index=False)
        ]
        parts += [
            f"<h2>{_e(label('excluded_elements_title', lang))}</h2>",
            f'<p class="pb-meta">{_e(label("excluded_note", lang))}</p>',
            table_html(_headers(("element", "framework", "reason"), (), lang), rows),
        ]
    if not summary.set_aside.empty:
        rows = [
            [
                _e(row.action),
                f"{_e(row.element)}<br>{_link(row.page, row.framework)}",
                _e(row.reason),
            ]
            for row in summary.set_aside.itertuples(index=False)
        ]
        parts += [
            f"<h2>{_e(label('hidden_actions_title', lang))}</h2>",
            f'<p class="pb-meta">{_e(label("hidden_actions_note", lang))}</p>',
            table_html(_headers(("action", "element", "reason"), (), lang), rows),
        ]
    return page_html("\n".join(parts), lang) if parts else Html("")


def not_assessed_html(summary: Summary, diagnoses: Sequence[FrameworkDiagnosis]) -> Html:
    """Return the elements with neither data nor workshop score, and the data that would help.

    Args:
        summary: the client's summary.
        diagnoses: the diagnoses it was built from (for the data each element needs).
    """
    lang = summary.lang
    title = f"<h2>{_e(label('not_assessed_elements', lang))}</h2>"
    if summary.not_assessed.empty:
        return page_html(f"{title}\n<p>{_e(label('all_assessed', lang))}</p>", lang)
    by_id = {d.framework.id: d for d in diagnoses}
    rows = []
    for row in summary.not_assessed.itertuples(index=False):
        needs = missing_inputs(by_id[row.framework_id].element(row.element_id))
        rows.append([_e(row.title), _link(row.page, row.framework), _e(inputs_text(needs, lang))])
    headers = _headers(("element", "framework", "data_needed"), (), lang)
    note = f'<p class="pb-meta">{_e(label("not_assessed_note", lang))}</p>'
    return page_html(f"{title}\n{note}\n{table_html(headers, rows)}", lang)


@register("executive_summary")
@dataclass(frozen=True)
class SummaryPage(Page):
    """A client's executive summary, in one language, ready to display.

    ``commentary`` is the strategist's (their summary heads the page); ``previous`` the
    scores of the client's previous report (``with_history``), for the progress since.
    """

    diagnoses: tuple[FrameworkDiagnosis, ...]
    summary: Summary
    generated: date = field(default_factory=date.today)
    commentary: Commentary = field(default_factory=Commentary)
    previous: Snapshot | None = None

    def with_history(self, reports_dir: str = "") -> SummaryPage:
        """Return the page with the previous report's scores (see ``diagnosis.progress``)."""
        period = self.diagnoses[0].period
        last_day = (period.end - pd.Timedelta(days=1)).date().isoformat()
        folder = history_dir(self.diagnoses[0].client.id, reports_dir)
        return replace(self, previous=previous_snapshot(folder, last_day))

    @property
    def lang(self) -> str:
        """Return the page's language."""
        return self.summary.lang

    @classmethod
    def from_data(
        cls,
        slug: str,
        data: ClientData,
        lang: str = "",
        as_of: str = "",
        period_days: int = DEFAULT_PERIOD_DAYS,
        generated: date | None = None,
    ) -> SummaryPage:
        """Diagnose already-loaded client data against every framework and summarise it.

        Args:
            slug: "executive_summary" (the page's key; every framework is summarised).
            data: the client's validated data.
            lang: "zh" or "en"; empty for the client's language.
            as_of: last day of the analysis period; empty for the last order day.
            period_days: length of the analysis period in days.
            generated: the report's date; default today.
        """
        chosen = resolve_lang(lang, data.config.language)
        use_report_style()
        diagnoses = tuple(diagnose_all(data, as_of or None, int(period_days)))
        summary = summarise(diagnoses, chosen)
        return cls(diagnoses, summary, generated or date.today(), data.commentary)

    @classmethod
    def from_prepared(cls, slug: str, prepared: PreparedClient) -> SummaryPage:
        """Take every diagnosis and the report's date from the prepared client."""
        settings = prepared.settings
        generated = date.fromisoformat(settings.report_date)
        diagnoses = read_diagnoses(prepared)
        if diagnoses is None:
            data = prepared.client_data()
            return cls.from_data(
                slug, data, settings.lang, settings.as_of, settings.period_days, generated
            )
        use_report_style()
        commentary = prepared.client_data(tables=()).commentary
        return cls(diagnoses, summarise(diagnoses, settings.lang), generated, commentary)

    def header(self) -> Html:
        """Show the title, client, date, period and the overall service maturity."""
        return header_html(
            self.summary, self.diagnoses, self.generated, self.commentary, self.previous
        )

    def framework_scores(self) -> Html:
        """Show each framework's score as a bar chart and a table linking its page."""
        return framework_scores_html(self.summary, self.previous)

    def radar(self) -> Html:
        """Show one radar across every framework's elements."""
        return radar_html(self.summary)

    def top_gaps(self) -> Html:
        """Show the top gaps ranked by priority, linked to their framework pages."""
        return top_gaps_html(self.summary)

    def plan(self) -> Html:
        """Show the 30/60/90-day roll-out plan as a timeline and a table."""
        return plan_html(self.summary)

    def not_assessed(self) -> Html:
        """Show the elements that have neither data nor a workshop assessment."""
        return not_assessed_html(self.summary, self.diagnoses)

    def appendix(self) -> Html:
        """Show the elements outside the scope and the actions set aside, with the reasons."""
        return appendix_html(self.summary)

    def html(self) -> Html:
        """Return every section, in reading order, as one piece."""
        sections = (
            self.header(),
            self.framework_scores(),
            self.radar(),
            self.top_gaps(),
            self.plan(),
            self.not_assessed(),
            self.appendix(),
        )
        return Html("\n".join(str(s) for s in sections))
