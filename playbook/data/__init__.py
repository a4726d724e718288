"""Client data: the contract, reading files, validation, and the typed ``ClientData``.

Owns everything about a client's folder before any indicator sees it: ``contract`` (what
``client.yaml`` and each table may hold), ``files`` (finding and reading CSV/XLSX/Parquet,
encodings), ``validation`` (every problem at once, with file, row and column), ``clients``
(finding and loading a client) and ``model`` (``ClientData``: validated, typed tables with
period slicing); for the engagement, ``commentary`` (the strategist's ``commentary.yaml``),
``engagement`` (scope, commentary and client-notebook ids checked against the content),
``workbook`` (the data-request workbook, written and read back) and ``kit`` (``playbook
new``). May import ``content`` (for element ids) and ``config``; knows nothing of
indicators, diagnosis, charts, pages or the renderer.
"""

from playbook.data.clients import (
    DataValidationError,
    UnknownClientError,
    list_clients,
    load_client,
    load_commentary,
)
from playbook.data.commentary import Commentary
from playbook.data.model import ClientData

__all__ = [
    "ClientData",
    "Commentary",
    "DataValidationError",
    "UnknownClientError",
    "list_clients",
    "load_client",
    "load_commentary",
]
