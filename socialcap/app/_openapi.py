"""The OpenAPI 3.1 description of the app's JSON API, served at ``/openapi.json``.

Written out by hand, beside the routes, because the bodies are the §2 tables (with
any extra columns a project adds), which a typed model would either reject or hide.
"""

from __future__ import annotations

from typing import Any

from .. import vocab

__all__ = ["openapi"]

_PROBLEMS = {
    "description": "The store refused the body; nothing was stored. Every problem names the table, "
                   "the row as a spreadsheet shows it (the first row sent is row 2) and the column.",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Problems"}}},
}
_DETAIL = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Detail"}}}}
_PERSON_ID = {"name": "person_id", "in": "path", "required": True, "schema": {"type": "string", "minLength": 1}}
_DATE = {"name": "date", "in": "path", "required": True, "schema": {"type": "string", "format": "date"},
         "description": "The snapshot's date, YYYY-MM-DD."}
_ENDING = {"name": "ending", "in": "path", "required": True, "schema": {"type": "string", "enum": ["pdf", "svg", "png"]}}


def _error(text: str) -> dict[str, Any]:
    return {"description": text, **_DETAIL}


def _json(schema: dict[str, Any], text: str) -> dict[str, Any]:
    return {"description": text, "content": {"application/json": {"schema": schema}}}


def _picture(text: str) -> dict[str, Any]:
    return {"description": text, "content": {kind: {"schema": {"type": "string", "format": "binary"}}
                                             for kind in ("application/pdf", "image/svg+xml", "image/png")}}


