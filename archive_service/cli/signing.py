"""`archive-service sign` and `archive-service verify`: the director's electronic signature."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import click
from flask.cli import AppGroup, with_appcontext
from tqdm import tqdm

from archive_service.cli.common import CLASSES, PERIODS, YEAR, current_archive, echo_json, terminal
from archive_service.config import ConfigError
from archive_service.domain.actor import Actor
from archive_service.errors import ArchiveError
from archive_service.key_specs import CryptoProKey, ExternalKey, KeySpec, Pkcs12File, TokenKey
from archive_service.services.renewal import check_signed_documents, documents_at_risk, renew_timestamps
from archive_service.services.signing import (
    AllSigned,
    SignDocuments,
    SigningOutcome,
    awaiting_signature,
    check_signer,
    nothing_to_sign,
    refuse_dates,
)
from signing import SigningError


def _secret(prompt: str) -> bytes:
    """The password or PIN: from ARCHIVE_SIGN_PIN for automation, else asked for; never stored."""
    value = os.environ.get("ARCHIVE_SIGN_PIN")
    if value is None:
        value = click.prompt(prompt, hide_input=True)
    return value.encode("utf-8")


@click.command("sign")
@with_appcontext
@YEAR
@PERIODS
@CLASSES
@click.option("--pkcs12", "pkcs12", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Файл ключа PKCS#12 (.p12/.pfx) директора.")
@click.option("--pkcs11-lib", type=click.Path(dir_okay=False, path_type=Path),
              help="Библиотека PKCS#11 токена (например, /usr/lib/softhsm/libsofthsm2.so).")
@click.option("--pkcs11-token", help="Метка токена PKCS#11.")
@click.option("--pkcs11-key", help="Метка ключа (и сертификата) на токене.")
@click.option("--external-command", help="Внешняя программа подписи: получает подписываемые байты на stdin, "
                                         "возвращает CMS (DER) на stdout (например, КриптоПро для ГОСТ).")
@click.option("--external-cert", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Сертификат ключа внешней программы подписи или КриптоПро (по нему строится штамп подписи).")
@click.option("--cryptopro-thumbprint", metavar="ОТПЕЧАТОК",
              help="Подписать ключом ГОСТ на токене через КриптоПро CSP (cryptcp, путь — ARCHIVE_CRYPTCP): "
                   "SHA-1 отпечаток сертификата директора из certmgr -list. Нужен и --external-cert.")
@click.option("--cryptopro-pin-env", metavar="ПЕРЕМЕННАЯ",
              help="Имя переменной окружения с PIN-кодом токена для КриптоПро; без него контейнер "
                   "не должен запрашивать PIN-код.")
def sign_command(academic_year: str, periods: tuple[str, ...], classes: tuple[str, ...], pkcs12: Path | None,
                 pkcs11_lib: Path | None, pkcs11_token: str | None, pkcs11_key: str | None,
                 external_command: str | None, external_cert: Path | None, cryptopro_thumbprint: str | None,
                 cryptopro_pin_env: str | None) -> None:
    """Подписать электронной подписью директора все документы периода, ожидающие подписи.

    Пароль ключа запрашивается (или берётся из ARCHIVE_SIGN_PIN) и нигде не сохраняется.
    Код выхода 0 — только если подписаны все документы.
    """
    token = (pkcs11_lib, pkcs11_token, pkcs11_key)
    program = bool(external_command) or bool(cryptopro_thumbprint)
    chosen = [bool(pkcs12), all(token), bool(external_command), bool(cryptopro_thumbprint)]
    if (sum(chosen) != 1 or (any(token) and not all(token)) or program != bool(external_cert)
            or (cryptopro_pin_env and not cryptopro_thumbprint)):
        raise click.UsageError("укажите ровно один ключ: --pkcs12 ФАЙЛ; или --pkcs11-lib, --pkcs11-token и "
                               "--pkcs11-key; или --external-command и --external-cert; или "
                               "--cryptopro-thumbprint и --external-cert (и, если нужно, --cryptopro-pin-env)")
    director = terminal("sign_documents")  # the director named at the terminal, before the key is asked
    try:
        if pkcs12:
            key = Pkcs12File(pkcs12, _secret("Пароль ключа"))
            with current_archive().signer(key):
                pass  # a wrong password is said here, before any worker starts
            _sign_pkcs12_in_processes(key, academic_year, periods, classes, director)
        else:
            _sign_with(_key(external_command, external_cert, cryptopro_thumbprint, cryptopro_pin_env, token),
                       academic_year, periods, classes, director)
    except (SigningError, ConfigError) as err:
        raise click.ClickException(str(err)) from None


def _key(external_command: str | None, external_cert: Path | None, cryptopro_thumbprint: str | None,
         cryptopro_pin_env: str | None, token: tuple[Path | None, str | None, str | None]) -> KeySpec:
    """The key the options name (checked above: exactly one, complete), other than a PKCS#12 file."""
    if cryptopro_thumbprint and external_cert:
        return CryptoProKey(cryptopro_thumbprint, external_cert, cryptopro_pin_env)
    if external_command and external_cert:
        return ExternalKey(external_command, external_cert)
    library, label, key = token
    if library is None or label is None or key is None:
        raise click.UsageError("укажите --pkcs11-lib, --pkcs11-token и --pkcs11-key")
    # a token usually allows one session: its documents are signed in this process
    return TokenKey(library, label, key, _secret("PIN токена").decode())


