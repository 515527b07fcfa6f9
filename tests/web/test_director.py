"""The director's pages: the inbox, batch signing through a job, hand-over, disposal, backups."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

import pytest
from sqlalchemy import select

from archive_service.domain.actor import Actor
from archive_service.adapters.orm import BackupSet, Job
from archive_service.domain.clock import Clock
from archive_service.services import archive_keys, backup, disposal, documents, register
from builders import render_journals
from conftest import NOW
from keys_support import KEY_CODE, with_archive_key
from signing import certify_public_key, create_demo_pki
from web_support import NAMES, csrf_token

CLERK = Actor("secretary", "secretary")

KEY_PASSWORD = "key-pass-4711-zq"
BACKUP_CODE = KEY_CODE
PLACE = register.Placement("кабинет 5 (архив)", "шкаф 2", "папка «2026/2027»")
DUE = dt.date(2033, 1, 1)  # a 2026/2027 class journal copy, kept 5 years
SOFTHSM = Path("/usr/lib/softhsm/libsofthsm2.so")
TOKEN_PIN = "pin-zqxw-73"


def _render(archive, *letters: str) -> list[str]:
    return render_journals(archive, "".join(letters), NOW)


@pytest.fixture
def rendered(archive):
    """Two class journal copies of Q2 awaiting the signature, and the director's PKCS#12 key."""
    ids = _render(archive, "А", "Б")
    create_demo_pki(archive.demo_pki.directory, owner=NAMES["director"], organisation="МБОУ СОШ № 21",
                    password=KEY_PASSWORD.encode(), now=dt.datetime.now(dt.timezone.utc))
    return ids


def _backup_set(archive) -> str:
    if not archive_keys.key_status(archive.uow()):
        with_archive_key(archive)
    return backup.create_backup(archive.uow(), archive.store, archive.media(), "2026/2027", ["Q2"],
                                actor=Actor(NAMES["deputy"], "deputy"), now=NOW).set_id


def _proposed_act(archive, document_ids: list[str]) -> str:
    for document_id in document_ids:
        register.register_document(archive.uow(), document_id, handed_over_by="Иванова Т. П.",
                                   accepted_by="Петрова А. С.", placement=PLACE, on=dt.date(2027, 1, 15),
                                   paper_only=True, actor=CLERK, now=NOW)
    at_due = Clock(lambda: dt.datetime.combine(DUE, dt.time(9), dt.timezone.utc))
    return disposal.compose_act(archive.uow(), archive.store, archive.settings.templates_dir, clock=at_due,
                                actor=Actor(NAMES["secretary"], "secretary"))["act"]


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


def _sign(client, password: str = KEY_PASSWORD, key: bytes | None = None, archive=None):
    data = key if key is not None else archive.demo_pki.signer_p12.read_bytes()
    return client.post("/director/sign", data={
        "csrf_token": csrf_token(client, "/director/sign"), "period": "2026/2027|Q2", "method": "file",
        "password": password, "key_file": (io.BytesIO(data), "director.p12")}, content_type="multipart/form-data")


def _wait(client, job_id: str, timeout: float = 180) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = client.get(f"/jobs/{job_id}").get_json()
        if job["status"] in ("done", "failed", "interrupted"):
            return job
        time.sleep(0.2)
    raise AssertionError(f"job {job_id} did not finish in {timeout} s")


def _session(app, client) -> dict:
    cookie = client.get_cookie("archive_session")
    return app.session_interface.get_signing_serializer(app).loads(cookie.value) if cookie else {}


def _audit(archive) -> list:
    with archive.uow() as uow:
        entries = uow.audit.entries()
        return [(e.action, e.actor, e.object_id, e.origin, json.dumps(e.details, ensure_ascii=False))
                for e in entries]


def test_the_inbox_counts_what_awaits_the_director(archive, login_as, rendered):
    _backup_set(archive)
    _proposed_act(archive, rendered[:1])
    page = login_as("director").get("/director")
    assert page.status_code == 200
    text = _text(page)
    assert "2 документа ждут электронной подписи" in text
    assert "1 резервная копия ждёт приёма по акту передачи" in text
    assert "1 акт о выделении к уничтожению ждёт утверждения" in text
    assert "2026/2027 II четверть 2" in text and "№ 1/2033" in text
    assert login_as("director").get("/").headers["Location"] == "/director"


