"""Where each connection sits on a map: a deterministic function of who it is.

A connection's sector comes from its kind and domain, its ring from its closeness,
and its place inside that cell of the circle from a hash of its ``connection_id``.
So the same connection lands on the same spot in every snapshot where its domain and
closeness are unchanged, and two maps can be compared by eye.  Only when two
connections would sit on top of each other are they nudged apart, by a fixed,
order-independent relaxation inside their own cell.

Examples
--------
>>> import pandas as pd
>>> rows = pd.DataFrame({"connection_id": ["A", "B"], "kind": ["person", "group"],
...                      "domain": ["family", "community"], "closeness": [1, None]})
>>> spots = layout(rows)
>>> sorted(spots)
['A', 'B']
>>> spots == layout(rows.iloc[::-1])
True
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ._style import RING_EDGES, Sector, sector_of

if TYPE_CHECKING:  # pragma: no cover
    from ..graph import Snapshot

__all__ = ["GHOST_GAP", "Spot", "TieCurve", "clear_of", "hope_spots", "layout", "ring_of", "spots_of", "clearance", "tie_curve", "unit_hash"]

Point = tuple[float, float]

#: Nearest two markers may be, in map units (a ring is about 0.85 wide).
MIN_GAP = 0.3
#: Nearest a ghost on a change map (a lost connection, or where an arrow starts) may be
#: to any other marker: wider than MIN_GAP, so an arrow never seems to start at
#: someone else's marker, its ring for "new" or its heart.
GHOST_GAP = 0.45
#: Keep clear of sector edges and ring edges so neighbouring cells never touch.
EDGE_MARGIN = 0.16
RING_MARGIN = 0.16
#: A tie never passes closer to the person than this: long ties bend around the middle.
TIE_CLEARANCE = 1.15


def unit_hash(text: str) -> tuple[float, float]:
    """Two numbers in [0, 1) fixed by ``text`` alone (the same in every run and on every machine).

    >>> unit_hash("C1") == unit_hash("C1")
    True
    """
    digest = hashlib.blake2b(text.encode("utf-8"), digest_size=8, person=b"socialcap-map").digest()
    a = int.from_bytes(digest[:4], "big") / 2**32
    b = int.from_bytes(digest[4:], "big") / 2**32
    return a, b


def ring_of(kind: str, closeness: object) -> int:
    """The ring (1 closest … 3 further out) a connection sits on.

    Groups and places whose closeness was not asked sit on the outer ring.

    >>> ring_of("group", None), ring_of("person", 1)
    (3, 1)
    """
    if closeness is None or pd.isna(closeness):  # type: ignore[arg-type]
        return 3
    return int(closeness)  # type: ignore[call-overload]


@dataclass(frozen=True)
class Spot:
    """Where one connection is drawn: map units, the person at (0, 0), up is north."""

    connection_id: str
    x: float
    y: float
    ring: int
    sector: Sector

    @property
    def point(self) -> Point:
        return (self.x, self.y)


@dataclass
class _Cell:
    sector: Sector
    ring: int

    @property
    def radius(self) -> float:
        return (RING_EDGES[self.ring - 1] + RING_EDGES[self.ring]) / 2

    def bounds(self) -> tuple[float, float, float, float]:
        """(arc low, arc high, radius low, radius high) in local units."""
        r = self.radius
        lo = math.radians(self.sector.start) * r + EDGE_MARGIN
        hi = math.radians(self.sector.end) * r - EDGE_MARGIN
        inner, outer = RING_EDGES[self.ring - 1], RING_EDGES[self.ring]
        width = outer - inner
        return lo, hi, inner + RING_MARGIN * width, outer - RING_MARGIN * width


def _relax(points: list[list[float]], cell: _Cell) -> None:
    """Push apart markers closer than the gap, in place, the same way every time.

    ``points`` are ``[arc, radius]`` pairs in the cell's local units; distances are
    measured on the page (true x, y), and every point stays inside its cell.
    """
    lo, hi, rlo, rhi = cell.bounds()
    n = len(points)
    if n < 2:
        return
    area = (hi - lo) * (rhi - rlo)
    # Hexagonal packing of n discs of diameter d needs about 0.866·n·d² of room.
    gap = min(MIN_GAP, 0.95 * math.sqrt(area / (0.866 * n)))
    ref = cell.radius

    def xy(p: list[float]) -> tuple[float, float]:
        angle = p[0] / ref
        return p[1] * math.sin(angle), p[1] * math.cos(angle)

    for _ in range(200):
        moved = False
        for i in range(n):
            for j in range(i + 1, n):
                (xi, yi), (xj, yj) = xy(points[i]), xy(points[j])
                dx, dy = xj - xi, yj - yi
                dist = math.hypot(dx, dy)
                if dist >= gap - 1e-9:
                    continue
                # Work in the local frame at the pair's middle: along the arc, and outward.
                mid_angle = (points[i][0] + points[j][0]) / (2 * ref)
                along = dx * math.cos(mid_angle) - dy * math.sin(mid_angle)
                out = dx * math.sin(mid_angle) + dy * math.cos(mid_angle)
                if dist < 1e-9:
                    along, out, dist = 1.0, 0.0, 1.0
                push = (gap - dist) / 2 + 1e-6
                ua, uo = along / dist, out / dist
                scale_i = ref / max(points[i][1], 1e-9)  # a step on the page is a longer step in arc units inside
                scale_j = ref / max(points[j][1], 1e-9)
                points[i][0] -= ua * push * scale_i
                points[i][1] -= uo * push
                points[j][0] += ua * push * scale_j
                points[j][1] += uo * push
                for p in (points[i], points[j]):
                    p[0] = min(max(p[0], lo), hi)
                    p[1] = min(max(p[1], rlo), rhi)
                moved = True
        if not moved:
            break


def spots_of(rows: Iterable[tuple[str, str, str, object]]) -> dict[str, Spot]:
    """Lay out ``(connection_id, kind, domain, closeness)`` rows; see `layout`."""
    cells: dict[tuple[str, int], tuple[_Cell, list[str]]] = {}
    for connection_id, kind, domain, closeness in sorted(rows, key=lambda r: str(r[0])):
        sector = sector_of(kind, domain)
        ring = ring_of(kind, closeness)
        key = (sector.key, ring)
        if key not in cells:
            cells[key] = (_Cell(sector, ring), [])
        cells[key][1].append(str(connection_id))
    spots: dict[str, Spot] = {}
    for cell, ids in cells.values():
        lo, hi, rlo, rhi = cell.bounds()
        points = []
        for cid in ids:
            u, v = unit_hash(cid)
            points.append([lo + u * (hi - lo), rlo + v * (rhi - rlo)])
        _relax(points, cell)
        for cid, (s, r) in zip(ids, points):
            angle = s / cell.radius  # compass radians, clockwise from the top
            spots[cid] = Spot(cid, r * math.sin(angle), r * math.cos(angle), cell.ring, cell.sector)
    return spots


#: Roughly where a heart (support given) sits from its marker on a printed map, in map
#: units: hopes keep clear of hearts as well as of markers.
HEART_OFFSET: Point = (0.17, 0.17)


def hope_spots(
    rows: Iterable[tuple[str, str, str, object]], taken: dict[str, Point], givers: Iterable[str] = ()
) -> dict[str, Spot]:
    """Lay out hopes in the slice and ring they would belong to, clear of the connections in ``taken``.

    The hopes are laid out among themselves as `spots_of` does, then each, in order
    of ``connection_id``, steps clear of every real connection, the heart beside
    each of ``givers`` (connections the person gives support to) and every hope
    placed before it (`clear_of`, with the markers' usual gap).  So a hope never
    moves a real connection: a map with hopes has everyone else exactly where the
    map without them has them.
    """
    spots = spots_of(rows)
    placed = [taken[c] for c in sorted(taken)]
    placed += [(taken[c][0] + HEART_OFFSET[0], taken[c][1] + HEART_OFFSET[1]) for c in sorted(set(givers)) if c in taken]
    out: dict[str, Spot] = {}
    for cid in sorted(spots):
        spot = spots[cid]
        x, y = clear_of(spot, placed, gap=MIN_GAP)
        out[cid] = Spot(cid, x, y, spot.ring, spot.sector)
        placed.append((x, y))
    return out


def _hope_rows(connections: pd.DataFrame) -> np.ndarray:
    if "hope" not in connections.columns:
        return np.zeros(len(connections), dtype=bool)
    return connections["hope"].to_numpy(dtype=bool, na_value=False)


def _rows(connections: pd.DataFrame) -> list[tuple[str, str, str, object]]:
    closeness = connections["closeness"] if "closeness" in connections else [None] * len(connections)
    return list(zip(connections["connection_id"], connections["kind"], connections["domain"], closeness))


def layout(connections: Snapshot | pd.DataFrame) -> dict[str, Point]:
    """Where each connection of a snapshot is drawn, in map units (the person at the centre).

    Parameters
    ----------
    connections
        A `~socialcap.Snapshot`, or a table with ``connection_id``, ``kind``,
        ``domain`` and ``closeness`` columns.

    Returns
    -------
    dict
        ``connection_id -> (x, y)``.  Ring edges are at radii 0.72 (the person),
        1.55 (closest), 2.4 (close) and 3.3 (further out); up is the top of the page.

    Notes
    -----
    Sector from kind and domain, ring from closeness (groups and places without
    one sit on the outer ring), and the spot inside that cell from a BLAKE2 hash of
    the ``connection_id``; markers closer than 0.3 are then pushed apart within
    their cell.  The result does not depend on the order of the rows.  Hopes (rows
    with ``hope`` true) sit in the slice and ring they would belong to (the outer
    ring when no closeness is wished for), placed after the real connections and
    clear of them (`hope_spots`), so they never move anyone.

    Examples
    --------
    >>> rows = pd.DataFrame({"connection_id": ["A"], "kind": ["person"],
    ...                      "domain": ["family"], "closeness": [1]})
    >>> x, y = layout(rows)["A"]
    >>> 0.72 < math.hypot(x, y) < 1.55, x >= 0 and y > 0  # closest ring, Family (top right)
    (True, True)
    """
    frame = connections if isinstance(connections, pd.DataFrame) else connections.connections
    hope = _hope_rows(frame)
    points = {cid: spot.point for cid, spot in spots_of(_rows(frame[~hope])).items()}
    if hope.any():  # hopes go where there is room, never moving a real connection
        real = frame[~hope]
        gives = real["support_given"].notna().to_numpy() if "support_given" in real else np.zeros(len(real), bool)
        givers = [str(c) for c in real["connection_id"][gives]]
        points.update({cid: spot.point for cid, spot in hope_spots(_rows(frame[hope]), points, givers).items()})
    return points


def _in_cell(point: Point, cell: _Cell) -> bool:
    lo, hi, rlo, rhi = cell.bounds()
    radius = math.hypot(*point)
    arc = math.radians(math.degrees(math.atan2(point[0], point[1])) % 360) * cell.radius
    return lo <= arc <= hi and rlo <= radius <= rhi


def _in_ring(point: Point, ring: int) -> bool:
    inner, outer = RING_EDGES[ring - 1], RING_EDGES[ring]
    margin = RING_MARGIN * (outer - inner)
    return inner + margin <= math.hypot(*point) <= outer - margin


def clear_of(spot: Spot, taken: Sequence[Point], gap: float = GHOST_GAP) -> Point:
    """Where to draw a ghost (an old spot on a change map) so it is not on or right by any of ``taken``.

    The spot itself when every point of ``taken`` is at least ``gap`` away;
    otherwise the first clear point met on circles of radius 0.025, 0.05, … 1.0
    around it, each tried in 24 directions, starting straight away from the
    nearest point of ``taken`` and turning alternately either way.  A point inside
    the spot's own cell (its slice and ring) is preferred, then one anywhere in its
    ring; if none is clear, the point of its ring furthest from all of ``taken``.
    Nothing else moves, and the answer depends on the points alone, not their order.

    >>> from socialcap.maps._style import sector_of
    >>> ghost = Spot("C1", 0.0, 2.0, 2, sector_of("person", "family"))
    >>> clear_of(ghost, [(0.5, 2.0)]) == ghost.point
    True
    >>> x, y = clear_of(ghost, [(0.05, 2.0)])
    >>> math.hypot(x - 0.05, y - 2.0) >= GHOST_GAP
    True
    """
    if not len(taken):
        return spot.point
    others = np.array(sorted(taken), dtype=float).reshape(-1, 2)

    def nearest(point: Point) -> float:
        return float(np.min(np.hypot(others[:, 0] - point[0], others[:, 1] - point[1])))

    if nearest(spot.point) >= gap - 1e-9:
        return spot.point
    distances = np.hypot(others[:, 0] - spot.x, others[:, 1] - spot.y)
    ox, oy = others[int(np.argmin(distances))]
    if math.hypot(spot.x - ox, spot.y - oy) < 1e-9:
        start = math.atan2(spot.y, spot.x)  # right on top: step straight outward
    else:
        start = math.atan2(spot.y - oy, spot.x - ox)
    turns = [0] + [t for k in range(1, 12) for t in (k, -k)] + [12]
    candidates = [
        (spot.x + step * 0.025 * math.cos(start + t * math.pi / 12),
         spot.y + step * 0.025 * math.sin(start + t * math.pi / 12))
        for step in range(1, 41) for t in turns
    ]
    cell = _Cell(spot.sector, spot.ring)
    for fits in (lambda p: _in_cell(p, cell), lambda p: _in_ring(p, spot.ring)):
        for point in candidates:
            if fits(point) and nearest(point) >= gap - 1e-9:
                return point
    in_ring = [p for p in candidates if _in_ring(p, spot.ring)] or candidates
    return max(in_ring, key=nearest)


@dataclass(frozen=True)
class TieCurve:
    """How a tie is drawn: a quadratic curve from one end to the other through ``control``.

    ``vis`` is the matching vis-network ``smooth`` setting (``False`` for straight),
    so the interactive map bends each tie exactly as the printed map does.
    """

    control: Point
    vis: dict[str, object] | bool

    def points(self, a: Point, b: Point, n: int = 24) -> list[Point]:
        """``n`` points along the curve from ``a`` to ``b``."""
        if self.vis is False:
            return [a, b]
        out = []
        for k in range(n + 1):
            t = k / n
            u = 1 - t
            out.append((u * u * a[0] + 2 * u * t * self.control[0] + t * t * b[0],
                        u * u * a[1] + 2 * u * t * self.control[1] + t * t * b[1]))
        return out


def _vis_control(a: Point, b: Point, kind: str, roundness: float) -> Point:
    # vis-network 9.1.2's own formula (Edge._getViaCoordinates) in screen coordinates
    # (y down), so that the curve drawn here is the curve the browser draws.
    fx, fy, tx, ty = a[0], -a[1], b[0], -b[1]
    o, r = tx - fx, fy - ty
    length = math.hypot(o, r)
    k = 0.5 * roundness + 0.5
    turn = k if kind == "curvedCW" else 0.5 * -roundness + 0.5
    g = (math.atan2(r, o) + turn * math.pi) % (2 * math.pi)
    return fx + k * length * math.sin(g), -(fy + k * length * math.cos(g))


def clearance(a: Point, b: Point) -> float:
    """How far from the person a tie between ``a`` and ``b`` must stay: 1.15, or less
    for two connections that are themselves nearer the middle than that."""
    return min(TIE_CLEARANCE, 0.85 * min(math.hypot(*a), math.hypot(*b)))


def _closest_approach(a: Point, b: Point) -> float:
    dx, dy = b[0] - a[0], b[1] - a[1]
    length2 = dx * dx + dy * dy
    t = 0.0 if length2 == 0 else max(0.0, min(1.0, -(a[0] * dx + a[1] * dy) / length2))
    return math.hypot(a[0] + t * dx, a[1] + t * dy)


def tie_curve(a: Point, b: Point) -> TieCurve:
    """The curve of a tie between two spots: straight, unless it would cut across the middle.

    A tie whose straight line passes closer to the person than `clearance` is
    bent, just enough, to the side that takes it around them, so ties never look
    like lines from the person.

    >>> tie_curve((1.0, 2.0), (1.5, 2.0)).vis
    False
    >>> curve = tie_curve((-2.0, 0.1), (2.0, 0.0))
    >>> min(math.hypot(*p) for p in curve.points((-2.0, 0.1), (2.0, 0.0))) >= 1.15
    True
    """
    mid = ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2)
    needed = clearance(a, b)
    if _closest_approach(a, b) >= needed or a == b:
        return TieCurve(mid, False)
    best, best_gap = TieCurve(mid, False), _closest_approach(a, b)
    for step in range(1, 41):
        roundness = step * 0.025
        for kind in ("curvedCW", "curvedCCW"):
            curve = TieCurve(_vis_control(a, b, kind, roundness),
                             {"enabled": True, "type": kind, "roundness": round(roundness, 3)})
            gap = min(math.hypot(*p) for p in curve.points(a, b, 32))
            if gap >= needed:
                return curve
            if gap > best_gap:
                best, best_gap = curve, gap
    return best
