# Helpers of the tests of the kinds of pool (test_pool_*.py): the files a
# pool consists of and their bytes, and values that name their key.
import hashlib
import os

MIB = 1 << 20


def files_of(path):
    """Every file a pool at path consists of: the file itself and its
    parts (a growing pool's directory, a replicated pool's data file)."""
    out = [path]
    for extra in (path + ".parts", path + ".pmem"):
        if os.path.isdir(extra):
            out += [os.path.join(extra, f) for f in sorted(os.listdir(extra))]
        elif os.path.exists(extra):
            out.append(extra)
    return out


def digest(paths):
    """The bytes of files, as one hash per file."""
    out = {}
    for p in paths:
        with open(p, "rb") as f:
            out[p] = hashlib.sha256(f.read()).hexdigest()
    return out


def value(i, n):
    """n bytes that belong to key i only."""
    return (b"%08d" % i) * (n // 8)
