#!/usr/bin/env python3
"""pk_bench.py -- the pmemkit Python module beside py-lmdb, sqlite3,
dbm.gnu and a dict.

Usage: pk_bench.py [-n ENTRIES] [-d DIR] [--disk] [--scale] [--sizes LIST]
                   [--max N] [--no-prefault] [--csv FILE] [--baseline FILE]

Every store gets the same ENTRIES (default 1,000,000) random 16-byte bytes
keys with a 32-byte bytes value, put in random order, then read back in
another random order (get, len and iteration are timed on their second
pass over the same store, after an untimed one):
  pmemkit  root[k] = v, each its own transaction (put_tx); 1000 per
           `with pool.transaction()` (put_batch); all ENTRIES in one
           (put_one_tx); root[k]; len(root); iteration
  pmemkit_sorted
           the same on a SortedMap stored in the root; iteration of
           items() in key order
  lmdb     py-lmdb put + commit per entry (sync=True), 1000 per write
           transaction, get in one read transaction, iteration of a
           cursor's (key, value) pairs
  sqlite   sqlite3, WAL, synchronous=FULL, table (k BLOB PRIMARY KEY, v
           BLOB) WITHOUT ROWID: an INSERT per committed transaction, 1000
           per transaction, SELECT v WHERE k = ?
  gdbm     dbm.gnu: stores opened with 's' (GDBM_SYNC: gdbm fsyncs the
           file after every store; gdbm has no transactions, so it is
           durable but not crash-atomic) and with 'f' (no sync until
           close); db[k]
  dict     d[k] = v; d[k] (volatile: the floor)
Stores whose module is missing (pypy3 has no lmdb) are skipped.

pmemkit's pools are prefaulted (Pool.prefault()) before they are timed,
as in the C program; --no-prefault leaves the page faults to the puts.

--scale instead sweeps table sizes (default 10K,100K,1M,10M) for pmemkit,
its sorted map and lmdb: a fresh store per size, put_tx over all keys, then get.

The medium: DIR (default /dev/shm) with PMEM_IS_PMEM_FORCE=1; --disk
unsets it (libpmemobj msyncs every snapshot and commit) and uses
/var/tmp, with 1000 entries and the sizes 1K,10K unless given. Prints "medium DIR MODE",
one `name value unit` line per figure (prefix py_ under CPython, pypy_
under PyPy), then ratios. --csv appends rows to FILE (bench/chart.gp);
--baseline FILE (this script's output under CPython) adds the ratios
pypy_X / py_X per operation.
"""
import argparse
import importlib
import os
import random
import shutil
import sys
import tempfile
import time

KEY_LEN, VAL_LEN = 16, 32
BYTES_PER_ENTRY, POOL_BASE = 256, 64 << 20   # as bench/bench.h
DISK_ENTRIES, DISK_SIZES = 1000, [1000, 10000]  # as bench/pk_bench.c
CHUNK = 64000        # keys per progress check; a multiple of the batches
WARMUP = 3000        # keys of a store's unreported first run
# Operations that change nothing, so each is run once untimed before it is
# timed, on the same store: PyPy's JIT specializes its traces to the objects
# a loop meets, and the bridges it compiles for a new store's get cost a
# few milliseconds, which is most of the time of 10K gets.
READ_OPS = ("get", "len", "iter")
PREFIX = "pypy" if sys.implementation.name == "pypy" else "py"


# -- the report --------------------------------------------------------------

class Report:
    """`name value unit` lines on stdout, rows in an optional CSV file."""

    def __init__(self, medium, csv, sized):
        self.medium, self.sized, self.figures = medium, sized, {}
        self.csv = None
        if csv:
            new = not os.path.exists(csv) or os.path.getsize(csv) == 0
            self.csv = open(csv, "a")
            if new:
                self.csv.write("medium,system,op,entries,value,unit\n")
        print("medium %s" % medium, flush=True)

    def figure(self, store, op, entries, value, unit="ns/op"):
        name = "%s_%s_%s" % (PREFIX, store, op)
        if self.sized:
            name += "_" + size_name(entries)
        self.figures[name] = value
        print("%s %.1f %s" % (name, value, unit), flush=True)
        if self.csv:
            self.csv.write("%s,%s%s,%s,%d,%.1f,%s\n" % (
                self.medium, PREFIX + "-", store, op, entries, value, unit))

    def ratio(self, name, a, b):
        if a and b:
            print("%s %.2f x" % (name, a / b), flush=True)
            if self.csv:
                self.csv.write("%s,ratio,%s,0,%.2f,x\n" % (
                    self.medium, name, a / b))

    def close(self):
        if self.csv:
            self.csv.close()


