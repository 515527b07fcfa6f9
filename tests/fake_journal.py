"""A tiny journal system for the tests of configured sources, and its connector.

`FileJournalServer` is an HTTP server on 127.0.0.1 whose «journal» is a folder: a `password`
file, a `calendar.json` ({"school", "academic_year", "periods": [{code, name, start, end}]}) and
one `journal-snapshot/1` file per class (`<class>.json`). It enforces a sign-in: POST /login
with the login and password gives a token; every other request needs it in the `at` header
(401 otherwise). Tests change the files between pulls (a mark, the export moment, a broken
class, a class whose file says `HTTP 500`) and the archive must react as to a real system.

`FileJournal` is the connector (one behaviour: fetch the files over a `Transport`), registered
through the connector registry in place of `netschool`, so recording and replay go through
the real `RecordingTransport` / `ReplayTransport` and an unreachable server through the real
retries. Nothing is mocked.
"""

from __future__ import annotations

import json
import secrets
import threading
from pathlib import Path

from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from archive_service.adapters.sources import (ClassRef, Credentials, PeriodRef, SourceAuthError, SourceInfo,
                                              SourceShapeError)
from archive_service.adapters.sources.transport import Transport

PASSWORD = "верный-пароль-123"
LOGIN = "zavuch"
CONNECTOR = "fake_journal:FileJournal"


class FileJournalServer:
    """The folder served over HTTP with a sign-in; `with FileJournalServer(folder) as server: server.url`."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.tokens: set[str] = set()
        self.server = make_server("127.0.0.1", 0, self.wsgi, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}/"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "FileJournalServer":
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.thread.join(10)

    def wsgi(self, environ, start_response):
        return self.answer(Request(environ))(environ, start_response)

    def answer(self, request: Request) -> Response:
        if request.path == "/login" and request.method == "POST":
            password = (self.folder / "password").read_text(encoding="utf-8").strip()
            if request.form.get("login") != LOGIN or request.form.get("password") != password:
                return Response(json.dumps({"message": "Неправильный пароль или имя пользователя"}), 403)
            token = secrets.token_hex(8)
            self.tokens.add(token)
            return Response(json.dumps({"at": token}), content_type="application/json")
        if request.headers.get("at") not in self.tokens:
            return Response("", 401)
        if request.path == "/classes":
            names = sorted(p.stem for p in self.folder.glob("*.json") if p.name != "calendar.json")
            return Response(json.dumps({"classes": [self._class(n) for n in names]}, ensure_ascii=False))
        if request.path == "/calendar":
            return Response((self.folder / "calendar.json").read_bytes())
        if request.path.startswith("/journal/"):
            path = self.folder / f"{request.path.removeprefix('/journal/')}.json"
            if not path.exists():
                return Response("", 404)
            body = path.read_bytes()
            return Response("", 500) if body == b"HTTP 500" else Response(body)  # a class the server fails on
        return Response("", 404)

    def _class(self, name: str) -> dict:
        try:
            snap = json.loads((self.folder / f"{name}.json").read_text(encoding="utf-8"))
            return {"id": snap["class"]["id"], "name": name, "grade": snap["class"]["grade"]}
        except (ValueError, KeyError):
            return {"id": name, "name": name, "grade": None}


class FileJournal:
    system = "netschool"

    def __init__(self, credentials: Credentials, transport: Transport):
        self.credentials, self.transport = credentials, transport
        self.token = ""

    def sign_in(self) -> SourceInfo:
        reply = self.transport.request("POST", "login", data={"login": self.credentials.login,
                                                              "password": self.credentials.secret})
        if reply.status == 403:
            raise SourceAuthError("неверное имя пользователя или пароль")
        self.token = self._field(reply.json("вход"), "at", "вход")
        calendar = self._get("calendar", "календарь")
        classes = self._field(self._get("classes", "список классов"), "classes", "список классов")
        return SourceInfo(system="Сетевой город. Образование", school=self._field(calendar, "school", "календарь"),
                          academic_year=self._field(calendar, "academic_year", "календарь"),
                          classes=[ClassRef(c["id"], c["name"], c["grade"]) for c in classes],
                          periods=[PeriodRef(p["code"], p["code"], p["name"], p["start"], p["end"])
                                   for p in self._field(calendar, "periods", "календарь")])

    def fetch(self, cls: ClassRef, period: PeriodRef) -> dict:
        return self._get(f"journal/{cls.name}", f"журнал класса {cls.name}")

    def sign_out(self) -> None:
        self.token = ""

    def _get(self, path: str, what: str) -> dict:
        reply = self.transport.request("GET", path, headers={"at": self.token})
        if reply.status != 200:
            raise SourceShapeError(f"{what}: сервер ответил кодом {reply.status}")
        return reply.json(what)

    @staticmethod
    def _field(data: dict, name: str, what: str):
        if not isinstance(data, dict) or name not in data:
            raise SourceShapeError(f"{what}: в ответе нет поля «{name}»")
        return data[name]
