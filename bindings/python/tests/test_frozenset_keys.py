# test_frozenset_keys.py -- frozensets as keys of a Map, elements of a Set
# and items of tuple keys (PK_FROZENSET), set beside a dict and a set; a
# stored FrozenSet as a key; and PK_FROZENSET values, which another
# language stores, read as frozensets that store as the same scalar.

import pytest

import pmemkit
from pmemkit import _pmemkit


KEYS = [frozenset({1, "a"}), frozenset(), frozenset({(1, 2), b"x", None}),
        frozenset({frozenset({2, 3}), 2**100, 1.5}), (1, frozenset({"t"})),
        frozenset({(frozenset({True}), "x")})]


def test_frozenset_keys_as_in_a_dict(pool, stored_beside_dict):
    r = pool.root
    d = stored_beside_dict(r, KEYS)
    assert len(r) == len(KEYS)
    assert set(r) == set(d) and dict(r.items()) == d
    # equal members make one key, in any order, as in a dict
    r[frozenset({1.0, "a"})] = "one"
    d[frozenset({1.0, "a"})] = "one"
    assert r[frozenset({True, "a"})] == d[frozenset({True, "a"})] == "one"
    assert len(r) == len(d)
    assert r[(1.0, frozenset({"t"}))] == 4
    assert r.pop(frozenset()) == d.pop(frozenset()) == 1
    assert frozenset() not in r and len(r) == len(d)
    del r[frozenset({1, "a"})]
    assert frozenset({1, "a"}) not in r
    assert all(k.__class__ in (frozenset, tuple) for k in r)
    assert r.to_python() == {k: v for k, v in d.items()
                             if k != frozenset({1, "a"})}


def test_members_keep_their_types(pool):
    r = pool.root
    r[frozenset({1, "a"})] = 1
    r[frozenset({1.0, "a"})] = 2          # the same key: its members stay
    (k,) = list(r)
    assert k == frozenset({1, "a"}) and r[k] == 2
    assert [type(x) for x in sorted(k, key=str)] == [int, str]


def test_set_as_key_unhashable_as_in_a_dict(pool, refused_as_dict_does):
    r = pool.root
    stored = pool.new_set([1])
    for bad in ({1}, stored, (1, {2}), (frozenset(), [1]), [frozenset()]):
        refused_as_dict_does(r, bad)
    with pytest.raises(TypeError, match="unhashable type: 'set'"):
        r[{1}]
    with pytest.raises(TypeError, match="unhashable type: 'Set'"):
        r[stored] = 1
    # hashable, but not something a pool keeps: pmemkit's own TypeError
    with pytest.raises(TypeError, match="a frozenset cannot hold a"):
        r[frozenset({1j})] = 1
    with pytest.raises(TypeError, match="unsupported key type: complex"):
        r[1j] = 1
    assert len(r) == 0      # nothing stored
    with pytest.raises(ValueError):     # nested too deep, as a tuple
        k = frozenset()
        for _ in range(40):
            k = frozenset({k})
        r[k] = 1
    assert len(r) == 0


def test_stored_frozenset_as_key(pool):
    r = pool.root
    f = pool.new_set([1, "a"], frozen=True)
    r["f"] = f
    f = r["f"]
    assert isinstance(f, pmemkit.FrozenSet)
    assert hash(f) == hash(frozenset({1, "a"}))
    m = pool.new_map()
    r["m"] = m
    m[f] = "by stored"                  # its members copied
    assert m[frozenset({1.0, "a"})] == "by stored"
    assert f in m and list(m) == [frozenset({1, "a"})]
    assert list(m)[0].__class__ is frozenset
    m[(0, f)] = "in a tuple"
    assert m[(0, frozenset({"a", 1}))] == "in a tuple"
    s = pool.new_set([f])
    assert frozenset({1, "a"}) in s and f in s
    d = {f: 1}                          # a dict takes it too
    assert d[frozenset({1, "a"})] == 1


