"""The year's volume of a class (002 § 5.3, 003 прил. 2 § 3.4): every period of the school year
and the year's summary bound as one file (дело).

A part is laid out as its period copy is (`templates/print/_sections.html`: the class list,
every subject, the period summary; the year's part is the summary sheet's), without the copy's
own title sheet and certification note. The volume has one title sheet whose contents give each
part's sheet range, sheets numbered through all parts, and one certification note at the end.
All parts are laid out in one pass, so a part starts on a new sheet as a subject does.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from weasyprint import Attachment

from archive_service.domain.drafts import DRAFT_MARK
from archive_service.domain.periods import PERIOD_LABELS, period_title
from archive_service.domain.sheets import (
    certification_added_pages,
    is_front,
    sheet_of_page,
    title_sheets,
    total_sheets,
)
from archive_service.rendering.documents import (
    RenderedDocument,
    RenderOptions,
    _DocumentFacts,
    document_id,
    sheets_in_words,
    sheets_noun,
    years_text,
)
from archive_service.rendering.grid import NAMES_WIDTH
from archive_service.rendering.model import JournalModel, fmt, journal_model, short_name
from archive_service.rendering.pdf import LaidOut, PrintEnvironment, stamp_qr_codes
from archive_service.rendering.summary import summary_sheet_model

if TYPE_CHECKING:
    from archive_service.schema.snapshot import Snapshot

VOLUME_TEMPLATE = "journal-volume/1.0"
VOLUME_HEADING = "Бумажная копия электронного классного журнала"
YEAR_PART = "Итоги учебного года: сводная ведомость итоговых отметок"


@dataclass(frozen=True)
class VolumeSource:
    """One part's snapshot as the archive keeps it: parsed, its canonical bytes and their hash."""

    snapshot: Snapshot
    canonical: bytes
    content_hash: str

    @property
    def code(self) -> str:
        return self.snapshot.period.code


def volume_hash(sources: list[VolumeSource]) -> str:
    """What the volume is made from, as one hash: the template and every part's snapshot, in order."""
    return hashlib.sha256("|".join([VOLUME_TEMPLATE, *(s.content_hash for s in sources)]).encode()).hexdigest()


def volume_id(sources: list[VolumeSource], options: RenderOptions) -> str:
    """The volume's document id: the same parts, template and options name the same volume."""
    return document_id("class_journal", volume_hash(sources), options)


def part_title(code: str) -> str:
    """«I четверть», or the year's part."""
    return YEAR_PART if code == "year" else period_title(code)


@dataclass(frozen=True)
class _Part:
    """What the templates need of one part: its snapshot, model and facts, its anchors' prefix."""

    number: int
    snap: Snapshot
    model: JournalModel
    doc: _DocumentFacts
    prefix: str

    @property
    def title(self) -> str:
        return f"Часть {self.number}. {part_title(self.snap.period.code)}"

    @property
    def dates(self) -> str:
        return f"{fmt(self.snap.period.start)}–{fmt(self.snap.period.end)}"

    @property
    def heading(self) -> str:
        """Above the part's first sheet: «Часть 1. I четверть, 2025/2026 учебный год: 01.09.2025–26.10.2025»."""
        return f"{self.title}, {self.snap.academic_year} учебный год: {self.dates}"

    @property
    def grade_1(self) -> bool:
        return self.snap.class_.grade == 1


def _parts(sources: list[VolumeSource], options: RenderOptions) -> list[_Part]:
    out = []
    for number, source in enumerate(sources, start=1):
        snap, year = source.snapshot, source.code == "year"
        kind = "summary_sheet" if year else "class_journal"
        model = summary_sheet_model(snap) if year else journal_model(snap)
        facts = _DocumentFacts(kind, snap, "", source.content_hash, options)
        out.append(_Part(number, snap, model, facts, f"part-{number}-"))
    return out


