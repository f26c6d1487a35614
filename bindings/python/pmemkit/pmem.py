"""Raw persistent memory: a file mapped whole, to load from and store to.

    from pmemkit import pmem
    with pmem.map_file("/dev/shm/raw", 1 << 20, create=True) as r:
        r[0:5] = b"hello"            # stored and persisted
        mv = memoryview(r)           # writable, in place
        mv[10:12] = b"hi"
        r.persist(10, 2)             # made persistent
        # numpy.frombuffer(r, "u8") works in place too

A Region persists where pmemkit chooses the way: cache flushes and a
fence on persistent memory (`is_pmem`), msync() on any other file. It is
not a container: it has no transactions, and after a crash what was
persisted is there. Every offset and length is checked: a range outside
the mapping raises pmemkit.RangeError (an IndexError) and writes nothing.
"""

import gc as _gc
import io as _io
import operator as _op
import os as _os
import platform as _platform

from . import _pmemkit
from ._errors import RangeError
from ._values import _c_uint, _made_elsewhere

_F = _pmemkit
_BYTES_LIKE = (bytes, bytearray, memoryview)
_PYPY = _platform.python_implementation() == "PyPy"
_region_persist = _pmemkit.pk_region_persist


class Region(_pmemkit._RegionBase):
    """A mapped file: the buffer protocol (writable, in place), slicing,
    the file-like read/write/seek/tell of pynvm's MemoryBuffer, and
    persist/flush/drain/deep_flush of any range. As a context manager it
    persists the whole region and unmaps it on exit. close() while a
    memoryview or numpy array of it is alive raises BufferError, as mmap
    does."""

    def __init__(self, handle):
        self._h = handle
        self._pos = 0
        try:
            self._len = _F.pk_region_length(handle)
        except TypeError:
            raise _made_elsewhere(self, "pmemkit.pmem.map_file()") from None
        self._pmem = bool(_F.pk_region_is_pmem(handle))
        _pmemkit._region_bind(self, handle)

    def _handle(self):
        if self._h is None:
            raise ValueError("pmemkit: the region is closed")
        return self._h

    # -- state --

    def __len__(self):
        self._handle()
        return self._len

    @property
    def is_pmem(self):
        """True on persistent memory, False where persist is an msync."""
        return self._pmem

    @property
    def closed(self):
        """True after close()."""
        return self._h is None

    def close(self):
        """Unmap (persisting nothing: persist() first). BufferError while
        buffers of the region are exported."""
        h = self._h
        if h is None:
            return
        try:
            _pmemkit._region_bind(self, None)
        except BufferError:
            if not _PYPY:
                raise
            # PyPy tells an extension that a view was released only when
            # it collects the view: released ones are gone after this
            _gc.collect()
            _pmemkit._region_bind(self, None)
        self._h = None
        _F.pk_region_close(h)

    def __enter__(self):
        return self

    def __exit__(self, et, ev, tb):
        if self._h is not None:
            self.persist()
            self.close()

    def __del__(self):
        try:
            if self._h is not None:
                self.close()
        except Exception:
            pass

    def __repr__(self):
        if self._h is None:
            return "<pmemkit.pmem.Region (closed)>"
        return "<pmemkit.pmem.Region of %d bytes%s>" % (
            self._len, ", pmem" if self._pmem else "")

    # -- ranges --

    def _range(self, offset, length):
        """(offset, length), length None for the rest of the region."""
        offset = self._off(offset)
        if length is None:
            return offset, max(self._len - offset, 0)
        return offset, self._off(length)

    @staticmethod
    def _off(x):
        """An offset or a length: an index, not negative (RangeError)."""
        x = _op.index(x)
        if x < 0:
            raise RangeError("pmemkit: a negative offset or length")
        return x

    def persist(self, offset=0, length=None):
        """Make [offset, offset + length) persistent (default: from offset
        to the end).

        See pk_region_persist(3)."""
        h = self._h
        if h is None or length is None:
            offset, length = self._range(offset, length)
            h = self._handle()
        try:
            _region_persist(h, offset, length)
        except (OverflowError, TypeError):
            # C takes no negative number: say it as the other calls do
            self._range(offset, length)
            raise

    def flush(self, offset=0, length=None):
        """Flush a range without waiting for it (drain() waits).

        See pk_region_flush(3)."""
        h = self._handle()
        offset, length = self._range(offset, length)
        _F.pk_region_flush(h, offset, length)

    def drain(self):
        """Wait for the flushes so far."""
        _F.pk_region_drain(self._handle())

    def deep_flush(self, offset=0, length=None):
        """Persist a range through the memory controller's buffers too."""
        h = self._handle()
        offset, length = self._range(offset, length)
        _F.pk_region_deep_flush(h, offset, length)

    def write_at(self, offset, data, drain=True, flush=True):
        """Copy bytes in at offset, persisted (drain=False: flushed, not
        waited for; flush=False: plain stores, persist() later)."""
        if not isinstance(data, _BYTES_LIKE):
            raise TypeError("pmemkit: a region takes bytes-like data, not "
                            "%s" % (type(data).__name__,))
        if data.__class__ is not bytes:
            data = bytes(data)
        flags = (0 if flush else _F.PK_REGION_NOFLUSH) | \
            (0 if drain else _F.PK_REGION_NODRAIN)
        _F.pk_region_write(self._handle(), self._off(offset), data, flags)

    def read_at(self, offset, length):
        """length bytes at offset, as bytes."""
        h = self._handle()
        offset, length = self._range(offset, length)
        return _F.pk_region_get(h, offset, length)

    def move(self, dst, src, length, drain=True, flush=True):
        """Copy length bytes from src to dst (they may overlap),
        persisted."""
        flags = (0 if flush else _F.PK_REGION_NOFLUSH) | \
            (0 if drain else _F.PK_REGION_NODRAIN)
        _F.pk_region_move(self._handle(), self._off(dst), self._off(src),
                          self._off(length), flags)

    def fill(self, offset, byte, length, drain=True, flush=True):
        """Set length bytes at offset to byte (0-255), persisted."""
        flags = (0 if flush else _F.PK_REGION_NOFLUSH) | \
            (0 if drain else _F.PK_REGION_NODRAIN)
        if not 0 <= byte <= 255:
            raise ValueError("pmemkit: a byte is 0 to 255, not %r" % (byte,))
        _F.pk_region_fill(self._handle(), self._off(offset), byte,
                          self._off(length), flags)

    # -- slicing, as bytearray and mmap --

    def _slice(self, index):
        start, stop, step = index.indices(self._len)
        if step != 1:
            raise ValueError("pmemkit: a region slice has step 1")
        return start, max(stop - start, 0)

    def _byte(self, index):
        """The offset of byte index (negative from the end)."""
        i = _op.index(index)
        if i < 0:
            i += self._len
        if not 0 <= i < self._len:
            raise RangeError("pmemkit: byte %d of a region of %d"
                             % (index, self._len))
        return i

    def __getitem__(self, index):
        h = self._handle()
        if isinstance(index, slice):
            start, n = self._slice(index)
            return _F.pk_region_get(h, start, n)
        i = self._byte(index)
        return _F.pk_region_get(h, i, 1)[0]

    def __setitem__(self, index, value):
        h = self._handle()
        if isinstance(index, slice):
            start, n = self._slice(index)
            if not isinstance(value, _BYTES_LIKE):
                raise TypeError("pmemkit: a region takes bytes-like data")
            if len(value) != n:
                raise IndexError("pmemkit: a region slice is written with "
                                 "as many bytes (%d, not %d)"
                                 % (n, len(value)))
            self.write_at(start, value)
            return
        i = self._byte(index)
        if not 0 <= value <= 255:
            raise ValueError("pmemkit: a byte is 0 to 255, not %r"
                             % (value,))
        _F.pk_region_fill(h, i, value, 1, 0)

    # -- file-like, as pynvm's MemoryBuffer --

    def seek(self, pos, whence=_io.SEEK_SET):
        """Move the position; returns it. Past the end is refused."""
        self._handle()
        base = {_io.SEEK_SET: 0, _io.SEEK_CUR: self._pos,
                _io.SEEK_END: self._len}.get(whence)
        if base is None:
            raise ValueError("pmemkit: bad whence %r" % (whence,))
        pos = base + _op.index(pos)
        if not 0 <= pos <= self._len:
            raise ValueError("pmemkit: position %d outside the region of "
                             "%d bytes" % (pos, self._len))
        self._pos = pos
        return pos

    def tell(self):
        """The position read() and write() start at."""
        self._handle()
        return self._pos

    def read(self, n=-1):
        """Up to n bytes from the position (all to the end for -1)."""
        h = self._handle()
        left = self._len - self._pos
        n = left if n is None or n < 0 else min(n, left)
        data = _F.pk_region_get(h, self._pos, n)
        self._pos += n
        return data

    def write(self, data):
        """Write data at the position, persisted; returns its length. Data
        past the end is refused, and nothing is written."""
        self.write_at(self._pos, data)
        self._pos += len(data)
        return len(data)


Region.__module__ = "pmemkit.pmem"


def map_file(path, size=None, create=False, exclusive=False, mode=0o600):
    """Map the file at path. With create, a missing file is made with
    size bytes (an existing one is mapped as it is; exclusive refuses
    it); without, size must be None or the file's own length."""
    path = _os.fspath(path)
    mode = _c_uint(mode, "mode", 32)
    flags = 0
    if create:
        if size is None:
            raise ValueError("pmemkit: a new region needs a size")
        flags = _F.PK_REGION_CREATE | (_F.PK_REGION_EXCL if exclusive else 0)
        r = Region(_F.pk_region_map(path, _c_uint(size, "size"), flags,
                                    mode))
    else:
        if exclusive:
            raise ValueError("pmemkit: exclusive without create")
        r = Region(_F.pk_region_map(path, 0, 0, mode))
        if size is not None and size != len(r):
            n = len(r)
            r.close()
            raise ValueError("pmemkit: %s has %d bytes, not %d"
                             % (path, n, size))
    return r


__all__ = ["Region", "map_file"]
