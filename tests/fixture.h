/*
 * fixture.h -- a fresh pool and its root map for every test
 *
 * For the test programs that work on one pool: include it once, after
 * common.h, and register setup/teardown as a checked fixture.
 */
#ifndef PK_TEST_FIXTURE_H
#define PK_TEST_FIXTURE_H

#include <sys/mman.h>
#include <time.h>

#include "common.h"

static pk_pool *pool;
static pk_map *root;

static inline void
setup(void)
{
	test_setup();
	PK_OK(pk_pool_create(&pool, test_path, POOL_SIZE, 0));
	PK_OK(pk_pool_root(&root, pool));
}

static inline void
teardown(void)
{
	if (pool != NULL && pk_tx_depth(pool) > 0)
		pk_tx_abort(pool);
	pk_map_close(root);
	pk_pool_close(pool);
	root = NULL;
	pool = NULL;
	test_teardown();
}

/* close the pool and open it again, as a new process would */
static inline void
reopen(void)
{
	pk_map_close(root);
	PK_OK(pk_pool_close(pool));
	PK_OK(pk_pool_open(&pool, test_path));
	PK_OK(pk_pool_root(&root, pool));
}

/* pk_pool_check finds nothing wrong */
static inline void
assert_healthy(void)
{
	pk_check_report r = PK_CHECK_REPORT_INIT;
	int rc = pk_pool_check(&r, pool);

	ck_assert_msg(rc == 0, "pk_pool_check returned %d (%s): %llu leaked, "
			"%llu dangling, %llu refcounts, %llu damaged", rc,
			pk_errormsg(), (unsigned long long)r.leaked,
			(unsigned long long)r.dangling,
			(unsigned long long)r.refcounts,
			(unsigned long long)r.damaged);
	ck_assert_uint_eq(r.objects, r.reachable);
}

/*
 * kill_rounds -- the kill test of a container's writes: the test's
 * pool, closed first, is written by writer(done) in a child killed at
 * random (test_kill_writer()), then opened again, and check(steps) must
 * find it as after the steps the child acknowledged, or after the one
 * under way too (which check() returns 1 for, 0 otherwise); the pool
 * must be healthy. test_scale(10) rounds, each going on from the last.
 */
static inline void
kill_rounds(void (*writer)(void *), int (*check)(uint64_t steps))
{
	long kills = test_scale(10);
	volatile uint64_t *done = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	unsigned seed = (unsigned)time(NULL);

	ck_assert_ptr_ne((void *)done, MAP_FAILED);
	pk_map_close(root);
	PK_OK(pk_pool_close(pool));
	root = NULL;
	pool = NULL;
	for (long k = 0; k < kills; k++) {
		test_kill_writer(writer, (void *)done, done, &seed);
		PK_OK(pk_pool_open(&pool, test_path));
		PK_OK(pk_pool_root(&root, pool));
		uint64_t steps = *done;
		int later = check(steps);
		assert_healthy();
		*done = steps + (uint64_t)later;
		pk_map_close(root);
		PK_OK(pk_pool_close(pool));
		root = NULL;
		pool = NULL;
	}
	munmap((void *)done, 4096);
	test_teardown();
}

#endif
