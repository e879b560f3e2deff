"""How the maps look: sectors, rings, colours and marker shapes, defined once.

The circles map (matplotlib), the change map and the interactive map (vis-network)
all read these, so a connection looks the same in every picture.

Colours follow Okabe & Ito (2008), a palette that stays distinguishable for the
common kinds of colour blindness; because colour is never the only cue, every
sector is also named on the map, each kind has its own shape and paid connections
are hollow.

References
----------
Okabe, M. & Ito, K. (2008). Color Universal Design (CUD): how to make figures and
presentations that are friendly to colorblind people. https://jfly.uni-koeln.de/color/
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import vocab

__all__ = [
    "A4_LANDSCAPE",
    "CENTRE_COLOUR",
    "DOMAIN_COLOURS",
    "EDGE_COLOUR",
    "FONT_FAMILY",
    "GHOST_COLOUR",
    "HEART",
    "HEART_COLOUR",
    "HOPE_MARKER",
    "HOPE_STAR_SCALE",
    "HOPE_TINT",
    "HOPE_VIS_SHAPE",
    "STAR",
    "STAR_COLOUR",
    "KIND_LABELS",
    "KIND_MARKERS",
    "KIND_VIS_SHAPES",
    "NEW_COLOUR",
    "RING_EDGES",
    "RING_FILLS",
    "SECTORS",
    "Sector",
    "TIE_COLOUR",
    "sector_of",
]

#: A4 landscape in inches: the size a coordinator prints.
A4_LANDSCAPE: tuple[float, float] = (11.69, 8.27)

#: Ships with matplotlib, so no font is ever fetched and every machine draws alike.
FONT_FAMILY = "DejaVu Sans"

#: One Okabe–Ito colour per domain (the ninth, "other", is a neutral grey).
DOMAIN_COLOURS: dict[str, str] = {
    "family": "#D55E00",  # vermillion
    "partner": "#CC79A7",  # reddish purple
    "friend": "#E69F00",  # orange
    "neighbour": "#009E73",  # bluish green
    "community": "#F0E442",  # yellow
    "education_work": "#56B4E9",  # sky blue
    "professional": "#0072B2",  # blue
    "online": "#3A3A3A",  # near black
    "other": "#A0A0A0",  # grey
}
assert tuple(DOMAIN_COLOURS) == vocab.DOMAINS  # a new domain needs a colour

#: Marker shapes (matplotlib) and the same shapes in vis-network.
KIND_MARKERS: dict[str, str] = {"person": "o", "group": "s", "place": "^"}
KIND_VIS_SHAPES: dict[str, str] = {"person": "dot", "group": "square", "place": "triangle"}
KIND_LABELS: dict[str, str] = {"person": "a person", "group": "a group", "place": "a place"}
assert tuple(KIND_MARKERS) == vocab.KINDS

CENTRE_COLOUR = "#2E3A59"
EDGE_COLOUR = "#2B2B2B"
TIE_COLOUR = "#8C8C8C"
GHOST_COLOUR = "#B8B8B8"
NEW_COLOUR = "#1A1A1A"
HEART = "\u2665"
HEART_COLOUR = "#B2182B"

#: Hopes (SPEC §11): someone or something the person would like in their life is a
#: star in a light tint of its domain's colour (chosen by eye over a dashed outline,
#: which read as "lost", and a pale shape with a sparkle, which read as "faded").
HOPE_MARKER = "*"
#: A star looks smaller than a disc of the same size: drawn this much larger.
HOPE_STAR_SCALE = 1.35
#: How much of the domain colour a hope's fill keeps: "not yet", never grey like a loss.
HOPE_TINT = 0.6
#: vis-network's shape for a hope on the interactive map.
HOPE_VIS_SHAPE = "star"
#: The gold star that marks a hope that came true on a change map.
STAR = "\u2605"  # ★, in DejaVu Sans
STAR_COLOUR = "#C98A00"  # a warm gold, darker than Okabe–Ito's orange so it reads on white

#: Radii of the ring edges, in map units: the centre disc, then closeness 1, 2, 3.
RING_EDGES: tuple[float, float, float, float] = (0.72, 1.55, 2.4, 3.3)
#: Soft fills, darkest at the centre, so the rings read without heavy lines.
RING_FILLS: tuple[str, str, str] = ("#EDE8E0", "#F3EFE9", "#F9F7F3")


@dataclass(frozen=True)
class Sector:
    """One slice of the circle: a part of life (for people) or groups / places.

    ``start`` and ``end`` are compass degrees, clockwise from the top.
    """

    key: str
    label: str
    domains: tuple[str, ...]
    kind: str
    start: float
    end: float

    @property
    def middle(self) -> float:
        return (self.start + self.end) / 2


def _label(*domains: str) -> str:
    first, *rest = (vocab.DOMAIN_LABELS[d] for d in domains)
    return " & ".join([first, *(r.lower() for r in rest)])


def _sectors() -> tuple[Sector, ...]:
    # Fixed and equal slices (not sized by who is there) so that a connection's
    # place never depends on the rest of the map.
    plan = [
        ("family", ("family",), "person"),
        ("partner_friends", ("partner", "friend"), "person"),
        ("neighbours_community", ("neighbour", "community"), "person"),
        ("education_work", ("education_work",), "person"),
        ("groups", vocab.DOMAINS, "group"),
        ("places", vocab.DOMAINS, "place"),
        ("online_other", ("online", "other"), "person"),
        ("professionals", ("professional",), "person"),
    ]
    width = 360 / len(plan)
    out = []
    for i, (key, domains, kind) in enumerate(plan):
        if kind == "person":
            label = _label(*domains)
        else:
            label = "Groups" if kind == "group" else "Places"
        out.append(Sector(key, label, domains, kind, i * width, (i + 1) * width))
    return tuple(out)


#: The eight slices, clockwise from the top.
SECTORS: tuple[Sector, ...] = _sectors()


def sector_of(kind: str, domain: str) -> Sector:
    """The slice a connection of this kind and domain sits in.

    >>> sector_of("person", "friend").label
    'Partner & friends'
    >>> sector_of("group", "friend").label
    'Groups'
    """
    for sector in SECTORS:
        if sector.kind == kind and (kind != "person" or domain in sector.domains):
            return sector
    raise ValueError(f"no sector for kind {kind!r} and domain {domain!r}")
