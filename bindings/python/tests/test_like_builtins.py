# pmemkit's List, Map and Array next to list, dict and array.array: the
# same results, and the same exceptions with the same messages (none names
# a SWIG wrapper, a C function or a C type).
import array
import operator

import pytest

import pmemkit
from pmemkit import pmem


def raised(f):
    """(type, message) of what f() raises."""
    try:
        f()
    except Exception as e:
        return type(e), str(e)
    raise AssertionError("no exception")


NAMES = (("'List'", "'list'"), ("'Map'", "'dict'"),
         ("'Array'", "'array.array'"))


def same_error(plain, stored, exc=None):
    """plain() and stored() raise the same exception, message included
    (but for the names of the types)."""
    p, s = raised(plain), raised(stored)
    msg = s[1]
    for ours, theirs in NAMES:
        msg = msg.replace(ours, theirs)
    assert issubclass(s[0], p[0]) and msg == p[1], (p, s)
    assert "in method" not in s[1] and "pk_" not in s[1]
    if exc is not None:
        assert p[0] is exc


@pytest.fixture
def lst(pool):
    pool.root["l"] = [3, 1, 2]
    return pool.root["l"]


@pytest.fixture
def ref():
    return [3, 1, 2]


# ---- List ------------------------------------------------------------------

def test_list_copy_is_plain_and_shallow(pool, lst, ref):
    lst.append([4])
    c = lst.copy()
    assert type(c) is list and c == [3, 1, 2, [4]]
    assert isinstance(c[3], pmemkit.List)      # the stored one, as list.copy
    c[3].append(5)
    c.append("volatile")
    assert lst == [3, 1, 2, [4, 5]]


def test_list_plus_and_times_give_plain_lists(lst, ref):
    for f in (lambda l: l + [1], lambda l: [1] + l, lambda l: l * 2,
              lambda l: 2 * l, lambda l: l * 0, lambda l: -1 * l,
              lambda l: l + l, lambda l: l * True):
        got = f(lst)
        assert type(got) is list and got == f(ref)
    assert lst == ref
    for bad in (lambda l: l + (1,), lambda l: (1,) + l, lambda l: l * 1.5,
                lambda l: l * "x", lambda l: l < (1,)):
        assert raised(lambda: bad(lst))[0] is raised(lambda: bad(ref))[0] \
            is TypeError


def test_list_in_place_plus_and_times(pool, lst, ref):
    lst += [4, (5,)]
    ref += [4, (5,)]
    assert lst == ref
    lst *= 2
    ref *= 2
    assert lst == ref and len(lst) == 10
    lst += iter("ab")
    ref += iter("ab")
    assert lst == ref
    lst *= 0
    ref *= 0
    assert lst == ref == []
    lst.append([1])
    lst *= 3                      # the same list three times, as list does
    assert lst == [[1]] * 3
    lst[0].append(2)
    assert lst == [[1, 2]] * 3 and pool.check()["ok"]
    with pytest.raises(TypeError):
        lst *= "x"


def test_list_in_place_plus_is_atomic(pool, lst):
    with pytest.raises(TypeError):
        lst += [4, 5, object()]
    assert lst == [3, 1, 2]
    with pytest.raises(TypeError):
        lst += 1
    assert lst == [3, 1, 2] and pool.check()["ok"]


def test_list_reversed(lst, ref):
    assert list(reversed(lst)) == list(reversed(ref))
    r, p = reversed(lst), reversed(ref)
    assert next(r) == next(p)
    del lst[:]                    # as list's: past the end, it ends
    del ref[:]
    assert list(r) == list(p) == []


