"""TextIndex: substring search over whole pages of text and single entries, ignoring case."""

from purpose_app.domain.text_index import TextIndex


def _block(index: TextIndex, texts: dict[str, str]) -> None:
    ids, starts, lengths, position = list(texts), [], [], 0
    for text in texts.values():
        starts.append(position)
        lengths.append(len(text))
        position += len(text) + 1
    index.add_block(ids, "\n".join(texts.values()), starts, lengths)


def test_finds_each_entry_once_whatever_the_case():
    index = TextIndex()
    _block(index, {"a": "Night shift. LIGHTHOUSE lighthouse", "b": "quiet", "c": "The Lighthouse keeper"})
    assert index.matching("lighthouse") == {"a", "c"}
    assert index.matching("QUIET") == {"b"}
    assert index.matching("absent") == set()


def test_a_match_across_two_entries_does_not_count():
    """ "end" + separator + "start" would match "end\nstart" if the block were searched as one text."""
    index = TextIndex()
    _block(index, {"a": "the end", "b": "start again", "c": "the end\nstart too"})
    assert index.matching("end\nstart") == {"c"}
    assert index.matching("dst") == set()


def test_full_case_folding_even_when_it_changes_lengths():
    """ "ß" folds to "ss": offsets in the folded page would shift, so such a page is kept per entry."""
    index = TextIndex()
    _block(index, {"a": "Die Straße", "b": "STRASSE", "c": "street"})
    assert index.matching("strasse") == {"a", "b"}
    assert index.matching("straße") == {"a", "b"}
    assert index.matching("street") == {"c"}


def test_newer_text_overrides_the_page_and_a_removal_hides_it():
    index = TextIndex()
    _block(index, {"a": "old words", "b": "kept words", "c": "to be deleted"})
    index.put("a", "New words")
    index.remove("c")
    assert index.matching("old") == set()
    assert index.matching("new") == {"a"}
    assert index.matching("words") == {"a", "b"}
    assert index.matching("deleted") == set()
    index.put("c", "back again")
    assert index.matching("again") == {"c"}


def test_an_empty_needle_matches_everything_known():
    index = TextIndex()
    _block(index, {"a": "x", "b": ""})
    index.put("c", "y")
    assert index.matching("") == {"a", "b", "c"}


def test_empty_texts_and_needles_at_the_edges():
    index = TextIndex()
    _block(index, {"a": "", "b": "ab", "c": "", "d": "b"})
    assert index.matching("b") == {"b", "d"}
    assert index.matching("ab") == {"b"}
