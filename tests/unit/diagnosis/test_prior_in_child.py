"""A big client measured by two processes: the same diagnoses as measured serially.

A child measures the prior values, then current periods from the last indicator backwards
while the parent measures them from the first. "Big" is forced down to any client
(``FORK_ORDERS``); the demo client brewlane_coffee has orders and journey events in both
periods, so prior values exist to compare.
"""

from __future__ import annotations

import os
import time

import pandas as pd
import pytest

from playbook.data.clients import load_client
from playbook.diagnosis import core, forked

pytestmark = pytest.mark.skipif(not forked.can_fork(), reason="processes do not fork here")

FRAMEWORK = "high_value_journey"  # orders and journey indicators, with trends
PARENT = os.getpid()


@pytest.fixture(scope="module")
def brewlane():
    return load_client("brewlane_coffee")


def _shown(x):
    """Return a breakdown or detail frame as plain values (with labels, types and names)."""
    if isinstance(x, pd.Series):
        return ("series", list(x.index), x.tolist(), str(x.index.dtype), str(x.dtype), x.name)
    if isinstance(x, pd.DataFrame):
        return ("frame", x.to_csv(), {c: str(t) for c, t in x.dtypes.items()}, str(x.index.dtype))
    return x


def _readings(diagnosis) -> list[tuple]:
    """Return what a diagnosis says, element by element and indicator by indicator."""
    out = [(diagnosis.score, diagnosis.period)]
    for e in diagnosis.elements:
        out.append((e.element.id, e.data_score, e.score, e.band, tuple(a.id for a in e.actions)))
        out += [
            (r.ref.id, r.value, r.previous, r.score, r.n, r.weakest, r.missing, r.interval)
            + (r.reading, r.even, r.incidents, r.comparison)
            + tuple(_shown(x) for x in (r.by, r.by_n, r.detail, r.parts, r.parts_n))
            for r in e.indicators
        ]
    return out


@pytest.fixture(scope="module")
def serial(brewlane):
    assert len(brewlane.orders) < core.FORK_ORDERS  # a small client is measured serially
    return _readings(core.diagnose(FRAMEWORK, brewlane))


def _spy(monkeypatch, misbehave=None, slow=0.0) -> tuple[list[str], list[str]]:
    """Record the prior values and the current measurements the parent makes itself (the
    child's are not seen here); ``slow``: seconds the parent takes more for each of the
    latter (the child, done with the prior values, then takes some)."""
    priors, nows = [], []
    prior, now = core._prior, core._now

    def prior_spied(indicator_id, current):
        if os.getpid() == PARENT:
            priors.append(indicator_id)
        elif misbehave is not None:
            return misbehave()
        return prior(indicator_id, current)

    def now_spied(indicator_id, current):
        if os.getpid() == PARENT:
            nows.append(indicator_id)
            time.sleep(slow)
        return now(indicator_id, current)

    monkeypatch.setattr(core, "_prior", prior_spied)
    monkeypatch.setattr(core, "_now", now_spied)
    monkeypatch.setattr(core, "FORK_ORDERS", 0)
    return priors, nows


def test_a_big_clients_prior_values_come_from_the_child_and_change_nothing(
    brewlane, serial, monkeypatch
):
    priors, nows = _spy(monkeypatch, slow=0.2)
    assert _readings(core.diagnose(FRAMEWORK, brewlane)) == serial
    assert priors == []  # every prior value came from the child
    measured = [r[0] for r in serial if len(r) > 5]
    assert 0 < len(nows) < len(set(measured))  # the child took the last current ones
    assert nows == list(dict.fromkeys(measured))[: len(nows)]
    assert sum(r[2] is not None for r in serial if len(r) > 5) >= 5  # trends were compared


def _die():
    os._exit(1)


def _garble():
    return "0.5"


@pytest.mark.parametrize("misbehave", [_die, _garble], ids=["dies", "garbles"])
def test_without_the_childs_values_the_parent_measures_them(
    brewlane, serial, monkeypatch, misbehave
):
    priors, nows = _spy(monkeypatch, misbehave)
    assert _readings(core.diagnose(FRAMEWORK, brewlane)) == serial
    assert priors  # measured here instead


def test_a_client_below_the_threshold_is_measured_in_one_process(brewlane, serial, monkeypatch):
    started = []
    monkeypatch.setattr(core, "Forked", lambda *args, **kwargs: started.append(args))
    monkeypatch.setattr(core, "FORK_ORDERS", len(brewlane.orders) + 1)
    assert _readings(core.diagnose(FRAMEWORK, brewlane)) == serial
    assert started == []
    monkeypatch.setattr(core, "FORK_ORDERS", len(brewlane.orders))  # big from this size on
    assert _readings(core.diagnose(FRAMEWORK, brewlane)) == serial  # (the stand-in: no child)
    assert len(started) == 1
