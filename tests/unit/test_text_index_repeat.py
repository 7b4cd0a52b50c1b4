"""TextIndex keeps the last search's answer for a repeat (a listing and its count): never stale."""

from purpose_app.domain.text_index import TextIndex


def test_a_repeated_search_is_answered_again_after_every_change():
    """The same words twice give the same ids; a put, a removal or a new block changes the answer."""
    index = TextIndex()
    index.add_block(["a", "b"], "lighthouse\nquiet", [0, 11], [10, 5])
    assert index.matching("Lighthouse") == {"a"}
    assert index.matching("lighthouse") == {"a"}
    index.put("b", "a lighthouse too")
    assert index.matching("lighthouse") == {"a", "b"}
    index.remove("a")
    assert index.matching("lighthouse") == {"b"}
    index.add_block(["c"], "LIGHTHOUSE", [0], [10])
    assert index.matching("lighthouse") == {"b", "c"}


def test_changing_an_answer_does_not_change_the_next():
    """The caller gets its own set: emptying it leaves the next answer whole."""
    index = TextIndex()
    index.add_block(["a"], "lighthouse", [0], [10])
    index.matching("lighthouse").clear()
    assert index.matching("lighthouse") == {"a"}
