/*
 * pk_bench.c -- pmemkit's map beside a naive libpmemobj map and LMDB
 *
 * Usage: pk_bench [-n ENTRIES] [-d DIR]
 *
 * Each system gets the same workload: ENTRIES (default 1,000,000) new
 * 16-byte keys with 32-byte values in random order, each put in its own
 * transaction; gets of every key in another random order; removes; and a
 * fresh store filled with 1000 puts per transaction. Then pmemkit's list
 * (appends, gets at random indexes) and a float64 array of ENTRIES
 * elements (one-element sets, a write of the whole range in one
 * transaction). DIR (default
 * /dev/shm) holds the stores: with PMEM_IS_PMEM_FORCE=1 libpmemobj treats
 * it as persistent memory. Prints "name value unit" lines, then ratios.
 */
#include <unistd.h>

#include "bench.h"

/* a ratio between two figures, to two decimals */
static void
ratio(const char *name, double a, double b)
{
	printf("%s %.2f x\n", name, a / b);
}

static void
report(const char *sys, const struct bench_result *r)
{
	char name[64];
#define FIG(field, unit) do { \
	if (r->field > 0) { \
		snprintf(name, sizeof(name), "%s_%s", sys, #field); \
		bench_report(name, r->field, unit); \
	} } while (0)
	FIG(put_tx, "ns/op");
	FIG(put_batch, "ns/op");
	FIG(get, "ns/op");
	FIG(remove_tx, "ns/op");
	FIG(bytes_per_entry, "bytes");
#undef FIG
}

int
main(int argc, char **argv)
{
	struct bench_result pk = { 0 }, naive = { 0 }, lmdb = { 0 };
	struct bench_seq seq;
	const char *dir = "/dev/shm";
	uint64_t n = 1000000;
	int opt, have_lmdb = 0;

	while ((opt = getopt(argc, argv, "n:d:")) != -1) {
		if (opt == 'n')
			n = strtoull(optarg, NULL, 10);
		else if (opt == 'd')
			dir = optarg;
		else {
			fprintf(stderr, "usage: pk_bench [-n ENTRIES] [-d DIR]\n");
			return 2;
		}
	}
	const char *force = getenv("PMEM_IS_PMEM_FORCE");
	printf("# medium: %s, PMEM_IS_PMEM_FORCE=%s; %llu entries, "
			"%d-byte keys, %d-byte values\n", dir,
			force ? force : "unset", (unsigned long long)n,
			KEY_LEN, VAL_LEN);
	bench_report("machine_dependent_load_256MiB",
			bench_load_latency((size_t)256 << 20), "ns");
	fprintf(stderr, "pmemkit...\n");
	if (bench_pmemkit(dir, n, &pk) != 0)
		return 1;
	report("pmemkit", &pk);
	fprintf(stderr, "pmemkit list and array...\n");
	if (bench_seq(dir, n, &seq) != 0)
		return 1;
	bench_report("pmemkit_list_append_tx", seq.list_append_tx, "ns/op");
	bench_report("pmemkit_list_get", seq.list_get, "ns/op");
	bench_report("pmemkit_array_set_tx", seq.array_set_tx, "ns/op");
	bench_report("pmemkit_array_write", seq.array_write_gbs, "GB/s");
	fprintf(stderr, "naive libpmemobj...\n");
	if (bench_naive(dir, n, &naive) != 0)
		return 1;
	report("naive", &naive);
#ifdef HAVE_LMDB
	fprintf(stderr, "lmdb...\n");
	if (bench_lmdb(dir, n, &lmdb) != 0)
		return 1;
	report("lmdb", &lmdb);
	have_lmdb = 1;
#endif
	ratio("ratio_put_tx_pmemkit_to_naive", pk.put_tx, naive.put_tx);
	if (have_lmdb) {
		ratio("ratio_put_tx_pmemkit_to_lmdb", pk.put_tx, lmdb.put_tx);
		ratio("ratio_get_pmemkit_to_lmdb", pk.get, lmdb.get);
		ratio("ratio_bytes_per_entry_pmemkit_to_lmdb",
				pk.bytes_per_entry, lmdb.bytes_per_entry);
	}
	return 0;
}
