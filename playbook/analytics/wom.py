"""Word of mouth: Net Promoter Score with promoter / passive / detractor shares."""

from __future__ import annotations

import pandas as pd

from playbook.analytics import require_columns


def nps(survey: pd.DataFrame, by: str | None = None, score_col: str = "nps") -> pd.DataFrame:
    """Compute NPS and the promoter / passive / detractor shares, overall or by a segment.

    Promoters answer 9-10, passives 7-8, detractors 0-6; NPS = (promoter share - detractor
    share) x 100, in points from -100 to 100. Responses without a score are ignored, and
    so are responses without a ``by`` value.

    Args:
        survey: Responses with the 0-10 score column (and ``by``).
        by: Segment column (e.g. "touchpoint", or "segment" after joining customers), or
            None for one overall row.
        score_col: Name of the 0-10 recommendation score column.

    Returns:
        One row per segment (``by`` column, or a single row with segment "all"):
        responses, promoters, passives, detractors (shares of responses), nps; sorted by
        nps, lowest first, so the weakest segment leads.
    """
    require_columns(survey, [score_col] + ([by] if by else []), "survey")
    s = survey.dropna(subset=[score_col] + ([by] if by else []))
    if s.empty:
        raise ValueError(f"survey: no {score_col} answers to compute NPS from")
    score = s[score_col]
    if ((score < 0) | (score > 10)).any():
        raise ValueError(f"survey: {score_col} answers must be within 0-10")
    key = s[by] if by else pd.Series("all", index=s.index, name="segment")
    flags = pd.DataFrame(
        {"promoters": score >= 9, "passives": (score >= 7) & (score < 9), "detractors": score < 7}
    )
    out = flags.groupby(key).mean()
    out.insert(0, "responses", flags.groupby(key).size())
    out["nps"] = (out["promoters"] - out["detractors"]) * 100
    out = out.sort_values("nps", kind="stable").rename_axis(by or "segment")
    return out.reset_index()
