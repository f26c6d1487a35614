/*
 * store_pmemkit.c -- pmemkit's map (the pool's root) as a benchmark store
 */
#include <unistd.h>

#include "bench.h"
#include "pmemkit.h"

struct pks {
	char path[4096];
	pk_pool *pool;
	pk_map *root;
};

static int
fail(const char *what, int rc)
{
	fprintf(stderr, "pmemkit: %s: %s\n", what, pk_errormsg());
	return rc ? rc : -1;
}

static void *
create(const char *dir, uint64_t n)
{
	struct pks *s = calloc(1, sizeof(*s));

	if (s == NULL)
		return NULL;
	snprintf(s->path, sizeof(s->path), "%s/bench-pmemkit.pool", dir);
	unlink(s->path);
	if (pk_pool_create(&s->pool, s->path, bench_pool_size(n), 0) != 0) {
		fail("create", 0);
		free(s);
		return NULL;
	}
	if ((bench_prefault && pk_pool_prefault(s->pool) != 0) ||
	    pk_pool_root(&s->root, s->pool) != 0) {
		fail("prefault or root", 0);
		pk_pool_close(s->pool);
		unlink(s->path);
		free(s);
		return NULL;
	}
	return s;
}

static int
put(void *p, const uint8_t *key, const uint8_t *val)
{
	struct pks *s = p;
	pk_value k = pk_bytes(key, KEY_LEN), v = pk_bytes(val, VAL_LEN);
	int rc = pk_map_put(s->root, &k, &v);
	return rc ? fail("put", rc) : 0;
}

static int
get(void *p, const uint8_t *key)
{
	struct pks *s = p;
	pk_value k = pk_bytes(key, KEY_LEN), out;
	int rc = pk_map_get(&out, s->root, &k);
	return rc ? fail("get", rc) : 0;
}

static int
remove_(void *p, const uint8_t *key)
{
	struct pks *s = p;
	pk_value k = pk_bytes(key, KEY_LEN);
	int rc = pk_map_remove(s->root, &k);
	return rc ? fail("remove", rc) : 0;
}

static int
begin(void *p)
{
	int rc = pk_tx_begin(((struct pks *)p)->pool);
	return rc ? fail("begin", rc) : 0;
}

static int
commit(void *p)
{
	int rc = pk_tx_commit(((struct pks *)p)->pool);
	return rc ? fail("commit", rc) : 0;
}

static double
bytes_used(void *p)
{
	pk_pool_stats st = PK_POOL_STATS_INIT;
	if (pk_pool_stats_get(&st, ((struct pks *)p)->pool) != 0)
		return fail("stats", 0), 0;
	return (double)st.used;
}

static void
destroy(void *p)
{
	struct pks *s = p;
	pk_map_close(s->root);
	pk_pool_close(s->pool);
	unlink(s->path);
	free(s);
}

/* seconds pk_pool_prefault() takes on a new pool sized for n entries */
double
bench_prefault_seconds(const char *dir, uint64_t n)
{
	char path[4096];
	pk_pool *pool;
	double t;
	int rc;

	snprintf(path, sizeof(path), "%s/bench-prefault.pool", dir);
	unlink(path);
	if (pk_pool_create(&pool, path, bench_pool_size(n), 0) != 0)
		return fail("create", 0), -1;
	t = bench_now();
	rc = pk_pool_prefault(pool);
	t = bench_now() - t;
	pk_pool_close(pool);
	unlink(path);
	return rc != 0 ? (fail("prefault", rc), -1) : t;
}

const struct bench_store bench_store_pmemkit = {
	"pmemkit", create, put, get, remove_, begin, commit, bytes_used,
	destroy,
};
