# Pools with a replica and Pool.repair(): damaging or removing one copy
# loses nothing acknowledged; what repair and open refuse.
import errno
import os
import shutil

import pytest

import pmemkit
from pool_files import MIB, digest, files_of, value

def replicated(tmp_path, size):
    path = str(tmp_path / "p")
    rep = str(tmp_path / "replica")
    with pmemkit.Pool.create(path, size, replica=rep) as pool:
        root = pool.root
        for i in range(500):
            root[i] = value(i, 1024)
        root["l"] = list(range(100))
    return path, rep


def check_replicated(path):
    with pmemkit.Pool.open(path) as pool:
        root = pool.root
        for i in range(500):
            assert root[i] == value(i, 1024)
        assert root["l"].to_python() == list(range(100))
        assert pool.check()["ok"]


def data_files(path, rep):
    """The files holding a replicated pool's data: its own, the
    replica's."""
    own = files_of(path)[1:]
    other = [rep] if os.path.isfile(rep) else \
        [os.path.join(rep, f) for f in sorted(os.listdir(rep))]
    assert own and other
    return own, other


@pytest.mark.parametrize("size", [16 * MIB, None], ids=["fixed", "growing"])
@pytest.mark.parametrize("which", ["primary", "replica"])
@pytest.mark.parametrize("damage", ["removed", "header"])
def test_repair_rebuilds_a_damaged_copy(tmp_path, size, which, damage):
    path, rep = replicated(tmp_path, size)
    check_replicated(path)
    own, other = data_files(path, rep)
    victim = (own if which == "primary" else other)[0]
    if damage == "removed":
        os.unlink(victim)
    else:
        with open(victim, "r+b") as f:
            f.write(b"\xff" * 4096)
    pmemkit.Pool.repair(path)
    check_replicated(path)
    assert os.path.exists(victim)
    # and the repaired copy alone holds everything
    os.unlink((other if which == "primary" else own)[0])
    pmemkit.Pool.repair(path)
    check_replicated(path)


def test_repair_refuses_what_it_cannot_repair(tmp_path):
    path = str(tmp_path / "plain")
    with pmemkit.Pool.create(path, 16 * MIB) as pool:
        pool.root["k"] = 1
    before = digest([path])
    with pytest.raises((pmemkit.PoolError, OSError)):
        pmemkit.Pool.repair(path)           # no replica
    assert digest([path]) == before
    with pytest.raises(FileNotFoundError):
        pmemkit.Pool.repair(str(tmp_path / "missing"))
    rpath, rep = replicated(tmp_path, 16 * MIB)
    with pmemkit.Pool.open(rpath):
        with pytest.raises(OSError) as e:
            pmemkit.Pool.repair(rpath)      # open
        assert e.value.errno == errno.EAGAIN
    check_replicated(rpath)


def test_a_replica_of_another_pool_is_refused(tmp_path):
    path, rep = replicated(tmp_path, 16 * MIB)
    other = str(tmp_path / "other")
    with pmemkit.Pool.create(other, 16 * MIB) as pool:
        pool.root["other"] = 1
    for name in ([rep] if os.path.isfile(rep) else []):
        os.unlink(name)
        shutil.copyfile(other, name)
        before = digest(files_of(path) + [name])
        with pytest.raises((pmemkit.Error, OSError)):
            pmemkit.Pool.open(path)
        assert digest(files_of(path) + [name]) == before


def test_process_durable_is_refused_for_a_replicated_pool(tmp_path):
    path, rep = replicated(tmp_path, 16 * MIB)
    with pytest.raises(OSError) as e:
        pmemkit.Pool.open(path, process_durable=True)
    assert e.value.errno == errno.ENOTSUP
    other = str(tmp_path / "q")
    with pytest.raises(OSError) as e:
        pmemkit.Pool.create(other, 16 * MIB, replica=str(tmp_path / "r"),
                            process_durable=True)
    assert e.value.errno == errno.ENOTSUP
    assert not os.path.exists(other)
    check_replicated(path)
