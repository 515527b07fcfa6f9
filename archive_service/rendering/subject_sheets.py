"""The pages of one subject in a class journal copy: its grid and its topics, side by side.

A paper class journal has the marks of some lessons on the left page and the topics and homework
of the same lessons on the right page. The copy does the same: the lessons are cut into parts as
wide as one grid page; a part whose grid and topics fit on one page together is printed so (the
common case: one page per part, any side); otherwise, when printing two-sided, every part is a
spread — its grid on a back (left page), its topics on the following front (right page) — and
the subject's opening front lists the parts. One-sided printing has no spreads: a grid page, then
its topics. Every subject still starts on a new sheet front (each teacher signs only sheets of
their own subject); docs/documents.md gives the reasons.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from archive_service.domain.curriculum import planned_lessons
from archive_service.domain.rules import ABSENT_CODES
from archive_service.domain.substitutes import substitute, substitutes
from archive_service.rendering.grid import CONTENT_WIDTH, GridPage
from archive_service.rendering.journal_grid import LEGEND, absence_code, subject_grid
from archive_service.rendering.text_measure import line_count

if TYPE_CHECKING:
    from archive_service.rendering.model import StudentRow
    from archive_service.schema.snapshot import Lesson, Period, Subject

NO_HOMEWORK = "Без задания"  # reference 003, прил. 2 §2.10: an empty homework is written so
LATE = "О"
SUBSTITUTE_ROLE = "Замена"  # a substitute's signature line, under the subject teacher's
#: substitutes whose lines the footer holds under the teacher's: three lines of 8 pt end 10 mm
#: above the paper's edge (pages.css); more sign in a block after the subject's last lessons
FOOTER_SUBSTITUTES = 2
#: what stands on a page besides the grid and the topics, pt: heading, note line, the grid's
#: margins, the two lines of its legend, the topics' header row, the lessons line, a reserve
PAGE_HEIGHT = 748.3  # A4 less the 15 mm top and 18 mm bottom margins
FURNITURE = 17 + 13 + 6 + 25 + 13 + 18 + 12
MM = 72 / 25.4
#: the text widths of the topics table's columns (templates/print/_subject.html: 7, 11, *, 55 mm,
#: 2 pt of padding each side) and its type, pt
TOPIC_WIDTH, HOMEWORK_WIDTH = CONTENT_WIDTH - 73 * MM - 4, 55 * MM - 4
TOPIC_SIZE, TOPIC_LINE, TOPIC_ROW = 8.0, 10.0, 2.4  # a line of 8 pt text; a row's padding and rule


@dataclass(frozen=True)
class TopicRow:
    number: int
    date: str
    topic: str
    homework: str
    absent: str = ""  # grade 1: pupils not at the lesson, with the code
    late: str = ""  # grade 1: pupils who came late (they were at the lesson)
    substitute: str = ""  # «замена: Петрова А. С.» under the topic of a lesson a substitute gave

    @property
    def height(self) -> float:
        """pt the row takes in the topics table (its texts measured, lines counted high)."""
        topic = line_count(self.topic, TOPIC_WIDTH, TOPIC_SIZE)
        if self.substitute:  # a line of its own under the topic
            topic += line_count(self.substitute, TOPIC_WIDTH, TOPIC_SIZE)
        lines = max(topic, line_count(self.homework, HOMEWORK_WIDTH, TOPIC_SIZE))
        return lines * TOPIC_LINE + TOPIC_ROW


def substitute_note(subject: Subject, lesson: Lesson) -> str:
    """«замена: Петрова А. С.» for a lesson a substitute gave (domain/substitutes.py), else empty."""
    from archive_service.rendering.model import short_name  # model builds on this module

    teacher = substitute(subject, lesson)
    return f"замена: {short_name(teacher.full_name)}" if teacher else ""


def topic_rows(subject: Subject, lessons: list[Lesson], names: dict[str, str], with_attendance: bool,
               first: int = 1) -> list[TopicRow]:
    out = []
    for i, lesson in enumerate(lessons, start=first):
        absent = late = ""
        if with_attendance:  # a name never breaks between the surname and the initials
            known = [(names[a.student_id].replace(" ", "\u00a0"), a) for a in lesson.absences
                     if a.student_id in names]
            absent = ", ".join(f"{name}\u00a0({absence_code(a)})" for name, a in known
                               if a.code in ABSENT_CODES or a.code is None)
            late = ", ".join(name for name, a in known if a.code == LATE)
        out.append(TopicRow(i, lesson.date.strftime("%d.%m"), (lesson.topic or "").strip(),
                            (lesson.homework or "").strip() or NO_HOMEWORK, absent, late,
                            substitute_note(subject, lesson)))
    return out


@dataclass(frozen=True)
class SubjectPart:
    """Lessons shown together: their grid pages and their topics."""

    number: int
    lessons: str  # «уроки 1–10 (05.11–19.11)»
    grid_pages: list[GridPage]
    topics: list[TopicRow]

    @property
    def height(self) -> float:
        """pt the part takes on one page with its grid and topics (estimated high)."""
        grid = sum(page.height for page in self.grid_pages)
        return FURNITURE + grid + sum(t.height for t in self.topics)

    @property
    def fits_one_page(self) -> bool:
        return len(self.grid_pages) <= 1 and self.height <= PAGE_HEIGHT


@dataclass(frozen=True)
class SubjectSheets:
    """What the pages of one subject show, and how they are laid out."""

    parts: list[SubjectPart]
    given: int
    hours_per_week: float
    planned: int
    topics: list[TopicRow] = field(default_factory=list)  # every lesson's (the grade-1 list)
    substitutes: list[str] = field(default_factory=list)  # full names: each signs the subject's sheets too

    @property
    def together(self) -> bool:
        """Every part's grid and topics share a page (no spreads needed)."""
        return all(part.fits_one_page for part in self.parts)

    @property
    def legend(self) -> str:
        return LEGEND

    @property
    def substitute_signers(self) -> list[tuple[str, str]]:
        """(role, full name) of the footer lines the substitutes add under the teacher's, on every
        sheet of the subject; none when they are too many for the footer (`substitutes_below`)."""
        if len(self.substitutes) > FOOTER_SUBSTITUTES:
            return []
        return [(SUBSTITUTE_ROLE, name) for name in self.substitutes]

    @property
    def substitutes_below(self) -> list[str]:
        """Substitutes who sign under the subject's last lessons instead: more than the footer holds."""
        return self.substitutes if len(self.substitutes) > FOOTER_SUBSTITUTES else []

    @property
    def lessons_line(self) -> str:
        """«Проведено уроков: 37; по учебному плану: 5 ч в неделю, 37 уроков за период»."""
        hours = f"{self.hours_per_week:g}".replace(".", ",")
        return (f"Проведено уроков: {self.given}; по учебному плану: {hours}\u00a0ч в неделю, "
                f"{self.planned}\u00a0{_lessons_noun(self.planned)} за период")