def test_list_index_and_count(lst, ref):
    lst.extend([3, 3.0, None])
    ref.extend([3, 3.0, None])
    for args in ((3,), (3, 1), (3, 1, 5), (3, -3), (3, -100, 100), (None,),
                 (1, 0, 2), (2, 2, 3)):
        assert lst.index(*args) == ref.index(*args)
    for args in ((9,), (1, 2), (3, 1, 3), (3, 7, 100), (3, 5, 2)):
        same_error(lambda: ref.index(*args), lambda: lst.index(*args),
                   ValueError)
    assert str(raised(lambda: lst.index(9))[1]) == "9 is not in list"
    for args in ((3, "x"), (3, 0, 1.5), (3, 0, None), (3, None)):
        try:                        # (PyPy's list takes None)
            want = ref.index(*args)
        except TypeError:
            same_error(lambda: ref.index(*args), lambda: lst.index(*args))
        else:
            assert lst.index(*args) == want

    class I:
        def __index__(self):
            return 1
    assert lst.index(1, I()) == ref.index(1, I()) == 1
    for v in (3, 1, 9, None, "3"):
        assert lst.count(v) == ref.count(v)
        assert (v in lst) == (v in ref)


def test_list_sort_like_list(pool, lst, ref):
    lst.sort()
    ref.sort()
    assert lst == ref
    lst.sort(reverse=True)
    ref.sort(reverse=True)
    assert lst == ref
    words = ["b", "A", "c", "a", "B"]
    pool.root["w"] = words
    w = pool.root["w"]
    for key, rev in ((str.lower, False), (str.lower, True), (None, True)):
        w.sort(key=key, reverse=rev)
        words.sort(key=key, reverse=rev)
        assert w == words           # stable, as list.sort
    with pytest.raises(TypeError):
        w.sort(str.lower)           # key is keyword-only
    with pytest.raises(TypeError):
        lst.append("x")
        lst.sort()
    assert lst[-1] == "x" and lst[:-1] == ref     # unchanged


def test_list_sort_and_reverse_keep_nested_containers(pool):
    pool.root["l"] = [[3], [1], {"k": 2}, [2], (0,)]
    l = pool.root["l"]
    l.sort(key=lambda v: v["k"] if isinstance(v, pmemkit.Map) else v[0])
    assert l == [(0,), [1], {"k": 2}, [2], [3]]
    l.reverse()
    want = [[3], [2], {"k": 2}, [1], (0,)]
    assert l.to_python() == want
    l[:] = l[::-1]
    want[:] = want[::-1]
    l[::2] = l[::-2]
    want[::2] = want[::-2]
    assert l.to_python() == want
    l[1:3] = [l[2], l[1], l[0]]
    want[1:3] = [want[2], want[1], want[0]]
    assert l.to_python() == want
    assert pool.check()["ok"]
    pool.gc()
    assert pool.check()["ok"] and l.to_python() == want


def test_list_modified_during_sort(pool, lst):
    def key(v):
        lst.append(0)
        return v
    with pytest.raises(ValueError) as ei:
        lst.sort(key=key)
    assert str(ei.value) == "list modified during sort"
    assert lst == [3, 1, 2]         # the sort and that change rolled back

    def key2(v):
        lst[0] = 7                  # a set is a change too
        return v
    with pytest.raises(ValueError):
        lst.sort(key=key2)
    assert lst == [3, 1, 2]

    def bad(v):
        raise ZeroDivisionError
    with pytest.raises(ZeroDivisionError):
        lst.sort(key=bad)
    assert lst == [3, 1, 2]
    lst[0] = float("nan")           # NaN is the same element when read again
    lst.sort(key=lambda v: 0)
    assert lst[1:] == [1, 2]


def test_list_equality_and_order(pool, lst, ref):
    pool.root["m"] = [3, 1, 2]
    other = pool.root["m"]
    assert lst == ref and ref == lst and lst == other and not lst != ref
    assert lst != tuple(ref) and tuple(ref) != lst       # as list != tuple
    assert lst != array.array("i", ref)
    assert lst != pool.new_array("i", ref)
    assert lst != [3, 1] and lst != [3, 1, 2, 0]
    for op in (operator.lt, operator.le, operator.gt, operator.ge):
        for o in ([3, 1], [3, 1, 2], [3, 2], [4], [], [3, 1, 2, 0]):
            assert op(lst, o) == op(ref, o) and op(o, lst) == op(o, ref)
        assert op(lst, other) == op(ref, ref)
        same_error(lambda: op(ref, (1,)), lambda: op(lst, (1,)), TypeError)
    assert repr(lst) == "pmemkit.List([3, 1, 2])"


