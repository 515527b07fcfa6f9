"""The director's page «Ключ архива»: the code set twice, changed, the key replaced, the escrow copy
made and dropped — no code ever in a page, a flash message or the audit log."""

from __future__ import annotations

from archive_service.services import archive_keys, backup
from web_support import csrf_token

CODE, NEW_CODE, ESCROW = "лиса-ручей-47-окно", "кедр-ветер-93-гора", "барсук-луна-16-ведро"


def _post(client, url: str, data: dict) -> str:
    response = client.post(url, data={"csrf_token": csrf_token(client, "/director/key"), **data})
    assert response.status_code == 302 and response.headers["Location"] == "/director/key", response
    return client.get("/director/key").get_data(as_text=True)


def test_the_director_sets_changes_and_rotates_the_key_and_makes_an_escrow_copy(archive, login_as):
    director = login_as("director")
    first = director.get("/director/key").get_data(as_text=True)
    assert "Ключа архива ещё нет" in first and "Ключ архива" in director.get("/").get_data(as_text=True) + first
    page = _post(director, "/director/key/init", {"code": CODE, "code2": CODE + "x"})
    assert "коды доступа не совпадают" in page
    page = _post(director, "/director/key/init", {"code": "1234567890", "code2": "1234567890"})
    assert "слишком простой" in page
    page = _post(director, "/director/key/init", {"code": CODE, "code2": CODE})
    (key,) = archive_keys.key_status(archive.uow())
    assert "Ключ архива создан" in page and key.fingerprint in page
    page = _post(director, "/director/key/change", {"code": "чужой-код-99", "new_code": NEW_CODE,
                                                     "new_code2": NEW_CODE})
    assert "неверный код доступа" in page
    page = _post(director, "/director/key/change", {"code": CODE, "new_code": NEW_CODE, "new_code2": NEW_CODE})
    assert "Код доступа сменён" in page
    page = _post(director, "/director/key/rotate", {"code": NEW_CODE, "new_code": CODE, "new_code2": CODE})
    assert "Прежние ключи" in page and key.fingerprint in page
    page = _post(director, "/director/key/escrow", {"holder": "Управление образования", "code": CODE,
                                                     "escrow_code": ESCROW, "escrow_code2": ESCROW})
    assert "хранится: <strong>Управление образования</strong>" in page
    page = _post(director, "/director/key/escrow/drop", {})
    assert "Копия ключа удалена" in page
    with archive.uow() as uow:
        audit = [repr((e.action, e.details)) for e in uow.audit.entries()]
    journal = [repr(r) for r in backup.journal_rows(archive.uow())]
    assert {"archive_key.created", "archive_key.refused", "archive_key.code_changed", "archive_key.rotated",
            "archive_key.escrow_set", "archive_key.escrow_dropped"} <= {a.split("'")[1] for a in audit}
    for code in (CODE, NEW_CODE, ESCROW, "чужой-код-99"):
        assert not any(code in line for line in audit + journal + [page])


def test_only_the_director_reaches_the_key_page(login_as):
    for role in ("deputy", "secretary", "admin", "inspector"):
        client = login_as(role)
        assert client.get("/director/key").status_code == 403
