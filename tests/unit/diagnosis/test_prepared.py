"""Diagnoses stored beside a prepared client read back as they were computed."""

from __future__ import annotations

from playbook.data.clients import load_client
from playbook.data.prepared import Settings, write_prepared
from playbook.diagnosis import diagnose_all
from playbook.diagnosis.prepared import (
    read_diagnoses,
    read_diagnosis,
    write_diagnoses,
    write_diagnosis,
)


def test_diagnoses_read_back_in_order(make_client, tmp_path):
    data = load_client("acme", make_client())
    folder = write_prepared(tmp_path / "p", data, Settings.resolve(data, "acme"))
    assert read_diagnoses(folder) is None

    diagnoses = diagnose_all(data)
    write_diagnoses(folder, diagnoses)
    back = read_diagnoses(folder)

    assert [d.framework.id for d in back] == [d.framework.id for d in diagnoses]
    assert [d.score for d in back] == [d.score for d in diagnoses]
    assert read_diagnosis(folder, diagnoses[1].framework.id).score == diagnoses[1].score
    assert read_diagnosis(folder, "no_such_framework") is None


def test_a_framework_diagnosis_is_readable_before_the_set_is_complete(make_client, tmp_path):
    data = load_client("acme", make_client())
    folder = write_prepared(tmp_path / "p", data, Settings.resolve(data, "acme"))
    first, *rest = diagnose_all(data)

    write_diagnosis(folder, first)

    assert read_diagnosis(folder, first.framework.id).score == first.score
    assert read_diagnosis(folder, rest[0].framework.id) is None, "not diagnosed yet"
    assert read_diagnoses(folder) is None, "the summary waits for every framework"
    assert not list(folder.path("diagnoses").glob("*.partial"))
    write_diagnoses(folder, [first, *rest])
    assert [d.framework.id for d in read_diagnoses(folder)] == [first.framework.id] + [
        d.framework.id for d in rest
    ]
