"""Dates, counts and sums in plain words, and safe division, defined once.

`change`, `report` and `maps` all say dates and counts the same way through these
helpers; the words never depend on the machine's language settings.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import numpy as np

__all__ = ["MONTHS", "count", "long_date", "month_year", "ratio", "safe_divide"]

MONTHS: tuple[str, ...] = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # spelled out here so that the words do not depend on the machine's locale


def long_date(date: dt.date) -> str:
    """A date as people say it.

    >>> long_date(dt.date(2025, 3, 3))
    '3 March 2025'
    """
    return f"{date.day} {MONTHS[date.month - 1]} {date.year}"


def month_year(date: dt.date) -> str:
    """A month as people say it.

    >>> month_year(dt.date(2025, 3, 3))
    'March 2025'
    """
    return f"{MONTHS[date.month - 1]} {date.year}"


def count(n: int, one: str, many: str | None = None) -> str:
    """A number and its noun, singular or plural.

    >>> count(1, "new connection"), count(4, "new connection"), count(2, "person", "people")
    ('1 new connection', '4 new connections', '2 people')
    >>> count(0, "link")
    '0 links'
    """
    if n == 1:
        return f"1 {one}"
    return f"{n} {many if many is not None else one + 's'}"


def ratio(top: float, bottom: float) -> float:
    """``top / bottom``, NaN where ``bottom`` is 0 (a share of nobody is not known).

    >>> ratio(1, 4), ratio(0, 0)
    (0.25, nan)
    """
    return top / bottom if bottom else math.nan


def safe_divide(top: Any, bottom: Any) -> np.ndarray:
    """``top / bottom`` element by element, NaN where ``bottom`` is not above 0.

    >>> safe_divide(np.array([1, 0, 3]), np.array([4, 0, 3])).tolist()
    [0.25, nan, 1.0]
    """
    top, bottom = np.asarray(top), np.asarray(bottom)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(bottom > 0, top / np.where(bottom > 0, bottom, 1), np.nan)
