"""The optical-disc medium: an ISO 9660 image built with xorriso and read back with pycdlib."""

from __future__ import annotations

import datetime as dt
import subprocess

import pytest

from storage import DirectoryMedium, RetentionRefused, audit_set, build_set, restore_set, write_set
from storage.iso import IsoImageMedium

KEEP = dt.date(2033, 1, 1)


def test_a_set_on_the_iso_image_verifies_audits_and_restores(tmp_path):
    disc = IsoImageMedium(tmp_path / "disc.iso", tmp_path / "staging", "Диск (DVD-R)", "кабинет директора, сейф")
    disk = DirectoryMedium(tmp_path / "b", "Носитель B", "архив")
    files = build_set({"журнал 5А.pdf": b"%PDF" * 5000, "snapshots/5А.json": b"{}"}, {}, "код")
    assert [s.verified for s in write_set("2026-2027-Q2", files, [disc, disk], retain_until=KEEP)] == [True, True]
    listing = subprocess.run(["xorriso", "-indev", str(tmp_path / "disc.iso"), "-find", "/", "-type", "f"],
                             capture_output=True, text=True, check=True).stdout
    assert "payload.tar.sealed" in listing and "COMPLETE" in listing
    assert "2026-2027-Q2/data/payload.tar.sealed" in disc.list()
    (disk.root / "2026-2027-Q2/data/payload.tar.sealed").unlink()
    findings = audit_set("2026-2027-Q2", [disc, disk], retain_until=KEEP)
    assert [f.outcome for f in findings if f.outcome != "ok"] == ["repaired"]  # repaired from the disc
    bag = restore_set("2026-2027-Q2", [disc], "код", tmp_path / "restored")
    assert (bag / "data/журнал 5А.pdf").read_bytes() == b"%PDF" * 5000


def test_a_file_on_the_disc_is_not_removed_before_its_retention_ends(tmp_path):
    disc = IsoImageMedium(tmp_path / "disc.iso", tmp_path / "staging", "Диск", "сейф")
    disc.write("s/obj", b"data", retain_until=KEEP)
    with pytest.raises(RetentionRefused):
        disc.delete("s/obj", today=dt.date(2032, 12, 31))
    assert disc.read("s/obj") == b"data"
    disc.delete("s/obj", today=KEEP)
    assert not disc.exists("s/obj")
