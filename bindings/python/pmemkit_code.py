# pmemkit_code.py -- the Pythonic layer of the pmemkit module.
#
# SWIG inserts this file into the generated pmemkit.py (%pythoncode in
# bindings/python/pmemkit.i); it is not a module of its own. It uses the
# flat functions SWIG wraps from include/pmemkit.h through `_pmemkit`
# directly (the fast path), and the helpers defined in pmemkit.i.

import array as _pyarray
import collections.abc as _abc
import os as _os
import struct as _struct
import sys as _sys
import weakref as _weakref

__version__ = _pmemkit.pk_version()

# ---- exceptions, generated from the error table --------------------------

class Error(Exception):
    """Base of pmemkit's own exceptions. `code` is the C return code."""
    code = None


# Python-specific policy: which builtin exception each class of the table
# (pk_error_class()) also is, and the Python name of a class where
# "<class>Error" would not do. A class added to the table later gets a
# plain Error subclass of its own without a change here.
_CLASS_BASES = {
    "NotFound": (KeyError,),
    "Range": (IndexError,),
    "Kind": (TypeError,),
    "KeyType": (TypeError,),
    "Value": (ValueError,),
    "Changed": (RuntimeError,),
    "OutOfSpace": (MemoryError,),
    "Stale": (ReferenceError,),
}
_CLASS_NAMES = {"Value": "InvalidValueError"}

# (name, code, class, message) rows of PK_ERROR_TABLE
ERROR_TABLE = tuple(tuple(r) for r in _pmemkit._error_table())


def _make_exceptions():
    classes = {"Error": Error, "IterOver": StopIteration}
    for name, code, cls, msg in ERROR_TABLE:
        if cls in classes:
            continue
        pyname = _CLASS_NAMES.get(cls, cls if cls.endswith("Error")
                                  else cls + "Error")
        exc = type(pyname, (Error,) + _CLASS_BASES.get(cls, ()), {
            "__module__": __name__,
            "__doc__": "pmemkit error class %s (%s)." % (cls, ", ".join(
                r[0] for r in ERROR_TABLE if r[2] == cls)),
        })
        classes[cls] = exc
        globals()[pyname] = exc
    return classes


_EXCEPTIONS = _make_exceptions()
_pmemkit._set_exceptions(_EXCEPTIONS)


def exception_for(cls):
    """The exception type pmemkit raises for an error class of the table
    ("NotFound", "PoolError", ...)."""
    return _EXCEPTIONS.get(cls, Error)


# ---- changes made through this module, for PyPy's batched iteration ----

_PYPY = _sys.implementation.name == "pypy"
_mods = [0]


def _counting(fn):
    def call(*args):
        _mods[0] += 1
        return fn(*args)
    call.__name__ = fn.__name__
    call.__doc__ = fn.__doc__
    return call


if _PYPY:
    for _name in ("pk_map_put", "pk_map_remove", "pk_map_clear",
                  "pk_list_set", "pk_list_append", "pk_list_extend",
                  "pk_list_insert", "pk_list_pop", "pk_list_remove_range",
                  "pk_list_clear", "pk_array_set", "pk_array_write",
                  "pk_array_resize", "pk_tx_abort"):
        setattr(_pmemkit, _name, _counting(getattr(_pmemkit, _name)))
    del _name

# ---- fast paths: the wrapped C functions themselves ----------------------

_map_get = _pmemkit.pk_map_get
_map_put = _pmemkit.pk_map_put
_map_contains = _pmemkit.pk_map_contains
_map_remove = _pmemkit.pk_map_remove
_map_length = _pmemkit.pk_map_length
_map_cursor = _pmemkit.pk_map_cursor
_map_value = _pmemkit.pk_map_value
_map_close = _pmemkit.pk_map_close
_list_get = _pmemkit.pk_list_get
_list_set = _pmemkit.pk_list_set
_list_append = _pmemkit.pk_list_append
_list_extend = _pmemkit.pk_list_extend
_list_insert = _pmemkit.pk_list_insert
_list_pop = _pmemkit.pk_list_pop
_list_length = _pmemkit.pk_list_length
_list_cursor = _pmemkit.pk_list_cursor
_list_value = _pmemkit.pk_list_value
_list_close = _pmemkit.pk_list_close
_array_get = _pmemkit.pk_array_get
_array_set = _pmemkit.pk_array_set
_array_length = _pmemkit.pk_array_length
_array_value = _pmemkit.pk_array_value
_array_close = _pmemkit.pk_array_close
_cursor_next = _pmemkit.pk_cursor_next
_cursor_batch = _pmemkit._cursor_batch
_cursor_check = _pmemkit.pk_cursor_check
_cursor_free = _pmemkit.pk_cursor_free
_tx_begin = _pmemkit.pk_tx_begin
_tx_commit = _pmemkit.pk_tx_commit
_tx_abort = _pmemkit.pk_tx_abort


