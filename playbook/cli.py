"""The ``playbook`` command: list clients and frameworks, validate client data, render reports.

A thin layer: it turns options into calls of ``playbook.report.render`` and
``playbook.data.clients`` and prints their results. Exit codes: 0 success, 1 a client's
data or a notebook failed, 2 usage error (including an unknown client id).
"""

from __future__ import annotations

import gc
import os
import signal
import sys
from pathlib import Path

import click

from playbook.config import (
    DEFAULT_CLIENTS_DIR,
    DEFAULT_KEEP_HISTORY,
    DEFAULT_PERIOD_DAYS,
    DEFAULT_REPORTS_DIR,
    LANGS,
    NOTEBOOKS_DIR,
)
from playbook.content import ContentError, frameworks
from playbook.data.clients import DataValidationError, list_clients, load_client, read_config

_CLIENTS_DIR = click.option(
    "--clients-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=DEFAULT_CLIENTS_DIR,
    show_default="data/clients",
    help="Folder of client folders (relative paths are taken from the current directory).",
)


def _client_ids(clients_dir: Path) -> list[str]:
    try:
        return list_clients(clients_dir)
    except FileNotFoundError as exc:
        raise click.UsageError(str(exc)) from exc


def _known_or_exit(requested: tuple[str, ...], clients_dir: Path) -> None:
    """Exit 2 naming the known clients when a requested id has no folder."""
    known = _client_ids(clients_dir)
    unknown = [c for c in requested if c not in known]
    if unknown:
        click.echo(
            f"error: unknown client {', '.join(repr(c) for c in unknown)} in {clients_dir}.\n"
            f"Known clients: {', '.join(known) or '(none)'}",
            err=True,
        )
        sys.exit(2)


def _interrupt(signum: int, frame: object) -> None:
    """Turn SIGTERM into KeyboardInterrupt, so kernels and temporary folders are cleaned up."""
    raise KeyboardInterrupt


#: Set by a render on this machine once every file is written and every kernel stopped: the
#: console script may then leave without the interpreter's teardown (``run``).
_rendered = False


def run() -> None:
    """The ``playbook`` console script: :func:`main`, left at once after a local render.

    A render writes every file and stops every kernel before it returns; tearing the
    interpreter down (pandas, pyarrow and the package freed object by object) would add
    about 0.15 s, a tenth of a re-render. So after one the process exits at once, its output
    flushed. Any other command, a cluster render (Dask's own clean-up runs at exit) and
    ``main`` called in-process (the tests) end normally.
    """
    try:
        main()
    except SystemExit as exc:
        if not _rendered:
            raise
        code = exc.code
        if not isinstance(code, int):  # sys.exit's own rule: None is 0, a message 1
            if code is not None:
                print(code, file=sys.stderr)
            code = 0 if code is None else 1
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="service-strategy-playbook")
def main() -> None:
    """Service Strategy Playbook: diagnose client service data and render reports."""


@main.command("list")
@_CLIENTS_DIR
def list_(clients_dir: Path) -> None:
    """List the clients and the frameworks."""
    clients_dir = clients_dir.resolve()
    click.echo(f"Clients ({clients_dir}):")
    for cid in _client_ids(clients_dir):
        try:
            cfg = read_config(cid, clients_dir)
            click.echo(f"  {cid:<20} {cfg.name} · {cfg.industry} · {cfg.language}")
        except DataValidationError as exc:
            first = exc.problems[0] if exc.problems else "unreadable"
            click.echo(f"  {cid:<20} (client.yaml does not load: {first})")
    click.echo("Frameworks:")
    try:
        for fw in frameworks():
            click.echo(
                f"  {fw.order:02d} {fw.id:<28} {len(fw.elements)} elements  "
                f"{fw.title('zh')} / {fw.title('en')}"
            )
    except ContentError as exc:
        raise click.ClickException(str(exc)) from exc


@main.command()
@click.argument("client_id")
@click.option("--name", default="", help="The client's name (else a placeholder to fill in).")
@click.option("--industry", default="", help="The client's industry (else a placeholder).")
@click.option("--lang", type=click.Choice(LANGS), default="zh", show_default=True)
@click.option("--currency", default="", help="Currency code, e.g. CNY (else a placeholder).")
@click.option("--channels", default="", help="Comma-separated channels (else placeholders).")
@_CLIENTS_DIR
@click.option("--force", is_flag=True, help="Write into an existing folder (replaced files: .bak).")
def new(
    client_id: str,
    name: str,
    industry: str,
    lang: str,
    currency: str,
    channels: str,
    clients_dir: Path,
    force: bool,
) -> None:
    """Start an engagement: a client folder with client.yaml, commentary.yaml and the workbook.

    client.yaml explains every key; what is not given here is a <<placeholder>> that
    `playbook validate` refuses until it is filled in. Send <CLIENT_ID>_data_request.xlsx
    to the client's data team; dropped back into the folder, it is read as the tables.
    """
    from playbook.data.kit import KitError, NewClient, create_client  # the workbook: pandas

    spec = NewClient(
        client_id=client_id,
        name=name.strip(),
        industry=industry.strip(),
        lang=lang,
        currency=currency.strip(),
        channels=tuple(c.strip() for c in channels.split(",") if c.strip()),
    )
    try:
        written = create_client(spec, clients_dir, force=force)
    except KitError as exc:
        raise click.UsageError(str(exc)) from exc
    folder = written[0].parent
    click.echo(f"Created {folder}:")
    for path in written:
        click.echo(f"  {path.relative_to(folder)}")
    click.echo(
        f"Next: fill in client.yaml, then `playbook workbook {client_id}` for the drop-down "
        f"lists, and send {written[-1].name} to the client's data team."
    )


