"""Python's cyclic garbage collector, kept off the paths a person waits on.

An unlocked 50,000-entry journal keeps about 50,000 objects alive for the whole session, and the server
has as many more of its own (modules, classes, the page's controls). Every full collection walks all of
them: 60-200 ms during which nothing else runs, landing on whatever step allocated last (an unlock, a
save, a tab). So at moments when nobody waits (the server's start, the background read after unlock,
after a lock) garbage is collected once and every survivor is set aside (gc.freeze): later automatic
collections walk only what was made since. What was set aside and became garbage meanwhile (a screen's
controls, say) is freed at the next of those moments, which first takes everything back (gc.unfreeze).
"""

from __future__ import annotations

import gc
import threading

_one_at_a_time = threading.Lock()


def settle() -> None:
    """Collect now, then leave the survivors out of later automatic collections."""
    with _one_at_a_time:
        gc.unfreeze()
        gc.collect()
        gc.freeze()