# ---- PyPy: a map's reads through cffi ------------------------------------
#
# Under PyPy a call through its C-API emulation costs most of a
# microsecond, mostly in copying the bytes objects that cross it; a cffi
# call costs a tenth (pmemkit.i, "PyPy: the map's reads through cffi").
# So there a Map's get and contains call C through cffi when the key is a
# plain scalar, and len always; anything else returns _SLOW and takes the
# wrapped function, which behaves as before. Writes keep to the wrapped
# functions: a cffi call runs without the GIL, and the wrapped reads rely
# on no writer running without it. cffi ships with PyPy.

_SLOW = object()
_FAST = False
if _PYPY:
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
    _SHUT = _ep[3]
    if (_ffi.sizeof("pk_value"), _ffi.offsetof("pk_value", "u")) != _ep[4:]:
        raise ImportError("pmemkit: pk_value's layout differs from the "
                          "cffi declaration in pmemkit_code.py")
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
        it (a reference as its (type, off, gen) tuple), or _SLOW."""
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

    def _fast_shut(pool):
        """Shut pool's gate and wait for the cffi calls inside to leave,
        before close unmaps it. None waits for anything while inside:
        one that must wait for a lock leaves the gate meanwhile
        (pmemkit.i)."""
        while _fshut(pool._gate):
            _time.sleep(0.0001)         # releases the GIL


# ---- iteration -----------------------------------------------------------
#
# CPython takes a cursor's entries one call at a time. Under PyPy every
# object made in C crosses its C-API emulation (about a microsecond each),
# so there the entries come packed in batches (_cursor_batch, pmemkit.i)
# and are decoded here, which PyPy's JIT compiles. Iteration must still
# behave as if it read each entry when it yields it: once anything was
# changed through this module (_mods) after a batch was read, each step
# asks C whether the container changed (pk_cursor_check: PK_ECHANGED as
# the next pk_cursor_next() would return) and reads the value again.

_BATCH_BYTES = 32768
_I64 = _struct.Struct("<q")
_F64 = _struct.Struct("<d")
_U32 = _struct.Struct("<I")
_REF = _struct.Struct("<QQ")
(_T_NIL, _T_BOOL, _T_INT, _T_DOUBLE, _T_BYTES, _T_STRING, _T_BIGINT) = (
    PK_NIL, PK_BOOL, PK_INT, PK_DOUBLE, PK_BYTES, PK_STRING, PK_BIGINT)


def _unpack(buf, pos):
    """The value packed at buf[pos:], as pk_py_from_value() makes it, and
    the position after it."""
    t = buf[pos]
    pos += 1
    if t == _T_INT:
        return _I64.unpack_from(buf, pos)[0], pos + 8
    if t == _T_BYTES or t == _T_STRING or t == _T_BIGINT:
        n = _U32.unpack_from(buf, pos)[0]
        b = buf[pos + 4:pos + 4 + n]
        pos += 4 + n
        if t == _T_BYTES:
            return b, pos
        if t == _T_STRING:
            return b.decode("utf-8"), pos
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
            v, pos = _unpack(buf, pos)
            if mods[0] != seen:
                _cursor_check(c)
                seen = mods[0]
                fresh = False
            yield k, (v if fresh else get(k))


def _cursor_entries_each(c, get):
    while True:
        try:
            kv = _cursor_next(c)
        except StopIteration:
            return
        yield kv


_cursor_entries = _cursor_entries_batched if _PYPY else _cursor_entries_each

# values stored as they are (the C typemap converts them)
_SCALARS = frozenset((type(None), bool, int, float, str, bytes, bytearray,
                      memoryview))

_MISSING = object()
DEFAULT_POOL_SIZE = 64 << 20
MIN_POOL_SIZE = PK_POOL_MIN_SIZE

# array module typecodes -> element types
_TYPECODES = {
    "b": PK_ELEM_I8, "B": PK_ELEM_U8, "h": PK_ELEM_I16, "H": PK_ELEM_U16,
    "i": PK_ELEM_I32, "I": PK_ELEM_U32, "l": PK_ELEM_I64, "L": PK_ELEM_U64,
    "q": PK_ELEM_I64, "Q": PK_ELEM_U64, "f": PK_ELEM_F32, "d": PK_ELEM_F64,
}
# container flags (pk_container_flags) this module gives a meaning to: a
# list that was a tuple; an array whose typecode is in the high byte (l and
# L share their element types with q and Q)
_FLAG_TUPLE = 0x01
_FLAG_TYPECODE = 0x02

_ELEM_TYPECODE = {
    PK_ELEM_I8: "b", PK_ELEM_U8: "B", PK_ELEM_I16: "h", PK_ELEM_U16: "H",
    PK_ELEM_I32: "i", PK_ELEM_U32: "I", PK_ELEM_I64: "q", PK_ELEM_U64: "Q",
    PK_ELEM_F32: "f", PK_ELEM_F64: "d",
}


def _plain(obj):
    """A plain Python copy of what Pool._wrap gave: containers become
    dicts, lists and arrays; a tuple (a list stored from a tuple) stays a
    tuple, its elements copied in turn."""
    if obj.__class__ is tuple:
        return tuple(_plain(x) for x in obj)
    return obj.to_python()


def _no_pickle(self, *args):
    raise TypeError("pmemkit objects cannot be pickled or copied: they "
                    "refer to a pool; use to_python() for a plain copy")


def _plain(v):
    """A plain Python copy of a value read from a pool."""
    if isinstance(v, (Map, List, Array)):
        return v.to_python()
    return v


# ---- pools ----------------------------------------------------------------

class Pool:
    """An open pmemkit pool.

    Pool.create(path, size=DEFAULT_POOL_SIZE) makes a new pool file,
    Pool.open(path) opens one; use either in a `with` statement or call
    close(). pool.root is the root map. Containers read from a pool keep
    it alive; after close() every use of them raises ClosedError.
    """

    def __init__(self, handle, path):
        # use Pool.create() or Pool.open()
        self._h = handle
        self.path = path
        self._arrays = _weakref.WeakValueDictionary()
        if _FAST:
            self._gate = _ffi.new(_GATE)

    @classmethod
    def create(cls, path, size=DEFAULT_POOL_SIZE, mode=0o600):
        """Create a pool file of `size` bytes (at least MIN_POOL_SIZE)."""
        path = _os.fspath(path)
        if size < MIN_POOL_SIZE:
            raise ValueError("pmemkit: pool size %d is below the minimum %d"
                             % (size, MIN_POOL_SIZE))
        return cls(_pmemkit.pk_pool_create(path, size, mode), path)

    @classmethod
    def open(cls, path):
        """Open an existing pool file."""
        path = _os.fspath(path)
        return cls(_pmemkit.pk_pool_open(path), path)

    def _handle(self):
        h = self._h
        if h is None:
            raise ClosedError("pool is closed")
        return h

    @property
    def closed(self):
        return self._h is None

    def close(self):
        """Close the pool (a no-op when closed). An open transaction is
        aborted. Raises BufferError while buffers of its arrays are
        exported (memoryviews, numpy arrays made with frombuffer)."""
        h = self._h
        if h is None:
            return
        if self._exported():
            raise BufferError("pmemkit: cannot close the pool while "
                              "buffers of its arrays are exported")
        self._h = None
        if _FAST:
            _fast_shut(self)
        _pmemkit.pk_pool_close(h)

    def _exported(self):
        """Whether buffers of the pool's arrays are exported."""
        def count():
            return sum(_pmemkit._array_exports(a)
                       for a in list(self._arrays.values()))
        if count() and _sys.implementation.name == "pypy":
            # PyPy releases buffers when the memoryview is collected
            import gc
            gc.collect()
        return count() > 0

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def __del__(self):
        try:
            if self._h is not None:
                h, self._h = self._h, None
                _pmemkit.pk_pool_close(h)
        except Exception:
            pass

    __reduce__ = __reduce_ex__ = _no_pickle

    def __repr__(self):
        return "<pmemkit.Pool %r%s>" % (self.path,
                                         " closed" if self._h is None else "")

    @property
    def root(self):
        """The root map."""
        return Map(self, _pmemkit.pk_pool_root(self._handle()))

    def transaction(self):
        """`with pool.transaction():` -- all of the block or none of it.
        An exception inside aborts the transaction and propagates;
        transactions nest flatly."""
        return _Transaction(self)

    @property
    def tx_depth(self):
        """Nesting depth of this thread's open transaction on the pool."""
        return _pmemkit.pk_tx_depth(self._handle())

    def new_map(self, items=()):
        """A new map (unreferenced until stored; pool.gc() frees it if it
        never is). items: a mapping or (key, value) pairs."""
        m = Map(self, _pmemkit.pk_map_new(self._handle()))
        if items:
            m.update(items)
        return m

    def new_list(self, items=()):
        """A new list (unreferenced until stored)."""
        l = List(self, _pmemkit.pk_list_new(self._handle()))
        if items:
            l.extend(items)
        return l

    def new_array(self, typecode, length_or_iterable=0):
        """A new typed array of array-module typecode b B h H i I l L q Q f
        d: zeros of the given length, or the numbers of an iterable."""
        elem = _TYPECODES.get(typecode)
        if elem is None:
            raise ValueError("pmemkit: bad typecode %r (one of %s)" % (
                typecode, " ".join(_TYPECODES)))
        h = self._handle()
        if isinstance(length_or_iterable, int):
            if length_or_iterable < 0:
                raise ValueError("pmemkit: negative array length")
            init, n = None, length_or_iterable
        else:
            init = _pyarray.array(typecode, length_or_iterable)
            n = len(init)
        with self.transaction():
            a = _pmemkit.pk_array_new(h, elem, 0, n, init)
            if _ELEM_TYPECODE[elem] != typecode:
                _pmemkit.pk_container_set_flags(
                    h, _array_value(a), _FLAG_TYPECODE | ord(typecode) << 8)
        return Array(self, a)

    def gc(self):
        """Free every container not reachable from the root; returns how
        many objects were freed."""
        return _pmemkit.pk_pool_gc(self._handle())

    def check(self):
        """Walk the pool, changing nothing. Returns a dict of the report's
        counts plus 'ok' (True for a healthy pool)."""
        code, rep = _pmemkit.pk_pool_check(self._handle())
        d = {f: getattr(rep, f) for f in ("objects", "reachable", "leaked",
                                          "dangling", "refcounts", "damaged")}
        d["ok"] = code == 0
        return d

    def prefault(self):
        """Map every page of the pool now, so that no later operation pays
        a first-touch page fault (they are most of a growing map's slowest
        puts). Takes time in proportion to the pool's size; changes no
        data."""
        _pmemkit.pk_pool_prefault(self._handle())

    def stats(self):
        """Space and state of the pool, as a dict."""
        s = _pmemkit.pk_pool_stats_get(self._handle())
        return {f: getattr(s, f) for f in ("size", "used", "objects",
                                           "unclean", "recovered")}

    # -- internals --

    def _wrap(self, ref):
        """A Map, List or Array object for a reference read from the pool."""
        t = ref[0]
        if t == PK_MAP:
            return Map(self, _pmemkit.pk_map_open(self._handle(), ref))
        if t == PK_LIST:
            l = List(self, _pmemkit.pk_list_open(self._handle(), ref))
            if _pmemkit.pk_container_flags(self._handle(), ref) & _FLAG_TUPLE:
                return tuple(l)
            return l
        if t == PK_ARRAY:
            return Array(self, _pmemkit.pk_array_open(self._handle(), ref))
        raise InvalidValueError("pmemkit: unknown container type %r" % (t,))

    def _ref(self, value):
        """What to hand to C for a value that is not a plain scalar: a
        reference to a container of this pool, made from the value first if
        it is a plain dict, list, tuple or array.array. The caller is in a
        transaction when the value is plain."""
        if isinstance(value, (Map, List, Array)):
            if value._pool is not self:
                raise ValueError("pmemkit: the container belongs to another "
                                 "pool")
            return value._ref()
        if isinstance(value, _pyarray.array):
            return self.new_array(value.typecode, value)._ref()
        if isinstance(value, dict) or isinstance(value, _abc.Mapping):
            m = self.new_map()
            for k, v in value.items():
                m[k] = v
            return m._ref()
        if isinstance(value, (list, tuple)):
            l = self.new_list()
            l.extend(value)
            if isinstance(value, tuple):
                _pmemkit.pk_container_set_flags(self._handle(), l._ref(),
                                                _FLAG_TUPLE)
            return l._ref()
        return value  # let the C typemap accept or refuse it


