"""How quickly `socialcap serve` answers, measured by the browser's own clock.

A store with one young person whose map has 150 connections (and 60 lines between
them) is served by the real command; Debian's Chromium (playwright) opens it and
`performance.now()` inside the page times:

* opening the map: from choosing the young person to every marker drawn at the
  printed map's positions (the page idle);
* a move: from the key press that moves someone a ring closer (the same code as a
  drop after a drag) to the marker drawn in its new place (synchronous), then to the
  server's layout drawn, then to the save answered;
* a save round trip: the PUT of the whole 150-connection map, from the browser's
  resource timing.

Run from the repository root:  python benchmarks/app.py   (prints the figures)
"""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

import socialcap as sc

DOMAINS = ["family", "friend", "neighbour", "community", "education_work", "professional", "online", "other",
           "partner"]
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync"]
MOVES = 15


def big_map(n: int = 150) -> dict[str, object]:
    connections = []
    for i in range(n):
        kind = "group" if i % 10 == 7 else "place" if i % 10 == 8 else "person"
        row: dict[str, object] = {"connection_id": f"C{i:03d}", "kind": kind, "name": f"Someone {i}",
                                  "domain": DOMAINS[i % len(DOMAINS)]}
        if kind == "person":
            row["closeness"] = 1 + i % 3
        if i % 6 == 0:
            row["support_given"] = "company"
        connections.append(row)
    people = [c["connection_id"] for c in connections]
    ties = [{"source": people[i], "target": people[(i * 7 + 3) % n]} for i in range(0, n, 2)][:60]
    return {"person_id": "P001", "date": "2025-09-01", "connections": connections,
            "ties": [t for t in ties if t["source"] != t["target"]], "answers": {}}


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        url = str(Path(folder) / "maps.db")
        with sc.open_store(url) as store:
            store.save_person({"person_id": "P001", "name": "Sam"})
            store.save_snapshot(big_map())
        server = subprocess.Popen([sys.executable, "-m", "socialcap", "serve", url, "--no-browser"],
                                  stdout=subprocess.PIPE, text=True)
        try:
            assert server.stdout is not None
            address = next(m.group(0) for line in server.stdout
                           if (m := re.search(r"http://127\.0\.0\.1:\d+/\?token=\S+", line)))
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
                page = browser.new_page(viewport={"width": 1400, "height": 950})
                page.goto(address)
                page.wait_for_selector("body[data-ready=yes]")
                opening = []
                for _ in range(5):
                    page.select_option("#person", "")
                    page.evaluate("() => { window.benchStart = performance.now(); }")
                    page.select_option("#person", "P001")
                    page.wait_for_function("() => document.querySelectorAll('#markers .marker').length === 150")
                    page.wait_for_selector("body[data-state=idle]")
                    opening.append(page.evaluate("() => performance.now() - window.benchStart"))
                drawn, laid_out, saved = [], [], []
                for k in range(MOVES):
                    cid = f"C{(k * 3) % 150:03d}"
                    times = page.evaluate(
                        """(cid) => new Promise((resolve) => {
                            const g = document.querySelector(`#markers .marker[data-connection-id="${cid}"]`);
                            const before = g.getAttribute('data-x');
                            const start = performance.now();
                            g.focus();
                            const key = g.getAttribute('aria-label').includes('closest') ? 'ArrowDown' : 'ArrowUp';
                            g.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true }));
                            const drawn = performance.now() - start;
                            let laidOut = null;
                            const check = () => {
                              if (laidOut === null && g.getAttribute('data-x') !== before) { laidOut = performance.now() - start; }
                              if (document.body.dataset.state === 'idle' && laidOut !== null) {
                                resolve([drawn, laidOut, performance.now() - start]);
                              } else { requestAnimationFrame(check); }
                            };
                            requestAnimationFrame(check);
                        })""", cid)
                    drawn.append(times[0])
                    laid_out.append(times[1])
                    saved.append(times[2])
                puts = page.evaluate(
                    """() => performance.getEntriesByType('resource')
                        .filter(e => e.initiatorType === 'fetch' && /\\/snapshots\\/2025-09-01$/.test(e.name))
                        .map(e => e.duration)""")
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=30)

    def line(label: str, values: list[float]) -> None:
        print(f"{label:58s} median {statistics.median(values):7.1f} ms   max {max(values):7.1f} ms   (n={len(values)})")

    print("socialcap serve, a 150-connection map, timed by Chromium's performance.now()"
          f" (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    line("open the map (choose the person -> all drawn, idle)", opening)
    line("a move: marker redrawn in its new ring (synchronous)", drawn)
    line("a move: marker's position changed on screen", laid_out)
    line("a move: saved (layout and PUT answered)", saved)
    line("save round trip (PUT of the whole map, resource timing)", puts[-MOVES:])


if __name__ == "__main__":
    main()
