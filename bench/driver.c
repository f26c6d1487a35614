/*
 * driver.c -- the workload, written once for every store: fills (a put
 * per transaction, or batches), gets and removes of the keys in a given
 * order, timed, with progress on stderr
 */
#include "bench.h"

/* "pmemkit put_tx 100K" */
static void
start(struct bench_progress *p, const struct bench_store *st, const char *op,
		uint64_t n)
{
	char phase[80], size[32];

	snprintf(phase, sizeof(phase), "%s %s %s", st->name, op,
			bench_size_name(n, size, sizeof(size)));
	bench_progress_start(p, phase, n);
}

double
bench_fill(const struct bench_store *st, void *s, const uint64_t *order,
		uint64_t n, uint32_t *lat)
{
	uint8_t kb[KEY_LEN], vb[VAL_LEN];
	struct bench_progress p;
	double t0, prev;

	start(&p, st, "put_tx", n);
	t0 = prev = bench_now();
	for (uint64_t i = 0; i < n; i++) {
		bench_key(kb, order[i]);
		bench_val(vb, order[i]);
		if (st->put(s, kb, vb) != 0)
			return -1;
		if (lat != NULL) {
			/* one clock read per put: it ends this one, starts the next */
			double now = bench_now(), d = (now - prev) * 1e9;
			lat[i] = d < 4e9 ? (uint32_t)d : UINT32_MAX;
			prev = now;
		}
		bench_progress_tick(&p, i);
	}
	double ns = (bench_now() - t0) * 1e9 / (double)n;
	bench_progress_end(&p);
	return ns;
}

double
bench_fill_batch(const struct bench_store *st, void *s,
		const uint64_t *order, uint64_t n, uint64_t batch)
{
	uint8_t kb[KEY_LEN], vb[VAL_LEN];
	struct bench_progress p;
	double t0;

	start(&p, st, "put_batch", n);
	t0 = bench_now();
	for (uint64_t i = 0; i < n; i += batch) {
		if (st->begin(s) != 0)
			return -1;
		for (uint64_t j = i; j < i + batch && j < n; j++) {
			bench_key(kb, order[j]);
			bench_val(vb, order[j]);
			if (st->put(s, kb, vb) != 0)
				return -1;
		}
		if (st->commit(s) != 0)
			return -1;
		bench_progress_update(&p, i);
	}
	double ns = (bench_now() - t0) * 1e9 / (double)n;
	bench_progress_end(&p);
	return ns;
}

/* gets and removes: one operation per key, timed as a whole */
static double
each_key(const struct bench_store *st, void *s, const uint64_t *order,
		uint64_t n, const char *op,
		int (*fn)(void *, const uint8_t *))
{
	uint8_t kb[KEY_LEN];
	struct bench_progress p;
	double t0;

	start(&p, st, op, n);
	t0 = bench_now();
	for (uint64_t i = 0; i < n; i++) {
		bench_key(kb, order[i]);
		if (fn(s, kb) != 0)
			return -1;
		bench_progress_tick(&p, i);
	}
	double ns = (bench_now() - t0) * 1e9 / (double)n;
	bench_progress_end(&p);
	return ns;
}

double
bench_get_all(const struct bench_store *st, void *s, const uint64_t *order,
		uint64_t n)
{
	return each_key(st, s, order, n, "get", st->get);
}

double
bench_remove_all(const struct bench_store *st, void *s,
		const uint64_t *order, uint64_t n)
{
	return each_key(st, s, order, n, "remove_tx", st->remove);
}

double
bench_scan_all(const struct bench_store *st, void *s, uint64_t n)
{
	struct bench_progress p;
	uint64_t seen;
	double t0;

	start(&p, st, "scan_all", n);
	t0 = bench_now();
	if (st->scan(s, NULL, n, &seen) != 0)
		return -1;
	double ns = (bench_now() - t0) * 1e9 / (double)n;
	bench_progress_end(&p);
	if (seen != n) {
		fprintf(stderr, "%s: a scan met %llu of %llu entries\n",
				st->name, (unsigned long long)seen,
				(unsigned long long)n);
		return -1;
	}
	return ns;
}

double
bench_scan_from(const struct bench_store *st, void *s, const uint64_t *order,
		uint64_t n, uint64_t len)
{
	uint8_t kb[KEY_LEN];
	struct bench_progress p;
	uint64_t seen;
	double t0;
	char op[32];

	snprintf(op, sizeof(op), "scan%llu", (unsigned long long)len);
	start(&p, st, op, n);
	t0 = bench_now();
	for (uint64_t i = 0; i < n; i++) {
		bench_key(kb, order[i]);
		if (st->scan(s, kb, len, &seen) != 0)
			return -1;
		bench_progress_tick(&p, i);
	}
	double ns = (bench_now() - t0) * 1e9 / (double)n;
	bench_progress_end(&p);
	return ns;
}
