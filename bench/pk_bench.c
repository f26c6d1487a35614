/*
 * pk_bench.c -- pmemkit's map and sorted map beside a naive libpmemobj
 * map and LMDB
 *
 * Usage: pk_bench [-n ENTRIES] [-d DIR] [--disk] [--scale] [--sizes LIST]
 *                 [--max N] [--no-prefault] [--csv FILE]
 *
 * Each store gets the same workload (driver.c): ENTRIES (default
 * 1,000,000) new 16-byte keys with 32-byte values in random order, each
 * put in its own transaction (each put's latency recorded); gets of every
 * key in another random order; for the ordered stores (the sorted map,
 * LMDB) a scan of every entry in key order and 100,000 scans of 100
 * entries from random keys; removes; and a fresh store filled with
 * 1000 puts per transaction. Then pmemkit's list (appends, gets at random
 * indexes) and a float64 array of ENTRIES elements (one-element sets, a
 * write of the whole range in one transaction). Last, pmemkit and the
 * naive map take turns five times at put_tx and get: the medians and their
 * ratios, which a noisy machine moves less than a single run's.
 *
 * --scale instead sweeps table sizes (default 10K,100K,1M,10M; --sizes
 * gives the list, --max caps it): for each size a fresh store sized for
 * it, filled by puts in their own transactions, then read back by gets.
 *
 * The two libpmemobj stores map every page of a new pool before they are
 * timed (pmemkit: pk_pool_prefault(); the naive map: the same madvise), so
 * that first-touch page faults do not land in the puts' latencies;
 * --no-prefault leaves them to the puts.
 *
 * The medium: DIR (default /dev/shm) with PMEM_IS_PMEM_FORCE=1, so that
 * libpmemobj takes its persistent-memory path (flushes and fences).
 * --disk runs without it (libpmemobj msyncs every snapshot and commit)
 * in DIR (default /var/tmp), with 1000 entries and the sizes 1K,10K
 * unless given (a durable put costs milliseconds there). The program re-executes itself once to set PMEM_IS_PMEM_FORCE
 * before libpmem reads it.
 *
 * Prints "medium DIR MODE", then one "name value unit" line per figure,
 * then ratios; with --csv also a CSV file for bench/chart.gp.
 */
#include <getopt.h>
#include <unistd.h>

#include "bench.h"

/*
 * On the msync path every snapshot and commit msyncs: 10-50 ms a put on
 * this machine's virtual disk, 1000x or more the pmem path. --disk runs
 * DISK_ENTRIES entries and the sizes disk_sizes unless given.
 */
#define DISK_ENTRIES 1000
static const uint64_t disk_sizes[] = { 1000, 10000 };
#define MAX_SIZES 16

enum {
	S_PMEMKIT, S_NAIVE,
#ifdef HAVE_LMDB
	S_LMDB,
#endif
	S_SORTED, NSTORES
};
static const struct bench_store *const stores[NSTORES] = {
	&bench_store_pmemkit, &bench_store_naive,
#ifdef HAVE_LMDB
	&bench_store_lmdb,
#endif
	&bench_store_pmemkit_sorted,
};

/* scans of SCAN_LEN entries from as many random keys as SCAN_STARTS */
#define SCAN_LEN 100
#define SCAN_STARTS 100000

struct opts {
	const char *dir, *csv;
	uint64_t n, max;
	uint64_t sizes[MAX_SIZES];
	int nsizes, disk, scale, n_given, scaled_down;
};

/* "10K" -> 10000; 0 when malformed */
static uint64_t
parse_size(const char *s)
{
	char *end;
	uint64_t v = strtoull(s, &end, 10);
	if (*end == 'K' || *end == 'k')
		v *= 1000, end++;
	else if (*end == 'M' || *end == 'm')
		v *= 1000000, end++;
	return *end == '\0' ? v : 0;
}

/* list: "10K,100K"; parsed in a copy, as argv serves again in set_medium() */
static int
parse_sizes(struct opts *o, const char *arg)
{
	char buf[256], *list = buf;

	snprintf(buf, sizeof(buf), "%s", arg);
	o->nsizes = 0;
	for (char *tok = strtok(list, ","); tok; tok = strtok(NULL, ",")) {
		if (o->nsizes == MAX_SIZES || !(o->sizes[o->nsizes++] =
					parse_size(tok)))
			return -1;
	}
	return o->nsizes ? 0 : -1;
}

