"""The director's signature made in the browser with CryptoPro's plug-in (the key stays on the token).

The signing page's script (templates/web/static/gost-sign.js) lists the certificates the
plug-in sees, posts the chosen one with the checked periods to `prepare`, signs each returned
hash with the plug-in and posts each CMS to `complete`. Both answer JSON; a refusal is said in
Russian and adds a `web.sign_refused` event (the service itself writes nothing on a refusal).
The routes live on the director's blueprint, with its director-only rule and CSRF protection
(the script sends the page's token in the `X-CSRFToken` header).

CryptoPro's `cadesplugin_api.js` is served from the file the administrator put on the server
(`ARCHIVE_CADESPLUGIN_JS`); the page loads no script from the internet.
"""

from __future__ import annotations

import base64
import binascii

from flask import Response, abort, g, request

from archive_service.errors import ArchiveError, NotFoundError
from archive_service.services import browser_signing
from archive_service.web.auth import allow, archive
from archive_service.web.director import Requester, _audit, _selection, _unsigned, _where, bp, period_word

MAX_CMS = 64 * 1024  # a CAdES-BES with the certificate is a few kilobytes
# CryptoPro's script loads the browser extension's own part from the extension itself (not from the
# internet): Chrome/Chromium-based browsers' «CryptoPro Extension for CAdES Browser Plug-in» and its
# Opera/Yandex add-on id, and Firefox's per-installation moz-extension origin. The ids are those of
# the published extensions as samples and cadesplugin_api.js name them — not checked against a real
# installation here; a wrong id shows as «plug-in not found» with a CSP report in the console.
EXTENSION_SCRIPTS = ("chrome-extension://iifchhfnnmpdbibifmljnfjhpififfog "
                     "chrome-extension://epebfcehmdedogndhlcacafjaacknbcm moz-extension:")


def plugin_script_available() -> bool:
    return archive().settings.cadesplugin_script.is_file()


@bp.get("/sign/cadesplugin_api.js")
@allow("sign_documents")
def plugin_script():
    """CryptoPro's script as the administrator downloaded it (404 when it is not on the server)."""
    path = archive().settings.cadesplugin_script
    if not path.is_file():
        abort(404)
    return Response(path.read_bytes(), mimetype="text/javascript", headers={"Cache-Control": "private, max-age=3600"})


@bp.after_request
def _plugin_policy(response):
    """The signing page may run the CryptoPro extension's scripts; every other page keeps the strict policy."""
    if request.endpoint == "director.sign":
        response.headers["Content-Security-Policy"] = (
            "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
            f"script-src 'self' 'unsafe-inline' {EXTENSION_SCRIPTS}; frame-ancestors 'none'")
    return response


def _refused(who: Requester, object_type: str, object_id: str, err: ArchiveError):
    _audit(who, "web.sign_refused", object_type, object_id, reason=str(err), route="browser")
    message = str(err)[:1].upper() + str(err)[1:]
    return {"error": {**err.as_dict(), "message": message}}, err.http_status


@bp.post("/sign/browser/prepare")
@allow("sign_documents")
def browser_prepare():
    """{"periods": ["2026/2027|Q2", …], "certificate": base64 DER} → the hashes to sign."""
    a = archive()
    who = Requester.current()
    body = request.get_json(silent=True) or {}
    chosen = _selection([str(v) for v in body.get("periods", [])], _unsigned())
    if not chosen:
        return _refused(who, "period", "—", ArchiveError(
            "отметьте хотя бы один период с документами, ожидающими подписи"))
    try:
        certificate = base64.b64decode(str(body.get("certificate", "")), validate=True)
    except (binascii.Error, ValueError):
        certificate = b""
    items, done = [], []
    for year, codes in chosen.items():
        try:
            preparation = browser_signing.prepare(a.uow(), a.store, a.gost_preparer(), year, codes, certificate,
                                                  owner_id=g.user.id, actor=who.person, role=who.role, now=a.now(),
                                                  check=a.gost_certificate_check())
        except NotFoundError:
            continue  # signed meanwhile by another batch
        except ArchiveError as err:
            return _refused(who, "period", _where(chosen), err)
        items += [_item(i) for i in preparation.items]
        done += [_outcome(o) for o in preparation.done]
    if not items and not done:
        return _refused(who, "period", _where(chosen), ArchiveError(
            "нет документов, ожидающих подписи: их уже подписали. Обновите страницу"))
    _audit(who, "web.sign_prepared", "period", _where(chosen), documents=len(items), route="browser")
    return {"items": items, "done": done}


@bp.post("/sign/browser/<prepared_id>")
@allow("sign_documents")
def browser_complete(prepared_id: str):
    """{"cms": base64 of the plug-in's CMS} → the document signed (or why not)."""
    a = archive()
    who = Requester.current()
    body = request.get_json(silent=True) or {}
    text = "".join(str(body.get("cms", "")).split())  # the plug-in breaks its base64 into lines
    try:
        cms = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        cms = b""
    try:
        if not cms or len(cms) > MAX_CMS:
            raise browser_signing.SignatureRefused("от плагина пришла не подпись: повторите подписание")
        outcome = browser_signing.complete(a.uow(), a.store, a.gost_completer(), prepared_id, cms, owner_id=g.user.id,
                                           actor=who.person, role=who.role, now=a.now())
    except ArchiveError as err:
        return _refused(who, "prepared_signature", prepared_id, err)
    _audit(who, "web.sign_browser", "document", outcome.document_id, ok=outcome.ok, route="browser")
    return _outcome(outcome)


def _item(item: browser_signing.PreparedItem) -> dict:
    return {"id": item.id, "document_id": item.document_id, "class": item.class_name, "period": item.period_code,
            "period_word": period_word(item.period_code), "algorithm": item.digest_algorithm, "hash": item.digest}


def _outcome(outcome) -> dict:
    return {"document_id": outcome.document_id, "class": outcome.class_name, "period": outcome.period_code,
            "period_word": period_word(outcome.period_code), "ok": outcome.ok,
            "message": "подписан" if outcome.ok else outcome.message}
