"""Shared fixtures: small, readable cohorts written by hand.

Every table carries a free-text extra column (``notes``, ``how_we_met``, ``how_they_know``,
``session_notes``), as real tables do, so that whatever must drop free text is tested on it.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

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
