"""Validation of client folders: every problem located, typed data when clean."""

from __future__ import annotations

import pandas as pd
import pytest

from playbook.data.contract import ORDERS, TABLES
from playbook.data.validation import (
    MAX_REPEATS,
    Problem,
    check_table,
    parse_datetimes,
    validate_client_dir,
)


def orders_with(df: pd.DataFrame, **cells: str) -> pd.DataFrame:
    """Return orders with some cells of the second order (spreadsheet row 3) replaced."""
    df = df.copy()
    for column, value in cells.items():
        df[column] = df.get(column, pd.Series([""] * len(df)))
        df.loc[1, column] = value
    return df


def problems_of(make_client, **kwargs) -> list[Problem]:
    clients_dir = make_client(**kwargs)
    problems, data = validate_client_dir(clients_dir / kwargs.get("client_id", "acme"))
    assert data is None
    return problems


def located(problems: list[Problem]) -> list[tuple]:
    return [(p.file, p.row, p.column) for p in problems]


def test_problem_reads_file_row_column_message():
    problem = Problem("orders.csv", 7, "amount", "expected a number >= 0, got '-12.5'")
    assert str(problem) == "orders.csv, row 7, column amount: expected a number >= 0, got '-12.5'"
    assert str(Problem("client.yaml", None, None, "required key is missing", key="name")) == (
        "client.yaml, key name: required key is missing"
    )


def test_valid_client_is_typed(make_client):
    problems, data = validate_client_dir(make_client() / "acme")
    assert problems == []
    orders = data.orders
    assert orders["order_time"].dtype.kind == "M"
    assert orders["amount"].dtype == "float64"
    assert orders["amount"].sum() == 100.0  # 10 + 20 + 30 + 40
    assert orders.loc[1, "order_time"] == pd.Timestamp("2024-01-02 09:30")
    assert orders["channel"].tolist() == ["store", "delivery", "store", "delivery"]
    assert list(orders.index) == [0, 1, 2, 3]
    assert set(data.tables) == {"orders"}  # absent tables stay absent
    assert data.files["orders"].name == "orders.csv"
    assert data.config.id == "acme"
    assert data.assessment is None


def test_optional_columns_and_other_tables_are_typed(make_client, default_orders):
    orders = orders_with(default_orders, is_premium="yes", discount="1.5", scene="home")
    orders.loc[0, ["is_premium", "scene"]] = ["0", "office"]
    survey = pd.DataFrame(
        {
            "response_id": ["r1", "r2"],
            "response_time": ["2024-01-05", ""],
            "nps": ["9", ""],
            "csat": ["5", "4"],
            "expectation_reliability": ["6", "7"],
            "comment": ["好", ""],
        }
    )
    survey.loc[1, "response_time"] = "2024-01-06"
    clients_dir = make_client(orders=orders, tables={"survey": survey})
    problems, data = validate_client_dir(clients_dir / "acme")
    assert problems == []
    assert data.orders["is_premium"].dtype == bool
    # "0" is false, "yes" is true, empty cells are false.
    assert data.orders["is_premium"].tolist() == [False, True, False, False]
    assert data.orders["discount"].isna().tolist() == [True, False, True, True]
    assert data.orders.loc[1, "discount"] == 1.5
    assert data.table("survey")["nps"].isna().tolist() == [False, True]
    assert data.table("survey")["expectation_reliability"].tolist() == [6.0, 7.0]


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("amount", "-12.5", "expected a number >= 0, got '-12.5'"),
        ("amount", "abc", "expected a number >= 0, got 'abc'"),
        ("amount", "¥12", "no thousands separators or currency signs), got '¥12'"),
        ("order_time", "2024-02-30", "expected a date or time such as 2024-03-01"),
        (
            "channel",
            "web",
            "'web' is not a declared channel (client.yaml channels declares: store, delivery)",
        ),
        ("scene", "school", "'school' is not a declared scene"),
        ("is_premium", "maybe", "expected true or false (also 1/0, yes/no), got 'maybe'"),
        ("customer_id", "", "required value is empty"),
        ("actual_minutes", "nan", "expected a number >= 0, got 'nan'"),
    ],
)
def test_bad_order_cell_is_reported_at_its_row(make_client, default_orders, column, value, message):
    problems = problems_of(make_client, orders=orders_with(default_orders, **{column: value}))
    assert located(problems) == [("orders.csv", 3, column)]
    assert message in problems[0].message


