"""ARCHIVE_DEMO_SIGNATURE=gost: the demo's signing step with a GOST key through the external route."""

from __future__ import annotations

import io

from pyhanko.pdf_utils.reader import PdfFileReader

from archive_service.domain.actor import Actor
from archive_service import create_app
from archive_service.config import Settings
from archive_service.demo.tour import demo_key, on_demo_clock
from archive_service.services import documents
from archive_service.services.signing import sign_documents
from builders import render_journals
from conftest import NOW
from signing import gost, verify_pdf
from store_support import store_settings


def test_the_gost_demo_signs_every_document_with_streebog_and_a_gost_timestamp(tmp_path, db_url):
    app = create_app(Settings(home=tmp_path / "home", database_url=db_url, secret_key="demo", demo_signature="gost",
                              **store_settings(tmp_path / "home")))
    archive = on_demo_clock(app.extensions["archive"])  # as the demo runs: after the year, on its own clock
    try:
        render_journals(archive, "АБВ", NOW)
        said: list[str] = []
        key, where = demo_key(archive, "Сергеева Ольга Викторовна", True, said.append)
        assert archive.gost_demo_pki.exists() and "ключ ГОСТ" in where and "ГОСТ Р 34.10-2012" in said[0]
        with archive.signer(key) as signer:
            outcomes = sign_documents(archive.uow(), archive.store, signer, "2026/2027", ["Q2"],
                                      actor=Actor("demo", "director"), now=archive.now)
        assert [o.ok for o in outcomes] == [True, True, True], outcomes
        for row in documents.list_documents(archive.uow(), "2026/2027", ["Q2"]):
            data = archive.store.read(row["signature"]["sha256"])
            report = verify_pdf(data, archive.trust(), zone=archive.zone)
            assert report.valid and report.level == "PAdES B-LTA", report.as_text()
            # the demo's root is a test centre, honestly not on the accredited list
            assert report.qualified is False and "не входит в список аккредитованных" in report.qualification
            signature, stamp = PdfFileReader(io.BytesIO(data), strict=False).embedded_signatures
            assert signature.signer_info["digest_algorithm"]["algorithm"].dotted == gost.DIGEST_256
            assert stamp.signer_info["digest_algorithm"]["algorithm"].dotted == gost.DIGEST_256
    finally:
        archive.engine.dispose()
