# _map.py -- pmemkit.Map, a persistent dict.

import collections.abc as _abc

from . import _pmemkit
from ._calls import (_map_get, _map_put, _map_contains, _map_remove,
                     _map_length, _map_cursor, _map_value, _map_close,
                     _cursor_free)
from ._cursor import _cursor_entries
from ._errors import Error, NotFoundError
from ._fastpath import _FAST, _SLOW
from ._values import (_Container, _MISSING, _SCALARS, _plain, _store)

if _FAST:
    from ._fastpath import _ffi, _NULL, _fast_get, _fast_length


class Map(_Container, _abc.MutableMapping):
    """A persistent map: a dict whose keys are None, bool, int, float, str
    or bytes, and tuples and frozensets of keys (equal numbers are one key:
    1, 1.0 and True; a stored FrozenSet is its members'). Values are those
    and bytes-like objects, containers, and plain dicts, lists, tuples and
    array.arrays, stored as new containers (deeply, in one transaction).
    Every change is atomic and durable when it returns; update() and `|=`
    are one transaction. Its order is the hash table's, not insertion
    order: reversed() refuses it and popitem() takes the first pair that
    iteration gives. copy() and `m | other` give plain dicts whose nested
    containers are the stored ones, as dict.copy() does."""

    __slots__ = ("_pool", "_h", "_a", "__weakref__")
    _close = staticmethod(_map_close)
    _value = staticmethod(_map_value)

    def __getitem__(self, key):
        """See pk_map_get(3)."""
        try:
            v = _map_get(self._h, key)
        except NotFoundError:
            raise NotFoundError(key) from None
        if v.__class__ is tuple:
            return self._pool._wrap(v)
        return v

    def get(self, key, default=None):
        """The value of key, or default when key is missing.

        See pk_map_get(3)."""
        try:
            v = _map_get(self._h, key)
        except NotFoundError:
            return default
        if v.__class__ is tuple:
            return self._pool._wrap(v)
        return v

    def __setitem__(self, key, value):
        """See pk_map_put(3)."""
        if value.__class__ in _SCALARS:
            _map_put(self._h, key, value)
        else:
            _store(self._pool, value, _map_put, self._h, key)

    def __delitem__(self, key):
        """See pk_map_remove(3)."""
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
        get.__doc__ = _get_wrapped.__doc__

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

    def keys(self):
        """A view of the keys (a set-like KeysView, live)."""
        return _MapKeys(self)

    def items(self):
        """A view of the (key, value) pairs."""
        return _MapItems(self)

    def values(self):
        """A view of the values."""
        return _MapValues(self)

    def copy(self):
        """A plain (volatile) dict of the entries: a shallow copy, as
        dict.copy() is, whose nested containers are the stored ones."""
        return dict(self.items())

    @classmethod
    def fromkeys(cls, iterable, value=None):
        """A Map lives in a pool: make one with
        pool.new_map(dict.fromkeys(iterable, value))."""
        raise TypeError("pmemkit.Map.fromkeys(): a Map belongs to a pool: "
                        "use pool.new_map(dict.fromkeys(keys, value))")

    def __or__(self, other):
        if isinstance(other, (dict, Map)):
            d = self.copy()
            d.update(other.items())
            return d
        return NotImplemented

    def __ror__(self, other):
        if isinstance(other, (dict, Map)):
            d = dict(other.items())
            d.update(self.items())
            return d
        return NotImplemented

    def __ior__(self, other):
        """`m |= other`: update(other), in one transaction."""
        self.update(other)
        return self

    def clear(self):
        """Remove every entry.

        See pk_map_clear(3)."""
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
        """Remove and return a (key, value) pair: the first that iteration
        gives (the map has no insertion order, so not dict's last one);
        KeyError when empty."""
        with self._pool.transaction():
            for k in self:
                return k, self.pop(k)
        raise NotFoundError("popitem(): dictionary is empty")

    def setdefault(self, key, default=None):
        """The value of key, storing default first if key is missing. A
        plain dict, list, tuple or array.array default is stored as a new
        container, and that stored container is what comes back, so
        `m.setdefault("k", []).append(3)` changes the map."""
        with self._pool.transaction():
            v = self.get(key, _MISSING)
            if v is not _MISSING:
                return v
            self[key] = default
            return self[key]

    def update(self, *args, **kwargs):
        """Store the entries of a mapping or of (key, value) pairs, and the
        keyword arguments, all in one transaction."""
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


class _MapKeys(_abc.KeysView):
    __slots__ = ()

    def __repr__(self):
        return "pmemkit.Map.keys(%r)" % (list(self),)


class _MapItems(_abc.ItemsView):
    __slots__ = ()

    def __repr__(self):
        return "pmemkit.Map.items(%r)" % (list(self),)

    def __iter__(self):
        m = self._mapping
        wrap = m._pool._wrap
        for k, v in m._entries():
            yield k, (wrap(v) if v.__class__ is tuple else v)


class _MapValues(_abc.ValuesView):
    __slots__ = ()

    def __repr__(self):
        return "pmemkit.Map.values(%r)" % (list(self),)

    def __iter__(self):
        m = self._mapping
        wrap = m._pool._wrap
        for k, v in m._entries():
            yield wrap(v) if v.__class__ is tuple else v


Map.__module__ = "pmemkit"