@pytest.mark.parametrize(
    ("table", "row", "column", "message"),
    [
        ("survey", {"nps": "11"}, "nps", "expected a number from 0 to 10, got '11'"),
        ("survey", {"csat": "0"}, "csat", "expected a number from 1 to 5, got '0'"),
        ("survey", {"csat": "6"}, "csat", "expected a number from 1 to 5, got '6'"),
        (
            "survey",
            {"expectation_reliability": "8"},
            "expectation_reliability",
            "expected a number from 1 to 7, got '8'",
        ),
        (
            "survey",
            {"perception_empathy": "0"},
            "perception_empathy",
            "expected a number from 1 to 7, got '0'",
        ),
        ("survey", {"touchpoint": "kiosk"}, "touchpoint", "'kiosk' is not a declared touchpoint"),
        (
            "customers",
            {"tier": "platinum"},
            "tier",
            "'platinum' is not a declared tier (client.yaml tiers declares: gold, basic)",
        ),
        ("customers", {"segment": "retiree"}, "segment", "'retiree' is not a declared segment"),
        ("customers", {"is_member": "sometimes"}, "is_member", "expected true or false"),
        ("customers", {"age": "130"}, "age", "expected a number from 0 to 120, got '130'"),
        ("journey", {"stage": "pay"}, "stage", "'pay' is not a declared stage"),
        ("costs", {"period": "March"}, "period", "expected a date or time"),
        ("experiments", {"converted": "2"}, "converted", "expected true or false"),
    ],
)
def test_bad_cell_in_other_tables(make_client, table, row, column, message):
    good = {
        "survey": {
            "response_id": "r1",
            "response_time": "2024-01-05",
            "nps": "9",
            "csat": "5",
            "touchpoint": "app",
        },
        "customers": {"customer_id": "c1", "signup_date": "2023-06-01", "tier": "gold"},
        "journey": {
            "customer_id": "c1",
            "event_time": "2024-01-01 08:00",
            "stage": "visit",
            "touchpoint": "app",
            "channel": "store",
        },
        "costs": {"period": "2024-01", "channel": "store", "service_cost": "120"},
        "experiments": {"experiment_id": "e1", "variant": "A", "converted": "1"},
    }[table]
    unique_id = {"survey": {"response_id": "r2"}, "customers": {"customer_id": "c2"}}
    frame = pd.DataFrame([good, {**good, **unique_id.get(table, {}), **row}])
    problems = problems_of(make_client, tables={table: frame})
    assert located(problems) == [(f"{table}.csv", 3, column)]
    assert message in problems[0].message


def test_duplicate_ids_name_the_first_occurrence(make_client, default_orders):
    orders = default_orders.assign(order_id=["o1", "o2", "o1", "o1"])
    problems = problems_of(make_client, orders=orders)
    assert [str(p) for p in problems] == [
        "orders.csv, row 4, column order_id: duplicate order_id 'o1' (first at row 2)",
        "orders.csv, row 5, column order_id: duplicate order_id 'o1' (first at row 2)",
    ]


def test_every_problem_in_a_file_is_reported(make_client, default_orders):
    orders = default_orders.assign(
        amount=["10", "-1", "x", "40"],
        order_time=["2024-01-01", "soon", "2024-01-03", "2024-01-04"],
        channel=["store", "store", "store", "web"],
    )
    problems = problems_of(make_client, orders=orders)
    assert sorted(located(problems), key=str) == sorted(
        [
            ("orders.csv", 3, "amount"),
            ("orders.csv", 4, "amount"),
            ("orders.csv", 3, "order_time"),
            ("orders.csv", 5, "channel"),
        ],
        key=str,
    )


def test_repeated_problems_are_capped(make_client):
    n = MAX_REPEATS + 5
    orders = pd.DataFrame(
        {
            "order_id": [f"o{i}" for i in range(n)],
            "customer_id": "c1",
            "order_time": "2024-01-01",
            "channel": "store",
            "amount": "-1",
        }
    )
    problems = problems_of(make_client, orders=orders)
    assert len(problems) == MAX_REPEATS + 1
    assert problems[0].row == 2
    assert str(problems[-1]) == (
        "orders.csv, column amount: ... and 5 more rows with the same problem"
    )


