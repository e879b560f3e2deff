"""Tests for socialcap.datasets.synthetic: a fictional cohort that follows the contract
of the tables exactly and tells the story it promises."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import socialcap as sc
from socialcap import datasets, vocab
from socialcap.datasets import WARDS, synthetic

FORBIDDEN = ("client", "case", "service user", "care leaver")


@pytest.fixture(scope="module")
def cohort() -> sc.Cohort:
    return synthetic(people=200, waves=3, seed=1)


def per_snapshot(cohort: sc.Cohort) -> pd.DataFrame:
    """Counts read straight off the tables, one row per snapshot (empty maps included),
    with its place in the person's timeline (0 = first).  Hopes are not connections: left out."""
    con = cohort.connections[~cohort.connections["hope"]]
    person = con["kind"] == "person"
    key = ["person_id", "date"]
    counts = pd.DataFrame(
        {
            "rows": con.groupby(key).size(),
            "people": person.groupby([con["person_id"], con["date"]]).sum(),
            "informal": (person & ~con["paid"]).groupby([con["person_id"], con["date"]]).sum(),
            "paid": (person & con["paid"]).groupby([con["person_id"], con["date"]]).sum(),
        }
    )
    out = cohort.snapshots.set_index(key).join(counts)
    out[["rows", "people", "informal", "paid"]] = out[["rows", "people", "informal", "paid"]].fillna(0).astype(int)
    out["paid_share"] = out["paid"] / out["people"].where(out["people"] > 0)
    out["ucla3"] = out[list(vocab.UCLA_ITEMS)].sum(axis=1, skipna=False)
    out["position"] = out.groupby(level="person_id").cumcount()
    return out


