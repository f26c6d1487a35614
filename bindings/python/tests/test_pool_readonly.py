# Pools opened read-only: every write idiom raises ReadOnlyError and the
# file's bytes stay as they were; reads and iteration give what is stored.
import os
import subprocess
import sys
import textwrap

import pytest

import pmemkit
from pool_files import MIB, digest, files_of

@pmemkit.register("test_pool_readonly.Point")
class Point(pmemkit.Object):
    x: int
    y: int


def fill_for_reading(pool):
    root = pool.root
    root["m"] = {"a": 1, "b": [1, 2, 3], "c": {"d": b"e"}}
    root["l"] = [1, "two", 3.0, None]
    root["arr"] = pool.new_array("d", [1.5, 2.5, 3.5])
    root["log"] = pool.new_log([b"r1", b"r2"])
    blocks = pool.new_blocks(512, 2)
    blocks[0] = b"block"
    root["blocks"] = blocks
    root["s"] = {1, 2, 3}
    root["fs"] = frozenset({"x"})
    root["p"] = Point(x=1, y=2)
    root[(1, "t")] = "tuple key"
    for i in range(100):
        root[i] = "v%d" % i


def snapshot(pool):
    """What the pool holds, read by iteration and lookups."""
    root = pool.root
    out = {}
    for k, v in root.items():
        if isinstance(v, (pmemkit.Map, pmemkit.List, pmemkit.Array,
                          pmemkit.Log, pmemkit.Set, pmemkit.FrozenSet)):
            v = v.to_python()
        elif isinstance(v, pmemkit.Blocks):
            v = list(v)
        elif isinstance(v, pmemkit.Object):
            v = v._asdict()
        out[k] = v
    assert {k: root[k] for k in root if isinstance(k, int)} == \
        {i: "v%d" % i for i in range(100)}
    return out


def write_idioms(pool):
    """Every kind of write, each a callable."""
    root = pool.root
    m, l, arr, log = root["m"], root["l"], root["arr"], root["log"]
    blocks, s, p = root["blocks"], root["s"], root["p"]

    def in_transaction():
        with pool.transaction():
            root["tx"] = 1

    def modify_array():
        with arr.modify(0, 1) as mv:
            mv[0] = 9.5

    def swap():
        root["l"], root["m"] = root["m"], root["l"]

    def augmented():
        ll = root["l"]
        ll += [5]

    def set_attr():
        p.x = 10

    def del_attr():
        del p.y

    return [
        lambda: root.__setitem__("new", 1),
        lambda: root.__setitem__("a", {"nested": [1]}),
        lambda: root.__setitem__(0, "replaced"),
        lambda: root.__delitem__(0),
        lambda: root.pop(1),
        lambda: root.popitem(),
        lambda: root.update({"u": 1}),
        lambda: root.setdefault("absent", []),
        lambda: m.clear(),
        lambda: m.__setitem__("a", 2),
        lambda: l.append(4),
        lambda: l.extend([4, 5]),
        lambda: l.insert(0, 0),
        lambda: l.pop(),
        lambda: l.__setitem__(0, 7),
        lambda: l.__delitem__(0),
        lambda: l.sort(key=str),
        lambda: l.reverse(),
        lambda: l.clear(),
        augmented,
        swap,
        lambda: arr.__setitem__(0, 7.0),
        lambda: arr.resize(10),
        modify_array,
        lambda: log.append(b"r3"),
        lambda: log.extend([b"r3"]),
        lambda: log.clear(),
        lambda: blocks.__setitem__(1, b"x"),
        lambda: blocks.zero(0),
        lambda: blocks.append(b"x"),
        lambda: s.add(4),
        lambda: s.discard(1),
        lambda: s.update({9}),
        set_attr,
        del_attr,
        lambda: pool.new_map(),
        lambda: pool.new_list([1]),
        lambda: pool.new_array("i", 3),
        lambda: pool.new_log(),
        lambda: pool.new_blocks(512, 1),
        lambda: pool.new_set({1}),
        lambda: pool.new(Point, x=0, y=0),
        in_transaction,
        lambda: pool.gc(),
        lambda: pool.defrag(),
        lambda: pool.sync(),
    ]


@pytest.mark.parametrize("size", [16 * MIB, None], ids=["fixed", "growing"])
def test_a_read_only_pool_refuses_every_write(path, size):
    with pmemkit.Pool.create(path, size) as pool:
        fill_for_reading(pool)
        want = snapshot(pool)
    before = digest(files_of(path))
    with pmemkit.Pool.open(path, readonly=True) as pool:
        assert pool.readonly
        assert snapshot(pool) == want
        failed = []
        for n, write in enumerate(write_idioms(pool)):
            try:
                write()
            except pmemkit.ReadOnlyError as e:
                assert e.code == pmemkit.PK_EREADONLY
                assert isinstance(e, OSError)
                continue
            failed.append(n)
        assert failed == []
        assert pool.tx_depth == 0
        # reads and iteration give what was stored
        assert snapshot(pool) == want
        assert pool.check()["ok"]
        assert pool.stats()["map_count"] > 0
        assert bytes(memoryview(pool.root["arr"])) == \
            bytes(pool.root["arr"].to_python())
    assert digest(files_of(path)) == before
    # a read-write open afterwards finds it as it was, and may write
    with pmemkit.Pool.open(path) as pool:
        assert not pool.readonly
        assert snapshot(pool) == want
        pool.root["new"] = 1


def test_a_file_without_write_permission_opens_read_only(path):
    with pmemkit.Pool.create(path, 16 * MIB) as pool:
        pool.root["k"] = "v"
    os.chmod(path, 0o400)
    before = digest([path])
    try:
        with pytest.raises(PermissionError):
            pmemkit.Pool.open(path)
        with pmemkit.Pool.open(path, readonly=True) as pool:
            assert pool.root["k"] == "v"
            with pytest.raises(pmemkit.ReadOnlyError):
                pool.root["k"] = "w"
    finally:
        os.chmod(path, 0o600)
    assert digest([path]) == before


def test_a_pool_left_unclean_opens_read_only_unchanged(path):
    # a writer that dies without closing the pool, inside a transaction
    subprocess.run([sys.executable, "-c", textwrap.dedent("""
        import os, sys, pmemkit
        pool = pmemkit.Pool.create(sys.argv[1], 16 << 20)
        for i in range(100):
            pool.root[i] = "v%d" % i
        with pool.transaction():
            pool.root["half"] = "never committed"
            os.kill(os.getpid(), 9)
    """), path], timeout=120)
    before = digest(files_of(path))
    with pmemkit.Pool.open(path, readonly=True) as pool:
        assert pool.stats()["unclean"] == 1
        root = pool.root
        assert "half" not in root
        assert dict(root) == {i: "v%d" % i for i in range(100)}
        with pytest.raises(pmemkit.ReadOnlyError):
            root["x"] = 1
    assert digest(files_of(path)) == before
    with pmemkit.Pool.open(path) as pool:     # recovered by this one
        assert pool.stats()["unclean"] == 1
        assert dict(pool.root) == {i: "v%d" % i for i in range(100)}
