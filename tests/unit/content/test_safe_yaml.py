"""The one YAML loader for content and client files: plain data only, bounded."""

from __future__ import annotations

import pytest

from playbook.config import CONTENT_DIR
from playbook.content.excerpt import excerpt
from playbook.content.safe_yaml import YamlError, load_yaml, parse_yaml

BILLION_LAUGHS = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
name: [*c,*c,*c,*c,*c,*c,*c,*c,*c]
"""


def test_plain_data_loads_and_dates_stay_text():
    data = parse_yaml("name: Acme\nsince: 2024-05-01\nlist: [1, 2.5, true, null]\n")
    assert data == {"name": "Acme", "since": "2024-05-01", "list": [1, 2.5, True, None]}


def test_an_alias_bomb_is_refused_at_its_first_anchor():
    with pytest.raises(YamlError) as err:
        parse_yaml(BILLION_LAUGHS, "client.yaml")
    assert err.value.line == 1
    assert "anchor (&a)" in str(err.value)
    assert str(err.value).startswith("client.yaml, line 1:")


def test_an_alias_is_refused_even_to_a_plain_value():
    with pytest.raises(YamlError, match=r"line 2: uses an (alias|anchor)"):
        parse_yaml("x: 1\ny: *x\n")


@pytest.mark.parametrize(
    "text",
    [
        "x: !!python/object/apply:os.system ['echo hacked']\n",
        "x: !!binary aGVsbG8=\n",
        "x: !custom 1\n",
        "x: !!set {a: null}\n",
    ],
)
def test_tags_beyond_plain_data_are_refused(text):
    with pytest.raises(YamlError, match="the tag .* is not allowed"):
        parse_yaml(text)


def test_plain_tags_are_allowed():
    assert parse_yaml("x: !!str 123\ny: !!int '4'\n") == {"x": "123", "y": 4}


def test_a_key_given_twice_is_refused_naming_both_lines():
    with pytest.raises(YamlError) as err:
        parse_yaml("id: acme\nlanguage: en\nname: A\nlanguage: zh\n", "client.yaml")
    assert err.value.line == 4
    assert "key 'language' is given twice (first at line 2)" in str(err.value)


def test_a_key_given_twice_in_a_nested_mapping_is_refused():
    with pytest.raises(YamlError, match=r"line 3: key 'target' is given twice"):
        parse_yaml("benchmarks:\n  x: {target: 1,\n    target: 2, floor: 0}\n")


def test_deep_nesting_is_refused_without_a_recursion_error():
    with pytest.raises(YamlError, match="nested more than 32 levels"):
        parse_yaml("name: " + "[" * 5000 + "]" * 5000 + "\n")


def test_nesting_up_to_the_limit_loads():
    assert parse_yaml("[" * 32 + "]" * 32) is not None


def test_a_list_as_a_key_is_refused():
    with pytest.raises(YamlError, match="a key must be plain text"):
        parse_yaml("? [a, b]\n: 1\n")


def test_invalid_yaml_names_the_line():
    with pytest.raises(YamlError) as err:
        parse_yaml("a: 1\nname: [unclosed\n", "client.yaml")
    assert err.value.line == 3
    assert "is not valid YAML" in str(err.value)


def test_a_control_character_is_refused_with_its_line():
    with pytest.raises(YamlError, match=r"line 2: holds a character that YAML does not allow"):
        parse_yaml("a: 1\nb: x\x07y\n")


def test_an_oversized_file_is_refused_before_parsing(tmp_path):
    path = tmp_path / "client.yaml"
    path.write_text("name: " + "x" * 300_000 + "\n", encoding="utf-8")
    with pytest.raises(YamlError, match="client.yaml: is larger than 256 KB"):
        load_yaml(path)
    assert load_yaml(path, max_bytes=400_000)["name"] == "x" * 300_000


def test_a_file_that_is_not_utf8_is_refused_with_its_line(tmp_path):
    path = tmp_path / "content.yaml"
    path.write_bytes("a: 1\nb: 门店\n".encode("gbk"))
    with pytest.raises(YamlError, match=r"line 2 is not UTF-8"):
        load_yaml(path)


def test_a_decoder_may_be_given(tmp_path):
    path = tmp_path / "client.yaml"
    path.write_bytes("b: 门店\n".encode("gbk"))
    assert load_yaml(path, decode=lambda raw: raw.decode("gbk")) == {"b": "门店"}


def test_excerpt_quotes_short_values_like_repr():
    assert excerpt("2024-13-01") == "'2024-13-01'"
    assert excerpt(12.5) == "12.5"


def test_excerpt_cuts_long_text_and_says_how_long():
    text = excerpt("a" * 5_000_000)
    assert text == "'" + "a" * 60 + "…' (5,000,000 characters)"


def test_excerpt_escapes_control_and_direction_characters():
    assert excerpt("a\x00b\nc\u202ed") == "'a\\x00b\\nc\\u202ed'"


def test_excerpt_of_a_nested_value_stays_short():
    nested = [[list(range(1000))] * 1000] * 1000
    assert len(excerpt(nested)) < 100


def test_the_packages_content_parses_alike_in_c_and_in_the_guarded_loader():
    files = sorted(CONTENT_DIR.glob("*.yaml"))
    assert len(files) > 10
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert parse_yaml(text, path.name, trusted=True) == parse_yaml(text, path.name), path


def test_trusted_content_still_refuses_a_key_given_twice_and_keeps_dates_as_text():
    with pytest.raises(YamlError, match=r"line 3: key 'a' is given twice \(first at line 1\)"):
        parse_yaml("a: 1\nb: 2\na: 3\n", "x.yaml", trusted=True)
    assert parse_yaml("day: 2024-05-01\n", trusted=True) == {"day": "2024-05-01"}