def test_missing_orders_and_missing_required_column(make_client, default_orders):
    problems = problems_of(make_client, orders=None)
    assert located(problems) == [("orders", None, None)]
    assert "required table is missing" in problems[0].message

    problems = problems_of(make_client, orders=default_orders.drop(columns="amount"))
    assert located(problems) == [("orders.csv", None, "amount")]
    assert "required column is missing" in problems[0].message


def test_unknown_columns_are_kept_not_reported(make_client, default_orders):
    clients_dir = make_client(orders=default_orders.assign(store_manager=["A", "B", "", "D"]))
    problems, data = validate_client_dir(clients_dir / "acme")
    assert problems == []
    assert data.orders["store_manager"].tolist()[:2] == ["A", "B"]


def test_two_formats_of_one_table_is_a_problem(make_client, default_orders):
    clients_dir = make_client()
    default_orders.to_excel(clients_dir / "acme" / "orders.xlsx", index=False)
    problems, data = validate_client_dir(clients_dir / "acme")
    assert data is None
    assert "supplied more than once (orders.csv, orders.xlsx)" in problems[0].message


def test_client_id_must_match_folder(make_client):
    clients_dir = make_client(config={"id": "acme_old"})
    problems, data = validate_client_dir(clients_dir / "acme")
    assert data is None
    assert [str(p) for p in problems] == [
        "client.yaml, key id: id 'acme_old' must equal the folder name 'acme'"
    ]


@pytest.mark.parametrize(
    ("config", "key", "message"),
    [
        ({"name": None}, "name", "required key is missing"),
        ({"language": "fr"}, "language", "got 'fr'"),
        ({"colour": "red"}, "colour", "unknown key (allowed: id, name,"),
        (
            {"competitors": [{"name": "B", "price_index": -3, "quality_score": 5}]},
            "competitors[0].price_index",
            "greater than 0, got -3",
        ),
        ({"digital_channels": ["kiosk"]}, None, "digital_channels not declared"),
    ],
)
def test_client_yaml_errors_name_the_key(make_client, config, key, message):
    problems = problems_of(make_client, config=config)
    assert [(p.file, p.key) for p in problems] == [("client.yaml", key)]
    assert message in problems[0].message


def test_broken_yaml_and_bad_assessment_are_reported_together(make_client):
    assessment = {
        "assessed_on": "2024-05-01",
        "frameworks": {"exceed_expectations": {"delight": {"score": 6}}},
    }
    problems = problems_of(
        make_client, assessment=assessment, files={"client.yaml": "name: [unclosed\n"}
    )
    assert [(p.file, p.key) for p in problems] == [
        ("client.yaml", None),
        ("assessment.yaml", "frameworks.exceed_expectations.delight.score"),
    ]
    assert problems[0].line == 2
    assert "is not valid YAML" in problems[0].message
    assert str(problems[0]).startswith("client.yaml, line 2: is not valid YAML")


def test_assessment_keeps_dates_as_text(make_client):
    clients_dir = make_client(
        files={
            "assessment.yaml": "assessed_on: 2024-05-01\n"
            "frameworks: {exceed_expectations: {create_delight: "
            "{score: 4}}}\n"
        }
    )
    problems, data = validate_client_dir(clients_dir / "acme")
    assert problems == []
    assert data.assessment.assessed_on == "2024-05-01"
    assert data.assessment.get("exceed_expectations", "create_delight").score == 4


def test_assessment_ids_must_name_known_frameworks_and_elements(make_client):
    assessment = {
        "frameworks": {
            "exceed_expectations": {"delight": {"score": 4}, "fulfil_promise": {"score": 3}},
            "five_forces": {"rivalry": {"score": 2}},
        }
    }
    problems = problems_of(make_client, assessment=assessment)
    assert [(p.file, p.key) for p in problems] == [
        ("assessment.yaml", "frameworks.exceed_expectations.delight"),
        ("assessment.yaml", "frameworks.five_forces"),
    ]
    assert "create_delight" in problems[0].message  # the known ids are listed
    assert "unknown framework 'five_forces'" in problems[1].message