def size_name(n):
    if n >= 1000000 and n % 1000000 == 0:
        return "%dM" % (n // 1000000)
    if n >= 1000 and n % 1000 == 0:
        return "%dK" % (n // 1000)
    return str(n)


def medium_mode(d, force):
    """pmem-forced, or the msync path on tmpfs or on a disk: d's mount."""
    if force:
        return "pmem-forced"
    path, fstype = os.path.realpath(d), "?"
    best = -1
    with open("/proc/mounts") as f:
        for line in f:
            w = line.split()
            mnt = w[1]
            if (path == mnt or path.startswith(mnt.rstrip("/") + "/")) \
                    and len(mnt) > best:
                best, fstype = len(mnt), w[2]
    return "tmpfs-msync" if fstype == "tmpfs" else "disk-msync"


def parse_size(s):
    mult = {"k": 1000, "m": 1000000}.get(s[-1:].lower(), 1)
    return int(s[:-1] if mult > 1 else s) * mult


class Progress:
    """`phase  42%` on stderr when it is a terminal, at most four updates
    a second, erased at the end. The timed loops run over chunks() so
    that the check costs nothing per operation."""

    def __init__(self, phase, total):
        self.phase, self.total = phase, max(total, 1)
        self.on = sys.stderr.isatty()
        self.next = 0.0

    def update(self, done):
        now = time.monotonic()
        if self.on and now >= self.next:
            self.next = now + 0.25
            sys.stderr.write("\r%s %3d%%\033[K" % (
                self.phase, 100 * done // self.total))
            sys.stderr.flush()

    def chunks(self, seq):
        for a in range(0, len(seq), CHUNK):
            self.update(a)
            yield seq[a:a + CHUNK]

    def end(self):
        if self.on:
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()


def measure(phase, n, body):
    """ns per operation of body(progress), which runs n operations."""
    prog = Progress(phase, n)
    t = time.perf_counter()
    body(prog)
    t = time.perf_counter() - t
    prog.end()
    return t * 1e9 / n


# -- the stores --------------------------------------------------------------
# Each is a class built on a fresh directory for n entries; ops() yields
# (op, body) pairs in the order to run them: put bodies over `keys`, get
# bodies over `order`. durable_put names its put that is durable on its own;
# requires, the modules it needs (when one fails to load it is skipped).

class PmemkitStore:
    name, durable_put = "pmemkit", "put_tx"
    requires = ("pmemkit",)

    prefault = True     # main() clears it for --no-prefault

    def __init__(self, d, n):
        import pmemkit
        self.pmemkit, self.d, self.n = pmemkit, d, n
        self.pools = []

    def pool(self, name, per_entry=BYTES_PER_ENTRY):
        p = self.pmemkit.Pool.create(os.path.join(self.d, name),
                                     size=self.n * per_entry + POOL_BASE)
        self.pools.append(p)
        if self.prefault:
            p.prefault()
        return p

    def mapping(self, name, per_entry=BYTES_PER_ENTRY):
        """A new pool and the mapping the ops work on: its root."""
        p = self.pool(name, per_entry)
        return p, p.root

    @staticmethod
    def walk(m):
        """What the iter op goes through: the keys."""
        return iter(m)

    def ops(self, keys, order, val, scale):
        _, root = self.mapping("pk.pool")

        def put_tx(prog):
            for ks in prog.chunks(keys):
                for k in ks:
                    root[k] = val

        def get(prog):
            for ks in prog.chunks(order):
                for k in ks:
                    root[k]
        yield "put_tx", put_tx
        yield "get", get
        if scale:
            return

        def length(prog):
            for _ in range(len(keys)):
                len(root)

        def iterate(prog):
            for _ in self.walk(root):
                pass
        yield "len", length
        yield "iter", iterate
        bp, bm = self.mapping("batch.pool")

        def put_batch(prog):
            for ks in prog.chunks(keys):
                for a in range(0, len(ks), 1000):
                    with bp.transaction():
                        for k in ks[a:a + 1000]:
                            bm[k] = val
        yield "put_batch", put_batch
        # one transaction's undo log holds every put: room for it
        op, om = self.mapping("one.pool", 2 * BYTES_PER_ENTRY)

        def put_one_tx(prog):
            with op.transaction():
                for ks in prog.chunks(keys):
                    for k in ks:
                        om[k] = val
        yield "put_one_tx", put_one_tx

    def close(self):
        for p in self.pools:
            p.close()


class PmemkitSortedStore(PmemkitStore):
    """The same ops on a SortedMap stored in the root; iteration of its
    (key, value) pairs in key order, as an lmdb cursor gives."""
    name = "pmemkit_sorted"

    def mapping(self, name, per_entry=BYTES_PER_ENTRY):
        p = self.pool(name, per_entry)
        p.root["s"] = p.new_sorted_map()
        return p, p.root["s"]

    @staticmethod
    def walk(m):
        return iter(m.items())


class LmdbStore:
    name, durable_put = "lmdb", "put_tx"
    requires = ("lmdb",)

    def __init__(self, d, n):
        import lmdb

        def env(name):
            return lmdb.open(os.path.join(d, name), sync=True, metasync=True,
                             map_size=2 * (n * BYTES_PER_ENTRY + POOL_BASE))
        self.env, self.env2 = env("lmdb"), env("lmdb-batch")

    def ops(self, keys, order, val, scale):
        env = self.env

        def put_tx(prog):
            for ks in prog.chunks(keys):
                for k in ks:
                    with env.begin(write=True) as txn:
                        txn.put(k, val)

        def get(prog):
            with env.begin() as txn:
                for ks in prog.chunks(order):
                    for k in ks:
                        txn.get(k)
        yield "put_tx", put_tx
        yield "get", get
        if scale:
            return

        def iterate(prog):
            with env.begin() as txn:
                for _ in txn.cursor():   # (key, value) pairs in key order
                    pass
        yield "iter", iterate
        env2 = self.env2

        def put_batch(prog):
            for ks in prog.chunks(keys):
                for a in range(0, len(ks), 1000):
                    with env2.begin(write=True) as txn:
                        for k in ks[a:a + 1000]:
                            txn.put(k, val)
        yield "put_batch", put_batch

    def close(self):
        self.env.close()
        self.env2.close()


class SqliteStore:
    name, durable_put = "sqlite", "put_tx"
    requires = ("sqlite3",)

    def __init__(self, d, n):
        import sqlite3
        self.dbs = []
        for f in ("tx.db", "batch.db"):
            db = sqlite3.connect(os.path.join(d, f), isolation_level=None)
            for sql in ("PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL",
                        "CREATE TABLE kv (k BLOB PRIMARY KEY, v BLOB) "
                        "WITHOUT ROWID"):
                db.execute(sql).fetchall()   # ends the statement
            self.dbs.append(db)

    def ops(self, keys, order, val, scale):
        # one cursor each: executing on it finishes its last statement
        # (PyPy frees unused cursors late, and COMMIT fails while a
        # statement is in progress)
        db, bdb = (c.cursor() for c in self.dbs)
        ins = "INSERT INTO kv VALUES (?, ?)"

        def put_tx(prog):   # autocommit: each INSERT its own transaction
            for ks in prog.chunks(keys):
                for k in ks:
                    db.execute(ins, (k, val))

        def get(prog):
            sel = "SELECT v FROM kv WHERE k = ?"
            for ks in prog.chunks(order):
                for k in ks:
                    db.execute(sel, (k,)).fetchone()

        def put_batch(prog):
            for ks in prog.chunks(keys):
                for a in range(0, len(ks), 1000):
                    bdb.execute("BEGIN")
                    for k in ks[a:a + 1000]:
                        bdb.execute(ins, (k, val))
                    bdb.execute("COMMIT")
        yield "put_tx", put_tx
        yield "put_batch", put_batch
        yield "get", get

    def close(self):
        for db in self.dbs:
            db.close()


class GdbmStore:
    name, durable_put = "gdbm", "put_sync"
    requires = ("dbm.gnu",)

    def __init__(self, d, n):
        import dbm.gnu
        self.sync = dbm.gnu.open(os.path.join(d, "sync.gdbm"), "ns")
        self.fast = dbm.gnu.open(os.path.join(d, "fast.gdbm"), "nf")

    def ops(self, keys, order, val, scale):
        def puts(db):
            def body(prog):
                for ks in prog.chunks(keys):
                    for k in ks:
                        db[k] = val
            return body

        def get(prog):
            db = self.sync
            for ks in prog.chunks(order):
                for k in ks:
                    db[k]
        yield "put_sync", puts(self.sync)
        yield "put", puts(self.fast)
        yield "get", get

    def close(self):
        self.sync.close()
        self.fast.close()


class DictStore:
    name, durable_put = "dict", None
    requires = ()

    def __init__(self, d, n):
        self.d = {}

    def ops(self, keys, order, val, scale):
        d = self.d

        def put(prog):
            for ks in prog.chunks(keys):
                for k in ks:
                    d[k] = val

        def get(prog):
            for ks in prog.chunks(order):
                for k in ks:
                    d[k]
        yield "put", put
        yield "get", get

    def close(self):
        pass


STORES = [PmemkitStore, PmemkitSortedStore, LmdbStore, SqliteStore,
          GdbmStore, DictStore]
SCALE_STORES = [PmemkitStore, PmemkitSortedStore, LmdbStore]


def loadable(cls, known={}):
    """Whether the store's modules load; pypy3 finds CPython's lmdb, whose
    cffi build then fails (its compiler's messages silenced here)."""
    if cls not in known:
        known[cls] = try_load(cls)
    return known[cls]


def try_load(cls):
    for mod in cls.requires:
        saved = os.dup(2)
        try:
            nul = os.open(os.devnull, os.O_WRONLY)
            os.dup2(nul, 2)
            os.close(nul)
            importlib.import_module(mod)
        except Exception as e:
            print("# %s skipped: %s: %s" % (cls.name, mod, str(e).split(
                "\n")[0][:100]), flush=True)
            return False
        finally:
            os.dup2(saved, 2)
            os.close(saved)
    return True


def run_ops(cls, base, keys, order, val, scale, figure):
    """Every op of one store on a fresh directory, figure(op, ns) each."""
    n = len(keys)
    d = tempfile.mkdtemp(prefix="pk-pybench-", dir=base)
    try:
        store = cls(d, n)
        try:
            for op, body in store.ops(keys, order, val, scale):
                phase = "%s %s %s %s" % (PREFIX, cls.name, op, size_name(n))
                if op in READ_OPS:
                    measure(phase + " warm-up", n, body)
                figure(op, measure(phase, n, body))
        finally:
            store.close()
    finally:
        shutil.rmtree(d, ignore_errors=True)


def run_store(cls, base, keys, order, val, rep, scale):
    """A store's figures, {op: ns per op}, after a warm-up run on WARMUP
    keys (so that PyPy's figures are not its JIT's compile time)."""
    if not loadable(cls):
        return None
    w = min(WARMUP, len(keys))
    run_ops(cls, base, keys[:w], random.Random(2).sample(keys[:w], w), val,
            scale, lambda op, ns: None)
    res = {}

    def figure(op, ns):
        res[op] = ns
        rep.figure(cls.name, op, len(keys), ns)
    run_ops(cls, base, keys, order, val, scale, figure)
    return res


# -- the modes ---------------------------------------------------------------

def make_keys(n):
    rng = random.Random(1)
    keys = [rng.getrandbits(8 * KEY_LEN).to_bytes(KEY_LEN, "little")
            for _ in range(n)]
    return keys, rng


def standard(a, rep):
    keys, rng = make_keys(a.n)
    order = keys[:]
    rng.shuffle(order)
    val = bytes(range(VAL_LEN))
    res = {}
    for cls in STORES:
        r = run_store(cls, a.d, keys, order, val, rep, False)
        if r is not None:
            res[cls] = r
    pk = res.get(PmemkitStore, {})
    sm, lm = res.get(PmemkitSortedStore, {}), res.get(LmdbStore, {})
    for op in ("put_tx", "get", "put_batch"):
        rep.ratio("%s_ratio_%s_pmemkit_sorted_to_pmemkit" % (PREFIX, op),
                  sm.get(op), pk.get(op))
    for op in ("put_tx", "get", "iter", "put_batch"):
        rep.ratio("%s_ratio_%s_pmemkit_sorted_to_lmdb" % (PREFIX, op),
                  sm.get(op), lm.get(op))
    for cls, r in res.items():
        if cls in (PmemkitStore, PmemkitSortedStore):
            continue
        if cls.durable_put:
            rep.ratio("%s_ratio_put_tx_pmemkit_to_%s" % (PREFIX, cls.name),
                      pk.get("put_tx"), r.get(cls.durable_put))
        rep.ratio("%s_ratio_get_pmemkit_to_%s" % (PREFIX, cls.name),
                  pk.get("get"), r.get("get"))


def scale(a, rep):
    keys, rng = make_keys(a.sizes[-1])
    val = bytes(range(VAL_LEN))
    first, last = {}, {}
    for n in a.sizes:
        order = keys[:n]
        rng.shuffle(order)
        for cls in SCALE_STORES:
            r = run_store(cls, a.d, keys[:n], order, val, rep, True)
            if r is not None:
                first.setdefault(cls.name, r)
                last[cls.name] = r
    if len(a.sizes) > 1:
        big, small = size_name(a.sizes[-1]), size_name(a.sizes[0])
        for name in last:
            for op in ("put_tx", "get"):
                rep.ratio("%s_ratio_%s_%s_%s_to_%s" % (
                    PREFIX, name, op, big, small),
                    last[name][op], first[name][op])


def compare(rep, baseline):
    """pypy_X / py_X for each operation both runs measured."""
    base = {}
    with open(baseline) as f:
        for line in f:
            w = line.split()
            if len(w) == 3 and w[2] == "ns/op" and w[0].startswith("py_"):
                base[w[0][3:]] = float(w[1])
    worst = 0
    for name, v in rep.figures.items():
        op = name[len(PREFIX) + 1:]
        if op in base and base[op] > 0:
            rep.ratio("ratio_%s_to_cpython_%s" % (PREFIX, op), v, base[op])
            if op.startswith("pmemkit_"):
                worst = max(worst, v / base[op])
    if worst:
        print("ratio_%s_to_cpython_pmemkit_worst %.2f x" % (PREFIX, worst),
              flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("-n", type=parse_size)
    ap.add_argument("-d")
    ap.add_argument("--disk", action="store_true")
    ap.add_argument("--scale", action="store_true")
    ap.add_argument("--sizes")
    ap.add_argument("--max", type=parse_size)
    ap.add_argument("--no-prefault", action="store_true")
    ap.add_argument("--csv")
    ap.add_argument("--baseline")
    a = ap.parse_args()
    PmemkitStore.prefault = not a.no_prefault
    a.d = a.d or ("/var/tmp" if a.disk else "/dev/shm")
    sizes = [parse_size(s) for s in a.sizes.split(",")] if a.sizes else [
        10000, 100000, 1000000, 10000000]
    n = a.n or 1000000
    scaled = a.disk and not (a.sizes if a.scale else a.n)
    if scaled:
        n, sizes = DISK_ENTRIES, DISK_SIZES
    if a.max:
        sizes = [s for s in sizes if s <= a.max]
        n = min(n, a.max)
    a.n, a.sizes = n, sizes
    # before pmemkit (and so libpmem) loads
    if a.disk:
        os.environ.pop("PMEM_IS_PMEM_FORCE", None)
    else:
        os.environ["PMEM_IS_PMEM_FORCE"] = "1"
    rep = Report("%s %s" % (a.d, medium_mode(a.d, not a.disk)), a.csv,
                 a.scale)
    print("# %s %s; %s; %d-byte bytes keys, %d-byte values, random order; "
          "pmemkit pools %s"
          % (sys.implementation.name, sys.version.split()[0],
             "scale: sizes " + ",".join(map(size_name, sizes)) if a.scale
             else "%d entries" % n, KEY_LEN, VAL_LEN,
             "not prefaulted (--no-prefault)" if a.no_prefault
             else "prefaulted"), flush=True)
    if a.disk:
        print("# --disk: libpmemobj msyncs every snapshot and commit: "
              "entries %s" % ("scaled down (-n, --sizes override)" if scaled
                              else "as given"), flush=True)
    try:
        if a.scale:
            scale(a, rep)
        else:
            standard(a, rep)
        if a.baseline:
            compare(rep, a.baseline)
    finally:
        rep.close()


if __name__ == "__main__":
    main()
