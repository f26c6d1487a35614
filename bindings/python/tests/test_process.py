import os
import random
import subprocess
import sys
import textwrap

import pmemkit
from killed_writer import run_and_kill

HERE = os.path.dirname(os.path.abspath(__file__))


def run_py(code, *args):
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)] +
                          list(args), check=True, capture_output=True,
                          text=True, timeout=120).stdout


def test_written_in_one_process_read_in_another(path):
    run_py("""
        import sys, pmemkit
        with pmemkit.Pool.create(sys.argv[1]) as p:
            p.root["m"] = {"a": [1, 2.5, "x", b"y", None, True, 2**100]}
            p.root["arr"] = p.new_array("d", [1.0, 2.0])
    """, path)
    with pmemkit.Pool.open(path) as p:
        assert p.root["m"].to_python() == {"a": [1, 2.5, "x", b"y", None,
                                                 True, 2**100]}
        assert p.root["arr"].tolist() == [1.0, 2.0]
        p.root["back"] = "from parent"
    out = run_py("""
        import sys, pmemkit
        with pmemkit.Pool.open(sys.argv[1]) as p:
            print(p.root["back"], p.stats()["unclean"])
    """, path)
    assert out.split() == ["from", "parent", "0"]


def test_killed_writer_keeps_every_acknowledged_write(path):
    kills = int(os.environ.get("PK_CRASH_KILLS", "100"))
    rng = random.Random(int(os.environ.get("PK_SEED", "0")) or None)
    with pmemkit.Pool.create(path) as p:
        p.root["log"] = []
    acked_put, acked_tx, acked_log = {}, 0, []
    start = 0
    env = dict(os.environ)
    done = 0
    while done < kills:
        lines = run_and_kill(
            [sys.executable, os.path.join(HERE, "crash_writer.py"), path,
             str(start)], env, rng.uniform(0.0, 0.15))
        last = start - 1
        for line in lines:
            kind, i = line.split()
            i = int(i)
            last = i
            if kind == "put":
                acked_put[i % 600] = i
            elif kind == "append":
                acked_log.append(i)
            else:
                acked_tx = i
        start = last + 1
        done += 1
        with pmemkit.Pool.open(path) as p:
            root = p.root
            assert p.stats()["unclean"] == 1
            for slot, i in acked_put.items():
                v = root[slot].to_python()
                j = v["i"]  # the acknowledged write or a later one
                assert j >= i and j % 600 == slot
                assert v == {"i": j, "l": list(range(j % 7)), "s": "v%d" % j}
            log = root["log"].to_python()
            # every acknowledged append, in order; at most one more
            assert log[:len(acked_log)] == acked_log
            assert len(log) <= len(acked_log) + 1
            if acked_tx:
                a, b = root["pair_a"], root["pair_b"]
                assert a == b and a >= acked_tx
                assert root["t"] == b"x" * (a % 300)
            assert p.check()["ok"]
            # the next writer continues after what the pool holds
            if len(log) > len(acked_log):
                start = max(start, log[-1] + 1)
                acked_log = log
            start = max(start, root.get("pair_a", 0) + 1)
    assert len(acked_put) + len(acked_log) > 0
    assert done == kills
