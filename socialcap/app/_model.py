"""From the API's JSON to the model and the maps, and back.

The page draws the map with the positions `socialcap.maps.layout` computes (so the
screen and the printed map agree to the pixel), the tie curves of
`socialcap.maps._layout.tie_curve`, and the rings, slices, colours and words of
`socialcap.maps._style` and `socialcap.vocab`.  Everything passes the one validator
(`socialcap.Cohort.from_tables`), so the page can rely on no rule of its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from .. import vocab
from .._exceptions import Problem, ValidationError
from ..cohort import Cohort
from ..graph import Snapshot

__all__ = ["layout_answer", "map_style", "snapshot_object"]

#: Most connections one layout request may hold (a map "stays readable with 150").
MAX_CONNECTIONS = 2000
_LAYOUT_COLUMNS = ("connection_id", "kind", "domain", "closeness", "name", "support_given", "paid")
#: The page draws markers about this big, and names in this size, in map units x 100.
_MARKER, _FONT, _SCALE = 13.0, 13.0, 100.0


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

    ``body`` is ``{"connections": [{connection_id, kind, domain, closeness, name?,
    support_given?, paid?}, ...], "ties": [{source, target}, ...]}``.  Returns
    ``{"positions": {id: [x, y]}, "ties": [{"source", "target", "control": [x, y] or
    None}], "labels": {id: {"text", "place": "below" | "above" | "crowded"}}}`` in map units (the person
    at 0, 0; up is up).  Names are placed as on the interactive map: in the printed
    map's order of importance, below the marker if free, else above, else "crowded"
    (shown when the marker is chosen or hovered).  Raises `ValidationError` for rows
    the validator refuses.

    Examples
    --------
    >>> answer = layout_answer({"connections": [
    ...     {"connection_id": "A", "kind": "person", "domain": "family", "closeness": 1},
    ...     {"connection_id": "B", "kind": "person", "domain": "online", "closeness": 3}],
    ...     "ties": [{"source": "A", "target": "B"}]})
    >>> sorted(answer["positions"]), answer["ties"][0]["control"] is not None, answer["labels"]["A"]
    (['A', 'B'], True, {'text': 'A', 'place': 'below'})
    """
    from ..maps import layout
    from ..maps._layout import tie_curve

    if not isinstance(body, dict) or not isinstance(body.get("connections", []), list) \
            or not isinstance(body.get("ties", []), list):
        raise ValidationError([Problem("connections", None, None,
                                       "send {\"connections\": [...], \"ties\": [...]}")], source="the layout request")
    rows = body.get("connections", [])
    if len(rows) > MAX_CONNECTIONS:
        raise ValidationError([Problem("connections", None, None,
                                       f"a map holds at most {MAX_CONNECTIONS} connections")], source="the layout request")
    problems = [Problem("connections", n, None, "each row must be a JSON object")
                for n, row in enumerate(rows, start=2) if not isinstance(row, dict)]
    if problems:
        raise ValidationError(problems, source="the layout request")
    key = {"person_id": "P", "date": "2000-01-01"}
    frame = pd.DataFrame([{**{c: row.get(c) for c in _LAYOUT_COLUMNS if row.get(c) is not None}, **key}
                          for row in rows], columns=[*_LAYOUT_COLUMNS, *key])
    cohort = Cohort.from_tables(pd.DataFrame([{"person_id": "P"}]), frame,
                                snapshots=pd.DataFrame([key]))
    spots = layout(cohort.connections) if len(cohort.connections) else {}
    positions = {str(cid): [round(x, 6), round(y, 6)] for cid, (x, y) in spots.items()}
    ties = []
    for tie in body.get("ties", []):
        if not isinstance(tie, dict):
            continue
        a, b = str(tie.get("source")), str(tie.get("target"))
        if a in spots and b in spots and a != b:
            curve = tie_curve(spots[a], spots[b])
            control = None if curve.vis is False else [round(curve.control[0], 6), round(curve.control[1], 6)]
            ties.append({"source": a, "target": b, "control": control})
    return {"positions": positions, "ties": ties, "labels": _labels(cohort.connections, spots)}


def _labels(connections: pd.DataFrame, spots: dict[str, tuple[float, float]]) -> dict[str, dict[str, str]]:
    """Each name as drawn (shortened as on the printed map) and where it goes: the
    interactive map's placement, at the page's sizes."""
    from ..maps._draw import marks_of
    from ..maps._html import _place_names
    from ..maps._text import shorten

    items = []
    marks = marks_of(connections)
    texts = [shorten(mark.label) for mark in marks]
    for number, mark in enumerate(marks):
        x, y = spots[mark.connection_id]
        items.append((mark.rank, number, x * _SCALE, -y * _SCALE, _MARKER, texts[number], _FONT))
    placed = _place_names(items)
    return {mark.connection_id: {"text": texts[number], "place": placed[number]} for number, mark in enumerate(marks)}


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
