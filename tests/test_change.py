"""compare(), Change and describe(): worked by hand on one small person's two maps."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import cohorts

import socialcap as sc
from socialcap.change import COUNTS, change_counts, describe
from socialcap.graph import Snapshot

# Before (1 Jan 2025): A Mum (family, 1), B Kai (friend, 2), C Dee (friend, 3),
# D Boxing club (group, ring 3), E Jo (professional, 2).
# After (1 Jul 2025): A moves out to 2, B in to 1, C stays at 3, the club moves to
# ring 1 (a group: not a "person moved"), E is gone, F Sam (friend, 1) and G (a place
# with no name) are new.
ROWS = [
    ("2025-01-01", "A", "person", "Mum", "family", 1),
    ("2025-01-01", "B", "person", "Kai", "friend", 2),
    ("2025-01-01", "C", "person", "Dee", "friend", 3),
    ("2025-01-01", "D", "group", "Boxing club", "community", 3),
    ("2025-01-01", "E", "person", "Jo", "professional", 2),
    ("2025-07-01", "A", "person", "Mum", "family", 2),
    ("2025-07-01", "B", "person", "Kai", "friend", 1),
    ("2025-07-01", "C", "person", "Dee", "friend", 3),
    ("2025-07-01", "D", "group", "Boxing club", "community", 1),
    ("2025-07-01", "F", "person", "Sam", "friend", 1),
    ("2025-07-01", "G", "place", None, "community", None),
]
# Before: A-B, B-C, A-D among kept; E-A involves a lost connection.
# After: B-A repeats A-B reversed (the same tie), C-D is new, F-A links a newcomer to a
# kept connection, F-G joins two newcomers (so G is not "linked").
TIES = [
    ("2025-01-01", "A", "B"),
    ("2025-01-01", "B", "C"),
    ("2025-01-01", "A", "D"),
    ("2025-01-01", "E", "A"),
    ("2025-07-01", "B", "A"),
    ("2025-07-01", "C", "D"),
    ("2025-07-01", "F", "A"),
    ("2025-07-01", "F", "G"),
]


def build(rows: list[tuple], ties: list[tuple], snapshots: list[tuple] | None = None) -> sc.Cohort:
    people = pd.DataFrame({"person_id": ["P1"], "name": ["Robin"]})
    connections = pd.DataFrame(rows, columns=["date", "connection_id", "kind", "name", "domain", "closeness"])
    connections.insert(0, "person_id", "P1")
    tie_table = pd.DataFrame(ties, columns=["date", "source", "target"])
    tie_table.insert(0, "person_id", "P1")
    extra = None
    if snapshots:
        extra = pd.DataFrame({"person_id": "P1", "date": [d for (d,) in snapshots]})
    return sc.Cohort.from_tables(people, connections, tie_table, extra)


@pytest.fixture
def change() -> sc.Change:
    timeline = build(ROWS, TIES).timeline("P1")
    return sc.compare(timeline.snapshots[0], timeline.snapshots[1])


def test_gained_lost_kept(change: sc.Change) -> None:
    assert change.gained == ("F", "G")
    assert change.lost == ("E",)
    assert change.kept == ("A", "B", "C", "D")


def test_turnover_is_one_minus_kept_over_union(change: sc.Change) -> None:
    # 4 kept out of the 7 connections on either map.
    assert change.turnover == pytest.approx(1 - 4 / 7)


def test_moved_closer_and_away_count_only_people(change: sc.Change) -> None:
    assert change.moved_closer == ("B",)  # 2 -> 1
    assert change.moved_away == ("A",)  # 1 -> 2; the club (3 -> 1) is a group, C stayed at 3


def test_ties_between_kept_connections(change: sc.Change) -> None:
    # A-B is there both times (reversed the second time), C-D appeared, A-D and B-C went;
    # E-A, F-A and F-G touch a connection that is not kept.
    assert change.ties_gained == (("C", "D"),)
    assert change.ties_lost == (("A", "D"), ("B", "C"))


def test_newcomers_linked(change: sc.Change) -> None:
    assert change.newcomers_linked == ("F",)  # G is tied only to another newcomer


def test_counts(change: sc.Change) -> None:
    counts = change.counts
    assert list(counts) == [*COUNTS, "turnover"]
    assert {k: v for k, v in counts.items() if k != "turnover"} == {
        "gained": 2,
        "lost": 1,
        "kept": 4,
        "moved_closer": 1,
        "moved_away": 1,
        "ties_gained": 1,
        "ties_lost": 2,
        "newcomers_linked": 1,
        "hopes_added": 0,
        "hopes_realised": 0,
        "hopes_let_go": 0,
    }


def _pairs(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    pairs = pd.DataFrame(rows, columns=["person_id", "before", "after"])
    return pairs.assign(before=pd.to_datetime(pairs["before"]), after=pd.to_datetime(pairs["after"]))


def test_change_counts_worked_example(change: sc.Change) -> None:
    cohort = build(ROWS, TIES)
    table = change_counts(cohort.connections, cohort.ties, _pairs([("P1", "2025-01-01", "2025-07-01")]))
    assert list(table.columns) == [*COUNTS, "turnover"]
    assert table.loc["P1", list(COUNTS)].tolist() == [2, 1, 4, 1, 1, 1, 2, 1, 0, 0, 0]  # as test_counts
    assert table.loc["P1", "turnover"] == pytest.approx(1 - 4 / 7)
    same = change_counts(cohort.connections, cohort.ties, _pairs([("P1", "2025-07-01", "2025-07-01")]))
    assert same.loc["P1", list(COUNTS)].tolist() == [0, 0, 6, 0, 0, 0, 0, 0, 0, 0, 0] and same.loc["P1", "turnover"] == 0


def test_change_counts_of_empty_maps_and_a_person_twice() -> None:
    cohort = build(ROWS[:1], [], snapshots=[("2024-06-01",), ("2024-12-01",)])
    both_empty = change_counts(cohort.connections, cohort.ties, _pairs([("P1", "2024-06-01", "2024-12-01")]))
    assert both_empty.loc["P1", list(COUNTS)].tolist() == [0] * len(COUNTS)
    assert math.isnan(both_empty.loc["P1", "turnover"])
    from_nothing = change_counts(cohort.connections, cohort.ties, _pairs([("P1", "2024-12-01", "2025-01-01")]))
    assert from_nothing.loc["P1", ["gained", "kept", "turnover"]].tolist() == [1, 0, 1.0]
    with pytest.raises(ValueError, match="one row per person"):
        change_counts(cohort.connections, cohort.ties, _pairs([("P1", "2024-06-01", "2024-12-01")] * 2))


# Up to 8 people in a cohort: many comparisons per example for the cost of one cohort
# (drawing and validating a cohort is most of the time).  test_analysis.py checks
# change_counts against compare on every person of a synthetic cohort as well.
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])  # slow to build on a busy machine
@given(cohort=cohorts(max_people=8, max_waves=3), data=st.data())
def test_change_counts_equal_compare_on_random_cohorts(cohort: sc.Cohort, data: st.DataObject) -> None:
    rows, expected = [], {}
    for timeline in cohort.timelines():
        if not timeline.snapshots:
            continue
        last = len(timeline.snapshots) - 1
        i = data.draw(st.integers(0, last))
        j = data.draw(st.integers(i, last))  # the same map twice now and then
        a, b = timeline.snapshots[i], timeline.snapshots[j]
        rows.append((timeline.person_id, a.date.isoformat(), b.date.isoformat()))
        expected[timeline.person_id] = sc.compare(a, b).counts
    table = change_counts(cohort.connections, cohort.ties, _pairs(rows))
    assert table.index.tolist() == [pid for pid, _, _ in rows]
    for pid, counts in expected.items():
        got = table.loc[pid].to_dict()
        assert {k: got[k] for k in COUNTS} == {k: counts[k] for k in COUNTS}, pid
        assert got["turnover"] == pytest.approx(counts["turnover"], nan_ok=True), pid


def test_empty_maps() -> None:
    cohort = build(ROWS[:1], [], snapshots=[("2024-06-01",), ("2024-12-01",)])
    empty_a, empty_b, one = cohort.timeline("P1").snapshots
    both_empty = sc.compare(empty_a, empty_b)
    assert math.isnan(both_empty.turnover)
    assert both_empty.gained == both_empty.lost == both_empty.kept == ()
    from_nothing = sc.compare(empty_b, one)
    assert from_nothing.gained == ("A",) and from_nothing.turnover == 1.0
    assert "- 1 new connection: Mum." in describe(from_nothing, numbers=False)


def test_compare_refuses_other_people_and_wrong_order(change: sc.Change) -> None:
    with pytest.raises(ValueError, match="later than the second"):
        sc.compare(change.after, change.before)
    other = Snapshot("P2", change.before.date, change.before.connections, change.before.ties)
    with pytest.raises(ValueError, match="two different people"):
        sc.compare(other, change.after)


def test_timeline_changes_are_consecutive_pairs() -> None:
    rows = ROWS + [("2026-01-01", "B", "person", "Kai", "friend", 1)]
    timeline = build(rows, TIES).timeline("P1")
    changes = timeline.changes()
    assert [(c.before.date.isoformat(), c.after.date.isoformat()) for c in changes] == [
        ("2025-01-01", "2025-07-01"),
        ("2025-07-01", "2026-01-01"),
    ]
    assert changes[1].kept == ("B",)
    assert changes[1].lost == ("A", "C", "D", "F", "G")


EXPECTED = """\
From 1 January 2025 to 1 July 2025:
- 2 new connections: Sam, G.
- 1 connection no longer on the map: Jo.
- 4 connections still there: Mum, Kai, Dee, Boxing club.
- 1 moved closer: Kai.
- 1 moved further out: Mum.
- 1 of the 2 new connections already knows someone from before: Sam.
- Among the connections still there: 1 new link between them, 2 links gone.
- Turnover: 43% of the connections on either map are new or gone."""


def test_describe_in_plain_words(change: sc.Change) -> None:
    assert describe(change, numbers=False) == EXPECTED


def test_describe_caps_long_lists(change: sc.Change) -> None:
    text = describe(change, numbers=False, most=2)
    assert "- 4 connections still there: Mum, Kai and 2 more." in text


def test_change_metrics_are_the_real_metrics_of_both_maps(change: sc.Change) -> None:
    # Worked by hand from ROWS and TIES.  People P: before A, B, C, E (Jo, a professional:
    # paid); after A, B, C, F.  Ties between people: before A-B, B-C, E-A (3 of 6 pairs);
    # after A-B, F-A (2 of 6; C-D and F-G reach a group and a place).  No contact, no answers:
    # LSNS-6 and UCLA-3 are not known.
    table = change.metrics
    expected = {
        "people": (4, 4), "informal_people": (3, 4), "paid_people": (1, 0), "close_informal": (1, 2),
        "groups": (1, 1), "places": (0, 1), "density": (3 / 6, 2 / 6),
    }  # fmt: skip
    for name, (before, after) in expected.items():
        assert table.loc[name, "before"] == pytest.approx(before), name
        assert table.loc[name, "after"] == pytest.approx(after), name
        assert table.loc[name, "change"] == pytest.approx(after - before), name
    assert math.isnan(table.loc["lsns6", "change"]) and table.loc["isolated", "before"] is pd.NA
    assert list(table.index) == sc.metrics.metric_names()


def test_describe_numbers_and_str(change: sc.Change) -> None:
    text = str(change)
    assert text == describe(change)
    assert text == EXPECTED + (
        "\nIn numbers (before -> after):"
        "\n- People in the map: 4 -> 4"
        "\n- People not paid to be there: 3 -> 4"
        "\n- Closest people not paid to be there: 1 -> 2"
        "\n- Groups: 1 -> 1"
        "\n- Places: 0 -> 1"
        "\n- Social network score (LSNS-6, 0-30): not known -> not known"
        "\n- Isolated (LSNS-6 under 12): not known -> not known"
        "\n- Loneliness score (UCLA-3, 3-9): not known -> not known"
        "\n- Feels lonely (UCLA-3 of 6 or more): not known -> not known"
    )


def test_describe_numbers_with_answers() -> None:
    # Contact and support make LSNS-6 known; answers make UCLA-3 known.
    people = pd.DataFrame({"person_id": ["P1"]})
    rows = pd.DataFrame([
        ("2025-01-01", "A", "family", 1, "daily", "emotional;practical"),
        ("2025-07-01", "A", "family", 1, "daily", "emotional;practical"),
        ("2025-07-01", "B", "friend", 1, "weekly", "emotional;practical"),
    ], columns=["date", "connection_id", "domain", "closeness", "contact", "support_received"])
    rows.insert(0, "person_id", "P1")
    rows.insert(3, "kind", "person")
    answers = pd.DataFrame({"person_id": "P1", "date": ["2025-01-01", "2025-07-01"], "ucla_companionship": [3, 2],
                            "ucla_left_out": [3, 1], "ucla_isolated": [2, 1]})
    change = sc.compare(*sc.Cohort.from_tables(people, rows, None, answers).timeline("P1").snapshots)
    # Before: family 1+1+1 = 3, friends 0; after: family 3, friends 3 (LSNS bins: 1 person -> 1).
    numbers = describe(change).split("In numbers (before -> after):\n")[1].splitlines()
    assert "- Social network score (LSNS-6, 0-30): 3 -> 6" in numbers
    assert "- Isolated (LSNS-6 under 12): yes -> yes" in numbers
    assert "- Loneliness score (UCLA-3, 3-9): 8 -> 4" in numbers
    assert "- Feels lonely (UCLA-3 of 6 or more): yes -> no" in numbers
    assert change.metrics.loc["ucla3", "change"] == -4


ids = st.sets(st.sampled_from("ABCDEFGH"), max_size=8)


@settings(max_examples=40, deadline=None)
@given(before=ids, after=ids, rings=st.lists(st.sampled_from([1, 2, 3]), min_size=16, max_size=16))
def test_sets_partition_both_maps(before: set[str], after: set[str], rings: list[int]) -> None:
    rows = [("2025-01-01", c, "person", c, "friend", rings[i]) for i, c in enumerate(sorted(before))]
    rows += [("2025-06-01", c, "person", c, "friend", rings[8 + i]) for i, c in enumerate(sorted(after))]
    dates = [("2025-01-01",), ("2025-06-01",)]
    a, b = build(rows, [], snapshots=dates).timeline("P1").snapshots
    change = sc.compare(a, b)
    assert set(change.gained) | set(change.kept) == after
    assert set(change.lost) | set(change.kept) == before
    assert not set(change.gained) & set(change.kept) and not set(change.lost) & set(change.kept)
    assert set(change.moved_closer) | set(change.moved_away) <= set(change.kept)
    if before | after:
        assert 0 <= change.turnover <= 1
        assert (change.turnover == 0) == (before == after)
    same = sc.compare(b, b)
    assert same.turnover == 0 if after else math.isnan(same.turnover)
    assert same.gained == same.lost == same.moved_closer == same.moved_away == ()


# -- hopes (SPEC §11) -------------------------------------------------------------------------
# Before (1 Jan): A Mum (family, 1) and K Kai (friend, 2) are real; hopes: B Boxing club,
# J a job at the café (wished close, ring 2), D Drama group, S seeing my sister more (family).
# After (1 Jul): A is still there; B and J came true (J a real place, ring 1); D is gone
# (let go); S is still a hope; K became a hope (they drifted apart, and the person would
# like them back); N a friend nearby is a new hope.
HOPE_ROWS = [
    ("2025-01-01", "A", "person", "Mum", "family", 1, None),
    ("2025-01-01", "K", "person", "Kai", "friend", 2, None),
    ("2025-01-01", "B", "group", "Boxing club", "community", None, "true"),
    ("2025-01-01", "J", "place", "a job at the café", "education_work", 2, "true"),
    ("2025-01-01", "D", "group", "Drama group", "community", None, "true"),
    ("2025-01-01", "S", "person", "Seeing my sister more", "family", None, "true"),
    ("2025-07-01", "A", "person", "Mum", "family", 1, None),
    ("2025-07-01", "B", "group", "Boxing club", "community", 3, None),
    ("2025-07-01", "J", "place", "Café", "education_work", 1, "false"),
    ("2025-07-01", "S", "person", "Seeing my sister more", "family", None, "true"),
    ("2025-07-01", "K", "person", "Kai", "friend", 3, "true"),
    ("2025-07-01", "N", "person", "A friend nearby", "friend", None, "true"),
]
HOPE_TIES = [("2025-07-01", "B", "A")]  # the club, once real, may be tied


def hopes_change() -> sc.Change:
    people = pd.DataFrame({"person_id": ["P1"], "name": ["Robin"]})
    connections = pd.DataFrame(HOPE_ROWS, columns=["date", "connection_id", "kind", "name", "domain", "closeness", "hope"])
    connections.insert(0, "person_id", "P1")
    ties = pd.DataFrame(HOPE_TIES, columns=["date", "source", "target"]).assign(person_id="P1")
    return sc.compare(*sc.Cohort.from_tables(people, connections, ties).timeline("P1").snapshots)


def test_the_three_sets_of_hopes() -> None:
    change = hopes_change()
    assert change.hopes_realised == ("B", "J")  # a hope of before, a real connection after
    assert change.hopes_added == ("K", "N")  # a hope after that was not a hope before (K was real)
    assert change.hopes_let_go == ("D",)  # a hope of before, neither a hope nor a connection after


def test_gained_lost_kept_look_at_real_connections_only() -> None:
    change = hopes_change()
    assert change.gained == ("B", "J")  # a hope that came true is also gained
    assert change.lost == ("K",)  # a connection that became a hope is lost
    assert change.kept == ("A",)  # S, a hope on both maps, is not "kept"
    assert change.turnover == pytest.approx(1 - 1 / 4)  # real: {A, K} before, {A, B, J} after
    assert change.moved_closer == change.moved_away == ()  # K is a hope now: not "moved away"
    assert change.newcomers_linked == ("B",)
    assert change.counts["hopes_realised"] == 2 and change.counts["hopes_let_go"] == 1


def test_change_counts_agrees_on_hopes() -> None:
    change = hopes_change()
    cohort = sc.Cohort(
        people=pd.DataFrame({"person_id": ["P1"]}),
        connections=pd.concat([change.before.connections, change.after.connections], ignore_index=True),
        ties=pd.concat([change.before.ties, change.after.ties], ignore_index=True),
        snapshots=pd.DataFrame({"person_id": ["P1", "P1"], "date": pd.to_datetime(["2025-01-01", "2025-07-01"])}),
    )
    table = change_counts(cohort.connections, cohort.ties, _pairs([("P1", "2025-01-01", "2025-07-01")]))
    assert table.loc["P1", list(COUNTS)].to_dict() == {k: change.counts[k] for k in COUNTS}
    assert table.loc["P1", ["hopes_added", "hopes_realised", "hopes_let_go"]].tolist() == [2, 2, 1]


def test_describe_says_warmly_which_hopes_came_true() -> None:
    text = describe(hopes_change(), numbers=False)
    lines = text.splitlines()
    assert lines[1] == "- 2 hopes came true: Boxing club and a job at the café."
    assert "- 2 new hopes: Kai and A friend nearby." in lines
    assert "- 1 hope let go for now: Drama group." in lines
    assert "hope" not in describe(build(ROWS, TIES).timeline("P1").changes()[0], numbers=False)
