/*
 * bench.h -- what the benchmark's parts share: keys, timing, the store
 * interface every compared system implements, the workload drivers over
 * it, progress on stderr and the report (stdout lines and CSV rows)
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

/*
 * Space budget per map entry when sizing a fresh pool: twice the ~121
 * bytes pmemkit and the naive map measure (bytes_per_entry), for the
 * transient peaks of splits, overflow buckets and undo logs.
 */
#define BENCH_BYTES_PER_ENTRY 256
#define BENCH_POOL_BASE ((size_t)64 << 20)

/*
 * Whether the libpmemobj stores map every page of a new pool before the
 * clock starts (1 unless --no-prefault). bench_prefault_pool() is the
 * naive map's way, pk_pool_prefault() pmemkit's.
 */
extern int bench_prefault;
int bench_prefault_pool(void *addr, size_t len);
/* store_pmemkit.c: seconds pk_pool_prefault() takes on a new pool sized
 * for n entries (not in any other figure); < 0 on failure */
double bench_prefault_seconds(const char *dir, uint64_t n);

static inline size_t
bench_pool_size(uint64_t n)
{
	return (size_t)n * BENCH_BYTES_PER_ENTRY + BENCH_POOL_BASE;
}

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

/* xorshift64: the next of a sequence of random numbers (*s != 0) */
static inline uint64_t
bench_rand(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* bench.c: a random permutation of 0..n-1 (aborts when out of memory) */
uint64_t *bench_order(uint64_t n, uint64_t seed);

/*
 * Progress on stderr, only when it is a terminal: "phase  42%" rewritten
 * in place at most four times a second, erased at the end, so that logs
 * of a redirected run hold only the figures.
 */
struct bench_progress {
	char phase[80];
	uint64_t total;
	double next;		/* bench_now() of the next update */
	int on;
};
void bench_progress_start(struct bench_progress *p, const char *phase,
		uint64_t total);
void bench_progress_update(struct bench_progress *p, uint64_t done);
void bench_progress_end(struct bench_progress *p);

/* cheap enough for every operation: looks at the clock every 1024 */
static inline void
bench_progress_tick(struct bench_progress *p, uint64_t done)
{
	if ((done & 1023) == 0 && p->on)
		bench_progress_update(p, done);
}

/*
 * The report. bench_output_open() prints the first line, "medium DIR
 * MODE" (MODE: pmem-forced, tmpfs-msync or disk-msync); with a CSV path
 * every figure is also a row "medium,system,op,entries,value,unit". In a
 * sweep over table sizes (sized_names) each figure's name ends with its
 * table size: pmemkit_put_tx_10K.
 */
int bench_output_open(const char *dir, const char *csv, int sized_names);
void bench_output_close(void);
const char *bench_medium_mode(void);
void bench_figure(const char *sys, const char *op, uint64_t entries,
		double value, const char *unit);
void bench_ratio(const char *name, double a, double b);
/* "10K", "1M", "2500": n in the shortest exact form */
const char *bench_size_name(uint64_t n, char *buf, size_t len);
/* what scans read goes here, so that the reads are not optimised away */
extern volatile uint64_t bench_sink;

/* bytes free for a new file in dir, or 0 when unknown */
uint64_t bench_free_bytes(const char *dir);

/*
 * Put latencies: one slot per operation, then p50/p99/p99.9/max as
 * SYS_put_latency_pNN figures (in ns).
 */
void bench_latency_report(const char *sys, uint32_t *ns, uint64_t n,
		uint64_t entries);

/*
 * A compared key-value store: a fresh, empty one in dir sized for n
 * entries, its operations on 16-byte keys and 32-byte values, and its
 * removal. put and remove are each a committed transaction of their own
 * unless begin() opened one around them. Every call but create and
 * destroy returns 0 on success; failures print their cause.
 */
struct bench_store {
	const char *name;
	void *(*create)(const char *dir, uint64_t n);
	int (*put)(void *s, const uint8_t *key, const uint8_t *val);
	int (*get)(void *s, const uint8_t *key);	/* the key is there */
	int (*remove)(void *s, const uint8_t *key);
	int (*begin)(void *s);
	int (*commit)(void *s);
	double (*bytes_used)(void *s);	/* space the entries take */
	void (*destroy)(void *s);	/* close and delete its files */
	/* ordered stores only (else NULL): visit up to n entries in key
	 * order from the first key at or after start (NULL: the first key),
	 * reading each key and value; *seen is how many there were */
	int (*scan)(void *s, const uint8_t *start, uint64_t n, uint64_t *seen);
};

extern const struct bench_store bench_store_pmemkit;
extern const struct bench_store bench_store_pmemkit_sorted;
extern const struct bench_store bench_store_naive;
#ifdef HAVE_LMDB
extern const struct bench_store bench_store_lmdb;
#endif

/*
 * The workload drivers (driver.c), the same for every store: each runs
 * n operations on the keys order[0..n-1] and returns ns per operation,
 * or a negative number when the store failed. fill() puts each in its
 * own transaction and records each put's latency in lat (n slots) when
 * lat is not NULL; fill_batch() commits every `batch` puts.
 */
double bench_fill(const struct bench_store *st, void *s,
		const uint64_t *order, uint64_t n, uint32_t *lat);
double bench_fill_batch(const struct bench_store *st, void *s,
		const uint64_t *order, uint64_t n, uint64_t batch);
double bench_get_all(const struct bench_store *st, void *s,
		const uint64_t *order, uint64_t n);
double bench_remove_all(const struct bench_store *st, void *s,
		const uint64_t *order, uint64_t n);
/* an ordered store's scans: all of it (ns per entry), and scans of len
 * entries from each of the keys order[0..n-1] (ns per scan) */
double bench_scan_all(const struct bench_store *st, void *s, uint64_t n);
double bench_scan_from(const struct bench_store *st, void *s,
		const uint64_t *order, uint64_t n, uint64_t len);

/* the list and array figures (run_seq.c) */
struct bench_seq {
	double list_append_tx;	/* ns per append in its own transaction */
	double list_get;	/* ns per get at a random index */
	double array_set_tx;	/* ns per one-element set, own transaction */
	double array_write_gbs;	/* GB/s of one n-element range write */
};
int bench_seq(const char *dir, uint64_t n, struct bench_seq *r);

/* puts from several threads (run_threads.c), wall-clock ns per put */
#define BENCH_MAX_THREADS 64
struct bench_threads {
	int threads;
	double one_thread;	/* one thread, one map */
	double own_maps;	/* each thread its own map (leaves) */
	double one_map;		/* every thread the same map */
};
int bench_threads(const char *dir, uint64_t n, int nt,
		struct bench_threads *r);

/* the machine's cost of one dependent random load (run_latency.c) */
double bench_load_latency(size_t bytes);

/* ns per pmemkit get on a map of BENCH_FLOOR_KEYS entries, which stays
 * in the cache, alone, after one or two missed loads it depends on, and
 * beside one it does not depend on (run_getfloor.c) */
#define BENCH_FLOOR_KEYS 10000
struct bench_get_floor {
	double hot, one_line, two_lines, beside;
};
int bench_get_floor(const char *dir, struct bench_get_floor *r);

/* libpmemobj's ns per scattered 8-byte snapshot and write, 1000 per
 * transaction, in a table of n slots (run_snapshot.c); < 0 on failure */
double bench_snapshot_floor(const char *dir, uint64_t n);

/* libpmem's ns per durable put of a 64-byte record published by an 8-byte
 * store, n of them (run_putfloor.c); < 0 on failure */
double bench_put_floor(const char *dir, uint64_t n);

#endif
