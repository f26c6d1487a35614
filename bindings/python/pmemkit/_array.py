# _array.py -- pmemkit.Array, a persistent typed array with the buffer
# protocol, and Array.modify()'s writable view.

import array as _pyarray
import collections.abc as _abc
import operator as _op
import sys as _sys

from . import _pmemkit
from ._calls import (_array_get, _array_set, _array_length, _array_value,
                     _array_close, _tx_begin, _tx_abort)
from ._errors import Error, RangeError
from ._tables import (_ELEM_TYPECODE, _FLAG_TYPECODE, _FLAG_DETAIL_SHIFT,
                      _U64_TYPECODES)
from ._transaction import _tx_closed, _tx_end
from ._values import _Container, _c_uint, _made_elsewhere, _refused


def _plain_get(i):
    # what array.array raises for the same index (_refused)
    return _pyarray.array("b")[i]


def _as_index(i):
    """An index as an int, or array.array's TypeError."""
    try:
        return _op.index(i)
    except TypeError:
        _plain_get(i)


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
    As array.array: a value that does not fit the typecode raises the
    OverflowError (or TypeError) array.array raises; it equals and orders
    against arrays (of any typecode), not lists. Its length is fixed but
    for resize(); slices and iteration give plain copies.
    `with a.modify(start, stop) as mv:` gives a writable memoryview of
    elements [start, stop) inside a transaction: committed when the block
    ends, rolled back on an exception."""

    # PyPy's objects all take weak references already
    __slots__ = ("_pool", "_h", "_tc") + (
        () if _sys.implementation.name == "pypy" else ("__weakref__",))

    def __init__(self, pool, handle):
        self._pool = pool
        self._h = handle
        try:
            _pmemkit._array_bind(self, handle)
        except TypeError:
            raise _made_elsewhere(self, "pool.new_array()") from None
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
        """See pk_array_get(3)."""
        if isinstance(index, slice):
            start, stop, step = index.indices(len(self))
            if step == 1:
                return self._read(start, max(stop, start))
            return self._read()[index]
        try:
            v = _array_get(self._h, index)
        except (TypeError, OverflowError) as e:
            return self[_refused(e, index, _plain_get)]
        except RangeError as e:
            e.args = ("array index out of range",)  # array.array's words
            raise
        if v.__class__ is int and v < 0 and self._tc in _U64_TYPECODES:
            v += 1 << 64
        return v

    def __setitem__(self, index, value):
        """See pk_array_set(3)."""
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
        if value.__class__ is int and not 0 <= value < 1 << 63 and \
                self._tc in _U64_TYPECODES:
            self._write1(index, value)      # beyond C's int64
            return
        try:
            _array_set(self._h, index, value)
        except (TypeError, OverflowError, Error) as e:
            if isinstance(e, Error) and self._tc in ("f", "d"):
                # what C refuses and array.array rounds (1e300 on 'f' is
                # inf) or converts (an int beyond 64 bits)
                self._write1(index, value)
                return
            # array.array's error for a value it refuses, else the index's
            _pyarray.array(self._tc, [value])
            if isinstance(e, RangeError):
                e.args = ("array assignment index out of range",)
            if isinstance(e, Error):
                raise
            self[_refused(e, index, _plain_get)] = value

    def _write1(self, index, value):
        """self[index] = value converted as array.array converts it (and
        refused with its error)."""
        v = _pyarray.array(self._tc, [value])
        n = len(self)
        i = _as_index(index)
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise RangeError("array assignment index out of range")
        _pmemkit.pk_array_write(self._h, i, 1, v)

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
        """Change the number of elements (new ones are zero).

        See pk_array_resize(3)."""
        if _pmemkit._array_exports(self) and (
                _sys.implementation.name != "pypy" or self._pool._exported()):
            raise BufferError("pmemkit: cannot resize an array while its "
                              "buffer is exported")
        _pmemkit.pk_array_resize(self._h, _c_uint(length, "array length"))

    def modify(self, start=0, stop=None):
        """`with a.modify(start, stop) as mv:` -- a writable memoryview of
        elements [start, stop) (default: all) in a transaction."""
        n = len(self)
        start = _as_index(start)
        stop = n if stop is None else _as_index(stop)
        if start < 0:
            start += n
        if stop < 0:
            stop += n
        return _Modify(self, start, stop)

    def _plain_pair(self, other):
        """self and other as array.arrays, or None if other is neither an
        Array nor an array.array (which then compare as array.array's)."""
        if isinstance(other, Array):
            return self._read(), other._read()
        if isinstance(other, _pyarray.array):
            return self._read(), other
        return None

    def __eq__(self, other):
        p = self._plain_pair(other)
        return NotImplemented if p is None else p[0] == p[1]

    def __lt__(self, other):
        p = self._plain_pair(other)
        return NotImplemented if p is None else p[0] < p[1]

    def __le__(self, other):
        p = self._plain_pair(other)
        return NotImplemented if p is None else p[0] <= p[1]

    def __gt__(self, other):
        p = self._plain_pair(other)
        return NotImplemented if p is None else p[0] > p[1]

    def __ge__(self, other):
        p = self._plain_pair(other)
        return NotImplemented if p is None else p[0] >= p[1]

    def __contains__(self, value):
        return value in self._read()

    def index(self, value, start=0, stop=None):
        """As array.array.index (its error too)."""
        a = self._read()
        if start == 0 and stop is None:
            return a.index(value)
        start, stop, _ = slice(start, stop).indices(len(a))
        return a[start:stop].index(value) + start

    def count(self, value):
        """How many elements equal value."""
        return self._read().count(value)

    def __reversed__(self):
        return reversed(self.tolist())

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
