"""Views and menus are made from the permission table (`domain.permissions`): no view admits a set of
roles the table does not name, and no menu shows an entry to a role its page would refuse."""

from __future__ import annotations

from archive_service.domain.permissions import PERMISSIONS


def test_every_view_of_the_app_declares_an_action_of_the_table(app):
    declared = {frozenset(v.allowed_roles) for v in app.view_functions.values() if hasattr(v, "allowed_roles")}
    assert declared <= set(PERMISSIONS.values())


def test_the_menus_show_an_entry_only_to_roles_its_page_admits(app):
    for endpoint, _label, roles in app.config["NAV"]:
        assert roles <= app.view_functions[endpoint].allowed_roles, endpoint
