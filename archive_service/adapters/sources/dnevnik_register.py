"""Дневник.ру's class in a period checked against the school's register, or, without one, against
its own attendance log (the rules are in the docstring of `dnevnik.py`)."""

from __future__ import annotations

import datetime as dt

from archive_service.adapters.sources.dnevnik_journal import DnevnikJournal
from archive_service.adapters.sources.dnevnik_wire import _day, _field, _list, _shape, _within
from archive_service.adapters.sources.roster import SchoolRegister

Trace = tuple[str, "dt.date | None", str, str]
"""(person, day or None, what, group id): someone the class's journal shows."""


class DnevnikRegister(DnevnikJournal):
    """Who is in the class in the period: the API's members reconciled with the register."""

    register: SchoolRegister | None

    def _traces(self, pulls: list[dict], until: dt.date) -> list[Trace]:
        """Everyone the class's journal shows: (person, day or None, what, group id) per lesson mark,
        attendance entry (any status) and period mark (no day: it is the period's)."""
        out: list[Trace] = []
        for pull in pulls:
            days = {str(_field(le, "id", "lessons")): _day(_field(le, "date", "lessons"), "lessons")
                    for le in pull["lessons"]}
            final_works = self._final_works(pull["final"], pull["id"])
            for mark in pull["marks"]:
                if mark.get("work") in final_works:
                    continue  # a period mark: taken from final-marks below
                day = _day(_field(mark, "date", "marks"), "marks")
                if day <= until:
                    out.append((str(_field(mark, "person", "marks")), day, "отметка", pull["id"]))
            for entry in pull["log"]:
                logged = days.get(str(_field(entry, "lesson", "lesson-log-entries")))
                if logged is not None and logged <= until:
                    out.append((str(_field(entry, "person", "lesson-log-entries")), logged, "посещаемость",
                                pull["id"]))
            for mark in _list(_field(pull["final"], "marks", "final-marks"), "final-marks.marks"):
                out.append((str(_field(mark, "person", "final-marks.marks")), None, "итоговая отметка", pull["id"]))
        return out

    def _registered(self, name: str, members: list[dict], pulls: list[dict], start: dt.date, end: dt.date,
                    until: dt.date, today: dt.date) -> list[dict]:
        """The class in the period from the API's current members and the school's register (see the
        module docstring of `dnevnik.py`); anything the two disagree on stops the pull."""
        register = self.register
        assert register is not None
        traces = self._traces(pulls, until)
        shown = _all_in_register(register, name, members, traces)
        problems = (_member_problems(register, name, members, start, end, today)
                    + _trace_problems(register, name, traces, shown, start, end))
        if problems:
            raise _shape(f"реестр школы расходится с журналом класса {name}: " + "; ".join(dict.fromkeys(problems)))
        return _with_leavers(register, name, members, pulls, traces, start, end)

    def _no_arrivals(self, name: str, roster: list[dict], pulls: list[dict]) -> None:
        """Without a register: refuse students who, by the attendance log, arrived during the period."""
        held = [pull for pull in pulls if pull["lessons"]]
        first_logged: dict[str, dt.date] = {}  # group -> first lesson day with attendance
        first_seen: dict[str, dt.date] = {}  # person -> first attendance day in any of their groups
        logged = False
        for pull in held:
            days = {str(le["id"]): _day(le["date"], "lessons") for le in pull["lessons"]}
            for entry in pull["log"]:
                day = days.get(str(entry.get("lesson")))
                if day is None:
                    continue
                logged = True
                first_logged[pull["id"]] = min(day, first_logged.get(pull["id"], day))
                person = str(entry.get("person"))
                first_seen[person] = min(day, first_seen.get(person, day))
        if held and not logged:
            raise _shape(f"в классе {name} за период нет ни одной отметки посещаемости, поэтому не проверить, кто "
                         "прибыл в класс в течение периода (дат прибытия Дневник.ру не сообщает). Подключите "
                         "реестр школы с датами прибытия и выбытия")
        arrived = []
        for s in roster:
            starts = [first_logged[p["id"]] for p in held if s["id"] in p["members"] and p["id"] in first_logged]
            if not starts:
                continue
            seen = first_seen.get(s["id"])
            if seen is None or seen > min(starts):
                arrived.append(f"{s['full_name']} (впервые в журнале {seen.isoformat()})" if seen
                               else f"{s['full_name']} (ни одной отметки посещаемости)")
        if arrived:
            raise _shape(f"в классе {name} есть ученики, прибывшие в течение периода: {', '.join(arrived)}. "
                         "Дату прибытия Дневник.ру не сообщает, а считать их учившимися с начала периода нельзя "
                         "— подключите реестр школы с датами прибытия и выбытия")


