"""Client data: the contract, reading files, validation, and the typed ``ClientData``.

Owns everything about a client's folder before any indicator sees it: ``contract`` (what
``client.yaml`` and each table may hold), ``files`` (finding and reading CSV/XLSX/Parquet,
encodings), ``validation`` (every problem at once, with file, row and column), ``clients``
(finding and loading a client) and ``model`` (``ClientData``: validated, typed tables with
period slicing); for the engagement, ``commentary`` (the strategist's ``commentary.yaml``),
``engagement`` (scope, commentary and client-notebook ids checked against the content),
``yaml_files`` (``client.yaml``, ``assessment.yaml`` and ``commentary.yaml`` read and
checked, without pandas), ``settings`` (what a render resolves once per client),
``workbook`` (the data-request workbook, written and read back) and ``kit`` (``playbook
new``). May import ``content`` (for element ids) and ``config``; knows nothing of
indicators, diagnosis, charts, pages or the renderer.
"""

from importlib import import_module

#: Where each name this package exports is defined. They are imported when first asked
#: for: a render whose pages are all reused reads no table, and so never imports pandas.
_EXPORTS = {
    "ClientData": "playbook.data.model",
    "Commentary": "playbook.data.commentary",
    "DataValidationError": "playbook.data.clients",
    "UnknownClientError": "playbook.data.clients",
    "list_clients": "playbook.data.clients",
    "load_client": "playbook.data.clients",
    "load_commentary": "playbook.data.clients",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> object:
    """Return an exported name, importing its module on first use."""
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
