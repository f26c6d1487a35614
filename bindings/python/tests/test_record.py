# test_record.py -- records: pmemkit.Object subclasses registered with
# pmemkit.register, whose attributes live in the pool once stored.

import threading

import pytest

import pmemkit


@pmemkit.register("test_record.Point")
class Point(pmemkit.Object):
    """A point; its methods and properties are the class's."""
    z = 0                       # a default: a stored z hides it

    def norm1(self):
        return abs(self.x) + abs(self.y)

    @property
    def pair(self):
        return (self.x, self.y)

    @pair.setter
    def pair(self, xy):
        self.x, self.y = xy


@pmemkit.register
class Person(pmemkit.Object):
    def __init__(self, name, age):
        self.name = name
        self.age = age
        self.inits = getattr(self, "inits", 0) + 1


@pmemkit.register("test_record.Typed")
class Typed(pmemkit.Object):
    """Attributes declared as annotations: no class attributes."""
    a: int
    b: str = "default"


class Unregistered(pmemkit.Object):
    pass


class SubPoint(Point):
    """Not registered itself: storing one is refused."""


def test_register_forms():
    assert pmemkit.register(Point, "test_record.Point") is Point
    name = "%s.Person" % __name__
    assert pmemkit.register(Person, name) is Person
    assert pmemkit.register(name)(Person) is Person

    @pmemkit.register("test_record.Call")
    class Call(pmemkit.Object):
        pass

    class Other(pmemkit.Object):
        pass

    with pytest.raises(ValueError):         # a name has one class
        pmemkit.register(Other, "test_record.Point")
    with pytest.raises(ValueError):         # a class has one name
        pmemkit.register(Point, "test_record.Point2")
    with pytest.raises(TypeError):
        pmemkit.register(dict, "dict")
    with pytest.raises(TypeError):
        pmemkit.register(pmemkit.Object, "Object")
    for bad in ("", "x" * 1025, "a\0b"):
        with pytest.raises(ValueError):
            pmemkit.register(Other, bad)

    class Slotted(pmemkit.Object):
        __slots__ = ("cache",)
    with pytest.raises(TypeError, match="__slots__"):
        pmemkit.register(Slotted, "test_record.Slotted")

    class Shared(pmemkit.Object):
        tags = []
    with pytest.raises(TypeError, match="mutable list"):
        pmemkit.register(Shared, "test_record.Shared")


def test_store_binds_the_instance(pool):
    r = pool.root
    p = Point(x=1, y=2.5)
    assert p.x == 1 and vars(p) == {"x": 1, "y": 2.5}
    r["p"] = p
    p.x = 5                                 # reaches the pool
    q = r["p"]
    assert type(q) is Point and q is not p
    assert q.x == 5 and q.y == 2.5 and q == p
    q.y = -1
    assert p.y == -1                        # one record, two handles
    r["again"] = p                          # a reference to the same one
    r["again"].x = 7
    assert q.x == 7 and len(r) == 2
    assert pool.check()["ok"]


def test_attributes(pool):
    r = pool.root
    r["p"] = Point(x=1, y=2)
    p = r["p"]
    assert p.norm1() == 3 and p.pair == (1, 2)
    p.pair = (3, 4)                         # the property's setter
    assert r["p"]._asdict() == {"x": 3, "y": 4}
    assert p.z == 0                         # the class's default
    p.z = 9
    assert r["p"].z == 9 and Point.z == 0
    del p.z
    assert p.z == 0
    with pytest.raises(AttributeError):
        del p.z
    with pytest.raises(AttributeError, match="'Point' object has no "
                                             "attribute 'w'"):
        p.w
    assert getattr(p, "w", None) is None and not hasattr(p, "w")
    assert hasattr(p, "x") and "x" in dir(p) and "norm1" in dir(p)
    with pytest.raises(AttributeError):
        p.norm1 = 1                         # would never be read
    with pytest.raises(AttributeError):
        p.__secret__ = 1
    assert r["p"]._asdict() == {"x": 3, "y": 4}
    assert repr(p) == "Point(x=3, y=4)"
    d = p._asdict()
    d["x"] = 100                            # a snapshot
    assert p.x == 3
    with pytest.raises(TypeError):
        vars(p)["x"] = 100                  # read-only: not a lost write
    assert p.x == 3


