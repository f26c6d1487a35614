# _record.py -- records: objects of the program's classes whose attributes
# live in a pool. pmemkit.Object is the base of such classes,
# pmemkit.register() names them, pmemkit.Record is what a record of a name
# nobody registered reads as. The registry is the program's: reading a
# pool imports, evaluates or runs nothing the pool names.

import threading as _threading
import types as _types

from . import _pmemkit
from ._cursor import _cursor_entries
from ._calls import _cursor_free
from ._errors import NotFoundError
from ._values import (_Bindable, _Container, _MISSING, _SCALARS, _bound,
                      _no_pickle, _plain, _store)

_record_get = _pmemkit.pk_record_get
_record_put = _pmemkit.pk_record_put
_record_remove = _pmemkit.pk_record_remove

_oga = object.__getattribute__
_osa = object.__setattr__
_oda = object.__delattr__

# on this thread: the records _pk_copy() is copying (memo: reference ->
# copy) and those whose repr is being made (repr)
_copying = _threading.local()

# class name <-> class, filled by register()
_CLASSES = {}
_NAMES = {}
_registry_lock = _threading.Lock()


class _Handle(_Container):
    """A record in a pool: the C handle of a bound Object."""
    __slots__ = ("_pool", "_h", "__weakref__")
    _close = staticmethod(_pmemkit.pk_record_close)
    _value = staticmethod(_pmemkit.pk_record_value)

    def get(self, name):
        try:
            v = _record_get(self._h, name)
        except NotFoundError:
            return _MISSING
        return self._pool._wrap(v) if v.__class__ is tuple else v

    def put(self, name, value):
        if value.__class__ in _SCALARS:
            _record_put(self._h, name, value)
        else:
            _store(self._pool, value, _record_put, self._h, name)

    def remove(self, name):
        """False if there was no such attribute."""
        try:
            _record_remove(self._h, name)
        except NotFoundError:
            return False
        return True

    def items(self):
        h = self._h
        wrap = self._pool._wrap
        c = _pmemkit.pk_record_cursor(h)
        try:
            for k, v in _cursor_entries(c, lambda k: _record_get(h, k)):
                yield k, (wrap(v) if v.__class__ is tuple else v)
        finally:
            _cursor_free(c)

    def class_name(self):
        return _pmemkit.pk_record_class(self._h)


# what a name is on a class: a data descriptor (property, slot), which
# works as Python's own; a method (or another non-data descriptor), the
# class's, which no stored attribute may shadow; or a plain class
# attribute, a default that a stored attribute of the name hides
_DATA, _METHOD, _DEFAULT = 1, 2, 3


def _kind(cls, name):
    for k in cls.__mro__:
        d = k.__dict__
        if name in d:
            t = type(d[name])
            if hasattr(t, "__set__") or hasattr(t, "__delete__"):
                return _DATA
            if hasattr(t, "__get__"):
                return _METHOD
            return _DEFAULT
    return None


def _dunder(name):
    return name[:2] == "__" and name[-2:] == "__"


