/*
 * run_latency.c -- the machine's cost of one dependent random load from a
 * buffer of the given size: the floor for any lookup that misses the cache
 * once (pmemkit's get touches one bucket, found without a chain of loads)
 */
#include "bench.h"

double
bench_load_latency(size_t bytes)
{
	size_t n = bytes / 64, p = 0;
	uint64_t *a = aligned_alloc(64, n * 64);
	uint64_t *perm = bench_order(n, 7);
	double t;

	if (a == NULL)
		abort();
	/* one cycle through every cache line, in random order */
	for (size_t i = 0; i < n; i++)
		a[perm[i] * 8] = perm[(i + 1) % n] * 8;
	t = bench_now();
	for (size_t i = 0; i < 2000000; i++)
		p = a[p];
	t = (bench_now() - t) * 1e9 / 2000000;
	if (p == (size_t)-1) /* keeps the loop */
		abort();
	free(a);
	free(perm);
	return t;
}
