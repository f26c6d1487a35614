# _blocks.py -- pmemkit.Blocks, a persistent array of fixed-size blocks.

import operator as _op

from . import _pmemkit
from ._calls import _cursor_next, _cursor_free
from ._errors import Error
from ._fastpath import _FAST, _SLOW

if _FAST:
    from ._fastpath import _ffi, _NULL, _fast_block
from ._values import _Container, _c_uint, _made_elsewhere

_blocks_get = _pmemkit.pk_blocks_get
_blocks_write = _pmemkit.pk_blocks_write
_blocks_length = _pmemkit.pk_blocks_length
_blocks_close = _pmemkit.pk_blocks_close
_blocks_value = _pmemkit.pk_blocks_value

_BYTES_LIKE = (bytes, bytearray, memoryview)


class Blocks(_Container):
    """A persistent block array: len(blocks) blocks of block_size bytes
    (512 to 65536), read and written whole, as a disk's sectors.
    blocks[i] is exactly block_size bytes; `blocks[i] = data` writes the
    block atomically (after a crash it holds the old bytes or the new,
    never a mix) and durably, zero-filling what data leaves of it. A new
    block reads as zeros; zero(i) zeroes one; set_error(i) marks one bad,
    and reading it raises OSError (EIO) until it is written or zeroed.
    grow(n) appends n zeroed blocks."""

    __slots__ = ("_pool", "_h", "_bs", "_a", "__weakref__")
    _close = staticmethod(_blocks_close)
    _value = staticmethod(_blocks_value)

    def __init__(self, pool, handle):
        _Container.__init__(self, pool, handle)
        try:
            self._bs = _pmemkit.pk_blocks_block_size(handle)
        except TypeError:
            raise _made_elsewhere(self, "pool.new_blocks()") from None

    _init_wrapped = __init__

    @property
    def block_size(self):
        """Bytes per block."""
        return self._bs

    def __len__(self):
        return _blocks_length(self._h)

    def _index(self, index):
        """A block's number from an index (negative from the end); an
        IndexError past either end."""
        i = _op.index(index)
        if i < 0:
            i += len(self)
        if not 0 <= i < 1 << 63:    # (past the end: C says so)
            raise IndexError("pmemkit: block index %d out of range"
                             % index)
        return i

    def __getitem__(self, index):
        """See pk_blocks_get(3)."""
        if isinstance(index, slice):
            return [_blocks_get(self._h, i)
                    for i in range(*index.indices(len(self)))]
        return _blocks_get(self._h, self._index(index))

    if _FAST:
        # PyPy: a block's read through cffi (_fastpath.py), falling back
        # to the wrapped call above
        _getitem_wrapped = __getitem__

        def __init__(self, pool, handle):
            Blocks._init_wrapped(self, pool, handle)
            self._a = _ffi.cast("void *", int(handle))

        def __del__(self):
            self._a = _NULL     # the handle is closed: C says EINVAL
            _Container.__del__(self)

        def __getitem__(self, index):
            if index.__class__ is int and 0 <= index < 1 << 63:
                v = _fast_block(self, index)
                if v is not _SLOW:
                    return v
            return self._getitem_wrapped(index)

    def __setitem__(self, index, data):
        """See pk_blocks_write(3)."""
        if isinstance(index, slice):
            raise TypeError("pmemkit: blocks are written one at a time")
        if not isinstance(data, _BYTES_LIKE):
            raise TypeError("pmemkit: a block is bytes-like, not %s"
                            % (type(data).__name__,))
        if data.__class__ is not bytes:
            data = bytes(data)
        if len(data) > self._bs:
            raise ValueError("pmemkit: %d bytes for a block of %d"
                             % (len(data), self._bs))
        _blocks_write(self._h, self._index(index), data)

    def __delitem__(self, index):
        raise TypeError("pmemkit: a block array does not shrink; "
                        "zero(i) zeroes a block")

    def zero(self, index):
        """Make a block read as zeros (and no longer bad), atomically.

        See pk_blocks_zero(3)."""
        _pmemkit.pk_blocks_zero(self._h, self._index(index))

    def set_error(self, index):
        """Mark a block bad: reading it raises OSError (EIO) until it is
        written or zeroed."""
        _pmemkit.pk_blocks_set_error(self._h, self._index(index))

    def grow(self, n):
        """Append n blocks that read as zeros, all or none.

        See pk_blocks_grow(3)."""
        _pmemkit.pk_blocks_grow(self._h, _c_uint(n, "number of blocks"))

    def append(self, data):
        """Append one block holding data (zero-filled), atomically."""
        with self._pool.transaction():
            self.grow(1)
            self[-1] = data

    def __iter__(self):
        c = _pmemkit.pk_blocks_cursor(self._h)
        try:
            while True:
                try:
                    yield _cursor_next(c)[1]
                except StopIteration:
                    return
        finally:
            _cursor_free(c)

    def to_python(self):
        """The blocks, as a list of bytes."""
        return list(self)

    def __eq__(self, other):
        if isinstance(other, Blocks):
            return self._bs == other._bs and list(self) == list(other)
        return NotImplemented

    __hash__ = None

    def __repr__(self):
        try:
            return "<pmemkit.Blocks of %d blocks of %d bytes>" % (
                len(self), self._bs)
        except Error as e:
            return "<pmemkit.Blocks: %s>" % (e,)


Blocks.__module__ = "pmemkit"
