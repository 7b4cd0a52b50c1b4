"""The pages' plaintext, kept from reading the metadata until the first text search folds it: an export
takes titles and bodies from it instead of decrypting three values per entry row (at 50,000 entries,
150,000 decryptions become none: the pages were decrypted once already, to read the metadata)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from purpose_app.storage.pages import Page


@dataclass(frozen=True, slots=True)
class KeptPage:
    """One page's entries and their search texts (title, body and labels, one per line)."""

    page_id: int
    ids: list[str]
    text: str
    starts: list[int]
    lengths: list[int]
    title_lengths: list[int]
    body_lengths: list[int]

    @classmethod
    def of(cls, page: Page) -> KeptPage:
        columns = page.columns
        return cls(page.page_id, page.ids, page.text, page.starts, page.lengths, columns["titles"],
                   columns["bodies"])  # fmt: skip

    def block(self) -> tuple[list[str], str, list[int], list[int]]:
        """What TextIndex.add_block takes."""
        return self.ids, self.text, self.starts, self.lengths

    def title_and_body(self, position: int) -> tuple[str, str]:
        start, title_length = self.starts[position], self.title_lengths[position]
        body_start = start + title_length + 1  # the newline between title and body
        body_end = body_start + self.body_lengths[position]
        return self.text[start : start + title_length], self.text[body_start:body_end]


class KeptPages:
    """The kept pages, in the order read, and where each entry lies in them (built on first use)."""

    def __init__(self) -> None:
        self._pages: list[KeptPage] = []
        self._where: dict[str, tuple[KeptPage, int]] | None = None

    def __bool__(self) -> bool:
        return bool(self._pages)

    def add(self, page: Page) -> None:
        self._pages.append(KeptPage.of(page))
        self._where = None

    def pop(self) -> KeptPage:
        """The last page kept, let go of here (a search folds them one at a time: one copy in memory)."""
        self._where = None
        return self._pages.pop()

    def texts(self, ids: Iterable[str], page_of: Mapping[str, int]) -> dict[str, tuple[str, str]]:
        """Title and body of each of these entries whose current copy (`page_of`: entry id -> the page
        holding it) is in a kept page. The others are not in the answer: their rows are read."""
        if self._where is None:
            self._where = {
                entry_id: (page, position)
                for page in self._pages
                for position, entry_id in enumerate(page.ids)
                if page_of.get(entry_id) == page.page_id
            }
        found: dict[str, tuple[str, str]] = {}
        for entry_id in ids:
            place = self._where.get(entry_id)
            if place is not None and page_of.get(entry_id) == place[0].page_id:  # not rewritten since
                found[entry_id] = place[0].title_and_body(place[1])
        return found
