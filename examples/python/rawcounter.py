"""rawcounter.py -- a counter in raw persistent memory.

Usage: rawcounter.py FILE [N]

Maps FILE (4 KiB, created on first use), adds N (default 1) to the 64-bit
counter at its start, in place through a memoryview of the region (a
numpy.frombuffer(region, "u8") view works the same way), and persists
those 8 bytes. There is no pool and no transaction: an aligned 8-byte
store is what a crash cannot tear.
"""
import sys

from pmemkit import pmem


def main(argv):
    if len(argv) < 2:
        sys.exit(__doc__)
    with pmem.map_file(argv[1], 4096, create=True) as r:
        with memoryview(r).cast("Q") as counter:
            counter[0] += int(argv[2]) if len(argv) > 2 else 1
            r.persist(0, 8)
            print(counter[0], "(%s)" % ("persistent memory" if r.is_pmem
                                        else "msync"))


if __name__ == "__main__":
    main(sys.argv)
