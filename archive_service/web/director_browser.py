"""The director's signature made in the browser with CryptoPro's plug-in (the key stays on the token).

The signing page's script (templates/web/static/gost-sign.js) lists the certificates the
plug-in sees, posts the chosen one with the checked periods to `prepare`, signs each returned
hash with the plug-in and posts each CMS to `complete`. Both answer JSON; a refusal is said in
Russian and recorded as a `web.sign_refused` event (`signing.record_refusal`); the services record
the preparation and each signature made, with who and from where (`web.auth.current_actor`).
The routes live on the director's blueprint, with its director-only rule and CSRF protection
(the script sends the page's token in the `X-CSRFToken` header).

CryptoPro's `cadesplugin_api.js` is served from the file the administrator put on the server
(`ARCHIVE_CADESPLUGIN_JS`); the page loads no script from the internet.
"""

from __future__ import annotations

import base64
import binascii

from flask import Response, abort, g, request

from archive_service.domain.actor import Actor
from archive_service.errors import ArchiveError
from archive_service.services import browser_signing
from archive_service.services.signing import SigningOutcome, record_refusal, where
from archive_service.web.auth import allow, archive, current_actor
from archive_service.web.director import _selection, _unsigned, bp, period_word

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


def _refused(who: Actor, object_type: str, object_id: str, err: ArchiveError):
    record_refusal(archive().uow(), object_type, object_id, str(err), actor=who, now=archive().now(), route="browser")
    message = str(err)[:1].upper() + str(err)[1:]
    return {"error": {**err.as_dict(), "message": message}}, err.http_status


@bp.post("/sign/browser/prepare")
@allow("sign_documents")
def browser_prepare():
    """{"periods": ["2026/2027|Q2", …], "certificate": base64 DER} → the hashes to sign."""
    a, who = archive(), current_actor()
    body = request.get_json(silent=True) or {}
    chosen = _selection([str(v) for v in body.get("periods", [])], _unsigned())
    if not chosen:
        return _refused(who, "period", "—", ArchiveError(
            "отметьте хотя бы один период с документами, ожидающими подписи"))
    try:
        certificate = base64.b64decode(str(body.get("certificate", "")), validate=True)
    except (binascii.Error, ValueError):
        certificate = b""
    try:
        preparation = browser_signing.prepare_selection(a.uow(), a.store, a.gost_preparer(), chosen, certificate,
                                                        owner_id=g.user.id, actor=who, now=a.now(),
                                                        check=a.gost_certificate_check())
    except ArchiveError as err:
        return _refused(who, "period", where(chosen), err)
    return {"items": [_item(i) for i in preparation.items], "done": [_outcome(o) for o in preparation.done]}


@bp.post("/sign/browser/<prepared_id>")
@allow("sign_documents")
def browser_complete(prepared_id: str):
    """{"cms": base64 of the plug-in's CMS} → the document signed (or why not)."""
    a, who = archive(), current_actor()
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
                                           actor=who, now=a.now(), audit_as="web.sign_browser")
    except ArchiveError as err:
        return _refused(who, "prepared_signature", prepared_id, err)
    return _outcome(outcome)


def _item(item: browser_signing.PreparedItem) -> dict:
    return {"id": item.id, "document_id": item.document_id, "class": item.class_name, "period": item.period_code,
            "period_word": period_word(item.period_code), "algorithm": item.digest_algorithm, "hash": item.digest}


def _outcome(outcome: SigningOutcome) -> dict:
    return {"document_id": outcome.document_id, "class": outcome.class_name, "period": outcome.period_code,
            "period_word": period_word(outcome.period_code), "ok": outcome.ok,
            "message": "подписан" if outcome.ok else outcome.message}
