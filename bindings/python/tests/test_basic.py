import gc
import math
import os
import pickle
import copy

import pytest

import pmemkit


def test_create_open_close(path):
    p = pmemkit.Pool.create(path)       # a pool that grows, from its minimum
    assert p.stats()["size"] == pmemkit.MIN_POOL_SIZE
    p.root["k"] = "v"
    p.close()
    p.close()  # no-op
    assert p.closed
    with pmemkit.Pool.open(path) as p2:
        assert p2.root["k"] == "v"
        assert isinstance(p2.root, pmemkit.Map)
    assert p2.closed


def test_create_size(path):
    with pmemkit.Pool.create(path, size=16 << 20) as p:
        assert p.stats()["size"] == 16 << 20
    with pmemkit.Pool.create(path + "2", pmemkit.DEFAULT_POOL_SIZE) as p:
        assert p.stats()["size"] == pmemkit.DEFAULT_POOL_SIZE


def test_os_errors(tmp_path, path):
    with pytest.raises(FileNotFoundError) as ei:
        pmemkit.Pool.open(str(tmp_path / "missing"))
    assert "ENOENT" in str(ei.value)
    with pmemkit.Pool.create(path):
        with pytest.raises(FileExistsError):
            pmemkit.Pool.create(path)
        with pytest.raises(BlockingIOError):
            pmemkit.Pool.open(path)
    with pytest.raises(IsADirectoryError):
        pmemkit.Pool.open(str(tmp_path))
    with pytest.raises(ValueError):
        pmemkit.Pool.create(str(tmp_path / "small"), size=4096)  # EINVAL
    with pytest.raises(FileNotFoundError):
        pmemkit.Pool.create(str(tmp_path / "no" / "such"))


def test_not_a_pool(tmp_path):
    f = tmp_path / "junk"
    f.write_bytes(b"x" * (1 << 20))
    with pytest.raises(pmemkit.PoolError) as ei:
        pmemkit.Pool.open(str(f))
    assert ei.value.code == pmemkit.PK_ENOTPOOL
    assert isinstance(ei.value, pmemkit.Error)


def test_exceptions_from_table():
    classes = {row[2] for row in pmemkit.ERROR_TABLE}
    for cls in classes - {"IterOver"}:
        exc = pmemkit.exception_for(cls)
        assert issubclass(exc, pmemkit.Error)
    assert issubclass(pmemkit.NotFoundError, KeyError)
    assert issubclass(pmemkit.RangeError, IndexError)
    assert issubclass(pmemkit.KindError, TypeError)
    assert issubclass(pmemkit.KeyTypeError, TypeError)
    assert issubclass(pmemkit.InvalidValueError, ValueError)
    assert issubclass(pmemkit.ChangedError, RuntimeError)
    assert issubclass(pmemkit.OutOfSpaceError, MemoryError)
    assert issubclass(pmemkit.StaleError, ReferenceError)
    assert issubclass(pmemkit.TransactionError, pmemkit.Error)
    assert issubclass(pmemkit.ClosedError, pmemkit.Error)
    assert issubclass(pmemkit.PoolError, pmemkit.Error)
    assert pmemkit.exception_for("IterOver") is StopIteration
    # every code of the table is a module constant
    for name, code, cls, msg in pmemkit.ERROR_TABLE:
        assert getattr(pmemkit, name) == code
        assert msg in pmemkit._pmemkit.pk_strerror(code)


def test_scalars_roundtrip(pool):
    r = pool.root
    values = [None, True, False, 0, 1, -1, 2**63 - 1, -2**63, 2**63,
              -2**63 - 1, 2**64, 2**200, -2**200, 255, -256, 2**127,
              0.0, -0.0, 1.5, float("inf"), float("-inf"), 1e308,
              "", "x", "a\0b", "é€😀", "x" * 1000, b"", b"\0\xff", b"y" * 5000]
    for i, v in enumerate(values):
        r[i] = v
    for i, v in enumerate(values):
        got = r[i]
        assert type(got) is type(v)
        assert got == v
        if isinstance(v, float):
            assert math.copysign(1, got) == math.copysign(1, v)
    r["nan"] = float("nan")
    assert math.isnan(r["nan"])
    # bigints round-trip exactly, around every byte boundary
    for bits in range(60, 140):
        for n in (2**bits, -2**bits, 2**bits - 1, -2**bits + 1):
            r["b"] = n
            assert r["b"] == n


