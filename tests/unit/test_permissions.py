"""The permission table is the one home of who may do what: views, menus and services read it."""

from __future__ import annotations

import pytest

from archive_service.domain.permissions import PERMISSIONS, may, roles_for, sole_role
from archive_service.domain.roles import ROLES


def test_every_action_names_only_known_roles():
    for action, roles in PERMISSIONS.items():
        assert roles and roles <= set(ROLES), action


def test_an_unknown_action_is_an_error_not_an_open_door():
    with pytest.raises(ValueError, match="unknown action"):
        roles_for("delete_everything")
    with pytest.raises(ValueError):
        may("director", "delete_everything")


def test_only_the_director_signs_approves_disposal_and_confirms_handover():
    for action in ("sign_documents", "approve_disposal", "confirm_handover"):
        assert sole_role(action) == "director"
        assert not may("deputy", action) and not may("secretary", action)


def test_the_administrator_reaches_no_archive_contents():
    assert not may("admin", "search_archive") and not may("admin", "check_sheet")
    assert may("admin", "manage_accounts") and not may("director", "manage_accounts")
