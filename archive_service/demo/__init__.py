"""A realistic, seeded demo school (МБОУ СОШ № 21, 2026/2027) as `journal-snapshot/1` snapshots.

`generate` yields the snapshots of every class for the requested periods; `write_demo_data`
writes them as JSON files. The same seed always gives byte-identical output.
"""

from archive_service.demo.generator import generate, write_demo_data

__all__ = ["generate", "write_demo_data"]
