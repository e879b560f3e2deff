"""pseudonymise(): keyed, stable pseudonyms; names and free text gone; coarsening."""

from __future__ import annotations

import hashlib
import hmac
from pathlib import Path

import pandas as pd
import pytest

import socialcap as sc
from socialcap._exceptions import SocialcapError
from socialcap.privacy import connection_pseudonym, person_pseudonym, pseudonymise

from conftest import CONNECTIONS, PEOPLE, SNAPSHOTS, TIES, write_folder

KEY = b"k" * 32


@pytest.fixture
def cohort(cohort_dir: Path) -> sc.Cohort:
    return sc.read_cohort(cohort_dir)


def test_pseudonyms_are_hmac_sha256() -> None:
    expected = hmac.new(KEY, b"person\x00P01", hashlib.sha256).hexdigest()[:16]
    assert person_pseudonym("P01", KEY) == "P-" + expected
    expected = hmac.new(KEY, b"connection\x00P01\x00C1", hashlib.sha256).hexdigest()[:16]
    assert connection_pseudonym("P01", "C1", KEY) == "C-" + expected
    # The same connection id of two people is two different connections.
    assert connection_pseudonym("P01", "C1", KEY) != connection_pseudonym("P02", "C1", KEY)


def test_stable_for_one_key_and_different_across_keys(cohort: sc.Cohort) -> None:
    once, again = pseudonymise(cohort, KEY), pseudonymise(cohort, KEY)
    assert once == again
    other = pseudonymise(cohort, b"another key entirely")
    assert set(once.person_ids).isdisjoint(other.person_ids)
    assert set(once.connections["connection_id"]).isdisjoint(other.connections["connection_id"])


def test_ids_are_replaced_consistently_everywhere(cohort: sc.Cohort) -> None:
    safe = pseudonymise(cohort, KEY)
    assert sorted(safe.person_ids) == sorted(person_pseudonym(p, KEY) for p in ("P01", "P02"))
    expected = cohort.connections.assign(
        connection_id=[connection_pseudonym(p, c, KEY) for p, c in zip(cohort.connections["person_id"], cohort.connections["connection_id"])],
        person_id=[person_pseudonym(p, KEY) for p in cohort.connections["person_id"]],
        name=float("nan"),
    )
    expected["name"] = expected["name"].astype(cohort.connections["name"].dtype)
    expected = expected.sort_values(["person_id", "date", "connection_id"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(safe.connections, expected)
    ties = safe.ties
    assert ties["source"].tolist() != [] and all(t.startswith("C-") for t in [*ties["source"], *ties["target"]])
    # Every tie still joins two connections of its own map.
    for row in ties.itertuples():
        here = safe.connections[(safe.connections["person_id"] == row.person_id) & (safe.connections["date"] == row.date)]
        assert {row.source, row.target} <= set(here["connection_id"])
    # Snapshots (with the answers, including the empty map of P02) are all still there.
    assert len(safe.snapshots) == len(cohort.snapshots) == 4
    assert safe.snapshots["ons_lonely"].dropna().tolist() == ["often_always"]


def test_names_and_free_text_are_removed(cohort: sc.Cohort) -> None:
    safe = pseudonymise(cohort, KEY)
    assert safe.people["name"].isna().all() and safe.connections["name"].isna().all()
    assert "notes" not in safe.people.columns
    text = "\n".join(t.to_csv() for t in safe.tables().values())
    for word in ("Sam", "Alex", "Mum", "Kai", "Jo", "Boxing", "football", "P01", "P02"):
        assert word not in text
    kept = pseudonymise(cohort, KEY, keep=["notes"])
    assert "likes football" in kept.people["notes"].tolist()
    with pytest.raises(ValueError, match="'postcode'"):
        pseudonymise(cohort, KEY, keep=["postcode"])


def test_the_input_is_not_changed(cohort: sc.Cohort, cohort_dir: Path) -> None:
    pseudonymise(cohort, KEY, age_bands=True, months=True)
    assert cohort == sc.read_cohort(cohort_dir)


def test_age_bands_and_months(cohort: sc.Cohort) -> None:
    safe = pseudonymise(cohort, KEY, age_bands=True, months=True)
    people = safe.people.set_index("person_id")
    assert people["birth_year"].isna().all()
    # P01 born 2007, first map 2025 -> 18; P02 born 2006 -> 19.
    assert people.loc[person_pseudonym("P01", KEY), "age_band"] == "18-20"
    assert people.loc[person_pseudonym("P02", KEY), "start_date"] == pd.Timestamp("2024-10-01")
    assert set(safe.connections["date"].dt.day) == {1}
    assert safe.connections["since"].dropna().tolist() == [pd.Timestamp("2007-01-01"), pd.Timestamp("2025-05-01")]


def test_months_refuses_to_merge_two_maps(tmp_path: Path) -> None:
    connections = CONNECTIONS + "P02,2025-03-20,C1,person,Dee,friend,2,monthly,,,,\n"
    cohort = sc.read_cohort(write_folder(tmp_path, people=PEOPLE, connections=connections, ties=TIES, snapshots=SNAPSHOTS))
    with pytest.raises(SocialcapError, match=r"P02 has 2 maps in March 2025 \(2025-03-01, 2025-03-20\)"):
        pseudonymise(cohort, KEY, months=True)


def test_result_is_a_valid_cohort(cohort: sc.Cohort, tmp_path: Path) -> None:
    safe = pseudonymise(cohort, KEY, age_bands=True, months=True)
    assert sc.read_cohort(sc.write_cohort(safe, tmp_path / "safe")) == safe
    assert safe.people["person_id"].is_monotonic_increasing  # row order gives nothing away


def test_bad_keys() -> None:
    with pytest.raises(ValueError, match="non-empty bytes"):
        person_pseudonym("P01", b"")
    assert person_pseudonym("P01", "a text key of some length") == person_pseudonym("P01", b"a text key of some length")


def test_metrics_are_unchanged(cohort: sc.Cohort) -> None:
    pytest.importorskip("socialcap.metrics")
    original = cohort.metrics()
    safe = pseudonymise(cohort, KEY).metrics()
    renamed = original.rename(index=lambda p: person_pseudonym(p, KEY), level="person_id").sort_index()
    pd.testing.assert_frame_equal(safe.sort_index(), renamed)
