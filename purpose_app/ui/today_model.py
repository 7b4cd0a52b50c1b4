"""Today: the quick check-in, the prompt card, the editor and its draft. No flet here."""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from purpose_app.domain import clock
from purpose_app.domain.entry import Entry, EntryChanges, PromptRef
from purpose_app.domain.json_value import JsonObject
from purpose_app.errors import InvalidInput
from purpose_app.packs import programme
from purpose_app.services import good_days, today_facts
from purpose_app.services.good_days import GoodDay
from purpose_app.services.library import Library
from purpose_app.services.reflection import Offer, Reflection
from purpose_app.services.session import Session

DRAFT = "draft"  # vault document ("draft", "today"): the editor, sealed, kept as the person types
DEFAULT_DRAINS = ("charting", "pager", "understaffed", "a hard conversation", "no break")
DEFAULT_FUELS = ("a grateful patient", "teaching", "a good team", "a quiet moment", "a diagnosis made")
MIDDLE_ENERGY = 5
CHECKIN_EMPTY = "Choose your energy, a drain, a fuel or your shift first, then save your check-in."
# Settings in the vault's ui-settings document (services/session.py); both are on unless turned off.
SHOW_WHY = "show_my_why"
SHOW_GOOD_DAYS = "show_good_days"
WHY_INTRO = "A few tired days in a row. Only if it helps, here is what you once wrote about why you do this:"
WHY_OUTRO = "Nothing to live up to today. Resting counts too."
CHECKIN_ALREADY_SAVED = (
    "Your check-in is already saved. To add another, choose your energy, a drain, a fuel or your shift."
)


@dataclass
class Editor:
    title: str = ""
    body: str = ""
    tags: list[str] = field(default_factory=list)
    energy: int | None = None
    drains: list[str] = field(default_factory=list)
    fuels: list[str] = field(default_factory=list)
    shift: str | None = None
    answering: str | None = None  # "pack/prompt" this entry answers, if any

    def as_dict(self) -> JsonObject:
        return dict(self.__dict__)

    @classmethod
    def from_draft(cls, draft: JsonObject) -> Editor:
        fields = {k: v for k, v in draft.items() if k in cls.__dataclass_fields__}
        return cls(**fields)  # type: ignore[arg-type]  # a draft holds what as_dict() sealed

    def has_text(self) -> bool:
        return bool(self.title.strip() or self.body.strip())

    def has_checkin(self) -> bool:
        return self.energy is not None or bool(self.drains or self.fuels or self.shift)

    def clear_checkin(self) -> None:
        self.energy, self.drains, self.fuels, self.shift = None, [], [], None


