/*
 * pk_bench_seed.c -- the seed's other modules, against PMDK's own: the
 * log against libpmemlog, the block array against libpmemblk, and a
 * region's persist. Prints "name value unit" lines (doc/performance.md).
 *
 *   pk_bench_seed [-d DIR] [-n OPS]
 *
 * DIR (default /dev/shm) holds the pools, removed at the end; run it with
 * PMEM_IS_PMEM_FORCE=1 there, as `make bench` does. Each figure is the
 * mean over OPS operations (default 200000; block writes OPS/4), after
 * a warm-up, on pools whose pages were touched first.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "pmemkit.h"
#ifdef HAVE_PMEMLOG
#include <libpmemlog.h>
#endif
#ifdef HAVE_PMEMBLK
#include <libpmemblk.h>
#endif

static const char *dir = "/dev/shm";
static long ops = 200000;
static char path[4096];

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void
die(const char *what, int rc)
{
	fprintf(stderr, "pk_bench_seed: %s: %s (%s)\n", what, pk_strerror(rc),
			pk_errormsg());
	exit(1);
}

#define OK(expr) do { int rc_ = (expr); if (rc_ != 0) die(#expr, rc_); } \
	while (0)

static void
report(const char *name, double value, const char *unit)
{
	printf("%s %.1f %s\n", name, value, unit);
	fflush(stdout);
}

/* a fresh pool with a log, a block array of n blocks of bs bytes, or
 * neither, stored in its root */
static pk_pool *
pool_new(size_t size)
{
	pk_pool *pool;

	snprintf(path, sizeof(path), "%s/pk-bench-seed.%d", dir, (int)getpid());
	unlink(path);
	OK(pk_pool_create(&pool, path, size, 0600));
	OK(pk_pool_prefault(pool));
	return pool;
}

static void
pool_done(pk_pool *pool)
{
	OK(pk_pool_close(pool));
	unlink(path);
}

/* ---- the log ---- */

static void
bench_log(void)
{
	static uint8_t rec[16][64];
	pk_value vals[16];
	pk_pool *pool = pool_new((size_t)ops * 16 * 80 + (256 << 20));
	pk_map *root;
	pk_log *log;
	pk_cursor *c;
	pk_value k, v;
	double t;
	uint64_t bytes = 0, n = 0;

	for (int i = 0; i < 16; i++) {
		memset(rec[i], 'a' + i, sizeof(rec[i]));
		vals[i] = pk_bytes(rec[i], sizeof(rec[i]));
	}
	OK(pk_pool_root(&root, pool));
	OK(pk_log_new(&log, pool));
	v = pk_log_value(log);
	k = pk_string("log", 3);
	OK(pk_map_put(root, &k, &v));
	for (long i = 0; i < 1000; i++)
		OK(pk_log_append(log, &vals[0]));
	t = now();
	for (long i = 0; i < ops; i++)
		OK(pk_log_append(log, &vals[i & 15]));
	report("log_append_64B", (now() - t) / (double)ops * 1e9, "ns");
	t = now();
	for (long i = 0; i < ops / 16; i++)
		OK(pk_log_extend(log, vals, 16));
	report("log_extend_16x64B", (now() - t) / (double)(ops / 16) * 1e9,
			"ns");
	t = now();
	OK(pk_log_cursor(&c, log));
	while (pk_cursor_next(&k, &v, c) == 0) {
		bytes += v.u.buf.len;
		n += ((const uint8_t *)v.u.buf.ptr)[0];
	}
	pk_cursor_free(c);
	t = now() - t;
	report("log_read_64B_records", (double)bytes / t / 1e9, "GB/s");
	if (n == 0)
		fprintf(stderr, "pk_bench_seed: no records read\n");
	pk_log_close(log);
	pk_map_close(root);
	pool_done(pool);

#ifdef HAVE_PMEMLOG
	struct iovec iov[16];
	PMEMlogpool *plp;

	snprintf(path, sizeof(path), "%s/pk-bench-seed-log.%d", dir,
			(int)getpid());
	unlink(path);
	plp = pmemlog_create(path, (size_t)ops * 16 * 72 + (64 << 20), 0600);
	if (plp == NULL) {
		fprintf(stderr, "pmemlog_create: %s\n", pmemlog_errormsg());
		exit(1);
	}
	for (int i = 0; i < 16; i++) {
		iov[i].iov_base = rec[i];
		iov[i].iov_len = sizeof(rec[i]);
	}
	for (long i = 0; i < 1000; i++)
		pmemlog_append(plp, rec[0], 64);
	t = now();
	for (long i = 0; i < ops; i++)
		if (pmemlog_append(plp, rec[i & 15], 64) != 0)
			die("pmemlog_append", errno);
	report("pmemlog_append_64B", (now() - t) / (double)ops * 1e9, "ns");
	t = now();
	for (long i = 0; i < ops / 16; i++)
		if (pmemlog_appendv(plp, iov, 16) != 0)
			die("pmemlog_appendv", errno);
	report("pmemlog_appendv_16x64B", (now() - t) / (double)(ops / 16) *
			1e9, "ns");
	pmemlog_close(plp);
	unlink(path);
#endif
}

