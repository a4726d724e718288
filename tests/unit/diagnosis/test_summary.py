"""Executive summary: maturity, priorities, gaps, roll-out plan and charts, worked by hand.

The toy client has three frameworks:

- alpha (order 1): a1 score 40, weights 2 + 1 = 3 -> priority 60 × 3 = 180;
  a2 score 20, no indicators so weight 1 -> priority 80; a3 not assessed. Score (40+20)/2 = 30.
- beta (order 2): b1 score 70, weight 2 -> priority 60; b2 score 100 -> priority 0.
  Score (70+100)/2 = 85.
- gamma (order 12): its only element is not assessed; no score.

Overall maturity = (30 + 85) / 2 = 57.5: band "developing" (50 <= 57.5 < 75), level 3
(40 <= 57.5 < 60).
"""

import math

import pandas as pd
import pytest
from matplotlib.figure import Figure

from playbook.charts import summary as summary_charts
from playbook.content import Framework
from playbook.data.contract import ClientConfig
from playbook.diagnosis import (
    ElementDiagnosis,
    FrameworkDiagnosis,
    IndicatorResult,
    Period,
    summary,
)
from tests.conftest import client_config

TEXT = {"zh": "中文", "en": "text"}
PERIOD = Period(pd.Timestamp("2025-04-01"), pd.Timestamp("2025-06-30"))


def _client(client_id: str = "toy") -> ClientConfig:
    return client_config(id=client_id, name="Toy", channels=["app"])


def _action(action_id: str, horizon: int, owner: str = "Ops") -> dict:
    return {
        "id": action_id,
        "text": {"zh": f"行动{action_id}", "en": f"Do {action_id}"},
        "kpi": {"zh": f"指标{action_id}", "en": f"KPI {action_id}"},
        "horizon_days": horizon,
        "owner": {"zh": f"{owner}负责人", "en": owner},
    }


def _element(element_id: str, indicators: list[tuple[str, float]], actions: list[dict]) -> dict:
    refs = [
        {
            "id": i,
            "direction": "higher",
            "target": 0.9 if i != "reliability_gap" else 0.3,
            "floor": 0.5 if i != "reliability_gap" else -1.0,
            "weight": w,
        }
        for i, w in indicators
    ]
    return {
        "id": element_id,
        "title": {"zh": f"要素{element_id}", "en": f"Element {element_id}"},
        "tagline": TEXT,
        "key_points": [TEXT],
        "indicators": refs,
        "actions": actions or [_action("noop", 90)],
    }


def _framework(fw_id: str, order: int, elements: list[dict]) -> Framework:
    return Framework.model_validate(
        {
            "id": fw_id,
            "order": order,
            "source": "none",
            "title": {"zh": f"框架{fw_id}", "en": f"Framework {fw_id}"},
            "question": TEXT,
            "summary": TEXT,
            "elements": elements,
        }
    )


def _result(
    fw: Framework, element_id: str, index: int, value: float | None, target: float
) -> IndicatorResult:
    ref = fw.element(element_id).indicators[index]
    return IndicatorResult(
        ref,
        target,
        ref.floor,
        value,
        None,
        None if value is None else 50.0,
        0 if value is None else 10,
        None,
        None,
        None,
        (),
        None,
    )


def _diag(
    fw: Framework,
    element_id: str,
    score: float | None,
    band: str | None,
    action_ids: list[str],
    results: tuple = (),
) -> ElementDiagnosis:
    element = fw.element(element_id)
    by_id = {a.id: a for a in element.actions}
    actions = tuple(by_id[a] for a in action_ids)
    basis = "none" if score is None else "data"
    return ElementDiagnosis(element, results, score, None, score, band, basis, actions)


def _alpha() -> FrameworkDiagnosis:
    fw = _framework(
        "alpha",
        1,
        [
            _element(
                "a1",
                [("promise_kept_rate", 2), ("reliability_gap", 1)],
                [_action("fix", 30), _action("reset", 60, "CX")],
            ),
            _element("a2", [], [_action("train", 30, "HR"), _action("review", 90)]),
            _element("a3", [("top_box_csat", 1)], [_action("measure_a3", 30)]),
        ],
    )
    # a1: first indicator not measured, second measured with a client target of 0.5 pts
    a1_results = (_result(fw, "a1", 0, None, 0.9), _result(fw, "a1", 1, 0.1, 0.5))
    # "fix" applies twice (e.g. two conditions met): the plan keeps it once
    elements = (
        _diag(fw, "a1", 40.0, "gap", ["fix", "reset", "fix"], a1_results),
        _diag(fw, "a2", 20.0, "gap", ["train", "review"]),
        _diag(fw, "a3", None, None, ["measure_a3"]),
    )
    return FrameworkDiagnosis(fw, _client(), PERIOD, elements, 30.0)