def test_list_iteration(lst):
    it = iter(lst)
    assert list(it) == [3, 1, 2]
    lst.append(4)                   # an exhausted iterator stays exhausted
    assert list(it) == []
    assert next(it, "end") == "end"
    it = iter(lst)
    next(it)
    lst.append(5)                   # by index, as a list's iterator
    assert next(it) == 1
    it = iter(lst)
    next(it)
    lst[1] = "set"
    assert list(it) == ["set", 2, 4, 5]
    # inserts and removals meanwhile: where the index falls, as in a list
    ref = list(lst)
    seen = []
    for seq in (lst, ref):
        it = iter(seq)
        got = [next(it), next(it)]
        seq.insert(0, "front")      # the next index is the same element
        got.append(next(it))
        del seq[0:3]
        got.extend(it)
        seq.append("after")
        got.append(next(it, "exhausted"))
        seen.append(got)
    assert seen[0] == seen[1] and list(lst) == ref


def test_list_iteration_that_appends_as_it_goes(lst):
    # a work queue: items appended while iterating are visited
    ref = list(lst)
    for seq in (lst, ref):
        for x in seq:
            if isinstance(x, int) and x > 0 and len(seq) < 12:
                seq.append(x - 1)
    assert list(lst) == ref


@pytest.mark.parametrize("index, exc, exc_call", [
    (i, TypeError, TypeError) for i in ("x", 1.5, None, b"1", [0])] + [
    (i, IndexError, OverflowError) for i in (2**63, -2**63 - 1, 2**70)])
def test_list_bad_indexes(lst, ref, index, exc, exc_call):
    # exc from l[i], l[i] = v and del l[i]; exc_call from insert and pop
    same_error(lambda: ref[index], lambda: lst[index], exc)
    same_error(lambda: ref.__setitem__(index, 1),
               lambda: lst.__setitem__(index, 1), exc)
    same_error(lambda: ref.__delitem__(index),
               lambda: lst.__delitem__(index), exc)
    same_error(lambda: ref.insert(index, 1), lambda: lst.insert(index, 1),
               exc_call)
    same_error(lambda: ref.pop(index), lambda: lst.pop(index), exc_call)
    assert lst == ref


def test_list_type_error_message(lst):
    with pytest.raises(TypeError) as ei:
        lst["x"] = 1
    assert str(ei.value) == "list indices must be integers or slices, not str"
    with pytest.raises(TypeError) as ei:
        lst[1.5]
    assert str(ei.value) == \
        "list indices must be integers or slices, not float"


def test_list_index_objects_with_dunder_index(lst):
    class I:
        def __index__(self):
            return 1
    assert lst[I()] == 1
    lst[I()] = 5
    lst.insert(I(), 4)
    assert lst == [3, 4, 5, 2]
    assert lst.pop(I()) == 4
    del lst[I()]
    assert lst == [3, 2]
    assert lst[True] == 2


def test_list_pop_remove_and_slice_errors(pool, lst, ref):
    pool.root["e"] = []
    e = pool.root["e"]
    same_error(lambda: [].pop(), lambda: e.pop(), IndexError)
    same_error(lambda: ref.remove(9), lambda: lst.remove(9), ValueError)
    lst.remove(1)
    ref.remove(1)
    assert lst == ref
    for s in (slice(0, 1), slice(None, None, 2)):
        same_error(lambda: ref.__setitem__(s, 5),
                   lambda: lst.__setitem__(s, 5), TypeError)
    assert lst == ref


# ---- Array -----------------------------------------------------------------

LIMITS = {"b": (-2**7, 2**7), "B": (0, 2**8), "h": (-2**15, 2**15),
          "H": (0, 2**16), "i": (-2**31, 2**31), "I": (0, 2**32),
          "q": (-2**63, 2**63), "Q": (0, 2**64)}


