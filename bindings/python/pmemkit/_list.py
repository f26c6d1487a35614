# _list.py -- pmemkit.List, a persistent list.

import collections.abc as _abc
import operator as _op
import sys as _sys

from . import _pmemkit
from ._calls import (_list_get, _list_set, _list_append, _list_extend,
                     _list_insert, _list_pop, _list_length, _list_cursor,
                     _list_value, _list_close, _cursor_free)
from ._cursor import _cursor_entries
from ._errors import ChangedError, Error, RangeError
from ._values import _Container, _SCALARS, _plain, _refused, _store


# what a plain list raises for the same index (_refused)
def _plain_get(i):
    return [][i]


def _plain_insert(i):
    [].insert(i, None)


def _plain_pop(i):
    [None].pop(i)


def _same(a, b):
    """Whether two values read from C are the same element (NaN is)."""
    return a.__class__ is b.__class__ and (a == b or a != a and b != b)


class List(_Container, _abc.MutableSequence):
    """A persistent list with Python's list semantics (slices included).
    Values are as for Map. Every change is atomic and durable when it
    returns; slice assignments, `+=`, `*=`, sort() and reverse() are one
    transaction each. Slices, `l + x`, `x + l`, `l * n` and copy() give
    plain lists whose nested containers are the stored ones. Iterating
    goes by index, as a list's iterator does: it sees elements set,
    appended, inserted or removed meanwhile where their index puts them,
    and an exhausted iterator stays exhausted."""

    __slots__ = ("_pool", "_h", "__weakref__")
    _close = staticmethod(_list_close)
    _value = staticmethod(_list_value)

    def __len__(self):
        return _list_length(self._h)

    def _get(self, i):
        try:
            v = _list_get(self._h, i)
        except (TypeError, OverflowError) as e:
            return self._get(_refused(e, i, _plain_get))
        except RangeError as e:
            e.args = ("list index out of range",)   # list's words
            raise
        if v.__class__ is tuple:
            return self._pool._wrap(v)
        return v

    def __getitem__(self, index):
        """See pk_list_get(3)."""
        if isinstance(index, slice):
            return [self._get(i) for i in range(*index.indices(len(self)))]
        return self._get(index)

    def _set(self, i, value):
        try:
            if value.__class__ in _SCALARS:
                _list_set(self._h, i, value)
            else:
                _store(self._pool, value, _list_set, self._h, i)
        except (TypeError, OverflowError) as e:
            self._set(_refused(e, i, _plain_get), value)
        except RangeError as e:
            e.args = ("list assignment index out of range",)
            raise

    def __setitem__(self, index, value):
        if not isinstance(index, slice):
            self._set(index, value)
            return
        n = len(self)
        start, stop, step = index.indices(n)
        try:
            values = list(iter(value))
        except TypeError:
            if not hasattr(value, "__iter__"):
                [][index] = value   # list's TypeError, in its words
            raise
        with self._pool.transaction():
            pool = self._pool
            pins = self._pin([v._ref() for v in values
                              if isinstance(v, _Container) and
                              v._pool is pool])
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
            self._unpin(pins)

    def _pin(self, refs):
        """Append references to containers (stored in this list or
        elsewhere) to the end of the list, inside the caller's
        transaction, so that none is freed when a write drops its last
        other reference before it is stored again. Returns how many, for
        _unpin()."""
        if refs:
            _list_extend(self._h, refs)
        return len(refs)

    def _unpin(self, pins):
        if pins:
            n = len(self)
            _pmemkit.pk_list_remove_range(self._h, n - pins, n)

    def _rewrite(self, raws):
        """Set the elements to raws (values as read from C: a container
        as its reference tuple) inside the caller's transaction."""
        h = self._h
        pins = self._pin([v for v in raws if v.__class__ is tuple])
        for i, v in enumerate(raws):
            _list_set(h, i, v)
        self._unpin(pins)

    def __delitem__(self, index):
        if not isinstance(index, slice):
            try:
                _list_pop(self._h, index)
            except (TypeError, OverflowError) as e:
                del self[_refused(e, index, _plain_get)]
            except RangeError as e:
                e.args = ("list assignment index out of range",)
                raise
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
        array.array as a new container).

        See pk_list_insert(3)."""
        try:
            if value.__class__ in _SCALARS:
                _list_insert(self._h, index, value)
            else:
                _store(self._pool, value, _list_insert, self._h, index)
        except (TypeError, OverflowError) as e:
            self.insert(_refused(e, index, _plain_insert), value)

    def append(self, value):
        """Append a value (a plain dict, list, tuple or array.array as a
        new container).

        See pk_list_append(3)."""
        if value.__class__ in _SCALARS:
            _list_append(self._h, value)
        else:
            _store(self._pool, value, _list_append, self._h)

    def extend(self, values):
        """Append the values, all in one transaction.

        See pk_list_extend(3)."""
        if values is self:
            values = self[:]
        # not list(values): that trusts a length hint, which list.extend
        # ignores when it overflows
        values = values if isinstance(values, (list, tuple)) else [
            v for v in values]
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

    def __imul__(self, n):
        """`l *= n`: the elements n times over (containers shared, as a
        list shares its objects), in one transaction."""
        n = _op.index(n)
        if n <= 0:
            self.clear()
        elif n > 1:
            with self._pool.transaction():
                raws = list(self._entries())
                for _ in range(n - 1):
                    _list_extend(self._h, raws)
        return self

    def __add__(self, other):
        if isinstance(other, (list, List)):
            return self[:] + other[:]
        return NotImplemented

    def __radd__(self, other):
        if isinstance(other, list):
            return other + self[:]
        return NotImplemented

    def __mul__(self, n):
        try:
            n = _op.index(n)
        except TypeError:
            return NotImplemented
        return self[:] * n

    __rmul__ = __mul__

    def copy(self):
        """A plain (volatile) list of the elements: a shallow copy, as
        list.copy() is, whose nested containers are the stored ones."""
        return self[:]

    def __reversed__(self):
        # as list's reverse iterator: by index, ending when past the end
        i = len(self) - 1
        while i >= 0:
            try:
                v = self._get(i)
            except IndexError:
                return
            yield v
            i -= 1

    def index(self, value, start=0, stop=_sys.maxsize):
        """The first index of value in [start, stop), as list.index."""
        i, n = self._bounds(start, stop)
        get = self._get
        while i < n:
            try:
                v = get(i)
            except IndexError:
                break
            if v is value or v == value:
                return i
            i += 1
        [].index(value)                 # list's ValueError, in its words

    def _bounds(self, start, stop):
        """list.index's start and stop, clamped as slice bounds are."""
        if start.__class__ is not int or stop.__class__ is not int:
            try:
                [].index(None, start, stop)     # list's TypeError
            except ValueError:
                pass
        n = len(self)
        start, stop, _ = slice(start, stop).indices(n)
        return start, stop

    def remove(self, value):
        """Remove the first element equal to value, as list.remove."""
        with self._pool.transaction():
            try:
                i = self.index(value)
            except ValueError:
                i = None
            if i is None:
                [].remove(value)        # list's ValueError, in its words
            del self[i]

    def count(self, value):
        """How many elements equal value."""
        return sum(1 for v in self if v is value or v == value)

    def pop(self, index=-1):
        """Remove and return an element (a container as a plain copy:
        removing the last reference frees it).

        See pk_list_pop(3)."""
        if index.__class__ is not int:
            try:
                index = _op.index(index)
            except TypeError:
                _plain_pop(index)
        if not -(1 << 63) <= index < 1 << 63:
            _plain_pop(index)
        if not len(self):
            raise RangeError("pop from empty list")
        with self._pool.transaction():
            try:
                v = _plain(self._get(index))
            except RangeError as e:
                e.args = ("pop index out of range",)
                raise
            _list_pop(self._h, index)
        return v

    def clear(self):
        """Remove every element."""
        _pmemkit.pk_list_clear(self._h)

    def _entries(self):
        """The elements as read from C, by index as a list's iterator
        goes: by the cursor while the length stays, then one get each."""
        h = self._h
        i = 0
        c = _list_cursor(h)
        try:
            for _, v in _cursor_entries(c, lambda j: _list_get(h, j)):
                i += 1
                yield v
            return
        except ChangedError:
            pass        # an insert or removal: go on from index i
        finally:
            _cursor_free(c)
        while True:
            try:
                v = _list_get(h, i)
            except IndexError:
                return
            i += 1
            yield v

    def __iter__(self):
        wrap = self._pool._wrap
        for v in self._entries():
            yield wrap(v) if v.__class__ is tuple else v

    def reverse(self):
        """Reverse the list in place, in one transaction."""
        with self._pool.transaction():
            raws = list(self._entries())
            raws.reverse()
            self._rewrite(raws)

    def sort(self, *, key=None, reverse=False):
        """Sort in place, stably, as list.sort, in one transaction: all
        sorted or, on an exception (from key or a comparison), unchanged.
        A change to the list made meanwhile (by key, say) raises
        ValueError("list modified during sort"), and the transaction,
        that change included, is rolled back."""
        with self._pool.transaction():
            raws = list(self._entries())
            wrap = self._pool._wrap
            vals = [wrap(v) if v.__class__ is tuple else v for v in raws]
            keys = vals if key is None else [key(v) for v in vals]
            order = sorted(range(len(raws)), key=keys.__getitem__,
                           reverse=reverse)
            now = list(self._entries())
            if len(now) != len(raws) or not all(
                    map(_same, raws, now)):
                raise ValueError("list modified during sort")
            self._rewrite([raws[i] for i in order])

    def to_python(self):
        """A plain list, deeply copied."""
        wrap = self._pool._wrap
        return [_plain(wrap(v)) if v.__class__ is tuple else v
                for v in self._entries()]

    def __eq__(self, other):
        # as a list: equal to lists only (not to tuples or arrays)
        if isinstance(other, (List, list)):
            if len(self) != len(other):
                return False
            return all(a is b or a == b for a, b in zip(self, other))
        return NotImplemented

    def __lt__(self, other):
        if isinstance(other, (List, list)):
            return self[:] < other[:]
        return NotImplemented

    def __le__(self, other):
        if isinstance(other, (List, list)):
            return self[:] <= other[:]
        return NotImplemented

    def __gt__(self, other):
        if isinstance(other, (List, list)):
            return self[:] > other[:]
        return NotImplemented

    def __ge__(self, other):
        if isinstance(other, (List, list)):
            return self[:] >= other[:]
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
