"""The JSON API (SPEC §10) and the pictures the page shows: thin routes over the store.

Each route reads its arguments, calls the store (`socialcap.store.Store`) or the maps
(`socialcap.maps`), and turns the answer into JSON.  The rules live below: the store
validates every save (`ValidationError` -> 422 with the same problems as a CSV file),
keeps every version and refuses a stale one (`ConflictError` -> 409); the maps own
the layout.  Store calls run in a worker thread, one at a time, so the server stays
responsive while a save or a drawing runs.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from .._exceptions import ConflictError, NotFoundError, Problem, ValidationError
from ._security import BodyTooLarge

__all__ = ["Api"]

T = TypeVar("T")

#: What the store's history records as the saver of every change made through the app.
SAVED_BY = "socialcap serve"
#: Pictures the page can ask for, by ending.
PICTURE_TYPES = {"pdf": "application/pdf", "svg": "image/svg+xml", "png": "image/png"}


def _problem_json(problem: Problem) -> dict[str, Any]:
    return {"file": problem.file, "row": problem.row, "column": problem.column, "message": problem.message}


def problems_response(problems: list[Problem]) -> JSONResponse:
    """422 with every problem, as SPEC §10 writes them."""
    return JSONResponse({"problems": [_problem_json(p) for p in problems]}, status_code=422)


def _detail(status: int, text: str) -> JSONResponse:
    return JSONResponse({"detail": text}, status_code=status)


def _iso_date(text: str) -> str | None:
    """``text`` when it is a real ISO date ``YYYY-MM-DD``, else None."""
    if len(text) != 10:
        return None
    try:
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        return None


def _version_of(header: str) -> int | None:
    """The version in an ``If-Match`` header: ``3``, ``"3"`` or ``W/"3"``; None when unreadable."""
    text = header.strip()
    if text.startswith("W/"):
        text = text[2:]
    text = text.strip('"')
    return int(text) if text.isdigit() and len(text) < 12 else None


async def _json_body(request: Request) -> Any:
    """The request's JSON, or a ready-made error response."""
    try:
        raw = await request.body()
    except BodyTooLarge:
        return _detail(413, "The request is too large.")
    try:
        return json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        return _detail(400, "The request body is not JSON.")


