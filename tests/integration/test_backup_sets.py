"""Backup sets on two directory media: write and verify, audit and repair, restore, retention."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest

from storage import (
    DirectoryMedium,
    RetentionRefused,
    SetDeletionIncomplete,
    StorageError,
    WrongAccessCode,
    audit_set,
    build_set,
    delete_set,
    restore_set,
    write_set,
)
from storage.sealing import seal, unseal

KEEP = dt.date(2033, 1, 1)
PAYLOAD = {"snapshots/5А.json": "{\"класс\": \"5А\"}".encode(), "documents/5А_Q2_журнал.pdf": b"%PDF-1.7 " * 5000,
           "register.csv": "№;Документ\n1;Журнал 5А\n".encode()}
INFO = {"Source-Organization": "МБОУ СОШ № 21", "External-Description": "Резервная копия II четверти 2026/2027"}


@pytest.fixture
def media(tmp_path):
    return [DirectoryMedium(tmp_path / "a", "Носитель A", "кабинет 12, сейф"),
            DirectoryMedium(tmp_path / "b", "Носитель B", "кабинет 3, шкаф")]


@pytest.fixture
def written(media):
    files = build_set(PAYLOAD, INFO, "код-директора-1")
    statuses = write_set("2026-2027-Q2", files, media, retain_until=KEEP)
    assert [s.verified for s in statuses] == [True, True]
    return files


def test_a_set_is_written_and_verified_on_both_media_and_restores_byte_identically(media, written, tmp_path):
    for medium in media:
        assert medium.exists("2026-2027-Q2/COMPLETE") and medium.exists("2026-2027-Q2/manifest-sha256.txt")
    bag = restore_set("2026-2027-Q2", media, "код-директора-1", tmp_path / "restored")
    for name, data in PAYLOAD.items():
        assert (bag / "data" / name).read_bytes() == data
    assert "Source-Organization: МБОУ СОШ № 21" in (bag / "bag-info.txt").read_text(encoding="utf-8")


def test_the_payload_is_sealed_and_a_wrong_code_is_a_clear_error(media, written, tmp_path):
    stored = b"".join(media[0].read(n) for n in media[0].list("2026-2027-Q2/"))
    # whole names and contents: three or four random ciphertext bytes can spell «5А» or «%PDF»
    assert "documents/5А_Q2_журнал.pdf".encode() not in stored and "Журнал 5А".encode() not in stored
    assert b"%PDF-1.7 %PDF" not in stored
    with pytest.raises(WrongAccessCode, match="неверный код"):
        restore_set("2026-2027-Q2", media, "не тот код", tmp_path / "x")


def test_fixity_is_checked_without_the_code(media, written):
    findings = audit_set("2026-2027-Q2", media, retain_until=KEEP)
    assert findings and {f.outcome for f in findings} == {"ok"}


def damage(medium, name: str, how: str) -> None:
    path = medium.root / "2026-2027-Q2" / name
    data = path.read_bytes()
    if how == "delete":
        path.unlink()
    elif how == "flip":
        path.write_bytes(data[:len(data) // 2] + bytes([data[len(data) // 2] ^ 1]) + data[len(data) // 2 + 1:])
    else:
        path.write_bytes(data[: len(data) // 3])


@pytest.mark.parametrize("side", [0, 1])
@pytest.mark.parametrize("how", ["delete", "flip", "truncate"])
@pytest.mark.parametrize("name", ["data/payload.tar.sealed", "manifest-sha256.txt"])
def test_a_damaged_copy_is_detected_and_repaired_from_the_other_medium(media, written, side, how, name, tmp_path):
    damage(media[side], name, how)
    findings = audit_set("2026-2027-Q2", media, retain_until=KEEP)
    (repaired,) = [f for f in findings if f.outcome != "ok"]
    assert (repaired.name, repaired.outcome) == (name, "repaired") and media[side].label in repaired.detail
    assert {f.outcome for f in audit_set("2026-2027-Q2", media, retain_until=KEEP)} == {"ok"}
    restore_set("2026-2027-Q2", media, "код-директора-1", tmp_path / "restored")


def test_both_copies_damaged_is_an_alarm_and_nothing_is_repaired_from_bad_data(media, written):
    damage(media[0], "data/payload.tar.sealed", "flip")
    damage(media[1], "data/payload.tar.sealed", "truncate")
    before = [m.sha256("2026-2027-Q2/data/payload.tar.sealed") for m in media]
    findings = audit_set("2026-2027-Q2", media, retain_until=KEEP)
    assert [f.outcome for f in findings if f.name == "data/payload.tar.sealed"] == ["alarm"]
    assert [m.sha256("2026-2027-Q2/data/payload.tar.sealed") for m in media] == before


def test_a_writer_killed_half_way_leaves_the_set_incomplete_and_a_rerun_finishes_it(media, tmp_path):
    files = build_set(PAYLOAD, INFO, "код")

    class Dying(DirectoryMedium):
        writes = 0

        def write(self, name, data, *, retain_until):
            Dying.writes += 1
            if Dying.writes == 3:
                raise OSError("питание пропало")
            super().write(name, data, retain_until=retain_until)

    dying = Dying(media[0].root, media[0].label, media[0].location)
    with pytest.raises(OSError):
        write_set("s1", files, [dying, media[1]], retain_until=KEEP)
    assert not media[0].exists("s1/COMPLETE") and not media[1].exists("s1/COMPLETE")
    with pytest.raises(StorageError, match="не завершён"):
        audit_set("s1", media, retain_until=KEEP)
    assert [s.verified for s in write_set("s1", files, media, retain_until=KEEP)] == [True, True]
    assert {f.outcome for f in audit_set("s1", media, retain_until=KEEP)} == {"ok"}


def test_a_delete_before_the_retain_until_date_is_refused_by_the_code(media, written):
    name = "2026-2027-Q2/data/payload.tar.sealed"
    with pytest.raises(RetentionRefused, match="хранится до 01.01.2033"):
        media[0].delete(name, today=dt.date(2032, 12, 31))
    assert media[0].exists(name)
    media[0].delete(name, today=KEEP)
    assert not media[0].exists(name)


def test_a_truncated_or_altered_seal_never_opens(tmp_path):
    sealed = seal(b"x" * (9 * 1024 * 1024), "код")
    assert unseal(sealed, "код") == b"x" * (9 * 1024 * 1024)
    with pytest.raises(StorageError, match="повреждена"):
        unseal(sealed[: len(sealed) - (len(sealed) // 3)], "код")  # cut inside a chunk
    first_chunk_end = 28 + 8 + 4 + 4 * 1024 * 1024 + 16
    with pytest.raises(StorageError, match="обрезаны"):
        unseal(sealed[:first_chunk_end], "код")  # cut exactly after a chunk
    with pytest.raises(WrongAccessCode):
        unseal(sealed, "другой код")
    altered = bytearray(sealed)
    altered[-100] ^= 1
    with pytest.raises(StorageError, match="повреждена"):
        unseal(bytes(altered), "код")
    assert hashlib.sha256(sealed).hexdigest() != hashlib.sha256(seal(b"x" * 10, "код")).hexdigest()


def test_building_and_restoring_a_set_never_changes_the_working_directory(media, tmp_path, monkeypatch):
    """The process-wide working directory is shared by a web worker's threads: a backup must not move it."""
    import os

    def forbidden(path):
        raise AssertionError(f"os.chdir({path!r}) during a backup")

    monkeypatch.setattr(os, "chdir", forbidden)
    files = build_set(PAYLOAD, INFO, "код")
    write_set("s-cwd", files, media, retain_until=KEEP)
    bag = restore_set("s-cwd", media, "код", tmp_path / "r")
    assert {n: (bag / "data" / n).read_bytes() for n in PAYLOAD} == PAYLOAD


