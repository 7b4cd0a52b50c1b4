"""The self-check commands: checkin, cbi, selfcheck history|due and support.

Registered by cli/insight and imported only when one of them runs. Answers are checked before the
passphrase is asked for. Results are "a signal worth attention", never a diagnosis; with a high one,
support resources follow, gently. `support` itself needs no passphrase.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from purpose_app.cli.context import Context, Handler, interactive
from purpose_app.domain import clock
from purpose_app.domain.text_safety import for_terminal
from purpose_app.errors import InvalidInput, UsageError
from purpose_app.insight import scoring, support
from purpose_app.insight.scoring import CheckResult

if TYPE_CHECKING:
    from purpose_app.services.vault import Vault


def _interactive() -> bool:
    return interactive()  # a name of its own here: tests answer the questions as if at a terminal


def _show(text: str) -> None:
    """A question or a hint at the terminal, escaped like every other line (answers may be echoed)."""
    print(for_terminal(text))


# -- support ----------------------------------------------------------------------------------------


def _resource_json(r: support.Resource) -> dict[str, object]:
    return {"name": r.name, "contact": r.contact, "note": r.note, "own": r.own, "id": r.id}


def _support_json(found: support.SupportList) -> dict[str, object]:
    return {
        "locale": found.locale,
        "privacy": found.privacy,
        "resources": [_resource_json(r) for r in found.resources],
    }


def _support_lines(found: support.SupportList) -> list[str]:
    lines = []
    for r in found.resources:
        mark = f"  (yours, id {r.id})" if r.own else ""
        lines.append(f"  {r.name}: {r.contact}{mark}")
        if r.note:
            lines.append(f"      {r.note}")
    if found.privacy:
        lines.append(found.privacy)
    return lines


def _gentle_support(opened: Vault) -> tuple[str, dict[str, object]]:
    found = support.combined(opened)
    text = "\n".join(
        [
            "",
            "",
            "You do not have to carry this alone. If talking to someone would help:",
            *_support_lines(found),
        ]
    )
    return text, _support_json(found)


def _support(ctx: Context) -> int:
    command = ctx.args.optional("support_command")
    if command == "add":
        name, contact = ctx.args.text("name"), ctx.args.text("contact")
        note = ctx.args.optional("note") or ""
        support.new_resource(name, contact, note)  # check before unlocking
        with ctx.unlock() as opened:
            added = support.add_own(opened, name, contact, note)
        ctx.emit(
            _resource_json(added), f"Saved {added.name} to your support list (kept encrypted in your vault)."
        )
        return 0
    if command == "remove":
        resource_id = ctx.args.text("id")
        with ctx.unlock() as opened:
            support.remove_own(opened, resource_id)
        ctx.emit({"removed": resource_id}, f"Removed {resource_id} from your support list.")
        return 0
    mine = ctx.args.flag("mine")
    if mine:
        with ctx.unlock() as opened:
            found = support.combined(opened)
    else:
        found = support.shipped()
    hint = [] if mine else ["", "Your own contacts: `purpose support --mine` (asks for your passphrase)."]
    ctx.emit(
        _support_json(found), "\n".join(["Support, whenever you want it:", *_support_lines(found), *hint])
    )
    return 0


# -- self-checks ------------------------------------------------------------------------------------


def _ask_quick() -> int:
    if not _interactive():
        raise UsageError("Give your answer with --burnout N (1 to 5); there is no terminal to ask in.")
    _show(scoring.QUICK_QUESTION)
    for number, text in enumerate(scoring.QUICK_OPTIONS, start=1):
        _show(f"  {number}. {text}")
    while True:
        try:
            return scoring.parse_quick(input("Your answer (1-5): "))
        except InvalidInput as exc:
            _show(exc.message)


def _checkin(ctx: Context) -> int:
    burnout = ctx.args.optional("burnout")
    score = scoring.parse_quick(burnout) if burnout is not None else _ask_quick()
    with ctx.unlock() as opened:
        from purpose_app.services.selfcheck import SelfChecks

        result = SelfChecks(opened).record_quick(score, clock.now())
        extra, resources = _gentle_support(opened) if result.wants_support else ("", None)
    symptoms = scoring.quick_has_symptoms(score)
    lines = [f"Saved your quick check: {score} of 5.", f'"{scoring.QUICK_OPTIONS[score - 1]}"']
    if symptoms:
        lines.append(
            "Answers of 3 or more are where the published measure counts burnout symptoms as present: "
            "a signal worth attention, not a diagnosis."
        )
    data = {**_result_json(result), "symptoms": symptoms, "support": resources}
    ctx.emit(data, "\n".join(lines) + extra)
    return 0


def _ask_cbi() -> tuple[int | None, ...]:
    if not _interactive():
        raise UsageError("Give your answers with --answers A1,...,A19; there is no terminal to ask in.")
    _show("The Copenhagen Burnout Inventory: 19 questions. Press Enter to skip one.")
    answers: list[int | None] = []
    for item in scoring.ITEMS:
        words = scoring.ANSWER_WORDS[item.answers]
        menu = "  ".join(f"{i}) {w}" for i, w in enumerate(words, start=1))
        _show(f"\n{item.number}/19. {item.text}\n  {menu}")
        while True:
            raw = input("> ").strip()
            try:
                value = scoring.VALUES[int(raw) - 1] if raw in ("1", "2", "3", "4", "5") else None
                answers.append(value if value is not None else scoring.parse_answer(raw, item))
                break
            except InvalidInput as exc:
                _show(exc.message)
    return tuple(answers)


def _scale_line(result: scoring.CbiResult, scale: str) -> str:
    name = scoring.SCALE_NAMES[scale]
    count = sum(1 for item in scoring.ITEMS if item.scale == scale)
    answered, value = result.answered[scale], result.score(scale)
    if value is None:
        need = scoring.MIN_ANSWERED[scale]
        return f"  {name:<24} no score: {answered} of {count} answered; at least {need} are needed"
    high = "  (50 or more)" if value >= scoring.HIGH_THRESHOLD else ""
    return f"  {name:<24} {value:5.1f}  ({answered} of {count} answered){high}"


def _cbi(ctx: Context) -> int:
    given = ctx.args.optional("answers")
    answers = scoring.parse_answers(given) if given is not None else _ask_cbi()
    scoring.score_cbi(answers)
    with ctx.unlock() as opened:
        from purpose_app.services.selfcheck import SelfChecks

        result = SelfChecks(opened).record_cbi(answers, clock.now())
        extra, resources = _gentle_support(opened) if result.wants_support else ("", None)
    assert result.cbi is not None
    lines = ["Saved your Copenhagen check.", *(_scale_line(result.cbi, s) for s in scoring.SCALES)]
    lines.append(
        f"Scores run from 0 to 100; higher means more burnout. 50 or more is {scoring.THRESHOLD_LABEL}, "
        "a signal worth attention and not a diagnosis."
    )
    ctx.emit({**_result_json(result), "support": resources}, "\n".join(lines) + extra)
    return 0


def _result_json(result: CheckResult) -> dict[str, object]:
    data: dict[str, object] = {"id": result.id, "type": result.kind, "taken": result.taken.isoformat()}
    if result.kind == scoring.QUICK:
        return data | {"score": result.quick}
    assert result.cbi is not None
    scores = {s: result.cbi.score(s) for s in scoring.SCALES}
    high = result.cbi.high_scales()
    return (
        data | scores | {"answered": result.cbi.answered, "answers": list(result.answers or ()), "high": high}
    )


def _history_line(result: CheckResult) -> str:
    when = result.taken.strftime("%Y-%m-%d %H:%M")
    if result.kind == scoring.QUICK:
        return f"{when}  quick check  {result.quick} of 5"
    assert result.cbi is not None
    parts = [
        f"{s} {'no score' if (v := result.cbi.score(s)) is None else f'{v:.1f}'}" for s in scoring.SCALES
    ]
    return f"{when}  Copenhagen   {' · '.join(parts)}"


def _selfcheck(ctx: Context) -> int:
    from purpose_app.services.selfcheck import SelfChecks

    with ctx.unlock() as opened:
        checks = SelfChecks(opened)
        if ctx.args.text("selfcheck_command") == "due":
            due = checks.due(clock.now())
            data = {
                "quick": due.quick, "cbi": due.cbi,
                "last_quick": due.last_quick.isoformat() if due.last_quick else None,
                "last_cbi": due.last_cbi.isoformat() if due.last_cbi else None,
            }  # fmt: skip
            ctx.emit(data, due.sentence())
            return 0
        history = checks.history()
    human = (
        "\n".join(_history_line(r) for r in history)
        or "No self-checks yet. `purpose checkin` takes ten seconds."
    )
    ctx.emit([_result_json(r) for r in history], human)
    return 0


HANDLERS: dict[str, Handler] = {
    "checkin": _checkin,
    "cbi": _cbi,
    "selfcheck": _selfcheck,
    "support": _support,
}
