"""`documents export` never lets one file replace another (SQLite and PostgreSQL; issue 11, point 1)."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from archive_service.adapters.orm import DocumentRecord, SnapshotRecord
from archive_service.domain.actor import Actor
from archive_service.errors import ArchiveError
from archive_service.services import documents
from archive_service.services.ingest import ingest_snapshot
from builders import as_bytes, snapshot
from conftest import NOW


def render(archive, class_id: str, name: str) -> str:
    data = snapshot()
    data["class"] = {**data["class"], "id": class_id, "name": name, "grade": 10}
    stored = ingest_snapshot(archive.uow(), as_bytes(data), actor=Actor("test", "deputy"), now=NOW)
    return documents.render_document(archive.uow(), archive.store, archive.renderer, stored.snapshot_id,
                                     "class_journal", archive.render_options, actor=Actor("deputy", "deputy"),
                                     now=NOW).document_id


def export(archive, target):
    return documents.export_documents(archive.uow(), archive.store, target, "2026/2027",
                                      actor=Actor("secretary", "secretary"), now=NOW)


def test_two_classes_whose_names_make_one_file_name_get_two_files_and_a_note(archive, tmp_path):
    first, second = render(archive, "c-10a", "10 А"), render(archive, "c-10a-dot", "10.А")
    exported = export(archive, tmp_path / "out")
    assert sorted(p.name for p in exported.paths) == sorted(
        [f"10_А_2_четверть_журнал_{first}.pdf", f"10_А_2_четверть_журнал_{second}.pdf"])
    assert len({p.read_bytes() for p in exported.paths}) == 2
    (note,) = exported.notes
    assert "10 А (II четверть)" in note and "10.А (II четверть)" in note and "Q2" not in note
    assert "одно имя «10_А_2_четверть_журнал.pdf»" in note


def test_classes_of_one_name_stored_by_an_older_version_are_all_exported(archive, tmp_path):
    render(archive, "c-10a", "10А")
    render(archive, "c-10b", "10Б")
    with archive.uow() as uow:  # what an archive could hold before one name meant one class
        snapshot_ids = select(SnapshotRecord.id).where(SnapshotRecord.class_id == "c-10b").scalar_subquery()
        uow.session.execute(update(DocumentRecord).where(DocumentRecord.snapshot_id == snapshot_ids)
                            .values(class_name="10А"))
        uow.session.execute(update(SnapshotRecord).where(SnapshotRecord.class_id == "c-10b").values(class_name="10А"))
        uow.commit()
    exported = export(archive, tmp_path / "out")
    assert len(exported.paths) == 2 and len({p.read_bytes() for p in exported.paths}) == 2
    assert "10А (II четверть), 10А (II четверть)" in exported.notes[0]


def test_an_export_into_a_folder_with_another_file_of_the_same_name_writes_nothing(archive, tmp_path):
    render(archive, "c-10a", "10А")
    render(archive, "c-10b", "10Б")
    out = tmp_path / "out"
    out.mkdir()
    (out / "10А_2_четверть_журнал.pdf").write_bytes(b"%PDF- another file")
    with pytest.raises(ArchiveError, match="10А_2_четверть_журнал.pdf"):
        export(archive, out)
    assert sorted(p.name for p in out.iterdir()) == ["10А_2_четверть_журнал.pdf"]
    assert (out / "10А_2_четверть_журнал.pdf").read_bytes() == b"%PDF- another file"


def test_exporting_again_into_the_same_folder_keeps_the_same_files(archive, tmp_path):
    render(archive, "c-10a", "10А")
    first = export(archive, tmp_path / "out")
    again = export(archive, tmp_path / "out")
    assert first.paths == again.paths and again.notes == []
