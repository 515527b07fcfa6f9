"""The roles of the people who use the archive, by code, with their Russian names."""

ROLES = {
    "admin": "администратор",
    "deputy": "заместитель директора",
    "director": "директор",
    "secretary": "секретарь",
    "inspector": "инспектор",
}

STAFF = frozenset(ROLES) - {"admin"}
"""The school's staff who work with the archive's contents. The administrator manages accounts,
API tokens and media, not archive contents: no journal page, document, register or job detail."""
