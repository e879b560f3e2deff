"""``socialcap export`` and ``socialcap import``: carry a cohort to and from other tools."""

from __future__ import annotations

from pathlib import Path

import click

from ._common import load_cohort, output_option

__all__ = ["export", "import_"]


@click.command("export")
@click.argument("folder", type=click.Path(exists=True, path_type=Path))
@click.option(
    "--format", "format_", required=True, type=click.Choice(["egor", "graphml", "gexf", "json"]),
    help="egor: egos.csv, alters.csv and aaties.csv for R. graphml, gexf (Gephi) or json "
    "(node-link, for web tools): one graph file per snapshot.",
)
@output_option(required=True, type=click.Path(path_type=Path), help="The folder to write (or the file, with --person).")
@click.option("--person", default=None, help="Write only this person's map, as one graph file.")
@click.option("--date", default=None, help="With --person: the snapshot's date, YYYY-MM-DD (default: their latest).")
def export(folder: Path, format_: str, output: Path, person: str | None, date: str | None) -> None:
    """Write a cohort (a folder of CSV files or an .xlsx workbook) for another tool.

    \b
    socialcap export cohort/ --format egor -o for-r/
    socialcap export cohort/ --format graphml -o graphs/
    socialcap export cohort/ --format gexf --person P01 -o p01.gexf
    """
    from ..interop import write_egor, write_graph, write_graphs

    cohort = load_cohort(folder)
    if person is not None:
        if format_ == "egor":
            raise click.UsageError("--person works with graphml, gexf and json; egor's files hold a whole cohort")
        snapshot = cohort.snapshot(person, date)
        path = write_graph(snapshot, output, format_)  # type: ignore[arg-type]
        click.echo(f"Wrote {person}'s map of {snapshot.date.isoformat()} to {path}.")
    elif date is not None:
        raise click.UsageError("--date needs --person")
    elif format_ == "egor":
        write_egor(cohort, output)
        click.echo(f"Wrote egos.csv, alters.csv and aaties.csv to {output} (read them in R with egor::threefiles_to_egor).")
    else:
        paths = write_graphs(cohort, output, format_, verbose=True)  # type: ignore[arg-type]
        click.echo(f"Wrote {len(paths)} {format_} files and index.csv to {output}.")


@click.command("import")
@click.argument("source_format", metavar="FORMAT", type=click.Choice(["networkcanvas", "egor"]))
@click.argument("source", type=click.Path(exists=True, path_type=Path))
@click.option("--mapping", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="networkcanvas: a TOML or JSON file saying which variable holds which column.")
@output_option(required=True, type=click.Path(path_type=Path), help="The cohort folder to write (or an .xlsx file).")
def import_(source_format: str, source: Path, mapping: Path | None, output: Path) -> None:
    """Read another tool's files and write them as a socialcap cohort.

    \b
    networkcanvas  a Network Canvas export: the folder of CSV files, its .zip, or GraphML
    egor           egos.csv, alters.csv and aaties.csv (as `socialcap export --format egor` writes them)

    Every problem is listed with its file, row and column, and nothing is written until
    there are none.
    """
    from ..interop import read_egor, read_networkcanvas
    from ..io import write_cohort

    if mapping is not None and source_format != "networkcanvas":
        raise click.UsageError("--mapping is for networkcanvas; egor's files use socialcap's own column names")
    cohort = read_networkcanvas(source, mapping) if source_format == "networkcanvas" else read_egor(source)
    write_cohort(cohort, output)
    click.echo(
        f"Imported {len(cohort.people)} people, {len(cohort.snapshots)} snapshots and "
        f"{len(cohort.connections)} connection rows into {output}."
    )
