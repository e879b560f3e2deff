"""Tracing an imported table's rows back to the file and row they were read from.

An importer turns another tool's files into socialcap's tables and hands them to
`Cohort.from_tables`, which checks every rule.  The validator only knows the tables
it was given ("connections table, row 7"), so its problems are translated here into
the places a user can open and fix ("alters.csv, row 12, column 'alterID'").
"""

from __future__ import annotations

import re
from collections import Counter
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


def build_cohort(sourced: SourcedTables, source: str, command: str = "") -> Cohort:
    """Check the tables with socialcap's validator; name the source files in any problem.

    For an import command (``command``, such as ``"egor"``), the same problem in many
    rows of one column (a study's own word for a relationship, a column the mapping
    did not name) is reported once, with the values it concerns and a hint pointing
    at ``socialcap import <command> SRC --write-mapping``.

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
        if not command:  # a graph's nodes each are their own place to look: no grouping
            raise ValidationError([_translate(p, sourced) for p in error.problems], source) from None
        raise ValidationError(_once_per_column(error.problems, sourced, command), source) from None


def _once_per_column(problems: Sequence[Problem], sourced: SourcedTables, command: str) -> list[Problem]:
    """Translate each problem to its source; a problem repeated down a column becomes one."""
    groups: dict[tuple[str, str | None, str], list[Problem]] = {}
    order: list[tuple[str, str | None, str] | Problem] = []
    for problem in problems:
        table = problem.file.removesuffix(" table")
        if table not in sourced.origins or problem.file == table or problem.row is None or problem.row < 2 or "twice" in problem.message:
            order.append(problem)
            continue
        key = (table, problem.column, re.sub(r"'[^']*'|\d+", "…", problem.message))
        if key not in groups:
            groups[key] = []
            order.append(key)
        groups[key].append(problem)
    out: list[Problem] = []
    for item in order:
        if isinstance(item, Problem):
            out.append(_translate(item, sourced))
            continue
        table, column, _ = item
        group = groups[item]
        first = _translate(group[0], sourced)
        if len(group) == 1:
            value = sourced.rows[table][group[0].row - 2].get(column) if column is not None else None  # type: ignore[operator]
            empty = value is None or (isinstance(value, float) and value != value) or value == ""
            hint = _hint(table, column, Counter({"empty": 1}), command) if empty else ""
            out.append(first._replace(message=first.message + hint) if hint else first)
            continue
        seen: Counter[str] = Counter()
        files: set[str] = set()
        for problem in group:
            value = sourced.rows[table][problem.row - 2].get(column) if column is not None else None  # type: ignore[operator]
            seen["empty" if value is None or (isinstance(value, float) and value != value) or value == "" else repr(str(value))] += 1
            files.add(sourced.origins[table][problem.row - 2].file)  # type: ignore[operator]
        shown = ", ".join(f"{value} ({n} row{'s' if n > 1 else ''})" for value, n in seen.most_common(12))
        more = f" and {len(seen) - 12} other values" if len(seen) > 12 else ""
        where = f" in {len(files)} files" if len(files) > 1 else ""
        if set(seen) == {"empty"}:
            message = f"{first.message} ({len(group)} rows{where}, the first here)"
        else:
            message = f"{len(group)} rows{where} cannot be read: {shown}{more}. The first, here: {first.message}"
        message += _hint(table, column, seen, command)
        out.append(Problem(first.file, first.row, first.column, message))
    return out


def _hint(table: str, column: str | None, seen: Counter[str], command: str) -> str:
    """What a mapping can do about a column that cannot be read."""
    from ._mapping import CODED, WORDS

    if column is None or table == "ties" or not command:
        return ""
    section = {"people": "people", "snapshots": "snapshots"}.get(table, "connections")
    if set(seen) == {"empty"}:
        hint = f" No column gives {column}, or it is left empty: if a column of the study gives it, name it under [{section}] in a mapping ({column} = \"<column>\")"
        if column == "kind":
            hint += " or give every row one kind under [fixed]"
    elif column in CODED:
        hint = f" Say what each value means under [values.{column}] in a mapping ({WORDS[column]})"
    else:
        return ""
    return f".{hint}; socialcap import {command} SRC --write-mapping mapping.toml writes a starting mapping listing every column and value"