def _all_in_register(register: SchoolRegister, name: str, members: list[dict], traces: list[Trace]) -> dict[str, str]:
    """Everyone Дневник.ру shows (person id → name, or «id …»), each of them in the register — or the pull stops."""
    shown = {m["id"]: m["full_name"] for m in members}
    for person, _when, _what, _gid in traces:
        shown.setdefault(person, f"id {person}")
    unknown = [f"{who} ({pid})" if not who.startswith("id ") else who
               for pid, who in shown.items() if register.facts(pid) is None]
    if unknown:
        raise _shape(f"в реестре школы нет учеников класса {name}, которых показывает Дневник.ру: "
                     f"{', '.join(unknown)}. Добавьте их в реестр (дата рождения, прибытия, выбытия)")
    return shown


def _member_problems(register: SchoolRegister, name: str, members: list[dict], start: dt.date, end: dt.date,
                     today: dt.date) -> list[str]:
    """Where the register and the API's current members disagree."""
    problems = []
    for m in members:
        facts = register.facts(m["id"])
        assert facts is not None
        if facts.class_name != name:
            problems.append(f"{m['full_name']}: Дневник.ру числит в классе {name}, а реестр — в классе "
                            f"{facts.class_name}")
        if facts.left_on and facts.left_on < today.isoformat():
            problems.append(f"{m['full_name']}: по реестру выбыл(а) {facts.left_on}, а Дневник.ру всё ещё "
                            "числит в классе")
        if facts.birth_date != m["birth_date"]:
            problems.append(f"{m['full_name']}: дата рождения в реестре {facts.birth_date}, "
                            f"в Дневник.ру {m['birth_date']}")
    for pid, facts in register.in_class(name, start, end).items():
        if pid not in {m["id"] for m in members} and not facts.left_on:
            problems.append(f"{facts.full_name or pid}: по реестру в классе {name}, а Дневник.ру в классе "
                            "не показывает (выбытие в реестре не отмечено)")
    return problems


def _trace_problems(register: SchoolRegister, name: str, traces: list[Trace], shown: dict[str, str],
                    start: dt.date, end: dt.date) -> list[str]:
    """Marks and attendance of someone the register puts in another class, or not in this one that day."""
    problems = []
    for person, day, what, _gid in traces:
        facts = register.facts(person)
        assert facts is not None
        who = facts.full_name or shown.get(person) or person
        if facts.class_name != name:
            problems.append(f"{who}: {what} в журнале класса {name}, а по реестру — ученик класса "
                            f"{facts.class_name}")
        elif day is not None and not facts.present_on(day):
            problems.append(f"{who}: {what} за {day.isoformat()}, а по реестру "
                            + (f"выбыл(а) {facts.left_on}" if facts.left_on and day.isoformat() > facts.left_on
                               else f"прибыл(а) только {facts.enrolled_on}"))
        elif day is None and not facts.present_during(start, end):
            problems.append(f"{who}: {what} за период, а по реестру в классе в этом периоде не был(а)")
    return problems


def _with_leavers(register: SchoolRegister, name: str, members: list[dict], pulls: list[dict], traces: list[Trace],
                  start: dt.date, end: dt.date) -> list[dict]:
    """The members in the period with the register's dates, and the leavers the register keeps (added to
    the subgroups whose journal shows them)."""
    listed = {m["id"]: m for m in members}
    within = register.in_class(name, start, end)
    leavers = sorted((pid for pid in within if pid not in listed), key=lambda x: (len(x), x))
    out = []
    for pid in [p for p in listed if p in within] + leavers:
        facts = within[pid]
        if pid in listed:
            entry = dict(listed[pid])
        elif not facts.full_name:
            raise _shape(f"ученик {pid} выбыл из класса {name} ({facts.left_on}), Дневник.ру его больше "
                         "не показывает, а в реестре школы нет его ФИО (поле «full_name»)")
        else:
            entry = {"id": pid, "full_name": facts.full_name, "birth_date": facts.birth_date}
        entry["enrolled_on"] = _within(facts.enrolled_on, start, end)
        entry["left_on"] = _within(facts.left_on, start, end)
        out.append(entry)
    for pull in pulls:  # a leaver's subgroups: those whose journal shows them (I)
        pull["members"] += [pid for pid in leavers if pid not in pull["members"]
                            and any(t[0] == pid and t[3] == pull["id"] for t in traces)]
    return out