def first_and_last(table: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    grouped = table.groupby(level="person_id")
    return grouped.head(1).droplevel("date"), grouped.tail(1).droplevel("date")


# -- the helper above, checked on a hand-made cohort ---------------------------------


def test_per_snapshot_counts_a_hand_made_cohort() -> None:
    people = pd.DataFrame({"person_id": ["A", "B"]})
    connections = pd.DataFrame(
        [
            ("A", "2025-01-01", "C1", "person", "family", 1, None),
            ("A", "2025-01-01", "C2", "person", "professional", 2, None),
            ("A", "2025-01-01", "C3", "place", "community", None, None),
            ("A", "2025-07-01", "C1", "person", "family", 1, None),
            ("B", "2025-02-01", "C1", "person", "education_work", 3, "true"),
        ],
        columns=["person_id", "date", "connection_id", "kind", "domain", "closeness", "paid"],
    )
    snapshots = pd.DataFrame({"person_id": ["B"], "date": ["2025-08-01"], "ucla_companionship": [1],
                              "ucla_left_out": [2], "ucla_isolated": [3]})
    table = per_snapshot(sc.Cohort.from_tables(people, connections, snapshots=snapshots))
    assert table["rows"].tolist() == [3, 1, 1, 0]
    assert table["informal"].tolist() == [1, 1, 0, 0]
    assert table["paid"].tolist() == [1, 0, 1, 0]
    assert table["paid_share"].tolist()[:3] == [0.5, 0.0, 1.0]
    assert np.isnan(table["paid_share"].iloc[3])
    assert table["ucla3"].iloc[3] == 6
    assert table["position"].tolist() == [0, 1, 0, 1]


# -- arguments -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"people": 0}, "people must be at least 1, not 0"),
        ({"people": -3}, "people must be at least 1, not -3"),
        ({"waves": 0}, "waves must be at least 1, not 0"),
        ({"people": 2.5}, "people must be a whole number of at least 1, not 2.5"),
        ({"waves": "3"}, "waves must be a whole number of at least 1, not '3'"),
        ({"people": True}, "people must be a whole number of at least 1, not True"),
        ({"seed": 1.5}, "seed must be a whole number, not 1.5"),
        ({"seed": -1}, "seed must be 0 or more, not -1"),
    ],
)
def test_bad_arguments_say_what_is_wrong(kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        synthetic(**kwargs)


def test_numpy_integers_are_accepted() -> None:
    assert synthetic(people=np.int64(4), waves=np.int32(2), seed=np.int64(3)) == synthetic(4, 2, 3)


# -- determinism -----------------------------------------------------------------------


def test_same_seed_gives_identical_tables() -> None:
    a, b = synthetic(people=40, waves=4, seed=11), synthetic(people=40, waves=4, seed=11)
    assert a == b
    for name, table in a.tables().items():
        pd.testing.assert_frame_equal(table, b.tables()[name])


def test_different_seeds_give_different_cohorts() -> None:
    a, b = synthetic(people=40, waves=3, seed=1), synthetic(people=40, waves=3, seed=2)
    assert a != b
    assert not a.connections["name"].equals(b.connections["name"])
    assert not a.snapshots["date"].equals(b.snapshots["date"])


def test_default_arguments_are_200_people_3_waves_seed_1(cohort: sc.Cohort) -> None:
    assert synthetic() == cohort


# -- the contract of the tables ----------------------------------------------------------


@pytest.mark.parametrize(("people", "waves", "seed"), [(1, 1, 0), (1, 5, 3), (5, 2, 7), (30, 3, 4), (60, 6, 9)])
def test_tables_pass_validation_unchanged(people: int, waves: int, seed: int) -> None:
    cohort = synthetic(people=people, waves=waves, seed=seed)
    assert sc.Cohort.from_tables(**cohort.tables()) == cohort


@pytest.mark.parametrize("suffix", ["", ".xlsx"])
def test_written_and_read_back_equals_the_cohort(tmp_path, suffix: str) -> None:
    cohort = synthetic(people=12, waves=3, seed=5)
    path = sc.write_cohort(cohort, tmp_path / f"cohort{suffix}")
    assert sc.read_cohort(path) == cohort


def test_columns_and_types_are_exactly_the_contract(cohort: sc.Cohort) -> None:
    expected = {
        "people": dict(zip(vocab.PEOPLE_COLUMNS, ["str", "str", "Int64", "str", "datetime64[ns]"])),
        "connections": dict(
            zip(
                vocab.CONNECTION_COLUMNS + ("asset_id",),
                ["str", "datetime64[ns]", "str", "str", "str", "str", "Int64", "str", "str", "str", "bool", "datetime64[ns]",
                 "bool", "str"],
            )
        ),
        "ties": dict(zip(vocab.TIE_COLUMNS, ["str", "datetime64[ns]", "str", "str", "str"])),
        "snapshots": dict(zip(vocab.SNAPSHOT_COLUMNS, ["str", "datetime64[ns]", "Int64", "Int64", "Int64", "str"])),
        "assets": dict.fromkeys(vocab.ASSET_COLUMNS, "str"),
    }
    for name, table in cohort.tables().items():
        assert list(table.columns) == list(expected[name]), name
        assert {c: str(t) for c, t in table.dtypes.items()} == expected[name], name
        assert isinstance(table.index, pd.RangeIndex) and table.index.start == 0


def test_people_are_16_to_21_in_ten_wards(cohort: sc.Cohort) -> None:
    people = cohort.people
    assert len(people) == 200
    assert people["person_id"].tolist() == [f"P{i:03d}" for i in range(1, 201)]
    assert people["name"].notna().all()
    assert set(people["ward"]) <= set(WARDS)
    assert people["ward"].nunique() == len(WARDS)  # 200 people reach every ward
    first = cohort.snapshots.groupby("person_id")["date"].min().loc[people["person_id"]].to_numpy()
    first = pd.Series(first)
    assert first.dt.year.isin([2024, 2025]).all()
    # Aged 16 to 21 on the first map: the year difference is the age, or one more
    # when this year's birthday is still to come.
    years = first.dt.year - people["birth_year"].astype(int)
    assert years.between(16, 22).all()
    assert people["birth_year"].between(2002, 2009).all()
    # Known to the coordinator shortly before the first map.
    lead = (first - people["start_date"]).dt.days
    assert lead.between(7, 90).all()


def test_waves_are_about_six_months_apart_and_some_are_missed(cohort: sc.Cohort) -> None:
    snaps = cohort.snapshots
    counts = snaps.groupby("person_id").size()
    assert counts.max() <= 3
    assert (counts < 3).any()  # someone missed a map
    assert set(counts.index) == set(cohort.person_ids)  # everyone has a first map
    gaps = snaps.groupby("person_id")["date"].diff().dropna().dt.days
    assert gaps.min() >= 182 - 42 and gaps.max() <= 2 * 182 + 42
    assert gaps.between(150, 215).mean() > 0.8
    assert snaps.equals(snaps.sort_values(["person_id", "date"]).reset_index(drop=True))


def test_values_come_from_the_vocabularies(cohort: sc.Cohort) -> None:
    con = cohort.connections
    assert set(con["kind"]) == set(vocab.KINDS)
    assert set(con["domain"]) == set(vocab.DOMAINS)
    assert set(con["contact"].dropna()) == set(vocab.CONTACT)
    assert set(con["closeness"].dropna()) == set(vocab.CLOSENESS)
    for column in ("support_received", "support_given"):
        for value in con[column].dropna().unique():
            parts = value.split(";")
            assert parts == [t for t in vocab.SUPPORT_TYPES if t in parts], value
    snaps = cohort.snapshots
    for item in vocab.UCLA_ITEMS:
        assert set(snaps[item].dropna()) == set(vocab.UCLA_VALUES)
    assert set(snaps["ons_lonely"].dropna()) == set(vocab.ONS_LONELY)


def test_every_column_is_filled_the_way_a_coordinator_would(cohort: sc.Cohort) -> None:
    con = cohort.connections[~cohort.connections["hope"]]
    person = con["kind"] == "person"
    assert con.loc[person, "closeness"].notna().all()
    assert con.loc[~person, "closeness"].isna().mean() > 0.7  # rings are rare for groups and places
    assert con.loc[~person, "closeness"].notna().any()
    assert (con["paid"] == (con["domain"] == "professional")).all()
    assert con["name"].notna().all()
    assert 0.02 < con["contact"].isna().mean() < 0.25
    assert 0.3 < con["support_received"].notna().mean() < 0.95
    assert 0.1 < con["support_given"].notna().mean() < 0.7
    assert not con.loc[con["paid"], "support_given"].notna().mean() > 0.05
    since = con["since"].notna()
    assert (con.loc[since, "since"] <= con.loc[since, "date"]).all()
    assert 0.8 < since.mean() < 1.0
    # Groups and places are named as such.
    assert {"Library", "Gym", "Park"} & set(con.loc[con["kind"] == "place", "name"])
    assert {"Boxing club", "Five-a-side", "Coding club"} & set(con.loc[con["kind"] == "group", "name"])
    assert {"Mum", "Nan", "GP", "Social worker"} <= set(con["name"])
    assert con["name"].str.contains(r"\(personal adviser\)").any()


def test_some_snapshots_have_no_contact_recorded(cohort: sc.Cohort) -> None:
    con = cohort.connections
    none_recorded = con["contact"].isna().groupby([con["person_id"], con["date"]]).all()
    assert none_recorded.any()
    assert none_recorded.mean() < 0.25


def test_connection_ids_are_stable_across_waves(cohort: sc.Cohort) -> None:
    assert not cohort.connections.duplicated(["person_id", "date", "connection_id"]).any()
    con = cohort.connections[~cohort.connections["hope"]]
    same = con.groupby(["person_id", "connection_id"])[["kind", "name", "domain", "paid", "since"]].nunique(dropna=False)
    assert (same == 1).all().all()
    # Connections do come and go.
    seen = con.groupby(["person_id", "connection_id"]).size()
    assert (seen == 1).any() and (seen == 3).any()
    assert not (con["connection_id"] == con["person_id"]).any()


def test_names_are_distinct_within_a_map(cohort: sc.Cohort) -> None:
    con = cohort.connections
    repeated = con.duplicated(["person_id", "date", "name"])
    assert repeated.mean() < 0.01


def test_ties_join_two_different_connections_of_their_snapshot(cohort: sc.Cohort) -> None:
    ties, con = cohort.ties, cohort.connections
    assert len(ties) > 0
    assert not (ties["source"] == ties["target"]).any()
    present = set(zip(con["person_id"], con["date"], con["connection_id"]))
    for end in ("source", "target"):
        assert all(key in present for key in zip(ties["person_id"], ties["date"], ties[end]))
    pairs = pd.DataFrame(
        {
            "person_id": ties["person_id"],
            "date": ties["date"],
            "low": np.minimum(ties["source"], ties["target"]),
            "high": np.maximum(ties["source"], ties["target"]),
        }
    )
    assert not pairs.duplicated().any()
    assert {"knows", "member", "meets_at"} <= set(ties["kind"])


def test_ties_follow_who_knows_whom(cohort: sc.Cohort) -> None:
    ties, con = cohort.ties, cohort.connections
    domain = con.set_index(["person_id", "date", "connection_id"])["domain"]
    kind = con.set_index(["person_id", "date", "connection_id"])["kind"]
    a = list(zip(ties["person_id"], ties["date"], ties["source"]))
    b = list(zip(ties["person_id"], ties["date"], ties["target"]))
    da, db = domain.loc[a].to_numpy(), domain.loc[b].to_numpy()
    ka, kb = kind.loc[a].to_numpy(), kind.loc[b].to_numpy()
    # Family members know each other far more often than professionals know friends.
    both_family = ((da == "family") & (db == "family")).sum()
    assert both_family > 0
    # Groups meet at places where such a group would meet (a boxing club at a gym, not a temple).
    meets = ties["kind"] == "meets_at"
    names = con.set_index(["person_id", "date", "connection_id"])["name"]
    for pid, date, s, t in ties.loc[meets, ["person_id", "date", "source", "target"]].itertuples(index=False):
        pair = {kind.loc[(pid, date, s)], kind.loc[(pid, date, t)]}
        assert pair == {"group", "place"}
    group_at = {(names.loc[(p, d, s)], names.loc[(p, d, t)]) for p, d, s, t in ties.loc[meets, ["person_id", "date", "source", "target"]].itertuples(index=False)}
    assert ("Boxing club", "Temple") not in group_at and ("Temple", "Boxing club") not in group_at
    assert ((ka == "person") & (kb == "person")).sum() > ((ka != "person") & (kb != "person")).sum()


def test_no_forbidden_words_anywhere(cohort: sc.Cohort) -> None:
    for table in cohort.tables().values():
        for column in table.columns:
            if pd.api.types.is_string_dtype(table[column].dtype):
                text = " ".join(table[column].dropna().unique()).lower()
                for word in FORBIDDEN:
                    assert f" {word}" not in f" {text}", (column, word)


# -- the story ---------------------------------------------------------------------------


def test_baselines_are_dominated_by_paid_professionals(cohort: sc.Cohort) -> None:
    table = per_snapshot(cohort)
    first, _ = first_and_last(table)
    mapped = first[first["people"] > 0]
    assert mapped["paid_share"].mean() > 0.5
    assert (mapped["informal"] <= 2).mean() > 0.5  # many know few people outside paid services


def test_on_average_life_opens_up(cohort: sc.Cohort) -> None:
    table = per_snapshot(cohort)
    first, last = first_and_last(table)
    several = table.groupby(level="person_id").size() > 1
    first, last = first[several], last[several]
    assert last["informal"].mean() > first["informal"].mean() + 1
    assert last["paid_share"].mean() < first["paid_share"].mean() - 0.15
    assert last["paid"].mean() < first["paid"].mean()
    groups_places = cohort.connections["kind"].isin(["group", "place"]) & ~cohort.connections["hope"]
    gp = groups_places.groupby([cohort.connections["person_id"], cohort.connections["date"]]).sum()
    gp = table.join(gp.rename("gp"))["gp"].fillna(0)
    gp_first, gp_last = first_and_last(gp.to_frame())
    assert gp_last["gp"][several].mean() > gp_first["gp"][several].mean()


def test_but_not_for_everyone(cohort: sc.Cohort) -> None:
    table = per_snapshot(cohort)
    first, last = first_and_last(table)
    several = table.groupby(level="person_id").size() > 1
    worse = (last["informal"] < first["informal"])[several]
    assert 0.03 < worse.mean() < 0.4


def test_someone_is_mapped_completely_alone(cohort: sc.Cohort) -> None:
    table = per_snapshot(cohort)
    empty = table[table["rows"] == 0]
    assert 1 <= len(empty) <= 5
    # Their empty map is listed in the snapshots table, and has no ties.
    for pid, date in empty.index:
        assert not ((cohort.ties["person_id"] == pid) & (cohort.ties["date"] == date)).any()
        snap = cohort.snapshot(pid, date)
        assert len(snap.connections) == 0 and len(snap.graph) == 1


def test_some_connections_move_closer_and_some_move_away(cohort: sc.Cohort) -> None:
    people = cohort.connections[(cohort.connections["kind"] == "person") & ~cohort.connections["hope"]]
    people = people.sort_values(["person_id", "connection_id", "date"])
    step = people.groupby(["person_id", "connection_id"])["closeness"].diff().dropna()
    closer, away = int((step < 0).sum()), int((step > 0).sum())
    assert closer > away > 0
    # compare() sees it too, in the first few people's timelines.
    changes = [c for pid in cohort.person_ids[:20] for c in cohort.timeline(pid).changes()]
    assert sum(len(c.moved_closer) for c in changes) > 0


def test_loneliness_falls_as_informal_people_grow() -> None:
    table = per_snapshot(synthetic(people=1000, waves=3, seed=3))
    answered = table.dropna(subset=["ucla3"])
    assert answered["ucla3"].astype(float).corr(answered["informal"].astype(float)) < -0.3
    by_wave = answered.groupby("position")["ucla3"].mean()
    assert by_wave.is_monotonic_decreasing
    # Some are not asked at all, and the ONS question is asked at about half the maps.
    assert 0.05 < table[list(vocab.UCLA_ITEMS)].isna().all(axis=1).mean() < 0.2
    assert 0.35 < table["ons_lonely"].notna().mean() < 0.75


def test_a_big_cohort_has_no_empty_names_and_ids_grow() -> None:
    cohort = synthetic(people=1200, waves=2, seed=8)
    assert cohort.person_ids[0] == "P0001" and cohort.person_ids[-1] == "P1200"
    assert cohort.connections["name"].notna().all()


# -- properties over many seeds and sizes ---------------------------------------------------


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    people=st.integers(min_value=1, max_value=12),
    waves=st.integers(min_value=1, max_value=6),
    seed=st.integers(min_value=0, max_value=2**32 - 1),
)
def test_any_cohort_follows_the_contract(people: int, waves: int, seed: int) -> None:
    cohort = synthetic(people=people, waves=waves, seed=seed)
    assert len(cohort) == people
    assert sc.Cohort.from_tables(**cohort.tables()) == cohort
    snaps = cohort.snapshots
    assert snaps.groupby("person_id").size().max() <= waves
    assert set(snaps["person_id"]) == set(cohort.person_ids)
    con = cohort.connections
    since = con["since"].notna()
    assert (con.loc[since, "since"] <= con.loc[since, "date"]).all()
    assert con.loc[(con["kind"] == "person") & ~con["hope"], "closeness"].notna().all()
    first = snaps.groupby("person_id")["date"].min()
    assert (first >= pd.Timestamp(dt.date(2024, 1, 1))).all() and (first <= pd.Timestamp(dt.date(2025, 12, 31))).all()


