"""The interactive map in a real browser (headless Chromium, network blocked).

Each page must draw every node, make no network request, log no error, and show
hostile names as text that runs nothing.
"""

from __future__ import annotations

import os
import shutil

import pandas as pd
import pytest

import socialcap as sc
from socialcap import maps

CHROMIUM = "/usr/bin/chromium"
EVIL = ("<script>alert(1)</script>", "<img src=x onerror=alert(2)>", '"><svg onload=alert(3)>')

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"browser tests need Chromium at {CHROMIUM} (apt-get install chromium)")
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as p:
        launched = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"],
        )
        yield launched
        launched.close()


class Visit:
    """One page load, with everything the page tried to do written down."""

    def __init__(self, browser, path):
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.page = browser.new_page(viewport={"width": 1300, "height": 950})
        self.page.route("**/*", self._route)
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type in ("error", "warning") else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", self._dialog)
        self.page.goto(path.as_uri())
        self.page.wait_for_selector("body[data-drawn=yes]", timeout=15000)

    def _route(self, route):
        url = route.request.url
        if url.startswith("file://"):
            route.continue_()
        else:  # the network is blocked: any request is a failure, recorded here
            self.requests.append(url)
            route.abort()

    def _dialog(self, dialog):
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def close(self):
        self.page.close()


def one_person(rows, ties=(), name="Sam"):
    people = pd.DataFrame({"person_id": ["P1"], "name": [name]})
    frame = pd.DataFrame(
        [{"person_id": "P1", "date": d, "connection_id": c, "kind": k, "domain": dom, "closeness": cl, **extra}
         for d, c, k, dom, cl, extra in rows],
        columns=["person_id", "date", "connection_id", "kind", "domain", "closeness", "name",
                 "support_given", "contact", "notes"])
    tie_frame = pd.DataFrame([{"person_id": "P1", "date": d, "source": s, "target": t} for d, s, t in ties],
                             columns=["person_id", "date", "source", "target"])
    return sc.Cohort.from_tables(people, frame, tie_frame).timeline("P1")


def hostile_timeline():
    rows = [
        ("2025-03-03", "A", "person", "family", 1, {"name": EVIL[0], "support_given": "company", "notes": EVIL[1]}),
        ("2025-03-03", "B", "person", "friend", 2, {"name": EVIL[1], "contact": "weekly"}),
        ("2025-03-03", "C", "group", "community", None, {"name": EVIL[2]}),
        ("2025-03-03", EVIL[2], "place", "community", 3, {"name": '<a href="javascript:alert(4)">href</a>'}),
        ("2025-09-01", "A", "person", "family", 1, {"name": EVIL[0]}),
        ("2025-09-01", "N", "person", "friend", 1, {"name": EVIL[2]}),
    ]
    return one_person(rows, [("2025-03-03", "A", "B"), ("2025-03-03", "B", "C")], name=EVIL[1])


def many_timeline(n=150):
    kinds = ["person"] * 6 + ["group", "place"]
    domains = ["family", "partner", "friend", "neighbour", "community", "education_work", "professional", "online", "other"]
    rows = [("2025-03-03", f"C{i}", kinds[i % 8], domains[i % 9], (i % 3) + 1, {"name": f"Someone {i}"})
            for i in range(n)]
    ties = [("2025-03-03", f"C{i}", f"C{(i * 7) % n}") for i in range(n) if (i * 7) % n != i]
    return one_person(rows, ties)


def assert_clean(visit):
    assert visit.requests == []
    assert visit.errors == []
    assert visit.dialogs == []


def node_count(visit):
    return visit.page.evaluate("socialcapMap.body.data.nodes.length")


def canvas_is_drawn(visit):
    # Count painted pixels of the network canvas: rings and nodes, not a blank box.
    return visit.page.evaluate("""() => {
        const c = document.querySelector('#map canvas');
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let ink = 0;
        for (let i = 3; i < d.length; i += 4) if (d[i] > 0) ink++;
        return ink / (c.width * c.height);
    }""")


def hover_text(visit, node_id):
    """Move the mouse onto a node and read the hover box vis-network shows."""
    box = visit.page.locator("#map").bounding_box()
    point = visit.page.evaluate(
        "(id) => socialcapMap.canvasToDOM(socialcapMap.getPositions([id])[id])", node_id)
    x, y = box["x"] + point["x"], box["y"] + point["y"]
    visit.page.mouse.move(x - 30, y - 30)
    visit.page.mouse.move(x, y, steps=3)
    visit.page.wait_for_function(
        "() => { const t = document.querySelector('div.vis-tooltip'); return t && t.style.visibility !== 'hidden' && t.innerText.length > 0; }",
        timeout=5000)
    text = visit.page.evaluate("document.querySelector('div.vis-tooltip').innerText")
    visit.page.mouse.move(5, 5)
    visit.page.wait_for_timeout(120)
    return text


