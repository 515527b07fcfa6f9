"""A backup set never lets one snapshot or document stand in for another (SQLite and
PostgreSQL; issue 11, point 1): «10Я/../10А» once normalised onto «10А.json»."""

from __future__ import annotations

import json

from sqlalchemy import update

from archive_service.adapters.orm import SnapshotRecord
from archive_service.domain.actor import Actor
from archive_service.services import backup, documents
from archive_service.services.ingest import ingest_snapshot
from builders import as_bytes, snapshot
from conftest import NOW
from keys_support import KEY_CODE, with_archive_key

DEPUTY = Actor("Иванова Т. П.", "deputy")


def store_class(archive, class_id: str, name: str, render: bool = False) -> None:
    data = snapshot()
    data["class"] = {**data["class"], "id": class_id, "name": name, "grade": 10}
    stored = ingest_snapshot(archive.uow(), as_bytes(data), actor=Actor("test", "deputy"), now=NOW)
    if render:
        documents.render_document(archive.uow(), archive.store, archive.renderer, stored.snapshot_id,
                                  "class_journal", archive.render_options, actor=Actor("deputy", "deputy"), now=NOW)


def restored_set(archive, tmp_path):
    with_archive_key(archive)
    made = backup.create_backup(archive.uow(), archive.store, archive.media(), "2026/2027", ["Q2"],
                                actor=DEPUTY, now=NOW)
    return backup.restore_backup(archive.uow(), archive.media(), made.set_id, KEY_CODE, tmp_path / "bag",
                                 actor=DEPUTY, purpose="проверка", now=NOW,
                                 own_state=archive.own_state()) / "data"


def test_a_class_name_with_a_path_in_it_stored_earlier_cannot_replace_the_real_class(archive, tmp_path):
    store_class(archive, "c-10a", "10А")
    store_class(archive, "c-rogue", "10Я")
    with archive.uow() as uow:  # a name accepted before `/` was refused
        uow.session.execute(update(SnapshotRecord).where(SnapshotRecord.class_id == "c-rogue")
                            .values(class_name="10Я/../10А"))
        uow.commit()
    data = restored_set(archive, tmp_path)
    members = {p.relative_to(data).as_posix() for p in (data / "snapshots").rglob("*.json")}
    assert members == {"snapshots/Q2/10Я_10А.json", "snapshots/Q2/10А.json"}
    assert json.loads((data / "snapshots/Q2/10А.json").read_bytes())["class"]["id"] == "c-10a"


def test_every_document_of_the_period_is_in_the_set_even_when_two_would_share_a_name(archive, tmp_path):
    store_class(archive, "c-10a", "10 А", render=True)
    store_class(archive, "c-10a-dot", "10.А", render=True)
    data = restored_set(archive, tmp_path)
    listed = json.loads((data / "documents.json").read_bytes())
    assert len(listed) == 2 and len(list((data / "documents").iterdir())) == 2
