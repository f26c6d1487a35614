import collections.abc

import pytest

import pmemkit


@pytest.fixture
def lst(pool):
    pool.root["l"] = []
    return pool.root["l"]


def test_mutable_sequence(lst):
    assert isinstance(lst, collections.abc.MutableSequence)
    lst.append(1)
    lst.extend([2, 3, "x", None])
    lst.insert(0, 0)
    lst.insert(100, "end")
    lst.insert(-100, "start")
    assert lst == ["start", 0, 1, 2, 3, "x", None, "end"]
    assert lst[0] == "start" and lst[-1] == "end"
    assert lst.pop() == "end" and lst.pop(0) == "start"
    assert len(lst) == 6
    assert lst.index("x") == 4 and lst.count(2) == 1 and 3 in lst
    lst.remove("x")
    lst.reverse()
    assert lst == [None, 3, 2, 1, 0]
    lst += [9]
    assert lst[-1] == 9
    with pytest.raises(IndexError):
        lst[100]
    with pytest.raises(IndexError):
        lst[100] = 1
    with pytest.raises(IndexError):
        del lst[100]
    lst.clear()
    assert len(lst) == 0
    with pytest.raises(IndexError):
        lst.pop()


def test_slices(lst):
    ref = list(range(20))
    lst.extend(ref)
    for s in (slice(None), slice(2, 5), slice(-3, None), slice(None, None, 2),
              slice(10, 2, -3), slice(5, 5), slice(100, 200),
              slice(None, None, -1)):
        assert lst[s] == ref[s]
    lst[2:5] = ["a", "b"]
    ref[2:5] = ["a", "b"]
    assert lst == ref
    lst[0:0] = [7, 8, 9]
    ref[0:0] = [7, 8, 9]
    assert lst == ref
    lst[len(ref):] = [1, 2]
    ref[len(ref):] = [1, 2]
    assert lst == ref
    lst[::3] = list(range(len(ref[::3])))
    ref[::3] = list(range(len(ref[::3])))
    assert lst == ref
    with pytest.raises(ValueError):
        lst[::2] = [1]
    del lst[1:4]
    del ref[1:4]
    assert lst == ref
    del lst[::2]
    del ref[::2]
    assert lst == ref
    del lst[::-3]
    del ref[::-3]
    assert lst == ref
    lst[:] = []
    assert len(lst) == 0


def test_nested_values(pool, lst):
    lst.append({"a": [1]})
    lst.append([1, [2, [3]]])
    lst.append((1, 2))
    lst.extend([{"x": 1}, 5, [6]])
    assert lst.to_python() == [{"a": [1]}, [1, [2, [3]]], (1, 2), {"x": 1},
                               5, [6]]
    lst[0] = [0]
    assert lst[0] == [0]
    v = lst.pop(1)
    assert v == [1, [2, [3]]] and type(v) is list
    assert pool.check()["ok"]


def is_plain(v):
    """Whether v holds no container of a pool, however deep."""
    if isinstance(v, (pmemkit.Map, pmemkit.List, pmemkit.Array)):
        return False
    if isinstance(v, dict):
        return all(is_plain(x) for x in v.values())
    if isinstance(v, (list, tuple)):
        return all(is_plain(x) for x in v)
    return True


def test_pop_copies_containers_inside_tuples(pool):
    # popping frees the element's containers: a tuple among them comes back
    # as a tuple of plain copies, however deep
    r = pool.root
    r["l"] = [(4, {"m": 5}), (1, ([2, (3, {"x": [4]})],)), ("s", (b"b",))]
    v = r["l"].pop()
    assert v == ("s", (b"b",)) and type(v[1]) is tuple
    v = r["l"].pop()
    assert v == (1, ([2, (3, {"x": [4]})],)) and is_plain(v)
    assert type(v[1]) is tuple and type(v[1][0][1]) is tuple
    v = r["l"].pop()
    assert v == (4, {"m": 5}) and type(v[1]) is dict
    pool.gc()
    assert v[1]["m"] == 5 and len(r["l"]) == 0
    assert pool.check()["ok"]


def test_to_python_copies_containers_inside_tuples(pool, lst):
    lst.append((4, {"m": 5}))
    lst.append([(1, [(2, {"a": (3,)})])])
    p = lst.to_python()
    assert p == [(4, {"m": 5}), [(1, [(2, {"a": (3,)})])]] and is_plain(p)
    assert type(p[1][0][1][0][1]["a"]) is tuple
    del lst[:]
    pool.gc()
    assert p[0][1]["m"] == 5 and p[1][0][1][0][1]["a"] == (3,)


def test_iteration(lst):
    lst.extend(range(100))
    assert list(lst) == list(range(100))
    for i, v in enumerate(lst):
        lst[i] = v * 2  # setting elements does not disturb
    assert list(lst) == [2 * i for i in range(100)]
    # appends while iterating are visited, as in a list
    ref = list(lst)
    for seq in (lst, ref):
        for v in seq:
            if len(seq) < 150:
                seq.append(-v)
    assert list(lst) == ref and len(lst) == 150


def test_sort(lst):
    lst.extend([3, 1, 2])
    lst.sort()
    assert lst == [1, 2, 3]
    lst.sort(reverse=True)
    assert lst == [3, 2, 1]


def test_bulk_extend(lst):
    lst.extend(range(100000))
    assert len(lst) == 100000 and lst[-1] == 99999
