"""Client data: the contract, reading files, validation, and the typed ``ClientData``.

Owns everything about a client's folder before any indicator sees it: ``contract`` (what
``client.yaml`` and each table may hold), ``files`` (finding and reading CSV/XLSX/Parquet,
encodings), ``validation`` (every problem at once, with file, row and column), ``clients``
(finding and loading a client) and ``model`` (``ClientData``: validated, typed tables with
period slicing). May import ``content`` (for element ids) and ``config``; knows nothing of
indicators, diagnosis, charts, pages or the renderer.
"""

from playbook.data.clients import (
    DataValidationError,
    UnknownClientError,
    list_clients,
    load_client,
)
from playbook.data.model import ClientData

__all__ = [
    "ClientData",
    "DataValidationError",
    "UnknownClientError",
    "list_clients",
    "load_client",
]
