# Growing pools (Pool.create without a size), their maximum, pools of a
# fixed size, what stats() gives for each, and the bad input of creating
# and opening them: refused loudly, no file changed.
import os
import shutil

import pytest

import pmemkit
from pool_files import MIB, digest, files_of, value

def test_a_pool_without_a_size_grows_to_ten_times_its_first_size(path):
    with pmemkit.Pool.create(path) as pool:
        first = pool.stats()["size"]
        assert pmemkit.MIN_POOL_SIZE <= first < 64 * MIB
        root = pool.root
        n = 0
        while n % 64 or pool.stats()["used"] < 10 * first:
            root[n] = value(n, 64 * 1024)
            n += 1
        grown = pool.stats()
        assert grown["size"] >= grown["used"] >= 10 * first
    with pmemkit.Pool.open(path) as pool:
        root = pool.root
        assert len(root) == n
        for i in range(n):
            assert root[i] == value(i, 64 * 1024)
        assert pool.stats()["size"] >= 10 * first
        assert pool.check()["ok"]
        root[n] = b"more after reopening"
    assert os.path.isfile(path) and os.path.isdir(path + ".parts")


def test_a_growing_pool_stops_at_its_maximum_and_stays_usable(path):
    limit = 32 * MIB
    with pmemkit.Pool.create(path, max_size=limit) as pool:
        root = pool.root
        n = 0
        with pytest.raises(pmemkit.OutOfSpaceError):
            while True:
                root[n] = value(n, 16 * 1024)
                n += 1
        assert n > 0
        assert pool.stats()["size"] <= limit
        assert n not in root        # the refused put stored nothing
        for i in range(n):
            assert root[i] == value(i, 16 * 1024)
        # still usable: freeing space lets puts in again
        for i in range(0, n, 2):
            del root[i]
        root["after"] = value(-1, 16 * 1024)
        assert pool.check()["ok"]
    with pmemkit.Pool.open(path) as pool:
        root = pool.root
        assert root["after"] == value(-1, 16 * 1024)
        assert sorted(k for k in root if k != "after") == \
            list(range(1, n, 2))
        assert pool.stats()["size"] <= limit


def test_a_size_and_a_maximum_start_there_and_grow(path):
    with pmemkit.Pool.create(path, 16 * MIB, max_size=64 * MIB) as pool:
        assert pool.stats()["size"] >= 16 * MIB
        root = pool.root
        for i in range(40 * 16):
            root[i] = value(i, 64 * 1024)
        assert 40 * MIB <= pool.stats()["size"] <= 64 * MIB


def test_a_pool_with_a_size_alone_keeps_it(path):
    with pmemkit.Pool.create(path, 16 * MIB) as pool:
        root = pool.root
        with pytest.raises(pmemkit.OutOfSpaceError):
            for i in range(10 ** 6):
                root[i] = value(i, 64 * 1024)
        assert pool.stats()["size"] <= 16 * MIB
    assert os.path.getsize(path) == 16 * MIB
    assert not os.path.exists(path + ".parts")


def test_bad_sizes_are_refused_and_create_nothing(tmp_path):
    path = str(tmp_path / "p")
    small = pmemkit.MIN_POOL_SIZE - 1
    for kwargs in ({"size": small}, {"size": 0}, {"size": -1},
                   {"max_size": small}, {"max_size": -1},
                   {"size": 32 * MIB, "max_size": 16 * MIB},
                   {"replica": ""}):
        with pytest.raises(ValueError):
            pmemkit.Pool.create(path, **kwargs)
        assert os.listdir(str(tmp_path)) == [], kwargs
    with pytest.raises(TypeError):
        pmemkit.Pool.create(path, 16 * MIB, 0o600)     # mode: keyword only
    with pytest.raises(TypeError):
        pmemkit.Pool.open(path, True)                   # readonly too
    assert os.listdir(str(tmp_path)) == []


@pytest.mark.parametrize("kind", ["fixed", "growing"])
def test_an_existing_path_is_refused_and_left_alone(tmp_path, kind):
    path = str(tmp_path / "p")
    with open(path, "wb") as f:
        f.write(b"someone else's file")
    size = 16 * MIB if kind == "fixed" else None
    with pytest.raises(FileExistsError):
        pmemkit.Pool.create(path, size)
    with open(path, "rb") as f:
        assert f.read() == b"someone else's file"
    assert os.listdir(str(tmp_path)) == ["p"]


def test_a_parts_directory_holding_other_files_is_refused(tmp_path):
    path = str(tmp_path / "p")
    os.mkdir(path + ".parts")
    with open(os.path.join(path + ".parts", "mine"), "wb") as f:
        f.write(b"keep me")
    with pytest.raises(OSError):
        pmemkit.Pool.create(path)
    assert not os.path.exists(path)
    assert os.listdir(path + ".parts") == ["mine"]
    with open(os.path.join(path + ".parts", "mine"), "rb") as f:
        assert f.read() == b"keep me"


@pytest.mark.parametrize("which", ["first", "middle", "last", "all"])
def test_a_growing_pool_with_missing_parts_is_refused(path, which):
    with pmemkit.Pool.create(path) as pool:
        for i in range(200):
            pool.root[i] = value(i, 64 * 1024)
    parts = sorted(os.listdir(path + ".parts"))
    assert len(parts) >= 3
    if which == "all":
        shutil.rmtree(path + ".parts")
    else:
        gone = {"first": 0, "middle": 1, "last": -1}[which]
        os.rename(os.path.join(path + ".parts", parts[gone]),
                  path + ".away")
    before = digest(files_of(path))
    with pytest.raises((pmemkit.PoolError, FileNotFoundError)):
        pmemkit.Pool.open(path)
    # refused before libpmemobj maps anything: every file as it was
    assert digest(files_of(path)) == before


def test_stats_of_every_kind_of_pool(tmp_path):
    fixed = str(tmp_path / "fixed")
    growing = str(tmp_path / "growing")
    with pmemkit.Pool.create(fixed, 16 * MIB) as pool:
        s = pool.stats()
        assert s["size"] == s["max_size"] == 16 * MIB
        assert s["used"] <= s["size"] and s["objects"] >= 1
        assert 0 < s["free"] <= s["max_size"] - s["used"]
    with pmemkit.Pool.create(growing, max_size=256 * MIB) as pool:
        s = pool.stats()
        assert pmemkit.MIN_POOL_SIZE <= s["size"] < 256 * MIB
        assert s["max_size"] == 256 * MIB
        assert 0 < s["free"] <= s["max_size"] - s["used"]
        # the C struct's fields, not its version or reserved ones
        assert "version" not in s and "reserved_" not in s
        assert all(isinstance(v, int) for v in s.values())
        pool.root["big"] = b"x" * (64 * MIB)
        t = pool.stats()
        assert t["size"] > 64 * MIB and t["used"] > s["used"] + 64 * MIB
        assert t["free"] < s["free"]


def test_the_option_keywords_are_the_pool_option_table():
    import inspect
    from pmemkit import _tables
    table = set(_tables._POOL_FLAGS)
    opens = {p.name for p in inspect.signature(pmemkit.Pool.open).parameters.values()
             if p.kind is p.KEYWORD_ONLY}
    creates = {p.name for p in inspect.signature(pmemkit.Pool.create).parameters.values()
               if p.kind is p.KEYWORD_ONLY}
    assert opens == table
    assert table - {"readonly"} <= creates
    assert "readonly" not in creates
    assert pmemkit._pmemkit.PK_POOL_MAX_DEFAULT == 32 << 30