def _tx_closed(pool, h):
    """Whether the pool was closed inside this thread's transaction on it
    (which aborted it). Closed by another thread, the transaction is
    still open and that close waits for it to end."""
    return pool._h is None and not _pmemkit.pk_tx_depth(h)


class _Transaction:
    __slots__ = ("_pool", "_th")

    def __init__(self, pool):
        self._pool = pool

    def __enter__(self):
        self._th = self._pool._handle()
        _tx_begin(self._th)
        return self

    def __exit__(self, et, ev, tb):
        h = self._th
        if _tx_closed(self._pool, h):
            return False
        if et is None:
            _tx_commit(h)
        else:
            try:
                _tx_abort(h)
            except Error:
                pass
        return False


def _store(pool, setter, value):
    """Store a value that is not a plain scalar through setter(ref): plain
    structures are converted deeply, all in one transaction."""
    if isinstance(value, (Map, List, Array)):
        setter(pool._ref(value))
        return
    if not isinstance(value, (dict, list, tuple, _pyarray.array,
                              _abc.Mapping)):
        setter(value)
        return
    building = _building_guard(value)
    try:
        with pool.transaction():
            setter(pool._ref(value))
    finally:
        building.done()


class _building_guard:
    """Refuse self-containing plain structures (they would never end)."""
    _active = set()
    __slots__ = ("key",)

    def __init__(self, value):
        self.key = id(value)
        if self.key in self._active:
            raise ValueError("pmemkit: cannot store a structure that "
                             "contains itself")
        self._active.add(self.key)

    def done(self):
        self._active.discard(self.key)


