"""Command line: ``python -m playbook.demo [--out DIR] [--client ID] [--orders N] [--format F]``."""

from __future__ import annotations

import time
from pathlib import Path

import click

from playbook.config import DEFAULT_CLIENTS_DIR
from playbook.demo.generate import generate
from playbook.demo.profiles import PROFILES
from playbook.demo.writer import write_client


@click.command()
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=DEFAULT_CLIENTS_DIR,
    show_default=True,
    help="Clients directory.",
)
@click.option(
    "--client",
    "clients",
    multiple=True,
    type=click.Choice(sorted(PROFILES)),
    help="Client to generate (repeatable; default: all demo clients).",
)
@click.option(
    "--orders",
    type=click.IntRange(min=100),
    default=None,
    help="Number of orders (default: the client's own); other tables scale.",
)
@click.option("--seed", type=int, default=None, help="Random seed (default: the client's).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "parquet"]),
    default="csv",
    show_default=True,
    help="csv: each table in the client's own format.",
)
def main(
    out: Path, clients: tuple[str, ...], orders: int | None, seed: int | None, fmt: str
) -> None:
    """Generate the demo clients into OUT/<client id>/ (byte-identical on every run)."""
    for client_id in clients or tuple(PROFILES):
        began = time.perf_counter()
        client = generate(PROFILES[client_id], orders=orders, seed=seed)
        paths = write_client(client, out, fmt)
        rows = ", ".join(f"{name} {len(df):,}" for name, df in client.tables.items())
        size = sum(p.stat().st_size for p in paths) / 1e6
        click.echo(
            f"{client_id}: {rows} rows; {size:.1f} MB in {out / client_id} "
            f"({time.perf_counter() - began:.1f} s)"
        )


if __name__ == "__main__":
    main()
