"""Tests of socialcap.maps: layout, circles map, change map, saving, the HTML page's
safety (statically; test_maps_html.py drives a real browser) and the map commands."""

from __future__ import annotations

import ast
import base64
import functools
from html.parser import HTMLParser
import hashlib
import io
import itertools
import math
import random
import re

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.figure import Figure
from matplotlib.text import Annotation, Text

import socialcap as sc
from socialcap import maps, vocab
from socialcap.cli import main
from socialcap.maps._draw import fit_title
from socialcap.maps._change import change_spots
from socialcap.maps._layout import GHOST_GAP, MIN_GAP, RING_MARGIN, clearance, spots_of, tie_curve, unit_hash
from socialcap.maps._style import RING_EDGES, SECTORS, sector_of

EVIL = ("<script>alert(1)</script>", "<img src=x onerror=alert(2)>", '"><svg onload=alert(3)>')


# -- fixtures ----------------------------------------------------------------------------


def cohort_of(rows, ties=(), name="Sam", dates=None):
    """A one-person cohort from (date, id, kind, domain, closeness, extra-dict) rows."""
    people = pd.DataFrame({"person_id": ["P1"], "name": [name]})
    records = []
    for date, cid, kind, domain, closeness, extra in rows:
        records.append({"person_id": "P1", "date": date, "connection_id": cid, "kind": kind,
                        "domain": domain, "closeness": closeness, **extra})
    connections = pd.DataFrame(records, columns=[
        "person_id", "date", "connection_id", "kind", "domain", "closeness", "name", "paid",
        "support_given", "support_received", "contact", "since", "notes"])
    tie_frame = pd.DataFrame([{"person_id": "P1", "date": d, "source": s, "target": t} for d, s, t in ties],
                             columns=["person_id", "date", "source", "target"])
    snaps = pd.DataFrame({"person_id": "P1", "date": sorted(set(dates or [r[0] for r in rows]))})
    return sc.Cohort.from_tables(people, connections, tie_frame, snaps)


def random_rows(n, seed, date="2025-03-03", prefix="C"):
    rnd = random.Random(seed)
    names = ["Nan", "Jo", "Auntie Bea", "Kai", "Priya", "Mo Smith", "Youth club", "Library", "Liam O'Neil"]
    rows = []
    for i in range(n):
        kind = rnd.choices(vocab.KINDS, [0.75, 0.15, 0.10])[0]
        closeness = rnd.choice([1, 2, 3]) if kind == "person" or rnd.random() < 0.5 else None
        extra = {"name": f"{rnd.choice(names)} {i}", "support_given": rnd.choice([None, "company"])}
        rows.append((date, f"{prefix}{i}", kind, rnd.choice(vocab.DOMAINS), closeness, extra))
    return rows


def random_snapshot(n, seed=1, name="Sam"):
    rows = random_rows(n, seed)
    rnd = random.Random(seed + 1)
    ids = [r[1] for r in rows]
    ties = [("2025-03-03", a, b) for a, b in itertools.combinations(ids, 2) if rnd.random() < 0.03]
    return cohort_of(rows, ties, name=name, dates=["2025-03-03"]).snapshot("P1")


@functools.lru_cache(maxsize=None)
def big_map(seed: int = 3) -> tuple[sc.Snapshot, Figure]:
    """A 150-connection snapshot and its circles map, drawn once and shared by the tests
    that only read it (drawing one takes a second or two)."""
    snap = random_snapshot(150, seed=seed)
    return snap, maps.circles(snap)


def png_pixels(fig: Figure) -> np.ndarray:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=50)
    buffer.seek(0)
    return matplotlib.image.imread(buffer)


def name_labels(fig: Figure) -> list[Annotation]:
    ax = fig.axes[0]
    return [t for t in ax.texts if isinstance(t, Annotation) and t.get_text() != "\u2665"]


def hearts(fig: Figure) -> list[Annotation]:
    return [t for t in fig.axes[0].texts if isinstance(t, Annotation) and t.get_text() == "\u2665"]


# -- layout ------------------------------------------------------------------------------


def test_sectors_cover_the_circle_once_in_equal_slices():
    assert [s.start for s in SECTORS] == [i * 45.0 for i in range(8)]
    assert SECTORS[-1].end == 360.0
    assert [s.label for s in SECTORS] == [
        "Family", "Partner & friends", "Neighbours & community", "Education & work",
        "Groups", "Places", "Online & other", "Professionals"]


def test_every_domain_of_a_person_has_exactly_one_sector():
    for domain in vocab.DOMAINS:
        owners = [s for s in SECTORS if s.kind == "person" and domain in s.domains]
        assert len(owners) == 1
    assert sector_of("group", "family").key == "groups"
    assert sector_of("place", "professional").key == "places"


def test_a_lone_connection_sits_where_its_hash_puts_it():
    # Worked by hand from the rule: family slice (0°–45°), ring 1 (0.72–1.55), the
    # hash spreads it over the cell less its margins.
    u, v = unit_hash("A")
    r_mid = (0.72 + 1.55) / 2
    lo, hi = math.radians(0) * r_mid + 0.16, math.radians(45) * r_mid - 0.16
    width = 1.55 - 0.72
    rlo, rhi = 0.72 + RING_MARGIN * width, 1.55 - RING_MARGIN * width
    angle = (lo + u * (hi - lo)) / r_mid
    radius = rlo + v * (rhi - rlo)
    x, y = maps.layout(pd.DataFrame({"connection_id": ["A"], "kind": ["person"], "domain": ["family"],
                                     "closeness": [1]}))["A"]
    assert x == pytest.approx(radius * math.sin(angle))
    assert y == pytest.approx(radius * math.cos(angle))


def test_unit_hash_is_fixed_across_runs():
    # A fixed value: a change in the hash would move everyone on every saved map.
    digest = hashlib.blake2b(b"C1", digest_size=8, person=b"socialcap-map").digest()
    assert unit_hash("C1") == (int.from_bytes(digest[:4], "big") / 2**32, int.from_bytes(digest[4:], "big") / 2**32)


def test_a_connection_keeps_its_spot_across_snapshots():
    rows = [
        ("2025-01-01", "A", "person", "family", 2, {"name": "Nan"}),
        ("2025-01-01", "B", "person", "friend", 1, {"name": "Jo"}),
        ("2025-07-01", "A", "person", "family", 2, {"name": "Nan"}),
        ("2025-07-01", "C", "group", "community", None, {"name": "Choir"}),
        ("2025-07-01", "D", "person", "professional", 3, {"name": "Worker"}),
    ]
    first, second = cohort_of(rows).timeline("P1").snapshots
    assert maps.layout(first)["A"] == maps.layout(second)["A"]


def test_a_connection_moves_ring_when_closeness_changes_but_not_slice():
    a = maps.layout(pd.DataFrame({"connection_id": ["A"], "kind": ["person"], "domain": ["friend"], "closeness": [3]}))
    b = maps.layout(pd.DataFrame({"connection_id": ["A"], "kind": ["person"], "domain": ["friend"], "closeness": [1]}))
    angle = lambda p: math.degrees(math.atan2(p[0], p[1])) % 360  # noqa: E731
    assert 45 < angle(a["A"]) < 90 and 45 < angle(b["A"]) < 90
    assert math.hypot(*b["A"]) < RING_EDGES[1] < RING_EDGES[2] < math.hypot(*a["A"])


