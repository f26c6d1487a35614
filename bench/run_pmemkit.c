/*
 * run_pmemkit.c -- pmemkit's map under the benchmark's workload
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

/* open_fresh -- a new pool sized for n entries */
static int
open_fresh(pk_pool **pool, pk_map **root, const char *path, uint64_t n)
{
	int rc;
	unlink(path);
	if ((rc = pk_pool_create(pool, path, (size_t)n * 256 + ((size_t)64 << 20),
					0)) != 0)
		return fail("create", rc);
	if ((rc = pk_pool_root(root, *pool)) != 0)
		return fail("root", rc);
	return 0;
}

int
bench_pmemkit(const char *dir, uint64_t n, struct bench_result *r)
{
	char path[4096];
	uint8_t kb[KEY_LEN], vb[VAL_LEN];
	uint64_t *order = bench_order(n, 1), *gorder = bench_order(n, 2);
	pk_pool_stats st;
	pk_pool *pool;
	pk_map *root;
	pk_value out;
	double t;
	int rc;

	snprintf(path, sizeof(path), "%s/bench-pmemkit.pool", dir);
	if ((rc = open_fresh(&pool, &root, path, n)) != 0)
		return rc;
	t = bench_now();
	for (uint64_t i = 0; i < n; i++) {
		bench_key(kb, order[i]);
		bench_val(vb, order[i]);
		pk_value k = pk_bytes(kb, KEY_LEN), v = pk_bytes(vb, VAL_LEN);
		if ((rc = pk_map_put(root, &k, &v)) != 0)
			return fail("put", rc);
	}
	r->put_tx = (bench_now() - t) * 1e9 / (double)n;
	if ((rc = pk_pool_stats_get(&st, pool)) != 0)
		return fail("stats", rc);
	r->bytes_per_entry = (double)st.used / (double)n;

	t = bench_now();
	for (uint64_t i = 0; i < n; i++) {
		bench_key(kb, gorder[i]);
		pk_value k = pk_bytes(kb, KEY_LEN);
		if ((rc = pk_map_get(&out, root, &k)) != 0)
			return fail("get", rc);
	}
	r->get = (bench_now() - t) * 1e9 / (double)n;

	t = bench_now();
	for (uint64_t i = 0; i < n; i++) {
		bench_key(kb, gorder[i]);
		pk_value k = pk_bytes(kb, KEY_LEN);
		if ((rc = pk_map_remove(root, &k)) != 0)
			return fail("remove", rc);
	}
	r->remove_tx = (bench_now() - t) * 1e9 / (double)n;
	pk_map_close(root);
	pk_pool_close(pool);

	if ((rc = open_fresh(&pool, &root, path, n)) != 0)
		return rc;
	t = bench_now();
	for (uint64_t i = 0; i < n; i += 1000) {
		if ((rc = pk_tx_begin(pool)) != 0)
			return fail("begin", rc);
		for (uint64_t j = i; j < i + 1000 && j < n; j++) {
			bench_key(kb, order[j]);
			bench_val(vb, order[j]);
			pk_value k = pk_bytes(kb, KEY_LEN);
			pk_value v = pk_bytes(vb, VAL_LEN);
			if ((rc = pk_map_put(root, &k, &v)) != 0)
				return fail("put", rc);
		}
		if ((rc = pk_tx_commit(pool)) != 0)
			return fail("commit", rc);
	}
	r->put_batch = (bench_now() - t) * 1e9 / (double)n;
	pk_map_close(root);
	pk_pool_close(pool);
	unlink(path);
	free(order);
	free(gorder);
	return 0;
}
