# test_tuple_keys.py -- tuples as keys of a Map and elements of a Set
# (PK_TUPLE), set beside a dict and a set; and PK_TUPLE values, which
# another language stores, read as tuples.

import pytest

import pmemkit
from pmemkit import _pmemkit


KEYS = [(1, "a"), (2, (3.5, b"\x04")), (), (None, True, False),
        ((1, 2), (3, (4, "x"))), (2**100, -(2**70), 1.5), ("", b"")]


def test_tuple_keys_as_in_a_dict(pool, stored_beside_dict):
    r = pool.root
    d = stored_beside_dict(r, KEYS)
    assert sorted(map(repr, r)) == sorted(map(repr, d))
    assert all(k.__class__ is tuple for k in r.keys())
    assert dict(r.items()) == d and r.to_python() == d
    assert (1, "b") not in r and r.get((1, "b"), "no") == "no"
    with pytest.raises(KeyError):
        r[(1, "b")]


def test_equal_numbers_are_one_key(pool):
    r = pool.root
    d = {(1, "a"): "int"}
    r[(1, "a")] = "int"
    for k in ((1.0, "a"), (True, "a")):
        assert r[k] == d[k] and k in r
        r[k] = d[k] = type(k[0]).__name__
    assert len(r) == len(d) == 1
    assert list(r) == list(d) == [(1, "a")]     # the key stored first
    assert r[(1, "a")] == d[(1, "a")] == "bool"
    r[((1, 2.0), 3)] = "nested"
    assert r[((1.0, True + 1), 3.0)] == "nested"


def test_map_methods_with_tuple_keys(pool):
    r = pool.root
    d = {}
    for m in (r, d):
        m[(1, 2)] = "a"
        assert m.setdefault((1.0, 2), "b") == "a"
        assert m.setdefault((3, 4), []) == []
        assert m.pop((3, 4.0)) == []
        assert m.pop((9,), "dflt") == "dflt"
        m.update({(5,): 5})
        del m[(5.0,)]
        assert (5,) not in m
    assert r == d
    r2 = pool.new_map(dict.fromkeys([(1, "x"), (2, "y")], 0))
    assert r2 == dict.fromkeys([(1, "x"), (2, "y")], 0)
    k, v = r2.popitem()
    assert k in {(1, "x"), (2, "y")} and k.__class__ is tuple and v == 0
    assert len(r2) == 1
    assert (2, "y") in r2.keys() or (1, "x") in r2.keys()


def test_unhashable_items_refused_as_dict_does(pool, refused_as_dict_does):
    r = pool.root
    stored = pool.new_list([1])
    r["l"] = stored
    for bad in ((1, [2]), (1, {}), ("a", (1, [2])), (1, bytearray(b"x")),
                (1, stored), (1, set())):
        refused_as_dict_does(r, bad)    # unhashable type: ...
    assert len(r) == 1      # nothing stored
    # hashable, but not something a pool keeps: pmemkit's own TypeError
    with pytest.raises(TypeError, match="a tuple cannot hold a complex"):
        r[(1, 1j)] = 1
    with pytest.raises(TypeError):
        r[(1, pmemkit.Object())] = 1
    assert len(r) == 1


def test_nesting_limit(pool):
    r = pool.root
    t = ()
    for _ in range(31):         # 32 deep: the limit
        t = (t,)
    r[t] = "deep"
    assert r[t] == "deep" and list(r) == [t]
    with pytest.raises(ValueError):
        r[(t,)] = 1
    assert len(r) == 1


def test_set_of_tuples(pool):
    r = pool.root
    r["s"] = {(1, "a"), (2, (3, 4))}
    s = r["s"]
    assert isinstance(s, pmemkit.Set) and s == {(1, "a"), (2, (3, 4))}
    s.add((1.0, "a"))
    s.add((True, "a"))
    assert len(s) == 2 and (1.0, "a") in s and (2.0, (3, 4.0)) in s
    assert all(e.__class__ is tuple for e in s)
    s.discard((2, (3, 4)))
    s |= {(5,)}
    assert s.to_python() == {(1, "a"), (5,)}
    e = s.pop()
    assert e in {(1, "a"), (5,)} and len(s) == 1
    with pytest.raises(KeyError):
        s.remove((9,))
    with pytest.raises(TypeError):
        s.add((1, [2]))
    f = pool.new_set([(1, 2)], frozen=True)
    assert f == frozenset({(1, 2)}) and hash(f) == hash(frozenset({(1, 2)}))


def test_tuple_keys_persist(path):
    with pmemkit.Pool.create(path) as p:
        p.root[(1, ("x", 2.5))] = "v"
        p.root["s"] = {(1, 2)}
    with pmemkit.Pool.open(path) as p:
        assert p.root[(1.0, ("x", 2.5))] == "v"
        assert (1, ("x", 2.5)) in list(p.root)
        assert p.root["s"] == {(1, 2)}


def test_tuple_values_keep_their_storage(pool):
    # a tuple value is a list flagged as a tuple, as before
    r = pool.root
    r["t"] = (1, [2], {"k": (3,)})
    t = r["t"]
    assert t.__class__ is tuple and t[0] == 1
    assert isinstance(t[1], pmemkit.List) and t[2]["k"] == (3,)


def test_pk_tuple_values_read_as_tuples(pool):
    # another language stores tuples as PK_TUPLE values: the raw form
    # (tuple,) is how the package hands one to C and gets one back
    r = pool.root
    _pmemkit.pk_map_put(r._h, "tv", ((1, "a", (2.5, None)),))
    want = (1, "a", (2.5, None))
    assert r["tv"] == want and r["tv"].__class__ is tuple
    assert r.get("tv") == want and list(r.values()) == [want]
    assert dict(r.items()) == {"tv": want} and r.to_python()["tv"] == want
    lst = pool.new_list([3, 1])
    r["l"] = lst
    _pmemkit.pk_list_append(lst._h, ((0, "z"),))
    assert lst[2] == (0, "z") and list(lst) == [3, 1, (0, "z")]
    lst.reverse()       # rewrites the raw values: the tuple stays one
    assert lst.to_python() == [(0, "z"), 1, 3]
    assert lst.pop(0) == (0, "z") and r.pop("tv") == want
    for _ in range(3):  # PyPy's cffi path takes the wrapped call for it
        _pmemkit.pk_map_put(r._h, "tv", ((7,),))
        assert r["tv"] == (7,) and "tv" in r
