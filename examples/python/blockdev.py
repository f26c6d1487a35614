"""blockdev.py -- a small block device in a pool: 4 KiB sectors, each
written whole and atomically.

Usage: blockdev.py POOL write N TEXT | read N | zero N | bad N | info

The device is the block array under "disk" in POOL (64 sectors, made on
first use, grown when a write goes past its end). A crash during a write
leaves the sector's old contents or the new, never a mix.
"""
import os
import sys

import pmemkit


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    path, cmd = argv[1], argv[2]
    pool = pmemkit.Pool.open(path) if os.path.exists(path) else \
        pmemkit.Pool.create(path)
    with pool:
        with pool.transaction():
            if "disk" not in pool.root:
                pool.root["disk"] = pool.new_blocks(4096, 64)
            disk = pool.root["disk"]
        if cmd == "info":
            print("%d sectors of %d bytes" % (len(disk), disk.block_size))
            return
        n = int(argv[3])
        if cmd == "write":
            with pool.transaction():
                if n >= len(disk):
                    disk.grow(n + 1 - len(disk))
                disk[n] = argv[4].encode()
        elif cmd == "read":
            try:
                print(disk[n].rstrip(b"\0").decode(errors="replace"))
            except OSError as e:
                print("sector %d is bad (%s)" % (n, e.strerror))
        elif cmd == "zero":
            disk.zero(n)
        elif cmd == "bad":
            disk.set_error(n)
        else:
            sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
