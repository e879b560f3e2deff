"""The drawing shared by the circles map and the change map.

A map is drawn in three layers: the paper (rings, sector lines, sector names, the
person in the middle), the connections (ties, markers, hearts for support given)
and finally the names, placed one by one in order of importance so that no two
overlap; a name that finds no free spot is left out and counted in the footnote.
Everything is deterministic: no randomness, and every loop runs in a fixed order.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Literal
from dataclasses import dataclass, field

import matplotlib
import numpy as np
from matplotlib import patheffects
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.patches import Circle, FancyArrowPatch

from .. import vocab
from ._layout import Spot, hope_spots, spots_of, tie_curve
from ._style import (
    A4_LANDSCAPE,
    CENTRE_COLOUR,
    DOMAIN_COLOURS,
    FONT_FAMILY,
    GHOST_COLOUR,
    HEART,
    HEART_COLOUR,
    HOPE_MARKER,
    HOPE_STAR_SCALE,
    KIND_LABELS,
    KIND_MARKERS,
    NEW_COLOUR,
    RING_EDGES,
    RING_FILLS,
    SECTORS,
    STAR,
    STAR_COLOUR,
    TIE_COLOUR,
)
from ._marks import Mark, darker, marks_of, tie_pairs, tint
from ._text import MISSING_GLYPH, count, display_text, shorten, squares_in

__all__ = ["Mark", "MapCanvas", "RC", "marks_of", "tie_pairs"]

#: Settings every map is drawn and saved with: a bundled font, stable SVG ids,
#: embedded (not referenced) fonts in PDF and SVG.
RC: Any = {
    "font.family": FONT_FAMILY,
    "svg.hashsalt": "socialcap",
    "svg.fonttype": "path",
    "pdf.fonttype": 42,
    "axes.unicode_minus": False,
}

# The map window in map units, and where it sits on the page; the axes box has the
# same aspect ratio as the window, so one map unit is the same length across and up.
X_HALF, Y_HALF = 4.3, 3.85
MAP_BOTTOM, MAP_HEIGHT = 0.08, 0.83
SECTOR_LABEL_RADIUS = 3.5
TEXT_COLOUR = "#222222"
QUIET_COLOUR = "#5A5A5A"
HALO = [patheffects.withStroke(linewidth=2.6, foreground="white")]
# The title runs across the whole page, between these edges (figure fractions).
TITLE_LEFT, TITLE_RIGHT, TITLE_TOP = 0.012, 0.988, 0.965
TITLE_SIZE = 17.0
#: Smallest sizes, in points, for a title on one line and on two.
TITLE_SMALLEST_ONE_LINE, TITLE_SMALLEST = 14.0, 10.0


def fit_title(text: str, width: Callable[[str, float], float], room: float) -> tuple[list[str], float]:
    """Lines and font size that make a title fit in ``room`` (``width(words, size)`` measures).

    In this order, the first that fits: one line at 17 pt, shrinking by half points
    to 14 pt; two lines broken at the last " · " (the dates go underneath), from 15
    pt down to 10 pt; finally two lines at 10 pt, each cut with an ellipsis.  The
    same title always comes out the same.

    >>> per_char = lambda words, size: len(words) * size * 0.6
    >>> fit_title("Sam's map · 3 March 2025", per_char, 400)
    (["Sam's map · 3 March 2025"], 17.0)
    >>> fit_title("A much longer title · 3 March 2025", per_char, 250)
    (['A much longer title', '3 March 2025'], 15.0)
    """
    sizes = [TITLE_SIZE - 0.5 * k for k in range(int((TITLE_SIZE - TITLE_SMALLEST_ONE_LINE) * 2) + 1)]
    for size in sizes:
        if width(text, size) <= room:
            return [text], size
    head, sep, tail = text.rpartition(" \u00b7 ")
    lines = [head, tail] if sep else [text]
    two_line_top = 15.0
    sizes = [two_line_top - 0.5 * k for k in range(int((two_line_top - TITLE_SMALLEST) * 2) + 1)]
    for size in sizes:
        if all(width(line, size) <= room for line in lines):
            return lines, size
    cut = []
    for line in lines:
        keep = len(line)
        while keep > 1 and width(shorten(line, keep), TITLE_SMALLEST) > room:
            keep -= 1
        cut.append(shorten(line, keep))
    return cut, TITLE_SMALLEST


def _sizes(n: int) -> tuple[float, float]:
    """Marker size and name font size (points) for a map of n connections."""
    if n <= 30:
        return 13.0, 9.0
    t = min(1.0, (n - 30) / 120)
    return 13.0 - 5.0 * t, 9.0 - 1.8 * t


@dataclass
class MapCanvas:
    """A page with a circles map on the left and its key on the right."""

    n: int
    figure: Figure = field(init=False)
    ax: Axes = field(init=False)
    key: Axes = field(init=False)
    marker_size: float = field(init=False)
    font_size: float = field(init=False)
    obstacles: list[tuple[float, float, float, float]] = field(default_factory=list)
    labels_left_out: int = 0
    #: Whether any text drawn from the data shows a square for a character the font lacks.
    squares: bool = False

    def __post_init__(self) -> None:
        self.marker_size, self.font_size = _sizes(self.n)
        fig = Figure(figsize=A4_LANDSCAPE, dpi=100)
        FigureCanvasAgg(fig)  # a renderer to measure names with, whatever the backend
        page_w, page_h = A4_LANDSCAPE
        height_in = MAP_HEIGHT * page_h
        width = height_in * (X_HALF / Y_HALF) / page_w
        ax = fig.add_axes((0.012, MAP_BOTTOM, width, MAP_HEIGHT))
        ax.set_xlim(-X_HALF, X_HALF)
        ax.set_ylim(-Y_HALF, Y_HALF)
        ax.set_aspect("equal")
        ax.set_axis_off()
        key = fig.add_axes((0.012 + width + 0.01, MAP_BOTTOM, 0.99 - width - 0.022, MAP_HEIGHT))
        key.set_xlim(0, 1)
        key.set_ylim(0, 1)
        key.set_axis_off()
        self.figure, self.ax, self.key = fig, ax, key

    # -- geometry in pixels (for placing names) ----------------------------------------

    @property
    def px_per_point(self) -> float:
        return self.figure.dpi / 72

    def to_px(self, point: tuple[float, float]) -> tuple[float, float]:
        x, y = self.ax.transData.transform(point)
        return float(x), float(y)

    def block(self, point: tuple[float, float], radius_pt: float) -> None:
        """Keep names off a square around a point."""
        x, y = self.to_px(point)
        r = radius_pt * self.px_per_point
        self.obstacles.append((x - r, y - r, x + r, y + r))

    def block_text(self, artist: matplotlib.text.Text) -> None:
        box = artist.get_window_extent(self.figure.canvas.get_renderer())  # type: ignore[attr-defined]
        self.obstacles.append((box.x0, box.y0, box.x1, box.y1))

    # -- the paper ---------------------------------------------------------------------

    def draw_paper(self) -> None:
        ax = self.ax
        for ring in (3, 2, 1):
            ax.add_patch(Circle((0, 0), RING_EDGES[ring], facecolor=RING_FILLS[ring - 1],
                                edgecolor="#D9D2C5", linewidth=0.9, zorder=0))
        for sector in SECTORS:
            angle = math.radians(sector.start)
            x0, y0 = RING_EDGES[0] * math.sin(angle), RING_EDGES[0] * math.cos(angle)
            x1, y1 = RING_EDGES[3] * math.sin(angle), RING_EDGES[3] * math.cos(angle)
            ax.plot([x0, x1], [y0, y1], color="white", linewidth=2.2, zorder=0.5, solid_capstyle="butt")
        # The rings are named along the line at the bottom, where the names of the
        # connections never go (they keep clear of slice edges).
        for ring in (1, 2, 3):
            r = (RING_EDGES[ring - 1] + RING_EDGES[ring]) / 2
            text = ax.text(0, -r, vocab.CLOSENESS_LABELS[ring], rotation=90, ha="center", va="center",
                           fontsize=7.5, color="#8F8779", fontstyle="italic", zorder=1, parse_math=False)
            self.block_text(text)
        for sector in SECTORS:
            angle = math.radians(sector.middle)
            sx, sy = math.sin(angle), math.cos(angle)
            ha = "left" if sx > 0.3 else "right" if sx < -0.3 else "center"
            va = "bottom" if sy > 0.3 else "top" if sy < -0.3 else "center"
            words = sector.label.replace(" & ", " &\n")
            text = ax.text(SECTOR_LABEL_RADIUS * sx, SECTOR_LABEL_RADIUS * sy, words, ha=ha, va=va,
                           multialignment=ha if ha != "center" else "center",
                           fontsize=10, color=QUIET_COLOUR, fontweight="bold", zorder=1,
                           parse_math=False, linespacing=1.05)
            self.block_text(text)

    def saw(self, shown: str, value: object) -> None:
        """Note text drawn from the data, to say in the footnote when it shows squares."""
        self.squares = self.squares or squares_in(shown, value)

    def draw_centre(self, name: str | None) -> None:
        shown = shorten(display_text(name), 14) or "Me"
        self.saw(shown, name)
        self.ax.add_patch(Circle((0, 0), 0.5, facecolor=CENTRE_COLOUR, edgecolor="white",
                                 linewidth=2, zorder=4))
        size = 13 if len(shown) <= 8 else 10.5 if len(shown) <= 11 else 9
        self.ax.text(0, 0, shown, ha="center", va="center", color="white", fontsize=size,
                     fontweight="bold", zorder=5, parse_math=False)
        x, y = self.to_px((0, 0))
        r = self.to_px((0.5, 0))[0] - x
        self.obstacles.append((x - r, y - r, x + r, y + r))

    # -- connections -------------------------------------------------------------------

    def spots(self, marks: Sequence[Mark]) -> dict[str, Spot]:
        spots = spots_of((m.connection_id, m.kind, m.domain, m.closeness) for m in marks if not m.hope)
        hopes = [(m.connection_id, m.kind, m.domain, m.closeness) for m in marks if m.hope]
        if hopes:  # in their own slice and ring, clear of everyone who is there (see `hope_spots`)
            givers = [m.connection_id for m in marks if m.gives and not m.hope]
            spots.update(hope_spots(hopes, {cid: spot.point for cid, spot in spots.items()}, givers))
        return spots

    def draw_ties(self, pairs: Iterable[tuple[str, str]], where: dict[str, tuple[float, float]],
                  *, ghost: bool = False) -> None:
        segments = [tie_curve(where[a], where[b]).points(where[a], where[b])
                    for a, b in pairs if a in where and b in where]
        if not segments:
            return
        from matplotlib.collections import LineCollection

        width = 0.9 if self.n <= 60 else 0.6
        # Many ties fade, so a dense network reads as a soft web rather than a hairball.
        alpha = max(0.12, min(0.55, 0.55 * math.sqrt(60 / len(segments))))
        self.ax.add_collection(LineCollection(
            segments, colors=GHOST_COLOUR if ghost else TIE_COLOUR,
            linewidths=width, alpha=alpha,
            linestyles=(0, (2, 2)) if ghost else "solid", zorder=2,
        ))

    def draw_marks(self, marks: Sequence[Mark], where: dict[str, tuple[float, float]]) -> None:
        size = self.marker_size
        area = size**2
        # One scatter call per look, in a fixed order, so files come out the same each time.
        looks: dict[tuple, list[Mark]] = {}
        for mark in sorted(marks, key=lambda m: m.connection_id):
            looks.setdefault((mark.hope, mark.state, mark.kind, mark.paid, mark.domain), []).append(mark)
        for (hope, state, kind, paid, domain), group in sorted(looks.items()):
            xy = np.array([where[m.connection_id] for m in group])
            colour = DOMAIN_COLOURS[domain]
            marker = KIND_MARKERS[kind]
            if hope:
                self._draw_hopes(xy, colour)
                for m in group:
                    self.block(where[m.connection_id], size * 0.75)
                continue
            if state == "lost":
                face = "none" if paid else GHOST_COLOUR
                self.ax.scatter(xy[:, 0], xy[:, 1], s=area, marker=marker, facecolors=face,
                                edgecolors="#9A9A9A", linewidths=1.2, linestyles=(0, (2, 1.5)),
                                alpha=0.55, zorder=3)
            elif paid:
                self.ax.scatter(xy[:, 0], xy[:, 1], s=area, marker=marker, facecolors="white",
                                edgecolors=[darker(colour, 0.85)], linewidths=2.3, zorder=3)
            else:
                self.ax.scatter(xy[:, 0], xy[:, 1], s=area, marker=marker, facecolors=[colour],
                                edgecolors=[darker(colour, 0.6)], linewidths=0.8, zorder=3)
            if state == "new":
                self.ax.scatter(xy[:, 0], xy[:, 1], s=(size * 1.5) ** 2, marker="o",
                                facecolors="none", edgecolors=NEW_COLOUR, linewidths=1.6, zorder=3.5)
            for m in group:
                self.block(where[m.connection_id], size * (0.9 if state == "new" else 0.55))
        for mark in sorted(marks, key=lambda m: m.connection_id):
            if mark.came_true:
                self._came_true(where[mark.connection_id])
        for mark in sorted(marks, key=lambda m: m.connection_id):
            if mark.gives:
                x, y = where[mark.connection_id]
                dx = dy = size * 0.5
                self.ax.annotate(HEART, (x, y), xytext=(dx, dy), textcoords="offset points",
                                 ha="left", va="bottom", fontsize=size * 0.8,
                                 color=GHOST_COLOUR if mark.state == "lost" else HEART_COLOUR,
                                 zorder=4.5, annotation_clip=False)
                cx, cy = self.to_px((x, y))
                k = self.px_per_point
                self.obstacles.append((cx + dx * k, cy + dy * k, cx + (dx + size * 0.8) * k,
                                       cy + (dy + size * 0.8) * k))

    def _draw_hopes(self, xy: np.ndarray, colour: str) -> None:
        """Hopes: a star in a light tint of their colour, reading "not yet" without reading "missing".

        Chosen by eye (docs/maps.md): a dashed outline looked like a loss or a gap,
        and a pale shape with a sparkle beside it looked faded and the sparkle
        seemed to belong to its neighbours; a star says "a wish" at a glance.
        """
        size = self.marker_size
        self.ax.scatter(xy[:, 0], xy[:, 1], s=(size * HOPE_STAR_SCALE) ** 2, marker=HOPE_MARKER,
                        facecolors=[tint(colour)], edgecolors=[darker(colour, 0.75)], linewidths=1.0,
                        zorder=3, gid="hope")

    def _came_true(self, point: tuple[float, float]) -> None:
        """A small gold star on the ring of a new connection that was a hope on the earlier map."""
        size = self.marker_size
        d = size * 0.62
        self.ax.annotate(STAR, point, xytext=(-d, d), textcoords="offset points", ha="center", va="center",
                         fontsize=size * 0.95, color=STAR_COLOUR, zorder=4.6, annotation_clip=False,
                         path_effects=HALO).set_gid("came-true")
        cx, cy = self.to_px(point)
        k = self.px_per_point
        r = size * 0.5
        self.obstacles.append((cx + (-d - r) * k, cy + (d - r) * k, cx + (-d + r) * k, cy + (d + r) * k))

    def draw_moves(self, moves: Iterable[tuple[tuple[float, float], tuple[float, float], bool]]) -> None:
        """Arrows from where a connection was to where it is; ``closer`` ones are bold."""
        for start, end, closer in moves:
            self.ax.scatter([start[0]], [start[1]], s=(self.marker_size * 0.55) ** 2, marker="o",
                            facecolors="none", edgecolors="#8A8A8A", linewidths=1.0,
                            linestyles=(0, (1.5, 1.5)), zorder=2.5)
            arrow = FancyArrowPatch(
                start, end, arrowstyle="-|>", mutation_scale=11 if closer else 9,
                color=NEW_COLOUR if closer else "#6E6E6E", linewidth=1.5 if closer else 1.0,
                linestyle="solid" if closer else (0, (3, 2)),
                shrinkA=self.marker_size * 0.35, shrinkB=self.marker_size * 0.75, zorder=2.8,
            )
            self.ax.add_patch(arrow)
            self.block(start, self.marker_size * 0.35)

    # -- names -------------------------------------------------------------------------

    def place_labels(self, marks: Sequence[Mark], where: dict[str, tuple[float, float]]) -> None:
        renderer = self.figure.canvas.get_renderer()  # type: ignore[attr-defined]
        k = self.px_per_point
        box = self.ax.get_window_extent(renderer)
        inside = (box.x0 + 2, box.y0 + 2, box.x1 - 2, box.y1 - 2)
        placed = np.array(self.obstacles, dtype=float).reshape(-1, 4)
        gap = self.marker_size * 0.5 + 2.5
        left_out = 0
        for mark in sorted(marks, key=lambda m: m.rank):
            x, y = where[mark.connection_id]
            cx, cy = self.to_px((x, y))
            weight = "bold" if mark.state == "new" else "normal"
            style: Literal["italic", "normal"] = "italic" if mark.state == "lost" else "normal"
            prop = FontProperties(family=FONT_FAMILY, size=self.font_size, weight=weight, style=style)
            choice = None
            for text in dict.fromkeys((shorten(mark.label), shorten(mark.label, 12))):
                w, h, _ = renderer.get_text_width_height_descent(text, prop, ismath=False)
                # matplotlib gives every line at least the height of "lp" (ascent and descent).
                h = max(h, renderer.get_text_width_height_descent("lp", prop, ismath=False)[1])
                for dx, dy, ha, va in _candidates(x, gap):
                    ax0 = cx + dx * k - (w if ha == "right" else w / 2 if ha == "center" else 0)
                    ay0 = cy + dy * k - (h if va == "top" else h / 2 if va == "center" else 0)
                    rect = (ax0 - 1, ay0 - 1, ax0 + w + 1, ay0 + h + 1)
                    if not (rect[0] >= inside[0] and rect[1] >= inside[1]
                            and rect[2] <= inside[2] and rect[3] <= inside[3]):
                        continue
                    if len(placed) and np.any(
                        (placed[:, 0] < rect[2]) & (placed[:, 2] > rect[0])
                        & (placed[:, 1] < rect[3]) & (placed[:, 3] > rect[1])
                    ):
                        continue
                    choice = (text, dx, dy, ha, va, rect)
                    break
                if choice:
                    break
            if choice is None:
                left_out += 1
                continue
            text, dx, dy, ha, va, rect = choice
            self.saw(text, mark.source)
            placed = np.vstack([placed, rect])
            far = math.hypot(dx, dy) > gap * 1.5
            self.ax.annotate(
                text, (x, y), xytext=(dx, dy), textcoords="offset points", ha=ha, va=va,
                fontproperties=prop, color="#8A8A8A" if mark.state == "lost" else TEXT_COLOUR,
                zorder=6, path_effects=HALO, annotation_clip=False, parse_math=False,
                # A name set further off is joined to its marker by a hairline.
                arrowprops=dict(arrowstyle="-", color="#9A9A9A", linewidth=0.6, shrinkA=1,
                                shrinkB=self.marker_size * 0.5) if far else None,
            )
        self.labels_left_out = left_out

    # -- words around the map ----------------------------------------------------------

    def title(self, text: str, subtitle: str | None = None) -> None:
        """The title (and a subtitle under it), made to fit across the page.

        See `fit_title`; the words are kept clear of the names placed afterwards.
        """
        renderer = self.figure.canvas.get_renderer()  # type: ignore[attr-defined]
        # Measured at 100 dpi; hinting makes text up to about 5% wider at low
        # resolutions (a 60-dpi preview), so a title is fitted with that to spare.
        room = 0.94 * (TITLE_RIGHT - TITLE_LEFT) * self.figure.bbox.width

        def width(words: str, size: float) -> float:
            prop = FontProperties(family=FONT_FAMILY, size=size, weight="bold")
            return renderer.get_text_width_height_descent(words, prop, ismath=False)[0]

        lines, size = fit_title(text, width, room)
        shown = self.figure.text(TITLE_LEFT, TITLE_TOP, "\n".join(lines), fontsize=size, fontweight="bold",
                                 color=TEXT_COLOUR, va="top", parse_math=False, linespacing=1.15)
        self.block_text(shown)
        if subtitle:
            bottom = shown.get_window_extent(renderer).y0 / self.figure.bbox.height
            below = self.figure.text(TITLE_LEFT, bottom - 0.012, subtitle, fontsize=12.5, color=TEXT_COLOUR,
                                     va="top", parse_math=False)
            self.block_text(below)

    def notes(self) -> list[str]:
        """The footnote lines every map may need: names left out, and squares drawn."""
        out = []
        if self.labels_left_out:
            out.append(
                f"{count(self.labels_left_out, 'name')} left out here so the others stay readable; "
                "the interactive map shows every name."
            )
        if self.squares:
            out.append(f"{MISSING_GLYPH} marks letters this printout cannot draw; the interactive map shows them.")
        return out

    def footnote(self, lines: Sequence[str]) -> None:
        self.figure.text(0.012, 0.022, "\n".join(lines), fontsize=9, color=QUIET_COLOUR,
                         va="bottom", parse_math=False, linespacing=1.4)

    def draw_key(self, marks: Sequence[Mark], *, ties: bool, extra: Sequence[tuple[str, str]] = ()) -> None:
        """The key, in plain words: rings, then only the shapes, hollow, heart, line and colours on this map.

        ``extra`` adds rows (``look``, words) for change maps: looks are ``"new"``,
        ``"lost"``, ``"closer"`` and ``"away"``; give only those that appear.
        """
        key = self.key
        y = 0.985
        step = 0.041

        def heading(words: str) -> None:
            nonlocal y
            key.text(0.0, y, words, fontsize=11.5, fontweight="bold", color=TEXT_COLOUR, va="top")
            y -= step * 1.05

        def row(draw: object, words: str) -> None:
            nonlocal y
            draw(0.05, y - 0.012)  # type: ignore[operator]
            key.text(0.12, y, words, fontsize=9.5, color=TEXT_COLOUR, va="top", linespacing=1.25)
            y -= step * (1 + 0.62 * words.count("\n"))

        def marker(kind: str = "person", face: str = "#7F7F7F", edge: str = "#4D4D4D", width: float = 0.8,
                   style: object = "solid", alpha: float = 1.0) -> object:
            def draw(x: float, yy: float) -> None:
                key.scatter([x], [yy], s=110, marker=KIND_MARKERS[kind], facecolors=face,
                            edgecolors=edge, linewidths=width, linestyles=style, alpha=alpha,
                            clip_on=False)
            return draw

        heading("How to read this map")
        key.text(0.0, y, "The rings: the closer to the middle,\nthe closer they are (closest, close,\nfurther out).",
                 fontsize=9.5, color=TEXT_COLOUR, va="top", linespacing=1.25)
        y -= step * 2.35
        # A key row for something not on the map only makes the reader look for it.
        kinds = {m.kind for m in marks}
        for kind in vocab.KINDS:
            if kind in kinds:
                row(marker(kind), KIND_LABELS[kind].capitalize())
        if any(m.paid for m in marks):
            row(marker(face="white", edge="#4D4D4D", width=2.2), "Hollow: paid, such as a worker")
        if any(m.hope for m in marks):
            def hope_look(x: float, yy: float) -> None:
                key.scatter([x], [yy], s=(10.5 * HOPE_STAR_SCALE) ** 2, marker=HOPE_MARKER,
                            facecolors=[tint("#7F7F7F")], edgecolors="#4D4D4D", linewidths=1.0,
                            clip_on=False, gid="key-hope")
            row(hope_look, f"A hope: {vocab.HOPE_WORDS}")

        def heart(x: float, yy: float) -> None:
            key.text(x, yy, HEART, fontsize=14, color=HEART_COLOUR, ha="center", va="center")

        if any(m.gives for m in marks):
            row(heart, "You give them support")

        def line(x: float, yy: float) -> None:
            key.add_line(Line2D([x - 0.04, x + 0.04], [yy, yy], color=TIE_COLOUR, linewidth=1.4))

        if ties:
            row(line, "A line: they know each other")
        for look, words in extra:
            if look == "came_true":
                def came(x: float, yy: float) -> None:
                    key.scatter([x], [yy], s=110, marker="o", facecolors="#7F7F7F", edgecolors="#4D4D4D",
                                linewidths=0.8, clip_on=False)
                    key.scatter([x], [yy], s=(10.5 * 1.5) ** 2, marker="o", facecolors="none",
                                edgecolors=NEW_COLOUR, linewidths=1.6, clip_on=False)
                    key.text(x - 0.022, yy + 0.016, STAR, fontsize=10, color=STAR_COLOUR, ha="center",
                             va="center", path_effects=HALO, gid="key-came-true")
                row(came, words)
            elif look == "new":
                def draw(x: float, yy: float) -> None:
                    key.scatter([x], [yy], s=110, marker="o", facecolors="#7F7F7F", edgecolors="#4D4D4D",
                                linewidths=0.8, clip_on=False)
                    key.scatter([x], [yy], s=(10.5 * 1.5) ** 2, marker="o", facecolors="none",
                                edgecolors=NEW_COLOUR, linewidths=1.6, clip_on=False)
                row(draw, words)
            elif look == "lost":
                row(marker(face=GHOST_COLOUR, edge="#9A9A9A", width=1.2, style=(0, (2, 1.5)), alpha=0.55), words)
            else:
                closer = look == "closer"

                def arrow(x: float, yy: float, closer: bool = closer) -> None:
                    key.add_patch(FancyArrowPatch(
                        (x + 0.045, yy), (x - 0.045, yy), arrowstyle="-|>", mutation_scale=11 if closer else 9,
                        color=NEW_COLOUR if closer else "#6E6E6E", linewidth=1.5 if closer else 1.0,
                        linestyle="solid" if closer else (0, (3, 2)), clip_on=False))
                row(arrow, words)
        # Lost connections are drawn grey, so only the others bring a colour.
        wanted = {m.domain for m in marks if m.state != "lost"}
        present = [d for d in vocab.DOMAINS if d in wanted]
        if present:
            y -= step * 0.4
            heading("Colours")
            for domain in present:
                row(marker(face=DOMAIN_COLOURS[domain], edge=darker(DOMAIN_COLOURS[domain], 0.6)),  # type: ignore[arg-type]
                    vocab.DOMAIN_LABELS[domain])


def _candidates(x: float, gap: float) -> list[tuple[float, float, str, str]]:
    """Spots for a name around its marker (offsets in points), the outward side first."""
    right = (gap, 0.0, "left", "center")
    left = (-gap, 0.0, "right", "center")
    above = (0.0, gap, "center", "bottom")
    below = (0.0, -gap, "center", "top")
    d = gap * 0.75
    up_right, down_right = (d, d, "left", "bottom"), (d, -d, "left", "top")
    up_left, down_left = (-d, d, "right", "bottom"), (-d, -d, "right", "top")
    near = [right, up_right, down_right, above, below, left, up_left, down_left]
    if x < 0:
        near = [left, up_left, down_left, above, below, right, up_right, down_right]
    # Then the same directions further out (drawn with a hairline to the marker).
    far = [(dx * k, dy * k, ha, va) for k in (1.8, 2.8, 3.8) for dx, dy, ha, va in near]
    return near + far

