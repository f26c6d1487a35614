"""pmemkit.SortedMap: a dict in key order with SortedDict's API, checked
against a plain sorted model (and sortedcontainers.SortedDict where it is
installed)."""
import bisect
import random

import pytest

import pmemkit

try:
    from sortedcontainers import SortedDict
except ImportError:     # the model below serves alone
    SortedDict = None


def test_sorted_map_behaves_as_a_sorted_dict(path):
    with pmemkit.Pool.create(path) as p:
        m = p.new_sorted_map({"b": 2, "a": 1, "c": 3})
        p.root["s"] = m
        assert isinstance(m, pmemkit.SortedMap)
        assert list(m) == ["a", "b", "c"] and len(m) == 3
        assert list(reversed(m)) == ["c", "b", "a"]
        assert list(m.items()) == [("a", 1), ("b", 2), ("c", 3)]
        assert list(m.values()) == [1, 2, 3]
        assert m.keys()[0] == "a" and m.keys()[-1] == "c"
        assert m.items()[1] == ("b", 2) and m.values()[-1] == 3
        assert m.keys()[0:2] == ["a", "b"]
        assert m == {"a": 1, "b": 2, "c": 3}
        assert m.peekitem() == ("c", 3) and m.peekitem(0) == ("a", 1)
        assert m.bisect_left("b") == 1 and m.bisect_right("b") == 2
        assert m.bisect("bb") == 2 and m.index("c") == 2
        with pytest.raises(ValueError):
            m.index("zz")
        with pytest.raises(IndexError):
            m.peekitem(3)
        with pytest.raises(KeyError):
            m["zz"]
        assert m.get("zz", 0) == 0 and "a" in m and "zz" not in m
        assert [] not in m
        assert list(m.irange("a", "b")) == ["a", "b"]
        assert list(m.irange("a", "b", inclusive=(False, True))) == ["b"]
        assert list(m.irange(maximum="b", reverse=True)) == ["b", "a"]
        assert list(m.islice(1)) == ["b", "c"]
        assert list(m.islice(0, 2, reverse=True)) == ["b", "a"]
        assert m.popitem() == ("c", 3) and m.popitem(0) == ("a", 1)
        assert dict(m) == {"b": 2}
        assert m.pop("b") == 2 and m.pop("b", None) is None
        with pytest.raises(KeyError):
            m.popitem()
        # numbers by value, one key for 1, 1.0 and True
        m.update({3: "three", 1.5: "x", True: "one", -2: "neg"})
        m[1.0] = "uno"
        assert list(m) == [-2, True, 1.5, 3] and m[1] == "uno"
        # the order of types: None, numbers, bytes, str, tuples
        m.clear()
        for k in [(1, "a"), "s", b"b", 2, None, (0,)]:
            m[k] = 0
        assert list(m) == [None, 2, b"b", "s", (0,), (1, "a")]
        with pytest.raises(TypeError):
            m[frozenset([1])] = 1
        # containers nest
        m["list"] = [1, 2]
        assert list(m["list"]) == [1, 2]
        # setdefault gives back what it stored, so changing it sticks
        m.setdefault("new", []).append(3)
        assert list(m["new"]) == [3]
        assert m.pop("new") == [3] and isinstance(m.pop("list", []), list)
        m["list"] = [1, 2]
        # update is one transaction: a refused entry stores nothing
        with pytest.raises(TypeError):
            m.update([("ok", 1), (frozenset([2]), 2)])
        assert "ok" not in m
    with pmemkit.Pool.open(path) as p:
        m = p.root["s"]
        assert isinstance(m, pmemkit.SortedMap)
        assert list(m)[:3] == [None, 2, b"b"]
        assert m.to_python()["list"] == [1, 2]


def test_sorted_map_prefix_ranges_and_neighbours(path):
    with pmemkit.Pool.create(path) as p:
        m = p.new_sorted_map()
        p.root["m"] = m
        for w in ["user", "user:1", "user:10", "user:2", "users", "v"]:
            m[w] = len(w)
            m[w.encode()] = 0
        assert list(m.iprefix("user:")) == ["user:1", "user:10", "user:2"]
        assert list(m.iprefix(b"user:", reverse=True)) == \
            [b"user:2", b"user:10", b"user:1"]
        assert m.ceiling_item("user:") == ("user:1", 6)
        assert m.higher_item("user:2") == ("users", 5)
        assert m.floor_item("user:3") == ("user:2", 6)
        assert m.lower_item(b"") is None
        assert m.delete_range("user:", "user:9") == 3
        assert list(m.irange("u", "w")) == ["user", "users", "v"]
        assert list(m.irange_items("v")) == [("v", 1)]