@pytest.mark.parametrize("tc", sorted(LIMITS))
def test_array_values_that_do_not_fit(pool, tc):
    lo, hi = LIMITS[tc]
    plain = array.array(tc, [0, 0])
    a = pool.new_array(tc, 2)
    for v in (hi, lo - 1, 2**70, -2**70, 1.5, "x", None):
        same_error(lambda: plain.__setitem__(0, v),
                   lambda: a.__setitem__(0, v))
        same_error(lambda: plain.__setitem__(slice(0, 1), array.array(
            tc, [v])), lambda: a.__setitem__(slice(0, 1), [v]))
        same_error(lambda: plain.__setitem__(slice(None, None, 2),
                                             array.array(tc, [v])),
                   lambda: a.__setitem__(slice(None, None, 2), [v]))
    a[0], a[1] = lo, hi - 1
    assert a.tolist() == [lo, hi - 1]


def test_array_overflow_errors_named_in_the_issue(pool):
    q, b = pool.new_array("q", 1), pool.new_array("B", 1)
    with pytest.raises(OverflowError):
        q[0] = 2**70
    with pytest.raises(OverflowError):
        b[0] = 256
    with pytest.raises(OverflowError):
        pool.new_array("Q", 1)[0] = -1
    assert q[0] == 0 and b[0] == 0


@pytest.mark.parametrize("tc", "fd")
def test_array_float_values(pool, tc):
    plain, a = array.array(tc, [0.0]), pool.new_array(tc, 1)
    for v in ("x", None, [1.0], 2**1100):
        same_error(lambda: plain.__setitem__(0, v),
                   lambda: a.__setitem__(0, v))
    for v in (2, True, 2**100, 1e300, -1e300, float("inf"), 0.1):
        plain[0] = v
        a[0] = v
        assert a[0] == plain[0]     # as array.array converts (1e300: inf)
    with pytest.raises(IndexError):
        a[1] = 1e300


def test_out_of_range_messages(pool, lst):
    # CPython's words (PyPy's list says "list index out of range" for all)
    a = pool.new_array("i", 1)
    for f, msg in ((lambda: lst[3], "list index out of range"),
                   (lambda: lst.__setitem__(-4, 0),
                    "list assignment index out of range"),
                   (lambda: lst.__delitem__(3),
                    "list assignment index out of range"),
                   (lambda: lst.pop(3), "pop index out of range"),
                   (lambda: a[1], "array index out of range"),
                   (lambda: a.__setitem__(1, 0),
                    "array assignment index out of range")):
        with pytest.raises(IndexError) as ei:
            f()
        assert str(ei.value) == msg
    assert lst == [3, 1, 2] and a[0] == 0


@pytest.mark.parametrize("index", ["x", 1.5, None, 2**63, 2**70, -2**70])
def test_array_bad_indexes(pool, index):
    plain, a = array.array("i", [1, 2]), pool.new_array("i", [1, 2])
    same_error(lambda: plain[index], lambda: a[index])
    same_error(lambda: plain.__setitem__(index, 1),
               lambda: a.__setitem__(index, 1))
    assert a.tolist() == [1, 2]


def test_array_equality_and_order(pool):
    a = pool.new_array("i", [1, 2, 3])
    plain = array.array("i", [1, 2, 3])
    assert a == plain and plain == a and a == array.array("d", [1, 2, 3])
    assert a == pool.new_array("q", [1, 2, 3])
    assert a != [1, 2, 3] and [1, 2, 3] != a       # as array.array
    assert plain != [1, 2, 3]
    assert a != (1, 2, 3)
    pool.root["l"] = [1, 2, 3]
    assert a != pool.root["l"] and pool.root["l"] != a
    for op in (operator.lt, operator.le, operator.gt, operator.ge):
        for o in ([1, 2], [1, 2, 3], [1, 3], [0, 9, 9, 9]):
            o = array.array("i", o)
            assert op(a, o) == op(plain, o) and op(o, a) == op(o, plain)
        same_error(lambda: op(plain, [1]), lambda: op(a, [1]), TypeError)
    assert repr(a) == "pmemkit.Array('i', [1, 2, 3])"


