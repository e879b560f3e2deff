"""The change map: two snapshots of one person in one picture.

New connections stand out (a bold ring and a bold name), lost ones are ghosted
where they used to be, kept ones are drawn plainly, and an arrow shows each person
who moved closer (bold) or further away (dashed).  Everyone there now sits exactly
where the later circles map puts them, so the change map lines up with it; a ghost
(a lost connection, or where an arrow starts) sits where the earlier map had it,
unless that is on or right by a marker of now: then it alone steps aside
(`socialcap.maps._layout.clear_of`), so an arrow never seems to start at someone else.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import matplotlib
from matplotlib.figure import Figure

from ..change import Change, compare
from ._draw import RC, MapCanvas, marks_of, tie_pairs
from ._layout import Point, _rows, clear_of, layout, spots_of
from ._text import count, long_date, possessive

if TYPE_CHECKING:  # pragma: no cover
    from ..graph import Snapshot

__all__ = ["caption", "change", "change_spots", "change_title"]


def caption(change: Change) -> str:
    """The change counted in words.

    "4 new connections, 1 lost, 2 closer", with ", 1 further away" when someone
    moved out and ", 2 hopes came true" when hopes came true.

    >>> import pandas as pd, socialcap as sc
    >>> people = pd.DataFrame({"person_id": ["P1"]})
    >>> rows = pd.DataFrame({"person_id": "P1", "date": ["2025-01-01", "2025-01-01", "2025-07-01"],
    ...                      "connection_id": ["A", "B", "A"], "kind": "person",
    ...                      "domain": "friend", "closeness": [2, 1, 1]})
    >>> timeline = sc.Cohort.from_tables(people, rows).timeline("P1")
    >>> caption(sc.compare(*timeline.snapshots))
    '0 new connections, 1 lost, 1 closer'
    """
    words = [
        count(len(change.gained), "new connection"),
        f"{len(change.lost)} lost",
        f"{len(change.moved_closer)} closer",
    ]
    if change.moved_away:
        words.append(f"{len(change.moved_away)} further away")
    if change.hopes_realised:
        n = len(change.hopes_realised)
        words.append(f"{n} {'hope' if n == 1 else 'hopes'} came true")
    return ", ".join(words)


def change_title(change: Change, *, drawn: bool = True) -> str:
    """The title of a change map: "How Sam's people, groups and places changed · 3 March 2025 → 1 September 2025".

    ``drawn`` as for `socialcap.maps._text.possessive`.
    """
    whose = possessive(change.after.name, drawn=drawn)
    whose = "my" if whose == "My" else whose
    dates = f"{long_date(change.before.date)} \u2192 {long_date(change.after.date)}"
    return f"How {whose} people, groups and places changed \u00b7 {dates}"


def change_spots(change: Change) -> tuple[dict[str, Point], dict[str, Point]]:
    """Where a change map draws everyone: ``(now, was)``, in map units.

    ``now`` has every connection of the later snapshot exactly where its own
    circles map puts it (`layout` of that snapshot alone, so lost ones never push
    kept ones), and every lost connection where the earlier map had it.  ``was``
    has, for each person who moved closer or further away, where the earlier map
    had them (the start of the arrow).  A ghost (lost, or the start of an arrow)
    that lands on or right by a marker of now is moved off it by `clear_of`: the
    ghosts that are clear stay put, then the others are moved, in order of
    ``connection_id``, keeping clear of every marker and every other ghost.

    >>> import pandas as pd, socialcap as sc
    >>> people = pd.DataFrame({"person_id": ["P1"]})
    >>> rows = pd.DataFrame({"person_id": "P1", "date": ["2025-01-01", "2025-01-01", "2025-07-01"],
    ...                      "connection_id": ["A", "B", "A"], "kind": "person",
    ...                      "domain": "friend", "closeness": [2, 1, 1]})
    >>> timeline = sc.Cohort.from_tables(people, rows).timeline("P1")
    >>> now, was = change_spots(sc.compare(*timeline.snapshots))
    >>> sorted(now), sorted(was), now["A"] == layout(timeline.snapshots[1])["A"]
    (['A', 'B'], ['A'], True)
    """
    now = layout(change.after)
    before = spots_of(_rows(change.before.real_connections))
    ghosts = sorted({*_ghosts(change), *change.moved_closer, *change.moved_away})
    markers = list(now.values())
    # Ghosts already clear of every marker keep the earlier map's spot; the others then step aside.
    placed = {cid: before[cid].point for cid in ghosts if clear_of(before[cid], markers) == before[cid].point}
    for cid in ghosts:
        if cid not in placed:
            placed[cid] = clear_of(before[cid], markers + [placed[c] for c in sorted(placed)])
    for cid in _ghosts(change):
        now[cid] = placed[cid]
    was = {cid: placed[cid] for cid in (*change.moved_closer, *change.moved_away)}
    return now, was


def _ghosts(change: Change) -> tuple[str, ...]:
    """The lost connections drawn as ghosts: all but those that became hopes (drawn as hopes instead)."""
    hoped = set(change.after.hopes["connection_id"])
    return tuple(cid for cid in change.lost if cid not in hoped)


def _as_change(a: Snapshot | Change, b: Snapshot | None) -> Change:
    if isinstance(a, Change):
        if b is not None:
            raise TypeError("give either a Change, or two snapshots (earlier first), not both")
        return a
    if b is None:
        raise TypeError("give two snapshots of the same person (earlier first), or a Change from socialcap.compare")
    return compare(a, b)


def change(a: Snapshot | Change, b: Snapshot | None = None) -> Figure:
    """Draw what changed between two snapshots of one person, in one picture.

    Parameters
    ----------
    a, b
        Two snapshots of the same person, the earlier first; or one
        `~socialcap.Change` from `socialcap.compare` (then leave ``b`` out).

    Returns
    -------
    matplotlib.figure.Figure
        An A4-landscape circles map of the later snapshot, plus the connections
        that were lost (ghosted, at the place they had).  New connections have a
        bold ring and a bold name; kept ones are plain; an arrow runs from where a
        person was to where they are now: solid for closer, dashed for further
        away.  Ties that went are dotted.  Hopes are drawn as on the circles map,
        and a hope that came true is new with a gold ✦.  Under the title a caption
        counts the change in words: "4 new connections, 1 lost, 2 closer, 1 hope came true".

    Examples
    --------
    >>> import pandas as pd, socialcap as sc
    >>> people = pd.DataFrame({"person_id": ["P1"], "name": ["Sam"]})
    >>> rows = pd.DataFrame({"person_id": "P1", "date": ["2025-03-03", "2025-09-01", "2025-09-01"],
    ...                      "connection_id": ["A", "A", "B"], "kind": "person",
    ...                      "domain": "friend", "closeness": [2, 1, 3]})
    >>> timeline = sc.Cohort.from_tables(people, rows).timeline("P1")
    >>> fig = change(timeline.snapshots[0], timeline.snapshots[1])
    >>> fig.texts[1].get_text()
    '1 new connection, 0 lost, 1 closer'
    """
    found = _as_change(a, b)
    before, after = found.before, found.after
    gained, lost = set(found.gained), set(_ghosts(found))
    after_rows = after.connections
    lost_rows = before.connections[before.connections["connection_id"].isin(lost)]
    marks = [
        *marks_of(after_rows[after_rows["connection_id"].isin(gained)], "new", came_true=found.hopes_realised),
        *marks_of(after_rows[~after_rows["connection_id"].isin(gained)], "plain"),
        *marks_of(lost_rows, "lost"),
    ]
    with matplotlib.rc_context(RC):
        canvas = MapCanvas(len(marks))
        canvas.draw_paper()
        canvas.draw_centre(after.name)
        where, was = change_spots(found)
        ties_after = tie_pairs(after.ties)
        ties_gone = sorted(set(tie_pairs(before.ties)) - set(ties_after))
        canvas.draw_ties(ties_gone, where, ghost=True)
        canvas.draw_ties(ties_after, where)
        moves = [(was[c], where[c], True) for c in found.moved_closer]
        moves += [(was[c], where[c], False) for c in found.moved_away]
        canvas.draw_moves(moves)
        canvas.draw_marks(marks, where)
        # The title first, so that no name is placed under it.
        canvas.title(change_title(found), caption(found))
        canvas.place_labels(marks, where)
        since = long_date(before.date)
        canvas.saw(possessive(after.name), after.name)
        canvas.footnote(canvas.notes())
        extra = [("new", f"New since {since}"), ("came_true", "A hope that came true"),
                 ("lost", f"Lost since {since}"), ("closer", "Moved closer"), ("away", "Moved further away")]
        shown = {"new": found.gained, "came_true": found.hopes_realised, "lost": lost,
                 "closer": found.moved_closer, "away": found.moved_away}
        canvas.draw_key(
            marks, ties=any(a in where and b in where for a, b in [*ties_after, *ties_gone]),
            extra=[(look, words) for look, words in extra if shown[look]],
        )
    return canvas.figure
