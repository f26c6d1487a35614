/*
 * test_gc.c -- reachability: pk_pool_check finds leaks, dangling
 * references and wrong counts; pk_pool_gc reclaims what is unreachable;
 * handles to freed containers are stale; open after a crash collects;
 * map counts left wrong are set right
 */
#include <fcntl.h>
#include <signal.h>
#include <stddef.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fixture.h"
#include "layout.h"


/* a map with n entries, some with out-of-line values */
static pk_map *
filled_map(int n)
{
	pk_map *m;
	char big[300];

	memset(big, 'z', sizeof(big));
	PK_OK(pk_map_new(&m, pool));
	for (int i = 0; i < n; i++) {
		pk_value k = pk_int(i);
		pk_value v = i % 3 ? pk_int(i) : pk_bytes(big, 100 + i % 150);
		PK_OK(pk_map_put(m, &k, &v));
	}
	return m;
}

START_TEST(test_gc_check__fresh_pool_is_healthy)
{
	pk_check_report r = PK_CHECK_REPORT_INIT;

	assert_healthy();
	PK_OK(pk_pool_check(&r, pool));
	ck_assert_uint_gt(r.objects, 0);
	PK_RC(pk_pool_check(NULL, pool), EINVAL);
}
END_TEST

START_TEST(test_gc_check__healthy_after_mixed_work)
{
	pk_map *a = filled_map(500), *b = filled_map(50);
	pk_value ka = cstr("a"), kb = cstr("b"), va = pk_map_value(a);
	pk_value vb = pk_map_value(b);

	PK_OK(pk_map_put(root, &ka, &va));
	PK_OK(pk_map_put(a, &kb, &vb));
	PK_OK(pk_map_put(root, &kb, &vb)); /* b is referenced twice */
	for (int i = 0; i < 400; i += 2) {
		pk_value k = pk_int(i);
		PK_OK(pk_map_remove(a, &k));
	}
	assert_healthy();
	PK_OK(pk_map_remove(root, &kb));
	assert_healthy();
	pk_map_close(a);
	pk_map_close(b);
}
END_TEST

START_TEST(test_gc_collect__unstored_map)
{
	pk_check_report r = PK_CHECK_REPORT_INIT;
	uint64_t freed;
	pk_map *m = filled_map(200);
	pk_value k = pk_int(1), out;

	ck_assert_int_eq(pk_pool_check(&r, pool), PK_ECORRUPT);
	ck_assert_uint_gt(r.leaked, 0);
	ck_assert_uint_eq(r.dangling, 0);
	PK_OK(pk_pool_gc(&freed, pool));
	ck_assert_uint_eq(freed, r.leaked);
	assert_healthy();
	/* the collected map's handle is stale */
	PK_RC(pk_map_get(&out, m, &k), PK_ESTALE);
	pk_map_close(m);
	/* nothing more to do */
	PK_OK(pk_pool_gc(&freed, pool));
	ck_assert_uint_eq(freed, 0);
}
END_TEST

START_TEST(test_gc_collect__cycles)
{
	pk_pool_stats before = PK_POOL_STATS_INIT, after = PK_POOL_STATS_INIT;
	uint64_t freed;
	pk_map *a, *b;
	pk_value name = cstr("cycle"), kb = cstr("b"), ka = cstr("a");

	PK_OK(pk_pool_stats_get(&before, pool));
	a = filled_map(100);
	b = filled_map(100);
	pk_value va = pk_map_value(a), vb = pk_map_value(b);
	PK_OK(pk_map_put(a, &kb, &vb));
	PK_OK(pk_map_put(b, &ka, &va));
	PK_OK(pk_map_put(a, &ka, &va)); /* and a refers to itself */
	PK_OK(pk_map_put(root, &name, &va));
	assert_healthy();
	/* unreachable now, but the cycle keeps the counts above zero */
	PK_OK(pk_map_remove(root, &name));
	pk_check_report r = PK_CHECK_REPORT_INIT;
	ck_assert_int_eq(pk_pool_check(&r, pool), PK_ECORRUPT);
	ck_assert_uint_gt(r.leaked, 0);
	PK_OK(pk_pool_gc(&freed, pool));
	ck_assert_uint_gt(freed, 0);
	assert_healthy();
	PK_OK(pk_pool_stats_get(&after, pool));
	ck_assert_uint_eq(after.used, before.used);
	ck_assert_uint_eq(after.objects, before.objects);
	pk_value k = pk_int(1), out;
	PK_RC(pk_map_get(&out, a, &k), PK_ESTALE);
	PK_RC(pk_map_get(&out, b, &k), PK_ESTALE);
	pk_map_close(a);
	pk_map_close(b);
}
END_TEST

START_TEST(test_gc_collect__keeps_reachable_fixes_counts)
{
	pk_map *a, *shared;
	pk_value ka = cstr("a"), ks = cstr("shared"), out;
	uint64_t freed;

	/* a cycle that also holds a reachable map */
	a = filled_map(10);
	shared = filled_map(10);
	pk_value va = pk_map_value(a), vs = pk_map_value(shared);
	PK_OK(pk_map_put(a, &ka, &va));
	PK_OK(pk_map_put(a, &ks, &vs));
	PK_OK(pk_map_put(root, &ks, &vs));
	PK_OK(pk_pool_gc(&freed, pool));
	ck_assert_uint_gt(freed, 0);
	assert_healthy();
	/* shared lost the reference the garbage held: one removal frees it */
	pk_value k = pk_int(3);
	PK_OK(pk_map_get(&out, shared, &k));
	PK_OK(pk_map_remove(root, &ks));
	PK_RC(pk_map_get(&out, shared, &k), PK_ESTALE);
	assert_healthy();
	pk_map_close(a);
	pk_map_close(shared);
}
END_TEST

