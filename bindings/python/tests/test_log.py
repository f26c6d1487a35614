import pytest

import pmemkit


@pytest.fixture
def log(pool):
    pool.root["log"] = pool.new_log()
    return pool.root["log"]


def records(n):
    return [b"%d:" % i + bytes([i % 256]) * (i % 300) for i in range(n)]


def test_append_iterate_len(log):
    assert len(log) == 0 and list(log) == [] and log.nbytes == 0
    recs = records(3000)  # several chunks
    for r in recs:
        log.append(r)
    log.append(b"")
    log.append(bytearray(b"\0a\0"))
    log.append(memoryview(b"view"))
    recs += [b"", b"\0a\0", b"view"]
    assert len(log) == len(recs)
    assert log.nbytes == sum(map(len, recs))
    assert list(log) == recs
    assert all(type(r) is bytes for r in log)
    assert log.to_python() == recs


def test_extend_is_atomic(log):
    log.extend([b"a", b"b"])
    with pytest.raises(TypeError):
        log.extend([b"c", "not bytes", b"d"])
    with pytest.raises(TypeError):
        log.append(5)
    with pytest.raises(TypeError):
        log.append("text")
    assert list(log) == [b"a", b"b"]
    log.extend(iter([b"c"] * 100))
    assert len(log) == 102


def test_positions_and_reopen(path):
    with pmemkit.Pool.create(path, size=32 << 20) as p:
        p.root["log"] = p.new_log(records(10))
        log = p.root["log"]
        pos = [q for q, _ in log.records()]
        mark = log.tell()
        assert pos[0] == 0 and mark > pos[-1]
        assert list(log.records(pos[4])) == list(zip(pos, records(10)))[4:]
        assert list(log.records(mark)) == []
        with pytest.raises(IndexError):
            list(log.records(pos[1] + 1))
        with pytest.raises(pmemkit.RangeError):
            list(log.records(mark + 100))
    with pmemkit.Pool.open(path) as p:
        log = p.root["log"]
        assert log.tell() == mark
        log.append(b"after")
        assert [r for _, r in log.records(mark)] == [b"after"]
        assert list(log)[:10] == records(10)


def test_iteration_follows_the_tail(log):
    log.append(b"1")
    it = iter(log)
    assert next(it) == b"1"
    log.append(b"2")
    assert next(it) == b"2"
    with pytest.raises(StopIteration):
        next(it)


def test_clear(log):
    log.extend(records(100))
    it = iter(log)
    next(it)
    log.clear()
    with pytest.raises(pmemkit.ChangedError):
        next(it)
    assert len(log) == 0 and log.tell() == 0 and list(log) == []
    log.append(b"x")
    assert list(log) == [b"x"]


def test_transactions(pool, log):
    log.append(b"kept")
    with pytest.raises(RuntimeError):
        with pool.transaction():
            log.extend(records(2000))
            raise RuntimeError
    assert list(log) == [b"kept"]
    with pool.transaction():
        log.append(b"a")
        log.append(b"b")
    assert list(log) == [b"kept", b"a", b"b"]


def test_nested_and_plain_copies(pool):
    pool.root["m"] = {"events": pool.new_log([b"e1", b"e2"])}
    m = pool.root["m"]
    assert isinstance(m["events"], pmemkit.Log)
    assert m.to_python() == {"events": [b"e1", b"e2"]}
    pool.root["l"] = [m["events"]]
    assert pool.root["l"][0] == m["events"]
    # shared: one log, two references
    pool.root["l"][0].append(b"e3")
    assert list(m["events"]) == [b"e1", b"e2", b"e3"]
    del pool.root["m"]
    assert list(pool.root["l"][0]) == [b"e1", b"e2", b"e3"]
    assert pool.check()["ok"]
    assert "Log" in pmemkit.__all__
    assert repr(pool.root["l"][0]) == "pmemkit.Log([b'e1', b'e2', b'e3'])"


def test_a_root_holding_a_log_iterates(pool):
    pool.root["log"] = pool.new_log([b"x"])
    pool.root["n"] = 1
    assert sorted(pool.root.keys()) == ["log", "n"]
    assert dict(pool.root.items())["n"] == 1
