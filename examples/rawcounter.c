/*
 * rawcounter.c -- a counter in raw persistent memory
 *
 * Usage: rawcounter FILE [N]
 *
 * Maps FILE (4 KiB, created on first use), adds N (default 1) to the
 * 64-bit counter at its start and persists it, then prints it. An 8-byte
 * aligned store is the unit a crash cannot tear, so the counter after a
 * crash is the last value persisted or the one after; there is no pool
 * and no transaction, only a region (pk_region_map()).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pmemkit.h"

int
main(int argc, char **argv)
{
	pk_region *r;
	uint64_t *counter;
	int pmem, rc;

	if (argc < 2) {
		fprintf(stderr, "usage: rawcounter FILE [N]\n");
		return 2;
	}
	rc = pk_region_map(&r, argv[1], 4096, PK_REGION_CREATE, 0600);
	if (rc != 0) {
		fprintf(stderr, "rawcounter: %s\n", pk_errormsg());
		return 1;
	}
	counter = pk_region_addr(r);
	__atomic_store_n(counter, *counter + (argc > 2 ?
			strtoull(argv[2], NULL, 10) : 1), __ATOMIC_RELAXED);
	if ((rc = pk_region_persist(r, 0, sizeof(*counter))) != 0 ||
	    (rc = pk_region_is_pmem(&pmem, r)) != 0) {
		fprintf(stderr, "rawcounter: %s\n", pk_errormsg());
		return 1;
	}
	printf("%llu (%s)\n", (unsigned long long)*counter,
			pmem ? "persistent memory" : "msync");
	return pk_region_close(r) == 0 ? 0 : 1;
}
