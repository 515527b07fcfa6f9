"""Media faults: every kind of file of a set, on each medium, deleted, truncated or flipped.

Each fault must be detected by the audit and repaired from the other medium — whether the
set's hashes come from the completion markers alone (the library on its own) or from the
database (as the application audits) — and the repaired medium must again equal its pristine
copy byte for byte and restore on its own. The same fault on both media is an alarm, and
nothing is written. The module prints how many faults were detected and repaired.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from storage import DirectoryMedium, StorageError, audit_set, build_set, restore_set, set_hashes, write_set

KEEP = dt.date(2033, 1, 1)
SET = "2026-2027-Q2-20270110T090000-5c1d2e3f"
CODE = "код директора 2027"
PAYLOAD = {"snapshots/Q2/5А.json": "{\"class\": {\"name\": \"5А\"}}".encode(),
           "documents/5А_Q2_журнал_подписан.pdf": b"%PDF-1.7 " * 3000, "audit-log.jsonl": b"{}\n"}
FILES = ["data/payload.tar.sealed",  # the payload: the sealed archive of the inner bag
         "manifest-sha256.txt", "tagmanifest-sha256.txt",  # manifests
         "bagit.txt", "bag-info.txt",  # tag files
         "COMPLETE"]  # the completion marker
KINDS = FILES + [f"{name}.meta.json" for name in FILES]  # … and each object's sidecar
FAULTS = ["delete", "truncate", "flip"]
TALLY = {"run": 0, "detected": 0, "repaired": 0}


@pytest.fixture(scope="module")
def pristine(tmp_path_factory):
    """One set written to two directory media, built once (sealing is deliberately slow)."""
    root = tmp_path_factory.mktemp("pristine")
    media = [DirectoryMedium(root / "a", "Носитель A", "сейф"), DirectoryMedium(root / "b", "Носитель B", "шкаф")]
    files = build_set(PAYLOAD, {"Source-Organization": "МБОУ СОШ № 21"}, CODE)
    assert [s.verified for s in write_set(SET, files, media, retain_until=KEEP)] == [True, True]
    return root, set_hashes(files)


@pytest.fixture(scope="module", autouse=True)
def report(request):
    yield
    if TALLY["run"]:
        line = (f"Повреждения носителей: смоделировано {TALLY['run']}, обнаружено {TALLY['detected']}, "
                f"восстановлено {TALLY['repaired']} ({100 * TALLY['repaired'] // TALLY['run']} %)")
        plugins = request.config.pluginmanager
        with plugins.get_plugin("capturemanager").global_and_fixture_disabled():
            reporter = plugins.get_plugin("terminalreporter")
            reporter.ensure_newline()
            reporter.write_line(line)


@pytest.fixture
def media(pristine, tmp_path):
    root, _ = pristine
    shutil.copytree(root, tmp_path / "media")
    return [DirectoryMedium(tmp_path / "media" / "a", "Носитель A", "сейф"),
            DirectoryMedium(tmp_path / "media" / "b", "Носитель B", "шкаф")]


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def damage(medium: DirectoryMedium, kind: str, fault: str) -> None:
    path = medium.root / SET / kind
    data = path.read_bytes()
    if fault == "delete":
        path.unlink()
    elif fault == "truncate":
        path.write_bytes(data[: len(data) // 3])
    else:
        middle = len(data) // 2
        path.write_bytes(data[:middle] + bytes([data[middle] ^ 0x01]) + data[middle + 1:])


def which(kind: str) -> tuple[str, str]:
    """The object a kind of file belongs to, and whether its bytes or its record are hit."""
    return (kind.removesuffix(".meta.json"), "meta") if kind.endswith(".meta.json") else (kind, "data")


@pytest.mark.parametrize("reference", ["markers", "recorded"])
@pytest.mark.parametrize("fault", FAULTS)
@pytest.mark.parametrize("side", [0, 1], ids=["medium-A", "medium-B"])
@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_of_file_damaged_on_one_medium_is_detected_and_repaired_from_the_other(
        pristine, media, kind, side, fault, reference, tmp_path):
    root, recorded = pristine
    expected = recorded if reference == "recorded" else None
    damage(media[side], kind, fault)
    TALLY["run"] += 1
    findings = audit_set(SET, media, retain_until=KEEP, expected=expected)
    problems = [(f.name, f.aspect, f.medium, f.outcome) for f in findings if f.outcome != "ok"]
    name, aspect = which(kind)
    TALLY["detected"] += any(p[:3] == (name, aspect, media[side].label) for p in problems)
    assert problems == [(name, aspect, media[side].label, "repaired")], problems
    assert {f.outcome for f in audit_set(SET, media, retain_until=KEEP, expected=expected)} == {"ok"}
    assert tree(media[side].root) == tree(root / "ab"[side])  # byte for byte, sidecars included
    bag = restore_set(SET, [media[side]], CODE, tmp_path / "restored")  # the repaired medium alone
    assert {n: (bag / "data" / n).read_bytes() for n in PAYLOAD} == PAYLOAD
    TALLY["repaired"] += 1


@pytest.mark.parametrize("fault", FAULTS)
@pytest.mark.parametrize("kind", KINDS)
def test_the_same_file_damaged_on_both_media_is_an_alarm_and_nothing_is_overwritten(pristine, media, kind, fault):
    _, recorded = pristine
    for medium in media:
        damage(medium, kind, fault)
    before = [tree(m.root) for m in media]
    findings = audit_set(SET, media, retain_until=KEEP, expected=recorded)
    name, aspect = which(kind)
    alarms = [(f.name, f.aspect) for f in findings if f.outcome == "alarm"]
    assert (name, aspect) in alarms and not [f for f in findings if f.outcome == "repaired"]
    assert [tree(m.root) for m in media] == before


@pytest.mark.parametrize("fault", FAULTS)
def test_without_recorded_hashes_both_markers_damaged_is_an_alarm_and_nothing_is_written(media, fault):
    """Markers damaged alike on both media cannot be told from damaged files: either way an alarm."""
    for medium in media:
        damage(medium, "COMPLETE", fault)
    before = [tree(m.root) for m in media]
    try:
        outcomes = {f.outcome for f in audit_set(SET, media, retain_until=KEEP)}
    except StorageError as err:
        assert "не завершён" in str(err) or "расходятся" in str(err)
    else:
        assert "alarm" in outcomes and "repaired" not in outcomes
    assert [tree(m.root) for m in media] == before


def test_a_flipped_marker_on_one_medium_still_restores_from_either_medium(media, tmp_path):
    damage(media[0], "COMPLETE", "flip")
    for side, _medium in enumerate(media):
        bag = restore_set(SET, media if side else [media[1], media[0]], CODE, tmp_path / f"r{side}")
        assert (bag / "data" / "audit-log.jsonl").read_bytes() == b"{}\n"


def test_a_stray_object_inside_a_set_is_reported(media):
    media[1].write(f"{SET}/data/лишний.txt", b"x", retain_until=KEEP)
    findings = audit_set(SET, media, retain_until=KEEP)
    assert [(f.name, f.outcome, f.medium) for f in findings if f.outcome != "ok"] == [
        ("data/лишний.txt", "alarm", "Носитель B")]
