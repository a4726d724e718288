"""Word-of-mouth indicators: NPS of the weakest customer segment and the detractor share.

Both read the 0–10 recommendation answer (``survey.nps``): promoters answer 9–10, passives
7–8, detractors 0–6 (``playbook.analytics.wom``).
"""

from __future__ import annotations

import pandas as pd

from playbook.analytics.wom import nps as nps_table
from playbook.data.model import ClientData
from playbook.indicators.aggregate import customer_values, ratio_by, usable
from playbook.indicators.registry import Measurement, indicator

#: A segment needs this many answers to count towards the weakest-segment NPS (when at least
#: one segment has that many; otherwise every segment counts).
MIN_ANSWERS = 10


@indicator(
    "segment_nps_min",
    requires={"survey": ("customer_id", "nps"), "customers": ("customer_id", "segment")},
    dimension="segment",
)
def segment_nps_min(data: ClientData) -> Measurement | None:
    """Measure the lowest NPS of any customer segment (answers joined to customers.segment).

    Segments with fewer than ``MIN_ANSWERS`` answers are left out of the minimum when another
    segment has enough. ``detail`` holds the promoter/passive/detractor mix per segment.
    """
    s = usable(data, "survey", "customer_id", "nps")
    segment = customer_values(data, "survey", "segment", ("customer_id", "segment"))
    s = s.assign(segment=segment.loc[s.index])
    s = s.dropna(subset=["segment"])
    if s.empty:
        return None
    table = nps_table(s, by="segment")
    enough = table[table["responses"] >= MIN_ANSWERS]
    counted = enough if not enough.empty else table
    by = table.set_index("segment")["nps"].sort_index()
    by_n = table.set_index("segment")["responses"].astype(int).sort_index()
    detail = table[["segment", "promoters", "passives", "detractors", "responses", "nps"]]
    return Measurement(
        float(counted["nps"].min()),
        int(table["responses"].sum()),
        by,
        by_n,
        detail.reset_index(drop=True),
    )


@indicator("detractor_share", requires={"survey": ("nps",)}, dimension="touchpoint")
def detractor_share(data: ClientData) -> Measurement | None:
    """Measure the share of recommendation answers from 0 to 6 (detractors), by touchpoint."""
    s = usable(data, "survey", "nps")
    if s.empty:
        return None
    touchpoint = s["touchpoint"] if "touchpoint" in s.columns else None
    detractor: pd.Series = s["nps"] < 7
    return ratio_by(detractor, dim=touchpoint)
