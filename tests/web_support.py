"""Web test support: one account per role and a client signed in as any of them (fixtures in conftest)."""

from __future__ import annotations

import datetime as dt
import re
import time

from archive_service.domain.actor import Actor
from archive_service.domain.roles import ROLES
from archive_service.services import accounts, documents
from archive_service.services.ingest import ingest_snapshot
from archive_service.services.register import Placement, register_document
from archive_service.services.signing import sign_documents
from builders import as_bytes, snapshot
from conftest import NOW
from signing import create_demo_pki, load_pkcs12

PASSWORD = "пароль-для-теста-1"
ADMIN = Actor("test", "admin")
NAMES = {"admin": "Админов Артём Андреевич", "deputy": "Иванова Татьяна Петровна",
         "director": "Смирнов Виктор Васильевич", "secretary": "Петрова Анна Сергеевна",
         "inspector": "Орлов Олег Олегович"}


def make_staff(archive, now) -> dict[str, accounts.User]:
    """One account per role, each with a password of its own (not a temporary one)."""
    return {role: accounts.create_user(archive.uow(), role, NAMES[role], role, PASSWORD, actor=ADMIN, now=now,
                                       temporary=False)
            for role in ROLES}


def csrf_token(client, path: str = "/login") -> str:
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf-token" content="([^"]+)"', page)[1]


def sign_in(client, login: str, password: str = PASSWORD):
    return client.post("/login", data={"login": login, "password": password, "csrf_token": csrf_token(client)})


def client_factory(app):
    """login_as("deputy") → a test client signed in as the deputy head."""
    def make(role: str):
        client = app.test_client()
        response = sign_in(client, role)
        assert response.status_code == 302, response.get_data(as_text=True)
        return client
    return make


def wait_for_job(client, job_id: str, timeout: float = 240) -> dict:
    """The job's state once it is no longer queued or running (polled through /jobs/<id>)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = client.get(f"/jobs/{job_id}").get_json()
        if job["status"] not in ("queued", "running"):
            return job
        time.sleep(0.3)
    raise AssertionError(f"job {job_id} did not finish in {timeout} s")


def signed_registered_journal(archive, clerk=None, data=None):
    """The Q2 copy of 5А as a sheet check finds it: rendered two-sided, signed by the demo director,
    entered in the register (of the builders' snapshot, or `data`). Returns the rendered document."""
    stored = ingest_snapshot(archive.uow(), as_bytes(data or snapshot()), actor=Actor("test", "deputy"), now=NOW)
    doc = documents.render_document(archive.uow(), archive.store, archive.renderer, stored.snapshot_id,
                                    "class_journal", archive.render_options, actor=Actor("deputy", "deputy"), now=NOW)
    create_demo_pki(archive.demo_pki.directory, owner="Сергеева Ольга Викторовна", organisation="МБОУ СОШ № 21",
                    password=b"pin", now=dt.datetime.now(dt.timezone.utc))
    sign_documents(archive.uow(), archive.store, archive.pades_signer(load_pkcs12(archive.demo_pki.signer_p12, b"pin")),
                   "2026/2027", ["Q2"], actor=Actor("director", "director"), now=archive.now)
    register_document(archive.uow(), doc.document_id, handed_over_by="Иванова Т. П.", accepted_by="Петрова А. С.",
                      placement=Placement("каб. 12", "шкаф 3", "папка 5А"), on=dt.date(2027, 1, 9), paper_only=False,
                      actor=clerk or Actor("secretary", "secretary"), now=NOW)
    return doc
