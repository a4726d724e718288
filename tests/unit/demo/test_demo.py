"""Tests of the demo-client generator (``python -m playbook.demo``) and the committed demo data.

Small clients (2,000 orders) are generated into ``tmp_path``; the committed clients in
``data/clients/`` are checked to be exactly what the generator produces, and to tell the
stories ``data/README.md`` promises.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import yaml
from click.testing import CliRunner

from playbook.config import DEFAULT_CLIENTS_DIR
from playbook.data.contract import TABLES, Assessment, ClientConfig
from playbook.data.files import read_table
from playbook.data.validation import validate_client_dir
from playbook.demo import PROFILES, generate, profile, write_client
from playbook.demo.__main__ import main

CLIENTS = ("brewlane_coffee", "wayfare_travel", "slice_pizza")
SMALL = "2000"


def run(*args: str) -> None:
    """Run the generator's command line and fail on a non-zero exit."""
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output + repr(result.exception)


def hashes(folder: Path) -> dict[str, str]:
    """Return the SHA-256 of every file under ``folder``, by relative path.

    A workbook is hashed by its sheets' cell values: openpyxl serialises the same workbook
    to different XML bytes depending on whether lxml is installed.
    """
    return {
        str(p.relative_to(folder)): _digest(p) for p in sorted(folder.rglob("*")) if p.is_file()
    }


def _digest(path: Path) -> str:
    if path.suffix != ".xlsx":
        return hashlib.sha256(path.read_bytes()).hexdigest()
    book = openpyxl.load_workbook(path, read_only=True)
    cells = [(ws.title, list(ws.iter_rows(values_only=True))) for ws in book.worksheets]
    book.close()
    return hashlib.sha256(repr(cells).encode()).hexdigest()


def tables(folder: Path) -> dict[str, pd.DataFrame]:
    """Read every table file of a client folder as raw values."""
    return {p.stem: read_table(p) for p in folder.iterdir() if p.stem in TABLES}


def typed(folder: Path, name: str) -> pd.DataFrame:
    """Read one table with numbers as floats and datetimes parsed."""
    df = tables(folder)[name]
    for col in df.columns:
        kind = TABLES[name].column(col).kind
        if kind == "number":
            df[col] = pd.to_numeric(df[col])
        elif kind == "datetime":
            df[col] = pd.to_datetime(df[col])
    return df


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> Path:
    """Generate the three demo clients with 2,000 orders each."""
    out = tmp_path_factory.mktemp("small")
    run("--out", str(out), "--orders", SMALL)
    return out


def test_same_seed_writes_same_bytes(small, tmp_path):
    run("--out", str(tmp_path), "--orders", SMALL)
    assert hashes(tmp_path) == hashes(small)
    assert len(hashes(small)) == 3 * 8  # client.yaml, assessment.yaml and six tables each


def test_other_seed_writes_other_data(small, tmp_path):
    run("--out", str(tmp_path), "--orders", SMALL, "--client", "slice_pizza", "--seed", "7")
    ours, theirs = hashes(tmp_path / "slice_pizza"), hashes(small / "slice_pizza")
    assert ours["orders.csv"] != theirs["orders.csv"]
    assert ours["client.yaml"] == theirs["client.yaml"]


def test_orders_option_sets_the_row_count(small, tmp_path):
    run("--out", str(tmp_path), "--orders", "3000", "--client", "brewlane_coffee")
    bigger = typed(tmp_path / "brewlane_coffee", "orders")
    smaller = typed(small / "brewlane_coffee", "orders")
    assert (len(smaller), len(bigger)) == (2000, 3000)


@pytest.mark.parametrize("client_id", CLIENTS)
def test_client_yaml_and_assessment_validate(small, client_id):
    folder = small / client_id
    config = ClientConfig.model_validate(yaml.safe_load((folder / "client.yaml").read_text()))
    assessment = Assessment.model_validate(yaml.safe_load((folder / "assessment.yaml").read_text()))
    assert config.id == client_id
    assert assessment.frameworks  # some elements scored in the workshop


@pytest.mark.parametrize("client_id", CLIENTS)
def test_every_categorical_value_is_declared(small, client_id):
    folder = small / client_id
    config = ClientConfig.model_validate(yaml.safe_load((folder / "client.yaml").read_text()))
    undeclared = {}
    for name, df in tables(folder).items():
        for col in df.columns:
            spec = TABLES[name].column(col)
            declared = config.declared(spec.kind) if spec else None
            if declared is not None:
                extra = set(df[col].dropna()) - set(declared)
                if extra:
                    undeclared[f"{name}.{col}"] = extra
    assert undeclared == {}


