"""eventlog.py -- an append-only event log in a pool.

Usage: eventlog.py POOL add EVENT...   append the events, as one unit
       eventlog.py POOL show [POS]     print the events (from a position)

The log is kept under "events" in POOL (created on first use). `add`
appends its events atomically (all or none after a crash); `show` prints
"POSITION EVENT" lines and then "next POSITION", from which a later
`show` prints only what was added since.
"""
import os
import sys

import pmemkit


def main(argv):
    if len(argv) < 3 or argv[2] not in ("add", "show"):
        sys.exit(__doc__)
    path = argv[1]
    pool = pmemkit.Pool.open(path) if os.path.exists(path) else \
        pmemkit.Pool.create(path)
    with pool:
        with pool.transaction():
            if "events" not in pool.root:
                pool.root["events"] = pool.new_log()
            events = pool.root["events"]
        if argv[2] == "add":
            pos = events.tell()
            events.extend(e.encode() for e in argv[3:])
            print("added %d events from position %d" % (len(argv) - 3, pos))
        else:
            start = int(argv[3]) if len(argv) > 3 else 0
            for pos, rec in events.records(start):
                print(pos, rec.decode(errors="replace"))
            print("next", events.tell())


if __name__ == "__main__":
    main(sys.argv)
