# _sorted.py -- pmemkit.SortedMap, a persistent dict in key order, with
# the API of sortedcontainers.SortedDict.

import collections.abc as _abc
import itertools as _itertools

from . import _pmemkit
from ._calls import _cursor_free
from ._cursor import _cursor_entries
from ._errors import Error, NotFoundError, RangeError
from ._map import Map
from ._values import _Container, _MISSING, _SCALARS, _plain, _store

_put = _pmemkit.pk_sorted_put
_get = _pmemkit.pk_sorted_get
_contains = _pmemkit.pk_sorted_contains
_remove = _pmemkit.pk_sorted_remove
_length = _pmemkit.pk_sorted_length
_at = _pmemkit.pk_sorted_at
_rank = _pmemkit.pk_sorted_rank
_seek = _pmemkit.pk_sorted_seek
_remove_at = _pmemkit.pk_sorted_remove_at
_range_cursor = _pmemkit.pk_swig_sorted_range_cursor
_remove_range = _pmemkit.pk_swig_sorted_remove_range
_HAS_LO = _pmemkit.PK_SWIG_HAS_LO
_HAS_HI = _pmemkit.PK_SWIG_HAS_HI
_HAS_PREFIX = _pmemkit.PK_SWIG_HAS_PREFIX
_SEEK = {"ge": _pmemkit.PK_SEEK_GE, "gt": _pmemkit.PK_SEEK_GT,
         "le": _pmemkit.PK_SEEK_LE, "lt": _pmemkit.PK_SEEK_LT}


def _bounds(minimum, maximum, inclusive):
    """irange()'s arguments as the flat range's: None is no bound, as in
    sortedcontainers (so None itself, a key, is reached only unbounded)."""
    lo_in, hi_in = inclusive
    has = (_HAS_LO if minimum is not None else 0) | \
        (_HAS_HI if maximum is not None else 0)
    return has, minimum, not lo_in, maximum, not hi_in