def test_set_of_frozensets(pool):
    r = pool.root
    r["s"] = {frozenset({1, 2}), frozenset(), (frozenset({"x"}),)}
    s = r["s"]
    assert isinstance(s, pmemkit.Set)
    assert s == {frozenset({1, 2}), frozenset(), (frozenset({"x"}),)}
    s.add(frozenset({2.0, 1}))
    assert len(s) == 3 and frozenset({1.0, 2}) in s
    s.discard(frozenset())
    assert s.to_python() == {frozenset({1, 2}), (frozenset({"x"}),)}
    with pytest.raises(KeyError):
        s.remove(frozenset({9}))
    with pytest.raises(TypeError, match="unhashable type: 'set'"):
        s.add({3})
    # a set is looked up as its frozenset, as in a set
    plain = {frozenset({1, 2})}
    assert ({1, 2} in s) == ({1, 2} in plain) == True    # noqa: E712
    assert ({9} in s) == ({9} in plain) == False         # noqa: E712
    with pytest.raises(KeyError):
        s.remove({9})
    s.discard({9})
    s.remove({2, 1})
    assert frozenset({1, 2}) not in s
    s.add(frozenset({1, 2}))
    s.discard({1, 2})
    assert frozenset({1, 2}) not in s
    with pytest.raises(TypeError, match="unhashable type: 'list'"):
        [1] in s
    with pytest.raises(TypeError, match="unhashable type: 'list'"):
        s.discard([1])
    f = pool.new_set([frozenset({1})], frozen=True)
    assert f == frozenset({frozenset({1})})
    assert hash(f) == hash(frozenset({frozenset({1})}))


def test_frozenset_keys_persist(path):
    with pmemkit.Pool.create(path) as p:
        p.root[frozenset({1, ("x", 2.5)})] = "v"
        p.root["s"] = {frozenset({1, 2})}
    with pmemkit.Pool.open(path) as p:
        assert p.root[frozenset({("x", 2.5), 1.0})] == "v"
        assert frozenset({1, ("x", 2.5)}) in list(p.root)
        assert p.root["s"] == {frozenset({1, 2})}


def test_frozenset_values_keep_their_storage(pool):
    # a plain frozenset value is a FrozenSet, as before
    r = pool.root
    r["f"] = frozenset({1, 2})
    assert isinstance(r["f"], pmemkit.FrozenSet)


def test_scalar_frozenset_values_read_and_store_again(pool):
    # another language's frozen set value (a PK_FROZENSET): put through C
    r = pool.root
    fs = frozenset({1, "a", (2, frozenset({b"x"}))})
    _pmemkit.pk_map_put(r._h, "v", fs)
    v = r["v"]
    assert isinstance(v, frozenset) and v == fs and hash(v) == hash(fs)
    assert r.get("v") == fs and dict(r.items())["v"] == fs
    assert r.to_python() == {"v": fs}
    r["w"] = v                      # stored again: the same scalar
    assert _pmemkit.pk_map_get(r._h, "w") == (fs,)
    lst = pool.new_list([v, 1])
    r["l"] = lst
    assert _pmemkit.pk_list_get(lst._h, 0) == (fs,)
    assert lst[0] == fs and list(lst) == [fs, 1] and lst.to_python() == [fs, 1]
    lst[1] = lst[0]
    assert _pmemkit.pk_list_get(lst._h, 1) == (fs,)
    assert v | {9} == fs | {9} and (v | {9}).__class__ is frozenset
    assert repr(v) == repr(fs)
    r[v] = "as a key"               # and it is a key as any frozenset
    assert r[fs] == "as a key"


@pmemkit.register("test_frozenset_keys.Tag")
class Tag(pmemkit.Object):
    pass


def test_frozensets_in_a_record(pool):
    r = pool.root
    t = Tag()
    t.keys = {frozenset({1}): "one"}
    r["t"] = t
    t = r["t"]
    assert t.keys[frozenset({1.0})] == "one"
    v = t.keys.to_python()
    assert v == {frozenset({1}): "one"}
    fs = frozenset({"x"})
    _pmemkit.pk_map_put(r._h, "v", fs)
    t.v = r["v"]                    # a PK_FROZENSET value, stored again
    assert t.v == fs and isinstance(t.v, frozenset)
