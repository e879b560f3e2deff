"""The ``socialcap`` command: thin wrappers that parse arguments, call the library and print.

Each command lives beside the topic it serves (``socialcap/_cli_<topic>.py``) and is
registered here.  Bad input is reported as a list of problems and exit code 1,
never a traceback.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ._exceptions import SocialcapError, ValidationError

__all__ = ["main", "load_cohort"]


def load_cohort(path: str | Path) -> object:
    """Read a cohort for a command; on bad input print every problem and exit 1."""
    from .io import read_cohort

    try:
        return read_cohort(path)
    except ValidationError as error:
        click.echo(str(error), err=True)
        raise SystemExit(1) from None
    except FileNotFoundError as error:
        click.echo(f"socialcap: {error}", err=True)
        raise SystemExit(1) from None


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="socialcap")
def main() -> None:
    """Map a young person's people, groups and places, measure isolation and connectedness,
    and see how both change over time.

    Start with `socialcap demo` to see everything on a fictional cohort.
    """


@main.command()
@click.argument("folder", type=click.Path(exists=True, path_type=Path))
def validate(folder: Path) -> None:
    """Check a cohort (a folder of CSV files or an .xlsx workbook) and list every problem.

    Each problem names the file, the row as a spreadsheet shows it (the header is
    row 1) and the column.  Exits with 1 when there is anything to fix.
    """
    cohort = load_cohort(folder)
    click.echo(
        f"All is well: {folder} holds {len(cohort.people)} people, "  # type: ignore[attr-defined]
        f"{len(cohort.snapshots)} snapshots and {len(cohort.connections)} connection rows."  # type: ignore[attr-defined]
    )


def run() -> None:  # pragma: no cover - the console script
    try:
        main()
    except SocialcapError as error:
        click.echo(f"socialcap: {error}", err=True)
        sys.exit(1)