class Object(_Bindable):
    """The base of classes whose instances are records: objects whose
    attributes live in a pool. Register a subclass (@pmemkit.register)
    and store an instance anywhere a value goes, or make one in the pool
    with pool.new(cls, **attrs).

    An instance made by calling the class is volatile (unbound) until it
    is stored: storing it creates the record with its attributes and
    binds the instance to it, so that from then on every attribute read,
    write and delete goes to the pool (each write atomic; `with
    pool.transaction():` groups several). Storing a bound instance again
    stores another reference to the same record. An instance read from a
    pool is made without calling __init__ (nor __new__): __init__ runs
    only for volatile construction, and Object's own sets the keyword
    arguments as attributes.

    An attribute's value is anything a Map stores (containers, plain
    dicts and lists stored as new containers, other records). Methods,
    properties and other class attributes are the class's and are not
    stored; a plain class attribute is a default that a stored attribute
    of the same name hides, and no attribute may take a method's name. A
    registered class declares no __slots__ and no mutable class
    attributes (lists, dicts, sets: their changes would stay in memory).
    vars(p) is a read-only view of the attributes, p._asdict() a plain
    dict of them; == compares the class and the attributes."""

    __slots__ = ("_pk_rec", "_pk_vol", "__weakref__")

    def __new__(cls, *args, **kwargs):
        return _blank(cls)

    def __init__(self, **attrs):
        for name, value in attrs.items():
            setattr(self, name, value)

    def __getattribute__(self, name):
        if _dunder(name):
            if name == "__dict__":
                return _types.MappingProxyType(_attrs(self))
            return _oga(self, name)
        kind = _kind(type(self), name)
        if kind is _DATA or kind is _METHOD:
            return _oga(self, name)
        rec = _oga(self, "_pk_rec")
        if rec is None:
            v = _oga(self, "_pk_vol").get(name, _MISSING)
        else:
            v = rec.get(name)
        if v is _MISSING:
            return _oga(self, name)     # a default, or AttributeError
        return v

    def __setattr__(self, name, value):
        kind = _kind(type(self), name)
        if kind is _DATA:
            _osa(self, name, value)
            return
        _check_name(self, name, kind)
        rec = _oga(self, "_pk_rec")
        if rec is None:
            _oga(self, "_pk_vol")[name] = value
        else:
            rec.put(name, value)

    def __delattr__(self, name):
        kind = _kind(type(self), name)
        if kind is _DATA:
            _oda(self, name)
            return
        rec = _oga(self, "_pk_rec")
        if rec is None:
            try:
                del _oga(self, "_pk_vol")[name]
                return
            except KeyError:
                pass
        elif not _dunder(name) and rec.remove(name):
            return
        raise AttributeError("%r object has no attribute %r"
                             % (type(self).__name__, name))

    def __dir__(self):
        return sorted(set(object.__dir__(self)) | set(_attrs(self)))

    def _asdict(self):
        """The attributes as a plain dict (a snapshot; containers in it
        are the stored ones, as dict.copy() gives)."""
        return _attrs(self)

    def __eq__(self, other):
        if type(other) is not type(self) or \
                _class_name(other) != _class_name(self):
            return NotImplemented
        if _key(self) == _key(other):
            return True         # one record (a cycle ends here too)
        return _attrs(self) == _attrs(other)

    __hash__ = None

    def __repr__(self):
        return _repr(self, type(self).__name__ + "(", [])

    def __reduce_ex__(self, protocol):
        # copy, deepcopy and pickle: of a volatile instance only (a bound
        # one refers to a pool: _pk_copy() is its plain copy)
        if _oga(self, "_pk_rec") is not None:
            _no_pickle(self)
        return (_volatile, (type(self), _class_name(self),
                            dict(_oga(self, "_pk_vol"))))

    def _pk_copy(self):
        """A volatile instance of the class with plain copies of the
        attributes (what to_python() and pop() give for a record); a
        record that refers to itself, through any path, is copied once
        and its copy refers to the copy."""
        key = _key(self)
        memo = _copying.__dict__.setdefault("memo", {})
        if key in memo:
            return memo[key]
        new = memo[key] = _blank(type(self))
        try:
            for name, value in _attrs(self).items():
                _oga(new, "_pk_vol")[name] = _plain(value)
        finally:
            memo.pop(key, None)
        return new


