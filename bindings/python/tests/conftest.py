# Fixtures for the pmemkit Python tests: pools in a fresh directory on
# $PK_TEST_DIR (default /dev/shm) with emulated persistent memory.
import os
import shutil
import tempfile

import pytest

os.environ.setdefault("PMEM_IS_PMEM_FORCE", "1")
import pmemkit  # noqa: E402


@pytest.fixture
def tmp_path():
    d = tempfile.mkdtemp(prefix="pmemkit-py-",
                         dir=os.environ.get("PK_TEST_DIR", "/dev/shm"))
    try:
        import pathlib
        yield pathlib.Path(d)
    finally:
        shutil.rmtree(d, ignore_errors=True)


@pytest.fixture
def path(tmp_path):
    return str(tmp_path / "test.pool")


@pytest.fixture
def pool(path):
    p = pmemkit.Pool.create(path, size=32 << 20)
    try:
        yield p
    finally:
        try:
            p.close()
        except BufferError:
            import gc
            gc.collect()
            p.close()


def _refused_as_dict_does(m, bad):
    """A key m refuses with the TypeError a dict raises for it (unhashable
    type: ...), in a store, `in` and get()."""
    with pytest.raises(TypeError) as got:
        {}[bad] = 1
    with pytest.raises(TypeError) as exc:
        m[bad] = 1
    assert str(exc.value) == str(got.value)
    with pytest.raises(TypeError):
        bad in m
    with pytest.raises(TypeError):
        m.get(bad)


@pytest.fixture
def refused_as_dict_does():
    return _refused_as_dict_does


def _stored_beside_dict(m, keys):
    """Store keys[i] -> i in m and in a dict, check that m finds each as
    the dict does, and return the dict."""
    d = {}
    for i, k in enumerate(keys):
        m[k] = i
        d[k] = i
    assert m == d and len(m) == len(d)
    for k in keys:
        assert k in m and m[k] == d[k] and m.get(k) == d[k]
    return d


@pytest.fixture
def stored_beside_dict():
    return _stored_beside_dict