# ---- containers -----------------------------------------------------------

class _Container:
    """What Map and List share: a pool and a C handle, released with the
    kind's close function; the kind's value function makes the reference
    stored in other containers."""
    __slots__ = ()
    __reduce__ = __reduce_ex__ = _no_pickle
    __copy__ = __deepcopy__ = _no_pickle
    _close = _value = None          # staticmethods set by each kind

    def __init__(self, pool, handle):
        self._pool = pool
        self._h = handle

    def __del__(self):
        try:
            h, self._h = self._h, None
            if h is not None:
                self._close(h)
        except Exception:
            pass

    def _ref(self):
        return self._value(self._h)

    @property
    def pool(self):
        return self._pool


class Map(_Container, _abc.MutableMapping):
    """A persistent map: a dict whose keys are None, bool, int, float, str
    or bytes (equal numbers are one key: 1, 1.0 and True). Values are those
    and bytes-like objects, containers, and plain dicts, lists, tuples and
    array.arrays, stored as new containers (deeply, in one transaction).
    Every change is atomic and durable when it returns."""

    __slots__ = ("_pool", "_h", "_a", "__weakref__")
    _close = staticmethod(_map_close)
    _value = staticmethod(_map_value)

    def __getitem__(self, key):
        try:
            v = _map_get(self._h, key)
        except NotFoundError:
            raise NotFoundError(key) from None
        if v.__class__ is tuple:
            return self._pool._wrap(v)
        return v

    def get(self, key, default=None):
        try:
            v = _map_get(self._h, key)
        except NotFoundError:
            return default
        if v.__class__ is tuple:
            return self._pool._wrap(v)
        return v

    def __setitem__(self, key, value):
        if value.__class__ in _SCALARS:
            _map_put(self._h, key, value)
        else:
            h = self._h
            _store(self._pool, lambda v: _map_put(h, key, v), value)

    def __delitem__(self, key):
        try:
            _map_remove(self._h, key)
        except NotFoundError:
            raise NotFoundError(key) from None

    def __contains__(self, key):
        return _map_contains(self._h, key) != 0

    if _FAST:
        # the reads through cffi (above), falling back to these
        _getitem_wrapped, _get_wrapped = __getitem__, get
        _contains_wrapped = __contains__

        def __init__(self, pool, handle):
            _Container.__init__(self, pool, handle)
            self._a = _ffi.cast("void *", int(handle))

        def __del__(self):
            self._a = _NULL     # the handle is closed: C says EINVAL
            _Container.__del__(self)

        def __getitem__(self, key):
            v = _fast_get(self, key)
            if v is _SLOW:
                return self._getitem_wrapped(key)
            if v is _MISSING:
                raise NotFoundError(key)
            return self._pool._wrap(v) if v.__class__ is tuple else v

        def get(self, key, default=None):
            v = _fast_get(self, key)
            if v is _SLOW:
                return self._get_wrapped(key, default)
            if v is _MISSING:
                return default
            return self._pool._wrap(v) if v.__class__ is tuple else v

        def __contains__(self, key):
            r = _fast_get(self, key, False)
            if r is _SLOW:
                return self._contains_wrapped(key)
            return r is not _MISSING

        def __len__(self):
            n = _fast_length(self)
            return _map_length(self._h) if n is _SLOW else n
    else:
        def __len__(self):
            return _map_length(self._h)

    def _entries(self):
        """(key, value) pairs, the value still a reference tuple."""
        h = self._h
        c = _map_cursor(h)
        try:
            yield from _cursor_entries(c, lambda k: _map_get(h, k))
        finally:
            _cursor_free(c)

    def __iter__(self):
        for k, v in self._entries():
            yield k

    def items(self):
        return _MapItems(self)

    def values(self):
        return _MapValues(self)

    def clear(self):
        _pmemkit.pk_map_clear(self._h)

    def pop(self, key, default=_MISSING):
        """Remove a key and return its value (containers as a plain copy:
        removing the last reference frees them)."""
        with self._pool.transaction():
            try:
                v = self[key]
            except KeyError:
                if default is _MISSING:
                    raise
                return default
            v = _plain(v)
            _map_remove(self._h, key)
        return v

    def popitem(self):
        with self._pool.transaction():
            for k in self:
                return k, self.pop(k)
        raise NotFoundError("popitem(): map is empty")

    def update(self, *args, **kwargs):
        with self._pool.transaction():
            _abc.MutableMapping.update(self, *args, **kwargs)

    def to_python(self):
        """A plain dict, deeply copied."""
        out = {}
        wrap = self._pool._wrap
        for k, v in self._entries():
            out[k] = _plain(wrap(v)) if v.__class__ is tuple else v
        return out

    def __eq__(self, other):
        if isinstance(other, Map) and other._pool is self._pool and \
                other._ref() == self._ref():
            return True
        return _abc.MutableMapping.__eq__(self, other)

    __hash__ = None

    def __repr__(self):
        try:
            return "pmemkit.Map(%r)" % (self.to_python(),) \
                if len(self) <= 20 else "<pmemkit.Map of %d entries>" % len(self)
        except Error as e:
            return "<pmemkit.Map: %s>" % (e,)


