"""The director's pages: what awaits them, batch signing, hand-over acts, disposal acts (the
backups are in `director_backups`, the signature in the browser in `director_browser`, on this
blueprint).

The key's password or the token's PIN, and a backup's access code, are read from the form,
used in memory (the background job's closure) and dropped: never in the job row, the session,
the audit log or a log line. An uploaded key file lives in a private temporary file only while
it is opened (`Archive.signer`).

Views build the actor (`web.auth.current_actor`: who, in which role, from where) and pass it to
the services, which record each action — with its `web.*` event where the page adds one — in the
audit log themselves.
"""

from __future__ import annotations

import datetime as dt
import os
from collections import defaultdict
from pathlib import Path
from typing import Callable
from urllib.parse import quote

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)

from archive_service.config import ConfigError
from archive_service.domain.actor import Actor
from archive_service.domain.periods import PERIOD_TITLES, set_periods_title
from archive_service.domain.roles import ROLES
from archive_service.errors import ArchiveError, NotFoundError
from archive_service.key_specs import KeySpec, Pkcs12Upload, TokenKey
from archive_service.services import backup, disposal, documents, handover, jobs, period_close
from archive_service.services.signing import SignDocuments, SigningOutcome, record_refusal, where
from archive_service.web import jobs as web_jobs
from archive_service.web.auth import allow, archive, current_actor, menu
from signing import SigningError
from storage import StorageError

bp = Blueprint("director", __name__, url_prefix="/director")
NAV = [menu("director.inbox", "Ждёт директора", "sign_documents"), menu("director.sign", "Подпись", "sign_documents"),
       menu("director.handover_page", "Приём копий", "confirm_handover"),
       menu("director.disposal_page", "Акты уничтожения", "approve_disposal"),
       menu("director.backups", "Резервные копии", "manage_backups"),
       menu("director.archive_key", "Ключ архива", "manage_archive_key")]

PERIOD_WORDS = PERIOD_TITLES | {"year": "учебный год (сводные ведомости)"}  # in the order of the school year
MAX_KEY_FILE = 1 << 20  # a PKCS#12 file is a few kilobytes
JOB_KINDS = ("director.sign", "director.restore")


def period_word(code: str) -> str:
    return PERIOD_WORDS.get(code, code)


def day(value: str | dt.date | None) -> str:
    """«2033-01-01» or a date → «01.01.2033»."""
    if not value:
        return "—"
    return (dt.date.fromisoformat(value[:10]) if isinstance(value, str) else value).strftime("%d.%m.%Y")


def periods_word(periods: str) -> str:
    """A backup set's «Q2,H1» → «II четверть, I полугодие» (a monthly copy's «месяц 2026-12» as is)."""
    return set_periods_title(periods)


def _period_order(code: str) -> int:
    return list(PERIOD_WORDS).index(code) if code in PERIOD_WORDS else len(PERIOD_WORDS)


def plural(n: int, one: str, few: str, many: str) -> str:
    """The Russian form for a count: 1 документ, 2 документа, 5 документов (11–14: many)."""
    if n % 10 == 1 and n % 100 != 11:
        return one
    return few if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14 else many


@bp.context_processor
def _words() -> dict:
    return {"period_word": period_word, "periods_word": periods_word, "plural": plural, "role_word": ROLES.get,
            "when": lambda moment: current_app.jinja_env.filters["local"](moment), "day": day,
            "megabytes": lambda size: f"{size / 1e6:.1f} МБ".replace(".", ",")}