static void
usage(void)
{
	fprintf(stderr, "usage: pk_bench [-n ENTRIES] [-d DIR] [--disk] "
			"[--scale] [--sizes 10K,100K,...] [--max N] "
			"[--no-prefault] [--csv FILE]\n");
	exit(2);
}

static void
parse(struct opts *o, int argc, char **argv)
{
	static const struct option lo[] = {
		{ "disk", no_argument, NULL, 'D' },
		{ "scale", no_argument, NULL, 'S' },
		{ "sizes", required_argument, NULL, 'z' },
		{ "max", required_argument, NULL, 'm' },
		{ "csv", required_argument, NULL, 'c' },
		{ "no-prefault", no_argument, NULL, 'P' },
		{ NULL, 0, NULL, 0 },
	};
	int opt, sizes_given = 0;

	*o = (struct opts){ .n = 1000000, .sizes = { 10000, 100000, 1000000,
		10000000 }, .nsizes = 4 };
	while ((opt = getopt_long(argc, argv, "n:d:", lo, NULL)) != -1) {
		switch (opt) {
		case 'n':
			if ((o->n = parse_size(optarg)) == 0)
				usage();
			o->n_given = 1;
			break;
		case 'd': o->dir = optarg; break;
		case 'D': o->disk = 1; break;
		case 'S': o->scale = 1; break;
		case 'z':
			if (parse_sizes(o, optarg) != 0)
				usage();
			sizes_given = 1;
			break;
		case 'm':
			if ((o->max = parse_size(optarg)) == 0)
				usage();
			break;
		case 'c': o->csv = optarg; break;
		case 'P': bench_prefault = 0; break;
		default: usage();
		}
	}
	if (optind != argc)
		usage();
	if (o->dir == NULL)
		o->dir = o->disk ? "/var/tmp" : "/dev/shm";
	if (o->disk && !(o->scale ? sizes_given : o->n_given)) {
		o->scaled_down = 1;
		o->n = DISK_ENTRIES;
		o->nsizes = sizeof(disk_sizes) / sizeof(disk_sizes[0]);
		memcpy(o->sizes, disk_sizes, sizeof(disk_sizes));
	}
	if (o->max) {
		int k = 0;
		for (int i = 0; i < o->nsizes; i++)
			if (o->sizes[i] <= o->max)
				o->sizes[k++] = o->sizes[i];
		o->nsizes = k;
		if (o->n > o->max)
			o->n = o->max;
	}
}

/*
 * The medium's PMEM_IS_PMEM_FORCE: 1 by default, unset with --disk.
 * libpmem may read it as it loads, so a change means running again.
 */
static void
set_medium(int disk, char **argv)
{
	const char *f = getenv("PMEM_IS_PMEM_FORCE");
	int ok = disk ? f == NULL : f != NULL && strcmp(f, "1") == 0;

	if (ok)
		return;
	if (disk)
		unsetenv("PMEM_IS_PMEM_FORCE");
	else
		setenv("PMEM_IS_PMEM_FORCE", "1", 1);
	fflush(NULL);
	execv("/proc/self/exe", argv);
	perror("pk_bench: re-executing with PMEM_IS_PMEM_FORCE changed");
	exit(1);
}

/* the figures of one store's standard run, in ns per operation */
struct result {
	double put_tx, put_batch, get, remove_tx, bytes_per_entry;
	double scan_all, scan_from;	/* ordered stores */
};

static int
run_standard(const struct bench_store *st, const char *dir, uint64_t n,
		struct result *r)
{
	uint64_t *order = bench_order(n, 1), *gorder = bench_order(n, 2);
	uint32_t *lat = malloc(n * sizeof(*lat));
	void *s;
	int rc = -1;

