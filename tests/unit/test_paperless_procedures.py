"""A procedure as a paperless school follows it: the paper steps left out, nothing waits on them, and
the electronic original's signature and register entry are steps of it (`domain.paperless`)."""

from __future__ import annotations

import pytest

from archive_service.domain.paperless import E_REGISTERED, E_SIGNED, MARK, without_paper
from archive_service.domain.procedures import Deadline, Procedure, Step, as_dict, from_dict
from archive_service.domain.ready_procedures import READY


@pytest.mark.parametrize("key", sorted(READY))
def test_no_paper_step_is_left_and_nothing_refers_to_one(key):
    procedure = without_paper(READY[key])
    codes = [s.code for s in procedure.steps]
    assert not any(s.paper for s in procedure.steps) and procedure.title == READY[key].title + MARK
    for step in procedure.steps:
        assert not step.after or codes.index(step.after) < codes.index(step.code)
        assert step.deadline is None or step.deadline.event != "step" or step.deadline.step in codes
    facts = [s.fact for s in procedure.steps]
    assert facts.count("e_signature") == 1 and facts.count("register") == 1
    kept = [s.code for s in READY[key].steps if not s.paper]
    assert codes[:len(kept)] == kept  # the steps that stay keep their order and names (their records stay)


def test_every_ready_procedure_marks_its_printing_and_paper_signature_as_paper():
    for procedure in READY.values():
        paper = {s.code for s in procedure.steps if s.paper}
        assert paper and "director_signed" in paper, procedure.key
        assert not any(s.fact in ("e_signature", "backup_verified", "backup_accepted", "monthly_backup")
                       for s in procedure.steps if s.paper), procedure.key


def test_a_step_after_a_paper_step_follows_what_that_one_followed_and_takes_its_deadline():
    procedure = Procedure("x", "Порядок", "", (
        Step("checked", "Проверено", "deputy", Deadline("period_end", 3, "working")),
        Step("printed", "Напечатано", "deputy", Deadline("step", 2, "working", "checked"), after="checked",
             paper=True),
        Step("stitched", "Прошито", "deputy", Deadline("step", 1, "working", "printed"), after="printed",
             paper=True),
        Step("sent", "Отправлено", "director", Deadline("step", 1, "calendar", "stitched"), after="stitched"),
    ))
    plain = without_paper(procedure)
    sent = plain.step("sent")
    assert sent.after == "checked" and sent.deadline == Deadline("step", 2, "working", "checked")
    assert [s.code for s in plain.steps] == ["checked", "sent", E_SIGNED, E_REGISTERED]
    assert plain.step(E_REGISTERED).deadline == Deadline("step", 0, "calendar", E_SIGNED)
    assert without_paper(plain) == plain  # applying it twice changes nothing


def test_the_paper_mark_survives_a_schools_copy_and_an_old_copy_without_it_reads_as_not_paper():
    copy = from_dict(as_dict(READY["ref000"]))
    assert [s.paper for s in copy.steps] == [s.paper for s in READY["ref000"].steps]
    old = as_dict(READY["ref000"])
    for step in old["steps"]:
        del step["paper"]
    assert not any(s.paper for s in from_dict(old).steps)
