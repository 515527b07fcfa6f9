"""The archive key's rules over the in-memory fakes: who may, what is refused having written nothing,
what a wrong code leaves behind (a refusal journaled and committed), and the generations' dates."""

from __future__ import annotations

import datetime as dt

import pytest

from archive_service.domain.actor import Actor
from archive_service.errors import ArchiveError, PermissionDenied
from archive_service.services import archive_keys
from fakes import MOMENT, FakeArchiveKeys, FakeUnitOfWork
from storage import WrongAccessCode
from storage.sealing import KdfParams

FAST = KdfParams(log2_n=10)
DIRECTOR = Actor("Сергеева Ольга Викторовна", "director", "тест")
DEPUTY = Actor("Иванова Татьяна Петровна", "deputy", "тест")
CODE, NEW = "лиса-ручей-47-окно", "кедр-ветер-93-гора"


def _uow() -> FakeUnitOfWork:
    uow = FakeUnitOfWork()
    uow.archive_keys = FakeArchiveKeys()
    return uow


def _keyed() -> FakeUnitOfWork:
    uow = _uow()
    archive_keys.init_key(uow, CODE, CODE, actor=DIRECTOR, now=MOMENT, params=FAST)
    return uow


@pytest.mark.parametrize(("actor", "code", "again", "error", "message"), [
    (DEPUTY, CODE, CODE, PermissionDenied, "только директор"),
    (DIRECTOR, CODE, CODE + "!", ArchiveError, "не совпадают"),
    (DIRECTOR, "короткий", "короткий", ArchiveError, "слишком короткий"),
    (DIRECTOR, "qwertyuiop12", "qwertyuiop12", ArchiveError, "слишком простой"),
    (DIRECTOR, "Сергеева-Ольга-1", "Сергеева-Ольга-1", ArchiveError, "не должен содержать имён"),
])
def test_a_key_is_made_only_by_the_director_with_a_strong_code_typed_twice(actor, code, again, error, message):
    uow = _uow()
    with pytest.raises(error, match=message):
        archive_keys.init_key(uow, code, again, actor=actor, now=MOMENT, params=FAST)
    assert (uow.archive_keys.all(), uow.backups.journal(), uow.audit.entries(), uow.commits) == ([], [], [], 0)


def test_the_key_is_made_once_and_only_its_fingerprint_and_sealed_private_key_are_kept():
    uow = _keyed()
    (record,) = uow.archive_keys.all()
    assert CODE.encode() not in record.sealed_private and record.holder == "director"
    assert [e.action for e in uow.audit.entries()] == ["archive_key.created"]
    with pytest.raises(ArchiveError, match="уже создан"):
        archive_keys.init_key(uow, NEW, NEW, actor=DIRECTOR, now=MOMENT, params=FAST)


def test_a_wrong_code_is_journaled_and_committed_as_refused_and_changes_nothing():
    uow = _keyed()
    sealed = uow.archive_keys.all()[0].sealed_private
    commits = uow.commits
    with pytest.raises(WrongAccessCode, match="неверный код доступа"):
        archive_keys.change_code(uow, "чужой-код-99", NEW, NEW, actor=DIRECTOR, now=MOMENT, params=FAST)
    assert uow.archive_keys.all()[0].sealed_private == sealed and uow.commits == commits + 1
    assert uow.backups.journal()[-1].result == "отказ: неверный код доступа"
    with pytest.raises(WrongAccessCode):
        archive_keys.open_for(uow, uow.archive_keys.all()[0].fingerprint, "чужой-код-99", actor=DIRECTOR,
                              set_id="набор-1", purpose="проверка", now=MOMENT)
    assert uow.audit.entries()[-1].action == "archive_key.refused"


def test_a_rotation_keeps_the_old_generation_retired_once_and_resealed_each_time():
    uow = _keyed()
    later, latest = MOMENT + dt.timedelta(days=1), MOMENT + dt.timedelta(days=2)
    archive_keys.rotate_key(uow, CODE, NEW, NEW, actor=DIRECTOR, now=later, params=FAST)
    archive_keys.rotate_key(uow, NEW, CODE, CODE, actor=DIRECTOR, now=latest, params=FAST)
    first, second, third = sorted(uow.archive_keys.all(), key=lambda r: r.generation)
    assert (first.retired_at, first.resealed_at) == (later, latest)  # retired when first replaced
    assert (second.retired_at, second.resealed_at) == (latest, latest) and third.retired_at is None
    assert uow.archive_keys.current() is third
    for record in (first, second, third):
        archive_keys.open_for(uow, record.fingerprint, CODE, actor=DIRECTOR, set_id="s", purpose="p", now=latest)


def test_the_escrow_copy_needs_a_holder_and_its_own_code():
    uow = _keyed()
    with pytest.raises(ArchiveError, match="у кого хранится"):
        archive_keys.set_escrow(uow, CODE, NEW, NEW, " ", actor=DIRECTOR, now=MOMENT, params=FAST)
    with pytest.raises(ArchiveError, match="отличаться"):
        archive_keys.set_escrow(uow, CODE, CODE, CODE, "Учредитель", actor=DIRECTOR, now=MOMENT, params=FAST)
    with pytest.raises(PermissionDenied):
        archive_keys.drop_escrow(uow, actor=DEPUTY, now=MOMENT)
    archive_keys.set_escrow(uow, CODE, NEW, NEW, "Учредитель", actor=DIRECTOR, now=MOMENT, params=FAST)
    fingerprint = uow.archive_keys.all()[0].fingerprint
    opened = archive_keys.open_for(uow, fingerprint, NEW, actor=DIRECTOR, set_id="s", purpose="p", now=MOMENT)
    assert opened.by == "кодом копии ключа (Учредитель)"
    assert uow.backups.journal()[-1].result == "ключ открыт кодом копии ключа (Учредитель)"
