"""Arrays kept in memory up to a budget, and beyond it in a temporary file.

The one pass over a folder keeps, per block of people, what later steps read
again: the rows' signatures (:class:`.sketch.Signatures`) and the normalised
texts' code points (:class:`.table.Sketches`). A small folder keeps them in
memory; once they pass their budget, all of them go to one temporary file,
written as they come, and are read back part by part: a range of a part by
one read, or a whole part through a shared mapping whose pages are
handed back to the system after each use (:meth:`Spill.release`). So the
memory they take stays within the budget, however large the folder.
"""

from __future__ import annotations

import contextlib
import mmap
import os
import tempfile
from typing import IO

import numpy as np
import numpy.typing as npt

Array = npt.NDArray[np.generic]


class Spill:
    """Parts (1-d arrays) appended one after another; read back by number."""

    def __init__(self, budget: int) -> None:
        self.budget = budget
        """Bytes held in memory before every part goes to the file."""
        self._held: list[Array] = []
        self._dtypes: list[np.dtype[np.generic]] = []
        self._offsets: list[int] = [0]
        self._file: IO[bytes] | None = None
        self._map: mmap.mmap | None = None

    def __len__(self) -> int:
        return len(self._dtypes)

    @property
    def nbytes(self) -> int:
        """Bytes of all parts."""
        return self._offsets[-1]

    @property
    def on_disk(self) -> bool:
        """Whether the parts are in the temporary file."""
        return self._file is not None

    def append(self, part: Array) -> int:
        """Add a part (flattened); its number."""
        flat = np.ascontiguousarray(part).reshape(-1)
        self._dtypes.append(flat.dtype)
        self._offsets.append(self._offsets[-1] + flat.nbytes)
        if self._file is None:
            self._held.append(flat)
            if self._offsets[-1] > self.budget:
                self._file = tempfile.TemporaryFile()  # noqa: SIM115 - closed by close()
                for held in self._held:
                    self._file.write(held.data)
                self._held.clear()
        else:
            if self._map is not None:
                raise RuntimeError("a spill is read only once it is mapped")
            self._file.write(flat.data)
        return len(self._dtypes) - 1

    def read(self, number: int, lo: int, hi: int) -> Array:
        """Elements ``lo:hi`` of part ``number`` (a copy when read from the file)."""
        if self._file is None:
            return self._held[number][lo:hi]
        dtype = self._dtypes[number]
        self._file.seek(self._offsets[number] + lo * dtype.itemsize)
        data = self._file.read((hi - lo) * dtype.itemsize)
        self._file.seek(0, os.SEEK_END)  # where the next part goes
        return np.frombuffer(data, dtype=dtype)

    def part(self, number: int) -> Array:
        """Part ``number`` as a whole, read only: from the file it is mapped, so that only
        the pages a caller touches are read (hand them back with :meth:`release`)."""
        if self._file is None:
            return self._held[number]
        if self._map is None:
            self._file.flush()
            self._map = mmap.mmap(self._file.fileno(), 0, access=mmap.ACCESS_READ)
        dtype = self._dtypes[number]
        count = (self._offsets[number + 1] - self._offsets[number]) // dtype.itemsize
        return np.frombuffer(self._map, dtype=dtype, count=count, offset=self._offsets[number])

    def release(self, number: int) -> None:
        """Hand the mapped pages of part ``number`` back to the system (they are read
        again from the file, or the page cache, when touched again): a caller that
        touches parts one at a time holds the pages of one part at a time."""
        if self._map is None or not hasattr(mmap, "MADV_DONTNEED"):
            return
        start = self._offsets[number] // mmap.PAGESIZE * mmap.PAGESIZE
        length = self._offsets[number + 1] - start
        if length > 0:
            self._map.madvise(mmap.MADV_DONTNEED, start, length)

    def close(self) -> None:
        """Let go of the parts (and delete the temporary file)."""
        self._held.clear()
        if self._map is not None:
            # A caller still holding a view keeps the mapping: it goes with the view.
            with contextlib.suppress(BufferError):
                self._map.close()
            self._map = None
        if self._file is not None:
            self._file.close()