class SortedMap(_Container, _abc.MutableMapping):
    """A persistent map whose keys are kept in order (a B+-tree in the
    pool): None, then numbers by value (1, 1.0 and True are one key), then
    bytes, then str, then tuples item by item; frozensets are no keys (they
    have no order). Values are those of a Map. Iteration, keys(), values()
    and items() go in key order, and reversed() backwards; index access
    (peekitem, popitem, keys()[i], islice) and bisect take O(log n).

    The API follows sortedcontainers.SortedDict: irange(), islice(),
    bisect_left/bisect_right, index(), peekitem(), popitem(). Beyond it:
    iprefix() (keys that start with a str or bytes prefix), delete_range()
    and ceiling/floor/higher/lower lookups. Every change is atomic and
    durable when it returns."""

    __slots__ = ("_pool", "_h", "__weakref__")
    _close = staticmethod(_pmemkit.pk_sorted_close)
    _value = staticmethod(_pmemkit.pk_sorted_value)

    # -- the mapping --

    def _wrap(self, v):
        return self._pool._wrap(v) if v.__class__ is tuple else v

    def __getitem__(self, key):
        """See pk_sorted_get(3)."""
        try:
            v = _get(self._h, key)
        except NotFoundError:
            raise NotFoundError(key) from None
        return self._wrap(v)

    def get(self, key, default=None):
        """The value of key, or default when key is missing.

        See pk_sorted_get(3)."""
        try:
            v = _get(self._h, key)
        except NotFoundError:
            return default
        return self._wrap(v)

    def __setitem__(self, key, value):
        """See pk_sorted_put(3)."""
        if value.__class__ in _SCALARS:
            _put(self._h, key, value)
        else:
            _store(self._pool, value, _put, self._h, key)

    def __delitem__(self, key):
        """See pk_sorted_remove(3)."""
        try:
            _remove(self._h, key)
        except NotFoundError:
            raise NotFoundError(key) from None

    def __contains__(self, key):
        try:
            return _contains(self._h, key) != 0
        except TypeError:
            if key.__class__ in (list, dict, set, bytearray):
                return False    # unhashable: never a key, as in dict
            raise

    def __len__(self):
        return _length(self._h)

    def _entries(self, has=0, lo=None, lo_open=False, hi=None, hi_open=False,
                 reverse=False, prefix=None):
        h = self._h
        c = _range_cursor(h, has, lo, lo_open, hi, hi_open, reverse, prefix)
        try:
            yield from _cursor_entries(c, lambda k: _get(h, k))
        finally:
            _cursor_free(c)

    def __iter__(self):
        for k, _ in self._entries():
            yield k

    def __reversed__(self):
        for k, _ in self._entries(reverse=True):
            yield k

    def keys(self):
        """The keys in order: a set-like, reversible, indexable view."""
        return SortedKeysView(self)

    def values(self):
        """The values in key order: a reversible, indexable view."""
        return SortedValuesView(self)

    def items(self):
        """The (key, value) pairs in key order: a set-like, reversible,
        indexable view."""
        return SortedItemsView(self)

    def clear(self):
        """Remove every entry, in one transaction."""
        _pmemkit.pk_sorted_clear(self._h)

    def __repr__(self):
        try:
            return "pmemkit.SortedMap(%r)" % (self.to_python(),) \
                if len(self) <= 20 else \
                "<pmemkit.SortedMap of %d entries>" % len(self)
        except Error as e:
            return "<pmemkit.SortedMap: %s>" % (e,)

    def to_python(self):
        """A plain dict of the entries in key order, deeply copied."""
        return {k: _plain(v) for k, v in self.items()}

    # a Map's, which are a MutableMapping's in one transaction, and whose
    # setdefault() gives back the stored container, not the plain default
    setdefault = Map.setdefault
    update = Map.update

    def copy(self):
        """A plain (volatile) dict of the entries in key order, whose
        nested containers are the stored ones."""
        return dict(self.items())

    # -- positions --

    def peekitem(self, index=-1):
        """The (key, value) pair at index in key order (default: the
        last); IndexError outside the map."""
        try:
            k, v = _at(self._h, index)
        except RangeError:
            raise IndexError("SortedMap index out of range") from None
        return k, self._wrap(v)

    def popitem(self, index=-1):
        """Remove and return the (key, value) pair at index (default: the
        last), in one transaction; KeyError when empty, IndexError outside
        the map."""
        if not len(self):
            raise NotFoundError("popitem(): dictionary is empty")
        with self._pool.transaction():
            k, v = self.peekitem(index)
            v = _plain(v)   # its storage may go with the entry
            _remove_at(self._h, index)
        return k, v

    def pop(self, key, default=_MISSING):
        """Remove key and return its value (containers as a plain copy:
        removing the last reference frees them), or default if given and
        key is missing."""
        with self._pool.transaction():
            try:
                v = self[key]
            except KeyError:
                if default is _MISSING:
                    raise
                return default
            v = _plain(v)
            _remove(self._h, key)
        return v

    def bisect_left(self, key):
        """The index where key is or would be inserted, before any equal
        key."""
        return _rank(self._h, key, 0)

    def bisect_right(self, key):
        """The index where key would be inserted, after an equal key."""
        return _rank(self._h, key, 1)

    bisect = bisect_right

    def index(self, key, start=None, stop=None):
        """The index of key in key order; ValueError if it is missing (or
        outside [start, stop))."""
        if key not in self:
            raise ValueError("%r is not in SortedMap" % (key,))
        i = self.bisect_left(key)
        n = len(self)
        lo, hi, _ = slice(start, stop).indices(n)
        if not lo <= i < hi:
            raise ValueError("%r is not in range" % (key,))
        return i

    def islice(self, start=None, stop=None, reverse=False):
        """An iterator over the keys at indexes [start, stop) (slice
        rules), backwards with reverse."""
        lo, hi, _ = slice(start, stop).indices(len(self))
        if lo >= hi:
            return iter(())
        return self._index_keys(lo, hi, reverse)

    def _index_keys(self, lo, hi, reverse):
        if reverse:
            last = _at(self._h, hi - 1)[0]
            it = self._entries(_HAS_HI, None, False, last, False, True)
        else:
            it = self._entries(_HAS_LO, _at(self._h, lo)[0])
        for k, _ in _itertools.islice(it, hi - lo):
            yield k

    def irange(self, minimum=None, maximum=None, inclusive=(True, True),
               reverse=False):
        """An iterator over the keys from minimum to maximum (None: no
        bound), each included as inclusive says, backwards with
        reverse."""
        has, lo, lo_open, hi, hi_open = _bounds(minimum, maximum, inclusive)
        for k, _ in self._entries(has, lo, lo_open, hi, hi_open, reverse):
            yield k

    def irange_items(self, minimum=None, maximum=None,
                     inclusive=(True, True), reverse=False):
        """irange()'s (key, value) pairs."""
        has, lo, lo_open, hi, hi_open = _bounds(minimum, maximum, inclusive)
        for k, v in self._entries(has, lo, lo_open, hi, hi_open, reverse):
            yield k, self._wrap(v)

    def iprefix(self, prefix, reverse=False):
        """An iterator over the keys of prefix's type (str or bytes) that
        start with it."""
        for k, _ in self._entries(_HAS_PREFIX, reverse=reverse,
                                  prefix=prefix):
            yield k

    def delete_range(self, minimum=None, maximum=None,
                     inclusive=(True, True)):
        """Remove the keys irange() would give, in one transaction; the
        number removed."""
        has, lo, lo_open, hi, hi_open = _bounds(minimum, maximum, inclusive)
        return _remove_range(self._h, has, lo, lo_open, hi, hi_open, None)

    def _seek(self, key, how):
        try:
            return _seek(self._h, key, _SEEK[how])
        except NotFoundError:
            return None

    def ceiling_item(self, key):
        """The (key, value) of the least key >= key, or None."""
        kv = self._seek(key, "ge")
        return kv and (kv[0], self._wrap(kv[1]))

    def floor_item(self, key):
        """The (key, value) of the greatest key <= key, or None."""
        kv = self._seek(key, "le")
        return kv and (kv[0], self._wrap(kv[1]))

    def higher_item(self, key):
        """The (key, value) of the least key > key, or None."""
        kv = self._seek(key, "gt")
        return kv and (kv[0], self._wrap(kv[1]))

    def lower_item(self, key):
        """The (key, value) of the greatest key < key, or None."""
        kv = self._seek(key, "lt")
        return kv and (kv[0], self._wrap(kv[1]))


