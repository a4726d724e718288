"""Industry benchmark profiles: the shipped ones, their cited bases, and broken files named."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from playbook.config import CONTENT_DIR
from playbook.content import ContentError, benchmarks

INDUSTRIES = {"coffee_qsr", "food_delivery", "online_travel", "hotels", "retail_ecommerce"}


def test_the_industries_have_profiles_and_the_default_is_general():
    loaded = benchmarks()
    assert INDUSTRIES | {"general"} == set(loaded.profiles)
    assert loaded.default == "general"
    for key, profile in loaded.profiles.items():
        assert profile.title.zh and profile.title.en, key
        assert profile.targets, f"{key}: a profile that changes nothing is the default"


def test_targets_fit_the_industry():
    t = {k: p.targets for k, p in benchmarks().profiles.items()}
    # a traveller or a hotel guest rarely comes back within 90 days; a coffee drinker does
    assert t["hotels"]["repurchase_rate"].target < t["online_travel"]["repurchase_rate"].target
    assert t["online_travel"]["repurchase_rate"].target < t["coffee_qsr"]["repurchase_rate"].floor
    # labour-heavy service costs more to serve than selling online
    assert (
        t["coffee_qsr"]["cost_to_serve_ratio"].target
        > t["online_travel"]["cost_to_serve_ratio"].target
    )
    # KFC's 62% member share is the coffee/QSR target, not everyone's
    assert t["coffee_qsr"]["member_sales_share"].target == 0.62
    assert all(p["member_sales_share"].target != 0.62 for k, p in t.items() if k != "coffee_qsr")


def test_a_basis_cites_a_source_by_its_title_and_no_other_figure_claims_one():
    cited = []
    for key, profile in benchmarks().profiles.items():
        for indicator_id, target in profile.targets.items():
            if target.basis is None:
                continue  # the report reads it as "our working assumption"
            cited.append(indicator_id)
            zh, en = target.basis.zh, target.basis.en
            assert "《数字服务策划之" in zh and '"Digital Service Planning' in en, (
                key,
                indicator_id,
            )
    # the seeds' own figures: KFC/Pizza Hut 62%, Yum China 99%, Luckin 44.7%
    assert sorted(cited) == ["core_scene_share", "digital_share", "member_sales_share"]


def _benchmarks_dir(tmp_path: Path, mutate) -> Path:
    for name in CONTENT_DIR.glob("*.yaml"):
        shutil.copy(name, tmp_path / name.name)
    raw = yaml.safe_load((CONTENT_DIR / "benchmarks.yaml").read_text(encoding="utf-8"))
    mutate(raw)
    (tmp_path / "benchmarks.yaml").write_text(yaml.safe_dump(raw, allow_unicode=True), "utf-8")
    return tmp_path


def test_a_target_on_the_wrong_side_of_its_floor_names_the_file_and_key(tmp_path):
    def invert(raw):
        raw["profiles"]["hotels"]["targets"]["repurchase_rate"] = {"target": 0.01, "floor": 0.05}

    with pytest.raises(
        ContentError,
        match=r"benchmarks\.yaml: field profiles\.hotels\.targets\.repurchase_rate: "
        r"direction 'higher' needs target > floor",
    ):
        benchmarks(_benchmarks_dir(tmp_path, invert))


def test_an_indicator_no_framework_scores_is_refused(tmp_path):
    def unknown(raw):
        raw["profiles"]["hotels"]["targets"]["occupancy_rate"] = {"target": 0.9, "floor": 0.6}

    with pytest.raises(
        ContentError, match=r"profiles\.hotels\.targets\.occupancy_rate: no framework"
    ):
        benchmarks(_benchmarks_dir(tmp_path, unknown))


def test_a_default_that_is_not_a_profile_is_refused(tmp_path):
    def bad_default(raw):
        raw["default"] = "generic"

    with pytest.raises(ContentError, match=r"benchmarks\.yaml.*default 'generic'"):
        benchmarks(_benchmarks_dir(tmp_path, bad_default))


def test_a_misspelt_key_is_refused_with_its_name(tmp_path):
    def typo(raw):
        raw["profiles"]["hotels"]["targets"]["repurchase_rate"]["flor"] = 0.0

    with pytest.raises(ContentError, match=r"profiles\.hotels\.targets\.repurchase_rate\.flor"):
        benchmarks(_benchmarks_dir(tmp_path, typo))


def test_an_unknown_profile_lists_the_known_ones():
    with pytest.raises(KeyError, match="unknown benchmark profile 'casino'; known: coffee_qsr"):
        benchmarks().profile("casino")