class Record(Object):
    """A record whose class name no class is registered under (or one
    made with pool.new("Name", ...) or Record("Name", ...)): its
    class_name and its attributes, read and written as an Object's."""

    __slots__ = ("_pk_cls",)

    def __new__(cls, class_name="", **attrs):
        self = _blank(cls)
        _osa(self, "_pk_cls", class_name)
        return self

    def __init__(self, class_name, **attrs):
        _check_class_name(class_name)
        Object.__init__(self, **attrs)

    @property
    def class_name(self):
        """The record's class name."""
        rec = _oga(self, "_pk_rec")
        return _oga(self, "_pk_cls") if rec is None else rec.class_name()

    def __repr__(self):
        return _repr(self, "pmemkit.Record(", [repr(self.class_name)])

    def __getattr__(self, name):
        # what __getattribute__ did not find (its AttributeError again:
        # declared so that type checkers take any attribute)
        raise AttributeError("%r object has no attribute %r"
                             % (type(self).__name__, name))

    def _pk_copy(self):
        new = Object._pk_copy(self)
        _osa(new, "_pk_cls", self.class_name)
        return new


def _volatile(cls, class_name, attrs):
    """A volatile instance of cls with the attributes (for copy and
    pickle)."""
    self = _blank(cls)
    if issubclass(cls, Record):
        _osa(self, "_pk_cls", class_name)
    _oga(self, "_pk_vol").update(attrs)
    return self


def _blank(cls):
    """An instance of cls without calling its __init__ or __new__."""
    self = object.__new__(cls)
    _osa(self, "_pk_rec", None)
    _osa(self, "_pk_vol", {})
    if issubclass(cls, Record):
        _osa(self, "_pk_cls", "")
    return self


def _key(self):
    """What identifies the object: its record's reference if bound."""
    rec = _oga(self, "_pk_rec")
    return id(self) if rec is None else rec._ref()


def _repr(self, head, parts):
    """head, parts and the attributes name=value, sorted, and `)`; "..."
    for a record met again inside its own repr."""
    active = _copying.__dict__.setdefault("repr", set())
    key = _key(self)
    if key in active:
        return "..."
    active.add(key)
    try:
        return head + ", ".join(parts + [
            "%s=%r" % kv for kv in sorted(_attrs(self).items())]) + ")"
    finally:
        active.discard(key)


def _attrs(self):
    rec = _oga(self, "_pk_rec")
    if rec is None:
        return dict(_oga(self, "_pk_vol"))
    return dict(rec.items())


def _class_name(obj):
    """The class name obj is stored under, None for an unregistered
    class."""
    if isinstance(obj, Record):
        return obj.class_name
    return _NAMES.get(type(obj))


def _check_name(self, name, kind):
    if kind is _METHOD:
        raise AttributeError("pmemkit: %s defines %r as a method: an "
                             "attribute of that name would never be read"
                             % (type(self).__name__, name))
    if _dunder(name):
        raise AttributeError("pmemkit: a record's attribute cannot be "
                             "named %r" % (name,))


def _check_class_name(name):
    if not isinstance(name, str):
        raise TypeError("pmemkit: a class name is a str, not %s"
                        % type(name).__name__)
    n = len(name.encode("utf-8"))
    if not 1 <= n <= _pmemkit.PK_RECORD_CLASS_MAX or "\0" in name:
        raise ValueError("pmemkit: a class name is 1 to %d bytes of "
                         "UTF-8 without NUL: %r"
                         % (_pmemkit.PK_RECORD_CLASS_MAX, name))


def _check_class(cls):
    """Refuse what would keep an attribute's changes in memory: slots,
    and mutable plain class attributes, which a change through an
    instance (p.tags.append(x)) would change instead of the record (as
    dataclasses refuse them as defaults)."""
    for k in cls.__mro__[:cls.__mro__.index(Object)]:
        if k.__dict__.get("__slots__"):
            raise TypeError("pmemkit.register(): %s declares __slots__: "
                            "a slot lives in memory, not in the pool"
                            % (k.__name__,))
        for name, value in k.__dict__.items():
            if type(value) in (list, dict, set, bytearray) and \
                    not _dunder(name):
                raise TypeError(
                    "pmemkit.register(): %s.%s is a mutable %s: changed "
                    "through an instance it would change the class, not "
                    "the record; set it in __init__ or use an immutable "
                    "value" % (k.__name__, name, type(value).__name__))


