"""Labels from client data are drawn as written: a dollar sign is never math text."""

from __future__ import annotations

import io

import pandas as pd

from playbook.charts.value import tier_share_chart

DOLLAR_TIERS = ["$", "$$ spenders", "$$$$", "Under $5 / over $5", "$x^2$"]


def drawn_texts(fig) -> list[str]:
    """Draw the figure (as a PNG) and return every text it shows, as drawn."""
    fig.savefig(io.BytesIO(), format="png")  # drawing math text with "$x^2$" would parse it
    out = []
    for text in fig.findobj(lambda a: hasattr(a, "get_text") and hasattr(a, "_preprocess_math")):
        shown, is_math = text._preprocess_math(text.get_text())
        assert not is_math, text.get_text()
        out.append(shown)
    return out


def test_dollar_signs_in_tier_names_draw_as_text():
    economics = pd.DataFrame(
        {
            "tier": DOLLAR_TIERS,
            "customer_share": [0.1, 0.2, 0.3, 0.2, 0.2],
            "revenue_share": [0.3, 0.2, 0.1, 0.2, 0.2],
        }
    )
    fig = tier_share_chart(economics, "en", rfm_names=False)
    texts = drawn_texts(fig)
    for name in DOLLAR_TIERS:
        assert name in texts
