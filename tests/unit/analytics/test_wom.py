"""Known-answer tests for playbook.analytics.wom (expected values worked out by hand)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from playbook.analytics.wom import nps

# app: 10, 9, 8, 3 -> 2 promoters, 1 passive, 1 detractor of 4 -> NPS (0.5 - 0.25) x 100 = 25
# store: 6, 7, 10  -> 1 promoter, 1 passive, 1 detractor of 3  -> NPS 0
# one response without a score is ignored.
SURVEY = pd.DataFrame(
    {
        "touchpoint": ["app", "app", "app", "app", "store", "store", "store", "store"],
        "nps": [10, 9, 8, 3, 6, 7, 10, np.nan],
    }
)


def test_nps_by_touchpoint_by_hand():
    out = nps(SURVEY, by="touchpoint").set_index("touchpoint")
    assert out.index.tolist() == ["store", "app"]  # weakest first
    assert out["responses"].to_dict() == {"store": 3, "app": 4}
    assert out.loc["app", "promoters"] == pytest.approx(0.5)
    assert out.loc["app", "passives"] == pytest.approx(0.25)
    assert out.loc["app", "detractors"] == pytest.approx(0.25)
    assert out.loc["app", "nps"] == pytest.approx(25)
    assert out.loc["store", "nps"] == pytest.approx(0)


def test_nps_overall_by_hand():
    # 7 answers: promoters 10, 9, 10 (3), detractors 3, 6 (2) -> (3 - 2) / 7 x 100 = 14.29
    out = nps(SURVEY)
    assert out["segment"].tolist() == ["all"]
    assert out.loc[0, "nps"] == pytest.approx(100 / 7)


def test_nps_missing_segment_column_raises():
    with pytest.raises(ValueError, match="survey: missing column.*segment"):
        nps(SURVEY, by="segment")
