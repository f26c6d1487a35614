# _errors.py -- pmemkit's exceptions, one per class of the C error table
# (pk_error_table()), and the mapping the C code raises them through.

import io as _io

from . import _pmemkit
from ._tables import ERROR_TABLE


class Error(Exception):
    """Base of pmemkit's own exceptions. `code` is the C return code."""
    code = None


Error.__module__ = "pmemkit"

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
    # a write to a pool opened read-only is what f.write() on a file
    # opened "rb" is, io.UnsupportedOperation (an OSError and a
    # ValueError): the object was opened without writing; PermissionError
    # would say the system refused access (EACCES), which opening a file
    # one may not write raises already
    "ReadOnly": (_io.UnsupportedOperation,),
}
_CLASS_NAMES = {"Value": "InvalidValueError"}


def _make_exceptions():
    classes = {"Error": Error, "IterOver": StopIteration}
    for name, code, cls, msg in ERROR_TABLE:
        if cls in classes:
            continue
        pyname = _CLASS_NAMES.get(cls, cls if cls.endswith("Error")
                                  else cls + "Error")
        classes[cls] = type(pyname, (Error,) + _CLASS_BASES.get(cls, ()), {
            "__module__": "pmemkit",
            "__doc__": "pmemkit error class %s (%s)." % (cls, ", ".join(
                r[0] for r in ERROR_TABLE if r[2] == cls)),
        })
    return classes


_EXCEPTIONS = _make_exceptions()
_pmemkit._set_exceptions(_EXCEPTIONS)

# the exception types by their Python names (the package exports them)
EXCEPTIONS = {exc.__name__: exc for exc in _EXCEPTIONS.values()
              if issubclass(exc, Error)}

# the ones the package raises itself
NotFoundError = _EXCEPTIONS["NotFound"]
RangeError = _EXCEPTIONS["Range"]
ClosedError = _EXCEPTIONS["Closed"]
InvalidValueError = _EXCEPTIONS["Value"]
ReadOnlyError = _EXCEPTIONS["ReadOnly"]
ChangedError = _EXCEPTIONS["Changed"]


def exception_for(cls):
    """The exception type pmemkit raises for an error class of the table
    ("NotFound", "PoolError", ...)."""
    return _EXCEPTIONS.get(cls, Error)
