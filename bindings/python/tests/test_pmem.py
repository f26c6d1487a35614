import io
import os
import subprocess
import sys

import pytest

import pmemkit
from pmemkit import pmem


@pytest.fixture
def rpath(tmp_path):
    return str(tmp_path / "raw")


def test_map_write_persist_reopen(rpath):
    with pmem.map_file(rpath, 1 << 20, create=True) as r:
        assert len(r) == 1 << 20 and r.is_pmem     # PMEM_IS_PMEM_FORCE=1
        assert r[0:4] == bytes(4)
        r[0:5] = b"hello"
        r[-1] = 0x7F
        assert r[-1] == 0x7F and r[4] == ord("o")
        r.write_at(100, b"\0nul\0", drain=False)
        r.drain()
        r.write_at(200, bytearray(b"later"), flush=False)
        r.persist(200, 5)
        r.move(300, 0, 5)
        r.fill(400, ord("x"), 3)
        r.flush(0, 512)
        r.drain()
        r.deep_flush(0, 4096)
        r.persist()
        assert r.read_at(100, 5) == b"\0nul\0"
    assert os.path.getsize(rpath) == 1 << 20
    with pmem.map_file(rpath, create=True, size=4096) as r:
        # an existing file is mapped whole: never cut to size
        assert len(r) == 1 << 20
        assert r[0:5] == b"hello" and r[300:305] == b"hello"
        assert r[200:205] == b"later" and r[400:404] == b"xxx\0"
        assert r[(1 << 20) - 1] == 0x7F
    with pytest.raises(ValueError):
        pmem.map_file(rpath, size=4096)      # not its length
    with pytest.raises(FileExistsError):
        pmem.map_file(rpath, 4096, create=True, exclusive=True)
    with pytest.raises(FileNotFoundError):
        pmem.map_file(rpath + ".missing")
    with pytest.raises(ValueError):
        pmem.map_file(rpath + ".new", create=True)


def test_buffer_protocol_in_place(rpath):
    r = pmem.map_file(rpath, 8192, create=True)
    mv = memoryview(r)
    assert not mv.readonly and len(mv) == 8192 and mv.format == "B"
    mv[10:12] = b"hi"
    r.persist(10, 2)
    assert r[10:12] == b"hi"
    with pytest.raises(BufferError):
        r.close()
    assert not r.closed
    mv.release()
    r.close()
    assert r.closed
    with pytest.raises(ValueError):
        r.persist()
    with pytest.raises(ValueError):
        r[0]
    r.close()                               # again: nothing


def test_numpy_fills_in_place(rpath):
    np = pytest.importorskip("numpy")
    with pmem.map_file(rpath, 1 << 20, create=True) as r:
        a = np.frombuffer(r, dtype=np.uint64)
        a[:] = np.arange(len(a), dtype=np.uint64)
        r.persist()
        with pytest.raises(BufferError):
            r.close()
        del a
    with pmem.map_file(rpath) as r:
        b = np.frombuffer(r, dtype=np.uint64)
        assert int(b[12345]) == 12345 and int(b[-1]) == len(b) - 1
        del b


def test_file_like(rpath):
    with pmem.map_file(rpath, 64, create=True) as r:
        assert r.write(b"abc") == 3 and r.tell() == 3
        r.write(b"\0def")
        assert r.seek(0) == 0 and r.read(3) == b"abc"
        assert r.read(4) == b"\0def"
        assert r.seek(-4, io.SEEK_END) == 60
        assert r.read() == bytes(4) and r.read() == b""
        r.seek(2, io.SEEK_SET)
        r.seek(1, io.SEEK_CUR)
        assert r.tell() == 3
        r.seek(62)
        with pytest.raises(IndexError):
            r.write(b"xyz")                 # past the end: nothing written
        assert r.tell() == 62 and r[62:64] == bytes(2)
        with pytest.raises(ValueError):
            r.seek(65)
        with pytest.raises(ValueError):
            r.seek(0, 7)


def test_bad_input_writes_nothing(rpath):
    with pmem.map_file(rpath, 4096, create=True) as r:
        r[0:4] = b"keep"
        for bad in (lambda: r.write_at(4094, b"abc"),
                    lambda: r.write_at(-1, b"a"),
                    lambda: r.persist(4096, 1),
                    lambda: r.persist(-1),
                    lambda: r.read_at(4000, 97),
                    lambda: r.move(0, 4090, 7),
                    lambda: r.fill(4095, 1, 2),
                    lambda: r[4096],
                    lambda: r.__setitem__(-4097, 1)):
            with pytest.raises(IndexError):
                bad()
        with pytest.raises(IndexError):
            r[0:4] = b"toolong"
        with pytest.raises(TypeError):
            r.write_at(0, "text")
        with pytest.raises(TypeError):
            r[0:4] = "text"
        with pytest.raises(ValueError):
            r[0] = 256
        with pytest.raises(ValueError):
            r.fill(0, -1, 1)
        with pytest.raises(ValueError):
            r[0:4:2]
        assert r[0:4] == b"keep"
        assert isinstance(pmemkit.RangeError("x"), IndexError)


def test_msync_path_on_a_disk_file(tmp_path):
    # a file on /var/tmp without PMEM_IS_PMEM_FORCE: persist is an msync
    d = "/var/tmp"
    path = os.path.join(d, "pk-region-%d" % os.getpid())
    code = """
import sys
from pmemkit import pmem
with pmem.map_file(sys.argv[1], 65536, create=True) as r:
    assert not r.is_pmem
    r[5000:5007] = b"on disk"
    r.write_at(100, b"later", flush=False)
    r.persist(100, 5)
"""
    env = dict(os.environ)
    env.pop("PMEM_IS_PMEM_FORCE", None)
    try:
        subprocess.run([sys.executable, "-c", code, path], env=env,
                       check=True)
        with open(path, "rb") as f:
            data = f.read()
        assert data[5000:5007] == b"on disk" and data[100:105] == b"later"
    finally:
        if os.path.exists(path):
            os.unlink(path)