def test_sorted_map_against_a_model(path):
    rng = random.Random(5)
    with pmemkit.Pool.create(path) as p:
        m = p.new_sorted_map()
        p.root["m"] = m
        model = {}
        ref = SortedDict() if SortedDict is not None else None
        for step in range(3000):
            k = rng.randrange(600)
            if rng.random() < 0.6:
                v = "v" * (k % 40) + str(step)
                m[k] = v
                model[k] = v
                if ref is not None:
                    ref[k] = v
            elif k in model:
                del m[k]
                del model[k]
                if ref is not None:
                    del ref[k]
            if step % 300 == 0:
                keys = sorted(model)
                assert list(m) == keys
                assert list(m.values()) == [model[x] for x in keys]
                lo, hi = sorted(rng.randrange(600) for _ in range(2))
                want = [x for x in keys if lo <= x < hi]
                got = list(m.irange(lo, hi, inclusive=(True, False)))
                assert got == want
                assert m.bisect_left(lo) == bisect.bisect_left(keys, lo)
                if keys:
                    i = rng.randrange(len(keys))
                    assert m.peekitem(i) == (keys[i], model[keys[i]])
                if ref is not None:
                    assert list(m.items()) == list(ref.items())
                    assert list(m.irange(lo, hi, reverse=True)) == \
                        list(ref.irange(lo, hi, reverse=True))
                    assert list(m.islice(3, 40)) == list(ref.islice(3, 40))
        assert p.check()["ok"]


def test_storing_a_sorted_dict_stores_a_sorted_map(path):
    if SortedDict is None:
        pytest.skip("sortedcontainers is not installed")
    with pmemkit.Pool.create(path) as p:
        p.root["s"] = SortedDict({3: "c", 1: "a", 2: ["b"]})
        s = p.root["s"]
        assert isinstance(s, pmemkit.SortedMap)
        assert list(s.keys()) == [1, 2, 3] and s[2] == ["b"]
        assert isinstance(s[2], pmemkit.List)
        p.root["m"] = {"x": 1}          # a dict is still a map
        assert type(p.root["m"]) is pmemkit.Map
        p.root["l"] = [SortedDict({"b": 2, "a": 1})]
        assert list(p.root["l"][0].items()) == [("a", 1), ("b", 2)]


def test_tuple_keys_as_bounds_and_probes(path):
    with pmemkit.Pool.create(path) as p:
        m = p.new_sorted_map({(2026, m_, d): m_ * 100 + d
                              for m_ in (1, 11, 12) for d in (1, 15)})
        assert list(m.irange((2026, 11), (2026, 12),
                             inclusive=(True, False))) == [
            (2026, 11, 1), (2026, 11, 15)]
        assert m.ceiling_item((2026, 11, 2)) == ((2026, 11, 15), 1115)
        assert m.floor_item((2026, 12)) == ((2026, 11, 15), 1115)
        assert m.bisect_left((2026, 12)) == 4
        assert m.delete_range((2026, 1), (2026, 2)) == 2
        assert list(m) == [(2026, 11, 1), (2026, 11, 15),
                           (2026, 12, 1), (2026, 12, 15)]


def test_frozen_sets_inside_tuple_keys_have_an_order(path):
    # a frozen set alone is no key of a sorted map; inside a tuple it sorts
    # after every other item, and frozen sets by their members in the
    # canonical order (item by item, the shorter first)
    keys = [(1, frozenset({2})), (1, "z"), (1, frozenset({1, 2})),
            (1, frozenset()), (1, (9,)), (1, frozenset({1})),
            (1, frozenset({1.0, True}))]
    with pmemkit.Pool.create(path) as p:
        m = p.new_sorted_map()
        for i, k in enumerate(keys):
            m[k] = i
        assert list(m) == [(1, "z"), (1, (9,)), (1, frozenset()),
                           (1, frozenset({1})), (1, frozenset({1, 2})),
                           (1, frozenset({2}))]
        assert m[(1, frozenset({1}))] == 6     # {1.0, True} is {1}
        with pytest.raises(pmemkit.KeyTypeError):
            m[frozenset({1})] = 0
