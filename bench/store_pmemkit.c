/*
 * store_pmemkit.c -- pmemkit's map (the pool's root) as a benchmark store,
 * and a sorted map (stored in the root) as another
 */
#include <unistd.h>

#include "bench.h"
#include "pmemkit.h"

struct pks {
	char path[4096];
	pk_pool *pool;
	pk_map *root;
	pk_sorted *sorted;	/* the sorted store's map */
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
	pk_sorted_close(s->sorted);
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
	destroy, NULL,
};

/* ---- the sorted map ---- */

static void *
create_sorted(const char *dir, uint64_t n)
{
	struct pks *s = create(dir, n);
	pk_value k = pk_string("sorted", 6), v;

	if (s == NULL)
		return NULL;
	if (pk_sorted_new(&s->sorted, s->pool) != 0 ||
	    (v = pk_sorted_value(s->sorted),
	     pk_map_put(s->root, &k, &v)) != 0) {
		fail("sorted map", 0);
		destroy(s);
		return NULL;
	}
	return s;
}

static int
sorted_put(void *p, const uint8_t *key, const uint8_t *val)
{
	struct pks *s = p;
	pk_value k = pk_bytes(key, KEY_LEN), v = pk_bytes(val, VAL_LEN);
	int rc = pk_sorted_put(s->sorted, &k, &v);
	return rc ? fail("put", rc) : 0;
}

static int
sorted_get(void *p, const uint8_t *key)
{
	struct pks *s = p;
	pk_value k = pk_bytes(key, KEY_LEN), out;
	int rc = pk_sorted_get(&out, s->sorted, &k);
	return rc ? fail("get", rc) : 0;
}

static int
sorted_remove(void *p, const uint8_t *key)
{
	struct pks *s = p;
	pk_value k = pk_bytes(key, KEY_LEN);
	int rc = pk_sorted_remove(s->sorted, &k);
	return rc ? fail("remove", rc) : 0;
}

/* a range cursor from start, stepped n times */
static int
sorted_scan(void *p, const uint8_t *start, uint64_t n, uint64_t *seen)
{
	struct pks *s = p;
	pk_sorted_range r = PK_SORTED_RANGE_INIT;
	pk_value lo = pk_bytes(start, KEY_LEN), k, v;
	pk_cursor *c;
	uint64_t sum = 0, i = 0;
	int rc;

	if (start != NULL)
		r.lo = &lo;
	if ((rc = pk_sorted_range_cursor(&c, s->sorted, &r)) != 0)
		return fail("range cursor", rc);
	while (i < n && (rc = pk_cursor_next(&k, &v, c)) == 0) {
		sum += ((const uint8_t *)k.u.buf.ptr)[0] +
			((const uint8_t *)v.u.buf.ptr)[0];
		i++;
	}
	pk_cursor_free(c);
	if (i < n && rc != PK_ITEROVER)
		return fail("cursor", rc);
	bench_sink += sum;
	*seen = i;
	return 0;
}

const struct bench_store bench_store_pmemkit_sorted = {
	"pmemkit_sorted", create_sorted, sorted_put, sorted_get,
	sorted_remove, begin, commit, bytes_used, destroy, sorted_scan,
};
