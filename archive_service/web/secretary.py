"""The secretary's pages: the register of paper copies, retention, disposal, archival certificates.

Every page and action is the secretary's. The director may also read the register and download
its printouts (read-only: the page shows no forms to a director) because the director answers
for the archive and signs the inventory; nobody else sees these pages.

Views only parse the form, call a service with the signed-in person (`current_actor()`) and flash
its outcome. Acts that destroy material (composing and carrying out a disposal act) always use
today's date, never one typed into the form: the dry run may look ahead, destruction may not. The
services write each action to the audit log in the transaction that does it, with a `web.*` event
saying where the request came from, and one for each download of a printout, an act or a
certificate.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

from flask import Blueprint, flash, g, redirect, render_template, request, send_file, url_for

from archive_service.domain.class_names import class_sort_key
from archive_service.domain.periods import PERIOD_TITLES, readable_period
from archive_service.errors import ArchiveError
from archive_service.domain.fields import QUERY_MOST
from archive_service.services import (certificate_search, certificates, disposal, documents, file_issues, originals,
                                      register, register_search)
from archive_service.services.register_search import FILTERS
from archive_service.web.auth import allow, archive, current_actor, menu, school_now
from storage import StorageError

bp = Blueprint("secretary", __name__)
NAV = [menu("secretary.register", "Реестр", "read_register"),
       menu("secretary.retention", "Сроки хранения", "keep_register"),
       menu("secretary.disposal", "Уничтожение", "compose_disposal"),
       menu("secretary.certificates", "Архивные справки", "issue_certificates")]

STATUS = {"in_archive": ("в архиве", "ok"), "issued": ("выдано", "warn"), "destroyed": ("уничтожено", "none")}
"""A register entry's state, of the file («дело»)."""
KINDS = {"class_journal": "Копии журнала", "summary_sheet": "Сводные ведомости"}
DOCUMENT_WORDS = {"class_journal": "копия журнала", "summary_sheet": "сводная ведомость"}
PERIODS = PERIOD_TITLES
ACT_STATUS = {"proposed": "warn", "approved": "ok", "executed": "none"}
MIMETYPES = {"pdf": "application/pdf", "csv": "text/csv",  # send_file adds «; charset=utf-8»
             "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
FAILURES = (ArchiveError, StorageError)


@bp.context_processor
def _words() -> dict:
    return {"status_words": STATUS, "kinds": KINDS, "document_words": DOCUMENT_WORDS, "dmy": _dmy,
            "period_words": readable_period, "can_edit": g.get("user") is not None and g.user.role == "secretary"}


def _dmy(value: str | dt.date | None) -> str:
    if not value:
        return "—"
    day = dt.date.fromisoformat(value[:10]) if isinstance(value, str) else value
    return f"{day:%d.%m.%Y}"


def _today() -> dt.date:
    return school_now().date()


def _date(field: str, default: dt.date | None = None) -> dt.date:
    value = (request.values.get(field) or "").strip()
    if not value and default is not None:
        return default
    for pattern in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    raise ArchiveError(f"не удалось прочитать дату «{value}»: укажите её как ДД.ММ.ГГГГ")


def _asked_date() -> dt.date:
    """The day a page looks at: today unless another is asked for (a date that cannot be read is said)."""
    try:
        return _date("on", _today())
    except ArchiveError as err:
        flash(str(err), "error")
        return _today()


def _number(value: str) -> tuple[int, int]:
    """«12/2027» (or «№ 12/2027») → (2027, 12)."""
    found = re.fullmatch(r"\s*№?\s*(\d+)\s*/\s*(\d{4})\s*", value or "")
    if not found:
        raise ArchiveError(f"номер в реестре указывается как номер/год, например 12/2027; указано: «{value}»")
    return int(found[2]), int(found[1])


def _required(*fields: str) -> dict[str, str]:
    values = {f: (request.form.get(f) or "").strip() for f in fields}
    if not all(values.values()):
        raise ArchiveError("заполните все поля формы")
    return values


def _download(data: bytes, name: str, fmt: str):
    return send_file(io.BytesIO(data), mimetype=MIMETYPES[fmt], as_attachment=True, download_name=f"{name}.{fmt}")


# --- the register ---------------------------------------------------------------------------

def _to_register(uow, registered: set[str]) -> list[dict]:
    """Rendered documents not in the register yet: signed ones first, newest years first."""
    docs = [{**d, "label": f"{d['academic_year']}, {PERIODS.get(d['period'], d['period'])} — {d['class']} класс — "
                          f"{DOCUMENT_WORDS[d['kind']]}, листов {d['sheets']}"}
            for d in documents.list_documents(uow)
            if d["document_id"] not in registered and not d["superseded"] and not d["draft"]]
    return sorted(docs, key=lambda d: (d["signature"] is None, [-int(y) for y in d["academic_year"].split("/")],
                                       d["period"], class_sort_key(d["class"])))


def _filters(values) -> dict[str, Any]:
    """The register's search and filters, kept across a form sent from a filtered page (strings all;
    `Any` only so that `url_for(**filters)` type-checks)."""
    return {k: v.strip() for k in FILTERS if (v := values.get(k) or "").strip()}


@bp.get("/register", endpoint="register")
@allow("read_register")
def register_page(entered: dict | None = None, status: int = 200):
    a = archive()
    rows = register_search.described_register(a.uow())
    held = register.holds(a.uow())
    try:
        wanted = register_search.wanted(request.args)
    except ArchiveError as err:
        flash(f"Поиск не выполнен: {err}", "error")
        wanted, status = {}, 400
    shown = register_search.search(rows, wanted)
    context = {"rows": shown, "total": len(rows), "wanted": wanted, "years": sorted({r["year"] for r in rows}),
               "held": held, "issued_to": register.issued_to(a.uow()), "today": _today(),
               "overdue": file_issues.overdue(a.uow(), _today()),
               "return_by": file_issues.default_return_by(_today(), a.settings.issue_working_days)}
    if g.user.role == "secretary":
        # the form starts from what was typed (after a refusal) or from the last entry's placement
        last = rows[-1] if rows else {}
        defaults = {k: last.get(k, "") for k in ("handed_over_by", "room", "cabinet", "folder")}
        candidates = _to_register(a.uow(), {r["document_id"] for r in rows})
        paperless = {y for y, o in originals.settings_of(a.uow(), sorted({d["academic_year"] for d in candidates}))
                     .items() if o.electronic}
        context |= {"candidates": [d for d in candidates if d["academic_year"] not in paperless],
                    "electronic_candidates": [d for d in candidates if d["academic_year"] in paperless],
                    "entered": {"accepted_by": g.user.full_name, "on": _today().isoformat(), **defaults,
                                **(entered or {})}}
    return render_template("secretary/register.html", **context), status


@bp.post("/register")
@allow("keep_register")
def register_add():
    a = archive()
    if request.form.get("electronic"):
        return _register_electronic(a)
    try:
        form = _required("document_id", "handed_over_by", "accepted_by", "room", "cabinet", "folder")
        row = register.RegisterDocument(
            a.uow(), form["document_id"], handed_over_by=form["handed_over_by"], accepted_by=form["accepted_by"],
            placement=register.Placement(form["room"], form["cabinet"], form["folder"]), on=_date("on", _today()),
            paper_only=bool(request.form.get("paper_only")), actor=current_actor(), now=a.now(),
            zone=a.settings.timezone).run()
    except FAILURES as err:
        message = ("документ ещё не подписан директором. В реестр вносятся подписанные документы; если школа ведёт "
                   "архив только на бумаге, отметьте «Архив только на бумаге»" if isinstance(err, register.NotSigned)
                   else str(err))
        flash(f"Документ не зарегистрирован: {message}.", "error")
        return register_page(entered=request.form.to_dict(), status=422)  # the form keeps what was typed
    flash(f"Зарегистрирован № {row.number}/{row.year}: {row.title}, {readable_period(row.period)}, "
          f"листов {row.sheets}. Хранить до {_dmy(row.retention_end)}.", "ok")
    return redirect(url_for("secretary.register", q=f"{row.number}/{row.year}"))




def _register_electronic(a):
    """A paperless school's signed electronic original: no shelf; the director who signed hands it over."""
    try:
        form = _required("document_id")
        row = register.RegisterDocument(
            a.uow(), form["document_id"], handed_over_by="", accepted_by=current_actor().person,
            placement=register.Placement("", "", ""), on=_date("on", _today()), paper_only=False,
            actor=current_actor(), now=a.now(), zone=a.settings.timezone, electronic_only=True).run()
    except FAILURES as err:
        flash(f"Документ не зарегистрирован: {err}.", "error")
        return register_page(entered=request.form.to_dict(), status=422)
    flash(f"Зарегистрирован № {row.number}/{row.year}: {row.title}, {readable_period(row.period)} — "
          f"{row.place}. Хранить до {_dmy(row.retention_end)}.", "ok")
    return redirect(url_for("secretary.register", q=f"{row.number}/{row.year}"))


# --- retention ------------------------------------------------------------------------------

@bp.get("/retention")
@allow("keep_register")
def retention():
    a = archive()
    on = _asked_date()
    rows = register_search.described_register(a.uow())
    kinds = {(r["year"], r["number"]): {"kind": r["kind"], "class_name": r["class_name"]} for r in rows}
    due = [{**r.as_dict(), **kinds[(r.year, r.number)]} for r in register.retention_due(a.uow(), on)]
    held = register.holds(a.uow())
    holds = [{**r, "hold": held[(r["year"], r["number"])]} for r in rows if (r["year"], r["number"]) in held]
    counts = {status: sum(1 for r in rows if r["status"] == status) for status in STATUS}
    return render_template("secretary/retention.html", on=on, due=due, holds=holds, counts=counts, total=len(rows),
                           rules=register.rules(a.uow()), titles=register.TITLES)


@bp.post("/retention/rules/<kind>")
@allow("keep_register")
def retention_rule(kind: str):
    a = archive()
    try:
        years = request.form.get("years", "").strip()
        if not re.fullmatch(r"[0-9]{1,9}", years):  # isdigit() would take «１２» and a 5,000-digit number
            raise ArchiveError("срок хранения указывается целым числом лет")
        register.set_rule(a.uow(), kind, years=int(years), case_index=request.form.get("case_index", "").strip(),
                          basis=_required("basis")["basis"], actor=current_actor(), now=a.now())
    except FAILURES as err:
        flash(f"Срок хранения не изменён: {err}", "error")
    else:
        flash(f"{register.TITLES[kind]}: сохранено — {years} лет.", "ok")
    return redirect(url_for("secretary.retention"))


@bp.post("/retention/holds")
@allow("keep_register")
def hold_place():
    a = archive()
    try:
        form = _required("number", "reason")
        year, number = _number(form["number"])
        register.place_hold(a.uow(), year, number, reason=form["reason"], on=_today(), actor=current_actor(),
                            now=a.now())
    except FAILURES as err:
        flash(f"Запрет не установлен: {err}", "error")
    else:
        flash(f"На дело № {number}/{year} установлен запрет уничтожения: {form['reason']}.", "ok")
    return redirect(url_for("secretary.retention", on=request.form.get("on") or None))


@bp.post("/retention/holds/<int:year>/<int:number>/release")
@allow("keep_register")
def hold_release(year: int, number: int):
    a = archive()
    try:
        register.release_hold(a.uow(), year, number, on=_today(), actor=current_actor(), now=a.now())
    except FAILURES as err:
        flash(str(err), "error")
    else:
        flash(f"Запрет уничтожения дела № {number}/{year} снят.", "ok")
    return redirect(url_for("secretary.retention", on=request.form.get("on") or None))


# --- disposal -------------------------------------------------------------------------------

@bp.get("/disposal", endpoint="disposal")
@allow("compose_disposal")
def disposal_page():
    a = archive()
    on = _asked_date()
    today = _today()
    plan = disposal.plan(a.uow(), on)
    ready = plan if on == today else disposal.plan(a.uow(), today)  # what an act composed now would list
    classes = {r["document_id"]: r["class_name"] for r in register_search.described_register(a.uow())}
    for row in plan.eligible + plan.refused:
        row["class_name"] = classes[row["document_id"]]
    return render_template("secretary/disposal.html", on=on, today=today, plan=plan, ready=len(ready.eligible),
                           acts=list(reversed(disposal.list_acts(a.uow()))), act_status=ACT_STATUS)


@bp.post("/disposal/acts")
@allow("compose_disposal")
def act_compose():
    a = archive()
    try:
        act = disposal.ComposeAct(a.uow(), a.store, a.settings.templates_dir, clock=a.clock,
                                  actor=current_actor()).run()
    except FAILURES as err:
        flash(f"Акт не составлен: {err}", "error")
    else:
        flash(f"Составлен акт № {act['act']}, дел в нём: {len(act['items'])}. Передайте его директору на "
              "утверждение; уничтожать можно только после утверждения.", "ok")
    return redirect(url_for("secretary.disposal"))


@bp.get("/disposal/acts/<int:year>/<int:number>.pdf")
@allow("compose_disposal")
def act_download(year: int, number: int):
    a = archive()
    key = f"{number}/{year}"
    try:
        data = disposal.download_act(a.uow(), a.store, key, actor=current_actor(), now=a.now())
    except FAILURES as err:
        flash(str(err), "error")
        return redirect(url_for("secretary.disposal"))
    return _download(data, f"акт-уничтожения-{number}-{year}", "pdf")


@bp.post("/disposal/acts/<int:year>/<int:number>/execute")
@allow("compose_disposal")
def act_execute(year: int, number: int):
    a = archive()
    key = f"{number}/{year}"
    try:
        result = disposal.ExecuteAct(a.uow(), a.store, a.settings.templates_dir, a.media(), key, clock=a.clock,
                                     actor=current_actor()).run()
    except FAILURES as err:
        flash(f"Акт № {key} не исполнен: {err}", "error")
        return redirect(url_for("secretary.disposal"))
    destroyed = sum(1 for item in result["items"] if item["destroyed_at"])
    if result["status"] == "executed":
        flash(f"Акт № {key} исполнен: уничтожено дел {destroyed} из {len(result['items'])}.", "ok")
    else:
        flash(f"Акт № {key} исполнен не полностью: уничтожено дел {destroyed} из {len(result['items'])}.", "info")
    for blocked in result["blocked"]:
        flash(f"Дело № {blocked['register']} не уничтожено: {blocked['reason']}. Когда причина отпадёт, "
              "исполните акт ещё раз.", "error")
    for set_id in result["deleted_sets"]:
        flash(f"Резервная копия {set_id} удалена с обоих носителей.", "ok")
    for left in result["left_sets"]:
        flash(f"Резервная копия {left['set_id']} не удалена: {left['reason']}.", "error")
    return redirect(url_for("secretary.disposal"))


# --- archival certificates ------------------------------------------------------------------

@bp.get("/certificates", endpoint="certificates")
@allow("issue_certificates")
def certificates_page():
    a = archive()
    name, born = request.args.get("name", ""), request.args.get("born", "")
    found, nobody = None, ""
    if name.strip() or born.strip():
        try:
            found = certificate_search.find_candidates(a.uow(), name, born)
            nobody = "" if found.total else certificate_search.nothing_found(name, born)
        except ArchiveError as err:
            flash(str(err), "error")
    return render_template("secretary/certificates.html", name=name[:QUERY_MOST], born=born[:QUERY_MOST],
                           found=found, nobody=nobody, person_key=certificate_search.person_key,
                           issued=list(reversed(certificates.list_certificates(a.uow()))))


@bp.post("/certificates")
@allow("issue_certificates")
def certificate_issue():
    a = archive()
    try:
        form = _required("requested_by", "purpose")
        name, born = (certificate_search.read_person(request.form["person"]) if "person" in request.form
                      else (_required("name")["name"], _date("born")))
        row = certificates.issue_certificate(a.uow(), a.store, a.settings.templates_dir, name, born,
                                             requested_by=form["requested_by"], purpose=form["purpose"],
                                             actor=current_actor(), now=a.now(), today=_today(),
                                             secretary=g.user.full_name)
    except FAILURES as err:
        flash(f"Справка не выдана: {err}", "error")
        return redirect(url_for("secretary.certificates", name=request.form.get("query_name"),
                                born=request.form.get("query_born")))
    flash(f"Выдана архивная справка № {row.reference}: {row.student_name}. Скачайте её PDF в списке ниже, "
          "распечатайте и передайте на подпись директору.", "ok")
    return redirect(url_for("secretary.certificates"))


@bp.get("/certificates/<int:year>/<int:number>.pdf")
@allow("issue_certificates")
def certificate_download(year: int, number: int):
    a = archive()
    try:
        row, data = certificates.download_certificate(a.uow(), a.store, year, number, actor=current_actor(),
                                                      now=a.now())
    except FAILURES as err:
        flash(str(err), "error")
        return redirect(url_for("secretary.certificates"))
    return _download(data, f"справка-{number}-{year}", "pdf")


# the printouts' views, a paper file's page (its issues and returns) and issuing it: on this blueprint
from archive_service.web import secretary_files, secretary_prints  # noqa: E402,F401
