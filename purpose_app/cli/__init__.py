"""The `purpose` command: one module per command group, all calling the services layer."""

from purpose_app.cli.command import entry_json, main

__all__ = ["entry_json", "main"]
