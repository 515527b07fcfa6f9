"""`archive-service demo`: the main job on the embedded default, end to end on demo data.

Generates the demo school, ingests every snapshot, prints the pre-flight summary of the second
quarter (and the first half-year of grades 10–11), closes that term (a journal copy of every
class) and the year (summary sheets), signs them with the demo certificate, makes a verified
backup on media A and B with its hand-over act, registers the documents and prints the
register, and tells where everything is.
"""

from __future__ import annotations

import json
import time

import click
from flask import current_app
from flask.cli import with_appcontext

from archive_service.cli import _actor, import_files, print_preflight, _snapshot_files
from archive_service.cli_documents import close_period
from archive_service.errors import NotFoundError
from archive_service.domain.roles import ROLES
from archive_service.key_specs import ExternalKey, KeySpec, Pkcs12File
from archive_service.services import accounts, backup, certificates, documents, register, snapshots, tokens
from archive_service.services.documents import export_documents
from archive_service.services.signing import SIGNING_ROLE, sign_documents
from signing import create_demo_pki
from signing.cryptopro import openssl_gost_command
from signing.gost_pki import create_gost_pki

DEMO_YEAR = "2026/2027"
DEMO_TERM = ("Q2", "H1")
DEMO_KEY_PASSWORD = "demo"
DEMO_BACKUP_CODE = "demo-code"
DEMO_ACCOUNTS = {
    "zavuch": ("Иванова Татьяна Петровна", "deputy"),
    "director": ("Сергеева Ольга Викторовна", "director"),
    "secretary": ("Петрова Анна Сергеевна", "secretary"),
    "inspector": ("Орлов Олег Олегович", "inspector"),
    "admin": ("Админов Артём Андреевич", "admin"),
}


def _demo_account(archive, login: str, name: str, role: str) -> str:
    """Create the demo account, or give an existing one a new password (a re-run prints fresh ones)."""
    password = accounts.generate_password()
    existing = {u.login: u for u in accounts.list_users(archive.uow())}
    if login in existing:
        accounts.set_password(archive.uow(), login, password, actor=_actor(), now=archive.now())
        if existing[login].role != role:
            accounts.set_role(archive.uow(), login, role, actor=_actor(), now=archive.now())
        if not existing[login].active:
            accounts.set_active(archive.uow(), login, True, actor=_actor(), now=archive.now())
    else:
        accounts.create_user(archive.uow(), login, name, role, password, actor=_actor(), now=archive.now())
    return password


def snapshot_director(folder) -> str:
    """The director named by the demo school's snapshots (the demo certificate's owner)."""
    first = next(folder.rglob("*.json"))
    return json.loads(first.read_text(encoding="utf-8"))["school"]["director"]["full_name"]


def _demo_key(archive, director: str, gost_demo: bool) -> tuple[KeySpec, str]:
    """The demo's key and where it is: the fast ECDSA key, or (ARCHIVE_DEMO_SIGNATURE=gost) a
    GOST R 34.10-2012 key in the qualified profile, signed through the external route with the
    OpenSSL GOST engine standing in for CryptoPro, and a GOST timestamp authority."""
    if gost_demo:
        click.echo("5. Электронная подпись директора: ГОСТ Р 34.10-2012 (тестовый УЦ, ГОСТ-служба штампов времени; "
                   "OpenSSL с модулем ГОСТ вместо КриптоПро)")
        pki = archive.gost_demo_pki
        if not pki.exists():
            create_gost_pki(pki.directory, owner=director, organisation="МБОУ СОШ № 21", now=archive.now(),
                            root_title="Демо-УЦ ГОСТ archive_service")
        key: KeySpec = ExternalKey(openssl_gost_command(pki.director_cert, pki.director_key), pki.director_cert)
        return key, f"ключ ГОСТ {pki.director_key}, корневой сертификат {pki.root_cert}"
    click.echo("5. Электронная подпись директора (демонстрационный сертификат, местная служба штампов времени)")
    pki = archive.demo_pki
    if not pki.exists():
        create_demo_pki(pki.directory, owner=director, organisation="МБОУ СОШ № 21",
                        password=DEMO_KEY_PASSWORD.encode(), now=archive.now())
    return Pkcs12File(pki.signer_p12, DEMO_KEY_PASSWORD.encode()), f"ключ {pki.signer_p12} (пароль «{DEMO_KEY_PASSWORD}»), корневой сертификат {pki.root_cert}"


