"""Prepare a client once per render: validate and load, resolve the settings, diagnose.

The result is written into the client's staging folder (``data.prepared`` for the tables
and settings, ``diagnosis.prepared`` for the diagnoses) and handed to every notebook
kernel, so no kernel validates or diagnoses again. A :class:`Preparation` hands the tables
over first, then each framework's diagnosis as soon as it is made, so the renderer can start
a framework's page while the next framework is diagnosed. The renderer keeps only what it
needs afterwards (the settings, the diagnoses for ``scores.json``, the client's name), never
the tables.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping
from dataclasses import replace
from pathlib import Path

from playbook.data.clients import DataValidationError, UnknownClientError, load_client
from playbook.data.memory import release_free_memory
from playbook.data.model import ClientData
from playbook.data.prepared import Settings, write_prepared
from playbook.diagnosis import FrameworkDiagnosis, iter_diagnoses
from playbook.diagnosis.prepared import write_diagnosis, write_order
from playbook.report.manifest import file_hashes
from playbook.report.prepared import PREPARED_DIR, InvalidClient, Prepared
from playbook.report.tables_cache import (
    CommentaryError,
    cached_client,
    cached_measurements,
    keep_client,
    keep_measurements,
    tables_key,
)


def load_valid(client_id: str, clients_dir: Path) -> ClientData:
    """Load and validate a client.

    Raises:
        InvalidClient: Unknown client, invalid data or a loading bug (every problem listed).
    """
    try:
        return load_client(client_id, clients_dir, cache=False)
    except UnknownClientError as exc:
        raise InvalidClient((str(exc),)) from exc
    except DataValidationError as exc:
        raise InvalidClient(tuple(str(p) for p in exc.problems) or (str(exc),)) from exc
    except Exception as exc:  # a bug in loading one client never stops the others
        problem = f"{client_id}: could not load the data: {type(exc).__name__}: {exc}"
        raise InvalidClient((problem,)) from exc


class Preparation:
    """A client being prepared: loaded and handed over at once, then diagnosed step by step.

    Creating it validates and loads the client, resolves the settings and writes the tables
    for the kernels into ``staging`` (``prepared`` then has no diagnoses yet); ``diagnose``
    diagnoses the frameworks one by one, storing each before yielding it, and leaves the
    complete ``prepared``. Given the client folder's file ``hashes``, validated tables are
    taken from, and kept in, the user's cache (``tables_cache``): a client whose files but
    ``commentary.yaml`` did not change since its last render is not validated again.

    Raises:
        InvalidClient: The client is unknown or its data failed validation.
    """

    def __init__(
        self,
        client_id: str,
        clients_dir: Path,
        staging: Path,
        *,
        lang: str = "",
        as_of: str = "",
        period_days: int,
        report_date: str,
        reports_dir: Path | None = None,
        hashes: Mapping[str, str] | None = None,
    ) -> None:
        t0 = time.perf_counter()
        client_dir = Path(clients_dir) / client_id
        key = tables_key(hashes) if hashes is not None else ""
        try:
            cached = cached_client(client_dir, key) if key else None
        except CommentaryError as exc:
            raise InvalidClient(exc.problems) from exc
        data, tables_from = cached or (load_valid(client_id, clients_dir), None)
        settings = Settings.resolve(
            data,
            client_id,
            clients_dir,
            lang,
            as_of,
            period_days,
            report_date=report_date,
            reports_dir=reports_dir or "",
        )
        t1 = time.perf_counter()
        folder = write_prepared(staging / PREPARED_DIR, data, settings, tables_from)
        # kept only if no file changed while it was read (else the key would not be its own)
        if key and cached is None and file_hashes(client_dir) == hashes:
            keep_client(folder.folder, client_dir, key)
        seconds = {"load": t1 - t0, "handoff": time.perf_counter() - t1}
        self.cached = cached is not None
        self._data: ClientData | None = data
        self._client_dir, self._key = client_dir, key
        self.prepared = Prepared(
            settings, data.config, data.commentary, data.source, (), folder, seconds
        )

    def diagnose(self, store: bool = True) -> Iterator[FrameworkDiagnosis]:
        """Diagnose every framework of the client's scope, storing each before yielding it.

        ``store``: write the diagnoses for the kernels (not when no notebook runs).

        Raises:
            ValueError: An unusable ``as_of`` (on the first ``next``).
        """
        data, prepared = self._data, self.prepared
        if data is None:
            raise RuntimeError(f"{prepared.settings.client_id}: already diagnosed")
        t0 = time.perf_counter()
        as_of, days = prepared.settings.as_of, prepared.settings.period_days
        measured = cached_measurements(self._client_dir, self._key, as_of, days)
        known = len(measured)
        diagnoses = []
        for diagnosis in iter_diagnoses(data, as_of, days, measured=measured):
            if store:
                write_diagnosis(prepared.folder, diagnosis)
            diagnoses.append(diagnosis)
            yield diagnosis
        if store:
            write_order(prepared.folder, diagnoses)
        if len(measured) > known:
            keep_measurements(self._client_dir, self._key, as_of, days, measured)
        seconds = {**prepared.seconds, "diagnose": time.perf_counter() - t0}
        self.prepared = replace(prepared, diagnoses=tuple(diagnoses), seconds=seconds)
        self._data = data = None  # the tables: not cached (load_valid), so freed here
        # and the memory they took given back: the renderer holds none of it while the
        # kernels run the pages (a third of a gigabyte at 10M orders)
        release_free_memory()
