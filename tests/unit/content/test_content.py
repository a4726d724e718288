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

#: How each source is cited: the article's title and date, or the source deck's title.
SOURCE_TITLES = {
    "000_b33d9b99086148a3.txt": (
        "《数字服务策划之超出服务期望五法（上）》，2025-08-25",
        "Five Ways to Exceed Service Expectations (Part 1)",
    ),
    "001_b8faa303fcf0f8d9.txt": (
        "《数字服务策划之服务运营三导向》，2025-01-26",
        "Three Orientations of Service Operations",
    ),
    "002_3d15cd8d7d927469.txt": (
        "《数字服务策划之客户旅程五大目标（上）》，2025-05-25",
        "Five Goals of the Customer Journey (Part 1)",
    ),
    "004_0f775790d4c13c32.txt": (
        "《数字服务策划之高价值旅程五大定义（下）》，2025-05-28",
        "Five Definitions of a High-Value Journey (Part 2)",
    ),
    "003_f3948c0be0242a88.txt": (
        "演示文稿《服务营销创新增值方案》",
        'source deck "Service Marketing Innovation and Value-Add Plan"',
    ),
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
    # the value-add deck has 14 chapters: chapter 1 is the page's introduction, 2-14 elements
    assert [len(fw.elements) for fw in _seed_frameworks()] == [5, 3, 5, 5, 13]


def test_the_value_add_plan_carries_the_decks_first_chapter_as_its_introduction():
    fw = {f.id: f for f in frameworks()}["value_add_plan"]
    intro = fw.introduction
    assert intro is not None and "第 1 章" in intro.title.zh and "Chapter 1" in intro.title.en
    # what service marketing is, its traits, the market, and the four challenges
    assert len(intro.points) == 4
    assert "四大挑战" in intro.points[3].zh and "标准化与个性化" in intro.points[3].zh
    assert "standardisation against personalisation" in intro.points[3].en
    assert "14 章" in fw.summary.zh and "14 chapters" in fw.summary.en
    assert "13 个章节" not in fw.summary.zh and "13 chapters" not in fw.summary.en


def test_chapter_11_keeps_pr_events_and_the_word_of_mouth_incentives():
    el = {f.id: f for f in frameworks()}["value_add_plan"].element("brand_word_of_mouth")
    points = " ".join(p.zh for p in el.key_points)
    assert "公关与事件营销" in points and "危机" in points and "口碑激励" in points
    companies = {c.company.en for c in el.cases}
    assert {"Dyson", "Xiaomi community", "Dove, IKEA"} <= companies


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


def _all_cases():
    for fw in frameworks():
        intro = fw.introduction.cases if fw.introduction else []
        yield fw, "introduction", intro
        for el in fw.elements:
            yield fw, el.id, el.cases


def test_every_case_cites_its_source_by_name_never_as_a_seed():
    for fw, where, cases in _all_cases():
        zh_title, en_title = SOURCE_TITLES[fw.source]
        assert fw.source_title is not None, fw.id
        assert zh_title.split("，")[0] in fw.source_title.zh and en_title in fw.source_title.en
        for case in cases:
            place = f"{fw.id}.{where}: {case.company.en}"
            assert zh_title in case.source.zh, place
            assert en_title in case.source.en, place
            for text in (case.source.zh, case.source.en, case.company.zh, case.company.en):
                assert "种子" not in text and "seed" not in text.lower(), place


def test_deck_cases_are_hedged_alike():
    # the deck names no source for its own examples: each says "the source deck reports/cites"
    for fw, where, cases in _all_cases():
        if fw.source != "003_f3948c0be0242a88.txt":
            continue
        for case in cases:
            place = f"{fw.id}.{where}: {case.company.en}"
            assert case.fact.zh.startswith("演示文稿"), place
            assert case.fact.en.startswith("The source deck"), place


def test_the_starbucks_case_carries_no_accenture_figure_under_starbucks():
    for fw, where, cases in _all_cases():
        for case in cases:
            if "68%" in case.figure:
                assert "Accenture" in case.company.en, f"{fw.id}.{where}"


def test_no_case_shows_a_question_or_beyond_the_source_detail_as_data():
    texts = [(c.figure, c.fact.zh, c.fact.en) for _, _, cases in _all_cases() for c in cases]
    assert not [t for t in texts if "10% → 20%" in t[0]], "the deck's 10%/20% is a question"
    jd = [t for t in texts if "211" in t[0]]
    assert jd and all("11 点" not in zh and "11 am" not in en for _, zh, en in jd)


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
    rfm = {f.id: f for f in frameworks()}["customer_value"].element("rfm_tiers").params.rfm
    assert rfm is not None
    assert 3 <= rfm.gold_min <= rfm.platinum_min <= 3 * rfm.bins


def test_clv_assumptions_state_a_margin_and_a_discount_rate():
    clv = {f.id: f for f in frameworks()}["customer_value"].element("lifetime_value").params.clv
    assert clv is not None and clv.margin_rate < 1 and clv.annual_discount_rate > 0


def _value_content_dir(tmp_path: Path, mutate) -> Path:
    """Write common.yaml and a mutated copy of customer_value.yaml into tmp_path."""
    shutil.copy(CONTENT_DIR / "common.yaml", tmp_path / "common.yaml")
    for name in ("value_add_plan.yaml", "customer_value.yaml"):
        raw = yaml.safe_load((CONTENT_DIR / name).read_text(encoding="utf-8"))
        if name == "customer_value.yaml":
            mutate(raw)
        (tmp_path / name).write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(
    "section, key, value, message",
    [
        ("rfm", "gold_min", 10.5, "valid integer"),
        ("rfm", "bins", "five", "valid integer"),
        ("clv", "margin_rate", "high", "valid number"),
        ("clv", "margin_rate", 1.5, "less than or equal to 1"),
        ("rfm", "diamond_min", 14, "Extra inputs are not permitted"),
    ],
)
def test_a_wrong_param_fails_at_load_naming_the_file_and_key(
    tmp_path, section, key, value, message
):
    element = {"rfm": 0, "clv": 1}[section]

    def wrong(raw):
        raw["elements"][element]["params"][section][key] = value

    content = _value_content_dir(tmp_path, wrong)
    where = rf"customer_value\.yaml: field elements\.{element}\.params\.{section}\.{key}: "
    with pytest.raises(ContentError, match=where + ".*" + message):
        frameworks(content)


def test_inconsistent_params_fail_at_load_naming_the_section(tmp_path):
    def inverted(raw):
        raw["elements"][0]["params"]["rfm"]["gold_min"] = 14  # above platinum_min 13

    content = _value_content_dir(tmp_path, inverted)
    with pytest.raises(
        ContentError, match=r"field elements\.0\.params\.rfm: .*gold_min <= platinum_min"
    ):
        frameworks(content)


def test_an_unknown_params_section_is_refused(tmp_path):
    def unknown(raw):
        raw["elements"][0]["params"]["rfm_rules"] = {"bins": 5}

    content = _value_content_dir(tmp_path, unknown)
    with pytest.raises(ContentError, match=r"field elements\.0\.params\.rfm_rules: Extra"):
        frameworks(content)


def test_an_unknown_owner_role_names_the_file_and_key(tmp_path):
    def unknown_role(raw):
        raw["elements"][0]["actions"][1]["owner"] = "loyalty_manager"

    content = _content_dir(tmp_path, unknown_role)
    with pytest.raises(
        ContentError,
        match=r"exceed_expectations\.yaml: field elements\.0\.actions\.1\.owner: "
        r".*unknown role 'loyalty_manager'",
    ):
        frameworks(content)


def test_an_owner_written_out_instead_of_a_role_key_is_refused(tmp_path):
    def inline_owner(raw):
        raw["elements"][0]["actions"][0]["owner"] = {"zh": "运营负责人", "en": "Head of Operations"}

    content = _content_dir(tmp_path, inline_owner)
    with pytest.raises(ContentError, match=r"field elements\.0\.actions\.0\.owner: .*role key"):
        frameworks(content)


# --- owner roles ---------------------------------------------------------------------------


def test_every_owner_is_a_role_of_the_glossary_with_its_names():
    roles = common().roles
    used = set()
    for fw in frameworks():
        for el in fw.elements:
            for action in el.actions:
                key = action.owner.key
                assert key in roles, f"{fw.id}.{el.id}.{action.id}"
                assert (action.owner.zh, action.owner.en) == (roles[key].zh, roles[key].en)
                used.add(key)
    assert used == set(roles), f"roles no action owns: {sorted(set(roles) - used)}"


def test_one_role_has_one_name_in_each_language():
    roles = common().roles.values()
    assert len({r.zh for r in roles}) == len({r.en for r in roles}) == len(roles)
