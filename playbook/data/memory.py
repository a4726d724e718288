"""Memory a process freed, given back to the system instead of kept for later.

The allocators keep what a process frees for its next allocations: pandas' text columns live
in Arrow's memory pool, numpy's smaller arrays in the C library's heap. After a big client's
tables are let go (the renderer once it diagnosed them, a kernel once its page is done) the
process would otherwise go on holding gigabytes it no longer uses, beside the processes that
are still working.
"""

from __future__ import annotations

import ctypes
import gc

import pyarrow as pa


def release_free_memory() -> None:
    """Collect what is unreachable, then give the memory the allocators keep free back."""
    gc.collect()
    pa.default_memory_pool().release_unused()  # text columns live in Arrow's memory pool
    try:
        ctypes.CDLL(None).malloc_trim(0)  # glibc's heap (numpy's arrays)
    except (OSError, AttributeError):  # another C library: nothing to trim this way
        pass
