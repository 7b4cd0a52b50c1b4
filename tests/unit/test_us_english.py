"""The app's own words are US English, like its built-in packs; stored keys keep their first spelling."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# UK spellings that were in the app's screens, command line and docs before issue 17.
UK = re.compile(
    r"(?i)\b(programmes?\b|favourites?|unfavourite|colours?\b|centred?\b|behaviour|organis|recognis|licence"
    r"|normalis|fuelled|honoured|practis|realis|judgement|grey\b)"
)
# Data keys, stored document kinds, JSON fields, CLI aliases and test ids: stored or parsed, so unchanged.
KEPT = {
    "programme", "licence", "favourite", "favourites", "unfavourite", "programme_command", "programme-",
    "[programme]", "licence = ", ", licence", "expected a [programme] table with pace = ",
    "ProgrammeRow", "ProgrammesModel",  # class names in __all__
}  # fmt: skip


def _literals(path: Path) -> list[tuple[int, str]]:
    """Every string literal of a module that is not a docstring, with its line."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docs = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
    }
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs
    ]


def test_no_uk_spelling_in_the_apps_strings():
    """No screen, message or command-line text says "programme", "favourites", "fuelled" and the like."""
    found = [
        f"{path.relative_to(ROOT)}:{line}: {text!r}"
        for path in sorted((ROOT / "purpose_app").rglob("*.py"))
        for line, text in _literals(path)
        if text not in KEPT and UK.search(text)
    ]
    assert found == []


def _prose(text: str) -> str:
    """Markdown without fenced code blocks and `code spans` (where keys like `licence` are named)."""
    text = re.sub(r"(?ms)^\s*```.*?^\s*```", "", text)
    return re.sub(r"`[^`\n]*`", "", text)


def test_no_uk_spelling_in_the_docs_prose():
    """README, SECURITY and docs/ are written in US English outside code."""
    docs = [ROOT / "README.md", ROOT / "SECURITY.md", *sorted((ROOT / "docs").glob("*.md"))]
    found = [
        f"{p.name}: {m.group(0)}" for p in docs for m in UK.finditer(_prose(p.read_text(encoding="utf-8")))
    ]
    assert found == []


def test_the_check_would_catch_a_uk_word():
    """The pattern the two checks use finds the UK words it is meant to find, and passes US ones."""
    assert UK.search("What fuelled you?") and UK.search("Stop programme") and UK.search("your favourites")
    assert not UK.search("What fueled you? Stop program. Your favorites, in color, at the center.")
    assert _prose("A `licence` key.\n```toml\nlicence = 'x'\n```\n").strip() == "A  key."