@click.command("demo")
@with_appcontext
@click.option("--seed", default=2026, show_default=True, help="Начальное число генератора демо-данных.")
def demo_command(seed: int) -> None:
    """Главная задача на демо-данных: школа, загрузка журнала, проверка и закрытие II четверти и года."""
    from archive_service.demo import write_demo_data

    archive = current_app.extensions["archive"]
    settings = archive.settings
    started = time.perf_counter()
    out = settings.home / "demo-data"
    click.echo(f"1. Демонстрационная школа: снимки журнала за {DEMO_YEAR} → {out}")
    paths = write_demo_data(out, seed=seed)
    click.echo(f"   записано снимков: {len(paths)}")
    click.echo("2. Импорт снимков в архив")
    tally = import_files(_snapshot_files([str(out)]), None, quiet=True)
    click.echo(f"   новых {tally['stored']}, новых версий {tally['new_version']}, повторов {tally['duplicate']}, "
               f"отклонено {tally['rejected']}")
    if tally["rejected"]:
        raise click.ClickException("демо-данные не прошли проверку — см. сообщения выше")
    click.echo(f"3. Предварительная проверка перед печатью: {DEMO_YEAR}, {' и '.join(DEMO_TERM)}")
    print_preflight(snapshots.preflight_period(archive.uow(), DEMO_YEAR, DEMO_TERM, (), archive.thresholds))
    click.echo(f"4. Закрытие периода: копии журнала ({' и '.join(DEMO_TERM)}) и сводные ведомости за год")
    for periods in (DEMO_TERM, ("year",)):
        tally = close_period(DEMO_YEAR, periods, (), quiet=True)
        click.echo(f"   {', '.join(periods)}: изготовлено {tally['rendered']}, уже было {tally['reused']}, "
                   f"ошибок {tally['failed']}; листов {tally['sheets']}")
        if tally["failed"]:
            raise click.ClickException("не все документы изготовлены — см. сообщения выше")
    gost_demo = settings.demo_signature.strip().lower() == "gost"
    if settings.demo_signature.strip() and not gost_demo:
        raise click.ClickException("ARCHIVE_DEMO_SIGNATURE: допустимо только «gost» (или пусто)")
    key, where = _demo_key(archive, snapshot_director(out), gost_demo)
    try:
        with archive.signer(key) as signer:
            outcomes = sign_documents(archive.uow(), archive.store, signer, DEMO_YEAR, (*DEMO_TERM, "year"),
                                      actor=_actor(), role=SIGNING_ROLE, now=archive.now)
    except NotFoundError:
        outcomes = []
    failed = [o for o in outcomes if not o.ok]
    click.echo(f"   подписано (PAdES B-LTA): {len(outcomes) - len(failed)}, с ошибкой: {len(failed)}; {where}")
    if failed:
        raise click.ClickException("не все документы подписаны — см. сообщения выше")
    exported = settings.home / "documents-export"
    export = export_documents(archive.uow(), archive.store, exported, DEMO_YEAR, (*DEMO_TERM, "year"),
                              actor=_actor(), now=archive.now())
    for note in export.notes:
        click.echo(f"   внимание: {note}")
    click.echo(f"   PDF для печати: {len(export.paths)} файлов в {exported}")
    click.echo("6. Резервная копия четверти на носителях A и B (код доступа директора для демо: "
               f"«{DEMO_BACKUP_CODE}»)")
    made = backup.create_backup(archive.uow(), archive.store, archive.media(), DEMO_YEAR, DEMO_TERM, DEMO_BACKUP_CODE,
                                actor=backup.Actor(_actor(), "заместитель директора"), now=archive.now())
    for copy in made["copies"]:
        click.echo(f"   {copy['medium']} ({copy['location']}): {'записан и проверен' if copy['verified'] else 'ОШИБКА'}")
    act = exported / f"акт_передачи_{made['set_id']}.pdf"
    act.write_bytes(backup.handover_act_pdf(archive.uow(), settings.templates_dir, made["set_id"]))
    click.echo(f"   набор {made['set_id']}, хранить до {made['retain_until']}; акт передачи: {act}")
    click.echo("7. Реестр бумажных копий (секретарь)")
    registered = [r["document_id"] for r in register.list_register(archive.uow())]
    for row in documents.list_documents(archive.uow(), DEMO_YEAR, (*DEMO_TERM, "year")):
        if row["document_id"] not in registered:
            register.register_document(
                archive.uow(), row["document_id"], handed_over_by="Иванова Татьяна Петровна (зам. директора по УВР)",
                accepted_by="Петрова Анна Сергеевна (секретарь)",
                placement=register.Placement("каб. 5 (архив)", "шкаф 2", f"папка {DEMO_YEAR}"),
                on=archive.now().date(), paper_only=False, actor=_actor(), now=archive.now())
    printed, inventory = exported / "реестр.pdf", exported / "опись_дел.pdf"
    data, count = register.printout(archive.uow(), settings.templates_dir, "register", "pdf", year=None,
                                    now=archive.now())
    printed.write_bytes(data)
    inventory.write_bytes(register.printout(archive.uow(), settings.templates_dir, "inventory", "pdf", year=None,
                                            now=archive.now())[0])
    click.echo(f"   записей в реестре: {count}; печатная форма: {printed}; опись дел: {inventory}")
    student, born = certificates.a_student_of_the_oldest_class(archive.uow(), DEMO_YEAR)
    certificate = certificates.issue_certificate(
        archive.uow(), archive.store, settings.templates_dir, student, born,
        requested_by=student, purpose="по месту требования", actor=_actor(), now=archive.now(),
        secretary="Петрова А. С.")
    certificate_path = exported / f"архивная_справка_{certificate['number']}-{certificate['year']}.pdf"
    certificate_path.write_bytes(certificates.certificate_file(archive.uow(), archive.store, certificate["year"],
                                                               certificate["number"])[1])
    click.echo(f"   архивная справка № {certificate['number']}/{certificate['year']} ({student}): "
               f"{certificate_path}")
    existing = [t for t in tokens.list_tokens(archive.uow()) if t["name"] == "demo-journal" and not t["revoked_at"]]
    click.echo("8. Доступ для системы электронного журнала (API)")
    if existing:
        click.echo(f"   токен demo-journal уже выдан (№{existing[0]['id']}); новый: archive-service token create ИМЯ")
    else:
        _, token = tokens.issue_token(archive.uow(), "demo-journal", actor=_actor(), now=archive.now())
        click.echo(f"   токен API (показывается один раз): {token}")
    click.echo("9. Учётные записи веб-приложения (пароли показаны один раз и записаны в файл для демо)")
    accounts_file = settings.home / "demo-accounts.txt"
    lines = []
    for login, (name, role) in DEMO_ACCOUNTS.items():
        password = _demo_account(archive, login, name, role)
        lines.append(f"{login:<10} {password}   {ROLES[role]}: {name}")
        click.echo(f"   {lines[-1]}")
    accounts_file.touch(mode=0o600)
    accounts_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    click.echo(f"\nГотово за {time.perf_counter() - started:.1f} с. Где что лежит:")
    click.echo(f"   каталог установки (ARCHIVE_HOME): {settings.home}")
    click.echo(f"   база данных:                      {settings.database_url}")
    click.echo(f"   носитель A / носитель B:          {settings.medium_a} / {settings.medium_b}")
    click.echo(f"   снимки демо-школы:                {out}")
    click.echo(f"   документы (по SHA-256):           {archive.store.root}")
    click.echo(f"   PDF (подписанные) для печати:     {exported}")
    click.echo(f"   проверка подписи:                 archive-service verify {exported}/5А_Q2_журнал.pdf")
    click.echo(f"   веб-приложение:                   make run → http://127.0.0.1:5000/ (входы: {accounts_file})")