cells = st.tuples(st.sampled_from(vocab.KINDS), st.sampled_from(vocab.DOMAINS), st.sampled_from([1, 2, 3, None]))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.text(min_size=1, max_size=6), cells), min_size=1, max_size=40,
                unique_by=lambda r: r[0]), st.randoms(use_true_random=False))
def test_layout_is_order_free_and_inside_its_cell(rows, rnd):
    flat = [(cid, kind, domain, None if kind == "person" and c is None else c) for cid, (kind, domain, c) in rows]
    flat = [(cid, kind, domain, c if not (kind == "person" and c is None) else 2) for cid, kind, domain, c in flat]
    spots = spots_of(flat)
    shuffled = flat[:]
    rnd.shuffle(shuffled)
    assert spots == spots_of(shuffled)
    for cid, kind, domain, closeness in flat:
        spot = spots[cid]
        ring = 3 if closeness is None else closeness
        radius = math.hypot(spot.x, spot.y)
        assert RING_EDGES[ring - 1] < radius < RING_EDGES[ring]
        angle = math.degrees(math.atan2(spot.x, spot.y)) % 360
        sector = sector_of(kind, domain)
        assert sector.start < angle < sector.end


@settings(max_examples=40, deadline=None)
@given(st.lists(st.text(min_size=1, max_size=5), min_size=2, max_size=12, unique=True))
def test_markers_in_an_uncrowded_cell_keep_apart(ids):
    spots = spots_of([(cid, "person", "friend", 3) for cid in ids])
    for a, b in itertools.combinations(spots.values(), 2):
        assert math.hypot(a.x - b.x, a.y - b.y) >= MIN_GAP - 1e-6


# Where markers can be: outside the person's disc, inside the outer ring.
spots_on_map = st.tuples(st.floats(0.85, 3.2), st.floats(0, 2 * math.pi)).map(
    lambda p: (p[0] * math.sin(p[1]), p[0] * math.cos(p[1])))


@settings(max_examples=150, deadline=None)
@given(spots_on_map, spots_on_map)
def test_ties_never_cut_through_the_middle(a, b):
    curve = tie_curve(a, b)
    needed = clearance(a, b)
    along = curve.points(a, b, 400)
    # No point of the tie comes nearer the person than allowed (to within the
    # sampling used to choose the bend), and never over the person's disc (0.5):
    # two of the closest people on opposite sides cannot be joined more widely by
    # one vis-network curve.
    assert min(math.hypot(*p) for p in along) >= min(needed - 0.02, 0.6)
    if curve.vis is False:
        assert curve.points(a, b) == [a, b]


# -- the circles map ---------------------------------------------------------------------


@pytest.mark.parametrize("n", [0, 1, 5, 25, 150])
def test_circles_map_renders_is_not_blank_and_is_deterministic(n):
    if n == 150:
        snap, first = big_map()
    else:
        snap = random_snapshot(n, seed=n)
        first = maps.circles(snap)
    second = maps.circles(snap)
    assert isinstance(first, Figure)
    a, b = png_pixels(first), png_pixels(second)
    assert np.array_equal(a, b)
    ink = (a[..., :3].mean(axis=2) < 0.9).mean()
    assert ink > 0.02  # rings, names and the key, not a blank page
    markers = sum(len(c.get_offsets()) for c in first.axes[0].collections if isinstance(c, PathCollection))
    assert markers == n


@pytest.mark.parametrize("n", [5, 25, 150])
def test_names_never_overlap(n):
    fig = big_map()[1] if n == 150 else maps.circles(random_snapshot(n, seed=7))
    fig.canvas.draw()  # an annotation finds its place when drawn
    renderer = fig.canvas.get_renderer()
    # The text's own box (an Annotation's box would include its hairline).
    boxes = [Text.get_window_extent(t, renderer) for t in name_labels(fig)]
    for a, b in itertools.combinations(boxes, 2):
        overlap_w = min(a.x1, b.x1) - max(a.x0, b.x0)
        overlap_h = min(a.y1, b.y1) - max(a.y0, b.y0)
        assert overlap_w <= 0.5 or overlap_h <= 0.5


def test_small_maps_name_everyone_and_big_ones_say_how_many_are_left_out():
    small = maps.circles(random_snapshot(25, seed=3))
    assert len(name_labels(small)) == 25
    big = big_map()[1]
    shown = len(name_labels(big))
    assert 60 <= shown < 150
    footnote = big.texts[-1].get_text()
    assert f"{150 - shown} names left out here" in footnote


def test_title_centre_and_summary_in_plain_words():
    rows = [
        ("2025-03-03", "A", "person", "family", 1, {"name": "Nan", "support_given": "company"}),
        ("2025-03-03", "B", "person", "friend", 2, {"name": "Jo", "support_given": "emotional;practical"}),
        ("2025-03-03", "C", "group", "community", None, {"name": "Choir"}),
        ("2025-03-03", "D", "place", "community", None, {"name": "Library"}),
        ("2025-03-03", "E", "place", "education_work", 3, {"name": "College"}),
    ]
    fig = maps.circles(cohort_of(rows, name="Sam").snapshot("P1"))
    texts = [t.get_text() for t in fig.texts]
    assert texts[0] == "Sam's people, groups and places \u00b7 3 March 2025"
    assert texts[-1] == "2 people, 1 group and 2 places \u00b7 you give support to 2 of them"
    assert "Sam" in [t.get_text() for t in fig.axes[0].texts]
    assert len(hearts(fig)) == 2
    nameless = maps.circles(cohort_of(rows, name=None).snapshot("P1"))
    assert nameless.texts[0].get_text().startswith("My people, groups and places")
    assert "Me" in [t.get_text() for t in nameless.axes[0].texts]


def test_an_empty_map_says_so():
    snap = cohort_of([], dates=["2025-03-03"]).snapshot("P1")
    fig = maps.circles(snap)
    assert fig.texts[-1].get_text() == "Nobody is on this map yet."
    assert name_labels(fig) == []


def test_paid_connections_are_hollow_and_others_filled():
    rows = [
        ("2025-03-03", "W", "person", "professional", 2, {"name": "Worker"}),
        ("2025-03-03", "F", "person", "friend", 2, {"name": "Friend"}),
        ("2025-03-03", "T", "person", "friend", 3, {"name": "Paid tutor", "paid": "true"}),
    ]
    fig = maps.circles(cohort_of(rows).snapshot("P1"))
    faces = {}
    for c in fig.axes[0].collections:
        if isinstance(c, PathCollection):
            for face in c.get_facecolors():
                for _ in c.get_offsets():
                    faces.setdefault(tuple(np.round(face, 3)), 0)
                    faces[tuple(np.round(face, 3))] += 1
    assert faces.get((1.0, 1.0, 1.0, 1.0)) == 2  # the worker and the paid tutor
    assert sum(faces.values()) == 3


