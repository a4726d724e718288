"""Marketing-decision indicators of the value-add plan: journey conversion, test adequacy.

The statistics live in ``playbook.analytics.marketing``; this module picks the client's
conversion stage and experiments and registers the results as indicators.
"""

from __future__ import annotations

import pandas as pd

from playbook.analytics.marketing import ABReadout, ab_readout, journey_paths
from playbook.data.model import ClientData
from playbook.indicators.aggregate import usable
from playbook.indicators.journeys import journey_numbers
from playbook.indicators.registry import Measurement, indicator

JOURNEY_COLUMNS = ("customer_id", "event_time", "stage", "channel")


def conversion_stage(stages: list[str], journey: pd.DataFrame) -> str | None:
    """Return the stage that counts as a conversion.

    The earliest declared stage whose events carry an ``order_id`` (the event that led to an
    order); without order ids, the last declared stage. None without declared stages.
    """
    if not stages:
        return None
    if "order_id" in journey.columns:
        ordered = set(journey.loc[journey["order_id"].notna(), "stage"])
        for stage in stages:
            if stage in ordered:
                return stage
    return stages[-1]


def customer_paths(data: ClientData) -> pd.DataFrame | None:
    """Return one channel path per journey customer (see ``journey_paths``), or None.

    None when the journey table or the declared stages are missing.
    """
    journey = usable(data, "journey", *JOURNEY_COLUMNS)
    if journey.empty:
        return None
    stage = conversion_stage(list(data.config.journey_stages), journey)
    if stage is None:
        return None
    return journey_paths(journey, stage, customers=journey_numbers(data, journey))


@indicator("journey_conversion_rate", requires={"journey": JOURNEY_COLUMNS}, dimension="channel")
def journey_conversion_rate(data: ClientData) -> Measurement | None:
    """Measure the share of journey customers who reach the conversion stage.

    Broken down by entry channel (the channel of a customer's first event).
    """
    paths = customer_paths(data)
    if paths is None or paths.empty:
        return None
    converted = paths["converted"].astype(float)
    # each path's first touch (what ``.str[0]`` gives, without its per-row machinery)
    entry = pd.Series([p[0] for p in paths["path"]], paths.index, dtype=object, name="channel")
    groups = converted.groupby(entry, sort=True)
    return Measurement(
        float(converted.mean()), len(paths), groups.mean(), groups.size().astype(int)
    )


def experiment_readouts(
    experiments: pd.DataFrame, alpha: float = 0.05, power: float = 0.8
) -> list[ABReadout]:
    """Read out every experiment: each variant against the experiment's control.

    The control is the variant named "control", else the first in sorted order (see
    ``ab_readout``). Experiments with a single variant are skipped.
    """
    out = []
    for exp_id, rows in experiments.groupby("experiment_id", sort=True):
        variants = sorted(rows["variant"].dropna().astype(str).unique())
        if len(variants) < 2:
            continue
        control = "control" if "control" in variants else variants[0]
        for treatment in (v for v in variants if v != control):
            out.append(ab_readout(rows, str(exp_id), control, treatment, alpha, power))
    return out


@indicator(
    "ab_test_adequacy_share",
    requires={"experiments": ("experiment_id", "variant", "converted")},
    dimension="experiment",
)
def ab_test_adequacy_share(data: ClientData) -> Measurement | None:
    """Measure the share of A/B comparisons whose both arms reached the needed sample.

    The needed sample per arm is what a two-sided test at 5 % needs for 80 % power at the
    observed baseline and lift; a comparison with no lift at all counts as inadequate.
    """
    experiments = usable(data, "experiments", "experiment_id", "variant", "converted")
    readouts = experiment_readouts(experiments) if not experiments.empty else []
    if not readouts:
        return None
    names = [
        r.experiment_id
        if len(readouts) == len({x.experiment_id for x in readouts})
        else f"{r.experiment_id} {r.treatment}"
        for r in readouts
    ]
    adequate = pd.Series(
        [float(r.adequate) for r in readouts], index=names, name="adequate"
    ).rename_axis("experiment")
    units = pd.Series([r.test.n1 + r.test.n2 for r in readouts], index=adequate.index)
    return Measurement(float(adequate.mean()), int(units.sum()), adequate, units)
