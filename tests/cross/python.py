"""The Python module's part of the cross-language test (README.md here):
`python.py write POOL` stores the data set, `python.py dump POOL` prints
every value of a pool in the dump format. The writer registers its Point
class; the dumper registers none, so records read as pmemkit.Record."""

import struct
import sys

import pmemkit
from pmemkit import _swig


class Point(pmemkit.Object):
    """The data set's record class."""


def write(path):
    pmemkit.register(Point, "Point")
    with pmemkit.Pool.create(path) as p:
        r = p.root
        r["int"] = -7
        r["int64max"] = 2**63 - 1
        r["big"] = 2**100
        r["negbig"] = -(2**70)
        r["float"] = 2.5
        r["ascii"] = "hello"
        r["text"] = "ünï €"
        r["digits"] = "12"
        r["nul"] = "a\0b"
        r["bytes"] = b"\x00\xffA"
        r["yes"] = True
        r["no"] = False
        r["nil"] = None
        r["list"] = [1, "two", 3.5, [], {}]
        r["map"] = {"a": 1, "b": {"c": [True, None]}}
        r["intkeys"] = {7: "seven", -1: "minus one"}
        r["i32"] = p.new_array("i", [1, -2, 3])
        r["f64"] = p.new_array("d", [0.5, -1.25])
        r["log"] = p.new_log([b"", b"a\0b", b"xyz"])
        blocks = p.new_blocks(512, 2)
        blocks[0] = b"hello"
        r["blocks"] = blocks
        r["set"] = {7, "seven", b"\x07"}
        r["tuplekeys"] = {(1, "a"): "x", (2, (3.5, b"\x04")): 2,
                          frozenset({2, "b"}): 3}
        r["record"] = Point(x=1, y=2.5)
        r["sorted"] = p.new_sorted_map({"b": 2, 1: "one", b"\x01": 2.5})


def hexof(b):
    return b.hex() if b else "-"


def f64(x):
    return struct.pack(">d", x).hex()


def item(k):
    """A tuple's item as the dump writes it."""
    if k is None:
        return "nil"
    if isinstance(k, bool):
        return "true" if k else "false"
    if isinstance(k, float):
        return "f:" + f64(k)
    return key(k)


def members(fs):
    """A frozen set's members in the library's order (pk_tuple_next())."""
    return pmemkit._pmemkit._frozenset_items(fs)


def key(k):
    if isinstance(k, tuple):
        return "t:(" + ",".join(item(x) for x in k) + ")"
    if isinstance(k, frozenset):
        return "fs:{" + ",".join(item(x) for x in members(k)) + "}"
    if isinstance(k, str):
        return "s:" + k.encode().hex()
    if isinstance(k, bytes):
        return "b:" + k.hex()
    if isinstance(k, int) and not isinstance(k, bool):
        return "i:%d" % k
    raise TypeError("a key of type %s" % type(k).__name__)


def elem_name(code):
    i = 0
    while True:
        row = _swig.pk_elem_table(i)
        if row is None:
            raise ValueError("element type %d" % code)
        if row.code == code:
            return row.sname
        i += 1


def scalar(v):
    if v is None:
        return "nil"
    if isinstance(v, bool):
        return "bool " + ("true" if v else "false")
    if isinstance(v, int):
        return "int %d" % v
    if isinstance(v, float):
        return "float " + f64(v)
    if isinstance(v, str):
        return "str " + hexof(v.encode())
    if isinstance(v, bytes):
        return "bytes " + hexof(v)
    raise TypeError("a value of type %s" % type(v).__name__)


def dump(path, v, out):
    if isinstance(v, pmemkit.SortedMap):
        out.append("%s sorted %d" % (path, len(v)))
        for i, (k, x) in enumerate(v.items()):
            out.append("%s@%d %s" % (path, i, key(k)))
            dump(path + "/" + key(k), x, out)
    elif isinstance(v, pmemkit.Map):
        out.append("%s map %d" % (path, len(v)))
        for k, x in v.items():
            dump(path + "/" + key(k), x, out)
    elif isinstance(v, pmemkit.List):
        out.append("%s list %d" % (path, len(v)))
        for i, x in enumerate(v):
            dump("%s[%d]" % (path, i), x, out)
    elif isinstance(v, pmemkit.Array):
        code = pmemkit._pmemkit.pk_array_type(v._h)[0]
        out.append("%s array %s %d" % (path, elem_name(code), len(v)))
        for i, x in enumerate(v):
            out.append("%s[%d] %s" % (path, i, scalar(x)))
    elif isinstance(v, pmemkit.FrozenSet):     # a Set too
        out.append("%s set %d" % (path, len(v)))
        for e in v:
            out.append("%s/%s member" % (path, key(e)))
    elif isinstance(v, pmemkit.Log):
        out.append("%s log %d" % (path, len(v)))
        for i, rec in enumerate(v):
            out.append("%s[%d] %s" % (path, i, scalar(rec)))
    elif isinstance(v, pmemkit.Record):
        attrs = v._asdict()
        out.append("%s record %s %d" % (path, v.class_name.encode().hex(),
                                        len(attrs)))
        for k, x in attrs.items():
            dump(path + "/" + key(k), x, out)
    elif isinstance(v, tuple):
        out.append("%s tuple %d" % (path, len(v)))
        for i, x in enumerate(v):
            dump("%s[%d]" % (path, i), x, out)
    elif isinstance(v, frozenset):     # a frozen set scalar as a value
        out.append("%s frozenset %d" % (path, len(v)))
        for i, x in enumerate(members(v)):
            dump("%s[%d]" % (path, i), x, out)
    elif isinstance(v, pmemkit.Blocks):
        out.append("%s blocks %d %d" % (path, v.block_size, len(v)))
        for i, blk in enumerate(v):
            out.append("%s[%d] %s" % (path, i, scalar(blk)))
    else:
        out.append("%s %s" % (path, scalar(v)))


def main(argv):
    if len(argv) != 3 or argv[1] not in ("write", "dump"):
        sys.exit("usage: python.py write|dump POOL")
    if argv[1] == "write":
        write(argv[2])
        return
    out = []
    with pmemkit.Pool.open(argv[2]) as p:
        dump(".", p.root, out)
    sys.stdout.write("".join(line + "\n" for line in out))


if __name__ == "__main__":
    main(sys.argv)
