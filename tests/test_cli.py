"""The ``playbook`` command, through click's CliRunner (fast: no kernel starts here)."""

from __future__ import annotations

import re

import pandas as pd
import psutil
import pytest
import yaml
from click.testing import CliRunner

from playbook.cli import main
from playbook.config import REPO_DIR


@pytest.fixture
def run():
    """Return a function invoking the CLI and returning click's result."""
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(main, [str(a) for a in args])

    return invoke


def bad_orders() -> pd.DataFrame:
    """Two orders; the second has a negative amount (spreadsheet row 3, header = row 1)."""
    return pd.DataFrame(
        {
            "order_id": ["o1", "o2"],
            "customer_id": ["c1", "c2"],
            "order_time": ["2024-01-01 08:00:00", "2024-01-02 09:00:00"],
            "channel": ["store", "store"],
            "amount": ["10", "-5"],
        }
    )


def test_list_shows_clients_and_frameworks_with_element_counts(run, make_client):
    clients_dir = make_client("acme")

    result = run("list", "--clients-dir", clients_dir)

    assert result.exit_code == 0, result.output
    assert re.search(r"acme\s+Acme Coffee · coffee · en", result.output)
    assert re.search(r"01 exceed_expectations\s+5 elements", result.output)


def test_validate_ok_prints_row_counts(run, make_client):
    clients_dir = make_client("acme")

    result = run("validate", "acme", "--clients-dir", clients_dir)

    assert result.exit_code == 0, result.output
    assert "ok  acme (Acme Coffee): orders 4" in result.output
    # the strategist's data request: our file and column names, with what each would measure
    assert "not measured until supplied" in result.output
    assert re.search(r"^    survey: .*\bnps\b", result.output, re.M), result.output
    assert re.search(r"^    client.yaml: competitors: price_quality_position", result.output, re.M)


def test_validate_bad_client_names_file_row_and_column(run, make_client):
    clients_dir = make_client("acme", orders=bad_orders())

    result = run("validate", "acme", "--clients-dir", clients_dir)

    assert result.exit_code == 1
    assert re.search(r"orders\.csv, row 3, column amount", result.output), result.output


def test_validate_unknown_client_lists_known_ids(run, make_client):
    clients_dir = make_client("acme")
    make_client("shop")

    result = run("validate", "nope", "--clients-dir", clients_dir)

    assert result.exit_code == 2
    assert "unknown client 'nope'" in result.output
    assert "Known clients: acme, shop" in result.output


def test_relative_clients_dir_is_taken_from_the_cwd(run, make_client, tmp_path, monkeypatch):
    make_client("acme")
    monkeypatch.chdir(tmp_path)

    result = run("validate", "acme", "--clients-dir", "clients")

    assert result.exit_code == 0, result.output


def test_render_bad_client_renders_nothing_and_fails(run, make_client, tmp_path, monkeypatch):
    import playbook.cli as cli

    monkeypatch.setattr(cli, "_rendered", False)
    clients_dir = make_client("acme", orders=bad_orders())
    out = tmp_path / "reports"

    result = run("render", "acme", "--clients-dir", clients_dir, "--out", out)

    assert result.exit_code == 1
    assert "INVALID acme" in result.output
    assert "orders.csv, row 3, column amount" in result.output
    assert not (out / "acme").exists()
    assert cli._rendered, "the render over, nothing running: the console script may leave at once"


def test_render_keeps_what_is_loaded_out_of_the_garbage_collector_while_it_runs(
    run, make_client, tmp_path, monkeypatch
):
    import gc

    import playbook.report.kernels
    import playbook.report.render

    frozen = []
    monkeypatch.setattr(playbook.report.kernels.KernelSlot, "prepare", lambda self: None)

    def render_clients(options, engine=None):
        frozen.append(gc.get_freeze_count())
        return []

    monkeypatch.setattr(playbook.report.render, "render_clients", render_clients)
    result = run("render", "acme", "--clients-dir", make_client("acme"), "--out", tmp_path)

    assert result.exit_code == 0, result.output
    assert frozen[0] > 10_000  # pandas, pyarrow, the package: not walked by full collections
    assert gc.get_freeze_count() == 0  # and back to normal after the render


def test_render_unknown_client_is_a_usage_error(run, make_client, tmp_path):
    clients_dir = make_client("acme")

    result = run("render", "nope", "--clients-dir", clients_dir, "--out", tmp_path / "r")

    assert result.exit_code == 2
    assert "Known clients: acme" in result.output


