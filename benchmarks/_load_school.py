"""Shared set-up of the load benchmark (not timed): a fresh PostgreSQL database of its own, the demo school
made in it by `archive-service demo` (the whole year: imported, closed, signed, backed up, registered), a
known password for each demo account and more accounts of each role, one per virtual user, and the facts
the scenario's virtual users browse by (documents and their sheets, periods, classes, pupils' surnames).

The accounts are made and their passwords set through the archive's own services (`accounts.create_user`,
`accounts.set_password`, as the demo's administrator), never written into the database by hand.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from archive_service import Settings, create_app
from archive_service.demo.tour import DEMO_ACCOUNTS
from archive_service.domain.actor import Actor
from archive_service.domain.roles import ROLES
from archive_service.services import accounts, documents, register_search, snapshots

POSTGRES_ADMIN_URL = os.environ.get("ARCHIVE_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
"""A database on the server the benchmark may connect to in order to create (and drop) its own."""
PASSWORD = "load-Pa55word!"
"""The password every demo account is given for the scenario's sign-ins."""
WEIGHTS = {"deputy": 5, "secretary": 4, "director": 2, "inspector": 4, "admin": 1, "visitor": 4}
"""The scenario's mix of people (locust's weights of its user classes): out of 200, 50 deputy heads, 40
secretaries, 20 directors, 40 inspectors, 10 administrators, and 40 people checking a printed sheet's QR code
without an account."""
ADMIN_LOGIN = next(login for login, (_name, role) in DEMO_ACCOUNTS.items() if role == "admin")


@contextmanager
def fresh_database():
    """The URL of a new, uniquely named database on the PostgreSQL server; dropped on the way out
    (connections still open to it are closed by the server: WITH (FORCE))."""
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"archive_load_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def archive_environment(home: Path, database_url: str) -> dict[str, str]:
    """The environment the archive's command line and web server run in: this checkout's code first."""
    checkout = str(Path(__file__).resolve().parents[1])
    path = os.pathsep.join(p for p in (checkout, os.environ.get("PYTHONPATH", "")) if p)
    return {**os.environ, "PYTHONPATH": path, "ARCHIVE_HOME": str(home), "ARCHIVE_DATABASE_URL": database_url,
            "ARCHIVE_SECRET_KEY": "load-benchmark-secret"}


def make_demo_school(env: dict[str, str]) -> None:
    """`archive-service db upgrade`, then `archive-service demo`, as a person installing the demo would
    (its output goes to ARCHIVE_HOME/demo.log; a failure raises with its tail)."""
    home = Path(env["ARCHIVE_HOME"])
    home.mkdir(parents=True, exist_ok=True)
    cli = [str(Path(sys.executable).parent / "archive-service")]
    with open(home / "demo.log", "w", encoding="utf-8") as log:
        for args in (["db", "upgrade"], ["demo"]):
            # a session of its own: on Ctrl-C its whole group (the demo's rendering processes too) is killed
            command = subprocess.Popen(cli + args, env=env, stdout=log, stderr=subprocess.STDOUT,
                                       start_new_session=True)
            try:
                command.wait()
            finally:
                if command.poll() is None:
                    os.killpg(command.pid, signal.SIGKILL)
                    command.wait()
            if command.returncode:
                tail = (home / "demo.log").read_text(encoding="utf-8")[-3000:]
                raise RuntimeError(f"archive-service {' '.join(args)} failed ({command.returncode}):\n{tail}")


def settle(database_url: str, quiet_load: float = 1.0, at_most: float = 180) -> None:
    """Leave the school's database and the machine as a school's server has them on a working day before the
    load starts: the tables the set-up has just filled vacuumed and analysed (what PostgreSQL's autovacuum would
    otherwise do during the first minutes of the load, with plans made on empty tables until then), and the
    set-up's rendering processes' load gone (the 1-minute load average under `quiet_load`, or `at_most`
    seconds waited)."""
    engine = create_engine(database_url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text("VACUUM (ANALYZE)"))
    finally:
        engine.dispose()
    deadline = time.monotonic() + at_most
    while os.getloadavg()[0] > quiet_load and time.monotonic() < deadline:
        time.sleep(5)


