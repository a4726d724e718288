"""Words that belong to us, not the client: the content speaks business, not our data files."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from pydantic import BaseModel

from playbook.content import Text, benchmarks, common, frameworks
from playbook.data.contract import TABLES, ClientConfig


def _texts(obj: object, where: str) -> Iterator[tuple[str, str]]:
    """Yield every text of a content model in both languages, with where it sits."""
    if isinstance(obj, Text):
        yield f"{where}.zh", obj.zh
        yield f"{where}.en", obj.en
    elif isinstance(obj, BaseModel):
        for name in type(obj).model_fields:
            yield from _texts(getattr(obj, name), f"{where}.{name}")
    elif isinstance(obj, (list, tuple)):
        for i, item in enumerate(obj):
            yield from _texts(item, f"{where}[{i}]")
    elif isinstance(obj, dict):
        for key, item in obj.items():
            yield from _texts(item, f"{where}.{key}")


def _all_texts() -> list[tuple[str, str]]:
    found = list(_texts(common(), "common")) + list(_texts(benchmarks(), "benchmarks"))
    for fw in frameworks():
        found.extend(_texts(fw, fw.id))
    return found


def _contract_names() -> tuple[set[str], set[str]]:
    """Return the contract's identifiers (snake_case names) and its table names."""
    columns = {c.name for spec in TABLES.values() for c in spec.columns}
    columns |= {c.name + "reliability" for spec in TABLES.values() for c in spec.prefix_columns}
    keys = set(ClientConfig.model_fields)
    return {n for n in columns | keys if "_" in n}, set(TABLES)


#: Labels written for the strategist, not the client: the data-request workbook (where the
#: client's own file is named on purpose) and the strategist note of missing files and columns.
STRATEGIST_LABELS = re.compile(r"^common\.labels\.(workbook_|data_request|data_input)")


def test_no_content_string_names_a_file_or_column_of_the_data_contract():
    identifiers, tables = _contract_names()
    assert {"promised_minutes", "digital_channels", "is_premium", "journey_stages"} <= identifiers
    patterns = [
        re.compile(r"\b(client|assessment|commentary)\.yaml\b|\.(csv|xlsx|parquet)\b"),
        re.compile(r"\b(" + "|".join(sorted(identifiers)) + r")\b"),
        re.compile(r"\b(" + "|".join(sorted(tables)) + r")\.[a-z_]+\b"),
        re.compile(r"\b(" + "|".join(sorted(tables)) + r") (table|column)s?\b"),
    ]
    offending = [
        f"{where}: {text}"
        for where, text in _all_texts()
        if not STRATEGIST_LABELS.match(where) and any(p.search(text) for p in patterns)
    ]
    assert not offending, "our file or column names in client-facing text:\n" + "\n".join(offending)


def test_the_check_would_catch_a_column_name_and_the_client_file():
    identifiers, tables = _contract_names()
    names = re.compile(r"\b(" + "|".join(sorted(identifiers)) + r")\b")
    assert names.search("needs client.yaml: digital_channels")
    assert names.search("Flag premium products on orders (is_premium)")
    assert not names.search("record which channels are digital")


def test_every_input_an_indicator_can_miss_has_business_wording():
    import playbook.indicators  # noqa: F401  (registers every indicator)
    from playbook.indicators.registry import registered

    inputs = common().inputs
    needed = set()
    for defn in registered().values():
        for table, columns in defn.requires.items():
            needed |= {table} | {f"{table}.{c}" for c in columns}
        needed |= {f"config.{k}" for k in defn.needs_config}
    assert needed <= set(inputs), sorted(needed - set(inputs))
    # and every table and column of the contract, for the pages that name them directly
    contract = set(TABLES) | {f"{t}.{c.name}" for t, s in TABLES.items() for c in s.columns}
    assert contract <= set(inputs), sorted(contract - set(inputs))
    assert {k for k in inputs if k.startswith("config.")} <= {
        f"config.{k}" for k in ClientConfig.model_fields
    }


def test_describe_inputs_speaks_business_once_per_phrase_and_refuses_an_unknown_input():
    shared = common()
    assert shared.describe_inputs(
        ["orders.promised_minutes", "orders.actual_minutes", "client.yaml: digital_channels"], "en"
    ) == ["the promised and actual delivery time of each order", "which channels are digital"]
    zh = shared.describe_inputs(["client.yaml: digital_channels"], "zh")
    assert zh == ["哪些渠道属于数字渠道"]
    with pytest.raises(KeyError, match="orders.colour"):
        shared.describe_inputs(["orders.colour"], "en")


def test_english_says_occasion_for_changjing_and_has_no_calqued_titles():
    calques = re.compile(
        r"\bscenes?\b|\bmass[ -](tier|customers?)\b|\bthe own\b|Refined satisfaction|"
        r"Define the journey|Serve every channel",
        re.IGNORECASE,
    )
    offending = [
        f"{where}: {text}"
        for where, text in _all_texts()
        if where.endswith(".en") and calques.search(text)
    ]
    assert not offending, "\n".join(offending)


def test_percentages_are_written_one_way_without_a_space():
    # figures print "25.0%" (playbook.units); prose follows the same style in both languages
    spaced = [f"{where}: {text}" for where, text in _all_texts() if re.search(r"\d %", text)]
    assert not spaced, "\n".join(spaced)


def test_a_workshop_only_element_never_reads_basis_none():
    basis = common().labels["basis_none"]
    assert "None" not in basis.en and basis.zh != "无"
    assert basis.en == common().labels["not_assessed"].en


def test_chinese_text_has_no_space_between_chinese_characters():
    # a folded YAML block (>-) joins its lines with a space: "服务创新、 数字营销"
    between = re.compile(
        r"[\u3001-\u303f\uff01-\uff60\u4e00-\u9fff] +[\u3001-\u303f\uff01-\uff60\u4e00-\u9fff]"
    )
    spaced = [f"{w}: {t}" for w, t in _all_texts() if w.endswith(".zh") and between.search(t)]
    assert not spaced, "\n".join(spaced)
