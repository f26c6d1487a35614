import errno
import threading

import pytest

import pmemkit


def pattern(i, ver, size):
    head = i.to_bytes(8, "little") + ver.to_bytes(8, "little")
    return head + bytes([(i * 131 + ver * 31 + 1) & 0xFF]) * (size - 16)


def test_new_blocks_read_as_zeros_and_keep_writes(path):
    with pmemkit.Pool.create(path) as p:
        b = p.new_blocks(4096, 8)
        p.root["disk"] = b
        assert len(b) == 8 and b.block_size == 4096
        assert all(blk == bytes(4096) for blk in b)
        for i in range(8):
            b[i] = pattern(i, 1, 4096)
        b[-1] = b"tail"
        b[3] = bytearray(b"\0\1\2")
        b[4] = memoryview(b"mv")
    with pmemkit.Pool.open(path) as p:
        b = p.root["disk"]
        assert isinstance(b, pmemkit.Blocks)
        assert b[0] == pattern(0, 1, 4096)
        assert b[7] == b"tail" + bytes(4092)
        assert b[3] == b"\0\1\2" + bytes(4093)
        assert b[4][:2] == b"mv" and len(b[4]) == 4096
        assert b[1:3] == [pattern(1, 1, 4096), pattern(2, 1, 4096)]
        assert b.to_python()[5] == pattern(5, 1, 4096)
        assert p.check()["ok"]


def test_bad_input_writes_nothing(pool):
    b = pool.new_blocks(512, 2)
    b[0] = b"x" * 512
    with pytest.raises(ValueError):
        b[0] = b"y" * 513
    with pytest.raises(TypeError):
        b[0] = "text"
    with pytest.raises(TypeError):
        b[0] = 7
    with pytest.raises(IndexError):
        b[2] = b"z"
    with pytest.raises(IndexError):
        b[-3] = b"z"
    with pytest.raises(IndexError):
        b[2]
    with pytest.raises(TypeError):
        b[0:1] = [b"a"]
    with pytest.raises(TypeError):
        del b[0]
    assert b[0] == b"x" * 512
    for size in (0, 511, 65537):
        with pytest.raises(ValueError):
            pool.new_blocks(size, 1)
    with pytest.raises(ValueError):
        pool.new_blocks(512, -1)
    with pytest.raises(ValueError):
        b.grow(-1)


def test_zero_and_bad_blocks(path):
    with pmemkit.Pool.create(path) as p:
        b = p.new_blocks(1024, 4)
        p.root["b"] = b
        for i in range(4):
            b[i] = pattern(i, 1, 1024)
        b.zero(1)
        assert b[1] == bytes(1024)
        b.set_error(2)
        with pytest.raises(OSError) as ei:
            b[2]
        assert ei.value.errno == errno.EIO and "block 2" in str(ei.value)
        with pytest.raises(OSError):
            list(b)
    with pmemkit.Pool.open(path) as p:
        b = p.root["b"]
        with pytest.raises(OSError):
            b[2]
        b[2] = b"fixed"
        assert b[2].startswith(b"fixed")
        b.set_error(3)
        b.zero(3)
        assert b[3] == bytes(1024)


def test_grow_append_and_transactions(pool):
    b = pool.new_blocks(512, 1)
    pool.root["b"] = b
    b[0] = b"first"
    b.grow(3)
    assert len(b) == 4 and b[3] == bytes(512)
    b.append(b"appended")
    assert len(b) == 5 and b[4].startswith(b"appended")
    with pytest.raises(RuntimeError):
        with pool.transaction():
            b[0] = b"changed"
            b.zero(4)
            b.grow(10)
            assert b[0].startswith(b"changed") and len(b) == 15
            raise RuntimeError("abort")
    assert len(b) == 5
    assert b[0].startswith(b"first") and b[4].startswith(b"appended")
    with pool.transaction():
        b[0] = b"committed"
    assert b[0].startswith(b"committed")


def test_nesting_gc_and_kinds(pool):
    b = pool.new_blocks(512, 2)
    pool.root["l"] = [b, {"inner": b}]
    assert isinstance(pool.root["l"][0], pmemkit.Blocks)
    assert pool.root["l"][0] == b
    del pool.root["l"]
    assert pool.gc() >= 0
    loose = pool.new_blocks(512, 3)
    del loose
    assert pool.gc() >= 3
    assert pool.check()["ok"]


def test_use_after_close(path):
    p = pmemkit.Pool.create(path)
    b = p.new_blocks(512, 1)
    p.root["b"] = b
    p.close()
    with pytest.raises(pmemkit.ClosedError):
        b[0]
    with pytest.raises(pmemkit.ClosedError):
        b[0] = b"x"


def test_readers_never_see_a_torn_block(pool):
    # a writer rewrites blocks while readers check each read is one
    # whole version
    b = pool.new_blocks(4096, 4)
    pool.root["b"] = b
    stop = threading.Event()
    torn = []

    def reader():
        while not stop.is_set():
            for i in range(4):
                blk = b[i]
                if blk != bytes(4096) and blk != pattern(
                        i, int.from_bytes(blk[8:16], "little"), 4096):
                    torn.append(i)

    threads = [threading.Thread(target=reader) for _ in range(2)]
    for t in threads:
        t.start()
    for ver in range(1, 400):
        b[ver % 4] = pattern(ver % 4, ver, 4096)
    stop.set()
    for t in threads:
        t.join()
    assert torn == []
