"""From the API's JSON to the model and the maps, and back.

The page draws the map with the positions `socialcap.maps.layout` computes (so the
screen and the printed map agree to the pixel), the tie curves of
`socialcap.maps._layout.tie_curve`, and the rings, slices, colours and words of
`socialcap.maps._style` and `socialcap.vocab`.  Saves pass the one validator (the
store's); a layout request is only checked for the four columns the layout reads.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any

import pandas as pd

from .. import vocab
from .._exceptions import Problem, ValidationError
from ..cohort import Cohort
from ..graph import Snapshot

__all__ = ["layout_answer", "map_style", "snapshot_object"]

#: Most connections one layout request may hold (a map "stays readable with 150").
MAX_CONNECTIONS = 2000


def snapshot_object(person: Mapping[str, Any], snapshot: Mapping[str, Any]) -> Snapshot:
    """A stored snapshot (as `Store.snapshot` returns it) as a `socialcap.Snapshot`.

    Examples
    --------
    >>> snap = snapshot_object({"person_id": "P1", "name": "Sam"},
    ...     {"person_id": "P1", "date": "2025-03-03", "version": 1, "answers": {},
    ...      "connections": [{"connection_id": "A", "kind": "person", "domain": "family", "closeness": 1}],
    ...      "ties": []})
    >>> snap
    <Snapshot P1 2025-03-03: 1 connections, 0 ties>
    """
    person_id, date = snapshot["person_id"], snapshot["date"]
    key = {"person_id": person_id, "date": date}
    people = pd.DataFrame([{**{k: v for k, v in person.items() if v is not None}, "person_id": person_id}])
    connections = pd.DataFrame([{**row, **key} for row in snapshot.get("connections", [])],
                               columns=None if snapshot.get("connections") else ["person_id", "date", "connection_id",
                                                                                   "kind", "domain"])
    ties = pd.DataFrame([{**row, **key} for row in snapshot.get("ties", [])],
                        columns=None if snapshot.get("ties") else ["person_id", "date", "source", "target"])
    answers = pd.DataFrame([{**key, **snapshot.get("answers", {})}])
    cohort = Cohort.from_tables(people, connections, ties, answers)
    return cohort.snapshot(person_id, date)


def layout_answer(body: Any) -> dict[str, Any]:
    """Positions of connections and curves of ties for the page.

    ``body`` is ``{"connections": [{connection_id, kind, domain, closeness}, ...],
    "ties": [{source, target}, ...]}`` (other columns are ignored).  Returns
    ``{"positions": {id: [x, y]}, "ties": [{"source", "target", "control": [x, y] or
    None}]}`` in map units (the person at 0, 0; up is up): exactly
    `socialcap.maps.layout` and the printed map's tie curves.  Raises
    `ValidationError` naming the row and column of a kind, domain or closeness
    outside the vocabulary, or of a missing or repeated ``connection_id``.

    Notes
    -----
    The layout places each cell of the circle (one slice, one ring) on its own, so
    each cell is computed once and remembered: a move recomputes only the two cells
    it touches, which keeps a drag on a 150-connection map quick.

    Examples
    --------
    >>> answer = layout_answer({"connections": [
    ...     {"connection_id": "A", "kind": "person", "domain": "family", "closeness": 1},
    ...     {"connection_id": "B", "kind": "person", "domain": "online", "closeness": 3}],
    ...     "ties": [{"source": "A", "target": "B"}]})
    >>> sorted(answer["positions"]), answer["ties"][0]["control"] is not None
    (['A', 'B'], True)
    """
    from ..maps._layout import ring_of
    from ..maps._style import sector_of

    from ..maps._layout import hope_spots

    rows = _layout_rows(body)
    hopes, givers = _hopes_and_givers(body)
    cells: dict[tuple[str, int], list[tuple[str, str, str, int | None]]] = {}
    for row in rows:
        if row[0] not in hopes:
            cells.setdefault((sector_of(row[1], row[2]).key, ring_of(row[1], row[3])), []).append(row)
    spots: dict[str, tuple[float, float]] = {}
    for members in cells.values():
        spots.update(_cell_spots(tuple(sorted(members, key=lambda r: (r[0], r[1], r[2], r[3] or 0)))))
    if hopes:  # as `socialcap.maps.layout`: after the real connections, clear of them, moving no one
        hope_rows = [row for row in rows if row[0] in hopes]
        spots.update({cid: spot.point for cid, spot in hope_spots(hope_rows, dict(spots), givers).items()})
    positions = {cid: [round(x, 6), round(y, 6)] for cid, (x, y) in spots.items()}
    ties = []
    for tie in body.get("ties", []):
        if not isinstance(tie, dict):
            continue
        a, b = str(tie.get("source")), str(tie.get("target"))
        if a in spots and b in spots and a != b:
            ties.append({"source": a, "target": b, "control": _control(spots[a], spots[b])})
    return {"positions": positions, "ties": ties}


def _true(value: Any) -> bool:
    """A JSON ``hope`` value as the store reads it (true, 1 or "true")."""
    return value is True or (not isinstance(value, bool) and str(value).strip().lower() in {"1", "true"})


def _hopes_and_givers(body: dict[str, Any]) -> tuple[set[str], list[str]]:
    """The ids of the hopes, and of the real connections the person gives support to."""
    hopes: set[str] = set()
    givers: list[str] = []
    for row in body.get("connections", []):
        cid = str(row.get("connection_id"))
        if _true(row.get("hope")):
            hopes.add(cid)
        elif row.get("support_given") not in (None, "", []):
            givers.append(cid)
    return hopes, givers


@lru_cache(maxsize=4096)
def _cell_spots(rows: tuple[tuple[str, str, str, int | None], ...]) -> dict[str, tuple[float, float]]:
    """`socialcap.maps` layout of the connections of one cell (one slice, one ring)."""
    from ..maps._layout import spots_of

    return {cid: spot.point for cid, spot in spots_of(rows).items()}


@lru_cache(maxsize=16384)
def _control(a: tuple[float, float], b: tuple[float, float]) -> list[float] | None:
    """The control point of the printed map's curve for a tie from ``a`` to ``b`` (None: straight)."""
    from ..maps._layout import tie_curve

    curve = tie_curve(a, b)
    return None if curve.vis is False else [round(curve.control[0], 6), round(curve.control[1], 6)]


