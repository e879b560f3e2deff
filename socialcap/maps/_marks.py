"""The connections of a map as they will be drawn (`Mark`), its ties, and the colours
of outlines and hopes: what the circles map, the change map and the interactive map
share.  No drawing here, so the interactive map needs no matplotlib figure."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from matplotlib.colors import to_rgb

from .. import vocab
from ._style import HOPE_TINT
from ._text import display_text

__all__ = ["Mark", "darker", "marks_of", "tie_pairs", "tint"]


def darker(colour: str, factor: float = 0.72) -> tuple[float, float, float]:
    """The colour with each channel scaled down, for outlines that stay visible on white."""
    r, g, b = to_rgb(colour)
    return (r * factor, g * factor, b * factor)


def tint(colour: str, keep: float = HOPE_TINT) -> tuple[float, float, float]:
    """The colour mixed with white, keeping ``keep`` of it: the pale fill of a hope."""
    r, g, b = to_rgb(colour)
    return (1 - keep * (1 - r), 1 - keep * (1 - g), 1 - keep * (1 - b))


@dataclass(frozen=True)
class Mark:
    """One connection as it is drawn.

    ``state`` is ``"plain"`` on a circles map; on a change map ``"new"``, ``"lost"``
    or ``"plain"`` (kept).  ``rank`` orders the names: lower ranks are placed first.
    ``source`` is the name as given (or the id), to tell a square the font put in
    from one in the data.  ``hope`` marks a hope (someone or something the person
    would like in their life); ``came_true`` a connection that was a hope on the
    earlier map of a change map.
    """

    connection_id: str
    kind: str
    domain: str
    closeness: object
    paid: bool
    gives: bool
    label: str
    state: str = "plain"
    rank: tuple = ()
    source: object = None
    hope: bool = False
    came_true: bool = False


def _is_given(value: object) -> bool:
    return isinstance(value, str) and value.strip() != ""


def _rank(kind: str, closeness: object, gives: bool, label: str, state: str = "plain", hope: bool = False) -> tuple:
    # Who gets a name first when space runs out: new ones on a change map, then the
    # closest rings, people before groups and places, those the person supports;
    # hopes after everyone who is there.
    ring = 3 if closeness is None or pd.isna(closeness) else int(closeness)  # type: ignore[call-overload, arg-type]
    state_order = {"new": 0, "plain": 1, "lost": 2}[state] + (0.5 if hope else 0)
    return (state_order, ring, vocab.KINDS.index(kind), not gives, label.casefold())


def marks_of(connections: pd.DataFrame, state: str = "plain", came_true: Iterable[str] = ()) -> list[Mark]:
    """One `Mark` per row of a snapshot's connections table (``came_true``: ids of hopes that came true)."""
    came_true = set(came_true)
    out = []
    for row in connections.itertuples(index=False):
        cid = str(row.connection_id)
        raw = getattr(row, "name", None)
        name = display_text(raw)
        label = name or cid
        gives = _is_given(getattr(row, "support_given", None))
        paid = bool(getattr(row, "paid", False))
        closeness = getattr(row, "closeness", None)
        hope = getattr(row, "hope", False) is True or getattr(row, "hope", False) is np.True_
        out.append(
            Mark(cid, row.kind, row.domain, closeness, paid and not hope, gives and not hope, label, state,
                 _rank(row.kind, closeness, gives, label, state, hope), raw if name else cid,
                 hope, cid in came_true)
        )
    return out


def tie_pairs(ties: pd.DataFrame) -> list[tuple[str, str]]:
    """A snapshot's ties as sorted id pairs, each once, in a fixed order."""
    pairs = {tuple(sorted((str(s), str(t)))) for s, t in zip(ties["source"], ties["target"])}
    return sorted(pairs)  # type: ignore[arg-type]
