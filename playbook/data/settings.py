"""What a render resolves once per client, so every page, ``scores.json`` and the manifest agree.

Kept apart from ``prepared`` (the tables handed to the kernels), so settings can be made
without importing pandas: for a report whose pages are all reused, the renderer takes them
from the client's last report without reading a table.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from playbook.config import DEFAULT_CLIENTS_DIR, DEFAULT_PERIOD_DAYS

if TYPE_CHECKING:
    from playbook.data.model import ClientData

#: The environment variable naming the prepared client's folder in a kernel (``prepared``).
PREPARED_ENV = "PLAYBOOK_PREPARED"


def _iso_day(text: str) -> str:
    """Write a day as YYYY-MM-DD ("2025-6-30" too), so every page and file compares it alike.

    A text that is not a day is kept: the period check refuses it with its own message.
    """
    import pandas as pd  # imported here: a render whose pages are all reused reads no table

    try:
        return pd.Timestamp(text).date().isoformat()
    except (ValueError, TypeError):
        return text


@dataclass(frozen=True)
class Settings:
    """What a render resolved once, so every page, scores.json and the manifest agree."""

    client_id: str
    clients_dir: str
    lang: str
    as_of: str
    period_days: int = DEFAULT_PERIOD_DAYS
    report_date: str = ""
    reports_dir: str = ""

    @classmethod
    def resolve(
        cls,
        data: ClientData,
        client_id: str,
        clients_dir: str | Path = "",
        lang: str = "",
        as_of: str = "",
        period_days: int = DEFAULT_PERIOD_DAYS,
        report_date: str = "",
        reports_dir: str | Path = "",
    ) -> Settings:
        """Fill the defaults from the data: the client's language, the last order day, today.

        ``reports_dir`` (where the client's earlier reports are) is passed on to the pages.
        """
        return cls.of(
            client_id,
            clients_dir,
            lang or data.config.language,
            _iso_day(as_of) if as_of else data.span()[1].date().isoformat(),
            period_days,
            report_date,
            reports_dir,
        )

    @classmethod
    def of(
        cls,
        client_id: str,
        clients_dir: str | Path,
        lang: str,
        as_of: str,
        period_days: int = DEFAULT_PERIOD_DAYS,
        report_date: str = "",
        reports_dir: str | Path = "",
    ) -> Settings:
        """Return settings whose language and ``as_of`` (YYYY-MM-DD) are known: the folders
        made absolute, the report date today's when not given."""
        return cls(
            client_id=client_id,
            clients_dir=str(Path(clients_dir or DEFAULT_CLIENTS_DIR).resolve()),
            lang=lang,
            as_of=as_of,
            period_days=int(period_days),
            report_date=report_date or date.today().isoformat(),
            reports_dir=str(Path(reports_dir).resolve()) if reports_dir else "",
        )

    def parameters(self) -> dict:
        """Return the notebook parameters these settings stand for."""
        return {
            "client_id": self.client_id,
            "clients_dir": self.clients_dir,
            "lang": self.lang,
            "as_of": self.as_of,
            "period_days": self.period_days,
            "reports_dir": self.reports_dir,
        }

    def matches(
        self, client_id: str, clients_dir: str, lang: str, as_of: str, period_days: int
    ) -> bool:
        """Tell whether a notebook's parameters ask for this client (empty: the default)."""
        folder = str(Path(clients_dir or DEFAULT_CLIENTS_DIR).resolve())
        return (
            (client_id, folder, int(period_days))
            == (self.client_id, self.clients_dir, self.period_days)
            and lang in ("", self.lang)
            and as_of in ("", self.as_of)
        )
