"""Use cases: one module each (ingest, preflight, tokens, …), called by the CLI, web and tasks."""
