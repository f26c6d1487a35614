import threading

import pytest

import pmemkit


def test_commit(pool):
    with pool.transaction():
        pool.root["a"] = 1
        pool.root["b"] = [1, 2]
        assert pool.tx_depth == 1
    assert pool.tx_depth == 0
    assert pool.root["a"] == 1 and pool.root["b"] == [1, 2]


def test_rollback(pool):
    pool.root["a"] = 0
    with pytest.raises(ValueError):
        with pool.transaction():
            pool.root["a"] = 1
            pool.root["b"] = {"x": [1]}
            del pool.root["a"]
            raise ValueError("boom")
    assert pool.root == {"a": 0}
    assert pool.tx_depth == 0
    assert pool.check()["ok"]


def test_nesting_flattens(pool):
    with pytest.raises(KeyError):
        with pool.transaction():
            pool.root["a"] = 1
            with pool.transaction():
                pool.root["b"] = 2
                assert pool.tx_depth == 2
            raise KeyError("x")
    assert len(pool.root) == 0
    # an inner failure caught inside aborts the whole transaction
    with pytest.raises(pmemkit.TransactionError):
        with pool.transaction():
            pool.root["a"] = 1
            try:
                with pool.transaction():
                    pool.root["b"] = 2
                    raise RuntimeError
            except RuntimeError:
                pass
    assert len(pool.root) == 0 and pool.tx_depth == 0


def test_close_inside_transaction(path):
    p = pmemkit.Pool.create(path)
    with pytest.raises(pmemkit.TransactionError):
        with p.transaction():
            p.root["a"] = 1
            p.close()  # aborts the transaction, closes all the same
    assert p.closed
    with pmemkit.Pool.open(path) as p:
        assert "a" not in p.root


def test_million_puts_in_one_transaction_smaller(pool):
    r = pool.root
    with pool.transaction():
        for i in range(50000):
            r[i] = i
    assert len(r) == 50000


def test_gil_released_during_gc(pool):
    for i in range(200):
        pool.root[i] = {"x": [i]}
        pool.new_map()
    ticks = []
    stop = threading.Event()

    def tick():
        while not stop.is_set():
            ticks.append(1)
    t = threading.Thread(target=tick)
    t.start()
    try:
        for _ in range(5):
            pool.gc()
            pool.check()
    finally:
        stop.set()
        t.join()
    assert pool.check()["ok"]
