# _values.py -- what the containers share about values: which are stored
# as they are, how plain structures are stored (as new containers, deeply,
# in one transaction) and how containers read back become plain copies.

import array as _pyarray
import collections.abc as _abc
import operator as _op
import threading as _threading


class _ScalarFrozenSet(frozenset):
    """A frozen set read as a value that was stored as a scalar (a
    PK_FROZENSET, as another language stores its immutable sets): a
    frozenset that stores as the same scalar again, where a plain
    frozenset value is stored as a FrozenSet."""
    __slots__ = ()

    def __repr__(self):
        return repr(frozenset(self))


# values stored as they are (the C typemap converts them)
_SCALARS = frozenset((type(None), bool, int, float, str, bytes, bytearray,
                      memoryview, _ScalarFrozenSet))

_MISSING = object()


def _no_pickle(self, *args):
    raise TypeError("pmemkit objects cannot be pickled or copied: they "
                    "refer to a pool; use to_python() for a plain copy")


class _Container:
    """What Map, List and Array share: a pool and a C handle, released
    with the kind's close function; the kind's value function makes the
    reference stored in other containers."""
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
        """The Pool the container belongs to."""
        return self._pool


class _Bindable:
    """The base of pmemkit.Object (_record.py): a value that storing binds
    to what it is stored as (its record)."""
    __slots__ = ()


# (pool, object, its volatile attributes) of each object bound on this
# thread inside a transaction still open: if it aborts, they are unbound
# again (_transaction.py), keeping their attributes
_binds = _threading.local()


def _bound():
    try:
        return _binds.list
    except AttributeError:
        _binds.list = []
        return _binds.list


def _plain(v):
    """A plain Python copy of a value read from a pool (as Pool._wrap gave
    it): containers become dicts, lists and array.arrays; a tuple (a list
    stored from a tuple) stays a tuple, its elements copied in turn; a
    record becomes a volatile instance of its class."""
    if v.__class__ is tuple:
        return tuple(_plain(x) for x in v)
    if isinstance(v, _Container):
        return v.to_python()
    if isinstance(v, _Bindable):
        return v._pk_copy()
    return v


def _store(pool, value, setter, *args):
    """Store a value that is not a plain scalar with setter(*args, ref):
    plain structures are converted deeply, all in one transaction."""
    if isinstance(value, _Container):
        setter(*args, pool._ref(value))
        return
    if isinstance(value, _Bindable):
        # bound before its attributes are stored: one that refers to
        # the object itself is a reference to the record, no recursion
        with pool.transaction():
            setter(*args, pool._ref(value))
        return
    if not isinstance(value, (dict, list, tuple, set, frozenset,
                              _pyarray.array, _abc.Mapping)):
        setter(*args, value)
        return
    building = _building_guard(value)
    try:
        with pool.transaction():
            setter(*args, pool._ref(value))
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


def _made_elsewhere(obj, how):
    """The TypeError for a class of the package called directly, whose
    handle SWIG refused (its message names the C function)."""
    obj._h = None
    return TypeError("pmemkit.%s objects come from %s, not from calling "
                     "the class" % (type(obj).__name__, how))


def _c_uint(n, what, bits=64):
    """n for an unsigned C argument of `bits` bits, refused in Python's
    words rather than SWIG's (which name the C function and type)."""
    n = _op.index(n)
    if n < 0:
        raise ValueError("pmemkit: negative %s %d" % (what, n))
    if n >> bits:
        raise OverflowError("pmemkit: %s %d is too large" % (what, n))
    return n


def _refused(exc, index, plain_call):
    """After SWIG refused an index (exc, a TypeError or OverflowError
    naming the C function and argument): the int to call C with again when
    the index has __index__ (numpy's integers), else raise what the plain
    object's same call, plain_call(index), raises, so that the message is
    Python's own. exc itself propagates when the index was not what SWIG
    refused."""
    if index.__class__ is not int:
        try:
            i = _op.index(index)
        except TypeError:
            i = None
        if i is not None and i.__class__ is int:
            return i
    elif -(1 << 63) <= index < 1 << 63:
        raise exc
    try:
        plain_call(index)
    except Exception as e:
        raise e.with_traceback(None) from None
    raise exc
