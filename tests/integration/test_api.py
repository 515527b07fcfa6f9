"""The JSON API: bearer tokens, structured errors, push, list, diff and pre-flight."""

from __future__ import annotations

import re

from archive_service.domain.actor import Actor
from archive_service.bootstrap import Archive
from archive_service.services import tokens
from builders import as_bytes, snapshot, subject
from conftest import NOW


def test_without_a_token_the_api_answers_401_in_json(client):
    response = client.post("/api/v1/snapshots", data=as_bytes(snapshot()))
    assert response.status_code == 401
    assert response.json["error"]["code"] == "unauthorized"
    assert "Bearer" in response.json["error"]["message"]


def test_a_revoked_token_is_refused(client, archive):
    token_id, token = tokens.issue_token(archive.uow(), "old", actor=Actor("admin", "admin"), now=NOW)
    tokens.revoke_token(archive.uow(), token_id, actor=Actor("admin", "admin"), now=NOW)
    response = client.get("/api/v1/snapshots", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401 and "отозванный" in response.json["error"]["message"]


def test_a_pushed_snapshot_is_stored_once(client, auth):
    first = client.post("/api/v1/snapshots", data=as_bytes(snapshot()), headers=auth)
    assert first.status_code == 201 and first.json["status"] == "stored"
    again = client.post("/api/v1/snapshots", data=as_bytes(snapshot()), headers=auth)
    assert again.status_code == 200 and again.json["status"] == "duplicate"
    listing = client.get("/api/v1/snapshots?year=2026/2027&period=Q2", headers=auth).json["snapshots"]
    assert [(s["class"], s["version"], s["ingested_by"]) for s in listing] == [("5А", 1, "token:1:test journal")]


def test_a_bad_snapshot_gets_every_problem_with_path_code_and_message(client, auth):
    data = snapshot()
    data["subjects"][0]["lessons"][0]["marks"][0]["student_id"] = "ghost"
    data["class"] = {**data["class"], "name": "7Б"}
    response = client.post("/api/v1/snapshots", data=as_bytes(data), headers=auth)
    assert response.status_code == 422
    error = response.json["error"]
    assert error["code"] == "snapshot_rejected"
    assert {(p["code"], p["path"]) for p in error["problems"]} == {
        ("class_name_grade_mismatch", "$.class.name"), ("unknown_student", "$.subjects[0].lessons[0].marks[0]")}
    assert client.get("/api/v1/snapshots", headers=auth).json["snapshots"] == []


def test_a_new_version_through_the_api_needs_a_reason_and_shows_in_the_diff(client, auth):
    client.post("/api/v1/snapshots", data=as_bytes(snapshot()), headers=auth)
    changed = snapshot()
    subject(changed, "math")["lessons"][1]["marks"][0]["value"] = 3
    refused = client.post("/api/v1/snapshots", data=as_bytes(changed), headers=auth)
    assert refused.status_code == 409 and refused.json["error"]["code"] == "reason_required"
    accepted = client.post("/api/v1/snapshots?reason=Исправление", data=as_bytes(changed), headers=auth)
    assert accepted.status_code == 201 and accepted.json["version"] == 2
    diff = client.get("/api/v1/snapshots/diff?year=2026/2027&period=Q2&class=5А", headers=auth).json
    assert diff["summary"] == {"mark_changed": 1, "retroactive": 1}
    assert diff["changes"][0]["old"] == 5 and diff["changes"][0]["new"] == 3


def test_the_preflight_report_is_available_as_json(client, auth):
    data = snapshot()
    subject(data, "music")["lessons"][0]["topic"] = None
    client.post("/api/v1/snapshots", data=as_bytes(data), headers=auth)
    body = client.get("/api/v1/preflight?year=2026/2027&period=Q2", headers=auth).json
    assert body["classes"][0]["counts"] == {"lesson_without_topic": 1}
    missing = client.get("/api/v1/preflight?year=2026/2027", headers=auth)
    assert missing.status_code == 400 and "period" in missing.json["error"]["message"]
    nothing = client.get("/api/v1/preflight?year=2030/2031&period=Q1", headers=auth)
    assert nothing.status_code == 404


def test_the_overview_page_lists_stored_periods(client, auth, login_as):
    deputy = login_as("deputy")
    assert "Архив пуст" in deputy.get("/overview").get_data(as_text=True)
    client.post("/api/v1/snapshots", data=as_bytes(snapshot()), headers=auth)
    page = deputy.get("/overview").get_data(as_text=True)
    assert "2026/2027" in page and "II четверть" in page  # the period in words (its code only in links)


def _russian_error(response, status: int, code: str) -> str:
    assert response.status_code == status, response.get_data(as_text=True)
    error = response.json["error"]
    assert error["code"] == code and re.search("[а-яё]", error["message"], re.IGNORECASE)
    return error["message"]


def test_a_nul_character_in_a_query_parameter_is_refused_in_russian_never_a_server_error(client, auth):
    client.post("/api/v1/snapshots", data=as_bytes(snapshot()), headers=auth)
    for url in ("/api/v1/snapshots?class=5\x00А", "/api/v1/snapshots?year=2026/2027&period=Q\x002",
                "/api/v1/snapshots/diff?year=2026/2027&period=Q2&class=5\x00А",
                "/api/v1/preflight?year=2026\x00/2027&period=Q2", "/api/v1/snapshots?\x00=1"):
        message = _russian_error(client.get(url, headers=auth), 400, "archive_error")
        assert "нулевой символ" in message, url
    pushed = client.post("/api/v1/snapshots?reason=при\x00чина", data=as_bytes(snapshot(academic_year="2025/2026")),
                         headers=auth)
    _russian_error(pushed, 400, "archive_error")
    assert [s["academic_year"] for s in client.get("/api/v1/snapshots", headers=auth).json["snapshots"]] == [
        "2026/2027"]


def test_versions_to_compare_must_be_whole_numbers(client, auth):
    client.post("/api/v1/snapshots", data=as_bytes(snapshot()), headers=auth)
    changed = snapshot()
    subject(changed, "math")["lessons"][1]["marks"][0]["value"] = 3
    client.post("/api/v1/snapshots?reason=Исправление", data=as_bytes(changed), headers=auth)
    base = "/api/v1/snapshots/diff?year=2026/2027&period=Q2&class=5А"
    for bad in ("from=abc", "to=1.5", "from=%D9%A1", "to="):
        message = _russian_error(client.get(f"{base}&{bad}", headers=auth), 400, "archive_error")
        assert "целым числом" in message, bad
    assert client.get(f"{base}&from=1&to=2", headers=auth).json["summary"] == {"mark_changed": 1, "retroactive": 1}


def test_a_method_the_address_does_not_take_is_a_russian_405_that_names_the_allowed_ones(client, auth):
    response = client.delete("/api/v1/snapshots", headers=auth)
    assert _russian_error(response, 405, "http_405") == "метод не поддерживается"
    assert set(response.headers["Allow"].replace(" ", "").split(",")) >= {"GET", "POST"}


class Unreachable(Archive):
    """The archive whose database cannot be reached: every unit of work fails."""

    def uow(self):
        raise RuntimeError("connection refused (an English, technical message)")


def test_an_unexpected_failure_is_a_500_in_russian_json_without_the_technical_text(app):
    app.config.update(TESTING=False, PROPAGATE_EXCEPTIONS=False)
    app.extensions["archive"] = Unreachable(app.extensions["archive"].settings)
    response = app.test_client().get("/api/v1/snapshots", headers={"Authorization": "Bearer any"})
    message = _russian_error(response, 500, "http_500")
    assert "connection" not in response.get_data(as_text=True) and "ничего не сохранено" in message
