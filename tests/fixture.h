/*
 * fixture.h -- a fresh pool and its root map for every test
 *
 * For the test programs that work on one pool: include it once, after
 * common.h, and register setup/teardown as a checked fixture.
 */
#ifndef PK_TEST_FIXTURE_H
#define PK_TEST_FIXTURE_H

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

#endif