def test_attribute_values(pool):
    r = pool.root
    p = Point(x=1, y=2)
    r["p"] = p
    p.tags = ["a"]                          # stored as a List
    assert isinstance(p.tags, pmemkit.List)
    p.tags.append("b")
    assert r["p"].tags == ["a", "b"]
    p.meta = {"k": (1, 2)}
    assert r["p"].meta["k"] == (1, 2)
    p.other = Point(x=0, y=0)               # a nested record
    assert type(r["p"].other) is Point
    r["p"].other.x = 42
    assert p.other.x == 42
    p.me = p                                # itself: a reference
    assert r["p"].me.x == 1
    p.big, p.none, p.b = 2**100, None, b"\x00"
    assert (p.big, p.none, p.b) == (2**100, None, b"\x00")
    with pytest.raises(TypeError):
        p.bad = object()
    assert not hasattr(p, "bad")


def test_volatile_before_store(pool):
    p = Point(x=1, y=2)
    p.x = 3                                 # volatile: no pool yet
    del p.y
    assert p._asdict() == {"x": 3} and repr(p) == "Point(x=3)"
    with pytest.raises(AttributeError):
        p.y
    p.y = 4
    pool.root["p"] = p
    assert pool.root["p"]._asdict() == {"x": 3, "y": 4}


def test_init_runs_only_for_volatile_construction(pool):
    r = pool.root
    r["who"] = Person("Ann", 30)
    who = r["who"]
    assert type(who) is Person and who.inits == 1
    assert (who.name, who.age) == ("Ann", 30)
    made = pool.new(Person, name="Bob", age=4)
    assert type(made) is Person and made._asdict() == {"name": "Bob",
                                                      "age": 4}
    r["made"] = made
    assert r["made"].name == "Bob" and not hasattr(r["made"], "inits")


def test_pool_new(pool):
    r = pool.root
    p = pool.new(Point, x=1, y=2)
    assert type(p) is Point and p.x == 1
    r["p"] = p
    r["p"].x = 10
    assert p.x == 10
    g = pool.new("test_record.Point", x=0)      # a registered name
    assert type(g) is Point
    rec = pool.new("Elsewhere", a=1)            # nobody's name
    assert type(rec) is pmemkit.Record and rec.class_name == "Elsewhere"
    with pytest.raises(TypeError):
        pool.new(Unregistered)
    with pytest.raises(AttributeError):
        pool.new(Point, norm1=1)
    # unreferenced until stored: gc frees it, and then it says so
    lost = pool.new(Point, x=1)
    assert pool.gc() >= 1
    with pytest.raises(pmemkit.StaleError):
        lost.x


def test_unregistered_class_reads_as_record(pool):
    r = pool.root
    r["e"] = pmemkit.Record("Elsewhere", a=1, b="two")
    e = r["e"]
    assert type(e) is pmemkit.Record and e.class_name == "Elsewhere"
    assert e.a == 1 and e.b == "two" and vars(e) == {"a": 1, "b": "two"}
    e.c = [1]
    del e.a
    assert r["e"]._asdict() == {"b": "two", "c": [1]}
    assert repr(r["e"]) == ("pmemkit.Record('Elsewhere', b='two', "
                            "c=pmemkit.List([1]))")
    with pytest.raises(AttributeError):
        e.nope
    assert e == pmemkit.Record("Elsewhere", b="two", c=[1])
    assert e != pmemkit.Record("Other", b="two", c=e.c)


def test_refused_stores(pool):
    r = pool.root
    for bad in (Unregistered(a=1), SubPoint(x=1), pmemkit.Object(a=1)):
        with pytest.raises(TypeError, match="not registered"):
            r["x"] = bad
        assert "x" not in r and len(bad._asdict()) == 1   # still volatile
    with pytest.raises(TypeError):
        r[Point(x=1)] = 1                   # not a key
    with pytest.raises(TypeError):
        pool.root["s"] = {Point(x=1)}


def test_other_pool(pool, tmp_path):
    with pmemkit.Pool.create(str(tmp_path / "other.pool")) as other:
        p = other.new(Point, x=1)
        with pytest.raises(ValueError):
            pool.root["p"] = p


def test_equality(pool):
    a, b = Point(x=1, y=2), Point(x=1, y=2)
    assert a == b and a != Point(x=1, y=3) and a != Person("x", 1)
    assert a != {"x": 1, "y": 2}
    pool.root["a"] = a
    assert a == b and pool.root["a"] == b
    with pytest.raises(TypeError):
        hash(a)


