"""Closing a period on a real database (SQLite and PostgreSQL): render, store, record, reuse."""

from __future__ import annotations

import json

import pytest

from archive_service.domain.actor import Actor
from archive_service.errors import NotFoundError
from archive_service.services import audit, documents
from archive_service.services.ingest import ingest_snapshot
from builders import as_bytes, snapshot, subject
from conftest import NOW
from store_support import lose


@pytest.fixture
def stored(archive):
    result = ingest_snapshot(archive.uow(), as_bytes(snapshot()), actor=Actor("test", "deputy"), now=NOW)
    return result.snapshot_id


def close(archive, snapshot_id):
    return documents.render_document(archive.uow(), archive.store, archive.renderer, snapshot_id,
                                     "class_journal", archive.render_options, actor=Actor("deputy", "deputy"), now=NOW)


def test_a_closed_period_has_a_recorded_document_in_the_store(archive, stored):
    (job,) = documents.plan_period_close(archive.uow(), "2026/2027", ["Q2"])
    assert (job.class_name, job.kind) == ("5А", "class_journal")
    result = close(archive, job.snapshot_id)
    assert result.status == "rendered" and result.sheets * 2 == result.pages
    assert archive.store.read(result.sha256).startswith(b"%PDF-")
    (row,) = documents.list_documents(archive.uow(), "2026/2027", ["Q2"])
    assert row["document_id"] == result.document_id and row["template_version"] == "journal-copy/1.2"
    assert audit.verify_audit_log(archive.uow()) == (2, [])


def test_a_rerun_with_the_same_snapshot_reuses_the_document(archive, stored):
    first = close(archive, stored)
    again = close(archive, stored)
    assert again.status == "reused" and again.sha256 == first.sha256
    assert len(documents.list_documents(archive.uow())) == 1


def test_a_new_snapshot_version_makes_a_new_document(archive, stored):
    first = close(archive, stored)
    changed = snapshot()
    subject(changed, "math")["lessons"][0]["topic"] = "Уточнённая тема"
    version = ingest_snapshot(archive.uow(), as_bytes(changed), actor=Actor("test", "deputy"), reason="Тема", now=NOW)
    (job,) = documents.plan_period_close(archive.uow(), "2026/2027", ["Q2"])
    assert job.snapshot_id == version.snapshot_id
    second = close(archive, job.snapshot_id)
    assert second.document_id != first.document_id and second.status == "rendered"


def test_a_lost_file_is_rendered_again_to_the_same_bytes(archive, stored):
    first = close(archive, stored)
    lose(archive.store, first.sha256)
    again = close(archive, stored)
    assert again.status == "rendered" and archive.store.verify(first.sha256)
    assert len(documents.list_documents(archive.uow())) == 1


def test_a_file_left_by_a_crash_before_its_record_is_adopted(archive, stored, monkeypatch):
    def crash(*args, **kwargs):
        raise RuntimeError("worker killed")

    monkeypatch.setattr(type(archive.uow().__enter__().documents), "add", crash)
    with pytest.raises(RuntimeError):
        close(archive, stored)
    monkeypatch.undo()
    assert documents.list_documents(archive.uow()) == []
    result = close(archive, stored)
    assert result.status == "rendered" and archive.store.verify(result.sha256)


def test_closing_a_period_without_snapshots_says_so(archive):
    with pytest.raises(NotFoundError, match="нет сохранённых снимков"):
        documents.plan_period_close(archive.uow(), "2026/2027", ["Q3"])


def test_the_cli_closes_exports_and_previews(runner, stored, tmp_path):
    result = runner.invoke(args=["--as", "deputy", "period", "close", "--year", "2026/2027", "--period", "Q2"])
    assert result.exit_code == 0, result.output
    assert "5А   Q2   изготовлен" in result.output and "изготовлено 1" in result.output
    again = runner.invoke(args=["--as", "deputy",
                                "period", "close", "--year", "2026/2027", "--period", "Q2", "--quiet"])
    assert "уже было 1" in again.output
    exported = runner.invoke(args=["--as", "deputy",
                                   "documents", "export", "--year", "2026/2027", "--to", str(tmp_path / "out")])
    assert exported.exit_code == 0 and (tmp_path / "out" / "5А_2_четверть_журнал.pdf").read_bytes()[:5] == b"%PDF-"
    (doc,) = json.loads(runner.invoke(args=["documents", "list", "--json"]).output)
    preview = runner.invoke(args=["documents", "preview", doc["document_id"], "--page", "3",
                                  "--out", str(tmp_path / "p3.png")])
    assert preview.exit_code == 0 and (tmp_path / "p3.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def _class(name: str, topic: str = "") -> dict:
    data = snapshot()
    data["class"] = {**data["class"], "id": f"c-{name}", "name": name}
    if topic:
        subject(data, "math")["lessons"][0]["topic"] = topic
    return data


def test_copies_say_at_once_they_are_starting_then_each_class_and_which_were_made_or_remade(archive,
                                                                                             monkeypatch):
    from archive_service.adapters.job_runners import InProcessRunner
    from archive_service.services import period_close

    actor = Actor("Иванова Татьяна Петровна", "deputy")
    stored = {name: ingest_snapshot(archive.uow(), as_bytes(_class(name)), actor=actor, now=NOW).snapshot_id
              for name in ("5А", "5Б", "5В")}
    close(archive, stored["5В"])  # 5В had its copy; then its journal was corrected
    ingest_snapshot(archive.uow(), as_bytes(_class("5В", "Уточнённая тема")), actor=actor, reason="Тема", now=NOW)
    heard: list[tuple] = []
    real = documents.render_document

    def rendering(uow, store, renderer, snapshot_id, *args, **kwargs):
        heard.append(("render", snapshot_id))
        return real(uow, store, renderer, snapshot_id, *args, **kwargs)

    monkeypatch.setattr(documents, "render_document", rendering)
    result = period_close.make_copies(archive.uow(), InProcessRunner(archive), "2026/2027", "Q2", actor=actor,
                                      clock=archive.clock, report=lambda **told: heard.append(("told", told)))
    first_render = heard.index(next(h for h in heard if h[0] == "render"))
    before = [h[1] for h in heard[:first_render]]
    assert before[0] == {"message": "Готовим: проверяем снимки журнала"}
    assert {"done": 0, "total": 3, "message": "Готовим: загрузка шрифтов и снимков, запуск обработчиков "
                                              "(классов: 3)"} in before
    assert before[-1]["message"].startswith("Вёрстка копий: классов 3")
    per_class = [h[1] for h in heard[first_render:] if h[0] == "told"]
    assert [t["done"] for t in per_class] == [1, 2, 3]  # each class told as its document is done
    assert [t["message"].split(",")[0] for t in per_class] == [
        "5А: копия сделана", "5Б: копия сделана", "5В: копия переделана (журнал изменился)"]
    assert (result["made"], result["remade"], result["ready"]) == (["5А", "5Б"], ["5В"], [])
    assert result["summary"] == "Сделаны копии: 5А, 5Б; переделаны (журнал изменился): 5В."
    again = period_close.make_copies(archive.uow(), InProcessRunner(archive), "2026/2027", "Q2", actor=actor,
                                     clock=archive.clock)
    assert (again["ready"], again["summary"]) == (["5А", "5Б", "5В"], "Уже были готовы: 5А, 5Б, 5В.")
