# _calls.py -- the wrapped C functions the classes call, bound to names of
# their own once (a global lookup per call, no attribute lookup), and,
# under PyPy, the count of changes made through the package, which its
# batched iteration (_cursor.py) checks.

import sys as _sys

from . import _pmemkit

_PYPY = _sys.implementation.name == "pypy"

# ---- changes made through this package, for PyPy's batched iteration ----

_mods = [0]


def _counting(fn):
    def call(*args):
        _mods[0] += 1
        return fn(*args)
    call.__name__ = fn.__name__
    call.__doc__ = fn.__doc__
    return call


if _PYPY:
    for _name in ("pk_map_put", "pk_map_remove", "pk_map_clear",
                  "pk_list_set", "pk_list_append", "pk_list_extend",
                  "pk_list_insert", "pk_list_pop", "pk_list_remove_range",
                  "pk_list_clear", "pk_array_set", "pk_array_write",
                  "pk_array_resize", "pk_record_put", "pk_record_remove",
                  "pk_tx_abort"):
        setattr(_pmemkit, _name, _counting(getattr(_pmemkit, _name)))
    del _name

# ---- fast paths: the wrapped C functions themselves ----------------------

_map_get = _pmemkit.pk_map_get
_map_put = _pmemkit.pk_map_put
_map_contains = _pmemkit.pk_map_contains
_map_remove = _pmemkit.pk_map_remove
_map_length = _pmemkit.pk_map_length
_map_cursor = _pmemkit.pk_map_cursor
_map_value = _pmemkit.pk_map_value
_map_close = _pmemkit.pk_map_close
_list_get = _pmemkit.pk_list_get
_list_set = _pmemkit.pk_list_set
_list_append = _pmemkit.pk_list_append
_list_extend = _pmemkit.pk_list_extend
_list_insert = _pmemkit.pk_list_insert
_list_pop = _pmemkit.pk_list_pop
_list_length = _pmemkit.pk_list_length
_list_cursor = _pmemkit.pk_list_cursor
_list_value = _pmemkit.pk_list_value
_list_close = _pmemkit.pk_list_close
_array_get = _pmemkit.pk_array_get
_array_set = _pmemkit.pk_array_set
_array_length = _pmemkit.pk_array_length
_array_value = _pmemkit.pk_array_value
_array_close = _pmemkit.pk_array_close
_cursor_next = _pmemkit.pk_cursor_next
_cursor_batch = _pmemkit._cursor_batch
_cursor_check = _pmemkit.pk_cursor_check
_cursor_free = _pmemkit.pk_cursor_free
_tx_begin = _pmemkit.pk_tx_begin
_tx_commit = _pmemkit.pk_tx_commit
_tx_abort = _pmemkit.pk_tx_abort
