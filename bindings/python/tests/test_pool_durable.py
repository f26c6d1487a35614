# Process-durable pools on a disk file (not /dev/shm): a SIGKILLed writer
# loses nothing acknowledged; sync().
import os
import random
import shutil
import subprocess
import sys
import tempfile
import textwrap

import pytest

import pmemkit
from killed_writer import run_and_kill
from pool_files import MIB

DISK_DIR = "/var/tmp"

WRITER = """
import os, sys, pmemkit
path, start = sys.argv[1], int(sys.argv[2])
pool = pmemkit.Pool.open(path, process_durable=True)
root = pool.root
out = os.fdopen(sys.stdout.fileno(), "w", buffering=1)
out.write("ready\\n")
i = start
while True:
    if i % 2:
        with pool.transaction():
            root["a"] = i
            root["blob"] = b"x" * (i % 3000)
            root["b"] = i
    else:
        root[i % 500] = {"i": i, "s": "v%d" % i}
    if i % 97 == 0:
        pool.sync()
    out.write("%d\\n" % i)
    i += 1
"""


def disk_env():
    """The environment of a process on a disk file: libpmem's own
    judgement of the medium, not the tests' emulated persistent memory."""
    env = dict(os.environ)
    env.pop("PMEM_IS_PMEM_FORCE", None)
    return env


@pytest.fixture
def disk_path():
    if not os.path.isdir(DISK_DIR):
        pytest.skip("no %s" % DISK_DIR)
    d = tempfile.mkdtemp(prefix="pmemkit-py-", dir=DISK_DIR)
    try:
        yield os.path.join(d, "disk.pool")
    finally:
        shutil.rmtree(d, ignore_errors=True)


def test_process_durable_pool_on_a_disk_file_loses_nothing_acknowledged(
        disk_path):
    kills = int(os.environ.get("PK_CRASH_KILLS", "100")) // 10 or 1
    rng = random.Random(int(os.environ.get("PK_SEED", "0")) or None)
    subprocess.run([sys.executable, "-c", textwrap.dedent("""
        import sys, pmemkit
        with pmemkit.Pool.create(sys.argv[1], 16 << 20,
                                 process_durable=True) as p:
            p.root["a"] = p.root["b"] = -1
            p.sync()
    """), disk_path], check=True, env=disk_env(), timeout=120)
    acked, last_tx, start = {}, -1, 0
    for _ in range(kills):
        lines = run_and_kill([sys.executable, "-c", WRITER, disk_path,
                              str(start)], disk_env(),
                             rng.uniform(0.05, 0.3))
        for line in lines:
            i = int(line)
            start = i + 1
            if i % 2:
                last_tx = i
            else:
                acked[i % 500] = i
        with pmemkit.Pool.open(disk_path) as pool:
            root = pool.root
            assert pool.stats()["unclean"] == 1
            for slot, i in acked.items():
                got = root[slot].to_python()
                assert got["i"] >= i and got["i"] % 500 == slot
                assert got == {"i": got["i"], "s": "v%d" % got["i"]}
            a = root["a"]
            assert a == root["b"] and a >= last_tx
            if a >= 0:
                assert root["blob"] == b"x" * (a % 3000)
            assert pool.check()["ok"]
            start = max(start, a + 1)
    assert acked and last_tx > 0


def test_sync_and_process_durable_open_on_a_disk_file(disk_path):
    with pmemkit.Pool.create(disk_path, 16 * MIB,
                             process_durable=True) as pool:
        pool.root["k"] = "v"
        pool.sync()
    with pmemkit.Pool.open(disk_path) as pool:
        assert pool.root["k"] == "v"
        pool.sync()                 # a no-op on a power-durable pool
        pool.root["k2"] = "v2"
    with pmemkit.Pool.open(disk_path, process_durable=True) as pool:
        assert dict(pool.root) == {"k": "v", "k2": "v2"}
    pool.close()
    with pytest.raises(pmemkit.ClosedError):
        pool.sync()
