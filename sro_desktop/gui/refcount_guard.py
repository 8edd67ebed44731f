"""A guard against a reference-counting bug of PySide6 6.12 on Python 3.11.

With PySide6 6.12.0 on CPython 3.11, every Qt call that returns nothing takes one
reference from `None`, and every `Signal.emit()` takes one from `True`. After some
thousands of calls the count reaches zero and CPython aborts the whole app ("Fatal Python
error: bool_dealloc" / "none_dealloc"): a treasurer typing in a search box for an afternoon
would lose the window. Python 3.12 made these objects immortal, so the bug is harmless
there. On 3.11 we give the three singletons a count no session can use up (2**40), which
is what 3.12 does in effect. PySide6-Pdf pins PySide6 6.12.0, so we cannot step back to
6.11, which is free of the bug.
"""

from __future__ import annotations

import ctypes
import sys

MARGIN = 1 << 40


def pin_singletons() -> bool:
    """Raise the counts of None, True and False on CPython < 3.12; True if it did."""
    if sys.implementation.name != "cpython" or sys.version_info >= (3, 12):
        return False
    for singleton in (None, True, False):
        # ob_refcnt is the first field of every object in a release build of CPython.
        count = ctypes.c_ssize_t.from_address(id(singleton))
        if count.value < MARGIN:
            count.value += MARGIN
    return True
