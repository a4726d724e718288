"""Show a framework diagnosis as a report page: the page classes every notebook opens.

A notebook opens its page by framework slug (``open_page`` in ``pages.registry``) and ends
each cell with one section: ``page.header()``, ``page.overview()``,
``page.element("fulfil_promise")``. A section returns :class:`~playbook.pages.html.Html`, so
the cell shows it and a test reads ``str(section)``. ``Page`` is the base of every page (one
``open``; the one place a page obtains its client's data); ``FrameworkPage`` shows any
framework; ``AnalysisPage`` adds the client's data over the analysis period for the deep-dive
pages (one module per slug, e.g. ``customer_value.py``). All wording comes from the content
files in the page's language; client data is escaped.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import pandas as pd

from playbook.charts import ChartContext, indicator_chart, radar
from playbook.config import DEFAULT_CLIENT, DEFAULT_CLIENTS_DIR, DEFAULT_PERIOD_DAYS, LANGS
from playbook.content import Case, Framework, label
from playbook.content import common as load_common
from playbook.data.commentary import AddedAction
from playbook.data.contract import ClientConfig
from playbook.data.model import ClientData
from playbook.data.prepared import PreparedClient
from playbook.diagnosis import FrameworkDiagnosis, IndicatorResult, diagnose
from playbook.diagnosis.prepared import read_diagnosis
from playbook.diagnosis.progress import (
    Snapshot,
    element_previous,
    framework_change,
    history_dir,
    previous_snapshot,
)
from playbook.diagnosis.targets import client_profile, target_for
from playbook.pages.findings import element_findings, missing_inputs, period_text
from playbook.pages.html import (
    Html,
    badge_html,
    esc,
    figure_html,
    inputs_text,
    list_html,
    page_html,
    score_html,
    sep,
    table_html,
)
from playbook.pages.strategist import (
    SUMMARY_SLOT,
    change_html,
    excluded_badge,
    excluded_html,
    previous_text,
    tag_html,
    view_slot,
)
from playbook.theme import use_report_style
from playbook.units import format_value


def resolve_lang(lang: str, client_language: str) -> str:
    """Return the report language: ``lang``, or the client's language when empty.

    Raises:
        ValueError: when ``lang`` is neither empty nor one of the supported languages.
    """
    if not lang:
        return client_language
    if lang not in LANGS:
        allowed = ", ".join(LANGS)
        raise ValueError(
            f"lang must be one of {allowed} (or empty for the client's language), got {lang!r}"
        )
    return lang


class Page:
    """The base of every report page: how a notebook opens one for a client."""

    @classmethod
    def open(
        cls,
        slug: str,
        client_id: str = DEFAULT_CLIENT,
        clients_dir: str = "",
        lang: str = "",
        as_of: str = "",
        period_days: int = DEFAULT_PERIOD_DAYS,
        reports_dir: str = "",
    ) -> Page:
        """Load a client and prepare its page (the arguments of a notebook's parameters cell).

        Args:
            slug: the page's framework slug, e.g. "exceed_expectations".
            client_id: the client's folder name under ``clients_dir``.
            clients_dir: folder of client folders; empty for the demo clients in the repo.
            lang: "zh" or "en"; empty for the client's language.
            as_of: last day of the analysis period (YYYY-MM-DD); empty for the last order day.
            period_days: length of the analysis period in days.
            reports_dir: folder of the rendered reports, whose ``<client>/history`` holds
                the earlier reports' scores; empty for ``reports`` in the repo.

        Raises:
            ValueError: for an unsupported ``lang`` (before any data is read).
            UnknownClientError, DataValidationError: from loading the client.

        In a render, the renderer has already validated, loaded and diagnosed the client and
        handed it to the kernel (``data.prepared``): the page is built from that
        (``from_prepared``). Opened by hand, the page prepares its client itself.
        """
        if lang:
            resolve_lang(lang, "")
        prepared = PreparedClient.handed_over(client_id, clients_dir, lang, as_of, period_days)
        if prepared is not None:
            return cls.from_prepared(slug, prepared).with_history(reports_dir)
        data = cls._client_data(client_id, clients_dir, lang)
        return cls.from_data(slug, data, lang, as_of, period_days).with_history(reports_dir)

    def with_history(self, reports_dir: str = "") -> Page:
        """Return the page knowing the previous report's scores (a page without any: itself).

        Args:
            reports_dir: folder of the rendered reports (empty: ``reports`` in the repo).
        """
        return self

    @staticmethod
    def _client_data(client_id: str, clients_dir: str, lang: str) -> ClientData:
        """Check ``lang`` (before any data is read), then validate and load a client's data.

        Every ``open`` that was not handed a prepared client (``from_prepared``) obtains its
        client here.

        Raises:
            ValueError: for an unsupported ``lang``.
            UnknownClientError, DataValidationError: from loading the client.
        """
        if lang:
            resolve_lang(lang, "")
        from playbook.data.clients import load_client

        return load_client(client_id, clients_dir or DEFAULT_CLIENTS_DIR)

    @classmethod
    def from_data(
        cls,
        slug: str,
        data: ClientData,
        lang: str = "",
        as_of: str = "",
        period_days: int = DEFAULT_PERIOD_DAYS,
    ) -> Page:
        """Prepare the page from already-loaded client data (arguments as ``open``)."""
        raise NotImplementedError

    @classmethod
    def from_prepared(cls, slug: str, prepared: PreparedClient) -> Page:
        """Prepare the page from the client the renderer prepared (its settings, its data)."""
        settings = prepared.settings
        return cls.from_data(
            slug, prepared.client_data(), settings.lang, settings.as_of, settings.period_days
        )


@dataclass(frozen=True)
class FrameworkPage(Page):
    """A framework's report page for one client, in one language: header, overview, elements.

    ``previous`` holds the scores of the client's previous report (``with_history``); the
    strategist's scope, view and actions come with the diagnosis.
    """

    diagnosis: FrameworkDiagnosis
    lang: str
    previous: Snapshot | None = field(default=None, kw_only=True)

    def with_history(self, reports_dir: str = "") -> FrameworkPage:
        """Return the page with the previous report's scores (see ``diagnosis.progress``)."""
        diag = self.diagnosis
        last_day = (diag.period.end - pd.Timedelta(days=1)).date().isoformat()
        previous = previous_snapshot(history_dir(diag.client.id, reports_dir), last_day)
        return replace(self, previous=previous)

    @classmethod
    def from_data(
        cls,
        slug: str,
        data: ClientData,
        lang: str = "",
        as_of: str = "",
        period_days: int = DEFAULT_PERIOD_DAYS,
    ) -> FrameworkPage:
        """Diagnose already-loaded client data against the framework ``slug`` (see ``open``)."""
        chosen = resolve_lang(lang, data.config.language)
        use_report_style()
        return cls(diagnose(slug, data, as_of or None, int(period_days)), chosen)

    @classmethod
    def from_prepared(cls, slug: str, prepared: PreparedClient) -> FrameworkPage:
        """Take the framework's diagnosis from the prepared client (no data is read)."""
        diagnosis = read_diagnosis(prepared, slug)
        if diagnosis is None:
            return super().from_prepared(slug, prepared)
        use_report_style()
        return cls(diagnosis, prepared.settings.lang)

    def header(self) -> Html:
        """Show the title, client, period, the client's question, the summary and the score."""
        diag, lang = self.diagnosis, self.lang
        shared = load_common()
        fw, client, period = diag.framework, diag.client, diag.period
        compared = period.compared
        period_line = ("。" if lang == "zh" else ". ").join(
            [
                period_text(period, lang),
                shared.templates[f"compared_{period.comparison}"](lang).format(
                    start=compared.start.date(),
                    end=(compared.end - pd.Timedelta(days=1)).date(),
                    days=compared.days,
                ),
            ]
        )
        s = sep(lang)
        body = f"""<h1>{esc(fw.title(lang))}</h1>
<p class="pb-meta">{esc(label("client", lang))}{s}<strong>{esc(client.name)}</strong> · \
{esc(label("industry", lang))}{s}{esc(client.industry)}</p>
<p class="pb-meta">{esc(period_line)}</p>
<p class="pb-meta">{esc(targets_line(client, lang))}</p>
<div class="pb-question"><div class="pb-kicker">{esc(label("question", lang))}</div>
<div>{esc(fw.question(lang))}</div></div>
<p>{esc(fw.summary(lang))}</p>{_source_line(fw, lang)}
<p class="pb-score">{esc(label("overall_score", lang))}{s}\
{score_html(diag.score, diag.band, lang, named=False)}{self._framework_change(diag.band)}</p>"""
        return page_html(body, lang)

    def _framework_change(self, band: str | None) -> str:
        """Return " · ▲ +4.0 pts (previous report: data to …)" when there is one."""
        if self.previous is None:
            return ""
        diag, lang = self.diagnosis, self.lang
        moved = framework_change(self.previous, diag.framework.id, diag.score, band)
        since = esc(label("progress_since", lang).format(date=self.previous.as_of))
        return f' · {change_html(moved, lang)} <span class="pb-meta">({since})</span>'

    def _number(self, element_id: str) -> int:
        """Return an element's number: its place in the framework (kept when others are out)."""
        return [e.id for e in self.diagnosis.framework.elements].index(element_id) + 1

    def introduction(self) -> Html:
        """Show the background the framework's source opens with (empty when it has none).

        The value-add deck's chapter 1 (what service marketing is, its traits, the market and
        four challenges) is shown here, before the elements.
        """
        intro, lang = self.diagnosis.framework.introduction, self.lang
        if intro is None:
            return Html("")
        sections = [
            f"<h2>{esc(intro.title(lang))}</h2>",
            list_html([p(lang) for p in intro.points]),
        ]
        if intro.cases:
            sections.append(f"<h3>{esc(label('cases', lang))}</h3>")
            sections += [_case_html(c, lang) for c in intro.cases]
        return page_html("\n".join(sections), lang)

    def data_request(self) -> Html:
        """Show the strategist which files and columns would measure the unmeasured elements.

        For a notebook cell tagged ``notes``: the export leaves it out of the client's page,
        which says the same in business words. One row per missing input, with the elements
        it would measure; nothing missing: a one-line all-clear.
        """
        diag, lang = self.diagnosis, self.lang
        needed: dict[str, list[str]] = {}
        for el_diag in diag.elements:
            for name in missing_inputs(el_diag):
                needed.setdefault(name, []).append(el_diag.element.title(lang))
        title = f"<h3>{esc(label('data_request', lang))}</h3>"
        if not needed:
            return page_html(f"{title}\n<p>{esc(label('data_request_none', lang))}</p>", lang)
        rows = [
            [f"<code>{esc(name)}</code>", esc(inputs_text([name], lang)), esc(", ".join(titles))]
            for name, titles in needed.items()
        ]
        headers = [(esc(label(k, lang)), False) for k in ("data_input", "meaning", "element")]
        return page_html(f"{title}\n{table_html(headers, rows)}", lang)

    def overview(self) -> Html:
        """Show every element's score, band and basis in a table, and the radar."""
        diag, lang = self.diagnosis, self.lang
        rows = {
            e.element.id: [
                f"{self._number(e.element.id)}. {esc(e.element.title(lang))}",
                "—" if e.score is None else f"{e.score:.0f}",
                badge_html(e.band, lang),
                esc(label(f"basis_{e.basis}", lang)),
            ]
            for e in diag.elements
        }
        rows |= {
            x.element.id: [
                f"{self._number(x.element.id)}. {esc(x.element.title(lang))}",
                "—",
                excluded_badge(lang),
                esc(x.reason),
            ]
            for x in diag.excluded
        }
        rows = [rows[e.id] for e in diag.framework.elements]
        headers = [
            (esc(label(k, lang)), k == "score") for k in ("element", "score", "band", "basis")
        ]
        chart = radar(
            [e.score for e in diag.elements], [e.element.title(lang) for e in diag.elements], lang
        )
        charts = f'<div class="pb-charts">{figure_html(chart)}</div>' if chart is not None else ""
        title = f"<h2>{esc(label('overview', lang))}</h2>"
        view = view_slot(SUMMARY_SLOT, diag.view, lang)
        return page_html(f"{title}\n{table_html(headers, rows)}\n{charts}\n{view}", lang)

    def element(self, element_id: str) -> Html:
        """Show one element: score, findings, charts, indicators, key points, actions, cases.

        An element without data says which tables would measure it and shows the workshop
        assessment or "not assessed"; it never draws an empty chart.

        An element outside the engagement's scope shows only its title and the reason.

        Raises:
            KeyError: the framework has no element ``element_id``.
        """
        diag, lang = self.diagnosis, self.lang
        reason = diag.excluded_reason(element_id)
        if reason is not None:
            el = diag.framework.element(element_id)
            title = f"<h2>{self._number(element_id)}. {esc(el.title(lang))}</h2>"
            return page_html(f"{title}\n{excluded_html(reason, lang)}", lang)
        el_diag = diag.element(element_id)
        el = el_diag.element
        currency = diag.client.currency
        previous = ""
        if self.previous is not None:
            before = element_previous(self.previous, diag.framework.id, element_id)
            text = previous_text(before, self.previous.as_of, lang)
            previous = f'<span class="pb-basis pb-previous">{text}</span>'
        sections = [
            f"<h2>{self._number(element_id)}. {esc(el.title(lang))}</h2>",
            f'<p class="pb-tagline">{esc(el.tagline(lang))}</p>',
            f'<p class="pb-score">{score_html(el_diag.score, el_diag.band, lang)}'
            f'<span class="pb-basis">{esc(label("basis", lang))}{sep(lang)}'
            f"{esc(label(f'basis_{el_diag.basis}', lang))}</span>{previous}</p>",
        ]
        if not any(r.measured for r in el_diag.indicators):
            needs = inputs_text(missing_inputs(el_diag), lang)
            sections.append(
                f'<div class="pb-callout"><strong>{esc(label("not_measured", lang))}</strong><br>'
                f"{esc(label('needs_data', lang).format(inputs=needs))}</div>"
            )
        findings = element_findings(el_diag, lang, diag.period.days, currency)
        sections += [f"<h3>{esc(label('findings', lang))}</h3>", list_html(findings)]
        sections.append(view_slot(f"element:{element_id}", el_diag.view, lang))
        ctx = ChartContext(lang, currency, diag.client.name)
        figures = [indicator_chart(r, ctx) for r in el_diag.indicators]
        images = "".join(figure_html(f) for f in figures if f is not None)
        if images:
            sections.append(f'<div class="pb-charts">{images}</div>')
        if el_diag.indicators:
            previous = "previous_year" if diag.period.comparison == "year" else "previous"
            headers = [
                (esc(label(k, lang)), k != "indicator")
                for k in ("indicator", "value", "target", previous, "score", "rows")
            ]
            sections += [
                f"<h3>{esc(label('indicator_details', lang))}</h3>",
                table_html(headers, _indicator_rows(el_diag.indicators, lang, currency)),
                _target_basis_html(el_diag.indicators, diag.client, lang),
            ]
        sections += [
            f"<h3>{esc(label('key_points', lang))}</h3>",
            list_html([p(lang) for p in el.key_points]),
            f"<h3>{esc(label('actions', lang))}</h3>",
        ]
        if el_diag.actions or el_diag.added:
            days = label("days", lang)
            rows = [_added_row(a, lang) for a in el_diag.added] + [
                [
                    esc(a.text(lang)),
                    esc(a.kpi(lang)),
                    esc(f"{a.horizon_days} {days}"),
                    esc(a.owner(lang)),
                ]
                for a in el_diag.actions
            ]
            headers = [(esc(label(k, lang)), False) for k in ("action", "kpi", "horizon", "owner")]
            sections.append(table_html(headers, rows))
        else:
            sections.append(f"<p>{esc(label('no_actions', lang))}</p>")
        if el.cases:
            sections.append(f"<h3>{esc(label('cases', lang))}</h3>")
            sections += [_case_html(c, lang) for c in el.cases]
        return page_html("\n".join(sections), lang)


def _added_row(action: AddedAction, lang: str) -> list[str]:
    """Return an action the strategist added as a row of the actions table, tagged."""
    kpi = action.kpi or "—"
    if action.target:
        kpi += f" · {label('target', lang)} {action.target}"
    due = label("due_within", lang).format(days=action.due_days)
    return [f"{esc(action.text)} {tag_html(lang)}", esc(kpi), esc(due), esc(action.owner or "—")]


def _indicator_rows(results: tuple[IndicatorResult, ...], lang: str, currency: str) -> list:
    indicators = load_common().indicators
    rows = []
    for r in results:
        unit = indicators[r.ref.id].unit
        rows.append(
            [
                esc(indicators[r.ref.id].label(lang)),
                esc(format_value(r.value, unit, lang, currency)),
                esc(format_value(r.target, unit, lang, currency)),
                esc(format_value(r.previous, unit, lang, currency)),
                "—" if r.score is None else f"{r.score:.0f}",
                f"{r.n:,}" if r.measured else "—",
            ]
        )
    return rows


def targets_line(client: ClientConfig, lang: str) -> str:
    """Say which industry profile the targets come from, and which the client set itself."""
    _, profile = client_profile(client)
    line = label("targets_profile", lang).format(profile=profile.title(lang))
    if client.benchmarks:
        indicators = load_common().indicators
        names = [indicators[i].label(lang) if i in indicators else i for i in client.benchmarks]
        joined = ("、" if lang == "zh" else ", ").join(names)
        line += label("targets_client", lang).format(indicators=joined)
    return line


def _target_basis_html(
    results: tuple[IndicatorResult, ...], client: ClientConfig, lang: str
) -> str:
    """Return what each indicator's target rests on: a cited source, the client, or ours."""
    indicators = load_common().indicators
    lines = []
    for r in results:
        goal = target_for(r.ref, client)
        if goal.source == "client":
            basis = label("basis_client", lang)
        elif goal.basis is not None:
            basis = goal.basis(lang)
        else:
            basis = label("basis_working_assumption", lang)
        lines.append(f"{indicators[r.ref.id].label(lang)}{sep(lang)}{basis}")
    title = esc(label("target_basis", lang))
    items = "".join(f"<li>{esc(line)}</li>" for line in lines)
    return f'<div class="pb-meta"><strong>{title}</strong><ul>{items}</ul></div>'


def _source_line(fw: Framework, lang: str) -> str:
    """Return the line citing the framework's source by its title (nothing without one)."""
    if fw.source_title is None:
        return ""
    text = f"{label('based_on', lang)}{sep(lang)}{fw.source_title(lang)}"
    return f'\n<p class="pb-meta">{esc(text)}</p>'


def _case_html(case: Case, lang: str) -> str:
    """Return a reference case: company, its figure (when there is one), fact and source."""
    figure = case.figure.strip()
    shown = f' · <span class="pb-figure">{esc(figure)}</span>' if figure.strip("—- ") else ""
    source = f"{esc(label('source', lang))}{sep(lang)}{esc(case.source(lang))}"
    return (
        f'<div class="pb-case"><strong>{esc(case.company(lang))}</strong>{shown}<br>'
        f'{esc(case.fact(lang))}<br><span class="pb-source">{source}</span></div>'
    )


@dataclass(frozen=True)
class AnalysisPage(FrameworkPage):
    """A framework's page plus the client's data over the analysis period, for deep dives.

    The deep-dive pages (customer value, pricing, marketing, word of mouth) subclass it in a
    module named by their slug, register themselves (``pages.registry.register``) and add
    one method per analysis, each returning ``Html``.
    """

    current: ClientData

    @classmethod
    def from_data(
        cls,
        slug: str,
        data: ClientData,
        lang: str = "",
        as_of: str = "",
        period_days: int = DEFAULT_PERIOD_DAYS,
    ) -> AnalysisPage:
        """Diagnose loaded data and keep the analysis period's tables for the analyses."""
        page = FrameworkPage.from_data(slug, data, lang, as_of, period_days)
        period = page.diagnosis.period
        return cls(page.diagnosis, page.lang, data.between(period.start, period.end))

    @classmethod
    def from_prepared(cls, slug: str, prepared: PreparedClient) -> AnalysisPage:
        """Take the diagnosis from the prepared client, and its tables for the analyses."""
        page = FrameworkPage.from_prepared(slug, prepared)
        period = page.diagnosis.period
        current = prepared.client_data().between(period.start, period.end)
        return cls(page.diagnosis, page.lang, current)

    @property
    def currency(self) -> str:
        """Return the client's currency code."""
        return self.current.config.currency
