"""``socialcap serve`` in a real browser: what a coordinator and a young person do.

Headless Chromium (Debian's, driven by playwright) opens the address the real
command printed, on a real SQLite store; afterwards the store itself is read
(`socialcap.read_cohort`) to find everything that was done.  Screenshots go to the
folder named by ``SOCIALCAP_SCREENSHOTS`` when it is set (to look at them), else to
the test's temporary folder.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

import socialcap as sc
from test_app_api import Server, start_server, stop_server

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium"),
]
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync"]
HOSTILE = '<img src=x onerror="window.pwned=1">'
HOSTILE_CONNECTION = "<script>window.pwned=2</script>Bea"
FIRST = "2025-03-01"


def seed(url: str) -> None:
    with sc.open_store(url) as store:
        store.save_person({"person_id": "P01", "name": "Sam", "ward": "Derwent"})
        store.save_person({"person_id": "P02", "name": HOSTILE})
        store.save_snapshot({"person_id": "P01", "date": FIRST, "connections": [
            {"connection_id": "C1", "kind": "person", "name": "Mum", "domain": "family", "closeness": 1},
            {"connection_id": "C2", "kind": "person", "name": "Jo (personal adviser)", "domain": "professional",
             "closeness": 2},
            {"connection_id": "G1", "kind": "group", "name": "Boxing club", "domain": "community"},
        ], "ties": [{"source": "C1", "target": "C2"}], "answers": {}})
        store.save_snapshot({"person_id": "P02", "date": FIRST, "connections": [
            {"connection_id": "C1", "kind": "person", "name": HOSTILE_CONNECTION, "domain": "friend", "closeness": 1},
        ], "ties": [], "answers": {}})


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    url = str(tmp_path_factory.mktemp("browser") / "maps.db")
    seed(url)
    running = start_server(url)
    yield running
    stop_server(running)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


def shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("SOCIALCAP_SCREENSHOTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


class Watch:
    """Every request the page makes, and every console error."""

    def __init__(self, page: object, base: str) -> None:
        self.requests: list[str] = []
        self.errors: list[str] = []
        page.on("request", lambda request: self.requests.append(request.url))  # type: ignore[attr-defined]
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)  # type: ignore[attr-defined]
        page.on("pageerror", lambda error: self.errors.append(str(error)))  # type: ignore[attr-defined]
        self.base = base

    def check(self, expected: str = "\0") -> None:
        """No request left 127.0.0.1, and no console error (but the ``expected`` one)."""
        assert self.requests and all(url.startswith(self.base + "/") for url in self.requests), \
            [u for u in self.requests if not u.startswith(self.base + "/")]
        errors = [e for e in self.errors if expected not in e]
        assert not errors, errors


def settle(page: object) -> None:
    """Wait until every save and layout the page started has answered."""
    page.wait_for_selector("body[data-state=idle]")  # type: ignore[attr-defined]
    page.wait_for_timeout(50)  # type: ignore[attr-defined]
    page.wait_for_selector("body[data-state=idle]")  # type: ignore[attr-defined]


def open_app(page: object, server: Server, fragment: str = "") -> Watch:
    """Open the app at the printed address (with ``fragment``, e.g. ``#person=P01``),
    watching its console, and wait until it says it is ready."""
    watch = Watch(page, server.base)
    page.goto(f"{server.base}/?token={server.token}{fragment}")  # type: ignore[attr-defined]
    page.wait_for_selector("body[data-ready=yes]")  # type: ignore[attr-defined]
    return watch


def marker(page: object, name: str) -> object:
    return page.locator(f"#markers .marker:has(text.name:text-is({name!r}))")  # type: ignore[attr-defined]


def screen_point(page: object, x: float, y: float) -> tuple[float, float]:
    """Where the map point (x, y) (map units, up is up) is on the screen."""
    return page.evaluate(  # type: ignore[attr-defined]
        """([x, y]) => { const map = document.getElementById('map');
            const p = map.createSVGPoint(); p.x = x * 100; p.y = -y * 100;
            const q = p.matrixTransform(map.getScreenCTM()); return [q.x, q.y]; }""", [x, y])


def on_screen_positions(page: object) -> dict[str, tuple[float, float]]:
    return page.evaluate(  # type: ignore[attr-defined]
        """() => Object.fromEntries(Array.from(document.querySelectorAll('#markers .marker')).map(
            g => [g.dataset.connectionId, [Number(g.dataset.x), Number(g.dataset.y),
                  g.getAttribute('transform')]]))""")


def test_a_coordinator_draws_todays_map_with_a_young_person(server: Server, browser: object, tmp_path: Path) -> None:
    today = dt.date.today().isoformat()
    page = browser.new_page(viewport={"width": 1400, "height": 950})  # type: ignore[attr-defined]

    # The printed address: the token sets the cookie, then leaves the address bar.
    watch = open_app(page, server)
    assert "token" not in page.url

    # Choose a young person: their latest map opens.
    page.select_option("#person", "P01")
    page.wait_for_selector("#markers .marker")
    settle(page)
    assert page.locator("#map-title").text_content() == "Sam's people, groups and places \u00b7 1 March 2025"

    # Start today's map from the last one.
    page.click("#start-today")
    page.wait_for_function("(day) => document.getElementById('date').value === day", arg=today)
    settle(page)
    assert page.locator("#markers .marker").count() == 3

    # Add a friend in ring 1, by the keyboard alone.
    page.focus("#add-name")
    page.keyboard.type("Kai")
    page.keyboard.press("Tab")  # Is it: a person (already chosen)
    page.keyboard.press("Tab")  # Part of life: Friends (already chosen)
    page.keyboard.press("Tab")  # How close: Close
    page.keyboard.press("ArrowLeft")  # ... Closest
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # Add to the map
    marker(page, "Kai").wait_for()
    settle(page)

    # Move Jo one ring closer with the keyboard.
    marker(page, "Jo (personal adviser)").focus()
    page.keyboard.press("ArrowUp")
    settle(page)

    # Drag the group to another slice: Education & work, the middle ring.
    box = marker(page, "Boxing club").bounding_box()
    target = screen_point(page, 1.95 * 0.383, 1.95 * -0.924)  # compass 157.5 degrees, radius 1.95
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(target[0], target[1], steps=12)
    page.mouse.up()
    settle(page)

    # Draw a line between Kai and Mum, then undo it.
    marker(page, "Kai").click()
    page.select_option("#d-tie-target", label="Mum")
    page.click("#d-tie-add")
    kai = marker(page, "Kai").get_attribute("data-connection-id")
    line = f"#ties path[data-source='{kai}'][data-target='C1']"
    page.wait_for_selector(line)
    settle(page)
    page.click("#undo")
    page.wait_for_selector(line, state="detached")
    settle(page)

    # Sam gives Mum company (support given, the heart).
    marker(page, "Mum").click()
    page.check("#d-given input[value=company]")
    settle(page)
    assert marker(page, "Mum").locator("text.heart").count() == 1

    # Sam's own answer, in plain words.
    page.click("#answers-panel summary")
    page.click("#answers label:has(input[name=q-ons_lonely][value=hardly_ever])")
    settle(page)

    # The change map since the last one, and the map to print.
    page.click("#change-panel summary")
    page.click("#change-show")
    page.wait_for_function("() => { const i = document.getElementById('change-img'); return i.complete && i.naturalWidth > 0; }")
    printed = page.request.get(server.base + page.locator("#print").get_attribute("href"))
    assert printed.status == 200 and printed.body().startswith(b"%PDF-")
    page.screenshot(path=str(shots(tmp_path) / "app-desktop.png"), full_page=True)

    # Reload: the same map comes back, as stored.
    page.reload()
    page.wait_for_selector("body[data-ready=yes]")
    marker(page, "Kai").wait_for()
    settle(page)
    watch.check()

    snapshot = sc.read_cohort(server.url).snapshot("P01", today)
    rows = snapshot.connections.set_index("name")
    assert rows.loc["Kai", "closeness"] == 1 and rows.loc["Kai", "domain"] == "friend"
    assert rows.loc["Kai", "kind"] == "person"
    assert rows.loc["Jo (personal adviser)", "closeness"] == 1
    assert rows.loc["Boxing club", "domain"] == "education_work" and rows.loc["Boxing club", "closeness"] == 2
    assert rows.loc["Boxing club", "kind"] == "group"
    assert rows.loc["Mum", "support_given"] == "company"
    assert snapshot.answers == {"ons_lonely": "hardly_ever"}
    pairs = {frozenset(p) for p in zip(snapshot.ties["source"], snapshot.ties["target"])}
    assert pairs == {frozenset({"C1", "C2"})}  # the copied line stays; Kai's was undone
    assert [s.date.isoformat() for s in sc.read_cohort(server.url).timeline("P01").snapshots] == [FIRST, today]
    with sc.open_store(server.url) as store:
        assert len(store.history("P01", today)) >= 6  # every change was its own version
    assert len(sc.read_cohort(server.url).snapshot("P01", FIRST).connections) == 3  # the last map is untouched

    # On screen, everyone sits exactly where the printed map puts them.
    expected = sc.maps.layout(snapshot)
    shown = on_screen_positions(page)
    assert set(shown) == set(expected)
    for cid, (x, y) in expected.items():
        assert shown[cid][0] == pytest.approx(x, abs=1e-6) and shown[cid][1] == pytest.approx(y, abs=1e-6)
        assert shown[cid][2] == f"translate({x * 100:.2f} {-y * 100:.2f})"
    page.close()


def test_hostile_names_stay_text(server: Server, browser: object) -> None:
    page = browser.new_page(viewport={"width": 1200, "height": 900})  # type: ignore[attr-defined]
    watch = open_app(page, server)
    assert HOSTILE in page.locator("#person option[value=P02]").text_content()
    page.select_option("#person", "P02")
    page.wait_for_selector("#markers .marker")
    settle(page)
    assert page.locator("#everyone button").first.text_content().startswith(HOSTILE_CONNECTION)
    assert page.locator("#map-title").text_content().startswith(HOSTILE)
    assert page.evaluate("window.pwned") is None
    assert page.locator("img[src=x], #markers script, #everyone script, #everyone img").count() == 0
    watch.check()
    page.close()


def test_on_a_tablet_a_tap_chooses_and_targets_are_large(server: Server, browser: object, tmp_path: Path) -> None:
    context = browser.new_context(viewport={"width": 820, "height": 1180}, has_touch=True, is_mobile=True)  # type: ignore[attr-defined]
    page = context.new_page()
    watch = open_app(page, server, f"#person=P01&date={FIRST}")
    marker(page, "Mum").wait_for()
    settle(page)
    marker(page, "Mum").tap()
    page.wait_for_selector("#detail-panel:not([hidden])")
    assert page.locator("#detail-title").text_content() == "Mum"
    for selector in ("#start-today", "#undo", "#add-button", "#d-remove", "#everyone button",
                     "#d-ring .choice span", "#d-given .check"):
        for box in [page.locator(selector).nth(i).bounding_box() for i in range(page.locator(selector).count())]:
            assert box["height"] >= 44 - 0.5, (selector, box)
    for box in [m.bounding_box() for m in page.locator("#markers .marker .hit").all()]:
        assert box["width"] >= 44 and box["height"] >= 44
    page.screenshot(path=str(shots(tmp_path) / "app-tablet.png"), full_page=True)
    watch.check()
    context.close()


def test_a_new_young_person_gets_a_first_map(server: Server, browser: object) -> None:
    page = browser.new_page(viewport={"width": 1200, "height": 900})  # type: ignore[attr-defined]
    watch = open_app(page, server)
    page.click("#add-person-open")
    page.fill("#p-name", "Robin")
    page.fill("#p-ward", "Sinfin")
    page.click("#person-form button[type=submit]")
    page.wait_for_function("() => document.getElementById('start-today').textContent === \"Start today's map\"")
    page.click("#start-today")
    page.wait_for_selector("#everyone li.note")
    page.fill("#add-name", "Nan")
    page.select_option("#add-domain", "family")
    page.click("#add-ring label:has(input[value='1'])")
    page.click("#add-button")
    marker(page, "Nan").wait_for()
    settle(page)
    watch.check()
    cohort = sc.read_cohort(server.url)
    robin = cohort.people.set_index("name").loc["Robin"]
    assert robin["ward"] == "Sinfin"
    snap = cohort.timeline(robin["person_id"]).snapshots[-1]
    assert snap.connections["name"].tolist() == ["Nan"] and snap.connections["closeness"].tolist() == [1]
    page.close()


def test_a_map_saved_elsewhere_meanwhile_is_a_choice_not_a_loss(server: Server, browser: object) -> None:
    page = browser.new_page(viewport={"width": 1200, "height": 900})  # type: ignore[attr-defined]
    watch = open_app(page, server, f"#person=P01&date={FIRST}")
    marker(page, "Mum").wait_for()
    settle(page)
    with sc.open_store(server.url) as store:  # someone else saves the same map meanwhile
        theirs = store.snapshot("P01", FIRST)
        theirs["connections"].append({"connection_id": "T1", "kind": "place", "name": "Library",
                                      "domain": "community"})
        store.save_snapshot({k: v for k, v in theirs.items() if k != "version"},
                            expected_version=theirs.pop("version"))
    page.fill("#add-name", "Ash")
    page.click("#add-button")
    page.wait_for_selector("#message:not([hidden])")
    settle(page)
    text = page.locator("#message").text_content()
    assert "Someone else saved this map" in text and "Only on theirs: Library" in text and "Only on yours: Ash" in text
    with sc.open_store(server.url) as store:
        assert "Ash" not in [c.get("name") for c in store.snapshot("P01", FIRST)["connections"]]
    page.click("#message-actions button:text-is('Keep mine')")
    page.wait_for_selector("#status.saved")
    settle(page)
    with sc.open_store(server.url) as store:
        names = [c.get("name") for c in store.snapshot("P01", FIRST)["connections"]]
    assert "Ash" in names and "Library" not in names
    watch.check(expected="status of 409 (Conflict)")  # Chromium logs the refused save
    page.close()


def test_a_hope_is_added_as_a_star_and_when_it_happens_it_is_real(server: Server, browser: object) -> None:
    with sc.open_store(server.url) as store:
        store.save_person({"person_id": "P03", "name": "Rae"})
        store.save_snapshot({"person_id": "P03", "date": FIRST, "connections": [
            {"connection_id": "C1", "kind": "person", "name": "Mum", "domain": "family", "closeness": 1},
            *({"connection_id": f"W{n}", "kind": "person", "name": f"Worker {n}", "domain": "professional",
               "closeness": 2, "support_given": "company"} for n in range(1, 6))],
            "ties": [], "answers": {}})
    page = browser.new_page(viewport={"width": 1400, "height": 950})  # type: ignore[attr-defined]
    watch = open_app(page, server, f"#person=P03&date={FIRST}")
    marker(page, "Mum").wait_for()
    settle(page)

    # "Add a hope": one control, the same name, kind, part of life and ring as anyone.
    page.fill("#add-name", "A mentor")
    page.select_option("#add-domain", "professional")
    page.click("#add-hope-button")
    marker(page, "A mentor").wait_for()
    settle(page)
    hope = marker(page, "A mentor")
    cid = hope.get_attribute("data-connection-id")
    assert hope.get_attribute("data-hope") == "true" and hope.locator("polygon.hope").count() == 1
    assert hope.locator("polygon.hope").get_attribute("fill") == "#%02x%02x%02x" % tuple(
        round(255 * c) for c in sc.maps._draw.tint(sc.maps._style.DOMAIN_COLOURS["professional"]))
    assert "A hope: " + sc.vocab.HOPE_WORDS in page.locator("#key").text_content()
    snapshot = sc.read_cohort(server.url).snapshot("P03", FIRST)
    row = snapshot.connections.set_index("connection_id").loc[cid]
    assert bool(row["hope"]) and not bool(row["paid"])
    expected = sc.maps.layout(snapshot)
    for key, (x, y, _) in on_screen_positions(page).items():
        assert (x, y) == pytest.approx(expected[key], abs=1e-5)

    # A hope is no one's tie yet; "It happened" makes it real, as a new version.
    marker(page, "Mum").click()
    assert page.locator(f"#d-tie-target option[value='{cid}']").count() == 0
    hope.click()
    assert page.locator("#d-real-only").is_hidden() and page.locator("#d-happened").is_visible()
    with sc.open_store(server.url) as store:
        before = store.snapshot("P03", FIRST)["version"]
    page.click("#d-happened")
    page.wait_for_selector(f"#markers .marker[data-connection-id='{cid}'][data-hope=false]")
    settle(page)
    page.reload()
    page.wait_for_selector("body[data-ready=yes]")
    marker(page, "A mentor").wait_for()
    settle(page)
    assert marker(page, "A mentor").get_attribute("data-hope") == "false"
    with sc.open_store(server.url) as store:
        assert store.snapshot("P03", FIRST)["version"] > before
    connections = sc.read_cohort(server.url).snapshot("P03", FIRST).connections.set_index("connection_id")
    assert not bool(connections.loc[cid, "hope"]) and connections.loc[cid, "name"] == "A mentor"
    watch.check()
    page.close()
