/*
 * run_threads.c -- puts from several threads at once: into a map each,
 * which are leaves and so written in parallel, and into one shared map,
 * whose writers take turns (lib/lock.c); the figures are wall-clock time
 * per put over all threads, beside one thread's
 */
#include <pthread.h>
#include <unistd.h>

#include "bench.h"
#include "pmemkit.h"

struct worker {
	pthread_t thread;
	pk_map *map;
	uint64_t from, n;
	int rc;
};

static void *
put_range(void *arg)
{
	struct worker *w = arg;
	uint8_t kb[KEY_LEN], vb[VAL_LEN];

	for (uint64_t i = w->from; i < w->from + w->n && w->rc == 0; i++) {
		bench_key(kb, i);
		bench_val(vb, i);
		pk_value k = pk_bytes(kb, KEY_LEN), v = pk_bytes(vb, VAL_LEN);
		w->rc = pk_map_put(w->map, &k, &v);
	}
	if (w->rc != 0)
		fprintf(stderr, "pmemkit: put: %s\n", pk_errormsg());
	return NULL;
}

/* n puts split over nt threads, into maps[t] each; ns per put */
static double
run(pk_map **maps, int nt, uint64_t n)
{
	struct worker w[BENCH_MAX_THREADS];
	double t = bench_now();
	int rc = 0;

	for (int i = 0; i < nt; i++) {
		w[i] = (struct worker){ .map = maps[i], .from = n / nt * i,
			.n = n / nt };
		pthread_create(&w[i].thread, NULL, put_range, &w[i]);
	}
	for (int i = 0; i < nt; i++) {
		pthread_join(w[i].thread, NULL);
		rc |= w[i].rc;
	}
	return rc != 0 ? -1 : (bench_now() - t) * 1e9 / (double)(n / nt * nt);
}

int
bench_threads(const char *dir, uint64_t n, int nt, struct bench_threads *r)
{
	char path[4096];
	pk_pool *pool;
	pk_map *maps[BENCH_MAX_THREADS], *shared[BENCH_MAX_THREADS];
	int rc;

	if (nt > BENCH_MAX_THREADS)
		nt = BENCH_MAX_THREADS;
	snprintf(path, sizeof(path), "%s/bench-threads.pool", dir);
	unlink(path);
	/* three runs of n entries */
	if ((rc = pk_pool_create(&pool, path, 3 * bench_pool_size(n), 0)) != 0) {
		fprintf(stderr, "pmemkit: create: %s\n", pk_errormsg());
		return rc;
	}
	for (int i = 0; i < nt; i++)
		if ((rc = pk_map_new(&maps[i], pool)) != 0)
			return rc;
	r->threads = nt;
	r->one_thread = run(maps, 1, n / nt);
	for (int i = 0; i < nt; i++) {
		pk_map_clear(maps[i]);
		shared[i] = maps[0];
	}
	r->own_maps = run(maps, nt, n);
	pk_map_clear(maps[0]);
	r->one_map = run(shared, nt, n);
	for (int i = 0; i < nt; i++)
		pk_map_close(maps[i]);
	pk_pool_close(pool);
	unlink(path);
	return r->one_thread < 0 || r->own_maps < 0 || r->one_map < 0;
}
