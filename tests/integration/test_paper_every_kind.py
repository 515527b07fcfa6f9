"""Every kind of document the archive prints, read back page by page: Russian words only.

The issue's rule for paper — no Latin period codes («Q2», «H1», «year»), no UTC, no terminal
accounts («cli:root»), no server paths — held once for all kinds here: the class journal copies,
the summary sheet, the archival certificate, the register, the inventory of files, the hand-over
act, the backup-usage journal and the disposal act, all made through the services
(`test_paper_registers.papers`).
"""

from __future__ import annotations

import re

import pytest

from archive_service.services import certificates, documents
from conftest import NOW
from pdf_reading import PdfPages
from test_certificate import BORN, NAME, ISSUED_ON, CLERK
from test_paper_registers import LATIN_PERIOD, SERVER_PATH, papers  # noqa: F401  (the fixture)

TECHNICAL = [(LATIN_PERIOD, "a Latin period code"), (re.compile(r"\bUTC\b|[+-]00:00\b|\d{2}:\d{2}:\d{2}Z"), "UTC"),
             (re.compile(r"cli:"), "a terminal account"), (SERVER_PATH, "a server path"),
             (re.compile(r"\b(?:None|null|True|False|Traceback)\b"), "a program's word")]
"""What must never stand on paper, with what it is."""


@pytest.fixture
def every_kind(archive, papers, tmp_path):  # noqa: F811  (papers is the fixture imported above)
    """kind → the pages' texts of every document the archive printed for the `papers` school."""
    out = {kind: data for kind, data in papers.items()}
    for doc in documents.list_documents(archive.uow()):
        out[f"{doc['kind']} {doc['class']}"] = archive.store.read(doc["sha256"])
    issued = certificates.issue_certificate(archive.uow(), archive.store, archive.settings.templates_dir, NAME,
                                            BORN, requested_by="Алексеев И. П.", purpose="по месту требования",
                                            actor=CLERK, now=NOW, today=ISSUED_ON)
    out["certificate"] = certificates.certificate_file(archive.uow(), archive.store, issued.year, issued.number)[1]
    texts = {}
    for kind, data in out.items():
        path = tmp_path / f"{len(texts)}.pdf"
        path.write_bytes(data)
        texts[kind] = PdfPages(path).texts
    return texts


def test_no_page_of_any_kind_of_document_holds_a_code_utc_a_terminal_account_or_a_path(every_kind):
    kinds = {kind.split()[0] for kind in every_kind}
    assert kinds >= {"class_journal", "summary_sheet", "certificate", "register", "inventory", "handover_act",
                     "backup_journal", "disposal_act"}, kinds
    found = [(kind, page + 1, what, match.group(0))
             for kind, pages in every_kind.items() for page, text in enumerate(pages)
             for pattern, what in TECHNICAL for match in pattern.finditer(text)]
    assert found == [], found[:10]
    assert sum(len(pages) for pages in every_kind.values()) > 60
