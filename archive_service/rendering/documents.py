"""The archive documents: a class journal copy per period and a summary sheet per year.

Rendering is deterministic: the same snapshot, template version and options give the same
bytes. Every date printed or stored in the file comes from the snapshot, never the clock.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from num2words import num2words
from weasyprint import Attachment

from archive_service.domain.clock import SCHOOL_TIMEZONE
from archive_service.domain.drafts import DRAFT_MARK
from archive_service.domain.names import plural
from archive_service.domain.periods import kind_title
from archive_service.domain.sheets import (
    certification_added_pages,
    is_front,
    sheet_of_page,
    title_sheets,
    total_sheets,
)
from archive_service.rendering.grid import NAMES_WIDTH
from archive_service.rendering.model import JournalModel, fmt, journal_model, short_name
from archive_service.rendering.pdf import LaidOut, PrintEnvironment, stamp_qr_codes
from archive_service.rendering.summary import summary_sheet_model
from retention import DEFAULT_YEARS

if TYPE_CHECKING:
    from archive_service.rendering.volume import VolumeSource
    from archive_service.schema.snapshot import Snapshot

TEMPLATE_VERSIONS = {"class_journal": "journal-copy/1.2", "summary_sheet": "summary-sheet/1.2"}
HEADINGS = {"class_journal": "Бумажная копия электронного классного журнала",
            "summary_sheet": "Сводная ведомость итоговых отметок"}
RETENTION_NOTES = {"summary_sheet": " (документ строгой отчётности)"}
"""What the title sheet adds to a kind's retention term; the term itself is the school's schedule."""


@dataclass(frozen=True)
class RenderOptions:
    duplex: bool = True
    """two-sided printing: a sheet is a front and a back, only fronts are numbered"""
    public_url: str = "http://127.0.0.1:5000"
    """where the QR code of a sheet points: {public_url}/check/{document}/{sheet}"""
    retention_years: tuple[tuple[str, int], ...] = tuple(DEFAULT_YEARS.items())
    """kind → years the school keeps it (its retention schedule), printed on the title sheet"""
    deputy: str = ""
    """full name of the deputy head who closes the period, printed (short) on the title sheet's
    certification line; empty leaves the line blank for a hand-written name"""
    timezone: str = SCHOOL_TIMEZONE
    """the school's time zone: every time printed (the snapshot's export) is read in it"""
    draft: bool = False
    """made before the period ended (domain/drafts.py): «ЧЕРНОВИК — период не завершён» on every page"""
    production: bool = False
    """a school's installation, not the demo: `public_url` must be reachable from other devices
    (`services.documents.require_public_address`); not part of the document's text"""

    def years(self, kind: str) -> int:
        return dict(self.retention_years)[kind]


@dataclass(frozen=True)
class RenderedDocument:
    kind: str
    document_id: str
    pdf: bytes
    pages: int
    sheets: int
    contents: list[tuple[str, str]]
    template_version: str
    snapshot_hash: str


def document_id(kind: str, snapshot_hash: str, options: RenderOptions) -> str:
    """A stable identifier: the same snapshot, template and options name the same document."""
    key = f"{kind}|{snapshot_hash}|{TEMPLATE_VERSIONS[kind]}|{'duplex' if options.duplex else 'simplex'}"
    if options.years(kind) != DEFAULT_YEARS[kind]:  # a school's own term prints another text: another document
        key += f"|{options.years(kind)}"
    if options.deputy:  # the name printed on the title: another text, another document
        key += f"|deputy={options.deputy}"
    if options.timezone != SCHOOL_TIMEZONE:
        key += f"|tz={options.timezone}"
    if options.draft:  # another text on every page: another document (final copies keep their ids)
        key += "|draft"
    return hashlib.sha256(key.encode()).hexdigest()[:20]


def sheets_noun(n: int) -> str:
    return plural(n, "лист", "листа", "листов")


def years_text(years: int) -> str:
    """A retention term as printed: «5 лет», «1 год», «3 года»."""
    return f"{years} {plural(years, 'год', 'года', 'лет')}"


def sheets_in_words(n: int) -> str:
    """33 → «тридцать три»."""
    return num2words(n, lang="ru")


