"""Demo profiles are YAML data: loaded into the typed spec, a wrong file named with its key."""

from __future__ import annotations

import pytest

from playbook.demo.profiles import PROFILES, ProfileError, load_profile
from playbook.demo.spec import ChannelSpec, Window

#: The smallest profile the spec accepts (every field without a default).
MINIMAL = """
id: tiny
seed: 1
orders: 10
meta: {name: Tiny}
channels:
  - {name: store, share_start: 1.0, share_end: 1.0, digital: false, payments: {cash: 1.0}}
categories: [{name: coffee, price: 3.5, share: 1.0, premium_share: 0.0, quantity: 1.0}]
tiers: [{name: basic, share: 1.0, activity: 1.0, member: 0.0}]
premium_tiers: []
segments: [{name: all, share: 1.0, scene: office, age_mean: 30}]
scenes: [{name: office, weight: 1.0}]
core_scene: office
touchpoints: []
journey:
  path_share: 0.1
  abandon_ratio: 1.0
  abandon_at_first: 0.5
  fulfil_rate: 1.0
  review_rate: 0.5
  offsets: [[-60, -1], [0, 0]]
survey:
  rate: 0.1
  csat_base: 4.0
  nps_base: 7.0
  expectations: {reliability: 6.0}
  gaps: {reliability: -0.5}
  late_shift: 0.0
  price_center: 3.0
  price_share: 0.5
  price_round: 0.5
  comment_share: 0.0
  comments_pos: []
  comments_neu: []
  comments_neg: []
  comments_weak: []
experiment: {experiment_id: x, start: "2024-03-01", days: 7, share: 0.5, base_rate: 0.1, lift: 0.1}
assessment: {}
price_windows: [{start: "2024-02-01", days: 10, factor: 1.1}]
"""


def test_a_profile_file_becomes_the_typed_spec_with_defaults_for_what_it_leaves_out():
    p = load_profile(MINIMAL, "tiny.yaml")

    assert p.channels == (ChannelSpec("store", 1.0, 1.0, False, payments=(("cash", 1.0),)),)
    assert p.journey.offsets == ((-60, -1), (0, 0))  # lists become the spec's tuples
    assert p.price_windows == (Window("2024-02-01", 10, 1.1),)
    assert p.segments[0].age_mean == 30 and isinstance(p.segments[0].age_mean, int)
    assert p.start == "2024-01-01" and p.growth == 0.15  # dataclass defaults


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (("core_scene: office", "core_scene: office\ncolour: blue"), "tiny.yaml: unknown key"),
        (("seed: 1\n", ""), r"tiny.yaml: missing key\(s\) seed"),
        (("price: 3.5", "price: cheap"), r"tiny.yaml.categories\[0\].price: expected float"),
        (("digital: false", "digital: 0"), r"channels\[0\].digital: expected bool"),
        (("[[-60, -1], [0, 0]]", "[[-60, -1, 5]]"), r"offsets\[0\]: expected 2 values"),
    ],
)
def test_a_wrong_profile_file_names_file_and_key(edit, message):
    old, new = edit
    with pytest.raises(ProfileError, match=message):
        load_profile(MINIMAL.replace(old, new, 1), "tiny.yaml")


def test_every_shipped_profile_is_named_by_its_file():
    assert sorted(PROFILES) == ["brewlane_coffee", "slice_pizza", "wayfare_travel"]
    assert all(PROFILES[cid].id == cid for cid in PROFILES)
