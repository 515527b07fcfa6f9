"""The director's archive key (storage.archive_key): sets sealed for a public key, opened only
with the director's code, the code changed or the key rotated without rewriting any set."""

import os

import pytest

from storage.archive_key import ArchiveKey, new_archive_key, seal_for, sealed_for, weak_code_reason
from storage.errors import StorageError
from storage.sealing import CHUNK, KEY_SEALING, KdfParams, WrongAccessCode, seal

FAST = KdfParams(log2_n=10, r=8, p=1)  # the format is the same; only the work factor is lower
CODE, OTHER = "лиса-ручей-47-окно", "гора-мост-19-лампа"


@pytest.fixture(scope="module")
def key() -> ArchiveKey:
    return new_archive_key(CODE, FAST)


@pytest.mark.parametrize("size", [0, 1, CHUNK - 1, CHUNK, 2 * CHUNK + 5])
def test_a_set_sealed_for_the_key_opens_with_the_code_byte_for_byte(key, size):
    data = os.urandom(size)
    blob = seal_for(data, key.public)
    assert data[:64] not in blob or size < 16
    assert key.open(CODE).unseal(blob) == data


def test_a_wrong_code_is_refused_by_the_key_itself(key):
    with pytest.raises(WrongAccessCode, match="неверный код доступа"):
        key.open("гора-мост-19-лампы")


def test_the_set_names_the_key_that_opens_it(key):
    assert sealed_for(seal_for(b"x", key.public)) == key.fingerprint
    assert sealed_for(seal(b"x", CODE, FAST)) is None  # a set sealed with a code, as before
    assert len(key.fingerprint) == 39 and key.fingerprint.count(" ") == 7


def test_the_parameters_are_recorded_beside_the_sealed_private_key(key):
    assert key.kdf == FAST
    assert new_archive_key(CODE).kdf == KEY_SEALING


def test_a_new_code_reseals_the_private_key_and_old_sets_still_open(key):
    blob = seal_for(b"old set", key.public)
    changed = key.resealed(CODE, OTHER, FAST)
    assert changed.public == key.public and changed.fingerprint == key.fingerprint
    assert changed.open(OTHER).unseal(blob) == b"old set"
    with pytest.raises(WrongAccessCode):
        changed.open(CODE)


def test_the_escrow_copy_opens_only_with_its_own_code(key):
    escrow = key.open(CODE).sealed(OTHER, FAST)
    blob = seal_for(b"set", key.public)
    assert escrow.open(OTHER).unseal(blob) == b"set"
    with pytest.raises(WrongAccessCode):
        escrow.open(CODE)


def test_a_rotated_key_keeps_old_generations_apart(key):
    new = new_archive_key(OTHER, FAST)
    old_set, new_set = seal_for(b"old", key.public), seal_for(b"new", new.public)
    assert key.open(CODE).unseal(old_set) == b"old" and new.open(OTHER).unseal(new_set) == b"new"
    with pytest.raises(WrongAccessCode, match=key.fingerprint):
        new.open(OTHER).unseal(old_set)


def test_damage_is_told_from_a_wrong_code(key):
    blob = bytearray(seal_for(os.urandom(CHUNK + 10), key.public))
    opened = key.open(CODE)
    blob[-3] ^= 1
    with pytest.raises(StorageError, match="повреждена"):
        opened.unseal(bytes(blob))
    with pytest.raises(StorageError, match="обрезаны"):
        opened.unseal(seal_for(os.urandom(CHUNK + 10), key.public)[:-(10 + 16 + 4)])
    wrapped = bytearray(seal_for(b"x", key.public))
    wrapped[80] ^= 1
    with pytest.raises(StorageError, match="ключ данных"):
        opened.unseal(bytes(wrapped))


def test_a_private_key_kept_beside_another_public_key_is_refused(key):
    other = new_archive_key(CODE, FAST)
    with pytest.raises(WrongAccessCode):
        ArchiveKey(other.public, key.sealed_private).open(CODE)  # the public key is bound in


@pytest.mark.parametrize("code", ["short", "1234567890", "qwertyuiop12", "пароль12345", "йцукенгшщз",
                                  "Петрова1980!", " лиса-ручей-47-окно"])
def test_weak_codes_are_refused_in_russian(code):
    reason = weak_code_reason(code, ("Петрова Анна Сергеевна",))
    assert reason and reason.startswith("код доступа")


def test_a_strong_code_is_accepted():
    assert weak_code_reason(CODE, ("Петрова Анна Сергеевна",)) is None
