# _transaction.py -- `with pool.transaction():` and the end of a
# transaction, which Array.modify() shares.

from . import _pmemkit
from ._calls import _tx_begin, _tx_commit, _tx_abort
from ._errors import Error
from ._values import _binds


def _tx_closed(pool, h):
    """Whether the pool was closed inside this thread's transaction on it
    (which aborted it). Closed by another thread, the transaction is
    still open and that close waits for it to end."""
    return pool._h is None and not _pmemkit.pk_tx_depth(h)


def _tx_end(h, et):
    """End the transaction on pool handle h as a block does: commit it if
    the block raised nothing (et None), else abort it, the block's
    exception propagating rather than the abort's."""
    if et is None:
        _tx_commit(h)
    else:
        try:
            _tx_abort(h)
        except Error:
            pass


class _Transaction:
    __slots__ = ("_pool", "_th")

    def __init__(self, pool):
        self._pool = pool

    def __enter__(self):
        self._th = self._pool._handle()
        _tx_begin(self._th)
        return self

    def __exit__(self, et, ev, tb):
        h = self._th
        if not _tx_closed(self._pool, h):
            try:
                _tx_end(h, et)
            except BaseException:
                if getattr(_binds, "list", None):
                    _settle(self._pool, h, True)
                raise
            if getattr(_binds, "list", None):
                _settle(self._pool, h, et is not None)
        return False


def _settle(pool, h, aborted):
    """After a level of a transaction on pool ended: when it aborted
    (which undoes everything since the outermost level began), unbind the
    objects the transaction bound (_values._binds), whose records are
    gone, so that none stays bound to a record never stored; when the
    outermost level committed, forget them."""
    if not aborted and _pmemkit.pk_tx_depth(h):
        return      # an outer level is still open: its end decides
    lst = _binds.list
    keep = []
    for entry in lst:
        if entry[0] is not pool:
            keep.append(entry)
        elif aborted:
            object.__setattr__(entry[1], "_pk_rec", None)
            object.__setattr__(entry[1], "_pk_vol", entry[2])
    lst[:] = keep