def test_assets_are_shared_across_wards_some_growing_one_closing(cohort: sc.Cohort) -> None:
    con = cohort.connections
    assert con.loc[con["kind"] == "person", "asset_id"].isna().all()
    assert set(con["asset_id"].dropna()) <= set(cohort.assets["asset_id"])
    held = con.dropna(subset=["asset_id"]).merge(cohort.people[["person_id", "ward"]], on="person_id")
    wards_per_asset = held.groupby("asset_id")["ward"].nunique()
    assert (wards_per_asset >= 3).sum() >= 10  # young people from several wards share them
    table = sc.community.assets(cohort, baseline="first", followup="last", min_count=1).set_index("name")
    first = sc.community.assets(cohort, at="first", min_count=1).set_index("name")["young_people"]
    latest = table["young_people"]
    assert (latest.fillna(0) > first.fillna(0)).sum() >= 20  # most grow as young people find groups and places
    closed = table.loc["Derwent youth centre"]
    assert closed["left"] >= 5 and closed["young_people"] < closed["left"]  # only maps from before it closed
    late = con[(con["date"] >= pd.Timestamp(datasets.YOUTH_CENTRE_CLOSES)) & con["name"].eq("Youth centre")]
    assert not late.empty and (late["asset_id"] == table.loc["Arboretum youth centre", "asset_id"]).all()


