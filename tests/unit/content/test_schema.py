"""The content loader refuses ambiguous YAML."""

import shutil

import pytest

from playbook.config import CONTENT_DIR
from playbook.content import ContentError, load_common_file


def test_a_key_given_twice_is_an_error_naming_the_file_and_line(tmp_path):
    path = tmp_path / "common.yaml"
    shutil.copy(CONTENT_DIR / "common.yaml", path)
    text = path.read_text(encoding="utf-8")
    # give the 'score' label twice: YAML would silently keep the second one
    path.write_text(
        text.replace("labels:\n", "labels:\n  score: {zh: 甲, en: A}\n", 1), encoding="utf-8"
    )
    with pytest.raises(
        ContentError, match=r"common\.yaml: not valid YAML.*key 'score' is given twice"
    ):
        load_common_file(path)


def test_the_shipped_common_file_has_no_duplicate_keys():
    load_common_file(CONTENT_DIR / "common.yaml")


def test_a_reading_condition_names_its_indicator():
    from pydantic import ValidationError

    from playbook.content import Condition

    assert Condition(indicator="price_elasticity", reading=["inelastic"]).reading == ["inelastic"]
    with pytest.raises(ValidationError, match="need 'indicator'"):
        Condition(reading=["inelastic"])
    with pytest.raises(ValidationError, match="'below', 'above' or 'reading'"):
        Condition(indicator="price_elasticity")


def test_reading_scores_stay_within_0_to_100():
    from pydantic import ValidationError

    from playbook.content import IndicatorRef

    ref = {"id": "price_elasticity", "direction": "higher", "target": -1.0, "floor": -2.0}
    assert IndicatorRef(**ref, reading_scores={"inelastic": 100}).reading_scores == {
        "inelastic": 100
    }
    with pytest.raises(ValidationError, match="within 0–100: elastic"):
        IndicatorRef(**ref, reading_scores={"elastic": -5})
