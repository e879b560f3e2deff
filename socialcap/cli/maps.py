"""The ``socialcap map`` and ``socialcap change`` commands: draw one person's maps.

Thin wrappers: they read the cohort (every problem listed, exit 1), pick the
snapshots, call `socialcap.maps` and print where the file went.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from .._exceptions import NotFoundError, SocialcapError
from ._common import COHORT, load_timeline, output_option

if TYPE_CHECKING:  # pragma: no cover
    from ..change import Change
    from ..graph import Snapshot, Timeline

__all__ = ["change_command", "describe_line", "map_command"]


def _date(ctx: click.Context, param: click.Parameter, value: str | None) -> object:
    if value is None:
        return None
    from ..graph import as_date

    try:
        return as_date(value)
    except ValueError as error:
        raise click.BadParameter(str(error)) from None


def _output(ctx: click.Context, param: click.Parameter, value: Path | None) -> Path | None:
    from ..maps import FORMATS

    if value is not None and value.suffix.lower() not in FORMATS:
        raise click.BadParameter(
            f"{str(value)!r} needs one of these endings so the right kind of file is written: "
            + ", ".join(FORMATS)
        )
    return value


def _snapshot(timeline: Timeline, date: object) -> Snapshot:
    """The snapshot on ``date``, or the latest (as `socialcap.Cohort.snapshot` picks it)."""
    if date is not None:
        return timeline.snapshot(date)  # type: ignore[arg-type]
    if not timeline.snapshots:
        raise NotFoundError(f"{timeline.person_id} has no snapshots yet")
    return timeline.snapshots[-1]


def describe_line(change: Change) -> str:
    """What changed, in plain words for the coordinator and the young person (`socialcap.describe`)."""
    from ..change import describe

    return describe(change)


@click.command("map")
@click.argument("folder", type=COHORT)
@click.option("--person", "person_id", required=True, help="The person_id whose map to draw.")
@click.option("--date", "date", callback=_date, metavar="YYYY-MM-DD",
              help="The snapshot to draw (default: the person's latest).")
@output_option(required=True, type=click.Path(dir_okay=False, path_type=Path),
               callback=_output, help="Where to write: .png, .svg, .pdf (A4 landscape) or .html (interactive).")
def map_command(folder: Path, person_id: str, date: object, output: Path) -> None:
    """Draw one person's relationship map (circles map) from a cohort folder or .xlsx file."""
    from ..maps import save

    snapshot = _snapshot(load_timeline(folder, person_id), date)
    save(snapshot, output)
    click.echo(f"Wrote the map of {person_id} on {snapshot.date.isoformat()} to {output}")


@click.command("change")
@click.argument("folder", type=COHORT)
@click.option("--person", "person_id", required=True, help="The person_id whose change to show.")
@click.option("--from", "start", callback=_date, metavar="YYYY-MM-DD",
              help="The earlier snapshot (default: the person's first).")
@click.option("--to", "end", callback=_date, metavar="YYYY-MM-DD",
              help="The later snapshot (default: the person's latest).")
@output_option(type=click.Path(dir_okay=False, path_type=Path), callback=_output,
               help="Also draw the change map: .png, .svg, .pdf or .html.")
def change_command(folder: Path, person_id: str, start: object, end: object, output: Path | None) -> None:
    """Show what changed between two snapshots of one person, and draw it with -o."""
    from ..change import compare
    from ..maps import save

    timeline = load_timeline(folder, person_id)
    if len(timeline.snapshots) < 2 and (start is None or end is None):
        raise SocialcapError(f"{person_id} has {len(timeline.snapshots)} snapshot(s); a change needs two dates")
    before = timeline.snapshot(start) if start is not None else timeline.snapshots[0]  # type: ignore[arg-type]
    after = timeline.snapshot(end) if end is not None else timeline.snapshots[-1]  # type: ignore[arg-type]
    found = compare(before, after)
    click.echo(describe_line(found))
    if output is not None:
        save(found, output)
        click.echo(f"Wrote the change map to {output}")
