"""How the C allocator treats the large temporary arrays of the comparison.

The comparison makes and frees arrays of a few megabytes, chunk after chunk.
glibc's malloc by default maps such an array afresh and hands it back when
freed, or trims the top of its heap as soon as the free part there passes a
threshold that it moves as it goes; either way the next chunk's arrays are
new pages, and a new page costs a fault. Measured on 100,000 demo people
(``bench/bench_similarity.py``): about 450,000 page faults in the exact step,
a third of its time. Fixed thresholds keep arrays below
:data:`HEAP_ARRAYS` bytes in the heap and let at most :data:`KEPT_FREE` bytes
of free memory stay at its top, so pages are reused and what is kept is
bounded by a constant. On other C libraries nothing is changed.
"""

from __future__ import annotations

import ctypes
import functools
import sys

HEAP_ARRAYS = 32 << 20
"""Allocations below this many bytes come from the heap (glibc's M_MMAP_THRESHOLD)."""
KEPT_FREE = 32 << 20
"""Free bytes the heap keeps at its top before it is trimmed (M_TRIM_THRESHOLD)."""
_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3


@functools.cache
def reuse_freed_pages() -> bool:
    """Set the thresholds (once per process); whether the C library took them."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None)  # the symbols the process has: the C library's among them
        mallopt = libc.mallopt
        if not hasattr(libc, "gnu_get_libc_version"):
            return False  # not glibc: its mallopt (if any) means something else
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    return bool(mallopt(_M_MMAP_THRESHOLD, HEAP_ARRAYS)) and bool(
        mallopt(_M_TRIM_THRESHOLD, KEPT_FREE)
    )