@pytest.mark.parametrize("which", ["snapshot", "change"])
def test_hostile_names_show_as_text_and_run_nothing(browser, tmp_path, which):
    timeline = hostile_timeline()
    subject = timeline.snapshots[0] if which == "snapshot" else sc.compare(*timeline.snapshots)
    path = maps.html(subject, tmp_path / "map.html")
    visit = Visit(browser, path)
    try:
        expected_nodes = 1 + (len(timeline.snapshots[0].connections) if which == "snapshot" else 5)
        assert node_count(visit) == expected_nodes
        assert canvas_is_drawn(visit) > 0.05
        page = visit.page
        # Headings and the table show the names as typed, and no element came from them.
        assert page.locator("h1").inner_text().startswith(EVIL[1] + "'s people") or \
            page.locator("h1").inner_text().startswith("How " + EVIL[1] + "'s people")
        page.locator("details summary").click()
        cells = page.locator("td").all_inner_texts()
        for evil in EVIL:
            assert evil in cells
        assert page.evaluate("document.querySelectorAll('img, svg, a, iframe, object, embed').length") == 0
        assert page.evaluate("document.querySelectorAll('script').length") == 3
        assert page.evaluate("typeof window.alert") == "function"
        # Hovering shows the plain text, and still nothing runs.
        labels = page.evaluate("socialcapMap.body.data.nodes.get().map(n => [n.id, n.label])")
        for node_id, label in labels:
            if node_id == 0:
                continue
            text = hover_text(visit, node_id)
            assert text.splitlines()[0] in label
        first_evil = next(i for i, label in labels if label.startswith(EVIL[0]))
        assert hover_text(visit, first_evil).splitlines()[0] == EVIL[0]
        assert page.evaluate("document.querySelectorAll('img, svg, a').length") == 0
        assert_clean(visit)
    finally:
        visit.close()


def test_a_big_map_draws_every_node_where_python_put_it(browser, tmp_path):
    timeline = many_timeline(150)
    snap = timeline.snapshots[0]
    path = maps.html(snap, tmp_path / "big.html")
    visit = Visit(browser, path)
    try:
        assert node_count(visit) == 151
        given = visit.page.evaluate(
            "Object.fromEntries(socialcapMap.body.data.nodes.get().map(n => [n.id, {x: n.x, y: n.y}]))")
        drawn = visit.page.evaluate(
            "Object.fromEntries(Object.entries(socialcapMap.body.nodes).map(([k, n]) => [k, {x: n.x, y: n.y}]))")
        assert len(drawn) == 151
        spots = maps.layout(snap)
        for number, cid in enumerate(sorted(spots), start=1):
            x, y = spots[cid]
            assert given[str(number)] == {"x": round(x * 130, 2), "y": round(-y * 130, 2)}
            # Physics is off, so nothing drifts (vis-network keeps whole pixels).
            assert drawn[str(number)]["x"] == pytest.approx(x * 130, abs=1)
            assert drawn[str(number)]["y"] == pytest.approx(-y * 130, abs=1)
        # Every node is inside the visible canvas (the paper is fitted, not cut off).
        box = visit.page.locator("#map").bounding_box()
        on_screen = visit.page.evaluate(
            "Object.values(socialcapMap.getPositions()).map(p => socialcapMap.canvasToDOM(p))")
        assert all(0 < d["x"] < box["width"] and 0 < d["y"] < box["height"] for d in on_screen)
        assert canvas_is_drawn(visit) > 0.2
        assert_clean(visit)
    finally:
        visit.close()


def test_an_empty_map_opens_cleanly(browser, tmp_path):
    people = pd.DataFrame({"person_id": ["P1"]})
    empty = pd.DataFrame(columns=["person_id", "date", "connection_id", "kind", "domain"])
    snaps = pd.DataFrame({"person_id": ["P1"], "date": ["2025-03-03"]})
    snap = sc.Cohort.from_tables(people, empty, None, snaps).snapshot("P1")
    visit = Visit(browser, maps.html(snap, tmp_path / "empty.html"))
    try:
        assert node_count(visit) == 1
        assert visit.page.locator("h1").inner_text() == "My people, groups and places \u00b7 3 March 2025"
        assert "Nobody is on this map yet." in visit.page.locator("body").inner_text()
        assert_clean(visit)
    finally:
        visit.close()


def test_the_page_does_not_depend_on_where_it_is_opened(browser, tmp_path):
    # Moved to another folder, with nothing beside it, it still opens the same.
    timeline = hostile_timeline()
    first = maps.html(timeline.snapshots[0], tmp_path / "a" / "map.html")
    moved = tmp_path / "elsewhere" / "copy.html"
    moved.parent.mkdir()
    shutil.copy(first, moved)
    visit = Visit(browser, moved)
    try:
        assert node_count(visit) == 5
        assert_clean(visit)
    finally:
        visit.close()


def test_names_on_the_interactive_map_never_overlap_when_first_shown():
    from socialcap.maps._html import _place_names

    # Two markers side by side: the second name goes above; a third between them has no room
    # (placed last: it ranks last).
    items = [((0,), 1, 0.0, 300.0, 13, "Mosque youth group", 14), ((1,), 2, 60.0, 300.0, 13, "Drama group", 14),
             ((2,), 3, 30.0, 300.0, 13, "Boxing club", 14)]
    assert _place_names(items) == {1: "below", 2: "above", 3: "crowded"}
    # Far apart, everyone is named below their marker, in any order.
    apart = [((i,), i, 300.0 * i, 0.0, 13, "A name", 14) for i in range(1, 4)]
    assert set(_place_names(apart[::-1]).values()) == {"below"}