class Api:
    """The routes, bound to one open store.

    Parameters
    ----------
    store
        An open `socialcap.store.Store`.
    """

    def __init__(self, store: Any) -> None:
        self.store = store
        self._lock = threading.Lock()

    async def _call(self, function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        def locked() -> T:
            with self._lock:
                return function(*args, **kwargs)

        return await run_in_threadpool(locked)

    async def _answer(self, function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Call the store; its refusals become the API's answers."""
        try:
            return await self._call(function, *args, **kwargs)
        except ValidationError as error:
            return problems_response(error.problems)
        except ConflictError as error:
            return JSONResponse({"detail": str(error), "expected": error.expected, "current": error.current},
                                status_code=409)
        except NotFoundError as error:
            return _detail(404, str(error))

    # -- people ------------------------------------------------------------------

    async def people(self, request: Request) -> Response:
        rows = await self._answer(self.store.people)
        return JSONResponse([{"person_id": r["person_id"], "name": r.get("name")} for r in rows])

    async def person(self, request: Request) -> Response:
        person_id = request.path_params["person_id"]
        rows = await self._answer(self.store.people)
        for row in rows:
            if row["person_id"] == person_id:
                return JSONResponse(row)
        return _detail(404, f"there is no person {person_id!r}")

    async def save_person(self, request: Request) -> Response:
        person_id = request.path_params["person_id"]
        body = await _json_body(request)
        if isinstance(body, Response):
            return body
        if not isinstance(body, dict):
            return problems_response([Problem("people", None, None, "send the person as a JSON object")])
        if body.get("person_id", person_id) != person_id:
            return problems_response([Problem("people", 2, "person_id",
                                              "person_id in the body differs from the address")])
        row = {**body, "person_id": person_id}
        answer = await self._answer(self.store.save_person, row, saved_by=SAVED_BY)
        if isinstance(answer, Response):
            return answer
        rows = await self._answer(self.store.people)
        stored = next((r for r in rows if r["person_id"] == person_id), row)
        return JSONResponse(stored)

    # -- snapshots ---------------------------------------------------------------

    async def snapshots(self, request: Request) -> Response:
        answer = await self._answer(self.store.snapshots, request.path_params["person_id"])
        return answer if isinstance(answer, Response) else JSONResponse(answer)

    async def snapshot(self, request: Request) -> Response:
        date = _iso_date(request.path_params["date"])
        if date is None:
            return _detail(404, "the date must be a real date written YYYY-MM-DD")
        answer = await self._answer(self.store.snapshot, request.path_params["person_id"], date)
        if isinstance(answer, Response):
            return answer
        return JSONResponse(answer, headers={"etag": f'"{answer["version"]}"'})

    async def save_snapshot(self, request: Request) -> Response:
        person_id = request.path_params["person_id"]
        date = _iso_date(request.path_params["date"])
        if date is None:
            return problems_response([Problem("snapshots", None, "date",
                                              "the date must be a real date written YYYY-MM-DD")])
        expected: int | None = None
        if "if-match" in request.headers:
            expected = _version_of(request.headers["if-match"])
            if expected is None:
                return _detail(400, "If-Match must be the version number the map was read at, such as \"3\".")
        body = await _json_body(request)
        if isinstance(body, Response):
            return body
        problems = _shape_problems(body, person_id, date)
        if problems:
            return problems_response(problems)
        snapshot = {
            "person_id": person_id,
            "date": date,
            "connections": body.get("connections", []),
            "ties": body.get("ties", []),
            "answers": body.get("answers", {}),
        }
        answer = await self._answer(self.store.save_snapshot, snapshot, expected_version=expected, saved_by=SAVED_BY)
        if isinstance(answer, Response):
            return answer
        return JSONResponse({"version": answer}, headers={"etag": f'"{answer}"'})

    async def history(self, request: Request) -> Response:
        date = _iso_date(request.path_params["date"])
        if date is None:
            return _detail(404, "the date must be a real date written YYYY-MM-DD")
        answer = await self._answer(self.store.history, request.path_params["person_id"], date)
        if isinstance(answer, Response):
            return answer
        return JSONResponse([{"version": h["version"], "saved_at": h["saved_at"].isoformat(),
                              "saved_by": h.get("saved_by")} for h in answer])

    # -- pictures ----------------------------------------------------------------

    def _snapshot_object(self, person_id: str, date: str) -> Any:
        """The stored snapshot as a `socialcap.Snapshot` (for the maps), built from the store's rows."""
        from ._model import snapshot_object

        person = next((r for r in self.store.people() if r["person_id"] == person_id), {"person_id": person_id})
        return snapshot_object(person, self.store.snapshot(person_id, date))

    async def map_picture(self, request: Request) -> Response:
        """The circles map of one snapshot, drawn by the same code as ``socialcap map``."""
        person_id, ending = request.path_params["person_id"], request.path_params["ending"]
        date = _iso_date(request.path_params["date"])
        if date is None or ending not in PICTURE_TYPES:
            return _detail(404, "ask for map.pdf, map.svg or map.png of a date written YYYY-MM-DD")

        def draw() -> bytes:
            from ..maps import save

            return _saved(save, self._snapshot_object(person_id, date), ending)

        answer = await self._answer(draw)
        if isinstance(answer, Response):
            return answer
        name = f"map-{person_id}-{date}.{ending}"
        return Response(answer, media_type=PICTURE_TYPES[ending],
                        headers={"content-disposition": f'inline; filename="{_safe_filename(name)}"'})

    async def change_picture(self, request: Request) -> Response:
        """The change map between two dates (the same picture as ``socialcap change``)."""
        person_id, ending = request.path_params["person_id"], request.path_params["ending"]
        start = _iso_date(request.query_params.get("from", ""))
        end = _iso_date(request.query_params.get("to", ""))
        if start is None or end is None or ending not in PICTURE_TYPES:
            return _detail(404, "ask for change.svg, change.png or change.pdf with ?from=YYYY-MM-DD&to=YYYY-MM-DD")

        def draw() -> bytes:
            from ..change import compare
            from ..maps import change, save

            before = self._snapshot_object(person_id, start)
            after = self._snapshot_object(person_id, end)
            return _saved(save, change(compare(before, after)), ending)

        answer = await self._answer(draw)
        if isinstance(answer, Response):
            return answer
        name = f"change-{person_id}-{start}-{end}.{ending}"
        return Response(answer, media_type=PICTURE_TYPES[ending],
                        headers={"content-disposition": f'inline; filename="{_safe_filename(name)}"'})

    # -- the layout the page draws -----------------------------------------------

    async def layout(self, request: Request) -> Response:
        """Where each connection and tie is drawn: `socialcap.maps.layout`, so screen and paper agree."""
        body = await _json_body(request)
        if isinstance(body, Response):
            return body
        from ._model import layout_answer

        try:
            return JSONResponse(await run_in_threadpool(layout_answer, body))
        except ValidationError as error:
            return problems_response(error.problems)

    async def map_style(self, request: Request) -> Response:
        """Rings, slices, colours, shapes and words of the map, from `socialcap.maps` and `socialcap.vocab`."""
        from ._model import map_style

        return JSONResponse(map_style())


def _saved(save: Callable[..., Any], subject: Any, ending: str) -> bytes:
    """The bytes `socialcap.maps.save` writes for ``subject`` as a file of this ending."""
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory(prefix="socialcap-app-") as folder:
        target = Path(folder) / f"map.{ending}"
        save(subject, target)
        return target.read_bytes()


def _safe_filename(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in name)[:120]


def _shape_problems(body: Any, person_id: str, date: str) -> list[Problem]:
    """What is wrong with the outline of a snapshot body (the store checks every value)."""
    if not isinstance(body, dict):
        return [Problem("snapshots", None, None, "send the snapshot as a JSON object")]
    problems = []
    if body.get("person_id", person_id) != person_id:
        problems.append(Problem("snapshots", 2, "person_id", "person_id in the body differs from the address"))
    if body.get("date", date) != date:
        problems.append(Problem("snapshots", 2, "date", "date in the body differs from the address"))
    for key, kind, table in (("connections", list, "connections"), ("ties", list, "ties"),
                             ("answers", dict, "snapshots")):
        value = body.get(key, kind())
        if not isinstance(value, kind):
            what = "a list of objects" if kind is list else "an object"
            problems.append(Problem(table, None, None, f"{key} must be {what}"))
        elif kind is list:
            for number, row in enumerate(value, start=2):
                if not isinstance(row, dict):
                    problems.append(Problem(table, number, None, "each row must be a JSON object"))
    return problems

