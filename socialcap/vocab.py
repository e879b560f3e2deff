"""The words socialcap's tables use, defined once.

Every vocabulary of the interchange format lives here, and everything else (the
validator, the template's drop-down lists, the map legends, the metrics) reads it
from here, so that a word is spelled one way everywhere.

Examples
--------
>>> from socialcap import vocab
>>> vocab.KINDS
('person', 'group', 'place')
>>> vocab.default_paid("professional"), vocab.default_paid("friend")
(True, False)
"""

from __future__ import annotations

__all__ = [
    "KINDS",
    "DOMAINS",
    "DOMAIN_LABELS",
    "FAMILY_DOMAINS",
    "CLOSENESS",
    "CLOSENESS_LABELS",
    "CONTACT",
    "CONTACT_LABELS",
    "AT_LEAST_MONTHLY",
    "SUPPORT_TYPES",
    "SUPPORT_LABELS",
    "UCLA_ITEMS",
    "UCLA_VALUES",
    "ONS_LONELY",
    "PEOPLE_COLUMNS",
    "CONNECTION_COLUMNS",
    "TIE_COLUMNS",
    "SNAPSHOT_COLUMNS",
    "ASSET_COLUMNS",
    "ASSET_KINDS",
    "OPTIONAL_COLUMNS",
    "REQUIRED",
    "TABLES",
    "FREE_TEXT_COLUMNS",
    "FIRST_DATE",
    "LAST_DATE",
    "HOPE_EMPTY_COLUMNS",
    "HOPE_WORDS",
    "default_paid",
]

#: What a connection is.
KINDS: tuple[str, ...] = ("person", "group", "place")

#: The part of life a connection belongs to.
DOMAINS: tuple[str, ...] = (
    "family",
    "partner",
    "friend",
    "neighbour",
    "community",
    "education_work",
    "professional",
    "online",
    "other",
)

#: How each domain is said in plain words (legends, reports).
DOMAIN_LABELS: dict[str, str] = {
    "family": "Family",
    "partner": "Partner",
    "friend": "Friends",
    "neighbour": "Neighbours",
    "community": "Community",
    "education_work": "Education & work",
    "professional": "Professionals",
    "online": "Online",
    "other": "Other",
}

#: Domains on the family side of LSNS-6 (a partner counts as family).
FAMILY_DOMAINS: tuple[str, ...] = ("family", "partner")

#: Closeness rings: 1 closest, 2 close, 3 further out.
CLOSENESS: tuple[int, ...] = (1, 2, 3)
CLOSENESS_LABELS: dict[int, str] = {1: "closest", 2: "close", 3: "further out"}

#: How often the person sees or hears from a connection, most often first.
CONTACT: tuple[str, ...] = ("daily", "weekly", "monthly", "less")
CONTACT_LABELS: dict[str, str] = {
    "daily": "every day",
    "weekly": "every week",
    "monthly": "every month",
    "less": "less often",
}
#: Contact that counts as "seen or heard from at least monthly" in LSNS-6.
AT_LEAST_MONTHLY: tuple[str, ...] = ("daily", "weekly", "monthly")

#: Kinds of support (Tracy & Whittaker 1990, adapted): received and given.
SUPPORT_TYPES: tuple[str, ...] = ("emotional", "practical", "advice", "company")
SUPPORT_LABELS: dict[str, str] = {
    "emotional": "someone to talk to",
    "practical": "practical help",
    "advice": "advice",
    "company": "company",
}

#: The UCLA 3-item loneliness scale (Hughes et al. 2004) columns of snapshots.csv.
UCLA_ITEMS: tuple[str, ...] = ("ucla_companionship", "ucla_left_out", "ucla_isolated")
#: 1 hardly ever, 2 some of the time, 3 often.
UCLA_VALUES: tuple[int, ...] = (1, 2, 3)

#: Answers to the ONS question "How often do you feel lonely?", most lonely first.
ONS_LONELY: tuple[str, ...] = (
    "often_always",
    "some_of_the_time",
    "occasionally",
    "hardly_ever",
    "never",
)

# The columns of each table, in the order socialcap writes them.  Extra columns a
# user adds are kept after these.
PEOPLE_COLUMNS: tuple[str, ...] = ("person_id", "name", "birth_year", "ward", "start_date")
CONNECTION_COLUMNS: tuple[str, ...] = (
    "person_id",
    "date",
    "connection_id",
    "kind",
    "name",
    "domain",
    "closeness",
    "contact",
    "support_received",
    "support_given",
    "paid",
    "since",
    "hope",
)
TIE_COLUMNS: tuple[str, ...] = ("person_id", "date", "source", "target", "kind")
SNAPSHOT_COLUMNS: tuple[str, ...] = ("person_id", "date", *UCLA_ITEMS, "ons_lonely")
#: assets.csv (SPEC §12): the groups and places several young people share.
ASSET_COLUMNS: tuple[str, ...] = ("asset_id", "name", "kind", "ward", "openreferral_id")
#: The kinds of connection that can be a community asset.
ASSET_KINDS: tuple[str, ...] = ("group", "place")
#: Known columns a table carries only when the user's table has them (typed as text,
#: kept where the user put them): ``asset_id`` links a group or place to assets.csv.
OPTIONAL_COLUMNS: dict[str, tuple[str, ...]] = {"connections": ("asset_id",)}

#: Columns that must be present in each table's header.
REQUIRED: dict[str, tuple[str, ...]] = {
    "people": ("person_id",),
    "connections": ("person_id", "date", "connection_id", "kind", "domain"),
    "ties": ("person_id", "date", "source", "target"),
    "snapshots": ("person_id", "date"),
    "assets": ("asset_id",),
}

#: Table name -> its known columns; people and connections are required tables, the others optional.
TABLES: dict[str, tuple[str, ...]] = {
    "people": PEOPLE_COLUMNS,
    "connections": CONNECTION_COLUMNS,
    "ties": TIE_COLUMNS,
    "snapshots": SNAPSHOT_COLUMNS,
    "assets": ASSET_COLUMNS,
}

#: What a hope (SPEC §11: someone or something the person would like in their life
#: and does not have yet) leaves empty: nobody sees it, supports or is paid yet.
HOPE_EMPTY_COLUMNS: tuple[str, ...] = ("contact", "support_received", "support_given", "paid")

#: How a hope is said in plain words (map keys, the report).
HOPE_WORDS = "you'd like this in your life"

#: Known columns that hold names or free text, never put in analyst outputs.
FREE_TEXT_COLUMNS: tuple[str, ...] = ("name",)

#: The dates a table may hold (map dates, ``since``, ``start_date``), as ISO text:
#: any other date, such as a year typed as ``1025`` or ``2300``, is reported, never
#: read as some other date (the same range as ``birth_year``).
FIRST_DATE: str = "1900-01-01"
LAST_DATE: str = "2100-12-31"


def default_paid(domain: str) -> bool:
    """Whether a connection of this domain is paid when the table does not say.

    >>> default_paid("professional")
    True
    """
    return domain == "professional"