# -- hopes (SPEC §11) -------------------------------------------------------------------------


def test_hopes_are_held_realised_let_go_and_added(cohort: sc.Cohort) -> None:
    con = cohort.connections
    hopes = con[con["hope"]]
    assert 0.05 < len(hopes) / len(con) < 0.25
    assert set(hopes["kind"]) == set(vocab.KINDS)
    # A hope has no contact, support or ties, is not paid and has no "since".
    assert hopes[["contact", "support_received", "support_given", "since"]].isna().all().all()
    assert not hopes["paid"].any()
    tied = set(zip(cohort.ties["person_id"], cohort.ties["date"], cohort.ties["source"])) | set(
        zip(cohort.ties["person_id"], cohort.ties["date"], cohort.ties["target"]))
    assert not tied & set(zip(hopes["person_id"], hopes["date"], hopes["connection_id"]))
    # Closeness is wished for now and then, never required.
    assert 0.1 < hopes.loc[hopes["kind"] == "person", "closeness"].notna().mean() < 0.9
    changes = [c for t in cohort.timelines() for c in t.changes()]
    realised = sum(len(c.hopes_realised) for c in changes)
    let_go = sum(len(c.hopes_let_go) for c in changes)
    added = sum(len(c.hopes_added) for c in changes)
    assert realised > 20 and let_go > 20 and added > 20
    # A hope that came true keeps its id, kind, name and domain.
    for change in changes:
        for cid in change.hopes_realised:
            was = change.before.hopes.set_index("connection_id").loc[cid]
            now = change.after.real_connections.set_index("connection_id").loc[cid]
            assert (was["kind"], was["name"], was["domain"]) == (now["kind"], now["name"], now["domain"])
    # Every map keeps its hopes after its connections.
    for (_, _), rows in con.groupby(["person_id", "date"], sort=False):
        flags = rows["hope"].tolist()
        assert flags == sorted(flags)


def test_hopes_leave_the_rest_of_the_cohort_as_it_was(cohort: sc.Cohort) -> None:
    # The real connections, ties and answers are what they were before hopes were added:
    # hopes come from a generator of their own.  Pinned: P001's first map.
    first = cohort.timeline("P001")[0]
    assert len(first) == 7 and len(first.hopes) == 4
    assert first.real_connections["name"].tolist() == [
        "Marek", "Shanice (personal adviser)", "Social worker", "GP", "Food bank volunteers", "College", "Temple"]
