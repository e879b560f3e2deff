"""``socialcap export`` and ``socialcap import``: carry a cohort to and from other tools."""

from __future__ import annotations

from pathlib import Path

import click

from .._exceptions import SocialcapError, ValidationError
from ._common import COHORT, DESTINATION

__all__ = ["export", "import_"]


@click.command("export")
@click.argument("folder", type=COHORT)
@click.option(
    "--format", "format_", required=True, type=click.Choice(["egor", "graphml", "gexf", "json"]),
    help="egor: egos.csv, alters.csv and aaties.csv for R. graphml, gexf (Gephi) or json "
    "(node-link, for web tools): one graph file per snapshot.",
)
@click.option("-o", "--output", required=True, type=click.Path(path_type=Path), help="The folder to write (or the file, with --person).")
@click.option("--person", default=None, help="Write only this person's map, as one graph file.")
@click.option("--date", default=None, help="With --person: the snapshot's date, YYYY-MM-DD (default: their latest).")
def export(folder: Path, format_: str, output: Path, person: str | None, date: str | None) -> None:
    """Write a cohort (a folder of CSV files or an .xlsx workbook) for another tool.

    \b
    socialcap export cohort/ --format egor -o for-r/
    socialcap export cohort/ --format graphml -o graphs/
    socialcap export cohort/ --format gexf --person P01 -o p01.gexf
    """
    from ._common import load_cohort, refuse_overwriting
    from ..interop import write_egor, write_graph, write_graphs

    refuse_overwriting(folder, output, *(output / name for name in ("egos.csv", "alters.csv", "aaties.csv", "index.csv")))
    cohort = load_cohort(folder)
    try:
        if person is not None:
            if format_ == "egor":
                raise click.UsageError("--person works with graphml, gexf and json; egor's files hold a whole cohort")
            snapshot = cohort.snapshot(person, date)
            path = write_graph(snapshot, output, format_)  # type: ignore[arg-type]
            click.echo(f"Wrote {person}'s map of {snapshot.date.isoformat()} to {path}.")
        elif date is not None:
            raise click.UsageError("--date needs --person")
        elif format_ == "egor":
            write_egor(cohort, output)  # type: ignore[arg-type]
            click.echo(f"Wrote egos.csv, alters.csv and aaties.csv to {output} (read them in R with egor::threefiles_to_egor).")
        else:
            paths = write_graphs(cohort, output, format_, verbose=True)  # type: ignore[arg-type]
            click.echo(f"Wrote {len(paths)} {format_} files and index.csv to {output}.")
    except (SocialcapError, ValueError) as error:
        click.echo(f"socialcap: {error}", err=True)
        raise SystemExit(1) from None


@click.command("import")
@click.argument("source_format", metavar="FORMAT", type=click.Choice(["networkcanvas", "egor"]))
@click.argument("source", type=click.Path(exists=True, path_type=Path))
@click.option("--mapping", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A TOML or JSON file saying which of the study's variables gives which socialcap column, and what their values mean.")
@click.option("--date", default=None, help="One date (YYYY-MM-DD) for every map, when the files hold none.")
@click.option("--write-mapping", "write_mapping", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write a starting mapping listing every variable and value seen, to fill in; import nothing.")
@click.option("-o", "--output", type=DESTINATION, help="The cohort folder to write (or an .xlsx file, or a store).")
def import_(source_format: str, source: Path, mapping: Path | None, date: str | None, write_mapping: Path | None, output: str | Path | None) -> None:
    """Read another tool's files and write them as a socialcap cohort.

    \b
    networkcanvas  a Network Canvas export: the folder of CSV files, its .zip, or GraphML
    egor           egos.csv, alters.csv and aaties.csv, as R's write.csv or write.csv2 writes them

    A study's own variables are read through a mapping file; start one with
    --write-mapping, fill in what it leaves as "", then import with --mapping:

    \b
    socialcap import egor study/ --write-mapping mapping.toml
    socialcap import egor study/ --mapping mapping.toml -o cohort/

    Every problem is listed with its file, row and column, and nothing is written until
    there are none.
    """
    from ..interop import (
        EgorMapping, NetworkCanvasMapping, read_egor, read_networkcanvas, write_egor_mapping, write_networkcanvas_mapping,
    )
    from ..io import write_cohort
    from ._common import refuse_overwriting
    from ..store import display_url

    if write_mapping is not None:
        if mapping is not None or output is not None or date is not None:
            raise click.UsageError("--write-mapping writes a mapping to fill in and imports nothing; leave out --mapping, --date and -o")
        if write_mapping.suffix.lower() != ".toml":
            raise click.UsageError("--write-mapping writes a TOML file (with comments to guide you): name it mapping.toml")
        writer = write_egor_mapping if source_format == "egor" else write_networkcanvas_mapping
        path = writer(source, write_mapping)
        left = len((EgorMapping if source_format == "egor" else NetworkCanvasMapping).from_file(path).to_choose())
        click.echo(f"Wrote a starting mapping to {path}, listing every variable and value seen.")
        click.echo(f"{left} choice{'s are' if left != 1 else ' is'} still to make (each \"\" in it); check the guesses, then run")
        click.echo(f"  socialcap import {source_format} {source} --mapping {path} -o cohort/")
        return
    if output is None:
        raise click.UsageError("give -o/--output (the cohort to write), or --write-mapping to start a mapping")
    refuse_overwriting(source, output, *((output / f"{name}.csv" for name in ("people", "connections", "ties", "snapshots")) if isinstance(output, Path) else ()))
    notes: list[str] = []
    try:
        if source_format == "networkcanvas":
            cohort = read_networkcanvas(source, mapping, date=date)
        else:
            cohort = read_egor(source, mapping, date=date, notes=notes)
        write_cohort(cohort, output)
    except ValidationError as error:
        click.echo(str(error), err=True)
        raise SystemExit(1) from None
    except (SocialcapError, FileNotFoundError) as error:
        click.echo(f"socialcap: {error}", err=True)
        raise SystemExit(1) from None
    for note in notes:
        click.echo(note)
    click.echo(
        f"Imported {len(cohort.people)} people, {len(cohort.snapshots)} snapshots and "
        f"{len(cohort.connections)} connection rows into {display_url(output)}."
    )
