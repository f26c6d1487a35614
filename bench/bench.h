/*
 * bench.h -- what the benchmark programs share: keys, timing, reporting
 */
#ifndef PK_BENCH_H
#define PK_BENCH_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define KEY_LEN 16
#define VAL_LEN 32

static inline double
bench_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* the i-th key: 16 bytes, distinct for distinct i */
static inline void
bench_key(uint8_t *buf, uint64_t i)
{
	uint64_t x = i * 0x9E3779B97F4A7C15ULL;
	memcpy(buf, &x, 8);
	memcpy(buf + 8, &i, 8);
}

/* the i-th value: 32 bytes */
static inline void
bench_val(uint8_t *buf, uint64_t i)
{
	for (int j = 0; j < VAL_LEN; j += 8)
		memcpy(buf + j, &i, 8);
}

/* a random permutation of 0..n-1 */
static inline uint64_t *
bench_order(uint64_t n, uint64_t seed)
{
	uint64_t *v = malloc(n * sizeof(*v));
	uint64_t s = seed * 0x2545F4914F6CDD1DULL + 1;
	if (v == NULL)
		abort();
	for (uint64_t i = 0; i < n; i++)
		v[i] = i;
	for (uint64_t i = n - 1; i > 0; i--) {
		s ^= s << 13; s ^= s >> 7; s ^= s << 17;
		uint64_t j = s % (i + 1), t = v[i];
		v[i] = v[j];
		v[j] = t;
	}
	return v;
}

/* one figure: "name value unit" */
static inline void
bench_report(const char *name, double value, const char *unit)
{
	printf("%s %.1f %s\n", name, value, unit);
	fflush(stdout);
}

/* the figures each system's runner fills in, in ns per operation */
struct bench_result {
	double put_tx;		/* a put committed in its own transaction */
	double put_batch;	/* per put, 1000 puts per transaction */
	double get;		/* a get of a random present key */
	double remove_tx;	/* a remove in its own transaction */
	double bytes_per_entry;	/* space used, divided by entries */
};

/* the list and array figures */
struct bench_seq {
	double list_append_tx;	/* ns per append in its own transaction */
	double list_get;	/* ns per get at a random index */
	double array_set_tx;	/* ns per one-element set, own transaction */
	double array_write_gbs;	/* GB/s of one n-element range write */
};

/* runners: each builds its store in dir, with n entries */
int bench_pmemkit(const char *dir, uint64_t n, struct bench_result *r);
int bench_naive(const char *dir, uint64_t n, struct bench_result *r);
int bench_lmdb(const char *dir, uint64_t n, struct bench_result *r);
int bench_seq(const char *dir, uint64_t n, struct bench_seq *r);
double bench_load_latency(size_t bytes);

#endif
