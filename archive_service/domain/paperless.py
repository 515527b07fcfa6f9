"""A procedure as a paperless school follows it (reference 001 § V: the school gives up the paper
duplicate, the electronic copy the director signed is the archival original).

The steps marked `Step.paper` (printing, stitching, certifying the paper copy, handing it to the
register) are left out. What waited on them no longer does: a step to be done after a paper step
is done after the step that one followed, and a deadline counted from a paper step's deadline is
that step's own deadline (the time the paper took is not waited for). The electronic original
needs two steps every regulation's procedure may not have: the director's electronic signature
and its register entry — both marked by the archive itself from what it knows; where the
procedure lacks one it is added, with the deadline of the paper step it replaces.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Mapping

from archive_service.domain.procedures import Deadline, Procedure, Step, check

E_SIGNED = "director_e_signed"
E_REGISTERED = "e_registered"
MARK = " (электронный оригинал)"
"""Added to the procedure's title: the board says which way the school works."""
SOURCE = "Положение о ведении журналов в электронной форме (Тальменская школа-интернат), раздел V"


def without_paper(procedure: Procedure) -> Procedure:
    """The procedure with its paper steps left out and the electronic original's steps present."""
    dropped = {s.code: s for s in procedure.steps if s.paper}
    kept = [_relinked(s, dropped) for s in procedure.steps if not s.paper]
    facts = {s.fact for s in kept}
    if "e_signature" not in facts:
        kept.append(Step(E_SIGNED, "Директор подписал электронной подписью", "director",
                         _replaced_deadline(dropped, "director_signed", ""),
                         "Электронная копия — архивный оригинал — подписана квалифицированной электронной подписью "
                         "директора (архив отмечает по подписанному документу)", fact="e_signature", manual=False,
                         source=SOURCE))
    if "register" not in facts:
        signed = next(s.code for s in kept if s.fact == "e_signature")
        kept.append(Step(E_REGISTERED, "Электронный оригинал внесён в реестр", "secretary",
                         _replaced_deadline(dropped, "registered", signed),
                         "Секретарь внёс подписанный директором электронный документ в реестр (место хранения — "
                         "хранилище архива и резервные копии; архив отмечает по записи в реестре)", "секретарь",
                         fact="register", manual=False, after=signed, source=SOURCE))
    title = procedure.title if procedure.title.endswith(MARK) else procedure.title + MARK
    return check(replace(procedure, title=title, steps=tuple(kept)))


def _relinked(step: Step, dropped: Mapping[str, Step]) -> Step:
    after = step.after
    while after in dropped:
        after = dropped[after].after
    return replace(step, after=after, deadline=_resolved(step.deadline, dropped))


def _resolved(deadline: Deadline | None, dropped: Mapping[str, Step]) -> Deadline | None:
    """A deadline that no longer counts from a left-out step (it takes that step's own)."""
    while deadline is not None and deadline.event == "step" and deadline.step in dropped:
        deadline = dropped[deadline.step].deadline
    return deadline


def _replaced_deadline(dropped: Mapping[str, Step], code: str, otherwise: str) -> Deadline | None:
    """The deadline of the paper step `code` an added step replaces; else the day of the step
    `otherwise` ("" — none)."""
    if code in dropped:
        return _resolved(dropped[code].deadline, dropped)
    return Deadline("step", 0, "calendar", otherwise) if otherwise else None
