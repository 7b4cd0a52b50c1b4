"""Case-insensitive substring search over every entry's text, held as few strings as possible.

A page of entries is kept as ONE case-folded string with the offsets where each entry's text starts,
so 50,000 entries are 50 strings, not 50,000 (less memory, and folding or searching a page is one C
call). Entries not in a page (read row by row, or written this session) are kept one string each;
such a string overrides the entry's older text in a page.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class _Block:
    ids: list[str]
    folded: str
    starts: list[int]
    lengths: list[int]


class TextIndex:
    def __init__(self) -> None:
        self._blocks: list[_Block] = []
        self._single: dict[str, str] = {}
        self._gone: set[str] = set()
        # The last search's answer until the texts change: a listing and its count ask the same twice.
        self._last: tuple[str, set[str]] | None = None

    def add_block(self, ids: list[str], text: str, starts: list[int], lengths: list[int]) -> None:
        """Entries whose texts lie in `text` at these starts and lengths (one separator between)."""
        self._last = None
        folded = text.casefold()
        if len(folded) == len(text):
            # Every character folded to exactly one character, so the offsets still hold.
            self._blocks.append(_Block(ids, folded, starts, lengths))
            return
        for entry_id, start, length in zip(ids, starts, lengths, strict=True):  # e.g. "ß" -> "ss"
            self._single.setdefault(entry_id, text[start : start + length].casefold())

    def put(self, entry_id: str, text: str) -> None:
        """This entry's current text (replacing any it had, in a block or alone)."""
        self._last = None
        self._single[entry_id] = text.casefold()
        self._gone.discard(entry_id)

    def remove(self, entry_id: str) -> None:
        self._last = None
        self._single.pop(entry_id, None)
        self._gone.add(entry_id)

    def matching(self, needle: str) -> set[str]:
        """Ids of the entries whose text contains `needle`, ignoring case (full case folding)."""
        needle = needle.casefold()
        if self._last is not None and self._last[0] == needle:
            return set(self._last[1])  # a copy: what a caller does with it never changes the next answer
        found = {entry_id for entry_id, text in self._single.items() if needle in text}
        in_blocks: set[str] = set()
        for block in self._blocks:
            if not needle:
                in_blocks.update(block.ids)
                continue
            folded, starts, lengths = block.folded, block.starts, block.lengths
            position = folded.find(needle)
            while position != -1:
                index = bisect_right(starts, position) - 1
                end = starts[index] + lengths[index]
                if position + len(needle) <= end:
                    in_blocks.add(block.ids[index])
                    position = folded.find(needle, end)  # on to the next entry
                else:
                    position = folded.find(needle, position + 1)  # ran into the next entry's text
        # A block's text for an entry counts only while nothing newer (alone, or a deletion) replaced it.
        found |= {i for i in in_blocks if i not in self._single and i not in self._gone}
        self._last = (needle, set(found))
        return found
