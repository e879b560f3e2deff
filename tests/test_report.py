"""The cohort report: offline HTML with no names, small groups suppressed; and its command."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import click
import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

import socialcap as sc
from socialcap import vocab
from socialcap.cli.report import pseudonymise_command, report_command, summary_command
from socialcap.report import build_report, write_report

# Allestree and Darley have 4 young people each (hidden), Boulton 5 (shown), Chaddesden 8.
WARDS = {"Allestree": 4, "Boulton": 5, "Chaddesden": 8, "Darley": 4}
FIRST_NAMES = ["Amara", "Bilal", "Cerys", "Dmitri", "Esme", "Farah", "Gethin", "Hana", "Idris", "Jude",
               "Kezia", "Lowri", "Malik", "Nia", "Oren", "Priya", "Quinn", "Rhys", "Saoirse", "Tobias", "Uma"]


def make_cohort(seed: int = 5) -> sc.Cohort:
    """A made-up cohort: every person two or three maps, names everywhere, answers on most maps."""
    rng = np.random.default_rng(seed)
    people, connections, ties, snapshots = [], [], [], []
    i = 0
    for ward, size in WARDS.items():
        for _ in range(size):
            pid = f"YP{i:03}"
            people.append((pid, f"{FIRST_NAMES[i]} Testperson", 2003 + i % 6, ward, "2024-09-01",
                           f"private note about {FIRST_NAMES[i]}"))
            for w in range(2 + (i % 3 == 0)):
                date = f"2025-{1 + 4 * w:02}-15"
                n = int(rng.integers(1, 7))
                for c in range(n):
                    domain = vocab.DOMAINS[int(rng.integers(0, len(vocab.DOMAINS)))]
                    contact = vocab.CONTACT[int(rng.integers(0, 4))]
                    support = "emotional;practical" if rng.random() < 0.4 else ""
                    connections.append((pid, date, f"C{c}", "person", f"Contactname{i}x{c}", domain,
                                        int(rng.integers(1, 4)), contact, support))
                connections.append((pid, date, "G1", "group", "Secret Youth Club", "community", None, "weekly", ""))
                if n >= 2:
                    ties.append((pid, date, "C0", "C1"))
                answers = rng.integers(1, 4, size=3).tolist() if rng.random() < 0.9 else [None] * 3
                snapshots.append((pid, date, *answers))
            i += 1
    return sc.Cohort.from_tables(
        pd.DataFrame(people, columns=["person_id", "name", "birth_year", "ward", "start_date", "notes"]),
        pd.DataFrame(connections, columns=["person_id", "date", "connection_id", "kind", "name", "domain",
                                           "closeness", "contact", "support_received"]),
        pd.DataFrame(ties, columns=["person_id", "date", "source", "target"]),
        pd.DataFrame(snapshots, columns=["person_id", "date", *vocab.UCLA_ITEMS]),
    )


def simple_metrics(cohort: sc.Cohort) -> pd.DataFrame:
    """A few SPEC §3 metrics worked out here, so the report is tested apart from socialcap.metrics."""
    conn = cohort.connections
    persons = conn[conn["kind"] == "person"]
    key = ["person_id", "date"]
    index = pd.MultiIndex.from_frame(cohort.snapshots[key])
    grouped = persons.groupby(key)
    people = grouped.size().reindex(index, fill_value=0)
    paid = grouped["paid"].sum().reindex(index, fill_value=0)
    informal = persons[~persons["paid"]]
    close = informal[informal["closeness"] == 1].groupby(key).size().reindex(index, fill_value=0)
    # A stand-in for LSNS-6: three points per unpaid person, capped at 30.
    lsns = (informal.groupby(key).size().reindex(index, fill_value=0) * 3).clip(upper=30).astype(float)
    answers = cohort.snapshots.set_index(key)[list(vocab.UCLA_ITEMS)].astype("Float64")
    ucla = answers.sum(axis=1, skipna=False).to_numpy(dtype=float, na_value=np.nan)
    table = pd.DataFrame(
        {
            "people": people.to_numpy(),
            "informal_people": (people - paid).to_numpy(),
            "paid_people": paid.to_numpy(),
            "paid_share": np.where(people > 0, paid / people.where(people > 0), np.nan),
            "close_informal": close.to_numpy(),
            "lsns6": lsns.to_numpy(),
            "isolated": pd.array(lsns.to_numpy() < 12, dtype="boolean"),
            "ucla3": ucla,
            "lonely": pd.array(np.where(np.isnan(ucla), None, ucla >= 6), dtype="boolean"),
        },
        index=index,
    )
    return table


@pytest.fixture(scope="module")
def cohort() -> sc.Cohort:
    return make_cohort()


@pytest.fixture(scope="module")
def report(cohort: sc.Cohort, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_report(cohort, tmp_path_factory.mktemp("report"), metrics=simple_metrics(cohort))


class Tables(HTMLParser):
    """Collects the rows of the report's summary tables as lists of cell texts."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: dict[str, list[tuple[list[str], str]]] = {}
        self.table: str | None = None
        self.row: list[str] | None = None
        self.row_class = ""
        self.cell = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "table" and "data-breakdown" in a:
            self.table = a["data-breakdown"]
            self.rows[self.table] = []
        elif tag == "tr" and self.table:
            self.row, self.row_class = [], a.get("class") or ""
        elif tag == "td" and self.row is not None:
            self.row.append("")
            self.cell = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "td":
            self.cell = False
        elif tag == "tr" and self.row is not None and self.table:
            if self.row:
                self.rows[self.table].append((self.row, self.row_class))
            self.row = None
        elif tag == "table":
            self.table = None

    def handle_data(self, data: str) -> None:
        if self.cell and self.row is not None:
            self.row[-1] += data