def _sign_with(key: KeySpec, academic_year: str, periods: tuple[str, ...], classes: tuple[str, ...],
               director: Actor) -> None:
    with current_archive().signer(key) as signer:
        _sign_batch(signer, academic_year, periods, classes, director)


def _sign_pkcs12_in_processes(key: Pkcs12File, academic_year: str, periods: tuple[str, ...],
                              classes: tuple[str, ...], director: Actor) -> None:
    archive = current_archive()
    check_signer(director)
    pending = awaiting_signature(archive.uow(), academic_year, periods, classes)
    if not pending:
        _nothing_to_sign(nothing_to_sign(archive.uow(), academic_year, periods, classes))
        return
    try:  # the workers would refuse too, each on its own: say it once, before the key is opened
        refuse_dates(archive.uow(), [p.pk for p in pending], archive.now(), zone=archive.settings.timezone)
    except ArchiveError as err:
        raise click.ClickException(str(err)) from None
    names = sorted({p.class_name for p in pending})
    failed = signed = 0
    with tqdm(total=len(pending), desc="Подписание", unit="док", file=sys.stderr, disable=None, leave=False) as bar:
        for outcomes in archive.runner.sign(key, academic_year, periods, names, director):
            bar.update(len(outcomes))
            for o in outcomes:
                signed += o["ok"]
                if not o["ok"]:
                    failed += 1
                    bar.write(f"ОШИБКА {o['class_name']} {o['period_code']} {o['document_id']}: {o['message']}")
    click.echo(f"Подписано документов: {signed}, с ошибкой: {failed}.")
    if failed:
        sys.exit(1)


def _nothing_to_sign(err: ArchiveError) -> None:
    """All documents already signed (a repeated run) is said with exit status 0; anything else fails."""
    if not isinstance(err, AllSigned):
        raise click.ClickException(str(err))
    click.echo(f"Подписывать нечего: {err}.")


def _sign_batch(signer, academic_year: str, periods: tuple[str, ...], classes: tuple[str, ...],
                director: Actor) -> None:
    archive = current_archive()
    bar = tqdm(desc="Подписание", unit="док", file=sys.stderr, disable=None, leave=False)

    def done(outcome: SigningOutcome) -> None:
        bar.update(1)
        if not outcome.ok:
            bar.write(f"ОШИБКА {outcome.class_name} {outcome.period_code} {outcome.document_id}: {outcome.message}")

    # the operator who holds the key's password is the director
    command = SignDocuments(archive.uow(), archive.store, {academic_year: periods}, actor=director,
                            now=archive.now, class_names=classes, on_done=done, zone=archive.settings.timezone)
    try:
        outcomes = command.run(signer)
    except ArchiveError as err:
        _nothing_to_sign(err)
        return
    finally:
        bar.close()
    failed = [o for o in outcomes if not o.ok]
    click.echo(f"Подписано документов: {len(outcomes) - len(failed)}, с ошибкой: {len(failed)}.")
    if failed:
        sys.exit(1)