def test_batch_signing_with_a_key_file_runs_as_a_job_and_signs_every_document(app, archive, login_as, rendered,
                                                                                monkeypatch, tmp_path):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    director = login_as("director")
    page = _text(director.get("/director/sign"))
    assert "II четверть" in page and "5А" in page and "5Б" in page
    started = _sign(director, archive=archive)
    assert started.status_code == 302 and started.headers["Location"].startswith("/director/jobs/")
    assert KEY_PASSWORD not in json.dumps(_session(app, director), ensure_ascii=False)
    job_id = started.headers["Location"].rsplit("/", 1)[1]
    job = _wait(director, job_id)
    assert job["status"] == "done", job["message"]
    assert job["result"]["signed"] == 2 and job["result"]["failed"] == 0
    assert list(tmp_path.joinpath("tmp").iterdir()) == [], "the uploaded key file is deleted"
    assert all(row["signature"] for row in documents.list_documents(archive.uow()))
    results = _text(director.get(f"/director/jobs/{job_id}"))
    assert "Подписано документов: 2" in results and results.count("подписан") >= 2
    assert "Документов, ожидающих подписи, нет" in _text(director.get("/director/sign"))
    batch = [e for e in _audit(archive) if e[0] == "web.sign_batch"]
    assert len(batch) == 1 and batch[0][1] == NAMES["director"] and batch[0][3].startswith("web ")
    assert [e[0] for e in _audit(archive)].count("document.signed") == 2


def test_the_password_is_in_neither_the_job_row_the_audit_log_nor_the_session(app, archive, login_as, rendered):
    director = login_as("director")
    job_id = _sign(director, archive=archive).headers["Location"].rsplit("/", 1)[1]
    assert _wait(director, job_id)["status"] == "done"
    director.get(f"/director/jobs/{job_id}")
    with archive.uow() as uow:
        row = uow.session.get(Job, job_id)
        stored = json.dumps([row.kind, row.title, row.params, row.message, row.result, row.created_by],
                            ensure_ascii=False)
    assert KEY_PASSWORD not in stored and "director.p12" in stored
    assert not any(KEY_PASSWORD in " ".join(entry) for entry in _audit(archive))
    assert KEY_PASSWORD not in json.dumps(_session(app, director), ensure_ascii=False)


def test_a_wrong_password_says_so_in_russian_and_signs_nothing(app, archive, login_as, rendered):
    director = login_as("director")
    refused = _sign(director, password="не-тот-пароль", archive=archive)
    assert refused.status_code == 302 and refused.headers["Location"].startswith("/director/sign")
    assert "не-тот-пароль" not in json.dumps(_session(app, director), ensure_ascii=False)
    page = _text(director.get(refused.headers["Location"]))
    assert "Ничего не подписано: не удалось открыть ключ «director.p12»: неверный пароль" in page
    assert not any(row["signature"] for row in documents.list_documents(archive.uow()))
    with archive.uow() as uow:
        assert uow.session.scalars(select(Job)).all() == []
    assert "web.sign_refused" in [e[0] for e in _audit(archive)]
    assert not any("не-тот-пароль" in " ".join(e) for e in _audit(archive))
    not_a_key = _sign(director, key=b"%PDF-1.7 not a key", archive=archive)
    assert "Ничего не подписано" in _text(director.get(not_a_key.headers["Location"]))


@pytest.fixture(scope="module")
def token(tmp_path_factory):
    """A SoftHSM2 token with the director's key generated on it, certified by a demo PKI:
    (token label, the PKI's directory). The token is made in the tokens directory SoftHSM already
    uses in this process, if any: the library reads its configuration only when initialised."""
    home = tmp_path_factory.mktemp("director-token")
    own_conf = "SOFTHSM2_CONF" not in os.environ
    if own_conf:
        (home / "tokens").mkdir()
        conf = home / "softhsm2.conf"
        conf.write_text(f"directories.tokendir = {home / 'tokens'}\nobjectstore.backend = file\nlog.level = ERROR\n")
        os.environ["SOFTHSM2_CONF"] = str(conf)
    label = f"director-web-{uuid.uuid4().hex[:8]}"
    subprocess.run(["softhsm2-util", "--init-token", "--free", "--label", label, "--pin", TOKEN_PIN,
                    "--so-pin", "97531"], capture_output=True, check=True)

    def tool(*args: str, login: bool = True) -> None:
        subprocess.run(["pkcs11-tool", "--module", str(SOFTHSM), "--token-label", label,
                        *(["--login", "--pin", TOKEN_PIN] if login else []), *args], capture_output=True, check=True)

    tool("--keypairgen", "--key-type", "EC:prime256v1", "--label", "director", "--id", "01")
    tool("--read-object", "--type", "pubkey", "--label", "director", "--output-file", str(home / "public.der"),
         login=False)
    now = dt.datetime.now(dt.timezone.utc)
    pki = create_demo_pki(home / "pki", owner=NAMES["director"], organisation="МБОУ СОШ № 21", password=b"unused",
                          now=now)
    (home / "director.der").write_bytes(certify_public_key(pki, (home / "public.der").read_bytes(),
                                                           owner=NAMES["director"], organisation="МБОУ СОШ № 21",
                                                           now=now))
    tool("--write-object", str(home / "director.der"), "--type", "cert", "--label", "director", "--id", "01")
    import pkcs11

    pkcs11.lib(str(SOFTHSM)).reinitialize()  # a library initialised earlier in this process lists tokens anew
    yield label, pki.directory
    pkcs11.lib(str(SOFTHSM)).finalize()  # whoever comes next initialises it with their own configuration
    if own_conf:
        del os.environ["SOFTHSM2_CONF"]