def test_missing_folder_is_a_problem(tmp_path):
    problems, data = validate_client_dir(tmp_path / "nobody")
    assert data is None
    assert problems[0].message == "client folder not found"


CHINESE = {"channels": ["门店", "外卖"], "digital_channels": ["外卖"], "language": "zh"}


@pytest.mark.parametrize(
    ("fmt", "encoding"), [("csv", "gbk"), ("csv", "utf-8-sig"), ("xlsx", "utf-8")]
)
def test_gbk_bom_and_xlsx_give_the_same_frame_as_utf8(
    make_client, default_orders, tmp_path, fmt, encoding
):
    chinese_orders = default_orders.assign(channel=["门店", "外卖", "门店", "外卖"])
    reference = make_client("ref", config=CHINESE, orders=chinese_orders)
    other = make_client(
        "other",
        config=CHINESE,
        orders=chinese_orders,
        fmt=fmt,
        encoding=encoding,
        clients_dir=tmp_path / fmt,
    )
    _, expected = validate_client_dir(reference / "ref")
    problems, data = validate_client_dir(other / "other")
    assert problems == []
    assert data.orders["channel"].tolist() == ["门店", "外卖", "门店", "外卖"]
    pd.testing.assert_frame_equal(data.orders, expected.orders)


def test_parquet_with_native_types_gives_the_same_frame(make_client, default_orders, tmp_path):
    _, expected = validate_client_dir(make_client() / "acme")
    native = default_orders.assign(
        order_time=pd.to_datetime(default_orders["order_time"]), amount=[10, 20, 30, 40]
    )
    clients_dir = make_client(orders=native, fmt="parquet", clients_dir=tmp_path / "pq")
    problems, data = validate_client_dir(clients_dir / "acme")
    assert problems == []
    pd.testing.assert_frame_equal(data.orders, expected.orders)


def test_parquet_integer_ids_with_blanks_stay_whole(make_client, default_orders, tmp_path):
    # an anonymous answer makes pyarrow hand the int64 column over as floats (1001.0, NaN)
    survey = pd.DataFrame(
        {
            "response_id": ["r1", "r2", "r3"],
            "customer_id": pd.array([1001, None, 7], dtype="Int64"),
            "response_time": pd.to_datetime(["2024-01-05"] * 3),
            "nps": [9, 7, 3],
        }
    )
    clients_dir = make_client(tables={"survey": survey}, fmt="parquet", clients_dir=tmp_path / "pq")

    problems, data = validate_client_dir(clients_dir / "acme")

    assert problems == []
    ids = data.table("survey")["customer_id"]
    assert ids[ids.notna()].tolist() == ["1001", "7"] and ids.isna().sum() == 1


@pytest.mark.parametrize(
    ("times", "second"),
    [
        (["2024/3/1 8:30", "2024/3/12 18:30"], pd.Timestamp("2024-03-12 18:30")),
        (["03/01/2024", "03/15/2024"], pd.Timestamp("2024-03-15")),  # month first
        (["01/03/2024", "15/03/2024"], pd.Timestamp("2024-03-15")),  # day first
    ],
)
def test_common_date_formats_parse_consistently(times, second):
    raw = pd.DataFrame(
        {
            "order_id": ["a", "b"],
            "customer_id": "c",
            "order_time": times,
            "channel": "store",
            "amount": "1",
        },
        index=[2, 3],
    )
    problems, typed = check_table(raw, ORDERS)
    assert problems == []
    assert typed.loc[1, "order_time"] == second


def test_parse_datetimes_marks_cells_that_do_not_parse():
    parsed, failed = parse_datetimes(pd.Series(["2024-01-31", None, "2024-02-30", "noon"]))
    assert failed.tolist() == [False, False, True, True]  # a missing cell is not a failure
    assert parsed[0] == pd.Timestamp("2024-01-31")
    assert parsed[1:].isna().all()


def test_check_table_reports_missing_columns_on_a_frame():
    raw = pd.DataFrame({"order_id": ["a"]}, index=[2])
    problems, _ = check_table(raw, ORDERS, file="orders.xlsx")
    assert [p.column for p in problems] == ["customer_id", "order_time", "channel", "amount"]
    assert problems[0].file == "orders.xlsx"


