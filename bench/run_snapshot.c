/*
 * run_snapshot.c -- libpmemobj's cost of the least a batched put must do
 * in place: in a transaction of 1000, read 8 bytes at a random slot of a
 * table (as a lookup would), snapshot them and write them; every slot at
 * most once (a range already in the transaction costs libpmemobj less).
 * Any store that updates scattered places inside a libpmemobj transaction
 * pays this per item, so it bounds the batch put from below on this
 * machine and medium.
 */
#include <libpmemobj.h>
#include <unistd.h>

#include "bench.h"

#define SNAP_SLOT 64		/* a pmemkit map slot's size */
#define SNAP_BATCH 1000
#define SNAP_ITEMS 200000

double
bench_snapshot_floor(const char *dir, uint64_t n)
{
	char path[4096];
	size_t bytes = (size_t)n * SNAP_SLOT;
	uint64_t items = n < SNAP_ITEMS ? n : SNAP_ITEMS;
	uint64_t *order = bench_order(n, 3);
	PMEMobjpool *pop;
	PMEMoid oid;
	double t = -1;

	snprintf(path, sizeof(path), "%s/bench-snapshot.pool", dir);
	unlink(path);
	pop = pmemobj_create(path, "bench-snapshot",
			bytes + BENCH_POOL_BASE, 0600);
	if (pop == NULL || pmemobj_zalloc(pop, &oid, bytes, 1) != 0) {
		fprintf(stderr, "snapshot floor: %s\n", pmemobj_errormsg());
		goto out;
	}
	char *table = pmemobj_direct(oid);
	volatile uint64_t sink = 0;
	double start = bench_now();
	for (uint64_t i = 0; i < items; i += SNAP_BATCH) {
		int e = pmemobj_tx_begin(pop, NULL, TX_PARAM_NONE);
		for (uint64_t j = i; e == 0 && j < i + SNAP_BATCH && j < items;
				j++) {
			uint64_t *p = (uint64_t *)(table + order[j] * SNAP_SLOT);
			sink += *p;
			if ((e = pmemobj_tx_add_range_direct(p, 8)) == 0)
				*p = j;
		}
		if (e == 0)
			pmemobj_tx_commit();
		if (pmemobj_tx_end() != 0 || e != 0) {
			fprintf(stderr, "snapshot floor: %s\n",
					pmemobj_errormsg());
			goto out;
		}
	}
	t = (bench_now() - start) * 1e9 / (double)items;
out:
	if (pop != NULL)
		pmemobj_close(pop);
	unlink(path);
	free(order);
	return t;
}