/* ---- the block array ---- */

#define NBLOCKS 4096

static void
bench_blocks(size_t bs)
{
	static uint8_t buf[65536];
	char name[64];
	long n = ops / 4;
	pk_pool *pool = pool_new(NBLOCKS * (bs + 64) * 2 + (128 << 20));
	pk_blocks *b;
	pk_value v = pk_bytes(buf, bs);
	uint64_t seed = 88172645463325252ULL;
	double t;

	memset(buf, 0x5A, sizeof(buf));
	OK(pk_blocks_new(&b, pool, bs, NBLOCKS));
	for (uint64_t i = 0; i < NBLOCKS; i++)
		OK(pk_blocks_write(b, i, &v));
	t = now();
	for (long i = 0; i < n; i++) {
		seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
		OK(pk_blocks_write(b, seed % NBLOCKS, &v));
	}
	snprintf(name, sizeof(name), "blocks_write_%zuB", bs);
	report(name, (now() - t) / (double)n * 1e9, "ns");
	t = now();
	for (long i = 0; i < n; i++) {
		seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
		OK(pk_blocks_read(buf, sizeof(buf), b, seed % NBLOCKS));
	}
	snprintf(name, sizeof(name), "blocks_read_%zuB", bs);
	report(name, (now() - t) / (double)n * 1e9, "ns");
	pk_blocks_close(b);
	pool_done(pool);

#ifdef HAVE_PMEMBLK
	PMEMblkpool *pbp;

	snprintf(path, sizeof(path), "%s/pk-bench-seed-blk.%d", dir,
			(int)getpid());
	unlink(path);
	pbp = pmemblk_create(path, bs, NBLOCKS * (bs + 64) * 2 + (64 << 20),
			0600);
	if (pbp == NULL) {
		fprintf(stderr, "pmemblk_create: %s\n", pmemblk_errormsg());
		exit(1);
	}
	long nblk = (long)pmemblk_nblock(pbp);
	for (long i = 0; i < nblk; i++)
		pmemblk_write(pbp, buf, i);
	t = now();
	for (long i = 0; i < n; i++) {
		seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
		if (pmemblk_write(pbp, buf, (long long)(seed % NBLOCKS)) != 0)
			die("pmemblk_write", errno);
	}
	snprintf(name, sizeof(name), "pmemblk_write_%zuB", bs);
	report(name, (now() - t) / (double)n * 1e9, "ns");
	t = now();
	for (long i = 0; i < n; i++) {
		seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
		if (pmemblk_read(pbp, buf, (long long)(seed % NBLOCKS)) != 0)
			die("pmemblk_read", errno);
	}
	snprintf(name, sizeof(name), "pmemblk_read_%zuB", bs);
	report(name, (now() - t) / (double)n * 1e9, "ns");
	pmemblk_close(pbp);
	unlink(path);
#endif
}

/* ---- the region ---- */

static void
bench_region(void)
{
	pk_region *r;
	double t;

	snprintf(path, sizeof(path), "%s/pk-bench-seed-raw.%d", dir,
			(int)getpid());
	unlink(path);
	OK(pk_region_map(&r, path, 64 << 20, PK_REGION_CREATE, 0600));
	memset(pk_region_addr(r), 1, 64 << 20);
	t = now();
	/* the same calls as bench/pk_bench_seed.py's, for the cost of the
	 * language between them */
	for (long i = 0; i < ops; i++)
		OK(pk_region_persist(r, (uint64_t)(i & 1023) * 64, 64));
	report("region_persist_64B", (now() - t) / (double)ops * 1e9, "ns");
	OK(pk_region_close(r));
	unlink(path);
}

int
main(int argc, char **argv)
{
	int opt;

	while ((opt = getopt(argc, argv, "d:n:")) != -1) {
		switch (opt) {
		case 'd': dir = optarg; break;
		case 'n': ops = atol(optarg); break;
		default:
			fprintf(stderr, "usage: pk_bench_seed [-d DIR] "
					"[-n OPS]\n");
			return 2;
		}
	}
	if (ops < 64)
		ops = 64;
	printf("# the seed's modules: %s, %s, %ld operations\n", dir,
			getenv("PMEM_IS_PMEM_FORCE") ? "PMEM_IS_PMEM_FORCE=1" :
			"msync path", ops);
	bench_log();
	bench_blocks(512);
	bench_blocks(4096);
	bench_region();
	return 0;
}
