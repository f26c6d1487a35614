"""A program typed against pmemkit's stubs: `mypy --strict` checks it
(run-python-typecheck, make check), and it runs: python3 typed_example.py
POOL_PATH creates a pool, stores, reopens and reads."""

import array
import sys
from typing import Dict, List, Optional, Type

import pmemkit
from pmemkit import pmem


@pmemkit.register("typed_example.Point")
class Point(pmemkit.Object):
    """A record: its attributes live in the pool once stored."""
    x: int
    y: float

    def norm1(self) -> float:
        return abs(self.x) + abs(self.y)


def store(path: str) -> int:
    with pmemkit.Pool.create(path, pmemkit.MIN_POOL_SIZE * 4) as pool:
        root: pmemkit.Map = pool.root
        root["config"] = {"retries": 3, "hosts": ["a", "b"]}
        with pool.transaction():
            n: int = root.get("n", 0)
            root["n"] = n + 1
        tags: pmemkit.List = root.setdefault("tags", [])
        tags.append("x")
        tags.extend(["y", "z"])
        a: pmemkit.Array = pool.new_array("d", 8)
        root["samples"] = a
        with a.modify(0, 2) as mv:
            mv[0:1] = array.array("d", [1.5])
        log: pmemkit.Log = pool.new_log()
        root["events"] = log
        log.append(b"started")
        mark: int = log.tell()
        log.extend([b"a", bytearray(b"b")])
        after: List[bytes] = [rec for pos, rec in log.records(mark)]
        assert after == [b"a", b"b"], after
        disk: pmemkit.Blocks = pool.new_blocks(512, 2)
        root["disk"] = disk
        disk[1] = b"superblock"
        grid: pmemkit.Map = pool.new_map()
        root["grid"] = grid
        grid[(0, "a")] = 1.5
        labels: pmemkit.Map = pool.new_map()
        root["labels"] = labels
        labels[frozenset({"red", "round"})] = "apple"
        shape: pmemkit.FrozenSet = pool.new_set(["round"], frozen=True)
        labels["shape"] = shape     # referenced: not a leak for check()
        labels[(shape, 2)] = "two balls"
        p = Point(x=1, y=2.5)
        root["origin"] = p
        p.x = 3     # bound by the store: this reaches the pool
        q: Point = pool.new(Point, x=-1, y=0.5)
        root["corner"] = q
        return pool.tx_depth


def load(path: str) -> Dict[str, object]:
    try:
        pool = pmemkit.Pool.open(path)
    except pmemkit.PoolError as e:
        code: Optional[int] = e.code
        raise SystemExit("not a pool (%s)" % (code,))
    with pool:
        root = pool.root
        samples: array.array[float] = root["samples"].to_python()
        disk = root["disk"]
        block: bytes = disk[1]
        try:
            root["missing"]
        except pmemkit.NotFoundError:
            pass
        out: Dict[str, object] = {
            "n": root["n"], "tags": root["tags"].to_python(),
            "samples": samples.tolist()[:2], "block": block[:10],
            "events": root["events"].to_python(),
            "ok": pool.check()["ok"], "config": root["config"].to_python(),
            "cell": root["grid"][(0.0, "a")], "keys": list(root["grid"]),
            "apple": root["labels"][frozenset({"round", "red"})],
            "balls": root["labels"][(frozenset({"round"}), 2.0)],
        }
        origin: Point = root["origin"]
        out["origin"] = (origin.x, origin.y, origin.norm1())
        out["corner"] = root["corner"]._asdict()
        return out


