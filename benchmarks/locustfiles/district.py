"""The load scenario of `benchmarks/load.py`, run by locust in a process of its own (locust patches the
standard library for gevent when imported, so nothing else imports this module): a district's staff at
work in the archive, and people scanning the QR code of a printed sheet.

Every staff user signs in once through the login form (the CSRF token read from it) and then works in
its role, reading each page for THINK seconds before the next click:

* the deputy head browses the list of periods, a period's board and its pre-flight (by teacher, by pupil,
  by class) and the period's copies;
* the secretary opens the register, searches it, opens an entry, and looks for former pupils;
* the director opens the inbox (what awaits signature, acts, hand-overs) and the signing page;
* the inspector searches the archive (by pupil, by year and class), opens a document, previews a page
  and downloads the signed PDF;
* the administrator opens the users page;
* a visitor with no account opens the public check of a sheet.

A request fails when its status is not 2xx/3xx or, for a signed-in user, when the page is the login form.
The facts to browse by (accounts, documents, periods, …) come from the JSON file ARCHIVE_LOAD_FACTS names.
Every request's moment, kind, time and error (if any) is written, when the run ends, as JSON lines to the file
ARCHIVE_LOAD_TIMES names, with a line {"full_strength": <moment>} for the moment the last user started, so
that `benchmarks/load.py` can tell the latencies of the start (every person signing in) from those of the
whole staff at work.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import time

from locust import HttpUser, between, events, task

FACTS = json.loads(open(os.environ["ARCHIVE_LOAD_FACTS"], encoding="utf-8").read())
THINK = between(2, 8)
"""Seconds a person spends on a page before the next click (a page is read, a search typed)."""
LOGIN_FORM = 'autocomplete="current-password"'
"""What only the login form has: a page with it shown to a signed-in user means the session was lost."""


TIMES: list[dict] = []
"""Every request of this run: moment (s since the epoch), kind, milliseconds, error or None."""


@events.request.add_listener
def _timed(request_type, name, response_time, exception, start_time=None, **_kwargs) -> None:
    TIMES.append({"at": start_time, "kind": f"{request_type} {name}", "ms": response_time,
                  "error": None if exception is None else str(exception)})


@events.spawning_complete.add_listener
def _full_strength(user_count, **_kwargs) -> None:
    TIMES.append({"full_strength": time.time(), "users": user_count})


@events.quitting.add_listener
def _write_times(**_kwargs) -> None:
    target = os.environ.get("ARCHIVE_LOAD_TIMES")
    if target:
        with open(target, "w", encoding="utf-8") as out:
            out.writelines(json.dumps(row, ensure_ascii=False) + "\n" for row in TIMES)


def _slug(year: str) -> str:
    return year.replace("/", "-")


class Staff(HttpUser):
    """A person of the school's staff with an account of their own (ARCHIVE_LOAD_FACTS's logins of the role,
    taken in turn)."""

    abstract = True
    wait_time = THINK
    role = ""

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        cls.weight = FACTS["weights"][cls.role]
        cls.people = itertools.cycle(FACTS["logins"][cls.role])

    def on_start(self) -> None:
        form = self.client.get("/login", name="/login (форма)")
        token = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
        if token is None:
            raise RuntimeError("no CSRF token on the login form")
        with self.client.post("/login", name="/login (вход)", catch_response=True,
                              data={"login": next(self.people), "password": FACTS["password"],
                                    "csrf_token": token[1]}) as answer:
            if LOGIN_FORM in answer.text:
                answer.failure("the sign-in was refused: the login form again")

    def open(self, url: str, kind: str, **params) -> None:
        """GET `url` (counted as `kind`); a failure unless it answers 2xx/3xx with anything but the login form."""
        with self.client.get(url, name=kind, params=params or None, catch_response=True) as answer:
            if answer.status_code == 0:  # no answer at all: the connection refused, cut or timed out
                answer.failure(f"no answer: {answer.error!r}")
            elif not 200 <= answer.status_code < 400:
                answer.failure(f"HTTP {answer.status_code}")
            elif answer.headers.get("Content-Type", "").startswith("text/html") and LOGIN_FORM in answer.text:
                answer.failure("the login form instead of the page")
            else:
                answer.success()


def _period() -> tuple[str, str]:
    year, period = random.choice(FACTS["periods"])
    return _slug(year), period


def _document() -> dict:
    return random.choice(FACTS["documents"])


class Deputy(Staff):
    role = "deputy"

    @task(2)
    def periods(self) -> None:
        self.open("/period", "/period")

    @task(4)
    def board(self) -> None:
        year, period = _period()
        self.open(f"/period/{year}/{period}", "/period/<year>/<period>")

    @task(3)
    def preflight(self) -> None:
        year, period = _period()
        view = random.choice(["teacher", "pupil", "class"])
        self.open(f"/period/{year}/{period}/preflight", f"/period/<year>/<period>/preflight?view={view}", view=view)

    @task(1)
    def copies(self) -> None:
        year, period = _period()
        self.open(f"/period/{year}/{period}/documents", "/period/<year>/<period>/documents")


class Secretary(Staff):
    role = "secretary"

    @task(3)
    def register(self) -> None:
        self.open("/register", "/register")

    @task(3)
    def search_register(self) -> None:
        words = random.choice([random.choice(FACTS["classes"]), "сводн", "журнал", "шкаф"])
        self.open("/register", "/register?q=", q=words)

    @task(2)
    def register_entry(self) -> None:
        year, number = random.choice(FACTS["register"])
        self.open(f"/register/{year}/{number}", "/register/<year>/<number>")

    @task(2)
    def former_pupil(self) -> None:
        self.open("/certificates", "/certificates?name=", name=random.choice(FACTS["surnames"]))


class Director(Staff):
    role = "director"

    @task(3)
    def inbox(self) -> None:
        self.open("/director", "/director")

    @task(1)
    def signing(self) -> None:
        self.open("/director/sign", "/director/sign")


class Inspector(Staff):
    role = "inspector"

    @task(3)
    def search_pupil(self) -> None:
        self.open("/inspect", "/inspect?student=", student=random.choice(FACTS["surnames"]))

    @task(2)
    def search_class(self) -> None:
        document = _document()
        self.open("/inspect", "/inspect?year=&class=", year=document["year"], **{"class": document["class"]})

    @task(3)
    def preview(self) -> None:
        document = _document()
        self.open(f"/inspect/documents/{document['id']}", "/inspect/documents/<id>")
        page = random.randint(1, document["pages"])
        self.open(f"/inspect/documents/{document['id']}/pages/{page}.png", "/inspect/documents/<id>/pages/<n>.png")

    @task(1)
    def download(self) -> None:
        document = _document()
        self.open(f"/inspect/documents/{document['id']}", "/inspect/documents/<id>")
        self.open(f"/inspect/documents/{document['id']}/download", "/inspect/documents/<id>/download")


class Administrator(Staff):
    role = "admin"

    @task
    def users(self) -> None:
        self.open("/admin/users", "/admin/users")


class SheetCheck(HttpUser):
    """Someone who scanned the QR code on a printed sheet: no account, no sign-in."""

    weight = FACTS["weights"]["visitor"]
    wait_time = THINK

    @task
    def check(self) -> None:
        document = _document()
        sheet = random.randint(1, document["sheets"])
        with self.client.get(f"/check/{document['id']}/{sheet}", name="/check/<id>/<sheet>",
                             catch_response=True) as answer:
            if answer.status_code != 200:
                answer.failure(f"HTTP {answer.status_code} {answer.error or ''}".strip())