def test_ties_are_drawn_once_each():
    rows = [("2025-03-03", c, "person", "friend", 2, {}) for c in "ABC"]
    ties = [("2025-03-03", "A", "B"), ("2025-03-03", "B", "A"), ("2025-03-03", "A", "B"), ("2025-03-03", "B", "C")]
    fig = maps.circles(cohort_of(rows, ties).snapshot("P1"))
    lines = [c for c in fig.axes[0].collections if isinstance(c, LineCollection)]
    assert sum(len(c.get_segments()) for c in lines) == 2


def test_awkward_names_draw_as_text_without_warnings():
    rows = [
        ("2025-03-03", "A", "person", "family", 1, {"name": "$x^2$ \\alpha"}),
        ("2025-03-03", "B", "person", "friend", 1, {"name": "Line\nbreak\ttab"}),
        ("2025-03-03", "C", "person", "friend", 2, {"name": "\u674e\u534e"}),
        ("2025-03-03", "D", "person", "friend", 3, {"name": "A very long name that goes on and on and on"}),
        *[("2025-03-03", f"E{i}", "person", "online", 2, {"name": evil}) for i, evil in enumerate(EVIL)],
    ]
    fig = maps.circles(cohort_of(rows, name="$Sam$").snapshot("P1"))
    png_pixels(fig)  # drawing raises on any warning (filterwarnings = error)
    shown = {t.get_text() for t in name_labels(fig)}
    assert "$x^2$ \\alpha" in shown
    assert "Line break tab" in shown
    assert "\u25a1\u25a1" in shown
    assert "A very long name that\u2026" in shown or "A very long\u2026" in shown
    assert fig.texts[0].get_text().startswith("$Sam$'s people")


SQUARES_NOTE = "\u25a1 marks letters this printout cannot draw; the interactive map shows them."


def footnote_of(fig):
    return fig.texts[-1].get_text().splitlines()


def test_the_footnote_explains_squares_only_when_there_are_some():
    plain = [("2025-03-03", "A", "person", "family", 1, {"name": "Nan"})]
    assert SQUARES_NOTE not in footnote_of(maps.circles(cohort_of(plain).snapshot("P1")))
    # A square that is in the data itself is drawn as it is, and needs no note.
    boxed = [("2025-03-03", "A", "person", "family", 1, {"name": "\u25a1 Nan"})]
    assert SQUARES_NOTE not in footnote_of(maps.circles(cohort_of(boxed).snapshot("P1")))
    # A name the font cannot draw, on a marker, in the middle and title, or both.
    chinese = [("2025-03-03", "A", "person", "family", 1, {"name": "\u674e\u534e"})]
    fig = maps.circles(cohort_of(chinese).snapshot("P1"))
    assert "\u25a1\u25a1" in {t.get_text() for t in name_labels(fig)}
    assert footnote_of(fig) == ["1 person", SQUARES_NOTE]
    fig = maps.circles(cohort_of(plain, name="Sam \u674e").snapshot("P1"))
    assert footnote_of(fig)[-1] == SQUARES_NOTE
    # The change map says so too, with the names left out when there are any.
    rows = [("2025-03-03", "A", "person", "family", 2, {"name": "Nan"}),
            ("2025-09-01", "A", "person", "family", 1, {"name": "Nan"}),
            ("2025-09-01", "B", "person", "friend", 1, {"name": "\u674e\u534e"})]
    timeline = cohort_of(rows).timeline("P1")
    assert footnote_of(maps.change(*timeline.snapshots)) == [SQUARES_NOTE]
    assert footnote_of(maps.change(*cohort_of(rows[:2]).timeline("P1").snapshots)) == []


LONG_NAMES = [
    "Maximilian Alexander Fitzgerald-Worthington III",  # 47 characters
    "W" * 45,  # the widest letter, over and over
    "\u0410\u043b\u0435\u043a\u0441\u0430\u043d\u0434\u0440\u0430 "
    "\u0412\u043b\u0430\u0434\u0438\u043c\u0438\u0440\u043e\u0432\u043d\u0430 "
    "\u041f\u0435\u0442\u0440\u043e\u0432\u0430-\u0418\u0432\u0430\u043d\u043e\u0432\u0430",  # Cyrillic
    "\u0645\u062d\u0645\u062f \u0639\u0628\u062f \u0627\u0644\u0644\u0647 Al-Rashid",  # Arabic
    "\u674e\u534e Zhang Wei",  # Chinese: the map font draws squares, but the title still fits
    "Liam",  # a short name whose change title was once cut off at the right
]


@pytest.mark.parametrize("name", LONG_NAMES)
def test_titles_always_fit_on_the_page(name):
    rows = [("2024-11-02", "A", "person", "friend", 2, {"name": "Nan"}),
            ("2025-11-18", "A", "person", "friend", 1, {"name": "Nan"}),
            ("2025-11-18", "B", "person", "family", 1, {"name": "Jo"})]
    before, after = cohort_of(rows, name=name).timeline("P1").snapshots
    for fig in (maps.circles(after), maps.change(before, after)):
        # At the figure's own resolution and at the lowest one the tests save at.
        for dpi in (100, 50):
            fig.set_dpi(dpi)
            fig.canvas.draw()
            renderer = fig.canvas.get_renderer()
            page = fig.bbox
            title = fig.texts[0].get_window_extent(renderer)
            assert page.x0 <= title.x0 and title.x1 <= page.x1 - 1, (fig.texts[0].get_text(), dpi)
            assert page.y0 <= title.y0 and title.y1 <= page.y1
            assert fig.texts[0].get_fontsize() >= 10
            if fig.texts[1].get_text()[0].isdigit():  # the change map's caption sits under the title
                caption = fig.texts[1].get_window_extent(renderer)
                assert caption.y1 <= title.y0 and caption.x1 <= page.x1
        fig.set_dpi(100)
        # Nothing is lost silently: the dates are always there, whole.
        assert "18 November 2025" in fig.texts[0].get_text()


def test_long_titles_break_before_the_dates():
    lines, size = fit_title("How Sam's people changed \u00b7 2 November 2024 \u2192 18 November 2025",
                            lambda words, size: len(words) * size, 50 * 15)
    assert lines == ["How Sam's people changed", "2 November 2024 \u2192 18 November 2025"]
    assert size == 15
    lines, size = fit_title("An endless title with no dates at all", lambda words, size: len(words) * size, 100)
    assert size == 10 and len(lines) == 1 and lines[0].endswith("\u2026") and len(lines[0]) * 10 <= 100


def key_words(fig):
    return [t.get_text() for t in fig.axes[1].texts]


def test_the_key_lists_only_what_is_on_the_map():
    rows = [("2025-03-03", "A", "person", "family", 1, {"name": "Nan"}),
            ("2025-03-03", "B", "person", "friend", 2, {"name": "Jo"})]
    plain = key_words(maps.circles(cohort_of(rows).snapshot("P1")))
    assert "A person" in plain and "Family" in plain and "Friends" in plain
    for absent in ("A group", "A place", "Hollow: paid, such as a worker", "You give them support",
                   "A line: they know each other", "Professionals"):
        assert absent not in plain
    rows += [("2025-03-03", "C", "place", "community", None, {"name": "Library", "support_given": "company"}),
             ("2025-03-03", "W", "person", "professional", 3, {"name": "Worker"})]
    full = key_words(maps.circles(cohort_of(rows, [("2025-03-03", "A", "B")]).snapshot("P1")))
    for present in ("A place", "Hollow: paid, such as a worker", "You give them support",
                    "A line: they know each other", "Professionals"):
        assert present in full
    assert "A group" not in full