def test_bytes_like(pool):
    r = pool.root
    r["ba"] = bytearray(b"abc")
    r["mv"] = memoryview(b"defg")
    assert r["ba"] == b"abc" and type(r["ba"]) is bytes
    assert r["mv"] == b"defg"


def test_lone_surrogate_raises(pool):
    with pytest.raises(UnicodeEncodeError):
        pool.root["s"] = "\ud800"
    with pytest.raises(UnicodeEncodeError):
        pool.root["\udfff"] = 1
    assert len(pool.root) == 0


def test_unsupported_values(pool):
    with pytest.raises(TypeError):
        pool.root["x"] = {1j}      # a set is stored; a complex number is not
    with pytest.raises(TypeError):
        pool.root["x"] = object()
    with pytest.raises(TypeError):
        pool.root["x"] = 1j


def test_nested_plain(pool):
    r = pool.root
    r["d"] = {"a": [1, 2, {"b": (3, 4)}], "c": {}, 5: []}
    d = r["d"]
    assert isinstance(d, pmemkit.Map)
    assert isinstance(d["a"], pmemkit.List)
    assert isinstance(d["a"][2], pmemkit.Map)
    assert d.to_python() == {"a": [1, 2, {"b": (3, 4)}], "c": {}, 5: []}
    # a tuple comes back as a tuple, nested ones too
    assert d["a"][2]["b"] == (3, 4)
    assert type(d["a"][2]["b"]) is tuple
    r["t"] = (1, ("x", b"y"), [2], {"k": ()})
    t = r["t"]
    assert type(t) is tuple and type(t[1]) is tuple and t[3]["k"] == ()
    assert isinstance(t[2], pmemkit.List)
    assert r.to_python()["t"] == (1, ("x", b"y"), [2], {"k": ()})
    assert pool.check()["ok"]


def test_tuple_and_typecode_survive_reopen(path):
    with pmemkit.Pool.create(path) as pool:
        pool.root["t"] = (1, (2, 3))
        pool.root["l"] = pool.new_array("l", [1, 2, 3])
        pool.root["L"] = pool.new_array("L", [4])
        pool.root["q"] = pool.new_array("q", [5])
    with pmemkit.Pool.open(path) as pool:
        assert pool.root["t"] == (1, (2, 3))
        assert type(pool.root["t"][1]) is tuple
        assert pool.root["l"].typecode == "l"
        assert pool.root["L"].typecode == "L"
        assert pool.root["q"].typecode == "q"
        assert list(pool.root["l"]) == [1, 2, 3]


def test_nested_conversion_is_one_transaction(pool):
    r = pool.root
    before = pool.stats()["objects"]
    with pytest.raises(TypeError):
        r["d"] = {"a": [1, 2, {"b": 3}], "z": [object()]}
    assert "d" not in r
    assert pool.stats()["objects"] == before
    assert pool.check()["ok"]


def test_self_containing_refused(pool):
    l = [1]
    l.append(l)
    with pytest.raises(ValueError):
        pool.root["l"] = l
    assert "l" not in pool.root


def test_container_from_another_pool(tmp_path, pool):
    with pmemkit.Pool.create(str(tmp_path / "other.pool")) as other:
        m = other.new_map()
        with pytest.raises(ValueError):
            pool.root["m"] = m


def test_closed_pool(path):
    p = pmemkit.Pool.create(path)
    r = p.root
    r["l"] = [1, 2]
    l = r["l"]
    it = iter(r)
    p.close()
    with pytest.raises(pmemkit.ClosedError):
        r["a"]
    with pytest.raises(pmemkit.ClosedError):
        r["a"] = 1
    with pytest.raises(pmemkit.ClosedError):
        len(l)
    with pytest.raises(pmemkit.ClosedError):
        l.append(1)
    with pytest.raises(pmemkit.ClosedError):
        next(it)
    with pytest.raises(pmemkit.ClosedError):
        p.root
    with pytest.raises(pmemkit.ClosedError):
        p.new_map()
    with pytest.raises(pmemkit.ClosedError):
        with p.transaction():
            pass
    del r, l, it
    gc.collect()


