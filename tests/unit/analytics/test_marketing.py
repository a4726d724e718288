"""Known-answer tests for playbook.analytics.marketing (expected values worked out by hand)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from playbook.analytics.marketing import (
    CONVERSION,
    NULL,
    START,
    ab_readout,
    attribution,
    conversion_funnel,
    journey_paths,
    markov_chain,
    required_sample_size,
    two_proportion_test,
)
from playbook.data.numbering import Numbers

# Four paths over two channels:
#   p1: A -> B -> conversion
#   p2: A -> conversion
#   p3: B -> null
#   p4: A -> B -> null
PATHS = pd.DataFrame(
    {
        "path": [("A", "B"), ("A",), ("B",), ("A", "B")],
        "converted": [True, True, False, False],
    }
)


def test_markov_removal_effect_by_hand():
    # Transition counts: start->A 3 (p1, p2, p4), start->B 1 (p3);
    #   A->B 2 (p1, p4), A->conv 1 (p2); B->conv 1 (p1), B->null 2 (p3, p4).
    # Probabilities: start->A 3/4, start->B 1/4; A->B 2/3, A->conv 1/3;
    #   B->conv 1/3, B->null 2/3.
    # P(conv | B) = 1/3; P(conv | A) = 1/3 + 2/3 * 1/3 = 5/9;
    # P(conv) = 3/4 * 5/9 + 1/4 * 1/3 = 15/36 + 3/36 = 1/2 (= 2 of 4 paths, as observed).
    # Without A (start->A goes to null): P = 1/4 * 1/3 = 1/12 -> RE_A = 1 - (1/12)/(1/2) = 5/6.
    # Without B (A->B and start->B go to null): P = 3/4 * 1/3 = 1/4 -> RE_B = 1 - 1/2 = 1/2.
    chain = markov_chain(PATHS)
    t = chain.transitions
    assert t.loc[START, "A"] == pytest.approx(3 / 4)
    assert t.loc[START, "B"] == pytest.approx(1 / 4)
    assert t.loc["A", "B"] == pytest.approx(2 / 3)
    assert t.loc["A", CONVERSION] == pytest.approx(1 / 3)
    assert t.loc["B", CONVERSION] == pytest.approx(1 / 3)
    assert t.loc["B", NULL] == pytest.approx(2 / 3)
    assert chain.p_conversion == pytest.approx(1 / 2)
    rem = chain.removal.set_index("channel")
    assert rem.loc["A", "p_conversion_without"] == pytest.approx(1 / 12)
    assert rem.loc["B", "p_conversion_without"] == pytest.approx(1 / 4)
    assert rem.loc["A", "removal_effect"] == pytest.approx(5 / 6)
    assert rem.loc["B", "removal_effect"] == pytest.approx(1 / 2)


def test_markov_chain_without_conversions_raises():
    with pytest.raises(ValueError, match="no converting path"):
        markov_chain(PATHS.assign(converted=False))


def test_attribution_models_side_by_side_by_hand():
    # Converting paths: p1 (A, B) and p2 (A); 2 conversions.
    # first touch: p1 -> A, p2 -> A           => A 2, B 0
    # last touch:  p1 -> B, p2 -> A           => A 1, B 1
    # linear:      p1 -> A 1/2, B 1/2; p2 -> A 1 => A 1.5, B 0.5
    # Markov: RE_A = 5/6, RE_B = 1/2, sum 4/3
    #   A = 2 * (5/6) / (4/3) = 1.25; B = 2 * (1/2) / (4/3) = 0.75
    out = attribution(PATHS).set_index("channel")
    assert out["first_touch"].to_dict() == {"A": 2.0, "B": 0.0}
    assert out["last_touch"].to_dict() == {"A": 1.0, "B": 1.0}
    assert out["linear"].to_dict() == {"A": 1.5, "B": 0.5}
    assert out["markov"].to_dict() == pytest.approx({"A": 1.25, "B": 0.75})
    assert out[["first_touch", "last_touch", "linear", "markov"]].sum().tolist() == pytest.approx(
        [2, 2, 2, 2]
    )


def test_attribution_missing_column_raises():
    with pytest.raises(ValueError, match="paths: missing column.*converted"):
        attribution(PATHS.drop(columns="converted"))


# Journey events:
#   u1: app browse, app browse (repeat collapses), web purchase, app purchase (after the
#       first conversion: dropped)                    -> path (app, web), converted
#   u2: web browse, app cart                          -> path (web, app), not converted
#   u3: store browse                                  -> path (store,), not converted
JOURNEY = pd.DataFrame(
    {
        "customer_id": ["u1", "u1", "u1", "u1", "u2", "u2", "u3"],
        "event_time": pd.to_datetime(
            [
                "2024-01-01 10:00",
                "2024-01-01 11:00",
                "2024-01-01 12:00",
                "2024-01-02 00:00",
                "2024-01-01 00:00",
                "2024-01-03 00:00",
                "2024-01-05 00:00",
            ]
        ),
        "stage": ["browse", "browse", "purchase", "purchase", "browse", "cart", "browse"],
        "channel": ["app", "app", "web", "app", "web", "app", "store"],
    }
)


def test_journey_paths_truncate_and_collapse():
    out = journey_paths(JOURNEY, "purchase").set_index("customer_id")
    assert out["path"].to_dict() == {"u1": ("app", "web"), "u2": ("web", "app"), "u3": ("store",)}
    assert out["converted"].to_dict() == {"u1": True, "u2": False, "u3": False}


def test_journey_paths_keep_repeats_when_asked():
    out = journey_paths(JOURNEY, "purchase", collapse_repeats=False).set_index("customer_id")
    assert out.loc["u1", "path"] == ("app", "app", "web")


def test_journey_paths_missing_column_raises():
    with pytest.raises(ValueError, match="journey: missing column.*channel"):
        journey_paths(JOURNEY.drop(columns="channel"), "purchase")


def test_conversion_funnel_overall_and_by_entry_channel():
    # Deepest stage: u1 purchase (3), u2 cart (2), u3 browse (1).
    # Reached browse 3, cart 2 (u1, u2), purchase 1 (u1):
    #   conversion 1, 2/3, 1/2; cumulative 1, 2/3, 1/3.
    stages = ["browse", "cart", "purchase"]
    out = conversion_funnel(JOURNEY, stages, by=None)
    assert out["stage"].tolist() == stages
    assert out["customers"].tolist() == [3, 2, 1]
    assert out["conversion"].tolist() == pytest.approx([1, 2 / 3, 1 / 2])
    assert out["cumulative"].tolist() == pytest.approx([1, 2 / 3, 1 / 3])
    # Entry channel: u1 app, u2 web, u3 store. web: u2 reaches cart, not purchase.
    by = conversion_funnel(JOURNEY, stages).set_index(["channel", "stage"])
    assert by.loc[("web", "cart"), "customers"] == 1
    assert by.loc[("web", "purchase"), "customers"] == 0
    assert by.loc[("app", "purchase"), "cumulative"] == 1.0
    assert by.loc[("store", "cart"), "conversion"] == 0.0


def test_conversion_funnel_of_categorical_labels_counts_the_same():
    # the same journey with stage and channel as categoricals (as validation types them):
    # reached browse 3, cart 2, purchase 1, as above
    stages = ["browse", "cart", "purchase"]
    labels = JOURNEY.astype({"stage": "category", "channel": "category"})
    out = conversion_funnel(labels, stages, by=None)
    assert out["customers"].tolist() == [3, 2, 1]
    by = conversion_funnel(labels, stages).set_index(["channel", "stage"])
    assert by.loc[("web", "cart"), "customers"] == 1
    assert by.loc[("web", "purchase"), "customers"] == 0


def test_conversion_funnel_empty_raises():
    with pytest.raises(ValueError, match="journey: no rows"):
        conversion_funnel(JOURNEY.iloc[0:0], ["browse"])


def test_two_proportion_test_textbook_value():
    # 200/1000 vs 250/1000: pooled p = 450/2000 = 0.225;
    # SE = sqrt(0.225 * 0.775 * (1/1000 + 1/1000)) = sqrt(0.00034875) = 0.018675;
    # z = 0.05 / 0.018675 = 2.6774; two-sided p = 2 * (1 - Phi(2.6774)) = 0.00742.
    # Unpooled SE = sqrt(0.2*0.8/1000 + 0.25*0.75/1000) = sqrt(0.0003475) = 0.018641;
    # 95 % CI = 0.05 -/+ 1.959964 * 0.018641 = 0.05 -/+ 0.036536 = (0.013464, 0.086536).
    t = two_proportion_test(200, 1000, 250, 1000)
    assert t.difference == pytest.approx(0.05)
    assert t.lift == pytest.approx(0.25)
    assert t.z == pytest.approx(2.677, abs=1e-3)
    assert t.p_value == pytest.approx(0.00742, abs=1e-5)
    assert t.ci_low == pytest.approx(0.013464, abs=1e-5)
    assert t.ci_high == pytest.approx(0.086536, abs=1e-5)


def test_two_proportion_test_rejects_impossible_counts():
    with pytest.raises(ValueError, match="0 <= x <= n"):
        two_proportion_test(5, 4, 1, 10)


def test_required_sample_size_by_hand():
    # p1 0.20, p2 0.25, pbar 0.225; z_0.975 = 1.959964, z_0.8 = 0.841621.
    # 1.959964 * sqrt(2 * 0.225 * 0.775) = 1.959964 * 0.590551 = 1.157399
    # 0.841621 * sqrt(0.16 + 0.1875)     = 0.841621 * 0.589491 = 0.496128
    # (1.653527)^2 / 0.05^2 = 2.734152 / 0.0025 = 1093.66 -> 1094 per arm.
    assert required_sample_size(0.20, 0.25) == 1094
    assert required_sample_size(0.2, 0.2) is None


def test_required_sample_size_rejects_bad_rate():
    with pytest.raises(ValueError, match="rates must be in"):
        required_sample_size(1.2, 0.3)


def _experiment(x_c: int, n_c: int, x_t: int, n_t: int, eid: str = "e1") -> pd.DataFrame:
    return pd.DataFrame(
        {
            "experiment_id": eid,
            "variant": ["control"] * n_c + ["new_menu"] * n_t,
            "converted": [True] * x_c
            + [False] * (n_c - x_c)
            + [True] * x_t
            + [False] * (n_t - x_t),
        }
    )


def test_ab_readout_textbook_experiment():
    # Same numbers as the textbook test: significant (p 0.0074 < 0.05) but each arm has
    # 1000 < 1094 units needed for 80 % power at this baseline and lift -> not adequate.
    r = ab_readout(_experiment(200, 1000, 250, 1000))
    assert (r.experiment_id, r.control, r.treatment) == ("e1", "control", "new_menu")
    assert r.test.z == pytest.approx(2.677, abs=1e-3)
    assert r.significant
    assert r.required_n_per_arm == 1094
    assert not r.adequate
    # 1200 per arm at 20 % vs 25 % (240 / 300 conversions) is enough.
    assert ab_readout(_experiment(240, 1200, 300, 1200)).adequate


def test_ab_readout_needs_a_chosen_experiment_when_several():
    both = pd.concat([_experiment(1, 10, 2, 10, "e1"), _experiment(1, 10, 2, 10, "e2")])
    with pytest.raises(ValueError, match="several experiments"):
        ab_readout(both)
    assert ab_readout(both, experiment_id="e2").experiment_id == "e2"


def test_journey_paths_by_given_codes_that_skip_values():
    # u1, u2, u3 numbered 1, 3, 4 among ids a, u1, b, u2, u3: the paths are the same
    codes = np.array([1, 1, 1, 1, 3, 3, 4], dtype=np.int32)
    customers = Numbers(codes, pd.Index(["a", "u1", "b", "u2", "u3"]))
    out = journey_paths(JOURNEY, "purchase", customers=customers)
    assert out["customer_id"].tolist() == ["u1", "u2", "u3"]
    assert out["path"].tolist() == [("app", "web"), ("web", "app"), ("store",)]
    assert out["converted"].tolist() == [True, False, False]


def test_journey_paths_tell_apart_paths_that_differ_only_by_a_missing_channel():
    # u1: app; u2: app then an event without channel (kept: never a repeat); u3: app; u4:
    # the missing channel first, then app -> three distinct paths, u1 and u3 alike
    journey = pd.DataFrame(
        {
            "customer_id": ["u1", "u2", "u2", "u3", "u4", "u4"],
            "event_time": pd.to_datetime(["2024-01-01"] * 6)
            + pd.to_timedelta([0, 0, 1, 0, 0, 1], unit="h"),
            "stage": ["browse"] * 6,
            "channel": pd.Categorical(["app", "app", None, "app", None, "app"]),
        }
    )
    paths = journey_paths(journey, "purchase")["path"].tolist()
    assert paths[0] == ("app",) and paths[2] == ("app",)
    assert len(paths[1]) == 2 and paths[1][0] == "app" and pd.isna(paths[1][1])
    assert len(paths[3]) == 2 and pd.isna(paths[3][0]) and paths[3][1] == "app"


def test_journey_paths_longer_than_one_number_holds_are_made_one_by_one():
    # 40 touches alternating app / web (2 channels: 31 touches fit in one number): u1's
    # path is made on its own, u2's short one too
    hours = list(range(40)) + [0]
    journey = pd.DataFrame(
        {
            "customer_id": ["u1"] * 40 + ["u2"],
            "event_time": pd.Timestamp("2024-01-01") + pd.to_timedelta(hours, unit="h"),
            "stage": ["browse"] * 41,
            "channel": ["app", "web"] * 20 + ["web"],
        }
    )
    out = journey_paths(journey, "purchase").set_index("customer_id")["path"]
    assert out["u1"] == ("app", "web") * 20
    assert out["u2"] == ("web",)
