"""Bounded reading of files that may be hostile: zip members, workbooks, JSON, TOML and XML.

Every limit socialcap puts on what it reads is here, once, so that the docs
(docs/tables.md, "Limits") and the messages say the same numbers.  A file over a
limit ends in a `Problem` naming it, read in bounded time and memory, never in a
traceback or in gigabytes of memory.

Examples
--------
>>> import io, zipfile
>>> buffer = io.BytesIO()
>>> with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
...     archive.writestr("big.csv", b"0" * 2_000_000)
>>> with zipfile.ZipFile(buffer) as archive:
...     info = archive.infolist()[0]
...     read_member(archive, info, "export.zip", limit=1_000_000)
Traceback (most recent call last):
...
socialcap._exceptions.ValidationError: 1 problem found in export.zip:
  export.zip [big.csv]: this file unpacks to more than 1,000,000 bytes, more than socialcap reads from one file of an archive
"""

from __future__ import annotations

import json
import tomllib
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path
from typing import Any

from ._exceptions import Problem, ValidationError

__all__ = [
    "MAX_CELL_CHARS",
    "MAX_COLUMNS",
    "MAX_MEMBER_BYTES",
    "MAX_RATIO",
    "MAX_SHEET_ROWS",
    "MAX_EMPTY_ROWS",
    "read_member",
    "read_bounded",
    "check_archive",
    "check_sheets",
    "load_json",
    "load_toml",
    "parse_xml",
]

#: The longest cell read (Excel's own limit for one cell); a longer one is a problem.
MAX_CELL_CHARS = 32_767
#: The most columns a table's header may have.
MAX_COLUMNS = 1_000
#: The most rows a workbook's sheet may have (Excel's own limit).
MAX_SHEET_ROWS = 1_048_576
#: The most empty rows in a row a sheet may have (a sheet "used" down to row 1,048,576).
MAX_EMPTY_ROWS = 10_000
#: The most bytes one file of an archive (a zip export, the parts of an .xlsx) may unpack to.
MAX_MEMBER_BYTES = 1 << 30
#: A member larger than 10 MiB unpacked may be at most this many times its packed size
#: (real sheets and exports pack 5 to 30 times; archive bombs thousands of times).
MAX_RATIO = 200
_RATIO_FROM = 10 << 20
#: How deeply a mapping file (JSON, TOML) may nest.
MAX_DEPTH = 64

_METHODS = {zipfile.ZIP_STORED: "stored", zipfile.ZIP_DEFLATED: "deflate"}


def _member_problem(info: zipfile.ZipInfo, label: str, limit: int) -> str | None:
    if info.flag_bits & 0x1:
        return "this file is protected by a password; unzip it and give socialcap the files, or zip them without a password"
    if info.compress_type not in _METHODS:
        method = {9: "Deflate64", 12: "BZIP2", 14: "LZMA", 93: "Zstandard", 99: "AES encryption"}.get(info.compress_type, f"method {info.compress_type}")
        return f"this file is packed with {method}, which socialcap does not unpack; zip it again with ordinary (deflate) compression"
    if info.file_size > limit:
        return f"this file unpacks to more than {limit:,} bytes, more than socialcap reads from one file of an archive"
    if info.file_size > _RATIO_FROM and info.file_size > MAX_RATIO * max(info.compress_size, 1):
        return f"this file unpacks to {info.file_size:,} bytes from {info.compress_size:,}: it looks like an archive bomb (or a sheet of millions of empty rows: delete them and save again)"
    return None


def check_archive(archive: zipfile.ZipFile, label: str, limit: int = MAX_MEMBER_BYTES) -> list[Problem]:
    """Problems with the members of an archive (encrypted, exotic packing, too large), before reading any."""
    return [
        Problem(f"{label} [{info.filename}]", None, None, message)
        for info in archive.infolist()
        if not info.is_dir() and (message := _member_problem(info, label, limit)) is not None
    ]