	if (lat == NULL)
		abort();
	if ((s = st->create(dir, n)) == NULL)
		goto out;
	if ((r->put_tx = bench_fill(st, s, order, n, lat)) < 0)
		goto out_destroy;
	r->bytes_per_entry = st->bytes_used(s) / (double)n;
	if ((r->get = bench_get_all(st, s, gorder, n)) < 0)
		goto out_destroy;
	if (st->scan != NULL && ((r->scan_all = bench_scan_all(st, s, n)) < 0 ||
	    (r->scan_from = bench_scan_from(st, s, gorder, n < SCAN_STARTS ?
					    n : SCAN_STARTS, SCAN_LEN)) < 0))
		goto out_destroy;
	if ((r->remove_tx = bench_remove_all(st, s, gorder, n)) < 0)
		goto out_destroy;
	st->destroy(s);
	if ((s = st->create(dir, n)) == NULL)
		goto out;
	if ((r->put_batch = bench_fill_batch(st, s, order, n, 1000)) < 0)
		goto out_destroy;
	bench_figure(st->name, "put_tx", n, r->put_tx, "ns/op");
	bench_figure(st->name, "put_batch", n, r->put_batch, "ns/op");
	bench_figure(st->name, "get", n, r->get, "ns/op");
	bench_figure(st->name, "remove_tx", n, r->remove_tx, "ns/op");
	bench_figure(st->name, "bytes_per_entry", n, r->bytes_per_entry,
			"bytes");
	if (st->scan != NULL) {
		bench_figure(st->name, "scan_all", n, r->scan_all,
				"ns/entry");
		bench_figure(st->name, "scan100_random_start", n,
				r->scan_from, "ns/scan");
	}
	bench_latency_report(st->name, lat, n, n);
	rc = 0;
out_destroy:
	st->destroy(s);
out:
	free(lat);
	free(order);
	free(gorder);
	return rc;
}

static int scale_one(const struct bench_store *st, const char *dir,
		uint64_t n, int largest, int quiet, double *put, double *get);

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double
median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/*
 * paired -- the ratios to the floor again, robust to a noisy machine:
 * pmemkit and the naive map take turns PAIRED_REPS times (a fresh store
 * each time, filled by puts in their own transactions, then read), so
 * both meet the same spells of load; the medians, and their ratios
 */
#define PAIRED_REPS 5
static int
paired(const struct opts *o)
{
	double put[2][PAIRED_REPS], get[2][PAIRED_REPS], pm[2], gm[2];
	char name[64];

	for (int r = 0; r < PAIRED_REPS; r++)
		for (int j = 0; j < 2; j++)
			if (scale_one(stores[j], o->dir, o->n, 0, 1,
					&put[j][r], &get[j][r]) != 0)
				return 1;
	for (int j = 0; j < 2; j++) {
		pm[j] = median(put[j], PAIRED_REPS);
		gm[j] = median(get[j], PAIRED_REPS);
		snprintf(name, sizeof(name), "put_tx_median%d", PAIRED_REPS);
		bench_figure(stores[j]->name, name, o->n, pm[j], "ns/op");
		snprintf(name, sizeof(name), "get_median%d", PAIRED_REPS);
		bench_figure(stores[j]->name, name, o->n, gm[j], "ns/op");
	}
	snprintf(name, sizeof(name), "ratio_put_tx_pmemkit_to_naive_median%d",
			PAIRED_REPS);
	bench_ratio(name, pm[0], pm[1]);
	snprintf(name, sizeof(name), "ratio_get_pmemkit_to_naive_median%d",
			PAIRED_REPS);
	bench_ratio(name, gm[0], gm[1]);
	return 0;
}

/* puts from one thread per core: into leaves of their own, into one map */
static int
threads(const char *dir, uint64_t n)
{
	struct bench_threads t;
	long nt = sysconf(_SC_NPROCESSORS_ONLN);
	char name[64];

	if (bench_threads(dir, n, nt < 2 ? 2 : (int)nt, &t) != 0)
		return 1;
	bench_figure("pmemkit", "put_tx_1thread", n / t.threads,
			t.one_thread, "ns/op");
	snprintf(name, sizeof(name), "put_tx_%dthreads_own_maps", t.threads);
	bench_figure("pmemkit", name, n, t.own_maps, "ns/op");
	snprintf(name, sizeof(name), "put_tx_%dthreads_one_map", t.threads);
	bench_figure("pmemkit", name, n, t.one_map, "ns/op");
	snprintf(name, sizeof(name), "ratio_put_tx_%dthreads_own_maps_to_1",
			t.threads);
	bench_ratio(name, t.own_maps, t.one_thread);
	snprintf(name, sizeof(name), "ratio_put_tx_%dthreads_one_map_to_1",
			t.threads);
	bench_ratio(name, t.one_map, t.one_thread);
	return 0;
}

