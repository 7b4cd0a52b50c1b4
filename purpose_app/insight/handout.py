"""A session pack as a printable handout (PDF made in memory with matplotlib's PDF backend), for
members without the app: the ground rules, the readings with their attribution, each prompt with
ruled space to write, and where to find support. It takes plain values: whoever builds them decides
what goes in, and facilitator notes have no field here, so they cannot be printed."""

from __future__ import annotations

import io
import textwrap
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from purpose_app.domain import calendar_words
from purpose_app.insight.theme import LIGHT, safe_text

if TYPE_CHECKING:
    from matplotlib.figure import Figure

PAGE_PT = (612.0, 792.0)  # US Letter in points; fits A4 with its margins
MARGIN = 54.0
FOOTER = 30.0
RULE_GAP = 24.0  # the height of one ruled writing line: room for handwriting
WRITING_LINES = 8
CHAR_WIDTH = 0.56  # DejaVu Sans' mean advance per point of size, for wrapping
# No ligatures: "fi" stays two letters, so a member can copy a prompt out of the PDF and a screen
# reader reads it whole.
FEATURES = ("-liga", "-clig")


@dataclass(frozen=True, slots=True)
class HandoutPrompt:
    text: str
    follow_up: str | None = None


@dataclass(frozen=True, slots=True)
class HandoutReading:
    title: str
    attribution: str
    licence: str
    text: str | None = None


@dataclass(frozen=True, slots=True)
class HandoutInput:
    title: str
    description: str
    author: str
    licence: str
    ground_rules: tuple[str, ...]
    prompts: tuple[HandoutPrompt, ...]
    readings: tuple[HandoutReading, ...] = ()
    support: tuple[tuple[str, str, str], ...] = ()  # (name, contact, note)
    session_date: date | None = None


@dataclass(frozen=True, slots=True)
class _Line:
    text: str
    size: float = 10.5
    weight: str = "normal"
    muted: bool = False
    indent: float = 0.0

    @property
    def height(self) -> float:
        return self.size * 1.45


@dataclass(frozen=True, slots=True)
class _Space:
    height: float
    rule: bool = False  # a ruled line to write on


_Item = _Line | _Space
_Block = list[_Item]  # kept on one page when it fits on one


def _wrap(
    text: str, size: float, indent: float = 0.0, *, weight: str = "normal", muted: bool = False
) -> list[_Item]:
    width = max(20, int((PAGE_PT[0] - 2 * MARGIN - indent) / (size * CHAR_WIDTH)))
    lines = [line for p in safe_text(text).split("\n") for line in (textwrap.wrap(p, width) or [""])]
    return [_Line(line, size, weight, muted, indent) for line in lines]


def _heading(text: str) -> list[_Item]:
    return [_Space(10), _Line(text, 13.5, "bold"), _Space(2)]


def _blocks(data: HandoutInput) -> list[_Block]:
    day = data.session_date
    when = [calendar_words.date_words(day)] if day else []
    byline = " · ".join([*when, data.author])
    blocks: list[_Block] = [
        [
            _Line(safe_text(data.title), 18, "bold"),
            *_wrap(byline, 10, muted=True),
            _Space(6),
            *_wrap(data.description, 10.5),
        ],
        [
            *_heading("Our ground rules"),
            *(i for rule in data.ground_rules for i in _wrap(f"•  {rule}", 10.5)),
        ],
    ]
    for number, reading in enumerate(data.readings):
        head = _heading("Readings") if number == 0 else [_Space(8)]
        text = _wrap(reading.text, 10.5, 12) if reading.text else []
        credit = _wrap(f"{reading.attribution} · {reading.licence}", 9, 12, muted=True)
        blocks.append([*head, _Line(safe_text(reading.title), 11.5, "bold"), *text, *credit])
    for number, prompt in enumerate(data.prompts, start=1):
        head = _heading("Prompts") if number == 1 else [_Space(10)]
        follow = _wrap(prompt.follow_up, 10, 16, muted=True) if prompt.follow_up else []
        rules = [_Space(RULE_GAP, rule=True) for _ in range(WRITING_LINES)]
        blocks.append([*head, *_wrap(f"{number}.  {prompt.text}", 11.5, weight="bold"), *follow, *rules])
    support: _Block = [*_heading("If you need support")]
    support += _wrap("You do not have to carry this alone. Where to turn:", 10.5)
    for name, contact, note in data.support:
        support += [_Space(4), *_wrap(name, 10.5, weight="bold"), *_wrap(contact, 10.5, 12)]
        support += _wrap(note, 9, 12, muted=True) if note else []
    blocks.append(support)
    return blocks


def _paginate(blocks: list[_Block]) -> list[list[_Item]]:
    room = PAGE_PT[1] - 2 * MARGIN - FOOTER
    pages: list[list[_Item]] = [[]]
    used = 0.0
    for block in blocks:
        height = sum(i.height for i in block)
        if used and used + height > room and height <= room:
            pages.append([])
            used = 0.0
        for item in block:  # a block taller than a page flows on, item by item
            if used + item.height > room:
                pages.append([])
                used = 0.0
            pages[-1].append(item)
            used += item.height
    return pages


def _draw(items: list[_Item], footer: str) -> Figure:
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    width, height = PAGE_PT
    page = Figure(figsize=(width / 72, height / 72), facecolor="white")
    y = height - MARGIN
    for item in items:
        if isinstance(item, _Line):
            page.text(
                (MARGIN + item.indent) / width,
                y / height,
                item.text,
                ha="left",
                va="top",
                fontsize=item.size,
                fontweight=item.weight,
                parse_math=False,
                family="DejaVu Sans",
                fontfeatures=FEATURES,
                color=LIGHT.muted if item.muted else LIGHT.text,
            )
        elif item.rule:
            line_y = (y - item.height + 4) / height
            page.add_artist(
                Line2D(
                    [MARGIN / width, 1 - MARGIN / width], [line_y, line_y], color=LIGHT.grid, linewidth=0.8
                )
            )
        y -= item.height
    page.text(
        MARGIN / width,
        (MARGIN - 10) / height,
        footer,
        ha="left",
        va="bottom",
        fontsize=8,
        color=LIGHT.muted,
        parse_math=False,
        family="DejaVu Sans",
        fontfeatures=FEATURES,
    )
    return page


def build_pdf(data: HandoutInput) -> tuple[bytes, int]:
    """The handout as PDF bytes, and its number of pages."""
    from matplotlib.backends.backend_pdf import PdfPages

    pages = _paginate(_blocks(data))
    buffer = io.BytesIO()
    metadata = {"Title": f"{safe_text(data.title)}: handout", "Creator": "Purpose"}
    with PdfPages(buffer, metadata=metadata) as pdf:
        for number, items in enumerate(pages, start=1):
            footer = safe_text(f"{data.title} · {data.licence} · page {number} of {len(pages)}")
            pdf.savefig(_draw(items, footer))
    return buffer.getvalue(), len(pages)
