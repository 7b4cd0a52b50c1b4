"""axe-core (npm, pinned in tests/e2e/package-lock.json, installed by `make test`) run in the served app.

Flutter draws on a canvas; what a screen reader meets is its accessibility tree (flt-semantics nodes with
ARIA roles and names), which is what axe audits here. A rule is never excluded wholesale: an exception
names one rule on one node, with the evidence of why the app cannot fix it (see ALLOWED).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

AXE_JS = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
SERIOUS = frozenset({"serious", "critical"})
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


@dataclass(frozen=True)
class Finding:
    rule: str
    impact: str
    target: str
    html: str
    summary: str

    def __str__(self) -> str:
        return f"{self.impact} {self.rule} at {self.target}: {self.html[:160]} -- {self.summary[:200]}"


# (rule, a CSS selector fragment of the one node) -> why the app cannot fix it, with the evidence.
ALLOWED: dict[tuple[str, str], str] = {}


def audit(page: object) -> list[Finding]:
    """Every serious or critical violation on the page as it is now."""
    if not AXE_JS.exists():
        raise AssertionError(
            f"axe-core is missing at {AXE_JS}: `make test` installs it (npm ci in tests/e2e)"
        )
    if not page.evaluate("typeof window.axe !== 'undefined'"):  # type: ignore[attr-defined]
        page.add_script_tag(content=AXE_JS.read_text())  # type: ignore[attr-defined]
    raw = page.evaluate(  # type: ignore[attr-defined]
        "async (tags) => JSON.stringify((await axe.run(document, {runOnly: {type: 'tag', values: tags},"
        " resultTypes: ['violations']})).violations)",
        TAGS,
    )
    findings = []
    for violation in json.loads(raw):
        for node in violation["nodes"]:
            impact = node.get("impact") or violation.get("impact") or ""
            if impact not in SERIOUS:
                continue
            target = " ".join(str(part) for part in node["target"])
            if any(rule == violation["id"] and where in target for rule, where in ALLOWED):
                continue
            findings.append(
                Finding(violation["id"], impact, target, node.get("html", ""), node.get("failureSummary", ""))
            )
    return findings
