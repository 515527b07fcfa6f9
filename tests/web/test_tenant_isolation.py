"""Two schools in one district installation: no account of one school reaches the other school's
anything — every route (pages and API) × every role × both schools, and the district's inspector
only the schools granted to them.

Each school has the same logins with the same password, a journal copy signed with its own key and
entered in its own register, and its own API token. Signed in to school A, every route is asked
(1) at school B's addresses and at the district's — each must send to a login page, and the API
must refuse A's token; (2) at A's own addresses with B's document id — no answer may carry B's
name, B's pupils, B's document id or the bytes or digest of any of B's stored files. B's audit log
does not grow while A's accounts try. Then the same with the schools swapped.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from archive_service.domain.actor import Actor
from archive_service.domain.roles import ROLES
from archive_service.errors import ArchiveError
from archive_service.services import accounts, district_access
from conftest import NOW
from district_support import OTHER, SCHOOLS, School, district_app_in
from web_support import PASSWORD, csrf_token
from test_role_matrix import OPEN, SAMPLE

@pytest.fixture
def district_app(tmp_path: Path):
    yield from district_app_in(tmp_path)


@pytest.fixture
def schools(district_app) -> dict[str, School]:
    found = district_app.extensions["district"]
    return {code: School(found, code) for code in SCHOOLS}


def _routes(app, document_id: str):
    """Every route with sample values and the given document id: (endpoint, method, path)."""
    values = {**SAMPLE, "document_id": document_id}
    for rule in app.url_map.iter_rules():
        args = {a: values[a] for a in rule.arguments}
        if "year" in args and type(rule._converters["year"]).__name__ == "IntegerConverter":
            args["year"] = 2027
        if rule.endpoint == "inspector.report_file":
            args["fmt"] = "json"
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule.endpoint, method, rule.build(args, append_unknown=False)[1]


def _signed_in(app, code: str, role: str):
    client = app.test_client()
    login = f"/s/{code}/login"
    response = client.post(login, data={"login": role, "password": PASSWORD,
                                        "csrf_token": csrf_token(client, login)})
    assert response.status_code == 302, response.get_data(as_text=True)
    return client, csrf_token(client, f"/s/{code}/account")


def _ask(client, method: str, url: str, token: str, headers: dict | None = None):
    """The answer, read whole and closed (a file sent is not left open)."""
    if method == "GET":
        response = client.get(url, headers=headers)
    else:
        response = client.post(url, data={"csrf_token": token}, headers=headers)
    response.get_data()
    response.close()
    return response


def _leaks(response, other: School) -> list[str]:
    body = response.get_data()
    text = body.decode("utf-8", "replace")
    found = [m for m in other.markers if m in text]
    if hashlib.sha256(body).hexdigest() in other.digests:
        found.append("a stored file of the other school")
    return found


def _sweep(app, own: School, other: School, role: str) -> list[str]:
    """What `role` of `own` reached of `other`: [] when nothing."""
    client, token = _signed_in(app, own.code, role)
    bearer = {"Authorization": f"Bearer {own.token}"}
    wrong = []
    for endpoint, method, path in _routes(app, other.document.document_id):
        if endpoint == "auth.logout":
            continue
        api = endpoint.startswith("api.")
        for prefix in (f"/s/{other.code}", ""):
            if endpoint in OPEN:
                continue  # the login pages, fonts, styles and a sheet's public check are open to anyone by design
            response = _ask(client, method, prefix + path, token, bearer if api else None)
            refused = (response.status_code == 401 if api
                       else response.status_code in (302, 303) and "/login" in response.headers.get("Location", ""))
            if not refused and response.status_code != 404:
                wrong.append(f"{role}: {method} {prefix + path} answered {response.status_code}")
            wrong += [f"{role}: {method} {prefix + path} shows {m}" for m in _leaks(response, other)]
        response = _ask(client, method, f"/s/{own.code}{path}", token, bearer if api else None)
        if response.status_code >= 500:
            wrong.append(f"{role}: {method} /s/{own.code}{path}: server error {response.status_code}")
        wrong += [f"{role}: {method} /s/{own.code}{path} shows {m}" for m in _leaks(response, other)]
    return wrong


@pytest.mark.parametrize("own_code", sorted(SCHOOLS))
def test_no_account_of_one_school_reaches_the_others_anything(district_app, schools, own_code):
    own, other = schools[own_code], schools[OTHER[own_code]]
    events_before = other.audit_events()
    wrong = [line for role in sorted(ROLES) for line in _sweep(district_app, own, other, role)]
    assert wrong == [], "\n".join(wrong)
    assert other.audit_events() == events_before, "the other school's audit log grew"


def test_the_same_login_and_password_open_only_the_school_they_belong_to(district_app, schools):
    client, _ = _signed_in(district_app, "sch-a", "deputy")
    own = client.get("/s/sch-a/period")
    assert own.status_code == 200 and "Поиск по району" not in own.get_data(as_text=True)  # the school's own staff
    assert client.get("/s/sch-b/period").headers["Location"].startswith("/s/sch-b/login")
    district_login = client.post("/login", data={"login": "deputy", "password": PASSWORD,
                                                 "csrf_token": csrf_token(client, "/login")})
    assert district_login.status_code == 401  # a school's account is no account of the district


def test_the_districts_own_accounts_are_administrators_and_inspectors_only(district_app):
    found = district_app.extensions["district"]
    admin = Actor("Районов Роман Романович", "admin", "test", "radmin")
    for role in ("deputy", "director", "secretary"):
        with pytest.raises(ArchiveError, match="сотрудники школы заводятся в архиве своей школы"):
            accounts.create_user(found.own.uow(), f"r{role}", "Замов Захар Захарович", role, PASSWORD, actor=admin,
                                 now=NOW)
    assert accounts.list_users(found.own.uow()) == []
    school = found.archive("sch-a")  # a school's archive holds every role
    assert accounts.create_user(school.uow(), "deputy", "Замов Захар Захарович", "deputy", PASSWORD, actor=admin,
                                now=NOW).role == "deputy"


def test_a_district_inspector_reaches_only_the_schools_granted(district_app, schools):
    found = district_app.extensions["district"]
    admin = Actor("Районов Роман Романович", "admin", "test", "radmin")
    accounts.create_user(found.own.uow(), "rinsp", "Инспекторова Ирина Ивановна", "inspector", PASSWORD,
                         actor=admin, now=NOW, temporary=False)
    district_access.grant(found.own.uow(), "rinsp", "sch-a", list(SCHOOLS), actor=admin, now=NOW)
    client = district_app.test_client()
    signed = client.post("/login", data={"login": "rinsp", "password": PASSWORD,
                                         "csrf_token": csrf_token(client, "/login")})
    assert signed.status_code == 302
    a, b = schools["sch-a"], schools["sch-b"]
    opened = client.get(f"/s/sch-a/inspect/documents/{a.document.document_id}")
    assert opened.status_code == 200 and "5А" in opened.get_data(as_text=True)
    assert '<a href="/district">Поиск по району</a>' in opened.get_data(as_text=True)  # the way back
    with a.archive.uow() as uow:  # the reading is in the school's own audit log, under the inspector's name
        last = uow.audit.entries()[-1]
        assert (last.actor, last.object_id) == ("Инспекторова Ирина Ивановна", a.document.document_id)
    for endpoint, method, path in _routes(district_app, b.document.document_id):
        if endpoint in OPEN or endpoint.startswith("api.") or endpoint == "auth.logout":
            continue
        response = _ask(client, method, f"/s/sch-b{path}", "")
        assert response.status_code in (302, 303) and "/login" in response.headers["Location"], path
        assert _leaks(response, b) == []
    assert client.get("/s/sch-a/admin/users").status_code == 403  # an inspector in a school is an inspector
    searched = client.get("/district?student=Алексеев").get_data(as_text=True)  # one search, every school granted
    assert SCHOOLS["sch-a"] in searched and "Алексеев Иван Петрович" in searched and SCHOOLS["sch-b"] not in searched
    with a.archive.uow() as uow:
        last = uow.audit.entries()[-1]
        assert last.actor == "Инспекторова Ирина Ивановна" and "Управление образования" in last.origin
    district_access.revoke(found.own.uow(), "rinsp", "sch-a", actor=admin, now=NOW)
    assert client.get("/s/sch-a/inspect").headers["Location"].startswith("/s/sch-a/login")


def test_the_district_administrator_opens_and_closes_a_school_to_an_inspector(district_app, schools):
    found = district_app.extensions["district"]
    first = Actor("первичная настройка", "admin", "test", "")
    accounts.create_user(found.own.uow(), "radmin", "Районов Роман Романович", "admin", PASSWORD, actor=first,
                         now=NOW, temporary=False)
    accounts.create_user(found.own.uow(), "rinsp", "Инспекторова Ирина Ивановна", "inspector", PASSWORD,
                         actor=first, now=NOW, temporary=False)
    client = district_app.test_client()
    client.post("/login", data={"login": "radmin", "password": PASSWORD, "csrf_token": csrf_token(client, "/login")})
    page = client.get("/district/access").get_data(as_text=True)
    assert "Инспекторова Ирина Ивановна" in page and SCHOOLS["sch-b"] in page
    token = csrf_token(client, "/district/access")
    opened = client.post("/district/access", follow_redirects=True,
                         data={"login": "rinsp", "school": "sch-b", "open": "1", "csrf_token": token})
    assert "МБОУ Гимназия № 7: архив открыт инспектору rinsp" in opened.get_data(as_text=True)
    assert district_access.granted(found.own.uow(), "rinsp") == ["sch-b"]
    refused = client.post("/district/access", data={"login": "radmin", "school": "sch-a", "open": "1",
                                                    "csrf_token": token}, follow_redirects=True)
    assert "только инспектору" in refused.get_data(as_text=True)
    client.post("/district/access", data={"login": "rinsp", "school": "sch-b", "open": "0", "csrf_token": token})
    assert district_access.granted(found.own.uow(), "rinsp") == []
    with found.own.uow() as uow:
        changes = [(e.actor, e.action, e.details["school"]) for e in uow.audit.entries()
                   if e.action.startswith("district.")]
    assert changes == [("Районов Роман Романович", "district.school_granted", "sch-b"),
                       ("Районов Роман Романович", "district.school_revoked", "sch-b")]
    assert client.get("/s/sch-a/district/access").status_code in (302, 404)  # no district pages at a school's address
