"""``socialcap metrics DIR -o FILE``: the metrics table of a cohort, written as CSV, Parquet or Excel."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ._common import COHORT, load_cohort, refuse_overwriting

__all__ = ["metrics"]

# Above this much input, reading and computing take long enough to deserve a progress bar.
LARGE_INPUT_BYTES = 20_000_000


def _input_size(folder: Path | str) -> int:
    if not isinstance(folder, Path):  # a database address: its size is unknown here
        return 0
    if folder.is_file():
        return folder.stat().st_size
    return sum(p.stat().st_size for p in folder.glob("*.csv"))


@click.command("metrics")
@click.argument("folder", type=COHORT)
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The file to write: .csv, .parquet or .xlsx (the format follows the ending).",
)
@click.option(
    "--with",
    "with_columns",
    default="",
    metavar="COLUMNS",
    help="people.csv columns to add, separated by commas (for example ward,birth_year). Never name.",
)
@click.option(
    "--progress/--no-progress",
    default=None,
    help="Show progress on stderr (default: only for large cohorts).",
)
def metrics(folder: Path, output: Path, with_columns: str, progress: bool | None) -> None:
    """Measure every snapshot of a cohort and write one row per snapshot to a file.

    FOLDER is a cohort (a folder of CSV files or an .xlsx workbook).  The table has
    person_id and date, then one column per metric (see docs/metrics.md), then the
    people.csv columns asked for with --with.  It never carries names or free text.

    \b
    Example:
        socialcap metrics my-cohort/ -o metrics.csv --with ward,birth_year
    """
    from tqdm.auto import tqdm

    from ..metrics import METRICS_ENDINGS, cohort_metrics, write_metrics

    if output.suffix.lower() not in METRICS_ENDINGS:
        raise click.BadParameter(
            f"cannot tell how to write {output.name!r}: give a file ending in {', '.join(METRICS_ENDINGS)}",
            param_hint="'-o' / '--output'",
        )
    refuse_overwriting(folder, output)
    show = progress if progress is not None else _input_size(folder) >= LARGE_INPUT_BYTES
    with tqdm(total=3, desc="reading", unit="step", disable=not show, file=sys.stderr, leave=False) as bar:
        cohort = load_cohort(folder)
        bar.set_description("measuring")
        bar.update()
        try:
            table = cohort_metrics(cohort, columns=with_columns, verbose=show)  # type: ignore[arg-type]
        except ValueError as error:
            raise click.BadParameter(str(error), param_hint="'--with'") from None
        bar.set_description("writing")
        bar.update()
        write_metrics(table, output)
        bar.update()
    click.echo(f"Wrote {len(table):,} snapshots × {table.shape[1]} columns to {output}.")
