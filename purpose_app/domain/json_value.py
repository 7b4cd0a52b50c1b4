"""The shape of what the vault keeps as a document (my why, settings, self-check results...): JSON.

Services take and return these types instead of Any, so the type checker follows a document from
the screen that edits it to the row that seals it. Narrow with isinstance where a kind needs more.
"""

from __future__ import annotations

from typing import TypeAlias

JsonValue: TypeAlias = "dict[str, JsonValue] | list[JsonValue] | str | int | float | bool | None"
JsonObject: TypeAlias = "dict[str, JsonValue]"
