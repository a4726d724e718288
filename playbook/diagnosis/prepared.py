"""The diagnoses of a prepared client: computed once by the renderer, read by every page.

The renderer diagnoses a client against every framework once (``iter_diagnoses``) and stores
each framework's diagnosis beside the prepared tables (``data.prepared``) as soon as it is
made, in ``diagnoses/<framework id>.pickle``; a framework's page can run while the next
framework is diagnosed. ``diagnoses/order.json`` (the reading order) is written last: until
it is there, the set is incomplete and ``read_diagnoses`` returns None. Each kernel reads
these files instead of diagnosing again. Pickle is safe here: the files are written and read
by the same interpreter and package, inside the render's own staging folder.
"""

from __future__ import annotations

import json
import os
import pickle
from collections.abc import Sequence

from playbook.data.prepared import PreparedClient
from playbook.diagnosis.core import FrameworkDiagnosis

#: The folder of the diagnoses inside a prepared client.
DIAGNOSES = "diagnoses"
#: The reading order of the frameworks, written when every diagnosis is there.
ORDER = "order.json"


def write_diagnosis(prepared: PreparedClient, diagnosis: FrameworkDiagnosis) -> None:
    """Store one framework's diagnosis (whole or not at all: a page may read it at once)."""
    folder = prepared.path(DIAGNOSES)
    folder.mkdir(exist_ok=True)
    path = folder / f"{diagnosis.framework.id}.pickle"
    partial = path.with_suffix(".partial")
    with partial.open("wb") as fh:
        pickle.dump(diagnosis, fh, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(partial, path)


def write_order(prepared: PreparedClient, diagnoses: Sequence[FrameworkDiagnosis]) -> None:
    """Mark a prepared client's diagnoses complete (each already stored): their order."""
    folder = prepared.path(DIAGNOSES)
    folder.mkdir(exist_ok=True)
    order = [d.framework.id for d in diagnoses]
    (folder / ORDER).write_text(json.dumps(order) + "\n", encoding="utf-8")


def write_diagnoses(prepared: PreparedClient, diagnoses: Sequence[FrameworkDiagnosis]) -> None:
    """Store a prepared client's diagnoses, then their reading order."""
    for diagnosis in diagnoses:
        write_diagnosis(prepared, diagnosis)
    write_order(prepared, diagnoses)


def read_diagnosis(prepared: PreparedClient, framework_id: str) -> FrameworkDiagnosis | None:
    """Return one framework's diagnosis of a prepared client (None when not stored)."""
    path = prepared.path(DIAGNOSES) / f"{framework_id}.pickle"
    if "/" in framework_id or not path.is_file():
        return None
    with path.open("rb") as fh:
        return pickle.load(fh)


def read_diagnoses(prepared: PreparedClient) -> tuple[FrameworkDiagnosis, ...] | None:
    """Return every diagnosis of a prepared client in reading order (None until complete)."""
    order = prepared.path(DIAGNOSES) / ORDER
    if not order.is_file():
        return None
    ids = json.loads(order.read_text(encoding="utf-8"))
    return tuple(read_diagnosis(prepared, framework_id) for framework_id in ids)