@main.command()
@click.argument("client_id")
@click.option("--lang", type=click.Choice(LANGS), default=None, help="Default: the client's.")
@_CLIENTS_DIR
@click.option("--force", is_flag=True, help="Replace an existing workbook (kept as .bak).")
def workbook(client_id: str, lang: str | None, clients_dir: Path, force: bool) -> None:
    """Write the data-request workbook again from client.yaml (drop-downs of declared values)."""
    from playbook.data.kit import KitError, write_workbook  # the workbook: pandas, openpyxl

    clients_dir = clients_dir.resolve()
    _known_or_exit((client_id,), clients_dir)
    try:
        path = write_workbook(clients_dir / client_id, lang or "", force=force)
    except KitError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Wrote {path}")


@main.command()
@click.argument("clients", nargs=-1, required=True)
@_CLIENTS_DIR
def validate(clients: tuple[str, ...], clients_dir: Path) -> None:
    """Validate client data; print every problem (file, row, column) one per line."""
    clients_dir = clients_dir.resolve()
    _known_or_exit(clients, clients_dir)
    failed = False
    for cid in clients:
        try:
            data = load_client(cid, clients_dir)
        except DataValidationError as exc:
            failed = True
            problems = [str(p) for p in getattr(exc, "problems", ())] or [str(exc)]
            click.echo(f"{cid}: {len(problems)} problem(s)")
            for problem in problems:
                click.echo(f"  {problem}")
            continue
        rows = " · ".join(f"{name} {len(df):,}" for name, df in data.tables.items())
        click.echo(f"ok  {cid} ({data.config.name}): {rows}")
        _echo_data_request(data)
    sys.exit(1 if failed else 0)


def _echo_data_request(data) -> None:
    """Print the inputs this client lacks, with the indicators each would measure."""
    import playbook.indicators  # noqa: F401  (registers every indicator)
    from playbook.indicators.registry import missing_by_input

    used = [ref.id for fw in frameworks() for el in fw.elements for ref in el.indicators]
    needed = missing_by_input(data, used)
    if needed:
        click.echo(f"  not measured until supplied ({len(needed)}):")
        for name, ids in needed.items():
            click.echo(f"    {name}: {', '.join(ids)}")


