"""The words on a map: names made safe to draw, dates, titles and counts in plain English."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from functools import lru_cache
from typing import TYPE_CHECKING

import pandas as pd
from matplotlib import font_manager
from matplotlib.ft2font import FT2Font

from .._words import count, long_date
from ._style import FONT_FAMILY

if TYPE_CHECKING:  # pragma: no cover
    from ..graph import Snapshot

__all__ = [
    "count",
    "display_text",
    "long_date",
    "possessive",
    "shorten",
    "squares_in",
    "summary_line",
    "title_for",
]

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


def summary_line(snapshot: Snapshot) -> str:
    """Who is on the map, in words: "5 people, 2 groups and 1 place · you give support to 3 of them".

    Hopes are not counted among them; when there are any, the line ends "· 2 hopes
    for the future".

    >>> import pandas as pd, socialcap as sc
    >>> people = pd.DataFrame({"person_id": ["P1"]})
    >>> rows = pd.DataFrame({"person_id": "P1", "date": "2025-03-03", "connection_id": ["A", "B"],
    ...                      "kind": ["person", "place"], "domain": ["friend", "community"],
    ...                      "closeness": [1, None], "support_given": ["company", None]})
    >>> summary_line(sc.Cohort.from_tables(people, rows).snapshot("P1"))
    '1 person and 1 place · you give support to 1 of them'
    """
    rows = snapshot.real_connections
    hopes = len(snapshot.connections) - len(rows)
    hoped = f"{count(hopes, 'hope')} for the future" if hopes else ""
    if rows.empty:
        return "Nobody is on this map yet." + (f" \u00b7 {hoped}" if hopes else "")
    kinds = rows["kind"].value_counts()
    parts = [
        count(int(kinds.get(kind, 0)), one, many)
        for kind, one, many in (("person", "person", "people"), ("group", "group", "groups"),
                                ("place", "place", "places"))
        if kinds.get(kind, 0)
    ]
    words = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    gives = int(rows["support_given"].notna().sum())
    if gives:
        words += f" \u00b7 you give support to {gives} of them"
    if hopes:
        words += f" \u00b7 {hoped}"
    return words