def read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, label: str, limit: int = MAX_MEMBER_BYTES) -> bytes:
    """One member's bytes, never more than ``limit`` (a lying size in the archive is caught too).

    Raises `ValidationError` naming the member when it cannot or must not be read.
    """
    where = f"{label} [{info.filename}]"
    message = _member_problem(info, label, limit)
    if message is None:
        try:
            with archive.open(info) as handle:
                data = handle.read(limit + 1)
            if len(data) > limit:
                message = f"this file unpacks to more than {limit:,} bytes, more than socialcap reads from one file of an archive"
        except (zipfile.BadZipFile, NotImplementedError, RuntimeError, EOFError, OSError, ValueError) as error:
            message = f"this file of the archive cannot be unpacked: {error}"
    if message is not None:
        raise ValidationError([Problem(where, None, None, message)], label)
    return data


def check_sheets(archive: zipfile.ZipFile, label: str) -> list[Problem]:
    """Problems of a workbook's sheets found by counting tags in their XML at C speed,
    before openpyxl reads them: more rows than a sheet holds, or more than
    `MAX_EMPTY_ROWS` empty rows (which openpyxl would take minutes to walk through).

    A row with a value holds at least one ``<v>``, ``<is>`` or ``<f>``, so rows minus
    values is a lower bound on the empty rows.
    """
    problems = []
    for info in archive.infolist():
        if not (info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")):
            continue
        rows = values = 0
        tail = b""
        with archive.open(info) as handle:
            while True:
                chunk = handle.read(1 << 22)
                data = tail + chunk
                cut = data.rfind(b"<") if chunk else len(data)
                cut = cut if cut >= 0 else len(data)
                body, tail = data[:cut], data[cut:]
                rows += body.count(b"<row")
                values += body.count(b"<v>") + body.count(b"<v ") + body.count(b"<is>") + body.count(b"<f>") + body.count(b"<f ")
                if not chunk:
                    break
        where = f"{label} [{info.filename}]"
        if rows > MAX_SHEET_ROWS:
            problems.append(Problem(where, None, None, f"the sheet has {rows:,} rows; a sheet holds at most {MAX_SHEET_ROWS:,}"))
        elif rows - values > MAX_EMPTY_ROWS:
            problems.append(Problem(where, None, None, f"the sheet has at least {rows - values:,} empty rows; delete the empty rows and save again"))
    return problems


def read_bounded(path: Path, limit: int = MAX_MEMBER_BYTES) -> bytes:
    """A file's bytes, refusing one larger than ``limit`` (a `ValidationError` naming it)."""
    with open(path, "rb") as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise ValidationError([Problem(path.name, None, None, f"the file is larger than {limit:,} bytes, more than socialcap reads from one file")], str(path))
    return data


def _depth_ok(value: Any, depth: int = 0) -> bool:
    stack = [(value, depth)]
    while stack:
        item, level = stack.pop()
        if level > MAX_DEPTH:
            return False
        if isinstance(item, dict):
            stack.extend((v, level + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, level + 1) for v in item)
    return True


def _load(text: str, label: str, kind: str) -> Any:
    try:
        data = json.loads(text) if kind == "JSON" else tomllib.loads(text)
    except RecursionError:
        data = None
        deep = True
    except (ValueError, tomllib.TOMLDecodeError) as error:
        line = getattr(error, "lineno", None)
        raise ValidationError([Problem(label, line, None, f"the file is not valid {kind}: {error}")], label) from None
    else:
        deep = not _depth_ok(data)
    if deep:
        raise ValidationError([Problem(label, None, None, f"the {kind} nests more than {MAX_DEPTH} levels deep")], label)
    return data


def load_json(text: str, label: str) -> Any:
    """JSON text, refusing what nests deeper than `MAX_DEPTH` (a `ValidationError` naming ``label``)."""
    return _load(text, label, "JSON")


def load_toml(text: str, label: str) -> Any:
    """TOML text, refusing what nests deeper than `MAX_DEPTH`."""
    return _load(text, label, "TOML")


def parse_xml(data: bytes, label: str) -> ET.Element:
    """An XML document's root; a document type (where entity tricks live) is refused.

    Python's expat already refuses exponential entity expansion; refusing
    ``<!DOCTYPE`` as well keeps external and recursive entities out entirely.
    """
    if b"<!DOCTYPE" in data[:65536].upper() or b"<!ENTITY" in data[:65536].upper():
        raise ValidationError([Problem(label, None, None, "the XML declares a document type or entities, which socialcap does not read")], label)
    try:
        return ET.fromstring(data)
    except ET.ParseError as error:
        raise ValidationError([Problem(label, error.position[0], None, f"the XML cannot be read: {error}")], label) from None