def test_data_contract_doc_names_every_column():
    from playbook.config import REPO_DIR

    doc = (REPO_DIR / "docs" / "data-contract.md").read_text(encoding="utf-8")
    for spec in TABLES.values():
        for column in spec.columns + spec.prefix_columns:
            assert f"`{column.name}" in doc, f"{spec.name}.{column.name} is not documented"


def test_an_unknown_benchmark_profile_and_override_are_named(make_client):
    problems = problems_of(
        make_client,
        config={
            "benchmark_profile": "casino",
            "benchmarks": {
                "promise_kept_rate": {"target": 0.9, "floor": 0.7},
                "occupancy": {"target": 0.9, "floor": 0.6},
            },
        },
    )
    text = [str(p) for p in problems]
    assert any(
        t.startswith("client.yaml, key benchmark_profile: unknown benchmark profile 'casino'")
        and "coffee_qsr" in t
        for t in text
    ), text
    assert any(
        t.startswith("client.yaml, key benchmarks.occupancy: unknown indicator") for t in text
    )
    assert len(problems) == 2  # promise_kept_rate is a known indicator


def test_a_known_benchmark_profile_is_typed(make_client):
    problems, data = validate_client_dir(
        make_client(config={"benchmark_profile": "hotels"}) / "acme"
    )
    assert problems == [] and data.config.benchmark_profile == "hotels"


def test_a_deck_template_named_in_client_yaml_must_exist(make_client):
    problems = problems_of(make_client, config={"pptx_template": "templates/firm.pptx"})
    assert [(p.file, p.key) for p in problems] == [("client.yaml", "pptx_template")]
    assert "no PowerPoint file (.pptx)" in problems[0].message
    clients_dir = make_client(
        "shop", config={"pptx_template": "firm.pptx"}, files={"firm.pptx": b"x"}
    )
    problems, data = validate_client_dir(clients_dir / "shop")
    assert problems == [] and data.config.pptx_template == "firm.pptx"


# --- hostile input: YAML, echoes, links, time zones, number and date oddities --------------


def test_a_key_given_twice_in_client_yaml_names_file_line_and_key(make_client):
    text = "id: acme\nname: A\nindustry: x\nlanguage: en\ncurrency: USD\nchannels: [store]\n"
    problems = problems_of(make_client, files={"client.yaml": text + "language: zh\n"})
    assert [str(p) for p in problems] == [
        "client.yaml, line 7: key 'language' is given twice (first at line 4); keep one"
    ]


def test_an_alias_bomb_in_client_yaml_is_refused_at_once(make_client):
    bomb = 'id: acme\na: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    bomb += "".join(
        f"{k}: &{k} [{', '.join([f'*{p}'] * 9)}]\n"
        for p, k in zip("abcdefgh", "bcdefghi", strict=True)
    )
    bomb += "name: [" + ", ".join(["*i"] * 9) + "]\n"
    problems = problems_of(make_client, files={"client.yaml": bomb})
    assert len(problems) == 1
    assert problems[0].line == 2
    assert "aliases and anchors are not allowed" in problems[0].message


def test_deeply_nested_client_yaml_is_refused(make_client):
    problems = problems_of(make_client, files={"client.yaml": "name: " + "[" * 5000 + "]" * 5000})
    assert [p.file for p in problems] == ["client.yaml"]
    assert "nested more than 32 levels" in problems[0].message


def test_python_tags_in_client_yaml_are_refused(make_client):
    text = "id: acme\nname: !!python/object/apply:os.system ['touch /tmp/pwned']\n"
    problems = problems_of(make_client, files={"client.yaml": text})
    assert problems[0].line == 2
    assert "the tag !!python/object/apply:os.system is not allowed" in problems[0].message


def test_a_huge_value_is_quoted_short(make_client):
    problems = problems_of(make_client, config={"language": "x" * 200_000})
    (problem,) = problems
    assert problem.key == "language"
    assert len(str(problem)) < 300
    assert "(200,000 characters)" in str(problem)


