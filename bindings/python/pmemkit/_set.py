# _set.py -- pmemkit.Set and pmemkit.FrozenSet, persistent sets.

import collections.abc as _abc

from . import _pmemkit
from ._calls import _cursor_free
from ._cursor import _cursor_entries
from ._errors import Error, NotFoundError
from ._values import _Container

_set_add = _pmemkit.pk_set_add
_set_discard = _pmemkit.pk_set_discard
_set_contains = _pmemkit.pk_set_contains
_set_length = _pmemkit.pk_set_length
_set_close = _pmemkit.pk_set_close
_set_value = _pmemkit.pk_set_value


def _as_frozen(elem):
    """After an element was refused with a TypeError: a set as the
    frozenset a set looks it up as (`{1} in s`, s.discard({1})), else the
    error again."""
    if isinstance(elem, (set, Set)):
        return frozenset(elem)
    raise


def _discard(h, elem):
    """Remove elem from the set h: whether it was there."""
    try:
        _set_discard(h, elem)
        return True
    except NotFoundError:
        return False
    except TypeError:
        elem = _as_frozen(elem)
    return _discard(h, elem)


def _sets_only(op):
    """The binary set operator op, for a set operand only (else
    NotImplemented, so Python raises TypeError as for a set)."""
    def method(self, other):
        if not isinstance(other, _abc.Set):
            return NotImplemented
        return op(self, other)
    method.__name__ = op.__name__
    method.__doc__ = op.__doc__
    return method


def _in_place(op):
    """The in-place set operator op, for a set operand only, in one
    transaction."""
    def method(self, other):
        if not isinstance(other, _abc.Set):
            return NotImplemented
        with self._pool.transaction():
            return op(self, other)
    method.__name__ = op.__name__
    method.__doc__ = op.__doc__
    return method


class FrozenSet(_Container, _abc.Set):
    """A persistent set stored from a frozenset: read-only. Its elements
    are what a Map takes as keys (None, bool, int, float, str, bytes,
    tuples and frozensets of them; 1, 1.0 and True are one element). It
    is itself a key, as the frozenset of its elements (copied into the
    key). The operators of frozenset work
    (|, &, -, ^, <=, isdisjoint, ...) and give plain frozensets; it is
    hashable as a frozenset of its elements is."""

    __slots__ = ("_pool", "_h", "__weakref__")
    _close = staticmethod(_set_close)
    _value = staticmethod(_set_value)

    def __contains__(self, elem):
        try:
            return bool(_set_contains(self._h, elem))
        except TypeError:
            elem = _as_frozen(elem)
        return bool(_set_contains(self._h, elem))

    def __len__(self):
        return _set_length(self._h)

    def __iter__(self):
        h = self._h
        c = _pmemkit.pk_set_cursor(h)
        try:
            for k, _ in _cursor_entries(c, lambda k: None):
                yield k
        finally:
            _cursor_free(c)

    @classmethod
    def _from_iterable(cls, it):
        """What the binary operators give: a plain frozenset."""
        return frozenset(it)

    def to_python(self):
        """A plain frozenset."""
        return frozenset(self)

    def __hash__(self):
        return hash(frozenset(self))

    # the operators take sets only, as a set's do (`s & "ab"` is a
    # TypeError; the named methods below take any iterable)
    __and__ = __rand__ = _sets_only(_abc.Set.__and__)
    __or__ = __ror__ = _sets_only(_abc.Set.__or__)
    __sub__ = _sets_only(_abc.Set.__sub__)
    __rsub__ = _sets_only(_abc.Set.__rsub__)
    __xor__ = _sets_only(_abc.Set.__xor__)
    __rxor__ = _sets_only(_abc.Set.__rxor__)

    # frozenset's named methods: any iterables, plain results
    def copy(self):
        """A plain copy (what to_python() gives)."""
        return self.to_python()

    def union(self, *others):
        """A plain set of the elements here or in any of others."""
        return self.to_python().union(*others)

    def intersection(self, *others):
        """A plain set of the elements here and in every one of others."""
        return self.to_python().intersection(*others)

    def difference(self, *others):
        """A plain set of the elements here and in none of others."""
        return self.to_python().difference(*others)

    def symmetric_difference(self, other):
        """A plain set of the elements in exactly one of self and other."""
        return self.to_python().symmetric_difference(other)

    def issubset(self, other):
        """Whether every element is in other (any iterable)."""
        return self.to_python().issubset(other)

    def issuperset(self, other):
        """Whether every element of other (any iterable) is here."""
        return self.to_python().issuperset(other)

    def __eq__(self, other):
        if isinstance(other, FrozenSet) and other._pool is self._pool and \
                other._ref() == self._ref():
            return True
        return _abc.Set.__eq__(self, other)

    def __repr__(self):
        name = type(self).__name__
        try:
            if len(self) > 20:
                return "<pmemkit.%s of %d elements>" % (name, len(self))
            return "pmemkit.%s(%r)" % (name, set(self))
        except Error as e:
            return "<pmemkit.%s: %s>" % (name, e)