def openapi() -> dict[str, Any]:
    """The description, as a JSON-ready dict.

    >>> spec = openapi()
    >>> spec["openapi"], sorted(spec["paths"])[:2]
    ('3.1.0', ['/api/layout', '/api/map-style'])
    """
    connection = {
        "type": "object",
        "description": "One row of connections.csv (SPEC §2) without person_id and date; "
                       "extra columns are kept.",
        "required": ["connection_id", "kind", "domain"],
        "properties": {
            "connection_id": {"type": "string", "minLength": 1},
            "kind": {"type": "string", "enum": list(vocab.KINDS)},
            "name": {"type": "string"},
            "domain": {"type": "string", "enum": list(vocab.DOMAINS)},
            "closeness": {"type": "integer", "enum": list(vocab.CLOSENESS)},
            "contact": {"type": "string", "enum": list(vocab.CONTACT)},
            "support_received": {"type": "string", "description": "';'-separated: "
                                 + ", ".join(vocab.SUPPORT_TYPES)},
            "support_given": {"type": "string", "description": "the same words: what the person gives"},
            "paid": {"type": "boolean"},
            "since": {"type": "string", "format": "date"},
            "hope": {"type": "boolean", "description": "true: someone or something the person would like in "
                     "their life and does not have yet (SPEC §11); no contact, support, paid or ties"},
        },
        "additionalProperties": True,
    }
    tie = {
        "type": "object",
        "required": ["source", "target"],
        "properties": {"source": {"type": "string"}, "target": {"type": "string"}, "kind": {"type": "string"}},
        "additionalProperties": True,
    }
    answers = {
        "type": "object",
        "description": "What the young person said of themselves that day (snapshots.csv); all optional.",
        "properties": {
            **{item: {"type": "integer", "enum": list(vocab.UCLA_VALUES)} for item in vocab.UCLA_ITEMS},
            "ons_lonely": {"type": "string", "enum": list(vocab.ONS_LONELY)},
        },
        "additionalProperties": True,
    }
    snapshot_body = {
        "type": "object",
        "properties": {
            "connections": {"type": "array", "items": {"$ref": "#/components/schemas/Connection"}},
            "ties": {"type": "array", "items": {"$ref": "#/components/schemas/Tie"}},
            "answers": {"$ref": "#/components/schemas/Answers"},
        },
        "additionalProperties": True,
    }
    snapshot = {
        "type": "object",
        "required": ["person_id", "date", "version", "connections", "ties", "answers"],
        "properties": {"person_id": {"type": "string"}, "date": {"type": "string", "format": "date"},
                       "version": {"type": "integer"}, **snapshot_body["properties"]},
    }
    person = {
        "type": "object",
        "description": "One row of people.csv; extra columns are kept.",
        "properties": {"person_id": {"type": "string"}, "name": {"type": "string"},
                       "birth_year": {"type": "integer"}, "ward": {"type": "string"},
                       "start_date": {"type": "string", "format": "date"}},
        "additionalProperties": True,
    }
    token_errors = {"401": _error("No token, or a wrong one."),
                    "400": _error("The Host is not the served address, or the request is malformed.")}
    change_errors = {**token_errors, "403": _error("A change from a page of another origin."),
                     "413": _error("The body is too large.")}
    paths: dict[str, Any] = {
        "/api/people": {"get": {
            "summary": "Everyone in the store",
            "operationId": "listPeople",
            "responses": {"200": _json({"type": "array", "items": {
                "type": "object", "required": ["person_id"],
                "properties": {"person_id": {"type": "string"}, "name": {"type": ["string", "null"]}}}},
                "Each person's id and name, sorted by id."), **token_errors},
        }},
        "/api/people/{person_id}": {
            "parameters": [_PERSON_ID],
            "get": {"summary": "One person's row", "operationId": "getPerson",
                    "responses": {"200": _json({"$ref": "#/components/schemas/Person"}, "The latest version."),
                                  "404": _error("No such person."), **token_errors}},
            "put": {"summary": "Add a person or change their row (a new version)", "operationId": "savePerson",
                    "requestBody": {"required": True, "content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/Person"}}}},
                    "responses": {"200": _json({"$ref": "#/components/schemas/Person"}, "The row as stored."),
                                  "422": _PROBLEMS, **change_errors}},
        },
        "/api/people/{person_id}/snapshots": {
            "parameters": [_PERSON_ID],
            "get": {"summary": "The dates of one person's maps, oldest first", "operationId": "listSnapshots",
                    "responses": {"200": _json({"type": "array", "items": {
                        "type": "object", "required": ["date", "version"],
                        "properties": {"date": {"type": "string", "format": "date"},
                                       "version": {"type": "integer"}}}}, "Each date and its latest version."),
                        "404": _error("No such person."), **token_errors}},
        },
        "/api/people/{person_id}/snapshots/{date}": {
            "parameters": [_PERSON_ID, _DATE],
            "get": {"summary": "One map: its connections, ties and answers", "operationId": "getSnapshot",
                    "responses": {"200": _json({"$ref": "#/components/schemas/Snapshot"},
                                               "The latest version; the ETag header holds its number."),
                                  "404": _error("No such person or map."), **token_errors}},
            "put": {
                "summary": "Save a map as a new version",
                "description": "Send the body a GET returns (version may be left out). With `If-Match: <version>` "
                               "the save succeeds only if that is still the latest version; without it, only "
                               "if there is no map on that date yet.",
                "operationId": "saveSnapshot",
                "parameters": [{"name": "If-Match", "in": "header", "required": False,
                                "schema": {"type": "string", "pattern": "^(W/)?\"?[0-9]{1,11}\"?$"},
                                "description": "The version the map was read at."}],
                "requestBody": {"required": True, "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/SnapshotBody"}}}},
                "responses": {"200": _json({"type": "object", "required": ["version"],
                                            "properties": {"version": {"type": "integer"}}}, "Saved."),
                              "409": _error("Someone saved a newer version meanwhile (or the map already "
                                            "exists and no If-Match was sent); nothing was stored."),
                              "422": _PROBLEMS, **change_errors},
            },
        },
        "/api/people/{person_id}/snapshots/{date}/history": {
            "parameters": [_PERSON_ID, _DATE],
            "get": {"summary": "Every saved version of one map, oldest first", "operationId": "snapshotHistory",
                    "responses": {"200": _json({"type": "array", "items": {"type": "object", "properties": {
                        "version": {"type": "integer"}, "saved_at": {"type": "string", "format": "date-time"},
                        "saved_by": {"type": ["string", "null"]}}}}, "The versions."),
                        "404": _error("No such person or map."), **token_errors}},
        },
        "/api/people/{person_id}/snapshots/{date}/map.{ending}": {
            "parameters": [_PERSON_ID, _DATE, _ENDING],
            "get": {"summary": "The printed circles map (A4 PDF, SVG or PNG), as `socialcap map` draws it",
                    "operationId": "drawMap",
                    "responses": {"200": _picture("The map."), "404": _error("No such person or map."),
                                  **token_errors}},
        },
        "/api/people/{person_id}/change.{ending}": {
            "parameters": [_PERSON_ID, _ENDING,
                           {"name": "from", "in": "query", "required": True,
                            "schema": {"type": "string", "format": "date"}},
                           {"name": "to", "in": "query", "required": True,
                            "schema": {"type": "string", "format": "date"}}],
            "get": {"summary": "The change map between two dates, as `socialcap change` draws it",
                    "operationId": "drawChange",
                    "responses": {"200": _picture("The change map."), "404": _error("No such person or map."),
                                  **token_errors}},
        },
        "/api/layout": {"post": {
            "summary": "Where the printed map puts each connection and how it bends each tie",
            "description": "Positions in map units: the person at (0, 0), up is up; ring edges at "
                           "0.72, 1.55, 2.4 and 3.3.",
            "operationId": "layout",
            "requestBody": {"required": True, "content": {"application/json": {"schema": {
                "type": "object",
                "properties": {"connections": {"type": "array", "items": {"$ref": "#/components/schemas/Connection"}},
                               "ties": {"type": "array", "items": {"$ref": "#/components/schemas/Tie"}}}}}}},
            "responses": {"200": _json({"type": "object", "properties": {
                "positions": {"type": "object", "additionalProperties": {
                    "type": "array", "items": {"type": "number"}, "minItems": 2, "maxItems": 2}},
                "ties": {"type": "array", "items": {"type": "object"}}}}, "Positions and tie curves."),
                "422": _PROBLEMS, **change_errors},
        }},
        "/api/map-style": {"get": {
            "summary": "The rings, slices, colours, shapes and words of the map",
            "operationId": "mapStyle",
            "responses": {"200": _json({"type": "object"}, "The style."), **token_errors},
        }},
    }
    return {
        "openapi": "3.1.0",
        "info": {"title": "socialcap serve", "version": "1",
                 "description": "The JSON API of `socialcap serve` (SPEC §10). Every request carries the token "
                                "printed at start-up as `Authorization: Bearer <token>`."},
        "servers": [{"url": "/"}],
        "security": [{"token": []}],
        "paths": paths,
        "components": {
            "securitySchemes": {"token": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                "Connection": connection, "Tie": tie, "Answers": answers, "SnapshotBody": snapshot_body,
                "Snapshot": snapshot, "Person": person,
                "Detail": {"type": "object", "properties": {"detail": {"type": "string"}}},
                "Problems": {"type": "object", "required": ["problems"], "properties": {"problems": {
                    "type": "array", "items": {"type": "object", "required": ["file", "row", "column", "message"],
                                               "properties": {"file": {"type": "string"},
                                                              "row": {"type": ["integer", "null"]},
                                                              "column": {"type": ["string", "null"]},
                                                              "message": {"type": "string"}}}}}},
            },
        },
    }
