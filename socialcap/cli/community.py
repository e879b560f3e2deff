"""``socialcap assets``: the community assets young people share (SPEC §12).

A thin wrapper: it parses the arguments, calls `socialcap.community.assets` and
`socialcap.community.write`, and prints.
"""

from __future__ import annotations

from pathlib import Path

import click

from .._exceptions import SocialcapError
from ._common import COHORT, load_cohort, refuse_overwriting

__all__ = ["assets_command"]

_WAVE_HELP = "first, last, a date (2025-01-01: the map nearest it) or months since start_date (12m)"


@click.command("assets")
@click.argument("source", type=COHORT)
@click.option("-o", "--out", "out", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="File to write: .csv or .xlsx (the table), .png, .svg or .pdf (the wall chart), .html (both, offline).")
@click.option("--at", default="latest", show_default=True,
              help="Which map of each young person counts: first, latest, or a date (their latest map on or before it).")
@click.option("--by", default=None, help="A column of assets.csv (ward, kind...) to group assets by, one row per value.")
@click.option("--min-count", type=click.IntRange(min=1), default=5, show_default=True,
              help="Smallest count shown; smaller ones are blanked.")
@click.option("--baseline", default=None, help=f"Add joined and left since this map: {_WAVE_HELP} (default first).")
@click.option("--followup", default=None, help=f"... up to this map: {_WAVE_HELP} (default last).")
def assets_command(source: Path | str, out: Path, at: str, by: str | None, min_count: int, baseline: str | None,
                   followup: str | None) -> None:
    """The groups and places young people share: how many young people's maps hold each.

    SOURCE is a cohort: a folder of CSV files, an .xlsx workbook or a store.  One row
    (or bar) per community asset, the asset_id of groups and places in
    connections.csv described by assets.csv.  Counts under --min-count are blanked;
    no young person's name or id is written.  With --baseline or --followup it adds
    how many young people joined and left each asset between the two maps.
    """
    from ..community import assets, write

    refuse_overwriting(source, out)
    cohort = load_cohort(source)
    try:
        table = assets(cohort, at=at, baseline=baseline, followup=followup, min_count=min_count, by=by)
        write(table, out)
    except ValueError as error:
        raise SocialcapError(str(error)) from None
    hidden = int(table["suppressed"].sum())
    what = f"{len(table)} rows by {by}" if by else f"{len(table)} community assets"
    click.echo(f"Wrote {what} to {out} ({hidden} with a count under {min_count} blanked).")
