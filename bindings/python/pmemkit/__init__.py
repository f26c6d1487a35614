"""Crash-consistent persistent containers on persistent memory.

pmemkit.Pool.create(path) / pmemkit.Pool.open(path) give a pool whose
root is a persistent dict-like pmemkit.Map; maps in key order
(pmemkit.SortedMap, sortedcontainers.SortedDict's API), lists (pmemkit.List), typed
arrays (pmemkit.Array), logs of byte records (pmemkit.Log) and arrays of
fixed-size blocks (pmemkit.Blocks) nest in it. Every change is atomic and durable when
it returns; `with pool.transaction():` groups changes.
"""
# The package: the classes in a module each (_pool, _map, _list, _array),
# over the C library wrapped by SWIG, which is private: pmemkit._pmemkit
# is the extension (the flat C API: pk_map_put(), PK_ELEM_I8, ...) and
# pmemkit._swig its proxy module (generated from bindings/python/pmemkit.i).

from . import _fastpath
from . import _pmemkit
from ._array import Array
from ._blocks import Blocks
from ._set import Set, FrozenSet
from ._errors import Error, ERROR_TABLE, EXCEPTIONS as _EXCEPTIONS, \
    exception_for
from ._list import List
from ._log import Log
from ._map import Map
from ._sorted import (SortedMap, SortedKeysView, SortedValuesView,
                      SortedItemsView)
from ._pool import Pool, DEFAULT_POOL_SIZE, MIN_POOL_SIZE
from ._record import Object, Record, register

# the views SortedMap's keys(), values() and items() give, for isinstance()
_SORTED_VIEWS = (SortedKeysView, SortedValuesView, SortedItemsView)

__version__ = _pmemkit.pk_version()
_FAST = _fastpath._FAST     # whether PyPy's map reads take cffi

# the exception types, one per class of the error table
globals().update(_EXCEPTIONS)

__all__ = ["Pool", "Map", "SortedMap", "List", "Array", "Log", "Blocks", "Set",
           "FrozenSet", "Object", "Record", "register", "Error", "ERROR_TABLE",
           "exception_for", "DEFAULT_POOL_SIZE", "MIN_POOL_SIZE"]
__all__ += sorted(name for name in _EXCEPTIONS if name != "Error")

# the error codes of the table (PK_NOTFOUND, ...): what an exception's
# `code` is, found here as before though not listed
_CODES = {name: code for name, code, cls, msg in ERROR_TABLE}


def __getattr__(name):
    try:
        return _CODES[name]
    except KeyError:
        raise AttributeError("module 'pmemkit' has no attribute %r"
                             % (name,)) from None
