import array
import collections.abc
import sys

import pytest

import pmemkit

PYPY = sys.implementation.name == "pypy"


def numpy():
    try:
        import numpy as np
    except ImportError:
        pytest.skip("numpy is not installed for %s" % sys.executable)
    return np
CODES = "bBhHiIlLqQfd"


@pytest.mark.parametrize("tc", CODES)
def test_typecodes(pool, tc):
    a = pool.new_array(tc, 5)
    assert len(a) == 5 and a.tolist() == [0] * 5
    assert a.itemsize == array.array(tc).itemsize
    vals = [1, 2, 3, 4, 5] if tc not in "fd" else [1.5, 2.5, -3.0, 4.0, 0.0]
    a[:] = vals
    assert a.tolist() == vals
    pool.root["a"] = a
    b = pool.root["a"]
    assert isinstance(b, pmemkit.Array)
    assert list(b) == vals
    with memoryview(b) as mv:
        assert mv.readonly and mv.itemsize == a.itemsize
        assert mv.tolist() == vals


def test_sequence(pool):
    a = pool.new_array("i", range(10))
    assert isinstance(a, collections.abc.Sequence)
    assert a[3] == 3 and a[-1] == 9
    assert a[2:5] == array.array("i", [2, 3, 4])
    assert a[::-2].tolist() == [9, 7, 5, 3, 1]
    a[0] = -5
    a[1:3] = [7, 8]
    a[::3] = [0, 0, 0, 0]
    assert a.tolist() == [0, 7, 8, 0, 4, 5, 0, 7, 8, 0]
    assert 8 in a and a.index(8) == 2 and a.count(0) == 4
    with pytest.raises(IndexError):
        a[10]
    with pytest.raises(ValueError):
        a[0:2] = [1]
    with pytest.raises((IndexError, OverflowError, TypeError, ValueError)):
        a[0] = 2**40
    with pytest.raises(TypeError):
        a[0] = "x"


def test_extremes(pool):
    a = pool.new_array("Q", 2)
    a[0] = 2**64 - 1
    a[1] = 2**63
    assert a[0] == 2**64 - 1 and a[1] == 2**63
    assert a.tolist() == [2**64 - 1, 2**63]
    b = pool.new_array("b", [-128, 127])
    assert b.tolist() == [-128, 127]


@pytest.mark.parametrize("tc", [tc for tc in "QL"
                                if array.array(tc).itemsize == 8])
def test_unsigned_64_bit_extremes(pool, tc):
    # L shares Q's element type on 64-bit Linux: the same unsigned values
    a = pool.new_array(tc, [2**64 - 1, 5, 0])
    assert a[0] == 2**64 - 1 and a[-3] == 2**64 - 1
    a[1] = 2**63 + 1
    a[-1] = 2**64 - 2
    assert a[1] == 2**63 + 1 and a[2] == 2**64 - 2
    assert a.tolist() == [2**64 - 1, 2**63 + 1, 2**64 - 2]
    with pytest.raises(IndexError):
        a[3] = 2**63


def test_resize(pool):
    a = pool.new_array("d", [1.0, 2.0])
    a.resize(4)
    assert a.tolist() == [1.0, 2.0, 0.0, 0.0]
    a.resize(1)
    assert a.tolist() == [1.0]


def test_memoryview_zero_copy(pool):
    a = pool.new_array("q", range(4))
    mv = memoryview(a)
    assert mv.format == "q" and mv.tolist() == [0, 1, 2, 3]
    with pytest.raises(TypeError):
        mv[0] = 5
    a[0] = 42
    assert mv[0] == 42  # the same memory
    mv.release()


def test_numpy(pool):
    np = numpy()
    a = pool.new_array("d", [1.0, 2.0, 3.0])
    x = np.frombuffer(a, dtype=np.float64)
    assert x.tolist() == [1.0, 2.0, 3.0]
    assert not x.flags.writeable
    a[1] = 5.0
    assert x[1] == 5.0  # no copy
    i = np.frombuffer(pool.new_array("i", [1, 2]), dtype=np.int32)
    assert i.sum() == 3
    del x, i


def test_close_with_exports_raises(path):
    p = pmemkit.Pool.create(path)
    a = p.new_array("i", 3)
    mv = memoryview(a)
    with pytest.raises(BufferError):
        p.close()
    with pytest.raises(BufferError):
        a.resize(5)
    mv.release()
    del mv
    p.close()


def test_modify_commit_and_rollback(pool):
    a = pool.new_array("i", range(10))
    pool.root["a"] = a
    with a.modify(2, 5) as mv:
        assert len(mv) == 3 and not mv.readonly
        mv[0] = 100
        mv[2] = 300
    assert a.tolist()[:6] == [0, 1, 100, 3, 300, 5]
    with pytest.raises(ZeroDivisionError):
        with a.modify() as mv:
            mv[0] = -1
            mv[9] = -9
            1 / 0
    assert a[0] == 0 and a[9] == 9
    with pool.transaction():
        with a.modify(0, 1) as mv:
            mv[0] = 77
        pool.root["x"] = 1
    assert a[0] == 77


def test_modify_numpy(pool):
    np = numpy()
    a = pool.new_array("d", 1000)
    with a.modify() as mv:
        x = np.frombuffer(mv, dtype=np.float64)
        x[:] = np.arange(1000)
        del x
    assert a[999] == 999.0


def test_modify_view_must_not_escape(pool):
    np = numpy()
    if PYPY:
        pytest.skip("PyPy releases buffers only at garbage collection")
    a = pool.new_array("d", 4)
    keep = []
    with pytest.raises(BufferError):
        with a.modify() as mv:
            mv[0] = 1.0
            keep.append(np.frombuffer(mv, dtype=np.float64))
    assert a[0] == 0.0  # rolled back
    keep.clear()


def test_store_array_module_array(pool):
    pool.root["a"] = array.array("H", [1, 2, 65535])
    a = pool.root["a"]
    assert isinstance(a, pmemkit.Array) and a.typecode == "H"
    assert a.tolist() == [1, 2, 65535]


def test_bad_typecode(pool):
    with pytest.raises(ValueError):
        pool.new_array("u", 3)