def test_batch_signing_with_a_token_takes_the_pin_once_and_keeps_it_nowhere(archive, login_as, rendered, token):
    label, pki = token
    shutil.rmtree(archive.demo_pki.directory)
    shutil.copytree(pki, archive.demo_pki.directory)  # trust the CA that certified the token's key
    director = login_as("director")

    def sign_with(pin: str):
        return director.post("/director/sign", data={
            "csrf_token": csrf_token(director, "/director/sign"), "period": "2026/2027|Q2", "method": "token",
            "library": str(SOFTHSM), "token": label, "key": "director", "pin": pin})

    refused = sign_with("0000")
    assert "Ничего не подписано: не удалось открыть токен" in _text(director.get(refused.headers["Location"]))
    assert not any(row["signature"] for row in documents.list_documents(archive.uow()))
    elsewhere = director.post("/director/sign", data={
        "csrf_token": csrf_token(director, "/director/sign"), "period": "2026/2027|Q2", "method": "token",
        "library": "/tmp/evil.so", "token": label, "key": "director", "pin": TOKEN_PIN}, follow_redirects=True)
    assert "такой вид токена на сервере архива не разрешён" in _text(elsewhere)
    job = _wait(director, sign_with(TOKEN_PIN).headers["Location"].rsplit("/", 1)[1])
    assert job["status"] == "done" and job["result"]["signed"] == 2, job["message"]
    assert all(row["signature"] for row in documents.list_documents(archive.uow()))
    with archive.uow() as uow:
        stored = json.dumps([(j.params, j.result, j.message) for j in uow.session.scalars(select(Job))],
                            ensure_ascii=False)
    assert TOKEN_PIN not in stored and label in stored
    assert not any(TOKEN_PIN in " ".join(entry) for entry in _audit(archive))


def test_the_hand_over_is_confirmed_once_audited_and_journaled(archive, login_as, rendered):
    set_id = _backup_set(archive)
    director = login_as("director")
    page = _text(director.get("/director/handover"))
    assert "ждёт" not in page or "Принять" in page
    act = director.get(f"/director/handover/{set_id}/act.pdf")
    assert act.status_code == 200 and act.mimetype == "application/pdf" and act.data.startswith(b"%PDF")
    token = csrf_token(director, "/director/handover")
    confirmed = director.post(f"/director/handover/{set_id}/confirm", data={"csrf_token": token},
                              follow_redirects=True)
    assert f"Набор {set_id} принят по акту" in _text(confirmed)
    with archive.uow() as uow:
        row = uow.session.scalar(select(BackupSet).where(BackupSet.set_id == set_id))
        assert row.handover_confirmed_by == NAMES["director"] and row.handover_confirmed_at is not None
    (event,) = [e for e in _audit(archive) if e[0] == "backup.handover_confirmed"]
    assert event[1] == NAMES["director"] and event[2] == set_id and event[3] == "web 127.0.0.1"
    last = backup.journal_rows(archive.uow())[-1]
    assert (last["action"], last["person"], last["role"], last["set_id"]) == (
        "приём по акту", NAMES["director"], "директор", set_id)
    assert "Носитель A" in last["medium"] and "Носитель B" in last["medium"]
    assert backup.verify_journal(archive.uow())[1] == []
    again = director.post(f"/director/handover/{set_id}/confirm", data={"csrf_token": token}, follow_redirects=True)
    assert "Не принято: набор" in _text(again) and "уже принят" in _text(again)
    assert [e[0] for e in _audit(archive)].count("backup.handover_confirmed") == 1
    assert "0 резервных копий ждут" in _text(director.get("/director"))