@pytest.mark.parametrize("client_id", CLIENTS)
def test_order_amounts_are_not_negative(small, client_id):
    orders = typed(small / client_id, "orders")
    assert (orders["amount"] >= 0).all()
    assert (orders["discount"] >= 0).all()


def test_wayfare_writes_a_gbk_survey_and_an_excel_costs_file(small):
    folder = small / "wayfare_travel"
    raw = (folder / "survey.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert raw.decode("gbk").startswith("response_id,")
    assert (folder / "costs.xlsx").exists() and not (folder / "costs.csv").exists()


def test_parquet_format_replaces_the_csv_files(small, tmp_path):
    run("--out", str(tmp_path), "--orders", SMALL, "--client", "wayfare_travel")
    run(
        "--out",
        str(tmp_path),
        "--orders",
        SMALL,
        "--client",
        "wayfare_travel",
        "--format",
        "parquet",
    )
    names = sorted(p.name for p in (tmp_path / "wayfare_travel").iterdir())
    assert names == ["assessment.yaml", "client.yaml"] + sorted(f"{t}.parquet" for t in TABLES)


def test_generate_rejects_too_few_orders():
    with pytest.raises(ValueError, match="at least 100"):
        generate(PROFILES["slice_pizza"], orders=10)


def test_write_client_rejects_an_unknown_format(tmp_path):
    client = generate(PROFILES["slice_pizza"], orders=200)
    with pytest.raises(ValueError, match="csv or parquet"):
        write_client(client, tmp_path, fmt="json")


def test_profile_rejects_an_unknown_client():
    with pytest.raises(KeyError, match="no demo client"):
        profile("acme")


# --- the committed demo data -------------------------------------------------------------


@pytest.mark.parametrize("client_id", CLIENTS)
def test_committed_data_is_what_the_generator_writes(client_id, tmp_path):
    run("--out", str(tmp_path), "--client", client_id)
    assert hashes(DEFAULT_CLIENTS_DIR / client_id) == hashes(tmp_path / client_id)


@pytest.mark.parametrize("client_id", CLIENTS)
def test_committed_clients_validate_without_problems(client_id):
    problems, data = validate_client_dir(DEFAULT_CLIENTS_DIR / client_id)
    assert [str(p) for p in problems] == []
    assert data is not None


def committed_orders(client_id: str) -> pd.DataFrame:
    """Read a committed client's orders with the promise-kept flag."""
    orders = typed(DEFAULT_CLIENTS_DIR / client_id, "orders")
    return orders.assign(kept=orders["actual_minutes"] <= orders["promised_minutes"])


@pytest.mark.parametrize(
    ("client_id", "weak_channel"),
    [("brewlane_coffee", "外卖"), ("wayfare_travel", "线下门店"), ("slice_pizza", "aggregator")],
)
def test_committed_promise_misses_concentrate_in_one_channel(client_id, weak_channel):
    orders = committed_orders(client_id).dropna(subset=["promised_minutes"])
    kept = orders.groupby("channel")["kept"].mean()
    assert kept.idxmin() == weak_channel


def test_committed_slice_pizza_keeps_fewer_promises_in_the_last_quarter():
    orders = committed_orders("slice_pizza").dropna(subset=["promised_minutes"])
    last = orders["order_time"] >= pd.Timestamp("2025-04-01")
    assert orders.loc[last, "kept"].mean() < orders.loc[~last, "kept"].mean() - 0.05


@pytest.mark.parametrize(
    ("client_id", "weak_touchpoint"),
    [
        ("brewlane_coffee", "外卖配送"),
        ("wayfare_travel", "退改签"),
        ("slice_pizza", "phone ordering"),
    ],
)
def test_committed_survey_has_one_clearly_weak_touchpoint(client_id, weak_touchpoint):
    survey = typed(DEFAULT_CLIENTS_DIR / client_id, "survey")
    csat = survey.groupby("touchpoint")["csat"].mean().sort_values()
    assert csat.index[0] == weak_touchpoint
    assert csat.iloc[1] - csat.iloc[0] > 0.5


@pytest.mark.parametrize("client_id", CLIENTS)
def test_committed_core_scene_share_is_between_30_and_50_percent(client_id):
    config = yaml.safe_load((DEFAULT_CLIENTS_DIR / client_id / "client.yaml").read_text())
    orders = committed_orders(client_id)
    share = (orders["scene"] == config["core_scene"]).mean()
    assert 0.3 <= share <= 0.5