def inventory(pool: pmemkit.Pool) -> Dict[str, object]:
    """Each read annotated with the type the stubs promise, so that a
    wrong return type there fails mypy."""
    root = pool.root
    disk: pmemkit.Blocks = root["disk"]
    samples: pmemkit.Array = root["samples"]
    events: pmemkit.Log = root["events"]
    tags: pmemkit.List = root["tags"]
    samples.resize(4)
    first: List[bytes] = disk[0:1]
    keys: List[object] = list(root)
    exc: Type[pmemkit.Error] = pmemkit.exception_for("NotFound")
    stats: Dict[str, int] = pool.stats()
    n_tags: int = len(tags)
    popped: object = tags.pop()
    n_freed: int = pool.gc()
    seen: pmemkit.Set = pool.new_set(["a", "b"])
    seen.add("c")
    seen |= {"d"}
    seen.discard("a")
    frozen: pmemkit.FrozenSet = pool.new_set([1, 2], frozen=True)
    plain: frozenset[object] = frozen.to_python() | {3}
    return {"block_size": disk.block_size, "blocks": len(disk),
            "first": len(first[0]), "typecode": samples.typecode,
            "itemsize": samples.itemsize, "samples": samples.tolist(),
            "nbytes": events.nbytes, "records": len(events),
            "keys": sorted(str(k) for k in keys), "exc": exc.__name__,
            "size": stats["size"] > 0, "tags": n_tags, "popped": popped,
            "depth": pool.tx_depth, "freed": n_freed, "closed": pool.closed,
            "seen": sorted(str(e) for e in seen.to_python()),
            "frozen": sorted(str(e) for e in plain)}


def kinds(base: str) -> Dict[str, object]:
    """A growing pool with a maximum, opened again read-only, then
    defragmented and synced."""
    with pmemkit.Pool.create(base + ".grow", max_size=64 << 20,
                             process_durable=True) as pool:
        pool.root["k"] = [1, 2]
        del pool.root["k"]
        pool.root["v"] = "x"
        moved: Dict[str, int] = pool.defrag()
        pool.sync()
    with pmemkit.Pool.open(base + ".grow", readonly=True) as pool:
        ro: bool = pool.readonly
        refused: Optional[int] = None
        try:
            pool.root["w"] = 1
        except pmemkit.ReadOnlyError as e:
            refused = e.code
        size: int = pool.stats()["size"]
    return {"readonly": ro, "refused": refused is not None,
            "objects": moved["objects"] > 0, "size": size >= 8 << 20}


def region(path: str) -> bytes:
    with pmem.map_file(path, 4096, create=True) as r:
        r[0:5] = b"hello"
        r.persist(0, 5)
        r.seek(0)
        pos: int = r.tell()
        assert pos == 0 and len(r) == 4096 and not r.closed
        is_pmem: bool = r.is_pmem
        first: int = r[0]
        assert first == ord("h") and is_pmem in (True, False)
        assert r.read_at(1, 2) == b"el"
        return r.read(5)


if __name__ == "__main__":
    base = sys.argv[1]
    assert store(base + ".pool") == 0
    got = load(base + ".pool")
    want = {"n": 1, "tags": ["x", "y", "z"], "samples": [1.5, 0.0],
            "block": b"superblock", "events": [b"started", b"a", b"b"],
            "ok": True, "config": {"retries": 3, "hosts": ["a", "b"]},
            "cell": 1.5, "keys": [(0, "a")], "origin": (3, 2.5, 5.5),
            "apple": "apple", "balls": "two balls",
            "corner": {"x": -1, "y": 0.5}}
    assert got == want, got
    with pmemkit.Pool.open(base + ".pool") as pool:
        inv = inventory(pool)
    assert inv == {"block_size": 512, "blocks": 2, "first": 512,
                   "typecode": "d", "itemsize": 8,
                   "samples": [1.5, 0.0, 0.0, 0.0], "nbytes": 9,
                   "records": 3, "keys": ["config", "corner", "disk",
                                          "events", "grid", "labels", "n",
                                          "origin", "samples", "tags"],
                   "exc": "NotFoundError", "size": True, "tags": 3,
                   "popped": "z", "depth": 0, "freed": 0,
                   "closed": False, "seen": ["b", "c", "d"],
                   "frozen": ["1", "2", "3"]}, inv
    assert region(base + ".raw") == b"hello"
    assert kinds(base) == {"readonly": True, "refused": True,
                           "objects": True, "size": True}
    print("typed_example: ok", pmemkit.__version__)
