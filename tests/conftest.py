"""Shared fixtures: small, readable cohorts written by hand.

Every table carries a free-text extra column (``notes``, ``how_we_met``, ``how_they_know``,
``session_notes``), as real tables do, so that whatever must drop free text is tested on it.
"""

from __future__ import annotations

import os
import textwrap
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NoReturn

import matplotlib
import pytest

matplotlib.use("Agg")

PEOPLE = """\
person_id,name,birth_year,ward,start_date,notes
P01,Sam,2007,Derwent,2024-09-01,likes football
P02,Alex,2006,Sinfin,2024-10-15,
"""

CONNECTIONS = """\
person_id,date,connection_id,kind,name,domain,closeness,contact,support_received,support_given,paid,since,how_we_met
P01,2025-03-01,C1,person,Mum,family,1,daily,emotional;practical,company,,2007-01-01,
P01,2025-03-01,C2,person,Jo (personal adviser),professional,2,weekly,advice,,,,assigned by Leaving Care
P01,2025-03-01,G1,group,Boxing club,community,,weekly,,,,,
P01,2025-09-01,C1,person,Mum,family,1,daily,emotional,,,,
P01,2025-09-01,C3,person,"Kai, my mate",friend,1,weekly,company,company,false,2025-05-01,met Kai at Boxing
P02,2025-03-01,C1,person,Dee,friend,2,monthly,,,,,
"""

TIES = """\
person_id,date,source,target,how_they_know
P01,2025-03-01,C1,C2,Mum rang Jo about Sam
P01,2025-09-01,C1,C3,
"""

SNAPSHOTS = """\
person_id,date,ucla_companionship,ucla_left_out,ucla_isolated,ons_lonely,session_notes
P02,2025-09-01,3,3,2,often_always,Alex talked about moving flat
"""


def write_folder(folder: Path, **tables: str | bytes | None) -> Path:
    """Write CSV texts (dedented) as table files; a None value leaves the file out."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in tables.items():
        if text is None:
            continue
        path = folder / f"{name}.csv"
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text), encoding="utf-8")
    return folder


@pytest.fixture
def cohort_dir(tmp_path: Path) -> Path:
    """Two people: P01 with two maps, P02 with one map and one empty map."""
    return write_folder(
        tmp_path / "cohort", people=PEOPLE, connections=CONNECTIONS, ties=TIES, snapshots=SNAPSHOTS
    )


# -- stores (SPEC §9): every store test runs on a real SQLite file and a real PostgreSQL --

#: The PostgreSQL server the store tests use; they make their own database on it.
POSTGRES = os.environ.get("SOCIALCAP_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str]:
    """A fresh, uniquely named PostgreSQL database for this test session, dropped at the end.

    Skipped (with the reason shown) when no server answers, except in CI (``CI=true``),
    where the PostgreSQL tests must run.
    """
    try:
        import psycopg
    except ImportError as error:  # pragma: no cover - psycopg is in the test extra
        _no_postgres(f"psycopg is not installed ({error})")
    name = f"socialcap_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    conninfo = POSTGRES.replace("postgresql+psycopg://", "postgresql://")
    try:
        with psycopg.connect(conninfo, autocommit=True, connect_timeout=5) as connection:
            connection.execute(psycopg.sql.SQL("CREATE DATABASE {}").format(psycopg.sql.Identifier(name)))
    except psycopg.OperationalError as error:
        _no_postgres(f"no PostgreSQL server answers at {POSTGRES}: {str(error).strip().splitlines()[0]}")
    base = POSTGRES.rsplit("/", 1)[0]
    yield f"{base}/{name}"
    with psycopg.connect(conninfo, autocommit=True) as connection:
        connection.execute(psycopg.sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(psycopg.sql.Identifier(name)))


def _no_postgres(reason: str) -> NoReturn:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI must test the PostgreSQL store: {reason}")
    pytest.skip(reason)


@pytest.fixture(params=["sqlite", "postgresql"])
def new_store_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Callable[[], str]:
    """Makes the address of a fresh, empty store: an SQLite file, or a PostgreSQL schema
    of its own inside the session's database (cheap enough for every hypothesis example)."""
    if request.param == "sqlite":
        return lambda: str(tmp_path_factory.mktemp("store") / "maps.db")
    database = request.getfixturevalue("postgres_database")

    def make() -> str:
        import psycopg

        schema = f"s_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(database, autocommit=True) as connection:
            connection.execute(psycopg.sql.SQL("CREATE SCHEMA {}").format(psycopg.sql.Identifier(schema)))
        return f"{database}?options=-csearch_path%3D{schema}"

    return make


@pytest.fixture
def store_url(new_store_url: Callable[[], str]) -> str:
    """The address of one fresh, empty store (SQLite and PostgreSQL)."""
    return new_store_url()
