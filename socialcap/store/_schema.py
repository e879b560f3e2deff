"""The store's tables, declared once for SQLite and PostgreSQL, and their upgrades.

Every table is append-only: a save adds a row (a *version*) and never changes or
deletes one.  Rows are deleted only by `Store.erase_person` (the right to erasure).

``people``
    One row per version of a people.csv row: the §2 columns, the extra columns as a
    JSON object, ``saved_at`` and ``saved_by``.  ``deleted`` marks a version that
    removes the person from the current cohort (their history stays).
``snapshots``
    One row per version of one person's map on one date: the young person's answers
    (the snapshots.csv columns, extras as JSON), and the snapshot's connections and
    ties as the §2 CSV text of exactly its rows (``connections``, ``ties``, each with
    its header line beside it).  Keeping a map's rows together in its version row is
    what makes a version cheap to add, impossible to half-save, and a whole cohort
    as quick to read as a folder of CSV files (docs/store.md has the figures).
``layouts``
    The extra columns of each table, as last written by ``write_cohort`` (so a column
    that is empty everywhere is kept, as in a CSV header).
``cohort_tables`` (schema 2)
    One row per version of a table that belongs to the whole cohort rather than to one
    person, such as assets.csv (SPEC §12): its CSV text, header included.
``socialcap_schema``
    One row: the schema version, so socialcap knows which upgrades to run.

Upgrades are the functions in `MIGRATIONS`, run in order, in one transaction, by
`migrate` when a store is opened.  A small table of our own is used rather than
alembic: socialcap's schema is a handful of tables, the upgrades must run inside the
program for people who never see a command line, and both databases run schema
changes inside a transaction, so an interrupted upgrade changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa

__all__ = ["metadata", "people", "snapshots", "layouts", "cohort_tables", "schema_version", "SCHEMA_VERSION", "MIGRATIONS", "migrate"]

metadata = sa.MetaData()


class UTCDateTime(sa.types.TypeDecorator):
    """A moment in time, stored in UTC and always read back with its time zone."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        return value.astimezone(dt.timezone.utc)  # SQLite keeps the UTC fields, PostgreSQL the moment

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.timezone.utc)
        return value.astimezone(dt.timezone.utc)


def _version_columns() -> list[sa.Column]:
    return [
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),  # keeps the order rows were first saved in
        sa.Column("saved_at", UTCDateTime, nullable=False),
        sa.Column("saved_by", sa.Text),
        sa.Column("deleted", sa.Boolean, nullable=False, default=False),
    ]


schema_version = sa.Table("socialcap_schema", metadata, sa.Column("version", sa.Integer, nullable=False))

people = sa.Table(
    "people",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("person_id", sa.Text, nullable=False),
    *_version_columns(),
    sa.Column("name", sa.Text),
    sa.Column("birth_year", sa.Integer),
    sa.Column("ward", sa.Text),
    sa.Column("start_date", sa.String(10)),
    sa.Column("extras", sa.JSON(none_as_null=True)),
    sa.UniqueConstraint("person_id", "version", name="uq_people_version"),
)

snapshots = sa.Table(
    "snapshots",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("person_id", sa.Text, nullable=False),
    sa.Column("date", sa.String(10), nullable=False),  # ISO YYYY-MM-DD: sorts as dates do
    *_version_columns(),
    sa.Column("ucla_companionship", sa.Integer),
    sa.Column("ucla_left_out", sa.Integer),
    sa.Column("ucla_isolated", sa.Integer),
    sa.Column("ons_lonely", sa.Text),
    sa.Column("extras", sa.JSON(none_as_null=True)),
    sa.Column("connections_header", sa.Text, nullable=False),
    sa.Column("connections", sa.Text, nullable=False),
    sa.Column("ties_header", sa.Text, nullable=False),
    sa.Column("ties", sa.Text, nullable=False),
    sa.Column("n_connections", sa.Integer, nullable=False),
    sa.Column("n_ties", sa.Integer, nullable=False),
    sa.Column("digest", sa.String(64), nullable=False),
    # One person's timeline, and the latest version of each map, straight from this index.
    sa.UniqueConstraint("person_id", "date", "version", name="uq_snapshots_version"),
)
sa.Index("ix_snapshots_saved_at", snapshots.c.saved_at)
sa.Index("ix_people_saved_at", people.c.saved_at)

layouts = sa.Table(
    "layouts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("saved_at", UTCDateTime, nullable=False),
    sa.Column("saved_by", sa.Text),
    sa.Column("columns", sa.JSON, nullable=False),  # {"people": [...extras], "connections": [...], ...}
)


cohort_tables = sa.Table(
    "cohort_tables",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("name", sa.Text, nullable=False),  # "assets"
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("saved_at", UTCDateTime, nullable=False),
    sa.Column("saved_by", sa.Text),
    sa.Column("deleted", sa.Boolean, nullable=False, default=False),
    sa.Column("content", sa.Text, nullable=False),  # the table as CSV, header included
    sa.Column("digest", sa.String(64), nullable=False),
    sa.UniqueConstraint("name", "version", name="uq_cohort_tables_version"),
)


def _create_version_1(connection: sa.Connection) -> None:
    metadata.create_all(connection, tables=[people, snapshots, layouts], checkfirst=True)


def _create_version_2(connection: sa.Connection) -> None:
    """Cohort-wide tables (assets.csv, SPEC §12)."""
    metadata.create_all(connection, tables=[cohort_tables], checkfirst=True)


#: The upgrades, in order: MIGRATIONS[i] takes a store from schema i to i + 1.
MIGRATIONS: tuple[Callable[[sa.Connection], None], ...] = (_create_version_1, _create_version_2)
SCHEMA_VERSION = len(MIGRATIONS)


def current_version(connection: sa.Connection) -> int:
    """The schema version of the store behind ``connection`` (0 for an empty database)."""
    if not sa.inspect(connection).has_table(schema_version.name):
        return 0
    found = connection.execute(sa.select(sa.func.max(schema_version.c.version))).scalar()
    return int(found or 0)


def migrate(connection: sa.Connection) -> int:
    """Bring the schema up to `SCHEMA_VERSION` inside the caller's transaction; return the version found."""
    from .._exceptions import SocialcapError

    metadata.create_all(connection, tables=[schema_version], checkfirst=True)
    found = current_version(connection)
    if found > SCHEMA_VERSION:
        raise SocialcapError(
            f"this store was made by a newer socialcap (schema {found}; this one knows {SCHEMA_VERSION}): upgrade socialcap"
        )
    for step in MIGRATIONS[found:]:
        step(connection)
    if found < SCHEMA_VERSION:
        connection.execute(sa.delete(schema_version))
        connection.execute(sa.insert(schema_version).values(version=SCHEMA_VERSION))
    return found