def test_render_needs_clients_or_all(run):
    result = run("render")

    assert result.exit_code == 2
    assert "give client ids or --all" in result.output


def test_render_unknown_format_is_refused_before_anything_runs(run, make_client, tmp_path):
    clients_dir = make_client("acme")

    result = run(
        "render", "acme", "--format", "html,docx", "--clients-dir", clients_dir, "--out", tmp_path
    )

    assert result.exit_code == 1
    assert "unknown format docx; available: html, pdf, pptx" in result.output
    assert not (tmp_path / "acme").exists()


def test_render_invalid_client_appears_failed_in_the_portfolio(run, make_client, tmp_path):
    clients_dir = make_client("acme", orders=bad_orders())
    out = tmp_path / "reports"

    run("render", "acme", "--clients-dir", clients_dir, "--out", out)

    portfolio = (out / "index.html").read_text(encoding="utf-8")
    assert 'data-client="acme"' in portfolio
    assert "invalid data" in portfolio
    assert "orders.csv, row 3, column amount" in portfolio


def test_conda_environment_has_the_pyproject_lower_bounds():
    tomllib = pytest.importorskip("tomllib")  # Python >= 3.11
    pyproject = tomllib.loads((REPO_DIR / "pyproject.toml").read_text(encoding="utf-8"))
    wanted = (
        pyproject["project"]["dependencies"] + pyproject["project"]["optional-dependencies"]["dev"]
    )
    env = yaml.safe_load((REPO_DIR / "environment.yml").read_text(encoding="utf-8"))
    conda = {d for d in env["dependencies"] if isinstance(d, str)}
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))

    assert "-e .[dev]" in pip
    # mplfonts is not on conda-forge; the project's own extras come with "-e .[dev]"
    own = pyproject["project"]["name"]
    missing = [w for w in wanted if w not in conda and not w.startswith(("mplfonts", own))]
    assert missing == []


@pytest.mark.parametrize("out", ["clients", "clients/acme", "."])
def test_render_refuses_an_output_folder_overlapping_the_clients_folder(
    run, make_client, tmp_path, out
):
    clients_dir = make_client("acme")
    before = sorted(p.name for p in (clients_dir / "acme").iterdir())

    result = run("render", "acme", "--clients-dir", clients_dir, "--out", tmp_path / out)

    assert result.exit_code == 2
    assert "client data" in result.output
    assert sorted(p.name for p in (clients_dir / "acme").iterdir()) == before
    # the kernels started ahead (to warm up while the render was checked) are gone
    kernels = [c for c in psutil.Process().children(recursive=True) if c.is_running()]
    assert [c for c in kernels if "ipykernel" in " ".join(c.cmdline())] == []


def test_list_survives_a_yaml_bomb_and_deep_nesting(run, make_client):
    clients_dir = make_client("acme")
    make_client("deep", files={"client.yaml": "name: " + "[" * 5000 + "]" * 5000})
    bomb = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    bomb += "".join(
        f"{k}: &{k} [{', '.join([f'*{p}'] * 9)}]\n"
        for p, k in zip("abcdefgh", "bcdefghi", strict=True)
    )
    make_client("bomb", files={"client.yaml": bomb + "name: [*i]\n"})

    result = run("list", "--clients-dir", clients_dir)

    assert result.exit_code == 0, result.output
    assert "acme                 Acme Coffee" in result.output
    assert (
        "bomb                 (client.yaml does not load: client.yaml, line 1: uses an anchor"
        in result.output
    )
    assert (
        "deep                 (client.yaml does not load: client.yaml, line 1: is nested"
        in result.output
    )


@pytest.mark.parametrize(
    ("code", "exit_code", "printed"), [(0, 0, ""), (1, 1, ""), (None, 0, ""), ("no", 1, "no\n")]
)
def test_the_console_script_leaves_at_once_after_a_render_only(
    monkeypatch, capsys, code, exit_code, printed
):
    import playbook.cli as cli

    def finished():
        raise SystemExit(code)

    left = []
    monkeypatch.setattr(cli, "main", finished)
    monkeypatch.setattr(cli.os, "_exit", left.append)
    monkeypatch.setattr(cli, "_rendered", True)
    cli.run()
    assert left == [exit_code] and capsys.readouterr().err == printed

    monkeypatch.setattr(cli, "_rendered", False)  # any other command: a normal exit
    with pytest.raises(SystemExit) as raised:
        cli.run()
    assert raised.value.code == code and left == [exit_code]
