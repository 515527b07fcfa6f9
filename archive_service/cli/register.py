"""`archive-service register ...` and `archive-service retention ...`: the secretary's archive."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import TYPE_CHECKING

import click
from flask.cli import AppGroup

from archive_service.cli.common import AS_JSON, current_archive, echo_json, echo_rows, terminal, terminal_origin
from archive_service.domain.actor import Actor
from archive_service.domain.file_issues import working_days_after
from archive_service.domain.periods import readable_period
from archive_service.domain.permissions import may
from archive_service.errors import ArchiveError, PermissionDenied
from archive_service.services import register

if TYPE_CHECKING:
    from archive_service.services.disposal_plan import DisposalPlan

register_cli = AppGroup("register", help="Реестр бумажных копий (ведёт секретарь).")
retention_cli = AppGroup("retention", help="Сроки хранения: номенклатура, документы с истёкшим сроком.")


def _date(value: str | None, name: str) -> dt.date:
    if not value:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter("ожидается дата ГГГГ-ММ-ДД", param_hint=name) from None


@register_cli.command("add")
@click.argument("document_id")
@click.option("--handed-over-by", required=True, help="Кто сдал (ФИО).")
@click.option("--accepted-by", required=True, help="Кто принял (ФИО секретаря).")
@click.option("--room", required=True, help="Помещение.")
@click.option("--cabinet", required=True, help="Шкаф.")
@click.option("--folder", required=True, help="Папка.")
@click.option("--date", "on", help="Дата регистрации ГГГГ-ММ-ДД (по умолчанию сегодня).")
@click.option("--paper-only", is_flag=True, help="Школа ведёт архив только на бумаге: подпись ЭП не требуется.")
def register_add(document_id: str, handed_over_by: str, accepted_by: str, room: str, cabinet: str, folder: str,
                 on: str | None, paper_only: bool) -> None:
    """Внести документ в реестр под следующим номером года."""
    archive = current_archive()
    try:
        row = register.RegisterDocument(archive.uow(), document_id, handed_over_by=handed_over_by,
                                        accepted_by=accepted_by, placement=register.Placement(room, cabinet, folder),
                                        on=_date(on, "--date") if on else archive.clock.today(),
                                        paper_only=paper_only, actor=terminal("keep_register"),
                                        now=archive.now(), zone=archive.settings.timezone).run()
    except ArchiveError as err:
        raise click.ClickException(str(err)) from None
    click.echo(f"Зарегистрирован №{row.number}/{row.year}: {row.title}, {row.period}, "
               f"листов {row.sheets}; хранить до {row.retention_end}.")


@register_cli.command("list")
@click.option("--year", type=int, help="Год реестра.")
@click.option("--json", "as_json", is_flag=True, help="Вывести реестр в JSON.")
def register_list(year: int | None, as_json: bool) -> None:
    """Реестр бумажных копий."""
    from archive_service.rendering import registers

    rows = [row.as_dict() for row in register.list_register(current_archive().uow(), year)]
    echo_rows(rows, as_json, lambda r: (
        f"{r['number']:>4}/{r['year']}  {r['case_index'] or '—':<8} {r['title']}, {readable_period(r['period'])}, "
        f"л. {r['sheets']}; {r['room']}, {r['cabinet']}, {r['folder']}; до {r['retention_end']}; "
        + "; ".join(filter(None, [registers.status_text(r), registers.replacement_note(r)]))
        + "".join(f"\n        часть тома — {part}" for part in r["parts"])), "Записей: {count}.")


@retention_cli.command("due")
@click.option("--today", help="На какую дату (ГГГГ-ММ-ДД; по умолчанию сегодня).")
@click.option("--json", "as_json", is_flag=True, help="Вывести список в JSON.")
def retention_due(today: str | None, as_json: bool) -> None:
    """Документы, срок хранения которых истёк (кандидаты в акт о выделении к уничтожению)."""
    rows = [row.as_dict() for row in register.retention_due(current_archive().uow(), _date(today, "--today"))]
    echo_rows(rows, as_json, lambda r: (
        f"№{r['number']}/{r['year']} {r['title']}, {readable_period(r['period'])}: срок истёк {r['retention_end']}"
        + (f"; ЗАПРЕТ УНИЧТОЖЕНИЯ: {r['hold']}" if r["hold"] else "")), "С истёкшим сроком хранения: {count}.")


@retention_cli.command("rule")
@click.argument("kind", type=click.Choice(sorted(register.TITLES)))
@click.option("--years", type=int, help="Срок хранения, лет.")
@click.option("--case-index", help="Индекс дела по номенклатуре дел школы.")
@click.option("--basis", help="Основание (статья перечня).")
def retention_rule(kind: str, years: int | None, case_index: str | None, basis: str | None) -> None:
    """Показать или изменить срок хранения, индекс дела и основание для вида документов."""
    archive = current_archive()
    try:
        if years is not None or case_index is not None or basis is not None:
            register.set_rule(archive.uow(), kind, years=years, case_index=case_index, basis=basis,
                              actor=terminal("keep_register"), now=archive.now())
    except ArchiveError as err:
        raise click.ClickException(str(err)) from None
    rule = register.rules(archive.uow())[kind]
    click.echo(f"{register.TITLES[kind]}: {rule.years} лет; индекс дела {rule.case_index or '—'}; {rule.basis}")


def _number(value: str) -> tuple[int, int]:
    number, _, year = value.partition("/")
    if not (number.isdigit() and year.isdigit()):
        raise click.BadParameter("ожидается номер в виде 12/2027", param_hint="NUMBER")
    return int(year), int(number)


def _move(action: str, number: str, person: str, purpose: str, on: str | None, return_by: str | None = None) -> None:
    archive = current_archive()
    year, num = _number(number)
    day = _date(on, "--date")
    until = None
    if action == "issued":  # by default the term of the setting ARCHIVE_ISSUE_WORKING_DAYS
        until = (_date(return_by, "--return-by") if return_by
                 else working_days_after(day, archive.settings.issue_working_days))
    try:
        register.move_file(archive.uow(), year, num, action, person=person, purpose=purpose, on=day,
                           return_by=until, actor=terminal("keep_register"), now=archive.now())
    except ArchiveError as err:
        raise click.ClickException(str(err)) from None
    done = f"выдано ({person}), вернуть до {until:%d.%m.%Y}" if until else f"возвращено в архив ({person})"
    click.echo(f"Дело № {number} {done}.")


@register_cli.command("issue")
@click.argument("number")
@click.option("--to", "person", required=True, help="Кому выдан (ФИО, должность).")
@click.option("--purpose", required=True, help="Цель выдачи.")
@click.option("--date", "on", help="Дата ГГГГ-ММ-ДД (по умолчанию сегодня).")
@click.option("--return-by", help="Вернуть до ГГГГ-ММ-ДД (по умолчанию через ARCHIVE_ISSUE_WORKING_DAYS рабочих дней).")
def register_issue(number: str, person: str, purpose: str, on: str | None, return_by: str | None) -> None:
    """Выдать бумажное дело (NUMBER вида 12/2027), например инспектору."""
    _move("issued", number, person, purpose, on, return_by)


@register_cli.command("return")
@click.argument("number")
@click.option("--by", "person", required=True, help="Кто вернул.")
@click.option("--date", "on", help="Дата ГГГГ-ММ-ДД (по умолчанию сегодня).")
def register_return(number: str, person: str, on: str | None) -> None:
    """Принять выданное дело обратно в архив."""
    _move("returned", number, person, "", on)


@retention_cli.command("hold")
@click.argument("number")
@click.option("--reason", help="Основание запрета (проверка, спор); без него — снять запрет.")
@click.option("--date", "on", help="Дата ГГГГ-ММ-ДД (по умолчанию сегодня).")
def retention_hold(number: str, reason: str | None, on: str | None) -> None:
    """Запретить уничтожение документа (--reason) или снять запрет (без --reason)."""
    archive = current_archive()
    year, num = _number(number)
    try:
        if reason:
            register.place_hold(archive.uow(), year, num, reason=reason, on=_date(on, "--date"),
                                actor=terminal("keep_register"), now=archive.now())
        else:
            register.release_hold(archive.uow(), year, num, on=_date(on, "--date"), actor=terminal("keep_register"),
                                  now=archive.now())
    except ArchiveError as err:
        raise click.ClickException(str(err)) from None
    click.echo(f"№{number}: {'уничтожение запрещено: ' + reason if reason else 'запрет снят'}.")


def _printout(what: str, year: int | None, out: Path) -> int:
    from archive_service.services import register_printout
    from archive_service.services.register_printout import format_problem

    archive, fmt = current_archive(), out.suffix.lower().lstrip(".")
    if problem := format_problem(fmt):  # the command's own mistake is said before anyone is asked for
        raise click.BadParameter(problem, param_hint="--out")
    try:
        data, count = register_printout.printout(archive.uow(), archive.settings.templates_dir, what, fmt,
                                                 year=year, actor=terminal("read_register"), now=archive.now(),
                                                 zone=archive.zone)
    except ArchiveError as err:
        raise click.BadParameter(str(err), param_hint="--out") from None
    out.write_bytes(data)
    return count


PRINTOUT_YEAR = click.option("--year", type=int, help="Год реестра (по умолчанию все).")
PRINTOUT_FILE = click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path),
                             help="Файл: .pdf для печати, .csv или .xlsx для таблиц.")


@register_cli.command("print")
@PRINTOUT_YEAR
@PRINTOUT_FILE
def register_print(year: int | None, out: Path) -> None:
    """Напечатать реестр в PDF или выгрузить в CSV / XLSX (по расширению файла)."""
    click.echo(f"Реестр, записей: {_printout('register', year, out)} → {out}")


@register_cli.command("inventory")
@PRINTOUT_YEAR
@PRINTOUT_FILE
def register_inventory(year: int | None, out: Path) -> None:
    """Опись дел (хранящихся, по индексам номенклатуры) в PDF, CSV или XLSX."""
    click.echo(f"Опись дел, дел: {_printout('inventory', year, out)} → {out}")


def _print_plan(plan: DisposalPlan) -> None:
    for r in plan.eligible:
        click.echo(f"  к уничтожению: №{r['register']} {r['title']}, {readable_period(r['period'])}, л. {r['sheets']}; "
                   f"хранить до {r['retention_end']}")
    for r in plan.refused:
        click.echo(f"  НЕ уничтожается: №{r['register']} {r['title']}, {readable_period(r['period'])}: {r['reason']}")
    for b in plan.backup_sets:
        click.echo(f"  резервная копия {b['set_id']}: {'будет удалена с носителей' if b['may_go'] else 'остаётся'}"
                   f" ({b['reason']})")
    click.echo(f"Можно уничтожить: {len(plan.eligible)}; отказано: {len(plan.refused)}; "
               f"срок не истёк: {plan.not_due}.")


TODAY_ONLY = ("--today — только для пробного прогона: уничтожение (--execute) идёт лишь по сегодняшней дате "
              "часов компьютера; уберите --today")


@retention_cli.command("dispose")
@click.option("--today", help="Пробный прогон на другую дату (ГГГГ-ММ-ДД; по умолчанию сегодня). "
                              "С --execute не допускается.")
@click.option("--execute", is_flag=True,
              help="Не пробный прогон: составить акт, а утверждённый директором акт — исполнить (только сегодняшним "
                   "числом).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Куда записать PDF акта.")
@AS_JSON
def retention_dispose(today: str | None, execute: bool, out: Path | None, as_json: bool) -> None:
    """Уничтожение документов с истёкшим сроком хранения (без --execute — пробный прогон).

    С --execute: если есть утверждённый, но не исполненный акт — исполнить его (в том числе
    после сбоя); иначе составить новый акт о выделении к уничтожению и ждать утверждения
    директором (retention approve N/ГГГГ). Составление и исполнение идут только сегодняшним
    числом (по часам компьютера); --today — лишь для пробного прогона."""
    from archive_service.services import disposal

    archive = current_archive()
    if execute and today:
        raise click.UsageError(TODAY_ONLY)
    try:
        if not execute:
            _dry_run(_date(today, "--today") if today else archive.clock.today(), as_json)
            return
        result = _next_step()
    except ArchiveError as err:
        raise click.ClickException(str(err)) from None
    path = out or Path(f"акт-уничтожения-{result['act'].replace('/', '-')}.pdf")
    path.write_bytes(disposal.act_pdf(archive.uow(), archive.store, result["act"]))
    if as_json:
        echo_json(result)
    else:
        _print_act(result, path)
    if result["status"] == "approved":
        raise click.ClickException(f"акт № {result['act']} исполнен не полностью (см. выше): устраните причины и "
                                   "запустите retention dispose --execute ещё раз")


def _dry_run(on: dt.date, as_json: bool) -> None:
    from archive_service.services import disposal

    plan = disposal.plan(current_archive().uow(), on)
    if as_json:
        echo_json(plan.as_dict())
        return
    click.echo(f"Пробный прогон на {on:%d.%m.%Y} (ничего не изменено):")
    _print_plan(plan)


def _next_step() -> dict:
    """Carry out the approved act; else say the proposed one awaits the director; else compose one.
    The secretary named at the terminal composes and carries out acts (the director's approval is
    the safeguard, and it needs the director's account and password)."""
    from archive_service.services import disposal

    archive, who = current_archive(), terminal("compose_disposal")
    acts = disposal.list_acts(archive.uow())
    pending = [a for a in acts if a["status"] == "approved"]
    proposed = [a for a in acts if a["status"] == "proposed"]
    if pending:
        return disposal.ExecuteAct(archive.uow(), archive.store, archive.settings.templates_dir, archive.media(),
                                   pending[0]["act"], clock=archive.clock, actor=who).run()
    if proposed:
        click.echo(f"Акт № {proposed[0]['act']} составлен и ждёт утверждения директором: "
                   f"archive-service retention approve {proposed[0]['act']} --login ИМЯ_ДИРЕКТОРА", err=True)
        return {**proposed[0], "blocked": [], "deleted_sets": [], "left_sets": []}
    return {**disposal.ComposeAct(archive.uow(), archive.store, archive.settings.templates_dir, clock=archive.clock,
                                  actor=who).run(),
            "blocked": [], "deleted_sets": [], "left_sets": []}


def _print_act(result: dict, path: Path) -> None:
    click.echo(f"Акт № {result['act']}: {result['status_text']}; дел в акте: {len(result['items'])} → {path}")
    if result["status"] == "proposed":
        click.echo(f"Следующий шаг: директор утверждает акт — archive-service retention approve {result['act']} "
                   "--login ИМЯ_ДИРЕКТОРА; затем retention dispose --execute уничтожает документы.")
    for b in result["blocked"]:
        click.echo(f"  НЕ уничтожен: №{b['register']}: {b['reason']}")
    for set_id in result["deleted_sets"]:
        click.echo(f"  резервная копия {set_id} удалена с носителей")
    for left in result["left_sets"]:
        click.echo(f"  резервная копия {left['set_id']} НЕ удалена: {left['reason']}")


def _director(login: str) -> Actor:
    """The director's account, checked by password (ARCHIVE_PASSWORD for scripts, else asked) with
    the lock-out of the web sign-in; its full name goes into the act and the audit log."""
    from archive_service.services import accounts

    archive = current_archive()
    password = os.environ.get("ARCHIVE_PASSWORD") or click.prompt(f"Пароль пользователя {login}", hide_input=True)
    user = accounts.authenticate(archive.uow(), login, password, origin=terminal_origin(), now=archive.clock.now())
    if not may(user.role, "approve_disposal"):
        raise PermissionDenied(f"акт утверждает только директор; «{login}» — {user.role_name.lower()}")
    return Actor(user.full_name, user.role, terminal_origin(), user.login)


@retention_cli.command("approve")
@click.argument("act")
@click.option("--login", required=True, help="Имя для входа директора (пароль запрашивается или берётся из "
                                             "ARCHIVE_PASSWORD).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Куда записать PDF утверждённого акта.")
def retention_approve(act: str, login: str, out: Path | None) -> None:
    """Директор утверждает акт о выделении к уничтожению (ACT вида 1/2033) сегодняшним числом.

    Нужны учётная запись директора и её пароль (как для входа в веб-приложение; после 5 неверных
    паролей вход блокируется на время)."""
    from archive_service.services import disposal

    archive = current_archive()
    try:
        result = disposal.ApproveAct(archive.uow(), archive.store, archive.settings.templates_dir, act,
                                     clock=archive.clock, actor=_director(login)).run()
    except ArchiveError as err:
        raise click.ClickException(str(err)) from None
    if out:
        out.write_bytes(disposal.act_pdf(archive.uow(), archive.store, act))
    click.echo(f"Акт № {act} утверждён ({result['approved_by']}); дел: {len(result['items'])}. "
               "Уничтожение: archive-service retention dispose --execute")


@retention_cli.command("acts")
@click.option("--json", "as_json", is_flag=True, help="Вывести акты в JSON.")
def retention_acts(as_json: bool) -> None:
    """Акты о выделении к уничтожению (хранятся постоянно)."""
    from archive_service.services import disposal

    echo_rows(disposal.list_acts(current_archive().uow()), as_json,
              lambda a: f"№ {a['act']} от {a['composed_on']}: {a['status_text']}; дел: {len(a['items'])}",
              "Актов: {count}.")