class DocumentRenderer:
    """Renders documents; one per worker process (fonts and stylesheets are reused)."""

    def __init__(self, templates_dir: Path):
        self.env = PrintEnvironment(templates_dir)

    def class_journal(self, snap: Snapshot, snapshot_json: bytes, snapshot_hash: str,
                      options: RenderOptions = RenderOptions()) -> RenderedDocument:
        return self._render("class_journal", journal_model(snap), snapshot_json, snapshot_hash, options)

    def volume(self, sources: list[VolumeSource], options: RenderOptions = RenderOptions()) -> RenderedDocument:
        """The year's volume of a class: its periods in order, then the year (`rendering/volume.py`)."""
        from archive_service.rendering.volume import render_volume  # it builds on this module

        return render_volume(self.env, sources, options)

    def summary_sheet(self, snap: Snapshot, snapshot_json: bytes, snapshot_hash: str,
                      options: RenderOptions = RenderOptions()) -> RenderedDocument:
        return self._render("summary_sheet", summary_sheet_model(snap), snapshot_json, snapshot_hash, options)

    def _render(self, kind: str, model: JournalModel, snapshot_json: bytes, snapshot_hash: str,
                options: RenderOptions) -> RenderedDocument:
        snap, duplex = model.snapshot, options.duplex
        doc_id = document_id(kind, snapshot_hash, options)
        doc = _DocumentFacts(kind, snap, doc_id, snapshot_hash, options)
        front_sheets = title_sheets(duplex=duplex)
        attachment = Attachment(string=snapshot_json.decode("utf-8"), name="snapshot.json",
                                description=f"Снимок электронного журнала, SHA-256 {snapshot_hash}",
                                relationship="Source", created=snap.source.exported_at,
                                modified=snap.source.exported_at)
        context = {"snap": snap, "model": model, "doc": doc, "fmt": fmt, "short_name": short_name,
                   "names_width": NAMES_WIDTH, "grade_1": snap.class_.grade == 1, "draft": options.draft,
                   "draft_mark": DRAFT_MARK, "anchor_prefix": "", "part_heading": "", "continued": False}
        body = self.env.layout("journal_body.html", context, duplex=duplex, first_sheet=front_sheets + 1,
                               draft=options.draft)
        total = total_sheets(body.pages, duplex=duplex)
        doc.finish(total, _contents(model, body, front_sheets, duplex, total))
        matter = self.env.layout("matter.html", context, duplex=duplex, named_pages=(("cert", total - 1),),
                                 draft=options.draft)
        added = certification_added_pages(body.pages, duplex=duplex)  # the note, or an empty front and the note
        pages = matter.document.pages[:2] + body.document.pages + matter.document.pages[-added:]
        pdf = self.env.write(body, pages, epoch=int(snap.source.exported_at.timestamp()),
                             attachments=[attachment])
        fronts = [(i, sheet_of_page(i, duplex=duplex)) for i in range(len(pages)) if is_front(i, duplex=duplex)]
        pdf = stamp_qr_codes(pdf, fronts, f"{options.public_url.rstrip('/')}/check/{doc_id}/{{sheet}}")
        return RenderedDocument(kind, doc_id, pdf, len(pages), total, doc.contents, TEMPLATE_VERSIONS[kind],
                                snapshot_hash)


class _DocumentFacts:
    """What the templates print about the document itself."""

    def __init__(self, kind: str, snap: Snapshot, doc_id: str, snapshot_hash: str, options: RenderOptions):
        self.kind = kind
        self.document_id = doc_id
        self.snapshot_hash = snapshot_hash
        self.template_version = TEMPLATE_VERSIONS[kind]
        self.template_edition = self.template_version.partition("/")[2]  # «1.1», as printed
        self.heading = HEADINGS[kind]
        self.retention = years_text(options.years(kind)) + RETENTION_NOTES.get(kind, "")
        exported = snap.source.exported_at.astimezone(ZoneInfo(options.timezone))  # never UTC on paper
        self.exported_at = exported.strftime("%d.%m.%Y %H:%M")
        self.copy_date = exported.date()
        self.deputy = short_name(options.deputy) if options.deputy.strip() else ""
        self.created = snap.source.exported_at.isoformat()
        period = kind_title(snap.period.kind, snap.period.number)
        self.period_line = (f"{period[:1].upper()}{period[1:]} {snap.academic_year}: "
                            f"{fmt(snap.period.start)}–{fmt(snap.period.end)}")
        self.title = f"{self.heading}: {snap.class_.name}, {period}, {snap.academic_year}"
        self.description = self.title
        self.keywords = f"document-id={doc_id}; snapshot-sha256={snapshot_hash}; template={self.template_version}"
        self.source_ids = f"снимок ЭЖ SHA-256 {snapshot_hash}"
        self.total_sheets = 0
        self.total_words = ""
        self.sheets_noun = ""
        self.contents: list[tuple[str, str]] = []

    def finish(self, total: int, contents: list[tuple[str, str]]) -> None:
        self.total_sheets = total
        self.total_words = sheets_in_words(total)
        self.sheets_noun = sheets_noun(total)
        self.contents = contents


def _contents(model: JournalModel, body: LaidOut, front_sheets: int, duplex: bool,
              total: int) -> list[tuple[str, str]]:
    """(title, sheets) of every part, from the pages the body's sections start on."""
    def sheet(page: int) -> int:
        return front_sheets + sheet_of_page(page, duplex=duplex)

    starts = [body.anchors[s.anchor] for s in model.sections]
    ends = [start - 1 for start in starts[1:]] + [body.pages - 1]
    rows = [("Титульный лист", "1")] + ([] if duplex else [("Содержание", "2")])
    for section, start, end in zip(model.sections, starts, ends):
        first, last = sheet(start), sheet(end)
        teacher = f" ({short_name(section.teacher)})" if section.teacher else ""
        rows.append((section.title + teacher, str(first) if first == last else f"{first}–{last}"))
    rows.append(("Заверительная надпись", f"{total} об.") if duplex else ("Заверительный лист", str(total)))
    return rows