@contextlib.contextmanager
def _quiet_validation_library() -> Iterator[None]:
    """pyHanko logs its English diagnostics (with tracebacks) about a damaged file; the report
    says what is wrong in Russian, so the person at the terminal sees only the report."""
    loggers = [logging.getLogger(name) for name in ("pyhanko", "pyhanko_certvalidator")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels):
            logger.setLevel(level)


@click.command("verify")
@with_appcontext
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Вывести отчёт в JSON.")
def verify_command(path: Path, as_json: bool) -> None:
    """Проверить электронную подпись документа PDF. Код выхода 0 — только для действительной подписи."""
    archive = current_archive()
    try:
        trust = archive.trust()
    except ConfigError as err:
        raise click.ClickException(str(err)) from None
    try:
        data = path.read_bytes()
    except OSError:
        raise click.ClickException(f"файл {path.name} не удалось прочитать") from None
    from signing import verify_pdf  # pyHanko: loaded where it works

    with _quiet_validation_library():
        report = verify_pdf(data, trust, zone=archive.zone)
    if as_json:
        echo_json(report.as_dict())
    else:
        click.echo(report.as_text())
    if not report.valid:
        sys.exit(1)


signatures_cli = AppGroup("signatures", help="Долговременная сохранность подписей: штампы времени документов.")


def _horizon(days: int | None) -> dt.timedelta:
    if days is None:
        days = current_archive().settings.timestamp_renewal_days
    return dt.timedelta(days=days)


@signatures_cli.command("at-risk")
@click.option("--days", type=int, help="Горизонт в днях (по умолчанию ARCHIVE_TIMESTAMP_RENEWAL_DAYS).")
@click.option("--json", "as_json", is_flag=True, help="Вывести список в JSON.")
def signatures_at_risk(days: int | None, as_json: bool) -> None:
    """Документы, у которых последний штамп времени документа скоро перестанет проверяться."""
    archive = current_archive()
    docs = documents_at_risk(archive.uow(), now=archive.now(), horizon=_horizon(days))
    if as_json:
        echo_json([d.as_dict() for d in docs])
        return
    for d in docs:
        click.echo(f"{d.document_id}  {d.class_name:<4} {d.period_code:<4} штамп действует до {d.expires_at[:10]} "
                   f"(осталось дней: {d.days_left})")
    click.echo(f"Под угрозой документов: {len(docs)}.")


@signatures_cli.command("renew")
@click.option("--days", type=int, help="Горизонт в днях (по умолчанию ARCHIVE_TIMESTAMP_RENEWAL_DAYS).")
def signatures_renew(days: int | None) -> None:
    """Добавить новый штамп времени документа всем документам под угрозой (то же делает еженедельное задание)."""
    archive = current_archive()
    try:
        results = renew_timestamps(archive.uow(), archive.store, archive.timestamper(), archive.trust(),
                                   now=archive.now(), horizon=_horizon(days), actor=terminal("manage_media"))
    except ConfigError as err:
        raise click.ClickException(str(err)) from None
    for doc, error in results:
        outcome = "ОШИБКА " + error if error else "продлён"
        click.echo(f"{doc.class_name:<4} {doc.period_code:<4} {doc.document_id}: {outcome}")
    failed = [d for d, e in results if e]
    click.echo(f"Продлено: {len(results) - len(failed)}, с ошибкой: {len(failed)}.")
    if failed:
        sys.exit(1)


@signatures_cli.command("check")
@click.option("--json", "as_json", is_flag=True, help="Вывести результат в JSON.")
def signatures_check(as_json: bool) -> None:
    """Проверить подписи и цепочки штампов времени всех подписанных документов (код 1 — есть ошибки)."""
    archive = current_archive()
    try:
        with _quiet_validation_library():
            checked, failures = check_signed_documents(archive.uow(), archive.store, archive.trust(), archive.now(),
                                                        zone=archive.zone)
    except ConfigError as err:
        raise click.ClickException(str(err)) from None
    if as_json:
        click.echo(json.dumps({"checked": checked, "failures": [f.as_dict() for f in failures]},
                              ensure_ascii=False, indent=2))
    else:
        for f in failures:
            click.echo(f"{f.class_name:<4} {f.period_code:<4} {f.document_id}: " + "; ".join(f.problems))
        click.echo(f"Проверено подписанных документов: {checked}, с ошибками: {len(failures)}.")
    if failures:
        sys.exit(1)
