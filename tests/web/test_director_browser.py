"""The signing page's route through CryptoPro's plug-in, over HTTP: the page, CryptoPro's script
served only from the administrator's file, the JSON exchange with its CSRF and director-only
rules, and refusals said in Russian and audited."""

from __future__ import annotations

import base64
import re

import pytest

from conftest import NOW
from gost_browser_support import (PERIOD, YEAR, director_certificate, director_token, gost_archive, make_app,
                                  render_awaiting)
from web_support import client_factory, csrf_token, make_staff

PERIOD_BOX = f"{YEAR}|{PERIOD}"


@pytest.fixture
def gost_app(db_url, tmp_path):
    settings, pki = gost_archive(tmp_path / "home", db_url)
    app = make_app(settings)
    make_staff(app.extensions["archive"], NOW)
    render_awaiting(app.extensions["archive"], "А", "Б")
    yield app, director_token(pki, tmp_path / "token")
    app.extensions["archive"].engine.dispose()


def _json(client, url, body, token=None):
    headers = {"Accept": "application/json"}
    if token is not None:
        headers["X-CSRFToken"] = token
    return client.post(url, json=body, headers=headers)


def _actions(app) -> list[tuple[str, dict]]:
    with app.extensions["archive"].uow() as uow:
        return [(e.action, e.details) for e in uow.audit.entries()]


def test_the_page_offers_the_plug_in_route_and_cryptopros_script_only_from_the_administrators_file(gost_app):
    app, _ = gost_app
    client = client_factory(app)("director")
    page = client.get("/director/sign").get_data(as_text=True)
    assert "КриптоПро ЭЦП Browser plug-in (токен: Рутокен, JaCarta)" in page
    assert "gost-sign.js" in page and "не установлен сценарий" in page  # the note to who keeps the server
    assert 'src="/director/sign/cadesplugin_api.js"' not in page
    assert client.get("/director/sign/cadesplugin_api.js").status_code == 404
    script = app.extensions["archive"].settings.cadesplugin_script
    script.write_text("/* КриптоПро cadesplugin_api.js, как его скачал администратор */", encoding="utf-8")
    page = client.get("/director/sign").get_data(as_text=True)
    assert 'src="/director/sign/cadesplugin_api.js"' in page and "не установлен сценарий" not in page
    served = client.get("/director/sign/cadesplugin_api.js")
    assert served.status_code == 200 and served.mimetype == "text/javascript"
    assert "как его скачал администратор" in served.get_data(as_text=True)
    assert all(src.startswith("/") for src in re.findall(r'<script src="([^"]+)"', page)), "no script from elsewhere"


def test_prepare_and_complete_sign_the_documents_and_say_so(gost_app):
    app, token = gost_app
    client = client_factory(app)("director")
    csrf = csrf_token(client, "/director/sign")
    cert = director_certificate(token)
    prepared = _json(client, "/director/sign/browser/prepare",
                     {"periods": [PERIOD_BOX], "certificate": base64.b64encode(cert.der).decode()}, csrf)
    assert prepared.status_code == 200, prepared.get_data(as_text=True)
    items = prepared.json["items"]
    assert [(i["class"], i["period_word"], i["algorithm"]) for i in items] == [
        ("5А", "II четверть", "streebog256"), ("5Б", "II четверть", "streebog256")]
    for item in items:
        cms = token.sign_hash(cert.thumbprint, 101, item["hash"], 1)  # base64 in lines, as the plug-in gives it
        done = _json(client, f"/director/sign/browser/{item['id']}", {"cms": cms}, csrf)
        assert done.status_code == 200 and done.json["ok"] and done.json["message"] == "подписан"
    actions = [a for a, _ in _actions(app)]
    assert actions.count("document.signed") == 2 and actions.count("web.sign_browser") == 2
    assert "web.sign_prepared" in actions
    again = _json(client, "/director/sign/browser/prepare",
                  {"periods": [PERIOD_BOX], "certificate": base64.b64encode(cert.der).decode()}, csrf)
    assert again.status_code == 400 and "Отметьте хотя бы один период" in again.json["error"]["message"]


def test_a_refusal_is_said_in_russian_writes_no_signature_and_is_audited(gost_app):
    app, token = gost_app
    client = client_factory(app)("director")
    csrf = csrf_token(client, "/director/sign")
    cert = director_certificate(token)
    first, second = _json(client, "/director/sign/browser/prepare",
                          {"periods": [PERIOD_BOX], "certificate": base64.b64encode(cert.der).decode()},
                          csrf).json["items"]
    wrong = _json(client, f"/director/sign/browser/{first['id']}",
                  {"cms": token.sign_hash(cert.thumbprint, 101, second["hash"], 1)}, csrf)
    assert wrong.status_code == 409
    assert wrong.json["error"]["message"].startswith("Подпись не принята: подпись относится к другому документу")
    garbage = _json(client, f"/director/sign/browser/{first['id']}", {"cms": "не base64"}, csrf)
    assert garbage.status_code == 409 and "не подпись" in garbage.json["error"]["message"]
    nothing = _json(client, "/director/sign/browser/prepare", {"periods": [], "certificate": ""}, csrf)
    assert nothing.status_code == 400 and "Отметьте" in nothing.json["error"]["message"]
    actions = _actions(app)
    assert [a for a, _ in actions].count("web.sign_refused") == 3
    assert not any(a in ("document.signing", "document.signed") for a, _ in actions)


def test_the_exchange_needs_the_pages_csrf_token_and_the_director(gost_app):
    app, token = gost_app
    login_as = client_factory(app)
    director = login_as("director")
    body = {"periods": [PERIOD_BOX], "certificate": base64.b64encode(director_certificate(token).der).decode()}
    assert _json(director, "/director/sign/browser/prepare", body).status_code == 400  # no CSRF token
    deputy = login_as("deputy")
    assert _json(deputy, "/director/sign/browser/prepare", body, csrf_token(deputy, "/deputy")).status_code == 403
    assert not any(a == "document.signature_prepared" for a, _ in _actions(app))
