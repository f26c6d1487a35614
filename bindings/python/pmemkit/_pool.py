# _pool.py -- pmemkit.Pool: an open pool, its root map, new containers, and
# the containers read from it (Pool._wrap) or stored in it (Pool._ref).

import array as _pyarray
import collections.abc as _abc
import os as _os
import sys as _sys
import weakref as _weakref

from . import _fastpath
from . import _pmemkit
from . import _record
from ._array import Array
from ._calls import _array_value
from ._errors import ClosedError, InvalidValueError
from ._list import List
from ._blocks import Blocks
from ._set import Set, FrozenSet
from ._log import Log
from ._map import Map
from ._sorted import SortedMap
from ._pmemkit import (PK_MAP, PK_LIST, PK_ARRAY, PK_LOG, PK_BLOCKS, PK_SET,
                       PK_RECORD, PK_SORTED)
from ._tables import (_TYPECODES, _ELEM_TYPECODE, _FLAG_TUPLE,
                      _FLAG_FROZEN, _FLAG_TYPECODE, _FLAG_DETAIL_SHIFT,
                      _POOL_READONLY, _POOL_PROCESS_DURABLE)
from ._transaction import _Transaction
from ._values import _Container, _ScalarFrozenSet, _c_uint, _no_pickle

_FAST = _fastpath._FAST
# the kinds of container, as stats() names them
_KINDS = (("map", PK_MAP), ("list", PK_LIST), ("array", PK_ARRAY),
          ("log", PK_LOG), ("blocks", PK_BLOCKS), ("set", PK_SET),
          ("record", PK_RECORD), ("sorted_map", PK_SORTED))
# a fixed size for Pool.create(path, DEFAULT_POOL_SIZE): the default
# before pools grew
DEFAULT_POOL_SIZE = 64 << 20
MIN_POOL_SIZE = _pmemkit.PK_POOL_MIN_SIZE


