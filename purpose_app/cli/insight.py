"""The insight commands: chart, ledger and report, and the registration of the self-check commands.

The self-check handlers live in cli/selfcheck, imported only when one of them runs. Input is checked
before the passphrase is asked for (a typo costs nothing), and files are written only where --out says.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from purpose_app.cli.context import Context, Handler
from purpose_app.cli.files import check_out, write_file
from purpose_app.cli.registry import Commands
from purpose_app.domain import clock
from purpose_app.errors import InvalidInput

if TYPE_CHECKING:
    from purpose_app.insight.ledger import LedgerRow
    from purpose_app.services.trends import Trends
    from purpose_app.services.vault import Vault

CHARTS = ("energy", "ledger", "shifts", "selfcheck")


# -- charts, ledger, report -------------------------------------------------------------------------


def _trends(opened: Vault) -> Trends:
    from purpose_app.services.trends import Trends

    return Trends(opened)


def _chart(ctx: Context) -> int:
    from purpose_app.insight import charts, series, theme
    from purpose_app.services.trends import DEFAULT_DAYS

    kind, out = ctx.args.text("kind"), ctx.args.text("out")
    days = series.parse_days(ctx.args.optional("days"), DEFAULT_DAYS[kind])
    check_out(out)
    size = theme.SIZES[ctx.args.text("size")].scaled(ctx.args.real("scale"))
    with ctx.unlock() as opened:
        chart = _trends(opened).chart(kind, days, clock.now().date())
    rendered = charts.render(chart, theme.THEMES[ctx.args.text("theme")], size)
    write_file(out, rendered.png)
    data = {"chart": kind, "out": out, "width": rendered.width, "height": rendered.height,
            "title": rendered.title, "summary": rendered.summary}  # fmt: skip
    ctx.emit(data, f"Wrote {out} ({rendered.width}x{rendered.height}).\n{rendered.summary}")
    return 0


def _row_json(row: LedgerRow) -> dict[str, object]:
    return {"label": row.label, "count": row.count, "mean": row.mean, "delta": row.delta}


def _ledger(ctx: Context) -> int:
    from purpose_app.insight import series
    from purpose_app.insight.ledger import signed
    from purpose_app.services.trends import DEFAULT_DAYS

    days = series.parse_days(ctx.args.optional("days"), DEFAULT_DAYS["ledger"])
    with ctx.unlock() as opened:
        found = _trends(opened).ledger(days, clock.now().date())
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


def _report(ctx: Context) -> int:
    from purpose_app.domain.query import parse_moment

    until, out, excerpts = ctx.args.optional("until"), ctx.args.text("out"), ctx.args.flag("with_excerpts")
    start = parse_moment(ctx.args.text("since")).date()
    end = parse_moment(until).date() if until else clock.now().date()
    if start > end:
        raise InvalidInput(f"--since ({start}) is after the end of the report ({end}).")
    check_out(out)
    with ctx.unlock() as opened:
        ctx.warn("Making your report (a few seconds)...")
        pdf, pages = _trends(opened).report(start, end, with_excerpts=excerpts)
    write_file(out, pdf)
    what = (
        "charts, ledger, self-checks and entry excerpts"
        if excerpts
        else "charts, ledger and self-checks (no entry text)"
    )
    data = {"out": out, "pages": pages, "since": start.isoformat(), "until": end.isoformat(),
            "excerpts": excerpts}  # fmt: skip
    ctx.emit(
        data,
        f"Wrote {out} ({pages} pages: {what}).\n"
        "The file is not encrypted: share it only with someone you choose.",
    )
    return 0


def _later(name: str) -> Handler:
    """A self-check handler, importing cli/selfcheck only when it runs: keeps `purpose add` quick."""

    def run(ctx: Context) -> int:
        from purpose_app.cli import selfcheck

        return selfcheck.HANDLERS[name](ctx)

    return run


def add_commands(commands: Commands) -> None:
    """Register chart, ledger, report, checkin, cbi, selfcheck and support."""
    days_help = 'a number of days up to today, or "all"'
    chart = commands.add("chart", "draw a chart to a PNG file (energy, ledger, shifts or selfcheck)", _chart)
    chart.add_argument("kind", choices=CHARTS)
    chart.add_argument("--out", required=True, metavar="FILE.png")
    chart.add_argument("--days", metavar="N", help=f"{days_help} (default: 30; shifts 90; selfcheck 365)")
    chart.add_argument("--theme", choices=("light", "dark"), default="light")
    chart.add_argument("--size", choices=("phone", "desktop"), default="desktop")
    chart.add_argument("--scale", type=float, default=1.0, choices=(1.0, 2.0, 3.0), help="pixel density")
    commands.add("ledger", "what comes with your lower and your better days", _ledger).add_argument(
        "--days", metavar="N", help=f"{days_help} (default: 30)"
    )
    report = commands.add("report", "a PDF of your charts for a conversation you choose to have", _report)
    report.add_argument("--since", required=True, metavar="DATE")
    report.add_argument("--until", metavar="DATE", help="last day (default: today)")
    report.add_argument("--out", required=True, metavar="FILE.pdf")
    report.add_argument("--with-excerpts", action="store_true", help="include the text of entries")
    checkin = commands.add(
        "checkin", "the ten-second burnout check (1-5), saved encrypted", _later("checkin")
    )
    checkin.add_argument(
        "--burnout", metavar="N", help="your answer, 1 to 5 (without it, the question is asked)"
    )
    cbi = commands.add(
        "cbi", "the Copenhagen Burnout Inventory (19 questions), saved encrypted", _later("cbi")
    )
    cbi.add_argument(
        "--answers",
        metavar="A1,...,A19",
        help="0/25/50/75/100 or the answer words; leave a place empty to skip",
    )
    check = commands.add("selfcheck", "your self-check results", _later("selfcheck"))
    check.add_argument("selfcheck_command", choices=("history", "due"), metavar="history|due")
    support = commands.add("support", "support resources, always one step away (no passphrase needed)",
                           _later("support"))  # fmt: skip
    support.add_argument("--mine", action="store_true", help="include your own contacts (unlocks)")
    actions = commands.nested(support, "support_command", "ACTION", required=False)
    own = actions.add("add", "add a contact of your own", None, describe=False)
    own.add_argument("--name", required=True)
    own.add_argument("--contact", required=True, help="a number, an address or a web page")
    own.add_argument("--note")
    actions.add("remove", "remove one of your contacts", None, describe=False).add_argument("id")
