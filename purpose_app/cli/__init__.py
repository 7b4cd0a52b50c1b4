"""The `purpose` command: one module per command group, all calling the services layer."""

from purpose_app.cli.command import main
from purpose_app.cli.entries import entry_json

__all__ = ["entry_json", "main"]