def _beta() -> FrameworkDiagnosis:
    fw = _framework(
        "beta",
        2,
        [
            _element("b1", [("promise_kept_rate", 2)], [_action("pilot", 30)]),
            _element("b2", [("top_box_csat", 1)], [_action("keep", 90)]),
        ],
    )
    b1_results = (_result(fw, "b1", 0, 0.8, 0.95),)
    elements = (
        _diag(fw, "b1", 70.0, "developing", ["pilot"], b1_results),
        _diag(fw, "b2", 100.0, "strong", []),
    )
    return FrameworkDiagnosis(fw, _client(), PERIOD, elements, 85.0)


def _gamma() -> FrameworkDiagnosis:
    fw = _framework("gamma", 12, [_element("c1", [], [_action("start_data", 30)])])
    elements = (_diag(fw, "c1", None, None, ["start_data"]),)
    return FrameworkDiagnosis(fw, _client(), PERIOD, elements, None)


def _all() -> list[FrameworkDiagnosis]:
    return [_alpha(), _beta(), _gamma()]


# --- maturity and framework scores ---------------------------------------------------------


def test_overall_maturity_is_the_mean_of_existing_framework_scores():
    s = summary.summarise(_all(), lang="en")
    assert s.score == pytest.approx(57.5)  # (30 + 85) / 2; gamma has no score
    assert s.band == "developing"
    assert s.level == 3
    assert s.level_name == "Defined"
    assert summary.summarise(_all(), lang="zh").level_name == "规范级"


def test_maturity_level_steps_every_twenty_points():
    assert summary.maturity_level(0) == 1
    assert summary.maturity_level(19.9) == 1
    assert summary.maturity_level(20) == 2
    assert summary.maturity_level(80) == 5
    assert summary.maturity_level(100) == 5
    with pytest.raises(ValueError, match="0–100"):
        summary.maturity_level(120)


def test_the_maturity_rule_explains_how_band_and_level_relate_with_the_real_numbers():
    from playbook.content import common

    shared = common()
    developing, strong = (shared.band_thresholds[k] for k in ("developing", "strong"))
    # 61 is "developing" (50 <= 61 < 75) and level 4 (60 <= 61 < 80): the example the rule gives
    assert summary.maturity_level(61) == 4
    assert developing <= 61 < strong
    for lang in ("en", "zh"):
        rule = shared.labels["maturity_rule"](lang)
        assert f"{developing:g}" in rule and f"{strong:g}" in rule
        assert f"{summary.MATURITY_STEP}" in rule and "60–79" in rule and "61" in rule


def test_framework_frame_has_titles_scores_bands_and_assessed_counts():
    frame = summary.summarise(_all(), lang="en").frameworks
    assert list(frame["framework_id"]) == ["alpha", "beta", "gamma"]
    assert list(frame["title_zh"]) == ["框架alpha", "框架beta", "框架gamma"]
    assert list(frame["title"]) == ["Framework alpha", "Framework beta", "Framework gamma"]
    assert frame["score"].iloc[0] == 30.0 and frame["score"].iloc[1] == 85.0
    assert math.isnan(frame["score"].iloc[2])
    assert list(frame["band"].iloc[:2]) == ["gap", "strong"]
    assert pd.isna(frame["band"].iloc[2])
    assert list(frame["assessed"]) == [2, 2, 0]
    assert list(frame["total"]) == [3, 2, 1]


def test_page_names_are_two_digit_order_and_slug():
    frame = summary.summarise(_all(), lang="en").frameworks
    assert list(frame["page"]) == ["01_alpha.html", "02_beta.html", "12_gamma.html"]


def test_no_diagnoses_give_an_empty_summary():
    s = summary.summarise([], lang="en")
    assert s.score is None and s.band is None and s.level is None
    assert s.level_name == "Not assessed"
    assert s.frameworks.empty and s.elements.empty and s.top_gaps.empty and s.plan.empty


def test_summarise_rejects_a_bad_language_and_mixed_clients():
    with pytest.raises(ValueError, match="lang"):
        summary.summarise(_all(), lang="fr")
    other = _beta()
    mixed = FrameworkDiagnosis(
        other.framework, _client("someone_else"), PERIOD, other.elements, other.score
    )
    with pytest.raises(ValueError, match="several clients"):
        summary.summarise([_alpha(), mixed], lang="en")


# --- elements, priorities, gaps ------------------------------------------------------------


def test_element_frame_lists_every_element_with_weight_and_priority():
    frame = summary.summarise(_all(), lang="en").elements
    assert list(frame["element_id"]) == ["a1", "a2", "a3", "b1", "b2", "c1"]
    assert list(frame["weight"]) == [3.0, 1.0, 1.0, 2.0, 1.0, 1.0]
    by_id = frame.set_index("element_id")
    assert by_id.loc["a1", "priority"] == 180.0  # (100 - 40) × 3
    assert by_id.loc["a2", "priority"] == 80.0  # (100 - 20) × 1
    assert by_id.loc["b1", "priority"] == 60.0  # (100 - 70) × 2
    assert by_id.loc["b2", "priority"] == 0.0
    assert math.isnan(by_id.loc["a3", "priority"])
    assert by_id.loc["b1", "framework"] == "Framework beta"