def test_the_director_approves_a_disposal_act_through_the_page(archive, login_as, rendered):
    key = _proposed_act(archive, rendered)
    number, year = key.split("/")
    director = login_as("director")
    page = _text(director.get("/director/disposal"))
    assert f"Акт № {key}" in page and "ждёт утверждения" in page and "Утвердить" in page
    pdf = director.get(f"/director/disposal/{year}/{number}.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    approved = director.post(f"/director/disposal/{year}/{number}/approve",
                             data={"csrf_token": csrf_token(director, "/director/disposal")}, follow_redirects=True)
    assert f"Акт № {key} утверждён" in _text(approved)
    act = disposal.act_summary(archive.uow(), key)
    assert act["status"] == "approved" and act["approved_by"] == NAMES["director"]
    actions = {e[0]: e for e in _audit(archive)}
    assert actions["disposal.act_approved"][1] == NAMES["director"]
    assert actions["web.disposal_act_approved"][3] == "web 127.0.0.1"
    assert "Актов, ожидающих утверждения, нет" in _text(director.get("/director/disposal"))


def test_a_backup_is_restored_with_the_access_code_and_every_attempt_is_journaled(archive, login_as, rendered):
    set_id = _backup_set(archive)
    director = login_as("director")
    page = _text(director.get("/director/backups"))
    assert "цепочка записей цела" in page and "в отдельной папке на сервере архива" in page
    assert str(archive.settings.home) not in page  # no server folder on a person's screen
    token = csrf_token(director, "/director/backups")
    wrong = director.post("/director/backups/restore", data={"csrf_token": token, "set_id": set_id,
                                                             "code": "чужой код", "purpose": "проверка"})
    failed = _wait(director, wrong.headers["Location"].rsplit("/", 1)[1])
    assert failed["status"] == "failed" and "неверный код" in failed["message"]
    right = director.post("/director/backups/restore", data={"csrf_token": token, "set_id": set_id,
                                                             "code": BACKUP_CODE, "purpose": "запрос инспектора"})
    job_id = right.headers["Location"].rsplit("/", 1)[1]
    done = _wait(director, job_id)
    target = archive.settings.home / "restored" / set_id / "bag"
    assert done["status"] == "done" and done["result"]["folder"] == set_id
    assert (target / "data/snapshots/Q2/5А.json").exists()
    assert str(archive.settings.home) not in _text(director.get(f"/director/jobs/{job_id}"))
    again = director.post("/director/backups/restore", data={"csrf_token": token, "set_id": set_id,
                                                             "code": BACKUP_CODE, "purpose": "второй запрос"})
    second = _wait(director, again.headers["Location"].rsplit("/", 1)[1])  # a folder of its own, never over the first
    assert second["status"] == "done" and second["result"]["folder"] == f"{set_id}-2"
    assert (target.parent.parent / f"{set_id}-2" / "bag" / "data/snapshots/Q2/5А.json").exists()
    assert (target / "data/snapshots/Q2/5А.json").exists()
    restores = [(r["action"], r["result"][:5]) for r in backup.journal_rows(archive.uow())
                if r["action"] == "восстановление"]
    assert restores == [("восстановление", "отказ"), ("восстановление", "восст"), ("восстановление", "восст")]
    audited = [e for e in _audit(archive) if e[0] == "web.backup_restore"]
    assert len(audited) == 3 and all(e[3] == "web 127.0.0.1" for e in audited)
    assert not any(BACKUP_CODE in " ".join(e) or "чужой код" in " ".join(e) for e in _audit(archive))
    journal = director.get("/director/backups/journal.pdf")
    assert journal.status_code == 200 and journal.data.startswith(b"%PDF")


@pytest.mark.parametrize("role", ["deputy", "secretary", "inspector", "admin"])
def test_only_the_director_may_use_the_director_pages(archive, login_as, role):
    client = login_as(role)
    token = csrf_token(client, "/account")
    for path in ("/director/sign", "/director/handover/any/confirm", "/director/disposal/2033/1/approve",
                 "/director/backups/restore"):
        assert client.post(path, data={"csrf_token": token}).status_code == 403, path
    for path in ("/director", "/director/sign", "/director/handover", "/director/disposal", "/director/backups"):
        assert client.get(path).status_code == 403, path