class _VolumeFacts:
    """What the title sheet and the certification note print about the volume (as `_DocumentFacts`
    does about a period copy)."""

    def __init__(self, sources: list[VolumeSource], doc_id: str, options: RenderOptions):
        year = sources[-1].snapshot
        exported_at = max(s.snapshot.source.exported_at for s in sources)
        exported = exported_at.astimezone(ZoneInfo(options.timezone))
        periods = [PERIOD_LABELS[s.code] for s in sources if s.code != "year"]
        self.kind, self.document_id = "class_journal", doc_id
        self.snapshot_hash = volume_hash(sources)
        self.template_version = VOLUME_TEMPLATE
        self.template_edition = VOLUME_TEMPLATE.partition("/")[2]
        self.heading = VOLUME_HEADING
        self.retention = years_text(options.years("class_journal"))
        self.exported_at = exported.strftime("%d.%m.%Y %H:%M")
        self.copy_date = exported.date()
        self.deputy = short_name(options.deputy) if options.deputy.strip() else ""
        self.created = exported_at.isoformat()
        start = min(s.snapshot.period.start for s in sources)
        end = max(s.snapshot.period.end for s in sources)
        self.period_line = (f"Том за учебный год: периоды {', '.join(periods)} и итоги года, "
                            f"{fmt(start)}–{fmt(end)}")
        self.title = f"{VOLUME_HEADING}: {year.class_.name}, том за {year.academic_year} учебный год"
        self.description = self.title
        self.keywords = (f"document-id={doc_id}; volume-sha256={self.snapshot_hash}; template={VOLUME_TEMPLATE}; "
                         + "; ".join(f"{s.code}-snapshot-sha256={s.content_hash}" for s in sources))
        self.source_ids = "снимки ЭЖ (SHA-256): " + ", ".join(
            f"{PERIOD_LABELS[s.code]} {s.content_hash[:16]}" for s in sources)
        self.total_sheets, self.total_words, self.sheets_noun = 0, "", ""
        self.contents: list[tuple[str, str]] = []

    def finish(self, total: int, contents: list[tuple[str, str]]) -> None:
        self.total_sheets, self.total_words, self.sheets_noun = total, sheets_in_words(total), sheets_noun(total)
        self.contents = contents


def render_volume(env: PrintEnvironment, sources: list[VolumeSource], options: RenderOptions) -> RenderedDocument:
    """The volume of `sources` (the periods in order, the year last), rendered as one PDF/A."""
    duplex, year = options.duplex, sources[-1].snapshot
    doc_id = volume_id(sources, options)
    doc, parts = _VolumeFacts(sources, doc_id, options), _parts(sources, options)
    context = {"snap": year, "doc": doc, "parts": parts, "fmt": fmt, "short_name": short_name,
               "names_width": NAMES_WIDTH, "draft": False, "draft_mark": DRAFT_MARK}
    front_sheets = title_sheets(duplex=duplex)
    body = env.layout("volume_body.html", context, duplex=duplex, first_sheet=front_sheets + 1)
    total = total_sheets(body.pages, duplex=duplex)
    doc.finish(total, volume_contents(parts, body, front_sheets, duplex, total))
    matter = env.layout("matter.html", context, duplex=duplex, named_pages=(("cert", total - 1),))
    added = certification_added_pages(body.pages, duplex=duplex)
    pages = matter.document.pages[:2] + body.document.pages + matter.document.pages[-added:]
    attachments = [Attachment(string=s.canonical.decode("utf-8"), name=f"snapshot-{s.code}.json",
                              description=f"Снимок электронного журнала ({part_title(s.code)}), "
                                          f"SHA-256 {s.content_hash}", relationship="Source",
                              created=s.snapshot.source.exported_at, modified=s.snapshot.source.exported_at)
                   for s in sources]
    epoch = int(max(s.snapshot.source.exported_at for s in sources).timestamp())
    pdf = env.write(body, pages, epoch=epoch, attachments=attachments)
    fronts = [(i, sheet_of_page(i, duplex=duplex)) for i in range(len(pages)) if is_front(i, duplex=duplex)]
    pdf = stamp_qr_codes(pdf, fronts, f"{options.public_url.rstrip('/')}/check/{doc_id}/{{sheet}}")
    return RenderedDocument("class_journal", doc_id, pdf, len(pages), total, doc.contents, VOLUME_TEMPLATE,
                            doc.snapshot_hash)


def volume_contents(parts: list[_Part], body: LaidOut, front_sheets: int, duplex: bool,
                    total: int) -> list[tuple[str, str]]:
    """(title, sheets) of the title sheet, every part and the certification note."""
    starts = [body.anchors[f"{part.prefix}{part.model.sections[0].anchor}"] for part in parts]
    ends = [start - 1 for start in starts[1:]] + [body.pages - 1]
    rows = [("Титульный лист", "1")] + ([] if duplex else [("Содержание", "2")])
    for part, start, end in zip(parts, starts, ends):
        first = front_sheets + sheet_of_page(start, duplex=duplex)
        last = front_sheets + sheet_of_page(end, duplex=duplex)
        rows.append((f"{part.title} ({part.dates})", str(first) if first == last else f"{first}–{last}"))
    rows.append(("Заверительная надпись", f"{total} об.") if duplex else ("Заверительный лист", str(total)))
    return rows
