/*
 * pk_bench_durable.c -- puts and gets on an ordinary disk file in both
 * durability modes (pk_pool_options): power-loss durable (the default:
 * libpmemobj msyncs every snapshot and commit) and process-crash durable
 * (PK_POOL_PROCESS_DURABLE: stores reach the page cache, pk_pool_sync()
 * writes them back)
 *
 * Usage: pk_bench_durable [-d DIR] [-n ENTRIES] [-p ENTRIES]
 *
 * In DIR (default /var/tmp), without PMEM_IS_PMEM_FORCE (the program runs
 * itself again without it if it is set): a fresh pool per mode, filled
 * with puts of new 16-byte keys and 32-byte values in random order, each
 * in its own transaction, then gets of every key in another order; -p
 * entries (default 500) in the default mode, where each put waits for
 * the disk, -n (default 100,000) in process-durable mode, followed by one
 * pk_pool_sync() of all of it. Pools are prefaulted before the clock
 * starts (pk_pool_prefault()).
 *
 * Prints "medium DIR MODE", then "pmemkit_disk_put_power_500 712345.0 ns"
 * and the like (each name ends with its pool's entries), and the ratio of
 * the modes' puts. Gets persist nothing in either mode: theirs differ by
 * the table's size only.
 */
#include <getopt.h>
#include <unistd.h>

#include "bench.h"
#include "pmemkit.h"

static void
die(const char *what)
{
	fprintf(stderr, "pk_bench_durable: %s: %s\n", what, pk_errormsg());
	exit(1);
}

/* fill -- n puts in a fresh pool in the mode of flags, then n gets:
 * ns per put and per get; *sync_ms the pk_pool_sync() after the puts */
static void
run(const char *dir, uint32_t flags, uint64_t n, double *put_ns,
		double *get_ns, double *sync_ms)
{
	uint64_t *order = bench_order(n, 1), *gorder = bench_order(n, 2);
	pk_pool_options o = PK_POOL_OPTIONS_INIT;
	uint8_t kb[KEY_LEN], vb[VAL_LEN];
	char path[4096];
	pk_pool *pool;
	pk_map *root;
	double t0;

	snprintf(path, sizeof(path), "%s/bench-durable.pool", dir);
	unlink(path);
	o.size = bench_pool_size(n);
	o.flags = flags;
	if (pk_pool_create_opts(&pool, path, &o) != 0)
		die(path);
	if (pk_pool_prefault(pool) != 0 || pk_pool_root(&root, pool) != 0)
		die("prefault or root");
	t0 = bench_now();
	for (uint64_t i = 0; i < n; i++) {
		bench_key(kb, order[i]);
		bench_val(vb, order[i]);
		pk_value k = pk_bytes(kb, KEY_LEN), v = pk_bytes(vb, VAL_LEN);
		if (pk_map_put(root, &k, &v) != 0)
			die("put");
	}
	*put_ns = (bench_now() - t0) * 1e9 / (double)n;
	t0 = bench_now();
	if (pk_pool_sync(pool) != 0)
		die("sync");
	*sync_ms = (bench_now() - t0) * 1e3;
	t0 = bench_now();
	for (uint64_t i = 0; i < n; i++) {
		bench_key(kb, gorder[i]);
		pk_value k = pk_bytes(kb, KEY_LEN), v;
		if (pk_map_get(&v, root, &k) != 0)
			die("get");
	}
	*get_ns = (bench_now() - t0) * 1e9 / (double)n;
	pk_map_close(root);
	if (pk_pool_close(pool) != 0)
		die("close");
	unlink(path);
	free(order);
	free(gorder);
}

int
main(int argc, char **argv)
{
	const char *dir = "/var/tmp";
	uint64_t n = 100000, np = 500;
	double put[2], get[2], sync_ms[2];
	int opt;

	while ((opt = getopt(argc, argv, "d:n:p:")) != -1) {
		switch (opt) {
		case 'd': dir = optarg; break;
		case 'n': n = strtoull(optarg, NULL, 10); break;
		case 'p': np = strtoull(optarg, NULL, 10); break;
		default:
			fprintf(stderr, "usage: pk_bench_durable [-d DIR] "
					"[-n ENTRIES] [-p ENTRIES]\n");
			return 2;
		}
	}
	if (n == 0 || np == 0)
		return 2;
	/* libpmem reads it once, at its first question: run again */
	if (getenv("PMEM_IS_PMEM_FORCE") != NULL) {
		unsetenv("PMEM_IS_PMEM_FORCE");
		fflush(NULL);
		execv("/proc/self/exe", argv);
		perror("pk_bench_durable: re-executing");
		return 1;
	}
	if (bench_output_open(dir, NULL, 1) != 0)
		return 1;
	run(dir, 0, np, &put[0], &get[0], &sync_ms[0]);
	bench_figure("pmemkit_disk", "put_power", np, put[0], "ns");
	bench_figure("pmemkit_disk", "get_power", np, get[0], "ns");
	run(dir, PK_POOL_PROCESS_DURABLE, n, &put[1], &get[1], &sync_ms[1]);
	bench_figure("pmemkit_disk", "put_process", n, put[1], "ns");
	bench_figure("pmemkit_disk", "get_process", n, get[1], "ns");
	bench_figure("pmemkit_disk", "sync_process", n, sync_ms[1], "ms");
	bench_ratio("pmemkit_disk_put_power_over_process", put[0], put[1]);
	bench_output_close();
	return 0;
}
