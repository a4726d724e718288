"""A big client's prior period measured in a child process: the same diagnoses as serially.

"Big" is forced down to any client (``FORK_ORDERS``); the demo client brewlane_coffee has
orders and journey events in both periods, so prior values exist to compare.
"""

from __future__ import annotations

import os

import pytest

from playbook.data.clients import load_client
from playbook.diagnosis import core, forked

pytestmark = pytest.mark.skipif(not forked.can_fork(), reason="processes do not fork here")

FRAMEWORK = "high_value_journey"  # orders and journey indicators, with trends
PARENT = os.getpid()


@pytest.fixture(scope="module")
def brewlane():
    return load_client("brewlane_coffee")


def _readings(diagnosis) -> list[tuple]:
    """Return what a diagnosis says, element by element and indicator by indicator."""
    out = [(diagnosis.score, diagnosis.period)]
    for e in diagnosis.elements:
        out.append((e.element.id, e.data_score, e.score, e.band, tuple(a.id for a in e.actions)))
        out += [(r.ref.id, r.value, r.previous, r.score, r.n, r.weakest) for r in e.indicators]
    return out


@pytest.fixture(scope="module")
def serial(brewlane):
    assert len(brewlane.orders) < core.FORK_ORDERS  # a small client is measured serially
    return _readings(core.diagnose(FRAMEWORK, brewlane))


def _spy(monkeypatch, misbehave=None) -> list[str]:
    """Record the prior values the parent measures itself (the child's are not seen here)."""
    mine, measure = [], core._prior

    def prior(indicator_id, current):
        if os.getpid() == PARENT:
            mine.append(indicator_id)
        elif misbehave is not None:
            return misbehave()
        return measure(indicator_id, current)

    monkeypatch.setattr(core, "_prior", prior)
    monkeypatch.setattr(core, "FORK_ORDERS", 0)
    return mine


def test_a_big_clients_prior_values_come_from_the_child_and_change_nothing(
    brewlane, serial, monkeypatch
):
    mine = _spy(monkeypatch)
    assert _readings(core.diagnose(FRAMEWORK, brewlane)) == serial
    assert mine == []  # every prior value came from the child
    assert sum(r[2] is not None for r in serial if len(r) == 6) >= 5  # trends were compared


def _die():
    os._exit(1)


def _garble():
    return "0.5"


@pytest.mark.parametrize("misbehave", [_die, _garble], ids=["dies", "garbles"])
def test_without_the_childs_values_the_parent_measures_them(
    brewlane, serial, monkeypatch, misbehave
):
    mine = _spy(monkeypatch, misbehave)
    assert _readings(core.diagnose(FRAMEWORK, brewlane)) == serial
    assert mine  # measured here instead


def test_a_client_below_the_threshold_is_measured_in_one_process(brewlane, serial, monkeypatch):
    started = []
    monkeypatch.setattr(core, "Forked", lambda *args, **kwargs: started.append(args))
    monkeypatch.setattr(core, "FORK_ORDERS", len(brewlane.orders) + 1)
    assert _readings(core.diagnose(FRAMEWORK, brewlane)) == serial
    assert started == []
    monkeypatch.setattr(core, "FORK_ORDERS", len(brewlane.orders))  # big from this size on
    assert _readings(core.diagnose(FRAMEWORK, brewlane)) == serial  # (the stand-in: no child)
    assert len(started) == 1
