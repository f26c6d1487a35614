#!/usr/bin/env python3
"""pk_bench_seed.py -- the seed's modules from Python: a region's persist
of 64 bytes (bench/pk_bench_seed prints the same call from C as
region_persist_64B), a numpy fill of a 256 MiB region beside a fill of
an ordinary numpy array of that size (memory bandwidth), and a log's
append and a block array's write.

Usage: pk_bench_seed.py [-d DIR] [-n OPS]

DIR (default /dev/shm) holds the files, removed at the end; run with
PMEM_IS_PMEM_FORCE=1 there, as `make bench` does. Prints
`name value unit` lines, prefixed py_ under CPython and pypy_ under PyPy.
"""
import argparse
import os
import sys
import time

import pmemkit
from pmemkit import pmem

PREFIX = "pypy" if sys.implementation.name == "pypy" else "py"


def report(name, value, unit):
    print("%s_%s %.1f %s" % (PREFIX, name, value, unit), flush=True)


def bench_region(d, ops):
    path = os.path.join(d, "pk-bench-seed-raw.%d" % os.getpid())
    try:
        with pmem.map_file(path, 64 << 20, create=True) as r:
            persist = r.persist
            for i in range(1000):
                persist((i & 1023) * 64, 64)
            t = time.perf_counter()
            for i in range(ops):
                persist((i & 1023) * 64, 64)
            report("region_persist_64B",
                   (time.perf_counter() - t) / ops * 1e9, "ns")
    finally:
        os.unlink(path)
    try:
        import numpy as np
    except ImportError:
        print("# numpy is not installed for %s: fill skipped"
              % sys.executable)
        return
    size = 256 << 20
    try:
        with pmem.map_file(path, size, create=True) as r:
            a = np.frombuffer(r, dtype=np.uint8)
            a.fill(1)                    # the pages mapped
            t = time.perf_counter()
            a.fill(7)
            report("region_numpy_fill_256MiB",
                   size / (time.perf_counter() - t) / 1e9, "GB/s")
            t = time.perf_counter()
            a.fill(9)
            r.persist()
            report("region_numpy_fill_persist_256MiB",
                   size / (time.perf_counter() - t) / 1e9, "GB/s")
            del a
        b = np.empty(size, dtype=np.uint8)
        b.fill(1)
        t = time.perf_counter()
        b.fill(7)
        report("numpy_fill_256MiB", size / (time.perf_counter() - t) / 1e9,
               "GB/s")
    finally:
        os.unlink(path)


def bench_containers(d, ops):
    path = os.path.join(d, "pk-bench-seed.%d" % os.getpid())
    rec = b"r" * 64
    try:
        with pmemkit.Pool.create(path, size=ops * 200 + (256 << 20)) as p:
            p.prefault()
            log = p.new_log()
            p.root["log"] = log
            append = log.append
            t = time.perf_counter()
            for _ in range(ops):
                append(rec)
            report("log_append_64B",
                   (time.perf_counter() - t) / ops * 1e9, "ns")
            blocks = p.new_blocks(4096, 4096)
            p.root["blocks"] = blocks
            data = b"b" * 4096
            n = ops // 4
            t = time.perf_counter()
            for i in range(n):
                blocks[i & 4095] = data
            report("blocks_write_4096B",
                   (time.perf_counter() - t) / n * 1e9, "ns")
            t = time.perf_counter()
            for i in range(n):
                blocks[i & 4095]
            report("blocks_read_4096B",
                   (time.perf_counter() - t) / n * 1e9, "ns")
    finally:
        os.unlink(path)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-d", default="/dev/shm")
    ap.add_argument("-n", type=int, default=200000)
    a = ap.parse_args()
    print("# the seed's modules from %s: %s, %s" % (
        sys.implementation.name, a.d,
        "PMEM_IS_PMEM_FORCE=1" if os.environ.get("PMEM_IS_PMEM_FORCE")
        else "msync path"))
    bench_region(a.d, a.n)
    bench_containers(a.d, a.n)


if __name__ == "__main__":
    main()