def test_the_change_key_lists_only_the_changes_there_are():
    rows = [("2025-03-03", "A", "person", "friend", 2, {}), ("2025-03-03", "L", "person", "online", 2, {}),
            ("2025-09-01", "A", "person", "friend", 1, {})]
    words = key_words(maps.change(*cohort_of(rows).timeline("P1").snapshots))
    assert "Moved closer" in words and "Lost since 3 March 2025" in words
    assert "Moved further away" not in words and "New since 3 March 2025" not in words
    assert "Online" not in words  # lost ones are grey, so their colour is not in the key


# -- the change map ----------------------------------------------------------------------


def change_fixture():
    rows = [
        ("2025-03-03", "A", "person", "family", 3, {"name": "Nan"}),
        ("2025-03-03", "B", "person", "friend", 1, {"name": "Jo"}),
        ("2025-03-03", "C", "person", "friend", 2, {"name": "Kai"}),
        ("2025-03-03", "L", "place", "community", None, {"name": "Old café"}),
        ("2025-09-01", "A", "person", "family", 1, {"name": "Nan"}),
        ("2025-09-01", "B", "person", "friend", 2, {"name": "Jo"}),
        ("2025-09-01", "C", "person", "friend", 2, {"name": "Kai"}),
        ("2025-09-01", "N1", "group", "community", None, {"name": "Boxing club"}),
        ("2025-09-01", "N2", "person", "education_work", 2, {"name": "Tutor"}),
    ]
    ties = [("2025-03-03", "B", "C"), ("2025-09-01", "A", "N1")]
    return cohort_of(rows, ties).timeline("P1")


def test_change_caption_counts_in_words():
    change = sc.compare(*change_fixture().snapshots)
    assert maps.caption(change) == "2 new connections, 1 lost, 1 closer, 1 further away"


def test_change_map_marks_new_lost_and_moved():
    before, after = change_fixture().snapshots
    fig = maps.change(before, after)
    assert fig.texts[0].get_text() == (
        "How Sam's people, groups and places changed \u00b7 3 March 2025 \u2192 1 September 2025")
    assert fig.texts[1].get_text() == "2 new connections, 1 lost, 1 closer, 1 further away"
    labels = {t.get_text(): t for t in name_labels(fig)}
    assert labels["Boxing club"].get_fontweight() == "bold"
    assert labels["Tutor"].get_fontweight() == "bold"
    assert labels["Old café"].get_fontstyle() == "italic"
    assert labels["Kai"].get_fontweight() == "normal"
    arrows = [p for p in fig.axes[0].patches if type(p).__name__ == "FancyArrowPatch"]
    assert len(arrows) == 2  # Nan closer, Jo further away
    # A change map accepts a Change too, and draws the same picture.
    assert np.array_equal(png_pixels(fig), png_pixels(maps.change(sc.compare(before, after))))


def test_change_map_puts_everyone_where_their_own_maps_do():
    before, after = change_fixture().snapshots
    fig = maps.change(before, after)
    drawn = set()
    for c in fig.axes[0].collections:
        if isinstance(c, PathCollection):
            drawn |= {tuple(np.round(p, 9)) for p in c.get_offsets()}
    for snap, ids in ((after, ["A", "B", "C", "N1", "N2"]), (before, ["L"])):
        spots = maps.layout(snap)
        for cid in ids:
            assert tuple(np.round(spots[cid], 9)) in drawn


def drawn_points(fig):
    points = set()
    for c in fig.axes[0].collections:
        if isinstance(c, PathCollection):
            points |= {tuple(np.round(p, 9)) for p in c.get_offsets()}
    return points


def test_an_arrow_never_seems_to_start_at_someone_elses_marker():
    # The demo's clash, by hand: alone in their cells, Chinedu's spot in March (C02,
    # close) and Sunita's in September (C09, close, new) are 0.13 apart, so the arrow
    # for Chinedu moving closer looked as if it started at Sunita.
    rows = [
        ("2025-03-03", "C02", "person", "friend", 2, {"name": "Chinedu"}),
        ("2025-09-01", "C02", "person", "friend", 1, {"name": "Chinedu"}),
        ("2025-09-01", "C09", "person", "friend", 2, {"name": "Sunita"}),
    ]
    before, after = cohort_of(rows).timeline("P1").snapshots
    old = maps.layout(before)["C02"]
    now = maps.layout(after)
    assert math.dist(old, now["C09"]) < MIN_GAP  # the clash is really there
    spots, was = change_spots(sc.compare(before, after))
    assert spots == now  # nobody of now moves
    assert math.dist(was["C02"], now["C09"]) >= GHOST_GAP
    assert math.dist(was["C02"], now["C02"]) >= GHOST_GAP
    assert math.dist(was["C02"], old) < GHOST_GAP + 1e-6  # the smallest step that clears it
    assert RING_EDGES[1] < math.hypot(*was["C02"]) < RING_EDGES[2]
    fig = maps.change(before, after)
    (arrow,) = [p for p in fig.axes[0].patches if type(p).__name__ == "FancyArrowPatch"]
    start, end = arrow._posA_posB
    assert start == pytest.approx(was["C02"]) and end == pytest.approx(now["C02"])
    assert {tuple(np.round(p, 9)) for p in now.values()} <= drawn_points(fig)
    # The same every time.
    assert change_spots(sc.compare(before, after)) == (spots, was)


