"""Show a framework diagnosis as a report page in a notebook: header, overview, elements.

Notebooks call ``FrameworkPage.open(...)`` and then ``page.header()``, ``page.overview()`` and
``page.element(element_id)``. Each display method has a pure counterpart returning HTML
(``header_html``, ``overview_html``, ``element_html``), so the page can be tested without a
kernel. All wording comes from the content files in the chosen language; client data is
escaped. Charts are embedded as PNG images, so the HTML export and the PDF carry them as is.
"""

from __future__ import annotations

import base64
import html
import io
from dataclasses import dataclass
from functools import cache
from importlib import resources

import pandas as pd
from matplotlib.figure import Figure

from playbook.charts import ChartContext, indicator_chart, radar
from playbook.config import DEFAULT_CLIENT, DEFAULT_CLIENTS_DIR, DEFAULT_PERIOD_DAYS, LANGS
from playbook.content import Case
from playbook.content import common as load_common
from playbook.data.model import ClientData
from playbook.diagnosis import ElementDiagnosis, FrameworkDiagnosis, IndicatorResult, diagnose
from playbook.diagnosis.scoring import band as to_band
from playbook.pages.findings import element_findings
from playbook.theme import BAND_COLORS, use_report_style
from playbook.units import format_value

#: Pixels per inch a chart is shown at (the PNG is drawn at twice that for sharp text).
SHOW_DPI = 96


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


@cache
def _css() -> str:
    return resources.files("playbook").joinpath("pages/static/report.css").read_text("utf-8")


def page_html(body: str, lang: str) -> str:
    """Wrap a fragment in the report's style and language."""
    code = "zh-CN" if lang == "zh" else "en"
    return f'<style>{_css()}</style>\n<div class="pb" lang="{code}">\n{body}\n</div>'


def _sep(lang: str) -> str:
    return "：" if lang == "zh" else ": "


def esc(text: object) -> str:
    """Escape any value for HTML (client data and content alike)."""
    return html.escape(str(text))


def label(key: str, lang: str) -> str:
    """Return a label from common.yaml in ``lang``."""
    return load_common().labels[key](lang)


def template(key: str, lang: str, **values: object) -> str:
    """Return a sentence template from common.yaml in ``lang``, filled with ``values``."""
    return load_common().templates[key](lang).format(**values)


def figure_html(fig: Figure | None) -> str:
    """Embed a figure as a PNG ``<img>`` (empty string for None)."""
    if fig is None:
        return ""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=SHOW_DPI * 2)
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    width = round(fig.get_figwidth() * SHOW_DPI)
    title = next((t for ax in fig.axes if (t := ax.get_title(loc="left"))), "")
    return (
        f'<img src="data:image/png;base64,{data}" alt="{esc(title)}" '
        f'style="width:{width}px;max-width:100%">'
    )


def charts_html(*figures: Figure | None) -> str:
    """Return the figures side by side (nothing for None)."""
    images = "".join(figure_html(f) for f in figures if f is not None)
    return f'<div class="pb-charts">{images}</div>' if images else ""


def callout_html(title: str, text: str) -> str:
    """Return a highlighted note (e.g. "not estimable" and why); both strings are escaped."""
    return f'<div class="pb-callout"><strong>{esc(title)}</strong><br>{esc(text)}</div>'


def needs_data_html(inputs: list[str] | tuple[str, ...], lang: str) -> str:
    """Say which tables and columns an analysis needs, in place of the analysis."""
    text = label("analysis_needs_data", lang).format(inputs=", ".join(inputs))
    return f'<div class="pb-callout">{esc(text)}</div>'


def section_html(title: str, parts: list[str], lang: str) -> str:
    """Wrap an analysis block: a heading and its parts (already HTML), in the report style."""
    return page_html(f"<h3>{esc(title)}</h3>\n" + "\n".join(p for p in parts if p), lang)