class Set(FrozenSet, _abc.MutableSet):
    """A persistent set: a set whose elements are what a Map takes as keys.
    add, discard, remove, pop, clear and the in-place operators (|=, &=,
    -=, ^=) change the stored set, each atomically (one transaction for
    an operator); |, &, -, ^ give plain sets."""

    __slots__ = ()
    __hash__ = None

    @classmethod
    def _from_iterable(cls, it):
        return set(it)

    def to_python(self):
        """A plain set."""
        return set(self)

    def add(self, elem):
        """Add an element (nothing changes if it is there).

        See pk_set_add(3)."""
        _set_add(self._h, elem)

    def discard(self, elem):
        """Remove an element if it is there.

        See pk_set_discard(3)."""
        _discard(self._h, elem)

    def remove(self, elem):
        """Remove an element; KeyError if it is not there."""
        if not _discard(self._h, elem):
            raise KeyError(elem)

    def pop(self):
        """Remove and return an element; KeyError if the set is empty."""
        with self._pool.transaction():
            for elem in self:
                _set_discard(self._h, elem)
                return elem
        raise KeyError("pop from an empty set")

    def clear(self):
        """Remove every element."""
        _pmemkit.pk_set_clear(self._h)

    def update(self, *others):
        """Add the elements of every iterable, in one transaction."""
        with self._pool.transaction():
            for it in others:
                for elem in it:
                    _set_add(self._h, elem)

    def intersection_update(self, *others):
        """Keep only the elements also in every one of others, in one
        transaction."""
        keep = self.to_python().intersection(*others)
        with self._pool.transaction():
            for elem in [e for e in self if e not in keep]:
                _set_discard(self._h, elem)

    def difference_update(self, *others):
        """Remove the elements of every one of others, in one
        transaction."""
        others = [list(it) for it in others]    # one may be this set
        with self._pool.transaction():
            for it in others:
                for elem in it:
                    _discard(self._h, elem)

    def symmetric_difference_update(self, other):
        """Keep the elements in exactly one of self and other, in one
        transaction."""
        other = set(other)
        with self._pool.transaction():
            for elem in other:
                if elem in self:
                    _discard(self._h, elem)
                else:
                    _set_add(self._h, elem)

    __ior__ = _in_place(_abc.MutableSet.__ior__)
    __iand__ = _in_place(_abc.MutableSet.__iand__)
    __isub__ = _in_place(_abc.MutableSet.__isub__)
    __ixor__ = _in_place(_abc.MutableSet.__ixor__)


FrozenSet.__module__ = Set.__module__ = "pmemkit"


def _key_hook(o):
    """What the C typemap makes of a key (or a set's element, or a tuple's
    item) of no type it knows: a stored FrozenSet's members as a
    frozenset, stored as one PK_FROZENSET; dict's TypeError for an
    unhashable key (a set, a list, a Set: `unhashable type: 'set'`);
    None for anything else (pmemkit's own TypeError follows)."""
    if o.__class__ is FrozenSet:
        return frozenset(o)
    hash(o)
    return None


_pmemkit._set_key_hook(_key_hook)
