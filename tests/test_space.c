/*
 * test_space.c -- what a pool holds before it is out of space
 *
 * Each case fills a fresh pool until PK_ENOSPACE and prints what it held
 * (`space: ...` lines, for the closing figures): small map entries (an
 * 11-byte key, a 20-byte value) in pools of 8, 16 and 64 MiB, and in 64
 * MiB a mix of small values and values of 4 KiB to 256 KiB, a list of
 * small items, and typed arrays resized to random sizes. The small pools
 * must hold 25,000 and 80,000 entries, and the 64 MiB pool must be 85%
 * used by then for the map and the mix; the list's and the arrays'
 * figures are printed only (doc/performance.md says why they fall short).
 */
#include <stdint.h>

#include "common.h"

static char big[256 << 10];

/* fill -- a pool of mb MiB filled by workload w until it is out of space:
 * the operations that succeeded, and the pool's use as a fraction */
static long
fill(size_t mb, int w, double *used)
{
	pk_pool *pool;
	pk_map *root;
	pk_list *l = NULL;
	pk_array *arr[64];
	pk_pool_stats st = PK_POOL_STATS_INIT;
	unsigned seed = 7;
	char key[32];
	long n;
	int rc;

	test_setup();
	PK_OK(pk_pool_create(&pool, test_path, mb << 20, 0));
	PK_OK(pk_pool_root(&root, pool));
	if (w == 2) {
		pk_value k = cstr("l"), v;
		PK_OK(pk_list_new(&l, pool));
		v = pk_list_value(l);
		PK_OK(pk_map_put(root, &k, &v));
	}
	for (int i = 0; w == 3 && i < 64; i++) {
		pk_value k = pk_int(i), v;
		PK_OK(pk_array_new(&arr[i], pool, PK_ELEM_U64, 0, 0, NULL));
		v = pk_array_value(arr[i]);
		PK_OK(pk_map_put(root, &k, &v));
	}
	for (n = 0;; n++) {
		pk_value k = pk_string(key, (size_t)snprintf(key, sizeof(key),
				"k%010ld", n)), v = pk_string(big, 20);
		if (w == 1 && rand_r(&seed) % 10 == 0)
			v = pk_bytes(big, 4096 + (size_t)rand_r(&seed) %
					(sizeof(big) - 4096));
		if (w == 2)
			rc = pk_list_append(l, &v);
		else if (w == 3)
			rc = pk_array_resize(arr[rand_r(&seed) % 64],
					1 + (uint64_t)rand_r(&seed) %
					(mb << 11));
		else
			rc = pk_map_put(root, &k, &v);
		if (rc != 0)
			break;
	}
	ck_assert_msg(rc == PK_ENOSPACE, "%s", pk_errormsg());
	PK_OK(pk_pool_stats_get(&st, pool));
	*used = (double)st.used / (double)st.size;
	/* what failed changed nothing: the pool is whole and takes a
	 * small write where there is room */
	pk_check_report rep = PK_CHECK_REPORT_INIT;
	PK_OK(pk_pool_check(&rep, pool));
	ck_assert_uint_eq(rep.objects, rep.reachable);
	for (int i = 0; w == 3 && i < 64; i++)
		pk_array_close(arr[i]);
	pk_list_close(l);
	pk_map_close(root);
	PK_OK(pk_pool_close(pool));
	test_teardown();
	return n;
}

static const char *const names[] = {
	"map entries", "mixed values", "list items", "array resizes"
};

/* report -- print a case's figures, for the closing note */
static long
report(size_t mb, int w, double *used)
{
	long n = fill(mb, w, used);

	printf("space: %zu MiB pool, %s: %ld before PK_ENOSPACE, %.1f%% "
			"used\n", mb, names[w], n, 100 * *used);
	fflush(stdout);
	return n;
}

START_TEST(test_space__small_pools)
{
	double used;

	ck_assert_int_ge(report(8, 0, &used), 25000);
	ck_assert_int_ge(report(16, 0, &used), 80000);
}
END_TEST

START_TEST(test_space__full_pools)
{
	double used;

	report(64, 0, &used);
	ck_assert(used >= 0.85);
	report(64, 1, &used);
	ck_assert(used >= 0.85);
	/* figures only: a list's segments double, and resized arrays
	 * need the old and new storage at once */
	report(64, 2, &used);
	report(64, 3, &used);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("space");
	TCase *tc = tcase_create("space");

	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_space__small_pools);
	tcase_add_test(tc, test_space__full_pools);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
