"""The demo's use case: the main job on the embedded default, end to end on demo data.

Generates the demo school, ingests every snapshot, tells the pre-flight summary of the second
quarter (and the first half-year of grades 10–11), closes that term (a journal copy of every
class) and the year (summary sheets), signs them with the demo certificate, makes a verified
backup on media A and B with its hand-over act, registers the documents and prints the
register, and tells where everything is. Every line people read goes through `say`; the
`archive-service demo` command only prints them.

The demo's dates are true: its school year is 2026/2027, so it runs on a clock of its own
(`on_demo_clock`), standing on the day after the year's snapshot was exported (01.07.2027) and
ticking from there — every copy is made, signed and registered after its period ended and after
its snapshot was exported, as the rule of `domain.drafts` wants. Only this composition builds
that clock; no setting, variable or option of another entry point reaches it.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from archive_service.domain.actor import Actor
from archive_service.domain.periods import VOLUME
from archive_service.domain.journal_control import TITLES
from archive_service.domain.preflight import preflight_lines
from archive_service.domain.roles import ROLES
from archive_service.errors import ArchiveError, NotFoundError
from archive_service.key_specs import ExternalKey, KeySpec, Pkcs12File
from archive_service.services import (accounts, archive_keys, backup, certificates, documents, journal_control,
                                      operators, register, register_printout, snapshots, tokens, volumes)
from archive_service.services.documents import export_documents
from archive_service.services.backup_command import CreateBackup
from archive_service.services.period_close import ClosePeriod, ingest_paths
from archive_service.services.signing import SignDocuments
from signing import create_demo_pki
from signing.cryptopro import openssl_gost_command
from signing.gost_pki import create_gost_pki

if TYPE_CHECKING:
    from archive_service.bootstrap import Archive

Say = Callable[[str], None]

DEMO_YEAR = "2026/2027"
DEMO_TERM = ("Q2", "H1")
DEMO_VOLUME_CLASS = "5А"
"""The class whose volume of the year the tour makes (archive-service volume make makes any class's)."""
DEMO_CONTROL_MONTH = "2026-12"
"""The month of the deputy head's monthly control the tour prints (the demo's marks entered late fall in it)."""
DEMO_KEY_PASSWORD = "demo"
DEMO_BACKUP_CODE = "сова-клён-58-мост"
"""The demo director's access code to the archive key (the key that opens backups); printed by the tour."""
DEMO_ACCOUNTS = {
    "zavuch": ("Иванова Татьяна Петровна", "deputy"),
    "director": ("Сергеева Ольга Викторовна", "director"),
    "secretary": ("Петрова Анна Сергеевна", "secretary"),
    "inspector": ("Орлов Олег Олегович", "inspector"),
    "admin": ("Админов Артём Андреевич", "admin"),
}


DEMO_MORNING = dt.time(10, 0)
"""When the demo's day starts, school time."""


def demo_start(zone: str) -> dt.datetime:
    """The demo's «now» when it starts: the morning after the year's snapshot was exported."""
    from zoneinfo import ZoneInfo

    from archive_service.demo.calendar import YEAR_EXPORT

    return dt.datetime.combine(YEAR_EXPORT + dt.timedelta(days=1), DEMO_MORNING, ZoneInfo(zone))


def on_demo_clock(archive: Archive) -> Archive:
    """The same installation on the demo's own clock: it starts at `demo_start` and ticks with the
    machine's, so durations and the order of events stay real."""
    started, begins = time.monotonic(), demo_start(archive.settings.timezone).astimezone(dt.timezone.utc)
    return replace(archive, moment=lambda: begins + dt.timedelta(seconds=time.monotonic() - started))


class DemoFailed(ArchiveError):
    """A step of the demo did not complete (what went wrong was said above it)."""


def run_demo(archive: Archive, *, seed: int, origin: str, say: Say) -> None:
    """The whole demo, step by step; raises `DemoFailed` (or another `ArchiveError`) when a step fails.
    Each step is done by the demo account whose work it is, by name (`demo_people`), from `origin`
    (the machine the demo runs on): the demo's accounts are made first, by the demo's administrator."""
    started = time.perf_counter()
    archive = on_demo_clock(archive)
    say(f"Дата демонстрации: {archive.clock.today():%d.%m.%Y} (учебный год {DEMO_YEAR} завершён, "
        "снимки выгружены)")
    out = archive.settings.home / "demo-data"
    people = demo_people(origin)
    passwords = _demo_accounts(archive, people["admin"])
    deputy = people["zavuch"]
    _make_school(archive, out, seed, deputy, say)
    _close_term(archive, deputy, say)
    exported = _sign(archive, out, people["director"], say)
    _back_up(archive, exported, deputy, people["director"], say)
    _register(archive, exported, people["secretary"], say)
    accounts_file = _grant_access(archive, people["admin"], passwords, say)
    _tell_where(archive, out, exported, accounts_file, time.perf_counter() - started, say)


def demo_people(origin: str) -> dict[str, Actor]:
    """Each demo account acting in its role, by its full name, from `origin`, by login."""
    return {login: Actor(name, role, operators.named_origin(origin, login), login)
            for login, (name, role) in DEMO_ACCOUNTS.items()}


def _make_school(archive: Archive, out: Path, seed: int, deputy: Actor, say: Say) -> None:
    from archive_service.demo import write_demo_data

    say(f"1. Демонстрационная школа: снимки журнала за {DEMO_YEAR} → {out}")
    paths = write_demo_data(out, seed=seed)
    say(f"   записано снимков: {len(paths)}")
    say("2. Импорт снимков в архив")
    tally = {"stored": 0, "new_version": 0, "duplicate": 0, "rejected": 0}
    files = sorted(p for p in out.rglob("*.json") if p.is_file())
    for outcome in ingest_paths(archive.uow, files, reason=None, actor=deputy,
                                clock=archive.now):
        tally[outcome.status] += 1
        if outcome.status == "rejected":
            for line in outcome.lines():
                say(line)
    say(f"   новых {tally['stored']}, новых версий {tally['new_version']}, повторов {tally['duplicate']}, "
        f"отклонено {tally['rejected']}")
    if tally["rejected"]:
        raise DemoFailed("демо-данные не прошли проверку — см. сообщения выше")
    say(f"3. Предварительная проверка перед печатью: {DEMO_YEAR}, {' и '.join(DEMO_TERM)}")
    for line in preflight_lines(snapshots.preflight_period(archive.uow(), DEMO_YEAR, DEMO_TERM, (),
                                                           archive.thresholds)):
        say(line)
    _control(archive, deputy, say)


def _control(archive: Archive, deputy: Actor, say: Say) -> None:
    """The deputy head's monthly control of the journal: its totals, and the справка to sign."""
    report = journal_control.control_report(archive.uow(), DEMO_CONTROL_MONTH, thresholds=archive.thresholds,
                                            backdated_days=archive.settings.control_backdated_days)
    say(f"   Контроль ведения журнала за {report.month.title}: "
        + ", ".join(f"{TITLES[code]} — {count}" for code, count in report.counts.items() if count))
    path = archive.settings.home / journal_control.file_name(report)
    path.write_bytes(journal_control.control_pdf(report, archive.settings.templates_dir,
                                                 school=journal_control.school_name(archive.uow()),
                                                 deputy=deputy.person, now=archive.now()))
    say(f"   справка о проверке для подписи заместителя директора: {path}")


def _close_term(archive: Archive, deputy: Actor, say: Say) -> None:
    say(f"4. Закрытие периода: копии журнала ({' и '.join(DEMO_TERM)}) и сводные ведомости за год")
    def failed(done: int, job: documents.RenderJob, outcome: dict) -> None:
        if "error" in outcome:
            say(f"ОШИБКА {job.class_name} {job.period_code}: {outcome['error']}")

    for periods in (DEMO_TERM, ("year",)):
        made = ClosePeriod(archive.uow(), archive.runner, DEMO_YEAR, periods, actor=deputy,
                           clock=archive.clock).run(failed)
        say(f"   {', '.join(periods)}: изготовлено {made.rendered}, уже было {made.reused}, "
            f"ошибок {made.failed}; листов {made.sheets}")
        if made.failed:
            raise DemoFailed("не все документы изготовлены — см. сообщения выше")
    _volume(archive, deputy, say)


def _volume(archive: Archive, deputy: Actor, say: Say) -> None:
    """The year's volume of one class: every period and the year's summary bound as one file."""
    made = volumes.make_volume(archive.uow(), archive.store, archive.renderer, DEMO_YEAR, DEMO_VOLUME_CLASS,
                               archive.render_options, actor=deputy, today=archive.clock.today(), now=archive.now())
    export = export_documents(archive.uow(), archive.store, archive.settings.home / "documents-export", DEMO_YEAR,
                              (VOLUME,), (DEMO_VOLUME_CLASS,), actor=deputy, now=archive.now())
    say(f"   том за учебный год, {DEMO_VOLUME_CLASS} класс (все периоды и итоги года, единая нумерация листов): "
        f"{made.sheets} л., {export.paths[0]}")


def snapshot_director(folder: Path) -> str:
    """The director named by the demo school's snapshots (the demo certificate's owner)."""
    first = next(folder.rglob("*.json"))
    return json.loads(first.read_text(encoding="utf-8"))["school"]["director"]["full_name"]


def issued_now() -> dt.datetime:
    """When the demo's certificates are issued: now by the machine's clock — a certificate is checked
    against the real time by everything that reads it, so it is valid from today on, through the
    demo's pretended days as well."""
    return dt.datetime.now(dt.timezone.utc)


def demo_key(archive: Archive, director: str, gost_demo: bool, say: Say) -> tuple[KeySpec, str]:
    """The demo's key and where it is: the fast ECDSA key, or (ARCHIVE_DEMO_SIGNATURE=gost) a
    GOST R 34.10-2012 key in the qualified profile, signed through the external route with the
    OpenSSL GOST engine standing in for CryptoPro, and a GOST timestamp authority."""
    if gost_demo:
        say("5. Электронная подпись директора: ГОСТ Р 34.10-2012 (тестовый УЦ, ГОСТ-служба штампов времени; "
            "OpenSSL с модулем ГОСТ вместо КриптоПро)")
        gost = archive.gost_demo_pki
        if not gost.exists():
            create_gost_pki(gost.directory, owner=director, organisation="МБОУ СОШ № 21", now=issued_now(),
                            root_title="Демо-УЦ ГОСТ archive_service")
        key: KeySpec = ExternalKey(openssl_gost_command(gost.director_cert, gost.director_key), gost.director_cert)
        return key, f"ключ ГОСТ {gost.director_key}, корневой сертификат {gost.root_cert}"
    say("5. Электронная подпись директора (демонстрационный сертификат, местная служба штампов времени)")
    pki = archive.demo_pki
    if not pki.exists():
        create_demo_pki(pki.directory, owner=director, organisation="МБОУ СОШ № 21",
                        password=DEMO_KEY_PASSWORD.encode(), now=issued_now())
    return (Pkcs12File(pki.signer_p12, DEMO_KEY_PASSWORD.encode()),
            f"ключ {pki.signer_p12} (пароль «{DEMO_KEY_PASSWORD}»), корневой сертификат {pki.root_cert}")


def _sign(archive: Archive, out: Path, director: Actor, say: Say) -> Path:
    settings = archive.settings
    gost_demo = settings.demo_signature.strip().lower() == "gost"
    if settings.demo_signature.strip() and not gost_demo:
        raise DemoFailed("ARCHIVE_DEMO_SIGNATURE: допустимо только «gost» (или пусто)")
    key, where = demo_key(archive, snapshot_director(out), gost_demo, say)
    try:
        command = SignDocuments(archive.uow(), archive.store, {DEMO_YEAR: (*DEMO_TERM, "year")},
                                actor=director, now=archive.now, zone=archive.settings.timezone)
        with archive.signer(key) as signer:
            outcomes = command.run(signer)
    except NotFoundError:
        outcomes = []
    failed = [o for o in outcomes if not o.ok]
    say(f"   подписано (PAdES B-LTA): {len(outcomes) - len(failed)}, с ошибкой: {len(failed)}; {where}")
    if failed:
        raise DemoFailed("не все документы подписаны — см. сообщения выше")
    exported = settings.home / "documents-export"
    export = export_documents(archive.uow(), archive.store, exported, DEMO_YEAR, (*DEMO_TERM, "year"),
                              actor=director, now=archive.now())
    for note in export.notes:
        say(f"   внимание: {note}")
    say(f"   PDF для печати: {len(export.paths)} файлов в {exported}")
    return exported


def _archive_key(archive: Archive, director: Actor, say: Say) -> None:
    """The demo director sets the archive key's code (once per installation)."""
    if not archive_keys.key_status(archive.uow()):
        archive_keys.init_key(archive.uow(), DEMO_BACKUP_CODE, DEMO_BACKUP_CODE, actor=director, now=archive.now(),
                              params=archive.settings.key_sealing)
    key = archive_keys.key_status(archive.uow())[0]
    say(f"   ключ архива {key.fingerprint}; код доступа директора для демо: «{DEMO_BACKUP_CODE}» "
        "(копия делается без кода, восстановление — с ним; код записан и в файл учётных записей демо)")


def _back_up(archive: Archive, exported: Path, deputy: Actor, director: Actor, say: Say) -> None:
    say("6. Резервная копия четверти на носителях A и B, запечатанная ключом архива директора")
    _archive_key(archive, director, say)
    made = CreateBackup(archive.uow(), archive.store, archive.media(), DEMO_YEAR, DEMO_TERM,
                        actor=deputy, now=archive.now()).run()
    for copy in made.copies:
        say(f"   {copy.medium} ({copy.location}): {'записан и проверен' if copy.verified else 'ОШИБКА'}")
    act = exported / f"акт_передачи_{made.set_id}.pdf"
    act.write_bytes(backup.handover_act_pdf(archive.uow(), archive.settings.templates_dir, made.set_id,
                                            zone=archive.zone))
    say(f"   набор {made.set_id}, хранить до {made.retain_until}; акт передачи: {act}")


def _register(archive: Archive, exported: Path, secretary: Actor, say: Say) -> None:
    templates = archive.settings.templates_dir
    say("7. Реестр бумажных копий (секретарь)")
    registered = [r.document_id for r in register.list_register(archive.uow())]
    for row in documents.list_documents(archive.uow(), DEMO_YEAR, (*DEMO_TERM, "year")):
        if row["document_id"] not in registered and not row["draft"]:  # a draft is never registered
            register.register_document(
                archive.uow(), row["document_id"], handed_over_by="Иванова Татьяна Петровна (зам. директора по УВР)",
                accepted_by="Петрова Анна Сергеевна (секретарь)",
                placement=register.Placement("каб. 5 (архив)", "шкаф 2", f"папка {DEMO_YEAR}"),
                on=archive.clock.today(), paper_only=False, actor=secretary, now=archive.now(),
                zone=archive.settings.timezone)
    printed, inventory = exported / "реестр.pdf", exported / "опись_дел.pdf"
    data, count = register_printout.printout(archive.uow(), templates, "register", "pdf", year=None, actor=secretary,
                                    now=archive.now())
    printed.write_bytes(data)
    inventory.write_bytes(register_printout.printout(archive.uow(), templates, "inventory", "pdf", year=None,
                                            actor=secretary, now=archive.now())[0])
    say(f"   записей в реестре: {count}; печатная форма: {printed}; опись дел: {inventory}")
    student, born = certificates.a_student_of_the_oldest_class(archive.uow(), DEMO_YEAR)
    certificate = certificates.issue_certificate(
        archive.uow(), archive.store, templates, student, born,
        requested_by=student, purpose="по месту требования", actor=secretary, now=archive.now(),
        secretary="Петрова А. С.")
    path = exported / f"архивная_справка_{certificate.number}-{certificate.year}.pdf"
    path.write_bytes(certificates.certificate_file(archive.uow(), archive.store, certificate.year,
                                                   certificate.number)[1])
    say(f"   архивная справка № {certificate.number}/{certificate.year} ({student}): {path}")


def _demo_account(archive: Archive, login: str, name: str, role: str, actor: Actor) -> str:
    """Create the demo account, or give an existing one a new password (a re-run prints fresh ones)."""
    password = accounts.generate_password()
    existing = {u.login: u for u in accounts.list_users(archive.uow())}
    if login in existing:
        accounts.set_password(archive.uow(), login, password, actor=actor, now=archive.now(), temporary=False)
        if existing[login].role != role:
            accounts.set_role(archive.uow(), login, role, actor=actor, now=archive.now())
        if not existing[login].active:
            accounts.set_active(archive.uow(), login, True, actor=actor, now=archive.now())
    else:
        accounts.create_user(archive.uow(), login, name, role, password, actor=actor, now=archive.now(),
                             temporary=False)  # the demo's passwords are written to a file for the tour
    return password


def _demo_accounts(archive: Archive, admin: Actor) -> dict[str, str]:
    """The demo's accounts, made (or given fresh passwords) by the demo's administrator before any
    step: every step is done by one of them. The administrator's own account is made first, by
    themself, as the first administrator of a new installation is. Login → password."""
    first = sorted(DEMO_ACCOUNTS, key=lambda login: login != admin.account)
    return {login: _demo_account(archive, login, *DEMO_ACCOUNTS[login], admin) for login in first}


def _grant_access(archive: Archive, actor: Actor, passwords: dict[str, str], say: Say) -> Path:
    """As the administrator: the journal system's API token; the web accounts made at the start."""
    existing = [t for t in tokens.list_tokens(archive.uow()) if t.name == "demo-journal" and not t.revoked_at]
    say("8. Доступ для системы электронного журнала (API)")
    if existing:
        say(f"   токен demo-journal уже выдан (№{existing[0].id}); новый: archive-service token create ИМЯ")
    else:
        _, token = tokens.issue_token(archive.uow(), "demo-journal", actor=actor, now=archive.now())
        say(f"   токен API (показывается один раз): {token}")
    say("9. Учётные записи веб-приложения (пароли показаны один раз и записаны в файл для демо)")
    accounts_file = archive.settings.home / "demo-accounts.txt"
    lines = []
    for login, (name, role) in DEMO_ACCOUNTS.items():
        lines.append(f"{login:<10} {passwords[login]}   {ROLES[role]}: {name}")
        say(f"   {lines[-1]}")
    lines.append(f"код доступа директора к резервным копиям (ключ архива): {DEMO_BACKUP_CODE}")
    accounts_file.touch(mode=0o600)
    accounts_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return accounts_file


def _tell_where(archive: Archive, out: Path, exported: Path, accounts_file: Path, seconds: float, say: Say) -> None:
    settings = archive.settings
    say(f"\nГотово за {seconds:.1f} с. Где что лежит:")
    say(f"   каталог установки (ARCHIVE_HOME): {settings.home}")
    say(f"   база данных:                      {settings.database_url}")
    say(f"   носитель A / носитель B:          {settings.medium_a} / {settings.medium_b}")
    say(f"   снимки демо-школы:                {out}")
    say(f"   документы (по SHA-256):           {archive.store.where}")
    say(f"   PDF (подписанные) для печати:     {exported}")
    say(f"   проверка подписи:                 archive-service verify {exported}/5А_2_четверть_журнал.pdf")
    say(f"   выпускной класс (аттестаты, ГИА): {exported}/11Б_год_сводная_ведомость.pdf")
    say(f"   {f'том {DEMO_VOLUME_CLASS} за учебный год:':<34}{exported}/{DEMO_VOLUME_CLASS}_том_за_год_журнал.pdf "
        "(другие классы: archive-service volume make)")
    say(f"   веб-приложение:                   make run → http://127.0.0.1:5000/ (входы: {accounts_file})")