def _layout_rows(body: Any) -> list[tuple[str, str, str, int | None]]:
    """``(connection_id, kind, domain, closeness)`` of each connection, or every problem."""
    where = "the layout request"
    if not isinstance(body, dict) or not isinstance(body.get("connections", []), list) \
            or not isinstance(body.get("ties", []), list):
        raise ValidationError([Problem("connections", None, None,
                                       'send {"connections": [...], "ties": [...]}')], source=where)
    given = body.get("connections", [])
    if len(given) > MAX_CONNECTIONS:
        raise ValidationError([Problem("connections", None, None,
                                       f"a map holds at most {MAX_CONNECTIONS} connections")], source=where)
    problems: list[Problem] = []
    rows: list[tuple[str, str, str, int | None]] = []
    seen: set[str] = set()
    for number, row in enumerate(given, start=2):
        if not isinstance(row, dict):
            problems.append(Problem("connections", number, None, "each row must be a JSON object"))
            continue
        cid, kind, domain, closeness = (row.get(c) for c in ("connection_id", "kind", "domain", "closeness"))
        if not isinstance(cid, (str, int)) or isinstance(cid, bool) or str(cid).strip() == "":
            problems.append(Problem("connections", number, "connection_id", "connection_id is missing"))
        elif str(cid) in seen:
            problems.append(Problem("connections", number, "connection_id", f"connection_id {cid!r} is repeated"))
        if kind not in vocab.KINDS:
            problems.append(Problem("connections", number, "kind",
                                    f"kind {kind!r} is not one of: {', '.join(vocab.KINDS)}"))
        if domain not in vocab.DOMAINS:
            problems.append(Problem("connections", number, "domain",
                                    f"domain {domain!r} is not one of: {', '.join(vocab.DOMAINS)}"))
        if closeness in ("", None):
            closeness = None
        elif isinstance(closeness, bool) or str(closeness) not in {str(c) for c in vocab.CLOSENESS}:
            problems.append(Problem("connections", number, "closeness",
                                    f"closeness {closeness!r} is not one of: 1, 2, 3"))
        else:
            closeness = int(closeness)
        seen.add(str(cid))
        rows.append((str(cid), str(kind), str(domain), closeness))  # type: ignore[arg-type]
    if problems:
        raise ValidationError(problems, source=where)
    return rows


def map_style() -> dict[str, Any]:
    """The look and the words of the map, for the page: the same as the printed map's.

    >>> style = map_style()
    >>> style["ring_edges"], len(style["sectors"])
    ([0.72, 1.55, 2.4, 3.3], 8)
    """
    from ..maps import _style as style

    return {
        "ring_edges": list(style.RING_EDGES),
        "ring_fills": list(style.RING_FILLS),
        "sectors": [{"key": s.key, "label": s.label, "kind": s.kind, "domains": list(s.domains),
                     "start": s.start, "end": s.end} for s in style.SECTORS],
        "domain_colours": style.DOMAIN_COLOURS,
        "centre_colour": style.CENTRE_COLOUR,
        "tie_colour": style.TIE_COLOUR,
        "heart": style.HEART,
        "heart_colour": style.HEART_COLOUR,
        "hope_tint": style.HOPE_TINT,
        "hope_star_scale": style.HOPE_STAR_SCALE,
        "hope_words": vocab.HOPE_WORDS,
        "kinds": list(vocab.KINDS),
        "kind_labels": style.KIND_LABELS,
        "domains": list(vocab.DOMAINS),
        "domain_labels": vocab.DOMAIN_LABELS,
        "closeness_labels": {str(k): v for k, v in vocab.CLOSENESS_LABELS.items()},
        "contact": list(vocab.CONTACT),
        "contact_labels": vocab.CONTACT_LABELS,
        "support_types": list(vocab.SUPPORT_TYPES),
        "support_labels": vocab.SUPPORT_LABELS,
        "ucla_items": list(vocab.UCLA_ITEMS),
        "ucla_values": list(vocab.UCLA_VALUES),
        "ons_lonely": list(vocab.ONS_LONELY),
        "professional_paid": vocab.default_paid("professional"),
    }