class _SortedView:
    """What the views add to collections.abc's: order and indexes. The
    map is MappingView's _mapping."""
    __slots__ = ()

    def __len__(self):
        return len(self._mapping)

    def _at(self, i):
        raise NotImplementedError

    def __getitem__(self, index):
        if isinstance(index, slice):
            lo, hi, step = index.indices(len(self._mapping))
            return [self._at(i) for i in range(lo, hi, step)]
        try:
            return self._at(index)
        except IndexError:
            raise IndexError("%s index out of range" %
                             type(self).__name__) from None

    def index(self, value, start=None, stop=None):
        lo, hi, _ = slice(start, stop).indices(len(self._mapping))
        for i, v in enumerate(_itertools.islice(iter(self), lo, hi), lo):
            if v == value:
                return i
        raise ValueError("%r is not in view" % (value,))

    def count(self, value):
        return sum(1 for v in self if v == value)


class SortedKeysView(_SortedView, _abc.KeysView):
    __slots__ = ()

    def __iter__(self):
        return iter(self._mapping)

    def __reversed__(self):
        return reversed(self._mapping)

    def __contains__(self, key):
        return key in self._mapping

    def _at(self, i):
        return self._mapping.peekitem(i)[0]

    def index(self, key, start=None, stop=None):
        return self._mapping.index(key, start, stop)


class SortedValuesView(_SortedView, _abc.ValuesView):
    __slots__ = ()

    def __iter__(self):
        m = self._mapping
        for _, v in m._entries():
            yield m._wrap(v)

    def __reversed__(self):
        m = self._mapping
        for _, v in m._entries(reverse=True):
            yield m._wrap(v)

    def _at(self, i):
        return self._mapping.peekitem(i)[1]


class SortedItemsView(_SortedView, _abc.ItemsView):
    __slots__ = ()

    def __iter__(self):
        m = self._mapping
        wrap = m._pool._wrap
        for k, v in m._entries():
            yield k, (wrap(v) if v.__class__ is tuple else v)

    def __reversed__(self):
        m = self._mapping
        wrap = m._pool._wrap
        for k, v in m._entries(reverse=True):
            yield k, (wrap(v) if v.__class__ is tuple else v)

    def _at(self, i):
        return self._mapping.peekitem(i)


SortedMap.__module__ = "pmemkit"
