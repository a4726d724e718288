"""``playbook new`` and ``playbook workbook``: a new client's folder, refused until filled in."""

from __future__ import annotations

import json
import re

import pytest
import yaml
from click.testing import CliRunner
from openpyxl import load_workbook

from playbook.cli import main
from playbook.data.contract import TABLES, ClientConfig
from playbook.data.kit import KitError, NewClient, check_client_id, create_client
from playbook.data.validation import validate_client_dir


def run(*args: object):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_new_client_is_refused_until_its_placeholders_are_filled(tmp_path, lang):
    clients = tmp_path / "outside_the_repo"

    result = run("new", "acme", "--name", "Acme 咖啡", "--lang", lang, "--clients-dir", clients)

    assert result.exit_code == 0, result.output
    folder = clients / "acme"
    names = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    assert names == [
        "acme_data_request.xlsx",
        "client.yaml",
        "commentary.yaml",
        "notebooks/example_client_page.ipynb",
    ]
    problems, _ = validate_client_dir(folder)
    assert sorted(p.key or p.file for p in problems) == [
        "channels[0]",
        "channels[1]",
        "currency",
        "industry",
        "orders",
    ]
    text = (folder / "client.yaml").read_text(encoding="utf-8")
    config = yaml.safe_load(text)
    assert config["name"] == "Acme 咖啡" and config["language"] == lang
    # every key is explained by a comment line just above it
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if re.match(r"^[a-z_]+:", line):
            assert lines[i - 1].startswith("#"), line

    filled = text.replace(config["currency"], "CNY").replace(config["industry"], "coffee")
    for channel, real in zip(config["channels"], ["store", "delivery"], strict=True):
        filled = filled.replace(channel, real)
    (folder / "client.yaml").write_text(filled, encoding="utf-8")
    problems, _ = validate_client_dir(folder)
    assert [p.file for p in problems] == ["orders"]  # only the data is missing now
    assert yaml.safe_load((folder / "commentary.yaml").read_text(encoding="utf-8")) is None


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_client_yaml_template_explains_every_key_of_the_contract(tmp_path, lang):
    create_client(NewClient("acme", lang=lang), tmp_path)
    text = (tmp_path / "acme" / "client.yaml").read_text(encoding="utf-8")

    named = set(re.findall(r"^#? ?([a-z_]+):", text, re.MULTILINE))
    assert set(ClientConfig.model_fields) <= named


def test_new_writes_the_workbook_and_workbook_rewrites_it_with_declared_values(tmp_path):
    result = run(
        "new", "acme", "--name", "A", "--industry", "B", "--lang", "en",
        "--currency", "USD", "--channels", "store, delivery", "--clients-dir", tmp_path,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    folder = tmp_path / "acme"
    book = folder / "acme_data_request.xlsx"
    assert load_workbook(book).sheetnames == list(TABLES)
    assert validate_client_dir(folder)[0][0].file == "orders"  # client.yaml is complete

    config = yaml.safe_load((folder / "client.yaml").read_text(encoding="utf-8"))
    config["tiers"] = ["gold", "basic"]
    (folder / "client.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    refused = run("workbook", "acme", "--clients-dir", tmp_path)
    assert refused.exit_code == 1 and "--force" in refused.output

    result = run("workbook", "acme", "--clients-dir", tmp_path, "--force")

    assert result.exit_code == 0, result.output
    lists = [dv.formula1 for dv in load_workbook(book)["customers"].data_validations.dataValidation]
    assert '"gold,basic"' in lists
    assert (folder / "acme_data_request.xlsx.bak").is_file()


def test_workbook_refuses_a_client_yaml_with_placeholders(tmp_path):
    run("new", "acme", "--clients-dir", tmp_path)

    result = run("workbook", "acme", "--clients-dir", tmp_path, "--force")

    assert result.exit_code == 1
    assert "fill in client.yaml first" in result.output
    assert "client.yaml, key currency: fill in this placeholder" in result.output


def test_an_existing_folder_is_refused_unless_forced(tmp_path):
    assert run("new", "acme", "--clients-dir", tmp_path).exit_code == 0
    (tmp_path / "acme" / "orders.csv").write_text("order_id\n1\n", encoding="utf-8")
    (tmp_path / "acme" / "commentary.yaml").write_text("author: me\n", encoding="utf-8")

    refused = run("new", "acme", "--clients-dir", tmp_path)
    assert refused.exit_code == 2 and "already exists" in refused.output

    forced = run("new", "acme", "--clients-dir", tmp_path, "--force", "--lang", "en")
    assert forced.exit_code == 0, forced.output
    folder = tmp_path / "acme"
    assert (folder / "orders.csv").read_text(encoding="utf-8") == "order_id\n1\n"  # untouched
    assert (folder / "commentary.yaml.bak").read_text(encoding="utf-8") == "author: me\n"
    assert "language: en" in (folder / "client.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize("bad", ["../acme", "a/b", ".hidden", "", "a b", "con", "x" * 65, "客户"])
def test_ids_that_are_not_plain_folder_names_are_refused(tmp_path, bad):
    with pytest.raises(KitError, match="not a plain folder name"):
        create_client(NewClient(bad), tmp_path)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("good", ["acme", "Acme-2", "brewlane_coffee", "7eleven"])
def test_plain_ids_are_accepted(good):
    check_client_id(good)


def test_starter_notebook_defaults_to_the_client_and_stays_out_of_the_report(tmp_path):
    create_client(NewClient("acme", lang="en"), tmp_path)
    nb = json.loads((tmp_path / "acme/notebooks/example_client_page.ipynb").read_text("utf-8"))

    params = next(c for c in nb["cells"] if "parameters" in c["metadata"].get("tags", []))
    source = "".join(params["source"])
    assert 'client_id: str = "acme"' in source
    assert 'clients_dir: str = "../.."' in source
    assert all(not c.get("outputs") for c in nb["cells"] if c["cell_type"] == "code")
    problems, _ = validate_client_dir(tmp_path / "acme")
    assert not any("notebooks/" in p.file for p in problems)