def test_element_priority_is_none_when_not_assessed():
    a3 = _alpha().element("a3")
    assert summary.element_priority(a3) is None
    assert summary.element_priority(_alpha().element("a1")) == 180.0


def test_top_gaps_ranked_by_gap_times_weight():
    gaps = summary.summarise(_all(), lang="en").top_gaps
    # score 40 weight 3 -> 180 beats score 20 weight 1 -> 80, then b1 at 60;
    # b2 (no gap) and the unassessed a3, c1 are left out
    assert list(gaps["element_id"]) == ["a1", "a2", "b1"]
    assert list(gaps["rank"]) == [1, 2, 3]
    assert list(gaps["priority"]) == [180.0, 80.0, 60.0]
    assert list(gaps["page"]) == ["01_alpha.html", "01_alpha.html", "02_beta.html"]
    assert list(gaps["title"]) == ["Element a1", "Element a2", "Element b1"]
    assert list(gaps["band"]) == ["gap", "gap", "developing"]


def test_top_gaps_keep_top_n_and_reject_zero():
    gaps = summary.summarise(_all(), lang="en", top_n=2).top_gaps
    assert list(gaps["element_id"]) == ["a1", "a2"]
    with pytest.raises(ValueError, match="top_n"):
        summary.summarise(_all(), lang="en", top_n=0)


def test_not_assessed_elements_listed_apart():
    s = summary.summarise(_all(), lang="en")
    assert list(s.not_assessed["element_id"]) == ["a3", "c1"]
    assert list(s.not_assessed["page"]) == ["01_alpha.html", "12_gamma.html"]
    assert not set(s.top_gaps["element_id"]) & {"a3", "c1"}


# --- roll-out plan -------------------------------------------------------------------------


def test_plan_sorted_by_phase_then_priority_with_unassessed_last():
    plan = summary.summarise(_all(), lang="en").plan
    assert list(zip(plan["phase"], plan["action_id"], strict=True)) == [
        (30, "fix"),  # a1, priority 180
        (30, "train"),  # a2, 80
        (30, "pilot"),  # b1, 60
        (30, "measure_a3"),  # a3, not assessed: after the prioritised, reading order
        (30, "start_data"),  # c1, not assessed
        (60, "reset"),  # a1
        (90, "review"),  # a2
    ]
    assert list(plan["phase_label"].unique()) == ["Days 1–30", "Days 31–60", "Days 61–90"]


def test_plan_keeps_a_repeated_action_once_per_element():
    plan = summary.summarise(_all(), lang="en").plan
    assert (plan["action_id"] == "fix").sum() == 1


def test_plan_rows_carry_text_kpi_target_and_owner_in_the_language():
    plan = summary.summarise(_all(), lang="en").plan.set_index("action_id")
    assert plan.loc["fix", "action"] == "Do fix"
    assert plan.loc["fix", "kpi"] == "KPI fix"
    # a1's first measured indicator is reliability_gap (pts) with the client's target 0.5
    assert plan.loc["fix", "target"] == "+0.50"
    assert plan.loc["reset", "owner"] == "CX"
    # b1: promise_kept_rate (pct) target 0.95
    assert plan.loc["pilot", "target"] == "95.0%"
    # a2 has no indicators: no target
    assert plan.loc["train", "target"] == "—"
    assert plan.loc["fix", "element"] == "Element a1"
    assert plan.loc["fix", "page"] == "01_alpha.html"
    zh = summary.summarise(_all(), lang="zh").plan.set_index("action_id")
    assert zh.loc["train", "owner"] == "HR负责人"
    assert zh.loc["reset", "phase_label"] == "第 31–60 天"