def _lessons_noun(n: int) -> str:
    if n % 10 == 1 and n % 100 != 11:
        return "урок"
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return "урока"
    return "уроков"


def _span(lessons: list[Lesson], first: int) -> str:
    last = first + len(lessons) - 1
    numbers = f"урок {first}" if first == last else f"уроки {first}–{last}"
    days = f"{lessons[0].date:%d.%m}" if first == last else f"{lessons[0].date:%d.%m}–{lessons[-1].date:%d.%m}"
    return f"{numbers} ({days})"


def subject_sheets(rows: list[StudentRow], subject: Subject, period: Period, names: dict[str, str],
                   grade_1: bool) -> SubjectSheets:
    """The parts of one subject: grid and topics per part (grade 1: the topics only, one part)."""
    lessons = list(subject.lessons)
    facts = SubjectSheets([], len(lessons), subject.hours_per_week,
                          planned_lessons(subject.hours_per_week, period.start, period.end),
                          substitutes=[teacher.full_name for teacher in substitutes(subject)])
    if not lessons:
        return facts
    if grade_1:
        topics = topic_rows(subject, lessons, names, with_attendance=True)
        return replace(facts, parts=[SubjectPart(1, _span(lessons, 1), [], topics)], topics=topics)
    parts = []
    for k, chunk in enumerate(subject_grid(rows, subject, period.code), start=1):
        part = lessons[chunk.lessons.start:chunk.lessons.stop]
        first = chunk.lessons.start + 1
        parts.append(SubjectPart(k, _span(part, first), chunk.pages,
                                 topic_rows(subject, part, names, with_attendance=False, first=first)))
    return replace(facts, parts=parts, topics=[t for p in parts for t in p.topics])