def test_lost_connections_never_push_kept_ones():
    # Alone, K and L19 (the same cell) hash to spots 0.02 apart; together the layout pushes them apart.
    rows = [
        ("2025-03-03", "K", "person", "family", 2, {"name": "Kai"}),
        ("2025-03-03", "L19", "person", "family", 2, {"name": "Lou"}),
        ("2025-09-01", "K", "person", "family", 2, {"name": "Kai"}),
    ]
    before, after = cohort_of(rows).timeline("P1").snapshots
    alone = maps.layout(after)["K"]
    assert maps.layout(before)["K"] != alone  # L19 pushed K in March
    change = sc.compare(before, after)
    spots, was = change_spots(change)
    assert was == {}
    assert spots["K"] == alone  # on the change map, K sits where September's map has it
    assert math.dist(spots["L19"], alone) >= GHOST_GAP  # and Lou's ghost steps off Kai
    assert math.dist(spots["L19"], maps.layout(before)["L19"]) < GHOST_GAP + 0.05
    drawn = drawn_points(maps.change(change))
    assert tuple(np.round(alone, 9)) in drawn and tuple(np.round(spots["L19"], 9)) in drawn
    # The interactive change map puts everyone in the same places.
    import json

    data = json.loads(scripts_of(maps.html_page(change))[1].removeprefix("window.socialcapData = ").removesuffix(";"))
    at = {n["label"].split(" (")[0]: (n["x"], n["y"]) for n in data["nodes"]}
    for name, cid in (("Kai", "K"), ("Lou", "L19")):
        assert at[name] == (round(spots[cid][0] * 130, 2), round(-spots[cid][1] * 130, 2))


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10_000), st.integers(2, 40))
def test_ghosts_keep_clear_and_the_present_never_moves(seed, n):
    rows = random_rows(n, seed)
    rnd = random.Random(seed)
    later = [("2025-09-01", cid, kind, domain, rnd.choice([1, 2, 3]) if kind == "person" else closeness, extra)
             for (_, cid, kind, domain, closeness, extra) in rows if rnd.random() < 0.6]
    later += random_rows(n // 3, seed + 1, date="2025-09-01", prefix="N")
    timeline = cohort_of(rows + later, dates=["2025-03-03", "2025-09-01"]).timeline("P1")
    change = sc.compare(*timeline.snapshots)
    spots, was = change_spots(change)
    now = maps.layout(timeline.snapshots[1])
    assert {cid: spots[cid] for cid in now} == now
    ghosts = [spots[c] for c in change.lost] + list(was.values())
    before = maps.layout(timeline.snapshots[0])
    for cid, point in [*((c, spots[c]) for c in change.lost), *was.items()]:
        if min((math.dist(before[cid], p) for p in now.values()), default=9) >= GHOST_GAP:
            assert point == before[cid]  # a ghost clear of everyone stays put
    # On a map this sparse there is always room: every ghost is clear of every marker.
    if n <= 12:
        for g in ghosts:
            assert all(math.dist(g, p) >= GHOST_GAP - 1e-9 for p in now.values())


@pytest.mark.parametrize("n", [0, 1, 25, 150])
def test_change_map_renders_at_every_size(n):
    rows = random_rows(n, seed=n) + [
        ("2025-09-01", cid, kind, domain, closeness, extra)
        for (_, cid, kind, domain, closeness, extra) in random_rows(n, seed=n)[: (3 * n) // 4]
    ] + random_rows(n // 5, seed=n + 1, date="2025-09-01", prefix="N")
    timeline = cohort_of(rows, dates=["2025-03-03", "2025-09-01"]).timeline("P1")
    fig = maps.change(*timeline.snapshots)
    pixels = png_pixels(fig)
    assert (pixels[..., :3].mean(axis=2) < 0.9).mean() > 0.02
    assert np.array_equal(pixels, png_pixels(maps.change(*timeline.snapshots)))


def test_change_needs_two_snapshots_or_a_change():
    before, after = change_fixture().snapshots
    with pytest.raises(TypeError, match="two snapshots"):
        maps.change(before)
    with pytest.raises(ValueError, match="earlier one first"):
        maps.change(after, before)


# -- the visual encoding, read back from the figure's artists ------------------------------

#: The published Okabe-Ito palette (Okabe & Ito 2008) as docs/maps.md promises it, and the
#: shapes it promises: a circle for a person, a square for a group, a triangle for a place.
OKABE_ITO = {"family": "#D55E00", "partner": "#CC79A7", "friend": "#E69F00", "neighbour": "#009E73",
             "community": "#F0E442", "education_work": "#56B4E9", "professional": "#0072B2"}
SHAPES = {"person": "o", "group": "s", "place": "^"}


def _shape(collection):
    """The marker a scatter collection draws ('o', 's', '^' or '?')."""
    from matplotlib.markers import MarkerStyle

    vertices = collection.get_paths()[0].vertices
    for name in "os^":
        style = MarkerStyle(name)
        expected = style.get_path().transformed(style.get_transform()).vertices
        if expected.shape == vertices.shape and np.allclose(expected, vertices):
            return name
    return "?"


def drawn_marks(fig):
    """Everything drawn at each named connection's spot: a list of looks per name, each a
    dict of shape, face and edge colour (RGBA), alpha and whether the outline is dashed."""
    where = {t.get_text(): tuple(np.round(t.xy, 6)) for t in name_labels(fig)}
    names = {xy: name for name, xy in where.items()}
    looks: dict[str, list[dict]] = {}
    for c in fig.axes[0].collections:
        if not isinstance(c, PathCollection) or not len(c.get_offsets()):
            continue
        faces, edges = c.get_facecolors(), c.get_edgecolors()
        dashed = any(dashes is not None for _, dashes in c.get_linestyles())
        for i, xy in enumerate(np.asarray(c.get_offsets(), dtype=float)):
            name = names.get(tuple(np.round(xy, 6)))
            if name is not None:
                looks.setdefault(name, []).append({
                    "shape": _shape(c), "face": tuple(faces[i % len(faces)]) if len(faces) else None,
                    "edge": tuple(edges[i % len(edges)]), "alpha": c.get_alpha(), "dashed": dashed})
    return looks


def test_the_map_draws_shape_by_kind_colour_by_domain_and_paid_hollow():
    rows = [("2025-03-03", f"D{i}", "person", domain, 1 + i % 3, {"name": f"Someone {domain}"})
            for i, domain in enumerate(OKABE_ITO)]
    rows += [
        ("2025-03-03", "G", "group", "community", None, {"name": "Boxing club"}),
        ("2025-03-03", "L", "place", "other", None, {"name": "Library"}),
        ("2025-03-03", "T", "person", "friend", 1, {"name": "Paid tutor", "paid": "true"}),
    ]
    looks = drawn_marks(maps.circles(cohort_of(rows).snapshot("P1")))
    assert {name: len(found) for name, found in looks.items()} == {r[5]["name"]: 1 for r in rows}
    for _, cid, kind, domain, _, extra in rows:
        (look,) = looks[extra["name"]]
        assert look["shape"] == SHAPES[kind], (cid, look)
        if domain in OKABE_ITO and cid != "T" and cid != "D6":  # D6: a professional, paid by default
            assert look["face"] == pytest.approx(matplotlib.colors.to_rgba(OKABE_ITO[domain])), (cid, domain)
    for hollow in ("Paid tutor", "Someone professional"):
        (look,) = looks[hollow]
        assert look["face"] == pytest.approx((1.0, 1.0, 1.0, 1.0))
        assert look["edge"] != pytest.approx((1.0, 1.0, 1.0, 1.0))
    # Seven domains, seven colours: no two parts of life look alike.
    faces = {looks[f"Someone {d}"][0]["face"] for d in OKABE_ITO if d != "professional"}
    assert len(faces) == 6


def test_the_change_map_ghosts_lost_rings_new_and_draws_kept_as_usual():
    rows = [
        ("2025-03-03", "K", "person", "friend", 2, {"name": "Kept"}),
        ("2025-03-03", "L", "group", "community", None, {"name": "Lost club"}),
        ("2025-09-01", "K", "person", "friend", 2, {"name": "Kept"}),
        ("2025-09-01", "N", "place", "neighbour", None, {"name": "New place"}),
    ]
    looks = drawn_marks(maps.change(*cohort_of(rows).timeline("P1").snapshots))
    plain = {"shape": "o", "face": pytest.approx(matplotlib.colors.to_rgba(OKABE_ITO["friend"])),
             "alpha": None, "dashed": False}
    (kept,) = looks["Kept"]
    assert {k: kept[k] for k in plain} == plain  # kept: the usual marker, no ring, not faded
    (lost,) = looks["Lost club"]
    assert lost["shape"] == "s" and lost["dashed"] and lost["alpha"] is not None and lost["alpha"] < 1
    assert lost["face"] != pytest.approx(matplotlib.colors.to_rgba(OKABE_ITO["community"]))  # grey, not its colour
    new, ring = sorted(looks["New place"], key=lambda look: look["shape"] == "o")
    assert new["shape"] == "^" and new["face"] == pytest.approx(matplotlib.colors.to_rgba(OKABE_ITO["neighbour"]))
    assert ring["shape"] == "o" and (ring["face"] is None or ring["face"][3] == 0)  # an open ring around it


# -- saving ------------------------------------------------------------------------------


@pytest.mark.parametrize("ending, magic", [(".png", b"\x89PNG"), (".svg", b"<?xml"), (".pdf", b"%PDF-"),
                                           (".html", b"<!DOCTYPE html>")])
def test_save_picks_the_format_by_ending(tmp_path, ending, magic):
    snap = random_snapshot(5)
    path = maps.save(snap, tmp_path / f"map{ending.upper()}")
    assert path.read_bytes().startswith(magic)


def test_saved_files_are_the_same_every_time(tmp_path):
    snap = random_snapshot(25)
    first, second = maps.circles(snap), maps.circles(snap)  # two separate drawings
    for ending in (".svg", ".pdf", ".png"):
        a = maps.save(first, tmp_path / f"a{ending}").read_bytes()
        b = maps.save(second, tmp_path / f"b{ending}").read_bytes()
        assert a == b, ending


@pytest.mark.parametrize("ending", [".png", ".svg", ".pdf"])
def test_save_replaces_a_map_atomically(tmp_path, ending, monkeypatch):
    path = tmp_path / f"map{ending}"
    path.write_bytes(b"the map printed last week")
    before = path.stat().st_ino
    maps.save(random_snapshot(3), path)
    # A new file renamed over the old one, not the old one overwritten where it lies.
    assert path.stat().st_ino != before and path.read_bytes() != b"the map printed last week"
    # A drawing that fails half-way leaves the last good map, and no half-written file beside it.
    good = path.read_bytes()

    def fail_half_way(self, target, **kwargs):
        target.write(b"half a map")
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(Figure, "savefig", fail_half_way)
    with pytest.raises(RuntimeError):
        maps.save(random_snapshot(3), path)
    assert path.read_bytes() == good
    assert [p.name for p in tmp_path.iterdir()] == [path.name]


def test_pdf_is_a4_landscape(tmp_path):
    text = maps.save(random_snapshot(3), tmp_path / "map.pdf").read_bytes()
    box = re.search(rb"/MediaBox \[ *0 0 ([\d.]+) ([\d.]+) *\]", text)
    assert box is not None
    assert float(box.group(1)) == pytest.approx(841.68, abs=0.5)  # 11.69 in
    assert float(box.group(2)) == pytest.approx(595.44, abs=0.5)  # 8.27 in


def test_save_explains_what_it_cannot_do(tmp_path):
    snap = random_snapshot(2)
    with pytest.raises(ValueError, match=r"\.png, \.svg, \.pdf, \.html"):
        maps.save(snap, tmp_path / "map.docx")
    with pytest.raises(ValueError, match="pass the snapshot"):
        maps.save(maps.circles(snap), tmp_path / "map.html")
    assert not list(tmp_path.iterdir())  # nothing half-written


def test_jupyter_pictures_are_png():
    timeline = change_fixture()
    assert maps.snapshot_repr_png(timeline.snapshots[0]).startswith(b"\x89PNG")
    assert maps.change_repr_png(sc.compare(*timeline.snapshots)).startswith(b"\x89PNG")


# -- the HTML page, read as text ---------------------------------------------------------


def evil_timeline():
    rows = [
        ("2025-03-03", "A", "person", "family", 1, {"name": EVIL[0], "notes": "SECRET-NOTE-1",
                                                  "support_given": "company"}),
        ("2025-03-03", "B", "person", "friend", 2, {"name": EVIL[1], "contact": "weekly"}),
        ("2025-03-03", "C", "group", "community", None, {"name": EVIL[2]}),
        ("2025-03-03", "D", "person", "friend", 3, {"name": '<a href="https://example.org">link</a>'}),
        ("2025-09-01", "A", "person", "family", 1, {"name": EVIL[0]}),
        ("2025-09-01", EVIL[1], "place", "community", 2, {"name": EVIL[1]}),
    ]
    return cohort_of(rows, [("2025-03-03", "A", "B")], name=EVIL[0]).timeline("P1")


class TagCollector(HTMLParser):
    """Every start tag of a page with its attribute names, as a browser parses them."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, list[str]]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, [name for name, _ in attrs]))


def scripts_of(page: str) -> list[str]:
    return re.findall(r"<script>(.*?)</script>", page, flags=re.S)


@pytest.mark.parametrize("which", ["snapshot", "change"])
def test_html_page_escapes_every_text_from_the_data(which):
    timeline = evil_timeline()
    subject = timeline.snapshots[0] if which == "snapshot" else sc.compare(*timeline.snapshots)
    page = maps.html_page(subject)
    for evil in EVIL:
        assert evil not in page
    assert "<a href" not in page
    outside = re.sub(r"<script>.*?</script>", "", page, flags=re.S)
    assert len(scripts_of(page)) == 3  # vis-network, the data, the drawing code
    assert "<script" not in outside  # and nothing else
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page  # shown as text in headings and the table
    assert "SECRET-NOTE-1" not in page  # only chosen fields, never extra columns


def test_html_page_fetches_nothing_and_allows_only_its_own_scripts():
    page = maps.html_page(evil_timeline().snapshots[0])
    tags = TagCollector()
    tags.feed(page)
    assert not {"link", "img", "iframe", "object", "embed", "base", "svg", "a", "form"} & {t for t, _ in tags.found}
    assert not [(t, a) for t, attrs in tags.found for a in attrs if a in ("src", "href", "action") or a.startswith("on")]
    styles = "".join(re.findall(r"<style>(.*?)</style>", page, flags=re.S))
    assert set(re.findall(r"url\(\s*['\"]?([a-z]+):", styles)) == {"data"}
    assert "@import" not in styles
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page).group(1)
    assert "default-src 'none'" in policy and "connect-src 'none'" in policy
    allowed = set(re.findall(r"'sha256-([A-Za-z0-9+/=]+)'", policy))
    actual = {base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() for s in scripts_of(page)}
    assert allowed == actual


def test_html_nodes_are_numbered_and_carry_only_chosen_fields():
    import json

    page = maps.html_page(evil_timeline().snapshots[0])
    data = json.loads(scripts_of(page)[1].removeprefix("window.socialcapData = ").removesuffix(";"))
    assert [n["id"] for n in data["nodes"]] == [0, 1, 2, 3, 4]
    allowed = {"id", "label", "title", "shape", "size", "x", "y", "physics", "fixed", "color", "borderWidth",
               "font", "opacity"}
    assert all(set(n) <= allowed for n in data["nodes"])
    by_label = {n["label"]: n for n in data["nodes"]}
    assert by_label[EVIL[0] + " \u2665"]["title"].splitlines()[:3] == [EVIL[0], "Family \u00b7 person", "Ring: closest"]
    # Positions are those of the circles map (screen y runs down).
    spot = maps.layout(evil_timeline().snapshots[0])["A"]
    node = by_label[EVIL[0] + " \u2665"]
    assert (node["x"], node["y"]) == (round(spot[0] * 130, 2), round(-spot[1] * 130, 2))
    assert data["options"]["physics"] == {"enabled": False}


def test_html_map_is_written_atomically(tmp_path):
    path = maps.html(evil_timeline().snapshots[0], tmp_path / "map.html")
    assert path.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert [p.name for p in tmp_path.iterdir()] == ["map.html"]


# -- the commands ------------------------------------------------------------------------


@pytest.fixture
def cli():
    """The real `socialcap` command, so a map command left unregistered fails here."""
    return main


@pytest.fixture
def folder(tmp_path):
    rows = [
        ("2025-03-03", "A", "person", "family", 3, {"name": "Nan"}),
        ("2025-03-03", "L", "place", "community", None, {"name": "Old café"}),
        ("2025-09-01", "A", "person", "family", 1, {"name": "Nan"}),
        ("2025-09-01", "N1", "group", "community", None, {"name": "Boxing club"}),
    ]
    return sc.write_cohort(cohort_of(rows), tmp_path / "cohort")


def test_map_command_writes_each_format(cli, folder, tmp_path):
    for ending in (".png", ".svg", ".pdf", ".html"):
        out = tmp_path / f"m{ending}"
        result = CliRunner().invoke(cli, ["map", str(folder), "--person", "P1", "-o", str(out)])
        assert result.exit_code == 0, result.output
        assert result.output == f"Wrote the map of P1 on 2025-09-01 to {out}\n"
        assert out.stat().st_size > 1000
    out = tmp_path / "early.png"
    result = CliRunner().invoke(cli, ["map", str(folder), "--person", "P1", "--date", "2025-03-03", "-o", str(out)])
    assert result.exit_code == 0 and "on 2025-03-03" in result.output


def test_change_command_says_what_changed_and_draws_with_o(cli, folder, tmp_path):
    result = CliRunner().invoke(cli, ["change", str(folder), "--person", "P1"])
    assert result.exit_code == 0
    assert result.output.startswith("From 3 March 2025 to 1 September 2025:\n- 1 new connection:")
    assert "- 1 moved closer:" in result.output
    out = tmp_path / "change.pdf"
    result = CliRunner().invoke(cli, ["change", str(folder), "--person", "P1", "--from", "2025-03-03",
                                      "--to", "2025-09-01", "-o", str(out)])
    assert result.exit_code == 0 and out.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize("args, code, message", [
    (["map", "{f}", "--person", "P9", "-o", "{t}/x.png"], 1, "there is no person 'P9'"),
    (["map", "{f}", "--person", "P1", "--date", "2025-01-02", "-o", "{t}/x.png"], 1, "no snapshot on 2025-01-02"),
    (["map", "{f}", "--person", "P1", "--date", "March", "-o", "{t}/x.png"], 2, "YYYY-MM-DD"),
    (["map", "{f}", "--person", "P1", "-o", "{t}/x.jpg"], 2, ".png, .svg, .pdf, .html"),
    (["change", "{f}", "--person", "P1", "--from", "2025-09-01", "--to", "2025-03-03"], 1, "give the earlier one first"),
])
def test_commands_explain_mistakes_without_a_traceback(cli, folder, tmp_path, args, code, message):
    argv = [a.format(f=folder, t=tmp_path) for a in args]
    result = CliRunner().invoke(cli, argv)
    assert result.exit_code == code
    assert message in result.output
    assert "Traceback" not in result.output


#: What drawing one person's map must not import (issue 15: a map in under a second).
#: The cohort statistics (scipy.stats), the change map and its metrics, the cohort charts,
#: networkx, and pyvis (which imports IPython): each of them once came along and cost
#: a tenth of a second or more.
NOT_FOR_ONE_MAP = ("scipy", "IPython", "pyvis", "networkx", "matplotlib.pyplot", "socialcap.analysis",
                   "socialcap.change", "socialcap.metrics", "socialcap.community", "socialcap.maps._community",
                   "socialcap.maps._change")


def loaded_after(program: str) -> list[str]:
    """The modules of `NOT_FOR_ONE_MAP` (and the interactive page's) that ``program`` imports, in a fresh Python."""
    import subprocess
    import sys

    watch = (*NOT_FOR_ONE_MAP, "socialcap.maps._html", "matplotlib", "matplotlib.figure", "pandas")
    check = f"\nimport sys\nprint('loaded:', sorted(m for m in {watch!r} if m in sys.modules))\n"
    done = subprocess.run([sys.executable, "-c", program + check], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return ast.literal_eval(done.stdout.rsplit("loaded:", 1)[1].strip())


def test_importing_the_maps_package_draws_in_nothing():
    assert loaded_after("import socialcap.maps\nassert socialcap.maps.FORMATS[0] == '.png'") == []
    # Each name still comes on first use, from the module that holds it.
    assert loaded_after("from socialcap.maps import circles, html, change, assets_chart") != []
    assert set(dir(maps)) >= set(maps.__all__)
    assert all(callable(getattr(maps, name)) for name in maps.__all__ if name != "FORMATS")


def test_the_map_commands_help_starts_without_pandas_or_matplotlib():
    program = ("from socialcap.cli import main\n"
               "try:\n    main(['map', '--help'])\nexcept SystemExit as done:\n    assert not done.code\n")
    assert loaded_after(program) == []


@pytest.mark.parametrize("ending", [".png", ".html"])
def test_the_map_command_imports_only_what_one_map_needs(folder, tmp_path, ending):
    out = tmp_path / f"m{ending}"
    program = (
        "from socialcap.cli import main\n"
        f"try:\n    main(['map', {str(folder)!r}, '--person', 'P1', '-o', {str(out)!r}])\n"
        "except SystemExit as done:\n    assert not done.code, done.code\n"
    )
    loaded = loaded_after(program)
    assert out.stat().st_size > 1000
    assert "matplotlib" in loaded  # the check itself sees imports
    assert [m for m in loaded if m in NOT_FOR_ONE_MAP] == []
    assert ("socialcap.maps._html" in loaded) == (ending == ".html")
    # The interactive map measures names with matplotlib's fonts but draws no figure.
    assert ("matplotlib.figure" in loaded) == (ending != ".html")


# -- hopes (SPEC §11): drawn apart, as stars, named in the key ---------------------------------------


def hopes_timeline():
    """Sam's maps: on 3 March, Nan, Kai (with a tie), a youth club and three hopes (the boxing
    club, a job at the café wished close, a friend nearby with no ring).  On 1 September
    the club and the job came true, the friend nearby is still a hope, and Kai became one."""
    people = pd.DataFrame({"person_id": ["P1"], "name": ["Sam"]})
    rows = [
        ("2025-03-03", "A", "person", "Nan", "family", 1, None),
        ("2025-03-03", "K", "person", "Kai", "friend", 2, None),
        ("2025-03-03", "Y", "group", "Youth club", "community", None, None),
        ("2025-03-03", "H1", "group", "Boxing club", "community", None, "true"),
        ("2025-03-03", "H2", "place", "a job at the café", "education_work", 2, "true"),
        ("2025-03-03", "H3", "person", "A friend nearby", "friend", None, "true"),
        ("2025-09-01", "A", "person", "Nan", "family", 1, None),
        ("2025-09-01", "Y", "group", "Youth club", "community", None, None),
        ("2025-09-01", "H1", "group", "Boxing club", "community", 3, None),
        ("2025-09-01", "H2", "place", "Café job", "education_work", 1, None),
        ("2025-09-01", "H3", "person", "A friend nearby", "friend", None, "true"),
        ("2025-09-01", "K", "person", "Kai", "friend", 2, "true"),
    ]
    connections = pd.DataFrame(rows, columns=["date", "connection_id", "kind", "name", "domain", "closeness", "hope"])
    ties = pd.DataFrame({"person_id": "P1", "date": ["2025-03-03", "2025-09-01"], "source": ["A", "H1"], "target": ["K", "A"]})
    return sc.Cohort.from_tables(people, connections.assign(person_id="P1"), ties).timeline("P1")


def hope_stars(fig):
    return [c for c in fig.axes[0].collections if isinstance(c, PathCollection) and c.get_gid() == "hope"]


def star_path():
    from matplotlib.markers import MarkerStyle

    marker = MarkerStyle("*")
    return marker.get_path().transformed(marker.get_transform()).vertices


def test_hopes_are_stars_in_the_slice_and_ring_they_would_belong_to():
    before = hopes_timeline()[0]
    fig = maps.circles(before)
    stars = hope_stars(fig)
    assert stars and all(np.allclose(c.get_paths()[0].vertices, star_path()) for c in stars)
    drawn = {tuple(np.round(p, 9)) for c in stars for p in c.get_offsets()}
    spots = maps.layout(before)
    assert drawn == {tuple(np.round(spots[cid], 9)) for cid in ("H1", "H2", "H3")}
    for cid, kind, domain, ring in (("H1", "group", "community", 3), ("H2", "place", "education_work", 2),
                                    ("H3", "person", "friend", 3)):
        x, y = spots[cid]
        sector = sector_of(kind, domain)
        angle = math.degrees(math.atan2(x, y)) % 360
        assert sector.start <= angle <= sector.end, cid
        assert RING_EDGES[ring - 1] < math.hypot(x, y) < RING_EDGES[ring], cid
    # "Not yet", never "missing": a tint of their own colour, solid outline, not the grey of a loss.
    for c in stars:
        face = c.get_facecolors()[0][:3]
        assert not np.allclose(face, matplotlib.colors.to_rgb(maps._style.GHOST_COLOUR))
        assert len(set(np.round(face, 3))) > 1  # a colour, not a grey
        assert c.get_linestyles()[0][1] is None  # a solid line, unlike a ghost's dashes
    labels = {t.get_text() for t in name_labels(fig)}
    assert {"Boxing club", "a job at the café", "A friend nearby"} <= labels
    assert footnote_of(fig)[0].endswith("\u00b7 3 hopes for the future")


def test_the_key_names_a_hope_in_plain_words_only_when_there_is_one():
    before = hopes_timeline()[0]
    fig = maps.circles(before)
    assert "A hope: you'd like this in your life" in key_words(fig)
    key_star = [c for c in fig.axes[1].collections if c.get_gid() == "key-hope"]
    assert len(key_star) == 1 and np.allclose(key_star[0].get_paths()[0].vertices, star_path())
    rows = [("2025-03-03", "A", "person", "family", 1, {"name": "Nan"})]
    assert not any("hope" in w for w in key_words(maps.circles(cohort_of(rows).snapshot("P1"))))


def test_hopes_never_move_a_real_connection():
    before = hopes_timeline()[0]
    real = before.real_connections
    with_hopes, without = maps.layout(before), maps.layout(real)
    assert set(without) == {"A", "K", "Y"}
    assert {cid: with_hopes[cid] for cid in without} == without
    points = list(with_hopes.values())
    assert min(math.dist(p, q) for p, q in itertools.combinations(points, 2)) >= MIN_GAP - 1e-6


def test_the_change_map_marks_a_hope_that_came_true():
    before, after = hopes_timeline()
    change = sc.compare(before, after)
    assert change.hopes_realised == ("H1", "H2") and change.hopes_added == ("K",)
    fig = maps.change(before, after)
    assert fig.texts[1].get_text() == "2 new connections, 1 lost, 0 closer, 2 hopes came true"
    marks = [t for t in fig.axes[0].texts if t.get_gid() == "came-true"]
    now = maps.layout(after)
    assert sorted(tuple(np.round(t.xy, 9)) for t in marks) == sorted(tuple(np.round(now[c], 9)) for c in ("H1", "H2"))
    assert all(t.get_text() == "\u2605" for t in marks)
    words = key_words(fig)
    assert "A hope that came true" in words and "A hope: you'd like this in your life" in words
    assert any(t.get_gid() == "key-came-true" for t in fig.axes[1].texts)
    # Kai became a hope: a star where the later map has him, not a ghost of a loss.
    stars = {tuple(np.round(p, 9)) for c in hope_stars(fig) for p in c.get_offsets()}
    assert stars == {tuple(np.round(now[c], 9)) for c in ("H3", "K")}
    assert "Lost since 3 March 2025" not in words
    labels = {t.get_text(): t for t in name_labels(fig) if t.get_gid() != "came-true"}
    assert labels["Boxing club"].get_fontweight() == "bold"


def test_no_hope_no_star():
    before, after = change_fixture().snapshots
    for fig in (maps.circles(after), maps.change(before, after)):
        assert not hope_stars(fig)
        assert not [t for t in fig.axes[0].texts if t.get_gid() == "came-true"]


def page_data(page: str) -> dict:
    import json

    start = page.index("window.socialcapData = ") + len("window.socialcapData = ")
    return json.JSONDecoder().raw_decode(page[start:])[0]


def test_the_interactive_map_draws_hopes_as_stars_and_marks_those_that_came_true():
    before, after = hopes_timeline()
    page = maps.html_page(before)
    nodes = {n["label"]: n for n in page_data(page)["nodes"]}
    assert nodes["Boxing club (a hope)"]["shape"] == "star"
    assert nodes["Nan"]["shape"] == "dot"
    assert "A hope: you&#39;d like this in your life" in page
    spots = maps.layout(before)
    assert nodes["A friend nearby (a hope)"]["x"] == round(spots["H3"][0] * 130, 2)
    change_page = maps.html_page(sc.compare(before, after))
    labels = {n["label"]: n for n in page_data(change_page)["nodes"]}
    assert "Boxing club (came true \u2605)" in labels and labels["Kai (a hope)"]["shape"] == "star"
    assert "A hope that came true" in change_page
    assert "hope" not in maps.html_page(change_fixture().snapshots[1]).split("<main>")[1].split("</aside>")[0]
