"""``socialcap copy`` and ``socialcap erase``: move a cohort between a folder, a workbook and
a store, and erase one person from a store (SPEC §9)."""

from __future__ import annotations

import getpass
from pathlib import Path

import click

from ._common import COHORT, DESTINATION, STORE

__all__ = ["copy_command", "erase_command"]


def _login() -> str | None:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name on this system
        return None


@click.command("copy")
@click.argument("source", type=COHORT)
@click.argument("destination", type=DESTINATION)
@click.option("--as-of", "as_of", metavar="WHEN",
              help="From a store: the cohort as it stood then (2025-03-01 or 2025-03-01T14:30, local time).")
@click.option("--saved-by", "saved_by", default=_login, show_default="your login name",
              help="Into a store: who the new versions are saved by.")
def copy_command(source: Path | str, destination: Path | str, as_of: str | None, saved_by: str | None) -> None:
    """Copy a cohort between a folder of CSV files, an .xlsx workbook and a store.

    SOURCE and DESTINATION are each a folder, an .xlsx file, an SQLite store (a file
    ending .db) or a PostgreSQL store (postgresql://user@host/dbname).  Into a store,
    every person and map that differs gets a new version and nothing is overwritten;
    from a store, the latest versions (or those of --as-of) are copied.

    \b
    socialcap copy my-cohort/ maps.db
    socialcap copy maps.db postgresql://me@db.example/maps
    socialcap copy maps.db cohort-march.xlsx --as-of 2025-03-31
    """
    from ..store import copy_cohort, display_url

    if str(source) == str(destination):
        raise click.UsageError("SOURCE and DESTINATION are the same: a copy would overwrite its own input")
    cohort, added = copy_cohort(source, destination, as_of=as_of, saved_by=saved_by)
    versions = f" ({added['people'] + added['snapshots']} new versions)" if added is not None else ""
    click.echo(
        f"Copied {len(cohort.people)} people and {len(cohort.snapshots)} maps from {display_url(source)} "
        f"to {display_url(destination)}{versions}."
    )


@click.command("erase")
@click.argument("store", type=STORE)
@click.option("--person", "person_id", required=True, help="The person_id to erase.")
@click.option("--yes", is_flag=True, help="Erase without asking first.")
def erase_command(store: Path | str, person_id: str, yes: bool) -> None:
    """Erase one person, every map of theirs and all its history from a store, for good.

    This is the one deliberate deletion in socialcap, for a young person who asks to
    be forgotten (the right to erasure). It cannot be undone; backups made before
    still hold the person (see docs/store.md).
    """
    from ..store import display_url, open_store

    where = display_url(store)
    if not yes:
        click.confirm(f"Erase {person_id} and every version of their maps from {where}? This cannot be undone", abort=True)
    with open_store(store, create=False) as opened:
        gone = opened.erase_person(person_id)
    click.echo(f"Erased {person_id} from {where}: {gone} saved versions deleted. Backups made before still hold them.")
