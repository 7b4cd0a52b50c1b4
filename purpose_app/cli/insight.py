"""The command line for insight: charts, the ledger and the report (self-checks and support are in
cli_selfcheck, registered from here).

Input is checked before the passphrase is asked for (a typo costs nothing), and files are written only
where --out says.
"""

from __future__ import annotations

import argparse
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from purpose_app.errors import InvalidInput

CHARTS = ("energy", "ledger", "shifts", "selfcheck")


def _now() -> datetime:
    return datetime.now(UTC).astimezone()


def _check_out(path: str) -> None:
    """Refuse an output path that cannot be written, before any work (exit 5)."""
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if target.is_dir():
        raise InvalidInput(f"{path} is a folder. Give a file name with --out, e.g. {target / 'chart.png'}.")
    if not folder.is_dir():
        raise InvalidInput(
            f"Could not write {path}: the folder {folder} does not exist. Nothing was written."
        )
    if not os.access(folder, os.W_OK | os.X_OK) or (target.exists() and not os.access(target, os.W_OK)):
        raise InvalidInput(f"Could not write {path}: permission denied. Choose another place with --out.")


# -- charts, ledger, report -------------------------------------------------------------------------


def _trends(opened: Any) -> Any:
    from purpose_app.services.trends import Trends

    return Trends(opened)


def _chart(ctx: Any) -> int:
    from purpose_app.cli.prompts import write_file
    from purpose_app.insight import charts, series, theme
    from purpose_app.services.trends import DEFAULT_DAYS

    days = series.parse_days(ctx.args.days, DEFAULT_DAYS[ctx.args.kind])
    _check_out(ctx.args.out)
    size = theme.SIZES[ctx.args.size].scaled(ctx.args.scale)
    with ctx.unlock() as opened:
        chart = _trends(opened).chart(ctx.args.kind, days, _now().date())
    rendered = charts.render(chart, theme.THEMES[ctx.args.theme], size)
    write_file(ctx.args.out, rendered.png)
    data = {"chart": ctx.args.kind, "out": ctx.args.out, "width": rendered.width, "height": rendered.height,
            "title": rendered.title, "summary": rendered.summary}  # fmt: skip
    ctx.emit(data, f"Wrote {ctx.args.out} ({rendered.width}x{rendered.height}).\n{rendered.summary}")
    return 0


def _row_json(row: Any) -> dict[str, Any]:
    return {"label": row.label, "count": row.count, "mean": row.mean, "delta": row.delta}


def _ledger(ctx: Any) -> int:
    from purpose_app.insight import series
    from purpose_app.insight.ledger import signed
    from purpose_app.services.trends import DEFAULT_DAYS

    days = series.parse_days(ctx.args.days, DEFAULT_DAYS["ledger"])
    with ctx.unlock() as opened:
        found = _trends(opened).ledger(days, _now().date())
    data = {
        "start": found.start.isoformat(), "end": found.end.isoformat(), "baseline": found.baseline,
        "days_with_energy": found.days_with_energy, "drains": [_row_json(r) for r in found.drains],
        "fuels": [_row_json(r) for r in found.fuels], "summary": found.summary(),
    }  # fmt: skip
    average = (
        f"your average energy {found.baseline:.1f} over {found.days_with_energy} days"
        if found.baseline is not None
        else "no energy levels yet"
    )
    lines = [f"Drains and fuels, {found.start} to {found.end} ({average})"]
    for row in found.rows:
        mean = "     -" if row.mean is None else f"{row.mean:6.1f}"
        delta = "-" if row.delta is None else signed(row.delta)
        unit = "day " if row.count == 1 else "days"
        lines.append(f"  {row.kind:<5}  {row.label[:30]:<30} {row.count:>4} {unit}  mean {mean}  {delta:>5}")
    lines.append(found.summary())
    ctx.emit(data, "\n".join(lines))
    return 0


