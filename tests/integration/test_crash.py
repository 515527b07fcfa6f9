"""kill -9 of `period close`, `sign` and `backup create` at named moments: every moment on SQLite,
those that leave a file before its row or cut a database transaction also on PostgreSQL.

Each case makes a small installation (two classes of Q2), starts the real command in a process
of its own and kills it — with its worker processes — at one moment: a file half-written (its
temporary file not yet renamed), a file written but not yet recorded, a record written but not
yet committed, a record committed before the command could say so. After the kill the archive
must be whole (`crash_support.archive_problems`), the same command run again must complete, and
then nothing may be left half-done and the outcome is that of a run that never crashed.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil

import pytest
from sqlalchemy import select

from archive_service.adapters.orm import BackupSet
from archive_service.domain.actor import Actor
from archive_service.services import accounts, documents
from archive_service.services.ingest import ingest_snapshot
from archive_service.services.signing import awaiting_signature
from builders import as_bytes, snapshot
from conftest import NOW
from conftest import _truncate as truncate
from crash_support import archive_problems, cli_env, kill_at, kill_when, open_archive, rerun, stored_files
from keys_support import with_archive_key
from signing import create_demo_pki

pytestmark = pytest.mark.slow  # each case starts the real command twice: about ten seconds

# the real commands run on the machine's clock: the builders' quarter a year earlier has ended by it,
# so the close makes final copies and the director may sign them (domain.drafts)
YEAR, PERIOD = "2025/2026", "Q2"
CLASSES = ("5А", "5Б")
PIN = "pin-1234"

# each command acts as a named account of its role (`--as`, made by the `installation` fixture)
CLOSE = ("--as", "deputy", "period", "close", "--year", YEAR, "--period", PERIOD)
SIGN = ("--as", "director", "sign", "--year", YEAR, "--period", PERIOD, "--pkcs12")  # + the key file
BACKUP = ("--as", "deputy", "backup", "create", "--year", YEAR, "--period", PERIOD)

# "point:N" — the N-th time the command reaches the point (storage.crash_points); with two
# classes every moment below is a different state of the archive.
CLOSE_MOMENTS = [
    "write.unrenamed:1",    # the first copy's PDF half-written: its temporary file not renamed
    "write.done:1",         # the first copy's PDF in the store, no record yet
    "render.uncommitted:1",  # its record and audit event written, not committed
    "render.committed:1",   # the first copy recorded, the second not begun
    "write.done:2",         # one copy recorded, the second one's file without a record
    "render.committed:2",   # everything recorded, the command killed before reporting
]
SIGN_MOMENTS = [
    "write.unrenamed:1",    # the first signed PDF half-written
    "write.done:1",         # the first signed PDF in the store, no signature record yet
    "sign.uncommitted:1",   # its signature record and audit event written, not committed
    "sign.committed:1",     # the first document signed, the second not begun
    "write.done:2",         # one signed, the second one's signed PDF without a record
    "sign.committed:2",     # both signed, the command killed before reporting
]
# a medium write is two atomic writes (the sidecar, then the object); a set is five files and
# the COMPLETE marker: 12 writes on medium A, then 12 on medium B
BACKUP_MOMENTS = [
    "write.done:1",         # the first sidecar on medium A, nothing else
    "write.unrenamed:6",    # a file on medium A half-written
    "write.done:12",        # medium A complete with its marker, nothing on medium B
    "write.unrenamed:13",   # medium B's first sidecar half-written
    "write.done:20",        # medium B half done
    "write.done:24",        # both media complete, the database not yet told
]


@pytest.fixture(scope="module")
def demo_pki(tmp_path_factory):
    """The director's key and the demo authorities, made once and copied into each installation."""
    directory = tmp_path_factory.mktemp("pki")
    create_demo_pki(directory, owner="Сергеева Ольга Викторовна", organisation="МБОУ СОШ № 21",
                    password=PIN.encode(), now=dt.datetime.now(dt.timezone.utc))
    return directory


def cases(moments: list[str], on_postgres: tuple[str, ...]) -> list:
    """Every moment on SQLite, `on_postgres` also on PostgreSQL (the whole matrix twice would take
    minutes: each case starts the command twice)."""
    return ([pytest.param("sqlite", m, id=f"sqlite-{m}") for m in moments]
            + [pytest.param("postgres", m, id=f"postgres-{m}", marks=pytest.mark.postgres) for m in on_postgres])


@pytest.fixture
def db_url(request, database, tmp_path):
    """The database of the case: a fresh SQLite file, or the test run's PostgreSQL database emptied."""
    if database == "sqlite":
        return f"sqlite:///{tmp_path / 'archive.sqlite3'}"
    url, engine = request.getfixturevalue("postgres_database")
    truncate(engine)
    return url