def test_array_index_count_contains_reversed(pool):
    vals = [5, 1, 5, 2]
    a, plain = pool.new_array("h", vals), array.array("h", vals)
    assert a.index(5) == plain.index(5) and a.count(5) == plain.count(5)
    assert a.index(5, 1) == 2 and a.index(2, -1) == 3
    assert a.index(5, 1, 3) == 2
    same_error(lambda: plain.index(9), lambda: a.index(9), ValueError)
    with pytest.raises(ValueError):
        a.index(1, 2)
    assert 1 in a and 9 not in a and "x" not in a
    assert list(reversed(a)) == list(reversed(plain))


def test_array_bad_arguments(pool):
    a = pool.new_array("i", 3)
    for bad in ("x", 1.5):
        with pytest.raises(TypeError) as ei:
            a.resize(bad)
        assert "in method" not in str(ei.value)
        with pytest.raises(TypeError) as ei:
            a.modify(bad)
        assert "in method" not in str(ei.value)
    with pytest.raises(ValueError):
        a.resize(-1)
    assert len(a) == 3


# ---- Map -------------------------------------------------------------------

@pytest.fixture
def m(pool):
    pool.root["m"] = {"a": 1, "b": 2}
    return pool.root["m"]


def test_map_copy_is_plain_and_shallow(m):
    m["n"] = [1]
    c = m.copy()
    assert type(c) is dict and c == {"a": 1, "b": 2, "n": [1]}
    assert isinstance(c["n"], pmemkit.List)
    c["n"].append(2)
    c["z"] = 0
    assert m == {"a": 1, "b": 2, "n": [1, 2]}


def test_map_fromkeys_is_refused_with_the_way_to_do_it(pool, m):
    for f in (lambda: pmemkit.Map.fromkeys("ab"), lambda: m.fromkeys("ab")):
        with pytest.raises(TypeError) as ei:
            f()
        assert "pool.new_map(dict.fromkeys" in str(ei.value)
    assert pool.new_map(dict.fromkeys("ab", 0)) == dict.fromkeys("ab", 0)


def test_map_or(pool, m):
    d = {"a": 1, "b": 2}
    for o in ({"b": 3, "c": 4}, {}, pool.new_map({"c": [5]})):
        got, want = m | o, d | dict(o)
        assert type(got) is dict and got == want
        got, want = o | m, dict(o) | d
        assert type(got) is dict and got == want
    assert m == d
    same_error(lambda: d | [("a", 1)], lambda: m | [("a", 1)], TypeError)


def test_map_in_place_or_is_atomic(pool, m):
    d = {"a": 1, "b": 2}
    m |= {"c": 3}
    d |= {"c": 3}
    m |= [("d", 4)]
    d |= [("d", 4)]
    assert m == d and isinstance(m, pmemkit.Map)
    with pytest.raises(TypeError):
        m |= {"e": 5, "f": object()}
    assert m == d and pool.check()["ok"]
    with pytest.raises(TypeError):
        d |= 1
    with pytest.raises(TypeError):
        m |= 1


def test_map_eq_get_pop_repr(pool, m):
    d = {"a": 1, "b": 2}
    assert m == d and d == m and m != {"a": 1} and m != [("a", 1)]
    assert m == pool.new_map(d)
    assert m.get("a") == d.get("a") and m.get("z") is d.get("z") is None
    assert m.get("z", 0) == 0
    assert m.pop("z", "dflt") == d.pop("z", "dflt") == "dflt"
    same_error(lambda: d.pop("z"), lambda: m.pop("z"), KeyError)
    same_error(lambda: d["z"], lambda: m["z"], KeyError)
    same_error(lambda: d.__delitem__("z"), lambda: m.__delitem__("z"),
               KeyError)
    same_error(lambda: d[frozenset("t")], lambda: m[frozenset("t")],
               KeyError)            # a key as in a dict (PK_FROZENSET)
    with pytest.raises(TypeError):
        m[1j]                       # not a key type a Map stores
    assert eval(repr(m).replace("pmemkit.Map", "dict")) == d
    with pytest.raises(TypeError):
        m < d