static int
standard(const struct opts *o)
{
	struct result r[NSTORES] = { 0 };
	struct bench_seq seq;
	uint64_t n = o->n;
	struct bench_get_floor gf;

	bench_figure("machine", "dependent_load_256MiB", 0,
			bench_load_latency((size_t)256 << 20), "ns");
	/* what a get costs when it misses the cache (doc/performance.md) */
	if (bench_get_floor(o->dir, &gf) != 0)
		return 1;
	bench_figure("pmemkit", "get_cached_map", BENCH_FLOOR_KEYS, gf.hot,
			"ns/op");
	bench_figure("pmemkit", "get_after_1_missed_line", BENCH_FLOOR_KEYS,
			gf.one_line, "ns/op");
	bench_figure("pmemkit", "get_after_2_missed_lines", BENCH_FLOOR_KEYS,
			gf.two_lines, "ns/op");
	bench_figure("pmemkit", "get_beside_1_missed_line", BENCH_FLOOR_KEYS,
			gf.beside, "ns/op");
	for (size_t i = 0; i < NSTORES; i++) {
		if (run_standard(stores[i], o->dir, n, &r[i]) != 0)
			return 1;
		if (i > 0)
			continue;
		/* pmemkit's other containers, after its map */
		if (bench_seq(o->dir, n, &seq) != 0)
			return 1;
		bench_figure("pmemkit", "list_append_tx", n,
				seq.list_append_tx, "ns/op");
		bench_figure("pmemkit", "list_get", n, seq.list_get, "ns/op");
		bench_figure("pmemkit", "array_set_tx", n, seq.array_set_tx,
				"ns/op");
		bench_figure("pmemkit", "array_write", n,
				seq.array_write_gbs, "GB/s");
		if (threads(o->dir, n) != 0)
			return 1;
	}
	/* what libpmemobj alone costs per item of a batch, the bound
	 * under pmemkit's and the naive map's put_batch */
	double snap = bench_snapshot_floor(o->dir, n);
	if (snap < 0)
		return 1;
	bench_figure("pmemobj", "snapshot_batch", n, snap, "ns/op");
	/* what libpmem alone costs per durable put of a small record */
	double floor = bench_put_floor(o->dir, n);
	if (floor < 0)
		return 1;
	bench_figure("pmem", "put_floor", n, floor, "ns/op");
	/* what prefaulting costs, outside every other figure */
	double pf = bench_prefault_seconds(o->dir, n);
	if (pf < 0)
		return 1;
	bench_figure("pmemkit", "prefault", n, pf * 1e3, "ms");
	bench_figure("pmemkit", "prefault_per_gib", n, pf * 1e3 *
			(double)(1 << 30) / (double)bench_pool_size(n), "ms");
	bench_ratio("ratio_put_tx_pmemkit_to_naive", r[0].put_tx, r[1].put_tx);
	bench_ratio("ratio_get_pmemkit_to_naive", r[0].get, r[1].get);
	bench_ratio("ratio_put_batch_pmemkit_to_snapshot_batch",
			r[0].put_batch, snap);
	bench_ratio("ratio_put_tx_pmemkit_to_put_floor", r[0].put_tx, floor);
	const struct result *sm = &r[S_SORTED];
	bench_ratio("ratio_put_tx_pmemkit_sorted_to_pmemkit", sm->put_tx,
			r[0].put_tx);
	bench_ratio("ratio_get_pmemkit_sorted_to_pmemkit", sm->get, r[0].get);
	bench_ratio("ratio_put_batch_pmemkit_sorted_to_pmemkit",
			sm->put_batch, r[0].put_batch);
#ifdef HAVE_LMDB
	const struct result *lm = &r[S_LMDB];
	bench_ratio("ratio_put_tx_pmemkit_to_lmdb", r[0].put_tx, lm->put_tx);
	bench_ratio("ratio_get_pmemkit_to_lmdb", r[0].get, lm->get);
	bench_ratio("ratio_bytes_per_entry_pmemkit_to_lmdb",
			r[0].bytes_per_entry, lm->bytes_per_entry);
	bench_ratio("ratio_put_tx_pmemkit_sorted_to_lmdb", sm->put_tx,
			lm->put_tx);
	bench_ratio("ratio_get_pmemkit_sorted_to_lmdb", sm->get, lm->get);
	bench_ratio("ratio_scan_all_pmemkit_sorted_to_lmdb", sm->scan_all,
			lm->scan_all);
	bench_ratio("ratio_scan100_pmemkit_sorted_to_lmdb", sm->scan_from,
			lm->scan_from);
	bench_ratio("ratio_bytes_per_entry_pmemkit_sorted_to_lmdb",
			sm->bytes_per_entry, lm->bytes_per_entry);
#endif
	return paired(o);
}

/*
 * one store at one table size: put_tx, get, bytes per entry; printed
 * unless quiet (with the put latencies if largest)
 */
