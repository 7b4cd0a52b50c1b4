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


# (rule, a fragment of the one node's CSS selector or HTML) -> why the app cannot fix it, with the
# evidence. Flutter's node ids change from run to run, so a node may be named by an attribute it alone
# carries in its HTML.
ALLOWED: dict[tuple[str, str], str] = {
    ("label", 'flt-semantics-identifier="energy"'): (
        "Today's energy slider. Flutter's web engine names a slider's outer semantics node and never "
        "its hidden <input type=range>; the app puts the name on that node and the value in words on "
        "the input (widgets.energy_slider). Recognised by its identifier: after a tap or a click the "
        "engine leaves the input without aria-valuetext. Shown by tests/e2e/repro/label.py."
    ),
    ("label", 'flt-semantics-identifier="entry-energy"'): (
        "The entry window's energy slider: the same engine limit and remedy as Today's. Shown by "
        "tests/e2e/repro/label.py."
    ),
    ("label", "flt-text-editing"): (
        "Flutter's own hidden editing element for the text field being typed in (one at a time, "
        "tabindex -1), added beside the field's named input, which keeps its name. Shown by "
        "tests/e2e/repro/label.py (its autofocused field)."
    ),
    ("label", 'flt-semantics-identifier="slider-text-size"'): (
        "Settings' text-size slider: the same engine limit as the energy slider, the same remedy "
        "(widgets.named_slider). Recognised by its identifier: in touch emulation the engine leaves the "
        "input without aria-valuetext. Shown by tests/e2e/repro/label.py."
    ),
    ("aria-dialog-name", 'role="alertdialog"'): (
        "A dialog's route element, made by Flutter's showDialog, which no app property reaches: a "
        "dialog's title and semantics_label name a node inside it, never the route element itself "
        "(engine semantics/route.dart). Shown by tests/e2e/repro/aria_dialog_name.py."
    ),
}


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
            html = node.get("html", "")
            if _allowed(page, violation["id"], target, html):
                continue
            findings.append(Finding(violation["id"], impact, target, html, node.get("failureSummary", "")))
    return findings


# The identifiers (ft.Semantics(identifier=...)) of the nodes around an element: Flutter's hidden inputs
# carry nothing of their own, so a node is recognised by the control it belongs to.
_AROUND = """(selector) => {
  let found = '';
  for (let node = document.querySelector(selector); node; node = node.parentElement) {
    const id = node.getAttribute && node.getAttribute('flt-semantics-identifier');
    if (id) found += ` flt-semantics-identifier="${id}"`;
  }
  return found;
}"""


def _allowed(page: object, rule: str, target: str, html: str) -> bool:
    wheres = [where for allowed_rule, where in ALLOWED if allowed_rule == rule]
    if not wheres:
        return False
    if any(where in target or where in html for where in wheres):
        return True
    try:
        around = str(page.evaluate(_AROUND, target))  # type: ignore[attr-defined]
    except Exception:  # playwright: a selector querySelector cannot take: nothing around it is known
        return False
    return any(where in around for where in wheres)