@main.command()
@click.argument("clients", nargs=-1)
@click.option("--all", "all_clients", is_flag=True, help="Render every client in --clients-dir.")
@click.option("--lang", type=click.Choice(LANGS), default=None, help="Default: each client's.")
@click.option(
    "--format",
    "formats",
    default="html",
    show_default=True,
    help="html, pdf, pptx or a combination such as html,pdf,pptx (the site, report.pdf, "
    "report.pptx per client).",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Notebooks run at once, each in its own warm kernel (within a client and across).",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=DEFAULT_REPORTS_DIR,
    show_default="reports",
    help="Output folder; each client gets <out>/<client_id>/.",
)
@_CLIENTS_DIR
@click.option(
    "--notebooks-dir",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    default=NOTEBOOKS_DIR,
    show_default="notebooks",
    help="Folder of the report notebooks (NN_<slug>.ipynb) to run.",
)
@click.option("--as-of", default="", help="End of the analysis period (YYYY-MM-DD).")
@click.option("--period-days", type=click.IntRange(min=1), default=DEFAULT_PERIOD_DAYS)
@click.option(
    "--force", is_flag=True, help="Run every page again (default: reuse unchanged pages)."
)
@click.option(
    "--only",
    default="",
    metavar="SLUG[,SLUG]",
    help="Run only these pages again (framework slugs); keep the others as they are.",
)
@click.option(
    "--scheduler",
    default="",
    metavar="ADDRESS|local:N",
    help="Render each client as a task on a Dask cluster: a scheduler's address "
    "(tcp://host:8786), or local:N for N local worker processes.",
)
@click.option(
    "--keep-history",
    type=click.IntRange(min=1),
    default=DEFAULT_KEEP_HISTORY,
    show_default=True,
    help="Earlier reports' scores kept per client (reports/<client>/history/), for progress.",
)
@click.option(
    "--pptx-template",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    default=None,
    help="The firm's PowerPoint template (.pptx) for the deck; default: each client's "
    "pptx_template in client.yaml, else the shipped one.",
)
def render(
    clients: tuple[str, ...],
    all_clients: bool,
    lang: str | None,
    formats: str,
    workers: int,
    out: Path,
    clients_dir: Path,
    notebooks_dir: Path,
    as_of: str,
    period_days: int,
    force: bool,
    only: str,
    scheduler: str,
    keep_history: int,
    pptx_template: Path | None,
) -> None:
    """Render the report of CLIENTS (or --all): a site (and PDF) per client, code hidden.

    Also writes scores.json and manifest.json per client and rebuilds the portfolio index
    <out>/index.html. A page whose inputs did not change since the client's last good
    report is reused from it (--force runs every page again).
    """
    # the render engine (papermill, nbformat, nbconvert) is imported only to render: the
    # other commands start in about a second. nbformat's jsonschema would build an IRI
    # grammar at import when rfc3987_syntax is installed (JupyterLab brings it): 1.3 s for
    # a format check notebooks never use, so this process does without it.
    sys.modules.setdefault("rfc3987_syntax", None)
    from playbook.report.engine import Engine
    from playbook.report.notebooks import discover_notebooks, notebook_slug
    from playbook.report.options import RenderOptions

    clients_dir = clients_dir.resolve()
    if all_clients == bool(clients):
        raise click.UsageError("give client ids or --all (not both)")
    ids = tuple(_client_ids(clients_dir)) if all_clients else tuple(dict.fromkeys(clients))
    if not ids:
        raise click.UsageError(f"no clients in {clients_dir}")
    _known_or_exit(ids, clients_dir)
    pages = tuple(p.strip() for p in only.split(",") if p.strip())
    if pages and force:
        raise click.UsageError("give --force or --only (not both)")
    known = {n.stem for n in discover_notebooks(notebooks_dir)}
    known |= {notebook_slug(Path(f"{stem}.ipynb")) for stem in known}
    unknown_pages = [p for p in pages if p not in known]
    if unknown_pages:
        raise click.UsageError(
            f"unknown page {', '.join(unknown_pages)} for --only; known: {', '.join(sorted(known))}"
        )
    options = RenderOptions(
        clients=ids,
        clients_dir=clients_dir,
        out_dir=out.resolve(),
        notebooks_dir=notebooks_dir.resolve(),
        lang=lang or "",
        as_of=as_of,
        period_days=period_days,
        formats=tuple(f.strip() for f in formats.split(",") if f.strip()),
        workers=workers,
        force=force,
        only=pages,
        scheduler=scheduler,
        keep_history=keep_history,
        pptx_template=pptx_template.resolve() if pptx_template else None,
    )
    # the kernels start now: they import pandas, matplotlib and the pages while this
    # process imports the rest of the renderer and prepares the first client (unless the
    # clients have reports already: see Engine.for_options)
    engine = None if scheduler else Engine.for_options(options).start()
    try:
        from playbook.report.publish import UnsafeOutputError
        from playbook.report.render import FAILED_DIR, render_clients

        previous = signal.signal(signal.SIGTERM, _interrupt)
        # what is loaded by now (pandas, pyarrow, the package) is left out of the garbage
        # collector's full passes while the clients are validated and diagnosed
        gc.freeze()
        try:
            results = render_clients(options, engine=engine)
        except KeyboardInterrupt:
            click.echo("interrupted: reports already in place are unchanged", err=True)
            sys.exit(130)
        except UnsafeOutputError as exc:
            raise click.UsageError(str(exc)) from exc
        except (ValueError, ContentError) as exc:
            raise click.ClickException(str(exc)) from exc
        finally:
            gc.unfreeze()
            signal.signal(signal.SIGTERM, previous)
    finally:
        if engine is not None:
            engine.close()  # the kernels of a render refused or interrupted before it ran

    for res in results:
        if res.problems:
            click.echo(f"INVALID {res.client_id}: nothing rendered", err=True)
            for problem in res.problems:
                click.echo(f"  {problem}", err=True)
        for failure in res.failures:
            click.echo(f"FAILED  {failure}", err=True)
        if res.failures:
            kept = options.out_dir / FAILED_DIR / res.client_id
            where = f"executed notebooks kept in {kept}; " if res.report_dir else ""
            click.echo(f"  {where}the previous report is unchanged", err=True)
    done = [r for r in results if r.ok]
    click.echo(f"Rendered {len(done)} of {len(results)} client(s) into {options.out_dir}")
    for res in done:
        shown = next(
            name
            for fmt, name in (
                ("html", "index.html"),
                ("pdf", "report.pdf"),
                ("pptx", "report.pptx"),
            )
            if fmt in options.formats
        )
        click.echo(f"  {res.report_dir / shown}")
    click.echo(f"Portfolio: {options.out_dir / 'index.html'}")
    global _rendered
    _rendered = not scheduler
    sys.exit(0 if len(done) == len(results) else 1)