class Pool:
    """An open pmemkit pool.

    Pool.create(path) makes a new pool that grows on demand
    (Pool.create(path, size) one of a fixed size), Pool.open(path) opens
    one; use either in a `with` statement or call close(). pool.root is
    the root map. Containers read from a pool keep it alive; after
    close() every use of them raises ClosedError.
    """

    def __init__(self, handle, path, flags=0):
        # use Pool.create() or Pool.open()
        self._h = handle
        self.path = path
        self._flags = flags
        self._arrays = _weakref.WeakValueDictionary()
        if _FAST:
            self._gate = _fastpath._new_gate()

    @classmethod
    def create(cls, path, size=None, *, max_size=None, mode=0o600,
               replica=None, process_durable=False):
        """Create a pool at `path`, which must not exist.

        Without a size the pool grows on demand, up to `max_size` bytes if
        given (else as far as the file system lets it); with a size (at
        least MIN_POOL_SIZE) and a max_size it starts at that size and
        grows; with a size alone it is one file of that size for good.
        A growing pool's `path` is a poolset file (poolset(5)) naming its
        parts, kept in the directory `path`.parts. `replica`: the path of
        a local replica, a second copy kept in step, from which
        Pool.repair() rebuilds a damaged copy (the pool's own data is then
        in `path`.pmem, or `path`.parts).
        `process_durable`: on a file that is not persistent memory, writes
        survive a crash of the process but not of the machine until
        sync() (see open()). `mode`: the file's permission bits.

        See pk_pool_create_opts(3)."""
        path = _os.fspath(path)
        if size is None:
            size = 0
        else:
            size = _c_uint(size, "pool size")
            if size < MIN_POOL_SIZE:
                raise ValueError("pmemkit: pool size %d is below the "
                                 "minimum %d" % (size, MIN_POOL_SIZE))
        if max_size is None:
            max_size = 0
        else:
            max_size = _c_uint(max_size, "maximum pool size")
            if max_size < max(size, MIN_POOL_SIZE):
                raise ValueError("pmemkit: maximum pool size %d is below "
                                 "the %s %d" % (
                                     max_size, "size" if size else "minimum",
                                     max(size, MIN_POOL_SIZE)))
        mode = _c_uint(mode, "mode", 32)
        if replica is not None:
            replica = _os.fspath(replica)
            if not replica:
                raise ValueError("pmemkit: an empty replica path")
        flags = _POOL_PROCESS_DURABLE if process_durable else 0
        h = _pmemkit.pk_swig_pool_create(path, size, max_size, mode, flags,
                                          replica)
        return cls(h, path, flags)

    @classmethod
    def open(cls, path, *, readonly=False, process_durable=False):
        """Open an existing pool (a pool file or a poolset file).

        readonly=True: reads and iteration work, every write (and gc(),
        defrag(), sync()) raises ReadOnlyError, and no byte of the file
        changes, not even when a crash left it unclean (it is recovered
        in this process's memory only); it opens files this process may
        not write too. process_durable=True: on a file that is not
        persistent memory, writes go to the page cache without msync, so
        they survive the process being killed, but a power loss or a
        kernel crash may lose or tear what came after the last sync() or
        close(), and so damage the pool (on persistent memory it changes
        nothing). The mode is this open's, not the file's.

        See pk_pool_open_opts(3)."""
        path = _os.fspath(path)
        flags = ((_POOL_READONLY if readonly else 0) |
                 (_POOL_PROCESS_DURABLE if process_durable else 0))
        return cls(_pmemkit.pk_swig_pool_open(path, flags), path, flags)

    @staticmethod
    def repair(path):
        """Repair a closed pool made with a replica: damaged or missing
        parts of the pool or of its replica are rebuilt from the healthy
        copy, keeping every change made before. Raises PoolError when no
        healthy copy is left or `path` has no replica, OSError (EAGAIN)
        while the pool is open.

        See pk_pool_repair(3)."""
        _pmemkit.pk_pool_repair(_os.fspath(path))

    def _handle(self):
        h = self._h
        if h is None:
            raise ClosedError("pool is closed")
        return h

    @property
    def readonly(self):
        """True for a pool opened with readonly=True."""
        return bool(self._flags & _POOL_READONLY)

    @property
    def closed(self):
        """True after close()."""
        return self._h is None

    def close(self):
        """Close the pool (a no-op when closed). An open transaction is
        aborted. Raises BufferError while buffers of its arrays are
        exported (memoryviews, numpy arrays made with frombuffer).

        See pk_pool_close(3)."""
        h = self._h
        if h is None:
            return
        if self._exported():
            raise BufferError("pmemkit: cannot close the pool while "
                              "buffers of its arrays are exported")
        self._h = None
        if _FAST:
            _fastpath._fast_shut(self)
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
        """The root map.

        See pk_pool_root(3)."""
        return Map(self, _pmemkit.pk_pool_root(self._handle()))

    def transaction(self):
        """`with pool.transaction():` -- all of the block or none of it.
        An exception inside aborts the transaction and propagates;
        transactions nest flatly.

        See pk_tx_begin(3)."""
        return _Transaction(self)

    @property
    def tx_depth(self):
        """Nesting depth of this thread's open transaction on the pool."""
        return _pmemkit.pk_tx_depth(self._handle())

    def new_map(self, items=()):
        """A new map (unreferenced until stored; pool.gc() frees it if it
        never is). items: a mapping or (key, value) pairs.

        See pk_map_new(3)."""
        m = Map(self, _pmemkit.pk_map_new(self._handle()))
        if items:
            m.update(items)
        return m

    def new_sorted_map(self, items=()):
        """A new SortedMap (unreferenced until stored, as new_map's);
        items: a mapping or (key, value) pairs, stored in one
        transaction.

        See pk_sorted_new(3)."""
        with self.transaction():
            m = SortedMap(self, _pmemkit.pk_sorted_new(self._handle()))
            if items:
                m.update(items)
        return m

    def new_list(self, items=()):
        """A new list (unreferenced until stored).

        See pk_list_new(3)."""
        l = List(self, _pmemkit.pk_list_new(self._handle()))
        if items:
            l.extend(items)
        return l

    def new_log(self, records=()):
        """A new log (unreferenced until stored), with the records of an
        iterable of bytes-like objects appended as one atomic unit."""
        log = Log(self, _pmemkit.pk_log_new(self._handle()))
        if records:
            log.extend(records)
        return log

    def new_set(self, elements=(), frozen=False):
        """A new set (unreferenced until stored) holding the elements of
        an iterable, added in one transaction; frozen=True makes it a
        FrozenSet (read-only from then on)."""
        h = self._handle()
        with self.transaction():
            s = Set(self, _pmemkit.pk_set_new(h))
            s.update(elements)
            if frozen:
                _pmemkit.pk_container_set_flags(h, s._ref(), _FLAG_FROZEN)
                s = FrozenSet(self, _pmemkit.pk_set_open(h, s._ref()))
        return s

    def new(self, cls, **attrs):
        """A new record (unreferenced until stored, as new_map's) of a
        class registered with pmemkit.register(), or of a class name (a
        str: the class registered under it, else pmemkit.Record), with
        the attributes given, all in one transaction. Returns the
        instance bound to it, made without calling __init__."""
        return _record._new(self, cls, attrs)

    def new_blocks(self, block_size, count=0):
        """A new block array (unreferenced until stored) of count blocks
        of block_size bytes (512 to 65536), reading as zeros."""
        if block_size < 512 or block_size > 65536:
            raise ValueError("pmemkit: a block size of %d: from 512 to 65536"
                             % (block_size,))
        count = _c_uint(count, "number of blocks")
        return Blocks(self, _pmemkit.pk_blocks_new(self._handle(),
                                                   block_size, count))

    def new_array(self, typecode, length_or_iterable=0):
        """A new typed array of array-module typecode b B h H i I l L q Q f
        d: zeros of the given length, or the numbers of an iterable."""
        elem = _TYPECODES.get(typecode)
        if elem is None:
            raise ValueError("pmemkit: bad typecode %r (one of %s)" % (
                typecode, " ".join(_TYPECODES)))
        h = self._handle()
        if isinstance(length_or_iterable, int):
            init, n = None, _c_uint(length_or_iterable, "array length")
        else:
            init = _pyarray.array(typecode, length_or_iterable)
            n = len(init)
        with self.transaction():
            a = _pmemkit.pk_array_new(h, elem, 0, n, init)
            if _ELEM_TYPECODE[elem] != typecode:
                _pmemkit.pk_container_set_flags(
                    h, _array_value(a),
                    _FLAG_TYPECODE | ord(typecode) << _FLAG_DETAIL_SHIFT)
        return Array(self, a)

    def gc(self):
        """Free every container not reachable from the root; returns how
        many objects were freed.

        See pk_pool_gc(3)."""
        return _pmemkit.pk_pool_gc(self._handle())

    def check(self):
        """Walk the pool, changing nothing. Returns a dict of the report's
        counts plus 'ok' (True for a healthy pool).

        See pk_pool_check(3)."""
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
        """Space and state of the pool, as a dict: every field of the C
        library's pk_pool_stats ('size': bytes mapped, 'used': bytes held
        by allocations, 'objects', 'unclean', 'recovered', and those
        pmemkit.h adds, such as a growing pool's maximum), and for each
        kind of container ('map', 'list', 'array', 'log', 'blocks',
        'set', 'record') 'KIND_count' and 'KIND_bytes': how many the pool
        holds and the bytes they own (not those of what they refer to).

        See pk_pool_stats_get(3)."""
        h = self._handle()
        s = _pmemkit.pk_pool_stats_get(h)
        out = {f: getattr(s, f) for f in _fields(s)}
        for name, kind in _KINDS:
            n, b = _pmemkit.pk_pool_kind_stats(h, kind)
            out[name + "_count"] = n
            out[name + "_bytes"] = b
        return out

    def defrag(self):
        """Move objects out of sparsely used parts of the pool, so that the
        space deletes left becomes free space in one piece again (a value
        too large for any hole may fit after). Crash-safe; not inside a
        transaction (TransactionError). Returns a dict: 'objects'
        considered, 'moved', 'moved_bytes' and 'freed_bytes' (the space
        given back to the pool's free space). Raises BufferError while
        buffers of the pool's arrays are exported, as close() does: their
        storage may move.

        See pk_pool_defrag(3)."""
        h = self._handle()
        if self._exported():
            raise BufferError("pmemkit: cannot defragment the pool while "
                              "buffers of its arrays are exported")
        rep = _pmemkit.pk_pool_defrag(h)
        return {f: getattr(rep, f) for f in _fields(rep)}

    def sync(self):
        """Make every change so far durable against a power loss or a
        kernel crash, waiting for the disk: what a pool opened with
        process_durable=True needs (close() does it too); a no-op for
        other pools, whose changes are durable as they return.

        See pk_pool_sync(3)."""
        _pmemkit.pk_pool_sync(self._handle())

    def sizeof(self, container, deep=False):
        """The bytes a stored container or record holds in the pool: its
        own (its entries, blobs and storage), or with deep=True also those
        of every container it refers to, directly or not, each once."""
        rec = container
        if isinstance(container, _record.Object):
            try:
                rec = _record._oga(container, "_pk_rec")
            except AttributeError:
                rec = None
        if not isinstance(rec, _Container):
            raise TypeError("pmemkit: sizeof() takes a container or a "
                            "stored record, not %s"
                            % type(container).__name__)
        if rec._pool is not self:
            raise ValueError("pmemkit: the container belongs to another "
                             "pool")
        shallow, whole = _pmemkit.pk_container_bytes(self._handle(),
                                                     rec._ref())
        return whole if deep else shallow

    # -- internals --

    def _wrap(self, ref):
        """A Map, SortedMap, List, Array, Log, Blocks, Set, FrozenSet or record
        object for a reference read from the pool; the tuple of a tuple
        read as a value ((tuple,), pmemkit.i), and a frozenset that stores
        as a scalar again for a frozen set ((frozenset,))."""
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
        if t == PK_LOG:
            return Log(self, _pmemkit.pk_log_open(self._handle(), ref))
        if t == PK_BLOCKS:
            return Blocks(self, _pmemkit.pk_blocks_open(self._handle(), ref))
        if t == PK_SET:
            h = self._handle()
            cls = FrozenSet if _pmemkit.pk_container_flags(h, ref) & \
                _FLAG_FROZEN else Set
            return cls(self, _pmemkit.pk_set_open(h, ref))
        if t == PK_SORTED:
            return SortedMap(self, _pmemkit.pk_sorted_open(self._handle(),
                                                           ref))
        if t == PK_RECORD:
            h = self._handle()
            return _record._wrap(self, _record._Handle(
                self, _pmemkit.pk_record_open(h, ref)))
        if t.__class__ is tuple:    # a tuple read as a value: (tuple,)
            return t
        if t.__class__ is frozenset:    # a PK_FROZENSET: (frozenset,)
            return _ScalarFrozenSet(t)
        raise InvalidValueError("pmemkit: unknown container type %r" % (t,))

    def _ref(self, value):
        """What to hand to C for a value that is not a plain scalar: a
        reference to a container of this pool, made from the value first if
        it is a plain dict, list, tuple or array.array. The caller is in a
        transaction when the value is plain."""
        if isinstance(value, _Container):
            if value._pool is not self:
                raise ValueError("pmemkit: the container belongs to another "
                                 "pool")
            return value._ref()
        if isinstance(value, _record.Object):
            return _record._ref(self, value)
        if isinstance(value, _pyarray.array):
            return self.new_array(value.typecode, value)._ref()
        if _is_sorted_mapping(value):
            return self.new_sorted_map(value)._ref()
        if isinstance(value, dict) or isinstance(value, _abc.Mapping):
            m = self.new_map()
            for k, v in value.items():
                m[k] = v
            return m._ref()
        if isinstance(value, (set, frozenset)):
            return self.new_set(value,
                                frozen=isinstance(value, frozenset))._ref()
        if isinstance(value, (list, tuple)):
            l = self.new_list()
            l.extend(value)
            if isinstance(value, tuple):
                _pmemkit.pk_container_set_flags(self._handle(), l._ref(),
                                                _FLAG_TUPLE)
            return l._ref()
        return value  # let the C typemap accept or refuse it


def _is_sorted_mapping(value):
    """Whether value is a mapping kept in key order with SortedDict's
    API (sortedcontainers.SortedDict, a SortedMap of another pool): it is
    stored as a SortedMap."""
    return isinstance(value, _abc.Mapping) and all(
        callable(getattr(value, a, None))
        for a in ("irange", "bisect_left", "peekitem"))


def _fields(struct):
    """The fields of a versioned C struct SWIG wrapped (pk_pool_stats,
    pk_defrag_report), in their order, without the version and reserved
    ones: every field the header declares, as it grows."""
    return [n for n, v in vars(type(struct)).items()
            if isinstance(v, property) and
            n not in ("version", "thisown") and not n.endswith("_")]


Pool.__module__ = "pmemkit"
