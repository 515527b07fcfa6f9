"""docs/procedures.md shows each ready procedure as a table made from the procedures themselves
(`domain/ready_procedures.py`): the page can never say what the board does not do.

Regenerate the page after changing a ready procedure: `python tests/unit/test_procedures_doc.py`.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from archive_service.domain.procedures import FACTS, Procedure, Step  # noqa: E402
from archive_service.domain.ready_procedures import DEFAULT_KEY, READY  # noqa: E402
from archive_service.domain.roles import ROLES  # noqa: E402

PAGE = ROOT / "docs" / "procedures.md"
INTRO = """# The school's procedure: ready procedures

Generated from `archive_service/domain/ready_procedures.py` by `python tests/unit/test_procedures_doc.py`;
`tests/unit/test_procedures_doc.py` fails when this page and the code differ.

A procedure is data (`archive_service/domain/procedures.py`): steps, each with the role that answers
for it on the board (and gets the reminders), who does it at school, a deadline counted from an event,
what the archive knows of it by itself, and where it applies. The administrator chooses a procedure
per school year («Порядок работы»); a year nobody chose follows «{default}». A school may copy any
procedure and edit the copy (steps, names, deadlines, roles); every change is in the audit log.

How deadlines are counted:

* **дни каникул** — day N of the holidays is the period's last day plus N calendar days (reference 000);
* **календарные дни** — the event's date plus N days, whatever the day of the week;
* **рабочие дни** — the N-th working day after the event by the Russian production calendar: public
  holidays, the days off moved by the government's yearly decree (31 December 2026, 22 February 2027…)
  and the Saturdays made working days by those moves (20 February 2027) come from the pinned `holidays`
  library (`adapters/production_calendar.py`), never typed in by hand. A year whose decree the installed
  library does not know has its fixed holidays only: upgrade the pin when the decree is published;
* events: the period's last day; another step's deadline; the date the state exam results were received
  (the archive cannot know it — the deputy head enters it on the board; until then the step says so);
  30 June of the school year; the end of the month the period ends in.

Our readings, where a regulation is silent (shown to the school in the step's source):

* a deadline counted from another step runs from that step's *deadline*, not from the day a class
  actually did it — the board is one schedule per period;
* reference 004 says backups are made «ежемесячно» without a day: the ready procedure expects the copy
  of the period's last month on the first working day after the month ends (when the monthly copy runs);
* reference 002 § 5.6 gives no date for the year's backups: the year's end is read as 30 June, the date
  § 5.3 gives for the end of the school year;
* where a regulation gives no deadline the step has none: it is never late and never reminded;
* a deadline falling on a day off is not moved (art. 193 of the Civil Code is not applied to these
  internal schedules); a school that wants it counts in working days in its copy.

The director's electronic signature («Директор подписал электронной подписью», marked by the archive
from the signed document) and the paper signature with the seal («Директор подписал бумажные копии,
печать», recorded by a person and only after the copies are printed) are different steps wherever a
procedure has both.

A paperless school (reference 001 § V: «электронный оригинал», set per school year beside the
procedure) keeps the director-signed electronic copy as the archival original. Its board leaves out
the steps marked «только бумага» below (printing, stitching, certifying the paper copy, handing it to
the register); a step that followed one of them follows what that one followed, a deadline counted
from one takes its deadline. Where the procedure lacks them, the board adds the two steps the
archive marks itself: «Директор подписал электронной подписью» (with the deadline of the paper
signature) and «Электронный оригинал внесён в реестр» (with the deadline of the paper register step,
or on the signature's day). See `archive_service/domain/paperless.py`.
"""
HEAD = ("| № | Шаг | Отвечает | Кто делает | Срок | Архив знает сам | Где | Источник |\n"
        "|---|---|---|---|---|---|---|---|")


def where(step: Step) -> str:
    scope = "каждый период" if step.scope == "period" else "последний период года"
    return (scope + (f"; классы {', '.join(map(str, step.grades))}" if step.grades else "")
            + ("; только бумага" if step.paper else ""))


def knows(step: Step) -> str:
    if not step.fact:
        return "—"
    text = FACTS[step.fact]
    if not step.manual:
        return f"{text} (отмечает только архив)"
    return text if step.fact_settles else f"{text} (показывает, но не отмечает)"


def table(procedure: Procedure) -> str:
    rows = [f"| {n} | {s.title} | {ROLES[s.role]} | {s.performer or '—'} | {procedure.deadline_words(s)} | "
            f"{knows(s)} | {where(s)} | {s.source} |" for n, s in enumerate(procedure.steps, 1)]
    return "\n".join([f"## {procedure.title}", "", f"Source: {procedure.source}.", "", HEAD, *rows])


def page() -> str:
    return "\n\n".join([INTRO.format(default=READY[DEFAULT_KEY].title).rstrip(),
                        *(table(p) for p in READY.values())]) + "\n"


def test_the_page_shows_every_ready_procedure_as_the_code_has_it():
    assert PAGE.read_text(encoding="utf-8") == page(), "run: python tests/unit/test_procedures_doc.py"


def test_every_table_cites_its_sections():
    for procedure in READY.values():
        assert procedure.source in page() and all(f"| {s.source} |" in page() for s in procedure.steps)


if __name__ == "__main__":
    PAGE.write_text(page(), encoding="utf-8")
    print(f"written: {PAGE.relative_to(ROOT)}")
