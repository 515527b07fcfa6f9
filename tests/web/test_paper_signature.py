"""The director's two signatures on the period board: the electronic one (the archive knows it from
the signed document) and the signature with the seal on the printed copies (a person records it,
and not before «Копии напечатаны»)."""

from __future__ import annotations

import pytest

from archive_service.adapters.orm import DocumentSignature
from archive_service.domain.ready_procedures import REF000
from archive_service.services import period_steps
from conftest import NOW
from test_deputy import PERIOD, post, rendered, two_classes  # noqa: F401  (fixtures of the same board)

PAPER = "«Директор подписал бумажные копии, печать»"


def flashes(client) -> str:
    return client.get(PERIOD).get_data(as_text=True)


def records(archive) -> list[tuple]:
    with archive.uow() as uow:
        return [(r.class_name, r.step, r.done, r.by) for r in uow.steps.of_period("2026/2027", "Q2")]


def audit(archive) -> list[tuple]:
    with archive.uow() as uow:
        return [(e.action, e.actor, e.object_id) for e in uow.audit.entries() if e.action.startswith("period.")]


def states(archive, class_name: str = "5А") -> dict[str, str]:
    board = period_steps.period_board(archive.uow(), "2026/2027", "Q2", NOW.date())
    row = next(r for r in board.classes if r.class_name == class_name)
    return {c.step.code: c.state for c in row.cells}


def sign_electronically(archive, document_id: str) -> None:
    with archive.uow() as uow:
        doc = uow.documents.by_document_id(document_id)
        uow.documents.add_signature(DocumentSignature(document_id=doc.id, sha256=doc.sha256, size=doc.size,
                                                      level="PAdES B-LTA", signer="Смирнов Виктор Васильевич",
                                                      certificate_serial="01", signed_at=NOW,
                                                      signed_by="Смирнов Виктор Васильевич"))
        uow.commit()


def test_the_paper_signature_follows_printing_and_the_electronic_one_is_a_step_of_its_own():
    codes = [s.code for s in REF000.steps]
    assert codes.index("copies_printed") < codes.index("director_signed")
    paper, electronic = REF000.step("director_signed"), REF000.step("director_e_signed")
    assert (paper.title, paper.manual, paper.after) == ("Директор подписал бумажные копии, печать", True,
                                                        "copies_printed")
    assert (electronic.title, electronic.manual) == ("Директор подписал электронной подписью", False)


def test_the_electronic_signature_does_not_tick_the_paper_signature(archive, login_as, rendered):  # noqa: F811
    sign_electronically(archive, rendered[0])
    assert (states(archive)["director_e_signed"], states(archive)["director_signed"]) == ("done", "late")
    page = flashes(login_as("deputy"))
    assert "Директор подписал электронной подписью" in page and "подписано электронной подписью" in page


def test_the_paper_signature_cannot_be_marked_before_the_copies_are_printed(archive, login_as,
                                                                             two_classes):  # noqa: F811
    deputy = login_as("deputy")
    post(deputy, f"{PERIOD}/steps", {"step": "copies_printed", "class": "5Б"})
    before = (records(archive), audit(archive))
    post(deputy, f"{PERIOD}/steps", {"step": "director_signed", "all": "1"})
    assert (f"Не отмечено: {PAPER} нельзя отметить раньше шага «Копии напечатаны»: он ещё не выполнен (класс 5А)."
            in flashes(deputy))
    assert (records(archive), audit(archive)) == before  # nothing written, not even for 5Б
    director = login_as("director")
    post(director, f"{PERIOD}/paper-signature", {"class": "5А"})
    assert "нельзя отметить раньше шага «Копии напечатаны»" in flashes(director)
    assert (records(archive), audit(archive)) == before


def test_the_director_or_the_deputy_records_the_paper_signature_with_their_name(archive, login_as,
                                                                                two_classes):  # noqa: F811
    deputy = login_as("deputy")
    post(deputy, f"{PERIOD}/steps", {"step": "copies_printed", "all": "1"})
    director = login_as("director")
    page = flashes(director)
    assert page.count("Подписано, печать") == 2 and "Всем классам" not in page  # only this step, class by class
    post(director, f"{PERIOD}/paper-signature", {"class": "5А"})
    assert f"Отмечено: {PAPER} — 5А." in flashes(director)
    post(deputy, f"{PERIOD}/steps", {"step": "director_signed", "class": "5Б"})
    assert states(archive, "5А")["director_signed"] == states(archive, "5Б")["director_signed"] == "done"
    assert records(archive)[-2:] == [("5А", "director_signed", True, "Смирнов Виктор Васильевич"),
                                     ("5Б", "director_signed", True, "Иванова Татьяна Петровна")]
    assert audit(archive)[-2:] == [
        ("period.step_recorded", "Смирнов Виктор Васильевич", "2026/2027:Q2:5А:director_signed"),
        ("period.step_recorded", "Иванова Татьяна Петровна", "2026/2027:Q2:5Б:director_signed")]
    assert "Смирнов В. В." in flashes(director)
    post(director, f"{PERIOD}/paper-signature", {"class": "5А", "action": "undo"})
    assert states(archive, "5А")["director_signed"] == "late" and audit(archive)[-1][0] == "period.step_undone"


def test_the_electronic_signature_is_never_recorded_by_hand(archive, login_as, two_classes):  # noqa: F811
    deputy = login_as("deputy")
    post(deputy, f"{PERIOD}/steps", {"step": "director_e_signed", "class": "5А"})
    assert ("Не отмечено: «Директор подписал электронной подписью» отмечается архивом сам, по подписанному документу."
            in flashes(deputy))
    assert records(archive) == []
    page = flashes(deputy)
    assert 'value="director_e_signed"' not in page  # neither in the form below nor as a column button


@pytest.mark.parametrize("role", ["secretary", "inspector", "admin"])
def test_other_roles_may_not_record_the_paper_signature(archive, login_as, two_classes, role):  # noqa: F811
    assert post(login_as(role), f"{PERIOD}/paper-signature", {"class": "5А"}).status_code == 403
    assert records(archive) == []
