# _array.py -- pmemkit.Array, a persistent typed array with the buffer
# protocol, and Array.modify()'s writable view.

import array as _pyarray
import collections.abc as _abc
import sys as _sys

from . import _pmemkit
from ._calls import (_array_get, _array_set, _array_length, _array_value,
                     _array_close, _tx_begin, _tx_abort)
from ._errors import Error, RangeError
from ._list import List
from ._tables import (_ELEM_TYPECODE, _FLAG_TYPECODE, _FLAG_DETAIL_SHIFT,
                      _U64_TYPECODES)
from ._transaction import _tx_closed, _tx_end
from ._values import _Container


class _Modify:
    __slots__ = ("_a", "_start", "_stop", "_mv", "_n0", "_th")

    def __init__(self, a, start, stop):
        self._a, self._start, self._stop, self._mv = a, start, stop, None

    def __enter__(self):
        a = self._a
        h = self._th = a._pool._handle()
        self._n0 = _pmemkit._array_exports(a)
        _tx_begin(h)
        try:
            self._mv = _pmemkit._array_window(a, self._start, self._stop)
        except BaseException:
            _tx_abort(h)
            raise
        return self._mv

    def __exit__(self, et, ev, tb):
        a = self._a
        h = self._th
        escaped = False
        try:
            self._mv.release()
        except BufferError:
            escaped = True
        self._mv = None
        if not escaped and _pmemkit._array_exports(a) > self._n0:
            # a view made from the memoryview (numpy.frombuffer(mv)) lives
            if _sys.implementation.name == "pypy":
                import gc
                gc.collect()
            escaped = _pmemkit._array_exports(a) > self._n0
        if _tx_closed(a._pool, h):
            return False
        if escaped:
            _tx_abort(h)
            if et is None:
                raise BufferError("pmemkit: a view made from Array.modify()'s "
                                  "memoryview outlived the block; the change "
                                  "was rolled back")
            return False
        _tx_end(h, et)
        return False


class Array(_pmemkit._ArrayBase, _Container, _abc.Sequence):
    """A persistent typed array of numbers (array-module typecodes).

    It supports the buffer protocol: memoryview(a) and
    numpy.frombuffer(a, dtype) read it in place, without a copy.
    `with a.modify(start, stop) as mv:` gives a writable memoryview of
    elements [start, stop) inside a transaction: committed when the block
    ends, rolled back on an exception."""

    # PyPy's objects all take weak references already
    __slots__ = ("_pool", "_h", "_tc") + (
        () if _sys.implementation.name == "pypy" else ("__weakref__",))

    def __init__(self, pool, handle):
        self._pool = pool
        self._h = handle
        _pmemkit._array_bind(self, handle)
        elem = _pmemkit.pk_array_type(handle)[0]
        self._tc = _ELEM_TYPECODE.get(elem)
        flags = _pmemkit.pk_container_flags(pool._handle(), self._ref())
        if flags & _FLAG_TYPECODE:
            self._tc = chr(flags >> _FLAG_DETAIL_SHIFT & 0xff)
        pool._arrays[id(self)] = self

    def __del__(self):
        try:
            h, self._h = self._h, None
            if h is not None:
                _pmemkit._array_bind(self, None)
                _array_close(h)
        except Exception:
            pass

    def _ref(self):
        return _array_value(self._h)

    @property
    def typecode(self):
        """The array-module typecode of the elements."""
        return self._tc

    @property
    def itemsize(self):
        """Bytes per element."""
        return _pmemkit.pk_array_type(self._h)[1]

    def __len__(self):
        return _array_length(self._h)

    def __getitem__(self, index):
        if isinstance(index, slice):
            start, stop, step = index.indices(len(self))
            if step == 1:
                return self._read(start, max(stop, start))
            return self._read()[index]
        v = _array_get(self._h, index)
        if v.__class__ is int and v < 0 and self._tc in _U64_TYPECODES:
            v += 1 << 64
        return v

    def __setitem__(self, index, value):
        if isinstance(index, slice):
            start, stop, step = index.indices(len(self))
            r = range(start, stop, step)
            vals = _pyarray.array(self._tc, value)
            if len(vals) != len(r):
                raise ValueError("pmemkit: an Array's length is fixed: cannot "
                                 "assign %d elements to a slice of %d "
                                 "(use resize())" % (len(vals), len(r)))
            if step == 1:
                if len(vals):
                    _pmemkit.pk_array_write(self._h, start, len(vals), vals)
                return
            with self._pool.transaction():
                for i, v in zip(r, vals):
                    _array_set(self._h, i, v)
            return
        if value.__class__ is int and value >= 1 << 63 and \
                self._tc in _U64_TYPECODES:
            n = len(self)
            i = index + n if index < 0 else index
            if not 0 <= i < n:
                raise RangeError("array index out of range")
            _pmemkit.pk_array_write(self._h, i, 1,
                                    _pyarray.array(self._tc, [value]))
            return
        _array_set(self._h, index, value)

    def __iter__(self):
        return iter(self.tolist())

    def _read(self, start=0, stop=None):
        if stop is None:
            stop = len(self)
        out = _pyarray.array(self._tc, bytes((stop - start) * self.itemsize))
        if stop > start:
            _pmemkit.pk_array_read(out, self._h, start, stop - start)
        return out

    def tolist(self):
        """The elements, as a plain list."""
        return self._read().tolist()

    def to_python(self):
        """A plain array.array copy."""
        return self._read()

    def resize(self, length):
        """Change the number of elements (new ones are zero)."""
        if _pmemkit._array_exports(self) and (
                _sys.implementation.name != "pypy" or self._pool._exported()):
            raise BufferError("pmemkit: cannot resize an array while its "
                              "buffer is exported")
        _pmemkit.pk_array_resize(self._h, length)

    def modify(self, start=0, stop=None):
        """`with a.modify(start, stop) as mv:` -- a writable memoryview of
        elements [start, stop) (default: all) in a transaction."""
        n = len(self)
        if stop is None:
            stop = n
        if start < 0:
            start += n
        if stop < 0:
            stop += n
        return _Modify(self, start, stop)

    def __eq__(self, other):
        if isinstance(other, (Array, List, list, tuple, _pyarray.array)):
            return self.tolist() == list(other)
        return NotImplemented

    __hash__ = None

    def __repr__(self):
        try:
            n = len(self)
            if n <= 20:
                return "pmemkit.Array(%r, %r)" % (self._tc, self.tolist())
            return "<pmemkit.Array %r of %d elements>" % (self._tc, n)
        except Error as e:
            return "<pmemkit.Array: %s>" % (e,)


Array.__module__ = "pmemkit"
