#!/usr/bin/env python3
"""pk_bench.py -- the pmemkit Python module beside py-lmdb.

Usage: pk_bench.py [-n ENTRIES] [-d DIR]

ENTRIES (default 1,000,000) 16-byte str keys with 32-byte bytes values, in
random order, on DIR (default /dev/shm; run with PMEM_IS_PMEM_FORCE=1):
root[k] = v each in its own transaction, root[k], len(root), iteration,
then ENTRIES puts inside one `with pool.transaction()`; py-lmdb put +
commit per entry and get, on the same medium. Prints `name value unit`
lines, then ratios.
"""
import argparse
import os
import random
import shutil
import sys
import tempfile
import time

import pmemkit


def report(name, value, unit):
    print("%s %s %s" % (name, ("%.3g" if unit == "x" else "%.1f") % value,
                        unit), flush=True)


def timed(fn, n):
    t = time.perf_counter()
    fn()
    return (time.perf_counter() - t) * 1e9 / n


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-n", type=int, default=1000000)
    ap.add_argument("-d", default="/dev/shm")
    a = ap.parse_args()
    n = a.n
    rng = random.Random(1)
    keys = ["%016x" % rng.getrandbits(64) for _ in range(n)]
    val = bytes(range(32))
    order = keys[:]
    rng.shuffle(order)
    d = tempfile.mkdtemp(prefix="pk-pybench-", dir=a.d)
    print("# python: %s %s; medium: %s, PMEM_IS_PMEM_FORCE=%s; %d entries, "
          "16-byte keys, 32-byte values" % (
              sys.implementation.name, sys.version.split()[0], a.d,
              os.environ.get("PMEM_IS_PMEM_FORCE", "unset"), n), flush=True)
    res = {}
    try:
        size = max(256 << 20, n * 600)
        with pmemkit.Pool.create(os.path.join(d, "pk.pool"), size=size) as p:
            root = p.root

            def puts():
                for k in keys:
                    root[k] = val

            def gets():
                for k in order:
                    root[k]

            def lens():
                for _ in range(n):
                    len(root)

            def iterate():
                for _ in root:
                    pass

            res["put_tx"] = timed(puts, n)
            report("py_pmemkit_put_tx", res["put_tx"], "ns/op")
            res["get"] = timed(gets, n)
            report("py_pmemkit_get", res["get"], "ns/op")
            report("py_pmemkit_len", timed(lens, n), "ns/op")
            report("py_pmemkit_iter", timed(iterate, n), "ns/op")
            m = p.new_map()
            root["batch"] = m

            def batch():
                with p.transaction():
                    for k in keys:
                        m[k] = val
            report("py_pmemkit_put_one_tx", timed(batch, n), "ns/op")
        try:
            import lmdb
        except ImportError:
            print("# py-lmdb not installed (python3-lmdb): no comparison")
            return
        env = lmdb.open(os.path.join(d, "lmdb"), map_size=max(1 << 30,
                        n * 400), sync=True, metasync=True)
        bkeys = [k.encode() for k in keys]
        border = [k.encode() for k in order]

        def lputs():
            for k in bkeys:
                with env.begin(write=True) as txn:
                    txn.put(k, val)

        def lgets():
            with env.begin() as txn:
                for k in border:
                    txn.get(k)
        res["lmdb_put_tx"] = timed(lputs, n)
        report("py_lmdb_put_tx", res["lmdb_put_tx"], "ns/op")
        res["lmdb_get"] = timed(lgets, n)
        report("py_lmdb_get", res["lmdb_get"], "ns/op")
        env.close()
        report("py_ratio_put_tx_pmemkit_to_lmdb",
               res["put_tx"] / res["lmdb_put_tx"], "x")
        report("py_ratio_get_pmemkit_to_lmdb", res["get"] / res["lmdb_get"],
               "x")
    finally:
        shutil.rmtree(d, ignore_errors=True)


if __name__ == "__main__":
    main()