def register(cls=None, name=None):
    """Register a subclass of pmemkit.Object under a class name, which
    records of the class are stored with and which reading a record maps
    back to the class. As a decorator: @pmemkit.register (the name is
    the class's module and qualified name, "app.models.Point") or
    @pmemkit.register("Point"); as a call: pmemkit.register(Point,
    "Point"). Returns the class. A name belongs to one class and a class
    has one name: registering either again otherwise raises ValueError
    (registering the same pair again is harmless). Only the program
    fills the registry: a pool's class names never import or run
    anything."""
    if isinstance(cls, str):
        if name is not None:
            raise TypeError("pmemkit.register(cls, name) or "
                            "pmemkit.register(name)")
        return lambda c: register(c, cls)
    if cls is None:
        return lambda c: register(c, name)
    if not isinstance(cls, type) or not issubclass(cls, Object) or \
            issubclass(cls, Record):
        raise TypeError("pmemkit.register(): %r is not a subclass of "
                        "pmemkit.Object" % (cls,))
    if cls is Object:
        raise TypeError("pmemkit.register(): register a subclass of "
                        "pmemkit.Object")
    _check_class(cls)
    if name is None:
        name = "%s.%s" % (cls.__module__, cls.__qualname__)
    _check_class_name(name)
    with _registry_lock:
        old = _CLASSES.get(name)
        if old is not None and old is not cls:
            raise ValueError("pmemkit.register(): %r is the name of %r "
                             "already" % (name, old))
        oldname = _NAMES.get(cls)
        if oldname is not None and oldname != name:
            raise ValueError("pmemkit.register(): %r is registered as "
                             "%r already" % (cls, oldname))
        _CLASSES[name] = cls
        _NAMES[cls] = name
    return cls


# ---- what the pool calls ------------------------------------------------

def _new(pool, cls, attrs):
    """pool.new(cls, **attrs): a bound instance of a new record."""
    if isinstance(cls, str):
        name = cls
        _check_class_name(name)
        cls = _CLASSES.get(name, Record)
    else:
        name = _NAMES.get(cls)
        if name is None:
            raise TypeError("pmemkit: %r is not registered (decorate it "
                            "with @pmemkit.register)" % (cls,))
    obj = _blank(cls)
    with pool.transaction():
        _osa(obj, "_pk_rec", _Handle(pool, _pmemkit.pk_record_new(
            pool._handle(), name, len(name.encode("utf-8")))))
        _osa(obj, "_pk_vol", None)
        for k, v in attrs.items():
            setattr(obj, k, v)      # a property's setter runs as usual
    return obj


def _ref(pool, obj):
    """The reference to store for obj: its record's, made from its
    volatile attributes and bound to it first if it is unbound. The
    caller is in a transaction."""
    rec = _oga(obj, "_pk_rec")
    if rec is not None:
        if rec._pool is not pool:
            raise ValueError("pmemkit: the record belongs to another pool")
        return rec._ref()
    name = _class_name(obj)
    if name is None:
        raise TypeError("pmemkit: cannot store a %s: its class is not "
                        "registered (decorate it with @pmemkit.register)"
                        % type(obj).__name__)
    vol = _oga(obj, "_pk_vol")
    rec = _Handle(pool, _pmemkit.pk_record_new(
        pool._handle(), name, len(name.encode("utf-8"))))
    # bound first: an attribute that refers to obj itself stores the
    # reference to this record
    _bound().append((pool, obj, vol))
    _osa(obj, "_pk_rec", rec)
    _osa(obj, "_pk_vol", None)
    for k, v in vol.items():
        rec.put(k, v)
    return rec._ref()


def _wrap(pool, rec):
    """The object for a record read from the pool (rec: a _Handle): an
    instance of the class registered under its class name, else a
    Record."""
    cls = _CLASSES.get(rec.class_name(), Record)
    obj = _blank(cls)
    _osa(obj, "_pk_rec", rec)
    _osa(obj, "_pk_vol", None)
    return obj


Object.__module__ = Record.__module__ = "pmemkit"