@pytest.fixture
def installation(db_url, tmp_path):
    """Two classes of Q2 stored; the archive object for setting up and checking in this process."""
    home = tmp_path / "home"
    archive = open_archive(home, db_url)
    archive.prepare_home()
    if db_url.startswith("sqlite"):
        archive.upgrade_schema()
    for name in CLASSES:
        data = a_year_earlier(snapshot())
        data["class"] = {**data["class"], "id": f"c-{name}", "name": name}
        ingest_snapshot(archive.uow(), as_bytes(data), actor=Actor("test", "deputy"), now=NOW)
    with_archive_key(archive)  # backups are sealed for it: `backup create` needs no code
    for login, name, role in (("deputy", "Иванова Татьяна Петровна", "deputy"),
                              ("director", "Сергеева Ольга Викторовна", "director")):
        accounts.create_user(archive.uow(), login, name, role, "пароль-для-теста-42", actor=Actor("test", "admin"),
                             now=NOW)
    yield archive, cli_env(home, db_url, ARCHIVE_SIGN_PIN=PIN)
    archive.engine.dispose()


def a_year_earlier(data: dict) -> dict:
    """The builders' snapshot moved to 2025/2026: every date a year back (the birth dates stay)."""
    return json.loads(json.dumps(data, ensure_ascii=False).replace("2026", "2025").replace("2027", "2026"))


def close_in_process(archive) -> None:
    for job in documents.plan_period_close(archive.uow(), YEAR, [PERIOD]):
        documents.render_document(archive.uow(), archive.store, archive.renderer, job.snapshot_id, job.kind,
                                  archive.render_options, actor=Actor("test", "deputy"), now=NOW)


def crash_and_recover(archive, env, point: str, command: tuple[str, ...]) -> dict:
    """Kill the command at `point`, check, run it again, check again; a report to compare."""
    kill_at(env, point, *command)
    after_kill = archive_problems(archive, settled=False)
    rerun(env, *command)
    return {"after the kill": after_kill, "after the re-run": archive_problems(archive, settled=True)}


WHOLE = {"after the kill": [], "after the re-run": []}


@pytest.mark.parametrize(("database", "point"), cases(CLOSE_MOMENTS, ("write.done:1", "render.uncommitted:1")))
def test_period_close_killed_at_any_moment_leaves_a_whole_archive_and_a_rerun_completes(installation, point):
    archive, env = installation
    assert crash_and_recover(archive, env, point, CLOSE) == WHOLE
    rows = documents.list_documents(archive.uow(), YEAR, [PERIOD])
    assert sorted(r["class"] for r in rows) == sorted(CLASSES), "one copy per class, none twice"
    assert len(stored_files(archive.store)) == len(CLASSES)


@pytest.mark.parametrize(("database", "point"), cases(SIGN_MOMENTS, ("write.done:1", "sign.uncommitted:1")))
def test_signing_killed_at_any_moment_leaves_a_whole_archive_and_a_rerun_completes(installation, demo_pki, point):
    archive, env = installation
    close_in_process(archive)
    shutil.copytree(demo_pki, archive.demo_pki.directory)
    assert crash_and_recover(archive, env, point, (*SIGN, str(archive.demo_pki.signer_p12))) == WHOLE
    assert awaiting_signature(archive.uow(), YEAR, [PERIOD]) == []
    assert len(stored_files(archive.store)) == 2 * len(CLASSES), "each copy and its one signed original"


@pytest.mark.parametrize(("database", "point"), cases(BACKUP_MOMENTS, ("write.done:12", "write.done:24")))
def test_backup_killed_at_any_moment_leaves_a_whole_archive_and_a_rerun_finishes_the_set(installation, point):
    archive, env = installation
    close_in_process(archive)
    assert crash_and_recover(archive, env, point, BACKUP) == WHOLE
    with archive.uow() as uow:
        sets = uow.session.scalars(select(BackupSet)).all()
        assert [s.complete for s in sets] == [True], "the re-run finishes the killed set rather than making another"


@pytest.mark.parametrize("database", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_each_command_killed_from_outside_when_its_first_file_appears_leaves_a_whole_archive(installation, demo_pki):
    """The same promises when the kill comes from outside the command, not from its own hook."""
    archive, env = installation
    store, (medium_a, medium_b) = archive.store, archive.media()
    kill_when(env, lambda: len(stored_files(store)) >= 1, *CLOSE)
    found = {"close": archive_problems(archive, settled=False)}
    rerun(env, *CLOSE)
    shutil.copytree(demo_pki, archive.demo_pki.directory)
    sign = (*SIGN, str(archive.demo_pki.signer_p12))
    kill_when(env, lambda: len(stored_files(store)) > len(CLASSES), *sign)
    found["sign"] = archive_problems(archive, settled=False)
    rerun(env, *sign)
    kill_when(env, lambda: bool(medium_b.list()), *BACKUP)
    found["backup"] = archive_problems(archive, settled=False)
    rerun(env, *BACKUP)
    found["after the re-runs"] = archive_problems(archive, settled=True)
    assert found == {"close": [], "sign": [], "backup": [], "after the re-runs": []}
    assert awaiting_signature(archive.uow(), YEAR, [PERIOD]) == [] and medium_a.list()
