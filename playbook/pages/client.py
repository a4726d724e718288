"""A client's own report page: a notebook the strategist builds in the client's folder.

A client notebook (``<client>/notebooks/NN_<slug>.ipynb``) opens its page with
``ClientPage.open(slug, client_id, clients_dir, lang, as_of, period_days, reports_dir)`` —
the same parameters as every report notebook — and reaches the client's data through it:
``page.data`` (every row), ``page.current`` (the analysis period) and ``page.diagnoses``
(every framework of the scope). Its sections return ``Html`` like the framework pages:
``header``, ``text`` (the safe Markdown subset), ``table`` and ``chart``, in the report's
style. The words on the page are the strategist's own; every string is escaped.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property

import pandas as pd
from matplotlib.figure import Figure

from playbook.config import DEFAULT_PERIOD_DAYS
from playbook.data.model import ClientData
from playbook.diagnosis import FrameworkDiagnosis, Period, analysis_period, diagnose_all
from playbook.pages.findings import period_text
from playbook.pages.framework import Page, resolve_lang
from playbook.pages.html import Html, charts_html, esc, label, page_html, sep, table_html
from playbook.pages.strategist import markdown_html
from playbook.theme import use_report_style
from playbook.units import format_value


@dataclass(frozen=True)
class ClientPage(Page):
    """A page of the strategist's own for one client: its data, and report-styled sections."""

    slug: str
    data: ClientData
    period: Period
    lang: str

    @classmethod
    def from_data(
        cls,
        slug: str,
        data: ClientData,
        lang: str = "",
        as_of: str = "",
        period_days: int = DEFAULT_PERIOD_DAYS,
    ) -> ClientPage:
        """Prepare the page from loaded client data (arguments as ``Page.open``)."""
        chosen = resolve_lang(lang, data.config.language)
        use_report_style()
        return cls(slug, data, analysis_period(data, as_of or None, int(period_days)), chosen)

    @cached_property
    def current(self) -> ClientData:
        """The client's data over the analysis period (the previous period as ``prior``)."""
        prev = self.period.previous
        prior = self.data.between(prev.start, prev.end)
        return self.data.between(self.period.start, self.period.end, prior=prior)

    @cached_property
    def diagnoses(self) -> tuple[FrameworkDiagnosis, ...]:
        """Every framework of the client's scope, diagnosed over the analysis period."""
        last_day = (self.period.end - pd.Timedelta(days=1)).date().isoformat()
        return tuple(diagnose_all(self.data, last_day, self.period.days))

    def header(self, title: str, question: str = "") -> Html:
        """Show the page's title, the client, the period and the question it answers."""
        client, lang, s = self.data.config, self.lang, sep(self.lang)
        period_line = period_text(self.period, lang)
        asked = (
            f'<div class="pb-question"><div class="pb-kicker">{esc(label("question", lang))}'
            f"</div><div>{esc(question)}</div></div>"
            if question
            else ""
        )
        body = (
            f"<h1>{esc(title)}</h1>\n"
            f'<p class="pb-meta">{esc(label("client", lang))}{s}<strong>{esc(client.name)}'
            f"</strong> · {esc(label('industry', lang))}{s}{esc(client.industry)}</p>\n"
            f'<p class="pb-meta">{esc(period_line)}</p>\n{asked}'
        )
        return page_html(body, lang)

    def text(self, markdown: str) -> Html:
        """Show the strategist's text (bold, italics, bullet lists and http(s) links)."""
        return page_html(markdown_html(markdown), self.lang)

    def table(
        self, frame: pd.DataFrame, columns: Mapping[str, str] | None = None, index: str = ""
    ) -> Html:
        """Show a table: numbers formatted, every cell escaped, columns named in ``columns``.

        Args:
            frame: The rows to show (its index is shown as the first column when ``index``
                names it).
            columns: Column name -> heading; columns not named here are left out (all shown,
                under their own names, when None).
            index: The heading of the index column ("" to leave the index out).
        """
        names = dict(columns) if columns is not None else {c: str(c) for c in frame.columns}
        numeric = {
            c: pd.api.types.is_numeric_dtype(frame[c]) and not pd.api.types.is_bool_dtype(frame[c])
            for c in names
        }
        headers = [(esc(index), False)] if index else []
        headers += [(esc(title), numeric[c]) for c, title in names.items()]
        rows = []
        for key, row in frame.iterrows():
            cells = [esc(key)] if index else []
            cells += [self._cell(row[c], numeric[c]) for c in names]
            rows.append(cells)
        return page_html(table_html(headers, rows), self.lang)

    def chart(self, *figures: Figure | None) -> Html:
        """Show one or more figures side by side, in the report's style."""
        return page_html(charts_html(*figures), self.lang)

    def _cell(self, value: object, numeric: bool) -> str:
        if value is None or (isinstance(value, float) and pd.isna(value)):
            return "—"
        if numeric:
            unit = "count" if float(value).is_integer() and abs(float(value)) >= 10 else "number"
            return esc(format_value(float(value), unit, self.lang))
        return esc(value)
