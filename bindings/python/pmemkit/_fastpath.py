# _fastpath.py -- under PyPy, a map's reads through cffi.
#
# Under PyPy a call through its C-API emulation costs most of a
# microsecond, mostly in copying the bytes objects that cross it; a cffi
# call costs a tenth (pmemkit.i, "PyPy: the map's reads through cffi").
# So there a Map's get and contains call C through cffi when the key is a
# plain scalar (not a tuple), and len always; anything else (a tuple key
# or value too) returns _SLOW and takes the wrapped function, which
# behaves as before. Writes keep to the wrapped
# functions: a cffi call runs without the GIL, and the wrapped reads rely
# on no writer running without it. cffi ships with PyPy.

import sys as _sys

from . import _pmemkit
from ._pmemkit import (PK_NIL, PK_BOOL, PK_INT, PK_DOUBLE, PK_BYTES,
                       PK_STRING, PK_BIGINT, PK_TUPLE, PK_FROZENSET,
                       PK_NOTFOUND)
from ._values import _MISSING

_SLOW = object()
_FAST = False
if _sys.implementation.name == "pypy":
    import threading as _threading
    import time as _time
    try:
        import cffi as _cffi
        _FAST = True
    except ImportError:
        pass

if _FAST:
    _ffi = _cffi.FFI()
    _ffi.cdef("""
        typedef struct {
            int type;
            union {
                int64_t i;
                double d;
                struct { const char *ptr; size_t len; } buf;
                struct { uint64_t off, gen; } ref;
            } u;
        } pk_value;
        struct pk_py_gate { int shut; int inside; };
    """)
    _GATE = "struct pk_py_gate *"
    _ep = _pmemkit._fast_entry_points()
    _fget, _flength, _fshut = (
        _ffi.cast(sig, addr) for sig, addr in zip((
            "int(*)(%s, pk_value *, char *, size_t, void *, int,"
            " const char *, size_t, int64_t, double)" % _GATE,
            "int(*)(%s, uint64_t *, void *)" % _GATE,
            "int(*)(%s)" % _GATE), _ep[:3]))
    _fblock = _ffi.cast("int(*)(%s, char *, size_t, void *, uint64_t)"
                        % _GATE, _ep[6])
    _SHUT = _ep[3]
    if (_ffi.sizeof("pk_value"), _ffi.offsetof("pk_value", "u")) != _ep[4:6]:
        raise ImportError("pmemkit: pk_value's layout differs from the "
                          "cffi declaration in pmemkit/_fastpath.py")
    _NULL = _ffi.NULL
    _FAST_BUF = 256     # a get's payload; a longer one takes _SLOW
    _I64_MIN, _I64_MAX = -(1 << 63), (1 << 63) - 1
    _fast_tls = _threading.local()

    class _Scratch:
        """A thread's out-parameters (cffi releases the GIL for a call,
        so threads cannot share them), busy from the call until its
        results are read: a signal handler or finalizer that reads a map
        meanwhile, on the same thread, takes the wrapped call."""
        __slots__ = ("out", "buf", "n", "busy")

        def __init__(self):
            self.out = _ffi.new("pk_value *")
            self.buf = _ffi.new("char[]", _FAST_BUF)
            self.n = _ffi.new("uint64_t *")
            self.busy = False

    def _scratch():
        """The calling thread's _Scratch if it is not busy, or None. The
        caller marks it busy inside its try, whose finally clears it."""
        try:
            s = _fast_tls.s
        except AttributeError:
            s = _fast_tls.s = _Scratch()
        return None if s.busy else s

    def _fast_key(x):
        """(type, bytes, length, int, float) of a key for the cffi calls,
        or None."""
        c = x.__class__
        if c is bytes:
            return PK_BYTES, x, len(x), 0, 0.0
        if c is str:
            try:
                b = x.encode("utf-8")
            except UnicodeEncodeError:  # the wrapped call reports it
                return None
            return PK_STRING, b, len(b), 0, 0.0
        if c is int:
            if _I64_MIN <= x <= _I64_MAX:
                return PK_INT, _NULL, 0, x, 0.0
            return None
        if c is float:
            return PK_DOUBLE, _NULL, 0, 0, x
        if c is bool:
            return PK_BOOL, _NULL, 0, int(x), 0.0
        if x is None:
            return PK_NIL, _NULL, 0, 0, 0.0
        return None

    def _fast_value(out, buf):
        """The value a get left in out and buf, as the wrapped call makes
        it (a reference as its (type, off, gen) tuple), or _SLOW (a
        tuple or a frozen set, which the wrapped call decodes, or a long
        payload)."""
        t = out.type
        if t == PK_BYTES or t == PK_STRING or t == PK_BIGINT:
            if out.u.buf.ptr == _NULL:      # longer than the buffer
                return _SLOW
            b = _ffi.unpack(buf, out.u.buf.len)
            if t == PK_BYTES:
                return b
            if t == PK_STRING:
                return b.decode("utf-8")
            return int.from_bytes(b, "little", signed=True)
        if t == PK_INT:
            return out.u.i
        if t == PK_DOUBLE:
            return out.u.d
        if t == PK_NIL:
            return None
        if t == PK_BOOL:
            return out.u.i != 0
        if t == PK_TUPLE or t == PK_FROZENSET:
            return _SLOW
        return (t, out.u.ref.off, out.u.ref.gen)

    def _fast_result(rc, value):
        """value if the call returned 0; _SLOW if the gate was shut."""
        if rc == 0:
            return value
        if rc == _SHUT:
            return _SLOW
        _pmemkit._raise(rc)

    def _fast_get(m, key, decode=True):
        """m's value for key (True if not decode), _MISSING, or _SLOW."""
        k = _fast_key(key)
        s = _scratch() if k is not None else None
        if s is None:
            return _SLOW
        try:
            s.busy = True
            rc = _fget(m._pool._gate, s.out, s.buf, _FAST_BUF, m._a,
                       k[0], k[1], k[2], k[3], k[4])
            v = None
            if rc == 0:
                v = _fast_value(s.out, s.buf) if decode else True
        finally:
            s.busy = False
        return _MISSING if rc == PK_NOTFOUND else _fast_result(rc, v)

    def _fast_length(m):
        s = _scratch()
        if s is None:
            return _SLOW
        try:
            s.busy = True
            rc = _flength(m._pool._gate, s.n, m._a)
            n = s.n[0]
        finally:
            s.busy = False
        return _fast_result(rc, n)

    _BLOCK_MAX = 65536

    def _fast_block(b, i):
        """Block i of block array b as bytes, or _SLOW."""
        try:
            buf = _fast_tls.block
        except AttributeError:
            buf = _fast_tls.block = _ffi.new("char[]", _BLOCK_MAX)
        rc = _fblock(b._pool._gate, buf, _BLOCK_MAX, b._a, i)
        if rc == 0:
            return _ffi.unpack(buf, b._bs)
        if rc == _SHUT:
            return _SLOW
        _pmemkit._raise(rc)

    def _new_gate():
        """A new pool's gate."""
        return _ffi.new(_GATE)

    def _fast_shut(pool):
        """Shut pool's gate and wait for the cffi calls inside to leave,
        before close unmaps it. None waits for anything while inside:
        one that must wait for a lock leaves the gate meanwhile
        (pmemkit.i)."""
        while _fshut(pool._gate):
            _time.sleep(0.0001)         # releases the GIL
