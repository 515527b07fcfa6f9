"""The roles of the people who use the archive, by code, with their Russian names."""

ROLES = {
    "admin": "администратор",
    "deputy": "заместитель директора",
    "director": "директор",
    "secretary": "секретарь",
    "inspector": "инспектор",
}
