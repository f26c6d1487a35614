/*
 * pk_bench.c -- pmemkit map figures, one "name value unit" line each
 *
 * Usage: pk_bench [-n ENTRIES] [-d DIR]
 * Puts ENTRIES (default 1,000,000) new 16-byte keys with 32-byte values,
 * each in its own transaction, then the same with 1000 puts per
 * transaction, then gets them in random order. DIR (default /dev/shm)
 * holds the pool; set PMEM_IS_PMEM_FORCE=1 there for emulated pmem.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "pmemkit.h"

static double
now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void
die(const char *what, int rc)
{
	fprintf(stderr, "pk_bench: %s: %s (%s)\n", what, pk_strerror(rc),
			pk_errormsg());
	exit(1);
}

/* keys: 16 bytes derived from a permutation of 0..n-1 */
static void
make_key(char *buf, uint64_t i)
{
	uint64_t x = i * 0x9E3779B97F4A7C15ULL;
	memcpy(buf, &x, 8);
	memcpy(buf + 8, &i, 8);
}

static uint64_t *
shuffled(uint64_t n, unsigned seed)
{
	uint64_t *v = malloc(n * sizeof(*v));
	srand(seed);
	for (uint64_t i = 0; i < n; i++)
		v[i] = i;
	for (uint64_t i = n - 1; i > 0; i--) {
		uint64_t j = ((uint64_t)rand() << 31 ^ (uint64_t)rand()) % (i + 1);
		uint64_t t = v[i]; v[i] = v[j]; v[j] = t;
	}
	return v;
}

static pk_map *
fresh_pool(pk_pool **pool, const char *path, uint64_t n)
{
	pk_map *root;
	int rc;
	unlink(path);
	size_t size = (size_t)(n * 300) + ((size_t)64 << 20);
	if ((rc = pk_pool_create(pool, path, size, 0)) != 0)
		die("create", rc);
	if ((rc = pk_pool_root(&root, *pool)) != 0)
		die("root", rc);
	return root;
}

int
main(int argc, char **argv)
{
	uint64_t n = 1000000, batch = 1000;
	const char *dir = "/dev/shm";
	char path[4096], kb[16], vb[32];
	pk_pool *pool;
	pk_map *root;
	int opt, rc;
	double t;

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
	snprintf(path, sizeof(path), "%s/pk_bench.pool", dir);
	memset(vb, 'v', sizeof(vb));
	uint64_t *order = shuffled(n, 1);
	printf("medium %s%s\n", dir, getenv("PMEM_IS_PMEM_FORCE") ?
			"+PMEM_IS_PMEM_FORCE" : "");

	root = fresh_pool(&pool, path, n);
	t = now();
	for (uint64_t i = 0; i < n; i++) {
		make_key(kb, order[i]);
		pk_value k = pk_bytes(kb, 16), v = pk_bytes(vb, 32);
		if ((rc = pk_map_put(root, &k, &v)) != 0)
			die("put", rc);
	}
	printf("map_put_tx %.1f ns/op\n", (now() - t) * 1e9 / n);

	uint64_t *gorder = shuffled(n, 2);
	t = now();
	for (uint64_t i = 0; i < n; i++) {
		pk_value out;
		make_key(kb, gorder[i]);
		pk_value k = pk_bytes(kb, 16);
		if ((rc = pk_map_get(&out, root, &k)) != 0)
			die("get", rc);
	}
	printf("map_get %.1f ns/op\n", (now() - t) * 1e9 / n);

	t = now();
	for (uint64_t i = 0; i < n; i++) {
		make_key(kb, gorder[i]);
		pk_value k = pk_bytes(kb, 16);
		if ((rc = pk_map_remove(root, &k)) != 0)
			die("remove", rc);
	}
	printf("map_remove_tx %.1f ns/op\n", (now() - t) * 1e9 / n);
	pk_map_close(root);
	pk_pool_close(pool);

	root = fresh_pool(&pool, path, n);
	t = now();
	for (uint64_t i = 0; i < n; i += batch) {
		if ((rc = pk_tx_begin(pool)) != 0)
			die("begin", rc);
		for (uint64_t j = i; j < i + batch && j < n; j++) {
			make_key(kb, order[j]);
			pk_value k = pk_bytes(kb, 16), v = pk_bytes(vb, 32);
			if ((rc = pk_map_put(root, &k, &v)) != 0)
				die("put", rc);
		}
		if ((rc = pk_tx_commit(pool)) != 0)
			die("commit", rc);
	}
	printf("map_put_batch1000 %.1f ns/op\n", (now() - t) * 1e9 / n);
	pk_map_close(root);
	pk_pool_close(pool);
	unlink(path);
	free(order);
	free(gorder);
	return 0;
}
