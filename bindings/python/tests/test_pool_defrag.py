# pool.defrag(): after deleting most of a full pool, a value that did not
# fit fits; handles reach what moved; what it refuses.
import random

import pytest

import pmemkit
from pool_files import MIB, value

def test_defrag_after_deleting_most_lets_a_large_value_fit(path):
    rng = random.Random(7)
    with pmemkit.Pool.create(path, 32 * MIB) as pool:
        root = pool.root
        n = 0
        with pytest.raises(pmemkit.OutOfSpaceError):
            while True:
                root[n] = value(n, 4096)
                n += 1
        gone = set(rng.sample(range(n), n * 9 // 10))
        for i in gone:
            del root[i]
        big = b"B" * (4 * MIB)
        with pytest.raises(pmemkit.OutOfSpaceError):
            root["big"] = big
        rep = pool.defrag()
        assert set(rep) >= {"objects", "moved", "moved_bytes",
                            "freed_bytes"}
        assert rep["objects"] >= n - len(gone)
        assert 0 < rep["moved"] <= rep["objects"]
        assert rep["moved_bytes"] >= rep["moved"]
        assert rep["freed_bytes"] >= 4 * MIB
        root["big"] = big
        kept = [i for i in range(n) if i not in gone]
        assert sorted(k for k in root if k != "big") == kept
        for i in kept:
            assert root[i] == value(i, 4096)
        assert pool.check()["ok"]
    with pmemkit.Pool.open(path) as pool:
        assert pool.root["big"] == big
        assert len(pool.root) == len(kept) + 1


def test_defrag_moves_containers_their_handles_still_reach(pool):
    root = pool.root
    keep = []
    for i in range(300):
        root[i] = {"i": i, "l": list(range(i % 5))}
        if i % 10 == 0:
            keep.append((i, root[i]))
    for i in range(300):
        if i % 10:
            del root[i]
    arr = pool.new_array("q", range(1000))
    root["arr"] = arr
    pool.defrag()
    for i, m in keep:
        assert m.to_python() == {"i": i, "l": list(range(i % 5))}
        m["after"] = i
        assert root[i]["after"] == i
    assert arr.tolist() == list(range(1000))
    assert pool.check()["ok"]


def test_defrag_refuses_inside_a_transaction_and_with_buffers_out(pool):
    pool.root["a"] = pool.new_array("d", 10)
    with pytest.raises(pmemkit.TransactionError):
        with pool.transaction():
            pool.defrag()
    a = pool.root["a"]
    view = memoryview(a)
    with pytest.raises(BufferError):
        pool.defrag()
    view.release()
    del view
    assert pool.defrag()["objects"] >= 2
