# test_docs.py -- every public name of the package has its documentation
# at run time (help() shows it; the .pyi stubs carry none of their own).

import inspect

import pmemkit
from pmemkit import pmem


def _public_members(cls):
    """The public methods and properties a class defines or inherits from
    pmemkit's own classes (not from object or collections.abc, whose
    documentation is theirs)."""
    for klass in cls.__mro__:
        if not klass.__module__.startswith("pmemkit"):
            continue
        for name, value in vars(klass).items():
            if name.startswith("_"):
                continue
            if callable(value) or isinstance(value, (property, classmethod,
                                                     staticmethod)):
                yield "%s.%s" % (klass.__name__, name), value


def _undocumented(module):
    missing = []
    for name in module.__all__:
        obj = getattr(module, name)
        if not (inspect.isclass(obj) or inspect.isfunction(obj)):
            continue        # constants: ERROR_TABLE, DEFAULT_POOL_SIZE, ...
        if not (obj.__doc__ or "").strip():
            missing.append(name)
        if inspect.isclass(obj):
            for what, member in _public_members(obj):
                if isinstance(member, (classmethod, staticmethod)):
                    member = member.__func__
                if not (member.__doc__ or "").strip():
                    missing.append(what)
    return sorted(set(missing))


def test_package_documented():
    assert _undocumented(pmemkit) == []


def test_pmem_documented():
    assert _undocumented(pmem) == []


def test_module_docstrings():
    assert pmemkit.__doc__.strip() and pmem.__doc__.strip()


def test_help_shows_the_docs():
    text = inspect.getdoc(pmemkit.Map)
    assert "persistent map" in text
    assert pmemkit.Pool.create.__doc__.strip()
