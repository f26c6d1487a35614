# _tables.py -- the C library's tables (include/pmemkit_tables.h), read
# row by row through pk_error_table(), pk_elem_table() and pk_flag_table():
# the error codes, the element types of typed arrays with their typecodes,
# the container flags, and the pool options (constants). Nothing here
# copies a row.

import array as _pyarray
import string as _string

from . import _swig      # its classes make the rows' attributes
from . import _pmemkit


def _rows(table, *fields):
    """The rows of a C table as tuples of the given fields, in order."""
    out = []
    while True:
        row = table(len(out))
        if row is None:
            return tuple(out)
        out.append(tuple(getattr(row, f) for f in fields))


# (name, code, class, message) rows of PK_ERROR_TABLE
ERROR_TABLE = _rows(_swig.pk_error_table, "name", "code", "cls", "message")

# (code, size, typecode, class) of each element type of PK_ELEM_TABLE
_ELEMS = _rows(_swig.pk_elem_table, "code", "size", "typecode", "cls")

# element type -> its own typecode (the array module's, numpy's)
_ELEM_TYPECODE = {code: tc for code, size, tc, cls in _ELEMS if tc}


def _int_class(typecode):
    """"signed" or "unsigned" for an integer typecode of the array
    module, None for another (characters, floats)."""
    try:
        a = _pyarray.array(typecode, [-1])
    except OverflowError:
        return "unsigned"
    except TypeError:
        return None
    return "signed" if a[0].__class__ is int else None


def _typecodes():
    """array module typecode -> element type: each element type's own
    typecode, then the integer typecodes of the array module that are no
    element type's (l and L), each to the element type of its size and
    class, its typecode then kept in the array's flags (_FLAG_TYPECODE).
    (PyPy's array module has no list of its typecodes: letters are tried.)
    """
    out = {tc: code for code, tc in _ELEM_TYPECODE.items()}
    for tc in _string.ascii_letters:
        if tc in out:
            continue
        try:
            size = _pyarray.array(tc).itemsize
        except ValueError:
            continue
        cls = _int_class(tc)
        for code, esize, etc, ecls in _ELEMS:
            if etc and (esize, ecls) == (size, cls):
                out[tc] = code
                break
    return out


_TYPECODES = _typecodes()

# typecodes of unsigned 64-bit elements, which C reads and writes as int64
# (Q and L): the Array class turns them into Python's unsigned values
_U64_TYPECODES = frozenset(
    tc for tc, code in _TYPECODES.items()
    for ecode, size, etc, cls in _ELEMS
    if ecode == code and (size, cls) == (8, "unsigned"))

# container flags (PK_FLAG_TABLE) this module gives a meaning to: a list
# that was a tuple; an array whose typecode is in the detail byte
_FLAGS = dict(_rows(_swig.pk_flag_table, "name", "value"))
_FLAG_TUPLE = _FLAGS["PK_FLAG_TUPLE"]
_FLAG_TYPECODE = _FLAGS["PK_FLAG_TYPECODE"]
_FLAG_FROZEN = _FLAGS["PK_FLAG_FROZEN"]
_FLAG_DETAIL_SHIFT = _pmemkit.PK_FLAG_DETAIL_SHIFT

# pool options (PK_POOL_FLAG_TABLE): option name -> bit; Pool.open() takes
# each as a keyword argument of that name, Pool.create() each but readonly
# (test_pool_grow checks the signatures against the table)
_POOL_FLAGS = dict(_rows(_swig.pk_pool_flag_table, "option", "value"))
_POOL_READONLY = _POOL_FLAGS["readonly"]
_POOL_PROCESS_DURABLE = _POOL_FLAGS["process_durable"]
