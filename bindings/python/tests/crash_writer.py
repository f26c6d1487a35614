# A writer for test_process.py's crash test: opens the pool, then forever
# makes a change (each atomic on its own) and acknowledges it on stdout
# ("<kind> <i>") once the call returned. Keys are reused so the pool
# does not fill. The test kills it with SIGKILL.
import os
import sys

import pmemkit

path, start = sys.argv[1], int(sys.argv[2])
pool = pmemkit.Pool.open(path)
root = pool.root
log = root["log"]
out = os.fdopen(sys.stdout.fileno(), "w", buffering=1)
out.write("ready\n")
i = start
while True:
    k = i % 3
    if k == 0:
        root[i % 600] = {"i": i, "l": list(range(i % 7)), "s": "v%d" % i}
        out.write("put %d\n" % i)
    elif k == 1:
        log.append(i)
        out.write("append %d\n" % i)
    else:
        with pool.transaction():
            root["pair_a"] = i
            root["t"] = b"x" * (i % 300)
            root["pair_b"] = i
        out.write("tx %d\n" % i)
    i += 1