def test_action_target_prefers_the_condition_then_the_kpi_label_then_the_first_indicator():
    fw = _framework(
        "delta",
        4,
        [
            _element(
                "d1",
                [("promise_kept_rate", 1), ("top_box_csat", 1), ("repurchase_rate", 1)],
                [
                    {**_action("on_csat", 30), "when": {"indicator": "top_box_csat", "above": 0}},
                    {
                        **_action("named", 30),
                        "kpi": {
                            "zh": "期内复购率（期内下单 ≥ 2 次的客户占比）",
                            "en": "Repeat rate (customers with 2+ orders in the period)",
                        },
                    },
                    _action("plain", 30),
                ],
            )
        ],
    )
    results = (
        _result(fw, "d1", 0, 0.9, 0.95),
        _result(fw, "d1", 1, 0.5, 0.6),
        _result(fw, "d1", 2, 0.3, 0.45),
    )
    diag = _diag(fw, "d1", 50.0, "developing", ["on_csat", "named", "plain"], results)
    on_csat, named, plain = diag.actions
    assert summary.action_target(diag, on_csat, "en") == "60.0%"  # its condition's indicator
    assert summary.action_target(diag, named, "en") == "45.0%"  # the repeat rate's label in the KPI
    assert summary.action_target(diag, named, "zh") == "45.0%"  # 复购率 in the Chinese KPI
    assert summary.action_target(diag, plain, "en") == "95.0%"  # first measured indicator
    unmeasured = _diag(fw, "d1", 50.0, "developing", ["plain"], ())
    assert summary.action_target(unmeasured, plain, "en") == "—"


def test_plan_caps_each_phase():
    plan = summary.summarise(_all(), lang="en", per_phase=2).plan
    assert list(plan["action_id"]) == ["fix", "train", "reset", "review"]
    with pytest.raises(ValueError, match="per_phase"):
        summary.rollout_plan(_all(), "en", per_phase=0)


def test_phase_label_rejects_an_unknown_phase():
    assert summary.phase_label(90, "en") == "Days 61–90"
    with pytest.raises(ValueError, match="phase"):
        summary.phase_label(45, "en")


# --- charts (figures are not registered with pyplot: nothing to close) -------------------


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_charts_return_figures(lang):
    s = summary.summarise(_all(), lang=lang)
    assert isinstance(summary_charts.radar_all(s.elements, lang), Figure)
    assert isinstance(summary_charts.framework_scores_bar(s.frameworks, lang, s.score), Figure)
    assert isinstance(summary_charts.rollout_timeline(s.plan, lang), Figure)


def test_charts_return_none_without_data():
    s = summary.summarise([], lang="en")
    assert summary_charts.radar_all(s.elements, "en") is None
    assert summary_charts.framework_scores_bar(s.frameworks, "en") is None
    assert summary_charts.rollout_timeline(s.plan, "en") is None
    # elements exist but none is assessed: nothing to draw on the radar or the bars
    gamma = summary.summarise([_gamma()], lang="en")
    assert summary_charts.radar_all(gamma.elements, "en") is None
    assert summary_charts.framework_scores_bar(gamma.frameworks, "en") is None


def test_charts_reject_a_frame_missing_columns():
    with pytest.raises(ValueError, match="score"):
        summary_charts.radar_all(pd.DataFrame({"title": ["x"]}), "en")


def test_framework_colour_follows_the_order():
    assert summary_charts.framework_color(1) == "#1f4e79"  # the house navy first
    assert summary_charts.framework_color(2) == summary_charts.FRAMEWORK_PALETTE[1]
    # twelve colours, then the palette wraps around
    assert summary_charts.framework_color(12) == "#7b2d43"
    assert summary_charts.framework_color(13) == "#1f4e79"


def _many(frameworks: int, per_framework: int) -> pd.DataFrame:
    """An elements frame: long titles, scores 10, 20, …, every seventh not assessed."""
    rows = []
    for order in range(1, frameworks + 1):
        for _k in range(per_framework):
            i = len(rows)
            rows.append(
                {
                    "framework_id": f"fw{order}",
                    "framework_order": order,
                    "framework": f"Framework {order}",
                    "title": f"Staff enablement and service culture {i}",
                    "score": math.nan if i % 7 == 3 else float(10 * (i % 10)),
                }
            )
    return pd.DataFrame(rows)


def test_radar_gives_nine_frameworks_nine_distinct_colours():
    fig = summary_charts.radar_all(_many(9, 2), "en")
    arcs = {line.get_gid(): line.get_color() for line in fig.axes[0].lines if line.get_gid()}
    assert sorted(arcs) == [f"arc:{order}" for order in range(1, 10)]
    assert len(set(arcs.values())) == 9  # framework 9 no longer repeats framework 1's navy
    assert "#7f7f7f" not in arcs.values()  # grey is kept for "not assessed"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_radar_labels_do_not_overlap_with_fifty_spokes(lang):
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    elements = _many(10, 5)
    if lang == "zh":
        elements["title"] = [f"员工赋能与服务文化塑造{i}" for i in range(len(elements))]
    fig = summary_charts.radar_all(elements, lang)
    renderer = FigureCanvasAgg(fig).get_renderer()
    labels = [t for t in fig.texts if str(t.get_gid()).startswith("label:")]
    assert len(labels) == 50
    boxes = [t.get_window_extent(renderer) for t in labels]
    overlapping = [
        (labels[i].get_text(), labels[j].get_text())
        for i in range(len(boxes))
        for j in range(i + 1, len(boxes))
        if boxes[i].overlaps(boxes[j])
    ]
    assert overlapping == []
