"""Analyst commands: ``socialcap report``, ``socialcap summary`` and ``socialcap pseudonymise``.

Thin wrappers: they parse arguments, call `socialcap.report`, `socialcap.analysis`
and `socialcap.privacy`, and print.  A mistake in the arguments or the data is a
message and exit code 1, never a traceback.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import click

from .._exceptions import SocialcapError
from ._common import COHORT, load_cohort, refuse_overwriting

__all__ = ["report_command", "summary_command", "pseudonymise_command"]

_FOLDER = COHORT
_WAVE_HELP = "first, last, a date (2025-01-01: the map nearest it) or months since start_date (12m)."


@contextlib.contextmanager
def _friendly() -> Iterator[None]:
    """Turn the library's errors about the arguments or the data into a message and exit 1."""
    try:
        yield
    except (SocialcapError, ValueError, KeyError) as error:
        message = error.args[0] if isinstance(error, KeyError) and error.args else error
        click.echo(f"socialcap: {message}", err=True)
        raise SystemExit(1) from None


def _wave_options(function: object) -> object:
    function = click.option("--within", type=click.IntRange(min=0), default=60, show_default=True,
                            help="Days a map may be from a date or a month count and still be chosen.")(function)
    function = click.option("--followup", default="last", show_default=True,
                            help=f"The follow-up map of each young person: {_WAVE_HELP}")(function)
    function = click.option("--baseline", default="first", show_default=True,
                            help=f"The baseline map of each young person: {_WAVE_HELP}")(function)
    return function


def _suppression_options(function: object) -> object:
    function = click.option("--round-counts", is_flag=True,
                            help="Round counts of people to the nearest 5.")(function)
    function = click.option("--min-count", type=click.IntRange(min=1), default=5, show_default=True,
                            help="Smallest group shown; smaller ones are blanked (ONS publishes with 10).")(function)
    return function


@click.command("report")
@click.argument("folder", type=_FOLDER)
@click.option("-o", "--out", "out", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Folder to write report.html and summary.csv into.")
@click.option("--by", "by", multiple=True, default=("ward", "age_band"), show_default=True,
              help="people.csv column to break change down by (repeat it; age_band is worked out from birth_year).")
@_wave_options
@_suppression_options
@click.option("--quiet", is_flag=True, help="No progress bars.")
def report_command(folder: Path, out: Path, by: tuple[str, ...], baseline: str, followup: str, within: int,
                   min_count: int, round_counts: bool, quiet: bool) -> None:
    """Write an offline HTML report of a cohort: isolation per map, change by ward and age band.

    The report has no names and no ids, and blanks every figure resting on fewer
    than --min-count young people.  It needs nothing but a web browser to open.
    """
    from ..analysis import Wave
    from ..privacy import check_groupable
    from ..report import write_report

    refuse_overwriting(folder, out, out / "report.html", out / "summary.csv")
    cohort = load_cohort(folder)
    with _friendly():
        check_groupable(cohort.people, by)
        path = write_report(
            cohort, out, min_count=min_count, round_counts=round_counts, by=by,  # type: ignore[arg-type]
            baseline=Wave.parse(baseline, within), followup=Wave.parse(followup, within), verbose=not quiet,
        )
    click.echo(f"Wrote the report to {path} (and the summary tables to {path.parent / 'summary.csv'}).")


@click.command("summary")
@click.argument("folder", type=_FOLDER)
@click.option("-o", "--out", "out", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="CSV file to write.")
@click.option("--by", default=None, help="people.csv column to break down by (age_band is worked out). "
              "Leave out for everyone together.")
@click.option("--metric", "metrics", multiple=True, help="A metric to summarise (repeat it; default: the usual ones).")
@_wave_options
@_suppression_options
@click.option("--quiet", is_flag=True, help="No progress bars.")
def summary_command(folder: Path, out: Path, by: str | None, metrics: tuple[str, ...], baseline: str,
                    followup: str, within: int, min_count: int, round_counts: bool, quiet: bool) -> None:
    """Write baseline, follow-up and change per group as CSV, small groups blanked.

    Each row: a group and a metric, n, the means, the mean change with its 95%
    t-interval, the Wilcoxon signed-rank test, the rank-biserial effect size, the
    shares isolated and lonely, and whether the row is suppressed.
    """
    from ..analysis import Wave, change_table, summarise
    from ..privacy import check_groupable
    from ..io import WRITERS, write_frame, write_table

    refuse_overwriting(folder, out)
    cohort = load_cohort(folder)
    with _friendly():
        columns = [by] if by else []
        check_groupable(cohort.people, columns)
        table = change_table(
            cohort.metrics(verbose=not quiet), cohort.people,
            baseline=Wave.parse(baseline, within), followup=Wave.parse(followup, within), columns=columns,
        )
        summary = summarise(table, by=by, metrics=list(metrics) or None, min_count=min_count,
                            round_counts=round_counts)
    write_frame(summary, out) if out.suffix.lower() in WRITERS else write_table(summary, out)  # CSV unless told
    click.echo(str(table))
    click.echo(f"Wrote {len(summary)} rows to {out} ({int(summary['suppressed'].sum())} suppressed).")


@click.command("pseudonymise")
@click.argument("folder", type=_FOLDER)
@click.option("--key-file", type=click.Path(exists=True, dir_okay=False, path_type=Path), required=True,
              help="File holding the secret key (keep it away from the output; e.g. made with "
                   "python -c \"import secrets; print(secrets.token_hex(32))\").")
@click.option("-o", "--out", "out", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Folder to write the pseudonymised tables into.")
@click.option("--age-bands", is_flag=True, help="Replace birth years by age bands.")
@click.option("--months", is_flag=True, help="Coarsen every date to its month.")
@click.option("--keep", multiple=True, help="An extra column to keep (repeat it); others are dropped.")
def pseudonymise_command(folder: Path, key_file: Path, out: Path, age_bands: bool, months: bool,
                         keep: tuple[str, ...]) -> None:
    """Replace ids by keyed pseudonyms and remove names and free text, for an analyst.

    The result is pseudonymised, not anonymised: it is still personal data under
    UK GDPR.  The key is read from --key-file and never written anywhere.
    """
    from ..io import write_cohort
    from ..privacy import pseudonymise, read_key

    target, key_path, source = out.resolve(), key_file.resolve(), folder.resolve()
    if target == key_path.parent or target in key_path.parents:
        click.echo("socialcap: the key file is inside the output folder; keep the key somewhere else", err=True)
        raise SystemExit(1)
    if target == source:
        click.echo("socialcap: write the pseudonymised tables to another folder than the original", err=True)
        raise SystemExit(1)
    refuse_overwriting(folder, out, *(out / f"{name}.csv" for name in ("people", "connections", "ties", "snapshots")))
    key = read_key(key_file)
    cohort = load_cohort(folder)
    with _friendly():
        safe = pseudonymise(cohort, key, age_bands=age_bands, months=months, keep=keep)  # type: ignore[arg-type]
    write_cohort(safe, out)
    click.echo(f"Wrote {len(safe)} young people's tables to {out}/ with pseudonyms instead of ids.")
    click.echo("This is pseudonymised, not anonymised: it is still personal data under UK GDPR.")
    click.echo(f"Keep the key ({key_file}) apart from it; never send them together.")
