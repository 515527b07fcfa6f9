"""The `archive-service` command line: one module per command group, `common` for what they
share (the archive, who acts, options, output), `entry` for the command itself.

Commands parse their options, call one service and print the outcome in Russian (or JSON with
`--json`); errors become a message and a non-zero exit status.
"""

from archive_service.cli.entry import ArchiveCommandLine, main, register_commands

__all__ = ["ArchiveCommandLine", "main", "register_commands"]
