"""The ``socialcap`` command: thin wrappers that parse arguments, call the library and print.

Each group of commands is one module of this package (``socialcap/cli/<topic>.py``)
and is registered here.  One error policy serves them all (:class:`SocialcapGroup`):
bad input is reported as a list of problems and exit code 1, never a traceback.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ._common import COHORT, keep_freed_memory, load_cohort
from .._exceptions import SocialcapError, ValidationError

__all__ = ["SocialcapGroup", "main", "load_cohort", "run"]


class SocialcapGroup(click.Group):
    """The one error policy of every command: a :class:`SocialcapError` (bad input, a
    conflict, something not found) or an output that cannot be written becomes a message
    on standard error and exit code 1, never a traceback."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except SocialcapError as error:
            click.echo(f"socialcap: {error}" if not isinstance(error, ValidationError) else str(error), err=True)
            ctx.exit(1)
        except OSError as error:
            click.echo(f"socialcap: {_os_message(error)}", err=True)
            ctx.exit(1)


def _os_message(error: OSError) -> str:
    """An operating system's refusal in plain words, naming the file."""
    where = f" {error.filename}" if error.filename else ""
    reason = error.strerror or str(error)
    return f"cannot use{where}: {reason}"


@click.group(
    cls=SocialcapGroup,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    invoke_without_command=True,
)
@click.version_option(package_name="socialcap")
@click.pass_context
def main(ctx: click.Context) -> None:
    """Map a young person's people, groups and places, measure isolation and connectedness,
    and see how both change over time.

    Start with `socialcap demo` to see everything on a fictional cohort.
    """
    if ctx.invoked_subcommand is None:
        click.echo(ctx.get_help())


@main.command()
@click.argument("folder", type=COHORT)
def validate(folder: Path) -> None:
    """Check a cohort (a folder of CSV files, an .xlsx workbook or a store) and list every problem.

    Each problem names the file, the row as a spreadsheet shows it (the header is
    row 1) and the column.  Exits with 1 when there is anything to fix.
    """
    from ..store import display_url

    cohort = load_cohort(folder)
    click.echo(
        f"All is well: {display_url(folder)} holds {len(cohort.people)} people, "
        f"{len(cohort.snapshots)} snapshots and {len(cohort.connections)} connection rows."
    )


@main.command()
@click.option("-o", "--out", "folder", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Folder to write the blank tables and the workbook into.")
def template(folder: Path) -> None:
    """Write blank tables to fill in: CSV files, and an .xlsx workbook with drop-down lists."""
    from ..template import WORKBOOK_NAME, write_template

    write_template(folder)
    click.echo(f"Wrote blank tables to {folder}/ - fill in {folder / WORKBOOK_NAME} or the CSV files,")
    click.echo(f"then check them with: socialcap validate {folder / WORKBOOK_NAME}")


@main.command()
@click.option("-o", "--out", "folder", type=click.Path(file_okay=False, path_type=Path),
              default=Path("socialcap-demo"), show_default=True, help="Folder to write everything into.")
@click.option("--people", type=click.IntRange(min=1), default=40, show_default=True,
              help="How many fictional young people.")
@click.option("--waves", type=click.IntRange(min=1), default=3, show_default=True,
              help="How many times each map is drawn.")
@click.option("--seed", type=int, default=1, show_default=True, help="Seed: the same seed gives the same cohort.")
def demo(folder: Path, people: int, waves: int, seed: int) -> None:
    """Show everything socialcap does, on a fictional cohort: its tables, metrics, maps and a report."""
    from .._demo import run_demo

    for line in run_demo(folder, people=people, waves=waves, seed=seed):
        click.echo(line)


# Each topic's commands live beside it; they are registered here, after `main` exists.
from .community import assets_command  # noqa: E402
from .interop import export, import_  # noqa: E402
from .maps import change_command, map_command  # noqa: E402
from .metrics import metrics  # noqa: E402
from .report import pseudonymise_command, report_command, summary_command  # noqa: E402
from .store import copy_command, erase_command  # noqa: E402

for _command in (map_command, change_command, metrics, report_command, summary_command, pseudonymise_command, export, import_,
                 copy_command, erase_command, assets_command):
    main.add_command(_command)


def run() -> None:  # pragma: no cover - the console script
    keep_freed_memory()
    try:
        main()
    except SocialcapError as error:
        click.echo(f"socialcap: {error}", err=True)
        sys.exit(1)