def settings_of(env: dict[str, str]) -> Settings:
    return Settings(home=Path(env["ARCHIVE_HOME"]), database_url=env["ARCHIVE_DATABASE_URL"],
                    secret_key=env["ARCHIVE_SECRET_KEY"])


def staff_accounts(env: dict[str, str], users: int) -> dict[str, list[str]]:
    """An account for every person the scenario plays, each with the benchmark's password: the demo school's
    own account of each role, and as many more of the role as its share of `users` (`WEIGHTS`) needs —
    a district's staff are so many people, and one account signed in from fifty places at once would be
    locked by the archive after its fifth attempt in flight (`services.accounts.MAX_FAILURES`). Made
    through the archive's own service as the demo's administrator. Role → logins."""
    app = create_app(settings_of(env))
    archive = app.extensions["archive"]
    admin = Actor(DEMO_ACCOUNTS[ADMIN_LOGIN][0], "admin", "нагрузочный тест", ADMIN_LOGIN)
    logins: dict[str, list[str]] = {role: [] for role in ROLES}
    try:
        for login, (_name, role) in DEMO_ACCOUNTS.items():
            accounts.set_password(archive.uow(), login, PASSWORD, actor=admin, now=archive.now(), temporary=False)
            logins[role].append(login)
        for role, count in people_per_role(users).items():
            for number in range(len(logins[role]) + 1, count + 1):
                login = f"{role}-{number:03d}"
                accounts.create_user(archive.uow(), login, f"{ROLES[role].capitalize()} № {number}", role, PASSWORD,
                                     actor=admin, now=archive.now(), temporary=False)
                logins[role].append(login)
    finally:
        archive.engine.dispose()
    return logins


def people_per_role(users: int) -> dict[str, int]:
    """How many virtual users of each role locust starts out of `users` (it shares them by `WEIGHTS`), at
    most: the share rounded up."""
    return {role: -(-users * weight // sum(WEIGHTS.values())) for role, weight in WEIGHTS.items() if role in ROLES}


def scenario_facts(env: dict[str, str]) -> dict:
    """What the virtual users open: the signed documents (id, sheets, pages), the periods and classes stored,
    the register's entries (year, number), and surnames of pupils to search for."""
    app = create_app(settings_of(env))
    archive = app.extensions["archive"]
    try:
        rows = documents.list_documents(archive.uow())
        stored = snapshots.list_snapshots(archive.uow())
        registered = register_search.described_register(archive.uow())
    finally:
        archive.engine.dispose()
    signed = [{"id": r["document_id"], "sheets": r["sheets"], "pages": r["pages"], "year": r["academic_year"],
               "period": r["period"], "class": r["class"]}
              for r in rows if r["signature"] is not None and not r["superseded"] and not r["draft"]]
    if not signed:
        raise RuntimeError("the demo school has no signed document: nothing to preview, download or check")
    return {"documents": signed,
            "periods": sorted({(s.academic_year, s.period) for s in stored}),
            "classes": sorted({s.class_name for s in stored}),
            "register": [[r["year"], r["number"]] for r in registered],
            "surnames": _surnames(Path(env["ARCHIVE_HOME"]) / "demo-data")}


def _surnames(folder: Path, most: int = 60) -> list[str]:
    """Surnames of the demo school's pupils, read from its snapshot files (the first `most`, sorted)."""
    import json

    found: set[str] = set()
    for path in sorted(folder.rglob("*.json")):
        for student in json.loads(path.read_bytes()).get("students", []):
            name = str(student.get("full_name", "")).split(" ")[0]
            if name:
                found.add(name)
        if len(found) >= most:
            break
    return sorted(found)[:most]