static int
scale_one(const struct bench_store *st, const char *dir, uint64_t n,
		int largest, int quiet, double *put, double *get)
{
	uint64_t *order = bench_order(n, 1), *gorder = bench_order(n, 2);
	uint32_t *lat = malloc(n * sizeof(*lat));
	void *s;
	int rc = -1;

	if (lat == NULL)
		abort();
	if ((s = st->create(dir, n)) == NULL)
		goto out;
	if ((*put = bench_fill(st, s, order, n, lat)) < 0)
		goto out_destroy;
	double bpe = st->bytes_used(s) / (double)n;
	if ((*get = bench_get_all(st, s, gorder, n)) < 0)
		goto out_destroy;
	if (!quiet) {
		bench_figure(st->name, "put_tx", n, *put, "ns/op");
		bench_figure(st->name, "get", n, *get, "ns/op");
		bench_figure(st->name, "bytes_per_entry", n, bpe, "bytes");
		if (largest)
			bench_latency_report(st->name, lat, n, n);
	}
	rc = 0;
out_destroy:
	st->destroy(s);
out:
	free(lat);
	free(order);
	free(gorder);
	return rc;
}

static int
scale(const struct opts *o)
{
	double put[MAX_SIZES][NSTORES], get[MAX_SIZES][NSTORES];
	char a[32], b[32], name[128];
	int ns = o->nsizes;

	for (int i = 0; i < o->nsizes; i++) {
		uint64_t n = o->sizes[i], need = bench_pool_size(n),
			 avail = bench_free_bytes(o->dir);
		/* stores run one at a time, each deleted after its run */
		if (avail != 0 && avail < need + need / 8) {
			printf("# %s entries skipped and larger: %s needs %.1f "
					"GiB, %.1f GiB free\n",
					bench_size_name(n, a, sizeof(a)), o->dir,
					(double)need / (1 << 30),
					(double)avail / (1 << 30));
			ns = i;
			break;
		}
		for (size_t j = 0; j < NSTORES; j++)
			if (scale_one(stores[j], o->dir, n, i == o->nsizes - 1,
						0, &put[i][j], &get[i][j]) != 0)
				return 1;
	}
	if (ns < 2)
		return 0;
	bench_size_name(o->sizes[ns - 1], a, sizeof(a));
	bench_size_name(o->sizes[0], b, sizeof(b));
	for (size_t j = 0; j < NSTORES; j++) {
		snprintf(name, sizeof(name), "ratio_%s_put_tx_%s_to_%s",
				stores[j]->name, a, b);
		bench_ratio(name, put[ns - 1][j], put[0][j]);
		snprintf(name, sizeof(name), "ratio_%s_get_%s_to_%s",
				stores[j]->name, a, b);
		bench_ratio(name, get[ns - 1][j], get[0][j]);
	}
	for (size_t j = 1; j < NSTORES; j++) {
		snprintf(name, sizeof(name), "ratio_put_tx_pmemkit_to_%s_%s",
				stores[j]->name, a);
		bench_ratio(name, put[ns - 1][0], put[ns - 1][j]);
		snprintf(name, sizeof(name), "ratio_get_pmemkit_to_%s_%s",
				stores[j]->name, a);
		bench_ratio(name, get[ns - 1][0], get[ns - 1][j]);
	}
	return 0;
}

int
main(int argc, char **argv)
{
	struct opts o;
	char size[32];
	int rc;

	parse(&o, argc, argv);
	set_medium(o.disk, argv);
	if (bench_output_open(o.dir, o.csv, o.scale) != 0)
		return 1;
	if (o.scale) {
		printf("# scale: sizes");
		for (int i = 0; i < o.nsizes; i++)
			printf("%s%s", i ? "," : " ",
					bench_size_name(o.sizes[i], size,
						sizeof(size)));
		printf(";");
	} else {
		printf("# %llu entries;", (unsigned long long)o.n);
	}
	printf(" %d-byte keys, %d-byte values, random order; libpmemobj "
			"pools %s\n", KEY_LEN, VAL_LEN, bench_prefault ?
			"prefaulted" : "not prefaulted (--no-prefault)");
	if (o.disk)
		printf("# --disk: libpmemobj msyncs every snapshot and commit "
				"(~1000x the cost of a transaction): entries %s\n",
				o.scaled_down ? "scaled down (-n, --sizes "
				"override)" : "as given");
	fflush(stdout);
	rc = o.scale ? scale(&o) : standard(&o);
	bench_output_close();
	return rc;
}
