"""Framework content: the shipped YAML is complete and bilingual; broken files are named."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from pydantic import BaseModel

from playbook.config import CONTENT_DIR
from playbook.content import ContentError, Text, common, frameworks

#: Framework ids in reading order with their element ids, exactly as other code expects them.
EXPECTED = {
    "exceed_expectations": (
        "fulfil_promise personalised_service omnichannel_service elevate_needs create_delight"
    ).split(),
    "operation_orientations": (
        "quality_price_ratio efficiency_low_cost refined_satisfaction"
    ).split(),
    "journey_goals": (
        "branded_theme connected_touchpoints refreshed_scenes meet_intent raise_satisfaction"
    ).split(),
    "high_value_journey": (
        "journey_value distinctiveness journey_health journey_progress journey_association"
    ).split(),
    "value_add_plan": (
        "customer_insight service_innovation digital_marketing cx_personalisation "
        "membership_loyalty ecosystem process_efficiency staff_enablement pricing_revenue "
        "brand_word_of_mouth data_driven_decisions risk_compliance rollout_tracking"
    ).split(),
}

#: Seed cases: (framework, element) -> (company text that must appear, figure that must appear).
SEED_CASES = {
    ("exceed_expectations", "fulfil_promise"): ("同程", "4.7"),
    ("exceed_expectations", "personalised_service"): ("同程", "98"),
    ("exceed_expectations", "omnichannel_service"): ("同程", "机场"),
    ("operation_orientations", "quality_price_ratio"): ("肯德基", "62%"),
    ("operation_orientations", "efficiency_low_cost"): ("百胜中国", "99%"),
    ("journey_goals", "branded_theme"): ("达美乐", "32%"),
    ("journey_goals", "refreshed_scenes"): ("达美乐", "9.07"),
    ("high_value_journey", "journey_health"): ("瑞幸", "10–20"),
    ("high_value_journey", "journey_association"): ("瑞幸", "44.7"),
    ("value_add_plan", "membership_loyalty"): ("贝恩", "25–95%"),
    ("value_add_plan", "pricing_revenue"): ("埃森哲", "68%"),
    ("value_add_plan", "staff_enablement"): ("麦肯锡", "54%"),
    ("value_add_plan", "process_efficiency"): ("京东", "211"),
}

#: The shared indicator catalogue: every id, and those where lower is better.
CATALOGUE = (
    "promise_kept_rate top_tier_revenue_share tier_repurchase_lift multichannel_customer_share "
    "active_channels premium_share aov_growth cross_category_share repurchase_rate "
    "member_sales_share cost_to_serve_ratio digital_share lead_time_p90_ratio "
    "mass_discount_repurchase_lift discount_rate core_scene_share multi_scene_customer_share "
    "price_quality_position reliability_gap delight_share top_box_csat csat_mean nps "
    "csat_spread_by_tier segment_csat_min channel_csat_consistency touchpoint_csat_consistency "
    "cross_channel_journey_share worst_stage_conversion journey_completion_rate "
    "tracked_progress_share"
).split()
LOWER_IS_BETTER = {
    "cost_to_serve_ratio",
    "lead_time_p90_ratio",
    "discount_rate",
    "csat_spread_by_tier",
    "channel_csat_consistency",
    "touchpoint_csat_consistency",
}
#: Customer value and word of mouth (playbook/indicators/value.py, word_of_mouth.py).
CATALOGUE += (
    "platinum_revenue_share repeat_revenue_share revenue_at_risk_share customer_at_risk_share "
    "new_customer_repeat_rate segment_nps_min detractor_share"
).split()
LOWER_IS_BETTER |= {"revenue_at_risk_share", "customer_at_risk_share", "detractor_share"}
CATALOGUE_DIRECTION = {i: "lower" if i in LOWER_IS_BETTER else "higher" for i in CATALOGUE}

#: Characters that exist only in Traditional Chinese; Simplified text must not use them.
TRADITIONAL_ONLY = set(
    "們個務與價體驗實達戶時這開動會點對幣來過說於還將為經標樣滿線銷場費質應區專關業產運營戰"
    "讓認識計劃據數網絡資訊號碼單處復購優禮員選擇證權隱協議風險連續記錄報導獨現擴條廣電視頻創傳"
)
CJK = re.compile(r"[\u4e00-\u9fff]")


def _texts(obj: object, path: str = "") -> Iterator[tuple[str, Text]]:
    """Yield every Text inside a content model, with where it sits."""
    if isinstance(obj, Text):
        yield path, obj
    elif isinstance(obj, BaseModel):
        for name in type(obj).model_fields:
            yield from _texts(getattr(obj, name), f"{path}.{name}")
    elif isinstance(obj, (list, tuple)):
        for i, item in enumerate(obj):
            yield from _texts(item, f"{path}[{i}]")
    elif isinstance(obj, dict):
        for key, item in obj.items():
            yield from _texts(item, f"{path}.{key}")


def _all_texts() -> list[tuple[str, Text]]:
    found = [(f"common{p}", t) for p, t in _texts(common())]
    for fw in frameworks():
        found.extend((f"{fw.id}{p}", t) for p, t in _texts(fw))
    return found


# --- the shipped content -------------------------------------------------------------------


def _seed_frameworks():
    """The five seed frameworks (files that deepen one of them via part_of are left out)."""
    return [fw for fw in frameworks() if fw.part_of is None]


def test_five_frameworks_load_in_reading_order_with_exact_element_ids():
    loaded = _seed_frameworks()
    assert [fw.id for fw in loaded] == list(EXPECTED)
    assert [fw.order for fw in loaded] == [1, 2, 3, 4, 5]
    for fw in loaded:
        assert [e.id for e in fw.elements] == EXPECTED[fw.id]


def test_element_counts_are_5_3_5_5_13():
    assert [len(fw.elements) for fw in _seed_frameworks()] == [5, 3, 5, 5, 13]


def test_each_framework_names_its_seed_file():
    seeds = {fw.id: fw.source for fw in _seed_frameworks()}
    assert seeds == {
        "exceed_expectations": "000_b33d9b99086148a3.txt",
        "operation_orientations": "001_b8faa303fcf0f8d9.txt",
        "journey_goals": "002_3d15cd8d7d927469.txt",
        "high_value_journey": "004_0f775790d4c13c32.txt",
        "value_add_plan": "003_f3948c0be0242a88.txt",
    }


def test_every_element_has_key_points_and_actions_for_gap_and_for_no_data_or_strong():
    for fw in _seed_frameworks():
        for el in fw.elements:
            where = f"{fw.id}.{el.id}"
            assert 2 <= len(el.key_points) <= 4, where
            assert 2 <= len(el.actions) <= 4, where
            assert len({a.id for a in el.actions}) == len(el.actions), where
            assert any(a.when.band and "gap" in a.when.band for a in el.actions), where
            assert any(
                a.when.no_data or (a.when.band and "strong" in a.when.band) for a in el.actions
            ), where


def test_every_band_has_an_action_and_measurable_elements_say_how_to_start_measuring():
    for fw in _seed_frameworks():
        for el in fw.elements:
            where = f"{fw.id}.{el.id}"
            for band in ("gap", "developing", "strong"):
                assert any(a.when.band and band in a.when.band for a in el.actions), (where, band)
            no_data = [a for a in el.actions if a.when.no_data]
            # an element without indicators is never measured: a no_data action would show always
            assert bool(no_data) == bool(el.indicators), where


def test_measurable_elements_have_one_to_three_indicators_weighted_one_to_three():
    workshop_only = {"ecosystem", "staff_enablement", "risk_compliance", "rollout_tracking"}
    for fw in _seed_frameworks():
        for el in fw.elements:
            low = 0 if el.id in workshop_only or el.id == "branded_theme" else 1
            assert low <= len(el.indicators) <= 3, f"{fw.id}.{el.id}"
            for ref in el.indicators:
                assert 1 <= ref.weight <= 3, f"{fw.id}.{el.id}.{ref.id}"


def test_fulfil_promise_measures_promise_kept_rate_at_95_with_floor_80():
    fw = {f.id: f for f in frameworks()}["exceed_expectations"]
    ref = next(r for r in fw.element("fulfil_promise").indicators if r.id == "promise_kept_rate")
    assert (ref.direction, ref.target, ref.floor) == ("higher", 0.95, 0.80)


def test_seed_cases_sit_on_the_elements_the_seeds_place_them():
    by_id = {fw.id: fw for fw in frameworks()}
    for (fw_id, el_id), (company, number) in SEED_CASES.items():
        cases = by_id[fw_id].element(el_id).cases
        matching = [c for c in cases if company in c.company.zh]
        assert matching, f"{fw_id}.{el_id}: no case from {company}"
        case = matching[0]
        assert number in case.figure or number in case.fact.zh, f"{fw_id}.{el_id}: {number}"
        assert "种子文章" in case.source.zh, f"{fw_id}.{el_id}"
        assert "seed" in case.source.en.lower(), f"{fw_id}.{el_id}"


def test_tongcheng_case_on_fulfil_promise_carries_4_7_in_both_languages():
    fw = {f.id: f for f in frameworks()}["exceed_expectations"]
    case = fw.element("fulfil_promise").cases[0]
    assert case.company.en == "Tongcheng Travel"
    assert "4.7" in case.figure and "4.7" in case.fact.zh and "4.7" in case.fact.en


def test_every_text_is_non_empty_in_both_languages():
    texts = _all_texts()
    assert len(texts) > 500
    for where, text in texts:
        assert text.zh.strip() and text.en.strip(), where


def test_chinese_is_simplified_and_english_has_no_chinese():
    for where, text in _all_texts():
        traditional = sorted(set(text.zh) & TRADITIONAL_ONLY)
        assert not traditional, f"{where}: Traditional characters {traditional} in {text.zh!r}"
        assert not CJK.search(text.en), f"{where}: Chinese in English text {text.en!r}"


def test_every_indicator_used_exists_in_common_with_the_catalogue_direction():
    import playbook.indicators  # noqa: F401  (registers every indicator)
    from playbook.indicators.registry import registered

    known = common().indicators
    assert set(CATALOGUE_DIRECTION) <= set(known)
    # every registered indicator has its wording, and no wording lacks an indicator
    # (ids starting with "_" are registered by tests)
    assert set(known) == {i for i in registered() if not i.startswith("_")}
    for fw in frameworks():
        for el in fw.elements:
            for ref in el.indicators:
                assert ref.id in known, f"{fw.id}.{el.id}: {ref.id}"
                if ref.id in CATALOGUE_DIRECTION:
                    assert ref.direction == CATALOGUE_DIRECTION[ref.id], f"{fw.id}.{el.id}"
            for action in el.actions:
                if action.when.indicator is not None:
                    assert action.when.indicator in {r.id for r in el.indicators}, (
                        f"{fw.id}.{el.id}.{action.id}: condition on an unmeasured indicator"
                    )


def test_indicator_targets_are_consistent_across_frameworks():
    seen: dict[str, tuple[float, float]] = {}
    for fw in _seed_frameworks():
        for el in fw.elements:
            for ref in el.indicators:
                pair = (ref.target, ref.floor)
                assert seen.setdefault(ref.id, pair) == pair, f"{fw.id}.{el.id}.{ref.id}"


def test_pct_targets_are_fractions():
    units = {k: v.unit for k, v in common().indicators.items()}
    for fw in frameworks():
        for el in fw.elements:
            for ref in el.indicators:
                if units[ref.id] == "pct":
                    assert -1 <= ref.floor <= 1 and -1 <= ref.target <= 1, ref.id


# --- broken files --------------------------------------------------------------------------


def _content_dir(tmp_path: Path, mutate) -> Path:
    """Write common.yaml and a mutated copy of exceed_expectations.yaml into tmp_path."""
    shutil.copy(CONTENT_DIR / "common.yaml", tmp_path / "common.yaml")
    raw = yaml.safe_load((CONTENT_DIR / "exceed_expectations.yaml").read_text(encoding="utf-8"))
    name = mutate(raw) or "exceed_expectations.yaml"
    (tmp_path / name).write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return tmp_path


def test_an_untouched_copy_loads(tmp_path):
    content = _content_dir(tmp_path, lambda raw: None)
    assert [fw.id for fw in frameworks(content)] == ["exceed_expectations"]


def test_missing_field_names_the_file_and_field(tmp_path):
    def drop_question(raw):
        del raw["question"]

    content = _content_dir(tmp_path, drop_question)
    with pytest.raises(ContentError, match=r"exceed_expectations\.yaml: field question"):
        frameworks(content)


def test_missing_element_field_names_the_nested_path(tmp_path):
    def drop_tagline(raw):
        del raw["elements"][1]["tagline"]

    content = _content_dir(tmp_path, drop_tagline)
    with pytest.raises(ContentError, match=r"expectations\.yaml: field elements\.1\.tagline"):
        frameworks(content)


def test_unknown_key_is_rejected_with_its_name(tmp_path):
    def add_colour(raw):
        raw["elements"][0]["colour"] = "red"

    content = _content_dir(tmp_path, add_colour)
    with pytest.raises(ContentError, match=r"field elements\.0\.colour"):
        frameworks(content)


def test_missing_english_text_is_named(tmp_path):
    def drop_en(raw):
        del raw["elements"][0]["actions"][0]["kpi"]["en"]

    content = _content_dir(tmp_path, drop_en)
    with pytest.raises(ContentError, match=r"field elements\.0\.actions\.0\.kpi\.en"):
        frameworks(content)


def test_id_that_differs_from_the_file_name_is_rejected(tmp_path):
    def rename(raw):
        return "exceed.yaml"

    content = _content_dir(tmp_path, rename)
    with pytest.raises(ContentError, match=r"exceed\.yaml: field id"):
        frameworks(content)


def test_target_on_the_wrong_side_of_the_floor_fails(tmp_path):
    def invert(raw):
        ref = raw["elements"][0]["indicators"][0]  # promise_kept_rate, higher is better
        ref["target"], ref["floor"] = 0.80, 0.95

    content = _content_dir(tmp_path, invert)
    with pytest.raises(ContentError, match=r"field elements\.0\.indicators\.0.*target > floor"):
        frameworks(content)


def test_lower_is_better_needs_target_below_floor(tmp_path):
    def wrong_direction(raw):
        ref = raw["elements"][0]["indicators"][0]
        ref["direction"] = "lower"  # target 0.95 above floor 0.80 is wrong for "lower"

    content = _content_dir(tmp_path, wrong_direction)
    with pytest.raises(ContentError, match=r"target < floor"):
        frameworks(content)


def test_unknown_indicator_id_names_the_file_and_element(tmp_path):
    def unknown(raw):
        raw["elements"][0]["indicators"][0]["id"] = "no_such_indicator"

    content = _content_dir(tmp_path, unknown)
    with pytest.raises(ContentError, match=r"exceed_expectations\.yaml.*fulfil_promise.*no_such"):
        frameworks(content)


def test_rfm_tier_rules_are_whole_numbers_in_a_valid_order():
    params = {f.id: f for f in frameworks()}["value_add_plan"].element("membership_loyalty").params
    assert all(v == int(v) for v in params.values())
    assert 3 <= params["gold_min"] <= params["platinum_min"] <= 3 * params["bins"]
