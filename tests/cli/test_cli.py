#!/usr/bin/env python3
"""Tests of the pmemkit command (tools/pmemkit), run by make check through
tests/cli/test-cli.sh, which sets PMEMKIT (the command), PK_DAMAGE
(tests/cli/damage) and PK_SRCDIR. Standard library only."""

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

# a command that stops on an error exits without freeing what it parsed:
# under AddressSanitizer (scripts/check-variants asan) the leak report
# would follow the one line on stderr these tests check; memory errors
# are still reported
if "ASAN_OPTIONS" in os.environ:
    os.environ["ASAN_OPTIONS"] += ":detect_leaks=0"
PMEMKIT = os.path.abspath(os.environ.get("PMEMKIT", "tools/pmemkit/pmemkit"))
DAMAGE = os.environ.get("PK_DAMAGE", "tests/cli/damage")
SRCDIR = os.environ.get("PK_SRCDIR", ".")

passed = 0
failed = 0
TMP = tempfile.mkdtemp(prefix="pk-cli-", dir=os.environ.get("TMPDIR", "/tmp"))


def run(*args, stdin=None, binary=False):
    """Run the command; return (exit status, stdout, stderr)."""
    p = subprocess.run([PMEMKIT] + list(args), input=stdin,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out = p.stdout if binary else p.stdout.decode("utf-8")
    return p.returncode, out, p.stderr.decode("utf-8", "replace")


def check(cond, what):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print("FAIL: " + what, file=sys.stderr)


def ok(what, *args, stdin=None, code=0):
    r, out, err = run(*args, stdin=stdin)
    check(r == code, "%s: exit %d (want %d): %s" % (what, r, code, err.strip()))
    return out


def refused(what, code, *args, stdin=None, pool=None):
    """A refused command: its exit status, one line on stderr naming it,
    and the pool's bytes unchanged."""
    before = sha(pool) if pool else None
    r, out, err = run(*args, stdin=stdin)
    check(r == code, "%s: exit %d (want %d): %s" % (what, r, code, err.strip()))
    lines = err.strip().split("\n")
    check(len(lines) == 1 and lines[0].startswith("pmemkit: "),
          "%s: one line on stderr, got %r" % (what, err))
    if pool:
        check(sha(pool) == before, "%s: the pool changed" % what)
    return err


def sha(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def new_pool(name, size="16M"):
    path = os.path.join(TMP, name)
    if os.path.exists(path):
        os.unlink(path)
    ok("create " + name, "create", path, size)
    return path


def allkinds():
    with open(os.path.join(SRCDIR, "tests/cli/allkinds.json"), "rb") as f:
        return f.read()


def test_round_trip():
    a = new_pool("a.pool")
    ok("load allkinds", "load", a, stdin=allkinds())
    d1 = ok("dump a", "dump", a)
    b = new_pool("b.pool")
    ok("load the dump", "load", b, stdin=d1.encode())
    d2 = ok("dump b", "dump", b)
    check(d1 == d2, "dump -> load -> dump is byte-identical")
    # two loads of the same input, into pools of different hash keys
    c = new_pool("c.pool")
    ok("load allkinds again", "load", c, stdin=allkinds())
    check(ok("dump c", "dump", c) == d1, "two loads dump identically")
    # JSON Lines, both ways
    l1 = ok("dump --lines", "dump", "--lines", a)
    check(l1.split("\n")[0] == '{"pmemkit":"dump","format":1}',
          "--lines header")
    e = new_pool("e.pool")
    ok("load --lines", "load", "--lines", e, stdin=l1.encode())
    check(ok("dump e", "dump", e) == d1, "--lines round trip")
    check(ok("dump --lines e", "dump", "--lines", e) == l1,
          "--lines dumps identically")
    # --batch: bounded transactions; a load that stops says where, and
    # --skip resumes (binding the $ids of the entries it skips)
    lines = l1.split("\n")
    check(lines[7].startswith('["shared",{"$id":2') and
          lines[8] == '["shared2",{"$ref":2}]', "lines 8 and 9: %r" % lines[7:9])
    bad = list(lines)
    bad[9] = '["true",{"$array":"u8","items":[300]}]'
    r1 = new_pool("r1.pool")
    r, out, err = run("load", "--lines", "--batch", "7", r1,
                      stdin="\n".join(bad).encode())
    check(r == 2 and "resume with --skip 7" in err, "batch stops: %s" % err)
    check(len(ok("ls", "ls", r1).split("\n")) == 8, "7 entries committed")
    refused("--skip past the end", 2, "load", "--lines", "--skip=99", r1,
            stdin=l1.encode(), pool=r1)
    refused("--batch without --lines", 2, "load", "--batch=2", r1,
            stdin=d1.encode(), pool=r1)
    refused("--batch 0", 2, "load", "--lines", "--batch=0", r1,
            stdin=l1.encode(), pool=r1)
    ok("resume", "load", "--lines", "--batch", "3", "--skip", "7", r1,
       stdin=l1.encode())
    check(ok("dump r1", "dump", r1) == d1, "a resumed load dumps as one load")
    r2 = new_pool("r2.pool")
    ok("--process-durable", "load", "--lines", "--batch", "5",
       "--process-durable", r2, stdin=l1.encode())
    check(ok("dump r2", "dump", r2) == d1, "a --process-durable load")
    ok("check r2", "check", r2)
    # the dump is JSON and holds what went in
    doc = json.loads(d1)
    entries = {json.dumps(k, sort_keys=True): v for k, v in doc["$map"]}
    sc = entries['"scalars"']
    check(sc["imin"] == -9223372036854775808 and sc["imax"] == 2**63 - 1,
          "int64 limits")
    check(sc["big"] == {"$bigint": "18446744073709551616"}, "bigint")
    check(sc["nan"] == {"$double": "nan"} and sc["ninf"] == {"$double": "-inf"},
          "nan and -inf")
    check('"negzero":-0.0' in d1 and '"one":1.0' in d1 and '"tiny":5e-324' in d1,
          "doubles written with . or e")
    check(sc["s"] == 'héllo ☃ \u0000 nul\ttab\nnl "q" \\ \u001f', "string")
    check(sc["badutf8"] == {"$bytes": "wCj/"}, "bytes that are not UTF-8")
    co = entries['"containers"']
    check(co["arrays"][7] == {"$array": "u64", "items": [0, 2**64 - 1]},
          "u64 array")
    check(co["arrays"][8]["items"][:3] == [1.5, -0.0, 0.1], "f32 array")
    check(co["blocks"]["$blocks"]["bad"] == [3], "a bad block")
    check(co["tuplelist"] == {"$list": [1, 2], "flags": 1}, "flags")
    check(entries['"shared2"'] == {"$ref": 2}
          and entries['"shared"']["$id"] == 2, "a shared map")
    cyc = entries['"cycle"']
    check(cyc["$list"][1] == {"$ref": cyc["$id"]}, "a cycle")
    ok("check after load", "check", a)
    # the root's entries are merged: a second load keeps the others
    ok("load a merge", "load", a, stdin=b'{"zz":1}')
    check(ok("get zz", "get", a, "/zz") == "1\n", "merged entry")
    check(ok("get scalars", "get", a, "/scalars/i") == "-42\n",
          "old entry kept")
    # load into a path: the value is stored there
    ok("load at a path", "load", a, "/sub", stdin=b'[1,{"$bytes":"AA=="}]')
    check(ok("get sub", "get", a, "/sub") == '[1,{"$bytes":"AA=="}]\n',
          "load at a path")


def test_failed_load_changes_nothing():
    a = new_pool("f.pool")
    ok("seed", "load", a, stdin=b'{"keep":1}')
    d0 = ok("dump", "dump", a)
    bad = [
        (b'{"x":[1,2', "bad JSON"),
        (b'{"x":1} 2', "trailing text"),
        (b'[1,2]', "a root that is no map"),
        (b'{"x":"\\ud800"}', "lone surrogate"),
        (b'{"x":{"$bogus":1}}', "unknown tag"),
        (b'{"x":{"$bytes":"A"}}', "bad base64"),
        (b'{"x":1e999}', "double out of range"),
        (b'\xff', "not UTF-8"),
        (b'{"x":{"$map":[[[1],2]]}}', "a list as a key"),
        (b'{"x":{"$set":[[1]]}}', "a list in a set"),
        (b'{"x":{"$bytes":"AA==","n":1}}', "a member a tag does not take"),
        (b'{"x":1,"x":2}', "a name given twice"),
        (b'{"x":{"$log":[1]}}', "a log record that is a number"),
    ]
    for text, what in bad:
        refused("load refuses " + what, 2, "load", a, stdin=text, pool=a)
    deep = b'{"x":' + b"[" * 5000 + b"]" * 5000 + b"}"
    refused("load refuses nesting too deep", 2, "load", a, stdin=deep, pool=a)
    # refused inside the transaction: the data is unchanged
    semantic = [
        (b'{"a":1,"x":{"$array":"u8","items":[1,256]}}', "element out of range"),
        (b'{"a":1,"x":{"$ref":7}}', "a $ref with no $id"),
        (b'{"a":1,"x":{"$blocks":{"block_size":512,"count":1,'
         b'"blocks":{"5":{"$bytes":"AA=="}}}}}', "a block beyond the end"),
        (b'{"a":1,"x":{"$record":"","fields":{}}}', "an empty class name"),
        (b'{"a":1,"x":{"$set":[{"$double":"nan"},{"$frozenset":[1]}]},'
         b'"y":{"$sorted":[[{"$frozenset":[1]},1]]}}', "a frozenset as a sorted key"),
    ]
    for text, what in semantic:
        r, out, err = run("load", a, stdin=text)
        check(r == 2 and err.count("\n") == 1,
              "load refuses %s: %d %s" % (what, r, err))
        check(ok("dump", "dump", a) == d0, "load of %s changed nothing" % what)
    ok("check after refused loads", "check", a)
    # deep nesting: 1100 lists load and dump back; 1300 load but are
    # too deep to dump (a one-line error)
    ok("load 1100 deep", "load", a, "/deep", stdin=b"[" * 1100 + b"]" * 1100)
    check(ok("get deep", "get", a, "/deep") == "[" * 1100 + "]" * 1100 + "\n",
          "1100 deep")
    ok("load 1300 deep", "load", a, "/deep", stdin=b"[" * 1300 + b"]" * 1300)
    refused("dump 1300 deep", 2, "dump", a, pool=a)
    refused("tree 1300 deep", 2, "tree", a, pool=a)
    ok("dump further down", "dump", a, "/deep" + "/0" * 200)
    ok("rm deep", "rm", a, "/deep")
    # a load too big for the pool aborts whole
    small = new_pool("small.pool", "8M")
    ok("seed small", "load", small, stdin=b'{"keep":1}')
    s0 = ok("dump small", "dump", small)
    big = json.dumps({"k%d" % i: {"$bytes": "A" * 40000} for i in range(400)})
    r, out, err = run("load", small, stdin=big.encode())
    check(r == 2 and "nothing was changed" in err, "out of space: %s" % err)
    check(ok("dump small", "dump", small) == s0, "out of space changed nothing")


# keys of every type, as JSON (load) and as the path segment ls prints
KEYS = [
    ('"plain"', "plain"),
    ('"a/b"', '"a/b"'),
    ('"q\\"uote"', '"q\\"uote"'),
    ('"sp ace"', '"sp ace"'),
    ('"ünï☃"', '"ünï☃"'),
    ('"42"', '"42"'),
    ('"-1"', '"-1"'),
    ('"true"', '"true"'),
    ('"null"', '"null"'),
    ('""', '""'),
    ('"$x"', '"$x"'),
    ('"dot.colon:at@plus+minus-"', "dot.colon:at@plus+minus-"),
    ('"tab\\there"', '"tab\\there"'),
    ("42", "42"),
    ("-3", "-3"),
    ("1.5", "1.5"),
    ("true", "true"),
    ("null", "null"),
    ('{"$bytes":"AC8A"}', '{"$bytes":"AC8A"}'),
    ('{"$bigint":"123456789012345678901234567890"}',
     '{"$bigint":"123456789012345678901234567890"}'),
    ('{"$tuple":[1,"x/y",{"$tuple":[2]}]}', '[1,"x/y",[2]]'),
    ('{"$frozenset":[1,"a"]}', '{"$frozenset":[1,"a"]}'),
]


def test_paths():
    a = new_pool("p.pool")
    pairs = ",".join("[%s,%s]" % (k, json.dumps("v%d" % i))
                     for i, (k, seg) in enumerate(KEYS))
    ok("load keys", "load", a, stdin=('{"k":{"$map":[%s]}}' % pairs).encode())
    out = ok("ls /k", "ls", a, "/k")
    listed = {}
    for line in out.rstrip("\n").split("\n"):
        path, value = line.split("\t", 1)
        listed[path] = value
    for i, (k, seg) in enumerate(KEYS):
        path = "/k/" + seg
        check(listed.get(path) == '"v%d"' % i,
              "ls prints %s for key %s (got %r)" % (path, k, sorted(listed)))
        # the path ls prints gets the value back
        check(ok("get " + path, "get", a, path) == '"v%d"\n' % i,
              "get %s" % path)
    # ls --json names the same paths and keys
    js = json.loads(ok("ls --json", "ls", "--json", a, "/k"))
    check(sorted(e["path"] for e in js) == sorted(listed), "ls --json paths")
    # get, set, rm on every key type, in a fresh map
    for i, (k, seg) in enumerate(KEYS):
        path = "/m/" + seg
        ok("set /m", "set", a, "/m", "{}")
        ok("set " + path, "set", a, path, '{"$bytes":"AQI="}')
        check(ok("get " + path, "get", a, path) == '{"$bytes":"AQI="}\n',
              "get after set " + path)
        check(ok("get /m", "get", a, "/m").count("AQI=") == 1, "one entry")
        ok("rm " + path, "rm", a, path)
        ok("get after rm " + path, "get", a, path, code=1)
        refused("rm again " + path, 1, "rm", a, path, pool=a)
    # quoting: other spellings of one key
    ok("set", "set", a, "/q", '{"a b":{"$map":[[7,"seven"]]}}')
    for p in ['/q/"a b"/7', '/"q"/"a b"/7', '/q/"a\\u0020b"/7.0']:
        check(ok("get " + p, "get", a, p) == '"seven"\n', "spelling " + p)
    # containers: lists, sorted maps, records, arrays, sets, logs, blocks
    ok("load containers", "load", a, "/c", stdin=b'{"l":[10,20,30],'
       b'"s":{"$sorted":[[1,"a"]]},"r":{"$record":"P","fields":{"x":1}},'
       b'"arr":{"$array":"i16","items":[1,2]},"set":{"$set":[1]},'
       b'"log":{"$log":["a"]},"b":{"$blocks":{"block_size":512,"count":2,"blocks":{}}}}')
    check(ok("list -1", "get", a, "/c/l/-1") == "30\n", "list index -1")
    ok("list set", "set", a, "/c/l/0", "11")
    ok("list append", "set", a, "/c/l/3", "40")
    ok("list rm", "rm", a, "/c/l/1")
    check(ok("list", "get", a, "/c/l") == "[11,30,40]\n", "list after changes")
    ok("sorted set", "set", a, "/c/s/[1,2]", "null")
    check(ok("sorted", "get", a, "/c/s") ==
          '{"$sorted":[[1,"a"],[{"$tuple":[1,2]},null]]}\n', "sorted tuple key")
    ok("record set", "set", a, "/c/r/y", "[2]")
    ok("record rm", "rm", a, "/c/r/x")
    check(ok("record", "get", a, "/c/r") ==
          '{"$record":"P","fields":{"y":[2]}}\n', "record after changes")
    ok("array set", "set", a, "/c/arr/1", "-5")
    refused("array out of range", 2, "set", a, "/c/arr/0", "40000", pool=a)
    refused("array element of a string", 2, "set", a, "/c/arr/0", '"x"', pool=a)
    refused("a block too long", 2, "set", a, "/c/b/0",
            '{"$bytes":"%s"}' % ("A" * 700), pool=a)
    check(ok("array", "get", a, "/c/arr/1") == "-5\n", "array element")
    ok("set add", "set", a, "/c/set/2", "true")
    ok("set rm", "rm", a, "/c/set/1")
    check(ok("set", "get", a, "/c/set") == '{"$set":[2]}\n', "set after changes")
    ok("log append", "set", a, "/c/log/1", '"b"')
    refused("log overwrite", 2, "set", a, "/c/log/0", '"x"', pool=a)
    refused("log rm", 2, "rm", a, "/c/log/0", pool=a)
    refused("array rm", 2, "rm", a, "/c/arr/0", pool=a)
    refused("set element to false", 2, "set", a, "/c/set/2", "false", pool=a)
    check(ok("log", "get", a, "/c/log") == '{"$log":["a","b"]}\n', "log")
    ok("block write", "set", a, "/c/b/1", '{"$bytes":"aGk="}')
    check(ok("block", "get", a, "/c/b") == '{"$blocks":{"block_size":512,'
          '"count":2,"blocks":{"1":{"$bytes":"aGk="}}}}\n', "block write")
    ok("block rm", "rm", a, "/c/b/1")
    check('"blocks":{}' in ok("block", "get", a, "/c/b"), "block zeroed")
    ok("check", "check", a)
    # tree shows everything once, and --json parses
    tree = ok("tree", "tree", a)
    check("\n  c  <map, 7 entries>\n" in tree, "tree: %s" % tree)
    json.loads(ok("tree --json", "tree", "--json", a))


def test_notation_doc():
    """The examples of doc/notation.md."""
    with open(os.path.join(SRCDIR, "doc/notation.md"), encoding="utf-8") as f:
        doc = f.read()
    blocks = dict(re.findall(r"<!-- example: (\w+) -->\n```\w*\n(.*?)```",
                             doc, re.S))
    check(set(blocks) >= {"values", "lines", "paths", "load"},
          "the doc's examples: %s" % sorted(blocks))
    a = new_pool("doc.pool")
    for line in blocks["values"].strip().split("\n"):
        ok("set " + line, "set", a, "/v", line)
        check(ok("get", "get", a, "/v") == line + "\n", "value example " + line)
    ok("load example", "load", a, stdin=blocks["load"].encode())
    d = ok("dump", "dump", a, "/")
    check(d.startswith(blocks["load"].strip()[:-1]), "load example round trip")
    b = new_pool("doc2.pool")
    ok("load lines", "load", "--lines", b, stdin=blocks["lines"].encode())
    check(ok("dump lines", "dump", "--lines", b) == blocks["lines"],
          "lines example")
    # each path example names the keys it says
    for line in blocks["paths"].strip().split("\n"):
        path = re.split(r"\s{2,}", line)[0]
        c = new_pool("doc3.pool", "8M")
        segs = []
        r, out, err = run("set", c, "/x", "1")
        check(r == 0, "set")
        # build the containers down the path, then set and get the leaf
        prefix = ""
        parts = split_path(path)
        for seg in parts[:-1]:
            prefix += "/" + seg
            ok("mkdir " + prefix, "set", c, prefix, "{}")
        ok("set " + path, "set", c, path, '"leaf"')
        check(ok("get " + path, "get", c, path) == '"leaf"\n',
              "path example " + path)
        listed = ok("ls", "ls", c, prefix or "/").split("\n")
        check(any(l.split("\t")[0] == path for l in listed),
              "ls prints the path example %s as given: %r" % (path, listed))


def split_path(path):
    """Segments as given (a JSON segment read whole), for the tests."""
    segs, i = [], 1
    dec = json.JSONDecoder()
    while i < len(path):
        if path[i] in '"{[':
            _, end = dec.raw_decode(path, i)
        else:
            end = path.find("/", i)
            end = len(path) if end < 0 else end
        segs.append(path[i:end])
        i = end + 1
    return segs


def test_errors():
    a = new_pool("err.pool")
    ok("seed", "load", a, stdin=b'{"x":{"y":1},"l":[1]}')
    missing = os.path.join(TMP, "missing.pool")
    for cmd in ["info", "ls", "tree", "dump", "check", "stats", "gc", "defrag"]:
        err = refused(cmd + " of a missing file", 2, cmd, missing)
        check("missing.pool" in err and "No such file" in err,
              "%s names the file: %s" % (cmd, err))
    refused("get of a missing file", 2, "get", missing, "/x")
    refused("a directory", 2, "info", TMP)
    # bad paths
    for p in ["x", "/x/", "//", '/"x', "/x/y z", "/[1", "/{}", '/"a"b', "/1.5.5"]:
        refused("bad path %r" % p, 2, "get", a, p, pool=a)
        refused("bad path %r (set)" % p, 2, "set", a, p, "1", pool=a)
        refused("bad path %r (rm)" % p, 2, "rm", a, p, pool=a)
    # no such path, and paths through scalars
    refused("get no such", 1, "get", a, "/nope", pool=a)
    refused("rm no such", 1, "rm", a, "/x/nope", pool=a)
    refused("set under no such", 1, "set", a, "/nope/y", "1", pool=a)
    refused("set under a scalar", 2, "set", a, "/x/y/z", "1", pool=a)
    refused("list by a string", 2, "set", a, "/l/a", "1", pool=a)
    refused("ls no such", 1, "ls", a, "/nope", pool=a)
    refused("set the root", 2, "set", a, "/", "{}", pool=a)
    # bad values
    for v in ["", "{", "[1,]", "01", "1.", "'a'", "NaN", "Infinity", "tru",
              '{"$bytes":"A"}', '{"$bytes":1}', '{"$double":"NaN"}',
              '{"$bigint":"1x"}', '{"$tuple":[[1]]}', '{"$nope":1}',
              '{"$bytes":"AA==","extra":1}', '"\\ud800"', '{"a":1,"a":2}']:
        refused("bad value %r" % v, 2, "set", a, "/x/y", v, pool=a)
    # usage
    refused("no subcommand", 2, "frob", a)
    refused("unknown option", 2, "get", "--frob", a, "/x")
    refused("--json on set", 2, "set", "--json", a, "/x", "1", pool=a)
    refused("missing arguments", 2, "get", a)
    refused("too many arguments", 2, "info", a, "/x", pool=a)
    refused("bad size", 2, "create", os.path.join(TMP, "n.pool"), "12Q")
    refused("size below the minimum", 2, "create",
            os.path.join(TMP, "n.pool"), "1M")
    refused("create over a file", 2, "create", a, pool=a)
    # read-only subcommands leave the file as it was
    before = sha(a)
    for args in (["info"], ["ls"], ["tree"], ["get", None, "/x"], ["dump"],
                 ["check"], ["stats"], ["info", "--json"], ["dump", "--lines"]):
        args = [a if x is None else x for x in args]
        if a not in args:
            args.append(a)
        ok(" ".join(args), *args)
    check(sha(a) == before, "read-only subcommands change no byte")
    # damaged files: cannot be opened (2), for every subcommand
    trunc = os.path.join(TMP, "trunc.pool")
    shutil.copy(a, trunc)
    with open(trunc, "r+b") as f:
        f.truncate(4 << 20)
    for cmd in ["info", "check", "dump", "ls", "gc"]:
        refused(cmd + " of a truncated pool", 2, cmd, trunc, pool=trunc)
    flip = os.path.join(TMP, "flip.pool")
    shutil.copy(a, flip)
    with open(flip, "r+b") as f:
        f.seek(100)
        b = f.read(16)
        f.seek(100)
        f.write(bytes(x ^ 0xFF for x in b))
    for cmd in ["info", "check", "dump"]:
        refused(cmd + " of a pool with a damaged header", 2, cmd, flip,
                pool=flip)
    junk = os.path.join(TMP, "junk.pool")
    with open(junk, "wb") as f:
        f.write(b"not a pool\n" * 100000)
    refused("check of a file that is no pool", 2, "check", junk, pool=junk)


def test_check_gc_and_json():
    a = new_pool("chk.pool")
    ok("seed", "load", a, stdin=b'{"x":[1,2]}')
    out = ok("check", "check", a)
    check(out.startswith("healthy"), "check says healthy: " + out)
    js = json.loads(ok("check --json", "check", "--json", a))
    check(js["healthy"] is True and js["damaged"] == 0, "check --json")
    # a leaked container: check 1, gc frees it, check 0
    r = subprocess.run([DAMAGE, "leak", a])
    check(r.returncode == 0, "damage leak")
    r, out, err = run("check", a)
    check(r == 1 and re.search(r"leaked [1-9]", out),
          "check finds a leak: %d %s" % (r, out))
    out = ok("gc", "gc", a)
    check(re.match(r"freed [1-9][0-9]* objects\n", out), "gc: " + out)
    ok("check after gc", "check", a)
    # a wrong reference count: check exits 1
    r = subprocess.run([DAMAGE, "refcount", a])
    check(r.returncode == 0, "damage refcount")
    r, out, err = run("check", a)
    check(r == 1 and "wrong refcounts 1" in out,
          "check finds a damaged container: %d %s" % (r, out))
    js = json.loads(run("check", "--json", a)[1])
    check(js["healthy"] is False and js["refcounts"] == 1, "check --json damaged")
    # --json output of every read-only subcommand parses
    b = new_pool("json.pool")
    ok("seed", "load", b, stdin=allkinds())
    for args in (["info"], ["stats"], ["check"], ["ls"], ["tree"],
                 ["ls", "/containers"], ["tree", "/containers"]):
        out = ok("--json " + args[0], args[0], "--json", b, *args[1:])
        try:
            json.loads(out)
            check(True, "")
        except ValueError as e:
            check(False, "%s --json: %s: %r" % (args, e, out[:200]))
    info = json.loads(ok("info", "info", "--json", b))
    check(info["containers"]["map"] >= 5 and info["containers"]["blocks"] == 1
          and info["clean"] is True and info["replicas"] == 0
          and info["format"] == info["library_format"] == 2, "info: %s" % info)
    stats = json.loads(ok("stats", "stats", "--json", b))
    check(stats["kinds"]["sorted"]["count"] == 1, "stats: %s" % stats)
    ok("defrag", "defrag", b)
    ok("check after defrag", "check", b)
    # a growing pool
    g = os.path.join(TMP, "grow.pool")
    ok("create growing", "create", g, "0")
    ok("load into a growing pool", "load", g, stdin=b'{"a":1}')
    info = json.loads(ok("info growing", "info", "--json", g))
    check(info["grows"] is True and info["poolset"] is True, "growing: %s" % info)


def test_replica_repair():
    a = os.path.join(TMP, "rep.pool")
    rep = os.path.join(TMP, "rep.replica")
    ok("create with a replica", "create", "--replica", rep, a, "8M")
    ok("load", "load", a, stdin=b'{"a":[1,2,{"$bytes":"AA=="}]}')
    d = ok("dump", "dump", a)
    info = json.loads(ok("info", "info", "--json", a))
    check(info["replicas"] == 1 and info["poolset"] is True, "info: %s" % info)
    os.unlink(rep)
    refused("open without its replica", 2, "dump", a)
    out = ok("repair", "repair", a)
    check(os.path.exists(rep), "the replica is rebuilt")
    check(ok("dump after repair", "dump", a) == d, "the data after repair")
    ok("check after repair", "check", a)
    refused("repair of a plain pool", 2, "repair", new_pool("plain.pool"))


def test_progress():
    """Progress goes to stderr only when it is a terminal."""
    a = new_pool("prog.pool")
    ok("load", "load", a, stdin=allkinds())
    for cmd in (["dump"], ["check"], ["gc"]):
        r, out, err = run(*(cmd + [a]))
        check(r == 0 and err == "", "%s: nothing on a stderr that is no tty" % cmd)
    if not shutil.which("script"):
        return
    for cmd in ("dump", "check", "gc"):
        p = subprocess.run(["script", "-qec", "%s %s %s >/dev/null" % (PMEMKIT, cmd, a),
                            "/dev/null"], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
        check(p.returncode == 0 and ("pmemkit: %s: " % cmd).encode() in p.stdout,
              "%s: progress on a terminal: %r" % (cmd, p.stdout[:200]))


def test_mutations():
    """Mutated inputs and paths (a fixed seed): every run ends with 0, 1 or
    2 and one line on stderr, never a signal, and the pool stays healthy."""
    import random
    rnd = random.Random(24)
    a = new_pool("mut.pool")
    src = allkinds()
    ok("load", "load", a, stdin=src)
    alphabet = b'{}[]",:$\\/0123456789.eE+-abtrufnl \x00\xff'
    for i in range(150):
        b = bytearray(src)
        for _ in range(rnd.randint(1, 4)):
            pos = rnd.randrange(len(b))
            op = rnd.randrange(3)
            if op == 0:
                b[pos] = rnd.choice(alphabet)
            elif op == 1:
                del b[pos:pos + rnd.randint(1, 8)]
            else:
                b[pos:pos] = bytes([rnd.choice(alphabet)])
        r, out, err = run("load", a, "/m%d" % (i % 5), stdin=bytes(b))
        check(r in (0, 2) and (r == 0 or err.count("\n") == 1),
              "mutated load %d: exit %d: %r" % (i, r, err[:300]))
    paths = ['/scalars/"s"', '/containers/arrays/7/1', '/"a/b \\"q\\" é ☃"',
             '/containers/sorted/[1,2]', '/{"$bytes":"AP8="}']
    for i in range(150):
        p = bytearray(rnd.choice(paths).encode())
        for _ in range(rnd.randint(1, 3)):
            pos = rnd.randrange(len(p))
            p[pos:pos + 1] = bytes([rnd.choice(alphabet[:-2])])
        path = p.decode("utf-8", "replace").replace("\x00", "")
        r, out, err = run("get", a, path)
        check(r in (0, 1, 2) and (r == 0 or err.count("\n") == 1),
              "mutated path %r: exit %d: %r" % (path, r, err[:300]))
    # the loads replaced cycles, which only gc frees (check counts them
    # as leaked until then)
    ok("gc after mutations", "gc", a)
    ok("check after mutations", "check", a)


def test_readme():
    """The README's session, run as written (pmemkit is the command under
    test), in a directory of its own."""
    with open(os.path.join(SRCDIR, "README.md"), encoding="utf-8") as f:
        m = re.search(r"The `pmemkit` command looks into.*?```sh\n(.*?)```",
                      f.read(), re.S)
    check(m is not None, "the README's pmemkit session")
    if not m:
        return
    d = os.path.join(TMP, "readme")
    os.mkdir(d)
    script = "set -e\npmemkit() { \"$PMEMKIT\" \"$@\"; }\n" + m.group(1)
    p = subprocess.run(["sh", "-c", script], cwd=d, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, env=dict(os.environ, PMEMKIT=PMEMKIT))
    out = p.stdout.decode()
    check(p.returncode == 0 and '/users/"42"/name\t"Ada"' in out
          and '"Ada"\n' in out and out.endswith("damaged 0\n"),
          "the README's session: %d %r %r" % (p.returncode, out, p.stderr))


def test_help():
    out = ok("--help", "--help")
    for cmd in ["info", "ls", "tree", "get", "set", "rm", "dump", "load",
                "check", "gc", "stats", "defrag", "create", "repair"]:
        check(re.search(r"^  %s " % cmd, out, re.M) is not None,
              "--help lists " + cmd)
        h = ok(cmd + " --help", cmd, "--help")
        check(h.startswith("usage: pmemkit " + cmd), cmd + " --help usage")
        check("Exit status" in h, cmd + " --help exit status")
    check("--json" in ok("", "info", "--help") and
          "--json" not in ok("", "set", "--help"), "--json where it applies")
    ok("--version", "--version")
    ok("--help-all", "--help-all")


def test_installed():
    """The command runs as installed: from bin, with the library it was
    installed with (when the test wrapper says where that is)."""
    lib = os.environ.get("LD_LIBRARY_PATH", "").split(":")[0]
    if not lib:
        return
    check(os.path.basename(os.path.dirname(PMEMKIT)) == "bin",
          "the command is run from bin: " + PMEMKIT)
    check(os.path.exists(os.path.join(lib, "libpmemkit.so.0")),
          "the library is installed beside it: " + lib)
    maps = subprocess.run(["ldd", PMEMKIT], stdout=subprocess.PIPE,
                          stderr=subprocess.DEVNULL).stdout.decode()
    check(lib in maps or not maps, "it loads the installed library: " + maps)


def main():
    for t in [test_installed, test_round_trip, test_failed_load_changes_nothing, test_paths,
              test_notation_doc, test_errors, test_check_gc_and_json,
              test_replica_repair, test_progress,
              test_mutations, test_readme, test_help]:
        before = failed
        t()
        print("%s: %s" % (t.__name__, "ok" if failed == before else "FAILED"))
    print("%d checks passed, %d failed" % (passed, failed))
    if not failed:
        shutil.rmtree(TMP)
    else:
        print("pools left in " + TMP)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
