"""The circles map: one snapshot as the young person sees it.

The person is in the middle; three rings hold the people who are closest, close
and further out; eight slices hold the parts of life (family, partner & friends,
neighbours & community, education & work, online & other, professionals) and the
person's groups and places.  Each connection keeps its spot from one snapshot to the
next (see `socialcap.maps.layout`), so two maps can be laid side by side.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import matplotlib
from matplotlib.figure import Figure

from ._draw import RC, MapCanvas, marks_of, tie_pairs
from ._text import possessive, summary_line, title_for

if TYPE_CHECKING:  # pragma: no cover
    from ..graph import Snapshot

__all__ = ["circles", "summary_line"]


def circles(snapshot: Snapshot) -> Figure:
    """Draw one snapshot as a circles map (an A4-landscape matplotlib `~matplotlib.figure.Figure`).

    Parameters
    ----------
    snapshot
        One person's map on one date (`socialcap.Snapshot`).

    Returns
    -------
    matplotlib.figure.Figure
        The person in the middle (their name, or "Me"); rings for closeness 1–3;
        slices by part of life, with groups and places in slices of their own;
        shape by kind (● person, ■ group, ▲ place); colour by domain (Okabe–Ito);
        paid connections hollow; ties as light lines; ♥ beside those the person
        gives support to; names placed so they never overlap (at 150 connections
        some are left out, and the footnote says how many); a key in plain words;
        the date in the title.  Letters the bundled font cannot draw (emoji, some
        scripts) show as □, and then the footnote says so.  Save it with `socialcap.maps.save`.

    Notes
    -----
    The figure is not registered with pyplot, so drawing many maps never piles up
    open figures; Jupyter still shows it inline.  The same snapshot is drawn the
    same way every time.

    Examples
    --------
    >>> import pandas as pd, socialcap as sc
    >>> people = pd.DataFrame({"person_id": ["P1"], "name": ["Sam"]})
    >>> rows = pd.DataFrame({"person_id": "P1", "date": "2025-03-03", "connection_id": ["A"],
    ...                      "kind": "person", "domain": "family", "closeness": 1, "name": "Nan"})
    >>> fig = circles(sc.Cohort.from_tables(people, rows).snapshot("P1"))
    >>> fig.texts[0].get_text()
    "Sam's people, groups and places · 3 March 2025"
    """
    marks = marks_of(snapshot.connections)
    with matplotlib.rc_context(RC):
        canvas = MapCanvas(len(marks))
        canvas.draw_paper()
        canvas.draw_centre(snapshot.name)
        where = {cid: spot.point for cid, spot in canvas.spots(marks).items()}
        ties = tie_pairs(snapshot.ties)
        canvas.draw_ties(ties, where)
        canvas.draw_marks(marks, where)
        # The title first, so that no name is placed under it.
        canvas.title(title_for(snapshot.name, snapshot.date))
        canvas.place_labels(marks, where)
        canvas.saw(possessive(snapshot.name), snapshot.name)
        canvas.footnote([summary_line(snapshot), *canvas.notes()])
        canvas.draw_key(marks, ties=any(a in where and b in where for a, b in ties))
    return canvas.figure
