/*
 * run_getfloor.c -- what a get costs when its lookup misses the cache.
 * pmemkit's get on a map small enough to stay in the cache, timed alone
 * and after one or two loads from a large buffer that miss it, the get's
 * key depending on what they read (as a lookup depends on its bucket):
 *   hot        the get's own work
 *   one_line   a get that needs one missed line, its work after the miss
 *   two_lines  two dependent missed lines in one 4 KiB page: a bucket
 *              whose hash tags sit in a line of their own, read before
 *              the slot they point to
 *   beside     one missed line per get that the get does not depend on
 * Gets are independent of each other, as in the get figure, so the
 * processor may overlap one get's miss with the next get's work as far
 * as its instruction window reaches; the real get, whose miss comes part
 * way through its work, may overlap more than one_line does. The
 * difference two_lines - one_line is what a second dependent line adds.
 */
#include <unistd.h>

#include "bench.h"
#include "pmemkit.h"

#define FLOOR_GETS 2000000
#define FLOOR_BUF ((size_t)256 << 20)
#define GROUP 512		/* a tag line and seven slot lines: eight
				   groups to a page, none across two */

static int
fail(const char *what, int rc)
{
	fprintf(stderr, "pmemkit: get floor: %s: %s\n", what, pk_errormsg());
	return rc;
}

/* ns per get of FLOOR_GETS random keys, each after `lines` missed loads
 * (one it does not depend on if lines < 0) */
static double
time_gets(pk_map *m, const volatile uint64_t *buf, int lines)
{
	uint8_t kb[KEY_LEN];
	uint64_t x = 88172645463325252ULL, groups = FLOOR_BUF / GROUP;
	volatile uint64_t sink = 0;
	double t = bench_now();

	for (uint64_t i = 0; i < FLOOR_GETS; i++) {
		uint64_t r = bench_rand(&x), dep = 0;
		if (lines != 0) {
			/* buf holds zeros, which the compiler cannot know:
			 * dep is 0 but depends on the loads */
			const volatile uint64_t *g =
				buf + (r >> 16) % groups * (GROUP / 8);
			dep = g[0];
			if (lines < 0) {
				sink += dep;
				dep = 0;
			} else if (lines > 1)
				dep = g[8 + 8 * ((dep + r) % 7)];
		}
		bench_key(kb, (r + dep) % BENCH_FLOOR_KEYS);
		pk_value k = pk_bytes(kb, KEY_LEN), out;
		if (pk_map_get(&out, m, &k) != 0)
			return fail("get", -1);
	}
	return (bench_now() - t) * 1e9 / FLOOR_GETS;
}

int
bench_get_floor(const char *dir, struct bench_get_floor *r)
{
	char path[4096];
	uint8_t kb[KEY_LEN], vb[VAL_LEN];
	uint64_t *buf = aligned_alloc(4096, FLOOR_BUF);
	pk_pool *pool = NULL;
	pk_map *m = NULL;
	int rc;

	if (buf == NULL)
		abort();
	memset(buf, 0, FLOOR_BUF);
	snprintf(path, sizeof(path), "%s/bench-getfloor.pool", dir);
	unlink(path);
	if ((rc = pk_pool_create(&pool, path, (size_t)64 << 20, 0)) != 0 ||
	    (rc = pk_pool_root(&m, pool)) != 0) {
		fail("create", rc);
		goto out;
	}
	for (uint64_t i = 0; i < BENCH_FLOOR_KEYS; i++) {
		bench_key(kb, i);
		bench_val(vb, i);
		pk_value k = pk_bytes(kb, KEY_LEN), v = pk_bytes(vb, VAL_LEN);
		if ((rc = pk_map_put(m, &k, &v)) != 0) {
			fail("put", rc);
			goto out;
		}
	}
	rc = -1;
	if (time_gets(m, buf, 0) < 0 ||	/* warm: the map into the cache */
	    (r->hot = time_gets(m, buf, 0)) < 0 ||
	    (r->one_line = time_gets(m, buf, 1)) < 0 ||
	    (r->two_lines = time_gets(m, buf, 2)) < 0 ||
	    (r->beside = time_gets(m, buf, -1)) < 0)
		goto out;
	rc = 0;
out:
	if (m != NULL)
		pk_map_close(m);
	if (pool != NULL)
		pk_pool_close(pool);
	unlink(path);
	free(buf);
	return rc;
}
