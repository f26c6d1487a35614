# _log.py -- pmemkit.Log, a persistent append-only log of byte records.

import operator as _op

from . import _pmemkit
from ._calls import _cursor_next, _cursor_free
from ._errors import Error, RangeError
from ._values import _Container

_log_append = _pmemkit.pk_log_append
_log_extend = _pmemkit.pk_log_extend
_log_length = _pmemkit.pk_log_length
_log_close = _pmemkit.pk_log_close
_log_value = _pmemkit.pk_log_value

_BYTES_LIKE = (bytes, bytearray, memoryview)


def _record(r):
    """A record as the C layer takes it: bytes-like only (a str has no
    one byte form: encode it)."""
    if r.__class__ is bytes:
        return r
    if isinstance(r, _BYTES_LIKE):
        return bytes(r)
    raise TypeError("pmemkit: a log record is bytes-like, not %s"
                    % (type(r).__name__,))


class Log(_Container):
    """A persistent log: records (bytes of any length below 4 GiB, empty
    ones and NUL bytes included) appended at its end. append() is atomic
    and durable when it returns, without a transaction of its own;
    extend() appends several records as one atomic unit. Iteration yields
    the records in order, as bytes, and goes on to records appended while
    it runs. Every record has a position, stable across reopens until
    clear(): tell() is the one the next record will get, and
    records(position) iterates (position, record) pairs from one."""

    __slots__ = ("_pool", "_h", "__weakref__")
    _close = staticmethod(_log_close)
    _value = staticmethod(_log_value)

    def append(self, record):
        """Append one record.

        See pk_log_append(3)."""
        _log_append(self._h, _record(record))

    def extend(self, records):
        """Append the records of an iterable, all or none.

        See pk_log_extend(3)."""
        _log_extend(self._h, [_record(r) for r in records])

    def __len__(self):
        return _log_length(self._h)

    @property
    def nbytes(self):
        """The bytes of all the records (their lengths added up)."""
        return _pmemkit.pk_log_nbytes(self._h)

    def tell(self):
        """The position the next record appended will have.

        See pk_log_tell(3)."""
        return _pmemkit.pk_log_tell(self._h)

    def clear(self):
        """Remove every record (positions from before are then invalid)."""
        _pmemkit.pk_log_clear(self._h)

    def records(self, position=0):
        """(position, record) of each record from `position` (0, one a
        previous iteration gave, or one tell() gave); RangeError (an
        IndexError) for a position that is no record's."""
        try:
            c = _pmemkit.pk_log_cursor_at(self._h, position)
        except (TypeError, OverflowError):
            # SWIG's message names the C argument: say it as Python would
            p = _op.index(position)
            if p.__class__ is int and 0 <= p < 1 << 64:
                c = _pmemkit.pk_log_cursor_at(self._h, p)
            else:
                raise RangeError("pmemkit: %d is no record's position"
                                 % (p,)) from None
        try:
            while True:
                try:
                    yield _cursor_next(c)
                except StopIteration:
                    return
        finally:
            _cursor_free(c)

    def __iter__(self):
        for _, record in self.records():
            yield record

    def to_python(self):
        """The records, as a list of bytes."""
        return list(self)

    def __eq__(self, other):
        if isinstance(other, Log):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None

    def __repr__(self):
        try:
            n = len(self)
            return "pmemkit.Log(%r)" % (self.to_python(),) \
                if n <= 10 else "<pmemkit.Log of %d records>" % n
        except Error as e:
            return "<pmemkit.Log: %s>" % (e,)


Log.__module__ = "pmemkit"