def test_container_keeps_pool_alive(path):
    r = pmemkit.Pool.create(path).root
    gc.collect()
    r["a"] = 1
    assert r["a"] == 1
    p = r.pool
    del r
    p.close()


def test_pool_dropped_closes(path):
    p = pmemkit.Pool.create(path)
    p.root["x"] = 1
    del p
    for _ in range(3):
        gc.collect()  # PyPy runs finalizers after a collection
    with pmemkit.Pool.open(path) as p:
        assert p.root["x"] == 1


def test_no_pickle(pool):
    pool.root["m"] = {}
    for obj in (pool, pool.root, pool.root["m"], pool.new_list(),
                pool.new_array("i", 2)):
        with pytest.raises(TypeError):
            pickle.dumps(obj)
        with pytest.raises(TypeError):
            copy.copy(obj)


def test_gc_and_check(pool):
    pool.new_map()
    pool.new_list()
    rep = pool.check()
    assert rep["leaked"] >= 2 and not rep["ok"]
    assert pool.gc() >= 2
    assert pool.check()["ok"]
    m = pool.new_map()
    pool.root["m"] = m
    pool.gc()
    assert pool.root["m"] is not m and pool.root["m"] == {}


def _mapped_kib(path):
    """KiB of the file at path this process has mapped (smaps' Rss)."""
    real, total, mine = os.path.realpath(path), 0, False
    with open("/proc/self/smaps") as f:
        for line in f:
            head = line.rstrip("\n").split(None, 5)
            if "-" in head[0]:
                mine = len(head) == 6 and head[5] == real
            elif mine and head[0] == "Rss:":
                total += int(head[1])
    return total


def _on_tmpfs(path):
    """Whether path's file system is tmpfs (Rss counts its mapped pages)."""
    real, best, fstype = os.path.realpath(path), "", ""
    with open("/proc/self/mounts") as f:
        for line in f:
            mnt, kind = line.split()[1:3]
            if (real + "/").startswith(mnt.rstrip("/") + "/") and \
                    len(mnt) >= len(best):
                best, fstype = mnt, kind
    return fstype == "tmpfs"


def test_prefault(pool, path):
    pool.root["k"] = b"v"
    tmpfs = _on_tmpfs(path)
    assert not tmpfs or _mapped_kib(path) < 16 << 10
    assert pool.prefault() is None
    assert not tmpfs or _mapped_kib(path) >= (32 << 10) - 1024
    assert pool.root["k"] == b"v"
    pool.close()
    with pytest.raises(pmemkit.ClosedError):
        pool.prefault()


def test_stale(pool):
    pool.root["m"] = {"a": 1}
    m = pool.root["m"]
    del pool.root["m"]
    with pytest.raises(pmemkit.StaleError):
        m["a"]
    with pytest.raises(ReferenceError):
        len(m)


def test_docstrings():
    assert "Insert or replace" in pmemkit._pmemkit.pk_map_put.__doc__
    assert pmemkit.Map.__doc__ and pmemkit.Pool.create.__doc__


def test_version():
    assert pmemkit.__version__ == pmemkit._pmemkit.pk_version()
    assert pmemkit.__version__.count(".") == 2


def test_namespace():
    # the package's names; the flat C API is pmemkit._pmemkit's
    raw = [n for n in dir(pmemkit) if n.startswith(("pk_", "PK_", "PMEMKIT"))]
    assert raw == []
    for name in pmemkit.__all__:
        assert getattr(pmemkit, name) is not None
    assert {"Pool", "Map", "List", "Array", "Error", "NotFoundError",
            "ERROR_TABLE", "exception_for"} <= set(pmemkit.__all__)
    assert pmemkit.Map.__module__ == "pmemkit"
    assert pmemkit.NotFoundError.__module__ == "pmemkit"
    with pytest.raises(AttributeError):
        pmemkit.pk_map_put
    assert pmemkit._pmemkit.PK_ELEM_I8 and pmemkit._swig.pk_map_put