def _report(ctx: Any) -> int:
    from purpose_app.cli.prompts import write_file
    from purpose_app.domain.query import parse_moment

    start = parse_moment(ctx.args.since).date()
    end = parse_moment(ctx.args.until).date() if ctx.args.until else _now().date()
    if start > end:
        raise InvalidInput(f"--since ({start}) is after the end of the report ({end}).")
    _check_out(ctx.args.out)
    with ctx.unlock() as opened:
        print("Making your report (a few seconds)...", file=ctx.err)
        pdf, pages = _trends(opened).report(start, end, with_excerpts=ctx.args.with_excerpts)
    write_file(ctx.args.out, pdf)
    what = (
        "charts, ledger, self-checks and entry excerpts"
        if ctx.args.with_excerpts
        else "charts, ledger and self-checks (no entry text)"
    )
    data = {"out": ctx.args.out, "pages": pages, "since": start.isoformat(), "until": end.isoformat(),
            "excerpts": ctx.args.with_excerpts}  # fmt: skip
    ctx.emit(
        data,
        f"Wrote {ctx.args.out} ({pages} pages: {what}).\n"
        "The file is not encrypted: share it only with someone you choose.",
    )
    return 0


def add_commands(sub: Any, common: argparse.ArgumentParser, as_json: argparse.ArgumentParser) -> None:
    """Register chart, ledger, checkin, cbi, selfcheck, report and support; each sets args.handler."""

    def lazy(name: str) -> Any:
        def run(ctx: Any) -> int:
            from purpose_app.cli import (
                selfcheck as cli_selfcheck,  # loaded when used: keeps `purpose add` quick to start
            )

            return int(getattr(cli_selfcheck, name)(ctx))

        return run

    def add(name: str, help_text: str, handler: Any) -> Any:
        parser = sub.add_parser(name, help=help_text, description=help_text, parents=[common, as_json])
        parser.set_defaults(handler=handler)
        return parser

    days_help = 'a number of days up to today, or "all"'
    chart = add("chart", "draw a chart to a PNG file (energy, ledger, shifts or selfcheck)", _chart)
    chart.add_argument("kind", choices=CHARTS)
    chart.add_argument("--out", required=True, metavar="FILE.png")
    chart.add_argument("--days", metavar="N", help=f"{days_help} (default: 30; shifts 90; selfcheck 365)")
    chart.add_argument("--theme", choices=("light", "dark"), default="light")
    chart.add_argument("--size", choices=("phone", "desktop"), default="desktop")
    chart.add_argument("--scale", type=float, default=1.0, choices=(1.0, 2.0, 3.0), help="pixel density")
    add("ledger", "what comes with your lower and your better days", _ledger).add_argument(
        "--days", metavar="N", help=f"{days_help} (default: 30)"
    )
    report = add("report", "a PDF of your charts for a conversation you choose to have", _report)
    report.add_argument("--since", required=True, metavar="DATE")
    report.add_argument("--until", metavar="DATE", help="last day (default: today)")
    report.add_argument("--out", required=True, metavar="FILE.pdf")
    report.add_argument("--with-excerpts", action="store_true", help="include the text of entries")
    add("checkin", "the ten-second burnout check (1-5), saved encrypted", lazy("_checkin")).add_argument(
        "--burnout", metavar="N", help="your answer, 1 to 5 (without it, the question is asked)"
    )
    add("cbi", "the Copenhagen Burnout Inventory (19 questions), saved encrypted", lazy("_cbi")).add_argument(
        "--answers",
        metavar="A1,...,A19",
        help="0/25/50/75/100 or the answer words; leave a place empty to skip",
    )
    check = add("selfcheck", "your self-check results", lazy("_selfcheck"))
    check.add_argument("selfcheck_command", choices=("history", "due"), metavar="history|due")
    help_support = "support resources, always one step away (no passphrase needed)"
    help_parser = add("support", help_support, lazy("_support"))
    help_parser.add_argument("--mine", action="store_true", help="include your own contacts (unlocks)")
    actions = help_parser.add_subparsers(dest="support_command", metavar="ACTION")
    own = actions.add_parser("add", help="add a contact of your own", parents=[common, as_json])
    own.add_argument("--name", required=True)
    own.add_argument("--contact", required=True, help="a number, an address or a web page")
    own.add_argument("--note")
    actions.add_parser("remove", help="remove one of your contacts", parents=[common, as_json]).add_argument(
        "id"
    )
