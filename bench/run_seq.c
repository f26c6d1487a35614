/*
 * run_seq.c -- pmemkit's list and typed array: append and indexed get on
 * a list, one-element sets and a bulk range write on an array
 */
#include <unistd.h>

#include "bench.h"
#include "pmemkit.h"

static int
fail(const char *what, int rc)
{
	fprintf(stderr, "pmemkit: %s: %s\n", what, pk_errormsg());
	return rc;
}

int
bench_seq(const char *dir, uint64_t n, struct bench_seq *r)
{
	char path[4096];
	uint64_t *order = bench_order(n, 3);
	pk_pool *pool;
	pk_list *list;
	pk_array *arr;
	struct bench_progress pr;
	pk_value out;
	double t;
	int rc;

	snprintf(path, sizeof(path), "%s/bench-seq.pool", dir);
	unlink(path);
	if ((rc = pk_pool_create(&pool, path, (size_t)n * 64 +
					((size_t)256 << 20), 0)) != 0)
		return fail("create", rc);
	if ((rc = pk_list_new(&list, pool)) != 0)
		return fail("list", rc);
	bench_progress_start(&pr, "pmemkit list append_tx", n);
	t = bench_now();
	for (uint64_t i = 0; i < n; i++) {
		pk_value v = pk_int((int64_t)i);
		if ((rc = pk_list_append(list, &v)) != 0)
			return fail("append", rc);
		bench_progress_tick(&pr, i);
	}
	r->list_append_tx = (bench_now() - t) * 1e9 / (double)n;
	bench_progress_end(&pr);
	t = bench_now();
	for (uint64_t i = 0; i < n; i++)
		if ((rc = pk_list_get(&out, list, (int64_t)order[i])) != 0)
			return fail("get", rc);
	r->list_get = (bench_now() - t) * 1e9 / (double)n;

	double *src = malloc(n * sizeof(*src));
	for (uint64_t i = 0; i < n; i++)
		src[i] = (double)i * 0.5;
	if ((rc = pk_array_new(&arr, pool, PK_ELEM_F64, 0, n, NULL)) != 0)
		return fail("array", rc);
	bench_progress_start(&pr, "pmemkit array set_tx", n);
	t = bench_now();
	for (uint64_t i = 0; i < n; i++) {
		pk_value v = pk_double(src[i]);
		if ((rc = pk_array_set(arr, (int64_t)order[i], &v)) != 0)
			return fail("set", rc);
		bench_progress_tick(&pr, i);
	}
	r->array_set_tx = (bench_now() - t) * 1e9 / (double)n;
	bench_progress_end(&pr);
	/* best of five: one transaction writes all n elements */
	r->array_write_gbs = 0;
	for (int rep = 0; rep < 5; rep++) {
		t = bench_now();
		if ((rc = pk_array_write(arr, 0, n, src)) != 0)
			return fail("write", rc);
		double gbs = (double)(n * sizeof(*src)) / (bench_now() - t) / 1e9;
		if (gbs > r->array_write_gbs)
			r->array_write_gbs = gbs;
	}
	free(src);
	pk_array_close(arr);
	pk_list_close(list);
	pk_pool_close(pool);
	unlink(path);
	free(order);
	return 0;
}
