"""The administrator chooses on «Порядок работы» how a school year's paper copies are bound: per
period, or the year's volume per class — audited with the person's name; a wrong form changes nothing."""

from __future__ import annotations

from archive_service.services import procedures
from test_deputy import page_text, post
from web_support import NAMES

PAGE = "/admin/procedures"
YEAR = "2026/2027"  # the current school year of the test clock: always on the page


def per_year(archive) -> bool:
    with archive.uow() as uow:
        return procedures.chosen(uow, YEAR).binds_per_year


def test_the_administrator_binds_the_year_as_one_volume(archive, login_as):
    admin = login_as("admin")
    assert "каждый период — отдельное дело" in page_text(admin.get(PAGE).get_data(as_text=True))
    response = post(admin, f"{PAGE}/binding", {"year": YEAR, "binding": "year"}, follow_redirects=True)
    assert f"{YEAR} учебный год: журнал за год — одним томом." in page_text(response.get_data(as_text=True))
    assert per_year(archive)
    with archive.uow() as uow:
        events = [(e.actor, e.object_id) for e in uow.audit.entries() if e.action == "procedure.binding_set"]
    assert events == [(NAMES["admin"], YEAR)]
    post(admin, f"{PAGE}/binding", {"year": YEAR, "binding": "period"})
    assert not per_year(archive)


def test_a_wrong_binding_form_changes_nothing(archive, login_as):
    admin = login_as("admin")
    for form in ({"year": "1999/2000", "binding": "year"}, {"year": YEAR, "binding": "month"}):
        response = post(admin, f"{PAGE}/binding", form, follow_redirects=True)
        assert "Переплёт не изменён" in page_text(response.get_data(as_text=True))
    assert not per_year(archive)
    deputy = login_as("deputy")
    assert post(deputy, f"{PAGE}/binding", {"year": YEAR, "binding": "year"}).status_code in (302, 403)
    assert not per_year(archive)
