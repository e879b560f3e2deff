"""Errors socialcap raises.

The hierarchy::

    SocialcapError            anything socialcap raises on purpose
    ├── ValidationError       input tables break the format (lists every problem)
    ├── NotFoundError         a person, snapshot or column that is not there (also a KeyError)
    ├── ArgumentError         an argument socialcap cannot use (also a ValueError)
    └── ConflictError         a save from a stale version: someone else saved first (nothing stored)

A `ValidationError` carries `.problems`, a list of `Problem` tuples
``(file, row, column, message)``.  ``row`` is the row as a spreadsheet shows it (the
header is row 1, the first data row is row 2) or ``None`` for a problem with a whole
file; ``column`` is ``None`` for a problem with a whole row or file.
"""

from __future__ import annotations

from typing import NamedTuple, Iterable

__all__ = ["SocialcapError", "ValidationError", "NotFoundError", "ArgumentError", "ConflictError", "Problem"]


class Problem(NamedTuple):
    """One thing wrong with the input: where it is and what to do about it.

    Examples
    --------
    >>> problem = Problem("connections.csv", 3, "closeness", "closeness 5 is not one of: 1, 2, 3")
    >>> print(problem)
    connections.csv, row 3, column 'closeness': closeness 5 is not one of: 1, 2, 3
    >>> print(Problem("ties.csv", None, None, "the file is empty"))
    ties.csv: the file is empty
    """

    file: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column!r}")
        return f"{', '.join(where)}: {self.message}"


class SocialcapError(Exception):
    """Base class of the errors socialcap raises on purpose.

    Catch it to handle every error socialcap means to raise, and nothing else.

    Examples
    --------
    >>> import socialcap as sc
    >>> cohort = sc.datasets.synthetic(people=2, waves=2, seed=1)
    >>> try:
    ...     cohort.snapshot("P99")
    ... except sc.SocialcapError as error:
    ...     print(f"{type(error).__name__}: {error}")
    NotFoundError: there is no person 'P99' in this cohort
    """


class ValidationError(SocialcapError, ValueError):
    """The input does not follow the socialcap tables; `.problems` lists every problem.

    Every problem is found before the error is raised, so one run tells a user all
    there is to fix.  It is also a `ValueError`.

    Examples
    --------
    A connection of kind ``pet`` and a closeness of 5 (closeness runs 1 to 3):

    >>> import pandas as pd, socialcap as sc
    >>> people = pd.DataFrame({"person_id": ["P01"]})
    >>> connections = pd.DataFrame({
    ...     "person_id": ["P01", "P01"], "date": ["2025-03-01"] * 2,
    ...     "connection_id": ["mum", "rex"], "kind": ["person", "pet"],
    ...     "domain": ["family", "other"], "closeness": [5, None]})
    >>> try:
    ...     sc.Cohort.from_tables(people, connections)
    ... except sc.ValidationError as error:
    ...     for problem in error.problems:
    ...         print(problem.row, problem.column)
    2 closeness
    3 kind
    """

    def __init__(self, problems: Iterable[Problem], source: str = "input") -> None:
        self.problems: list[Problem] = sorted(
            problems, key=lambda p: (p.file, p.row if p.row is not None else -1, p.column or "", p.message)
        )
        self.source = source
        super().__init__(self._summary())

    def _summary(self) -> str:
        n = len(self.problems)
        head = f"{n} problem{'s' if n != 1 else ''} found in {self.source}:"
        return "\n".join([head, *(f"  {p}" for p in self.problems)])


class NotFoundError(SocialcapError, KeyError):
    """A person or snapshot asked for is not in the cohort.

    It is also a `KeyError`, as for a missing key of a dict.

    Examples
    --------
    >>> import socialcap as sc
    >>> cohort = sc.datasets.synthetic(people=2, waves=2, seed=1)
    >>> try:
    ...     cohort.timeline("P01")
    ... except sc.NotFoundError as error:
    ...     print(error)
    there is no person 'P01' in this cohort
    >>> isinstance(sc.NotFoundError("P01"), KeyError)
    True
    """

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


class ArgumentError(SocialcapError, ValueError):
    """An argument socialcap cannot use: a way to choose a map it does not know, two
    snapshots given in the wrong order, a column to keep that is in no table.

    It is also a `ValueError`, so code that catches those keeps working; the command
    line reports it as a message and exit code 1, like every `SocialcapError`.

    >>> isinstance(ArgumentError("give the earlier one first"), ValueError)
    True
    """


class ConflictError(SocialcapError):
    """A save was made from a version that is no longer the latest: someone else saved
    the same snapshot in between.  Nothing was stored; read the latest version, then
    decide which to keep.

    ``expected`` is the version the save was made from (``None``: "this snapshot is
    new") and ``current`` the version now stored (``None``: there is none).

    Examples
    --------
    >>> error = ConflictError("P01", "2025-03-01", expected=2, current=3)
    >>> print(error)
    the map of P01 on 2025-03-01 was saved by someone else since version 2 (it is now version 3); nothing was stored
    >>> error.current
    3
    """

    def __init__(self, person_id: str, date: str, *, expected: int | None, current: int | None) -> None:
        self.person_id = person_id
        self.date = date
        self.expected = expected
        self.current = current
        if expected is None:
            message = f"the map of {person_id} on {date} already exists (version {current}); nothing was stored"
        elif current is None:
            message = f"there is no map of {person_id} on {date} to update from version {expected}; nothing was stored"
        else:
            message = (
                f"the map of {person_id} on {date} was saved by someone else since version {expected} "
                f"(it is now version {current}); nothing was stored"
            )
        super().__init__(message)
