"""Errors socialcap raises.

The hierarchy::

    SocialcapError            anything socialcap raises on purpose
    ├── ValidationError       input tables break the format (lists every problem)
    └── NotFoundError         a person or snapshot that is not in the cohort (also a KeyError)

A `ValidationError` carries `.problems`, a list of `Problem` tuples
``(file, row, column, message)``.  ``row`` is the row as a spreadsheet shows it (the
header is row 1, the first data row is row 2) or ``None`` for a problem with a whole
file; ``column`` is ``None`` for a problem with a whole row or file.
"""

from __future__ import annotations

from typing import NamedTuple, Iterable

__all__ = ["SocialcapError", "ValidationError", "NotFoundError", "Problem"]


class Problem(NamedTuple):
    """One thing wrong with the input: where it is and what to do about it."""

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
    """Base class of the errors socialcap raises on purpose."""


class ValidationError(SocialcapError, ValueError):
    """The input does not follow the socialcap tables; `.problems` lists every problem."""

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
    """A person or snapshot asked for is not in the cohort."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""
