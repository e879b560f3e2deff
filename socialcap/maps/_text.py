"""The words on a map: names made safe to draw, dates, titles and counts in plain English."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from functools import lru_cache

import pandas as pd
from matplotlib import font_manager
from matplotlib.ft2font import FT2Font

from ._style import FONT_FAMILY

__all__ = [
    "count",
    "display_text",
    "long_date",
    "possessive",
    "shorten",
    "squares_in",
    "title_for",
]

MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)
#: Longest label drawn in full on a circles map; longer names end in an ellipsis.
MAX_LABEL = 22
#: Longest name drawn in a title; longer names end in an ellipsis.
MAX_TITLE_NAME = 40
MISSING_GLYPH = "\u25a1"  # a white square, the usual sign of a character the font lacks

_SPACES = re.compile(r"\s+")
_BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


@lru_cache(maxsize=1)
def _charmap() -> frozenset[int]:
    path = font_manager.findfont(font_manager.FontProperties(family=FONT_FAMILY), fallback_to_default=False)
    return frozenset(FT2Font(path).get_charmap())


def display_text(value: object) -> str:
    """Text from the data made safe to draw with matplotlib.

    Runs of white space (new lines, tabs) become one space, and characters the
    map font cannot draw (emoji, some scripts) become a small square instead of a
    missing-glyph warning.  The interactive map shows the original text.

    >>> display_text("  Auntie\\n Jo ")
    'Auntie Jo'
    >>> display_text("Kai \\u674e")
    'Kai □'
    """
    if value is None or (not isinstance(value, str) and pd.isna(value)):  # type: ignore[arg-type]
        return ""
    text = _SPACES.sub(" ", str(value)).strip()
    known = _charmap()
    # Invisible format characters (a stray U+FEFF, bidirectional overrides) are left out:
    # they draw nothing, and matplotlib's PDF writer fails on some of them.
    return "".join(c if ord(c) in known else MISSING_GLYPH for c in text if unicodedata.category(c) != "Cf")


def squares_in(shown: str, value: object) -> bool:
    """Whether ``shown``, drawn from ``value`` by `display_text` (and perhaps
    `shorten`), has a square standing for a character the map font lacks.

    A square that was in the data itself does not count.

    >>> squares_in(display_text("Kai \u674e"), "Kai \u674e"), squares_in("Kai", "Kai \u674e")
    (True, False)
    >>> squares_in("\u25a1 club", "\u25a1 club")
    False
    """
    if value is None or (not isinstance(value, str) and pd.isna(value)):  # type: ignore[arg-type]
        return False
    # display_text swaps character for character, and shorten keeps the start.
    source = _SPACES.sub(" ", str(value)).strip()
    return any(c == MISSING_GLYPH and o != MISSING_GLYPH for c, o in zip(shown, source))


def shorten(text: str, limit: int = MAX_LABEL) -> str:
    """Cut text to ``limit`` characters, ending with an ellipsis when anything was cut.

    >>> shorten("Youth club at St Mary's church hall", 16)
    'Youth club at S…'
    """
    if len(text) <= limit:
        return text
    return text[: limit - 1].rstrip() + "\u2026"


def long_date(date: dt.date) -> str:
    """A date as people say it (the same whatever the machine's language settings).

    >>> long_date(dt.date(2025, 3, 3))
    '3 March 2025'
    """
    return f"{date.day} {MONTHS[date.month - 1]} {date.year}"


def possessive(name: str | None, *, drawn: bool = True) -> str:
    """"Sam's", or "My" when the person has no name on record.

    For a drawn map (``drawn=True``) the name is made safe for the map font
    (`display_text`) and cut to `MAX_TITLE_NAME` characters; for the interactive
    map, which can show any script, only its white space is tidied.

    >>> possessive("Sam"), possessive(None)
    ("Sam's", 'My')
    >>> possessive("\u674e\u534e"), possessive("\u674e\u534e", drawn=False)
    ("□□'s", "李华's")
    """
    if drawn:
        shown = shorten(display_text(name), MAX_TITLE_NAME)
    elif name is None or (not isinstance(name, str) and pd.isna(name)):  # type: ignore[arg-type]
        shown = ""
    else:
        shown = _SPACES.sub(" ", str(name)).strip()
        if _BIDI.search(shown):  # an unclosed right-to-left override must not turn the whole title round
            shown = f"\u2068{shown}\u2069"  # first strong isolate ... pop directional isolate
    return f"{shown}'s" if shown else "My"


def title_for(name: str | None, date: dt.date, *, drawn: bool = True) -> str:
    """The title of a circles map (see `possessive` for ``drawn``).

    >>> title_for("Sam", dt.date(2025, 3, 3))
    "Sam's people, groups and places · 3 March 2025"
    """
    return f"{possessive(name, drawn=drawn)} people, groups and places \u00b7 {long_date(date)}"


def count(n: int, one: str, many: str | None = None) -> str:
    """A number and its noun, singular or plural.

    >>> count(1, "new connection"), count(4, "new connection"), count(2, "person", "people")
    ('1 new connection', '4 new connections', '2 people')
    """
    if n == 1:
        return f"1 {one}"
    return f"{n} {many if many is not None else one + 's'}"