def test_map_popitem(pool, m):
    items = dict(m.items())
    first = next(iter(m.items()))
    assert m.popitem() == first     # the first in iteration order
    assert m.popitem() in items.items()
    same_error(lambda: {}.popitem(), lambda: m.popitem(), KeyError)


def test_map_views(m):
    d = {"a": 1, "b": 2}
    k, dk = m.keys(), d.keys()
    for o in ({"a", "z"}, {"b"}, set(), ["a"]):
        assert k & o == dk & o and k | o == dk | o
        assert k - o == dk - o and k ^ o == dk ^ o
        assert k.isdisjoint(o) == dk.isdisjoint(o)
    i, di = m.items(), d.items()
    assert i & {("a", 1), ("a", 2)} == di & {("a", 1), ("a", 2)}
    assert i - {("a", 1)} == di - {("a", 1)}
    assert ("a", 1) in i and ("a", 2) not in i
    assert sorted(m.values()) == sorted(d.values())
    assert len(k) == len(i) == len(m.values()) == 2
    m["c"] = 3                      # views are live, as dict's
    assert "c" in k and len(i) == 3
    assert sorted(eval(repr(k).replace("pmemkit.Map.keys", ""))) == \
        ["a", "b", "c"]


def test_map_not_reversible(m):
    # its order is the hash table's: nothing to reverse (the TypeError is
    # the interpreter's own for a Mapping)
    with pytest.raises(TypeError):
        reversed(m)


def test_no_c_names_in_errors(pool, path, m, lst):
    # every public method of the containers with arguments of wrong types
    a = pool.new_array("i", 3)
    log = pool.new_log()
    blocks = pool.new_blocks(512, 2)
    calls = [
        lambda: lst["x"], lambda: lst.insert("x", 1), lambda: lst.pop(1.5),
        lambda: lst.index(1, "x"), lambda: lst.__setitem__(slice("x"), []),
        lambda: lst.__imul__(1.5), lambda: lst.append(object()),
        lambda: a["x"], lambda: a.__setitem__(0, "x"), lambda: a.resize("x"),
        lambda: a.modify(1.5), lambda: a.index("x"),
        lambda: m[[1]], lambda: m.__setitem__([1], 1), lambda: m.get([1]),
        lambda: m.pop([1]), lambda: m.__setitem__("k", object()),
        lambda: m.__contains__({}), lambda: m.setdefault([1]),
        lambda: log.append("str"), lambda: list(log.records("x")),
        lambda: list(log.records(2**70)), lambda: log.extend([1]),
        lambda: blocks["x"], lambda: blocks[2**70], lambda: blocks.grow("x"),
        lambda: blocks.grow(-1), lambda: blocks.zero("x"),
        lambda: blocks.set_error(1.5), lambda: blocks.__setitem__(0, 5),
        lambda: blocks.append("x"),
        lambda: pool.new_array("i", "x"), lambda: pool.new_array("i", 2**70),
        lambda: pool.new_blocks("x"), lambda: pool.new_blocks(512, "x"),
        lambda: pool.new_blocks(512, 2**70), lambda: pool.new_map(5),
        lambda: pool.new_list(5), lambda: pool.new_log(["x"]),
        lambda: pmemkit.Pool.create(5), lambda: pmemkit.Pool.open(None),
        lambda: pmemkit.Pool.create(path + "2", 2**70),
        lambda: pmemkit.Pool.create(path + "2", mode="x"),
        lambda: pmem.map_file(path + "3", "x", create=True),
        lambda: pmem.map_file(path + "3", 2**70, create=True),
        lambda: pmem.map_file(path + "3", 4096, create=True, mode=2**40),
        lambda: pmemkit.Array("i", [1]), lambda: pmemkit.Blocks(pool, 5),
        lambda: pmem.Region(3),
    ]
    bad = []
    for n, f in enumerate(calls):
        try:
            t, msg = raised(f)
        except AssertionError:
            bad.append((n, "no error"))
            continue
        if "in method" in msg or "argument" in msg.split("'")[0] or \
                "_t'" in msg:
            bad.append((n, t, msg))
    assert not bad
