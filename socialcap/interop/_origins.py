"""Tracing an imported table's rows back to the file and row they were read from.

An importer turns another tool's files into socialcap's tables and hands them to
`Cohort.from_tables`, which checks every rule.  The validator only knows the tables
it was given ("connections table, row 7"), so its problems are translated here into
the places a user can open and fix ("alters.csv, row 12, column 'alterID'").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

import pandas as pd

from .._exceptions import Problem, ValidationError
from ..cohort import Cohort

__all__ = ["Origin", "SourcedTables", "build_cohort"]


class Origin(NamedTuple):
    """Where one row of an imported table came from: a file and its spreadsheet row."""

    file: str
    row: int | None


@dataclass
class SourcedTables:
    """socialcap tables under construction, each row remembering its origin.

    ``columns`` maps, per table, a socialcap column to the name it had in the source
    (``{"connections": {"connection_id": "alterID"}}``), so that a problem names
    the column the user wrote.
    """

    rows: dict[str, list[dict[str, object]]] = field(
        default_factory=lambda: {"people": [], "connections": [], "ties": [], "snapshots": []}
    )
    origins: dict[str, list[Origin]] = field(
        default_factory=lambda: {"people": [], "connections": [], "ties": [], "snapshots": []}
    )
    columns: dict[str, dict[str, str]] = field(
        default_factory=lambda: {"people": {}, "connections": {}, "ties": {}, "snapshots": {}}
    )
    #: Columns a table has even when no row fills them (a header with no rows below it).
    declared: dict[str, list[str]] = field(
        default_factory=lambda: {"people": [], "connections": [], "ties": [], "snapshots": []}
    )

    def add(self, table: str, row: Mapping[str, object], origin: Origin) -> None:
        self.rows[table].append(dict(row))
        self.origins[table].append(origin)

    def frame(self, table: str, first: Sequence[str]) -> pd.DataFrame:
        """The rows of one table as text cells, ``first`` columns first, then the rest in order seen."""
        seen: dict[str, None] = dict.fromkeys(first)
        seen.update(dict.fromkeys(self.declared[table]))
        for row in self.rows[table]:
            seen.update(dict.fromkeys(row))
        columns = list(seen)
        data = {c: [row.get(c) for row in self.rows[table]] for c in columns}
        return pd.DataFrame({c: pd.Series(v, dtype=object) for c, v in data.items()}, columns=columns)


def _translate(problem: Problem, sourced: SourcedTables) -> Problem:
    table = problem.file.removesuffix(" table")
    if table not in sourced.origins or problem.file == table:
        return problem
    renamed = sourced.columns[table]
    column = problem.column
    message = problem.message
    if column is not None and column in renamed:
        message = f"{message} (socialcap reads this column as {column!r})"
        column = renamed[column]
    if problem.row is None or problem.row == 1:
        return Problem(f"the imported {table}", None, column, message)
    origin = sourced.origins[table][problem.row - 2]
    return Problem(origin.file, origin.row, column, message)


def build_cohort(sourced: SourcedTables, source: str) -> Cohort:
    """Check the tables with socialcap's validator; name the source files in any problem.

    Raises
    ------
    socialcap.ValidationError
        Every problem found, each pointing at the source file, row and column.
    """
    from .. import vocab

    frames = {name: sourced.frame(name, vocab.TABLES[name]) for name in sourced.rows}
    try:
        return Cohort.from_tables(**frames)
    except ValidationError as error:
        raise ValidationError([_translate(p, sourced) for p in error.problems], source) from None