def badge_html(band: str | None, lang: str) -> str:
    """Return the band as a coloured badge (grey "not assessed" without a band)."""
    if band is None:
        return (
            f'<span class="pb-badge" style="background:#9aa5b1">'
            f"{esc(label('not_assessed', lang))}</span>"
        )
    name = load_common().bands[band](lang)
    return (
        f'<span class="pb-badge pb-{band}" style="background:{BAND_COLORS[band]}">'
        f"{esc(name)}</span>"
    )


def score_html(score: float | None, band: str | None, lang: str, named: bool = True) -> str:
    """Return "Score 72/100 [badge]" ("72/100 [badge]" unnamed; the grey badge without score)."""
    if score is None:
        return badge_html(None, lang)
    name = f"{esc(label('score', lang))} " if named else ""
    return f"{name}<strong>{score:.0f}</strong>/100 {badge_html(band, lang)}"


def table_html(headers: list[tuple[str, bool]], rows: list[list[str]]) -> str:
    """Return an HTML table; cells are already escaped, numeric columns align right."""
    head = "".join(f'<th class="pb-num">{h}</th>' if num else f"<th>{h}</th>" for h, num in headers)
    body = "".join(
        "<tr>"
        + "".join(
            f'<td class="pb-num">{c}</td>' if num else f"<td>{c}</td>"
            for c, (_, num) in zip(row, headers, strict=True)
        )
        + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _list(items: list[str]) -> str:
    return "<ul>" + "".join(f"<li>{esc(i)}</li>" for i in items) + "</ul>"


def header_html(diag: FrameworkDiagnosis, lang: str) -> str:
    """Return the page header: title, client, period, the client's question, summary, score."""
    shared = load_common()
    fw, client, period = diag.framework, diag.client, diag.period
    last_day = (period.end - pd.Timedelta(days=1)).date()
    period_line = shared.templates["period"](lang).format(
        start=period.start.date(), end=last_day, days=period.days
    )
    band = to_band(diag.score, shared.band_thresholds) if diag.score is not None else None
    sep = _sep(lang)
    body = f"""<h1>{esc(fw.title(lang))}</h1>
<p class="pb-meta">{esc(label("client", lang))}{sep}<strong>{esc(client.name)}</strong> · \
{esc(label("industry", lang))}{sep}{esc(client.industry)}</p>
<p class="pb-meta">{esc(period_line)}</p>
<div class="pb-question"><div class="pb-kicker">{esc(label("question", lang))}</div>
<div>{esc(fw.question(lang))}</div></div>
<p>{esc(fw.summary(lang))}</p>
<p class="pb-score">{esc(label("overall_score", lang))}{sep}\
{score_html(diag.score, band, lang, named=False)}</p>"""
    return page_html(body, lang)


def overview_html(diag: FrameworkDiagnosis, lang: str) -> str:
    """Return the overview: a table of element, score, band and basis, and the radar."""
    rows = [
        [
            f"{i}. {esc(e.element.title(lang))}",
            "—" if e.score is None else f"{e.score:.0f}",
            badge_html(e.band, lang),
            esc(label(f"basis_{e.basis}", lang)),
        ]
        for i, e in enumerate(diag.elements, start=1)
    ]
    headers = [
        (esc(label("element", lang)), False),
        (esc(label("score", lang)), True),
        (esc(label("band", lang)), False),
        (esc(label("basis", lang)), False),
    ]
    table = table_html(headers, rows)
    chart = radar(
        [e.score for e in diag.elements], [e.element.title(lang) for e in diag.elements], lang
    )
    charts = f'<div class="pb-charts">{figure_html(chart)}</div>' if chart is not None else ""
    return page_html(f"<h2>{esc(label('overview', lang))}</h2>\n{table}\n{charts}", lang)


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


def missing_inputs(diag: ElementDiagnosis) -> list[str]:
    """Return the tables and columns that would measure an element, each once, in order."""
    seen: dict[str, None] = {}
    for r in diag.indicators:
        seen.update(dict.fromkeys(r.missing))
    return list(seen)


def _case_html(case: Case, lang: str) -> str:
    """Return a reference case: company, its figure (when there is one), fact and source."""
    figure = case.figure.strip()
    shown = f' · <span class="pb-figure">{esc(figure)}</span>' if figure.strip("—- ") else ""
    source = f"{esc(label('source', lang))}{_sep(lang)}{esc(case.source(lang))}"
    return (
        f'<div class="pb-case"><strong>{esc(case.company(lang))}</strong>{shown}<br>'
        f'{esc(case.fact(lang))}<br><span class="pb-source">{source}</span></div>'
    )


def element_html(diag: FrameworkDiagnosis, element_id: str, lang: str) -> str:
    """Return one element's section: score, findings, charts, indicators, actions, cases.

    An element without data says which tables would measure it and shows the workshop
    assessment or "not assessed"; it never draws an empty chart.
    """
    el_diag = diag.element(element_id)
    el = el_diag.element
    number = [e.element.id for e in diag.elements].index(element_id) + 1
    currency = diag.client.currency
    sections = [
        f"<h2>{number}. {esc(el.title(lang))}</h2>",
        f'<p class="pb-tagline">{esc(el.tagline(lang))}</p>',
        f'<p class="pb-score">{score_html(el_diag.score, el_diag.band, lang)}'
        f'<span class="pb-basis">{esc(label("basis", lang))}{_sep(lang)}'
        f"{esc(label(f'basis_{el_diag.basis}', lang))}</span></p>",
    ]
    measured = any(r.measured for r in el_diag.indicators)
    if not measured:
        needs = ", ".join(missing_inputs(el_diag)) or "—"
        sections.append(
            f'<div class="pb-callout"><strong>{esc(label("not_measured", lang))}</strong><br>'
            f"{esc(label('needs_data', lang).format(inputs=needs))}</div>"
        )
    findings = element_findings(el_diag, lang, diag.period.days, currency)
    sections += [f"<h3>{esc(label('findings', lang))}</h3>", _list(findings)]
    ctx = ChartContext(lang, currency, diag.client.name)
    figures = [indicator_chart(r, ctx) for r in el_diag.indicators]
    images = "".join(figure_html(f) for f in figures if f is not None)
    if images:
        sections.append(f'<div class="pb-charts">{images}</div>')
    if el_diag.indicators:
        headers = [
            (esc(label(k, lang)), k not in ("indicator",))
            for k in ("indicator", "value", "target", "previous", "score", "rows")
        ]
        sections += [
            f"<h3>{esc(label('indicator_details', lang))}</h3>",
            table_html(headers, _indicator_rows(el_diag.indicators, lang, currency)),
        ]
    sections += [
        f"<h3>{esc(label('key_points', lang))}</h3>",
        _list([p(lang) for p in el.key_points]),
    ]
    sections.append(f"<h3>{esc(label('actions', lang))}</h3>")
    if el_diag.actions:
        days = label("days", lang)
        rows = [
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


def load_client_data(client_id: str, clients_dir: str = "", lang: str = "") -> ClientData:
    """Check ``lang`` (before any data is read), then validate and load a client's data.

    Args:
        client_id: the client's folder name under ``clients_dir``.
        clients_dir: folder of client folders; empty for the demo clients in the repo.
        lang: "zh", "en" or empty (the client's language); only checked here.

    Raises:
        ValueError: for an unsupported ``lang``.
        UnknownClientError, DataValidationError: from loading the client.
    """
    if lang:
        resolve_lang(lang, "")
    from playbook.data.clients import load_client

    return load_client(client_id, clients_dir or DEFAULT_CLIENTS_DIR)


def show_html(markup: str) -> None:
    """Display HTML in the notebook (the report export keeps it, without code)."""
    from IPython.display import HTML, display

    display(HTML(markup))


@dataclass(frozen=True)
class FrameworkPage:
    """A framework's report page for one client, in one language, ready to display."""

    diagnosis: FrameworkDiagnosis
    lang: str

    @classmethod
    def open(
        cls,
        framework_id: str,
        client_id: str = DEFAULT_CLIENT,
        clients_dir: str = "",
        lang: str = "",
        as_of: str = "",
        period_days: int = DEFAULT_PERIOD_DAYS,
    ) -> FrameworkPage:
        """Load a client, diagnose it against a framework and prepare its page.

        Args:
            framework_id: the framework's slug, e.g. "exceed_expectations".
            client_id: the client's folder name under ``clients_dir``.
            clients_dir: folder of client folders; empty for the demo clients in the repo.
            lang: "zh" or "en"; empty for the client's language.
            as_of: last day of the analysis period (YYYY-MM-DD); empty for the last order day.
            period_days: length of the analysis period in days.

        Raises:
            ValueError: for an unsupported ``lang`` (before any data is read).
            UnknownClientError, DataValidationError: from loading the client.
        """
        data = load_client_data(client_id, clients_dir, lang)
        return cls.from_data(framework_id, data, lang, as_of, period_days)

    @classmethod
    def from_data(
        cls,
        framework_id: str,
        data: ClientData,
        lang: str = "",
        as_of: str = "",
        period_days: int = DEFAULT_PERIOD_DAYS,
    ) -> FrameworkPage:
        """Diagnose already-loaded client data and prepare the page (see ``open``)."""
        chosen = resolve_lang(lang, data.config.language)
        use_report_style()
        diag = diagnose(framework_id, data, as_of or None, int(period_days))
        return cls(diag, chosen)

    def header_html(self) -> str:
        """Return the header as HTML."""
        return header_html(self.diagnosis, self.lang)

    def overview_html(self) -> str:
        """Return the overview as HTML."""
        return overview_html(self.diagnosis, self.lang)

    def element_html(self, element_id: str) -> str:
        """Return one element's section as HTML."""
        return element_html(self.diagnosis, element_id, self.lang)

    def header(self) -> None:
        """Show the title, client, period, the question this page answers and the score."""
        show_html(self.header_html())

    def overview(self) -> None:
        """Show every element's score and band, and the radar."""
        show_html(self.overview_html())

    def element(self, element_id: str) -> None:
        """Show one element's findings, charts, indicator table, actions and cases."""
        show_html(self.element_html(element_id))


@dataclass(frozen=True)
class AnalysisPage:
    """A framework's report page plus the client's data over the analysis period.

    Deep-dive pages (customer value, pricing, marketing, word of mouth) subclass it, name
    their framework in ``FRAMEWORK`` and add display methods for their analyses.
    """

    page: FrameworkPage
    current: ClientData

    #: the framework this page shows (set by each subclass)
    FRAMEWORK = ""

    @classmethod
    def open(
        cls,
        client_id: str = DEFAULT_CLIENT,
        clients_dir: str = "",
        lang: str = "",
        as_of: str = "",
        period_days: int = DEFAULT_PERIOD_DAYS,
    ) -> AnalysisPage:
        """Load a client and prepare the page (arguments as ``FrameworkPage.open``)."""
        data = load_client_data(client_id, clients_dir, lang)
        return cls.from_data(data, lang, as_of, period_days)

    @classmethod
    def from_data(
        cls,
        data: ClientData,
        lang: str = "",
        as_of: str = "",
        period_days: int = DEFAULT_PERIOD_DAYS,
    ) -> AnalysisPage:
        """Diagnose loaded data and keep the analysis period's tables for the analyses."""
        page = FrameworkPage.from_data(cls.FRAMEWORK, data, lang, as_of, period_days)
        period = page.diagnosis.period
        return cls(page, data.between(period.start, period.end))

    @property
    def lang(self) -> str:
        """Return the page's language."""
        return self.page.lang

    @property
    def currency(self) -> str:
        """Return the client's currency code."""
        return self.current.config.currency

    def header(self) -> None:
        """Show the title, client, period, question and score."""
        self.page.header()

    def overview(self) -> None:
        """Show every element's score and band, and the radar."""
        self.page.overview()

    def element(self, element_id: str) -> None:
        """Show one element's findings, charts, indicators, actions and cases."""
        self.page.element(element_id)