def test_a_set_is_deleted_from_no_medium_while_one_object_lacks_its_retention_record(media, written):
    (media[0].root / "2026-2027-Q2/data/payload.tar.sealed.meta.json").unlink()
    before = [m.list() for m in media]
    with pytest.raises(RetentionRefused, match="не удалён ни с одного носителя.*не имеет сведений о сроке"):
        delete_set("2026-2027-Q2", media, today=KEEP)
    assert [m.list() for m in media] == before


def test_a_deletion_that_stops_part_way_says_what_went_and_what_is_left(media, written):
    class Stuck(DirectoryMedium):
        def delete(self, name, *, today):
            if name.endswith("manifest-sha256.txt"):
                raise StorageError("носитель «Носитель B» доступен только для чтения")
            super().delete(name, today=today)

    stuck = Stuck(media[1].root, media[1].label, media[1].location)
    with pytest.raises(SetDeletionIncomplete, match="прервано на носителе «Носитель B»") as caught:
        delete_set("2026-2027-Q2", [media[0], stuck], today=KEEP)
    assert len(caught.value.deleted["Носитель A"]) == 6 and caught.value.left["Носитель A"] == []
    assert "2026-2027-Q2/manifest-sha256.txt" in caught.value.left["Носитель B"]
    assert delete_set("2026-2027-Q2", media, today=KEEP)["Носитель B"]  # a re-run deletes the rest
    assert media[0].list() == media[1].list() == []


def test_a_sidecar_with_an_earlier_retain_until_date_is_reported_and_rewritten(media, written):
    sidecar = media[1].root / "2026-2027-Q2/bagit.txt.meta.json"
    sidecar.write_text(sidecar.read_text().replace("2033-01-01", "2027-01-01"))
    (finding,) = [f for f in audit_set("2026-2027-Q2", media, retain_until=KEEP) if f.outcome != "ok"]
    assert (finding.name, finding.aspect, finding.outcome) == ("bagit.txt", "meta", "repaired")
    assert "01.01.2027 вместо 01.01.2033" in finding.detail
    assert media[1].retain_until("2026-2027-Q2/bagit.txt") == KEEP


def test_a_set_sealed_for_the_archive_key_needs_no_code_to_write_and_opens_only_with_the_key(media, tmp_path):
    from storage.archive_key import PublicSeal, new_archive_key
    from storage.sealing import KdfParams

    key = new_archive_key("лиса-ручей-47-окно", KdfParams(log2_n=10))
    files = build_set(PAYLOAD, INFO, PublicSeal(key.public))  # the writer holds only the public key
    assert [s.verified for s in write_set("2026-2027-Q3", files, media, retain_until=KEEP)] == [True, True]
    stored = b"".join(media[0].read(n) for n in media[0].list("2026-2027-Q3/"))
    # no member's name or content in the clear (whole names: three random bytes of ciphertext can be «5А»)
    assert "documents/5А_Q2_журнал.pdf".encode() not in stored and "Журнал 5А".encode() not in stored
    assert b"%PDF-1.7 %PDF" not in stored
    assert f"archive key {key.fingerprint}" in files["bag-info.txt"].decode()
    bag = restore_set("2026-2027-Q3", media, key.open("лиса-ручей-47-окно"), tmp_path / "restored")
    assert {name: (bag / "data" / name).read_bytes() for name in PAYLOAD} == PAYLOAD
    with pytest.raises(WrongAccessCode):  # a code is not the key: an old-style opener does not open it
        restore_set("2026-2027-Q3", media, "лиса-ручей-47-окно", tmp_path / "other")