class _MapItems(_abc.ItemsView):
    def __iter__(self):
        m = self._mapping
        wrap = m._pool._wrap
        for k, v in m._entries():
            yield k, (wrap(v) if v.__class__ is tuple else v)


class _MapValues(_abc.ValuesView):
    def __iter__(self):
        m = self._mapping
        wrap = m._pool._wrap
        for k, v in m._entries():
            yield wrap(v) if v.__class__ is tuple else v


class List(_Container, _abc.MutableSequence):
    """A persistent list with Python's list semantics (slices included).
    Values are as for Map. Every change is atomic and durable when it
    returns; slice assignments are one transaction."""

    __slots__ = ("_pool", "_h", "__weakref__")
    _close = staticmethod(_list_close)
    _value = staticmethod(_list_value)

    def __len__(self):
        return _list_length(self._h)

    def _get(self, i):
        v = _list_get(self._h, i)
        if v.__class__ is tuple:
            return self._pool._wrap(v)
        return v

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self._get(i) for i in range(*index.indices(len(self)))]
        return self._get(index)

    def _set(self, i, value):
        if value.__class__ in _SCALARS:
            _list_set(self._h, i, value)
        else:
            h = self._h
            _store(self._pool, lambda v: _list_set(h, i, v), value)

    def __setitem__(self, index, value):
        if not isinstance(index, slice):
            self._set(index, value)
            return
        n = len(self)
        start, stop, step = index.indices(n)
        values = list(value)
        with self._pool.transaction():
            if step == 1:
                if stop < start:
                    stop = start
                _pmemkit.pk_list_remove_range(self._h, start, stop)
                if start == len(self):
                    self.extend(values)
                else:
                    for k, v in enumerate(values):
                        self.insert(start + k, v)
            else:
                r = range(start, stop, step)
                if len(r) != len(values):
                    raise ValueError("attempt to assign sequence of size %d "
                                     "to extended slice of size %d"
                                     % (len(values), len(r)))
                for i, v in zip(r, values):
                    self._set(i, v)

    def __delitem__(self, index):
        if not isinstance(index, slice):
            _list_pop(self._h, index)
            return
        start, stop, step = index.indices(len(self))
        if step == 1:
            if stop > start:
                _pmemkit.pk_list_remove_range(self._h, start, stop)
            return
        r = range(start, stop, step)
        if step > 0:
            r = reversed(r)
        with self._pool.transaction():
            for i in r:
                _list_pop(self._h, i)

    def insert(self, index, value):
        if value.__class__ in _SCALARS:
            _list_insert(self._h, index, value)
        else:
            h = self._h
            _store(self._pool, lambda v: _list_insert(h, index, v), value)

    def append(self, value):
        if value.__class__ in _SCALARS:
            _list_append(self._h, value)
        else:
            h = self._h
            _store(self._pool, lambda v: _list_append(h, v), value)

    def extend(self, values):
        """Append the values, all in one transaction."""
        if values is self:
            values = self[:]
        values = values if isinstance(values, (list, tuple)) else list(values)
        scalars = _SCALARS
        if all(v.__class__ in scalars for v in values):
            _list_extend(self._h, values)
            return
        with self._pool.transaction():
            run = []
            for v in values:
                if v.__class__ in scalars:
                    run.append(v)
                    continue
                if run:
                    _list_extend(self._h, run)
                    run = []
                self.append(v)
            if run:
                _list_extend(self._h, run)

    def __iadd__(self, values):
        self.extend(values)
        return self

    def pop(self, index=-1):
        """Remove and return an element (a container as a plain copy:
        removing the last reference frees it)."""
        with self._pool.transaction():
            v = _plain(self._get(index))
            _list_pop(self._h, index)
        return v

    def clear(self):
        _pmemkit.pk_list_clear(self._h)

    def _entries(self):
        h = self._h
        c = _list_cursor(h)
        try:
            for _, v in _cursor_entries(c, lambda i: _list_get(h, i)):
                yield v
        finally:
            _cursor_free(c)

    def __iter__(self):
        wrap = self._pool._wrap
        for v in self._entries():
            yield wrap(v) if v.__class__ is tuple else v

    def reverse(self):
        with self._pool.transaction():
            _abc.MutableSequence.reverse(self)

    def sort(self, *, key=None, reverse=False):
        vals = sorted(self, key=key, reverse=reverse)
        with self._pool.transaction():
            for i, v in enumerate(vals):
                self._set(i, v)

    def to_python(self):
        """A plain list, deeply copied."""
        wrap = self._pool._wrap
        return [_plain(wrap(v)) if v.__class__ is tuple else v
                for v in self._entries()]

    def __eq__(self, other):
        if isinstance(other, (List, list, tuple, Array)):
            if len(self) != len(other):
                return False
            return all(a == b for a, b in zip(self, other))
        return NotImplemented

    __hash__ = None

    def __repr__(self):
        try:
            n = len(self)
            return "pmemkit.List(%r)" % (self.to_python(),) \
                if n <= 20 else "<pmemkit.List of %d elements>" % n
        except Error as e:
            return "<pmemkit.List: %s>" % (e,)


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
        if et is None:
            _tx_commit(h)
        else:
            try:
                _tx_abort(h)
            except Error:
                pass
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
            self._tc = chr(flags >> 8)
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
        return self._tc

    @property
    def itemsize(self):
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
        if v.__class__ is int and v < 0 and self._tc == "Q":
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
        if self._tc == "Q" and value.__class__ is int and value >= 1 << 63:
            n = len(self)
            i = index + n if index < 0 else index
            if not 0 <= i < n:
                raise RangeError("array index out of range")
            _pmemkit.pk_array_write(self._h, i, 1,
                                    _pyarray.array("Q", [value]))
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


Map.__module__ = List.__module__ = Array.__module__ = Pool.__module__ = \
    __name__
