"""The diagnoses of a prepared client: computed once by the renderer, read by every page.

The renderer diagnoses a client against every framework once (``diagnose_all``) and stores
the result beside the prepared tables (``data.prepared``) as ``diagnoses.pickle``; each
kernel reads it instead of diagnosing again. Pickle is safe here: the file is written and
read by the same interpreter and package, inside the render's own staging folder.
"""

from __future__ import annotations

import pickle
from collections.abc import Sequence

from playbook.data.prepared import PreparedClient
from playbook.diagnosis.core import FrameworkDiagnosis

DIAGNOSES = "diagnoses.pickle"


def write_diagnoses(prepared: PreparedClient, diagnoses: Sequence[FrameworkDiagnosis]) -> None:
    """Store a prepared client's diagnoses, in reading order."""
    with prepared.path(DIAGNOSES).open("wb") as fh:
        pickle.dump(tuple(diagnoses), fh, protocol=pickle.HIGHEST_PROTOCOL)


def read_diagnoses(prepared: PreparedClient) -> tuple[FrameworkDiagnosis, ...] | None:
    """Return a prepared client's diagnoses (None when the renderer stored none)."""
    path = prepared.path(DIAGNOSES)
    if not path.is_file():
        return None
    with path.open("rb") as fh:
        return pickle.load(fh)


def read_diagnosis(prepared: PreparedClient, framework_id: str) -> FrameworkDiagnosis | None:
    """Return one framework's diagnosis of a prepared client (None when not stored)."""
    diagnoses = read_diagnoses(prepared) or ()
    return next((d for d in diagnoses if d.framework.id == framework_id), None)