/*
 * A map whose count disagrees with its entries, as a crash after atomic
 * inserts can leave it (lib/map_atomic.c): check reports it, gc sets it right.
 */
START_TEST(test_gc_collect__recounts_maps)
{
	pk_check_report r = PK_CHECK_REPORT_INIT;
	pk_map *m = filled_map(40);
	pk_value km = cstr("m"), vm = pk_map_value(m);
	uint64_t off = vm.u.ref.off, wrong = 7, len, freed;
	int fd;

	PK_OK(pk_map_put(root, &km, &vm));
	pk_map_close(m);
	pk_map_close(root);
	PK_OK(pk_pool_close(pool));
	fd = open(test_path, O_RDWR);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(pwrite(fd, &wrong, 8, (off_t)(off +
			offsetof(struct pk_map_hdr, count))), 8);
	close(fd);
	PK_OK(pk_pool_open(&pool, test_path));
	PK_OK(pk_pool_root(&root, pool));
	PK_RC(pk_pool_check(&r, pool), PK_ECORRUPT);
	ck_assert_uint_eq(r.damaged, 1);
	PK_OK(pk_map_open(&m, pool, &vm));
	PK_OK(pk_map_length(&len, m));
	ck_assert_uint_eq(len, 7);
	PK_OK(pk_pool_gc(&freed, pool));
	ck_assert_uint_eq(freed, 0);
	PK_OK(pk_map_length(&len, m));
	ck_assert_uint_eq(len, 40);
	assert_healthy();
	pk_map_close(m);
}
END_TEST

START_TEST(test_gc_collect__not_in_transaction)
{
	uint64_t freed;

	PK_OK(pk_tx_begin(pool));
	PK_RC(pk_pool_gc(&freed, pool), PK_ETXN);
	PK_OK(pk_tx_commit(pool));
	PK_RC(pk_pool_gc(&freed, NULL), EINVAL);
}
END_TEST

START_TEST(test_gc_stale__freed_through_another_handle)
{
	pk_map *m, *other;
	pk_value name = cstr("m"), k = pk_int(1), out;

	m = filled_map(20);
	pk_value mv = pk_map_value(m);
	PK_OK(pk_map_put(root, &name, &mv));
	PK_OK(pk_map_get(&out, root, &name));
	PK_OK(pk_map_open(&other, pool, &out));
	PK_OK(pk_map_remove(root, &name));
	/* both handles: a clear error, no read of freed memory */
	PK_RC(pk_map_get(&out, m, &k), PK_ESTALE);
	PK_RC(pk_map_put(other, &k, &k), PK_ESTALE);
	uint64_t len;
	PK_RC(pk_map_length(&len, other), PK_ESTALE);
	pk_cursor *c;
	PK_RC(pk_map_cursor(&c, other), PK_ESTALE);
	/* the memory is reused by a new map: the old handle stays stale */
	pk_map *again = filled_map(20);
	PK_RC(pk_map_get(&out, m, &k), PK_ESTALE);
	/* a stale value cannot be opened or stored */
	pk_map_close(other);
	PK_RC(pk_map_open(&other, pool, &mv), PK_ESTALE);
	ck_assert_ptr_null(other);
	PK_RC(pk_map_put(root, &name, &mv), PK_ESTALE);
	pk_value av = pk_map_value(again);
	PK_OK(pk_map_put(root, &name, &av));
	assert_healthy();
	pk_map_close(again);
	pk_map_close(m);
}
END_TEST

/* a child that creates containers and never stores them, then dies */
START_TEST(test_gc_open__collects_after_crash)
{
	pk_pool_stats st = PK_POOL_STATS_INIT;
	pid_t pid;
	int status;

	pk_map_close(root);
	PK_OK(pk_pool_close(pool));
	root = NULL;
	pool = NULL;
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		pk_pool *p;
		pk_map *m;
		if (pk_pool_open(&p, test_path) != 0)
			_exit(1);
		pool = p;
		for (int i = 0; i < 5; i++) {
			m = filled_map(30);
			pk_map_close(m);
		}
		kill(getpid(), SIGKILL);
		_exit(2);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	PK_OK(pk_pool_open(&pool, test_path));
	PK_OK(pk_pool_root(&root, pool));
	PK_OK(pk_pool_stats_get(&st, pool));
	ck_assert_int_eq(st.unclean, 1);
	ck_assert_uint_gt(st.recovered, 0);
	assert_healthy();
	/* a clean close and reopen: nothing to recover */
	pk_map_close(root);
	PK_OK(pk_pool_close(pool));
	PK_OK(pk_pool_open(&pool, test_path));
	PK_OK(pk_pool_root(&root, pool));
	PK_OK(pk_pool_stats_get(&st, pool));
	ck_assert_int_eq(st.unclean, 0);
	ck_assert_uint_eq(st.recovered, 0);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("gc");
	TCase *tc = tcase_create("check");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_gc_check__fresh_pool_is_healthy);
	tcase_add_test(tc, test_gc_check__healthy_after_mixed_work);
	suite_add_tcase(s, tc);

	tc = tcase_create("collect");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_gc_collect__unstored_map);
	tcase_add_test(tc, test_gc_collect__cycles);
	tcase_add_test(tc, test_gc_collect__keeps_reachable_fixes_counts);
	tcase_add_test(tc, test_gc_collect__recounts_maps);
	tcase_add_test(tc, test_gc_collect__not_in_transaction);
	suite_add_tcase(s, tc);

	tc = tcase_create("stale");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_gc_stale__freed_through_another_handle);
	suite_add_tcase(s, tc);

	tc = tcase_create("open");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_gc_open__collects_after_crash);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return run_suite(suite());
}
