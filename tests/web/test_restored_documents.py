"""After a restore the director reads what came back in words and downloads the restored documents
(each under its Russian name, or all in one ZIP); nothing technical on the page, every download
audited with the director's name, and no other role gets them."""

from __future__ import annotations

import io
import re
import zipfile
from urllib.parse import quote

import pytest

from archive_service.domain.actor import Actor
from archive_service.services import archive_keys, backup, documents
from builders import render_journals
from conftest import NOW
from keys_support import KEY_CODE, with_archive_key
from test_director import _wait
from web_support import NAMES, csrf_token


@pytest.fixture
def restore(archive, login_as):
    """Two class journal copies of II четверть backed up, then restored by the director through the
    page; (the director's client, the job id, the backed-up files by their Russian names)."""
    render_journals(archive, "АБ", NOW)
    if not archive_keys.key_status(archive.uow()):
        with_archive_key(archive)
    set_id = backup.create_backup(archive.uow(), archive.store, archive.media(), "2026/2027", ["Q2"],
                                  actor=Actor(NAMES["deputy"], "deputy"), now=NOW).set_id
    backed_up = {documents.export_name(r): archive.store.read(r["sha256"])
                 for r in documents.list_documents(archive.uow(), "2026/2027", ["Q2"])}
    director = login_as("director")
    started = director.post("/director/backups/restore", data={
        "csrf_token": csrf_token(director, "/director/backups"), "set_id": set_id, "code": KEY_CODE,
        "purpose": "запрос инспектора"})
    job_id = started.headers["Location"].rsplit("/", 1)[1]
    assert _wait(director, job_id)["status"] == "done"
    return director, job_id, backed_up


def _text(response) -> str:
    """What a person reads: the page without its scripts and tags."""
    html = re.sub(r"<script.*?</script>", " ", response.get_data(as_text=True), flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _downloads(archive) -> list[tuple[str, str, dict]]:
    with archive.uow() as uow:
        return [(e.action, e.actor, e.details) for e in uow.audit.entries() if e.action.startswith("web.restored_")]


def test_the_result_says_in_words_what_was_restored_and_shows_no_technical_text(archive, restore):
    director, job_id, backed_up = restore
    assert sorted(backed_up) == ["5А_2_четверть_журнал.pdf", "5Б_2_четверть_журнал.pdf"]
    page = director.get(f"/director/jobs/{job_id}")
    text = _text(page)
    assert "Резервная копия восстановлена" in text and "совпал с контрольной суммой" in text
    assert "Учебный год 2026/2027" in text and "Период II четверть" in text and "Классы 5А, 5Б" in text
    assert "Снимки журнала 2" in text and "Документы 2" in text
    files = re.search(r"все (\d+) файл", text)
    assert files and int(files.group(1)) >= 5  # two snapshots, two documents, the document list, the journal
    for name in backed_up:
        assert name in text
    for word in ("BagIt", "bagit", "jsonl", "JSON", "data/", "SHA", str(archive.settings.home), "restored"):
        assert word not in text, word
    assert "/" not in re.sub(r"\b\d{4}/\d{4}\b", "", text), "a path on the page"
    journal = _text(director.get("/director/backups"))  # the usage journal's line of this restore
    assert "восстановлена в папку на сервере" in journal and str(archive.settings.home) not in journal


def test_each_restored_document_downloads_as_backed_up_under_its_russian_name_and_is_audited(archive, restore):
    director, job_id, backed_up = restore
    for name, data in backed_up.items():
        response = director.get(f"/director/restored/{job_id}/documents/{name}")
        assert response.status_code == 200 and response.mimetype == "application/pdf"
        assert response.data == data
        assert response.headers["Content-Disposition"] == f"attachment; filename*=UTF-8''{quote(name)}"
    bundle = director.get(f"/director/restored/{job_id}/documents.zip")
    assert bundle.status_code == 200 and bundle.mimetype == "application/zip"
    assert quote("2026-2027_восстановленные_документы.zip") in bundle.headers["Content-Disposition"]
    with zipfile.ZipFile(io.BytesIO(bundle.data)) as opened:
        assert {n: opened.read(n) for n in opened.namelist()} == backed_up
    audited = _downloads(archive)
    one, all_ = "web.restored_document_downloaded", "web.restored_documents_downloaded"
    assert [(a, who) for a, who, _ in audited] == [(one, NAMES["director"]), (one, NAMES["director"]),
                                                  (all_, NAMES["director"])]
    assert sorted(d["file"] for _, _, d in audited[:2]) == sorted(backed_up)
    assert audited[2][2]["files"] == 2


def test_an_unknown_name_or_a_job_that_is_no_restore_is_not_found(archive, restore):
    director, job_id, _ = restore
    for name in ("нет_такого.pdf", "..", "documents.json", "audit-log.jsonl", "bag-info.txt"):
        assert director.get(f"/director/restored/{job_id}/documents/{name}").status_code == 404, name
    assert director.get("/director/restored/no-such-job/documents.zip").status_code == 404
    assert _downloads(archive) == []


def test_no_other_role_gets_the_restored_documents(archive, restore, login_as):
    _, job_id, backed_up = restore
    name = next(iter(backed_up))
    for role in ("deputy", "secretary", "inspector", "admin"):
        other = login_as(role)
        assert other.get(f"/director/restored/{job_id}/documents/{name}").status_code == 403, role
        assert other.get(f"/director/restored/{job_id}/documents.zip").status_code == 403, role
        assert other.get(f"/director/jobs/{job_id}").status_code == 403, role
    assert _downloads(archive) == []