def test_transactions(pool):
    r = pool.root
    p = pool.new(Point, x=0, y=0)
    r["p"] = p
    with pool.transaction():
        p.x = 1
        p.y = 1
    assert r["p"].pair == (1, 1)
    with pytest.raises(KeyError):
        with pool.transaction():
            p.x = 2
            del p.y
            raise KeyError("abort")
    assert r["p"]._asdict() == {"x": 1, "y": 1}
    # a store rolled back leaves the instance volatile, attributes kept
    v = Point(x=5)
    with pytest.raises(KeyError):
        with pool.transaction():
            r["v"] = v
            raise KeyError("abort")
    assert "v" not in r and v._asdict() == {"x": 5}
    v.x = 6                                 # volatile again: no error
    r["v"] = v
    v.x = 7
    assert r["v"].x == 7
    # a store that fails aborts the transaction: what it bound is
    # volatile again at once, and the rest of the block is undone
    w, bad = Point(x=1), Point(x=2, o=object())
    with pytest.raises(pmemkit.TransactionError):
        with pool.transaction():
            r["w"] = w
            with pytest.raises(TypeError):
                r["bad"] = bad
            assert w._asdict() == {"x": 1} and bad._asdict()["x"] == 2
    assert "w" not in r and "bad" not in r
    r["w"] = w
    assert r["w"] == w


def test_copies_are_plain(pool):
    r = pool.root
    r["p"] = Point(x=1, y=[2])
    plain = r.to_python()["p"]
    assert type(plain) is Point and plain == Point(x=1, y=[2])
    plain.x = 99                            # volatile: the pool keeps 1
    assert r["p"].x == 1
    popped = r.pop("p")
    assert popped._asdict() == {"x": 1, "y": [2]}
    popped.x = 3
    pool.root["back"] = popped              # stores a new record
    assert pool.root["back"].x == 3


def test_copy_and_pickle(pool):
    import copy
    import pickle
    v = Point(x=1, y=[2])
    c, d = copy.copy(v), copy.deepcopy(v)
    c.x = 5
    d.y.append(3)
    assert v._asdict() == {"x": 1, "y": [2]} and type(c) is Point
    assert pickle.loads(pickle.dumps(v)) == v
    rec = pmemkit.Record("Elsewhere", a=1)
    assert copy.copy(rec).class_name == "Elsewhere" and copy.copy(rec) == rec
    pool.root["v"] = v
    for fn in (copy.copy, copy.deepcopy, pickle.dumps):
        with pytest.raises(TypeError):
            fn(v)
    with pytest.raises(TypeError):
        copy.copy(pool.root["v"])


def test_annotations(pool):
    t = pool.new(Typed, a=1)
    assert t.a == 1 and t.b == "default"
    t.b = "set"
    pool.root["t"] = t
    assert pool.root["t"]._asdict() == {"a": 1, "b": "set"}


def test_new_runs_property_setters(pool):
    p = pool.new(Point, pair=(1, 2))
    assert p._asdict() == {"x": 1, "y": 2}


def test_self_reference(pool):
    p = Point(x=1)
    p.me = p
    assert repr(p) == "Point(me=..., x=1)"
    pool.root["p"] = p
    assert repr(pool.root["p"]) == "Point(me=..., x=1)"
    assert pool.root["p"].me.me.x == 1
    assert pool.root["p"] == p and pool.root["p"].me == p
    c = pool.root.to_python()["p"]          # a copy, its cycle kept
    assert type(c) is Point and c.me is c and c.x == 1


def test_persists(path):
    with pmemkit.Pool.create(path) as p:
        p.root["pt"] = Point(x=1, y=2.5)
        p.root["other"] = pmemkit.Record("Elsewhere", k="v")
    with pmemkit.Pool.open(path) as p:
        pt = p.root["pt"]
        assert type(pt) is Point and pt.norm1() == 3.5
        assert p.root["other"].class_name == "Elsewhere"
        assert p.check()["ok"]
    with pytest.raises(pmemkit.ClosedError):
        pt.x


def test_threads(pool):
    r = pool.root
    p = pool.new(Point, n=0)
    r["p"] = p

    def work(i):
        for k in range(50):
            setattr(p, "a%d" % i, k)
            with pool.transaction():
                p.n = p.n + 1
    ts = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    assert r["p"].n == 200
    assert all(getattr(p, "a%d" % i) == 49 for i in range(4))
