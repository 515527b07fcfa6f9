"""Which registered files may be destroyed on a given day, and why the others may not.

Pure rules, no database: the application hands in what the register says about each file
(its retention end, state, legal holds, an open act that already lists it) and gets back a
decision with a reason a secretary can read. The same rules run when the act is composed and
again, file by file, when it is carried out: a hold placed after the director approved the act
still stops the destruction of that file.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Candidate:
    key: str
    """The register number, «12/2027»."""
    retention_end: dt.date
    status: str  # in_archive | issued | destroyed
    hold: str | None = None
    """The reason of an active legal hold."""
    open_act: str | None = None
    """«N/YYYY» of a proposed or approved act that already lists the file."""


@dataclass(frozen=True)
class Decision:
    key: str
    eligible: bool
    reason: str


def decide(candidate: Candidate, today: dt.date, *, act: str | None = None) -> Decision:
    """May the file be destroyed today (by `act`, when an act is being carried out)?"""
    c = candidate
    if c.status == "destroyed":
        return Decision(c.key, False, "уже уничтожен")
    if today < c.retention_end:
        return Decision(c.key, False, f"срок хранения не истёк: хранится до {c.retention_end:%d.%m.%Y}")
    if c.hold:
        return Decision(c.key, False, f"запрет уничтожения: {c.hold}")
    if c.status == "issued":
        return Decision(c.key, False, "дело выдано из архива: уничтожить можно после возврата")
    if c.open_act and c.open_act != act:
        return Decision(c.key, False, f"уже включён в акт № {c.open_act}")
    return Decision(c.key, True, "срок хранения истёк")


def select(candidates: list[Candidate], today: dt.date) -> tuple[list[Decision], list[Decision]]:
    """The files an act may list today, and the refused ones with reasons (destroyed ones left out)."""
    decisions = [decide(c, today) for c in candidates if c.status != "destroyed"]
    return [d for d in decisions if d.eligible], [d for d in decisions if not d.eligible]


def backup_set_may_go(retain_until: dt.date, today: dt.date, remaining: list[str]) -> Decision:
    """A backup set may be deleted once its own retention ended and every document it holds is
    destroyed (`remaining`: the documents it holds that still exist)."""
    if today < retain_until:
        return Decision("", False, f"хранится до {retain_until:%d.%m.%Y}")
    if remaining:
        shown = ", ".join(remaining[:5]) + (f" и ещё {len(remaining) - 5}" if len(remaining) > 5 else "")
        return Decision("", False, f"содержит неуничтоженные документы: {shown}")
    return Decision("", True, "срок хранения истёк, все документы набора уничтожены")
