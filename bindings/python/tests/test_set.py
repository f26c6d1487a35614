import threading

import pytest

import pmemkit


def test_set_behaves_as_a_set(path):
    with pmemkit.Pool.create(path) as p:
        r = p.root
        r["tags"] = {"red", "green", 3}
        s = r["tags"]
        assert isinstance(s, pmemkit.Set) and not isinstance(s, set)
        assert s == {"red", "green", 3} and len(s) == 3
        s.add("blue")
        s.add("blue")
        s.discard("nope")
        with pytest.raises(KeyError):
            s.remove("nope")
        s.remove("red")
        assert "blue" in s and "red" not in s and 3.0 in s
        # equal numbers are one element, as in a set
        s.add(1)
        s.add(1.0)
        s.add(True)
        assert len(s) == 4
        # operators give plain sets; comparisons and isdisjoint work
        assert s | {"x"} == {"green", 3, "blue", 1, "x"}
        assert isinstance(s | {"x"}, set) and not isinstance(s | {"x"},
                                                              pmemkit.Set)
        assert s & {3, "blue", 99} == {3, "blue"}
        assert s - {3} == {"green", "blue", 1}
        assert s ^ {3, 99} == {"green", "blue", 1, 99}
        assert {3} <= s and s >= {3} and not s.isdisjoint({3, 4})
        # in place: the stored set changes
        s |= {"a", "b"}
        s -= {"a"}
        s &= {"b", "green", 3, 1}
        s ^= {3, "new"}
        assert s == {"b", "green", 1, "new"}
    with pmemkit.Pool.open(path) as p:
        s = p.root["tags"]
        assert s.to_python() == {"b", "green", 1, "new"}
        e = s.pop()
        assert e not in s and len(s) == 3
        s.clear()
        assert len(s) == 0 and list(s) == []
        with pytest.raises(KeyError):
            s.pop()
        assert p.check()["ok"]


def test_elements_are_map_keys(pool):
    s = pool.new_set([None, b"b", "b", 2**70, -1.5])
    pool.root["s"] = s
    assert s == {None, b"b", "b", 2**70, -1.5}
    with pytest.raises(TypeError):
        s.add([1])                      # unhashable, as in a set
    with pytest.raises(TypeError):
        [1] in s
    assert len(s) == 5


def test_frozenset_is_read_only_and_hashable(path):
    with pmemkit.Pool.create(path) as p:
        p.root["f"] = frozenset({1, "x"})
        p.root["l"] = [frozenset(), {2}]
    with pmemkit.Pool.open(path) as p:
        f = p.root["f"]
        assert isinstance(f, pmemkit.FrozenSet)
        assert not isinstance(f, pmemkit.Set)
        assert f == frozenset({1, "x"}) and hash(f) == hash(frozenset({1, "x"}))
        assert not hasattr(f, "add")
        assert f | {2} == frozenset({1, "x", 2})
        assert isinstance(f | {2}, frozenset)
        assert {f.to_python(): 1}
        l = p.root["l"]
        assert isinstance(l[0], pmemkit.FrozenSet) and len(l[0]) == 0
        assert isinstance(l[1], pmemkit.Set) and l[1] == {2}
        assert l.to_python() == [frozenset(), {2}]
        assert p.new_set([1], frozen=True) == frozenset({1})


def test_in_place_operators_are_atomic(pool):
    s = pool.new_set(range(10))
    pool.root["s"] = s

    class Boom(set):                    # the operators take sets only
        def __iter__(self):
            yield 100
            yield 101
            raise RuntimeError("half way")

    with pytest.raises(RuntimeError):
        s |= Boom()
    assert s == set(range(10))          # none of it
    with pytest.raises(RuntimeError):
        s.update([200], Boom())
    assert s == set(range(10))


def test_set_in_containers_and_gc(pool):
    pool.root["m"] = {"s": {1, 2}, "nested": [{"x"}]}
    assert pool.root["m"]["s"] == {1, 2}
    assert pool.root["m"].to_python() == {"s": {1, 2}, "nested": [{"x"}]}
    loose = pool.new_set([1, 2, 3])
    del loose
    assert pool.gc() >= 1
    with pytest.raises(pmemkit.KindError):
        pmemkit._pmemkit.pk_map_open(pool._handle(),
                                     pool.root["m"]["s"]._ref())
    assert pool.check()["ok"]


def test_threads_add_and_discard(pool):
    s = pool.new_set()
    pool.root["s"] = s

    def work(base):
        for i in range(2000):
            s.add(base + i)
        for i in range(0, 2000, 2):
            s.discard(base + i)

    threads = [threading.Thread(target=work, args=(k * 10000,))
               for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(s) == 4 * 1000
    assert s == {k * 10000 + i for k in range(4) for i in range(1, 2000, 2)}


def test_named_methods_as_sets_have_them(pool):
    # set's and frozenset's named methods, against the builtin set, with
    # other sets, lists, strings and the set itself as arguments
    base = {1, 2, 3, "a", (1, "x")}
    others = [{2, 3, 4}, [3, "a", 9], "ab", (), {(1, "x")}]
    for other in others + ["self"]:
        s, ref = pool.new_set(base), set(base)
        o, oref = (s, ref) if other == "self" else (other, other)
        for name in ("union", "intersection", "difference",
                     "symmetric_difference", "issubset", "issuperset",
                     "isdisjoint"):
            assert getattr(s, name)(o) == getattr(ref, name)(oref), name
        assert s.union(*others) == ref.union(*others)
        assert s.intersection({1, 2, "a"}, [2, "a"]) == {2, "a"}
        assert s.difference(*others) == ref.difference(*others)
        for name in ("intersection_update", "difference_update",
                     "symmetric_difference_update"):
            s, ref = pool.new_set(base), set(base)
            o, oref = (s, ref) if other == "self" else (other, other)
            assert getattr(s, name)(o) is None
            getattr(ref, name)(oref)
            assert s == ref, (name, other)
    c = pool.new_set({1, 2})
    plain = c.copy()
    assert plain == {1, 2} and type(plain) is set
    plain.add(3)
    assert c == {1, 2}
    f = pool.root["f"] = frozenset({1, 2})
    f = pool.root["f"]
    assert type(f.copy()) is frozenset and f.union([3]) == {1, 2, 3}
    with pytest.raises(TypeError):
        pool.new_set({1}).union([[1]])      # unhashable, as set says
    # operators take sets only, as a set's do; named methods any iterable
    s = pool.new_set({1, 2})
    for op in (lambda a, b: a | b, lambda a, b: a & b, lambda a, b: a - b,
               lambda a, b: a ^ b):
        with pytest.raises(TypeError):
            op(s, [1])
        with pytest.raises(TypeError):
            op([1], s)
        assert op(s, {2, 3}) == op({1, 2}, {2, 3})
        assert op({2, 3}, s) == op({2, 3}, {1, 2})
        assert op(s, {2: 0}.keys()) == op({1, 2}, {2})
    with pytest.raises(TypeError):
        s |= [3]
    with pytest.raises(TypeError):
        s &= "ab"
    assert s == {1, 2}
    assert pool.new_set([1]) in pool.new_set([frozenset({1})])


def test_an_update_that_fails_changes_nothing(pool):
    s = pool.new_set({1, 2, 3})
    pool.root["s"] = s
    with pytest.raises(TypeError):
        s.symmetric_difference_update([4, object()])
    with pytest.raises(TypeError):
        s.difference_update([1], [object()])
    assert s == {1, 2, 3}
