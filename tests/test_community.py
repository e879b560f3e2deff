"""Community assets (SPEC §12), checked on a cohort whose answer is known from elsewhere.

Davis's Southern Women (Davis, Gardner & Gardner 1941; networkx ships it): 18 women
and the 14 social events they attended.  Here each woman is a young person and each
event a group asset, so the number of young people per asset must be the event's
size, and the assets' projection must be networkx's own.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest
from networkx.algorithms import bipartite

import socialcap as sc
from conftest import write_folder
from socialcap.privacy import person_pseudonym

KEY = b"a long secret key kept elsewhere"
WARDS = ("Derwent", "Sinfin", "Arboretum")


def davis() -> nx.Graph:
    return nx.davis_southern_women_graph()


def women(g: nx.Graph) -> list[str]:
    return [n for n, side in g.nodes(data="bipartite") if side == 0]


def events(g: nx.Graph) -> list[str]:
    return [n for n, side in g.nodes(data="bipartite") if side == 1]


def davis_cohort(extra_wave: bool = False) -> sc.Cohort:
    """The women as young people (their names as ids and names: any leak shows), events as assets."""
    g = davis()
    rows = []
    for woman in women(g):
        for k, event in enumerate(sorted(g[woman], key=lambda e: int(e[1:]))):
            rows.append({"person_id": woman, "date": "2025-03-01", "connection_id": f"G{k}", "kind": "group",
                         "name": f"{woman}'s {event}", "domain": "community", "asset_id": event})
        # Each woman also has a friend, who is never an asset.
        rows.append({"person_id": woman, "date": "2025-03-01", "connection_id": "F", "kind": "person",
                     "name": "A friend", "domain": "friend", "closeness": 1})
    if extra_wave:
        # Six months on: Evelyn, Laura and Theresa stop going to E8 and Olivia and Flora start;
        # E14 has closed; Dorothy has no second map.
        for row in [r for r in rows if r["person_id"] != "Dorothy Murchison"]:
            moved = dict(row, date="2025-09-01")
            if moved.get("asset_id") == "E14" or (
                moved.get("asset_id") == "E8" and row["person_id"] in ("Evelyn Jefferson", "Laura Mandeville", "Theresa Anderson")
            ):
                continue
            rows.append(moved)
        for woman in ("Olivia Carleton", "Flora Price"):
            rows.append({"person_id": woman, "date": "2025-09-01", "connection_id": "G8", "kind": "group",
                         "domain": "community", "asset_id": "E8"})
    people = pd.DataFrame({"person_id": women(g), "name": women(g)})
    assets = pd.DataFrame({
        "asset_id": sorted(events(g), key=lambda e: int(e[1:])),
        "name": [f"Social event {i}" for i in range(1, 15)],
        "kind": "group",
        "ward": [WARDS[i % 3] for i in range(14)],
        "openreferral_id": [f"orid-{i}" for i in range(1, 15)],
        "funded_by": "the parish",  # an extra column, kept
    })
    return sc.Cohort.from_tables(people, pd.DataFrame(rows), assets=assets)


@pytest.fixture(scope="module")
def cohort() -> sc.Cohort:
    return davis_cohort()


def test_counts_per_asset_equal_the_event_sizes(cohort: sc.Cohort) -> None:
    table = sc.community.assets(cohort, min_count=1)
    g = davis()
    assert table["asset_id"].tolist() == sorted(events(g))
    assert dict(zip(table["asset_id"], table["young_people"])) == {e: g.degree(e) for e in events(g)}
    assert not table["suppressed"].any()
    assert table.columns.tolist() == ["asset_id", "name", "kind", "ward", "young_people", "suppressed"]
    assert table.set_index("asset_id").loc["E1", ["name", "kind", "ward"]].tolist() == ["Social event 1", "group", "Derwent"]


def test_an_asset_named_twice_in_one_map_counts_once(cohort: sc.Cohort) -> None:
    twice = cohort.connections[cohort.connections["asset_id"] == "E8"].assign(connection_id="again", kind="place")
    doubled = sc.Cohort.from_tables(cohort.people, pd.concat([cohort.connections, twice]), assets=cohort.assets)
    counts = sc.community.assets(doubled, min_count=1).set_index("asset_id")["young_people"]
    assert counts["E8"] == 14 == davis().degree("E8")


def test_small_assets_are_suppressed(cohort: sc.Cohort) -> None:
    table = sc.community.assets(cohort).set_index("asset_id")
    sizes = dict(davis().degree(events(davis())))
    small = {e for e, n in sizes.items() if n < 5}
    assert small == {"E1", "E2", "E4", "E11", "E13", "E14"}
    assert set(table.index[table["suppressed"]]) == small
    assert table.loc[sorted(small), "young_people"].isna().all()
    assert table.loc[sorted(small), "name"].notna().all()  # the asset is still listed, its count blanked
    shown = table[~table["suppressed"]]
    assert dict(shown["young_people"]) == {e: n for e, n in sizes.items() if n >= 5}
    assert table["young_people"].dropna().min() >= 5


@pytest.mark.parametrize("min_count", [0, -1, 2.5, True])
def test_min_count_must_be_a_whole_number_of_one_or_more(cohort: sc.Cohort, min_count) -> None:
    with pytest.raises(ValueError, match="min_count"):
        sc.community.assets(cohort, min_count=min_count)


def test_the_bipartite_projection_equals_networkx(cohort: sc.Cohort) -> None:
    g = davis()
    ours = sc.community.graph(cohort, key=KEY)
    assert bipartite.is_bipartite(ours)
    assert {n for n, s in ours.nodes(data="bipartite") if s == 1} == set(events(g))
    # Assets: same labels, same weights.
    theirs_events = bipartite.weighted_projected_graph(g, events(g))
    ours_events = bipartite.weighted_projected_graph(ours, events(g))
    assert nx.utils.edges_equal(ours_events.edges(data="weight"), theirs_events.edges(data="weight"))
    # Young people: the same graph once the pseudonyms are mapped back.
    relabel = {person_pseudonym(w, KEY): w for w in women(g)}
    young = [n for n, s in ours.nodes(data="bipartite") if s == 0]
    assert set(relabel) == set(young)
    ours_women = nx.relabel_nodes(bipartite.weighted_projected_graph(ours, young), relabel)
    theirs_women = bipartite.weighted_projected_graph(g, women(g))
    assert set(ours_women) == set(theirs_women)
    assert nx.utils.edges_equal(ours_women.edges(data="weight"), theirs_women.edges(data="weight"))
    # Up to relabelling, without the key: isomorphic, weights included.
    assert nx.is_isomorphic(bipartite.weighted_projected_graph(ours, young), theirs_women,
                            edge_match=lambda a, b: a["weight"] == b["weight"])
    assert nx.is_isomorphic(ours, g)


def test_the_graph_carries_no_name_or_id(cohort: sc.Cohort) -> None:
    g = sc.community.graph(cohort)
    text = repr(list(g.nodes(data=True))) + repr(list(g.edges(data=True)))
    for woman in women(davis()):
        assert woman not in text
        assert woman.split()[0] not in text
    young = [n for n, s in g.nodes(data="bipartite") if s == 0]
    assert all(n.startswith("P-") and g.nodes[n] == {"bipartite": 0} for n in young)
    # Without a key, a fresh random one: the pseudonyms link to nothing, not even another call.
    assert not set(young) & {n for n, s in sc.community.graph(cohort).nodes(data="bipartite") if s == 0}
    keyed = sc.community.graph(cohort, key=KEY)
    assert set(keyed) == set(sc.community.graph(cohort, key=KEY))
    safe = sc.pseudonymise(cohort, KEY)
    assert {n for n, s in keyed.nodes(data="bipartite") if s == 0} == set(safe.person_ids)


def test_no_table_carries_a_name_or_id(cohort: sc.Cohort) -> None:
    tables = [sc.community.assets(cohort, min_count=m, baseline="first", followup="last", by=by)
              for m in (1, 5) for by in (None, "ward", "kind")]
    text = "\n".join(t.to_csv() for t in tables)
    for woman in women(davis()):
        assert woman.split()[0] not in text and woman.split()[-1] not in text
    assert "'s E" not in text  # the maps' own labels of their groups are free text, never shown
    assert "the parish" not in text  # nor the extra columns of assets.csv


# -- at, baseline and follow-up ------------------------------------------------------


def counts(table: pd.DataFrame, column: str = "young_people") -> dict[str, int | None]:
    """asset_id -> count, None where blanked."""
    return {a: (None if pd.isna(n) else int(n)) for a, n in zip(table["asset_id"], table[column])}


def test_at_first_latest_and_a_date() -> None:
    two = davis_cohort(extra_wave=True)
    first = counts(sc.community.assets(two, at="first", min_count=1))
    latest = counts(sc.community.assets(two, min_count=1))
    assert first == dict(davis().degree(events(davis())))
    # Dorothy (E8 and E9) has no second map: her first is her latest.
    assert latest["E8"] == 14 - 3 + 2
    assert latest["E9"] == 12
    assert latest["E14"] is None  # a closed asset is still listed; its 0 is under min_count, blanked
    assert counts(sc.community.assets(two, at="2025-06-30", min_count=1)) == first
    assert counts(sc.community.assets(two, at=pd.Timestamp("2025-09-01"), min_count=1)) == latest
    before = sc.community.assets(two, at="2025-01-01", min_count=1)
    assert (before["young_people"].isna()).all() and before["suppressed"].all()  # nobody mapped yet: 0, blanked
    with pytest.raises(ValueError, match="first, latest or a date"):
        sc.community.assets(two, at="next week")


def test_joined_and_left_between_baseline_and_followup() -> None:
    two = davis_cohort(extra_wave=True)
    table = sc.community.assets(two, baseline="first", followup="last", min_count=1).set_index("asset_id")
    assert table.columns.tolist()[-3:] == ["joined", "left", "suppressed"]
    assert (table.loc["E8", "joined"], table.loc["E8", "left"]) == (2, 3)
    # E14 closed: everyone at it left (all of them had a second map); nobody joined (0, blanked).
    assert table.loc["E14", "left"] == davis().degree("E14") == 3 and pd.isna(table.loc["E14", "joined"])
    assert table.loc["E8", "young_people"] == 13 and not table.loc["E8", "suppressed"]
    # Dorothy is not counted (she has no follow-up): nobody left E9.
    assert pd.isna(table.loc["E9", "left"]) and table.loc["E9", "suppressed"]
    shown = sc.community.assets(two, baseline="first", followup="last").set_index("asset_id")
    assert pd.isna(shown.loc["E8", "joined"]) and pd.isna(shown.loc["E8", "left"])  # 2 and 3: under 5
    assert shown.loc["E8", "young_people"] == 13 and shown.loc["E8", "suppressed"]
    # A follow-up on the baseline's own date is no change at all.
    same = sc.community.assets(two, baseline="first", followup="first", min_count=1)
    assert same["joined"].isna().all() and same["left"].isna().all()
    assert counts(sc.community.assets(two, baseline="first", followup="last", min_count=1), "joined") == {
        e: (2 if e == "E8" else None) for e in events(davis())}


def test_by_ward_counts_distinct_young_people(cohort: sc.Cohort) -> None:
    g = davis()
    by = sc.community.assets(cohort, by="ward", min_count=1).set_index("ward")
    ward_of = {f"E{i + 1}": WARDS[i % 3] for i in range(14)}
    for ward in WARDS:
        held = {w for w in women(g) if any(ward_of[e] == ward for e in g[w])}
        assert by.loc[ward, "young_people"] == len(held)
        assert by.loc[ward, "assets"] == sum(1 for e in ward_of.values() if e == ward)
    with pytest.raises(ValueError, match="not a column of the assets table"):
        sc.community.assets(cohort, by="colour")


def test_a_cohort_without_assets_has_an_empty_view() -> None:
    cohort = sc.datasets.synthetic(people=3, waves=1, seed=1).select([])
    plain = sc.Cohort(cohort.people, cohort.connections, cohort.ties, cohort.snapshots)
    assert plain.assets.columns.tolist() == list(sc.vocab.ASSET_COLUMNS) and plain.assets.empty
    assert "assets" not in plain.tables()
    assert sc.community.assets(plain).empty
    assert sc.community.graph(plain).number_of_nodes() == 0


# -- the tables: reading, writing, validating ----------------------------------------


@pytest.mark.parametrize("suffix", ["", ".xlsx"])
def test_round_trip_is_exact(tmp_path: Path, cohort: sc.Cohort, suffix: str) -> None:
    path = sc.write_cohort(cohort, tmp_path / f"davis{suffix}")
    back = sc.read_cohort(path)
    assert back == cohort
    pd.testing.assert_frame_equal(back.assets, cohort.assets)
    assert back.assets.columns.tolist() == [*sc.vocab.ASSET_COLUMNS, "funded_by"]
    assert "asset_id" in back.connections.columns
    if not suffix:
        assert (path / "assets.csv").exists()
        # Writing a cohort without assets over it leaves no stale assets.csv behind.
        plain = sc.Cohort(cohort.people, cohort.connections.drop(columns="asset_id"), cohort.ties, cohort.snapshots)
        sc.write_cohort(plain, path)
        assert not (path / "assets.csv").exists() and sc.read_cohort(path) == plain


PEOPLE = "person_id\nP01\nP02\n"
CONNECTIONS = """\
person_id,date,connection_id,kind,domain,closeness,asset_id
P01,2025-03-01,C1,person,family,1,
P01,2025-03-01,G1,group,community,,BOX
P02,2025-03-01,G1,place,community,,GYM
P02,2025-03-01,C2,person,friend,2,BOX
"""
ASSETS = """\
asset_id,name,kind,ward
BOX,Boxing club,group,Sinfin
BOX,Boxing club again,group,Sinfin
CAF,Café,shop,Derwent
"""


def problems_of(folder: Path) -> list[tuple]:
    with pytest.raises(sc.ValidationError) as caught:
        sc.read_cohort(folder)
    return [(p.file, p.row, p.column, p.message) for p in caught.value.problems]


def test_validation_names_file_row_and_column(tmp_path: Path) -> None:
    found = problems_of(write_folder(tmp_path / "c", people=PEOPLE, connections=CONNECTIONS, assets=ASSETS))
    where = [(f, r, c) for f, r, c, _ in found]
    assert ("connections.csv", 5, "asset_id") in where  # an asset on a person connection
    assert ("connections.csv", 4, "asset_id") in where  # GYM is not in assets.csv
    assert ("assets.csv", 3, "asset_id") in where  # BOX twice
    assert ("assets.csv", 4, "kind") in where  # an asset is a group or a place
    assert len(found) == 4
    messages = " | ".join(m for *_, m in found)
    assert "only a group or a place can be a community asset" in messages
    assert "'GYM' is not in the assets table" in messages
    assert "already used in row 2" in messages


def test_without_assets_csv_any_asset_id_is_fine_and_a_missing_header_is_a_problem(tmp_path: Path) -> None:
    ok = CONNECTIONS.replace("P02,2025-03-01,C2,person,friend,2,BOX", "P02,2025-03-01,C2,person,friend,2,")
    cohort = sc.read_cohort(write_folder(tmp_path / "a", people=PEOPLE, connections=ok))
    table = sc.community.assets(cohort, min_count=1)
    assert table[["asset_id", "kind", "young_people"]].values.tolist() == [["BOX", "group", 1], ["GYM", "place", 1]]
    assert table["name"].isna().all()  # no assets.csv: no name, never the maps' own labels
    by_kind = sc.community.assets(cohort, by="kind", min_count=1)
    assert by_kind[["kind", "assets", "young_people"]].values.tolist() == [["group", 1, 1], ["place", 1, 1]]
    found = problems_of(write_folder(tmp_path / "b", people=PEOPLE, connections=ok, assets="name,kind\nBox,group\n"))
    assert [(f, r, c) for f, r, c, _ in found] == [("assets.csv", 1, "asset_id")]


def test_the_workbook_sheet_is_checked_too(tmp_path: Path, cohort: sc.Cohort) -> None:
    import openpyxl

    path = sc.write_cohort(cohort, tmp_path / "davis.xlsx")
    book = openpyxl.load_workbook(path)
    book["assets"]["A3"] = "E1"  # E2's row now repeats E1, and E2 is named in connections
    book.save(path)
    found = problems_of(path)
    assert ("davis.xlsx [sheet assets]", 3, "asset_id") in [(f, r, c) for f, r, c, _ in found]
    assert any(f == "davis.xlsx [sheet connections]" and c == "asset_id" and "'E2'" in m for f, r, c, m in found)


def test_pseudonymise_keeps_assets(cohort: sc.Cohort) -> None:
    safe = sc.pseudonymise(cohort, KEY)
    pd.testing.assert_frame_equal(safe.assets, cohort.assets[list(sc.vocab.ASSET_COLUMNS)])
    assert sorted(safe.connections["asset_id"].dropna()) == sorted(cohort.connections["asset_id"].dropna())
    pd.testing.assert_frame_equal(sc.community.assets(safe), sc.community.assets(cohort))


# -- the command ---------------------------------------------------------------------


def socialcap(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "socialcap", *map(str, args)], capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def davis_folder(tmp_path_factory) -> Path:
    return sc.write_cohort(davis_cohort(extra_wave=True), tmp_path_factory.mktemp("davis") / "cohort")


def test_the_command_writes_the_table(davis_folder: Path, tmp_path: Path) -> None:
    done = socialcap("assets", davis_folder, "-o", tmp_path / "assets.csv", "--at", "first", "--min-count", "1")
    assert done.returncode == 0, done.stderr
    assert "Wrote 14 community assets" in done.stdout
    table = pd.read_csv(tmp_path / "assets.csv", dtype={"asset_id": str})
    assert dict(zip(table["asset_id"], table["young_people"])) == dict(davis().degree(events(davis())))
    text = (tmp_path / "assets.csv").read_text()
    assert not any(w.split()[0] in text for w in women(davis()))


def test_the_command_with_baseline_by_ward_and_a_workbook(davis_folder: Path, tmp_path: Path) -> None:
    import openpyxl

    done = socialcap("assets", davis_folder, "-o", tmp_path / "assets.xlsx", "--baseline", "first", "--followup", "last")
    assert done.returncode == 0, done.stderr
    sheet = openpyxl.load_workbook(tmp_path / "assets.xlsx")["assets"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0] == ["asset_id", "name", "kind", "ward", "young_people", "joined", "left", "suppressed"]
    e8 = next(r for r in rows if r[0] == "E8")
    assert e8[4:] == ["13", None, None, "true"]
    done = socialcap("assets", davis_folder, "-o", tmp_path / "wards.csv", "--by", "ward", "--min-count", "1")
    assert done.returncode == 0 and "Wrote 3 rows by ward" in done.stdout
    assert pd.read_csv(tmp_path / "wards.csv")["ward"].tolist() == sorted(WARDS)


@pytest.mark.parametrize("ending", [".png", ".svg", ".pdf", ".html"])
def test_the_command_draws_the_chart(davis_folder: Path, tmp_path: Path, ending: str) -> None:
    out = tmp_path / f"assets{ending}"
    done = socialcap("assets", davis_folder, "-o", out, "--baseline", "first")
    assert done.returncode == 0, done.stderr
    head = out.read_bytes()[:16]
    assert {".png": b"\x89PNG", ".svg": b"<?xml", ".pdf": b"%PDF", ".html": b"<!DOCTYPE html>"}[ending] in head


@pytest.mark.parametrize(
    "args, message",
    [
        (["--by", "colour"], "not a column of the assets table"),
        (["--at", "soon"], "is not first, latest or a date"),
        (["--baseline", "whenever"], "is not a way to choose a map"),
        (["-o", "{src}/assets.csv"], "is one of this command's inputs"),
        (["-o", "{tmp}/assets.txt"], "end the name with one of"),
        (["--min-count", "0"], "--min-count"),
    ],
)
def test_the_command_says_what_is_wrong(davis_folder: Path, tmp_path: Path, args: list[str], message: str) -> None:
    args = [a.format(src=davis_folder, tmp=tmp_path) for a in args]
    out = [] if "-o" in args else ["-o", tmp_path / "out.csv"]
    before = (davis_folder / "assets.csv").read_bytes()
    done = socialcap("assets", davis_folder, *out, *args)
    assert done.returncode != 0 and message in done.stderr and "Traceback" not in done.stderr
    assert (davis_folder / "assets.csv").read_bytes() == before


def test_the_command_reads_a_store(davis_folder: Path, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    sc.write_cohort(davis_cohort(), url)
    done = socialcap("assets", url, "-o", tmp_path / "assets.csv", "--min-count", "1")
    assert done.returncode == 0, done.stderr
    table = pd.read_csv(tmp_path / "assets.csv", dtype={"asset_id": str})
    assert dict(zip(table["asset_id"], table["young_people"])) == dict(davis().degree(events(davis())))


def test_the_command_lists_bad_input(tmp_path: Path) -> None:
    folder = write_folder(tmp_path / "c", people=PEOPLE, connections=CONNECTIONS, assets=ASSETS)
    done = socialcap("assets", folder, "-o", tmp_path / "out.csv")
    assert done.returncode == 1 and "connections.csv, row 5, column 'asset_id'" in done.stderr
    assert not (tmp_path / "out.csv").exists()


# -- the chart -----------------------------------------------------------------------


def bars(fig) -> dict[str, object]:
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    patches = [p for p in ax.patches if p.get_gid() in ("count", "suppressed")]
    return dict(zip(labels, patches, strict=True))


def test_the_chart_draws_each_count_and_shows_suppression() -> None:
    two = davis_cohort(extra_wave=True)
    table = sc.community.assets(two, baseline="first", followup="last")
    fig = sc.maps.assets_chart(table)
    drawn = bars(fig)
    assert len(drawn) == 14
    for row in table.itertuples():
        bar = drawn[row.name]
        if pd.isna(row.young_people):
            assert bar.get_gid() == "suppressed" and bar.get_hatch() == "////"
        else:
            assert bar.get_gid() == "count" and bar.get_width() == row.young_people
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert sorted(t for t in texts if t in WARDS) == sorted(WARDS)  # one heading per ward
    assert texts.count("under 5") == int(table["young_people"].isna().sum())
    assert "under 5 joined \u00b7 under 5 left" in texts
    assert "since the baseline" in texts
    # Headings in ward order, each ward's assets under it, biggest first.
    ax = fig.axes[0]
    heading_y = {t.get_text(): t.get_position()[1] for t in ax.texts if t.get_gid() == "heading"}
    assert list(heading_y) == sorted(WARDS)
    ward_of = dict(zip(table["name"], table["ward"]))
    for label, bar in drawn.items():
        y = bar.get_y() + bar.get_height() / 2
        above = max((h for h in heading_y.items() if h[1] < y), key=lambda h: h[1])
        assert above[0] == ward_of[label]
    everything = " ".join(t.get_text() for a in fig.axes for t in a.texts + a.get_yticklabels()) + " ".join(
        t.get_text() for t in fig.texts) + " ".join(t.get_text() for t in ax.get_legend().get_texts())
    for woman in women(davis()):
        assert woman.split()[0] not in everything and woman.split()[-1] not in everything


def test_the_chart_colours_and_marks_kinds() -> None:
    cohort = davis_cohort()
    assets = cohort.assets.assign(kind=["group", "place"] * 7)
    mixed = sc.Cohort.from_tables(cohort.people, cohort.connections, assets=assets)
    table = sc.community.assets(mixed, min_count=1)
    drawn = bars(sc.maps.assets_chart(table, group=None))
    for row in table.itertuples():
        bar = drawn[row.name]
        assert matplotlib_colour(bar.get_facecolor()) == sc.maps._community.KIND_COLOURS[row.kind]
        assert bar.get_hatch() in (None, "") if row.kind == "group" else bar.get_hatch() == ".."


def matplotlib_colour(rgba) -> str:
    from matplotlib.colors import to_hex

    return to_hex(rgba).upper()


def test_the_chart_of_a_table_by_ward() -> None:
    table = sc.community.assets(davis_cohort(), by="ward", min_count=1)
    drawn = bars(sc.maps.assets_chart(table))
    assert {k: b.get_width() for k, b in drawn.items()} == dict(zip(table["ward"], table["young_people"]))


def test_the_chart_saves_as_the_maps_do(tmp_path: Path) -> None:
    table = sc.community.assets(davis_cohort())
    fig = sc.maps.assets_chart(table)
    a = sc.maps.save(fig, tmp_path / "a.png").read_bytes()
    b = sc.maps.save(sc.maps.assets_chart(table), tmp_path / "b.png").read_bytes()
    assert a == b  # the same table gives the same picture, byte for byte


# -- the offline page in a real browser ----------------------------------------------

CHROMIUM = "/usr/bin/chromium"
EVIL = ("<script>alert(1)</script>", "<img src=x onerror=alert(2)>", '"><svg onload=alert(3)>',
        '<a href="javascript:alert(4)">href</a>', "</style><style>body{display:none}</style>")


@pytest.fixture(scope="module")
def browser():
    import os

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


def hostile_cohort() -> sc.Cohort:
    cohort = davis_cohort()
    names = [EVIL[i % len(EVIL)] for i in range(14)]
    wards = [EVIL[(i + 2) % len(EVIL)] for i in range(14)]
    return sc.Cohort.from_tables(cohort.people, cohort.connections,
                                 assets=cohort.assets.assign(name=names, ward=wards))


@pytest.mark.browser
@pytest.mark.parametrize("which", ["davis", "hostile"])
def test_the_page_opens_offline_shows_every_asset_and_runs_nothing(browser, tmp_path: Path, which: str) -> None:
    cohort = davis_cohort(extra_wave=True) if which == "davis" else hostile_cohort()
    table = sc.community.assets(cohort, baseline="first", followup="last")
    path = sc.community.write(table, tmp_path / "assets.html")
    requests, errors, dialogs = [], [], []
    page = browser.new_page(viewport={"width": 1300, "height": 950})
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file://")
               else (requests.append(route.request.url), route.abort()))
    page.on("console", lambda m: errors.append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(path.as_uri())
    page.wait_for_selector("body[data-drawn=yes]", timeout=15000)
    page.wait_for_function("document.querySelector('#chart').complete")
    try:
        assert requests == [] and errors == [] and dialogs == []
        assert page.evaluate("document.querySelector('#chart').naturalWidth") > 500  # the chart is drawn
        assert page.evaluate("document.querySelectorAll('#assets tbody tr').length") == 14
        assert page.evaluate("document.querySelectorAll('script, iframe, object, embed, svg, a').length") == 0
        assert page.evaluate("document.images.length") == 1
        assert page.evaluate("getComputedStyle(document.body).display") == "block"
        cells = page.evaluate("[...document.querySelectorAll('#assets tbody tr')].map(r => [...r.cells].map(c => c.textContent))")
        assert [c[0] for c in cells] == table["name"].tolist()  # hostile names shown as the text they are
        assert [c[3] for c in cells] == [("under 5" if pd.isna(n) else str(n)) for n in table["young_people"]]
        text = page.evaluate("document.body.innerText")
        for woman in women(davis()):
            assert woman.split()[0] not in text
    finally:
        page.close()


# -- the report ----------------------------------------------------------------------


def test_the_report_has_a_community_assets_section() -> None:
    two = davis_cohort(extra_wave=True)
    html, _ = sc.report.build_report(two, by=())
    section = html[html.index('<section id="community">'):]
    section = section[:section.index("</section>")]
    table = sc.community.assets(two, baseline="first", followup="last")
    rows = section.split("<tbody>")[1].split("</tbody>")[0].count("<tr")
    assert rows == 14
    assert "<td>13</td>" in section  # E8: 13 young people at the end
    assert section.count("fewer than 5") >= int(table["young_people"].isna().sum())
    assert "not a measure of the place" in section and "data:image/png;base64," in section
    words = re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "", html)
    for woman in women(davis()):
        assert woman.split()[0] not in words and woman.split()[-1] not in words


def test_a_report_without_assets_has_no_such_section() -> None:
    cohort = davis_cohort(extra_wave=True)
    plain = sc.Cohort(cohort.people, cohort.connections.drop(columns="asset_id"), cohort.ties, cohort.snapshots)
    html, _ = sc.report.build_report(plain, by=())
    assert 'id="community"' not in html


# -- the store -----------------------------------------------------------------------


def test_the_store_keeps_the_assets_table(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    cohort = davis_cohort()  # rows in snapshot order, as the store gives them back
    sc.write_cohort(cohort, url)
    back = sc.read_cohort(url)
    assert back == cohort
    pd.testing.assert_frame_equal(sc.community.assets(back), sc.community.assets(cohort))
    from socialcap.store import Store

    with Store(url) as store:
        assert store.write_cohort(cohort) == {"people": 0, "snapshots": 0}  # nothing changed
        renamed = sc.Cohort.from_tables(cohort.people, cohort.connections, cohort.ties, cohort.snapshots,
                                        assets=cohort.assets.assign(name=cohort.assets["name"].str.upper()))
        assert store.write_cohort(renamed) == {"people": 0, "snapshots": 0, "assets": 14}
        assert store.read_cohort() == renamed
        plain = sc.Cohort(cohort.people, cohort.connections.drop(columns="asset_id"), cohort.ties, cohort.snapshots)
        assert store.write_cohort(plain)["assets"] == 14  # removed (their history stays)
        assert store.read_cohort() == plain and "assets" not in store.read_cohort().tables()


def test_a_hope_naming_an_asset_is_not_held_yet() -> None:
    """A club a young person would like to join (a hope, SPEC §11) does not count as holding them."""
    people = pd.DataFrame({"person_id": ["P1", "P2"]})
    connections = pd.DataFrame(
        {
            "person_id": ["P1", "P2"],
            "date": ["2025-01-01", "2025-01-01"],
            "connection_id": ["G1", "G1"],
            "kind": "group",
            "domain": "community",
            "hope": ["false", "true"],
            "asset_id": ["A1", "A1"],
        }
    )
    cohort = sc.Cohort.from_tables(people, connections)
    table = sc.community.assets(cohort, min_count=1)
    assert table.set_index("asset_id").loc["A1", "young_people"] == 1
