"""Space accounting: Pool.stats() per kind, Pool.sizeof() of a container
alone and with what it refers to."""
import pytest

import pmemkit


@pmemkit.register("test_space.Node")
class Node(pmemkit.Object):
    pass


def test_stats_per_kind(pool):
    root = pool.root
    root["m"] = {i: b"x" * (5000 if i % 10 == 0 else 1) for i in range(200)}
    root["l"] = list(range(50))
    root["s"] = {1, 2}
    st = pool.stats()
    assert st["map_count"] == 2 and st["list_count"] == 1
    assert st["set_count"] == 1 and st["record_count"] == 0
    assert st["map_bytes"] > 20 * 5000
    kinds = ("map", "list", "array", "log", "blocks", "set", "record")
    # every object the pool holds is some container's
    assert sum(st[k + "_bytes"] for k in kinds) == st["used"]


def test_sizeof_shallow_and_deep(pool):
    root = pool.root
    root["m"] = {"blob": b"y" * 100000, "inner": [b"z" * 50000]}
    m, inner = root["m"], root["m"]["inner"]
    assert pool.sizeof(m) >= 100000
    assert pool.sizeof(inner) >= 50000
    assert pool.sizeof(m, deep=True) == pool.sizeof(m) + pool.sizeof(inner)
    # a cycle counts each container once
    inner.append(m)
    assert pool.sizeof(m, deep=True) == pool.sizeof(m) + pool.sizeof(inner)
    assert pool.sizeof(root, deep=True) == pool.stats()["used"]


def test_sizeof_records_and_refusals(pool):
    n = Node()
    n.data = b"q" * 20000
    with pytest.raises(TypeError):
        pool.sizeof(n)          # not stored: it holds nothing in the pool
    pool.root["n"] = n
    assert pool.sizeof(n, deep=True) >= 20000
    for bad in (1, "x", {}, []):
        with pytest.raises(TypeError):
            pool.sizeof(bad)