def _unsigned(rows: list[dict] | None = None) -> dict[str, dict[str, list[dict]]]:
    """Documents awaiting the signature: year → period → rows (by class); a copy replaced by a
    corrected one awaits nothing (the corrected copy is signed instead)."""
    grouped: dict[str, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    for row in documents.list_documents(archive().uow()) if rows is None else rows:
        if row["signature"] is None and not row["superseded"] and not row["draft"]:  # a draft is never signed
            grouped[row["academic_year"]][row["period"]].append(row)
    return {year: dict(sorted(periods.items(), key=lambda p: _period_order(p[0])))
            for year, periods in sorted(grouped.items(), reverse=True)}


def _replaced(rows: list[dict]) -> list[dict]:
    """Copies replaced by corrected ones, newest school year first: shown, never offered for signing."""
    return sorted((r for r in rows if r["superseded"]), key=lambda r: (r["academic_year"], r["created_at"]),
                  reverse=True)


@bp.get("")
@allow("sign_documents")
def inbox():
    """Counts of what awaits the director, with links to each page."""
    a = archive()
    acts = [act for act in disposal.list_acts(a.uow()) if act["status"] == "proposed"]
    sets = handover.list_handovers(a.uow())
    entries, breaks = backup.verify_journal(a.uow())
    rows = documents.list_documents(a.uow())
    return render_template("director/inbox.html", unsigned=_unsigned(rows), replaced=_replaced(rows), acts=acts,
                           awaiting_sets=[s for s in sets if s["awaiting"]],
                           incomplete=[s for s in sets if not s["complete"] and not s["destroyed_by_act"]],
                           journal_entries=entries, journal_breaks=breaks)


@bp.get("/sign")
@allow("sign_documents")
def sign() -> str:
    signed: dict[tuple[str, str], int] = defaultdict(int)
    rows = documents.list_documents(archive().uow())
    for row in rows:
        if row["signature"] is not None:
            signed[(row["academic_year"], row["period"])] += 1
    newest_first = sorted(signed.items(), key=lambda item: (item[0][0], -_period_order(item[0][1])), reverse=True)
    return render_template("director/sign.html", unsigned=_unsigned(rows), replaced=_replaced(rows),
                           signed=newest_first,
                           libraries=[(lib, library_title(lib)) for lib in _token_libraries()], form=request.args,
                           plugin_script=archive().settings.cadesplugin_script.is_file())


@bp.get("/documents/<document_id>.pdf")
@allow("sign_documents")
def document_pdf(document_id: str):
    """A document as it is stored: the signed original when signed, else the unsigned copy."""
    a = archive()
    try:
        data, name = period_close.view_document(a.uow(), a.store, document_id, actor=current_actor(), now=a.now())
    except NotFoundError:
        abort(404)
    return _pdf(data, name)


def _pdf(data: bytes, name: str, *, download: bool = False) -> Response:
    disposition = "attachment" if download else "inline"
    return Response(data, mimetype="application/pdf",
                    headers={"Content-Disposition": f"{disposition}; filename*=UTF-8''{quote(name)}"})


TOKEN_LIBRARIES = {  # the PKCS#11 libraries of the tokens schools hold, by file name, in their makers' words
    "librtpkcs11ecp.so": "Рутокен ЭЦП",
    "libjcpkcs11-2.so": "JaCarta",
    "libjcPKCS11-2.so": "JaCarta",
    "libsofthsm2.so": "SoftHSM (программный токен для проверки)",
    "opensc-pkcs11.so": "смарт-карта (OpenSC)",
}


def library_title(path: str) -> str:
    """A token library as a person knows it («Рутокен ЭЦП»), not as a file path."""
    name = path.rsplit("/", 1)[-1]
    return TOKEN_LIBRARIES.get(name, f"токен ({name.removesuffix('.so').removeprefix('lib')})")


def _token_libraries() -> list[str]:
    """The PKCS#11 libraries the server may load (ARCHIVE_PKCS11_LIB, several separated by «:»).
    A path typed into a form is never loaded: a library runs inside the server."""
    return [p.strip() for p in archive().settings.pkcs11_libraries.split(os.pathsep) if p.strip()]


def _selection(values: list[str], unsigned: dict[str, dict[str, list[dict]]]) -> dict[str, list[str]]:
    """Checked «year|period» boxes that still have documents awaiting the signature."""
    chosen: dict[str, list[str]] = defaultdict(list)
    for value in values:
        year, _, code = value.partition("|")
        if code in unsigned.get(year, {}) and code not in chosen[year]:
            chosen[year].append(code)
    return dict(chosen)


def _uploaded_key(upload, password: str) -> Pkcs12Upload:
    """The uploaded PKCS#12 key file, held in memory only."""
    data = upload.read(MAX_KEY_FILE + 1) if upload else b""
    if not data:
        raise SigningError("выберите файл ключа (.p12 или .pfx)")
    if len(data) > MAX_KEY_FILE:
        raise SigningError("это не файл ключа: файл ключа PKCS#12 весит несколько килобайт")
    return Pkcs12Upload(upload.filename, data, password.encode("utf-8"))


def _chosen_key(form, files) -> tuple[KeySpec, dict]:
    """The key the form names (opened once now, so a wrong password or PIN is said before the job
    starts), and what of the key may be recorded (never the secret)."""
    a = archive()
    if form.get("method") == "token":
        library, token, label, pin = (form.get("library", ""), form.get("token", "").strip(),
                                      form.get("key", "").strip(), form.get("pin", ""))
        if library not in _token_libraries():
            raise SigningError("эта библиотека токена не разрешена на сервере (ARCHIVE_PKCS11_LIB)")
        if not (token and label and pin):
            raise SigningError("укажите метку токена, метку ключа и PIN")
        spec: KeySpec = TokenKey(Path(library), token, label, pin)
        with a.signer(spec):
            pass
        return spec, {"key": "token", "token": token, "key_label": label}
    if not form.get("password"):
        raise SigningError("введите пароль ключа")
    spec = _uploaded_key(files.get("key_file"), form.get("password", ""))
    with a.signer(spec) as signer:
        serial = f"{signer.certificate.serial_number:X}"
    return spec, {"key": "file", "file": files["key_file"].filename, "certificate_serial": serial}


@bp.post("/sign")
@allow("sign_documents")
def start_signing():
    a, who = archive(), current_actor()
    unsigned = _unsigned()
    chosen = _selection(request.form.getlist("period"), unsigned)
    if not chosen:
        flash("Отметьте хотя бы один период с документами, ожидающими подписи.", "error")
        return redirect(url_for("director.sign"))
    try:  # a period not ended, a snapshot not exported yet: said here, before the key is opened
        SignDocuments(a.uow(), a.store, chosen, actor=who, now=a.now, zone=a.settings.timezone).validate()
        key_spec, key = _chosen_key(request.form, request.files)
    except (SigningError, ConfigError, ArchiveError) as err:
        record_refusal(a.uow(), "period", where(chosen), str(err), actor=who, now=a.now())
        flash(f"Ничего не подписано: {err}.", "error")
        return redirect(url_for("director.sign", method=request.form.get("method", "file")))
    total = sum(len(unsigned[year][code]) for year, codes in chosen.items() for code in codes)
    title = "Подпись документов: " + "; ".join(f"{year}, {', '.join(period_word(c) for c in codes)}"
                                              for year, codes in chosen.items())
    job_id = web_jobs.start(current_app._get_current_object(), "director.sign", title,  # type: ignore[attr-defined]
                            {"periods": chosen, **key}, _signing_work(chosen, key_spec, key, who),
                            actor=who, total=total)
    return redirect(url_for("director.job", job_id=job_id))


def _signing_work(chosen: dict[str, list[str]], key_spec: KeySpec, key: dict, who: Actor) -> Callable[..., dict]:
    """The job: the key opened once, every chosen period signed, each document reported as it is done."""
    a = archive()

    def work(report: web_jobs.Report) -> dict:
        outcomes: list[dict] = []

        def done(outcome: SigningOutcome) -> None:
            outcomes.append(outcome.as_dict())
            report(done=len(outcomes), message=f"{outcome.class_name}, {period_word(outcome.period_code)}: "
                                               f"{'подписан' if outcome.ok else 'ошибка'}")

        command = SignDocuments(a.uow(), a.store, chosen, actor=who, now=a.now, on_done=done,
                                audit_as="web.sign_batch", key_facts=key, zone=a.settings.timezone)
        try:
            with a.signer(key_spec) as signer:
                command.run(signer)
        except SigningError as err:
            raise ArchiveError(f"ничего не подписано: {err}") from None
        ok = sum(o["ok"] for o in outcomes)
        return {"outcomes": outcomes, "signed": ok, "failed": len(outcomes) - ok}

    return work


@bp.get("/jobs/<job_id>")
@allow("sign_documents")
def job(job_id: str):
    """A signing or restore job: its live progress, then its results."""
    a = archive()
    try:
        found = jobs.get(a.uow(), job_id, now=a.now())
    except NotFoundError:
        abort(404)
    if found["kind"] not in JOB_KINDS:
        abort(404)
    return render_template("director/job.html", job=found)


@bp.get("/handover")
@allow("confirm_handover")
def handover_page():
    return render_template("director/handover.html", sets=handover.list_handovers(archive().uow()))


@bp.post("/handover/<set_id>/confirm")
@allow("confirm_handover")
def confirm_handover(set_id: str):
    a = archive()
    try:
        handover.confirm_handover(a.uow(), set_id, actor=current_actor(), now=a.now(), zone=a.zone)
    except ArchiveError as err:
        flash(f"Не принято: {err}", "error")
    else:
        flash(f"Набор {set_id} принят по акту; запись внесена в журнал пользования резервными копиями.", "ok")
    return redirect(url_for("director.handover_page"))


@bp.get("/disposal")
@allow("approve_disposal")
def disposal_page():
    acts = list(reversed(disposal.list_acts(archive().uow())))
    return render_template("director/disposal.html", proposed=[x for x in acts if x["status"] == "proposed"],
                           others=[x for x in acts if x["status"] != "proposed"])


@bp.get("/disposal/<int:year>/<int:number>.pdf")
@allow("approve_disposal")
def disposal_act_pdf(year: int, number: int):
    a = archive()
    key = f"{number}/{year}"
    try:
        data = disposal.download_act(a.uow(), a.store, key, actor=current_actor(), now=a.now(), viewed=True)
    except (NotFoundError, StorageError):
        abort(404)
    return _pdf(data, f"акт_уничтожения_{number}-{year}.pdf")


@bp.post("/disposal/<int:year>/<int:number>/approve")
@allow("approve_disposal")
def approve_disposal(year: int, number: int):
    a = archive()
    key = f"{number}/{year}"
    try:
        disposal.ApproveAct(a.uow(), a.store, a.settings.templates_dir, key, clock=a.clock,
                            actor=current_actor()).run()
    except ArchiveError as err:
        flash(f"Акт № {key} не утверждён: {err}", "error")
    else:
        flash(f"Акт № {key} утверждён. Секретарь может уничтожить перечисленные в нём документы.", "ok")
    return redirect(url_for("director.disposal_page"))


# the backups' pages and the signature made in the browser: their routes are on this blueprint
from archive_service.web import director_backups, director_browser, director_key  # noqa: E402,F401

