"""The store (SPEC §9): every version of every map, kept in a database.

A store is an embedded SQLite file (a path ending ``.db``, or ``sqlite:///path.db``)
or a PostgreSQL database for a team (``postgresql://user@host/dbname``).  One code
path serves both: the tables are declared once with SQLAlchemy Core
(`socialcap.store._schema`) and every query is built from them, never from strings
of data.  A save adds a version and never changes or removes one; only
`Store.erase_person` deletes, when a young person asks for their maps to be erased.

This module stays light (no SQLAlchemy import) so that telling a store from a folder
costs nothing; the database code is imported when a store is opened.

Examples
--------
>>> import tempfile, socialcap as sc
>>> cohort = sc.datasets.synthetic(people=3, waves=2, seed=1)
>>> url = tempfile.mkdtemp() + "/maps.db"
>>> with sc.open_store(url) as store:
...     store.write_cohort(cohort, saved_by="demo")
...     [row["version"] for row in store.snapshots("P001")]
{'people': 3, 'snapshots': 6}
[1, 1]
>>> sc.read_cohort(url) == cohort
True
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from ._store import Store

__all__ = ["Store", "is_store", "open_store", "display_url", "copy_cohort", "STORE_ENDINGS"]

#: File endings read as an SQLite store.
STORE_ENDINGS: tuple[str, ...] = (".db", ".sqlite", ".sqlite3")
_URL_SCHEMES: tuple[str, ...] = ("sqlite:", "sqlite+", "postgresql:", "postgresql+", "postgres:")


def is_store(path_or_url: str | os.PathLike[str]) -> bool:
    """Whether ``path_or_url`` names a store rather than a folder or a workbook.

    >>> is_store("maps.db"), is_store("sqlite:///x/maps.db"), is_store("postgresql://me@db.example/maps")
    (True, True, True)
    >>> is_store("cohort/"), is_store("cohort.xlsx")
    (False, False)
    """
    text = os.fspath(path_or_url)
    if text.lower().startswith(_URL_SCHEMES):
        return True
    path = Path(text)
    return path.suffix.lower() in STORE_ENDINGS and not path.is_dir()


def display_url(path_or_url: str | os.PathLike[str]) -> str:
    """A store's address as it may be printed: any password replaced by ``***``.

    >>> display_url("postgresql://maps:s3cret@db.example/maps")
    'postgresql://maps:***@db.example/maps'
    >>> display_url("maps.db")
    'maps.db'
    """
    text = os.fspath(path_or_url)
    if "://" not in text:
        return text
    scheme, _, rest = text.partition("://")
    authority, slash, path = rest.partition("/")
    if "@" in authority:
        credentials, _, host = authority.rpartition("@")
        user, colon, _password = credentials.partition(":")
        authority = f"{user}:***@{host}" if colon else f"{user}@{host}"
    return f"{scheme}://{authority}{slash}{path}"


def open_store(url: str | os.PathLike[str], *, create: bool = True) -> Store:
    """Open (and create or upgrade) the store at ``url``.

    ``url`` is a path ending ``.db`` (an SQLite file, created with its folder if
    missing), ``sqlite:///path.db`` or ``postgresql://user@host/dbname``.  With
    ``create=False`` a missing SQLite file raises `FileNotFoundError` instead.
    The store is also a context manager that closes it.

    >>> import tempfile, socialcap as sc
    >>> store = sc.open_store(tempfile.mkdtemp() + "/maps.db")
    >>> store.people()
    []
    >>> store.close()
    """
    from ._store import Store

    return Store(url, create=create)


def copy_cohort(
    source: str | os.PathLike[str],
    destination: str | os.PathLike[str],
    *,
    as_of: Any = None,
    saved_by: str | None = None,
) -> tuple[Any, dict[str, int] | None]:
    """Copy a cohort between a folder, an .xlsx workbook and a store (``socialcap copy``).

    Returns the cohort copied and, into a store, how many versions were added
    (``{"people": n, "snapshots": m}``; the assets table, when it changed, is kept as a
    new version too; ``None`` for a folder or a workbook).

    >>> import tempfile, socialcap as sc
    >>> folder = sc.write_cohort(sc.datasets.synthetic(people=2, waves=2, seed=1), tempfile.mkdtemp())
    >>> cohort, added = copy_cohort(folder, folder / "maps.db", saved_by="jo")
    >>> added
    {'people': 2, 'snapshots': 4}
    """
    from ..io import read_cohort, write_cohort

    cohort = read_cohort(source, as_of=as_of)
    if not is_store(destination):
        write_cohort(cohort, destination)
        return cohort, None
    with open_store(destination) as store:
        return cohort, store.write_cohort(cohort, saved_by=saved_by)


def __getattr__(name: str) -> Any:
    if name == "Store":
        from ._store import Store

        return Store
    raise AttributeError(f"module 'socialcap.store' has no attribute {name!r}")
