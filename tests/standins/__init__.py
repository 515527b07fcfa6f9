"""Stand-in servers of the journal systems, for the connectors' tests."""
