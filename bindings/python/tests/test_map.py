import collections.abc
import math

import pytest

import pmemkit


def test_mutable_mapping(pool):
    r = pool.root
    assert isinstance(r, collections.abc.MutableMapping)
    r.update({"a": 1, "b": 2}, c=3)
    assert len(r) == 3
    assert sorted(r) == ["a", "b", "c"]
    assert sorted(r.keys()) == ["a", "b", "c"]
    assert sorted(r.values()) == [1, 2, 3]
    assert sorted(r.items()) == [("a", 1), ("b", 2), ("c", 3)]
    assert r == {"a": 1, "b": 2, "c": 3}
    assert r != {"a": 1}
    assert r.get("z") is None and r.get("z", 5) == 5
    assert r.setdefault("d", 4) == 4 and r["d"] == 4
    assert r.pop("d") == 4 and "d" not in r
    assert r.pop("d", 9) == 9
    with pytest.raises(KeyError):
        r.pop("d")
    k, v = r.popitem()
    assert k not in r and len(r) == 2
    del r["a" if "a" in r else "b"]
    assert len(r) == 1
    r.clear()
    assert len(r) == 0 and list(r) == []
    with pytest.raises(KeyError) as ei:
        r["nope"]
    assert ei.value.args == ("nope",)
    with pytest.raises(KeyError):
        del r["nope"]


def test_setdefault_gives_the_stored_container(path):
    with pmemkit.Pool.create(path) as p:
        r = p.root
        r.setdefault("tags", []).append("x")
        r.setdefault("tags", []).append("y")
        r.setdefault("inv", {}).setdefault("berlin", {})["qty"] = 3
        r.setdefault("n", 0)
        assert r.setdefault("n", 5) == 0
        assert r.setdefault("none") is None and "none" in r
    with pmemkit.Pool.open(path) as p:
        r = p.root
        assert r["tags"].to_python() == ["x", "y"]
        assert r["inv"].to_python() == {"berlin": {"qty": 3}}
        assert r["n"] == 0 and r["none"] is None


def test_numeric_keys_are_one(pool):
    r = pool.root
    r[1] = "int"
    r[1.0] = "float"
    r[True] = "bool"
    assert len(r) == 1 and r[1] == "bool"
    assert list(r) == [1] and type(list(r)[0]) is int  # keeps the first type
    r[0] = "z"
    assert r[-0.0] == "z" and r[False] == "z"
    r[float("nan")] = "n1"
    r[float("nan")] = "n2"
    assert r[float("nan")] == "n2"
    assert len(r) == 3
    r["1"] = "s"
    r[b"1"] = "b"
    assert len(r) == 5


def test_key_types(pool):
    r = pool.root
    for k in (None, True, 7, 2**100, 2.5, "s", b"b", "", b""):
        r[k] = repr(k)
    for k in (None, True, 7, 2**100, 2.5, "s", b"b", "", b""):
        assert r[k] == repr(k) and k in r
    for bad in ([1], {}, (1, [2]), bytearray(b"x"), set(), r):
        with pytest.raises(TypeError):
            r[bad] = 1
        with pytest.raises(TypeError):
            r[bad]
        with pytest.raises(TypeError):
            bad in r


def test_container_values(pool):
    r = pool.root
    r["m"] = pool.new_map({"x": 1})
    r["l"] = pool.new_list([1, 2])
    r["a"] = pool.new_array("h", [1, 2])
    r["m2"] = r["m"]  # the same map, twice
    r["m2"]["y"] = 2
    assert r["m"] == {"x": 1, "y": 2}
    assert r["m"] == r["m2"]
    assert r["l"] == [1, 2]
    assert r["a"].tolist() == [1, 2]
    del r["m"]
    assert r["m2"]["x"] == 1
    assert pool.check()["ok"]


def test_pop_and_to_python_copy_containers_inside_tuples(pool):
    r = pool.root
    r["t"] = (4, {"m": 5}, [6, (7, {"n": [8]})])
    r["u"] = (1, (2, {"k": (3, [4])}))
    d = r.to_python()
    assert d == {"t": (4, {"m": 5}, [6, (7, {"n": [8]})]),
                 "u": (1, (2, {"k": (3, [4])}))}
    assert type(d["t"][1]) is dict and type(d["t"][2]) is list
    assert type(d["t"][2][1][1]) is dict and type(d["u"][1][1]) is dict
    v = r.pop("t")
    assert v == (4, {"m": 5}, [6, (7, {"n": [8]})])
    assert type(v[1]) is dict and type(v[2][1][1]["n"]) is list
    r.clear()
    pool.gc()
    # the copies outlive the containers they were read from
    assert v[1]["m"] == 5 and v[2][1][1]["n"] == [8]
    assert d["u"][1][1]["k"] == (3, [4])
    assert pool.check()["ok"]


def test_iteration_change_raises(pool):
    r = pool.root
    for i in range(100):
        r[i] = i
    with pytest.raises(RuntimeError):
        for k in r:
            r[k + 1000] = 1
    with pytest.raises(pmemkit.ChangedError):
        for k in r:
            del r[k]
    # replacing values does not disturb iteration
    for k in r:
        r[k] = -1
    assert set(r.values()) == {-1}


def test_iteration_sees_values_replaced_during_it(pool):
    # each entry is yielded with its value as it is at that step, also
    # where entries are read ahead (PyPy reads them in batches)
    r = pool.root
    for i in range(300):
        r[i] = i
    first = None
    for k, v in r.items():
        if first is None:
            first = k
            for j in range(300):
                if j != k:
                    r[j] = -1
        else:
            assert v == -1, (k, v)
    # and through another handle to the same map
    other = pool.root
    for i in range(300):
        r[i] = i
    first = None
    for k, v in r.items():
        if first is None:
            first = k
            other[(k + 1) % 300] = "x"
        elif k == (first + 1) % 300:
            assert v == "x"
    with pytest.raises(pmemkit.ChangedError):
        for k in r:
            other[1000] = 1


def test_iteration_every_value_type(pool):
    r = pool.root
    l = pool.new_list([1, 2])
    vals = [None, True, False, 0, -1, 2**63 - 1, -2**63, 2**100, -2**100,
            1.5, float("inf"), b"", b"\x00" * 70000, "", "h\u00e9llo",
            "x" * 40000, l]
    for i, v in enumerate(vals):
        r[i] = v
    got = dict(r.items())
    for i, v in enumerate(vals):
        g = got[i]
        if isinstance(v, pmemkit.List):
            assert list(g) == [1, 2]
        else:
            assert g == v and type(g) is type(v), (i, g)
    lst = pool.new_list(vals[:-1])
    assert list(lst) == vals[:-1]


def test_many(pool):
    r = pool.root
    n = 20000
    for i in range(n):
        r["k%d" % i] = i
    assert len(r) == n
    assert sum(r.values()) == n * (n - 1) // 2
    for i in range(0, n, 2):
        del r["k%d" % i]
    assert len(r) == n // 2
    assert all(r["k%d" % i] == i for i in range(1, n, 2))


def test_nan_value_equality(pool):
    pool.root["x"] = float("nan")
    assert math.isnan(pool.root["x"])