class TodayModel:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.offer: Offer | None = None
        self.programmes: list[programme.Progress] = []
        self.blank = False
        self.editor = Editor()
        self.pending_draft: JsonObject | None = None
        self.last_saved: Entry | None = None
        self.last_checkin: Entry | None = None  # the check-in saved from this card, shown as done
        self.good_day: GoodDay | None = None
        self._saving = threading.Lock()  # two quick taps run one after the other, never both
        self._recent: list[today_facts.Recent] | None = None  # the newest entries' drains and fuels

    @property
    def _reflection(self) -> Reflection:
        return Reflection(Library(self.session.require()))

    def load(self, now: datetime | None = None) -> None:
        now = now or clock.now()
        self._recent = None
        reflection = self._reflection
        self.offer = reflection.today(now)
        self.programmes = reflection.running_programmes(now)
        vault = self.session.require()
        self.good_day = good_days.today(vault, now) if self._setting_on(SHOW_GOOD_DAYS) else None
        draft = self.session.require().document(DRAFT, "today")
        has_words = isinstance(draft, dict) and bool(draft.get("title") or draft.get("body"))
        self.pending_draft = draft if isinstance(draft, dict) and has_words else None
        if self.editor.answering is None and self.offer is not None and not self.blank:
            self.editor.answering = self.offer.prompt.ref

    def another(self, now: datetime | None = None) -> None:
        self.offer = self._reflection.another(now or clock.now())
        self.blank = False
        if self.offer is not None and not self.editor.has_text():
            self.editor.answering = self.offer.prompt.ref

    def skip_to_blank(self) -> None:
        """A prompt is an offer: the blank page is always one tap away."""
        self.blank = True
        self.editor.answering = None

    def answer(self, ref: str) -> None:
        self.blank = False
        self.editor.answering = ref

    # -- what Today offers beside the prompt, each of which can be turned off

    def _setting_on(self, name: str) -> bool:
        return self.session.settings().get(name, True) is not False

    @property
    def my_why(self) -> str | None:
        """The person's why, offered on low-energy days unless they turned it off."""
        if self.offer is None or not self._setting_on(SHOW_WHY):
            return None
        return self.offer.my_why

    def hide_why(self) -> None:
        self.session.save_setting(SHOW_WHY, False)

    def hide_good_days(self) -> None:
        """Off with one tap, stored: no good day is shown again until Settings turns it back on."""
        self.session.save_setting(SHOW_GOOD_DAYS, False)
        self.good_day = None

    # -- chips

    def _newest(self) -> list[today_facts.Recent]:
        # From Today's kept facts: reading the newest entries from the journal itself would first
        # decrypt every entry's metadata (0.4 s at 50,000 entries, on every unlock). Kept current
        # with this card's own saves, so a save costs no re-read either.
        if self._recent is None:
            self._recent = today_facts.current(self.session.require()).recent
        return self._recent

    def _remember(self, entry: Entry) -> None:
        if self._recent is not None:
            self._recent = today_facts.newest([*self._recent, today_facts.Recent.of(entry)])

    def suggestions(self, kind: str, limit: int = 8) -> list[str]:
        """The person's own most frequent drains or fuels (in their newest entries) first, then gentle
        defaults."""
        counts: Counter[str] = Counter()
        spelling: dict[str, str] = {}  # one chip per label whatever its case; the newest spelling shown
        for entry in self._newest():
            for label in getattr(entry, kind):
                spelling.setdefault(label.casefold(), label)
                counts[label.casefold()] += 1
        own = [spelling[key] for key, _ in counts.most_common(limit)]
        defaults = DEFAULT_DRAINS if kind == "drains" else DEFAULT_FUELS
        seen = {label.casefold() for label in own}
        return (own + [d for d in defaults if d.casefold() not in seen])[:limit]

    def toggle(self, kind: str, label: str) -> bool:
        labels: list[str] = getattr(self.editor, kind)
        if label in labels:
            labels.remove(label)
            return False
        labels.append(label)
        return True

    # -- the check-in card

    def energy_text(self) -> str:
        energy = self.editor.energy
        return "Energy: not set" if energy is None else f"Energy: {energy} of 10"

    def set_energy(self, value: int = MIDDLE_ENERGY) -> None:
        """The person asked to rate: start from the middle, shown as a rating they can move or clear."""
        self.editor.energy = value

    def checkin_saved_text(self) -> str:
        """What the last check-in from this card holds, so the fresh card does not hide that it was saved."""
        entry = self.last_checkin
        if entry is None:
            return ""
        parts = [f"energy {entry.energy} of 10"] if entry.energy is not None else []
        parts += [f"{entry.shift} shift"] if entry.shift else []
        parts += [*entry.drains, *entry.fuels]
        return f"Check-in saved at {entry.created:%H:%M}: {', '.join(parts)}."

    # -- saving

    def _changes(self, *, with_text: bool) -> EntryChanges:
        editor = self.editor
        prompt = None
        if with_text and editor.answering and editor.has_text():
            pack, _, prompt_id = editor.answering.partition("/")
            prompt = PromptRef(pack, prompt_id)
        return EntryChanges(
            title=editor.title if with_text else None,
            body=editor.body if with_text else None,
            tags=tuple(editor.tags) if with_text else None,
            energy=editor.energy,
            drains=tuple(editor.drains),
            fuels=tuple(editor.fuels),
            shift=editor.shift,
            prompt=prompt,
        )

    def quick_checkin(self) -> Entry:
        """Energy, drains, fuels, shift: saved with no text at all. The editor's words stay put.

        The card starts afresh after a save: nothing of this check-in (the shift included) is carried
        into the next entry, and a second tap with nothing new chosen stores nothing."""
        with self._saving:
            if not self.editor.has_checkin():
                raise InvalidInput(CHECKIN_ALREADY_SAVED if self.last_checkin else CHECKIN_EMPTY)
            entry = self.session.require().add(self._changes(with_text=False))
            self._remember(entry)
            self.editor.clear_checkin()
            self.last_saved = self.last_checkin = entry
            return entry

    def save(self) -> Entry:
        with self._saving:
            # One transaction: a failure between the two would offer the saved words again as a draft.
            with self.session.require().transaction() as tx:
                entry = tx.add(self._changes(with_text=True))
                tx.delete_document(DRAFT, "today")
            self._remember(entry)
            self.editor = Editor()
            self.pending_draft = None
            self.last_saved = entry
            return entry

    # -- drafts: nothing typed is ever lost

    def keep_draft(self) -> None:
        """Seal what is in the editor into the vault (called as the person types, and before lock)."""
        if self.session.unlocked and self.editor.has_text():
            self.session.require().put_document(
                DRAFT, "today", {**self.editor.as_dict(), "kept": clock.now().isoformat()}
            )

    def restore_draft(self) -> None:
        if self.pending_draft:
            self.editor = Editor.from_draft(self.pending_draft)
        self.pending_draft = None

    def discard_draft(self) -> None:
        self.session.require().delete_document(DRAFT, "today")
        self.pending_draft = None
