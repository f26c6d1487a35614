# _list.py -- pmemkit.List, a persistent list.

import collections.abc as _abc

from . import _pmemkit
from ._calls import (_list_get, _list_set, _list_append, _list_extend,
                     _list_insert, _list_pop, _list_length, _list_cursor,
                     _list_value, _list_close, _cursor_free)
from ._cursor import _cursor_entries
from ._errors import Error
from ._values import _Container, _SCALARS, _plain, _store


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
            _store(self._pool, value, _list_set, self._h, i)

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
        """Insert a value before index (a plain dict, list, tuple or
        array.array as a new container)."""
        if value.__class__ in _SCALARS:
            _list_insert(self._h, index, value)
        else:
            _store(self._pool, value, _list_insert, self._h, index)

    def append(self, value):
        """Append a value (a plain dict, list, tuple or array.array as a
        new container)."""
        if value.__class__ in _SCALARS:
            _list_append(self._h, value)
        else:
            _store(self._pool, value, _list_append, self._h)

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
        """Remove every element."""
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
        """Reverse the list in place, in one transaction."""
        with self._pool.transaction():
            _abc.MutableSequence.reverse(self)

    def sort(self, *, key=None, reverse=False):
        """Sort the list in place, as list.sort(), in one transaction."""
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
        from ._array import Array   # which imports this module
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


List.__module__ = "pmemkit"
