"""Adapters: the ORM mapping and repositories, the database engine, journal sources."""
