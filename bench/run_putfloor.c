/*
 * run_putfloor.c -- the least a durable put of one small record costs on
 * this medium, with libpmem alone: copy a 64-byte record (a 16-byte key
 * and a 32-byte value, with room for their lengths and types) to a fresh
 * place with pmem_memcpy_persist(), then publish it with an 8-byte store
 * of its offset into a table slot and pmem_persist() of that slot. No
 * index, no allocator, no log: any crash-consistent put does at least
 * these two ordered write-backs, so pmemkit's put is measured against it.
 */
#include <libpmem.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"

#define REC 64

double
bench_put_floor(const char *dir, uint64_t n)
{
	char path[4096];
	size_t len = (size_t)n * (REC + 8), mapped;
	uint64_t *order = bench_order(n, 5);
	char rec[REC];
	int is_pmem;
	double t = -1;

	snprintf(path, sizeof(path), "%s/bench-putfloor.pmem", dir);
	unlink(path);
	char *base = pmem_map_file(path, len, PMEM_FILE_CREATE, 0600,
			&mapped, &is_pmem);
	if (base == NULL || order == NULL) {
		fprintf(stderr, "put floor: %s\n", pmem_errormsg());
		goto out;
	}
	/* the records one after another (as an allocator would hand them
	 * out), the slots that publish them scattered (as a hash index's) */
	char *recs = base;
	uint64_t *slot = (uint64_t *)(base + (size_t)n * REC);
	memset(rec, 'r', sizeof(rec));
	double start = bench_now();
	for (uint64_t i = 0; i < n; i++) {
		memcpy(rec, &i, sizeof(i));
		pmem_memcpy_persist(recs + i * REC, rec, REC);
		uint64_t *s = &slot[order[i]];
		__atomic_store_n(s, i * REC, __ATOMIC_RELEASE);
		pmem_persist(s, sizeof(*s));
	}
	t = (bench_now() - start) * 1e9 / (double)n;
out:
	if (base != NULL)
		pmem_unmap(base, mapped);
	unlink(path);
	free(order);
	return t;
}