def summary_rows(html: str) -> dict[str, list[tuple[list[str], str]]]:
    parser = Tables()
    parser.feed(html)
    return parser.rows


def test_report_has_no_names_ids_or_notes(cohort: sc.Cohort, report: Path) -> None:
    # The inline images are base64 and can hold any letters by chance: look at the words only.
    html = re.sub(r"data:image/png;base64,[^\"]+", "", report.read_text(encoding="utf-8"))
    for word in ["Testperson", "Contactname", "Secret Youth Club", "private note", *FIRST_NAMES[:21]]:
        assert word not in html, word
    assert not re.search(r"YP\d{3}", html)
    summary = (report.parent / "summary.csv").read_text(encoding="utf-8")
    assert "Testperson" not in summary and not re.search(r"YP\d{3}", summary)


def test_report_sections_and_inline_images(report: Path) -> None:
    html = report.read_text(encoding="utf-8")
    for heading in ("The cohort", "Isolation and loneliness, map by map", "Change from baseline to follow-up",
                    "By ward", "By age band", "Reliance on paid people over time", "How each figure is defined"):
        assert f">{heading}<" in html, heading
    sources = re.findall(r'<img src="([^"]+)"', html)
    assert len(sources) >= 4 and all(s.startswith("data:image/png;base64,") for s in sources)
    assert "<script" not in html and "http://" not in html and "https://" not in html
    assert "default-src 'none'" in html


def test_report_suppression_boundary(report: Path) -> None:
    rows = summary_rows(report.read_text(encoding="utf-8"))["ward"]
    people_rows = {cells[0]: (cells, css) for cells, css in rows if cells[1] == "People in the map"}
    for ward in ("Allestree", "Darley"):  # 4 young people: hidden
        cells, css = people_rows[ward]
        assert "suppressed" in css and cells[2] == "fewer than 5" and set(cells[3:]) == {"–"}
    cells, css = people_rows["Boulton"]  # 5 young people: shown
    assert "suppressed" not in css and cells[2] == "5"
    assert people_rows["Chaddesden"][0][2] == "8"
    assert people_rows["All people"][0][2] == "21"


def test_report_figures_match_the_summaries(cohort: sc.Cohort, report: Path) -> None:
    summary = pd.read_csv(report.parent / "summary.csv")
    row = summary[(summary["breakdown"] == "ward") & (summary["group"] == "Boulton") & (summary["metric"] == "people")]
    metrics = simple_metrics(cohort)
    members = cohort.people.loc[cohort.people["ward"] == "Boulton", "person_id"]
    firsts = metrics.loc[members.tolist()].groupby(level=0)["people"]
    assert row["baseline_mean"].item() == pytest.approx(firsts.first().mean())
    assert row["followup_mean"].item() == pytest.approx(firsts.last().mean())
    hidden = summary[(summary["group"] == "Allestree")]
    assert hidden["suppressed"].all() and hidden[["n", "baseline_mean", "p_value"]].isna().all().all()


def test_min_count_and_rounding(cohort: sc.Cohort, capsys: pytest.CaptureFixture[str]) -> None:
    metrics = simple_metrics(cohort)[["people", "isolated", "lonely"]]
    html, _ = build_report(cohort, metrics=metrics, min_count=6, round_counts=True, by=["ward"], verbose=True)
    # The progress bar runs to its end: 5 steps, one per breakdown and six plots.
    assert re.search(r"Report: 100%.*\b12/12\b.*page", capsys.readouterr().err)
    rows = summary_rows(html)["ward"]
    shown = {cells[0]: cells[2] for cells, _ in rows if cells[1] == "People in the map"}
    assert shown == {"Allestree": "fewer than 6", "Boulton": "fewer than 6", "Chaddesden": "10",
                     "Darley": "fewer than 6", "All people": "20"}  # 8 -> 10, 21 -> 20