def test_a_huge_cell_is_quoted_short(make_client, default_orders):
    problems = problems_of(
        make_client, orders=orders_with(default_orders, amount="9" * 100_000 + "x")
    )
    assert located(problems) == [("orders.csv", 3, "amount")]
    assert len(str(problems[0])) < 300


def test_the_columns_found_are_listed_briefly(make_client):
    wide = pd.DataFrame({f"junk_{'y' * 50}_{i}": ["1"] for i in range(40)})
    problems = problems_of(make_client, orders=wide)
    assert {p.column for p in problems} == {
        "order_id",
        "customer_id",
        "order_time",
        "channel",
        "amount",
    }
    assert all(len(str(p)) < 700 for p in problems)
    assert "… (40 columns)" in problems[0].message


def test_a_huge_junk_file_fails_on_its_header_without_being_read(make_client, monkeypatch):
    import playbook.data.validation as validation

    def never(path):
        raise AssertionError("the whole file was read")

    monkeypatch.setattr(validation, "read_table", never)
    junk = b"no,header,here\n" + b"random junk\n" * 1000
    problems = problems_of(make_client, files={"orders.csv": junk})
    assert [p.column for p in problems] == [
        "order_id",
        "customer_id",
        "order_time",
        "channel",
        "amount",
    ]


def test_a_table_linked_from_outside_the_folder_is_refused_without_its_content(
    make_client, tmp_path
):
    secret = tmp_path / "environ"
    secret.write_text("order_id,customer_id\nAWS_SECRET=hunter2,x\n", encoding="utf-8")
    clients_dir = make_client()
    (clients_dir / "acme" / "survey.csv").symlink_to(secret)
    problems, data = validate_client_dir(clients_dir / "acme")
    assert data is None
    assert [str(p) for p in problems] == [
        "survey.csv: is a link to a file outside the client folder; "
        "copy the file itself into the folder"
    ]


def test_a_client_yaml_linked_from_outside_is_refused(make_client, tmp_path):
    clients_dir = make_client()
    outside = tmp_path / "other.yaml"
    outside.write_text((clients_dir / "acme" / "client.yaml").read_text(encoding="utf-8"))
    (clients_dir / "acme" / "client.yaml").unlink()
    (clients_dir / "acme" / "client.yaml").symlink_to(outside)
    problems, data = validate_client_dir(clients_dir / "acme")
    assert data is None
    assert "client.yaml: is a link to a file outside the client folder" in str(problems[0])


def test_a_client_folder_linked_from_outside_the_clients_folder_is_refused(make_client, tmp_path):
    real = make_client(clients_dir=tmp_path / "elsewhere")
    clients_dir = tmp_path / "clients"
    clients_dir.mkdir()
    (clients_dir / "acme").symlink_to(real / "acme")
    problems, data = validate_client_dir(clients_dir / "acme")
    assert data is None
    assert "link to a folder outside the clients folder" in problems[0].message


@pytest.mark.parametrize(
    ("times", "expected"),
    [
        # one row with another offset: every row keeps its own wall time (no conversion)
        (
            ["2024-03-01 11:25+08:00", "2024-03-01 11:25+08:00", "2024-03-01 09:00-05:00"],
            ["2024-03-01 11:25", "2024-03-01 11:25", "2024-03-01 09:00"],
        ),
        # offsets mixed with plain times: only the offsets go
        (
            ["2024-03-01T11:25:00Z", "2024-03-01 11:25", "2024-03-01 23:59:59.5 +0800"],
            ["2024-03-01 11:25", "2024-03-01 11:25", "2024-03-01 23:59:59.5"],
        ),
        # a plain date is not an offset
        (["2024-03-01", "2024-03-02 10:00 UTC"], ["2024-03-01", "2024-03-02 10:00"]),
    ],
)
def test_utc_offsets_are_dropped_keeping_local_time_in_every_row(times, expected):
    parsed, failed = parse_datetimes(pd.Series(times, dtype="str"))
    assert not failed.any()
    assert parsed.tolist() == [pd.Timestamp(t) for t in expected]


