# _cursor.py -- iteration over a map's or a list's entries.
#
# CPython takes a cursor's entries one call at a time. Under PyPy every
# object made in C crosses its C-API emulation (about a microsecond each),
# so there the entries come packed in batches (_cursor_batch, pmemkit.i)
# and are decoded here, which PyPy's JIT compiles. Iteration must still
# behave as if it read each entry when it yields it: once anything was
# changed through this package (_mods) after a batch was read, each step
# asks C whether the container changed (pk_cursor_check: PK_ECHANGED as
# the next pk_cursor_next() would return) and reads the value again.

import struct as _struct
from functools import partial as _partial

from ._calls import (_PYPY, _mods, _cursor_batch, _cursor_check,
                     _cursor_next)
from ._pmemkit import (PK_NIL, PK_BOOL, PK_INT, PK_DOUBLE, PK_BYTES,
                       PK_STRING, PK_BIGINT, PK_TUPLE, PK_FROZENSET,
                       _tuple_decode)

_BATCH_BYTES = 32768
_I64 = _struct.Struct("<q")
_F64 = _struct.Struct("<d")
_U32 = _struct.Struct("<I")
_REF = _struct.Struct("<QQ")
(_T_NIL, _T_BOOL, _T_INT, _T_DOUBLE, _T_BYTES, _T_STRING, _T_BIGINT,
 _T_TUPLE, _T_FROZENSET) = (PK_NIL, PK_BOOL, PK_INT, PK_DOUBLE, PK_BYTES,
                            PK_STRING, PK_BIGINT, PK_TUPLE, PK_FROZENSET)


def _unpack(buf, pos):
    """The value packed at buf[pos:], as pk_py_from_value() makes it (a
    tuple as (tuple,), a frozen set as (frozenset,)), and the position
    after it."""
    t = buf[pos]
    pos += 1
    if t == _T_INT:
        return _I64.unpack_from(buf, pos)[0], pos + 8
    if t == _T_BYTES or t == _T_STRING or t == _T_BIGINT or t == _T_TUPLE \
            or t == _T_FROZENSET:
        n = _U32.unpack_from(buf, pos)[0]
        b = buf[pos + 4:pos + 4 + n]
        pos += 4 + n
        if t == _T_BYTES:
            return b, pos
        if t == _T_STRING:
            return b.decode("utf-8"), pos
        if t == _T_TUPLE or t == _T_FROZENSET:
            return (_tuple_decode(b, t),), pos
        return int.from_bytes(b, "little", signed=True), pos
    if t == _T_DOUBLE:
        return _F64.unpack_from(buf, pos)[0], pos + 8
    if t == _T_NIL:
        return None, pos
    if t == _T_BOOL:
        return buf[pos] != 0, pos + 1
    off, gen = _REF.unpack_from(buf, pos)
    return (t, off, gen), pos + 16


def _cursor_entries_batched(c, get):
    """(key, value) of each entry; get(key) reads a value again."""
    mods = _mods
    while True:
        seen = mods[0]
        buf = _cursor_batch(c, _BATCH_BYTES)
        if not buf:
            return
        pos, end, fresh = 0, len(buf), True
        while pos < end:
            k, pos = _unpack(buf, pos)
            if k.__class__ is tuple:    # a key is never a reference
                k = k[0]
            v, pos = _unpack(buf, pos)
            if mods[0] != seen:
                _cursor_check(c)
                seen = mods[0]
                fresh = False
            yield k, (v if fresh else get(k))


def _cursor_entries_each(c, get):
    """(key, value) of each entry, a call each: a C iterator, which the
    StopIteration pk_cursor_next raises at the end (pmemkit.i) ends."""
    return iter(_partial(_cursor_next, c), None)


_cursor_entries = _cursor_entries_batched if _PYPY else _cursor_entries_each