def test_markup_in_a_ward_is_shown_as_text(cohort: sc.Cohort) -> None:
    people = cohort.people.copy()
    people["ward"] = people["ward"].replace("Chaddesden", "<script>alert(1)</script>")
    odd = sc.Cohort(people=people, connections=cohort.connections, ties=cohort.ties, snapshots=cohort.snapshots)
    html, _ = build_report(odd, metrics=simple_metrics(odd)[["people", "isolated"]], by=["ward"])
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.browser
def test_report_opens_offline_in_chromium(report: Path) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path("/usr/bin/chromium").exists():
        pytest.skip("needs /usr/bin/chromium")
    requests, problems = [], []
    url = report.resolve().as_uri()
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"],
        )
        try:
            context = browser.new_context(offline=True)
            page = context.new_page()

            def block(route: object) -> None:
                if route.request.url != url:  # type: ignore[attr-defined]
                    requests.append(route.request.url)  # type: ignore[attr-defined]
                    route.abort()  # type: ignore[attr-defined]
                else:
                    route.continue_()  # type: ignore[attr-defined]

            page.route("**/*", block)
            page.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None)
            page.on("pageerror", lambda e: problems.append(str(e)))
            page.on("requestfailed", lambda r: problems.append(f"failed: {r.url}"))
            page.goto(url, wait_until="load")
            widths = page.eval_on_selector_all("img", "imgs => imgs.map(i => i.complete ? i.naturalWidth : 0)")
            text = page.inner_text("body")
        finally:
            browser.close()
    assert requests == [] and problems == []
    assert len(widths) >= 4 and all(w > 0 for w in widths)
    assert "Testperson" not in text and "fewer than 5" in text


# -- the command line ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def folder(cohort: sc.Cohort, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return sc.write_cohort(cohort, tmp_path_factory.mktemp("cohort") / "in")


def commands() -> click.Group:
    group = click.Group("socialcap")
    for command in (report_command, pseudonymise_command, summary_command):
        group.add_command(command)
    return group


def test_pseudonymise_command_keeps_the_key_apart(folder: Path, tmp_path: Path) -> None:
    key = tmp_path / "keys" / "key.bin"
    key.parent.mkdir()
    key.write_bytes(b"0123456789abcdef0123456789abcdef\n")
    out = tmp_path / "safe"
    result = CliRunner().invoke(commands(), ["pseudonymise", str(folder), "--key-file", str(key), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "not anonymised" in result.output
    safe = sc.read_cohort(out)
    assert safe.people["name"].isna().all() and "notes" not in safe.people.columns
    assert b"0123456789abcdef" not in b"".join(p.read_bytes() for p in out.rglob("*") if p.is_file())
    inside = CliRunner().invoke(commands(), ["pseudonymise", str(folder), "--key-file", str(key), "-o", str(key.parent)])
    assert inside.exit_code == 1 and "key" in inside.output and "Traceback" not in inside.output


def test_summary_command(folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sc.Cohort, "metrics", lambda self, columns=(), verbose=False: simple_metrics(self))
    out = tmp_path / "by_ward.csv"
    result = CliRunner().invoke(commands(), ["summary", str(folder), "--by", "ward", "-o", str(out)])
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out)
    assert set(table["ward"]) == {"Allestree", "Boulton", "Chaddesden", "Darley", "All people"}
    assert table.loc[table["ward"] == "Allestree", "suppressed"].all()
    bad = CliRunner().invoke(commands(), ["summary", str(folder), "--by", "postcode", "-o", str(out)])
    assert bad.exit_code == 1 and "postcode" in bad.output and "Traceback" not in bad.output


def test_report_command(folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sc.Cohort, "metrics", lambda self, columns=(), verbose=False: simple_metrics(self))
    out = tmp_path / "out"
    result = CliRunner().invoke(commands(), ["report", str(folder), "-o", str(out), "--min-count", "10", "--by", "ward", "--quiet"])
    assert result.exit_code == 0, result.output
    assert (out / "report.html").exists() and (out / "summary.csv").exists()
    assert str(out / "report.html") in result.output
    missing = CliRunner().invoke(commands(), ["report", str(tmp_path / "nowhere"), "-o", str(out)])
    assert missing.exit_code == 2 and "Traceback" not in missing.output


def test_report_counts_hopes_held_and_realised() -> None:
    from test_analysis import hopes_cohort

    cohort = hopes_cohort(people=7)
    html, summaries = build_report(cohort, by=["ward"])
    assert ">Hopes<" in html and "never counted as connections" in html
    start = html.index('<section id="hopes">')
    section = html[start:html.index("</section>", start)]
    cells = re.findall(r"<td>([^<]*)</td>", section)
    assert cells == ["7", "2.00", "1.43", "4", "4"]
    everyone = summaries[(summaries["breakdown"] == "everyone") & (summaries["metric"] == "hopes")].iloc[0]
    assert everyone["hopes_realised"] == 4
    hidden, _ = build_report(cohort, by=["ward"], min_count=10)
    start = hidden.index('<section id="hopes">')
    assert "fewer than 10" in hidden[start:hidden.index("</section>", start)]


def test_report_without_hopes_says_so(cohort: sc.Cohort) -> None:
    html, _ = build_report(cohort, by=["ward"])
    assert "No hopes were recorded on these maps." in html