def test_cells_without_an_offset_are_not_searched_one_by_one_in_python(monkeypatch):
    from pandas.core.strings.accessor import StringMethods

    def contains(*_args, **_kwargs):
        raise AssertionError("Python's re ran on every cell")

    monkeypatch.setattr(StringMethods, "contains", contains)
    times = ["2024-03-01 11:25", "2024-03-02 00:00", "2024-03-04 09:00:30", None]
    parsed, failed = parse_datetimes(pd.Series(times * 1000, dtype="str"))
    assert not failed.any()
    assert parsed.iloc[2] == pd.Timestamp("2024-03-04 09:00:30")


def test_timezone_aware_parquet_keeps_local_time(make_client, default_orders, tmp_path):
    aware = pd.to_datetime(default_orders["order_time"]).dt.tz_localize("Asia/Shanghai")
    clients_dir = make_client(orders=default_orders.assign(order_time=aware), fmt="parquet")
    problems, data = validate_client_dir(clients_dir / "acme")
    assert problems == []
    assert data.orders.loc[0, "order_time"] == pd.Timestamp("2024-01-01 08:00")


def test_excel_serial_dates_get_a_hint(make_client, default_orders):
    problems = problems_of(make_client, orders=orders_with(default_orders, order_time="45292"))
    assert located(problems) == [("orders.csv", 3, "order_time")]
    assert "looks like an Excel date serial number" in problems[0].message


def test_a_boolean_amount_in_parquet_is_refused(make_client, default_orders):
    flags = default_orders.assign(amount=[True, False, True, True])
    problems = problems_of(make_client, orders=flags, fmt="parquet")
    assert located(problems)[:2] == [
        ("orders.parquet", 1, "amount"),
        ("orders.parquet", 2, "amount"),
    ]
    assert problems[0].message == "expected a number >= 0, got True"


def test_dates_in_a_number_column_are_refused(make_client, default_orders):
    dated = default_orders.assign(amount=pd.to_datetime(default_orders["order_time"]))
    problems = problems_of(make_client, orders=dated, fmt="parquet")
    assert {p.column for p in problems} == {"amount"}


@pytest.mark.parametrize("client_id", ["../acme", "acme/..", ".hidden", "a\\b"])
def test_client_ids_that_are_paths_are_unknown(make_client, client_id):
    from playbook.data.clients import UnknownClientError, client_dir

    clients_dir = make_client()
    with pytest.raises(UnknownClientError):
        client_dir(client_id, clients_dir / "acme")


def test_data_contract_doc_and_readme_state_the_limits():
    from playbook.config import REPO_DIR
    from playbook.data import limits

    doc = (REPO_DIR / "docs" / "data-contract.md").read_text(encoding="utf-8")
    readme = (REPO_DIR / "README.md").read_text(encoding="utf-8")
    size = limits.size_text
    stated = [
        f"{size(limits.MAX_CSV_BYTES)} on disk",
        f"{size(limits.MAX_XLSX_BYTES)} on disk",
        f"{size(limits.MAX_XLSX_UNCOMPRESSED)} once unzipped",
        f"{limits.MAX_XLSX_RATIO} times",
        f"{limits.MAX_XLSX_CELLS:,} cells",
        f"{limits.MAX_COLUMNS} columns",
        f"{limits.MAX_PARQUET_CELLS:,} cells",
        f"{size(limits.MAX_PARQUET_UNCOMPRESSED).replace('2,048 MB', '2 GB')} of values",
        f"{size(limits.MAX_HEADER_BYTES)}",
        f"{size(limits.MAX_YAML_BYTES)}",
        f"nested at most {limits.MAX_YAML_DEPTH} deep",
        f"about {limits.MEMORY_MULTIPLE} times its size",
        f"about {limits.XLSX_BYTES_PER_CELL} bytes per cell",
    ]
    assert [s for s in stated if s not in doc] == []
    for words in (size(limits.MAX_CSV_BYTES), f"{limits.MAX_XLSX_CELLS:,} cells", "256 KB"):
        assert words in readme


def test_dates_outside_1900_to_2100_are_refused(make_client, default_orders):
    problems = problems_of(make_client, orders=orders_with(default_orders, order_time="9999-12-31"))
    assert located(problems) == [("orders.csv", 3, "order_time")]
    assert problems[0].message == (
        "expected a date between 1900-01-01 and 2100-12-31, got '9999-12-31'"
    )
